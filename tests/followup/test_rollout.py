"""The done-means of follow-up: a whole rollout against a real SMTP server (aiosmtpd) and a
real IMAP server (Dovecot). 40 people are sent their guides; 25 return good forms, 3 the
blank copy, 2 a flattened copy, 2 a reply without the form, 8 nothing. status shows each
exactly; remind sends 15 reminders naming each problem with the right attachment — also
when the first run is killed (SIGKILL) mid-way and run again; a second remind the same day
sends none; receipts go to exactly the 25; the next collect's summary says who was reminded."""

from __future__ import annotations

import email
import io
import json
import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path

import jsonschema
import pikepdf
import pytest
from click.testing import CliRunner

from guidepdf import formspec
from guidepdf.cli import main
from guidepdf.content import Content
from guidepdf.followup.status import SCHEMA_PATH
from guidepdf.paths import default_content_dir
from guidepdf.report.summary_json import schema as summary_schema
from tests.distribute.conftest import Recorder, SmtpServer, start_server, write_roster
from tests.followup.scenario import filled, flattened
from tests.mail import messages
from tests.mail.conftest import PASSWORD_VAR
from tests.mail.dovecot import PASSWORD, Dovecot

pytestmark = pytest.mark.slow

MAILBOX = "rollout@district.test"
SENDER = "Lakeshore PL Office <pl@district.test>"
WHEN = datetime(2026, 10, 6, 8, 0, tzinfo=UTC)
FIRST = ("Ana", "Zoë", "Pat", "Chloé", "Dmitri", "Inés", "Kwame", "Hiro")
LAST = ("O'Brien", "Ångström", "Núñez", "Smith, Jr.", "Li", "Okafor", "\"Doc\" Brown", "Kim")
ROLES = ("coach", "teacher", "principal")
KINDS = ["good"] * 25 + ["blank"] * 3 + ["flattened"] * 2 + ["no_attachment"] * 2 + \
    ["nothing"] * 8
PROBLEM = {"good": "none", "blank": "blank", "flattened": "flattened",
           "no_attachment": "no_attachment", "nothing": "no_reply"}


class KillingRecorder(Recorder):
    """Records like the others; once `kill_after` messages are in, kills process `pid`
    (SIGKILL) before answering the last one — the sender dies between the end of DATA
    and the server's 250."""

    kill_after: int | None = None
    pid: int | None = None

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        reply = await super().handle_DATA(server, session, envelope)
        if self.kill_after is not None and len(self.received) >= self.kill_after \
                and self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            self.kill_after = None
        return reply


@pytest.fixture
def smtp() -> SmtpServer:
    handler = KillingRecorder()
    controller = start_server(handler)
    try:
        yield SmtpServer("127.0.0.1", int(controller.port), handler)
    finally:
        controller.stop()


def parsed(data: bytes) -> EmailMessage:
    return email.message_from_bytes(data, policy=policy.default)  # type: ignore[return-value]


def guidepdf(*args: str, cwd: Path, env: dict[str, str] | None = None
             ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "guidepdf", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})})


def run(*args: str) -> tuple[int, str]:
    result = CliRunner(env={PASSWORD_VAR: PASSWORD}).invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def recipient_of(pdf: bytes) -> str:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        info = str(doc.docinfo[formspec.MANIFEST_INFO_KEY])
    recipient = formspec.Manifest.from_json(info).recipient
    assert recipient is not None
    return recipient.id


