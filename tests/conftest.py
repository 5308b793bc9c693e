"""Shared fixtures: the shipped content, the toy content, and guides built once per session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from guidepdf.content import Content, load_content
from tests import guides

DATA = Path(__file__).parent / "data"
TOY = DATA / "toy_content"


@pytest.fixture(scope="session", autouse=True)
def _shared_guides(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Built guides are shared by the run's xdist workers (in the run's own base folder:
    basetemp's parent is that run's folder under xdist, else shared by every pytest run)."""
    base = tmp_path_factory.getbasetemp()
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    guides.share_in((base.parent if worker else base) / "shared-guides")


@pytest.fixture(scope="session")
def content() -> Content:
    return guides.shipped()


@pytest.fixture(scope="session")
def toy_content() -> Content:
    return load_content(TOY)


@pytest.fixture
def toy_dir(tmp_path: Path) -> Path:
    """A private copy of the toy content folder that a test may break."""
    target = tmp_path / "content"
    shutil.copytree(TOY, target)
    return target


@pytest.fixture(scope="session")
def guide() -> Callable[..., bytes]:
    """guide(role_id, mode="fillable", paper="letter") -> PDF bytes, built once per run."""

    def get(role_id: str, mode: str = "fillable", paper: str = "letter") -> bytes:
        return guides.built(role_id, mode, paper)

    return get
