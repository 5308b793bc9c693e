"""Sending through a real SMTP server on 127.0.0.1: delivery, resume after a crash or a
dropped connection, failures, retries, rate limit, credentials; and the .eml outbox."""

from __future__ import annotations

import email
import json
import os
import shutil
import ssl
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from guidepdf import formspec
from guidepdf.cli import main
from guidepdf.content import Content
from guidepdf.distribute import (
    Journal,
    MailTemplate,
    Personalizer,
    SmtpSettings,
    prepare_outgoing,
    read_roster,
    send_all,
)
from guidepdf.distribute.mail import parse_sender
from guidepdf.errors import SendError
from tests.distribute.conftest import (
    PEOPLE,
    Recorder,
    SmtpServer,
    attachment_of,
    manifest_of,
    start_server,
)

SRC = Path(__file__).resolve().parents[2] / "src"
SENDER = "Lakeshore Learning <guides@example.org>"
EMAILS = [row[2] for row in PEOPLE]


def send(roster: Path, body: Path, *extra: str, env: dict[str, str] | None = None) -> Result:
    args = ["send", "--roster", str(roster), "--from", SENDER, "--subject",
            "Your guide, $name", "--body", str(body), *extra]
    return CliRunner().invoke(main, args, env=env)


def last_line(result: Result) -> str:
    return result.stdout.strip().splitlines()[-1]


def journal_lines(roster: Path) -> list[dict[str, str]]:
    path = roster.parent / "sent.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_each_person_receives_their_own_guide(smtp_server: SmtpServer, roster_file: Path,
                                              body_file: Path) -> None:
    """Recipients, subject, decoded body and the attached PDF whose manifest names them."""
    result = send(roster_file, body_file, "--smtp", smtp_server.hostport)
    assert result.exit_code == 0, result.output
    assert last_line(result) == (f"sent 5, skipped 0 (already sent), failed 0 — journal: "
                                 f"{roster_file.parent / 'sent.jsonl'}")
    received = smtp_server.handler.received
    assert [r.rcpt_tos for r in received] == [[e] for e in EMAILS]
    for (pid, name, address, role, group), got in zip(PEOPLE, received, strict=True):
        msg = got.message
        assert got.mail_from == "guides@example.org"
        assert str(msg["Subject"]) == f"Your guide, {name}"
        assert msg["To"].addresses[0].display_name == name  # type: ignore[union-attr]
        body = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
        assert body.startswith(f"Dear {name},\n\nattached is your guide for ")
        assert f"({group}).\nIt costs $0.\n" in body
        kind, filename, pdf = attachment_of(msg)
        assert kind == "application/pdf" and filename.startswith(f"{role}-")
        assert filename.endswith(f"-{pid}.pdf")
        recipient = manifest_of(pdf)[0].recipient
        assert recipient == formspec.Recipient(pid, name, address, group)
    assert [r["status"] for r in journal_lines(roster_file)] == \
        ["sending", "handing", "sent"] * 5


def test_a_second_run_sends_nothing_again(smtp_server: SmtpServer, roster_file: Path,
                                          body_file: Path) -> None:
    """Re-running a finished send skips everyone: the journal knows them."""
    assert send(roster_file, body_file, "--smtp", smtp_server.hostport).exit_code == 0
    again = send(roster_file, body_file, "--smtp", smtp_server.hostport)
    assert again.exit_code == 0, again.output
    assert last_line(again).startswith("sent 0, skipped 5 (already sent), failed 0")
    assert len(smtp_server.handler.received) == 5


