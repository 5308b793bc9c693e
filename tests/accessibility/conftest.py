"""Every PDF the layout writes, built once per session: all roles, both modes, both papers,
the whole guide and the IC-map-only form."""

from __future__ import annotations

from functools import cache

from guidepdf.content import Content, load_content
from guidepdf.layout import GuideOptions, build_guide

ROLES = ["state-commissioner", "superintendent", "system-central-office", "principal", "coach",
         "teacher", "external-partner"]
IC_ROLES = ["coach", "system-central-office", "principal", "external-partner"]
GUIDES = [(role, mode, paper, "all") for role in ROLES for mode in ("fillable", "print")
          for paper in ("letter", "a4")]
GUIDES += [(role, mode, paper, "icmap") for role in IC_ROLES for mode in ("fillable", "print")
           for paper in ("letter", "a4")]


def guide_id(key: tuple[str, str, str, str]) -> str:
    return "-".join(key)


@cache
def shipped() -> Content:
    return load_content()


@cache
def built(role: str, mode: str = "fillable", paper: str = "letter", part: str = "all") -> bytes:
    content = shipped()
    return build_guide(content, content.role(role),
                       GuideOptions(mode=mode, paper=paper, part=part))
