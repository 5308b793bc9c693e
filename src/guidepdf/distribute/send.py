"""Outgoing items + SMTP settings -> delivered mail: rate-limited, failures before the end of
DATA (4xx replies, dropped connections) retried with backoff, permanent ones (5xx) listed,
failures after the end of DATA journaled as uncertain and never retried on their own, and
every outcome written to the journal (fsync) before the next message."""

from __future__ import annotations

import re
import smtplib
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from guidepdf.distribute.journal import Journal
from guidepdf.distribute.outgoing import Event, Outgoing
from guidepdf.distribute.roster import Person
from guidepdf.distribute.smtp import (
    LOOPBACK,
    SECURITY,
    Connection,
    SmtpSettings,
    Uncertain,
    describe_failure,
)
from guidepdf.errors import SendError

__all__ = ["LOOPBACK", "SECURITY", "SendResult", "SmtpSettings", "parse_rate", "send_all"]


@dataclass
class SendResult:
    sent: list[Person] = field(default_factory=list)
    skipped: list[Person] = field(default_factory=list)  # already sent by an earlier run
    failed: list[tuple[Person, str]] = field(default_factory=list)
    # the server may have these (a failure after the end of DATA, now or in an earlier
    # run); not sent again unless resend_uncertain
    uncertain: list[tuple[Person, str]] = field(default_factory=list)
    resent_uncertain: list[Person] = field(default_factory=list)  # sent again on request
    new_version: list[Person] = field(default_factory=list)  # had an older copy; sent anew
    aborted: str = ""  # why the run stopped early, if it did

    def summary(self, total: int | None = None) -> str:
        text = (f"sent {len(self.sent)}, skipped {len(self.skipped)} (already sent), "
                f"failed {len(self.failed)}")
        if self.uncertain:
            text += f", uncertain {len(self.uncertain)} (the server may have them)"
        if total is not None:
            left = total - len(self.sent) - len(self.skipped) - len(self.failed) \
                - len(self.uncertain)
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


def _needs_tls(code: int, message: bytes | str) -> bool:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return code == 530 and ("tls" in text.lower() or "encrypt" in text.lower())


def _classify(exc: Exception, settings: SmtpSettings) -> Exception:
    """An smtplib/socket error -> _Transient, _Permanent or SendError (stop the run)."""
    if isinstance(exc, SendError):  # e.g. no OAuth2 offered, the token command failed
        return exc
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, message = next(iter(exc.recipients.values()))
        if _needs_tls(code, message):
            return SendError(f"the server wants an encrypted session: {_reply(code, message)}"
                             " — add --starttls (or --ssl if the port expects TLS at once)")
        reason = f"recipient refused: {_reply(code, message)}"
        return _Transient(reason, connection=False) if 400 <= code < 500 else _Permanent(reason)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return SendError(f"the server refused the login: {_reply(exc.smtp_code, exc.smtp_error)}"
                         " — check --user and the password variable")
    if isinstance(exc, smtplib.SMTPResponseException) and _needs_tls(exc.smtp_code,
                                                                     exc.smtp_error):
        return SendError(f"the server wants an encrypted session: "
                         f"{_reply(exc.smtp_code, exc.smtp_error)} — add --starttls (or "
                         "--ssl if the port expects TLS at once)")
    if isinstance(exc, smtplib.SMTPSenderRefused):
        if 400 <= exc.smtp_code < 500:
            return _Transient(f"sender refused: {_reply(exc.smtp_code, exc.smtp_error)}",
                              connection=False)
        return SendError(f"the server refused the sender: {_reply(exc.smtp_code, exc.smtp_error)}"
                         " — check --from")
    if isinstance(exc, smtplib.SMTPNotSupportedError | smtplib.SMTPHeloError):
        hint = " — leave out --starttls, or use --ssl if the port expects TLS at once" \
            if "STARTTLS" in str(exc) else ""
        return SendError(f"the server does not support this session: {exc}{hint}")
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
        return _Transient(describe_failure(exc, settings), connection=True)
    return exc