def test_a_copy_with_new_bytes_but_the_same_content_is_not_resent(
        smtp_server: SmtpServer, roster_file: Path, body_file: Path) -> None:
    """If only the PDF bytes changed (say pikepdf was upgraded between runs) but not what
    the copy says, the journal still counts the person as served."""
    assert send(roster_file, body_file, "--smtp", smtp_server.hostport).exit_code == 0
    path = roster_file.parent / "sent.jsonl"
    records = [{**r, "key": r["id"] + "\x1f" + "0" * 64, "sha256": "0" * 64}
               for r in journal_lines(roster_file)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    again = send(roster_file, body_file, "--smtp", smtp_server.hostport)
    assert last_line(again).startswith("sent 0, skipped 5 (already sent), failed 0")
    assert len(smtp_server.handler.received) == 5


def test_a_changed_guide_is_sent_again_and_said_so(smtp_server: SmtpServer,
                                                   roster_file: Path, body_file: Path) -> None:
    """A person whose copy now says something else (here: prefilled) gets the new one."""
    assert send(roster_file, body_file, "--smtp", smtp_server.hostport).exit_code == 0
    again = send(roster_file, body_file, "--smtp", smtp_server.hostport, "--prefill")
    assert again.exit_code == 0, again.output
    assert ("5 person(s) had been sent an earlier version of their guide; they were sent the "
            "current one.") in again.stdout
    assert len(smtp_server.handler.received) == 10


def test_dropped_connection_then_resume_sends_each_person_once(
        smtp_server: SmtpServer, roster_file: Path, body_file: Path) -> None:
    """A server that drops the connection at MAIL FROM (before it can have the message)
    after 2 messages stops the run, the message tried counted as failed; the resumed run
    sends the other 3; every person has exactly one message."""
    smtp_server.handler.drop_at_mail_after = 2
    first = send(roster_file, body_file, "--smtp", smtp_server.hostport, "--retries", "2",
                 "--backoff", "0")
    assert first.exit_code == 1
    assert last_line(first).startswith(
        "sent 2, skipped 0 (already sent), failed 1, not attempted 2; stopped early: the "
        "server could not be reached: connection failed: Connection unexpectedly closed")
    smtp_server.handler.drop_at_mail_after = None
    second = send(roster_file, body_file, "--smtp", smtp_server.hostport)
    assert second.exit_code == 0, second.output
    assert last_line(second).startswith("sent 3, skipped 2 (already sent), failed 0")
    counts = Counter(r.rcpt_tos[0] for r in smtp_server.handler.received)
    assert counts == dict.fromkeys(EMAILS, 1)


def test_killed_run_resumes_without_duplicates(smtp_server: SmtpServer, roster_file: Path,
                                               body_file: Path) -> None:
    """A send process killed (SIGKILL) in the middle of its third message, before the end
    of its DATA, then started again, sends that message without asking (the server cannot
    have it) and leaves every person with exactly one message."""
    handler = smtp_server.handler
    handler.hold_at_rcpt_after = 2
    args = [sys.executable, "-m", "guidepdf", "send", "--roster", str(roster_file), "--from",
            SENDER, "--subject", "Your guide", "--body", str(body_file), "--smtp",
            smtp_server.hostport]
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        assert handler.holding.wait(60), "the send run never reached its third message"
    finally:
        process.kill()
        process.wait(30)
        handler.release.set()
    assert len(handler.received) == 2
    handler.hold_at_rcpt_after = None
    resumed = send(roster_file, body_file, "--smtp", smtp_server.hostport)
    assert resumed.exit_code == 0, resumed.output
    assert "uncertain" not in resumed.output
    assert last_line(resumed).startswith("sent 3, skipped 2 (already sent), failed 0")
    counts = Counter(r.rcpt_tos[0] for r in handler.received)
    assert counts == dict.fromkeys(EMAILS, 1)


def test_permanent_failures_are_listed_with_the_reason(smtp_server: SmtpServer,
                                                       roster_file: Path,
                                                       body_file: Path) -> None:
    """A refused recipient (550) is not retried, the others are sent, and the end of the
    output names the person and the server's reason (exit 1)."""
    smtp_server.handler.refuse["bo@example.org"] = "550 5.1.1 <bo@example.org>: no such user"
    result = send(roster_file, body_file, "--smtp", smtp_server.hostport)
    assert result.exit_code == 1
    assert ("failed  Bo Chen <bo@example.org> (line 3): recipient refused: 550 5.1.1 "
            "<bo@example.org>: no such user") in result.stdout
    assert last_line(result).startswith("sent 4, skipped 0 (already sent), failed 1")
    assert len(smtp_server.handler.received) == 4


def _items(content: Content, roster_file: Path, body: str = "Hi $name") -> list:  # type: ignore[type-arg]
    roster = read_roster(roster_file, content.roles)
    return list(prepare_outgoing(Personalizer(content), list(roster.people),
                                 MailTemplate("Guide", body), parse_sender(SENDER)))


def test_transient_failures_are_retried_with_backoff(smtp_server: SmtpServer,
                                                     roster_file: Path,
                                                     content: Content) -> None:
    """A 451 is retried after the backoff delay, doubling, and then succeeds."""
    smtp_server.handler.fail_once["ann@example.org"] = "451 4.7.1 try again later"
    sleeps: list[float] = []
    events: list[tuple[str, str]] = []
    with Journal(roster_file.parent / "sent.jsonl") as journal:
        result = send_all(_items(content, roster_file), SmtpSettings("127.0.0.1",
                          smtp_server.port), journal, backoff=1.5, sleep=sleeps.append,
                          on_event=lambda e, item, d: events.append((e, item.person.id)))
    assert [p.id for p in result.sent] == ["p1", "p2", "p3", "p4", "p5"]
    assert sleeps == [1.5]
    assert events[:2] == [("retry", "p1"), ("sent", "p1")]


def test_rate_limit_spaces_messages(smtp_server: SmtpServer, roster_file: Path,
                                    content: Content) -> None:
    """At 30/min, each message after the first waits its 2-second slot."""
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(round(seconds, 6))
        now[0] += seconds

    with Journal(roster_file.parent / "sent.jsonl") as journal:
        result = send_all(_items(content, roster_file), SmtpSettings("127.0.0.1",
                          smtp_server.port), journal, rate_per_minute=30, sleep=sleep,
                          clock=lambda: now[0])
    assert len(result.sent) == 5
    assert waits == [2.0] * 4


def test_password_is_used_and_never_shown(auth_smtp_server: SmtpServer, roster_file: Path,
                                          body_file: Path) -> None:
    """The password comes from the named variable, reaches the server, and appears in no
    output and no journal line — also when the login is refused."""
    server = auth_smtp_server
    env = {"GUIDEPDF_SMTP_PASSWORD": "s3cret-Pa55"}
    result = send(roster_file, body_file, "--smtp", server.hostport, "--user", "mailer",
                  "--password-env", "GUIDEPDF_SMTP_PASSWORD", env=env)
    assert result.exit_code == 0, result.output
    assert server.handler.logins[0] == (b"mailer", b"s3cret-Pa55")
    assert len(server.handler.received) == 5
    journal = (roster_file.parent / "sent.jsonl").read_text()
    assert "s3cret" not in result.output and "s3cret" not in journal
    (roster_file.parent / "sent.jsonl").unlink()
    env = {"GUIDEPDF_SMTP_PASSWORD": "wrong-s3cret"}
    refused = send(roster_file, body_file, "--smtp", server.hostport, "--user", "mailer",
                   "--password-env", "GUIDEPDF_SMTP_PASSWORD", env=env)
    assert refused.exit_code == 1
    assert "the server refused the login: 535" in refused.output
    assert "s3cret" not in refused.output
    assert "s3cret" not in (roster_file.parent / "sent.jsonl").read_text()


@pytest.mark.parametrize(("args", "env", "message"), [
    (("smtp.example.org:587", "none", "u", "PW"), {"PW": "x"}, "unencrypted connection"),
    (("smtp.example.org:587", "starttls", "u", "PW"), {}, "PW is not set"),
    (("smtp.example.org:587", "ssl", "u", None), {}, "--user needs --password-env"),
    (("smtp.example.org", "ssl", None, None), {}, "is not HOST:PORT"),
])
def test_smtp_settings_are_checked_before_connecting(args: tuple, env: dict[str, str],  # type: ignore[type-arg]
                                                     message: str) -> None:
    """No password in clear text off this machine, and never from the command line."""
    with pytest.raises(SendError, match=message):
        SmtpSettings.parse(*args, environ=env)


def test_starttls_with_a_trusted_certificate(tmp_path: Path, roster_file: Path,
                                             content: Content) -> None:
    """--starttls upgrades the session and verifies the server's certificate."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    handler = Recorder()
    controller = start_server(handler, tls_context=server_context, require_starttls=True)
    try:
        client = ssl.create_default_context(cafile=str(cert))
        settings = SmtpSettings("127.0.0.1", int(controller.port), "starttls",
                                ssl_context=client)
        with Journal(tmp_path / "sent.jsonl") as journal:
            result = send_all(_items(content, roster_file), settings, journal)
        assert len(result.sent) == 5 and len(handler.received) == 5
        with Journal(tmp_path / "other.jsonl") as journal:
            plain = send_all(_items(content, roster_file),
                             SmtpSettings("127.0.0.1", int(controller.port), "starttls"),
                             journal)
        assert "certificate" in plain.aborted and not plain.sent
    finally:
        controller.stop()


def test_outbox_writes_eml_files_and_sends_nothing(tmp_path: Path, roster_file: Path,
                                                   body_file: Path) -> None:
    """--outbox writes one standard .eml per person, named like the PDF, and no journal."""
    outbox = tmp_path / "outbox"
    result = send(roster_file, body_file, "--outbox", str(outbox))
    assert result.exit_code == 0, result.output
    assert last_line(result) == f"Wrote 5 message(s) to {outbox}/ — nothing was sent."
    files = sorted(outbox.iterdir())
    assert [f.name for f in files][:2] == ["coach-ann-lee-p1.eml", "coach-dmitri-ivanov-p4.eml"]
    for path in files:
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for header in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version"):
            assert msg[header], header
        _, filename, pdf = attachment_of(msg)  # type: ignore[arg-type]
        assert filename == path.stem + ".pdf"
        assert manifest_of(pdf)[0].recipient.email == msg["To"].addresses[0].addr_spec  # type: ignore[union-attr]
    assert not (roster_file.parent / "sent.jsonl").exists()


def test_dry_run_shows_who_would_get_what(smtp_server: SmtpServer, roster_file: Path,
                                          body_file: Path) -> None:
    """--dry-run lists each recipient, file and subject, marks those already sent, and
    sends nothing."""
    dry = send(roster_file, body_file, "--smtp", smtp_server.hostport, "--dry-run")
    assert dry.exit_code == 0, dry.output
    out = dry.stdout.splitlines()
    assert out[0].startswith("would send  Ann Lee <ann@example.org>  coach-ann-lee-p1.pdf (")
    assert out[0].endswith("Subject: Your guide, Ann Lee")
    assert out[-1] == "dry run: would send 5, skip 0 (already sent); nothing was sent."
    assert smtp_server.handler.received == []
    assert send(roster_file, body_file, "--smtp", smtp_server.hostport).exit_code == 0
    again = send(roster_file, body_file, "--dry-run")
    assert again.stdout.splitlines()[0].startswith("already sent  Ann Lee <ann@example.org>")


def test_template_errors_stop_the_run_before_sending(smtp_server: SmtpServer,
                                                     roster_file: Path, tmp_path: Path) -> None:
    """An unknown placeholder is reported (exit 2) and nothing is sent or journaled."""
    body = tmp_path / "bad.txt"
    body.write_text("Dear $nmae,\n", encoding="utf-8")
    result = send(roster_file, body, "--smtp", smtp_server.hostport)
    assert result.exit_code == 2
    assert "bad.txt:1: unknown placeholder $nmae — did you mean $name?" in result.output
    assert smtp_server.handler.received == [] and journal_lines(roster_file) == []


@pytest.mark.parametrize("extra", [(), ("--outbox", "o", "--smtp", "127.0.0.1:25")])
def test_send_needs_exactly_one_destination(roster_file: Path, body_file: Path,
                                            extra: tuple[str, ...]) -> None:
    """Without --outbox, --smtp or --dry-run (or with both) it is a usage error."""
    result = send(roster_file, body_file, *extra)
    assert result.exit_code == 2
    assert "--outbox" in result.output


def test_journal_survives_a_torn_line_and_refuses_a_second_writer(tmp_path: Path) -> None:
    """A line cut short by a crash is skipped; a second run on the same journal is refused."""
    path = tmp_path / "sent.jsonl"
    path.write_text('{"key": "a\\u001fh", "id": "a", "status": "sent"}\n{"key": "b\\u001f',
                    encoding="utf-8")
    with Journal(path) as journal:
        assert journal.sent == {"a\x1fh"} and journal.damaged_lines == 1
        with pytest.raises(SendError, match="another send run is using this journal"):
            Journal(path)


@pytest.mark.parametrize(("edition", "subject", "greeting"), [
    (None, "Your action guide for the year ahead", "Dear Ann Lee,"),
    ("es", "Su guía de acción para el próximo ciclo escolar", "Estimado/a Ann Lee:")])
def test_without_subject_and_body_the_editions_mail_text_is_used(
        tmp_path: Path, roster_file: Path, edition: str | None, subject: str,
        greeting: str) -> None:
    """No --subject and --body: the message is the edition's mail.subject and mail.body
    labels, with each person's name, role title and file name filled in."""
    outbox = tmp_path / "outbox"
    args = ["send", "--roster", str(roster_file), "--from", SENDER, "--outbox", str(outbox)]
    result = CliRunner().invoke(main, args + (["--edition", edition] if edition else []))
    assert result.exit_code == 0, result.output
    path = sorted(outbox.iterdir())[0]
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert msg["Subject"] == subject
    body = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert body.splitlines()[0] == greeting
    assert f"({path.stem}.pdf)" in " ".join(body.split())
