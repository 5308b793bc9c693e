"""Sending against SMTP servers on 127.0.0.1 that misbehave on purpose: nobody is mailed
twice without being asked, a slow server is called slow, and the run keeps its deadline."""

from __future__ import annotations

import json
import os
import smtplib
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from guidepdf.cli import main
from tests.distribute.conftest import PEOPLE, SmtpServer

SRC = Path(__file__).resolve().parents[2] / "src"
SENDER = "Lakeshore Learning <guides@example.org>"
EMAILS = [row[2] for row in PEOPLE]


def send(roster: Path, body: Path, *extra: str) -> Result:
    args = ["send", "--roster", str(roster), "--from", SENDER, "--subject",
            "Your guide, $name", "--body", str(body), *extra]
    return CliRunner().invoke(main, args)


def last_line(result: Result) -> str:
    return result.stdout.strip().splitlines()[-1]


def statuses(roster: Path, person_id: str) -> list[str]:
    lines = (roster.parent / "sent.jsonl").read_text(encoding="utf-8").splitlines()
    return [r["status"] for r in map(json.loads, lines) if r["id"] == person_id]


def test_stored_then_dropped_before_the_250_is_uncertain_and_never_retried(
        smtp_server: SmtpServer, roster_file: Path, body_file: Path) -> None:
    """A server that keeps the message and drops the link before its 250: the message is
    not retried, the run says 'uncertain', a rerun does not send it, and only
    --resend-uncertain sends it again."""
    handler = smtp_server.handler
    handler.store_then_drop.add("bo@example.org")
    first = send(roster_file, body_file, "--smtp", smtp_server.hostport, "--backoff", "0")
    assert first.exit_code == 1, first.output
    assert "uncertain  Bo Chen <bo@example.org> (line 3): the server may have delivered it" \
        in first.stdout
    assert last_line(first).startswith(
        "sent 4, skipped 0 (already sent), failed 0, uncertain 1 (the server may have them)")
    assert Counter(r.rcpt_tos[0] for r in handler.received) == dict.fromkeys(EMAILS, 1)
    assert statuses(roster_file, "p2") == ["sending", "handing", "uncertain"]
    handler.store_then_drop.clear()
    again = send(roster_file, body_file, "--smtp", smtp_server.hostport)
    assert again.exit_code == 1
    assert "uncertain  Bo Chen" in again.stdout and "--resend-uncertain" in again.stdout
    assert last_line(again).startswith("sent 0, skipped 4 (already sent), failed 0, "
                                       "uncertain 1")
    assert len(handler.to("bo@example.org")) == 1
    asked = send(roster_file, body_file, "--smtp", smtp_server.hostport,
                 "--resend-uncertain")
    assert asked.exit_code == 0, asked.output
    assert "1 uncertain message(s) were sent again, as asked" in asked.stdout
    assert len(handler.to("bo@example.org")) == 2
    assert last_line(asked).startswith("sent 1, skipped 4 (already sent), failed 0 —")


def test_a_250_after_the_client_timeout_is_uncertain(smtp_server: SmtpServer,
                                                    roster_file: Path,
                                                    body_file: Path) -> None:
    """The server's 250 arrives after --timeout: one copy, reported uncertain with the
    timeout named, and no further copy on resume."""
    handler = smtp_server.handler
    handler.store_then_delay["ann@example.org"] = 2.5
    first = send(roster_file, body_file, "--smtp", smtp_server.hostport, "--timeout", "1",
                 "--backoff", "0")
    assert first.exit_code == 1, first.output
    assert ("uncertain  Ann Lee <ann@example.org> (line 2): the server may have delivered "
            "it — after the whole message went out, the server did not answer within 1 s"
            ) in first.stdout
    handler.store_then_delay.clear()
    resumed = send(roster_file, body_file, "--smtp", smtp_server.hostport)
    assert "uncertain 1" in last_line(resumed)
    assert Counter(r.rcpt_tos[0] for r in handler.received) == dict.fromkeys(EMAILS, 1)


