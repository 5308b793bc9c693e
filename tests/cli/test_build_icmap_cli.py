"""`guidepdf build --part icmap` writes the IC map pages on their own, for roles that have one."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from guidepdf.cli import main


def test_build_part_icmap_writes_one_file_per_mapped_role_and_mode(tmp_path: Path) -> None:
    """With no --role it builds the four roles that have an IC map, both modes, named
    <role>-icmap-<mode>[-paper].pdf."""
    result = CliRunner().invoke(main, ["build", "--part", "icmap", "--paper", "a4", "--out",
                                       str(tmp_path)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == sorted(f"{r}-icmap-{m}-a4.pdf" for r in
                           ("coach", "system-central-office", "principal", "external-partner")
                           for m in ("fillable", "print"))
    assert result.stdout.strip().splitlines()[-1] == f"Wrote 8 PDF(s) to {tmp_path}/"


def test_part_icmap_for_a_role_without_a_map_is_a_usage_error(tmp_path: Path) -> None:
    """Asking for the IC map of a role that has none names it and builds nothing."""
    result = CliRunner().invoke(main, ["build", "--part", "icmap", "--role", "teacher",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "no IC map for role(s) teacher" in result.output
    assert not (tmp_path / "out").exists()
