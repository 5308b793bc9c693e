"""(label, done, total) reports from long work -> one progress style on the console (stderr):
a click progress bar on a terminal; elsewhere (a log, a pipe, CI) a line at every tenth and
at the end, "Sending: 30/300 (10%)", so a run that is not watched live still shows where
it got to. Used by every long command of the CLI."""

from __future__ import annotations

import sys
from typing import Any, TextIO

import click

STEPS = 10  # lines in line mode: one per tenth of the work


class Progress:
    """One phase of work with a known (or first-reported) total."""

    def __init__(self, label: str, total: int | None = None, *,
                 file: TextIO | None = None, terminal: bool | None = None) -> None:
        self.label, self.total, self.done, self.item = label, total, 0, ""
        self.file = file or sys.stderr  # looked up now: click's test runner replaces it
        self.terminal = terminal if terminal is not None else _is_terminal(self.file)
        self._bar: Any = None
        self._shown_step = -1
        self.closed = False

    def __call__(self, done: int, total: int) -> None:
        """Report `done` of `total` (the callback shape of the library's `progress=`)."""
        self.update(done, total)

    def update(self, done: int, total: int | None = None, item: str = "") -> None:
        """Set the count done so far (and the total, if it is known only now)."""
        if total is not None:
            self.total = total
        self.item = item
        if self.terminal:
            self._terminal(done)
        else:
            self.done = done
            self._line()

    def advance(self, count: int = 1, item: str = "") -> None:
        self.update(self.done + count, item=item)

    def close(self) -> None:
        """End the phase: the bar is finished, or the last line is printed."""
        if self.closed:
            return
        self.closed = True
        if self._bar is not None:
            self._bar.__exit__(None, None, None)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _terminal(self, done: int) -> None:
        if self._bar is None:
            self._bar = click.progressbar(length=self.total or 0, label=self.label,
                                          file=self.file, show_pos=True,
                                          item_show_func=lambda _: self.item or None)
            self._bar.__enter__()
        self._bar.update(done - self.done)
        self.done = done

    def _line(self) -> None:
        if not self.total:
            return
        step = min(STEPS, self.done * STEPS // self.total)
        if step > self._shown_step:
            self._shown_step = step
            percent = self.done * 100 // self.total
            item = f" {self.item}" if self.item else ""
            click.echo(f"{self.label}: {self.done}/{self.total} ({percent}%){item}",
                       file=self.file)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
