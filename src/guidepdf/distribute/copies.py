"""Content + people -> one personalized PDF per person in a folder, each written
atomically. Each role's template is built once, here, and handed to `jobs` worker processes
that make the copies. The files and the order of the progress callbacks (roster order) do
not depend on `jobs`; a copy that fails costs only itself."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path

from guidepdf.atomic import remove_stale_temps, write_bytes
from guidepdf.content.model import Content
from guidepdf.distribute.filenames import assign_filenames
from guidepdf.distribute.personalize import Personalizer, Template
from guidepdf.distribute.roster import Person
from guidepdf.errors import PersonalizeError
from guidepdf.readpool import default_jobs

PREFETCH = 4  # copies handed to a worker ahead, so that it never waits for the parent
WINDOW = 256  # copies done ahead of the first one not yet done, which keeps memory flat


def personalize_roster(content: Content, people: Iterable[Person], out_dir: Path, *,
                       paper: str = "letter", prefill: bool = False,
                       jobs: int | None = None,
                       on_done: Callable[[Person, Path], None] | None = None,
                       on_failed: Callable[[Person, str], None] | None = None) -> list[Path]:
    """Write one copy per person into `out_dir` and return the paths, in roster order.

    `jobs` worker processes (default: one per core; 1: in this process) make the copies.
    `on_done` (or `on_failed`, with the reason) is called here for each person, in roster
    order. A copy that cannot be made is skipped and every other one is still written;
    then PersonalizeError names the ones missing."""
    people = list(people)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(out_dir)  # what a killed earlier run was writing
    root = out_dir.resolve()
    names = assign_filenames(people)
    paths = [out_dir / names[person.id] for person in people]
    for path in paths:
        if path.resolve().parent != root:  # cannot happen with filenames.py; never risk it
            raise ValueError(f"refusing to write {path}: outside {out_dir}")
    jobs = min(max(1, jobs or default_jobs()), len(people))
    # the templates are built before any worker starts: built in each worker instead, they
    # would cost `jobs` times the CPU, which a small roster does not win back
    maker = Personalizer(content, paper=paper, prefill=prefill)
    broken: dict[str, str] = {}  # role -> why its template could not be built
    for role in dict.fromkeys(person.role for person in people):
        try:
            maker.template(role)
        except Exception as exc:
            broken[role] = f"the {role!r} guide could not be built: {exc}"
    make = _in_workers if jobs > 1 else _in_process
    written: list[Path] = []
    failed: list[tuple[Path, str]] = []
    # closing: should a callback raise, the workers stop now, not when the traceback goes
    with contextlib.closing(make(maker, broken, people, paths, jobs)) as outcomes:
        for index, reason in outcomes:
            if reason is None:
                written.append(paths[index])
                if on_done:
                    on_done(people[index], paths[index])
            else:
                failed.append((paths[index], reason))
                if on_failed:
                    on_failed(people[index], reason)
    if failed:
        raise PersonalizeError(failed, written)
    return written


def _write_one(maker: Personalizer, broken: dict[str, str], person: Person,
               path: Path) -> str | None:
    """Write the person's copy; None when done, else why not."""
    if person.role in broken:
        return broken[person.role]
    try:
        write_bytes(path, maker.copy(person))
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _in_process(maker: Personalizer, broken: dict[str, str], people: Sequence[Person],
                paths: Sequence[Path], jobs: int) -> Iterator[tuple[int, str | None]]:
    """The same as _in_workers, without them (`jobs` is 1)."""
    for index, (person, path) in enumerate(zip(people, paths, strict=True)):
        yield index, _write_one(maker, broken, person, path)


def _worker(conn: Connection, content: Content, paper: str, prefill: bool,
            templates: list[Template], broken: dict[str, str]) -> None:
    maker = Personalizer(content, paper=paper, prefill=prefill, templates=templates)
    with contextlib.suppress(EOFError, KeyboardInterrupt):  # parent gone, or Ctrl-C
        while (task := conn.recv()) is not None:
            index, person, path = task
            conn.send((index, _write_one(maker, broken, person, Path(path))))


_Args = tuple[Content, str, bool, list[Template], dict[str, str]]  # what _worker starts from


class _Worker:
    def __init__(self, ctx: mp.context.BaseContext, args: _Args) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, *args), daemon=True)
        self.process.start()
        child.close()
        self.tasks: deque[tuple[int, Person, str]] = deque()  # sent, done in this order

    def give(self, task: tuple[int, Person, str]) -> None:
        self.tasks.append(task)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            # the worker died on an earlier task; the parent notices at its next read and
            # hands this task to the replacement
            self.conn.send(task)

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _in_workers(maker: Personalizer, broken: dict[str, str], people: Sequence[Person],
                paths: Sequence[Path], jobs: int) -> Iterator[tuple[int, str | None]]:
    """(index, None or the reason it failed) for every person, in roster order."""
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    templates = [maker.template(role) for role in dict.fromkeys(p.role for p in people)
                 if role not in broken]
    args: _Args = (maker.content, maker.paper, maker.prefill, templates, broken)
    total = len(people)
    ready: dict[int, str | None] = {}
    next_in = next_out = 0
    workers: list[_Worker] = []
    try:
        workers = [_Worker(ctx, args) for _ in range(jobs)]
        while next_out < total:
            for w in workers:
                while len(w.tasks) < PREFETCH and next_in < min(total, next_out + WINDOW):
                    w.give((next_in, people[next_in], str(paths[next_in])))
                    next_in += 1
            while next_out in ready:
                yield next_out, ready.pop(next_out)
                next_out += 1
            busy = [w for w in workers if w.tasks]
            if not busy:
                continue
            for conn in wait([w.conn for w in busy]):
                w = next(x for x in busy if x.conn is conn)
                try:
                    index, reason = conn.recv()
                except (EOFError, OSError):  # the worker died (a crash in a C library?)
                    index = w.tasks.popleft()[0]
                    w.process.join(timeout=1)
                    ready[index] = f"the worker making this copy stopped (exit code " \
                                   f"{w.process.exitcode}); copy skipped"
                    _remove_temp(paths[index])
                    workers[workers.index(w)] = _replace(w, ctx, args)
                    continue
                w.tasks.popleft()
                ready[index] = reason
    finally:  # done, or interrupted (Ctrl-C, a callback raised): no half-written file stays
        for w in workers:
            w.stop(kill=bool(w.tasks))
            for _, _, path in w.tasks:
                _remove_temp(Path(path))


def _remove_temp(path: Path) -> None:
    """Remove what a killed worker was writing to `path` (atomic.write_bytes' temp file)."""
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        leftover.unlink(missing_ok=True)


def _replace(w: _Worker, ctx: mp.context.BaseContext, args: _Args) -> _Worker:
    """A fresh worker in place of one that died (its failed task already taken off), given
    the tasks still queued on it."""
    w.stop(kill=True)
    fresh = _Worker(ctx, args)
    for task in w.tasks:
        fresh.give(task)
    return fresh
