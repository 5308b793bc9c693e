"""SMTP settings + one message -> one SMTP transaction, done step by step so that every
failure is known to have happened before the end of DATA (the server cannot have the
message: safe to retry) or after it (the server may have it: never retried on its own)."""

from __future__ import annotations

import contextlib
import copy
import io
import os
import re
import smtplib
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.generator import BytesGenerator
from email.message import EmailMessage

from guidepdf.errors import SendError

SECURITY = ("none", "starttls", "ssl")
LOOPBACK = ("127.0.0.1", "::1", "localhost")
CRLF = b"\r\n"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str = "none"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 60.0  # seconds the server may take for any one reply
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False)
    token_command: str | None = None  # prints an OAuth2 access token (XOAUTH2/OAUTHBEARER)

    @classmethod
    def parse(cls, hostport: str, security: str = "none", user: str | None = None,
              password_env: str | None = None, environ: dict[str, str] | None = None,
              timeout: float = 60.0, token_command: str | None = None) -> SmtpSettings:
        """From the command line's HOST:PORT, security and credentials; SendError if
        unusable. The password is only ever read from the environment variable named."""
        m = re.fullmatch(r"\[?([^\[\]]+?)\]?:(\d{1,5})", hostport.strip())
        if not m or not 0 < int(m[2]) < 65536:
            raise SendError(f"--smtp: {hostport!r} is not HOST:PORT (e.g. smtp.example.org:587)")
        if security not in SECURITY:
            raise SendError(f"unknown security {security!r}; use one of {', '.join(SECURITY)}")
        env = os.environ if environ is None else environ
        password = None
        if token_command:
            if password_env or not user:
                raise SendError("--oauth2-token-cmd needs --user (the mailbox's address) "
                                "and replaces --password-env")
            if security == "none" and m[1] not in LOOPBACK:
                raise SendError("refusing to send a token over an unencrypted connection — "
                                "add --starttls or --ssl")
            return cls(m[1], int(m[2]), security, user, None, timeout,
                       token_command=token_command)
        if password_env:
            if not user:
                raise SendError("--password-env needs --user")
            password = env.get(password_env)
            if not password:
                raise SendError(f"the environment variable {password_env} is not set or "
                                "empty — export it before running guidepdf send")
        elif user:
            raise SendError("--user needs --password-env VAR (the password is read from "
                            "that environment variable, never from the command line)")
        if user and security == "none" and m[1] not in LOOPBACK:
            raise SendError("refusing to send a password over an unencrypted connection — "
                            "add --starttls or --ssl")
        return cls(m[1], int(m[2]), security, user, password, timeout)


def _oauth2_login(smtp: smtplib.SMTP, user: str, token_command: str) -> None:
    """SASL OAUTHBEARER when the server offers it, else XOAUTH2, with the token the
    command prints. On a refusal the server sends an error challenge, answered empty."""
    from guidepdf.mail.oauth import TokenError, oauthbearer, run_token_command, xoauth2

    offered = smtp.esmtp_features.get("auth", "").upper().split()
    if "OAUTHBEARER" in offered:
        mechanism, make = "OAUTHBEARER", oauthbearer
    elif "XOAUTH2" in offered:
        mechanism, make = "XOAUTH2", xoauth2
    else:
        raise SendError(f"the server offers no OAuth2 login (it offers "
                        f"{' '.join(offered) or 'no AUTH at all'}) — use --password-env")
    try:
        token = run_token_command(token_command)
    except TokenError as exc:
        raise SendError(str(exc)) from None
    smtp.auth(mechanism, lambda challenge=None: make(user, token) if challenge is None
              else "", initial_response_ok=True)


class Uncertain(Exception):
    """The end of the message reached the server (or may have), and then no clear answer
    came: the server may have accepted it. Never retried automatically."""


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return f"{code} {' '.join(text.split())}"


