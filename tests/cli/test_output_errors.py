"""Output paths that cannot be written are one sentence and exit 7 — never a traceback:
`--out` naming a file, a read-only folder (a read-only tmpfs mounted by the test), a full
disk (a small tmpfs) while collect spools answers or writes its outputs, `--journal` naming
a folder. The outputs that could be written are kept whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from guidepdf import exitcodes
from guidepdf.cli import main
from tests.distribute.conftest import PEOPLE, write_roster
from tests.faults import fill, tmpfs
from tests.reader.forms import toy_form

TOY = str(Path(__file__).resolve().parents[1] / "data" / "toy_content")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def one_sentence(result: Result, path: Path, happened: str) -> None:
    """Exit 7, and the error is a line naming `path`, what happened and what to do."""
    assert result.exit_code == exitcodes.OUTPUT, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(path))]
    assert len(lines) == 1, result.stderr
    assert happened in lines[0] and " — " in lines[0], lines[0]


@pytest.fixture
def forms(tmp_path: Path, toy_content: object) -> Path:
    folder = tmp_path / "returned"
    folder.mkdir()
    blank = toy_form(toy_content)  # type: ignore[arg-type]
    for i in range(3):
        (folder / f"f{i}.pdf").write_bytes(blank)
    return folder


def test_out_naming_a_file(tmp_path: Path, forms: Path) -> None:
    """--out that is an existing file, for build, read, collect, personalize and an outbox:
    'a file of that name is in the way', exit 7, the file untouched."""
    taken = tmp_path / "taken"
    taken.write_text("mine")
    roster = write_roster(tmp_path / "roster.csv", PEOPLE)
    body = tmp_path / "body.txt"
    body.write_text("Hello $name")
    for args in (["build", "--content", TOY, "--out", str(taken)],
                 ["read", str(forms), "--content", TOY, "--out", str(taken)],
                 ["collect", str(forms), "--content", TOY, "--out", str(taken), "--jobs", "1"],
                 ["personalize", "--roster", str(roster), "--out", str(taken), "--jobs", "1"],
                 ["send", "--roster", str(roster), "--from", "a@example.org", "--subject", "s",
                  "--body", str(body), "--outbox", str(taken)]):
        one_sentence(run(*args), taken, "a file of that name is in the way")
        assert taken.read_text() == "mine"


def test_journal_naming_a_folder(tmp_path: Path) -> None:
    """--journal naming a folder: one sentence saying the journal must be a file, exit 7,
    nothing sent."""
    roster = write_roster(tmp_path / "roster.csv", PEOPLE)
    body = tmp_path / "body.txt"
    body.write_text("Hello $name")
    folder = tmp_path / "journal"
    folder.mkdir()
    result = run("send", "--roster", str(roster), "--from", "a@example.org", "--subject", "s",
                 "--body", str(body), "--smtp", "127.0.0.1:9", "--journal", str(folder))
    one_sentence(result, folder, "the send journal must be a file, but this is a folder")


def test_read_only_output_folder(tmp_path: Path, forms: Path) -> None:
    """A read-only file system (mounted by the test) as --out: every command says so."""
    with tmpfs(tmp_path / "ro", 1024, readonly=True) as ro:
        for args in (["build", "--content", TOY, "--out", str(ro)],
                     ["read", str(forms), "--content", TOY, "--out", str(ro)],
                     ["collect", str(forms), "--content", TOY, "--out", str(ro)]):
            result = run(*args)
            assert result.exit_code == exitcodes.OUTPUT, result.output
            assert "the file system is read-only — choose a folder on a writable disk" in \
                result.stderr, result.stderr
            assert "Traceback" not in result.output


@pytest.mark.parametrize("leave_kb", [0, 24])
def test_collect_on_a_full_disk(tmp_path: Path, forms: Path, leave_kb: int) -> None:
    """A disk full from the start (the answers' spool cannot be written) or filling up
    while the outputs are written: 'the disk is full', exit 7; whatever was written is
    whole, and no temporary file is left."""
    with tmpfs(tmp_path / "small", 2048) as disk:
        fill(disk, leave_kb)
        out = disk / "summary"
        result = run("collect", str(forms), "--content", TOY, "--out", str(out))
        assert result.exit_code == exitcodes.OUTPUT, result.output
        assert "the disk is full — free some space or choose another disk" in result.stderr
        assert "Traceback" not in result.output
        left = sorted(p.name for p in out.iterdir()) if out.exists() else []
        assert not [name for name in left if name.startswith(".")], left
        if "summary.json" in left:
            json.loads((out / "summary.json").read_text(encoding="utf-8"))
        (disk / "filler").unlink()
        again = run("collect", str(forms), "--content", TOY, "--out", str(out))
        assert again.exit_code == 0, again.output
