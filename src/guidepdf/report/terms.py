"""Answer text -> words (lower-cased, stop words and numbers removed) -> the most frequent
terms of a question. The stop words are the edition's (report.stop_words in labels.yaml).
A collect counts them in the themes' first pass over the answers (report.themes,
ThemeCounter.terms), which splits each answer once for both; `tokens` is the definition
they are tested against."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

from guidepdf.content.labels import Labels, shipped_labels

MIN_LENGTH = 3
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")  # letters, with inner apostrophes


def tokens(text: str, stop_words: frozenset[str] | None = None) -> list[str]:
    """The words of `text` that carry meaning, lower-cased, in order; `stop_words` (default:
    the shipped English ones) are left out."""
    stop = default_stop_words() if stop_words is None else stop_words
    folded = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    return [w for w in _WORD.findall(folded) if len(w) >= MIN_LENGTH and w not in stop]


def stop_words(labels: Labels) -> frozenset[str]:
    """An edition's stop words (report.stop_words), folded the way answers are."""
    return frozenset(unicodedata.normalize("NFKC", w).casefold().replace("’", "'")
                     for w in labels.words("report.stop_words"))


@functools.cache
def default_stop_words() -> frozenset[str]:
    """The shipped English labels' stop words."""
    return stop_words(shipped_labels())


def top_terms(counter: Counter[str], limit: int = 12) -> list[tuple[str, int]]:
    """The `limit` most frequent terms, most frequent first, ties alphabetical."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
