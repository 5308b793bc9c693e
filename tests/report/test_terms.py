"""Frequent terms: words that carry meaning, counted, most frequent first."""

from __future__ import annotations

from collections import Counter

from guidepdf.report.terms import count_terms, tokens, top_terms


def test_tokens_drop_stop_words_numbers_and_short_words() -> None:
    """Stop words, numbers and words under three letters go; the rest is lower-cased."""
    assert tokens("We will MEET in 3 weeks, and we'll review the Data by Q2.") == [
        "meet", "weeks", "review", "data"]


def test_tokens_keep_inner_apostrophes_and_other_scripts() -> None:
    """Curly apostrophes fold to straight ones and stay inside words (so "we’re" is a stop
    word), not at their ends; Greek and Cyrillic words are words."""
    assert tokens("Teachers’ time — Учителя и время, Εκπαιδευτικοί, o’clock") == [
        "teachers", "time", "учителя", "время", "εκπαιδευτικοί", "o'clock"]
    assert tokens("it’s what we’re planning") == ["planning"]


def test_top_terms_orders_by_count_then_alphabetically() -> None:
    """Ties are broken alphabetically and the list is cut at the limit."""
    counter = count_terms(["coaching data time", "coaching data", "coaching"])
    assert top_terms(counter, 2) == [("coaching", 3), ("data", 2)]
    assert top_terms(Counter({"b": 1, "a": 1, "c": 2})) == [("c", 2), ("a", 1), ("b", 1)]
