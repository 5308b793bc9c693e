"""Every guide the project builds is a tagged PDF that passes our PDF/UA checker and the
`pdfua` package: all roles, both modes, both paper sizes, whole guides and IC-map forms, and
personalized copies."""

from __future__ import annotations

from pathlib import Path

import pdfua
import pytest

from guidepdf.distribute.personalize import Personalizer
from guidepdf.distribute.roster import Person
from tests.accessibility.checker import check_pdf
from tests.accessibility.conftest import GUIDES, built, guide_id, shipped
from tests.accessibility.reading import structure_text


def pdfua_findings(pdf: bytes, folder: Path) -> list[str]:
    """What the `pdfua` package finds (and any rule it could not run), one line each."""
    path = folder / "guide.pdf"
    path.write_bytes(pdf)
    report = pdfua.validate(str(path))
    lines = [f"{f.rule_id} {f.severity.name}: {f.message}" for f in report.findings]
    lines += [f"{o.rule_id} skipped: {o.skipped_reason}" for o in report.outcomes
              if o.skipped_reason]
    return lines


@pytest.mark.parametrize("key", GUIDES, ids=[guide_id(k) for k in GUIDES])
def test_guide_passes_the_checker(key: tuple[str, str, str, str]) -> None:
    """Nothing drawn untagged, structure and ParentTree consistent, widgets in Form elements
    with tooltips, fonts embedded: the checker finds no problem."""
    assert check_pdf(built(*key)) == []


@pytest.mark.parametrize("key", GUIDES, ids=[guide_id(k) for k in GUIDES])
def test_guide_passes_pdfua(key: tuple[str, str, str, str], tmp_path: Path) -> None:
    """The `pdfua` package's twelve checks find nothing, and none of them was skipped."""
    assert pdfua_findings(built(*key), tmp_path) == []


def test_personalized_copy_passes(tmp_path: Path) -> None:
    """A personalized copy (recipient lines overlaid on the cover, respondent fields prefilled
    with a non-Latin name) is still a clean tagged PDF, and the overlaid lines are read."""
    content = shipped()
    person = Person(2, "p-1", "José Nguyễn", "jose@example.org", "coach", "Lakeside Middle")
    pdf = Personalizer(content, prefill=True).copy(person)
    assert check_pdf(pdf) == []
    assert pdfua_findings(pdf, tmp_path) == []
    assert ("P", "Prepared for José Nguyễn Lakeside Middle") in structure_text(pdf)[:8]


def summary_report() -> bytes:
    """The summary PDF of a few hand-made returned forms (a long answer that runs across
    pages, IC choices, a rejected file) against a roster."""
    from guidepdf.distribute.roster import Roster
    from guidepdf.read.readmany import Outcome
    from guidepdf.report.aggregate import aggregate
    from guidepdf.report.summary_pdf import build_summary_pdf
    from tests.report.conftest import PEOPLE, make_plan

    content = shipped()
    long_answer = " ".join(["Coaching cycles work when teachers choose the focus."] * 60)
    plans = [
        make_plan(content, "coach", "ana.pdf", recipient=PEOPLE[0],
                  answers={"q1": (long_answer, "Plan the next cycle"), "q2": ("Short.", "")},
                  ic={"ep1": "L1", "ep2": "L2", "cai1": "NA"}),
        make_plan(content, "coach", "ben.pdf", email="ben@example.org",
                  answers={"q1": ("More coaching.", "Cycles")}, ic={"ep1": "L3"}),
        make_plan(content, "teacher", "oleg.pdf", name="Олег Петров",
                  answers={"q1": ("", "Ask for feedback")}),
    ]
    outcomes = [(Outcome(Path(p.source), p, ""), p.source, 0.0) for p in plans]
    outcomes.append((Outcome(Path("bad.pdf"), None, "not a PDF"), "bad.pdf", 0.0))
    roster = Roster(Path("roster.csv"), PEOPLE, (), "UTF-8", ",")
    return build_summary_pdf(aggregate(outcomes, content, roster, source="returned"), content)


def test_summary_report_passes(tmp_path: Path) -> None:
    """The summary report is tagged too: clean for the checker and for `pdfua`."""
    pdf = summary_report()
    assert check_pdf(pdf) == []
    assert pdfua_findings(pdf, tmp_path) == []
