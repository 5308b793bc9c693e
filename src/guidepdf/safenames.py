"""Text from people -> file names safe on every OS: no separators, no '..', no reserved
device names, no control characters, length-limited, unique within a run."""

from __future__ import annotations

import re
import unicodedata

_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}
MAX_STEM = 80


def slug(text: str, fallback: str = "file", max_length: int = MAX_STEM) -> str:
    """Lowercase ASCII words joined by '-'; accents folded; never empty, never reserved."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded.lower())
    result = "-".join(words)[:max_length].strip("-") or fallback
    if result.split(".")[0] in _RESERVED:
        result = f"{result}-file"
    return result


def unique_stem(stem: str, taken: set[str]) -> str:
    """A safe version of `stem` not yet in `taken` (case-insensitively); records it."""
    base = slug(stem)
    candidate, n = base, 2
    while candidate.lower() in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate.lower())
    return candidate
