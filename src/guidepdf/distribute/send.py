"""Outgoing items + SMTP settings -> delivered mail: rate-limited, transient failures
(4xx replies, dropped connections) retried with backoff, permanent ones (5xx) listed, and
every outcome written to the journal before the next message."""

from __future__ import annotations

import contextlib
import os
import re
import smtplib
import ssl
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from guidepdf.distribute.journal import Journal
from guidepdf.distribute.outgoing import Event, Outgoing
from guidepdf.distribute.roster import Person
from guidepdf.errors import SendError

SECURITY = ("none", "starttls", "ssl")
LOOPBACK = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str = "none"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 60.0
    ssl_context: ssl.SSLContext | None = field(default=None, repr=False)
    token_command: str | None = None  # prints an OAuth2 access token (XOAUTH2/OAUTHBEARER)

    @classmethod
    def parse(cls, hostport: str, security: str = "none", user: str | None = None,
              password_env: str | None = None, environ: dict[str, str] | None = None,
              token_command: str | None = None) -> SmtpSettings:
        """From the command line's HOST:PORT, security and credentials; SendError if
        unusable. The password is only ever read from the environment variable named."""
        m = re.fullmatch(r"\[?([^\[\]]+?)\]?:(\d{1,5})", hostport.strip())
        if not m or not 0 < int(m[2]) < 65536:
            raise SendError(f"--smtp: {hostport!r} is not HOST:PORT (e.g. smtp.example.org:587)")
        if security not in SECURITY:
            raise SendError(f"unknown security {security!r}; use one of {', '.join(SECURITY)}")
        environ = os.environ if environ is None else environ
        password = None
        if token_command:
            if password_env or not user:
                raise SendError("--oauth2-token-cmd needs --user (the mailbox's address) "
                                "and replaces --password-env")
            if security == "none" and m[1] not in LOOPBACK:
                raise SendError("refusing to send a token over an unencrypted connection — "
                                "add --starttls or --ssl")
            return cls(m[1], int(m[2]), security, user, None, token_command=token_command)
        if password_env:
            if not user:
                raise SendError("--password-env needs --user")
            password = environ.get(password_env)
            if not password:
                raise SendError(f"the environment variable {password_env} is not set or "
                                "empty — export it before running guidepdf send")
        elif user:
            raise SendError("--user needs --password-env VAR (the password is read from "
                            "that environment variable, never from the command line)")
        if user and security == "none" and m[1] not in LOOPBACK:
            raise SendError("refusing to send a password over an unencrypted connection — "
                            "add --starttls or --ssl")
        return cls(m[1], int(m[2]), security, user, password)


@dataclass
class SendResult:
    sent: list[Person] = field(default_factory=list)
    skipped: list[Person] = field(default_factory=list)  # already sent by an earlier run
    failed: list[tuple[Person, str]] = field(default_factory=list)
    resent_uncertain: list[Person] = field(default_factory=list)
    new_version: list[Person] = field(default_factory=list)  # had an older copy; sent anew
    aborted: str = ""  # why the run stopped early, if it did

    def summary(self, total: int | None = None) -> str:
        text = (f"sent {len(self.sent)}, skipped {len(self.skipped)} (already sent), "
                f"failed {len(self.failed)}")
        if total is not None:
            left = total - len(self.sent) - len(self.skipped) - len(self.failed)
            text += f", not attempted {left}" if left else ""
        return f"{text}; stopped early: {self.aborted}" if self.aborted else text


