"""content/FORMAT.md says what the code accepts: every roster header spelling, the optional
columns and their limits, the fonts/ rule, and how to quote a text with '#'."""

from __future__ import annotations

import re
from pathlib import Path

from guidepdf.distribute import roster

FORMAT = Path(__file__).resolve().parents[2] / "content" / "FORMAT.md"


def _section(title: str) -> str:
    text = FORMAT.read_text(encoding="utf-8")
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 3)
    return text[start:end if end >= 0 else len(text)]


def test_every_roster_header_spelling_is_documented() -> None:
    """Each alias of each column, and the first/last-name spellings, are in the table."""
    section = _section("The roster")
    for column, aliases in roster.ALIASES.items():
        row = next(line.strip() for line in section.splitlines()
                   if line.strip().startswith(f"| {column} |"))
        listed = [a.strip() for a in row.split("|")[2].split(",")]
        assert listed == list(aliases), column
    for name in (*roster.FIRST_NAME, *roster.LAST_NAME):
        assert re.search(rf"\b{name}\b", section), name


def test_roster_columns_and_limits_are_documented() -> None:
    """Required and optional columns, the language tag and each length limit are named."""
    section = _section("The roster")
    for column in (*roster.REQUIRED, *roster.OPTIONAL):
        assert f"`{column}`" in section, column
    for column, limit in roster.LIMITS.items():
        assert f"{column} {limit}" in section, column
    assert "**language**" in section


def test_fonts_folder_and_quoting_are_documented() -> None:
    """The fonts/ folder replaces the shipped fonts; '#' in a text needs quotes."""
    assert "**replaces**" in _section("The content folder's fonts")
    assert 'text: "What is our #1 priority?"' in _section("Quoting text")
