"""Small, hand-made inputs for the report tests: plans as the reader would produce them (no
PDFs needed), a roster, and a summary of three respondents built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidepdf.content import Content
from guidepdf.distribute.roster import Person, Roster
from guidepdf.plans import Answer, ICChoice, Plan
from guidepdf.read.readmany import Outcome
from guidepdf.report.aggregate import aggregate
from guidepdf.report.model import Summary


def make_plan(content: Content, role_id: str, source: str, *, name: str = "",
              email: str = "", group: str = "", recipient: Person | None = None,
              modified: str = "D:20261001120000Z", answers: dict[str, tuple[str, str]]
              | None = None, ic: dict[str, str | None] | None = None,
              warnings: tuple[str, ...] = ()) -> Plan:
    """A plan for `role_id` with the given answers (others blank) and IC levels."""
    role = content.role(role_id)
    answers = answers or {}
    ic = ic or {}
    return Plan(
        role=role_id, source=source,
        respondent={"name": name, "email": email, "group": group, "date": ""},
        recipient={"id": recipient.id, "name": recipient.name, "email": recipient.email,
                   "group": recipient.group} if recipient else None,
        fingerprint="", version="", modified=modified,
        answers=tuple(Answer(q.id, q.text, *answers.get(q.id, ("", "")))
                      for q in role.questions),
        ic=tuple(ICChoice(o.id, o.outcome, ic.get(o.id), "") for o in role.icmap.outcomes)
        if role.icmap else (),
        warnings=warnings,
    )


PEOPLE = (
    Person(2, "p1", "Ana Núñez", "ana@example.org", "coach", "North High"),
    Person(3, "p2", "Ben Okafor", "ben@example.org", "coach", "South Middle"),
    Person(4, "p3", "Олег Петров", "oleg@example.org", "teacher", "North High"),
    Person(5, "p4", "Dana Li", "dana@example.org", "teacher", ""),
)


@pytest.fixture
def roster(tmp_path: Path) -> Roster:
    return Roster(tmp_path / "roster.csv", PEOPLE, (), "UTF-8", ",")


@pytest.fixture
def three(content: Content) -> list[tuple[Outcome, str, float]]:
    """Three readable forms (two coaches with IC maps, one teacher) and one rejected file."""
    ana = make_plan(content, "coach", "ana.pdf", recipient=PEOPLE[0], answers={
        "q1": ("Coaching cycles <b>work</b> & data\nsecond line", "=HYPERLINK(\"x\")"),
        "q2": ("Coaching time is short.", "")}, ic={"ep1": "L1", "ep2": "L2", "cai1": "NA"})
    ben = make_plan(content, "coach", "sub/ben.pdf", email="BEN@example.org", answers={
        "q1": ("More coaching, less data.", "Plan coaching cycles")},
        ic={"ep1": "L3", "ep2": "L2"})
    oleg = make_plan(content, "teacher", "oleg.pdf", name="олег петров", answers={
        "q1": ("", "Ask for feedback")})
    return [(Outcome(Path(p.source), p, ""), p.source, 0.0) for p in (ana, ben, oleg)] + [
        (Outcome(Path("bad.pdf"), None, "not a PDF (an HTML page)"), "bad.pdf", 0.0)]


@pytest.fixture
def small_summary(content: Content, three: list[tuple[Outcome, str, float]],
                  roster: Roster) -> Summary:
    return aggregate(three, content, roster, source="returned")
