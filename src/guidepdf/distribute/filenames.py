"""People -> file names for their copies: `<role>-<slug-of-name>-<id>.pdf`, ASCII only
(every script's letters transliterated: Søren Dahl -> soren-dahl),
safe on every OS (no separators, no '..', no reserved device names, length-limited),
unique even when names or ids collide, and the same for the same roster."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

from guidepdf.distribute.roster import Person
from guidepdf.safenames import slug

MAX_ROLE, MAX_NAME, MAX_ID = 40, 48, 32  # a stem is at most 40+48+32+2+9 = 131 characters


def _digest(text: str, size: int = 6) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:size]


def base_stem(person: Person) -> str:
    """`<role>-<name>-<id>` before collisions are resolved; an empty name is left out."""
    role = slug(person.role, "guide", MAX_ROLE)
    ident = slug(person.id, "", MAX_ID) or _digest(person.id)  # an id in symbols or scripts
    # Only [a-z0-9-] and always two parts or more: no separator, no dot, no device name.
    return "-".join(p for p in (role, slug(person.name, "", MAX_NAME), ident) if p)


def assign_filenames(people: Iterable[Person], suffix: str = ".pdf") -> dict[str, str]:
    """Person id -> file name. Stems that would collide (compared case-insensitively, as
    Windows and macOS do) all get a short hash of the person's id and email, so a name
    does not depend on the roster's order."""
    people = list(people)
    stems = {p.id: base_stem(p) for p in people}
    counts = Counter(s.lower() for s in stems.values())
    names: dict[str, str] = {}
    taken: set[str] = set()
    for person in people:
        stem = stems[person.id]
        if counts[stem.lower()] > 1:
            stem = f"{stem}-{_digest(person.id + chr(0) + person.email, 8)}"
        while stem.lower() in taken:  # only when ids themselves repeat (a roster error)
            stem = f"{stem}-{_digest(stem, 4)}"
        taken.add(stem.lower())
        names[person.id] = stem + suffix
    return names
