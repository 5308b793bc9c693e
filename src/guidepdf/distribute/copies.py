"""Content + people -> one personalized PDF per person in a folder, each written
atomically. Each role's template is built once, here, and handed to `jobs` worker processes
(guidepdf.workers) that make the copies. The files and the order of the progress callbacks
(roster order) do not depend on `jobs`; a copy that fails costs only itself."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from guidepdf.atomic import write_bytes
from guidepdf.content.model import Content
from guidepdf.distribute.filenames import assign_filenames
from guidepdf.distribute.personalize import Personalizer, Template
from guidepdf.distribute.roster import Person
from guidepdf.errors import UNWRITABLE, OutputError, PersonalizeError
from guidepdf.folderlock import holding
from guidepdf.workers import Failure, default_jobs, ordered_map

PREFETCH = 4  # copies handed to a worker ahead, so that it never waits for the parent
WINDOW = 256  # copies done ahead of the first one not yet done, which keeps memory flat


def personalize_roster(content: Content, people: Iterable[Person], out_dir: Path, *,
                       paper: str = "letter", prefill: bool = False,
                       jobs: int | None = None,
                       on_done: Callable[[Person, Path], None] | None = None,
                       on_failed: Callable[[Person, str], None] | None = None) -> list[Path]:
    """Write one copy per person into `out_dir` and return the paths, in roster order.

    `jobs` worker processes (default: one per core; 1: in this process) make the copies.
    `on_done` (or `on_failed`, with the reason) is called here for each person, in roster
    order. A copy that cannot be made is skipped and every other one is still written;
    then PersonalizeError names the ones missing."""
    people = list(people)
    out_dir = Path(out_dir)
    with holding(out_dir, "personalize", "the folder for the copies"):
        root = out_dir.resolve()
        names = assign_filenames(people)
        paths = [out_dir / names[person.id] for person in people]
        for path in paths:
            if path.resolve().parent != root:  # cannot happen with filenames.py
                raise ValueError(f"refusing to write {path}: outside {out_dir}")
        jobs = min(max(1, jobs or default_jobs()), len(people))
        # the templates are built before any worker starts: built in each worker instead,
        # they would cost `jobs` times the CPU, which a small roster does not win back
        maker = Personalizer(content, paper=paper, prefill=prefill)
        broken: dict[str, str] = {}  # role -> why its template could not be built
        for role in dict.fromkeys(person.role for person in people):
            try:
                maker.template(role)
            except Exception as exc:
                broken[role] = f"the {role!r} guide could not be built: {exc}"
        make = _in_workers if jobs > 1 else _in_process
        written: list[Path] = []
        failed: list[tuple[Path, str]] = []
        # closing: should a callback raise, the workers stop now, not when the traceback
        # goes
        with contextlib.closing(make(maker, broken, people, paths, jobs)) as outcomes:
            for index, reason in outcomes:
                if reason is None:
                    written.append(paths[index])
                    if on_done:
                        on_done(people[index], paths[index])
                else:
                    failed.append((paths[index], reason))
                    if on_failed:
                        on_failed(people[index], reason)
    if failed:
        raise PersonalizeError(failed, written)
    return written


def _write_one(maker: Personalizer, broken: dict[str, str], person: Person,
               path: Path) -> str | None:
    """Write the person's copy; None when done, else why not."""
    if person.role in broken:
        return broken[person.role]
    try:
        write_bytes(path, maker.copy(person))
    except OutputError as exc:  # "path: what happened — what to do", without the path
        return UNWRITABLE + str(exc).removeprefix(f"{path}: ")
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def _in_process(maker: Personalizer, broken: dict[str, str], people: Sequence[Person],
                paths: Sequence[Path], jobs: int) -> Iterator[tuple[int, str | None]]:
    """The same as _in_workers, without them (`jobs` is 1)."""
    for index, (person, path) in enumerate(zip(people, paths, strict=True)):
        yield index, _write_one(maker, broken, person, path)


def _copier(content: Content, paper: str, prefill: bool, templates: list[Template],
            broken: dict[str, str]) -> Callable[[tuple[Person, str]], str | None]:
    """Runs in each worker: its handler, with the templates built once in the parent."""
    maker = Personalizer(content, paper=paper, prefill=prefill, templates=templates)
    return lambda task: _write_one(maker, broken, task[0], Path(task[1]))


def _in_workers(maker: Personalizer, broken: dict[str, str], people: Sequence[Person],
                paths: Sequence[Path], jobs: int) -> Iterator[tuple[int, str | None]]:
    """(index, None or the reason it failed) for every person, in roster order."""
    templates = [maker.template(role) for role in dict.fromkeys(p.role for p in people)
                 if role not in broken]
    recipe = functools.partial(_copier, maker.content, maker.paper, maker.prefill, templates,
                               broken)

    def failed(index: int, task: tuple[Person, str], failure: Failure) -> str:
        if failure.kind == "crashed":
            return (f"the worker making this copy stopped (exit code {failure.exitcode}); "
                    "copy skipped")
        return f"internal error ({failure.detail}); copy skipped"

    tasks = [(person, str(path)) for person, path in zip(people, paths, strict=True)]
    # a copy whose worker was killed, or left unfinished (Ctrl-C): no half-written file stays
    yield from ordered_map(tasks, recipe, failed=failed, jobs=jobs, prefetch=PREFETCH,
                           window=WINDOW, lost=lambda task: _remove_temp(Path(task[1])))


def _remove_temp(path: Path) -> None:
    """Remove what a killed worker was writing to `path` (atomic.write_bytes' temp file)."""
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        leftover.unlink(missing_ok=True)