class _Deadline:
    """The run's overall deadline: a watchdog cuts the connection when it passes, so that
    a server trickling one byte a minute cannot hold the run past it. It goes on cutting
    every CUT_AGAIN seconds until the run ends: a cut that came while a connection was
    being opened (no socket yet) would otherwise leave that connection to hang."""

    CUT_AGAIN = 0.25

    def __init__(self, seconds: float | None, connection: Connection) -> None:
        self.seconds = seconds
        self.passed = threading.Event()
        self._ended = threading.Event()
        self._timer: threading.Timer | None = None
        if seconds is not None:
            def expire() -> None:
                self.passed.set()
                while True:
                    connection.abort()
                    if self._ended.wait(self.CUT_AGAIN):
                        return

            self._timer = threading.Timer(seconds, expire)
            self._timer.daemon = True
            self._timer.start()

    def reason(self) -> str:
        return (f"the run's --deadline of {self.seconds:g} s passed — run the same command "
                "again to send the rest")

    def cancel(self) -> None:
        self._ended.set()
        if self._timer is not None:
            self._timer.cancel()


def send_all(items: Iterable[Outgoing], settings: SmtpSettings, journal: Journal, *,
             rate_per_minute: float | None = None, retries: int = 3, backoff: float = 2.0,
             on_event: Event | None = None, sleep: Callable[[float], None] = time.sleep,
             clock: Callable[[], float] = time.monotonic, resend_uncertain: bool = False,
             deadline: float | None = None) -> SendResult:
    """Send every item not already in the journal; see the module docstring. Items the
    journal marks uncertain are listed, and sent again only with `resend_uncertain`.
    `deadline`: seconds the whole run may take (None: no limit)."""
    result = SendResult()
    interval = 60.0 / rate_per_minute if rate_per_minute else 0.0
    next_slot = clock()
    connection = Connection(settings)
    watchdog = _Deadline(deadline, connection)
    notify = on_event or (lambda event, item, detail: None)
    try:
        for item in items:
            if journal.is_sent(item):
                result.skipped.append(item.person)
                notify("skipped", item, "already sent")
                continue
            if watchdog.passed.is_set():
                result.aborted = watchdog.reason()
                return result
            if journal.is_uncertain(item) and not resend_uncertain:
                reason = journal.uncertain_reason(item)
                result.uncertain.append((item.person, reason))
                notify("uncertain", item, reason)
                continue
            resending = journal.is_uncertain(item)
            newer = journal.has_earlier_copy(item)  # counted once it is sent
            for attempt in range(retries + 1):
                wait = next_slot - clock()
                if wait > 0:
                    sleep(wait)
                next_slot = max(next_slot, clock()) + interval
                journal.record(item, "sending")
                try:
                    connection.deliver(item.message, envelope_sender(item), item.person.email,
                                       before_end=lambda item=item: journal.record(item, "handing"))
                except Uncertain as exc:
                    connection.close()
                    reason = f"after the whole message went out, {exc}"
                    if watchdog.passed.is_set():
                        reason = watchdog.reason()
                    journal.record(item, "uncertain", reason)
                    result.uncertain.append((item.person, reason))
                    notify("uncertain", item, reason)
                    break
                except SendError:  # the journal could not be written: stop here
                    connection.close()
                    raise
                except Exception as exc:  # classified just below; unknown ones re-raised
                    connection.close()
                    kind = _classify(exc, settings)
                    if watchdog.passed.is_set():
                        kind = _Transient(watchdog.reason(), connection=True)
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
                    if attempt < retries and not watchdog.passed.is_set():
                        notify("retry", item, str(kind))
                        sleep(backoff * 2 ** attempt)
                        continue
                    tries = f"gave up after {attempt + 1} tries: "
                    journal.record(item, "failed", tries + str(kind))
                    if kind.connection:
                        result.failed.append((item.person, tries + str(kind)))
                        notify("failed", item, str(kind))
                        result.aborted = str(kind) if watchdog.passed.is_set() else \
                            f"the server could not be reached: {kind}"
                        return result
                    result.failed.append((item.person, f"temporary failure, gave up: {kind}"))
                    notify("failed", item, str(kind))
                    break
                else:
                    journal.record(item, "sent")
                    result.sent.append(item.person)
                    if newer:
                        result.new_version.append(item.person)
                    if resending:
                        result.resent_uncertain.append(item.person)
                    notify("sent", item, "")
                    break
    except SendError as exc:
        result.aborted = str(exc)
    except KeyboardInterrupt:  # Ctrl-C: do not wait on the server to say goodbye
        connection.abort()
        raise
    finally:
        watchdog.cancel()
        connection.close()
    return result


def envelope_sender(item: Outgoing) -> str:
    """The envelope sender: the address in the message's From header."""
    return item.message["From"].addresses[0].addr_spec
