"""Text from people -> file names safe on every OS: no separators, no '..', no reserved
device names, no control characters, length-limited, unique within a run. Letters of every
script are transliterated to ASCII (Søren -> soren, Straße -> strasse, Олег -> oleg), so a
name means the same thing on every file system, in every zip tool and mail client, and
never changes under Unicode normalization (macOS stores names decomposed)."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}
MAX_STEM = 80


def slug(text: str, fallback: str = "file", max_length: int = MAX_STEM) -> str:
    """Lowercase ASCII words joined by '-': letters and digits of any script transliterated,
    everything else a separator; never empty, never reserved."""
    folded = "".join(_ascii(ch) for ch in unicodedata.normalize("NFC", text))
    words = re.findall(r"[a-z0-9]+", folded.lower())
    result = "-".join(words)[:max_length].strip("-") or fallback
    if result.split(".")[0] in _RESERVED:
        result = f"{result}-file"
    return result


def _ascii(ch: str) -> str:
    """One character as ASCII: letters, marks and digits transliterated (a Han character or
    Hangul syllable is a syllable of its own: 李小龙 -> li-xiao-long), the rest a separator."""
    if ch.isascii():
        return ch
    if unicodedata.category(ch)[0] not in "LMN":
        return " "
    if unicodedata.name(ch, "").startswith(("CJK UNIFIED IDEOGRAPH", "HANGUL SYLLABLE")):
        return f" {anyascii(ch)} "
    return anyascii(ch)


def unique_stem(stem: str, taken: set[str]) -> str:
    """A safe version of `stem` not yet in `taken` (case-insensitively); records it."""
    base = slug(stem)
    candidate, n = base, 2
    while candidate.lower() in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate.lower())
    return candidate


def printable(text: str) -> str:
    """Text from outside (a file name, a roster cell) -> safe to print on a terminal:
    control and format characters (ESC and OSC sequences, newlines, bidi overrides) shown
    as escapes (\\x1b, \\n, \\u202e); everything else as it is."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        elif ch in "\n\r\t":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out)
