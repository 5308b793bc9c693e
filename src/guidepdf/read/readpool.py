"""Paths -> Outcomes in input order, read in worker processes (guidepdf.workers) so that one
pathological file costs only itself: each file is bounded in size (checked before reading),
time (the worker is killed) and memory (an address-space limit in the worker). Results
stream back as they are ready; the order of output does not depend on the number of
workers."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidepdf.content.model import Content
from guidepdf.notes import Note
from guidepdf.read.readmany import Outcome, read_one
from guidepdf.workers import Failure, default_jobs, ordered_map

__all__ = ["MB", "Limits", "default_jobs", "read_paths"]

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one returned file may cost before it is rejected."""

    max_bytes: int = 50 * MB
    seconds: float = 30.0
    memory_bytes: int = 1536 * MB  # address space of a worker process

    def describe(self) -> str:
        return (f"{self.max_bytes // MB} MB per file, {self.seconds:g} s per file, "
                f"{self.memory_bytes // MB} MB memory per worker")


def _read(content: Content | None, pack: Callable[[Outcome], Any] | None,
          task: tuple[str, str]) -> Any:
    path, shown = task
    try:
        outcome = read_one(Path(path), content, shown)
    except MemoryError:
        return Outcome(Path(path), None, Note.of("out_of_memory"))
    return outcome if pack is None else pack(outcome)


def _reader(content: Content | None, pack: Callable[[Outcome], Any] | None
            ) -> Callable[[tuple[str, str]], Any]:
    """Runs in each worker: its handler."""
    return functools.partial(_read, content, pack)


def read_paths(paths: Sequence[Path | str], *, content: Content | None = None,
               jobs: int | None = None, limits: Limits | None = None,
               names: Sequence[str] | None = None, window: int = 256,
               prefetch: int = 4, pack: Callable[[Outcome], Any] | None = None
               ) -> Iterator[Any]:
    """Read every path; yield one Outcome per path, in the order of `paths`.

    `names` are how files are named in reasons and plans (default: the path). At most
    `window` results wait for an earlier slow file, which keeps memory flat. With `pack`,
    each file's Outcome is handed back as pack(outcome) made in the worker (what the
    caller keeps of it, cheaper to send than the Plan); a file that failed there (timed
    out, crashed, too large) is still an Outcome.
    """
    limits = limits or Limits()
    shown = list(names) if names is not None else [str(p) for p in paths]
    tasks = [(str(p), s) for p, s in zip(paths, shown, strict=True)]

    def oversized(index: int, task: tuple[str, str]) -> Outcome | None:
        size = _size(Path(task[0]))
        if size is None or size <= limits.max_bytes:
            return None
        return Outcome(Path(task[0]), None, Note.of("too_large", limit=limits.max_bytes // MB,
                                                    size=round(size / MB)))

    def failed(index: int, task: tuple[str, str], failure: Failure) -> Outcome:
        path = Path(task[0])
        if failure.kind == "timeout":
            return Outcome(path, None, Note.of("timeout", seconds=f"{limits.seconds:g}"))
        if failure.kind == "crashed":
            return Outcome(path, None, Note.of("crashed", code=str(failure.exitcode)))
        return Outcome(path, None, Note.of("internal_error", detail=failure.detail))

    for _, outcome in ordered_map(tasks, functools.partial(_reader, content, pack),
                                  failed=failed,
                                  jobs=jobs, seconds=limits.seconds,
                                  memory_bytes=limits.memory_bytes, skip=oversized,
                                  prefetch=prefetch, window=window):
        yield outcome


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None
