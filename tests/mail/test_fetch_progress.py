"""`guidepdf fetch`'s progress, run as a user runs it (a subprocess against the Dovecot
fixture): on a terminal (a pseudo-terminal here) click's bar redrawn in place with
carriage returns, then the final line; in a pipe or a log, plain lines at every tenth and
no terminal control codes at all."""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.mail.conftest import Account
from tests.mail.test_fetch import replies

COUNT = 30
FINAL = f"Fetched {COUNT} new PDF(s) from {COUNT} new message(s)"


def command(account: Account, out: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    env.pop("COLUMNS", None)
    return ([sys.executable, "-m", "guidepdf", "fetch", *account.args(), "--out", str(out)],
            env)


def run_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run with stdin, stdout and stderr on one pseudo-terminal 100 columns wide; what
    the terminal received, raw."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    proc = subprocess.Popen(args, env=env, stdin=slave, stdout=slave, stderr=slave,
                            close_fds=True)
    os.close(slave)
    received = bytearray()
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed its side of the terminal
                break
            if not chunk:
                break
            received += chunk
    finally:
        os.close(master)
        code = proc.wait(timeout=30)
    return code, received.decode(errors="replace")


def test_on_a_terminal_the_bar_is_redrawn_in_place_and_the_final_line_follows(
        account: Account, tmp_path: Path) -> None:
    """The bar is redrawn after a carriage return as each message arrives, its count
    rising to 30/30, the cursor hidden while it runs; then the final line, on its own."""
    account.deliver(replies(COUNT, start=2000))
    args, env = command(account, tmp_path / "r")
    code, screen = run_on_a_terminal(args, env)
    assert code == 0, screen
    lines = screen.split("\r\n")  # the terminal turns each newline into CR LF
    assert lines[-1] == "" and lines[-2].startswith(FINAL), repr(screen[-300:])
    frames = lines[-3].split("\r")  # the bar: everything before the final line
    assert frames[0] == "" and len(frames) > 3, repr(screen)
    counts = [int(re.search(r"\]  (\d+)/30", frame).group(1)) for frame in frames[1:]]
    assert counts == sorted(counts) and counts[-1] == COUNT, repr(screen)
    assert all(f.startswith("\x1b[?25lFetching messages  [") for f in frames[1:])
    assert frames[-1].endswith("]  30/30\x1b[?25h")  # full, and the cursor shown again
    assert "Fetching messages:" not in screen  # not the line style
    assert len(list((tmp_path / "r").glob("*.pdf"))) == COUNT


def test_without_a_terminal_lines_and_no_control_codes(account: Account,
                                                       tmp_path: Path) -> None:
    """Piped: 'Fetching messages: n/30 (p%)' lines at every tenth, the final line, and no
    carriage return or escape sequence anywhere."""
    account.deliver(replies(COUNT, start=3000))
    args, env = command(account, tmp_path / "r")
    done = subprocess.run(args, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    out, err = done.stdout.decode(), done.stderr.decode()
    for text in (out, err):
        assert "\r" not in text and "\x1b" not in text, repr(text)
    lines = err.splitlines()
    assert lines[0] == f"Fetching messages: 1/{COUNT} (3%)"
    assert lines[-1] == f"Fetching messages: {COUNT}/{COUNT} (100%)"
    assert len(lines) == 11
    assert out.splitlines()[-1].startswith(FINAL)
