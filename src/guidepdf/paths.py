"""Where the shipped content and fonts are: inside the installed package (guidepdf/data/),
or at the top of the source tree when running from a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
EDITIONS = "editions"  # a content folder's editions/<code>/: the same content in a language


def _shipped(name: str) -> Path:
    installed = _PACKAGE / "data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent.parent / name  # src/guidepdf -> repository root


def default_content_dir() -> Path:
    """The sample content that ships with guidepdf."""
    return _shipped("content")


def shipped_fonts_dir() -> Path:
    """The OFL fonts that ship with guidepdf."""
    return _shipped("fonts")


def fonts_dir_for(content_dir: Path) -> Path:
    """A content folder may carry its own fonts/; otherwise the shipped fonts are used."""
    own = content_dir / "fonts"
    return own if own.is_dir() else shipped_fonts_dir()
