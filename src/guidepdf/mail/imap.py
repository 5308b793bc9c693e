"""IMAP settings -> a logged-in, read-only imapclient session on the chosen folder: TLS
with certificate checks by default, password or OAuth2 (OAUTHBEARER, else XOAUTH2), and
each way of failing turned into one sentence with its own exit code.

imapclient (BSD, maintained) is used rather than bare imaplib: it parses BODYSTRUCTURE,
FETCH responses and literals into Python values and handles STARTTLS and SASL, which is
exactly the protocol code we would otherwise write and get wrong."""

from __future__ import annotations

import contextlib
import logging
import os
import ssl
from dataclasses import dataclass

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from guidepdf import exitcodes
from guidepdf.errors import FetchError
from guidepdf.mail.oauth import TokenError, run_token_command

EXIT_USAGE = exitcodes.USAGE
EXIT_LOGIN = exitcodes.LOGIN  # wrong password, refused or expired token, token command failed
EXIT_FOLDER = exitcodes.FOLDER  # the folder does not exist
EXIT_TLS = exitcodes.TLS  # certificate not trusted, TLS handshake failed, no STARTTLS
EXIT_CONNECTION = exitcodes.CONNECTION  # cannot connect, or the connection dropped


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    user: str
    password: str | None = None
    token_command: str | None = None
    folder: str = "INBOX"
    starttls: bool = False
    insecure: bool = False
    cafile: str | None = None
    timeout: float = 60.0

    @classmethod
    def parse(cls, server: str, user: str, *, password_env: str | None = None,
              token_command: str | None = None, folder: str = "INBOX",
              starttls: bool = False, insecure: bool = False, cafile: str | None = None,
              timeout: float = 60.0) -> ImapSettings:
        """From the command line's HOST[:PORT] and friends; FetchError (exit 2) when the
        options do not make sense."""
        host, _, port_text = server.strip().rpartition(":") if server.count(":") == 1 \
            else (server.strip(), "", "")
        if not host:
            host, port_text = port_text, ""
        if port_text and not port_text.isdigit():
            raise FetchError(f"{server}: the port after ':' must be a number, e.g. "
                             "imap.example.org:993", EXIT_USAGE)
        port = int(port_text) if port_text else (143 if starttls else 993)
        if bool(password_env) == bool(token_command):
            raise FetchError("say how to log in: --password-env VAR (a variable holding the "
                             "password) or --oauth2-token-cmd CMD, one of the two",
                             EXIT_USAGE)
        password = None
        if password_env:
            password = os.environ.get(password_env)
            if password is None:
                raise FetchError(f"the environment variable {password_env} is not set — "
                                 f"set it to the password first (export {password_env}=…)",
                                 EXIT_USAGE)
        return cls(host, port, user, password, token_command, folder, starttls, insecure,
                   cafile, timeout)

    @property
    def box(self) -> str:
        """The mailbox, as the journal keys it."""
        return f"imap://{self.user}@{self.host}/{self.folder}"


def tls_context(settings: ImapSettings) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=settings.cafile)
    if settings.insecure:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def connect(settings: ImapSettings) -> IMAPClient:
    """Connect and log in; FetchError with the matching exit code on failure."""
    where = f"{settings.host}:{settings.port}"
    context = tls_context(settings)
    try:
        client = IMAPClient(settings.host, settings.port, ssl=not settings.starttls,
                            ssl_context=context, timeout=settings.timeout)
        _quiet(client)
        if settings.starttls:
            client.starttls(context)
    except ssl.SSLCertVerificationError as exc:
        raise FetchError(f"{where}: the server's certificate could not be verified "
                         f"({exc.verify_message}) — check the server name; for an in-house "
                         "certificate pass --cafile FILE (or --insecure, only on a network "
                         "you trust)", EXIT_TLS) from None
    except ssl.SSLError as exc:
        hint = " (port 143 normally needs --starttls)" if settings.port == 143 else ""
        raise FetchError(f"{where}: the secure connection failed ({exc.reason or exc})"
                         f"{hint}", EXIT_TLS) from None
    except IMAPClientError as exc:
        raise FetchError(f"{where}: the server does not offer STARTTLS ({exc}) — try its "
                         "TLS port (993) without --starttls", EXIT_TLS) from None
    except (TimeoutError, OSError) as exc:
        raise FetchError(f"{where}: cannot connect ({exc.strerror or exc}) — check the "
                         "server name and port", EXIT_CONNECTION) from None
    try:
        _login(client, settings)
    except BaseException:
        _close(client)
        raise
    return client


