"""Frequent terms: words that carry meaning, counted, most frequent first."""

from __future__ import annotations

from collections import Counter

from guidepdf.report.terms import default_stop_words, tokens, top_terms
from guidepdf.report.themes import ThemeCounter


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
    counter = Counter(tokens("coaching data time coaching data coaching"))
    assert top_terms(counter, 2) == [("coaching", 3), ("data", 2)]
    assert top_terms(Counter({"b": 1, "a": 1, "c": 2})) == [("c", 2), ("a", 1), ("b", 1)]


def test_the_theme_counter_counts_the_words_tokens_finds() -> None:
    """The frequent terms are counted in the themes' first pass, from its own split of each
    answer: the same words tokens() finds, the stop words of the edition left out, and only
    a question's first cell when a form holds two for it."""
    texts = ["We will MEET in 3 weeks, and we'll review the Data by Q2.",
             "Teachers’ time — Учителя и время, Εκπαιδευτικοί, o’clock; grade-level data",
             "it’s what we’re planning: data-driven planning (planning!) 2x2 co-teaching"]
    counter = ThemeCounter(lambda role, qid: "", "en", default_stop_words())
    counter.add("coach", [("q1", texts[0], texts[1]), ("q2", texts[2], ""),
                          ("q1", "a second cell for q1 is not counted", texts[2])])
    counter.add("coach", [("q1", texts[2], "")])
    q1 = Counter(tokens(texts[0]) + tokens(texts[1]) + tokens(texts[2]))
    assert counter.terms(50) == {("coach", "q1"): top_terms(q1, 50),
                                 ("coach", "q2"): top_terms(Counter(tokens(texts[2])), 50)}
    assert counter.terms(2)[("coach", "q1")] == [("data", 3), ("planning", 3)]
