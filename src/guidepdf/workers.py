"""Tasks + a worker recipe -> one result per task, in task order, computed in worker
processes that each serve many tasks. A task that hangs (past `seconds`), crashes its
worker or exhausts its memory (`memory_bytes`, an address-space limit) costs only itself:
its worker is replaced and the others go on. Workers die with the process that started
them, even when it is SIGKILLed (Linux: PR_SET_PDEATHSIG; elsewhere a watch thread), and
hold no pipe end but their own, so none of them waits forever on a parent that is gone.
The shared pool behind `read`/`collect` (readpool) and `personalize` (distribute.copies)."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing as mp
import os
import resource
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

PR_SET_PDEATHSIG = 1


def default_jobs() -> int:
    """One worker per core this process may run on."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def can_fork() -> bool:
    """Fork only where it is safe with the libraries we load: Linux."""
    return sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()


def context() -> mp.context.BaseContext:
    """fork where there is one (fast, and the worker recipe need not pickle), else spawn."""
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


@dataclass(frozen=True)
class Failure:
    """Why a task has no result: 'timeout' (its worker was killed after `seconds`),
    'crashed' (its worker died: `exitcode`), or 'error' (the handler raised: `detail`)."""

    kind: str
    exitcode: int | None = None
    seconds: float = 0.0
    detail: str = ""


def handed_over(exc: BaseException) -> BaseException:
    """`exc` as a child process sends it to its parent: itself when it pickles, else a
    RuntimeError holding its traceback."""
    import pickle
    import traceback

    try:
        pickle.dumps(exc)
    except Exception:  # pragma: no cover - an exception that will not pickle
        return RuntimeError("".join(traceback.format_exception(exc)))
    return exc


def give_back_memory() -> None:
    """Return the heap's free pages to the system (glibc's malloc_trim; elsewhere nothing).
    After a peak of short-lived objects (the forms' senders reconciled, a summary pickled),
    freed memory stays in the process, and every process forked from it starts with it."""
    global _TRIM
    if _TRIM is None:
        try:
            _TRIM = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):  # not glibc
            _TRIM = False
    if _TRIM:
        _TRIM(0)


_TRIM: Any = None


