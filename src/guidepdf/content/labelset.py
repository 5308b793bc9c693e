"""THE declared set of labels: every text guidepdf itself puts on a page, in a workbook or in a
message, by key, with the placeholders each one may use. labels.yaml (content/labels.yaml,
and one per edition) must give exactly these keys; content.labels checks it against this list.

A label is a template: `{role}` may stand anywhere in it, so a language can put the role
name where its grammar wants it. A counted label (`counted=True`) is written either as one
text or as `one:` and `other:` texts, chosen by the count `{n}`. `words=True` marks a list of
words (the stop words), written as a text of words separated by spaces or line breaks.

To add a label: declare it here, then write it in content/labels.yaml and in every
content/editions/*/labels.yaml (guidepdf check names the files that lack it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """One declared label: its key (section.name), the placeholders it may use, those it
    must use, whether it is counted (one/other forms by {n}) or a list of words."""

    key: str
    placeholders: tuple[str, ...] = ()
    required: tuple[str, ...] | None = None  # None: every placeholder is required
    counted: bool = False
    words: bool = False
    one_of: tuple[str, ...] = ()  # at least one of these must be used

    @property
    def needs(self) -> tuple[str, ...]:
        """The placeholders the label must use (a counted label's `one:` form may leave
        out {n})."""
        if self.required is not None:
            return self.required
        return (*self.placeholders, "n") if self.counted else self.placeholders

    @property
    def allowed(self) -> tuple[str, ...]:
        return (*self.placeholders, "n") if self.counted else self.placeholders


ROLE = ("role", "role_title")  # a role in a sentence ("coaches"), and as its title is written
# what a mail text may name (distribute.mail's placeholders; {role} in a sentence, as above)
MAIL = ("id", "name", "email", "role", "role_title", "group", "language", "filename")


def _role(key: str) -> Label:
    """A label that names the role, either way."""
    return Label(key, ROLE, (), one_of=ROLE)


_DECLARED: tuple[Label, ...] = (
    # --- numbers -------------------------------------------------------------------------
    Label("format.thousands_separator"),  # 1,234 (a space: "1 234"; "none": 1234)
    Label("format.decimal_separator"),  # 1.5
    Label("format.percent", ("value",)),  # 80%
    Label("format.none"),  # a value that does not exist (a rate with nobody expected)
    Label("format.list_separator"),  # between items of a list in a sentence
    Label("format.hyphenation"),  # a pyphen language ("es", "fr", "de_DE") or none
    # --- the guide -----------------------------------------------------------------------
    _role("guide.title"),  # the cover, the running header, the document title
    _role("guide.why_standards"),  # the introduction's heading
    Label("guide.how_standards_lead"),  # heading above the improvement chain
    Label("guide.chain_alt", ("n", "steps")),  # the chain graphic's alternative text
    Label("guide.chain_then"),  # between the steps in guide.chain_alt
    Label("guide.foundations"),
    _role("guide.responsibilities"),  # heading of the key responsibilities
    _role("guide.first_steps"),  # heading of the reflection page
    Label("guide.instructions"),  # how to work through the questions
    Label("guide.print_instructions"),  # print mode: how to print (see the a4 section)
    Label("guide.column_question"),  # the reflection table's headers
    Label("guide.column_reflections"),
    Label("guide.column_first_steps"),
    Label("guide.field_reflections", ("question",)),  # a field's tooltip (screen readers)
    Label("guide.field_first_steps", ("question",)),
    Label("guide.respondent_name"),  # the respondent block
    Label("guide.respondent_email"),
    Label("guide.respondent_group"),
    Label("guide.respondent_date"),
    Label("guide.prepared_for", ("name",)),  # the cover of a personalized copy
    Label("guide.more_guides"),  # the back page
    Label("guide.resources"),
    Label("guide.contact"),
    Label("guide.manifest_tooltip"),  # the hidden field that carries the manifest
    # --- the IC map ----------------------------------------------------------------------
    Label("icmap.outcome"),  # first column's header
    Label("icmap.not_assessed"),  # last column's header
    Label("icmap.choice", ("outcome", "level")),  # one radio button's tooltip
    Label("icmap.choice_not_assessed", ("outcome",)),
    Label("icmap.notes"),  # before the notes line
    Label("icmap.notes_field", ("outcome",)),  # the notes field's tooltip
    # --- the message `guidepdf send` writes when given no --subject / --body -------------
    Label("mail.subject", MAIL, ()),
    Label("mail.body", MAIL, ()),
    # --- PDF metadata (document properties) -----------------------------------------------
    Label("pdf.keywords", ("role_id", "mode")),
    Label("pdf.mode_fillable"),  # {mode}
    Label("pdf.mode_print"),
    # --- the summary report: first page ----------------------------------------------------
    Label("report.title"),  # the band, the running header, the document title
    Label("report.answers_title"),  # the same for answers.pdf
    Label("report.answers_intro"),  # what answers.pdf holds
    Label("report.footer", ("organization", "title")),
    Label("report.subtitle", ("organization", "framework")),
    Label("report.collected_from", ("source",)),
    Label("report.collected_from_roster", ("source", "roster")),
    Label("report.the_folder"),  # {source} when it is not known
    Label("report.tile_returned_of", ("returned", "expected")),
    Label("report.tile_returned", ("rate",)),
    Label("report.tile_missing"),
    Label("report.tile_not_on_roster"),
    Label("report.tile_duplicates"),
    Label("report.tile_rejected"),
    Label("report.tile_forms"),
    Label("report.tile_roles"),
    Label("report.facts_files", ("read", "rejected"), counted=True),  # n: PDF files found
    Label("report.facts_kept", counted=True),
    Label("report.facts_duplicates", counted=True),
    Label("report.facts_ignored", counted=True),
    Label("report.facts_warnings", counted=True),
    # n: people reminded; the follow-up state (summary.followup) once anyone was reminded
    Label("report.facts_followup", ("answered", "missing", "receipts"), counted=True),
    Label("report.rate_by_role"),
    Label("report.forms_by_role"),
    Label("report.outline_headline"),  # the bookmark of the first page
    Label("report.by_group"),
    Label("report.no_group"),  # people with no school or team
    Label("report.bar_rate", ("returned", "expected", "rate")),
    Label("report.bar_forms", counted=True),
    Label("report.bar_off_roster", ("forms",)),
    Label("report.roles_at_a_glance"),
    Label("report.col_role"),
    Label("report.col_expected"),
    Label("report.col_returned"),
    Label("report.col_rate"),
    Label("report.col_forms_kept"),
    Label("report.col_questions"),
    Label("report.col_answers_per_form"),
    Label("report.answers_per_form", ("answered", "questions")),
    Label("report.completeness"),  # how complete the forms are, per role
    Label("report.outline_completeness"),
    Label("report.completeness_note", ("complete",), counted=True),  # n: kept forms
    Label("report.complete", ("complete",), counted=True),  # a role's bar; n: its forms
    Label("report.complete_partly", counted=True),
    Label("report.complete_blank", counted=True),
    Label("report.complete_separator"),
    Label("report.alt_list", ("title", "items")),  # a bar chart's alternative text
    Label("report.alt_item", ("label", "caption")),
    Label("report.alt_separator"),
    # --- the summary report: a role's answers -------------------------------------------
    Label("report.role_kept", counted=True),
    Label("report.role_returned", ("returned", "rate"), counted=True),  # n: people expected
    Label("report.role_off_roster"),
    Label("report.question", ("number",)),
    Label("report.question_outline", ("number", "text")),
    Label("report.answered", ("answered", "reflections", "first_steps"), counted=True),
    Label("report.showing", ("shown", "total")),
    Label("report.left_blank", ("names",), counted=True),
    Label("report.left_blank_more", counted=True),
    Label("report.nobody_answered"),
    Label("report.themes_heading"),
    Label("report.themes_note"),
    Label("report.themes_label"),
    Label("report.themes_none"),
    Label("report.col_theme"),
    Label("report.col_people"),
    Label("report.col_said"),
    Label("report.themes_people", counted=True),
    Label("report.stop_words", words=True),  # left out of the frequent terms
    Label("report.col_who"),
    Label("report.continued_header", ("role", "number")),
    Label("report.continued"),
    Label("report.who_continued", ("who",)),
    Label("report.not_on_roster"),
    # --- the summary report: IC maps ----------------------------------------------------
    Label("report.ic_heading", ("title",)),
    Label("report.ic_outline", ("title",)),
    Label("report.ic_lead", counted=True),  # n: forms that marked an outcome
    Label("report.ic_outcomes"),
    Label("report.ic_col_id"),
    Label("report.ic_col_outcome"),
    Label("report.ic_col_median"),
    Label("report.ic_medians"),
    Label("report.ic_medians_part", ("title", "part", "parts")),
    Label("report.ic_col_standard"),
    Label("report.ic_col_all"),
    Label("report.ic_col_group", ("group", "n")),
    Label("report.ic_not_assessed"),  # the heatmap's column headings
    Label("report.ic_blank"),
    Label("report.ic_median"),
    Label("report.ic_alt", ("rows",)),
    Label("report.ic_alt_row", ("outcome", "counts", "median")),
    Label("report.ic_alt_none"),
    # --- the summary report: appendix ---------------------------------------------------
    Label("report.appendix"),
    Label("report.rejected", counted=True),
    Label("report.not_returned", counted=True),
    Label("report.duplicates", counted=True),
    Label("report.off_roster", counted=True),
    Label("report.with_warnings", counted=True),
    Label("report.ignored", counted=True),
    Label("report.roster_problems", counted=True),
    Label("report.col_file"),
    Label("report.col_reason"),
    Label("report.col_name"),
    Label("report.col_group"),
    Label("report.col_email"),
    Label("report.col_person"),
    Label("report.col_kept"),
    Label("report.col_set_aside"),
    Label("report.col_why"),
    Label("report.col_warnings"),
    Label("report.col_problem"),
    Label("report.first_of", ("shown",), counted=True),  # n: rows in all
    Label("report.none"),
    Label("report.dup_sent_earlier", ("dropped", "kept")),  # why a duplicate was set aside
    Label("report.dup_saved_earlier", ("dropped", "kept")),
    Label("report.dup_no_date"),
    Label("report.dup_older_file"),
    Label("report.dup_sorts_first"),
    # --- what the reader says about a file: why it was rejected, what was odd in it, why
    # it was not read (guidepdf.notes; summary.json keeps each code beside the words) ---
    Label("read.password"),
    Label("read.encryption_unsupported"),
    Label("read.damaged", ("detail",)),  # detail: qpdf's own words
    Label("read.cannot_read", ("detail",)),  # detail: the system's words
    Label("read.empty_file"),
    Label("read.not_pdf", ("kind",)),  # kind: one of the read.kind_* texts
    Label("read.kind_zip"),
    Label("read.kind_office"),
    Label("read.kind_png"),
    Label("read.kind_jpeg"),
    Label("read.kind_gif"),
    Label("read.kind_rtf"),
    Label("read.kind_html"),
    Label("read.kind_binary"),
    Label("read.kind_text"),
    Label("read.no_fields"),
    Label("read.xfa_only"),
    Label("read.not_guidepdf", counted=True),  # n: the form's fields
    Label("read.too_large", ("limit", "size")),  # in MB
    Label("read.timeout", ("seconds",)),
    Label("read.crashed", ("code",)),
    Label("read.out_of_memory"),
    Label("read.internal_error", ("detail",)),
    Label("read.outlook_msg"),  # mail that cannot be opened
    Label("read.winmail"),
    Label("read.not_decoded"),
    Label("read.mail_unreadable", ("detail",)),
    Label("read.repaired"),  # warnings on a form that was read
    Label("read.empty_password"),
    Label("read.javascript"),
    Label("read.xfa_part"),
    Label("read.page_tree_damaged", ("detail",)),
    Label("read.manifest_damaged"),
    Label("read.manifest_missing"),
    Label("read.prefixed", ("field",)),
    Label("read.other_roles", ("roles", "role_id")),
    Label("read.field_repeated", ("field",), counted=True),  # n: times it appears
    Label("read.field_note", ("field", "note")),  # note: one of the read.value_* texts
    Label("read.unknown_field", ("field",)),
    # n: how many questions (their ids in `questions`)
    Label("read.fields_missing", ("questions",), ("questions",), counted=True),
    Label("read.not_in_manifest", ("questions",), ("questions",), counted=True),
    Label("read.role_not_in_content", ("role_id",)),
    Label("read.other_version", ("fingerprint", "current")),
    Label("read.questions_gone", ("questions",), ("questions",), counted=True),
    Label("read.questions_added", ("questions",), ("questions",), counted=True),
    Label("read.value_filter", ("filter",)),
    Label("read.value_undecodable", ("detail",)),
    Label("read.value_inflates", ("limit",)),  # in bytes
    Label("read.value_too_long", ("limit",)),
    Label("read.value_stream"),
    Label("read.value_array"),
    Label("read.value_boolean"),
    Label("read.value_number"),
    Label("read.value_type", ("type",)),
    Label("read.garbled_controls", ("codes",)),
    Label("read.garbled_encoding", ("text",)),
    Label("read.name_shared", ("name",), counted=True),  # n: people with that name
    Label("read.roster_role", ("roster_role", "role_id")),
    Label("read.fifo"),  # entries of a folder that are not read
    Label("read.device"),
    Label("read.socket"),
    Label("read.folder"),
    Label("read.not_regular"),
    Label("read.link_outside"),
    Label("read.dangling_link"),
    Label("read.folder_link_loop"),
    Label("read.folder_unreadable", ("detail",)),
    Label("read.cannot_look", ("detail",)),
    # --- responses.xlsx (the CSV files keep fixed English column names, for programs) ----
    Label("xlsx.sheet_status"),
    Label("xlsx.sheet_ic"),
    Label("xlsx.footer", ("page", "pages")),  # printed at the foot of each page
    Label("xlsx.col_role"),
    Label("xlsx.col_name"),
    Label("xlsx.col_email"),
    Label("xlsx.col_group"),
    Label("xlsx.col_roster_id"),
    Label("xlsx.col_on_roster"),
    Label("xlsx.col_question_no"),
    Label("xlsx.col_question_id"),
    Label("xlsx.col_question"),
    Label("xlsx.col_reflections"),
    Label("xlsx.col_first_steps"),
    Label("xlsx.col_file"),
    Label("xlsx.col_status"),
    Label("xlsx.col_note"),
    Label("xlsx.col_outcome_id"),
    Label("xlsx.col_outcome"),
    Label("xlsx.col_level"),
    Label("xlsx.col_level_description"),
    Label("xlsx.col_notes"),
    Label("xlsx.yes"),
    Label("xlsx.no"),
    Label("xlsx.not_assessed"),
    Label("xlsx.status_returned"),
    Label("xlsx.status_not_on_roster"),
    Label("xlsx.status_missing"),
    Label("xlsx.status_duplicate"),
    Label("xlsx.status_rejected"),
    Label("xlsx.status_ignored"),
    Label("xlsx.status_no_attachment"),
    Label("xlsx.note_matched_by", ("how",)),
    Label("xlsx.note_came_by_mail", ("origin",)),
    Label("xlsx.note_kept", ("reason", "kept")),
    Label("xlsx.note_not_pdf"),
    Label("xlsx.note_separator"),
    Label("xlsx.unknown_sender"),
    Label("xlsx.how_recipient"),  # how a form was matched to the roster
    Label("xlsx.how_email"),
    Label("xlsx.how_name"),
    Label("xlsx.how_recipient_email"),
    Label("xlsx.how_recipient_name"),
    Label("xlsx.how_mail_sender"),
    Label("xlsx.sheet_themes"),  # the themes sheet and its columns
    Label("xlsx.col_rank"),
    Label("xlsx.col_theme"),
    Label("xlsx.col_words"),
    Label("xlsx.col_people"),
    Label("xlsx.col_quote"),
    Label("xlsx.col_by"),
    Label("xlsx.col_quote_2"),
    Label("xlsx.col_by_2"),
    Label("xlsx.col_who_used_it"),
    Label("xlsx.all_questions"),  # a role's themes across its questions
    # --- team pages (collect --teams) ---------------------------------------------------
    Label("team.title", ("team",)),  # the document title and running header
    Label("team.lead", counted=True),  # n: the team's returned forms
    Label("team.members"),
    Label("team.ic", ("title",)),  # title: the IC map's title
    Label("team.ic_note"),
    Label("team.answers", ("title",)),  # title: the role's title
    Label("team.actions"),
    Label("team.actions_note"),
    Label("team.col_action"),
    Label("team.col_leads"),
    Label("team.col_by_when"),
    Label("team.col_done"),
    # --- growth over time (guidepdf compare, collect --baseline) --------------------------
    Label("growth.title"),
    Label("growth.from", ("earlier", "later")),  # the two sides (growth.side_*)
    Label("growth.side_dated", ("name", "first", "last")),  # collect folder, YYYY-MM-DD
    Label("growth.side_one_day", ("name", "day")),
    Label("growth.lead", ("matched", "then", "now")),
    Label("growth.moves"),
    Label("growth.everyone"),
    Label("growth.chart_note"),
    Label("growth.by_group"),
    Label("growth.one_version"),
    Label("growth.then"),  # the chart's two bars of an outcome
    Label("growth.now"),
    Label("growth.median_then", ("median",)),
    Label("growth.median_now", ("median",)),
    Label("growth.level", ("number",)),  # a level in the chart's legend and text ("L1")
    Label("growth.alt", ("title", "items")),  # the chart's alternative text
    Label("growth.alt_item", ("outcome", "then", "now", "median_then", "median_now")),
    Label("growth.only_earlier"),  # where an outcome in one version only is
    Label("growth.only_later"),
    Label("growth.col_outcome"),
    Label("growth.col_wording"),
    Label("growth.col_only_in"),
    Label("growth.col_n_then"),
    Label("growth.col_median_then"),
    Label("growth.col_n_now"),
    Label("growth.col_median_now"),
    Label("growth.col_toward"),
    Label("growth.col_same"),
    Label("growth.col_away"),
    Label("growth.col_once"),
    Label("growth.sheet_change"),  # growth.xlsx
    Label("growth.sheet_people"),
    Label("growth.col_scope"),
    Label("growth.col_id"),
    Label("growth.col_label"),
    Label("growth.col_paired"),
    Label("growth.col_only_then"),
    Label("growth.col_only_now"),
    Label("growth.col_matched_by"),
    Label("growth.col_level_then"),
    Label("growth.col_level_now"),
    Label("growth.col_change"),
    Label("growth.scope_all"),  # the scopes of the change sheet
    Label("growth.scope_role"),
    Label("growth.scope_outcome"),
    Label("growth.scope_group"),
    Label("growth.move_toward"),  # a person's change on an outcome
    Label("growth.move_same"),
    Label("growth.move_away"),
    Label("growth.move_only_then"),
    Label("growth.move_only_now"),
    Label("growth.matched_roster_id"),  # how two forms were found to be one person
    Label("growth.matched_email"),
)

LABELS: dict[str, Label] = {label.key: label for label in _DECLARED}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(k.split(".")[0] for k in LABELS))
PAPER_SECTION = "a4"  # labels.yaml: texts that replace others on A4 paper
