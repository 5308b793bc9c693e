"""Killed midway, collect and personalize leave no half-written output, a rerun completes,
and collect never touches the returned files."""

from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest

from guidepdf import formspec
from guidepdf.content import load_content
from tests import guides

pytestmark = pytest.mark.slow


def _run_and_kill(args: list[str], after: float, until: Path | None = None) -> None:
    """Start a command, kill it `after` seconds, or as soon as `until` holds 10 files."""
    proc = subprocess.Popen([sys.executable, "-m", "guidepdf", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + after
    while time.monotonic() < deadline and proc.poll() is None:
        if until is not None and until.is_dir() and len(list(until.iterdir())) >= 10:
            break
        time.sleep(0.02)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)  # the command and its reading workers
    proc.wait()


def _finals(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith("."))


def _digest(folder: Path) -> dict[str, tuple[str, float]]:
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_collect_killed_then_rerun(tmp_path: Path) -> None:
    """Whatever collect had written when killed is whole; the rerun writes every output and
    the returned folder is byte-for-byte and time-for-time as it was."""
    content = load_content()
    role = content.role("teacher")
    blank = guides.built("teacher")
    returned = tmp_path / "returned"
    returned.mkdir()
    name = formspec.answer_field("teacher", role.questions[0].id, "reflections")
    for i in range(120):
        with pikepdf.open(io.BytesIO(blank)) as pdf:
            for f in pdf.Root.AcroForm.Fields:
                if str(f.get("/T", "")) == name:
                    f.V = pikepdf.String(f"answer {i}")
            pdf.save(returned / f"form-{i:03d}.pdf")
    before = _digest(returned)
    out = tmp_path / "out"
    for after in (0.8, 2.5, 4.0):  # kill while reading, and again later
        _run_and_kill(["collect", str(returned), "--out", str(out)], after)
        if out.exists():
            for path in _finals(out):
                if path.suffix == ".json":
                    json.loads(path.read_text(encoding="utf-8"))  # complete, parses
                if path.suffix == ".pdf":
                    pikepdf.open(path).close()
    done = subprocess.run([sys.executable, "-m", "guidepdf", "collect", str(returned),
                           "--out", str(out)], capture_output=True, text=True, check=True)
    assert "Collected 120 form(s)" in done.stdout
    assert [p.name for p in _finals(out)] == sorted(
        ["summary.json", "responses.csv", "ic_levels.csv", "responses.xlsx", "rejected.csv",
         "summary.pdf", "answers.pdf", "complete.json"])
    assert not list(out.glob(".*")), "stale temporary files and work folders are cleaned up"
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert _digest(returned) == before


def test_personalize_killed_then_rerun(tmp_path: Path) -> None:
    """A killed personalize leaves only whole PDFs; the rerun writes all of them."""
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email,role\n" + "".join(
        f"{i},Person {i},p{i}@example.org,{'coach' if i % 2 else 'teacher'}\n"
        for i in range(300)), encoding="utf-8")
    out = tmp_path / "copies"
    _run_and_kill(["personalize", "--roster", str(roster), "--out", str(out)], 60, until=out)
    partial = _finals(out) if out.exists() else []
    assert 0 < len(partial) < 300, "the kill must land midway"
    for path in partial:
        pikepdf.open(path).close()  # every file with a final name is a whole PDF
    subprocess.run([sys.executable, "-m", "guidepdf", "personalize", "--roster", str(roster),
                    "--out", str(out)], capture_output=True, check=True)
    assert len(_finals(out)) == 300
    assert not list(out.glob(".*.tmp"))
