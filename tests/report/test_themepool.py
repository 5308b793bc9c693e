"""Each role's themes are worked out in a process of its own (report.themepool); the
summary must be the same, to the byte, for any number of processes, and a worker that
dies must cost nothing but time."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from guidepdf.content import Content
from guidepdf.read.readmany import Outcome
from guidepdf.report import summary_json, themepool
from guidepdf.report.aggregate import aggregate
from guidepdf.report.model import Response, Summary
from guidepdf.report.outputs import can_fork
from guidepdf.report.themes import ThemeCounter
from tests.report.conftest import make_plan

SENTENCES = ("Common planning time is short.", "Walkthrough feedback helps.",
             "Family nights bring parents in.", "Data meetings need a clear agenda.",
             "Instructional rounds build trust.", "Coaching cycles need protected time.")


def _summary(content: Content, jobs: int, people: int = 60) -> Summary:
    plans = []
    for n in range(people):
        role = content.roles[n % len(content.roles)]
        answers = {q.id: (SENTENCES[(n + i) % len(SENTENCES)],
                          SENTENCES[(n * 7 + i) % len(SENTENCES)])
                   for i, q in enumerate(role.questions)}
        plans.append(make_plan(content, role.id, f"p{n:02d}.pdf", name=f"Person {n:02d}",
                               answers=answers))
    return aggregate([(Outcome(Path(p.source), p, ""), p.source, 0.0) for p in plans],
                     content, None, source="returned", jobs=jobs)


def test_the_same_summary_for_one_and_many_processes(content: Content) -> None:
    one, many = _summary(content, 1), _summary(content, 3)
    assert len([r for r in one.roles if r.themes]) >= 3  # several roles, each with themes
    assert summary_json.dumps(one) == summary_json.dumps(many)


@pytest.mark.parametrize("jobs", [1, 3])
def test_each_persons_index_is_one_object_shared_by_every_theme(content: Content,
                                                                 jobs: int) -> None:
    """At 20,000 forms the themes list hundreds of thousands of people: an int object per
    mention would be 28 bytes each (ints above 256 are not cached by Python)."""
    summary = _summary(content, jobs, people=600)
    seen: dict[int, int] = {}  # index -> id of its object
    shared = 0
    for role in summary.roles:
        for theme in [*role.themes, *(t for q in role.questions for t in q.themes)]:
            assert type(theme.people) is tuple
            for i in [*theme.people, *(q.response for q in theme.quotes)]:
                assert seen.setdefault(i, id(i)) == id(i)
                shared += i > 256
    assert shared > 1000  # many mentions of people past the cached small ints


def test_role_spans_are_the_runs_of_one_role() -> None:
    assert themepool.role_spans([]) == []
    assert themepool.role_spans(["a", "a", "b", "c", "c", "c"]) == [(0, 2), (2, 3), (3, 6)]
    with pytest.raises(ValueError, match="'a'"):
        themepool.role_spans(["a", "b", "a"])


def test_a_worker_that_dies_costs_only_time(content: Content) -> None:
    summary = _summary(content, 1)
    responses = summary.responses
    spans = themepool.role_spans([r.role for r in responses])
    assert len(spans) >= 3
    parent = os.getpid()

    def counter() -> ThemeCounter:
        if os.getpid() != parent:
            os._exit(3)  # every worker dies at once
        return ThemeCounter(lambda role, qid: "", "en")

    def fine() -> ThemeCounter:
        return ThemeCounter(lambda role, qid: "", "en")

    assert themepool.themes_by_role(responses, spans, counter, jobs=2) == \
        themepool.themes_by_role(responses, spans, fine, jobs=1)


def test_the_lemma_dictionary_is_loaded_by_the_workers_only(tmp_path: Path) -> None:
    """simplemma's English dictionary is ~18 MiB of the process that loads it; loaded in
    the parent it was inherited by every output process forked after the themes."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from tests.report.test_themepool import _summary\n"
        "from guidepdf.content import load_content\n"
        "summary = _summary(load_content(), 2)\n"
        "assert any(r.themes for r in summary.roles)\n"
        "print('simplemma' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=Path(__file__).parents[2], timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_roles_spooled_one_by_one_while_the_workers_count(content: Content, tmp_path: Path,
                                                           jobs: int) -> None:
    """collect spools each role's responses only when its themes are next (`before`): the
    workers, forked before anything was spooled, must read each role from the spool file,
    and find what they would have found with everything spooled first."""
    from array import array

    from guidepdf.report.spool import Spool, SpooledResponses

    made = list(_summary(content, 1).responses)
    spans = themepool.role_spans([r.role for r in made])

    def fresh() -> ThemeCounter:
        return ThemeCounter(lambda role, qid: "", "en")

    expected = themepool.themes_by_role(made, spans, fresh, jobs=1, terms=5)
    spool = Spool(tmp_path)
    offsets = array("q", bytes(8 * len(made)))
    calls: list[tuple[int, int]] = []

    def before(span: tuple[int, int]) -> None:
        calls.append(span)
        for n in range(*span):
            offsets[n] = spool.append(made[n])

    got = themepool.themes_by_role(SpooledResponses(spool, offsets), spans, fresh,
                                   jobs=jobs, terms=5, before=before)
    assert calls == spans  # each role once, in the summary's order
    assert got == expected
    assert any(got[0].values())  # themes were found at all


@pytest.mark.skipif(not can_fork(), reason="the themes are worked out here where fork is not")
@pytest.mark.parametrize("spooled", [False, True])
def test_workers_find_what_this_process_finds(content: Content, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              spooled: bool) -> None:
    """One worker (one job) or two find the themes and terms worked out here, without
    fork, for responses in a list or in a spool: a worker reads each role's responses at
    their places in the whole."""
    from array import array

    from guidepdf.report.spool import Spool, SpooledResponses

    made = list(_summary(content, 1).responses)
    spans = themepool.role_spans([r.role for r in made])
    responses: Sequence[Response] = made
    if spooled:
        spool = Spool(tmp_path)
        responses = SpooledResponses(spool, array("q", (spool.append(r) for r in made)))

    def fresh() -> ThemeCounter:
        return ThemeCounter(lambda role, qid: "", "en")

    with monkeypatch.context() as patch:
        patch.setattr(themepool, "can_fork", lambda: False)
        here = themepool.themes_by_role(responses, spans, fresh, jobs=2, terms=5)
    assert any(here[0].values()) and here[1]
    for jobs in (1, 2):
        assert themepool.themes_by_role(responses, spans, fresh, jobs=jobs, terms=5) == here
