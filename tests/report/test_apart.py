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


def test_the_themes_people_wait_in_the_spool(content: Content) -> None:
    """The themes' people (hundreds of thousands at 20,000 forms) stay on disk: the summary
    that comes back, and that every output process inherits, says only where they are. Read,
    they are the people the one-process summary has, theme by theme."""
    from guidepdf.report.spool import SpooledInts
    from tests.report.test_themepool import _summary as with_themes

    summary, _ = read_apart(lambda progress: with_themes(content, 2, people=600))
    alone = with_themes(content, 1, 600)
    themes = [t for role in summary.roles
              for t in [*role.themes, *(t for q in role.questions for t in q.themes)]]
    expected = [t for role in alone.roles
                for t in [*role.themes, *(t for q in role.questions for t in q.themes)]]
    assert len(themes) == len(expected) > 10
    assert sum(len(t.people) for t in themes) > 1000
    for theme, one in zip(themes, expected, strict=True):
        assert isinstance(theme.people, SpooledInts)
        assert len(theme.people) == theme.count == len(one.people)
        assert list(theme.people) == list(one.people) and theme.people == one.people
        assert theme == one  # Theme equality holds across the two kinds of list
    assert summary_json.dumps(summary) == summary_json.dumps(alone)


def test_a_spooled_list_of_ints_reads_like_the_list(tmp_path: Path) -> None:
    from guidepdf.report.spool import Spool, SpooledInts

    spool = Spool(tmp_path)
    spool.append("something before it")
    ints = SpooledInts.store(spool, [5, 3, 2**40, 0])
    assert len(ints) == 4 and list(ints) == [5, 3, 2**40, 0]
    assert ints[1] == 3 and ints[-1] == 0 and ints[1:3] == [3, 2**40]
    assert ints == (5, 3, 2**40, 0) and ints == [5, 3, 2**40, 0]
    assert ints != [5, 3, 2**40] and ints != [5, 3, 2**40, 1] and ints != "abcd"
    assert SpooledInts.store(spool, []) == ()


# Runs in a fresh interpreter: collect one form, noting which modules the reading process
# has when it starts reading, then which this process has once the outputs are written.
_PROBE = """
import importlib, json, sys
collect = importlib.import_module("guidepdf.report.collect")
real = collect.read_folder

def noting(*args, **kwargs):
    with open({note!r}, "w", encoding="utf-8") as f:
        json.dump(sorted(sys.modules), f)
    return real(*args, **kwargs)

collect.read_folder = noting
result = collect.collect({returned!r}, {out!r})
assert result.summary.totals.responses == 1, result.summary.totals
print(json.dumps(sorted(sys.modules)))
"""
# (reportlab's graphics and platypus are there: loading the content reads its SVG logo
# with svglib, which imports them)
_WRITING = ("reportlab.graphics.charts", "fontTools", "xlsxwriter",
            "openpyxl", "guidepdf.layout", "guidepdf.report.summary_pdf",
            "guidepdf.report.xlsx", "guidepdf.distribute.personalize")


def _writing(modules: list[str]) -> list[str]:
    return sorted(m for m in modules if m.startswith(_WRITING))


def test_the_reading_starts_before_the_writers_load(content: Content, tmp_path: Path,
                                                    guide) -> None:  # type: ignore[no-untyped-def]
    """The reading process is forked before reportlab's layout, fonts and XlsxWriter are
    imported (they load here while it reads): it starts sooner and carries less."""
    import json
    import subprocess
    import sys

    returned = tmp_path / "returned"
    returned.mkdir()
    (returned / "one.pdf").write_bytes(guide(content.roles[0].id))
    note = tmp_path / "reading.json"
    script = _PROBE.format(note=str(note), returned=str(returned), out=str(tmp_path / "out"))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    reading = json.loads(note.read_text(encoding="utf-8"))
    after = json.loads(done.stdout.strip().splitlines()[-1])
    assert "pikepdf" in reading  # the note was made where the forms are read
    assert _writing(reading) == []
    assert {"guidepdf.report.summary_pdf", "guidepdf.report.xlsx", "xlsxwriter"} <= set(after)
    assert (tmp_path / "out" / "summary.pdf").stat().st_size > 0