def parse_rate(text: str) -> float:
    """'30/min', '2/s' or '500/h' -> messages per minute."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*/\s*(s|sec|min|m|h|hour)\s*", text)
    if not m or float(m[1]) <= 0:
        raise SendError(f"--rate: {text!r} is not a rate such as 30/min, 1/s or 500/h")
    per = {"s": 1 / 60, "sec": 1 / 60, "min": 1, "m": 1, "h": 60, "hour": 60}[m[2]]
    return float(m[1]) / per


class _Transient(Exception):
    def __init__(self, reason: str, *, connection: bool) -> None:
        super().__init__(reason)
        self.connection = connection  # the connection itself failed (no SMTP reply code)


class _Permanent(Exception):
    pass


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return f"{code} {' '.join(text.split())}"


def _classify(exc: Exception) -> Exception:
    """An smtplib/socket error -> _Transient, _Permanent or SendError (stop the run)."""
    if isinstance(exc, SendError):  # e.g. no OAuth2 offered, the token command failed
        return exc
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, message = next(iter(exc.recipients.values()))
        reason = f"recipient refused: {_reply(code, message)}"
        return _Transient(reason, connection=False) if 400 <= code < 500 else _Permanent(reason)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return SendError(f"the server refused the login: {_reply(exc.smtp_code, exc.smtp_error)}"
                         " — check --user and the password variable")
    if isinstance(exc, smtplib.SMTPSenderRefused):
        if 400 <= exc.smtp_code < 500:
            return _Transient(f"sender refused: {_reply(exc.smtp_code, exc.smtp_error)}",
                              connection=False)
        return SendError(f"the server refused the sender: {_reply(exc.smtp_code, exc.smtp_error)}"
                         " — check --from")
    if isinstance(exc, smtplib.SMTPNotSupportedError | smtplib.SMTPHeloError):
        return SendError(f"the server does not support this session: {exc}")
    if isinstance(exc, smtplib.SMTPConnectError) and exc.smtp_code >= 500:
        return SendError(f"the server refused the connection: "
                         f"{_reply(exc.smtp_code, exc.smtp_error)}")
    if isinstance(exc, smtplib.SMTPConnectError):
        return _Transient(f"connection refused: {_reply(exc.smtp_code, exc.smtp_error)}",
                          connection=True)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return SendError(f"the server's TLS certificate was not accepted: {exc.verify_message}")
    if isinstance(exc, smtplib.SMTPResponseException):
        reason = _reply(exc.smtp_code, exc.smtp_error)
        if 400 <= exc.smtp_code < 500:
            return _Transient(reason, connection=exc.smtp_code == 421)
        return _Permanent(reason)
    if isinstance(exc, smtplib.SMTPException | OSError):
        return _Transient(f"connection failed: {exc or type(exc).__name__}", connection=True)
    return exc


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


class _Connection:
    """One SMTP session, opened on demand and dropped after any error."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def send(self, item: Outgoing, sender: str) -> None:
        if self.smtp is None:
            self.smtp = self._open()
        self.smtp.send_message(item.message, from_addr=sender, to_addrs=[item.person.email])

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        context = s.ssl_context or ssl.create_default_context()
        if s.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                                  context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.user and s.token_command:
                _oauth2_login(smtp, s.user, s.token_command)
            elif s.user:
                smtp.login(s.user, s.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.smtp.quit()
            with contextlib.suppress(OSError):
                self.smtp.close()
            self.smtp = None


def send_all(items: Iterable[Outgoing], settings: SmtpSettings, journal: Journal, *,
             rate_per_minute: float | None = None, retries: int = 3, backoff: float = 2.0,
             on_event: Event | None = None, sleep: Callable[[float], None] = time.sleep,
             clock: Callable[[], float] = time.monotonic) -> SendResult:
    """Send every item not already in the journal; see the module docstring."""
    result = SendResult()
    interval = 60.0 / rate_per_minute if rate_per_minute else 0.0
    next_slot = clock()
    connection = _Connection(settings)
    notify = on_event or (lambda event, item, detail: None)
    try:
        for item in items:
            if journal.is_sent(item):
                result.skipped.append(item.person)
                notify("skipped", item, "already sent")
                continue
            if journal.has_earlier_copy(item):
                result.new_version.append(item.person)
            if journal.was_in_flight(item):
                result.resent_uncertain.append(item.person)
            for attempt in range(retries + 1):
                wait = next_slot - clock()
                if wait > 0:
                    sleep(wait)
                next_slot = max(next_slot, clock()) + interval
                journal.record(item, "sending")
                try:
                    connection.send(item, envelope_sender(item))
                except Exception as exc:  # classified just below; unknown ones re-raised
                    connection.close()
                    kind = _classify(exc)
                    if isinstance(kind, _Permanent):
                        journal.record(item, "failed", str(kind))
                        result.failed.append((item.person, str(kind)))
                        notify("failed", item, str(kind))
                        break
                    if isinstance(kind, SendError):  # this run cannot go on
                        journal.record(item, "failed", str(kind))
                        raise kind from None
                    if not isinstance(kind, _Transient):
                        raise
                    if attempt < retries:
                        notify("retry", item, str(kind))
                        sleep(backoff * 2 ** attempt)
                        continue
                    journal.record(item, "failed", f"gave up after {retries + 1} tries: {kind}")
                    if kind.connection:
                        result.aborted = f"the server could not be reached: {kind}"
                        return result
                    result.failed.append((item.person, f"temporary failure, gave up: {kind}"))
                    notify("failed", item, str(kind))
                    break
                else:
                    journal.record(item, "sent")
                    result.sent.append(item.person)
                    notify("sent", item, "")
                    break
    except SendError as exc:
        result.aborted = str(exc)
    finally:
        connection.close()
    return result


def envelope_sender(item: Outgoing) -> str:
    """The envelope sender: the address in the message's From header."""
    return item.message["From"].addresses[0].addr_spec
