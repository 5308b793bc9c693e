"""Shared fixtures: the shipped content, the toy content, and guides built once per session."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from guidepdf.content import Content, load_content
from guidepdf.layout import GuideOptions, build_guide

DATA = Path(__file__).parent / "data"
TOY = DATA / "toy_content"


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content()


@pytest.fixture(scope="session")
def toy_content() -> Content:
    return load_content(TOY)


@pytest.fixture
def toy_dir(tmp_path: Path) -> Path:
    """A private copy of the toy content folder that a test may break."""
    target = tmp_path / "content"
    shutil.copytree(TOY, target)
    return target


_CACHE: dict[tuple[str, str, str], bytes] = {}


@pytest.fixture(scope="session")
def guide(content: Content) -> Callable[..., bytes]:
    """guide(role_id, mode="fillable", paper="letter") -> PDF bytes, built once per session."""

    def get(role_id: str, mode: str = "fillable", paper: str = "letter") -> bytes:
        key = (role_id, mode, paper)
        if key not in _CACHE:
            _CACHE[key] = build_guide(content, content.role(role_id),
                                      GuideOptions(mode=mode, paper=paper))
        return _CACHE[key]

    return get