def test_a_whole_rollout_is_followed_up_exactly(dovecot: Dovecot, smtp: SmtpServer,
                                                content: Content, tmp_path: Path) -> None:
    """See the module docstring."""
    content_dir = str(default_content_dir())
    rows = [(f"r{n:02d}", f"{FIRST[n % 8]} {LAST[(n // 8 + n) % 8]}", f"r{n:02d}@school.test",
             ROLES[n % 3], f"School {n % 4}") for n in range(40)]
    roster = write_roster(tmp_path / "roster.csv", rows)
    kinds = {rows[n][0]: KINDS[n] for n in range(40)}
    body = tmp_path / "body.txt"
    body.write_text("Dear $name,\n\nyour guide is attached.\n", encoding="utf-8")
    base = ["--roster", str(roster), "--content", content_dir]
    mail_in = ["--imap", f"127.0.0.1:{dovecot.imaps_port}", "--user", MAILBOX,
               "--cafile", str(dovecot.cert), "--password-env", PASSWORD_VAR]
    returned, summary = tmp_path / "returned", tmp_path / "summary"
    follow = [*base, "--summary", str(summary / "summary.json"), "--returned",
              str(returned)]

    # send the guides: each person's copy is what they will send back
    code, out = run("send", *base, "--from", SENDER, "--subject", "Your $role_title guide",
                    "--body", str(body), "--smtp", smtp.hostport)
    assert code == 0, out
    copies = {}
    for item in smtp.handler.received:
        msg = parsed(item.data)
        (part,) = msg.iter_attachments()
        copies[msg["X-Guidepdf-Recipient-Id"]] = (part.get_filename(), part.get_content(),
                                                  msg["Message-ID"])
    assert len(copies) == 40
    smtp.handler.received.clear()

    # the replies arrive in the coordinator's mailbox
    replies = []
    for n, (pid, name, addr, role, _) in enumerate(rows):
        filename, copy, _ = copies[pid]
        when, subject = WHEN + timedelta(hours=n), f"Re: Your {role} guide"
        style = messages.STYLES[n % len(messages.STYLES)]
        kind = kinds[pid]
        if kind == "no_attachment":
            replies.append(messages.no_attachment(name, addr, MAILBOX, when, subject))
        elif kind != "nothing":
            pdf = copy if kind == "blank" else filled(content, role, copy)
            pdf = flattened(pdf) if kind == "flattened" else pdf
            replies.append(style(name, addr, MAILBOX, when, subject, [(filename, pdf)]))
    dovecot.deliver(replies, MAILBOX)
    code, out = run("collect", str(returned), *base, "--out", str(summary), "--jobs", "1",
                    *mail_in)
    assert code in (0, 1), out

    # status: each person exactly
    code, out = run("status", *follow)
    assert code == 0, out
    status = json.loads((summary / "status.json").read_text(encoding="utf-8"))
    jsonschema.validate(status, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    rows_by_id = {r["id"]: r for r in status["rows"]}
    assert {pid: rows_by_id[pid]["problem"] for pid in kinds} == \
        {pid: PROBLEM[k] for pid, k in kinds.items()}
    assert all(r["sent"] == "sent" for r in status["rows"])
    assert status["totals"]["usable"] == 25 and status["totals"]["still_missing"] == 15

    # remind, killed after the 6th message; run again: 15 in all
    smtp.handler.kill_after = 6
    args = ["remind", *follow, "--from", SENDER, "--smtp", smtp.hostport]
    proc = subprocess.Popen([sys.executable, "-m", "guidepdf", *args], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    smtp.handler.pid = proc.pid
    assert proc.wait(timeout=600) == -signal.SIGKILL
    assert len(smtp.handler.received) == 6
    again = guidepdf(*args, cwd=tmp_path)
    assert again.returncode == 1, again.stdout + again.stderr  # one uncertain: said so
    assert "uncertain" in again.stdout
    reminders = [parsed(r.data) for r in smtp.handler.received]
    assert len(reminders) == 15
    to = Counter(m["X-Guidepdf-Recipient-Id"] for m in reminders)
    assert set(to) == {pid for pid, k in kinds.items() if k != "good"} and max(to.values()) == 1
    subjects = {p: content.messages.reminder(p).subject.split("$")[0]
                for p in ("blank", "flattened", "no_attachment", "no_reply")}
    for msg in reminders:
        pid = msg["X-Guidepdf-Recipient-Id"]
        problem = PROBLEM[kinds[pid]]
        assert str(msg["Subject"]).startswith(subjects[problem]), (pid, msg["Subject"])
        assert msg["In-Reply-To"] == copies[pid][2]
        name = next(r[1] for r in rows if r[0] == pid)
        assert msg["To"].addresses[0].display_name == name
        (part,) = msg.iter_attachments()
        assert part.get_filename() == copies[pid][0]
        assert recipient_of(part.get_content()) == pid
        assert part.get_content() == copies[pid][1]  # their own copy, as it was sent

    # a second remind the same day sends none
    code, out = run(*args)
    assert len(smtp.handler.received) == 15, out

    # receipts: exactly the 25
    smtp.handler.received.clear()
    code, out = run("remind", *follow, "--from", SENDER, "--smtp", smtp.hostport,
                    "--receipts")
    assert code == 0, out
    receipts = [parsed(r.data) for r in smtp.handler.received]
    assert {m["X-Guidepdf-Recipient-Id"] for m in receipts} == \
        {pid for pid, k in kinds.items() if k == "good"} and len(receipts) == 25
    for msg in receipts:
        assert not list(msg.iter_attachments())
        questions = len(content.role(next(r[3] for r in rows
                                          if r[0] == msg["X-Guidepdf-Recipient-Id"])).questions)
        assert f"{questions} of {questions}" in " ".join(msg.get_content().split())
    code, out = run("remind", *follow, "--from", SENDER, "--smtp", smtp.hostport,
                    "--receipts")
    assert code == 0 and len(smtp.handler.received) == 25

    # one reminded person answers; the next collect's summary has the follow-up state
    late = next(r for r in rows if kinds[r[0]] == "nothing")
    filename, copy, _ = copies[late[0]]
    dovecot.deliver([messages.gmail(late[1], late[2], MAILBOX, datetime.now(UTC),
                                    "Re: Reminder", [(filename, filled(content, late[3],
                                                                      copy))])], MAILBOX)
    code, out = run("collect", str(returned), *base, "--out", str(summary), "--jobs", "1",
                    *mail_in)
    assert code in (0, 1), out
    data = json.loads((summary / "summary.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, summary_schema())
    assert data["followup"] == {"reminded": 15, "answered_after_reminder": 1,
                                "still_missing": 14, "receipts": 25}
