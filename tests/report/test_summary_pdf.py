"""summary.pdf: headline numbers, every answer shown as written, an outline, long answers
across pages, the same bytes for the same summary."""

from __future__ import annotations

import dataclasses
import io

import pypdf

from guidepdf.content import Content
from guidepdf.report.aggregate import aggregate
from guidepdf.report.model import AnswerRow, Summary
from guidepdf.report.summary_pdf import build_summary_pdf, spread
from tests.layout.pdfcheck import page_texts


def texts(pdf: bytes) -> list[str]:
    return page_texts(pdf, squeeze=True)


def test_first_page_has_the_headline_numbers(small_summary: Summary, content: Content) -> None:
    """Returned of expected with the rate, missing, rejected, and the role chart labels."""
    first = texts(build_summary_pdf(small_summary, content))[0]
    assert "3 of 4 returned (75%)" in first
    assert "1 not yet returned" in first and "1 files rejected" in first
    assert "Response rate by role" in first and "2 of 2 (100%)" in first and "1 of 2 (50%)" in first


def test_answers_appear_exactly_as_written(small_summary: Summary, content: Content) -> None:
    """Markup characters, formulas, non-Latin names and line breaks from people are shown
    as text, each answer beside who wrote it."""
    every = " ".join(texts(build_summary_pdf(small_summary, content)))
    assert "Coaching cycles <b>work</b> & data second line" in every
    assert '=HYPERLINK("x")' in every
    assert "олег петров" in every and "Ana Núñez" in every
    assert "Left blank by (2): Ana Núñez, BEN@example.org" in every
    assert "Dana Li" in every  # in the appendix: not yet returned
    assert "bad.pdf not a PDF (an HTML page)" in every


def test_outline_lists_sections_roles_and_questions(small_summary: Summary,
                                                    content: Content) -> None:
    """The PDF's bookmarks lead to the headline, IC maps, each role, its questions and the
    appendix."""
    reader = pypdf.PdfReader(io.BytesIO(build_summary_pdf(small_summary, content)))
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == ["Headline numbers", "Answer lengths", "IC map: Coaches", "Coaches",
                   "Teachers", "Appendix"]
    nested = [x for x in reader.outline if isinstance(x, list)]
    assert nested[0][0].title.startswith("Q1. Looking across")


def test_same_summary_same_bytes(small_summary: Summary, content: Content) -> None:
    """Rendering is reproducible."""
    assert build_summary_pdf(small_summary, content) == build_summary_pdf(small_summary,
                                                                          content)


def test_a_very_long_answer_flows_across_pages(small_summary: Summary,
                                               content: Content) -> None:
    """An answer longer than a page is split across pages, nothing lost."""
    first = small_summary.responses[0]
    words = " ".join(f"w{i}" for i in range(3000)) + " ENDMARK"
    long = dataclasses.replace(first, answers=(
        AnswerRow(first.answers[0].question_id, words, "short"), *first.answers[1:]))
    summary = dataclasses.replace(small_summary, responses=(long, *small_summary.responses[1:]))
    before = len(texts(build_summary_pdf(small_summary, content)))
    pages = texts(build_summary_pdf(summary, content))
    assert len(pages) >= before + 2
    every = " ".join(pages)
    assert "w0 w1 w2" in every and "w2999 ENDMARK" in every


def test_without_a_roster(content: Content, three: list) -> None:
    """No roster: forms counted per role, no 'not yet returned' section."""
    summary = aggregate(three, content, None, source="returned")
    pages = texts(build_summary_pdf(summary, content))
    assert "3 forms returned" in pages[0] and "Forms returned by role" in pages[0]
    assert "Not yet returned" not in " ".join(pages)


def test_answers_per_question_are_limited_and_say_so(small_summary: Summary,
                                                     content: Content) -> None:
    """With a limit of one answer per question, coach Q1 (answered by Ana and Ben) shows
    one of them and says where the rest are; blank lists name one person and count the
    others; with no limit both answers are there."""
    every = " ".join(texts(build_summary_pdf(small_summary, content,
                                             answers_per_question=1)))
    assert "Showing 1 of 2 answers, spread evenly through them in name order. Every " \
           "answer is in responses.xlsx, responses.csv and summary.json." in every
    assert "Coaching cycles <b>work</b> & data" in every  # Ana sorts first: the one shown
    assert "More coaching, less data." not in every
    assert "Left blank by (2): Ana Núñez, and 1 more (see responses.xlsx)" in every
    full = " ".join(texts(build_summary_pdf(small_summary, content,
                                            answers_per_question=None)))
    assert "More coaching, less data." in full and "Showing" not in full


def test_spread_picks_evenly_and_keeps_everything_that_fits() -> None:
    assert spread(3, 5) == [0, 1, 2] and spread(3, None) == [0, 1, 2]
    assert spread(10, 4) == [0, 2, 5, 7]
    assert spread(20000, 50)[-1] == 19600 and len(set(spread(20000, 50))) == 50
