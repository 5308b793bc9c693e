"""An output folder -> held by this run for as long as it writes there: a lock file
`.guidepdf.lock` (an advisory lock the kernel drops when the process ends, however it ends,
and the holder's pid, command and start time, for the message a second run gets). While
the lock is held, the temporary files in the folder belong to no live run but this one, so
they may be removed; without it, two runs would delete each other's."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from guidepdf.atomic import make_folder, remove_stale_temps
from guidepdf.errors import BusyError, OutputError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks; runs are not guarded
    fcntl = None  # type: ignore[assignment]

LOCK = ".guidepdf.lock"


@contextlib.contextmanager
def holding(folder: Path, command: str, what: str = "") -> Iterator[Path]:
    """Make `folder` if needed, lock it for this run, remove what killed runs left in it
    (temporary files, work folders), and yield it; the lock goes when the block ends.
    BusyError if another live run holds it; OutputError if it cannot be made or locked."""
    folder = make_folder(Path(folder), what)
    if fcntl is None:  # pragma: no cover
        remove_stale_temps(folder)
        yield folder
        return
    path = folder / LOCK
    fd = _acquire(path, folder, command)
    try:
        _remove_leftovers(folder)
        yield folder
    finally:
        with contextlib.suppress(OSError):
            path.unlink()  # while still locked: a run waiting on it retries the new file
        os.close(fd)


def _remove_leftovers(folder: Path) -> None:
    """What runs killed in `folder` left: temporary files and hidden work folders (ours
    only: `.NAME.*.tmp`, `.guidepdf-*/`). Only called with the folder's lock held."""
    remove_stale_temps(folder)
    for work in folder.glob(".guidepdf-*"):
        if work.is_dir() and not work.is_symlink():
            shutil.rmtree(work, ignore_errors=True)


def _acquire(path: Path, folder: Path, command: str) -> int:
    for _ in range(20):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(folder, exc, "the output folder") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise BusyError(f"{folder}: another guidepdf run is writing into this folder "
                            f"({holder}) — wait for it to finish, or choose another "
                            "output folder") from None
        except OSError as exc:
            os.close(fd)
            raise OutputError(folder, exc, "the output folder") from None
        try:  # the file may have been removed by a run that just ended: lock the new one
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if not same:
            os.close(fd)
            continue
        with contextlib.suppress(OSError):  # who holds it is for messages only (disk full?)
            os.ftruncate(fd, 0)
            os.write(fd, f"pid {os.getpid()}\ncommand {command}\nstarted "
                         f"{time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
        return fd
    raise BusyError(f"{folder}: the lock file {LOCK} keeps changing — another run is "
                    "starting and stopping here; try again")


def _holder(fd: int) -> str:
    """'guidepdf collect, pid 1234, since 2026-12-02 15:00:00' from the lock file."""
    try:
        text = os.pread(fd, 4096, 0).decode("utf-8", "replace")
    except OSError:
        return "its lock file cannot be read"
    fields = dict(line.split(" ", 1) for line in text.splitlines() if " " in line)
    if "pid" not in fields:
        return "it is just starting"
    return (f"guidepdf {fields.get('command', '?')}, pid {fields['pid']}, since "
            f"{fields.get('started', '?')}")
