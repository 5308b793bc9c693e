"""Names and answers in other scripts keep copies and summaries clean tagged PDFs: the
fallback fonts are embedded with Unicode maps, shaped lines carry ActualText, and the
structure reads the names as typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from guidepdf.distribute.personalize import Personalizer
from guidepdf.distribute.roster import Person
from tests.accessibility.checker import check_pdf
from tests.accessibility.conftest import shipped
from tests.accessibility.reading import structure_text
from tests.accessibility.test_guides import pdfua_findings

NAMES = [("محمد عبد الله", "مدرسة النور"), ("प्रिया शर्मा", "दिल्ली स्कूल"),
         ("山田 太郎", "東京学校"), ("שרה כהן", "בית ספר הדר")]


@pytest.mark.parametrize(("name", "group"), NAMES)
def test_copy_for_a_name_in_another_script_passes(name: str, group: str,
                                                  tmp_path: Path) -> None:
    """A prefilled copy for an Arabic, Hindi, Japanese or Hebrew name passes both checkers
    and its cover's recipient lines read as typed."""
    pdf = Personalizer(shipped(), prefill=True).copy(
        Person(2, "p-1", name, "p@example.org", "coach", group))
    assert check_pdf(pdf) == []
    assert pdfua_findings(pdf, tmp_path) == []
    assert ("P", f"Prepared for {name} {group}") in structure_text(pdf)[:8]


def test_summary_with_every_script_passes(tmp_path: Path) -> None:
    """The summary of forms from people writing in eight scripts passes both checkers."""
    from guidepdf.distribute.roster import Roster
    from guidepdf.read.readmany import Outcome
    from guidepdf.report.aggregate import aggregate
    from guidepdf.report.summary_pdf import build_summary_pdf
    from tests.report.conftest import make_plan
    from tests.report.test_summary_scripts import PEOPLE

    content = shipped()
    people = [Person(i + 2, f"p{i}", name, f"p{i}@example.org", "coach", group)
              for i, (name, group, *_) in enumerate(PEOPLE)]
    outcomes = []
    for person, (*_, reflections, first_steps, _) in zip(people, PEOPLE, strict=True):
        plan = make_plan(content, "coach", f"{person.id}.pdf", recipient=person,
                         answers={"q1": (reflections, first_steps)})
        outcomes.append((Outcome(Path(plan.source), plan, ""), plan.source, 0.0))
    roster = Roster(Path("roster.csv"), tuple(people), (), "UTF-8", ",")
    pdf = build_summary_pdf(aggregate(outcomes, content, roster, source="returned"), content)
    assert check_pdf(pdf) == []
    assert pdfua_findings(pdf, tmp_path) == []
