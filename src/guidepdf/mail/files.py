"""Mail saved as files -> messages one at a time: `.eml` (one message), `.mbox` (a folder
exported by Thunderbird, Apple Mail or Google Takeout; read line by line, so memory holds
one message, never the file) and a clear refusal for Outlook's `.msg`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

_FROM_ESCAPED = re.compile(rb"^>+From ")


def mail_kind(path: Path) -> str | None:
    """'eml', 'mbox', 'msg', 'tnef' for files that hold mail; None for anything else.
    Apple Mail exports a folder `Name.mbox/` with a file `mbox` inside; Thunderbird keeps
    its folders as files without a suffix that start with 'From '."""
    suffix, name = path.suffix.lower(), path.name.lower()
    if suffix == ".eml":
        return "eml"
    if suffix == ".mbox" or name == "mbox":
        return "mbox"
    if suffix == ".msg":
        return "msg"
    if name == "winmail.dat":
        return "tnef"
    if suffix == "" and _starts_with_from(path):
        return "mbox"
    return None


def _starts_with_from(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"From "
    except OSError:
        return False


def read_eml(path: Path) -> bytes:
    return path.read_bytes()


def iter_mbox(path: Path) -> Iterator[bytes]:
    """Each message of an mbox file, as bytes, in file order. A message starts at a line
    beginning 'From ' at the start of the file or after an empty line; '>From ' lines are
    unescaped one level (mboxrd), as the programs that write mbox escape them."""
    with path.open("rb") as handle:
        lines: list[bytes] = []
        blank_before = True
        started = False
        for line in handle:
            if line.startswith(b"From ") and blank_before:
                if started:
                    yield _join(lines)
                lines, started = [], True
                blank_before = False
                continue
            if started:
                lines.append(line[1:] if _FROM_ESCAPED.match(line) else line)
            blank_before = line in (b"\n", b"\r\n")
        if started:
            yield _join(lines)


def _join(lines: list[bytes]) -> bytes:
    if lines and lines[-1] in (b"\n", b"\r\n"):  # the blank line before the next 'From '
        lines = lines[:-1]
    return b"".join(lines)