def _quiet(client: IMAPClient) -> None:
    """Stop imaplib formatting every response for a log nobody reads. imapclient sets
    imaplib's debug level to 5 so that its logger sees the traffic, and imaplib then builds
    the repr() of each response — every attachment's literal, four times its size — before
    the logger drops it: 40% of a fetch's CPU (profiled with perf). Kept when someone
    asked for imapclient's debug log."""
    if not logging.getLogger("imapclient.imaplib").isEnabledFor(logging.DEBUG):
        client._imap.debug = 0


def _login(client: IMAPClient, settings: ImapSettings) -> None:
    who = f"{settings.user} on {settings.host}"
    try:
        if settings.token_command:
            try:
                token = run_token_command(settings.token_command)
            except TokenError as exc:
                raise FetchError(f"{who}: {exc}", EXIT_LOGIN) from None
            caps = client.capabilities()
            if b"AUTH=OAUTHBEARER" in caps:
                client.oauthbearer_login(settings.user, token)
            elif b"AUTH=XOAUTH2" in caps:
                client.oauth2_login(settings.user, token)
            else:
                raise FetchError(f"{who}: the server offers no OAuth2 login (XOAUTH2 or "
                                 "OAUTHBEARER) — use --password-env", EXIT_LOGIN)
        else:
            caps = client.capabilities()
            if b"LOGINDISABLED" in caps:  # after TLS: the server takes no password at all
                offered = sorted(c[5:].decode() for c in caps if c.startswith(b"AUTH="))
                raise FetchError(f"{who}: the server takes no password login (it offers "
                                 f"{', '.join(offered) or 'no login'}) — use "
                                 "--oauth2-token-cmd with a command that prints an access "
                                 "token", EXIT_LOGIN)
            else:
                client.login(settings.user, settings.password or "")
    except LoginError as exc:
        what = "the access token (it may have expired — run the token command again)" \
            if settings.token_command else "the user name or password"
        raise FetchError(f"{who}: the server refused the login ({_said(exc)}) — check "
                         f"{what}", EXIT_LOGIN) from None
    except (OSError, IMAPClientError) as exc:
        raise FetchError(f"{who}: the connection dropped while logging in ({exc})",
                         EXIT_CONNECTION) from None


def select(client: IMAPClient, settings: ImapSettings) -> int:
    """Open the folder read-only (EXAMINE); its UIDVALIDITY."""
    try:
        info = client.select_folder(settings.folder, readonly=True)
    except IMAPClientError as exc:
        try:
            names = sorted(str(f[2]) for f in client.list_folders())
        except (IMAPClientError, OSError):
            names = []
        there = f"; the folders there are: {', '.join(names[:30])}" if names else ""
        raise FetchError(f"{settings.user} on {settings.host}: there is no folder "
                         f"{settings.folder!r} ({_said(exc)}){there} — pass one of them "
                         "with --folder", EXIT_FOLDER) from None
    return int(info.get(b"UIDVALIDITY", 0))


def _said(exc: Exception) -> str:
    text = str(exc)
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1]
    return " ".join(text.split())[:200] or type(exc).__name__


def _close(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # a connection that already broke has nothing left to close
        with contextlib.suppress(Exception):
            client.shutdown()
