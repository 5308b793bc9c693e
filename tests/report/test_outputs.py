"""Outputs written side by side in processes: the same bytes as one after another, errors
raised in the caller, a crashed writer named."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from guidepdf.content import Content
from guidepdf.report import collect, outputs
from guidepdf.report.collect import OUTPUTS
from tests.report.test_collect import returned  # noqa: F401  (the fixture)


def _digests(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in OUTPUTS}


@pytest.mark.skipif(not outputs.can_fork(), reason="outputs are written in order here")
def test_outputs_are_the_same_bytes_for_one_and_two_jobs(returned: Path,  # noqa: F811
                                                         content: Content) -> None:
    """collect with --jobs 1 and --jobs 2 writes byte-identical files, each timed."""
    roster = returned.parent / "roster.csv"
    one = collect(returned, returned.parent / "one", roster=roster, content=content, jobs=1)
    two = collect(returned, returned.parent / "two", roster=roster, content=content, jobs=2)
    assert _digests(one.out_dir) == _digests(two.out_dir)
    for result in (one, two):
        assert set(result.timings) == {"read", "outputs", *OUTPUTS}
        assert all(seconds > 0 for seconds in result.timings.values())


@pytest.mark.skipif(not outputs.can_fork(), reason="outputs are written in order here")
@pytest.mark.skipif(not outputs.can_fork(), reason="outputs are written in order here")
@pytest.mark.parametrize("jobs", [1, 2])
def test_each_output_is_written_by_its_own_process(tmp_path: Path, jobs: int) -> None:
    """Every writer runs in a child process, at most `jobs` at a time: with one job too,
    so that what a writer makes is gone with its process instead of adding up here."""
    import time

    def writer(path: Path) -> None:
        began = time.monotonic()
        time.sleep(0.05)
        path.write_text(f"{os.getpid()} {began} {time.monotonic()}")

    tasks = [outputs.Task(f"f{i}", tmp_path / f"f{i}", writer) for i in range(4)]
    started: list[str] = []
    done: list[str] = []
    seconds = outputs.run(tasks, jobs=jobs, on_start=lambda task: started.append(task.name),
                          on_done=lambda task, s: done.append(task.name))
    written = [(tmp_path / f"f{i}").read_text().split() for i in range(4)]
    pids = {pid for pid, _, _ in written}
    assert str(os.getpid()) not in pids and len(pids) == 4
    assert started == ["f0", "f1", "f2", "f3"] and list(seconds) == started
    assert sorted(done) == started
    spans = sorted((float(a), float(b)) for _, a, b in written)
    at_once = max(sum(1 for a, b in spans if a <= t < b) for t, _ in spans)
    assert at_once <= jobs


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_writer_error_reaches_the_caller_after_the_others_finish(tmp_path: Path,
                                                                   jobs: int) -> None:
    """An OSError in one writer is raised as itself; the other outputs are still written."""
    def fails(path: Path) -> None:
        raise OSError(28, "No space left on device", str(path))

    def works(path: Path) -> None:
        path.write_text("ok")

    tasks = [outputs.Task("bad", tmp_path / "bad", fails),
             outputs.Task("good", tmp_path / "good", works)]
    with pytest.raises(OSError, match="No space left on device") as caught:
        outputs.run(tasks, jobs=jobs)
    assert caught.value.filename == str(tmp_path / "bad")
    assert (tmp_path / "good").read_text() == "ok"


@pytest.mark.skipif(not outputs.can_fork(), reason="outputs are written in order here")
def test_a_writer_that_dies_is_named(tmp_path: Path) -> None:
    """A writer process that ends without a word gives a sentence naming its file."""
    def dies(path: Path) -> None:
        os._exit(3)

    with pytest.raises(outputs.OutputProcessError, match=r"bad: the process writing it "
                                                         r"stopped \(exit code 3\)"):
        outputs.run([outputs.Task("bad", tmp_path / "bad", dies),
                     outputs.Task("ok", tmp_path / "ok", lambda p: p.write_text(""))], jobs=2)
