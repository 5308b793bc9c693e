"""report.xlsx writes body rows as sheet XML itself (XlsxWriter's per-cell path was 70% of
responses.xlsx). The sheets must be the very bytes XlsxWriter makes for the same cells, so
every cell below is written both ways and the worksheets compared."""

from __future__ import annotations

import zipfile
from datetime import datetime

import openpyxl
import pytest
from xlsxwriter import Workbook

from guidepdf.report.xlsx import _RowXml, _Sheet, row_height, xlsx_text

WIDTHS = tuple([12, 30, 8] * 10)  # 30 columns: past Z
TEXTS = [
    "plain", "a & b < c > d \"quoted\" 'single'", " leading space", "trailing space ",
    "ends in a newline\n", "line one\nline two\nline three", "tab\there", "carriage\rreturn",
    "\rstarts with a return", "Excel's own escape _x0041_ and _X00ff_ and _x12_",
    "Søren Ólafsdóttir — «guillemets» ‘quotes’", "名前 اسم नाम 🙂", "word " * 80,
    "=SUM(A1:A2)", "+1 555 0100", "007", "http://example.org/x?a=1&b=2", "\u00a0nbsp edges\u00a0",
    "\u2028line separator", "</t></is></c><c>",
]


def _rows() -> list[list[object]]:
    rows: list[list[object]] = []
    for n, text in enumerate(TEXTS):
        rows.append([n, text, None, "", 3.25, text.upper(), 10 ** 15 + n, -0.5])
    rows.append([])  # no cells at all
    rows.append(["wide", *[f"cell {i}" for i in range(29)]])
    # what xlsx_text changes, found by one look at the whole row: a control character and a
    # lone surrogate beside clean text, a cell past Excel's limit, and two cells that are
    # past it together but not alone (left as they are)
    rows.append(["bell\x07 and \ud800", 7, "clean"])
    rows.append(["clean", "x" * 40_000, None])
    rows.append(["y" * 20_000, "z" * 20_000])
    rows.append([True, False, 0, 1e-7, 123456789.123456789, 2 ** 53])
    # more rows than a column remembers texts: texts repeated down a column, cycling past
    # what it keeps, distinct, too long to keep, cleaned; and one text in columns of other
    # widths (two lines in a narrow column, one in a wide one: each column counts its own)
    medium = "word " * 5
    rows.append([None, medium])
    rows.append([medium])
    for i in range(_RowXml.CACHED + 40):
        rows.append([f"school {i % 7}", TEXTS[i % len(TEXTS)], f"recent {i % (_RowXml.CACHED + 5)}",
                     f"distinct {i} " * (i % 9), "long " * (_RowXml.LONGEST_CACHED // 5 + i % 3),
                     "bell\x07" if i % 2 else " tab\t", medium if i % 4 else None, medium])
    return rows


class _Oracle(_Sheet):
    """The same sheet, every cell written by XlsxWriter's own API (what _Sheet did before
    it wrote the XML itself)."""

    def row(self, values):  # type: ignore[no-untyped-def]
        cells = [xlsx_text(v) if isinstance(v, str) else v for v in values]
        r, body, ws = self.row_number, self.body, self.ws
        height = row_height(cells, self.widths)
        if height is not None:
            ws.set_row(r, height)
        for col, value in enumerate(cells):
            if isinstance(value, str) and value:
                ws.write_string(r, col, value, body)
            elif value is not None and not isinstance(value, str):
                ws.write_number(r, col, value, body)
            else:
                ws.write_blank(r, col, None, body)
        self.row_number += 1


def _book(path, sheet_class, rows):  # type: ignore[no-untyped-def]
    wb = Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                              "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": datetime(2000, 1, 1)})
    formats = {"header": wb.add_format({"bold": True, "text_wrap": True}),
               "body": wb.add_format({"text_wrap": True, "valign": "top"})}
    sheets = [sheet_class(wb, t, ["n", "text", "x"], WIDTHS, formats, "a4", "Page &P")
              for t in ("First", "Second")]
    for i, row in enumerate(rows):
        sheets[i % 2].row(row)
        sheets[1].row(row[:3])
    wb.close()


def _parts(path):  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_rows_are_the_bytes_xlsxwriter_writes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = _rows()
    _book(tmp_path / "fast.xlsx", _Sheet, rows)
    _book(tmp_path / "oracle.xlsx", _Oracle, rows)
    fast, oracle = _parts(tmp_path / "fast.xlsx"), _parts(tmp_path / "oracle.xlsx")
    assert fast.keys() == oracle.keys()
    for name in oracle:
        assert fast[name] == oracle[name], name
    assert b"ht=" in fast["xl/worksheets/sheet1.xml"]  # the long text's row is tall
    assert b'<dimension ref="A1:AD' in fast["xl/worksheets/sheet2.xml"]  # the wide row


def test_the_cells_read_back(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = _rows()
    _book(tmp_path / "fast.xlsx", _Sheet, rows)
    ws = openpyxl.load_workbook(tmp_path / "fast.xlsx")["First"]
    got = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    for want, row in zip(rows[:len(TEXTS)][::2], got, strict=False):
        # "" is a blank cell; a carriage return is Excel's _x000D_ (openpyxl leaves it)
        want = [None if v == "" else v.replace("\r", "_x000D_") if isinstance(v, str) else v
                for v in want]
        assert row[:len(want)] == want


@pytest.mark.parametrize("text", ["<r><t>looks rich</t></r>", "<r>x</r>"])
def test_text_like_rich_string_xml_is_text(tmp_path, text) -> None:  # type: ignore[no-untyped-def]
    """XlsxWriter writes a string that starts with <r> and ends with </r> into the file as
    XML (its rich strings); from people it is text, and the workbook must stay valid."""
    _book(tmp_path / "rich.xlsx", _Sheet, [[1, text]])
    ws = openpyxl.load_workbook(tmp_path / "rich.xlsx")["First"]
    assert ws["B2"].value == text


def test_a_workbook_not_in_constant_memory_mode_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    wb = Workbook(str(tmp_path / "plain.xlsx"))
    formats = {"header": wb.add_format(), "body": wb.add_format()}
    with pytest.raises(ValueError, match="constant_memory"):
        _Sheet(wb, "Rows", ["n"], (10,), formats, "letter", "")
    wb.close()


def test_xlsxwriter_still_has_what_the_row_writer_uses(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Pins XlsxWriter's private names the row writer relies on."""
    wb = Workbook(str(tmp_path / "pin.xlsx"), {"constant_memory": True})
    ws = wb.add_worksheet()
    ws.write_string(0, 0, "x")
    assert ws.constant_memory and not ws.row_data_fh.closed
    assert (ws.previous_row, ws.dim_rowmin, ws.dim_colmax) == (0, 0, 0)
    assert ws.original_row_height == ws.default_row_height == 20
    ws._write_single_row(1)
    assert ws.previous_row == 1
    assert callable(wb.add_format()._get_xf_index)
    wb.close()
