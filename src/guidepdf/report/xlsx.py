"""Summary -> responses.xlsx, streamed with XlsxWriter (constant memory): a sheet per role, a
status sheet, an IC sheet when IC maps came back, a themes sheet when any were found. Rows
are as tall as their text, the font is one every office suite has (Arial, or its metric twin
Liberation Sans), and each sheet prints landscape, one page wide, with its header row
repeated on every page."""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections.abc import Sequence
from datetime import datetime
from typing import Any, BinaryIO

from xlsxwriter import Workbook
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from guidepdf.content.labels import Labels, fill, shipped_labels
from guidepdf.report import tables
from guidepdf.report.model import Summary

FONT = "Arial"  # Excel, LibreOffice (as Liberation Sans, same metrics), Numbers, Sheets
FONT_SIZE = 10
LINE_HEIGHT = 12.75  # points per line of Arial 10, as Excel and LibreOffice lay it out
MAX_ROW_HEIGHT = 409.0  # the tallest row Excel allows
CHARS_PER_WIDTH = 1.15  # characters of prose per unit of column width (a '0' is wider)
PAPER = {"letter": 1, "a4": 9}  # XlsxWriter's paper codes
_FIXED_TIME = datetime(2000, 1, 1)  # workbook properties: same input, same bytes
# Characters XML 1.0 cannot carry (openpyxl's ILLEGAL_CHARACTERS_RE, which we used before),
# and the noncharacters U+FFFE/U+FFFF and lone surrogates, which are not text at all (an
# office suite shows them as '_xFFFE_' at best)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

ROLE_WIDTHS = (20, 24, 18, 9, 8, 9, 9, 34, 52, 52, 20)
STATUS_WIDTHS = (15, 22, 26, 16, 20, 9, 30, 50)
IC_WIDTHS = (16, 20, 18, 8, 44, 6, 18, 40, 22)
THEMES_WIDTHS = (16, 7, 34, 6, 22, 6, 7, 40, 16, 40, 16, 40)


def xlsx_text(text: str) -> str:
    """What a cell can hold: no XML-illegal control characters, at most 32,767 chars."""
    text = _ILLEGAL.sub("\ufffd", text)
    if len(text) > tables.EXCEL_CELL_LIMIT:
        text = text[:tables.EXCEL_CELL_LIMIT - len(tables.TRUNCATED)] + tables.TRUNCATED
    return text


def row_height(values: Sequence[str | int | None], widths: Sequence[float]) -> float | None:
    """The height in points that shows every line of the row's wrapped text (None: one line,
    the default). Lines are counted per paragraph from the column's width."""
    lines = 1
    for value, width in zip(values, widths, strict=False):
        if not isinstance(value, str) or not value:
            continue
        per_line = max(1, int(width * CHARS_PER_WIDTH))
        if len(value) <= per_line and "\n" not in value:
            continue
        cell = sum(max(1, math.ceil(len(part) / per_line)) for part in value.split("\n"))
        lines = max(lines, cell)
    if lines == 1:
        return None
    return min(MAX_ROW_HEIGHT, round(lines * LINE_HEIGHT + 2.25, 2))


class _Sheet:
    """One worksheet written row by row: frozen, coloured header; wrapped text; page setup.
    The workbook must be in constant-memory mode: the body rows are written by _RowXml."""

    def __init__(self, wb: Workbook, title: str, header: Sequence[str],
                 widths: Sequence[float], formats: dict[str, Any], paper: str,
                 footer: str) -> None:
        self.ws: Worksheet = wb.add_worksheet(title)
        if not self.ws.constant_memory:
            raise ValueError("report.xlsx writes rows into XlsxWriter's constant-memory "
                             "row file: make the Workbook with constant_memory")
        self.widths = widths
        self.body = formats["body"]
        self.row_number = 0
        ws = self.ws
        ws.freeze_panes(1, 0)
        for i, width in enumerate(widths):
            ws.set_column(i, i, width)
        ws.set_landscape()
        ws.set_paper(PAPER.get(paper, 1))
        ws.fit_to_pages(1, 0)  # one page wide, as many tall as it takes
        ws.repeat_rows(0)  # the header row on every printed page
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_footer(f"&L{_header_text(title)}&R{footer}")
        ws.set_row(0, row_height(header, widths))
        for col, text in enumerate(header):
            ws.write_string(0, col, text, formats["header"])
        self.row_number = 1
        self.rows = _RowXml(ws, self.body, widths)

    def row(self, values: Sequence[str | int | None]) -> None:
        self.rows.row(self.row_number, values)
        self.row_number += 1


_CONTROL_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")  # Excel's escape, itself escaped


