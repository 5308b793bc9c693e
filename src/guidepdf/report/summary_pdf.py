"""Summary + content (brand, framework) -> summary.pdf bytes: the headline page with the
numbers and charts, IC heatmaps, each role's themes — the phrases the most people used,
with quotes and who wrote them (report.themes) — the answers per role and question
(REFLECTIONS and FIRST STEPS side by side, long answers flowing across pages; past a limit
per question, a sample spread evenly through them) with each question's themes, and an
appendix of rejected files, missing people, duplicates and warnings (the first 500 of
each). No file I/O."""

from __future__ import annotations

import functools
import io
import itertools
import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from reportlab.lib import colors
from reportlab.pdfbase.pdfdoc import PDFArray, PDFName, PDFStream
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import UseUpSpace

from guidepdf import __version__
from guidepdf.content.labels import Labels
from guidepdf.content.model import Content
from guidepdf.defaults import ANSWERS_PER_QUESTION  # the default; collect --pdf-answers
from guidepdf.layout import peopletext
from guidepdf.layout.logo import LogoFlowable
from guidepdf.layout.objectstreams import compact
from guidepdf.layout.structure import embedding_recorder
from guidepdf.layout.table_tags import TableTags
from guidepdf.layout.tagging import (
    Tagged,
    TaggedCanvas,
    artifact,
    figure,
    unwrap,
)
from guidepdf.layout.theme import Theme, make_theme
from guidepdf.report import answerrows, charts
from guidepdf.report import themes as themelib
from guidepdf.report.icpages import group_name, ic_section
from guidepdf.report.model import Response, RoleSummary, Summary
from guidepdf.report.pdfparts import (
    Deferred,
    Heading,
    Para,
    chunked_table,
    esc,
    heading,
    name_list,
    person_text,
    table_style,
    tagged,
)

CAPTION_WIDTH = 118.0  # the bar charts' caption column, so their tracks line up
APPENDIX_ROWS = 500  # rows per appendix list; the spreadsheets hold every one
ROLE_THEMES = 10  # themes shown for a role across its questions, two quotes each
QUESTION_THEMES = 5  # themes shown per question, one quote each
KEEP_START = 60.0  # points of what follows a heading that must share its page


class _SummaryDoc(BaseDocTemplate):
    """Expands Deferred markers a few flowables at a time while laying out (so a report
    with thousands of answers never holds them all as flowables), files headings in the
    PDF outline, and repeats the answer columns' headings on pages that continue them."""

    def __init__(self, buffer: io.BytesIO, theme: Theme, labels: Labels,
                 **kwargs: object) -> None:
        self.theme, self.labels = theme, labels
        super().__init__(buffer, **kwargs)

    def filterFlowables(self, flowables: list[Flowable]) -> None:
        self._expand(flowables, 0)
        if not flowables:  # the last marker ran out; reportlab needs a flowable to take
            flowables.append(Spacer(0, 0))
        elif _is_heading(flowables[0]) and not getattr(flowables[0], "_kept", False):
            flowables.insert(0, CondPageBreak(self._start_height(flowables)))

    def _expand(self, flowables: list[Flowable], at: int) -> None:
        """Make flowables[at] a flowable (not a marker), if there is one."""
        while at < len(flowables) and isinstance(flowables[at], Deferred):
            chunk = list(itertools.islice(flowables[at].source, 24))
            if chunk:
                flowables[at:at] = chunk
            else:
                del flowables[at]

    def _start_height(self, flowables: list[Flowable]) -> float:
        """The room the headings at the front of `flowables` need so that none ends a page:
        themselves and the start of what follows them (all of it when short, KEEP_START
        points of it when it splits), at most a whole frame. Marks the headings measured."""
        frame, canv = self.frame, self.canv
        width, need, at = frame._getAvailableWidth(), 0.0, 0
        while at < len(flowables) and _is_heading(flowables[at]):
            heading = flowables[at]
            heading._kept = True
            need += heading.getSpaceBefore() + heading.wrapOn(canv, width, frame._aH)[1] \
                + heading.getSpaceAfter()
            at += 1
            self._expand(flowables, at)
        if at < len(flowables) and not isinstance(flowables[at], ActionFlowable | UseUpSpace):
            # (not a page break either, which would measure as the rest of the page)
            after = flowables[at]
            height = after.getSpaceBefore() + after.wrapOn(canv, width, frame._aH)[1]
            if height > KEEP_START and after.splitOn(canv, width, KEEP_START):
                height = KEEP_START
            need += height
        return min(need, frame._aH)

    running: answerrows.Running | None = None  # set by the answer rows as they are drawn
    # the headings of the question last continued, made once for all its pages (a
    # pagination artifact, so the same flowable may be drawn on each)
    _repeated: tuple[answerrows.Running, Flowable] | None = None

    def handle_pageBegin(self) -> None:  # a page that continues a question: its headings
        running, top = self.running, []
        if running is not None:
            if self._repeated is None or self._repeated[0] != running:
                self._repeated = (running, answerrows.header(self.theme, self.labels,
                                                             running))
            top = [self._repeated[1]]
        self._pageTopFlowables = top
        super().handle_pageBegin()

    def afterFlowable(self, flowable: Flowable) -> None:
        flowable = unwrap(flowable)
        if isinstance(flowable, Heading | peopletext.PeopleParagraph) and getattr(
                flowable, "outline", ""):
            self._headings = getattr(self, "_headings", 0) + 1
            key = f"h{self._headings}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline, key, flowable.level, closed=True)


