"""One table of exit codes: the README's rows are guidepdf.exitcodes' rows, and a bug is one
line and exit 70, with its details in a file — not a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from guidepdf import exitcodes
from guidepdf.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_table_is_the_code_table() -> None:
    """Every row of the README's exit code table is a code of exitcodes.TABLE with the same
    meaning, and every code is in the README."""
    section = README.read_text(encoding="utf-8").split("### Exit codes", 1)[1]
    rows = dict(re.findall(r"^\| (\d+) \| ([^|]+?) \|", section, re.MULTILINE))
    assert {int(code): text for code, text in rows.items()} == exitcodes.TABLE
    assert len(set(exitcodes.TABLE)) == len(exitcodes.TABLE)


def test_a_bug_is_one_line_and_exit_70(monkeypatch: pytest.MonkeyPatch,
                                       tmp_path: Path) -> None:
    """An unexpected exception inside a command: one line naming it and the file holding
    the traceback, exit 70."""
    import guidepdf.workspace

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("the bug")

    monkeypatch.setattr(guidepdf.workspace, "choose_content", broken)
    monkeypatch.setattr("guidepdf.cli.choose_content", broken)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.delenv("GUIDEPDF_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == exitcodes.INTERNAL
    assert "Traceback" not in result.output
    line, = result.stderr.splitlines()
    assert line.startswith("guidepdf: internal error (ZeroDivisionError: the bug) — this is "
                           "a bug in guidepdf, please report it; the details are in ")
    details = Path(line.rsplit(" ", 1)[1]).read_text(encoding="utf-8")
    assert "Traceback" in details and "ZeroDivisionError: the bug" in details
