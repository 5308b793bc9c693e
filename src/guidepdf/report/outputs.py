"""(name, path, writer) tasks -> the files written, in up to `jobs` forked processes at once,
and the seconds each took. Each writer reads the Summary it was given (its responses from the
spool file, which a forked process reads by offset too), so the outputs — CPU-bound, and
independent of each other — are written side by side instead of one after another. With
one job they are written one at a time, each still in a process of its own: what a writer
makes (answers.pdf's pages and structure, ~17 MiB) goes with it, instead of adding up in
this process. Where fork is not available (Windows, macOS), they run here, in order."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from guidepdf.workers import can_fork, die_with_parent, handed_over

Writer = Callable[[Path], None]


@dataclass(frozen=True)
class Task:
    name: str
    path: Path
    write: Writer


class OutputProcessError(RuntimeError):
    """A process writing one output ended without saying how (killed, or crashed)."""


def run(tasks: Sequence[Task], jobs: int = 1,
        on_start: Callable[[Task], None] | None = None,
        on_done: Callable[[Task, float], None] | None = None) -> dict[str, float]:
    """Run every task (in the given order of starting: put the longest first) and return
    {name: seconds}; `on_start(task)` and `on_done(task, seconds)` are called here, in this
    process, as each starts and as each is written. An exception raised by a writer is
    raised here, after the other writers have finished, so every output that could be
    written is."""
    if not can_fork():
        return _run_here(tasks, on_start, on_done)
    jobs = max(1, jobs)
    ctx = mp.get_context("fork")
    waiting = list(tasks)
    running: dict[Connection, tuple[Task, mp.process.BaseProcess]] = {}
    seconds: dict[str, float] = {}
    failure: BaseException | None = None
    while waiting or running:
        while waiting and len(running) < jobs:
            task = waiting.pop(0)
            if on_start is not None:
                on_start(task)
            parent, child = ctx.Pipe(duplex=False)
            process = ctx.Process(target=_child, args=(child, task, os.getpid()),
                                  daemon=True)
            process.start()
            child.close()
            running[parent] = (task, process)
        for conn in wait(list(running)):
            task, process = running.pop(conn)  # type: ignore[call-overload]
            try:
                kind, value = conn.recv()
            except EOFError:
                kind, value = "error", None
            conn.close()
            process.join()
            if kind == "ok":
                seconds[task.name] = value
                if on_done is not None:
                    on_done(task, value)
                continue
            if value is None:
                value = OutputProcessError(
                    f"{task.path}: the process writing it stopped (exit code "
                    f"{process.exitcode}) — run the command again")
            failure = failure or value
    if failure is not None:
        raise failure
    return {task.name: seconds[task.name] for task in tasks}


def _run_here(tasks: Sequence[Task], on_start: Callable[[Task], None] | None,
              on_done: Callable[[Task, float], None] | None) -> dict[str, float]:
    seconds: dict[str, float] = {}
    failure: BaseException | None = None
    for task in tasks:
        if on_start is not None:
            on_start(task)
        began = time.perf_counter()
        try:
            task.write(task.path)
        except Exception as exc:  # the others are still written; this is raised after
            failure = failure or exc
            continue
        seconds[task.name] = time.perf_counter() - began
        if on_done is not None:
            on_done(task, seconds[task.name])
    if failure is not None:
        raise failure
    return seconds


def _child(conn: Connection, task: Task, parent: int) -> None:
    die_with_parent(parent)  # no orphan goes on writing into a folder a new run uses
    began = time.perf_counter()
    try:
        task.write(task.path)
        message: tuple[str, object] = ("ok", time.perf_counter() - began)
    except BaseException as exc:  # handed to the parent, which raises it
        message = ("error", handed_over(exc))
    try:
        conn.send(message)
    except Exception:  # pragma: no cover - what was raised would not pickle
        conn.send(("error", RuntimeError(repr(message[1]))))
    finally:
        conn.close()
    os._exit(0)  # no atexit, no finalizers: they belong to the parent (the spool file)


MARKER = "complete.json"  # in an output folder: its outputs are one whole set, listed


def run_as_set(tasks: Sequence[Task], out_dir: Path, jobs: int = 1,
               on_start: Callable[[Task], None] | None = None,
               on_done: Callable[[Task, float], None] | None = None) -> dict[str, float]:
    """Like run(), for outputs that belong together: each task writes `task.path.name` into
    a hidden staging folder in `out_dir`; when all are done they are moved into `out_dir`
    (a rename each), and complete.json lists them with their SHA-256. A reader of
    `out_dir` sees the old set or the new one: killed before the moves, the old set and its
    complete.json are untouched; complete.json is removed before the first move and
    written after the last, so a folder without it holds no trustworthy set. When a task
    fails, the outputs that were written are still moved in, the failed ones' old files are
    removed (no stale file passes for new), complete.json is not written, and the first
    error is raised, naming the file by its final path."""
    import json
    import shutil
    import tempfile

    from guidepdf.atomic import write_text
    from guidepdf.errors import OutputError

    try:
        staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=".guidepdf-new-"))
    except OSError as exc:
        raise OutputError(out_dir, exc, "the output folder") from None
    staged = [Task(t.name, staging / t.path.name, t.write) for t in tasks]
    final = {t.name: t.path for t in tasks}
    failure: BaseException | None = None
    try:
        try:
            seconds = run(staged, jobs,
                          on_start=(lambda t: on_start(_final(t, final))) if on_start else None,
                          on_done=(lambda t, s: on_done(_final(t, final), s)) if on_done
                          else None)
        except OutputError as exc:  # name the file the user knows, not the staging copy
            failure, seconds = _renamed(exc, staging, out_dir), {}
        except Exception as exc:
            failure, seconds = exc, {}
        (out_dir / MARKER).unlink(missing_ok=True)
        digests: dict[str, str] = {}
        for task in staged:
            target = final[task.name]
            if task.path.is_file():
                digests[target.name] = _sha256(task.path)
                os.replace(task.path, target)
            elif task.path.is_dir():  # a folder of outputs (collect --teams): moved whole
                for inner in sorted(task.path.iterdir()):
                    digests[f"{target.name}/{inner.name}"] = _sha256(inner)
                if target.is_dir():
                    old = Path(tempfile.mkdtemp(dir=out_dir, prefix=".guidepdf-old-"))
                    os.replace(target, old / target.name)
                    shutil.rmtree(old, ignore_errors=True)
                os.replace(task.path, target)
            else:
                target.unlink(missing_ok=True)
        if failure is not None:
            raise failure
        write_text(out_dir / MARKER, json.dumps({"files": dict(sorted(digests.items()))},
                                                indent=2) + "\n")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return seconds


def _final(task: Task, final: dict[str, Path]) -> Task:
    return Task(task.name, final[task.name], task.write)


def _renamed(exc: BaseException, staging: Path, out_dir: Path) -> BaseException:
    from guidepdf.errors import OutputError

    assert isinstance(exc, OutputError)
    message = str(exc).replace(f"{staging}{os.sep}", f"{out_dir}{os.sep}")
    return OutputError(Path(str(exc.path).replace(str(staging), str(out_dir))),
                       message=message)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return str(digest.hexdigest())