class _RowXml:
    """Body rows written as sheet XML straight into XlsxWriter's row file, in constant-memory
    mode: the same bytes its write_string / write_number / write_blank and set_row make for
    the cells xlsx_text cleans and row_height measures (tests/report/test_xlsx_rows.py
    compares them), in a tenth of the time — XlsxWriter spends ~25 us a cell in generic
    dispatch, attribute lists and regular expressions, which was 70% of responses.xlsx.
    Texts repeat down a column (the question beside every answer, a school, a status), so
    each column remembers its last CACHED texts' XML and line count. One difference, on
    purpose: a text that looks like XlsxWriter's rich-string XML ("<r>…</r>") is escaped
    like any other, where XlsxWriter writes it into the file as XML. Uses XlsxWriter's
    private row file, dimensions and row counter, which that test pins."""

    CACHED = 256  # texts remembered per column
    LONGEST_CACHED = 1000  # characters: longer texts are people's answers, seen once

    def __init__(self, ws: Worksheet, body: Any, widths: Sequence[float]) -> None:
        self.ws, self.body = ws, body
        # characters per line of each column; past the last width a text is one line
        self.per_line = [max(1, int(width * CHARS_PER_WIDTH)) for width in widths]
        self.style = ""
        self.flushed = False
        self.columns: list[str] = []  # how each column's cells open: '<c r="A' …
        self.texts: list[dict[str, tuple[str, int]]] = []

    def _columns(self, n: int) -> list[str]:
        """How the first `n` columns' cells open ('<c r="A', '<c r="B', … '<c r="AA', …),
        made once, and their caches."""
        while len(self.columns) < n:
            self.columns.append('<c r="' + xl_col_to_name(len(self.columns)))
            self.texts.append({})
        return self.columns

    def _text(self, col: int, value: str) -> tuple[str, int]:
        """A non-empty text's cell XML after its reference and style, and the lines it takes
        in column `col` (as row_height counts them), for a text not in the column's cache
        (row() looks there first); kept there unless it is long."""
        texts = self.texts[col]
        text = xlsx_text(value)
        lines = 1
        if col < len(self.per_line):
            per_line = self.per_line[col]
            if len(text) > per_line or "\n" in text:
                lines = sum(max(1, math.ceil(len(part) / per_line))
                            for part in text.split("\n"))
        made = (f' t="inlineStr"><is>{_inline(text)}</is></c>', lines)
        if len(value) <= self.LONGEST_CACHED:
            if len(texts) >= self.CACHED:
                del texts[next(iter(texts))]  # the oldest
            texts[value] = made
        return made

    def row(self, r: int, values: Sequence[str | int | float | None]) -> None:
        ws = self.ws
        if not self.flushed:  # rows XlsxWriter holds (the header) go out first
            ws._write_single_row(r)
            self.flushed = True
            # a format's number is given on first use: after the header's, as XlsxWriter
            if self.body is not None:
                self.style = f' s="{self.body._get_xf_index()}"'
        if not values:
            ws.previous_row = r
            return
        number = r + 1
        after = f'{number}"{self.style}'  # a cell's reference after its column, and style
        cells: list[str] = []
        lines = 1
        opens = self._columns(len(values))
        texts = self.texts
        for col, value in enumerate(values):
            if isinstance(value, str) and value:  # people's text is never a formula
                made = texts[col].get(value)
                tail, cell_lines = made if made is not None else self._text(col, value)
                cells.append(opens[col] + after + tail)
                if cell_lines > lines:
                    lines = cell_lines
            elif value is not None and not isinstance(value, str):
                cells.append(f"{opens[col]}{after}><v>{value:.16G}</v></c>")
            else:
                cells.append(opens[col] + after + "/>")
        head = f'<row r="{number}"'
        if lines > 1:
            height = min(MAX_ROW_HEIGHT, round(lines * LINE_HEIGHT + 2.25, 2))
            pixels = int(height * 4.0 / 3.0 + 0.5)  # as set_row keeps it
            if pixels != ws.original_row_height or pixels != ws.default_row_height:
                head += f' ht="{pixels * 0.75:.16g}" customHeight="1"'
        ws.row_data_fh.write(f'{head}>{"".join(cells)}</row>')
        ws.previous_row = r
        # the sheet's <dimension>, as XlsxWriter tracks it
        if ws.dim_rowmin is None or r < ws.dim_rowmin:
            ws.dim_rowmin = r
        if ws.dim_rowmax is None or r > ws.dim_rowmax:
            ws.dim_rowmax = r
        if ws.dim_colmin is None or ws.dim_colmin > 0:
            ws.dim_colmin = 0
        if ws.dim_colmax is None or len(values) - 1 > ws.dim_colmax:
            ws.dim_colmax = len(values) - 1


