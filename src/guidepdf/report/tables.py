"""Summary -> responses.csv and rejected.csv (UTF-8 with BOM, cells escaped against formula
injection, line breaks kept inside quoted cells) and responses.xlsx (openpyxl: a sheet per
role, a status sheet, an IC sheet when IC maps came back). Bytes, or a stream written
piece by piece; no files named here."""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from copy import copy
from datetime import datetime
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from guidepdf.report.model import Response, Summary

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EXCEL_CELL_LIMIT = 32767
TRUNCATED = " … [truncated: the full text is in summary.json]"
RESPONSE_HEADER = ("Role", "Name", "Email", "School or team", "Roster id", "On roster",
                   "Question no.", "Question id", "Question", "Reflections", "First steps",
                   "File", "Matched by", "Came from", "Sender", "Message date", "Subject")
REJECTED_HEADER = ("File", "Reason")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_FIXED_TIME = datetime(2000, 1, 1)  # workbook properties: same input, same bytes
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def escape_cell(text: str) -> str:
    """Text a spreadsheet will show as text: a leading =, +, -, @, tab or CR gets a '."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _how(resp: Response) -> tuple[str, str, str, str, str]:
    """How a response was matched and where it came from: the last five columns."""
    o = resp.origin
    return (resp.matched_by or "", resp.came_from, o.sender if o else "",
            o.date if o else "", o.subject if o else "")


def response_rows(summary: Summary) -> Iterator[tuple[str, ...]]:
    """One row per kept response × question, in the summary's order, unescaped."""
    questions = {(r.id, q.id): q for r in summary.roles for q in r.questions}
    titles = {r.id: r.title for r in summary.roles}
    for resp in summary.responses:
        for a in resp.answers:
            q = questions.get((resp.role, a.question_id))
            yield (titles.get(resp.role, resp.role), resp.name, resp.email, resp.group,
                   resp.roster_id or "", _yes_no(resp.on_roster),
                   str(q.number) if q else "", a.question_id, q.text if q else "",
                   a.reflections, a.first_steps, resp.source, *_how(resp))


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[str]],
               batch: int = 500) -> Iterator[bytes]:
    """The CSV file as UTF-8 pieces (BOM first), `batch` rows at a time."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    buffer.write(BOM)
    writer.writerow(header)
    for n, row in enumerate(rows, start=1):
        writer.writerow([escape_cell(c) for c in row])
        if n % batch == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def responses_csv_chunks(summary: Summary) -> Iterator[bytes]:
    return csv_chunks(RESPONSE_HEADER, response_rows(summary))


def responses_csv(summary: Summary) -> bytes:
    return b"".join(responses_csv_chunks(summary))


def rejected_csv(summary: Summary) -> bytes:
    return b"".join(csv_chunks(REJECTED_HEADER, ((r.file, r.reason)
                                                 for r in summary.rejected)))


# --- XLSX ------------------------------------------------------------------------------

def xlsx_text(text: str) -> str:
    """What a cell can hold: no XML-illegal control characters, at most 32,767 chars."""
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[:EXCEL_CELL_LIMIT - len(TRUNCATED)] + TRUNCATED
    return text


class _Sheet:
    def __init__(self, wb: Workbook, title: str, header: Sequence[str],
                 widths: Sequence[float], header_fill: str) -> None:
        self.ws: WriteOnlyWorksheet = wb.create_sheet(title)
        self.ws.freeze_panes = "A2"
        for i, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = width
        self.wrap = Alignment(wrap_text=True, vertical="top")
        fill = PatternFill("solid", fgColor=header_fill)
        bold = Font(bold=True, color="FFFFFF")
        cells = []
        for text in header:
            cell = WriteOnlyCell(self.ws, value=text)
            cell.font, cell.fill, cell.alignment = bold, fill, self.wrap
            cells.append(cell)
        self.ws.append(cells)

        # Setting `alignment` looks the style up by hash on every cell (most of the time
        # of a large workbook); every body cell has the same style, so it is worked out
        # once and copied — as openpyxl's own WorksheetCopy copies styles.
        proto = WriteOnlyCell(self.ws)
        proto.alignment = self.wrap
        self.body_style = proto._style

    def row(self, values: Iterable[str | int | None]) -> None:
        cells = []
        for value in values:
            cell = WriteOnlyCell(self.ws, value=xlsx_text(value) if isinstance(value, str)
                                 else value)
            if isinstance(value, str):
                cell.data_type = "s"  # text from people is never a formula
            cell._style = copy(self.body_style)
            cells.append(cell)
        self.ws.append(cells)


def sheet_title(text: str, taken: set[str]) -> str:
    """An Excel sheet name: no []:*?/\\, at most 31 characters, unique (case-insensitive)."""
    base = _SHEET_BAD.sub("-", text).strip("' ")[:31] or "Sheet"
    title, n = base, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def responses_xlsx(summary: Summary, header_fill: str = "1F3F6B") -> bytes:
    """The workbook as bytes, deterministic (fixed timestamps)."""
    out = io.BytesIO()
    write_responses_xlsx(summary, out, header_fill)
    return out.getvalue()


def write_responses_xlsx(summary: Summary, target: BinaryIO,
                         header_fill: str = "1F3F6B") -> None:
    """The workbook into `target`, streamed: openpyxl writes each sheet to a temporary
    file as rows come, and the zip is then copied entry by entry with fixed times, so a
    workbook of every answer of thousands of forms is never in memory."""
    wb = Workbook(write_only=True)
    wb.properties.creator = summary.generator
    wb.properties.created = wb.properties.modified = _FIXED_TIME
    taken = {"status", "ic maps"}
    header = RESPONSE_HEADER[1:]
    widths = (22, 26, 20, 10, 8, 8, 8, 40, 60, 60, 24, 14, 10, 26, 20, 30)
    for role in summary.roles:
        sheet = _Sheet(wb, sheet_title(role.title, taken), header, widths, header_fill)
        for row in response_rows_for(summary, role.id):
            sheet.row(row)
    _status_sheet(wb, summary, header_fill)
    if summary.ic:
        _ic_sheet(wb, summary, header_fill)
    with tempfile.TemporaryFile() as made:
        wb.save(made)
        made.seek(0)
        _copy_with_fixed_times(made, target)


def response_rows_for(summary: Summary, role_id: str) -> Iterator[list[str | int | None]]:
    questions = {q.id: q for r in summary.roles if r.id == role_id for q in r.questions}
    for resp in summary.responses:
        if resp.role != role_id:
            continue
        for a in resp.answers:
            q = questions.get(a.question_id)
            yield [resp.name, resp.email, resp.group, resp.roster_id or "",
                   _yes_no(resp.on_roster), q.number if q else None, a.question_id,
                   q.text if q else "", a.reflections, a.first_steps, resp.source,
                   *_how(resp)]


STATUS_HEADER = ("Status", "Name", "Email", "Role", "School or team", "Roster id", "File",
                 "Note")


def status_rows(summary: Summary) -> Iterator[tuple[str, ...]]:
    """Everyone and everything: returned, not on roster, not yet returned, duplicate,
    rejected, ignored — with the file and a note."""
    kept_of_duplicates = {d.kept for d in summary.duplicates}
    by_source: dict[str, tuple[str, str, str]] = {}  # kept file -> email, role, group
    for r in summary.responses:
        status = "not on roster" if r.on_roster is False else "returned"
        yield (status, r.name, r.email, r.role, r.group, r.roster_id or "", r.source,
               "; ".join(r.warnings))
        if r.source in kept_of_duplicates:
            by_source[r.source] = (r.email, r.role, r.group)
    for m in summary.missing:
        yield ("not yet returned", m.name, m.email, m.role, m.group, m.id, "", "")
    for d in summary.duplicates:
        email, role, group = by_source.get(d.kept, ("", "", ""))
        yield ("duplicate", d.person, email, role, group, d.roster_id or "", d.dropped,
               f"{d.reason}; kept {d.kept}")
    for rej in summary.rejected:
        yield ("rejected", "", "", "", "", "", rej.file, rej.reason)
    for name in summary.ignored:
        yield ("ignored", "", "", "", "", "", name, "not a PDF")
    for n in summary.without_attachment:
        yield ("reply without an attachment", n.sender_name, n.sender, "", "",
               n.roster_id or "", n.source, f"{n.date} {n.subject}".strip())


def _status_sheet(wb: Workbook, summary: Summary, fill: str) -> None:
    sheet = _Sheet(wb, "status", STATUS_HEADER, (16, 24, 28, 18, 22, 10, 36, 60), fill)
    for row in status_rows(summary):
        sheet.row(row)


def _ic_sheet(wb: Workbook, summary: Summary, fill: str) -> None:
    header = ("Role", "Name", "School or team", "Outcome id", "Outcome", "Level",
              "Level description", "Notes", "File")
    sheet = _Sheet(wb, "IC maps", header, (18, 22, 20, 9, 50, 7, 18, 40, 24), fill)
    maps = {m.role: m for m in summary.ic}
    for resp in summary.responses:
        icmap = maps.get(resp.role)
        if icmap is None or not any(c.level for c in resp.ic):
            continue
        texts = {o.id: o.outcome for o in icmap.outcomes}
        for c in resp.ic:
            label = ""
            if c.level and c.level[1:].isdigit() and c.level.startswith("L"):
                index = int(c.level[1:]) - 1
                label = icmap.levels[index] if 0 <= index < len(icmap.levels) else ""
            elif c.level == "NA":
                label = "not assessed"
            sheet.row([icmap.title, resp.name, resp.group, c.outcome_id,
                       texts.get(c.outcome_id, ""), c.level or "", label, c.notes,
                       resp.source])


def _copy_with_fixed_times(source: BinaryIO, target: BinaryIO) -> None:
    """Copy the XLSX zip with fixed entry times and modification date, so the same summary
    gives the same bytes; one entry at a time, in pieces."""
    with zipfile.ZipFile(source) as src, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" on save
                data = _MODIFIED.sub(rb"\g<1>" + _FIXED_TIME.strftime(
                    "%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", src.read(info.filename))
                dst.writestr(fixed, data)
                continue
            with src.open(info) as piece, dst.open(fixed, "w") as out:
                shutil.copyfileobj(piece, out, 1 << 20)
