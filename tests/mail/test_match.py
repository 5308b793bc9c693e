"""Matching by mail: a workshop copy is matched by the address it was sent from, the
message date (not the PDF's ModDate) decides which of a person's forms is newest, and the
CSV, XLSX and JSON say where each form came from and how it was matched."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from guidepdf.cli import main
from guidepdf.content import Content
from guidepdf.distribute.personalize import Personalizer
from guidepdf.distribute.roster import Person
from guidepdf.samplefill import field_names, fill, form_values
from tests.mail import messages as m

WHEN = datetime(2026, 10, 6, 9, 0, tzinfo=UTC)
PEOPLE = [Person(2, "c1", "Ana Núñez", "ana@example.org", "coach", "North High"),
          Person(3, "t1", "Bo Chen", "bo@example.org", "teacher", "North High"),
          Person(4, "t2", "Cy Dale", "cy@example.org", "teacher", "South High")]


def roster(path: Path) -> Path:
    rows = ["id,name,email,role,group"] + [f"{p.id},{p.name},{p.email},{p.role},{p.group}"
                                           for p in PEOPLE]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def filled(pdf: bytes, role: str, saved: datetime, reflection: str) -> bytes:
    values = form_values(role, answers={"q1": (reflection, "first step")})
    names = field_names(pdf)
    return fill(pdf, {k: v for k, v in values.items() if k in names}, modified=saved,
                appearances="viewer")


def collect(folder: Path, tmp_path: Path) -> tuple[dict, Path]:  # type: ignore[type-arg]
    out = tmp_path / "summary"
    result = CliRunner().invoke(main, ["collect", str(folder), "--roster",
                                       str(roster(tmp_path / "roster.csv")), "--out", str(out),
                                       "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return json.loads((out / "summary.json").read_text(encoding="utf-8")), out


def test_mail_sender_matches_a_workshop_copy_and_the_message_date_picks_the_newest(
        content: Content, guide: Callable[..., bytes], tmp_path: Path) -> None:
    """A blank workshop copy filled without name or email is matched by its sender's
    address; of two personalized returns, the later message wins even though its PDF
    says it was saved earlier; a reply without a PDF is listed with its roster entry."""
    mail = tmp_path / "mail"
    mail.mkdir()
    workshop = filled(guide("teacher"), "teacher", WHEN, "from the workshop copy")
    (mail / "1.eml").write_bytes(m.apple_mail("Bo", "Bo@Example.org", "pl@x", WHEN,
                                              "my guide", [("guide.pdf", workshop)]))
    copy = Personalizer(content).copy(PEOPLE[0])
    early_message = filled(copy, "coach", WHEN + timedelta(days=5), "first, saved later")
    late_message = filled(copy, "coach", WHEN, "second, saved earlier")
    (mail / "2.eml").write_bytes(m.gmail("Ana", "ana@example.org", "pl@x", WHEN, "v1",
                                         [("coach.pdf", early_message)]))
    (mail / "3.eml").write_bytes(m.outlook("Ana", "ana@example.org", "pl@x",
                                           WHEN + timedelta(days=1), "v2",
                                           [("coach.pdf", late_message)]))
    (mail / "4.eml").write_bytes(m.no_attachment("Cy", "cy@example.org", "pl@x", WHEN, "soon"))
    data, out = collect(mail, tmp_path)
    by_id = {r["roster_id"]: r for r in data["responses"]}
    bo = by_id["t1"]
    assert bo["matched_by"] == "mail_sender" and bo["origin"]["sender"] == "Bo@Example.org"
    assert bo["answers"][0]["reflections"] == "from the workshop copy"
    ana = by_id["c1"]
    assert ana["matched_by"] == "recipient" and ana["source"] == "3.eml/coach.pdf"
    assert ana["answers"][0]["reflections"] == "second, saved earlier"
    assert ana["origin"]["subject"] == "v2" and ana["came_from"] == "message"
    [dup] = data["duplicates"]
    assert dup["dropped"] == "2.eml/coach.pdf" and dup["reason"].startswith("sent earlier")
    assert [m["id"] for m in data["missing"]] == ["t2"]
    [none] = data["without_attachment"]
    assert (none["source"], none["sender"], none["roster_id"]) == ("4.eml", "cy@example.org",
                                                                   "t2")
    rows = list(csv.reader(io.StringIO((out / "responses.csv").read_text("utf-8-sig"))))
    header = rows[0]
    assert header[-5:] == ["Matched by", "Came from", "Sender", "Message date", "Subject"]
    bo_rows = [r for r in rows[1:] if r[header.index("Roster id")] == "t1"]
    assert bo_rows and all(r[-5:-2] == ["mail_sender", "message", "Bo@Example.org"]
                           for r in bo_rows)
    wb = openpyxl.load_workbook(out / "responses.xlsx", read_only=True)
    status = [row for row in wb["status"].iter_rows(min_row=2, values_only=True)]
    assert status[-1][:3] == ("reply without an attachment", "Cy", "cy@example.org")
    wb.close()


def test_the_same_form_saved_by_hand_is_matched_by_its_pdf_alone(
        guide: Callable[..., bytes], tmp_path: Path) -> None:
    """The workshop copy saved as a plain PDF has nothing to match it by: it is kept as
    not on the roster, with no origin — the sender's address is what matched it above."""
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "guide.pdf").write_bytes(filled(guide("teacher"), "teacher", WHEN, "x"))
    data, _ = collect(folder, tmp_path)
    [r] = data["responses"]
    assert r["roster_id"] is None and r["origin"] is None and r["came_from"] == "file"


def test_read_takes_an_mbox_and_each_plan_says_where_it_came_from(
        guide: Callable[..., bytes], tmp_path: Path) -> None:
    """`guidepdf read replies.mbox` writes one plan per PDF attachment, each with the
    message's origin, and lists a winmail.dat as rejected with advice."""
    pdf = filled(guide("teacher"), "teacher", WHEN, "read from the mbox")
    box = tmp_path / "replies.mbox"
    with box.open("wb") as out:
        for raw in (m.gmail("Bo", "bo@example.org", "pl@x", WHEN, "mine", [("g.pdf", pdf)]),
                    m.outlook("Cy", "cy@example.org", "pl@x", WHEN, "rtf", [("g.pdf", pdf)],
                              rich_text=True)):
            out.write(b"From - Tue Oct  6 09:00:00 2026\n" + raw.replace(b"\r\n", b"\n")
                      + b"\n")
    result = CliRunner().invoke(main, ["read", str(box), "--format", "json", "--out",
                                       str(tmp_path / "plans"), "--jobs", "1"])
    assert result.exit_code == 1, result.output
    assert f"ok        {box}#1/g.pdf (from bo@example.org, 2026-10-06 09:00)" in result.output
    assert f"rejected  {box}#2: winmail.dat:" in result.output
    [plan_file] = sorted((tmp_path / "plans").glob("*.json"))
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    assert plan["extra"]["origin"]["sender"] == "bo@example.org"
    assert plan["answers"][0]["reflections"] == "read from the mbox"
