"""File names for personalized copies: predictable, unique, and safe on every OS."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from guidepdf.distribute import Person, assign_filenames

SAFE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\.pdf$")


def person(pid: str, name: str, role: str = "coach", email: str = "") -> Person:
    return Person(1, pid, name, email or f"{abs(hash(pid))}@x.org", role)


def test_names_are_role_slug_and_id() -> None:
    """`<role>-<slug-of-name>-<id>.pdf`, accents folded to ASCII."""
    names = assign_filenames([person("17", "Zoë Ångström-Lee"),
                              person("A-9", "Bo Chen", "system-central-office")])
    assert names == {"17": "coach-zoe-angstrom-lee-17.pdf",
                     "A-9": "system-central-office-bo-chen-a-9.pdf"}


def test_hostile_names_cannot_escape_or_hit_reserved_names() -> None:
    """Separators, '..', device names and other scripts never reach the file name."""
    names = assign_filenames([
        person("1", "../../etc/passwd"), person("2", "CON"), person("..", "nul"),
        person("4", "C:\\Windows\\system32"), person("5", "דנה לוי"), person("6", "😀"),
        person("/", "."),
    ])
    assert names["1"] == "coach-etc-passwd-1.pdf"
    assert names["2"] == "coach-con-file-2.pdf"  # safenames.slug marks device names
    assert names["5"] == "coach-dnh-lvy-5.pdf"  # Hebrew, transliterated
    assert names["6"] == "coach-6.pdf"
    for name in names.values():
        assert SAFE.match(name), name
        assert ".." not in name and "/" not in name and "\\" not in name


def test_letters_of_every_script_are_kept_as_their_transliteration() -> None:
    """Søren, Straße Weiß, Cyrillic, Greek and Chinese names keep every letter, in ASCII."""
    names = assign_filenames([
        person("1", "Søren Dahl"), person("2", "Straße Weiß"), person("3", "Олег Петров"),
        person("4", "Σωκράτης Νικολάου"), person("5", "李小龙"), person("6", "Nguyễn Văn An"),
        person("7", "Zoe\u0308 A\u030angstro\u0308m"),  # decomposed, as macOS writes it
    ])
    assert names == {"1": "coach-soren-dahl-1.pdf", "2": "coach-strasse-weiss-2.pdf",
                     "3": "coach-oleg-petrov-3.pdf", "4": "coach-sokratis-nikolaoy-4.pdf",
                     "5": "coach-li-xiao-long-5.pdf", "6": "coach-nguyen-van-an-6.pdf",
                     "7": "coach-zoe-angstrom-7.pdf"}


def test_same_names_stay_unique_whatever_the_order() -> None:
    """Two people whose stems collide both get a short hash; order does not change names."""
    a = person("1", "Ann Lee", email="a1@x.org")
    b = Person(2, "1 ", "Ann Lee", "a2@x.org", "coach")  # id slugs to the same '1'
    first = assign_filenames([a, b])
    assert len(set(first.values())) == 2
    assert first == assign_filenames([b, a])
    assert all(n.startswith("coach-ann-lee-1-") for n in first.values())


def test_long_names_are_cut() -> None:
    """A 2,000-character name gives a short file name."""
    name = assign_filenames([person("1", "x" * 2000)])["1"]
    assert len(name) <= 135 and SAFE.match(name)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=40), st.text(max_size=300)),
                min_size=1, max_size=12, unique_by=lambda t: t[0]))
def test_any_roster_gives_safe_unique_names(rows: list[tuple[str, str]]) -> None:
    """For any ids and names: ASCII, no separators, short, and unique ignoring case."""
    names = assign_filenames([person(pid, name) for pid, name in rows])
    assert len(names) == len(rows)
    assert len({n.lower() for n in names.values()}) == len(rows)
    for name in names.values():
        assert SAFE.match(name) and len(name) <= 140, name
