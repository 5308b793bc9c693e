"""A PDF string or stream object, however a viewer wrote it -> the Python text it means:
PDFDocEncoding, UTF-16 with or without a byte-order mark, UTF-8 with its mark (PDF 2.0);
line breaks normalized to \\n, blank lines kept."""

from __future__ import annotations

import re
import zlib
from decimal import Decimal

import pikepdf

from guidepdf.notes import Note

_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1f]")
# Bytes that mean the same in ASCII and PDFDocEncoding: tab, line breaks, printable ASCII.
_PLAIN = bytes([0x09, 0x0A, 0x0B, 0x0C, 0x0D, *range(0x20, 0x7F)])

# A value larger than this is cut (with a warning by the caller): no answer is this long.
MAX_VALUE_BYTES = 2_000_000


def decode_pdf_text(raw: bytes) -> str:
    """Decode the bytes of a PDF text string."""
    if not raw.translate(None, _PLAIN):  # the usual answer: plain ASCII (no BOM can be)
        text = raw.decode("ascii")
    elif raw.startswith(b"\xfe\xff"):
        text = raw[2:].decode("utf-16-be", errors="replace")
    elif raw.startswith(b"\xff\xfe"):
        text = raw[2:].decode("utf-16-le", errors="replace")
    elif raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8", errors="replace")
    elif not _CONTROL.search(raw):  # the common case: no control bytes, plain PDFDocEncoding
        text = raw.decode("pdfdoc", errors="replace")
    elif _looks_utf16(raw, 0):
        text = raw.decode("utf-16-be", errors="replace")
    elif _looks_utf16(raw, 1):
        text = raw.decode("utf-16-le", errors="replace")
    else:
        text = raw.decode("pdfdoc", errors="replace")
    return normalize_newlines(text) if "\r" in text else text


def _looks_utf16(raw: bytes, high_at: int) -> bool:
    """UTF-16 without a byte-order mark: even length, and the high byte of most code units
    is NUL or another control byte that no text in PDFDocEncoding would contain (true of
    Latin, Greek, Cyrillic, Hebrew, Arabic …; CJK without a BOM cannot be told apart)."""
    if len(raw) < 2 or len(raw) % 2:
        return False
    highs, lows = raw[high_at::2], raw[1 - high_at::2]
    control = sum(1 for b in highs if b < 0x09 or 0x0E <= b < 0x20)
    return control >= 0.6 * len(highs) and lows.count(0) == 0


def _bounded_stream(obj: pikepdf.Stream) -> tuple[bytes | None, Note | None]:
    """A stream's data, inflating at most MAX_VALUE_BYTES (a tiny stream can inflate to
    gigabytes: a decompression bomb)."""
    filters = obj.get("/Filter")
    if filters is None:
        return obj.read_raw_bytes()[:MAX_VALUE_BYTES], None
    spelled = filters.unparse().decode("latin-1")
    if spelled not in ("/FlateDecode", "[ /FlateDecode ]") or "/DecodeParms" in obj:
        return None, Note.of("value_filter", filter=spelled[:40])
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(obj.read_raw_bytes(), MAX_VALUE_BYTES)
    except zlib.error as exc:
        return None, Note.of("value_undecodable", detail=str(exc))
    if inflater.unconsumed_tail:
        return raw, Note.of("value_inflates", limit=MAX_VALUE_BYTES)
    return raw, None


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def value_text(obj: pikepdf.Object) -> tuple[str | None, Note | None]:
    """(text, oddity) for a field value object; oddity names anything unusual about it."""
    if isinstance(obj, pikepdf.String):
        raw = bytes(obj)
        oddity = None
        if len(raw) > MAX_VALUE_BYTES:
            raw, oddity = raw[:MAX_VALUE_BYTES], Note.of("value_too_long", limit=MAX_VALUE_BYTES)
        return decode_pdf_text(raw), oddity
    if isinstance(obj, pikepdf.Stream):
        raw, oddity = _bounded_stream(obj)
        if raw is None:
            return None, oddity
        return decode_pdf_text(raw), oddity or Note.of("value_stream")
    if isinstance(obj, pikepdf.Name):  # names are bytes and need not be UTF-8
        return obj.unparse()[1:].decode("latin-1"), None
    if isinstance(obj, pikepdf.Array):
        parts = [p for p in (value_text(x)[0] for x in list(obj)[:64]
                             if isinstance(x, pikepdf.String | pikepdf.Name)) if p]
        return "\n".join(parts), Note.of("value_array")
    if isinstance(obj, bool):
        return None, Note.of("value_boolean")
    if isinstance(obj, int | float | Decimal):  # pikepdf gives PDF numbers as int/Decimal
        return str(obj), Note.of("value_number")
    return None, Note.of("value_type", type=type(obj).__name__)