def _is_heading(flowable: Flowable) -> bool:
    return isinstance(flowable, Tagged) and flowable.element.role in ("H1", "H2", "H3")


class _CompactCanvas(TaggedCanvas):
    """Compresses each page's content as soon as the page is finished; reportlab keeps it
    as text until the whole document is saved, which for thousands of pages is the larger
    part of the memory a summary needs. (Flate only: reportlab's ASCII85 layer on top adds
    a quarter to the size and nothing else.) Tagged: its marked content is finished before
    the page is (see layout.tagging). Written with object streams (layout.objectstreams)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        compact(self._doc)

    def showPage(self) -> None:
        super().showPage()
        page = self._doc.Pages.pages[-1]
        if page.compression and isinstance(page.stream, str) and page.stream:
            stream = PDFStream(content=zlib.compress(page.stream.encode("utf8")))
            stream.dictionary["Filter"] = PDFArray([PDFName("FlateDecode")])
            stream.__Comment__ = "page stream"
            page.Contents, page.stream = stream, None


def _page_decoration(theme: Theme, content: Content, header: bool,  # type: ignore[no-untyped-def]
                     title: str):
    def draw(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        t = theme
        canvas.saveState()
        canvas.setStrokeColor(t.rule)
        canvas.setLineWidth(0.6)
        canvas.setFont(t.fonts.regular, 8)
        canvas.setFillColor(t.muted)
        if header:
            top = t.page_height - t.margin + 18
            with artifact(canvas, "Pagination", "Header"):
                _draw_line(canvas, t.margin, top, title, t.fonts.regular)
                canvas.drawRightString(t.page_width - t.margin, top, content.framework.name)
                canvas.line(t.margin, top - 5, t.page_width - t.margin, top - 5)
        bottom = t.margin - 26
        with artifact(canvas, "Pagination", "Footer"):
            canvas.line(t.margin, bottom + 11, t.page_width - t.margin, bottom + 11)
            _draw_line(canvas, t.margin, bottom, content.labels.text(
                "report.footer", organization=content.brand.organization, title=title),
                t.fonts.regular)
            canvas.drawRightString(t.page_width - t.margin, bottom, str(doc.page))
        canvas.restoreState()

    return draw


def _draw_line(canvas, x: float, y: float, text: str, font: str) -> None:  # type: ignore[no-untyped-def]
    """A running header's or footer's text at 8 pt, in any script (a team page's title
    holds the school's name)."""
    if peopletext.plain(text, font):
        canvas.drawString(x, y, text)
    else:
        peopletext.draw_text(canvas, x, y, text, font, 8, artifact=True)
        canvas.setFont(font, 8)


# the pieces the team pages (report.teampages) are made with too
CompactCanvas = _CompactCanvas
PARTS = ("all", "summary", "answers")


def new_document(buffer: io.BytesIO, theme: Theme, content: Content,
                 title: str) -> _SummaryDoc:
    """A report document: metadata, one frame, a first page and body pages decorated with
    `title` (summary.pdf, answers.pdf, team pages, growth.pdf)."""
    doc = _SummaryDoc(
        buffer, theme, content.labels, pagesize=(theme.page_width, theme.page_height),
        title=title,
        author=content.brand.organization, subject=content.framework.name,
        creator=f"guidepdf {__version__}", producer="guidepdf (reportlab)", invariant=1,
        displayDocTitle=1, lang=content.brand.language, initialFontName=theme.fonts.regular,
        leftMargin=theme.margin, rightMargin=theme.margin, topMargin=theme.margin,
        bottomMargin=theme.margin)
    frame = Frame(theme.margin, theme.margin, theme.frame_width,
                  theme.page_height - 2 * theme.margin, id="main", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([
        PageTemplate("first", frames=[frame],
                     onPage=_page_decoration(theme, content, False, title)),
        PageTemplate("body", frames=[frame],
                     onPage=_page_decoration(theme, content, True, title)),
    ])
    return doc


def build_summary_pdf(summary: Summary, content: Content, paper: str = "letter",
                      answers_per_question: int | None = ANSWERS_PER_QUESTION,
                      part: str = "all") -> bytes:
    """Lay out the summary; the same summary and content give the same bytes. Each
    question shows at most `answers_per_question` answers (None: all), spread evenly over
    them, so the report stays readable — and its size bounded — for thousands of forms.
    `part`: "summary" is what a facilitator reads first (the numbers, how complete the
    forms are, the IC maps, the appendix) and "answers" every answer, role by role and
    question by question (collect writes them as summary.pdf and answers.pdf); "all" is
    both in one document."""
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, not {part!r}")
    labels = content.labels.for_paper(paper)
    content = replace(content, labels=labels)  # every part below reads the paper's texts
    theme = make_theme(content.brand, paper, labels.hyphenation)
    title = labels.text("report.answers_title" if part == "answers" else "report.title")
    buffer = io.BytesIO()
    doc = new_document(buffer, theme, content, title)
    index = _index(summary, answers_per_question)
    story: list[Flowable] = [NextPageTemplate("body")]
    if content.brand.logo is not None:  # on white, above the band
        story += [LogoFlowable(content.brand.logo, 150, 40, align="right"), Spacer(1, 8)]
    if part == "answers":
        story.append(_band(summary, content, theme, title))
        story.append(Spacer(1, 10))
        story.append(tagged(labels.markup("report.answers_intro"), theme.style("body")))
    else:
        story += _headline(summary, content, theme)
        story += _completeness(summary, labels, theme, index)
        for ic in summary.ic:
            story += ic_section(ic, content, theme)
        story += _themes_overview(summary, theme, content.labels)
    if part != "summary":
        first = part == "answers"
        for role in summary.roles:
            if role.forms:
                story.append(Deferred(_role_section(summary, role, labels, theme, index,
                                                    answers_per_question, first=first)))
                first = False
    if part != "answers":
        story.append(Deferred(_appendix(summary, labels, theme, index)))
    recorder = embedding_recorder(title=title, lang=content.brand.language)
    doc.build(story, canvasmaker=functools.partial(_CompactCanvas, recorder=recorder))
    return buffer.getvalue()


# --- first page ------------------------------------------------------------------------

def _band(summary: Summary, content: Content, theme: Theme, heading: str = "") -> Table:
    labels = content.labels
    title = theme.style("cover_title").clone("band_title", fontSize=22, leading=27)
    sub = theme.style("cover_sub").clone("band_sub", fontSize=11, leading=15)
    source = summary.source or labels.text("report.the_folder")
    where = labels.markup("report.collected_from_roster", ("source", "roster"), source=source,
                          roster=summary.roster) if summary.roster else \
        labels.markup("report.collected_from", ("source",), source=source)
    rows = [[tagged(esc(heading or labels.text("report.title")), title, "H1")],
            [tagged(labels.markup("report.subtitle", organization=content.brand.organization,
                                  framework=content.framework.name), sub)],
            [tagged(where, sub)]]
    table = Table(rows, colWidths=[theme.frame_width])  # layout only: not a tagged table
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), theme.fonts.regular),  # not the unembedded Helvetica
        ("BACKGROUND", (0, 0), (-1, -1), theme.primary),
        ("LEFTPADDING", (0, 0), (-1, -1), 16), ("RIGHTPADDING", (0, 0), (-1, -1), 16),
        ("TOPPADDING", (0, 0), (-1, 0), 16), ("BOTTOMPADDING", (0, -1), (-1, -1), 14),
        ("TOPPADDING", (0, 1), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -2), 2),
    ]))
    return table


