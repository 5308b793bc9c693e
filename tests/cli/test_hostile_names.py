"""Hostile names and links: a returned folder's links out of it are not followed (unless
--follow-links), named pipes, devices, sockets and dangling links are never opened and are
listed as ignored with the reason, no byte of a non-PDF is quoted anywhere, file names
reach the terminal escaped, and roster names that look like RFC 2047 encoded words or are
long and non-ASCII come out in To: as exactly the text on the roster."""

from __future__ import annotations

import email
import json
import os
import socket
import stat
import threading
from email.header import decode_header, make_header
from email.utils import getaddresses
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from guidepdf.cli import main
from guidepdf.read.readmany import OUTSIDE, scan
from tests.distribute.conftest import write_roster
from tests.reader.forms import toy_form

TOY = str(Path(__file__).resolve().parents[1] / "data" / "toy_content")
SECRET = b"root:x:0:0:root:/root:/bin/bash\n"


def run(*args: str, timeout: float = 120) -> Result:
    """The CLI, failing the test instead of hanging if something opens a FIFO."""
    box: list[Result] = []
    thread = threading.Thread(target=lambda: box.append(CliRunner().invoke(main,
                                                                           list(args))),
                              daemon=True)
    thread.start()
    thread.join(timeout)
    assert box, "the command hung (did it open a named pipe?)"
    return box[0]


@pytest.fixture
def hostile(tmp_path: Path, toy_content: object) -> Path:
    """A returned folder with one real form and every kind of entry that is not one."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_bytes(SECRET)
    folder = tmp_path / "returned"
    (folder / "sub").mkdir(parents=True)
    (folder / "form.pdf").write_bytes(toy_form(toy_content))  # type: ignore[arg-type]
    (folder / "passwd.pdf").symlink_to(outside / "passwd")
    (folder / "outside-folder").symlink_to(outside)
    (folder / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    (folder / "sub" / "loop").symlink_to(folder)
    os.mkfifo(folder / "pipe.pdf")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(folder / "sock.pdf"))
    listener.close()
    return folder


def test_scan_reads_only_regular_files_inside(hostile: Path) -> None:
    """scan(): the form is found; the link out, the dangling link, the pipe, the socket
    and the link back up are ignored, each with its reason; nothing is opened."""
    found = scan([hostile])
    assert [p.name for p in found.pdfs] == ["form.pdf"]
    reasons = {p.relative_to(hostile).as_posix(): str(why) for p, why in found.ignored}
    assert reasons == {
        "gone.pdf": "a link to nothing (its target is gone)",
        "outside-folder": str(OUTSIDE),
        "passwd.pdf": str(OUTSIDE),
        "pipe.pdf": "a named pipe (FIFO), not a file",
        "sock.pdf": "a socket, not a file",
        "sub/loop": "a link to a folder already read",
    }


def test_collect_ignores_them_with_reasons_and_quotes_nothing(hostile: Path) -> None:
    """collect reads the one form, lists each ignored entry with its reason on the terminal,
    in summary.json and on the status rows, and no output holds the linked file's bytes."""
    out = hostile.parent / "summary"
    result = run("collect", str(hostile), "--out", str(out), "--content", TOY, "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "ignored   pipe.pdf: a named pipe (FIFO), not a file" in result.stdout
    assert f"ignored   passwd.pdf: {OUTSIDE}" in result.stdout
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["totals"]["responses"] == 1
    assert f"passwd.pdf — {OUTSIDE}" in summary["ignored"]
    for path in out.iterdir():
        assert b"root:x" not in path.read_bytes(), path.name
    assert "root:x" not in result.output


def test_follow_links_reads_the_link_but_never_quotes_a_non_pdf(hostile: Path) -> None:
    """With --follow-links the link out is read: rejected as 'not a PDF (a text file…)',
    its bytes quoted nowhere; pipes and sockets are still not opened."""
    out = hostile.parent / "summary"
    result = run("collect", str(hostile), "--out", str(out), "--content", TOY, "--jobs", "1",
                 "--follow-links")
    assert result.exit_code == 1, result.output
    assert "rejected  passwd.pdf: not a PDF (a text file; it does not start with %PDF-)" in \
        result.stdout
    assert "ignored   pipe.pdf" in result.stdout
    for path in out.iterdir():
        assert b"root:x" not in path.read_bytes(), path.name
    assert "root:x" not in result.output


def test_read_prints_names_escaped(tmp_path: Path) -> None:
    """A file name with an OSC title sequence, a bell and a newline is printed escaped: no
    raw ESC, BEL or extra line reaches the terminal."""
    folder = tmp_path / "returned"
    folder.mkdir()
    name = "evil\x1b]0;pwned\x07\nok        fake.pdf"
    (folder / name).write_bytes(b"not a pdf")
    (folder / f"{name}.pdf").write_bytes(b"not a pdf either")
    result = run("read", str(folder), "--content", TOY, "--out", str(tmp_path / "plans"))
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert not any(line.startswith("ok        fake") for line in result.output.splitlines())
    assert "evil\\x1b]0;pwned\\x07\\nok        fake.pdf.pdf: not a PDF" in result.stdout


def test_device_is_not_opened(tmp_path: Path) -> None:
    """A character device in the folder (made by the test where it may) is ignored."""
    folder = tmp_path / "returned"
    folder.mkdir()
    try:
        os.mknod(folder / "zero.pdf", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    found = scan([folder])
    assert [(p, why.code, str(why)) for p, why in found.ignored] == [
        (folder / "zero.pdf", "device", "a device, not a file")]


@pytest.mark.parametrize("name", [
    "=?utf-8?q?evil=40x=2Eorg?=",
    ("Zoë Ångström-Łukasiewicz " * 8)[:200].strip(),
])
def test_hostile_roster_names_come_out_literal_in_to(tmp_path: Path, name: str) -> None:
    """A roster name that is itself an encoded word reaches To: as that literal text (not
    as an address), and a 200-character non-ASCII name folds into lines of at most 78
    characters with no empty encoded word; both decode (RFC 2047) to the roster's text."""
    roster = write_roster(tmp_path / "roster.csv",
                          [("p1", name, "ann@example.org", "coach", "Lincoln")])
    body = tmp_path / "body.txt"
    body.write_text("Hello $name", encoding="utf-8")
    outbox = tmp_path / "outbox"
    result = run("send", "--roster", str(roster), "--from", "guides@example.org",
                 "--subject", "Your guide, $name", "--body", str(body), "--outbox",
                 str(outbox))
    assert result.exit_code == 0, result.output
    raw = next(outbox.glob("*.eml")).read_bytes()
    headers = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert all(len(line) <= 78 for line in headers.split("\r\n"))
    assert "?==?" not in headers and "=?utf-8?b??=" not in headers.lower() and \
        "=?utf-8?q??=" not in headers.lower()
    message = email.message_from_bytes(raw)  # compat32: the header as it was sent
    value = message["To"]
    assert str(make_header(decode_header(value))) == f"{name} <ann@example.org>"
    assert [addr for _, addr in getaddresses([value])] == ["ann@example.org"]
    assert str(make_header(decode_header(message["Subject"]))) == f"Your guide, {name}"
