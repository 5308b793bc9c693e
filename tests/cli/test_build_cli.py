"""`guidepdf build` writes the guides it was asked for, atomically, and explains bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from guidepdf.cli import main
from tests.conftest import TOY


def test_build_everything_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no options it builds 7 roles × 2 modes into ./guides and says so in one line."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "guides").iterdir())
    assert len(files) == 14
    assert "coach-fillable.pdf" in files and "coach-print.pdf" in files
    assert not [f for f in files if f.endswith(".tmp")]
    assert result.stdout.strip().splitlines()[-1] == "Wrote 14 PDF(s) to guides/"


def test_build_selected_role_mode_and_paper(tmp_path: Path) -> None:
    """--role, --mode and --paper narrow the build; A4 files say so in their name."""
    result = CliRunner().invoke(main, ["build", "--content", str(TOY), "--role", "gardener",
                                       "--mode", "print", "--paper", "a4", "--out",
                                       str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["gardener-print-a4.pdf"]


def test_unknown_role_is_a_usage_error(tmp_path: Path) -> None:
    """An unknown --role names the known ones and builds nothing."""
    result = CliRunner().invoke(main, ["build", "--content", str(TOY), "--role", "gardner",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "unknown role id(s): gardner (known: gardener)" in result.output
    assert not (tmp_path / "out").exists()


def test_bad_content_stops_the_build(tmp_path: Path) -> None:
    """Content errors are printed and the build exits 2 without writing anything."""
    bad = tmp_path / "content"
    bad.mkdir()
    result = CliRunner().invoke(main, ["build", "--content", str(bad), "--out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "brand.yaml: file not found" in result.output
    assert not (tmp_path / "out").exists()
