"""responses.csv, rejected.csv and responses.xlsx: what Excel will show, and nothing it
would run."""

from __future__ import annotations

import csv
import dataclasses
import io
import zipfile

import openpyxl
import pytest

from guidepdf.report import tables
from guidepdf.report.model import AnswerRow, Summary


@pytest.mark.parametrize(("text", "shown"), [
    ("=1+2", "'=1+2"), ("+SUM(A1)", "'+SUM(A1)"), ("-3 weeks", "'-3 weeks"),
    ("@here", "'@here"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"),
    (" =not first", " =not first"), ("", ""),
])
def test_escape_cell(text: str, shown: str) -> None:
    """A leading =, +, -, @, tab or CR is neutralized with a quote; nothing else changes."""
    assert tables.escape_cell(text) == shown


def test_responses_csv_has_bom_rows_and_quoted_line_breaks(small_summary: Summary) -> None:
    """UTF-8 with BOM, a header, one row per respondent × question, line breaks inside
    quoted cells, CRLF between rows."""
    raw = tables.responses_csv(small_summary)
    assert raw.startswith(b"\xef\xbb\xbfRole,Name,Email,")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == 1 + 8 + 8 + 8
    ana_q1 = rows[1]
    assert ana_q1[:3] == ["Coaches", "Ana Núñez", "ana@example.org"]
    assert ana_q1[9] == "Coaching cycles <b>work</b> & data\nsecond line"
    assert ana_q1[10] == "'=HYPERLINK(\"x\")"
    assert b'"Coaching cycles <b>work</b> & data\nsecond line"' in raw
    assert raw.count(b"\r\n") == len(rows)


def test_rejected_csv(small_summary: Summary) -> None:
    """One row per rejected file."""
    text = tables.rejected_csv(small_summary).decode("utf-8-sig")
    assert text == "File,Reason\r\nbad.pdf,not a PDF (an HTML page)\r\n"


def test_xlsx_sheets_cells_and_styles(small_summary: Summary) -> None:
    """A sheet per role with frozen, coloured header and wrapped text; formula-like answers
    stay text; a status sheet; an IC sheet."""
    wb = openpyxl.load_workbook(io.BytesIO(tables.responses_xlsx(small_summary)))
    assert wb.sheetnames == ["Coaches", "Teachers", "status", "IC maps"]
    ws = wb["Coaches"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].value == "Name" and ws["A1"].font.bold
    assert ws["A1"].fill.fgColor.rgb.endswith("1F3F6B")
    assert ws["J2"].value == "=HYPERLINK(\"x\")" and ws["J2"].data_type == "s"
    assert ws["I2"].value == "Coaching cycles <b>work</b> & data\nsecond line"
    assert ws["I2"].alignment.wrap_text
    status = [row[0] for row in wb["status"].iter_rows(min_row=2, values_only=True)]
    assert status == ["returned", "returned", "returned", "not yet returned", "rejected"]
    ic = list(wb["IC maps"].iter_rows(min_row=2, values_only=True))
    assert ic[0][:7] == ("Coaches", "Ana Núñez", "North High",
                         "ep1", ic[0][4], "L1", "Level 1 (ideal)")


def test_xlsx_cleans_what_excel_cannot_hold(small_summary: Summary) -> None:
    """Control characters become U+FFFD and over-long cells are cut with a note."""
    first = small_summary.responses[0]
    odd = dataclasses.replace(first, answers=(
        AnswerRow(first.answers[0].question_id, "bell\x07here", "x" * 40000),
        *first.answers[1:]))
    summary = dataclasses.replace(small_summary, responses=(odd, *small_summary.responses[1:]))
    ws = openpyxl.load_workbook(io.BytesIO(tables.responses_xlsx(summary)))["Coaches"]
    assert ws["I2"].value == "bell\ufffdhere"
    assert len(ws["J2"].value) == 32767 and ws["J2"].value.endswith(tables.TRUNCATED)


def test_xlsx_is_reproducible(small_summary: Summary) -> None:
    """The same summary gives the same bytes: fixed entry times and a fixed modified date
    (openpyxl would stamp the time of saving)."""
    data = tables.responses_xlsx(small_summary)
    assert data == tables.responses_xlsx(small_summary)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        core = z.read("docProps/core.xml").decode()
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert "2000-01-01T00:00:00Z</dcterms:modified>" in core


def test_sheet_titles_are_legal_and_unique() -> None:
    """No []:*?/\\ characters, at most 31 characters, unique ignoring case."""
    taken: set[str] = set()
    titles = [tables.sheet_title(t, taken) for t in
              ("System/central office", "A" * 40, "a" * 40, "status", "")]
    assert titles == ["System-central office", "A" * 31, "a" * 27 + " (2)", "status", "Sheet"]
