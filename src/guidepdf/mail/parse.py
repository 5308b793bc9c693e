"""One mail message (bytes, RFC 5322) -> its PDF attachments, each with its Origin, and the
notes a person needs (winmail.dat, nothing attached). Looks inside forwarded messages
(message/rfc822), takes octet-stream parts named *.pdf, decodes RFC 2231 / RFC 2047 names."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email.message import Message

from guidepdf.mail.origin import Origin, decode_words, origin_from_headers

PDF_TYPES = {"application/pdf", "application/x-pdf", "application/acrobat",
             "applications/vnd.pdf", "text/pdf"}
TNEF_TYPES = {"application/ms-tnef", "application/vnd.ms-tnef"}
TNEF_ADVICE = ("Outlook sent this message in its own rich-text format (winmail.dat), which "
               "hides the attachment from every other program — ask the sender to send the "
               "PDF again as a normal attachment (in Outlook: File > Options > Mail > "
               "Compose messages in HTML format)")
NOT_DECODED = "the attachment could not be decoded from the message"
MAX_DEPTH = 20  # forwarded messages inside forwarded messages


@dataclass(frozen=True)
class Attachment:
    """A PDF (or a file named *.pdf) found in a message."""

    filename: str  # as named in the message, decoded; "" when it had no name
    data: bytes
    origin: Origin


@dataclass
class MailMessage:
    """What one message holds for us."""

    origin: Origin
    attachments: list[Attachment] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one sentence each


def parse_bytes(raw: bytes) -> Message:
    return email.message_from_bytes(raw, policy=email.policy.default)


def read_message(raw: bytes | Message, mailbox: str = "", uid: int | None = None
                 ) -> MailMessage:
    """Every PDF attachment of a message, however deeply forwarded, with its origin."""
    msg = parse_bytes(raw) if isinstance(raw, bytes | bytearray) else raw
    outer = origin_from_headers(msg, mailbox=mailbox, uid=uid)
    result = MailMessage(outer)
    for part, carrier in _leaves(msg, msg, 0):
        kind = part_kind(part.get_content_type(), filename_of(part))
        if kind is None:
            continue
        origin = outer if carrier is msg else _forwarded(carrier, outer)
        name = filename_of(part)
        if kind == "tnef":
            result.notes.append(f"{name or 'winmail.dat'}: {TNEF_ADVICE}")
            continue
        data = _payload(part)
        if data is None:
            result.notes.append(f"{name or 'an attachment'}: {NOT_DECODED}")
            continue
        if kind == "maybe-pdf" and not data.lstrip()[:5].startswith(b"%PDF"):
            continue
        result.attachments.append(Attachment(name, data, replace(origin, attachment=name)))
    return result


def part_kind(content_type: str, filename: str) -> str | None:
    """'pdf', 'tnef', 'maybe-pdf' (an unnamed octet-stream: look at its bytes) or None."""
    ctype, lower = content_type.lower(), filename.lower().strip()
    if ctype in TNEF_TYPES or lower == "winmail.dat":
        return "tnef"
    if ctype in PDF_TYPES or lower.endswith(".pdf"):
        return "pdf"
    if ctype == "application/octet-stream" and not lower:
        return "maybe-pdf"
    return None


def filename_of(part: Message) -> str:
    """The attachment's name from Content-Disposition or Content-Type (RFC 2231 and 2047
    decoded), stripped of any folder a sender's program put in front of it."""
    try:
        name = part.get_filename() or part.get_param("name", header="content-type") or ""
    except (ValueError, LookupError, UnicodeError, TypeError):
        name = ""
    if isinstance(name, tuple):  # an RFC 2231 triple the parser did not collapse
        name = email.utils.collapse_rfc2231_value(name)
    name = decode_words(name)
    return name.replace("\\", "/").rsplit("/", 1)[-1].strip()


def _leaves(part: Message, carrier: Message, depth: int) -> Iterator[tuple[Message, Message]]:
    """(leaf part, the message it belongs to) for every non-multipart part."""
    if depth > MAX_DEPTH:
        return
    ctype = part.get_content_type()
    if ctype in ("message/rfc822", "message/global"):
        inner = _attached_message(part)
        if inner is not None:
            yield from _leaves(inner, inner, depth + 1)
        return
    if part.is_multipart():
        for sub in part.get_payload():
            if isinstance(sub, Message):
                yield from _leaves(sub, carrier, depth + 1)
        return
    yield part, carrier


def _attached_message(part: Message) -> Message | None:
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return payload[0]
    data = _payload(part)  # some programs base64-encode the forwarded message
    return parse_bytes(data) if data else None


def _forwarded(carrier: Message, outer: Origin) -> Origin:
    inner = origin_from_headers(carrier, mailbox=outer.mailbox, uid=outer.uid)
    if not inner.sender:
        return outer
    return replace(inner, forwarded_by=outer.sender if outer.sender != inner.sender else "",
                   message_id=outer.message_id or inner.message_id,
                   date=inner.date or outer.date)


def _payload(part: Message) -> bytes | None:
    try:
        data = part.get_payload(decode=True)
    except (ValueError, LookupError, TypeError):
        return None
    if data is None:
        raw = part.get_payload()
        return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else None
    return bytes(data)
