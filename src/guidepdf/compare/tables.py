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
from guidepdf.content.labels import Labels, shipped_labels
from guidepdf.report.icpages import group_name
from guidepdf.report.tables import sheet_title
from guidepdf.report.xlsx import FONT, FONT_SIZE, _Sheet, footer_text

GROWTH_SCHEMA = 1
# the sheets' columns: label keys (growth.xlsx is read by people, in the edition's words)
CHANGE_HEADER = ("growth.col_scope", "report.col_role", "growth.col_id", "growth.col_label",
                 "growth.col_n_then", "growth.col_median_then", "growth.col_n_now",
                 "growth.col_median_now", "growth.col_paired", "growth.move_toward",
                 "growth.move_same", "growth.move_away", "growth.col_only_then",
                 "growth.col_only_now")
PEOPLE_HEADER = ("xlsx.col_role", "xlsx.col_name", "xlsx.col_email", "xlsx.col_group",
                 "xlsx.col_roster_id", "growth.col_matched_by", "xlsx.col_outcome_id",
                 "growth.col_level_then", "growth.col_level_now", "growth.col_change")
SCOPES = {"all": "growth.scope_all", "role": "growth.scope_role",
          "outcome": "growth.scope_outcome", "group": "growth.scope_group"}
MOVE_LABELS = dict(zip(MOVES, ("growth.move_toward", "growth.move_same", "growth.move_away",
                               "growth.move_only_then", "growth.move_only_now"), strict=True))
MATCHED_BY = {"roster id": "growth.matched_roster_id", "email": "growth.matched_email"}
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


def change_row(c: Change, labels: Labels) -> list[str | int | float | None]:
    label = labels.text("growth.everyone") if c.kind == "all" else \
        group_name(labels, c.label) if c.kind == "group" else c.label
    return [labels.text(SCOPES[c.kind]), c.role, c.id, label, sum(c.then.values()),
            c.then_median, sum(c.now.values()), c.now_median, c.paired,
            *(c.moves[m] for m in MOVES)]


def people_sheet_row(row: list[str | int | float | None], labels: Labels
                     ) -> list[str | int | float | None]:
    """A row of growth.people_rows with its codes (how matched, the change) in words."""
    how, change = row[5], row[9]
    return [*row[:5], labels.text(MATCHED_BY[how]) if how in MATCHED_BY else how, *row[6:9],
            labels.text(MOVE_LABELS[change]) if change in MOVE_LABELS else change]


def write_xlsx(g: Growth, target: BinaryIO, header_fill: str = "1F3F6B",
               paper: str = "letter", labels: Labels | None = None) -> None:
    """growth.xlsx into `target`: a sheet of every scope's change, then one row per person
    and outcome, in the edition's words (`labels`, default the shipped English)."""
    labels = (labels if labels is not None else shipped_labels()).for_paper(paper)
    footer = footer_text(labels)
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
        taken: set[str] = set()
        sheet_change = sheet_title(labels.text("growth.sheet_change"), taken)
        sheet_people = sheet_title(labels.text("growth.sheet_people"), taken)
        changes = _Sheet(wb, sheet_change, [labels.text(k) for k in CHANGE_HEADER],
                         CHANGE_WIDTHS, formats, paper, footer)
        for c in (g.overall, *g.roles, *g.outcomes, *g.groups):
            changes.row(change_row(c, labels))
        people = _Sheet(wb, sheet_people, [labels.text(k) for k in PEOPLE_HEADER],
                        PEOPLE_WIDTHS, formats, paper, footer)
        for row in people_rows(g.people):
            people.row(people_sheet_row(row, labels))
        wb.close()
        with open(made, "rb") as handle:
            while chunk := handle.read(1 << 20):
                target.write(chunk)
