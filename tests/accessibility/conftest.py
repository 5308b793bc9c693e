"""Every PDF the layout writes, built once per session: all roles, both modes, both papers,
the whole guide and the IC-map-only form."""

from __future__ import annotations

from tests import guides
from tests.guides import shipped

__all__ = ["GUIDES", "IC_ROLES", "ROLES", "built", "guide_id", "shipped"]

ROLES = ["state-commissioner", "superintendent", "system-central-office", "principal", "coach",
         "teacher", "external-partner"]
IC_ROLES = ["coach", "system-central-office", "principal", "external-partner"]
GUIDES = [(role, mode, paper, "all") for role in ROLES for mode in ("fillable", "print")
          for paper in ("letter", "a4")]
GUIDES += [(role, mode, paper, "icmap") for role in IC_ROLES for mode in ("fillable", "print")
           for paper in ("letter", "a4")]


def guide_id(key: tuple[str, str, str, str]) -> str:
    return "-".join(key)


def built(role: str, mode: str = "fillable", paper: str = "letter", part: str = "all") -> bytes:
    return guides.built(role, mode, paper, part)
