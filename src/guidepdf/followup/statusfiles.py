"""Status -> a table that fits a terminal, status.csv (UTF-8 with BOM, formula-escaped) and
status.json (schema: status.schema.json beside this module), written atomically."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from guidepdf import __version__
from guidepdf.atomic import write_bytes, write_text
from guidepdf.followup.problems import SHOWN
from guidepdf.followup.status import STATUS_SCHEMA, Status, StatusRow
from guidepdf.report.tables import csv_chunks

CSV_HEADER = ("id", "name", "email", "role", "group", "sent", "sent_at", "returned",
              "returned_at", "returned_from", "returned_role", "answered", "questions",
              "ic_marked", "ic_outcomes", "problem", "problem_shown", "detail", "reminders",
              "reminded_at", "receipt_at", "waiting")
# The table's headings and words (kept together so they move into the labels in one piece).
HEADINGS = ("Name", "Role", "Sent", "Returned", "Read", "Problem", "Reminded")
WORDS = {"not sent": "no", "unknown": "?", "uncertain": "unsure", "failed": "failed",
         "message": "mail", "file": "file", "none": "—", "receipt": "receipt"}
COUNT_NAMES = {
    "people": "people on the roster", "sent": "sent a guide", "returned": "returned something",
    "usable": "usable forms", "reminded": "reminded", "answered_after_reminder":
    "answered after a reminder", "still_missing": "still missing a usable form",
    "receipts": "sent a receipt", "waiting": "with mail not collected yet",
    "not_on_roster": "return(s) from people not on the roster",
}


def _day(iso: str) -> str:
    return iso[5:10] if len(iso) >= 10 else ""


def _read(row: StatusRow) -> str:
    if row.answered is None:
        return ""
    text = f"{row.answered}/{row.questions}"
    if row.ic_outcomes:
        text += f" IC {row.ic_marked}/{row.ic_outcomes}"
    return text


def table_cells(row: StatusRow) -> list[str]:
    sent = _day(row.sent_at) if row.sent == "sent" else WORDS.get(row.sent, row.sent)
    returned = f"{_day(row.returned_at)} {WORDS[row.returned]}".strip() \
        if row.returned else WORDS["none"]
    reminded = f"{row.reminders}× {_day(row.reminded_at)}" if row.reminders else WORDS["none"]
    if row.receipt_at:
        reminded += f", {WORDS['receipt']} {_day(row.receipt_at)}"
    problem = SHOWN[row.problem] + (" (+mail)" if row.waiting else "")
    return [row.name or row.email or row.returned_from, row.role, sent, returned,
            _read(row), problem, reminded]


def table(status: Status, width: int = 100) -> str:
    """One line per row, the name column cut so that the table fits `width`."""
    rows = [table_cells(r) for r in status.rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(HEADINGS)]
    fixed = sum(widths[1:]) + 2 * (len(HEADINGS) - 1)
    widths[0] = max(12, min(widths[0], width - fixed))
    widths[1] = min(widths[1], 22)

    def line(cells: list[str]) -> str:
        out = []
        for cell, w in zip(cells, widths, strict=True):
            out.append(cell if len(cell) <= w else cell[:w - 1] + "…")
        return "  ".join(c.ljust(w) for c, w in zip(out, widths, strict=True)).rstrip()

    return "\n".join([line(list(HEADINGS)), *(line(r) for r in rows)])


def counts_lines(status: Status) -> list[str]:
    totals = status.totals()
    counts = status.counts()
    first = ", ".join(f"{totals[k]} {COUNT_NAMES[k]}" for k in
                      ("people", "sent", "returned", "usable", "reminded",
                       "answered_after_reminder", "receipts"))
    problems = ", ".join(f"{n} {SHOWN[p]}" for p, n in counts.items() if n and p != "none")
    lines = [first + "."]
    if problems:
        lines.append(f"Still to fix ({totals['still_missing']}): {problems}.")
    if totals["not_on_roster"]:
        lines.append(f"{totals['not_on_roster']} {COUNT_NAMES['not_on_roster']}.")
    return lines


def csv_rows(status: Status) -> Iterator[list[str]]:
    for r in status.rows:
        d = {**r.to_dict(), "problem_shown": SHOWN[r.problem]}
        yield ["" if d[k] is None else str(d[k]) for k in CSV_HEADER]


def to_json(status: Status) -> dict[str, object]:
    return {
        "schema": STATUS_SCHEMA, "generator": f"guidepdf {__version__}",
        "inputs": status.inputs, "notes": list(status.notes), "totals": status.totals(),
        "problems": status.counts(), "rows": [r.to_dict() for r in status.rows],
    }


def write_status(status: Status, out_dir: Path) -> dict[str, Path]:
    """status.csv and status.json into `out_dir`; the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"status.csv": out_dir / "status.csv", "status.json": out_dir / "status.json"}
    write_bytes(paths["status.csv"], b"".join(csv_chunks(CSV_HEADER, csv_rows(status))))
    write_text(paths["status.json"], json.dumps(to_json(status), ensure_ascii=False,
                                                indent=1) + "\n")
    return paths
