"""A roster's copies written into a folder by worker processes: the same files whatever the
number of workers, progress in roster order, and a failing copy costs only itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from guidepdf.cli import main
from guidepdf.content import Content
from guidepdf.distribute import Person, Personalizer, personalize_roster
from guidepdf.errors import PersonalizeError
from guidepdf.layout import build_guide
from tests.distribute.conftest import PEOPLE, manifest_of, write_roster

ROSTER = [Person(n + 2, *row) for n, row in enumerate(PEOPLE)]
MANY = [Person(n + 2, f"m{n}", f"Person {n} Ñandú", f"m{n}@example.org",
               ("coach", "teacher", "principal")[n % 3], f"Group {n % 4}") for n in range(14)]


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_one_and_two_jobs_write_the_same_files(content: Content, tmp_path: Path) -> None:
    """jobs=1 and jobs=2 write byte-identical files under the same names, report them in
    roster order, and each file names its own recipient."""
    seen: dict[int, list[str]] = {1: [], 2: []}
    for jobs in (1, 2):
        paths = personalize_roster(content, MANY, tmp_path / f"jobs{jobs}", prefill=True,
                                   jobs=jobs,
                                   on_done=lambda person, path, j=jobs: seen[j].append(
                                       person.id))
        assert [p.parent for p in paths] == [tmp_path / f"jobs{jobs}"] * len(MANY)
    assert seen[1] == seen[2] == [p.id for p in MANY]
    one, two = files(tmp_path / "jobs1"), files(tmp_path / "jobs2")
    assert one == two and len(one) == len(MANY)
    for person, path in zip(MANY, paths, strict=True):
        assert manifest_of(path.read_bytes())[0].recipient == person.recipient()


def test_each_role_is_built_once_before_the_workers_start(
        content: Content, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With two workers, the three roles' guides are laid out once each, in this process;
    a role whose guide cannot be built fails its people only."""
    parent, calls = os.getpid(), []

    def build(content: Content, role, options):  # type: ignore[no-untyped-def]
        assert os.getpid() == parent, "a worker built a template"
        calls.append(role.id)
        if role.id == "principal":
            raise RuntimeError("no layout")
        return build_guide(content, role, options)

    monkeypatch.setattr("guidepdf.distribute.personalize.build_guide", build)
    with pytest.raises(PersonalizeError) as caught:
        personalize_roster(content, MANY, tmp_path, jobs=2)
    assert calls == ["coach", "teacher", "principal"]
    reasons = {reason for _, reason in caught.value.failed}
    assert reasons == {"the 'principal' guide could not be built: no layout"}
    assert len(caught.value.failed) == sum(p.role == "principal" for p in MANY)
    assert len(caught.value.written) == len(MANY) - len(caught.value.failed)


@pytest.fixture
def failing_p3(monkeypatch: pytest.MonkeyPatch) -> None:
    """Personalizer.copy raises for the person with id p3 (forked workers inherit it)."""
    copy = Personalizer.copy

    def failing(self: Personalizer, person: Person) -> bytes:
        if person.id == "p3":
            raise RuntimeError("boom")
        return copy(self, person)

    monkeypatch.setattr(Personalizer, "copy", failing)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_copy_costs_only_itself(content: Content, tmp_path: Path, jobs: int,
                                          failing_p3: None) -> None:
    """Every other copy is written and reported; PersonalizeError then names the one that
    failed and why, and no temporary file is left behind."""
    done: list[str] = []
    failed: list[tuple[str, str]] = []
    with pytest.raises(PersonalizeError) as caught:
        personalize_roster(content, ROSTER, tmp_path, jobs=jobs,
                           on_done=lambda person, path: done.append(person.id),
                           on_failed=lambda person, reason: failed.append((person.id, reason)))
    assert done == ["p1", "p2", "p4", "p5"]
    assert failed == [("p3", "RuntimeError: boom")]
    missing = tmp_path / "principal-zoe-angstrom-p3.pdf"
    assert caught.value.failed == [(missing, "RuntimeError: boom")]
    assert sorted(p.name for p in caught.value.written) == sorted(
        p.name for p in tmp_path.iterdir())
    assert len(caught.value.written) == 4 and not missing.exists()


def test_a_crashed_worker_costs_only_its_copy(content: Content, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that dies making a copy is replaced; the others are all written."""
    copy = Personalizer.copy

    def crashing(self: Personalizer, person: Person) -> bytes:
        if person.id == "p2":
            os._exit(3)
        return copy(self, person)

    monkeypatch.setattr(Personalizer, "copy", crashing)
    with pytest.raises(PersonalizeError) as caught:
        personalize_roster(content, ROSTER, tmp_path, jobs=2)
    ((path, reason),) = caught.value.failed
    assert path.name == "teacher-bo-chen-p2.pdf"
    assert "worker making this copy stopped (exit code 3)" in reason
    assert len(caught.value.written) == 4 == len(list(tmp_path.iterdir()))


def test_personalize_command_with_two_jobs(tmp_path: Path, content: Content) -> None:
    """`guidepdf personalize --jobs 2` writes the same files as one process does."""
    roster = write_roster(tmp_path / "roster.csv", PEOPLE)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["personalize", "--roster", str(roster), "--out",
                                       str(out), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == f"Wrote 5 personalized PDF(s) to {out}/"
    personalize_roster(content, ROSTER, tmp_path / "one", jobs=1)
    assert files(out) == files(tmp_path / "one")


def test_personalize_command_reports_copies_it_could_not_make(tmp_path: Path,
                                                              failing_p3: None) -> None:
    """A copy that fails is listed with its reason; the others are written (exit 1)."""
    roster = write_roster(tmp_path / "roster.csv", PEOPLE)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["personalize", "--roster", str(roster), "--out",
                                       str(out), "--jobs", "2"])
    assert result.exit_code == 1
    assert f"{out / 'principal-zoe-angstrom-p3.pdf'}: RuntimeError: boom" in result.stderr
    assert "1 PDF(s) could not be made" in result.stderr
    assert f"Wrote 4 personalized PDF(s) to {out}/" in result.stdout
    assert len(list(out.iterdir())) == 4
