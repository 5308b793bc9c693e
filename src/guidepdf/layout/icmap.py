"""A role's IC map + framework + theme + mode -> the flowables of the landscape IC map section:
title, introduction, then per standard a table of outcomes × levels of practice, with one radio
group and a notes field per outcome (fillable) or tick boxes and a notes line (print)."""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfdoc import PDFArray, PDFString
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from guidepdf import formspec
from guidepdf.content.labels import Labels
from guidepdf.content.model import Framework, ICMap, ICOutcome, Role
from guidepdf.layout.fields import AnswerSpace
from guidepdf.layout.hyphenation import CellParagraph
from guidepdf.layout.sections import para
from guidepdf.layout.table_tags import Span, TableTags
from guidepdf.layout.tagging import Element, Tagged, artifact
from guidepdf.layout.tagging import widget as tag_widget
from guidepdf.layout.text import markup
from guidepdf.layout.theme import Theme

CHOICE_SIZE = 11.0  # side of a radio button or tick box, in points
CHOICE_GAP = 4.0  # between the choice and the level description beside it
NOTES_HEIGHT = 17.0
_RL_RADIO_SIZE = 20.0
_RADIO_FLAGS = "noToggleToOff radio"  # not "required": a row may be left unanswered


def icmap_section(labels: Labels, framework: Framework, role: Role, theme: Theme,
                  fillable: bool, intro: list[Flowable] | None = None) -> list[Flowable]:
    """The map's title and introduction, `intro` (e.g. a respondent block), then one table per
    block. `theme` is the landscape theme: the tables fill its frame width."""
    icmap = role.icmap
    if icmap is None:
        raise ValueError(f"role '{role.id}' has no IC map")
    flow: list[Flowable] = [para(markup(icmap.title), theme.style("h1"), "H1")]
    flow += [para(markup(p), theme.style("body")) for p in icmap.introduction]
    flow += intro or []
    for block in icmap.blocks:
        flow += [Spacer(1, 8), _block_table(labels, framework, role, icmap, block.standard,
                                            block.outcomes, theme, fillable)]
    return flow


def column_widths(icmap: ICMap, theme: Theme, not_assessed: str = "") -> list[float]:
    """Outcome | one column per level | not assessed, filling the frame width; the last
    column as wide as the longest word of its header (`not_assessed`) needs."""
    w = theme.frame_width
    th = theme.style("th")
    longest = max((stringWidth(word, th.fontName, th.fontSize)
                   for word in not_assessed.split()), default=0.0)
    outcome, na = 0.19 * w, min(max(56.0, longest + 11), 0.12 * w)
    level = (w - outcome - na) / len(icmap.levels)
    return [outcome, *([level] * len(icmap.levels)), na]


def _block_table(labels: Labels, framework: Framework, role: Role, icmap: ICMap,
                 standard_id: str, outcomes: tuple[ICOutcome, ...], theme: Theme,
                 fillable: bool) -> Table:
    """Heading row (standard, category) and header row, repeated on every page the block
    spans, then two rows per outcome (levels, notes) that are never split apart."""
    standard = framework.standard(standard_id)
    category = framework.category(standard.category)
    n = len(icmap.levels)
    heading_style = theme.style("h2").clone(f"ic-{standard.id}", spaceBefore=0, spaceAfter=0,
                                            textColor=colors.HexColor(standard.color))
    tags = TableTags()
    caption = tags.caption()  # the block's heading row, repeated on every page it spans
    heading = [Tagged(Paragraph(markup(standard.name), heading_style), Element("H2", caption)),
               Tagged(Paragraph(markup(category.name), theme.style("small").clone(
                   "ic-category", spaceAfter=0)), Element("P", caption))]
    th = theme.style("th")
    rows: list[list[object]] = [
        [heading, *([""] * (n + 1))],
        [Paragraph(labels.markup("icmap.outcome"), th),
         *(Paragraph(markup(label), th) for label in icmap.levels),
         Paragraph(labels.markup("icmap.not_assessed"), th)],
    ]
    cell = theme.style("cell_small").clone("ic-cell", fontSize=8.5, leading=10.5)
    commands: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), theme.fonts.regular),  # not Helvetica (see table_tags)
        ("SPAN", (0, 0), (-1, 0)),
        ("LEFTPADDING", (0, 0), (-1, 0), 0), ("BOTTOMPADDING", (0, 0), (-1, 0), 5),
        ("BACKGROUND", (0, 1), (-1, 1), theme.primary),
        ("BOX", (0, 1), (-1, -1), 0.5, theme.rule),
        ("LINEAFTER", (0, 2), (-2, -1), 0.5, theme.rule),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("TOPPADDING", (0, 1), (-1, -1), 5), ("BOTTOMPADDING", (0, 1), (-1, -1), 5),
        ("LEFTPADDING", (0, 1), (-1, -1), 5), ("RIGHTPADDING", (0, 1), (-1, -1), 5),
    ]
    spans: list[Span] = []
    for outcome in outcomes:
        r = len(rows)
        spans += [((0, r), (0, r + 1)), ((1, r + 1), (-1, r + 1))]
        name = formspec.ic_field(role.id, outcome.id) if fillable else None
        choices: list[object] = []
        for i, (label, text) in enumerate(zip(icmap.levels, outcome.levels, strict=True)):
            choice = Choice(theme, name, formspec.ic_level_value(i),
                            labels.text("icmap.choice", outcome=outcome.outcome, level=label),
                            group_tooltip=outcome.outcome)
            choices.append(ChoiceCell(choice, CellParagraph(markup(text), cell) if text
                                      else None))
        na = Choice(theme, name, formspec.IC_NOT_ASSESSED,
                    labels.text("icmap.choice_not_assessed", outcome=outcome.outcome),
                    group_tooltip=outcome.outcome)
        choices.append(ChoiceCell(na, None, centered=True))
        notes = NotesLine(theme, formspec.ic_notes_field(role.id, outcome.id) if fillable
                          else None, labels.text("icmap.notes_field", outcome=outcome.outcome),
                          labels.text("icmap.notes"))
        rows.append([CellParagraph(markup(outcome.outcome), theme.style("cell")), *choices])
        rows.append(["", notes, *([""] * n)])
        commands += [
            ("SPAN", (0, r), (0, r + 1)), ("SPAN", (1, r + 1), (-1, r + 1)),
            ("NOSPLIT", (0, r), (-1, r + 1)),
            ("LINEABOVE", (0, r), (-1, r), 0.5, theme.rule),
            ("LINEABOVE", (1, r + 1), (-1, r + 1), 0.25, theme.rule),
            ("TOPPADDING", (1, r + 1), (-1, r + 1), 3),
            ("BOTTOMPADDING", (1, r + 1), (-1, r + 1), 3),
        ]
        if fillable:  # a wash behind the notes field; on paper it would hide the ruled line
            commands.append(("BACKGROUND", (1, r + 1), (-1, r + 1), theme.tint))
    rows = tags.rows(rows, first=1, header_rows=1, header_cols=1, spans=spans)
    table = Table(rows, colWidths=column_widths(icmap, theme,
                                                labels.text("icmap.not_assessed")),
                  repeatRows=2)
    table.setStyle(TableStyle(commands))
    return table


