"""Two runs into one output folder: the second is refused clearly (exit 9, the first's pid
named) and the first's temporary files are left alone; the lock goes with the process, even
SIGKILLed. A collect killed while writing never leaves a mixed set: the folder holds the
old set or the new one, and complete.json lists the set that is whole. The outbox's
temporary files from a killed run are removed by the next."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from guidepdf import exitcodes
from guidepdf.cli import main
from guidepdf.folderlock import LOCK
from tests.distribute.conftest import PEOPLE, write_roster
from tests.reader.forms import toy_form

ROOT = Path(__file__).resolve().parents[2]
TOY = str(ROOT / "tests" / "data" / "toy_content")
OUTPUTS = ["answers.pdf", "complete.json", "ic_levels.csv", "rejected.csv", "responses.csv",
           "responses.xlsx", "summary.json", "summary.pdf"]


@pytest.fixture
def forms(tmp_path: Path, toy_content: object) -> Path:
    folder = tmp_path / "returned"
    folder.mkdir()
    blank = toy_form(toy_content)  # type: ignore[arg-type]
    for i in range(3):
        (folder / f"f{i}.pdf").write_bytes(blank)
    return folder


def start_stuck_collect(tmp_path: Path, forms: Path, out: Path, stuck: str) -> subprocess.Popen:
    """A collect run in a subprocess whose `stuck` step ("read" or "pdf") hangs once it has
    begun; returns when it has (the file `stuck.flag` appears)."""
    flag = tmp_path / "stuck.flag"
    patch = {"read": "import guidepdf.read.readpool as m; m.read_one = hang",
             "pdf": "import guidepdf.report.summary_pdf as m; m.build_summary_pdf = hang"}[stuck]
    script = textwrap.dedent(f"""
        import time, pathlib
        def hang(*args, **kwargs):
            pathlib.Path({str(flag)!r}).touch()
            time.sleep(3600)
        {patch}
        import guidepdf.cli
        guidepdf.cli.main(["collect", {str(forms)!r}, "--out", {str(out)!r},
                           "--content", {TOY!r}, "--jobs", "2"])
        """)
    process = subprocess.Popen([sys.executable, "-c", script],
                               env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while not flag.exists():
        assert process.poll() is None and time.monotonic() < deadline, "never got stuck"
        time.sleep(0.05)
    return process


def kill(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)


def collect(forms: Path, out: Path) -> object:
    return CliRunner().invoke(main, ["collect", str(forms), "--out", str(out), "--content",
                                     TOY, "--jobs", "1"])


def test_a_second_collect_is_refused_while_the_first_runs(tmp_path: Path,
                                                         forms: Path) -> None:
    """While a collect reads, a second one into the same --out exits 9 naming the first's
    pid and removes none of its files; once the first is SIGKILLed, the next run goes
    ahead and cleans up what the killed one left."""
    out = tmp_path / "summary"
    first = start_stuck_collect(tmp_path, forms, out, "read")
    try:
        before = sorted(p.name for p in out.iterdir())
        assert LOCK in before
        second = collect(forms, out)
        assert second.exit_code == exitcodes.BUSY, second.output
        line = second.stderr.strip().splitlines()[-1]
        assert re.fullmatch(
            re.escape(f"{out}: another guidepdf run is writing into this folder (guidepdf "
                      f"collect, pid {first.pid}, since ") + r"[-0-9]{10} [:0-9]{8}" +
            re.escape(") — wait for it to finish, or choose another output folder"), line)
        assert sorted(p.name for p in out.iterdir()) == before
    finally:
        kill(first)
    third = collect(forms, out)
    assert third.exit_code == 0, third.output
    assert sorted(p.name for p in out.iterdir()) == OUTPUTS


def test_collect_killed_while_writing_leaves_the_old_set_whole(tmp_path: Path,
                                                              forms: Path,
                                                              toy_content: object) -> None:
    """A collect SIGKILLed while it writes the outputs (summary.pdf hangs, the others are
    done) leaves the previous run's set as it was: complete.json still lists every file
    with its digest, and nothing new is visible."""
    out = tmp_path / "summary"
    assert collect(forms, out).exit_code == 0
    old = {p.name: p.read_bytes() for p in out.iterdir()}
    (forms / "f3.pdf").write_bytes(toy_form(toy_content))  # type: ignore[arg-type]
    run = start_stuck_collect(tmp_path, forms, out, "pdf")
    time.sleep(1.0)  # the other outputs are written meanwhile
    kill(run)
    now = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}
    assert now == old
    listed = json.loads(now["complete.json"])["files"]
    assert sorted(listed) == [n for n in OUTPUTS if n != "complete.json"]
    for name, digest in listed.items():
        assert hashlib.sha256(now[name]).hexdigest() == digest
    again = collect(forms, out)
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in out.iterdir()) == OUTPUTS  # the killed run's work is gone
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["totals"][
        "files"] == 4


def test_outbox_temporary_files_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    """A `.NAME.eml.*.tmp` left by a killed outbox run is removed by the next run, which
    writes every message."""
    roster = write_roster(tmp_path / "roster.csv", PEOPLE)
    body = tmp_path / "body.txt"
    body.write_text("Hello $name", encoding="utf-8")
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    leftover = outbox / ".coach-ann-lee-p1.eml.k3j2h1.tmp"
    leftover.write_bytes(b"half a message")
    result = CliRunner().invoke(main, ["send", "--roster", str(roster), "--from",
                                       "a@example.org", "--subject", "s", "--body", str(body),
                                       "--outbox", str(outbox)])
    assert result.exit_code == 0, result.output
    assert not leftover.exists()
    assert len(list(outbox.glob("*.eml"))) == len(PEOPLE)
    assert not list(outbox.glob(".*"))
