"""Bytes or text -> a file, atomically: written to a temporary file beside it, flushed,
then renamed over the target, so a reader never sees half a file. Any OSError on the way
(disk full, read-only, permission, a folder in the way) is raised as errors.OutputError,
one sentence naming the target: `path: what happened — what to do`."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from guidepdf.errors import OutputError


def write_bytes(path: Path, data: bytes) -> None:
    write_chunks(path, (data,))


def write_chunks(path: Path, chunks: Iterable[bytes]) -> None:
    """Like write_bytes, for output made piece by piece (never all in memory at once)."""
    with replacing(path) as handle:
        for chunk in chunks:
            handle.write(chunk)


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A file to write `path`'s new content into (seekable, for writers such as zipfile);
    it replaces `path` when the block ends, and is removed if the block raises."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(path, IsADirectoryError(errno.EISDIR, "is a folder"))
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(exc.filename if exc.errno == errno.ENOENT else path, exc) from None
    try:
        with os.fdopen(fd, "w+b") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OutputError:
        Path(tmp).unlink(missing_ok=True)
        raise
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def make_folder(folder: Path, what: str = "") -> Path:
    """mkdir -p `folder`, or OutputError saying why not (a file in the way, read-only…)."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(folder, exc, what) from None
    return folder


def write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    write_bytes(path, text.encode(encoding))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def remove_stale_temps(folder: Path) -> int:
    """Delete temporary files a killed run left in `folder` (only our own `.NAME.*.tmp`
    pattern); return how many. Called when a command starts writing into a folder."""
    removed = 0
    if Path(folder).is_dir():
        for leftover in Path(folder).glob(".*.tmp"):
            if leftover.is_file():
                leftover.unlink(missing_ok=True)
                removed += 1
    return removed
