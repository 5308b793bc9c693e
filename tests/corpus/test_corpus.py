"""Every corpus case gives exactly its expected outcome; nothing crashes or hangs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from guidepdf.content import check_content
from guidepdf.read.readpool import Limits, read_paths
from tests.corpus.make_corpus import (
    CONTENT_CASES,
    FOUND_CASES,
    FOUND_DIR,
    PDF_CASES,
    ROSTER_CASES,
    TOY,
    write_pdf_cases,
)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    paths = write_pdf_cases(tmp_path_factory.mktemp("corpus"))
    names = list(paths)
    results = read_paths([paths[n] for n in names], names=names, jobs=2,
                         limits=Limits(seconds=20))
    return dict(zip(names, results, strict=True))


@pytest.mark.parametrize("case", PDF_CASES, ids=[c.name for c in PDF_CASES])
def test_pdf_case(case: object, outcomes: dict[str, object]) -> None:
    """A returned PDF case is read or rejected exactly as expected."""
    outcome = outcomes[case.name]  # type: ignore[attr-defined]
    expected = case.expected  # type: ignore[attr-defined]
    if "rejected" in expected:
        assert outcome.plan is None  # type: ignore[attr-defined]
        assert str(outcome.reason) == expected["rejected"]  # type: ignore[attr-defined]
        return
    plan = outcome.plan  # type: ignore[attr-defined]
    assert plan is not None, outcome.reason  # type: ignore[attr-defined]
    got = {a.question_id: {"reflections": a.reflections, "first_steps": a.first_steps}
           for a in plan.answers}
    assert got == expected["answers"]
    assert [str(w) for w in plan.warnings] == expected["warnings"]


@pytest.mark.parametrize("case", CONTENT_CASES, ids=[c.name for c in CONTENT_CASES])
def test_content_case(case: object, tmp_path: Path) -> None:
    """A hostile role file gives exactly its expected messages (no crash, no hang)."""
    folder = tmp_path / "content"
    shutil.copytree(TOY, folder)
    (folder / "roles" / "gardener.yaml").write_bytes(case.text)  # type: ignore[attr-defined]
    _, errors = check_content(folder)
    assert [str(e) for e in errors] == case.expected  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(FOUND_CASES))
def test_fuzzer_finding(name: str) -> None:
    """An input the fuzzer once crashed the reader with now gives its expected outcome."""
    from guidepdf.errors import FormReadError
    from guidepdf.read.reader import read_form

    expected = FOUND_CASES[name]
    data = (FOUND_DIR / name).read_bytes()
    if "rejected" in expected:
        with pytest.raises(FormReadError) as info:
            read_form(data, name=name)
        assert str(info.value.reason) == expected["rejected"]
    else:
        assert [str(w) for w in read_form(data, name=name).warnings] == expected["warnings"]


@pytest.mark.parametrize("case", ROSTER_CASES, ids=[c.name for c in ROSTER_CASES])
def test_roster_case(case: object, tmp_path: Path, toy_content: object) -> None:
    """A hostile or huge roster gives exactly its expected error or problems; 100,000 rows
    work and report progress."""
    from guidepdf.content import load_content
    from guidepdf.distribute.roster import read_roster
    from guidepdf.errors import RosterError

    path = tmp_path / case.name  # type: ignore[attr-defined]
    path.write_bytes(case.data)  # type: ignore[attr-defined]
    expected = case.expected  # type: ignore[attr-defined]
    seen: list[tuple[int, int]] = []
    if "error" in expected:
        with pytest.raises(RosterError) as info:
            read_roster(path, load_content().roles)
        assert str(info.value) == expected["error"].format(dir=tmp_path)
        return
    roster = read_roster(path, load_content().roles, progress=lambda d, t: seen.append((d, t)))
    assert len(roster.people) == expected["people"]
    assert [str(p) for p in roster.problems] == expected["problems"]
    if expected["people"] >= 100_000:
        assert len(seen) >= 99 and seen[-1][1] == 100_000
