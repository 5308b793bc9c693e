"""Messages that say what to do: against SMTP servers on 127.0.0.1 that misbehave on
purpose, a server that wants STARTTLS says 'add --starttls' (not 'check --from'), --ssl
against a plain port hints at --starttls, a refused message is counted as failed (not
'not attempted'), and a resume against a dead server claims no message was sent."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from guidepdf.cli import main
from tests.distribute.conftest import Recorder, SmtpServer, free_port, start_server

SENDER = "Lakeshore Learning <guides@example.org>"


def send(roster: Path, body: Path, *extra: str) -> Result:
    return CliRunner().invoke(main, ["send", "--roster", str(roster), "--from", SENDER,
                                     "--subject", "Your guide", "--body", str(body),
                                     "--retries", "0", "--backoff", "0", *extra])


def test_a_server_that_wants_starttls_says_add_starttls(tmp_path: Path, roster_file: Path,
                                                        body_file: Path) -> None:
    """'530 Must issue a STARTTLS command first' at MAIL FROM is reported with the fix
    (--starttls), not as a problem with --from; nothing is sent."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler = Recorder()
    controller = start_server(handler, tls_context=context, require_starttls=True)
    try:
        result = send(roster_file, body_file, "--smtp", f"127.0.0.1:{controller.port}")
    finally:
        controller.stop()
    assert result.exit_code == 1, result.output
    assert "the server wants an encrypted session: 530" in result.output
    assert "add --starttls" in result.output and "check --from" not in result.output
    assert handler.received == []


def test_ssl_against_a_plain_port_hints_at_starttls(smtp_server: SmtpServer,
                                                    roster_file: Path,
                                                    body_file: Path) -> None:
    """--ssl against a port that speaks plain SMTP (expects STARTTLS): the handshake
    failure says the port may expect --starttls instead."""
    result = send(roster_file, body_file, "--smtp", smtp_server.hostport, "--ssl",
                  "--timeout", "5")
    assert result.exit_code == 1, result.output
    assert "the TLS handshake failed" in result.output
    assert "this port may expect --starttls instead of --ssl" in result.output


def test_a_refused_message_is_failed_not_unattempted(smtp_server: SmtpServer,
                                                     roster_file: Path,
                                                     body_file: Path) -> None:
    """A 550 for one recipient: 'failed 1' and everyone else sent; nobody is counted as
    not attempted."""
    smtp_server.handler.refuse["bo@example.org"] = "550 no such user"
    result = send(roster_file, body_file, "--smtp", smtp_server.hostport)
    assert result.exit_code == 1
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("sent 4, skipped 0 (already sent), failed 1 —"), last
    assert "not attempted" not in result.output


def test_a_resume_against_a_dead_server_claims_nothing_sent(smtp_server: SmtpServer,
                                                            roster_file: Path,
                                                            body_file: Path) -> None:
    """Everyone had the letter-paper copy; a run with A4 copies against a server that is
    gone sends nothing and says nothing was sent — not that people 'were sent the current
    one'."""
    assert send(roster_file, body_file, "--smtp", smtp_server.hostport).exit_code == 0
    dead = free_port()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", dead)) != 0
    result = send(roster_file, body_file, "--smtp", f"127.0.0.1:{dead}", "--paper", "a4")
    assert result.exit_code == 1
    assert "were sent the current one" not in result.output
    assert "sent 0," in result.stdout.strip().splitlines()[-1]
