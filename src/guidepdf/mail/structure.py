"""An IMAP BODYSTRUCTURE (as imapclient parses it) -> the parts worth fetching: PDFs (and
unnamed octet-streams to look at), with their section number, encoding, size, decoded file
name and, inside forwarded messages, the forwarded message's sender; plus winmail.dat."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from typing import Any

from imapclient.response_types import BodyData

from guidepdf.mail.origin import decode_words
from guidepdf.mail.parse import filename_of, part_kind


@dataclass(frozen=True)
class PartRef:
    section: str  # "2", "2.1", ... as FETCH BODY[section] names it; "1" for a lone body
    kind: str  # "pdf", "maybe-pdf" or "tnef"
    encoding: str  # "base64", "quoted-printable", "7bit", ...
    size: int  # octets on the server (encoded)
    filename: str
    forwarded_from: tuple[str, str, str, str] | None = None  # (name, address, date, subject)


def pdf_parts(structure: Any) -> list[PartRef]:
    return list(_walk(_body(structure), "", True, None))


def _body(structure: Any) -> BodyData:
    return structure if isinstance(structure, BodyData) else BodyData.create(structure)


def _walk(body: BodyData, prefix: str, message_root: bool,
          forwarded: tuple[str, str, str, str] | None) -> Iterator[PartRef]:
    if body.is_multipart:
        for i, child in enumerate(body[0], start=1):
            yield from _walk(_body(child), f"{prefix}.{i}" if prefix else str(i), False,
                             forwarded)
        return
    section = (f"{prefix}.1" if prefix else "1") if message_root else prefix
    ctype = f"{_text(body[0]).lower()}/{_text(body[1]).lower()}"
    if ctype in ("message/rfc822", "message/global") and len(body) > 8 and \
            isinstance(body[8], tuple):
        yield from _walk(_body(body[8]), section, True, _envelope(body[7]) or forwarded)
        return
    ext = 8 if ctype.startswith("text/") else 7
    disposition = body[ext + 1] if len(body) > ext + 1 else None
    name = _filename(body[2], disposition)
    kind = part_kind(ctype, name)
    if kind is None:
        return
    size = body[6] if isinstance(body[6], int) else 0
    yield PartRef(section, kind, _text(body[5]).lower(), size, name, forwarded)


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def _pairs(params: Any) -> list[tuple[str, str]]:
    if not isinstance(params, tuple):
        return []
    items = [_text(v) for v in params]
    return list(zip(items[0::2], items[1::2], strict=False))


def _filename(ctype_params: Any, disposition: Any) -> str:
    """The name the email package would give the part (RFC 2231 continuations and
    charsets, RFC 2047 words), rebuilt from the parameters the server lists."""
    msg = Message()
    msg["Content-Type"] = "application/octet-stream" + _params(_pairs(ctype_params))
    if isinstance(disposition, tuple) and disposition:
        msg["Content-Disposition"] = _text(disposition[0]).lower() + \
            _params(_pairs(disposition[1] if len(disposition) > 1 else None))
    return filename_of(msg)


def _params(pairs: list[tuple[str, str]]) -> str:
    out = []
    for key, value in pairs:
        if key.endswith("*"):  # RFC 2231 extended value: charset'lang'%XX, never quoted
            out.append(f"; {key.lower()}={value}")
        else:
            quoted = value.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'; {key.lower()}="{quoted}"')
    return "".join(out)


def _envelope(envelope: Any) -> tuple[str, str, str, str] | None:
    """(name, address, date, subject) of a forwarded message's ENVELOPE."""
    if not isinstance(envelope, tuple) or len(envelope) < 3:
        return None
    date, subject, senders = envelope[0], envelope[1], envelope[2]
    if not isinstance(senders, tuple) or not senders:
        return None
    first = senders[0]
    if not isinstance(first, tuple) or len(first) < 4:
        return None
    name = decode_words(_text(first[0]))
    addr = f"{_text(first[2])}@{_text(first[3])}" if first[2] and first[3] else ""
    return name, addr, _text(date), decode_words(_text(subject))
