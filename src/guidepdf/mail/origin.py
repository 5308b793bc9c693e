"""A mail message's headers -> Origin: who sent a returned form, when, in which message;
the record every form read from mail carries into plans, journals and the summary."""

from __future__ import annotations

import contextlib
import email.utils
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from email.header import decode_header, make_header
from typing import Any

from guidepdf.dates import parse_iso


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a form came from when it came by mail."""

    sender: str  # the From address, as written ("" when the message has none)
    sender_name: str = ""
    date: str = ""  # the message's Date as ISO 8601 with its offset; "" when unreadable
    message_id: str = ""
    subject: str = ""
    mailbox: str = ""  # the mail file (as shown) or "imap://user@host/FOLDER"
    uid: int | None = None  # the IMAP UID, for mail fetched from a server
    forwarded_by: str = ""  # the address that forwarded the message holding the form
    attachment: str = ""  # the attachment's file name in the message

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Origin:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def moment(self) -> datetime | None:
        """The message date as an aware datetime (None when unreadable)."""
        return parse_iso(self.date)

    def describe(self) -> str:
        """'jane@example.org, 2026-03-04 14:12' — for one line of output."""
        when = f", {self.date[:16].replace('T', ' ')}" if self.date else ""
        return f"{self.sender or 'unknown sender'}{when}"


def decode_words(value: object) -> str:
    """A header value, RFC 2047 encoded-words decoded, folded whitespace collapsed."""
    if value is None:
        return ""
    text = str(value)
    if "=?" in text:
        with contextlib.suppress(ValueError, LookupError, UnicodeError):
            text = str(make_header(decode_header(text)))
    return " ".join(text.split())


def mail_date(value: object) -> str:
    """A Date header -> ISO 8601 (UTC when the header has no zone); "" when unreadable."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = email.utils.parsedate_to_datetime(str(value))
        except (TypeError, ValueError, IndexError):
            return ""
        if moment is None:
            return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


def address(value: object) -> tuple[str, str]:
    """A From header -> (name, address); the first address when there are several."""
    text = decode_words(value)
    pairs = email.utils.getaddresses([text])
    for name, addr in pairs:
        if addr:
            return " ".join(name.split()), addr.strip()
    return "", ""


def origin_from_headers(headers: Any, mailbox: str = "", uid: int | None = None,
                        forwarded_by: str = "", attachment: str = "") -> Origin:
    """Headers (an email.message.Message or a mapping) -> Origin."""
    name, addr = address(headers.get("From"))
    return Origin(sender=addr, sender_name=name, date=mail_date(headers.get("Date")),
                  message_id=" ".join(str(headers.get("Message-ID") or "").split()),
                  subject=decode_words(headers.get("Subject")), mailbox=mailbox, uid=uid,
                  forwarded_by=forwarded_by, attachment=attachment)
