"""Fault fixtures: small or read-only file systems mounted by the test itself (tmpfs), and
removed after it; a test that cannot mount (not root, no CAP_SYS_ADMIN) is skipped, saying
why."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(*args: str) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode:
        raise OSError(done.stderr.strip() or f"mount exited {done.returncode}")


@contextlib.contextmanager
def tmpfs(where: Path, size_kb: int, *, readonly: bool = False) -> Iterator[Path]:
    """A tmpfs of `size_kb` KB at `where` (made if missing), read-only if asked, unmounted
    when the block ends; pytest.skip if this process may not mount."""
    where.mkdir(parents=True, exist_ok=True)
    try:
        _mount("-t", "tmpfs", "-o", f"size={size_kb}k,mode=0777", "tmpfs", str(where))
    except (OSError, FileNotFoundError) as exc:
        pytest.skip(f"cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): {exc}")
    try:
        if readonly:
            _mount("-o", "remount,ro", str(where))
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def fill(folder: Path, leave_kb: int = 0) -> None:
    """Fill the file system of `folder` until at most `leave_kb` KB are free."""
    import os

    block = b"\0" * 4096
    with open(folder / "filler", "wb") as handle:
        try:
            while True:
                stat = os.statvfs(folder)
                if stat.f_bavail * stat.f_frsize <= leave_kb * 1024:
                    break
                handle.write(block)
                handle.flush()
        except OSError:
            pass
