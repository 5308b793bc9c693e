"""A report heading never ends a page: it moves to the next page with what it introduces,
unless there is room on its page for the start of that (a long table or paragraph then
begins under it and continues overleaf)."""

from __future__ import annotations

import functools
import io
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak, Spacer

from guidepdf.content import Content
from guidepdf.distribute.roster import Person, Roster
from guidepdf.layout.tagging import StructureRecorder
from guidepdf.layout.theme import make_theme
from guidepdf.read.readmany import Outcome
from guidepdf.report.aggregate import aggregate
from guidepdf.report.pdfparts import Deferred, heading, tagged
from guidepdf.report.summary_pdf import (
    KEEP_START,
    CompactCanvas,
    build_summary_pdf,
    new_document,
)
from tests.layout.pdfcheck import page_texts
from tests.report.conftest import make_plan


def _build(content: Content, story: list[Flowable]) -> list[str]:
    """Lay out `story` in a report document; the text of each page, running header and
    footer removed."""
    theme = make_theme(content.brand, "letter", content.labels.hyphenation)
    buffer = io.BytesIO()
    doc = new_document(buffer, theme, content, "TITLE")
    recorder = StructureRecorder()
    doc.build(story, canvasmaker=functools.partial(CompactCanvas, recorder=recorder))
    return [" ".join(w for w in text.split() if w not in ("TITLE", "·") and not w.isdigit()
                     and w not in content.brand.organization.split()
                     and w not in content.framework.name.split())
            for text in page_texts(buffer.getvalue(), squeeze=True)]


def _room(content: Content) -> float:
    theme = make_theme(content.brand, "letter", content.labels.hyphenation)
    return theme.page_height - 2 * theme.margin


def _theme(content: Content):  # type: ignore[no-untyped-def]
    return make_theme(content.brand, "letter", content.labels.hyphenation)


def _para(content: Content, text: str) -> Flowable:
    return tagged(text, _theme(content).style("body"))


def _head(content: Content, text: str, role: str = "H2") -> Flowable:
    return heading(text, _theme(content).style("h2" if role == "H2" else "h3"), role)


def _long(content: Content, word: str, lines: int) -> Flowable:
    """A paragraph of about `lines` lines (splits across pages)."""
    return _para(content, " ".join(f"{word}{i}" for i in range(lines * 12)))


def test_a_heading_with_too_little_room_moves_to_the_next_page(content: Content) -> None:
    """A short unsplittable block after the heading does not fit: both start page 2."""
    story = [Spacer(1, _room(content) - 30), _head(content, "HEADX"),
             _para(content, "BODYX")]
    pages = _build(content, story)
    assert len(pages) == 2
    assert "HEADX" not in pages[0]
    assert pages[1].startswith("HEADX BODYX")


def test_a_heading_with_room_for_the_start_of_a_long_block_stays(content: Content) -> None:
    """Room for the heading and more than KEEP_START points of a long paragraph: the
    paragraph starts under the heading and continues on the next page."""
    story = [Spacer(1, _room(content) - KEEP_START - 80), _head(content, "HEADX"),
             _long(content, "w", 120)]
    pages = _build(content, story)
    assert pages[0].startswith("HEADX w0 w1")
    assert "w500" in " ".join(pages[1:])


def test_a_heading_does_not_end_a_page_before_a_long_block(content: Content) -> None:
    """Less room than the heading plus KEEP_START points: the heading goes with the start of
    the long paragraph, and nothing of it stays behind."""
    story = [Spacer(1, _room(content) - KEEP_START + 10), _head(content, "HEADX"),
             _long(content, "w", 120)]
    pages = _build(content, story)
    assert "HEADX" not in pages[0] and "w0" not in pages[0]
    assert pages[1].startswith("HEADX w0 w1")


def test_consecutive_headings_stay_together_with_what_follows(content: Content) -> None:
    """An H2 right before an H3 right before a block: all three move together."""
    story = [Spacer(1, _room(content) - 60), _head(content, "HEADA"),
             _head(content, "HEADB", "H3"), _para(content, "BODYX")]
    pages = _build(content, story)
    assert "HEADA" not in pages[0] and "HEADB" not in pages[0]
    assert pages[1].startswith("HEADA HEADB BODYX")


def test_headings_inside_deferred_sections_are_kept_too(content: Content) -> None:
    """The heading comes from a Deferred section and what follows it from the next one (as
    in the answers part, made while laid out): it still does not end the page."""
    story = [Spacer(1, _room(content) - 30),
             Deferred(iter([_head(content, "HEADX")])),
             Deferred(iter([])),
             Deferred(iter([_para(content, "BODYX"), _para(content, "BODYY")]))]
    pages = _build(content, story)
    assert "HEADX" not in pages[0]
    assert pages[1].startswith("HEADX BODYX BODYY")


def test_a_heading_at_the_end_or_before_a_page_break(content: Content) -> None:
    """Nothing after a heading (the end of the story, or a page break): it stays where it
    is, and the story may end in an empty Deferred section."""
    pages = _build(content, [_para(content, "BODYX"), _head(content, "HEADX"), PageBreak(),
                             _para(content, "BODYY"), _head(content, "HEADY"),
                             Deferred(iter([]))])
    assert pages == ["BODYX HEADX", "BODYY HEADY"]


def test_by_school_or_team_shares_its_page_with_the_schools(content: Content) -> None:
    """25 schools, 7 roles, a roster: the headline's 'By school or team' chart does not fit
    under the role chart, and its heading goes with it to page 2 (it used to end page 1
    alone). No page of the summary ends in a heading."""
    people, items = [], []
    for school in range(25):
        for number, role in enumerate(r.id for r in content.roles):
            person = Person(len(people) + 2, f"p{school}-{number}", f"Person {school} {number}",
                            f"p{school}x{number}@example.org", role, f"School {school:02d}")
            people.append(person)
            if (school + number) % 3:
                plan = make_plan(content, role, f"{person.id}.pdf", recipient=person)
                items.append((Outcome(Path(plan.source), plan, ""), plan.source, 0.0))
    roster = Roster(Path("roster.csv"), tuple(people), (), "UTF-8", ",")
    summary = aggregate(items, content, roster, source="returned")
    pages = page_texts(build_summary_pdf(summary, content, part="summary"), squeeze=True)
    by_group = content.labels.text("report.by_group")
    holding = [n for n, text in enumerate(pages) if by_group in text]
    assert holding and all("School 00" in pages[n] for n in holding)
    assert not pages[0].rstrip().endswith(by_group)
    assert "Response rate by role" in pages[0]