TILE_NUMBER_SIZE = 19  # points: the tiles' big numbers
TILE_NUMBER_SMALLEST = 11
TILE_INSET = 16  # points of a tile beside its text: 8 before it, 8 after
TILE_PADDING = TILE_INSET + 1  # beside its number: the inset, and 1 to spare


def tile_widths(numbers: Sequence[str], font: str, frame_width: float
                ) -> tuple[list[float], float]:
    """The tiles' widths, and the size of their numbers, so that every number ("18,939 of
    21,210") stays on one line: the tiles as even as they can be, one widened as far as its
    number needs; the numbers made smaller only when even that cannot fit them all."""
    size = float(TILE_NUMBER_SIZE)
    while True:
        needs = [stringWidth(n, font, size) + TILE_PADDING for n in numbers]
        if sum(needs) <= frame_width or size <= TILE_NUMBER_SMALLEST:
            break
        size -= 1
    # the even width W with sum(max(need, W)) == frame_width (water-filling)
    left, open_ = frame_width, len(needs)
    for need in sorted(needs, reverse=True):
        even = left / open_
        if need <= even:
            widths = [max(w, even) for w in needs]
            break
        left, open_ = left - need, open_ - 1
    else:  # too wide even at the smallest size: the numbers wrap, the row still fits
        widths = [w * frame_width / sum(needs) for w in needs]
    return widths, size


