"""Paths -> Outcomes in input order, read in worker processes so that one pathological file
costs only itself: each file is bounded in size (checked before reading), time (the worker
is killed) and memory (an address-space limit in the worker). Results stream back as they
are ready; the order of output does not depend on the number of workers."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import resource
import time
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from guidepdf.content.model import Content
from guidepdf.readmany import Outcome, read_one

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


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def _worker(conn: Connection, content: Content | None, memory_bytes: int) -> None:
    with contextlib.suppress(ValueError, OSError):  # not every platform allows it
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    while True:
        try:
            task = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if task is None:
            return
        index, path, shown = task
        try:
            outcome = read_one(Path(path), content, shown)
        except MemoryError:
            outcome = Outcome(Path(path), None, "reading needed more memory than the limit "
                                                "allows (a decompression bomb?)")
        conn.send((index, outcome))


class _Worker:
    def __init__(self, ctx: mp.context.BaseContext, content: Content | None,
                 limits: Limits) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, content, limits.memory_bytes),
                                   daemon=True)
        self.process.start()
        child.close()
        self.tasks: deque[tuple[int, Path, str]] = deque()  # sent, read in this order
        self.started = 0.0  # when the worker began the task at the head of `tasks`

    @property
    def task(self) -> tuple[int, Path, str] | None:
        return self.tasks[0] if self.tasks else None

    def give(self, index: int, path: Path, shown: str) -> None:
        if not self.tasks:
            self.started = time.monotonic()
        self.tasks.append((index, path, shown))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            # the worker died on an earlier task; the parent notices at its next read and
            # hands this task to the replacement
            self.conn.send((index, str(path), shown))

    def done(self) -> None:
        self.tasks.popleft()
        self.started = time.monotonic()

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError, BrokenPipeError):
                self.conn.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def read_paths(paths: Sequence[Path | str], *, content: Content | None = None,
               jobs: int | None = None, limits: Limits | None = None,
               names: Sequence[str] | None = None, window: int = 256,
               prefetch: int = 4) -> Iterator[Outcome]:
    """Read every path; yield one Outcome per path, in the order of `paths`.

    `names` are how files are named in reasons and plans (default: the path). At most
    `window` results wait for an earlier slow file, which keeps memory flat.
    """
    limits = limits or Limits()
    jobs = max(1, jobs or default_jobs())
    shown = list(names) if names is not None else [str(p) for p in paths]
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    workers: list[_Worker] = []
    ready: dict[int, Outcome] = {}
    next_out = next_in = 0
    total = len(paths)
    try:
        workers = [_Worker(ctx, content, limits) for _ in range(min(jobs, total))]
        while next_out < total:
            for w in workers:  # hand out work, oversized files are rejected without reading
                while len(w.tasks) < prefetch and next_in < total and \
                        next_in < next_out + window:
                    path = Path(paths[next_in])
                    size = _size(path)
                    if size is not None and size > limits.max_bytes:
                        ready[next_in] = Outcome(path, None, f"file is larger than the "
                                                 f"{limits.max_bytes // MB} MB limit "
                                                 f"({size / MB:.0f} MB)")
                    else:
                        w.give(next_in, path, shown[next_in])
                    next_in += 1
            while next_out in ready:
                yield ready.pop(next_out)
                next_out += 1
            busy = [w for w in workers if w.task is not None]
            if not busy:
                continue
            now = time.monotonic()
            timeout = max(0.0, min(w.started + limits.seconds for w in busy) - now)
            for conn in wait([w.conn for w in busy], timeout=timeout):
                w = next(x for x in busy if x.conn is conn)
                try:
                    index, outcome = conn.recv()
                except (EOFError, OSError):
                    index, path, _ = w.tasks.popleft()
                    w.process.join(timeout=1)
                    code = w.process.exitcode
                    ready[index] = Outcome(path, None, "the reader crashed on this file "
                                           f"(worker exit code {code}); file skipped")
                    workers[workers.index(w)] = _replace(w, ctx, content, limits)
                    continue
                w.done()
                ready[index] = outcome
            now = time.monotonic()
            for w in list(workers):
                if w.task is not None and now - w.started > limits.seconds:
                    index, path, _ = w.tasks.popleft()
                    ready[index] = Outcome(path, None, f"reading took longer than the "
                                           f"{limits.seconds:g} s limit; file skipped")
                    workers[workers.index(w)] = _replace(w, ctx, content, limits)
    finally:
        for w in workers:
            w.stop(kill=w.task is not None)


def _replace(w: _Worker, ctx: mp.context.BaseContext, content: Content | None,
             limits: Limits) -> _Worker:
    """Kill a worker that crashed or hung (its failed task already taken off); the tasks
    still queued on it go to its successor."""
    w.stop(kill=True)
    fresh = _Worker(ctx, content, limits)
    for index, path, shown in w.tasks:
        fresh.give(index, path, shown)
    return fresh


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None
