"""The workbook writer keeps nothing per written row: XlsxWriter's constant-memory mode
still records every row height given to its set_row (compare's growth.xlsx at 20,000
people a side grew by 88 MiB from it), and report.xlsx writes body rows itself, without
set_row. The heights must still reach the file, row by row."""

from __future__ import annotations

import openpyxl
from xlsxwriter import Workbook

from guidepdf.report.xlsx import LINE_HEIGHT, _Sheet, row_height

WIDTHS = (10, 20)
FORMATS_SPEC = {"header": {"bold": True}, "body": {"text_wrap": True}}


def _write(path, rows):  # type: ignore[no-untyped-def]
    wb = Workbook(str(path), {"constant_memory": True})
    formats = {k: wb.add_format(v) for k, v in FORMATS_SPEC.items()}
    sheet = _Sheet(wb, "Rows", ["n", "text"], WIDTHS, formats, "letter", "Page &P")
    held = []
    for row in rows:
        sheet.row(row)
        held.append(len(sheet.ws.row_info) + len(sheet.ws.row_sizes))
    wb.close()
    return held


def test_written_rows_are_forgotten_and_keep_their_heights(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # every third row wraps to three lines, the others fit on one
    rows = [[n, "word " * 12 if n % 3 == 0 else "short"] for n in range(3000)]
    path = tmp_path / "rows.xlsx"
    held = _write(path, rows)
    assert max(held) <= 6, max(held)  # the header and the row being written, not 3,000
    ws = openpyxl.load_workbook(path).active
    for n, row in enumerate(rows):
        want = row_height(row, WIDTHS)
        got = ws.row_dimensions[n + 2].height
        if want is None:
            assert got is None, (n, got)
        else:
            assert got == want and want >= 3 * LINE_HEIGHT, (n, got, want)
    assert [c.value for c in ws[3001]] == [2999, "short"]