def _tiles(summary: Summary, labels: Labels, theme: Theme) -> Table:
    t = summary.totals
    n, say = labels.number, labels.text
    if t.expected is not None:
        tiles = [(say("report.tile_returned_of", returned=t.returned, expected=t.expected),
                  say("report.tile_returned", rate=labels.percent(t.rate))),
                 (n(t.missing), say("report.tile_missing")),
                 (n(t.not_on_roster), say("report.tile_not_on_roster")),
                 (n(t.duplicates), say("report.tile_duplicates")),
                 (n(t.rejected), say("report.tile_rejected"))]
    else:
        tiles = [(n(t.responses), say("report.tile_forms")),
                 (n(len([r for r in summary.roles if r.forms])), say("report.tile_roles")),
                 (n(t.duplicates), say("report.tile_duplicates")),
                 (n(t.rejected), say("report.tile_rejected"))]
    big = theme.style("h1").clone("tile_number", fontSize=TILE_NUMBER_SIZE, leading=23,
                                  spaceBefore=0, spaceAfter=0)
    col_widths, size = tile_widths([n for n, _ in tiles], big.fontName, theme.frame_width)
    if size != big.fontSize:
        big = big.clone("tile_number_smaller", fontSize=size, leading=round(size * 1.2, 1))
    small = theme.style("small").clone("tile_label", spaceAfter=0, leading=10.5)
    cells = [[tagged(esc(n), big), tagged(esc(label), small)] for n, label in tiles]
    inner = [Table([[a], [b]], colWidths=[w - TILE_INSET]) for (a, b), w in zip(cells, col_widths,
                                                                        strict=True)]
    for table in inner:
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), theme.fonts.regular),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    row = Table([inner], colWidths=col_widths)  # layout only: its paragraphs are tagged
    row.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), theme.fonts.regular),
        ("BACKGROUND", (0, 0), (-1, -1), theme.tint),
        ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 8), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]))
    return row