def die_with_parent(parent: int) -> None:
    """In a child process: end it when `parent` ends, however that ends (SIGKILL too).
    Linux asks the kernel (PR_SET_PDEATHSIG); elsewhere a daemon thread watches."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
            raise OSError(ctypes.get_errno(), "prctl")
    except (OSError, AttributeError):  # not Linux (no prctl): watch the parent instead
        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1.0)
            os._exit(1)

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    if os.getppid() != parent:  # it ended before the request took effect
        os._exit(1)


class ApartError(RuntimeError):
    """A process doing a piece of work apart (in_child) ended without handing back its
    result: killed, or out of memory."""


Progress = Callable[[int, int], None]


def in_child(work: Callable[[Progress | None], R], progress: Progress | None = None, *,
             what: str, meanwhile: Callable[[], None] | None = None,
             error: type[ApartError] = ApartError) -> R:
    """work(progress), run in a forked process of its own, and its result, pickled back
    here. What the work allocates on the way and frees never enters this process, so the
    processes forked from this one later do not start with it: freed small objects stay in
    a process (the allocator cannot give back an arena that one kept object still uses).
    Progress calls are relayed as they happen; an exception is raised here as it was raised
    there; a process that ends without a word raises `error`, "the process {what} stopped
    (exit code N)". `meanwhile()` runs here while the child works. Where fork is not
    available, the work runs here."""
    if not can_fork():
        result = work(progress)
        if meanwhile is not None:
            meanwhile()
        return result
    ctx = mp.get_context("fork")
    here, there = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_apart, args=(there, work, progress is not None,
                                               os.getpid()))  # not a daemon: it may fork
    process.start()
    there.close()
    try:
        if meanwhile is not None:
            meanwhile()  # the child's messages wait in the pipe meanwhile
        while True:
            try:
                message = here.recv()
            except EOFError:
                process.join()
                raise error(f"the process {what} stopped (exit code {process.exitcode})"
                            " — run the command again") from None
            kind = message[0]
            if kind == "progress":
                if progress is not None:
                    progress(message[1], message[2])
            elif kind == "error":
                raise message[1]
            else:
                process.join()
                result = message[1]
                return result  # type: ignore[no-any-return]
    finally:
        here.close()
        if process.is_alive():  # an exception here: the work is of no use any more
            process.kill()
            process.join()


def _apart(conn: Connection, work: Callable[[Progress | None], Any], relay: bool,
           parent: int) -> None:
    die_with_parent(parent)
    try:
        result = work((lambda done, total: conn.send(("progress", done, total)))
                      if relay else None)
        conn.send(("done", result))
    except BaseException as exc:  # handed to the parent, which raises it
        conn.send(("error", handed_over(exc)))
    finally:
        conn.close()
    os._exit(0)  # no atexit, no finalizers: they belong to the parent


def _serve(conn: Connection, recipe: Callable[[], Callable[[Any], Any]],
           memory_bytes: int | None, parent: int, close: Sequence[int]) -> None:
    """A worker's life: die with the parent, drop every inherited pipe end but its own,
    make its handler from `recipe`, then answer (index, task) with (index, result)."""
    die_with_parent(parent)
    for fd in close:
        with contextlib.suppress(OSError):
            os.close(fd)
    if memory_bytes:
        with contextlib.suppress(ValueError, OSError):  # not every platform allows it
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    handle = recipe()
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if message is None:
            return
        index, task = message
        try:
            result: Any = handle(task)
        except KeyboardInterrupt:
            return
        except Exception as exc:  # the handler's bug costs this task only
            result = Failure("error", detail=f"{type(exc).__name__}: {str(exc)[:300]}")
        try:
            conn.send((index, result))
        except (OSError, EOFError):
            return


class _Worker(Generic[T]):
    def __init__(self, pool: _Pool[T, Any]) -> None:
        ctx = pool.ctx
        self.conn, child = ctx.Pipe()
        forked = ctx.get_start_method() == "fork"
        # a forked child inherits the parent's end of its own pipe and of every other
        # worker's: it must close them, or none of them sees EOF when the parent dies
        close = [self.conn.fileno(), *(w.conn.fileno() for w in pool.workers)] \
            if forked else []
        self.process = ctx.Process(target=_serve, args=(child, pool.recipe, pool.memory_bytes,
                                                        os.getpid(), close), daemon=True)
        self.process.start()
        child.close()
        self.tasks: deque[tuple[int, T]] = deque()  # sent, answered in this order
        self.started = 0.0  # when it began the task at the head of `tasks`

    def give(self, index: int, task: T) -> None:
        if not self.tasks:
            self.started = time.monotonic()
        self.tasks.append((index, task))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            # it died on an earlier task; the parent notices at its next read and hands
            # this task to the replacement
            self.conn.send((index, task))

    def done(self) -> None:
        self.tasks.popleft()
        self.started = time.monotonic()

    def stop(self, kill: bool = False) -> None:
        if kill:
            with contextlib.suppress(OSError):
                self.process.kill()
        else:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class _Pool(Generic[T, R]):
    def __init__(self, recipe: Callable[[], Callable[[T], R]],
                 memory_bytes: int | None) -> None:
        self.ctx = context()
        self.recipe = recipe
        self.memory_bytes = memory_bytes
        self.workers: list[_Worker[T]] = []

    def start(self, n: int) -> None:
        for _ in range(n):
            self.workers.append(_Worker(self))

    def replace(self, w: _Worker[T]) -> None:
        """Kill a worker that crashed or hung (its failed task already taken off); the
        tasks still queued on it go to its successor."""
        w.stop(kill=True)
        self.workers.remove(w)
        fresh = _Worker(self)
        self.workers.append(fresh)
        for index, task in w.tasks:
            fresh.give(index, task)


def ordered_map(tasks: Sequence[T], recipe: Callable[[], Callable[[T], R]], *,
                failed: Callable[[int, T, Failure], R], jobs: int | None = None,
                seconds: float | None = None, memory_bytes: int | None = None,
                skip: Callable[[int, T], R | None] | None = None,
                lost: Callable[[T], None] | None = None,
                prefetch: int = 4, window: int = 256) -> Iterator[tuple[int, R]]:
    """Yield (index, result) for every task, in the order of `tasks`.

    `recipe()` runs once in each worker and returns the handler (task -> result); with
    spawn (no fork) it must pickle. `skip(index, task)` may answer a task here, unsent
    (e.g. a file too big to read). `failed(index, task, failure)` makes the result of a
    task that timed out, crashed its worker or raised. `lost(task)` is called for a task
    whose worker was killed while it might be working on it (to remove half-made files).
    At most `window` results wait for an earlier slow task, so memory stays flat; each
    worker has up to `prefetch` tasks queued, so it never waits for the parent."""
    total = len(tasks)
    jobs = max(1, min(jobs or default_jobs(), total or 1))
    pool: _Pool[T, R] = _Pool(recipe, memory_bytes)
    ready: dict[int, R] = {}
    if jobs > 1 and total:
        give_back_memory()  # what the workers are forked with
    next_out = next_in = 0
    try:
        pool.start(jobs if total else 0)
        while next_out < total:
            while next_in < total and next_in < next_out + window:  # hand out work
                w = min(pool.workers, key=lambda x: len(x.tasks))  # the least busy first
                if len(w.tasks) >= prefetch:
                    break
                task = tasks[next_in]
                answer = skip(next_in, task) if skip is not None else None
                if answer is not None:
                    ready[next_in] = answer
                else:
                    w.give(next_in, task)
                next_in += 1
            while next_out in ready:
                yield next_out, ready.pop(next_out)
                next_out += 1
            busy = [w for w in pool.workers if w.tasks]
            if not busy:
                continue
            timeout = None if seconds is None else \
                max(0.0, min(w.started + seconds for w in busy) - time.monotonic())
            for conn in wait([w.conn for w in busy], timeout=timeout):
                w = next(x for x in busy if x.conn is conn)
                try:
                    index, result = conn.recv()
                except (EOFError, OSError):  # the worker died (a crash in a C library?)
                    index, task = w.tasks.popleft()
                    w.process.join(timeout=1)
                    ready[index] = failed(index, task, Failure("crashed",
                                                               w.process.exitcode))
                    if lost is not None:
                        lost(task)
                    pool.replace(w)
                    continue
                task = w.tasks[0][1]
                w.done()
                ready[index] = failed(index, task, result) if isinstance(result, Failure) \
                    else result
            if seconds is None:
                continue
            now = time.monotonic()
            for w in list(pool.workers):
                if w.tasks and now - w.started > seconds:
                    index, task = w.tasks.popleft()
                    ready[index] = failed(index, task, Failure("timeout", seconds=seconds))
                    pool.replace(w)  # killed first, so `lost` sees no writer
                    if lost is not None:
                        lost(task)
    finally:  # done, or interrupted (Ctrl-C, the consumer stopped): no worker stays
        for w in pool.workers:
            w.stop(kill=bool(w.tasks))
            if lost is not None:
                for _, task in w.tasks:
                    lost(task)
