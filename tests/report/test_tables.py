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
    assert wb.sheetnames == ["Coaches", "Teachers", "status", "IC maps", "themes"]
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
    """The same summary gives the same bytes: fixed entry times (XlsxWriter's 31 January 1980,
    in any time zone) and a fixed modified date (not the time of saving)."""
    data = tables.responses_xlsx(small_summary)
    assert data == tables.responses_xlsx(small_summary)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        core = z.read("docProps/core.xml").decode()
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 31, 0, 0, 0)}
    assert "2000-01-01T00:00:00Z</dcterms:modified>" in core


def test_sheet_titles_are_legal_and_unique() -> None:
    """No []:*?/\\ characters, at most 31 characters, unique ignoring case."""
    taken: set[str] = set()
    titles = [tables.sheet_title(t, taken) for t in
              ("System/central office", "A" * 40, "a" * 40, "status", "")]
    assert titles == ["System-central office", "A" * 31, "a" * 27 + " (2)", "status", "Sheet"]


def test_ic_levels_csv_holds_every_chosen_level(small_summary: Summary) -> None:
    """ic_levels.csv has a row per IC outcome of each form that answered its map, with the
    person, the level, its description and the notes; escaped like responses.csv."""
    raw = tables.ic_levels_csv(small_summary)
    assert raw.startswith(b"\xef\xbb\xbfRole,Name,Email,School or team,Roster id,")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == list(tables.IC_CSV_HEADER)
    wb = openpyxl.load_workbook(io.BytesIO(tables.responses_xlsx(small_summary)))
    sheet = list(wb["IC maps"].iter_rows(min_row=2, values_only=True))
    assert len(rows) - 1 == len(sheet) > 0
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (first["Role"], first["Name"], first["Email"], first["Outcome id"],
            first["Level"], first["Level description"]) == (
        "Coaches", "Ana Núñez", "ana@example.org", "ep1", "L1", "Level 1 (ideal)")
    for csv_row, sheet_row in zip(rows[1:], sheet, strict=True):
        got = dict(zip(rows[0], csv_row, strict=True))
        assert [got["Outcome id"], got["Level"], got["Notes"], got["File"]] == [
            "" if v is None else v for v in (sheet_row[3], sheet_row[5], sheet_row[7],
                                             sheet_row[8])]


@pytest.mark.parametrize(("level", "described"), [
    ("L1", "Level 1 (ideal)"), ("L01", "Level 1 (ideal)"), ("L0", ""), ("L99", ""),
    ("NA", "not assessed"), ("", ""), ("X", ""), ("L\u00b2", ""), ("=L1", ""),
])
def test_an_ic_level_is_described_by_its_number(small_summary: Summary, level: str,
                                                described: str) -> None:
    """A level's description, in the CSV and in the sheet: by its number ("L01" is level
    1), "NA" is not assessed; a number outside the map, or anything else, has none. The
    CSV escapes what a spreadsheet would run."""
    with_ic = next(r for r in small_summary.responses if any(c.level for c in r.ic))
    changed = dataclasses.replace(with_ic, ic=(
        dataclasses.replace(with_ic.ic[0], level=level), *with_ic.ic[1:],
        dataclasses.replace(with_ic.ic[0], outcome_id="ep1", level="L1")))
    summary = dataclasses.replace(small_summary, responses=(changed,))
    rows = list(csv.reader(io.StringIO(tables.ic_levels_csv(summary).decode("utf-8-sig"),
                                       newline="")))
    header, first, last = rows[0], dict(zip(rows[0], rows[1], strict=True)), rows[-1]
    assert (first["Level"], first["Level description"]) == (tables.escape_cell(level),
                                                            described)
    assert dict(zip(header, last, strict=True))["Level description"] == "Level 1 (ideal)"
    assert len(rows) - 1 == len(changed.ic)
    sheet = tables.ICRows(summary)
    assert next(sheet.sheet(changed))[5:7] == [level, described]


def test_xlsx_prints_landscape_one_page_wide_in_a_common_font(small_summary: Summary) -> None:
    """Every sheet is set to print landscape, fit to one page wide, with the header row
    repeated; header and body cells use Arial; rows with several lines of text are as tall
    as their lines."""
    wb = openpyxl.load_workbook(io.BytesIO(tables.responses_xlsx(small_summary, paper="a4")))
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        # fitToWidth 1 is the default in OOXML, so it is left out of the file
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0), ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws["A1"].font.name == "Arial" and ws["A1"].font.bold
        assert ws["A2"].font.name == "Arial"
    coaches = wb["Coaches"]
    assert coaches["I2"].value.count("\n") == 1  # two lines
    assert coaches.row_dimensions[2].height >= 2 * 12.75
    one_line = [r for r in range(2, coaches.max_row + 1)
                if all("\n" not in str(c.value or "") and len(str(c.value or "")) < 20
                       for c in coaches[r])]
    assert all(coaches.row_dimensions[r].height in (None, 15) for r in one_line)


def test_row_height_counts_wrapped_and_broken_lines() -> None:
    """A row is as tall as its tallest cell: paragraphs, each wrapped at the column's width
    (11 characters a line in a column 10 wide)."""
    from guidepdf.report.xlsx import LINE_HEIGHT, MAX_ROW_HEIGHT, row_height

    assert row_height(["short", 3, None], [10, 5, 5]) is None
    assert row_height(["a\nb\nc", "x" * 10], [10, 10]) == pytest.approx(3 * LINE_HEIGHT + 2.25)
    assert row_height(["x" * 110], [10]) == pytest.approx(10 * LINE_HEIGHT + 2.25)
    assert row_height(["x\n" * 1000], [10]) == MAX_ROW_HEIGHT