def test_sigkill_after_the_end_of_data_is_not_resent_on_resume(
        smtp_server: SmtpServer, roster_file: Path, body_file: Path) -> None:
    """A send process SIGKILLed (by PID) while the server holds its 250 for a message it
    has stored: the resumed run lists that message as uncertain instead of sending it
    again; everyone else gets theirs once."""
    handler = smtp_server.handler
    handler.hold_after, handler.hold_stores = 2, True
    args = [sys.executable, "-m", "guidepdf", "send", "--roster", str(roster_file), "--from",
            SENDER, "--subject", "Your guide", "--body", str(body_file), "--smtp",
            smtp_server.hostport]
    process = subprocess.Popen(args, env={**os.environ, "PYTHONPATH": str(SRC)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert handler.holding.wait(60), "the send run never reached its third message"
    finally:
        os.kill(process.pid, 9)
        process.wait(30)
        handler.release.set()
    handler.hold_after = None
    assert statuses(roster_file, "p3") == ["sending", "handing"]
    resumed = send(roster_file, body_file, "--smtp", smtp_server.hostport)
    assert resumed.exit_code == 1, resumed.output
    assert ("uncertain  Zoë Ångström <zoe@example.org> (line 4): the server may have "
            "delivered it — an earlier run stopped after handing the message to the server"
            ) in resumed.stdout
    assert last_line(resumed).startswith("sent 2, skipped 2 (already sent), failed 0, "
                                         "uncertain 1")
    assert Counter(r.rcpt_tos[0] for r in handler.received) == dict.fromkeys(EMAILS, 1)


@pytest.fixture
def mute_server() -> Iterator[tuple[int, list[socket.socket]]]:
    """A TCP server on 127.0.0.1 that accepts connections and then trickles its greeting
    one byte every 0.3 s, never finishing a line (a stuck or overloaded server)."""
    listener = socket.create_server(("127.0.0.1", 0))
    clients: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            clients.append(conn)
            threading.Thread(target=trickle, args=(conn,), daemon=True).start()

    def trickle(conn: socket.socket) -> None:
        while not stop.is_set():
            try:
                conn.send(b"2")
            except OSError:
                return
            time.sleep(0.3)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], clients
    finally:
        stop.set()
        thread.join(5)
        listener.close()
        for conn in clients:
            conn.close()


def test_a_slow_server_is_reported_as_slow(roster_file: Path, body_file: Path) -> None:
    """A server that accepts the connection but never greets is 'did not answer within
    N s', not 'could not be reached', and nobody is counted as not attempted wrongly."""
    listener = socket.create_server(("127.0.0.1", 0))  # the kernel accepts; nobody talks
    try:
        port = listener.getsockname()[1]
        result = send(roster_file, body_file, "--smtp", f"127.0.0.1:{port}", "--timeout",
                      "0.5", "--retries", "0")
    finally:
        listener.close()
    assert result.exit_code == 1
    assert "the server did not answer within 0.5 s (it is slow or stuck)" in result.stdout
    assert last_line(result).startswith("sent 0, skipped 0 (already sent), failed 1, "
                                        "not attempted 4; stopped early:")


def test_the_deadline_stops_a_trickling_server(mute_server: tuple[int, list[socket.socket]],
                                               roster_file: Path, body_file: Path) -> None:
    """A server sending one byte every 0.3 s never trips the per-answer --timeout; the
    run's --deadline still ends the run on time, saying why."""
    port, _ = mute_server
    started = time.monotonic()
    result = send(roster_file, body_file, "--smtp", f"127.0.0.1:{port}", "--timeout", "5",
                  "--deadline", "2", "--retries", "3", "--backoff", "0")
    elapsed = time.monotonic() - started
    assert elapsed < 8, elapsed
    assert result.exit_code == 1
    assert "the run's --deadline of 2 s passed — run the same command again" in \
        last_line(result)


def test_a_deadline_that_passes_before_the_connection_opens_still_cuts_it(
        mute_server: tuple[int, list[socket.socket]]) -> None:
    """The watchdog's first cut finds no socket (the deadline passed before, or while, a
    connection was being opened); it cuts again until the run ends, so the trickled
    greeting that follows cannot hold the run."""
    from email.message import EmailMessage

    from guidepdf.distribute.send import _Deadline
    from guidepdf.distribute.smtp import Connection, SmtpSettings

    port, _ = mute_server
    connection = Connection(SmtpSettings("127.0.0.1", port, timeout=5))
    watchdog = _Deadline(0.05, connection)
    raised: list[BaseException] = []

    def deliver() -> None:
        try:
            connection.deliver(EmailMessage(), "a@example.org", "b@example.org",
                               before_end=lambda: None)
        except BaseException as exc:  # looked at below
            raised.append(exc)

    try:
        assert watchdog.passed.wait(2)  # passed, with nothing open to cut
        worker = threading.Thread(target=deliver, daemon=True)  # a hang must not hang us
        worker.start()
        worker.join(3)
        assert not worker.is_alive(), "the connection opened after the deadline hung"
        assert raised and isinstance(raised[0], OSError | smtplib.SMTPException), raised
    finally:
        watchdog.cancel()
        connection.abort()
