"""Worker processes die with their parent: SIGKILL the command (by its PID, not its
process group) and every worker PID it had is gone soon after — for the pool itself and for
`read`, `collect` (reading and writing outputs) and `personalize` as shipped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from guidepdf.workers import Failure, ordered_map
from tests.distribute.conftest import PEOPLE, write_roster

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = SRC.parent


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie waiting to be reaped has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def kill_parent_and_check(script: str, pids: Path, workers: int, tmp_path: Path) -> None:
    """Run `script` (Python; its workers write their PIDs into `pids`), wait until
    `workers` of them are busy, SIGKILL the parent by PID and see every worker end."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc to tell whether a PID runs")
    pids.mkdir()
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{ROOT}"}
    process = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)], cwd=tmp_path,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while len(list(pids.iterdir())) < workers:
            assert process.poll() is None, process.stderr.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the workers never started"
            time.sleep(0.05)
        found = [int(p.name) for p in pids.iterdir()]
        assert all(alive(pid) for pid in found) and process.pid not in found
    finally:
        os.kill(process.pid, signal.SIGKILL)  # the parent only: its group is left alone
        process.wait(10)
        process.stderr.close()  # type: ignore[union-attr]
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in found) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [pid for pid in found if alive(pid)] == [], "orphaned workers"


STUCK = """
    import os, sys, time
    from pathlib import Path

    def stuck(*args, **kwargs):
        Path("pids", str(os.getpid())).touch()
        time.sleep(3600)
"""


def _sleeper() -> object:
    return lambda task: time.sleep(task)


def test_pool_workers_die_with_a_sigkilled_parent(tmp_path: Path) -> None:
    """ordered_map's workers, each blocked in a task, end when their parent is SIGKILLed."""
    script = STUCK + """
    from guidepdf.workers import ordered_map
    list(ordered_map(list(range(8)), lambda: stuck, failed=lambda *a: None, jobs=3))
    """
    kill_parent_and_check(script, tmp_path / "pids", 3, tmp_path)


def test_read_workers_die_with_a_sigkilled_parent(tmp_path: Path, toy_content: object) -> None:
    """`guidepdf read` SIGKILLed while its workers read: the workers end too."""
    from tests.reader.forms import toy_form

    forms = tmp_path / "forms"
    forms.mkdir()
    blank = toy_form(toy_content)  # type: ignore[arg-type]
    for i in range(6):
        (forms / f"f{i}.pdf").write_bytes(blank)
    script = STUCK + f"""
    import guidepdf.read.readpool, guidepdf.cli
    guidepdf.read.readpool.read_one = stuck
    guidepdf.cli.main(["read", {str(forms)!r}, "--jobs", "2", "--out", "plans",
                       "--content", {str(ROOT / "tests/data/toy_content")!r}])
    """
    kill_parent_and_check(script, tmp_path / "pids", 2, tmp_path)


def test_collect_workers_die_with_a_sigkilled_parent(tmp_path: Path,
                                                    toy_content: object) -> None:
    """`guidepdf collect` SIGKILLed while its processes write the outputs: they end too."""
    from tests.reader.forms import toy_form

    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "a.pdf").write_bytes(toy_form(toy_content))  # type: ignore[arg-type]
    script = STUCK + f"""
    import guidepdf.report.tables as tables, guidepdf.cli
    tables.responses_csv_chunks = stuck
    tables.ic_levels_csv_chunks = stuck
    guidepdf.cli.main(["collect", {str(forms)!r}, "--jobs", "3", "--out", "summary",
                       "--content", {str(ROOT / "tests/data/toy_content")!r}])
    """
    kill_parent_and_check(script, tmp_path / "pids", 2, tmp_path)