def _headline(summary: Summary, content: Content, theme: Theme) -> list[Flowable]:
    t = summary.totals
    labels = content.labels
    say = labels.text
    out: list[Flowable] = [_band(summary, content, theme), Spacer(1, 12),
                           _tiles(summary, labels, theme), Spacer(1, 6)]
    facts = [say("report.facts_files", n=t.files, read=t.read, rejected=t.rejected),
             say("report.facts_kept", n=t.responses)]
    facts += [say(key, n=count) for key, count in (
        ("report.facts_duplicates", t.duplicates), ("report.facts_ignored", t.ignored),
        ("report.facts_warnings", t.with_warnings)) if count]
    out.append(tagged(esc(" ".join(facts)), theme.style("small")))
    if summary.followup is not None:
        f = summary.followup
        out.append(tagged(esc(say("report.facts_followup", n=f.reminded,
                                  answered=f.answered_after_reminder,
                                  missing=f.still_missing, receipts=f.receipts)),
                          theme.style("small")))
    roster = t.expected is not None
    title = say("report.rate_by_role" if roster else "report.forms_by_role")
    out.append(heading(esc(title), theme.style("h2"), "H2",
                       outline=say("report.outline_headline"), level=0))
    top = max((r.forms for r in summary.roles), default=0) or 1
    bars = [_bar(labels, r.title, r.returned, r.expected, r.rate, r.forms, top)
            for r in summary.roles]
    out.append(figure(charts.bar_rows(bars, theme, theme.frame_width,
                                      caption_width=CAPTION_WIDTH),
                      charts.bars_alt(labels, title, bars)))
    by_group = say("report.by_group")
    out.append(heading(esc(by_group), theme.style("h2"), "H2"))
    top = max((g.forms for g in summary.groups), default=0) or 1
    bars = [_bar(labels, group_name(labels, g.name), g.returned, g.expected, g.rate, g.forms,
                 top) for g in summary.groups]
    for start in range(0, len(bars), 30):
        part = bars[start:start + 30]
        out.append(figure(charts.bar_rows(part, theme, theme.frame_width, color=theme.accent,
                                          caption_width=CAPTION_WIDTH),
                          charts.bars_alt(labels, by_group, part)))
    out.append(Spacer(1, 6))
    out += _roles_table(summary, labels, theme, roster)
    return out


def _bar(labels: Labels, label: str, returned: int | None, expected: int | None,
         rate: float | None, forms: int, top: int) -> charts.Bar:
    """A response-rate bar when the roster expected someone, else a count of forms."""
    if expected:
        return charts.Bar(label, rate or 0.0, labels.text(
            "report.bar_rate", returned=returned, expected=expected,
            rate=labels.percent(rate)))
    caption = labels.text("report.bar_forms", n=forms)
    if expected is not None:  # a roster was given, and nobody here was on it
        return charts.Bar(label, 0.0, labels.text("report.bar_off_roster", forms=caption))
    return charts.Bar(label, forms / top, caption)


def _roles_table(summary: Summary, labels: Labels, theme: Theme, roster: bool
                 ) -> list[Flowable]:
    columns = ("role", "expected", "returned", "rate", "forms_kept", "answers_per_form") \
        if roster else ("role", "forms_kept", "questions", "answers_per_form")
    header = [labels.text(f"report.col_{c}") for c in columns]
    n = labels.number
    rows = []
    for r in summary.roles:
        answered = sum(q.answered for q in r.questions)
        per_form = labels.text("report.answers_per_form",
                               answered=n(answered / r.forms, 1), questions=len(r.questions)) \
            if r.forms else labels.template("format.none")
        rows.append([r.title, _count(labels, r.expected), _count(labels, r.returned),
                     labels.percent(r.rate), n(r.forms), per_form] if roster else
                    [r.title, n(r.forms), n(len(r.questions)), per_form])
    widths = [0.34, 0.12, 0.12, 0.1, 0.14, 0.18] if roster else [0.46, 0.16, 0.16, 0.22]
    return [heading(labels.markup("report.roles_at_a_glance"), theme.style("h2"), "H2"),
            *chunked_table(header, rows, widths, theme, numeric_from=1, header_cols=1)]


def _count(labels: Labels, value: int | None) -> str:
    return labels.template("format.none") if value is None else labels.number(value)


