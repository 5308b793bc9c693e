"""Growth -> growth.json (streamed, one person at a time) and growth.xlsx (XlsxWriter in
constant memory: everyone, outcomes, roles, schools or teams, people). Bytes or chunks;
no files named here."""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from collections.abc import Iterator
from typing import Any, BinaryIO

from xlsxwriter import Workbook

from guidepdf import __version__
from guidepdf.compare.growth import MOVES, Change, Growth, move, people_rows
from guidepdf.report.xlsx import FONT, FONT_SIZE, _Sheet

GROWTH_SCHEMA = 1
CHANGE_HEADER = ("Scope", "Role", "Id", "Label", "Assessed then", "Median then",
                 "Assessed now", "Median now", "Paired", "Toward the ideal", "Same",
                 "Away from it", "Only then", "Only now")
PEOPLE_HEADER = ("Role", "Name", "Email", "School or team", "Roster id", "Matched by",
                 "Outcome id", "Level then", "Level now", "Change")
CHANGE_WIDTHS = (9, 16, 12, 40, 9, 9, 9, 9, 8, 9, 8, 9, 9, 9)
PEOPLE_WIDTHS = (16, 22, 26, 18, 10, 10, 10, 9, 9, 10)


def _change(c: Change) -> dict[str, Any]:
    return {**dataclasses.asdict(c), "paired": c.paired}


def json_chunks(g: Growth) -> Iterator[str]:
    """growth.json in pieces; every person is written as it is read back from the spool."""
    head = {
        "schema": GROWTH_SCHEMA, "generator": f"guidepdf {__version__}",
        "earlier": dataclasses.asdict(g.earlier), "later": dataclasses.asdict(g.later),
        "matched": g.matched, "only_then": g.only_then, "only_now": g.only_now,
        "overall": _change(g.overall),
        "roles": [_change(c) for c in g.roles],
        "outcomes": [_change(c) for c in g.outcomes],
        "groups": [_change(c) for c in g.groups],
        "only_in_one_version": [{"role": role, **dataclasses.asdict(o)}
                                for role, o in g.only_in_one],
        "maps": [dataclasses.asdict(m) for m in g.maps],
    }
    text = json.dumps(head, ensure_ascii=False, indent=1)
    yield text[:-2]  # without the closing "\n}"
    yield ',\n "people": ['
    for i, p in enumerate(g.people):
        row = {**dataclasses.asdict(p), "levels": [
            {"outcome_id": oid, "then": then, "now": now, "change": move(then, now)}
            for oid, then, now in p.levels]}
        yield ("," if i else "") + "\n  " + json.dumps(row, ensure_ascii=False)
    yield "\n ]\n}\n"


def change_row(c: Change) -> list[str | int | float | None]:
    return [c.kind, c.role, c.id, c.label, sum(c.then.values()), c.then_median,
            sum(c.now.values()), c.now_median, c.paired, *(c.moves[m] for m in MOVES)]


def write_xlsx(g: Growth, target: BinaryIO, header_fill: str = "1F3F6B",
               paper: str = "letter") -> None:
    """growth.xlsx into `target`: a sheet of every scope's change, then one row per person
    and outcome."""
    with tempfile.TemporaryDirectory(prefix=".guidepdf-xlsx-") as tmp:
        made = os.path.join(tmp, "growth.xlsx")
        wb = Workbook(made, {
            "constant_memory": True, "tmpdir": tmp, "strings_to_numbers": False,
            "strings_to_formulas": False, "strings_to_urls": False,
            "default_format_properties": {"font_name": FONT, "font_size": FONT_SIZE}})
        wb.set_properties({"author": f"guidepdf {__version__}",
                           "created": __import__("datetime").datetime(2000, 1, 1)})
        formats = {
            "header": wb.add_format({"bold": True, "font_color": "#FFFFFF",
                                     "bg_color": "#" + header_fill.lstrip("#"),
                                     "text_wrap": True, "valign": "top"}),
            "body": wb.add_format({"text_wrap": True, "valign": "top"}),
        }
        changes = _Sheet(wb, "change", CHANGE_HEADER, CHANGE_WIDTHS, formats, paper,
                         "&LGrowth over time&RPage &P of &N")
        for c in (g.overall, *g.roles, *g.outcomes, *g.groups):
            changes.row(change_row(c))
        people = _Sheet(wb, "people", PEOPLE_HEADER, PEOPLE_WIDTHS, formats, paper,
                        "&LGrowth over time&RPage &P of &N")
        for row in people_rows(g.people):
            people.row(row)
        wb.close()
        with open(made, "rb") as handle:
            while chunk := handle.read(1 << 20):
                target.write(chunk)
