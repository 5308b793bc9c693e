"""People -> file names for their copies: `<role>-<slug-of-name>-<id>.pdf`, ASCII only,
safe on every OS (no separators, no '..', no reserved device names, length-limited),
unique even when names or ids collide, and the same for the same roster."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from guidepdf.distribute.roster import Person

# Windows device names, reserved with any extension and in any case (also with ¹²³).
RESERVED = {"con", "prn", "aux", "nul", "conin$", "conout$",
            *(f"{d}{n}" for d in ("com", "lpt") for n in [*"123456789", "¹", "²", "³"])}
MAX_ROLE, MAX_NAME, MAX_ID = 40, 48, 32
MAX_STEM = 120


def slug(text: str, limit: int) -> str:
    """Lower-case ASCII letters and digits joined by single '-'; accents become plain
    letters, other scripts and symbols are dropped; at most `limit` characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].rstrip("-")


def _digest(text: str, size: int = 6) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:size]


def safe_stem(stem: str) -> str:
    """Make any stem safe as a file name on Windows, macOS and Linux."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".- ") or "file"
    stem = stem.replace("..", "-")
    if stem.split(".")[0].lower() in RESERVED:
        stem = f"{stem}-file"
    return stem[:MAX_STEM].rstrip(".- ")


def base_stem(person: Person) -> str:
    """`<role>-<name>-<id>` before collisions are resolved; empty parts are left out."""
    role = slug(person.role, MAX_ROLE) or "guide"
    ident = slug(person.id, MAX_ID) or _digest(person.id)  # an id in symbols or other scripts
    parts = [role, slug(person.name, MAX_NAME), ident]
    return safe_stem("-".join(p for p in parts if p))


def assign_filenames(people: Iterable[Person], suffix: str = ".pdf") -> dict[str, str]:
    """Person id -> file name. Names that would collide (compared case-insensitively, as
    Windows and macOS do) all get a short hash of the person's id, so the result does not
    depend on the roster's order."""
    people = list(people)
    stems = {p.id: base_stem(p) for p in people}
    counts = Counter(s.lower() for s in stems.values())
    names: dict[str, str] = {}
    taken: set[str] = set()
    for person in people:
        stem = stems[person.id]
        if counts[stem.lower()] > 1:
            stem = f"{stem}-{_digest(person.id + chr(0) + person.email, 8)}"
        while stem.lower() in taken:  # only if ids themselves collide (a roster error)
            stem = f"{stem}-{_digest(stem, 4)}"
        taken.add(stem.lower())
        names[person.id] = stem + suffix
    return names
