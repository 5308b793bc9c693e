"""Files and folders -> one outcome per PDF (a plan or a rejection), in a stable order; the
shared walk behind `guidepdf read` and `collect`. Never raises for a bad file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from guidepdf.content.model import Content
from guidepdf.errors import FormReadError
from guidepdf.plans import Plan, plan_from_form
from guidepdf.reader import read_form


@dataclass(frozen=True)
class Outcome:
    path: Path
    plan: Plan | None
    reason: str = ""  # why the file was rejected, when plan is None


def find_pdfs(inputs: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """(PDF files, other files) under the inputs, recursively, sorted; hidden files skipped."""
    pdfs: list[Path] = []
    others: list[Path] = []
    for item in inputs:
        paths = sorted(p for p in item.rglob("*") if p.is_file()) if item.is_dir() else [item]
        for p in paths:
            if any(part.startswith(".") for part in p.relative_to(item).parts) \
                    and item.is_dir():
                continue
            (pdfs if p.suffix.lower() == ".pdf" else others).append(p)
    return pdfs, others


def read_one(path: Path, content: Content | None = None, shown: str | None = None) -> Outcome:
    try:
        form = read_form(path, name=shown or str(path), content=content)
    except FormReadError as exc:
        return Outcome(path, None, exc.reason)
    except Exception as exc:  # a reader bug must cost one file, not the batch
        return Outcome(path, None, f"internal error while reading ({type(exc).__name__}: "
                                   f"{str(exc)[:200]})")
    return Outcome(path, plan_from_form(form))
