"""What each person's answers held, kept for the themes' second pass (report.themes): per
person a role, and per question its phrase keys as 64-bit hashes. Written once in order,
read back once in the same order. It waits in an unnamed temporary file, a chunk of whole
people at a time, so a role of thousands of people (some 330 keys each) holds at most one
chunk in memory; the file goes when the trail is closed or the process ends.

Layout of the stream of signed 64-bit integers, per person:
    role index, number of questions, then per question: question index, n, n hashes."""

from __future__ import annotations

import tempfile
from array import array
from collections.abc import Collection, Hashable, Iterator
from pathlib import Path
from typing import IO

from guidepdf.errors import OutputError

CHUNK = 1 << 16  # integers (512 KiB) held before they are written out


class KeyTrail:
    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._file: IO[bytes] | None = None
        self._buffer = array("q")
        self._chunks: list[int] = []  # integers in each chunk written, in order

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
            self._write()

    def _where(self) -> Path:
        return self._folder or Path(tempfile.gettempdir())

    def _write(self) -> None:
        try:
            if self._file is None:
                self._file = tempfile.TemporaryFile(dir=self._folder,  # noqa: SIM115
                                                    prefix=".guidepdf-themes-")
            self._buffer.tofile(self._file)
        except OSError as exc:  # a full or read-only disk
            raise OutputError(self._where(), exc, "the themes' temporary file") from None
        self._chunks.append(len(self._buffer))
        self._buffer = array("q")

    def chunks(self) -> Iterator[array[int]]:
        """The stream again, in chunks of whole people, from the first person on."""
        if self._file is not None:
            try:
                self._file.flush()
                self._file.seek(0)
                for size in self._chunks:
                    chunk = array("q")
                    chunk.fromfile(self._file, size)
                    yield chunk
            except OSError as exc:
                raise OutputError(self._where(), exc, "the themes' temporary file") from None
            except EOFError:
                raise OutputError(self._where(), message=(
                    f"{self._where()}: the themes' temporary file ended early; was it "
                    "truncated? Run collect again.")) from None
        yield self._buffer

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._buffer = array("q")
        self._chunks = []
