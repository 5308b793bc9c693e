"""`guidepdf remind`: a reminder per person without a usable form, naming their problem
with the right attachment, journaled so that no rerun mails anyone twice; `--round`,
`--min-days`, `--outbox`, `--dry-run`; `--receipts` to those whose form was read."""

from __future__ import annotations

import email
import io
import json
import shutil
from email import policy
from email.message import EmailMessage
from pathlib import Path

import jsonschema
import pikepdf
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from guidepdf import formspec
from guidepdf.cli import main
from guidepdf.content import Content
from guidepdf.distribute import Personalizer
from guidepdf.distribute.roster import Person, read_roster
from guidepdf.mail.parse import read_message
from guidepdf.report.summary_json import schema
from tests.distribute.conftest import SmtpServer
from tests.followup.test_status import EXPECTED

REMINDED = {i for i, p in EXPECTED.items() if p not in ("none", "not_sent")}
SENDER = '"Pat Coordinator, PL Office" <pl@district.test>'


@pytest.fixture
def folder(rollout: Path, tmp_path: Path) -> Path:
    """A private copy of the collected rollout (remind writes its journal beside it)."""
    target = tmp_path / "rollout"
    shutil.copytree(rollout, target)
    return target


def remind(folder: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [
        "remind", "--roster", str(folder / "roster.csv"), "--summary",
        str(folder / "summary" / "summary.json"), "--returned", str(folder / "returned"),
        "--from", SENDER, *extra])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def parsed(data: bytes) -> EmailMessage:
    return email.message_from_bytes(data, policy=policy.default)  # type: ignore[return-value]


def person_of(folder: Path, content: Content, pid: str) -> Person:
    roster = read_roster(folder / "roster.csv", content.roles)
    return next(p for p in roster.people if p.id == pid)


def recipient_of(pdf: bytes) -> str:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        info = str(doc.docinfo[formspec.MANIFEST_INFO_KEY])
    recipient = formspec.Manifest.from_json(info).recipient
    assert recipient is not None
    return recipient.id


def test_each_person_gets_the_reminder_for_their_problem(
        folder: Path, smtp_server: SmtpServer, content: Content) -> None:
    """Nine reminders: each subject is the one messages.yaml has for the person's problem;
    a mostly blank form comes back as the very file they sent, every other reminder carries
    the person's own copy; names with accents, quotes and commas survive the headers."""
    code, output = remind(folder, "--smtp", smtp_server.hostport)
    assert code == 0, output
    received = smtp_server.handler.received
    assert len(received) == len(REMINDED)
    by_id = {}
    for item in received:
        head = item.data.split(b"\r\n\r\n", 1)[0]
        assert head.isascii() and all(len(line) <= 998 for line in head.split(b"\r\n"))
        msg = parsed(item.data)
        assert not msg.defects and not any(msg[h].defects for h in ("From", "To", "Subject"))
        by_id[msg["X-Guidepdf-Recipient-Id"]] = msg
    assert set(by_id) == REMINDED
    reminders = content.messages.reminders
    for pid, msg in by_id.items():
        problem = EXPECTED[pid]
        expected = reminders[problem].subject.split("$")[0]
        assert str(msg["Subject"]).startswith(expected), (pid, msg["Subject"])
        assert msg["From"].addresses[0].display_name == "Pat Coordinator, PL Office"
        body = msg.get_body(("plain",)).get_content()
        assert "$" not in body and "Preview" in body
        parts = list(msg.iter_attachments())
        assert len(parts) == 1 and parts[0].get_content_type() == "application/pdf"
        pdf = parts[0].get_content()
        if problem == "mostly_blank":  # the very file they sent, inside their message
            (sent,) = read_message((folder / "returned" / f"{pid}.eml").read_bytes()
                                   ).attachments
            assert pdf == sent.data
        else:
            assert pdf == Personalizer(content).copy(person_of(folder, content, pid))
        assert recipient_of(pdf) == pid
    zoe = by_id["p03"]["To"].addresses[0]
    assert (zoe.display_name, zoe.addr_spec) == ("Zoë Ångström", "p03@district.test")
    pat = by_id["p06"]["To"].addresses[0]
    assert pat.display_name == "O'Brien, Pat"


def test_a_second_run_of_the_same_round_sends_none(folder: Path,
                                                    smtp_server: SmtpServer) -> None:
    """Rerun: nothing sent, everyone skipped; a new round sends again only with
    --min-days 0 when the first round was today."""
    assert remind(folder, "--smtp", smtp_server.hostport)[0] == 0
    code, output = remind(folder, "--smtp", smtp_server.hostport)
    assert code == 0 and len(smtp_server.handler.received) == len(REMINDED)
    assert f"skipped {len(REMINDED)} (already sent)" in output
    code, output = remind(folder, "--smtp", smtp_server.hostport, "--round", "2")
    assert code == 0 and len(smtp_server.handler.received) == len(REMINDED)
    assert output.count("less than 3 day(s) ago") == len(REMINDED)
    code, output = remind(folder, "--smtp", smtp_server.hostport, "--round", "2",
                          "--min-days", "0")
    assert code == 0 and len(smtp_server.handler.received) == 2 * len(REMINDED)


def test_outbox_drafts_are_journaled_and_dry_run_sends_nothing(folder: Path) -> None:
    """--dry-run lists the nine and writes nothing; --outbox writes nine drafts once."""
    code, output = remind(folder, "--dry-run")
    assert code == 0 and f"would send {len(REMINDED)} reminder(s)" in output
    assert not (folder / "reminded.jsonl").exists()
    code, output = remind(folder, "--outbox", str(folder / "out"))
    assert code == 0 and len(list((folder / "out").glob("*.eml"))) == len(REMINDED)
    code, output = remind(folder, "--outbox", str(folder / "out2"))
    assert code == 0 and not list((folder / "out2").glob("*.eml"))
    assert output.count("is in the outbox already") == len(REMINDED)


def test_the_next_collect_says_who_was_reminded(folder: Path, smtp_server: SmtpServer
                                                 ) -> None:
    """After reminders and receipts, collect's summary.json and the first page of
    summary.pdf say how many were reminded, answered after it and are still missing."""
    assert remind(folder, "--smtp", smtp_server.hostport)[0] == 0
    assert remind(folder, "--smtp", smtp_server.hostport, "--receipts")[0] == 0
    receipts = [parsed(r.data) for r in smtp_server.handler.received][len(REMINDED):]
    assert sorted(m["X-Guidepdf-Recipient-Id"] for m in receipts) == ["p01", "p10"]
    coach = next(m for m in receipts if m["X-Guidepdf-Recipient-Id"] == "p01")
    text = " ".join(coach.get_content().split())
    assert "8 of 8 reflection questions" in text and "22 of 22 outcomes" in text
    assert not list(coach.iter_attachments())
    result = CliRunner().invoke(main, ["collect", str(folder / "returned"), "--roster",
                                       str(folder / "roster.csv"), "--out",
                                       str(folder / "summary"), "--jobs", "1"])
    assert result.exit_code in (0, 1), result.output
    data = json.loads((folder / "summary" / "summary.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema())
    assert data["followup"] == {"reminded": len(REMINDED), "answered_after_reminder": 0,
                                "still_missing": 10, "receipts": 2}
    first = PdfReader(folder / "summary" / "summary.pdf").pages[0].extract_text()
    assert "Follow-up: 9 people reminded, 0 answered after a reminder, 10 still without " \
        "a usable form; 2 receipt(s) sent." in " ".join(first.split())
