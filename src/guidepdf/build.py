"""Content folder + choices -> guide PDFs written atomically into an output folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from guidepdf.atomic import write_bytes
from guidepdf.content.model import Content, Role
from guidepdf.layout import MODES, GuideOptions, build_guide


@dataclass(frozen=True)
class BuildJob:
    role: Role
    mode: str
    paper: str

    @property
    def filename(self) -> str:
        suffix = "" if self.paper == "letter" else f"-{self.paper}"
        return f"{self.role.id}-{self.mode}{suffix}.pdf"


def plan_builds(content: Content, role_ids: list[str] | None = None, mode: str = "both",
                paper: str = "letter") -> list[BuildJob]:
    """The guides to build; unknown role ids raise KeyError naming them."""
    if role_ids:
        unknown = [r for r in role_ids if r not in {x.id for x in content.roles}]
        if unknown:
            raise KeyError(", ".join(unknown))
        roles = [content.role(r) for r in role_ids]
    else:
        roles = list(content.roles)
    modes = MODES if mode == "both" else (mode,)
    return [BuildJob(r, m, paper) for r in roles for m in modes]


def run_builds(content: Content, jobs: list[BuildJob], out_dir: Path,
               on_done: Callable[[BuildJob, Path], None] | None = None) -> Iterator[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    for job in jobs:
        pdf = build_guide(content, job.role, GuideOptions(mode=job.mode, paper=job.paper))
        path = out_dir / job.filename
        write_bytes(path, pdf)
        if on_done:
            on_done(job, path)
        yield path
