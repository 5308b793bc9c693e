"""The shipped content is written in our own words: no run of seven words is shared with the
reference guides (names of standards and categories are shorter than that)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT.parent / "shared" / "reference"
RUN = 7


def runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))
    return {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="../shared/reference is not beside the repo")
def test_no_sentence_is_copied_from_the_reference() -> None:
    """No seven-word sequence of any content file appears in either reference guide."""
    reference: set[tuple[str, ...]] = set()
    for path in REFERENCE.glob("*.txt"):
        reference |= runs(path.read_text(encoding="utf-8"))
    assert len(reference) > 1000  # the check compares against something real
    copied = {}
    for path in sorted((ROOT / "content").rglob("*.yaml")):
        shared = runs(path.read_text(encoding="utf-8")) & reference
        if shared:
            copied[path.name] = sorted(" ".join(r) for r in shared)[:5]
    assert copied == {}
