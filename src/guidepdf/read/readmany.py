"""Files and folders -> one outcome per PDF (a plan or a rejection), in a stable order; the
shared walk behind `guidepdf read` and `collect`. Never raises for a bad file.

The walk (scan) reads only regular files: a link that leads out of the folder is not
followed unless asked (a link to /etc/passwd is not a response), and named pipes,
devices, sockets and dangling links are never opened — each is counted as ignored, with
the reason."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from guidepdf.content.model import Content
from guidepdf.errors import FormReadError
from guidepdf.notes import Note
from guidepdf.plans import Plan, plan_from_form
from guidepdf.read.reader import not_a_file, read_form


@dataclass(frozen=True)
class Outcome:
    path: Path
    plan: Plan | None
    reason: Note | None = None  # why the file was rejected, when plan is None


@dataclass
class Scan:
    """What a walk found: PDF files, other regular files, and entries not read, each with
    the reason (a link out of the folder, a named pipe, a device, a dangling link…)."""

    pdfs: list[Path] = field(default_factory=list)
    others: list[Path] = field(default_factory=list)
    ignored: list[tuple[Path, Note]] = field(default_factory=list)


OUTSIDE = Note.of("link_outside")


def scan(inputs: Iterable[Path], *, follow_links: bool = False) -> Scan:
    """Every regular file under the inputs, recursively, in sorted order; hidden entries
    skipped. A file named on the command line is taken as named (a link to it too); inside
    a folder, links are followed only within the folder, unless `follow_links`."""
    found = Scan()
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            root = item.resolve()
            _walk(item, root, found, follow_links, {_identity(root)})
        else:
            _take(item, found, _kind(item))
    return found


def find_pdfs(inputs: Iterable[Path], *, follow_links: bool = False
              ) -> tuple[list[Path], list[Path]]:
    """(PDF files, other files) under the inputs, recursively, sorted; hidden files skipped
    (see scan, which also says what was not read and why)."""
    found = scan(inputs, follow_links=follow_links)
    return found.pdfs, found.others


def _identity(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_dev, st.st_ino


def _walk(folder: Path, root: Path, found: Scan, follow: bool,
          seen: set[tuple[int, int]]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        found.ignored.append((folder, Note.of("folder_unreadable", detail=exc.strerror)))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            link = entry.is_symlink()
            if link:
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):  # a dangling link, or a loop of links
                    found.ignored.append((path, Note.of("dangling_link")))
                    continue
                if not follow and not target.is_relative_to(root):
                    found.ignored.append((path, OUTSIDE))
                    continue
            st = path.stat() if link else os.lstat(entry.path)  # not cached in the entry
        except OSError as exc:
            found.ignored.append((path, Note.of("cannot_look", detail=exc.strerror)))
            continue
        if stat.S_ISDIR(st.st_mode):
            if (st.st_dev, st.st_ino) in seen:  # a link back into a folder on the way
                found.ignored.append((path, Note.of("folder_link_loop")))
                continue
            _walk(path, root, found, follow, seen | {(st.st_dev, st.st_ino)})
        else:
            _take(path, found, st.st_mode)


def _kind(path: Path) -> int:
    try:
        return path.stat().st_mode
    except OSError:
        return 0


def _take(path: Path, found: Scan, mode: int) -> None:
    if stat.S_ISREG(mode) or not mode:  # not there at all: the reader says so
        (found.pdfs if path.suffix.lower() == ".pdf" else found.others).append(path)
    else:
        found.ignored.append((path, not_a_file(mode)))


def read_one(path: Path, content: Content | None = None, shown: str | None = None) -> Outcome:
    try:
        form = read_form(path, name=shown or str(path), content=content)
    except FormReadError as exc:
        return Outcome(path, None, exc.reason)
    except Exception as exc:  # a reader bug must cost one file, not the batch
        return Outcome(path, None, Note.of("internal_error",
                                           detail=f"{type(exc).__name__}: {str(exc)[:200]}"))
    return Outcome(path, plan_from_form(form))
