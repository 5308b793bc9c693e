"""Aggregation: plans and rejections in, the Summary's numbers out."""

from __future__ import annotations

from pathlib import Path

from guidepdf.content import Content
from guidepdf.notes import Note
from guidepdf.read.readmany import Outcome
from guidepdf.report.aggregate import aggregate, level_number
from guidepdf.report.model import Summary
from tests.report.conftest import make_plan


def test_totals_roles_and_groups_with_a_roster(small_summary: Summary) -> None:
    """Counts per role and group come from the roster; matches by id, email and name."""
    s = small_summary
    t = s.totals
    assert (t.files, t.read, t.rejected, t.responses, t.duplicates) == (4, 3, 1, 3, 0)
    assert (t.expected, t.returned, t.missing, t.not_on_roster, t.rate) == (4, 3, 1, 0, 0.75)
    assert [(r.id, r.expected, r.returned, r.rate, r.forms) for r in s.roles] == [
        ("coach", 2, 2, 1.0, 2), ("teacher", 2, 1, 0.5, 1)]
    assert [(g.name, g.expected, g.returned, g.forms) for g in s.groups] == [
        ("North High", 2, 2, 2), ("South Middle", 1, 1, 1), ("(no group)", 1, 0, 0)]
    assert [(r.source, r.matched_by, r.roster_id, r.group) for r in s.responses] == [
        ("ana.pdf", "recipient", "p1", "North High"),
        ("sub/ben.pdf", "email", "p2", "South Middle"),
        ("oleg.pdf", "name", "p3", "North High")]
    assert [m.id for m in s.missing] == ["p4"]
    assert [(r.file, r.reason) for r in s.rejected] == [("bad.pdf", "not a PDF (an HTML page)")]


def test_question_counts_and_terms(small_summary: Summary) -> None:
    """Per question: answered, per column, blank, and the most frequent terms."""
    q1 = small_summary.role("coach").questions[0]
    assert (q1.number, q1.answered, q1.reflections, q1.first_steps, q1.blank) == (1, 2, 2, 2, 0)
    assert [(t.term, t.count) for t in q1.terms][:3] == [("coaching", 3), ("cycles", 2),
                                                         ("data", 2)]
    q3 = small_summary.role("coach").questions[2]
    assert (q3.answered, q3.blank, q3.terms) == (0, 2, ())


def test_ic_counts_and_medians(small_summary: Summary) -> None:
    """IC counts per level (NA and blank apart), medians of level numbers per outcome,
    standard and group."""
    (ic,) = small_summary.ic
    assert ic.role == "coach" and ic.respondents == 2 and ic.levels[0] == "Level 1 (ideal)"
    by_id = {o.id: o for o in ic.outcomes}
    assert by_id["ep1"].counts == {"L1": 1, "L2": 0, "L3": 1, "L4": 0, "NA": 0, "none": 0}
    assert by_id["ep1"].median == 2.0
    assert by_id["cai1"].counts["NA"] == 1 and by_id["cai1"].counts["none"] == 1
    assert by_id["cai1"].median is None
    equity = next(s for s in ic.standards if s.id == "equity-practices")
    assert (equity.n, equity.median) == (4, 2.0)
    assert [(g.name, g.respondents, g.median) for g in ic.groups] == [
        ("North High", 1, 1.5), ("South Middle", 1, 2.5)]
    assert ic.groups[0].by_standard["equity-practices"] == 1.5


def test_answer_lengths_histogram(small_summary: Summary) -> None:
    """Every answer cell lands in one word-count bin."""
    h = small_summary.lengths
    assert h.bins[0] == "blank" and h.lower[:3] == (0, 1, 11)
    cells = sum(len(r.answers) for r in small_summary.responses)
    assert sum(h.counts["reflections"]) == sum(h.counts["first_steps"]) == cells
    assert h.counts["reflections"][1] == 3  # three short reflections


def test_a_word_count_lands_in_the_bin_its_bounds_name() -> None:
    """0 words is blank; each bin runs from its lower bound to the next one's, less one."""
    from guidepdf.report.aggregate import LENGTH_BINS, _length_bin

    lows = [low for low, _ in LENGTH_BINS]
    for i, low in enumerate(lows):
        assert _length_bin(low) == i
        if i:
            assert _length_bin(low - 1) == i - 1
    assert _length_bin(10 ** 6) == len(lows) - 1


def test_without_a_roster_numbers_are_null(content: Content) -> None:
    """No roster: expected, returned, rate and on_roster are None; groups as typed."""
    plan = make_plan(content, "teacher", "x.pdf", name="Jo", group="East")
    s = aggregate([(Outcome(Path("x.pdf"), plan), "x.pdf", 0.0)], content)
    assert (s.totals.expected, s.totals.returned, s.totals.rate) == (None, None, None)
    assert (s.roles[0].expected, s.roles[0].rate, s.roles[0].forms) == (None, None, 1)
    assert s.responses[0].on_roster is None and s.roster is None
    assert [(g.name, g.expected, g.forms) for g in s.groups] == [("East", None, 1)]


def test_unknown_roles_and_questions_are_kept(content: Content) -> None:
    """A role the content does not know keeps its id as title, after the known roles."""
    known = make_plan(content, "teacher", "a.pdf", name="A")
    odd = make_plan(content, "coach", "b.pdf", name="B")
    odd = type(odd)(**{**odd.__dict__, "role": "gardener"})
    s = aggregate([(Outcome(Path("a.pdf"), known), "a.pdf", 0.0),
                   (Outcome(Path("b.pdf"), odd), "b.pdf", 0.0)], content)
    assert [(r.id, r.title) for r in s.roles] == [("teacher", "Teachers"),
                                                  ("gardener", "gardener")]
    assert s.role("gardener").questions[0].text.startswith("Looking across")


def test_level_number() -> None:
    """Only L<n> values are levels."""
    assert [level_number(v) for v in ("L1", "L12", "NA", None, "Yes", "l2")] == [
        1, 12, None, None, None, None]


def test_a_form_packed_where_it_was_read_counts_as_its_outcome(content: Content) -> None:
    """aggregate.pack(outcome), made in the reading worker, gives the Aggregator exactly
    what the Outcome gives it: the same Summary, from mail too (the message's origin)."""
    from guidepdf.mail.origin import Origin
    from guidepdf.report.aggregate import Aggregator, Form, pack

    origin = Origin("ana@example.org", "Ana", "2026-03-01", "my plan", "<m1@x>", uid=4)
    q = content.role("coach").questions[0].id
    ana = make_plan(content, "coach", "ana.pdf", name="Ana", email="ana@example.org",
                    answers={q: ("data talks", "meet weekly")}, warnings=("w",))
    bo = make_plan(content, "coach", "bo.pdf", name="Bo", email="bo@example.org")
    items = [(Outcome(Path("ana.pdf"), ana), "ana.pdf", origin),
             (Outcome(Path("bo.pdf"), bo), "bo.pdf", None),
             (Outcome(Path("x.pdf"), None, Note.of("not_pdf")), "x.pdf", None)]
    summaries = []
    for packed in (False, True):
        agg = Aggregator(content)
        for outcome, shown, came in items:
            read = pack(outcome) if packed else outcome
            assert isinstance(read, Form) == (packed and outcome.plan is not None)
            agg.add(read, shown, 0.0, came)
        summaries.append(agg.finish())
    assert summaries[0] == summaries[1]
    assert [r.origin for r in summaries[1].responses] == [origin, None]
    assert summaries[1].rejected[0].file == "x.pdf"
