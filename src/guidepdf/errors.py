"""The exception family: every error a user can see names the file, the place and the fix.

    GuidepdfError
    ├── ContentError            one problem in a content folder (path:line:col: problem — hint)
    ├── ContentErrors           every problem found in a content folder at once
    ├── FormReadError           a returned PDF that cannot be read as one of our forms
    ├── RosterError             a roster that cannot be used (see distribute.roster)
    ├── PersonalizeError        copies that could not be made (the others were written)
    ├── SendError               a mail run that cannot start (bad template, SMTP settings)
    └── FetchError              a mailbox that cannot be read (login, folder, TLS, connection)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class RosterError(GuidepdfError):
    """A roster file that cannot be used at all (unreadable, no header, wrong columns)."""


class PersonalizeError(GuidepdfError):
    """Personalized copies that could not be made; every other copy was written."""

    SHOWN = 20  # failures listed in the message; the rest are counted

    def __init__(self, failed: list[tuple[Path, str]], written: list[Path]) -> None:
        self.failed = failed  # (the path the copy was to have, why it was not made)
        self.written = written
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"{path}: {reason}" for path, reason in self.failed[:self.SHOWN]]
        if len(self.failed) > self.SHOWN:
            lines.append(f"… and {len(self.failed) - self.SHOWN} more")
        return "\n".join(lines)


class SendError(GuidepdfError):
    """A mail run that cannot start: bad body template, SMTP settings, missing password."""


class FetchError(GuidepdfError):
    """A mailbox that could not be read to the end; `exit_code` tells which kind of
    problem (see mail.imap), the message says what to do. What was fetched is kept."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code
