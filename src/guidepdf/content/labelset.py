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
        return self.placeholders if self.required is None else self.required

    @property
    def allowed(self) -> tuple[str, ...]:
        return (*self.placeholders, "n") if self.counted else self.placeholders


ROLE = ("role", "role_title")  # a role in a sentence ("coaches"), and as its title is written


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
)

LABELS: dict[str, Label] = {label.key: label for label in _DECLARED}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(k.split(".")[0] for k in LABELS))
PAPER_SECTION = "a4"  # labels.yaml: texts that replace others on A4 paper