def _inline(text: str) -> str:
    """A text as the <t> of an inline string, escaped as XlsxWriter escapes it."""
    if "_x" in text:
        text = _CONTROL_ESCAPE.sub(r"_x005F\1", text)
    if "\r" in text:  # the only control character xlsx_text leaves but tab and newline
        text = text.replace("\r", "_x000D_")
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if text[0].isspace() or text[-1].isspace():  # XlsxWriter's r"^\s" or r"\s$"
        return f'<t xml:space="preserve">{text}</t>'
    return f"<t>{text}</t>"


def _header_text(text: str) -> str:
    """Text for a printed header or footer: '&' starts a code there."""
    return text.replace("&", "&&")


def footer_text(labels: Labels) -> str:
    """The printed footer's right part, "Page &P of &N" in the edition's words."""
    return fill(labels.template("xlsx.footer"), {"page": "&P", "pages": "&N"},
                literal=_header_text)


def write_responses_xlsx(summary: Summary, target: BinaryIO, header_fill: str = "1F3F6B",
                         paper: str = "letter", labels: Labels | None = None) -> None:
    """The workbook into `target`. XlsxWriter's constant-memory mode keeps one row per sheet
    in memory and each sheet in a temporary file, so a workbook of every answer of tens of
    thousands of forms is never in memory. One pass over the responses fills every sheet."""
    with tempfile.TemporaryDirectory(prefix=".guidepdf-xlsx-") as tmp:
        made = os.path.join(tmp, "responses.xlsx")
        wb = Workbook(made, {
            "constant_memory": True, "tmpdir": tmp,
            "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_format_properties": {"font_name": FONT, "font_size": FONT_SIZE},
        })
        wb.set_properties({"author": summary.generator, "created": _FIXED_TIME})
        formats = {
            "header": wb.add_format({"bold": True, "font_color": "#FFFFFF",
                                     "bg_color": "#" + header_fill.lstrip("#"),
                                     "text_wrap": True, "valign": "top",
                                     "font_name": FONT, "font_size": FONT_SIZE}),
            "body": wb.add_format({"text_wrap": True, "valign": "top", "font_name": FONT,
                                   "font_size": FONT_SIZE}),
        }
        labels = labels if labels is not None else shipped_labels()
        footer = footer_text(labels)
        status_title = tables.sheet_title(labels.text("xlsx.sheet_status"), set())
        ic_title = tables.sheet_title(labels.text("xlsx.sheet_ic"), {status_title.casefold()})
        taken = {status_title.casefold(), ic_title.casefold()}
        themes_title = tables.sheet_title(labels.text("xlsx.sheet_themes"), taken)
        sheets = {role.id: _Sheet(wb, tables.sheet_title(role.title, taken),
                                  tables.headers(labels, tables.SHEET_COLUMNS), ROLE_WIDTHS,
                                  formats, paper, footer)
                  for role in summary.roles}
        status = _Sheet(wb, status_title, tables.headers(labels, tables.STATUS_COLUMNS),
                        STATUS_WIDTHS, formats, paper, footer)
        ic = _Sheet(wb, ic_title, tables.headers(labels, tables.IC_COLUMNS), IC_WIDTHS,
                    formats, paper, footer) if summary.ic else None
        has_themes = any(r.themes or any(q.themes for q in r.questions)
                         for r in summary.roles)
        themes = _Sheet(wb, themes_title, tables.headers(labels, tables.THEMES_COLUMNS),
                        THEMES_WIDTHS, formats, paper, footer) if has_themes else None
        who: list[str] = []  # every response's name, for the themes sheet
        questions = {(r.id, q.id): q for r in summary.roles for q in r.questions}
        ic_rows = tables.ICRows(summary, labels)
        watch = tables.KeptDetails(summary)
        for resp in summary.responses:
            watch.see(resp)
            if themes is not None:
                who.append(resp.who)
            sheet = sheets.get(resp.role)
            if sheet is not None:
                for row in tables.answer_rows(resp, questions, labels):
                    sheet.row(row)
            status.row(tables.response_status_row(resp, labels))
            if ic is not None:
                for row in ic_rows.sheet(resp):
                    ic.row(row)
        for row in tables.status_rows_after_responses(summary, watch.details, labels):
            status.row(row)
        if themes is not None:
            for row in tables.theme_rows(summary, who, labels):
                themes.row(row)
        wb.close()
        with open(made, "rb") as handle:
            while chunk := handle.read(1 << 20):
                target.write(chunk)
