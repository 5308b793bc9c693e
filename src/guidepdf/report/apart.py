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

import socket
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from guidepdf.report.model import Summary
from guidepdf.report.spool import Spool, SpooledInts, SpooledResponses
from guidepdf.report.themepool import summary_themes
from guidepdf.workers import ApartError, can_fork, give_back_memory, in_child

Progress = Callable[[int, int], None]
Reading = Callable[[Progress | None], Summary]


class ReadingProcessError(ApartError):
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
    mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        packed, offsets, size, folder, more = in_child(
            partial(_read, reading, extra, theirs), progress, what="reading the forms",
            meanwhile=meanwhile, error=ReadingProcessError)
        spool = Spool.adopt(_receive_fd(mine), folder, size)
    finally:
        mine.close()
        theirs.close()
    summary = summary_themes(packed, lambda theme: replace(theme, people=SpooledInts(
        spool, theme.people.offset, theme.people.count)))
    return replace(summary, responses=SpooledResponses(spool, offsets)), more


class _Stored:
    """A theme's people on their way here: where they are in the spool, and how many."""

    __slots__ = ("count", "offset")

    def __init__(self, offset: int, count: int) -> None:
        self.offset, self.count = offset, count

    @classmethod
    def of(cls, ints: SpooledInts) -> _Stored:
        return cls(ints.offset, len(ints))


def _read(reading: Reading, extra: Callable[[], Any] | None, sock: socket.socket,
          progress: Progress | None) -> tuple[Summary, Any, int, Any, Any]:
    """In the child: the reading, its summary packed to be pickled, its spool's file sent
    over `sock` (before the summary, so it waits there when the summary arrives)."""
    summary = reading(progress)
    responses = summary.responses
    if not isinstance(responses, SpooledResponses):
        raise TypeError("read_apart: the reading's responses are not spooled")
    spool = responses.spool
    # the themes' people (~700,000 at 20,000 forms, 5.5 MiB as tuples) go into the spool:
    # the summary that is pickled, and held by every process that writes an output, says
    # only where they are (report.spool.SpooledInts)
    packed = summary_themes(replace(summary, responses=()), lambda theme: replace(
        theme, people=_Stored.of(SpooledInts.store(spool, theme.people))))
    del summary
    give_back_memory()  # the reading's peak, before the summary is pickled
    more = extra() if extra is not None else None
    socket.send_fds(sock, [b"f"], [spool.fileno()])
    return packed, responses.offsets, spool.bytes, spool.folder, more


def _receive_fd(sock: socket.socket) -> int:
    _, fds, _, _ = socket.recv_fds(sock, 1, 1)
    if len(fds) != 1:
        raise ReadingProcessError("the process reading the forms did not hand over its "
                                  "answers' file — run the command again")
    return fds[0]
