"""`guidepdf status`: one row per roster person with the problem the returns show, from the
send journal, the last collect's summary.json and the fetch journal; CSV and JSON files."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from guidepdf.cli import main
from guidepdf.content import Content
from guidepdf.distribute.roster import read_roster
from guidepdf.followup.status import SCHEMA_PATH
from guidepdf.mail.journal import FetchJournal
from guidepdf.mail.origin import Origin
from tests import guides
from tests.distribute.conftest import write_roster
from tests.followup.scenario import Returns, filled
from tests.mail import messages

START = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
# roster id -> what they send back
PLAN = {"p01": "good", "p02": "blank", "p03": "mostly_blank", "p04": "flattened",
        "p05": "password", "p06": "damaged", "p07": "other_role", "p08": "no_attachment",
        "p09": "nothing", "p10": "good", "p11": "file_flattened", "p12": "unsent"}
EXPECTED = {"p01": "none", "p02": "blank", "p03": "mostly_blank", "p04": "flattened",
            "p05": "password", "p06": "unreadable", "p07": "other_role",
            "p08": "no_attachment", "p09": "no_reply", "p10": "none",
            "p11": "flattened", "p12": "not_sent"}


def roster_rows() -> list[tuple[str, ...]]:
    names = ["Ann Lee", "Bo Chen", "Zoë Ångström", "Dmitri Ivanov", "Ana García",
             "O'Brien, Pat", "Kwame Mensah", "Inés Ramírez", "Hiro Tanaka", "Laila Haddad",
             "Marta Nowak", "Nuno Rossi"]
    return [(f"p{n:02d}", name, f"p{n:02d}@district.test", "coach" if n % 2 else "teacher",
             "Ridge Middle") for n, name in enumerate(names, start=1)]


def sent_journal(path: Path, ids: list[str], when: datetime) -> None:
    lines = [json.dumps({"key": f"{i}\x1fabc", "id": i, "email": f"{i}@district.test",
                         "identity": "x", "status": "sent", "v": 2,
                         "time": when.isoformat(timespec="seconds")}) for i in ids]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def rollout(content: Content, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("status")
    roster_path = write_roster(root / "roster.csv", roster_rows())
    people = list(read_roster(roster_path, content.roles).people)
    returns = Returns(content, people)
    returned = root / "returned"
    returned.mkdir()
    for n, person in enumerate(people):
        kind = PLAN[person.id]
        when = START + timedelta(days=1, hours=n)
        if kind == "file_flattened":  # printed to PDF and dropped into the folder by hand
            pdf = returns.pdf("flattened", person)
            assert pdf is not None
            (returned / returns.names[person.id]).write_bytes(pdf)
            continue
        raw = returns.message(kind if kind != "unsent" else "nothing", person, when)
        if raw is not None:
            (returned / f"{person.id}.eml").write_bytes(raw)
    walk_in = filled(content, "teacher", guides.built("teacher"), email="walkin@elsewhere.test")
    (returned / "stranger.eml").write_bytes(messages.gmail(
        "Walk In", "walkin@elsewhere.test", "coordinator@district.test",
        START + timedelta(days=2), "my guide", [("guide.pdf", walk_in)]))
    sent_journal(root / "sent.jsonl", [p.id for p in people if p.id != "p12"], START)
    result = CliRunner().invoke(main, ["collect", str(returned), "--roster",
                                       str(roster_path), "--out", str(root / "summary"),
                                       "--jobs", "1"])
    assert result.exit_code in (0, 1), result.output
    return root


def run_status(root: Path, *extra: str) -> tuple[str, dict]:
    result = CliRunner().invoke(main, [
        "status", "--roster", str(root / "roster.csv"), "--summary",
        str(root / "summary" / "summary.json"), "--returned", str(root / "returned"),
        *extra])
    assert result.exit_code == 0, result.output
    data = json.loads((root / "summary" / "status.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    return result.output, data


def test_each_person_gets_the_problem_their_return_shows(rollout: Path) -> None:
    """Blank, mostly blank, flattened (by mail and as a file named like the copy), password,
    damaged, another role's guide, a reply without the form, nothing, never sent: each
    person's row names exactly that; a walk-in's form is a row of its own."""
    _, data = run_status(rollout)
    people = {r["id"]: r for r in data["rows"] if r["id"]}
    assert {i: r["problem"] for i, r in people.items()} == EXPECTED
    assert data["problems"]["none"] == 2 and data["problems"]["no_reply"] == 1
    good = people["p01"]
    assert good["returned"] == "message" and good["answered"] == good["questions"] == 8
    assert good["ic_outcomes"] and good["ic_marked"] == good["ic_outcomes"]
    assert good["returned_at"].startswith("2026-10-06") and good["sent"] == "sent"
    assert people["p02"]["answered"] == 0
    assert 0 < people["p03"]["answered"] < 4
    assert "password" in people["p05"]["detail"]
    assert people["p11"]["returned"] == "file"
    assert people["p12"]["sent"] == "not sent"
    strangers = [r for r in data["rows"] if not r["id"]]
    assert [(r["email"], r["problem"]) for r in strangers] == [("walkin@elsewhere.test",
                                                                "unknown_sender")]
    assert data["totals"]["people"] == 12 and data["totals"]["usable"] == 2
    assert data["totals"]["still_missing"] == 10 and data["totals"]["not_on_roster"] == 1


def test_the_table_fits_the_terminal_and_the_csv_is_escaped(rollout: Path) -> None:
    """Every printed line fits 100 columns; status.csv starts with a BOM and has one row
    per status row; counts at the end."""
    output, data = run_status(rollout)
    lines = output.splitlines()
    table = lines[lines.index(next(x for x in lines if x.startswith("Name"))):-1]
    assert len(table) > 14 and all(len(line) <= 100 for line in table)
    assert "12 people on the roster" in output and "1 blank copy" in output
    raw = (rollout / "summary" / "status.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == len(data["rows"])
    assert next(r for r in rows if r["id"] == "p06")["name"] == "O'Brien, Pat"


def test_mail_fetched_after_the_last_collect_is_pointed_out(rollout: Path,
                                                             tmp_path: Path) -> None:
    """A message in fetched.jsonl that the summary does not know marks its sender as
    waiting and says to collect again."""
    journal = FetchJournal(rollout / "returned")
    origin = Origin("p09@district.test", "Hiro Tanaka", "2026-10-09T10:00:00+00:00",
                    "<late@mail.test>", "Re: guide", "imap://x@y/INBOX", 7)
    try:
        journal.record_message("INBOX", 1, origin, ["2026-10-09_1000_hiro.pdf"], [])
        journal.close()
        result = CliRunner().invoke(main, [
            "status", "--roster", str(rollout / "roster.csv"), "--summary",
            str(rollout / "summary" / "summary.json"), "--returned",
            str(rollout / "returned"), "--out", str(tmp_path)])
    finally:
        (rollout / "returned" / "fetched.jsonl").unlink()
    assert result.exit_code == 0, result.output
    assert "fetched after the last collect" in result.output
    data = json.loads((tmp_path / "status.json").read_text(encoding="utf-8"))
    assert next(r for r in data["rows"] if r["id"] == "p09")["waiting"] == 1


def test_no_summary_yet_means_nobody_returned(rollout: Path, tmp_path: Path) -> None:
    """Before the first collect, status lists everyone as not having replied and says so."""
    result = CliRunner().invoke(main, [
        "status", "--roster", str(rollout / "roster.csv"), "--summary",
        str(tmp_path / "none" / "summary.json"), "--returned", str(tmp_path),
        "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "nothing has been collected" in result.output
    data = json.loads((tmp_path / "status.json").read_text(encoding="utf-8"))
    assert data["problems"]["no_reply"] == 11 and data["problems"]["not_sent"] == 1
