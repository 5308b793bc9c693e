"""(role, mode, paper, part) -> the shipped content's guide PDF, built once per test run: kept
in memory and, under pytest-xdist, in a folder every worker of the run shares (a file lock
makes the first worker that needs a guide build it while the others wait for it)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from filelock import FileLock

from guidepdf.content import Content, load_content
from guidepdf.content.model import Role
from guidepdf.layout import GuideOptions, build_guide
from guidepdf.paths import default_content_dir

_MEMORY: dict[tuple[str, str, str, str], bytes] = {}
_SHARED: list[Path] = []  # the run's shared folder, once the root conftest has set it


def share_in(folder: Path) -> None:
    """Keep built guides in `folder` too (one folder per test run, seen by every worker)."""
    folder.mkdir(parents=True, exist_ok=True)
    _SHARED[:] = [folder]


@cache
def shipped() -> Content:
    return load_content()


def built(role: str, mode: str = "fillable", paper: str = "letter", part: str = "all") -> bytes:
    """The shipped content's guide for `role` in these options."""
    key = (role, mode, paper, part)
    if key in _MEMORY:
        return _MEMORY[key]
    if not _SHARED:
        pdf = _build(key)
    else:
        path = _SHARED[0] / ("-".join(key) + ".pdf")
        with FileLock(str(path) + ".lock"):
            if path.is_file():
                pdf = path.read_bytes()
            else:
                pdf = _build(key)
                temp = path.with_suffix(".tmp")
                temp.write_bytes(pdf)
                temp.replace(path)
    _MEMORY[key] = pdf
    return pdf


def build_cached(content: Content, role: Role, options: GuideOptions) -> bytes:
    """build_guide's signature (for Personalizer(build=...)); cached for the shipped content
    without a recipient, built afresh otherwise."""
    if content.root.resolve() != default_content_dir().resolve() or options.recipient \
            or options.prefill_name:
        return build_guide(content, role, options)
    return built(role.id, options.mode, options.paper, options.part)


def _build(key: tuple[str, str, str, str]) -> bytes:
    role, mode, paper, part = key
    content = shipped()
    return build_guide(content, content.role(role),
                       GuideOptions(mode=mode, paper=paper, part=part))