class Choice(Flowable):
    """One option of an outcome's choice: a radio button of the group `name` with export value
    `value` (fillable), or an empty tick box (print, `name` None). CHOICE_SIZE square."""

    def __init__(self, theme: Theme, name: str | None, value: str, tooltip: str, *,
                 group_tooltip: str) -> None:
        super().__init__()
        self.theme = theme
        self.name, self.value = name, value
        self.tooltip, self.group_tooltip = tooltip, group_tooltip
        self.width = self.height = CHOICE_SIZE

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return CHOICE_SIZE, CHOICE_SIZE

    def draw(self) -> None:
        c = self.canv
        if self.name is None:
            c.saveState()
            c.setStrokeColor(self.theme.primary)
            c.setLineWidth(0.8)
            with artifact(c):  # a box to tick on paper; the level text says what it means
                c.rect(0.5, 0.5, CHOICE_SIZE - 1, CHOICE_SIZE - 1, stroke=1, fill=0)
            c.restoreState()
            return
        form = c.acroForm
        # reportlab draws circular appearances right only at its native size of 20 (its
        # circleArcStream scales lengths already in points by size/20 again): draw at 20 and
        # shrink the widget's /Rect; viewers map the appearance's /BBox onto the /Rect.
        form.radio(
            name=self.name, value=self.value, selected=False, tooltip=self.group_tooltip,
            x=0, y=0, size=_RL_RADIO_SIZE, relative=True, fieldFlags=_RADIO_FLAGS,
            buttonStyle="circle", shape="circle", borderWidth=1.4,
            borderColor=self.theme.primary, fillColor=colors.white,
            textColor=self.theme.primary, annotationFlags="print",
        )
        ref = form._radios[self.name].kids[-1]
        widget = c._doc.idToObject[ref.name].dict
        x, y = c.absolutePosition(0, 0)
        widget["Rect"] = PDFArray([x, y, x + CHOICE_SIZE, y + CHOICE_SIZE])
        # reportlab gives the group one tooltip (the first call's); each button gets its own
        # /TU naming outcome and level, which pdf.js and screen readers announce per option.
        widget["TU"] = PDFString(self.tooltip)
        tag_widget(c, self.name, self.value)


class ChoiceCell(Flowable):
    """A table cell's content: the choice at the top left and the level description beside it
    (indented past the choice), or the choice alone, centred when `centered`."""

    def __init__(self, choice: Choice, text: Paragraph | None, *, centered: bool = False) -> None:
        super().__init__()
        self.choice, self.text, self.centered = choice, text, centered
        self.width = self.height = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = CHOICE_SIZE
        if self.text is not None:
            _, h = self.text.wrap(avail_width - CHOICE_SIZE - CHOICE_GAP, avail_height)
            self.height = max(h, CHOICE_SIZE)
        return self.width, self.height

    def draw(self) -> None:
        x = (self.width - CHOICE_SIZE) / 2 if self.centered else 0.0
        # the choice's top is level with the top of the first line of text
        self.choice.drawOn(self.canv, x, self.height - CHOICE_SIZE)
        if self.text is not None:
            self.text.drawOn(self.canv, CHOICE_SIZE + CHOICE_GAP,
                             self.height - self.text.height)


class NotesLine(Flowable):
    """'Notes' and a one-line write-in space: a text field (fillable) or a ruled line (print)."""

    def __init__(self, theme: Theme, name: str | None, tooltip: str, label: str) -> None:
        super().__init__()
        self.theme, self.label = theme, label
        self.space = AnswerSpace(theme, NOTES_HEIGHT, name=name, tooltip=tooltip,
                                 multiline=False)
        self.width, self.height = 0.0, NOTES_HEIGHT
        self.label_width = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.label_width = stringWidth(self.label, self.theme.fonts.bold, 8) + 6
        self.space.wrap(avail_width - self.label_width, NOTES_HEIGHT)
        return avail_width, NOTES_HEIGHT

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setFont(self.theme.fonts.bold, 8)
        c.setFillColor(self.theme.muted)
        c.drawString(0, 5, self.label)
        c.restoreState()
        self.space.drawOn(c, self.label_width, 0)
