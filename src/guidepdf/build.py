"""Content folder + choices -> guide PDFs written atomically into an output folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from guidepdf.atomic import write_bytes
from guidepdf.content.model import Content, Role
from guidepdf.folderlock import holding
from guidepdf.layout import MODES, PARTS, GuideOptions, build_guide


@dataclass(frozen=True)
class BuildJob:
    role: Role
    mode: str
    paper: str
    part: str = "all"

    @property
    def filename(self) -> str:
        suffix = "" if self.paper == "letter" else f"-{self.paper}"
        part = "" if self.part == "all" else f"-{self.part}"
        return f"{self.role.id}{part}-{self.mode}{suffix}.pdf"


def plan_builds(content: Content, role_ids: list[str] | None = None, mode: str = "both",
                paper: str = "letter", part: str = "all") -> list[BuildJob]:
    """The guides to build; unknown role ids raise KeyError naming them. With part "icmap",
    only roles that have an IC map; a role asked for by id without one raises ValueError."""
    if part not in PARTS:
        raise ValueError(f"unknown part {part!r}; use one of {', '.join(PARTS)}")
    if role_ids:
        unknown = [r for r in role_ids if r not in {x.id for x in content.roles}]
        if unknown:
            raise KeyError(", ".join(unknown))
        roles = [content.role(r) for r in role_ids]
    else:
        roles = list(content.roles)
    if part == "icmap":
        without = [r.id for r in roles if r.icmap is None]
        if role_ids and without:
            raise ValueError(f"no IC map for role(s) {', '.join(without)}")
        roles = [r for r in roles if r.icmap is not None]
    modes = MODES if mode == "both" else (mode,)
    return [BuildJob(r, m, paper, part) for r in roles for m in modes]


def run_builds(content: Content, jobs: list[BuildJob], out_dir: Path,
               on_done: Callable[[BuildJob, Path], None] | None = None) -> Iterator[Path]:
    with holding(out_dir, "build", "the folder for the guides"):
        for job in jobs:
            pdf = build_guide(content, job.role,
                              GuideOptions(mode=job.mode, paper=job.paper, part=job.part))
            path = out_dir / job.filename
            write_bytes(path, pdf)
            if on_done:
                on_done(job, path)
            yield path
