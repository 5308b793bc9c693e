"""Rows of table cells -> the same rows with each cell's content tagged TH or TD, inside a TR
per row, inside one Table element (with a Caption first, if asked for). Empty and spanning
cells keep their elements (with RowSpan/ColSpan), so the table's structure stays regular;
header cells carry a Scope. The platypus Table itself is made by the caller, as before; give
its style ("FONT", (0, 0), (-1, -1), <an embedded font>): platypus sets every cell's font, even
for cells holding flowables, and its default is the unembedded base-14 Helvetica."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Flowable

from guidepdf.layout.tagging import Element, Tagged

Span = tuple[tuple[int, int], tuple[int, int]]  # (col, row) to (col, row), as SPAN commands


class TableTags:
    """One table's structure: declare the caption (optional) first, then tag the rows."""

    def __init__(self) -> None:
        self.element = Element("Table")

    def caption(self) -> Element:
        """The table's Caption element; give the caption's flowables elements under it."""
        if self.element.declared:
            raise ValueError("declare the caption before the rows")
        return self.element.declare("Caption")

    def rows(self, rows: Sequence[Sequence[Any]], *, first: int = 0, header_rows: int = 0,
             header_cols: int = 0, spans: Sequence[Span] = ()) -> list[list[Any]]:
        """Tag the cells of rows[first:]: the first `header_rows` of them are column headers,
        the first `header_cols` cells of the others row headers; `spans` as in SPAN commands
        (negative indices count from the end). Cells are a flowable, a list of flowables or
        "" (empty); text given as a plain string would be drawn untagged, so it is refused."""
        n_rows, n_cols = len(rows), max(len(r) for r in rows)
        size: dict[tuple[int, int], tuple[int, int]] = {}
        covered: set[tuple[int, int]] = set()
        for (c0, r0), (c1, r1) in spans:
            c0, c1 = c0 % n_cols, c1 % n_cols
            r0, r1 = r0 % n_rows, r1 % n_rows
            size[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
            covered.update((r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
                           if (r, c) != (r0, c0))
        out = [list(row) for row in rows]
        for r in range(first, n_rows):
            tr = self.element.declare("TR")
            for c, cell in enumerate(rows[r]):
                if (r, c) in covered:
                    continue
                in_header = r < first + header_rows
                attrs: dict[str, Any] = {}
                if in_header or c < header_cols:
                    attrs["Scope"] = "Column" if in_header else "Row"
                row_span, col_span = size.get((r, c), (1, 1))
                if row_span > 1:
                    attrs["RowSpan"] = row_span
                if col_span > 1:
                    attrs["ColSpan"] = col_span
                element = tr.declare("TH" if "Scope" in attrs else "TD",
                                     attrs={"Table": attrs} if attrs else None)
                out[r][c] = _tag(cell, element, (r, c))
        return out


def _tag(cell: Any, element: Element, where: tuple[int, int]) -> Any:
    if isinstance(cell, Flowable):
        return Tagged(cell, element)
    if isinstance(cell, list | tuple):
        return [_tag(f, element, where) for f in cell]
    if cell == "" or cell is None:
        return cell
    raise ValueError(f"table cell {where} is plain text {cell!r}: give it as a Paragraph so "
                     "that it can be tagged")
