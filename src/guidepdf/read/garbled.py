"""A text read from a form field -> why it looks garbled, or None: mostly control characters
(a tool drew what it could not encode as NULs, and a viewer saved what it saw), or text that
is UTF-8 read as Windows-1252 or Latin-1 ("JosÃ©" for "José"). The reader keeps such text
as it is and warns, so a person can look at the form."""

from __future__ import annotations

import unicodedata

from guidepdf.notes import Note

_SPACING = {"\n", "\r", "\t"}
SAMPLE = 20_000  # characters looked at: enough to judge, and a 2 MB answer costs no more


def why_garbled(text: str) -> Note | None:
    """What is wrong with `text` (a note: garbled_controls, garbled_encoding), or None when
    it looks like text."""
    text = text[:SAMPLE]
    if text.replace("\n", "").replace("\r", "").replace("\t", "").isprintable():
        # no control, surrogate, private or unassigned character at all (isprintable is
        # False for every one of them): only the encoding can be wrong. Most answers end
        # here, in C, instead of a look at each character (a third of reading a form)
        return _encoding_note(text)
    visible = [ch for ch in text if not ch.isspace() or ch in _SPACING]
    if not visible:
        return None
    controls = sum(1 for ch in visible if ch not in _SPACING
                   and unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"))
    if controls and controls * 2 >= len([ch for ch in visible if ch not in _SPACING]):
        sample = "".join(f"U+{ord(ch):04X} " for ch in dict.fromkeys(
            ch for ch in text if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn")
            and ch not in _SPACING))
        return Note.of("garbled_controls", codes=sample.strip())
    return _encoding_note(text)


def _encoding_note(text: str) -> Note | None:
    fixed = _as_utf8(text)
    if fixed is not None:
        shown = fixed if len(fixed) <= 40 else fixed[:39] + "…"
        return Note.of("garbled_encoding", text=shown)
    return None


def _as_utf8(text: str) -> str | None:
    """`text` re-read as the UTF-8 it was most likely written as, when it decodes as such
    and gains characters outside ASCII; else None."""
    if text.isascii():
        return None
    for encoding in ("cp1252", "latin-1"):
        try:
            fixed = text.encode(encoding).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != text and not fixed.isascii():
            return fixed
    return None
