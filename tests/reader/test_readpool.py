"""Reading in worker processes: order kept, and a file that hangs, crashes the reader,
exhausts memory or is too big costs only itself."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import guidepdf.read.readpool as readpool
from guidepdf.read.readmany import Outcome
from guidepdf.read.readpool import Limits, read_paths

real_read_one = readpool.read_one


def misbehaving_read_one(path: Path, content: object = None, shown: str | None = None
                         ) -> Outcome:
    """Stands in for the reader inside the (forked) workers."""
    if path.name.startswith("hang"):
        time.sleep(60)
    if path.name.startswith("crash"):
        os._exit(7)
    if path.name.startswith("hog"):
        hog = bytearray(4 * 1024 * 1024 * 1024)  # far beyond the worker's memory limit
        del hog
    return real_read_one(path, None, shown)


@pytest.fixture
def files(tmp_path: Path, toy_content: object) -> list[Path]:
    from tests.reader.forms import toy_form

    blank = toy_form(toy_content)  # type: ignore[arg-type]
    names = ["a.pdf", "hang.pdf", "b.pdf", "crash.pdf", "c.pdf", "hog.pdf", "big.pdf", "d.pdf"]
    paths = []
    for name in names:
        path = tmp_path / name
        path.write_bytes(blank + (b"\n%" + b"x" * 3_000_000 if name == "big.pdf" else b""))
        paths.append(path)
    return paths


@pytest.mark.parametrize("jobs", [1, 2])
def test_bad_files_cost_only_themselves(files: list[Path], jobs: int,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Hang, crash, memory hog and oversize are each rejected with a reason; every other
    file is read; results come back in input order whatever the number of workers."""
    monkeypatch.setattr(readpool, "read_one", misbehaving_read_one)
    limits = Limits(max_bytes=2 * 1024 * 1024, seconds=2, memory_bytes=1024 * 1024 * 1024)
    start = time.monotonic()
    outcomes = list(read_paths(files, jobs=jobs, limits=limits))
    assert time.monotonic() - start < 20
    assert [o.path.name for o in outcomes] == [p.name for p in files]
    reasons = {o.path.name: str(o.reason) for o in outcomes if o.plan is None}
    assert reasons == {
        "hang.pdf": "reading took longer than the 2 s limit; file skipped",
        "crash.pdf": "the reader crashed on this file (worker exit code 7); file skipped",
        "hog.pdf": "reading needed more memory than the limit allows (a decompression bomb?)",
        "big.pdf": "file is larger than the 2 MB limit (3 MB)",
    }
    assert all(o.plan is not None and o.plan.role == "gardener" for o in outcomes
               if o.path.name in {"a.pdf", "b.pdf", "c.pdf", "d.pdf"})


def test_many_files_same_results_for_any_job_count(tmp_path: Path, toy_content: object) -> None:
    """Reading 60 files with 1 or 3 workers gives identical outcomes in identical order."""
    from tests.reader.forms import toy_form

    blank = toy_form(toy_content)  # type: ignore[arg-type]
    paths = []
    for i in range(60):
        path = tmp_path / f"f{i:02d}.pdf"
        path.write_bytes(blank if i % 7 else b"not a pdf")
        paths.append(path)
    one = list(read_paths(paths, jobs=1))
    three = list(read_paths(paths, jobs=3, window=8))
    assert one == three
    assert sum(o.plan is None for o in one) == 9


@pytest.mark.parametrize("jobs", [1, 2])
def test_pack_runs_where_each_file_is_read(files: list[Path], jobs: int,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """With `pack`, each readable file comes back as pack(outcome), made in the worker that
    read it; a file that failed there (crashed, too large) is still an Outcome."""
    monkeypatch.setattr(readpool, "read_one", misbehaving_read_one)
    limits = Limits(max_bytes=2 * 1024 * 1024, seconds=2, memory_bytes=1024 * 1024 * 1024)
    kept = [p for p in files if p.name != "hang.pdf"]
    got = list(read_paths(kept, jobs=jobs, limits=limits,
                          pack=lambda o: ("packed", os.getpid(), o.path.name)))
    packed = [g for g in got if isinstance(g, tuple)]
    assert [g[2] for g in packed] == ["a.pdf", "b.pdf", "c.pdf", "d.pdf"]
    assert all(pid != os.getpid() for _, pid, _ in packed)
    assert sorted(o.path.name for o in got if isinstance(o, Outcome)) == [
        "big.pdf", "crash.pdf", "hog.pdf"]
