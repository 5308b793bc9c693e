"""What each person's answers held, kept for the themes' second pass (report.themes): per
person a role, and per question its phrase keys as 64-bit hashes. Written once in order,
read back once in the same order. It waits in a spool (report.spool: an unnamed temporary
file), a chunk of whole people at a time, so a role of thousands of people (some 330 keys
each) holds at most one chunk in memory; the file goes when the trail is closed or the
process ends.

Layout of the stream of signed 64-bit integers, per person:
    role index, number of questions, then per question: question index, n, n hashes."""

from __future__ import annotations

from array import array
from collections.abc import Collection, Hashable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from guidepdf.errors import OutputError

if TYPE_CHECKING:
    from guidepdf.report.spool import Spool

CHUNK = 1 << 16  # integers (512 KiB) held before they are written out


class KeyTrail:
    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._spool: Spool | None = None  # made when the first chunk is written
        self._buffer = array("q")
        self._chunks: list[int] = []  # the spool offset of each chunk written, in order

    def person(self, role: int, questions: list[tuple[int, Collection[Hashable]]]) -> None:
        """One person's role and, per question, the keys their answers held."""
        buffer = self._buffer
        buffer.append(role)
        buffer.append(len(questions))
        for question, keys in questions:
            buffer.append(question)
            buffer.append(len(keys))
            buffer.extend(map(hash, keys))
        if len(buffer) >= CHUNK:
            if self._spool is None:
                # here, not at the top: report.spool imports report.model, which imports
                # report.themes and so this module
                from guidepdf.report.spool import Spool

                self._spool = Spool(self._folder, what="the themes' temporary file")
            self._chunks.append(self._spool.append(buffer))
            self._buffer = array("q")

    def chunks(self) -> Iterator[array[int]]:
        """The stream again, in chunks of whole people, from the first person on."""
        if self._spool is not None:
            for offset in self._chunks:
                try:
                    chunk = self._spool.load(offset)
                except OSError as exc:  # a read error, or a file cut short
                    raise OutputError(self._spool.folder, exc, self._spool.what) from None
                yield chunk
        yield self._buffer

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None
        self._buffer = array("q")
        self._chunks = []
