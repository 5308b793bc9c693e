"""The exception family: every error a user can see names the file, the place and the fix.

    GuidepdfError
    ├── ContentError            one problem in a content folder (path:line:col: problem — hint)
    ├── ContentErrors           every problem found in a content folder at once
    ├── FormReadError           a returned PDF that cannot be read as one of our forms
    ├── RosterError             a roster that cannot be used (see distribute.roster)
    ├── PersonalizeError        copies that could not be made (the others were written)
    ├── SendError               a mail run that cannot start (bad template, SMTP settings)
    ├── FetchError              a mailbox that cannot be read (login, folder, TLS, connection)
    ├── OutputError             an output path that cannot be written (path: what — fix)
    ├── BusyError               an output folder another live run is writing into
    ├── SettingsError           a guidepdf.toml that cannot be used, a working folder not made
    └── CompareInputError       a file given to compare that is not a readable summary.json

os_problem() turns any OSError on a path into that one sentence; the CLI maps OutputError
(and any OSError that reaches it) to exit code 7, BusyError to 9 (guidepdf.exitcodes).
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from guidepdf.notes import Note


class GuidepdfError(Exception):
    """Base class for every error guidepdf raises on purpose."""


@dataclass(frozen=True, order=True)
class Position:
    """A place in a text file; line and column count from 1."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


class ContentError(GuidepdfError):
    """One problem in a content file, located, with a hint on how to fix it."""

    def __init__(self, position: Position, problem: str, hint: str = "") -> None:
        self.position = position
        self.problem = problem
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.position}: {self.problem}"
        return f"{text} — {self.hint}" if self.hint else text


class ContentErrors(GuidepdfError):
    """Every problem found in a content folder, in file and line order."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = sorted(errors, key=lambda e: (e.position, e.problem))
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


class FormReadError(GuidepdfError):
    """A returned file that cannot be read as a guidepdf form; the reason is one line."""

    def __init__(self, source: str, reason: Note) -> None:
        self.source = source
        self.reason = reason  # a note: its words are the edition's (labels read.<code>)
        super().__init__(source, reason)

    def __str__(self) -> str:  # in English, and only when shown
        return f"{self.source}: {self.reason}"


class RosterError(GuidepdfError):
    """A roster file that cannot be used at all (unreadable, no header, wrong columns)."""


UNWRITABLE = "cannot be written: "  # starts the reason of a copy its disk refused


class PersonalizeError(GuidepdfError):
    """Personalized copies that could not be made; every other copy was written.
    `unwritable` counts those that failed because their file could not be written."""

    SHOWN = 20  # failures listed in the message; the rest are counted

    def __init__(self, failed: list[tuple[Path, str]], written: list[Path]) -> None:
        self.failed = failed  # (the path the copy was to have, why it was not made)
        self.written = written
        self.unwritable = sum(reason.startswith(UNWRITABLE) for _, reason in failed)
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"{path}: {reason}" for path, reason in self.failed[:self.SHOWN]]
        if len(self.failed) > self.SHOWN:
            lines.append(f"… and {len(self.failed) - self.SHOWN} more")
        return "\n".join(lines)


class SendError(GuidepdfError):
    """A mail run that cannot start: bad body template, SMTP settings, missing password."""


class OutputError(GuidepdfError):
    """An output path that cannot be written: `path: what happened — what to do`."""

    def __init__(self, path: os.PathLike[str] | str, exc: OSError | None = None,
                 what: str = "", *, message: str = "") -> None:
        self.path = Path(path)
        self.errno = exc.errno if exc is not None else None
        self.message = message or (os_problem(path, exc, what) if exc is not None
                                   else f"{path}: cannot be written")
        super().__init__(self.message)

    def __reduce__(self) -> tuple[object, ...]:  # crosses from a writing process intact
        return (_output_error, (str(self.path), self.errno, self.message))


def _output_error(path: str, number: int | None, message: str) -> OutputError:
    error = OutputError(path, message=message)
    error.errno = number
    return error


class BusyError(GuidepdfError):
    """An output folder that another live run holds the lock of."""

    def __reduce__(self) -> tuple[object, ...]:
        return (BusyError, (str(self),))


_FIXES = {
    errno.EACCES: ("permission denied", "choose a folder you may write to, or change its "
                   "permissions"),
    errno.EPERM: ("not permitted", "choose a folder you may write to, or change its "
                  "permissions"),
    errno.EROFS: ("the file system is read-only", "choose a folder on a writable disk"),
    errno.ENOSPC: ("the disk is full", "free some space or choose another disk, then run "
                   "the same command again"),
    errno.EDQUOT: ("your disk quota is used up", "free some space or choose another disk, "
                   "then run the same command again"),
    errno.EFBIG: ("the file is larger than this file system allows", "choose another disk"),
    errno.EISDIR: ("is a folder, not a file", "give the path of a file (in that folder, or "
                   "elsewhere)"),
    errno.ENOTDIR: ("a part of this path is a file, not a folder", "give a folder path, or "
                    "move the file out of the way"),
    errno.EEXIST: ("a file of that name is in the way", "give a folder path, or move the "
                   "file out of the way"),
    errno.ENOENT: ("a folder on the way does not exist", "create it first, or correct the "
                   "path"),
    errno.ENAMETOOLONG: ("the name is too long for this file system", "use a shorter path"),
    errno.EIO: ("the disk reported an input/output error", "check the disk, then run the "
                "same command again"),
}


def os_problem(path: os.PathLike[str] | str, exc: OSError, what: str = "") -> str:
    """Any OSError on `path` -> one sentence: `path: what happened — what to do`. `what`
    names the thing being written ("the send journal"), for the message only."""
    happened, fix = _FIXES.get(exc.errno or 0, (exc.strerror or str(exc) or
                                                type(exc).__name__, "check the path and "
                                                "run the same command again"))
    if exc.errno == errno.EISDIR and what:
        happened = f"{what} must be a file, but this is a folder"
    return f"{path}: {happened} — {fix}"


class SettingsError(GuidepdfError):
    """A guidepdf.toml that cannot be read or used, or a working folder that cannot be made."""


class FetchError(GuidepdfError):
    """A mailbox that could not be read to the end; `exit_code` tells which kind of
    problem (see mail.imap), the message says what to do. What was fetched is kept."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class CompareInputError(GuidepdfError):
    """A file given to `compare` (or `collect --baseline`) that is not a summary.json this
    version can read: `path: what is wrong — what to give instead`."""
