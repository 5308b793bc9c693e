"""People's answers to one question + theme -> WHO | REFLECTIONS | FIRST STEPS rows for the
summary PDF. Each row, as it is drawn, tells the document which question runs on, so a page
that continues a question starts with the column headings; an answer split across pages
names its author again where it continues."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Table
from reportlab.platypus.tables import CellStyle

from guidepdf.content.labels import Labels
from guidepdf.layout.peopletext import draw_text, fit_text, plain
from guidepdf.layout.table_tags import TableTags
from guidepdf.layout.tagging import artifact
from guidepdf.layout.theme import Theme
from guidepdf.report.model import Response
from guidepdf.report.pdfparts import (
    CLIPPED,
    Para,
    answer_text,
    clip,
    esc,
    person_text,
    table_style,
)
from guidepdf.report.textcell import Run, TextCell, usable

WHO_SHARE, ANSWER_SHARE = 0.22, 0.39
PADDING = 5.0  # the cell padding of pdfparts.table_style


@dataclass(frozen=True)
class Running:
    """The question a page continues."""

    role: str
    number: int


def widths(theme: Theme) -> list[float]:
    w = theme.frame_width
    return [w * WHO_SHARE, w * ANSWER_SHARE, w * ANSWER_SHARE]


def header(theme: Theme, labels: Labels, running: Running | None = None, *,
           tags: TableTags | None = None) -> Flowable:
    """The column headings (the first row of the question's table `tags`); for a continued
    page, with the role and question above, the whole repeated as a pagination artifact."""
    th = theme.style("th")
    rows: list[list[Flowable | str]] = [[Paragraph(labels.markup(key), th) for key in (
        "report.col_who", "guide.column_reflections", "guide.column_first_steps")]]
    if running is not None:
        note = theme.style("small").clone("running", spaceAfter=0)
        rows.insert(0, [Paragraph(labels.markup("report.continued_header", role=running.role,
                                                number=running.number), note), "", ""])
    if tags is not None:
        rows = tags.rows(rows, header_rows=1)
    table = Table(rows, colWidths=widths(theme))
    style = table_style(theme, header=False, body=False)
    first = 1 if running is not None else 0
    style.add("BACKGROUND", (0, first), (-1, first), theme.primary)
    if running is not None:
        style.add("SPAN", (0, 0), (-1, 0))
        style.add("LEFTPADDING", (0, 0), (-1, 0), 0)
        style.add("TOPPADDING", (0, 0), (-1, 0), 0)
    table.setStyle(style)
    return Repeated(table) if running is not None else table


class Repeated(Flowable):
    """A flowable repeated at the top of a continued page: drawn as a pagination artifact."""

    def __init__(self, flowable: Flowable) -> None:
        super().__init__()
        self.flowable = flowable

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = self.flowable.wrapOn(self.canv, avail_width, avail_height)
        return self.width, self.height

    def draw(self) -> None:
        with artifact(self.canv, "Pagination"):
            self.flowable.drawOn(self.canv, 0, 0)


class AnswerRow(Flowable):
    """One person's answer as a one-row table that may split across pages; the parts after
    the first name the person again in their WHO cell.

    A whole row lays itself out and draws itself as reportlab's Table does a one-row table
    of these cells in table_style (the same heights, the same drawing operators, in the same
    order; tests/report/test_answerrows.py holds the two side by side), without the Table:
    building, styling and laying out a Table per answer was most of the answers PDF's time.
    Only a row that must split across pages becomes a Table, whose in-row split makes the
    parts."""

    def __init__(self, cells: list[Flowable | list[Flowable]], running: Running, *,
                 last: bool, who: str, theme: Theme, labels: Labels,
                 table: Table | None = None) -> None:
        super().__init__()
        self.cells, self.running, self.last, self.who = cells, running, last, who
        self.theme, self.labels = theme, labels
        self.table = table  # a part of a split row is a Table
        self.continues = False  # True for every part of a split row but the final one
        self.continued = False  # True for every part of a split row but the first one
        self._geometry: list[tuple[list[Flowable], list[float]]] | None = None

    def as_table(self) -> Table:
        """The row as the platypus Table it stands for."""
        if self.table is None:
            table = Table([self.cells], colWidths=widths(self.theme), splitInRow=1)
            table.setStyle(table_style(self.theme, header=False, body=True))
            return table
        return self.table

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self.table is not None:
            self.width, self.height = self.table.wrap(avail_width, avail_height)
            return self.width, self.height
        # Table._calc_height for one row of flowable cells, each wrapped in its width less
        # the padding and the height Table gives every cell (72000 less the padding)
        cols = widths(self.theme)
        geometry: list[tuple[list[Flowable], list[float]]] = []
        height = 0.0
        for cell, width in zip(self.cells, cols, strict=True):
            flowables = [cell] if isinstance(cell, Flowable) else list(cell)
            heights: list[float] = []
            total, first, after = 0.0, None, 0.0
            for f in flowables:
                _, h = f.wrapOn(self.canv, width - 2 * PADDING, 72000 - 2 * PADDING)
                before, after = f.getSpaceBefore(), f.getSpaceAfter()
                heights.append(h)
                total += h + after + before
                if first is None:
                    first = before
            cell_height = (total - first - after if flowables else 0.0) + 2 * PADDING
            geometry.append((flowables, heights))
            height = max(height, cell_height)
        self._geometry = geometry
        width = 0.0
        for w in cols:  # summed as Table sums its column positions
            width = width + w
        self.width, self.height = width, height
        return width, height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        table = self.as_table()
        parts = table.split(avail_width, avail_height)
        if len(parts) > 1 and not any(parts[-1]._cellvalues[0]):
            # every line fitted but the padding below them: the part after the break would
            # be an empty box named "(continued)". Break higher, so that it holds text, or
            # not here at all (a row of one line moves to the next page whole)
            _, tail = parts[-1].wrap(avail_width, avail_height)
            higher = table.split(avail_width, avail_height - tail)
            if not higher or any(higher[-1]._cellvalues[0]):
                parts = higher
        rows: list[Flowable] = []
        for i, part in enumerate(parts):
            row = AnswerRow(self.cells, self.running, last=self.last and i == len(parts) - 1,
                            who=self.who, theme=self.theme, labels=self.labels, table=part)
            row.continues = i < len(parts) - 1
            row.continued = self.continued or i > 0
            rows.append(row)
        return rows

    def draw(self) -> None:
        if self.table is not None:
            self.table.drawOn(self.canv, 0, 0)
        else:
            self._draw_row()
        if self.continued:  # the WHO cell of a continuation is empty: name the person
            font, size, leading = self.theme.fonts.italic, 8.0, 10.0
            room = self.theme.frame_width * WHO_SHARE - 2 * PADDING
            self.canv.setFillColor(self.theme.muted)
            top = self.height - PADDING - size
            lines = [fit_text(self.who, font, size, room), self.labels.text("report.continued")]
            if self.height < 2 * PADDING + leading + size:  # room for one line only
                lines = [fit_text(self.labels.text("report.who_continued", who=self.who), font,
                                  size, room)]
            with artifact(self.canv, "Pagination"):  # a repetition, not new content
                for n, line in enumerate(lines):
                    draw_text(self.canv, PADDING, top - n * leading, line, font, size)
        doc = getattr(self.canv, "_doctemplate", None)
        if doc is not None:
            doc.running = None if self.last and not self.continues else self.running

    def _draw_row(self) -> None:
        """What Table.drawOn(canv, 0, 0) draws for this row: the cells top-aligned in their
        padding (the cell font set once, before the first), then table_style's rules (below
        the row, before the first column, after the last) with round caps and joins."""
        if self._geometry is None:
            self.wrap(self.theme.frame_width, 72000)
        assert self._geometry is not None
        canv, theme, height = self.canv, self.theme, self.height
        canv.saveState()  # Flowable.drawOn
        canv.translate(0, 0)
        canv.saveState()  # Table.draw
        canv.setFillColor(_CELL.color)
        canv.setFont(theme.fonts.regular, _CELL.fontsize, _CELL.leading)
        x0 = 0.0
        for (flowables, heights), width in zip(self._geometry, widths(theme), strict=True):
            y = height - PADDING
            if flowables:
                y += flowables[0].getSpaceBefore()
            for f, h in zip(flowables, heights, strict=True):
                y -= f.getSpaceBefore()
                y -= h
                f.drawOn(canv, x0 + PADDING, y)
                y -= f.getSpaceAfter()
            x0 = x0 + width
        canv.saveState()  # Table._drawLines
        canv.setLineCap(1)
        canv.setLineJoin(1)
        canv.setStrokeColor(theme.rule)
        canv.setLineWidth(0.5)
        canv.line(0, 0, self.width, 0)  # LINEBELOW
        canv.line(0, 0, 0, height)  # LINEBEFORE the first column
        canv.line(self.width, 0, self.width, height)  # LINEAFTER the last
        canv.restoreState()
        canv.restoreState()
        canv.restoreState()


_CELL = CellStyle("cell")  # what a Table's cells are drawn with but for the FONT command


def answer_row(r: Response, reflections: str, first_steps: str, labels: Labels,
               theme: Theme, running: Running, *, last: bool,
               tags: TableTags | None = None) -> AnswerRow:
    cell = theme.style("cell")
    rows: list[list[Flowable | list[Flowable]]] = [[
        who_cell(r, labels, theme), answer_cell(reflections, cell, theme),
        answer_cell(first_steps, cell, theme)]]
    if tags is not None:
        rows = tags.rows(rows, header_cols=1)  # a row of the question's table; WHO heads it
    return AnswerRow(rows[0], running, last=last, who=r.who, theme=theme, labels=labels)


def who_cell(r: Response, labels: Labels, theme: Theme) -> Flowable | list[Flowable]:
    """The person's name (bold), group (muted) and, when they are not on the roster, a note
    saying so (accent), each starting a line."""
    small = theme.style("cell_small")
    name = clip(r.who, 300, 3)[0]
    if plain(f"{r.who} {r.group}", small.fontName) and plain(r.who, theme.fonts.bold):
        runs = [Run(name, theme.fonts.bold, small.textColor)]
        if r.group:
            runs.append(Run(r.group, small.fontName, theme.muted))
        if r.on_roster is False:
            runs.append(Run(labels.text("report.not_on_roster"), small.fontName, theme.accent))
        if all(usable(run.text) for run in runs):
            return TextCell(runs, small, lambda: _who_para(r, labels, theme))
        return _who_para(r, labels, theme)
    # a name or group in another script: each drawn by layout.peopletext
    cell: list[Flowable] = [person_text(r.who, small.clone("who", fontName=theme.fonts.bold))]
    if r.group:
        cell.append(person_text(r.group, small.clone("group", textColor=theme.muted)))
    if r.on_roster is False:
        cell.append(Para(_not_on_roster(labels, theme), small))
    return cell


def _who_para(r: Response, labels: Labels, theme: Theme) -> Para:
    who = f"<b>{esc(clip(r.who, 300, 3)[0])}</b>"
    if r.group:
        who += f"<br/><font color='{theme.muted.hexval()}'>{esc(r.group)}</font>"
    if r.on_roster is False:
        who += f"<br/>{_not_on_roster(labels, theme)}"
    return Para(who, theme.style("cell_small"))


def _not_on_roster(labels: Labels, theme: Theme) -> str:
    return (f"<font color='{theme.accent.hexval()}'>"
            f"{labels.markup('report.not_on_roster')}</font>")


def answer_cell(text: str, style: ParagraphStyle, theme: Theme) -> Flowable:
    """An answer cell as pdfparts.answer_text makes it (line breaks kept, a dash when blank,
    clipped past pdfparts.PRINT_CHARS / PRINT_LINES with a note), laid out as a TextCell
    when the style's font draws the text as it is."""
    made = answer_runs(text, style, theme)
    if made is None:
        return answer_text(text, style, theme)
    return TextCell(made, style, lambda: answer_text(text, style, theme))


def answer_runs(text: str, style: ParagraphStyle, theme: Theme) -> list[Run] | None:
    """An answer's lines as runs; None when a TextCell would not show it as answer_text
    does (another script, unusual whitespace)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return [Run("—", style.fontName, theme.muted)]
    if not plain(text, style.fontName) or not usable(text):
        return None
    shown, more = clip(text)
    runs = [Run(line, style.fontName, style.textColor) for line in shown.split("\n")]
    if len(runs) > 1 and not runs[-1].text.strip():
        runs.pop()  # Paragraph makes no line of what follows the last line break
    if more:
        runs.append(Run(CLIPPED.format(more=more), theme.fonts.italic, theme.muted))
    return runs
