"""collect reads and aggregates in a process of its own (report.apart) and gets the Summary
back with its spooled responses: the same summary, progress shown as it goes, an error
raised as it was raised, and a reading process that dies is an error that says so."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from guidepdf.content import Content
from guidepdf.errors import OutputError
from guidepdf.read.readmany import Outcome
from guidepdf.report import summary_json
from guidepdf.report.aggregate import aggregate
from guidepdf.report.apart import ReadingProcessError, read_apart
from guidepdf.report.model import Summary
from guidepdf.report.outputs import can_fork
from tests.report.conftest import make_plan

pytestmark = pytest.mark.skipif(not can_fork(), reason="the reading runs apart where fork is")


def _summary(content: Content, jobs: int = 1) -> Summary:
    plans = [make_plan(content, content.roles[n % len(content.roles)].id, f"p{n:02d}.pdf",
                       name=f"Person {n:02d}") for n in range(30)]
    return aggregate([(Outcome(Path(p.source), p, ""), p.source, 0.0) for p in plans],
                     content, None, source="returned", jobs=jobs)


def test_the_summary_comes_back_whole_with_its_spool(content: Content) -> None:
    here = summary_json.dumps(_summary(content))
    calls: list[tuple[int, int, int]] = []
    pids: list[int] = []

    def reading(progress):  # type: ignore[no-untyped-def]
        pids.append(os.getpid())  # in the child: lost here, which shows where it ran
        for n in range(3):
            progress(n + 1, 3)
        return _summary(content, jobs=2)  # with workers of its own

    summary, extra = read_apart(reading, lambda d, t: calls.append((d, t, os.getpid())),
                                extra=lambda: ["from the child", os.getpid()])
    assert pids == []  # it ran in another process
    assert extra[0] == "from the child" and extra[1] != os.getpid()
    assert calls == [(1, 3, os.getpid()), (2, 3, os.getpid()), (3, 3, os.getpid())]
    assert len(summary.responses) == 30
    assert summary_json.dumps(summary) == here  # the responses read from the handed spool


def test_an_error_in_the_reading_is_raised_here(content: Content, tmp_path: Path) -> None:
    def reading(progress):  # type: ignore[no-untyped-def]
        raise OutputError(tmp_path, OSError(28, "No space left on device"), "the spool")

    with pytest.raises(OutputError, match="the disk is full"):
        read_apart(reading)


def test_a_reading_process_that_dies_is_an_error_that_says_so() -> None:
    def reading(progress):  # type: ignore[no-untyped-def]
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(ReadingProcessError, match=r"stopped \(exit code -9\)"):
        read_apart(reading)


def test_the_themes_people_come_back_as_shared_ints(content: Content) -> None:
    """A pickled int is a new object when read back: the themes' hundreds of thousands of
    people (at 20,000 forms) are made shared int objects again, as report.themepool has
    them."""
    from tests.report.test_themepool import _summary as with_themes

    summary, _ = read_apart(lambda progress: with_themes(content, 2, people=600))
    seen: dict[int, int] = {}
    past_cached = 0
    for role in summary.roles:
        for theme in [*role.themes, *(t for q in role.questions for t in q.themes)]:
            assert type(theme.people) is tuple
            for i in theme.people:
                assert seen.setdefault(i, id(i)) == id(i)
                past_cached += i > 256
    assert past_cached > 1000
    assert summary_json.dumps(summary) == summary_json.dumps(with_themes(content, 1, 600))