def _completeness(summary: Summary, labels: Labels, theme: Theme, index: _Index
                  ) -> list[Flowable]:
    """Per role, how many kept forms answer every question, some or none: who to follow up
    with before reading what they wrote."""
    say = labels.text
    bars, complete_all, forms_all = [], 0, 0
    for r in summary.roles:
        if not r.forms:
            continue
        full, some, none = index.completeness.get(r.id, (0, 0, 0))
        complete_all, forms_all = complete_all + full, forms_all + r.forms
        parts = [say("report.complete", n=r.forms, complete=full)]
        if some:
            parts.append(say("report.complete_partly", n=some))
        if none:
            parts.append(say("report.complete_blank", n=none))
        bars.append(charts.Bar(r.title, full / r.forms,
                               labels.template("report.complete_separator").join(parts)))
    if not bars:
        return []
    title = say("report.completeness")
    return [KeepTogether([
        heading(esc(title), theme.style("h2"), "H2",
                outline=say("report.outline_completeness"), level=0),
        tagged(labels.markup("report.completeness_note", n=forms_all, complete=complete_all),
               theme.style("small")),
        figure(charts.bar_rows(bars, theme, theme.frame_width,
                               caption_width=charts.caption_width(bars, theme, CAPTION_WIDTH)),
               charts.bars_alt(labels, title, bars))])]


# --- answers, role by role -------------------------------------------------------------

@dataclass
class _QuestionAnswers:
    """Where one question's answers are: (response index, answer index) of every non-blank
    answer cell, and who left it blank (the first names only, past the limit)."""

    responses: array[int] = field(default_factory=lambda: array("q"))
    cells: array[int] = field(default_factory=lambda: array("q"))
    blank: list[str] = field(default_factory=list)
    blank_count: int = 0


@dataclass
class _Index:
    """What the answer pages and the appendix need, found in one pass over the responses
    (which may live on disk): never the answers themselves."""

    questions: dict[tuple[str, str], _QuestionAnswers]
    off_roster: list[list[str]]  # name, email, role, file
    warned: list[list[str]]  # file, warnings
    completeness: dict[str, tuple[int, int, int]]  # role: forms complete, partly, blank


def _index(summary: Summary, limit: int | None) -> _Index:
    questions: dict[tuple[str, str], _QuestionAnswers] = defaultdict(_QuestionAnswers)
    off, warned = [], []
    ids = {r.id: [q.id for q in r.questions] for r in summary.roles}
    complete: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for n, r in enumerate(summary.responses):
        filled: set[str] = set()
        for i, a in enumerate(r.answers):
            if a.reflections.strip() or a.first_steps.strip():
                qa = questions[(r.role, a.question_id)]
                qa.responses.append(n)
                qa.cells.append(i)
                filled.add(a.question_id)
        asked = ids.get(r.role, ())
        answered = sum(1 for qid in asked if qid in filled)
        complete[r.role][0 if answered == len(asked) else 2 if not answered else 1] += 1
        for qid in asked:
            if qid not in filled:
                qa = questions[(r.role, qid)]
                qa.blank_count += 1
                if limit is None or len(qa.blank) < limit:
                    qa.blank.append(r.who)
        if r.on_roster is False:
            off.append([r.name, r.email, r.role, r.source, r.who.casefold()])
        if r.warnings:
            warned.append([r.source, "\n".join(r.warnings)])
    off.sort(key=lambda row: (row.pop(), row[3]))
    return _Index(dict(questions), off, warned,
                  {role: (a, b, c) for role, (a, b, c) in complete.items()})


