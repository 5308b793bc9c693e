"""`fetch --oauth2-token-cmd` against a Dovecot that takes OAuth2 only: no password passdb,
LOGIN disabled, its oauth2 passdb asking a token-introspection endpoint (RFC 7662, a tiny
HTTP server on 127.0.0.1, see dovecot.py) about every token. Offered XOAUTH2 alone (as
Microsoft 365 does) or XOAUTH2 and OAUTHBEARER (as Google does); Dovecot's log names the
mechanism each login used, so the tests see which one guidepdf chose."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mail.conftest import PASSWORD_VAR
from tests.mail.dovecot import EXPIRED_TOKEN, GOOD_TOKEN, PASSWORD, USER, Dovecot, have_dovecot
from tests.mail.test_fetch import pdf, pdf_files, replies, run

OFFERS = {"xoauth2-only": (("xoauth2",), "XOAUTH2"),
          "xoauth2-and-oauthbearer": (("xoauth2", "oauthbearer"), "OAUTHBEARER")}


@pytest.fixture(scope="module", params=sorted(OFFERS))
def oauth_server(request: pytest.FixtureRequest) -> Iterator[tuple[Dovecot, str]]:
    """An OAuth2-only Dovecot and the mechanism guidepdf should pick on it."""
    if not have_dovecot():
        pytest.skip("dovecot not installed (apt-get install dovecot-imapd)")
    mechanisms, expected = OFFERS[request.param]
    root = Path(tempfile.mkdtemp(prefix="guidepdf-dovecot-oauth-"))
    os.chmod(root, 0o755)
    server = Dovecot(root / "server", mechanisms=mechanisms)
    try:
        server.start()
        yield server, expected
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def base(server: Dovecot) -> list[str]:
    return ["fetch", "--imap", f"127.0.0.1:{server.imaps_port}", "--user", USER,
            "--cafile", str(server.cert)]


def test_the_right_token_logs_in_with_the_mechanism_offered_and_fetches(
        oauth_server: tuple[Dovecot, str], tmp_path: Path) -> None:
    """The token the command prints is checked by Dovecot at the token endpoint; the login
    uses OAUTHBEARER where offered, else XOAUTH2; every PDF arrives."""
    server, expected = oauth_server
    server.deliver(replies(2, start=900))
    logins_before = len(server.logins())
    code, text = run([*base(server), "--oauth2-token-cmd", f"echo '  {GOOD_TOKEN}  '",
                      "--out", str(tmp_path / "r")])
    assert code == 0 and "Fetched 2 new PDF(s) from 2 new message(s)" in text, text
    assert sorted(pdf_files(tmp_path / "r").values()) == [pdf(900), pdf(901)]
    assert server.logins()[logins_before:] == [expected], server.log()
    assert server.tokens_seen()[-1] == GOOD_TOKEN


def test_an_expired_token_is_one_line_and_exit_3(oauth_server: tuple[Dovecot, str],
                                                  tmp_path: Path) -> None:
    """A token the endpoint calls inactive: one sentence with the advice to renew it,
    exit 3, nothing saved, no login in Dovecot's log."""
    server, _ = oauth_server
    server.deliver(replies(1, start=950))
    logins_before = len(server.logins())
    code, text = run([*base(server), "--oauth2-token-cmd", f"echo {EXPIRED_TOKEN}",
                      "--out", str(tmp_path / "r")])
    assert code == 3, text
    assert text.strip().splitlines() == [text.strip()]
    assert f"{USER} on 127.0.0.1: the server refused the login" in text
    assert "it may have expired — run the token command again" in text
    assert EXPIRED_TOKEN in server.tokens_seen() and server.logins()[logins_before:] == []
    assert not list((tmp_path / "r").glob("*.pdf"))


def test_a_token_command_that_fails_is_one_line_and_exit_3(
        oauth_server: tuple[Dovecot, str], tmp_path: Path) -> None:
    """The command's exit code and first line of standard error are in the sentence."""
    server, _ = oauth_server
    code, text = run([*base(server), "--oauth2-token-cmd", "echo 'refresh token revoked' >&2;"
                      " exit 4", "--out", str(tmp_path / "r")])
    assert code == 3 and text.strip().splitlines() == [text.strip()], text
    assert "the token command failed (exit code 4): refresh token revoked" in text


def test_a_password_is_refused_by_the_oauth2_only_server(
        oauth_server: tuple[Dovecot, str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The right password gets nowhere here (so the logins above were OAuth2): one line
    saying to use --oauth2-token-cmd, naming what the server offers, exit 3."""
    server, expected = oauth_server
    monkeypatch.setenv(PASSWORD_VAR, PASSWORD)
    logins_before = len(server.logins())
    code, text = run([*base(server), "--password-env", PASSWORD_VAR,
                      "--out", str(tmp_path / "r")])
    assert code == 3 and text.strip().splitlines() == [text.strip()], text
    assert "the server takes no password login" in text and expected in text
    assert "use --oauth2-token-cmd" in text and server.logins()[logins_before:] == []
