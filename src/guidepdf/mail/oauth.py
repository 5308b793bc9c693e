"""A token command (msmtp's, mutt's and isync's convention: a command whose standard
output is an OAuth2 access token) -> the token, and the SASL strings XOAUTH2 and
OAUTHBEARER send; shared by `fetch` (IMAP) and `send` (SMTP)."""

from __future__ import annotations

import subprocess

from guidepdf.errors import GuidepdfError

TOKEN_SECONDS = 120  # a helper may open a browser the first time


class TokenError(GuidepdfError):
    """The token command failed or printed nothing."""


def run_token_command(command: str, timeout: float = TOKEN_SECONDS) -> str:
    """Run `command` in the shell (as msmtp's passwordeval does) and return the token it
    prints: its first non-empty line, stripped."""
    try:
        done = subprocess.run(command, shell=True, capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise TokenError(f"the token command did not finish within {timeout:g} s — run it "
                         "by hand to see what it waits for") from None
    except OSError as exc:
        raise TokenError(f"the token command could not be started ({exc.strerror})") from None
    if done.returncode != 0:
        said = next((line for line in done.stderr.splitlines() if line.strip()), "")
        raise TokenError(f"the token command failed (exit code {done.returncode})"
                         + (f": {said.strip()[:200]}" if said else "")
                         + " — run it by hand to renew the token")
    token = next((line.strip() for line in done.stdout.splitlines() if line.strip()), "")
    if not token:
        raise TokenError("the token command printed no token — run it by hand and check "
                         "that it prints the access token on standard output")
    return token


def xoauth2(user: str, token: str) -> str:
    """The XOAUTH2 initial response (Google, Microsoft)."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def oauthbearer(user: str, token: str) -> str:
    """The OAUTHBEARER (RFC 7628) initial response."""
    authzid = user.replace("=", "=3D").replace(",", "=2C")
    return f"n,a={authzid},\x01auth=Bearer {token}\x01\x01"
