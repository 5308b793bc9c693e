"""Records on disk instead of in memory: an append-only, unnamed temporary file of pickled
records read back by offset, and a sequence of records (Responses, say) kept in one. A
collection of tens of thousands of forms holds its answers here, so its memory stays flat; the
file disappears when it is closed or the process ends, even if killed."""

from __future__ import annotations

import os
import pickle
import tempfile
import weakref
from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar, overload

from guidepdf.errors import OutputError
from guidepdf.report.model import Response

_LENGTH = 4  # bytes of the length prefix of each record
T = TypeVar("T")


class Spool:
    """Append records (anything picklable we made ourselves), get each back by the offset
    `append` returned. Written by one process; read by it, by processes it forks, and by
    a process it hands its file to (adopt); never read from outside."""

    def __init__(self, folder: Path | None = None, *, file: Any = None, size: int = 0,
                 what: str = "the answers' temporary file") -> None:
        # unnamed, so nothing is left behind; closed by close(), or once the spool (and
        # so the Summary holding it) is garbage, or when the interpreter exits. Unbuffered,
        # written and read at explicit offsets (pwrite/pread): no shared file position, so
        # a forked process may read it too. `file` and `size`: see adopt(). `what` names
        # the file in an error.
        self.what = what
        self.folder = Path(folder) if folder is not None else Path(tempfile.gettempdir())
        if file is None:
            try:
                file = tempfile.TemporaryFile(dir=folder, prefix=".guidepdf-spool-",  # noqa: SIM115
                                              buffering=0)
            except OSError as exc:
                raise OutputError(self.folder, exc, self.what) from None
        self._file = file
        self._fd = self._file.fileno()
        self._closer = weakref.finalize(self, self._file.close)
        self.bytes = size  # the spool's size so far

    @classmethod
    def adopt(cls, fd: int, folder: Path, size: int) -> Spool:
        """The spool whose file is open as `fd` (handed over by the process that wrote it,
        report.apart), `size` bytes long; it is this process's to close now."""
        return cls(folder, file=os.fdopen(fd, "r+b", buffering=0), size=size)

    def fileno(self) -> int:
        return self._fd

    def append(self, record: Any) -> int:
        return self.append_pickled(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))

    def append_pickled(self, data: bytes) -> int:
        """A record pickled already (by the process that read the form, say)."""
        offset = self.bytes
        try:
            _write_all(self._fd, len(data).to_bytes(_LENGTH, "little") + data, offset)
        except OSError as exc:  # the disk filled up while the forms were being read
            raise OutputError(self.folder, exc, self.what) from None
        self.bytes += _LENGTH + len(data)
        return offset

    def load(self, offset: int) -> Any:
        size = int.from_bytes(_pread(self._fd, _LENGTH, offset), "little")
        data = _pread(self._fd, size, offset + _LENGTH)
        if len(data) != size:
            raise OSError(f"the spool file ends early at {offset}: was it truncated?")
        return pickle.loads(data)  # our own unnamed file: nobody else wrote it

    def close(self) -> None:
        self._closer()


def _write_all(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        if hasattr(os, "pwrite"):
            written = os.pwrite(fd, view, offset)
        else:  # Windows: no pwrite; a spool is only ever written by one process
            os.lseek(fd, offset, os.SEEK_SET)
            written = os.write(fd, view)
        view, offset = view[written:], offset + written


def _pread(fd: int, size: int, offset: int) -> bytes:
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # Windows (no fork there, so nobody shares it)
    return os.read(fd, size)


class Spooled(Sequence[T]):
    """Records kept in a spool, in order, each loaded when it is asked for; compares equal
    to any sequence of the same records (a tuple after summary_json.loads, say)."""

    def __init__(self, spool: Spool, offsets: array[int]) -> None:
        self._spool = spool
        self._offsets = offsets

    @property
    def spool(self) -> Spool:
        return self._spool

    @property
    def offsets(self) -> array[int]:
        return self._offsets

    def __len__(self) -> int:
        return len(self._offsets)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        result: T = self._spool.load(self._offsets[index])
        return result

    def __iter__(self) -> Iterator[T]:
        for offset in self._offsets:
            yield self._spool.load(offset)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other,
                                                                      strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable-looking, like a list

    def __repr__(self) -> str:
        return f"<{len(self)} records spooled to disk>"


class SpooledInts(Sequence[int]):
    """A list of ints (a theme's people) kept in a spool as one record (an array), loaded
    each time it is read; compares equal to any sequence of the same ints. At 20,000 forms
    the themes list ~700,000 people: here, only the processes that write them out (the
    JSON, the workbook) hold them, one theme at a time."""

    __slots__ = ("_count", "_offset", "_spool")

    def __init__(self, spool: Spool, offset: int, count: int) -> None:
        self._spool, self._offset, self._count = spool, offset, count

    @classmethod
    def store(cls, spool: Spool, ints: Sequence[int]) -> SpooledInts:
        return cls(spool, spool.append(array("q", ints)), len(ints))

    @property
    def offset(self) -> int:
        return self._offset

    def _load(self) -> array[int]:
        ints: array[int] = self._spool.load(self._offset)
        return ints

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> list[int]: ...

    def __getitem__(self, index: int | slice) -> int | list[int]:
        ints = self._load()
        return ints[index] if isinstance(index, int) else list(ints[index])

    def __iter__(self) -> Iterator[int]:
        return iter(self._load())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and list(self._load()) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{self._count} ints spooled to disk>"


class SpooledResponses(Spooled[Response]):
    """The kept responses, in the summary's order."""

    def __repr__(self) -> str:
        return f"<{len(self)} responses spooled to disk>"
