"""`send --oauth2-token-cmd`: SASL XOAUTH2 (and OAUTHBEARER where offered) with the token
a helper command prints, against aiosmtpd servers that accept exactly the right token;
outbox .eml files open in Outlook as drafts (X-Unsent: 1)."""

from __future__ import annotations

import base64
import email
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.smtp import SMTP, AuthResult
from click.testing import CliRunner, Result

from guidepdf.cli import main
from tests.distribute.conftest import PEOPLE, start_server, write_roster

TOKEN = "ya29.a0-valid-token"


@dataclass
class OAuthRecorder:
    """Accepts exactly TOKEN for any user; records logins and messages."""

    mechanisms: tuple[str, ...] = ("XOAUTH2",)  # the best one offered comes first
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (mech, user, token)
    received: list[bytes] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if not session.authenticated:
            return "530 5.7.0 Authentication required"
        self.received.append(envelope.original_content)
        return "250 OK"

    async def _check(self, server: SMTP, mech: str, args: list[str]) -> AuthResult:
        raw = base64.b64decode(args[1]).decode() if len(args) > 1 else ""
        fields = dict(kv.split("=", 1) for kv in raw.split("\x01") if "=" in kv)
        user = fields.get("user") or raw.split(",")[1].removeprefix("a=") if raw else ""
        token = fields.get("auth", "").removeprefix("Bearer ")
        self.logins.append((mech, user, token))
        if token == TOKEN:
            return AuthResult(success=True, handled=False)
        error = base64.b64encode(json.dumps({"status": "401"}).encode()).decode()
        await server.challenge_auth(error, encode_to_b64=False)  # the client answers empty
        return AuthResult(success=False, handled=False)

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        return await self._check(server, "XOAUTH2", args)

    async def auth_OAUTHBEARER(self, server: SMTP, args: list[str]) -> AuthResult:
        return await self._check(server, "OAUTHBEARER", args)


@pytest.fixture(params=["XOAUTH2", "OAUTHBEARER"])
def oauth_server(request: pytest.FixtureRequest) -> Iterator[tuple[OAuthRecorder, int]]:
    """An SMTP server offering XOAUTH2 only, or OAUTHBEARER and XOAUTH2."""
    handler = OAuthRecorder(mechanisms=(request.param,))
    exclude = ["LOGIN", "PLAIN"] + (["OAUTHBEARER"] if request.param == "XOAUTH2" else [])
    controller = start_server(handler, auth_require_tls=False,
                              auth_exclude_mechanism=exclude)
    try:
        yield handler, controller.port
    finally:
        controller.stop()


def send(tmp_path: Path, *extra: str) -> Result:
    roster = write_roster(tmp_path / "roster.csv", PEOPLE)
    body = tmp_path / "body.txt"
    body.write_text("Dear $name, your guide is attached.\n", encoding="utf-8")
    return CliRunner().invoke(main, ["send", "--roster", str(roster), "--from",
                                     "PL <pl@district.test>", "--subject", "Your guide",
                                     "--body", str(body), *extra])


def test_send_logs_in_with_the_token_the_command_prints(
        oauth_server: tuple[OAuthRecorder, int], tmp_path: Path) -> None:
    """The token command's output is the SASL bearer token; OAUTHBEARER is used when the
    server offers it, else XOAUTH2; every person gets their guide."""
    handler, port = oauth_server
    result = send(tmp_path, "--smtp", f"127.0.0.1:{port}", "--user", "pl@district.test",
                  "--oauth2-token-cmd", f"printf '%s\\n' {TOKEN}")
    assert result.exit_code == 0, result.output
    assert len(handler.received) == len(PEOPLE)
    assert handler.logins[0] == (handler.mechanisms[0], "pl@district.test", TOKEN)
    assert TOKEN not in result.output


def test_an_expired_token_stops_the_run_with_one_line(
        oauth_server: tuple[OAuthRecorder, int], tmp_path: Path) -> None:
    """A refused token: nothing is sent, the run stops saying the login was refused."""
    handler, port = oauth_server
    result = send(tmp_path, "--smtp", f"127.0.0.1:{port}", "--user", "pl@district.test",
                  "--oauth2-token-cmd", "echo expired-token")
    assert result.exit_code == 1 and handler.received == []
    assert "the server refused the login: 535" in result.output


def test_outbox_messages_open_as_drafts_in_outlook(tmp_path: Path) -> None:
    """Every outbox .eml starts with X-Unsent: 1 and is still one whole message with the
    PDF attached."""
    result = send(tmp_path, "--outbox", str(tmp_path / "outbox"))
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == len(PEOPLE)
    for path in files:
        data = path.read_bytes()
        assert data.startswith(b"X-Unsent: 1\r\n") or data.startswith(b"X-Unsent: 1\n")
        msg = email.message_from_bytes(data, policy=policy.default)
        assert msg["X-Unsent"] == "1" and msg["To"]
        pdfs = [p for p in msg.iter_attachments() if p.get_content_type() == "application/pdf"]
        assert len(pdfs) == 1 and pdfs[0].get_content().startswith(b"%PDF")