def describe_failure(exc: BaseException, settings: SmtpSettings) -> str:
    """A connection-level failure (no SMTP reply code) -> what happened, in words."""
    cause: BaseException | None = exc
    while cause is not None and isinstance(cause, smtplib.SMTPException):
        cause = cause.__cause__ or cause.__context__  # smtplib wraps the socket's error
    cause = cause or exc
    if isinstance(cause, TimeoutError | socket.timeout):
        return (f"the server did not answer within {settings.timeout:g} s (it is slow or "
                "stuck) — try again later or raise --timeout")
    if isinstance(cause, ConnectionRefusedError):
        return f"nothing accepts connections on {settings.host}:{settings.port}"
    if isinstance(cause, ssl.SSLError) and not isinstance(cause, ssl.SSLCertVerificationError):
        hint = " — this port may expect --starttls instead of --ssl" \
            if settings.security == "ssl" else ""
        return f"the TLS handshake failed ({cause.reason or cause}){hint}"
    if isinstance(cause, socket.gaierror):
        return f"the host name {settings.host} cannot be resolved ({cause.strerror})"
    text = str(exc) or type(exc).__name__
    return f"connection failed: {text}"


class Connection:
    """One SMTP session, opened on demand and dropped after any error."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None
        self._lock = threading.Lock()

    def deliver(self, message: EmailMessage, sender: str, recipient: str,
                before_end: Callable[[], None]) -> None:
        """MAIL, RCPT, DATA, the message, then `before_end()` (the journal's mark), then
        the end of DATA and its reply. Raises smtplib/OS errors for failures up to the
        end of the message; Uncertain for any failure after it, except a clear 4xx/5xx
        reply (the server said it did not take the message)."""
        if self.smtp is None:
            self.smtp = self._open()
        smtp = self.smtp
        data, options = _flatten(message, sender, recipient, smtp)
        code, resp = smtp.mail(sender, options)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, resp, sender)
        code, resp = smtp.rcpt(recipient)
        if code not in (250, 251):
            raise smtplib.SMTPRecipientsRefused({recipient: (code, resp)})
        code, resp = smtp.docmd("data")
        if code != 354:
            raise smtplib.SMTPDataError(code, resp)
        smtp.send(data)  # everything but the final "." line: the server cannot deliver yet
        before_end()
        try:
            smtp.send(b"." + CRLF)
            code, resp = smtp.getreply()
        except (OSError, smtplib.SMTPException) as exc:
            raise Uncertain(describe_failure(exc, self.settings)) from exc
        if code != 250:
            raise smtplib.SMTPDataError(code, resp)

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        context = s.ssl_context or ssl.create_default_context()
        if s.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(timeout=s.timeout, context=context)
        else:
            smtp = smtplib.SMTP(timeout=s.timeout)
        smtp._host = s.host  # type: ignore[attr-defined]  # what starttls() checks the cert against
        self.smtp = smtp  # before connecting, so that abort() can cut a stuck greeting
        try:
            smtp.connect(s.host, s.port)
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.user and s.token_command:
                _oauth2_login(smtp, s.user, s.token_command)
            elif s.user:
                smtp.login(s.user, s.password or "")
        except BaseException:
            self.smtp = None
            smtp.close()
            raise
        return smtp

    def abort(self) -> None:
        """Cut the connection now (from another thread: the run's deadline passed)."""
        smtp = self.smtp
        sock = getattr(smtp, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.smtp.quit()
            with contextlib.suppress(OSError):
                self.smtp.close()
            self.smtp = None


def _flatten(message: EmailMessage, sender: str, recipient: str,
             smtp: smtplib.SMTP) -> tuple[bytes, list[str]]:
    """The message as dot-stuffed CRLF bytes ending in CRLF (without the final "."), and
    the MAIL FROM options — what smtplib's send_message would send."""
    msg = copy.copy(message)
    del msg["Bcc"]
    del msg["Resent-Bcc"]
    options: list[str] = []
    buffer = io.BytesIO()
    if (sender + recipient).isascii():
        BytesGenerator(buffer).flatten(msg, linesep="\r\n")
    else:
        if not smtp.has_extn("smtputf8"):
            raise smtplib.SMTPNotSupportedError(
                "an address needs internationalized email (SMTPUTF8), which this server "
                "does not offer")
        BytesGenerator(buffer, policy=msg.policy.clone(utf8=True)).flatten(
            msg, linesep="\r\n")
        options += ["SMTPUTF8", "BODY=8BITMIME"]
    data = re.sub(rb"(?m)^\.", b"..", buffer.getvalue())
    if not data.endswith(CRLF):
        data += CRLF
    if smtp.has_extn("size"):
        options.insert(0, f"size={len(data)}")
    return data, options