@pytest.mark.slow
def test_personalize_workers_die_with_a_sigkilled_parent(tmp_path: Path) -> None:
    """`guidepdf personalize` SIGKILLed while its workers make copies: they end too."""
    roster = write_roster(tmp_path / "roster.csv", PEOPLE)
    script = STUCK + f"""
    import guidepdf.distribute.copies as copies, guidepdf.cli
    copies._write_one = stuck
    guidepdf.cli.main(["personalize", "--roster", {str(roster)!r}, "--jobs", "2"])
    """
    kill_parent_and_check(script, tmp_path / "pids", 2, tmp_path)


def test_results_keep_task_order_and_failures_cost_one_task() -> None:
    """Results come in task order with 1 or 3 workers; a task that raises or hangs past
    `seconds` gets its Failure and the others their results."""
    tasks = [0.0, 0.3, -1.0, 0.0, 5.0, 0.1, 0.0]

    def failed(index: int, task: float, failure: Failure) -> str:
        return failure.kind if failure.kind != "error" else failure.detail.split(":")[0]

    for jobs in (1, 3):
        got = list(ordered_map(tasks, _sleeper, failed=failed, jobs=jobs, seconds=2))
        assert [i for i, _ in got] == list(range(len(tasks)))
        assert [r for _, r in got] == [None, None, "ValueError", None, "timeout", None, None]


def sockets() -> set[str]:
    """The socket inodes this process holds open."""
    found = set()
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:"):
            found.add(target)
    return found


def _socket_lister() -> object:
    return lambda task: (time.sleep(0.2), sockets())[1]


def test_a_worker_holds_no_other_pipe_end() -> None:
    """A forked worker keeps only its own end of its pipe: none of the parent's ends (its
    own or other workers'), so a worker waiting for a task sees EOF when the parent goes."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to list open sockets")
    before = sockets()
    shared: list[set[str]] = []
    for _, held in ordered_map(list(range(6)), _socket_lister, failed=lambda *a: set(),
                               jobs=3):
        parent_now = sockets()
        shared.append((held & parent_now) - before)
    assert shared == [set()] * 6


def test_give_back_memory_returns_freed_heap_to_the_system() -> None:
    """After many objects from malloc's heap are freed (the last one kept, so the heap cannot
    simply shrink), malloc_trim hands their pages back: the resident
    size drops (glibc only; elsewhere the call does nothing and this checks nothing)."""
    import ctypes.util

    from guidepdf.workers import give_back_memory

    if ctypes.util.find_library("c") is None or not Path("/proc/self/statm").exists():
        pytest.skip("needs glibc and /proc")

    def resident() -> int:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGESIZE")

    many = [bytes(1000) + str(i).encode() for i in range(40_000)]  # ~40 MiB from malloc
    keep = many[-1]
    del many
    before = resident()
    give_back_memory()
    assert resident() < before - 8 * 2**20, (before, resident())
    assert keep


def test_work_done_apart_comes_back_with_its_progress_and_errors() -> None:
    """in_child: the work runs in another process; its result, its progress calls (made
    here, in order) and its exception come back; a child killed mid-work is an error that
    says what stopped."""
    from guidepdf.workers import ApartError, can_fork, in_child

    if not can_fork():
        pytest.skip("the work runs apart where fork is")
    calls: list[tuple[int, int]] = []
    meanwhile: list[int] = []

    def work(progress):  # type: ignore[no-untyped-def]
        for n in range(3):
            progress(n + 1, 3)
        return {"pid": os.getpid(), "data": list(range(1000))}

    result = in_child(work, lambda d, t: calls.append((d, t)), what="testing",
                      meanwhile=lambda: meanwhile.append(os.getpid()))
    assert result["pid"] != os.getpid() and result["data"] == list(range(1000))
    assert calls == [(1, 3), (2, 3), (3, 3)] and meanwhile == [os.getpid()]

    def failing(progress):  # type: ignore[no-untyped-def]
        raise ValueError("no such thing")

    with pytest.raises(ValueError, match="no such thing"):
        in_child(failing, what="testing")

    def dying(progress):  # type: ignore[no-untyped-def]
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(ApartError, match=r"the process testing stopped \(exit code -9\)"):
        in_child(dying, what="testing")
