"""`send` shows a line per tenth of the messages as it goes, and Ctrl-C says how many were
sent and how to resume, instead of click's bare "Aborted!"."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from guidepdf.cli import EXIT_INTERRUPTED, main
from tests.distribute.conftest import SmtpServer

SRC = Path(__file__).resolve().parents[2] / "src"
SENDER = "Lakeshore Learning <guides@example.org>"


def args(roster: Path, body: Path, server: SmtpServer) -> list[str]:
    return ["send", "--roster", str(roster), "--from", SENDER, "--subject", "Your guide",
            "--body", str(body), "--smtp", server.hostport]


def test_each_message_moves_the_progress(smtp_server: SmtpServer, roster_file: Path,
                                         body_file: Path) -> None:
    """Five people: five progress lines, each naming what happened to whom."""
    result = CliRunner().invoke(main, args(roster_file, body_file, smtp_server))
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("Sending: ")]
    assert lines == ["Sending: 1/5 (20%) sent ann@example.org",
                     "Sending: 2/5 (40%) sent bo@example.org",
                     "Sending: 3/5 (60%) sent zoe@example.org",
                     "Sending: 4/5 (80%) sent dmitri@example.org",
                     "Sending: 5/5 (100%) sent ana@example.org"]


def test_ctrl_c_says_how_many_were_sent_and_how_to_resume(
        smtp_server: SmtpServer, roster_file: Path, body_file: Path) -> None:
    """SIGINT during the third message: exit 130, a sentence with the counts, the journal
    and the command to run again; no 'Aborted!' and no traceback."""
    handler = smtp_server.handler
    handler.hold_after = 2
    process = subprocess.Popen([sys.executable, "-m", "guidepdf",
                                *args(roster_file, body_file, smtp_server)],
                               env={**os.environ, "PYTHONPATH": str(SRC)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert handler.holding.wait(60), "the send run never reached its third message"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        handler.release.set()
    assert process.returncode == EXIT_INTERRUPTED, err
    journal = roster_file.parent / "sent.jsonl"
    assert (f"Interrupted: 2 message(s) sent in this run, 0 had been sent before, 0 failed, "
            f"0 uncertain, 3 not sent yet. Run the same command again to send the rest: the "
            f"journal ({journal}) skips everyone who has their copy, and lists a message cut "
            "off after it went out as uncertain instead of sending it again.") in err
    assert "Aborted!" not in err and "Traceback" not in err
