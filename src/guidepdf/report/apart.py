"""Run a reading (a function giving a Summary) in a forked process of its own and get its
Summary here: the returned forms' per-form records are made, and freed, in that process, so
this one — which every output process is then forked from — never held them. Freed, they
were ~30 MiB at 20,000 forms that the allocator could not give back (later objects sat
between them), copied into every output process.

The Summary comes back pickled over a pipe, its responses without their spool: the spool's
unnamed file is handed over as a descriptor (SCM_RIGHTS over a Unix socket), so nothing
is ever named on disk. Progress calls are relayed as they happen; an exception is raised
here as it was raised there; a process that ends without a word (killed, out of memory)
is an error that says so. Where fork is not available the reading runs here."""

from __future__ import annotations

import multiprocessing as mp
import os
import socket
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from guidepdf.report.model import Summary
from guidepdf.report.outputs import can_fork
from guidepdf.report.spool import Spool, SpooledResponses
from guidepdf.report.themepool import pack, share, shared_ints, summary_themes
from guidepdf.workers import die_with_parent, give_back_memory, handed_over

Progress = Callable[[int, int], None]
Reading = Callable[[Progress | None], Summary]


class ReadingProcessError(RuntimeError):
    """The process reading the forms ended without handing back its summary."""


def read_apart(reading: Reading, progress: Progress | None = None,
               extra: Callable[[], Any] | None = None,
               meanwhile: Callable[[], None] | None = None) -> tuple[Summary, Any]:
    """(reading(progress) as run in a child process, extra() as evaluated there after it).
    `extra` gives anything else the reading left behind (picklable). `meanwhile()` is
    called here while the child reads (after it, where it cannot fork): work this process
    would otherwise do after the reading, kept out of the child."""
    if not can_fork():
        summary = reading(progress)
        more = extra() if extra is not None else None
        if meanwhile is not None:
            meanwhile()
        return summary, more
    ctx = mp.get_context("fork")
    here, there = ctx.Pipe(duplex=False)
    mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    process = ctx.Process(target=_child, args=(there, theirs, reading, progress is not None,
                                               extra, os.getpid()))  # not a daemon: it has workers
    process.start()
    there.close()
    theirs.close()
    try:
        if meanwhile is not None:
            meanwhile()  # the child's messages wait in the pipe meanwhile
        while True:
            try:
                message = here.recv()
            except EOFError:
                process.join()
                raise ReadingProcessError(
                    f"the process reading the forms stopped (exit code {process.exitcode})"
                    " — run the command again") from None
            kind = message[0]
            if kind == "progress" and progress is not None:
                progress(message[1], message[2])
            elif kind == "error":
                raise message[1]
            elif kind == "done":
                _, summary, offsets, size, folder, more = message
                fd = _receive_fd(mine)
                spool = Spool.adopt(fd, folder, size)
                process.join()
                summary = summary_themes(summary, partial(share, ints=shared_ints(len(offsets))))
                return replace(summary, responses=SpooledResponses(spool, offsets)), more
    finally:
        here.close()
        mine.close()
        if process.is_alive():  # an exception here: the reading is of no use any more
            process.kill()
            process.join()


def _child(conn: Any, sock: socket.socket, reading: Reading, relay: bool,
           extra: Callable[[], Any] | None, parent: int) -> None:
    die_with_parent(parent)
    try:
        summary = reading((lambda done, total: conn.send(("progress", done, total)))
                          if relay else None)
        responses = summary.responses
        if not isinstance(responses, SpooledResponses):
            raise TypeError("read_apart: the reading's responses are not spooled")
        spool = responses.spool
        packed = summary_themes(replace(summary, responses=()), pack)
        # the themes' people as tuples (5.5 MiB at 20,000 forms) are in the packed arrays
        # now: freed before the pickle is made, not held beside it
        del summary
        give_back_memory()  # the reading's peak, before the summary is pickled
        conn.send(("done", packed, responses.offsets, spool.bytes,
                   spool.folder, extra() if extra is not None else None))
        socket.send_fds(sock, [b"f"], [spool.fileno()])
    except BaseException as exc:  # handed to the parent, which raises it
        conn.send(("error", handed_over(exc)))
    finally:
        conn.close()
        sock.close()
    os._exit(0)  # no atexit, no finalizers: the spool's file is the parent's now


def _receive_fd(sock: socket.socket) -> int:
    _, fds, _, _ = socket.recv_fds(sock, 1, 1)
    if len(fds) != 1:
        raise ReadingProcessError("the process reading the forms did not hand over its "
                                  "answers' file — run the command again")
    return fds[0]