def spread(count: int, limit: int | None) -> list[int]:
    """`limit` positions spread evenly over range(count) (all of them when they fit)."""
    if limit is None or count <= limit:
        return list(range(count))
    return [k * count // limit for k in range(limit)]


def _role_section(summary: Summary, role: RoleSummary, labels: Labels, theme: Theme,
                  index: _Index, limit: int | None, *, first: bool = False
                  ) -> Iterator[Flowable]:
    say = labels.text
    yield CondPageBreak(200) if first else PageBreak()
    yield heading(esc(role.title), theme.style("h1"), "H1", outline=role.title, level=0)
    lead = [say("report.role_kept", n=role.forms)]
    if role.expected:
        lead.append(say("report.role_returned", n=role.expected, returned=role.returned,
                        rate=labels.percent(role.rate)))
    elif role.expected is not None:
        lead.append(say("report.role_off_roster"))
    yield tagged(esc(" ".join(lead)), theme.style("lead"))
    yield from _role_themes(role, theme, labels)
    # a person's answers to the role's questions, loaded from the spool once: the rows
    # shown for each question are mostly the same people (spread() picks the same places)
    loaded: dict[int, Response] = {}

    def response(n: int) -> Response:
        r = loaded.get(n)
        if r is None:
            r = loaded[n] = summary.responses[n]
        return r

    for q in role.questions:
        qa = index.questions.get((role.id, q.id), _QuestionAnswers())
        shown = spread(len(qa.responses), limit)
        tags = TableTags()  # one table per question: the header and every answer row
        head: list[Flowable] = [
            heading(labels.markup("report.question", number=q.number), theme.style("h2"),
                    "H2", outline=say("report.question_outline", number=q.number,
                                      text=q.text), level=1),
            tagged(esc(q.text), theme.style("h3"), "H3"),
            tagged(labels.markup("report.answered", n=role.forms, answered=q.answered,
                                 reflections=q.reflections, first_steps=q.first_steps),
                   theme.style("small")),
        ]
        if qa.responses:
            head += _question_themes(q.themes, theme, labels)
        blank: list[Flowable] = []
        if qa.blank_count:
            names = name_list(qa.blank, labels)
            if qa.blank_count > len(qa.blank):
                names = labels.join([names, say("report.left_blank_more",
                                                n=qa.blank_count - len(qa.blank))])
            blank = [Spacer(1, 4), Tagged(person_text(  # names: any script
                labels.text("report.left_blank", n=qa.blank_count, names=names),
                theme.style("small")), "P")]
        if not qa.responses:  # no answers: no empty WHO | REFLECTIONS | FIRST STEPS table
            head.append(tagged(labels.markup("report.nobody_answered"), theme.style("small")))
            yield KeepTogether(head + blank)
            continue
        if len(shown) < len(qa.responses):
            head.append(tagged(labels.markup("report.showing", total=len(qa.responses),
                                             shown=len(shown)), theme.style("small")))
        if not shown:  # --pdf-answers 0: the note above says where the answers are
            yield KeepTogether(head + blank)
            continue
        head.append(answerrows.header(theme, labels, tags=tags))
        running = answerrows.Running(role.title, q.number)

        def rows(qa: _QuestionAnswers = qa, shown: list[int] = shown,
                 running: answerrows.Running = running, tags: TableTags = tags
                 ) -> Iterator[Flowable]:
            for n, k in enumerate(shown):
                r = response(qa.responses[k])
                a = r.answers[qa.cells[k]]
                yield answerrows.answer_row(r, a.reflections, a.first_steps, labels, theme,
                                            running, last=n == len(shown) - 1, tags=tags)

        answer_rows = rows()
        first_row = next(answer_rows, None)
        if len(shown) == 1:  # the only row keeps the heading and the blank list with it
            yield KeepTogether([*head, first_row, *blank])
            continue
        yield KeepTogether([*head, first_row])
        for row in answer_rows:
            if row.last and blank:  # the blank list is never stranded atop the next page
                yield KeepTogether([row, *blank])
            else:
                yield row


def _themes_table(themes: Iterable[themelib.Theme], theme: Theme, quotes: int,
                  labels: Labels) -> Flowable:
    """Theme | People | What was said: one row per theme, its quotes with who wrote them."""
    themes = list(themes)
    if not themes:
        return tagged(labels.markup("report.themes_none"), theme.style("small"))
    th, cell = theme.style("th"), theme.style("cell_small")
    rows: list[list[Flowable]] = [[Para(esc(labels.text(h)), th) for h in
                                   ("report.col_theme", "report.col_people", "report.col_said")]]
    for t in themes:
        said = "<br/>".join(f"“{esc(q.text)}” <font color='{theme.muted.hexval()}'>— "
                            f"{esc(q.who)}</font>" for q in t.quotes[:quotes])
        rows.append([Para(f"<b>{esc(t.phrase)}</b>", cell),
                     Para(esc(labels.text("report.themes_people", n=t.count)), cell),
                     Para(said, cell)])
    widths = [theme.frame_width * share for share in (0.27, 0.13, 0.6)]
    table = Table(TableTags().rows(rows, header_rows=1, header_cols=1), colWidths=widths,
                  repeatRows=1, splitInRow=1)
    table.setStyle(table_style(theme, header=True, body=True))
    return table


def _themes_overview(summary: Summary, theme: Theme, labels: Labels) -> list[Flowable]:
    """summary.pdf's themes: per role, the phrases the most people used across its
    questions (answers.pdf has them per question too)."""
    roles = [r for r in summary.roles if r.forms]
    if not roles:
        return []
    out: list[Flowable] = [
        PageBreak(),
        heading(esc(labels.text("report.themes_heading")), theme.style("h1"), "H1",
                outline=labels.text("report.themes_heading"), level=0),
        tagged(labels.markup("report.themes_note"), theme.style("small"))]
    for role in roles:
        out += [CondPageBreak(120),
                heading(esc(role.title), theme.style("h2"), "H2", outline=role.title,
                        level=1),
                _themes_table(role.themes[:ROLE_THEMES], theme, quotes=2, labels=labels),
                Spacer(1, 8)]
    return out


def _role_themes(role: RoleSummary, theme: Theme, labels: Labels) -> list[Flowable]:
    return [heading(esc(labels.text("report.themes_heading")), theme.style("h2"), "H2",
                    outline=labels.text("report.themes_heading"), level=1),
            tagged(labels.markup("report.themes_note"), theme.style("small")),
            _themes_table(role.themes[:ROLE_THEMES], theme, quotes=2, labels=labels)]


def _question_themes(themes: Iterable[themelib.Theme], theme: Theme,
                     labels: Labels) -> list[Flowable]:
    label = theme.style("small").clone("themes_label", spaceAfter=1)
    return [tagged(labels.markup("report.themes_label"), label),
            _themes_table(list(themes)[:QUESTION_THEMES], theme, quotes=1, labels=labels),
            Spacer(1, 6)]


# --- appendix --------------------------------------------------------------------------

def _appendix(summary: Summary, labels: Labels, theme: Theme, index: _Index
              ) -> Iterator[Flowable]:
    say = labels.text
    yield PageBreak()
    appendix = say("report.appendix")
    yield heading(esc(appendix), theme.style("h1"), "H1", outline=appendix, level=0)
    t = summary.totals

    def cols(*names: str) -> list[str]:
        return [say(f"report.col_{name}") for name in names]

    sections: list[tuple[str, list[str], list[list[str]], list[float]]] = [
        (say("report.rejected", n=t.rejected), cols("file", "reason"),
         [[r.file, r.reason] for r in summary.rejected], [0.4, 0.6]),
    ]
    if t.expected is not None:
        sections.append((say("report.not_returned", n=t.missing),
                         cols("name", "role", "group", "email"),
                         [[m.name, m.role, m.group, m.email] for m in summary.missing],
                         [0.27, 0.2, 0.23, 0.3]))
    sections.append((say("report.duplicates", n=t.duplicates),
                     cols("person", "kept", "set_aside", "why"),
                     [[d.person, d.kept, d.dropped, d.reason] for d in summary.duplicates],
                     [0.2, 0.25, 0.25, 0.3]))
    if t.expected is not None:
        sections.append((say("report.off_roster", n=len(index.off_roster)),
                         cols("name", "email", "role", "file"), index.off_roster,
                         [0.24, 0.28, 0.18, 0.3]))
    sections.append((say("report.with_warnings", n=len(index.warned)),
                     cols("file", "warnings"), index.warned, [0.3, 0.7]))
    if summary.ignored:
        sections.append((say("report.ignored", n=len(summary.ignored)), cols("file"),
                         [[name] for name in summary.ignored], [1.0]))
    if summary.roster_problems:
        sections.append((say("report.roster_problems", n=len(summary.roster_problems)),
                         cols("problem"), [[p] for p in summary.roster_problems], [1.0]))
    for title, header, rows, widths in sections:
        yield CondPageBreak(90)  # never a heading alone at the foot of a page
        yield heading(esc(title), theme.style("h2"), "H2", outline=title, level=1)
        if rows:
            yield from chunked_table(header, rows[:APPENDIX_ROWS], widths, theme,
                                     chunk=APPENDIX_ROWS)
            if len(rows) > APPENDIX_ROWS:
                yield Spacer(1, 4)
                yield tagged(labels.markup("report.first_of", n=len(rows),
                                           shown=APPENDIX_ROWS), theme.style("small"))
        else:
            yield tagged(labels.markup("report.none"), theme.style("small"))
