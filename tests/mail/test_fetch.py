"""`guidepdf fetch` against a real Dovecot: saves each PDF once under a safe name, leaves
the server untouched, resumes after a kill or a dropped connection, and ends each kind
of failure with one sentence and its own exit code."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from imapclient import IMAPClient

from guidepdf.cli import main
from guidepdf.mail.imap import ImapSettings, connect
from guidepdf.mail.journal import JOURNAL_NAME, FetchJournal
from tests.mail import messages as m
from tests.mail.conftest import PASSWORD_VAR, Account
from tests.mail.dovecot import PASSWORD
from tests.mail.proxy import CuttingProxy

WHEN = datetime(2026, 10, 6, 9, 30, tzinfo=UTC)


def pdf(n: int, size: int = 3000) -> bytes:
    return b"%PDF-1.7\n%" + str(n).encode() * (size // len(str(n))) + b"\n%%EOF\n"


def replies(count: int, start: int = 0) -> list[bytes]:
    return [m.gmail(f"Person {i}", f"p{i}@example.org", "pl@district.test",
                    WHEN + timedelta(minutes=i), f"Re: guide {i}", [("guide.pdf", pdf(i))])
            for i in range(start, start + count)]


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def pdf_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.pdf"))}


def test_fetch_saves_each_pdf_under_sender_and_date_and_a_rerun_fetches_nothing(
        account: Account, tmp_path: Path) -> None:
    """Every PDF lands once, named date_sender.pdf, the journal says where it came from,
    and a second run finds nothing new."""
    late = m.no_attachment("Late", "late@example.org", "pl@x", WHEN, "Re: guide")
    account.deliver([*replies(5), late])
    out = tmp_path / "returned"
    code, text = run(["fetch", *account.args(), "--out", str(out)])
    assert code == 0, text
    files = pdf_files(out)
    assert sorted(files.values()) == sorted(pdf(i) for i in range(5))
    assert "2026-10-06_0930_p0-example-org.pdf" in files
    assert "Fetched 5 new PDF(s) from 6 new message(s)" in text
    assert "1 message(s) without a PDF" in text
    origins = FetchJournal.load(out).origins()
    assert origins["2026-10-06_0931_p1-example-org.pdf"].sender == "p1@example.org"
    assert origins["2026-10-06_0931_p1-example-org.pdf"].subject == "Re: guide 1"
    code, text = run(["fetch", *account.args(), "--out", str(out)])
    assert code == 0 and "Fetched 0 new PDF(s) from 0 new message(s)" in text
    assert "6 message(s) fetched before" in text and pdf_files(out) == files
    account.deliver(replies(2, start=5))
    code, text = run(["fetch", *account.args(), "--out", str(out)])
    assert "Fetched 2 new PDF(s) from 2 new message(s)" in text
    assert len(pdf_files(out)) == 7


def test_the_journal_a_fetch_loads_holds_its_indexes_not_its_history(tmp_path: Path) -> None:
    """fetch loads the journal without its entries (a folder fetched into for a year holds
    tens of thousands): it still knows every done UID, digest and name."""
    from guidepdf.mail.origin import Origin

    box = "imap://u@h/INBOX"
    with FetchJournal.load(tmp_path) as journal:
        for uid in range(1, 4):
            origin = Origin(sender=f"p{uid}@example.org", uid=uid, message_id=f"<{uid}@x>")
            (tmp_path / f"f{uid}.pdf").write_bytes(pdf(uid))
            journal.record_part(box, 7, origin, "2", f"sha256:{uid}", f"f{uid}.pdf",
                                len(pdf(uid)))
            journal.record_message(box, 7, origin, [f"f{uid}.pdf"], [])
    light = FetchJournal.load(tmp_path, keep_entries=False)
    full = FetchJournal.load(tmp_path)
    assert light.done_uids(box, 7) == full.done_uids(box, 7) == {1, 2, 3}
    assert light.by_digest == full.by_digest and light.taken == full.taken == {
        "f1.pdf", "f2.pdf", "f3.pdf"}
    assert len(full.messages()) == 3 and light._entries == []
    with pytest.raises(RuntimeError):
        light.messages()


def test_fetch_changes_nothing_on_the_server(account: Account, tmp_path: Path) -> None:
    """After a fetch no message is marked seen and none is gone (EXAMINE + BODY.PEEK)."""
    account.deliver(replies(3))
    assert run(["fetch", *account.args(), "--out", str(tmp_path / "r")])[0] == 0
    client = IMAPClient("127.0.0.1", account.server.imaps_port,
                        ssl_context=__import__("ssl").create_default_context(
                            cafile=str(account.server.cert)))
    client.login(account.user, PASSWORD)
    client.select_folder("INBOX", readonly=True)
    flags = client.get_flags(client.search(["ALL"]))
    client.logout()
    assert len(flags) == 3 and all(b"\\Seen" not in f for f in flags.values())


def test_same_attachment_sent_twice_is_stored_once(account: Account, tmp_path: Path) -> None:
    """Two messages carrying identical bytes give one file; the second message points at
    it in the journal."""
    same = pdf(42)
    account.deliver([m.gmail("A", "a@example.org", "pl@x", WHEN, "guide", [("g.pdf", same)]),
                     m.outlook("A", "a@example.org", "pl@x", WHEN + timedelta(days=1),
                               "guide again", [("g.pdf", same)])])
    out = tmp_path / "r"
    code, text = run(["fetch", *account.args(), "--out", str(out)])
    assert code == 0 and list(pdf_files(out).values()) == [same]
    assert "1 attachment(s) already saved, not stored again" in text
    entries = FetchJournal.load(out).messages()
    assert [e.files for e in entries] == [entries[0].files] * 2


def test_a_20_mb_attachment_arrives_whole(account: Account, tmp_path: Path) -> None:
    """A 20 MB PDF attachment is fetched byte for byte."""
    big = b"%PDF-1.7\n%" + os.urandom(20 * 1024 * 1024) + b"\n%%EOF\n"
    account.deliver([m.outlook("Big", "big@example.org", "pl@x", WHEN, "scan", [("s.pdf", big)])])
    out = tmp_path / "r"
    assert run(["fetch", *account.args(), "--out", str(out)])[0] == 0
    assert list(pdf_files(out).values()) == [big]


def test_wrong_password_ends_with_one_line_and_exit_code_3(
        account: Account, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A refused password: one sentence naming the user, exit 3, nothing written."""
    monkeypatch.setenv(PASSWORD_VAR, "wrong")
    code, text = run(["fetch", *account.args(), "--out", str(tmp_path / "r")])
    assert code == 3
    assert f"{account.user} on 127.0.0.1: the server refused the login" in text
    assert "check the user name or password" in text and "Traceback" not in text
    assert not list((tmp_path / "r").glob("*.pdf"))


def test_missing_folder_lists_the_folders_there_and_exits_4(account: Account,
                                                             tmp_path: Path) -> None:
    """--folder naming no folder: the message lists the folders that exist; exit 4."""
    code, text = run(["fetch", *account.args(), "--folder", "Replies", "--out",
                      str(tmp_path / "r")])
    assert code == 4 and "there is no folder 'Replies'" in text and "INBOX" in text


def test_untrusted_certificate_exits_5_and_insecure_is_only_on_request(
        account: Account, tmp_path: Path) -> None:
    """Without the test CA the self-signed certificate is refused (exit 5); --insecure
    skips the check when asked."""
    args = [a for a in account.args() if a not in ("--cafile", str(account.server.cert))]
    code, text = run(["fetch", *args, "--out", str(tmp_path / "r")])
    assert code == 5 and "certificate could not be verified" in text
    code, text = run(["fetch", *args, "--insecure", "--out", str(tmp_path / "r")])
    assert code == 0, text


def test_starttls_on_the_plain_port(account: Account, tmp_path: Path) -> None:
    """--starttls connects in plain text and upgrades before logging in."""
    account.deliver(replies(1))
    code, text = run(["fetch", *account.args(port=account.server.imap_port), "--starttls",
                      "--out", str(tmp_path / "r")])
    assert code == 0 and "Fetched 1 new PDF(s)" in text, text
    code, text = run(["fetch", *account.args(port=account.server.imap_port),
                      "--out", str(tmp_path / "r2")])
    assert code == 5 and "secure connection failed" in text


def test_nothing_listening_exits_6(account: Account, tmp_path: Path) -> None:
    """A port nobody listens on: 'cannot connect', exit 6."""
    from tests.mail.dovecot import free_port
    code, text = run(["fetch", *account.args(port=free_port()), "--out", str(tmp_path / "r")])
    assert code == 6 and "cannot connect" in text


def test_connection_dropped_mid_fetch_keeps_what_came_and_the_rerun_finishes(
        account: Account, tmp_path: Path) -> None:
    """A connection cut in the middle of the attachments: exit 6 with 'run the same
    command again'; the rerun fetches the rest and every PDF is there exactly once."""
    account.deliver(replies(40, start=100))
    out = tmp_path / "r"
    import guidepdf.mail.fetch as fetch_module
    small = 20_000  # a few messages per FETCH, so the cut falls between two of them
    original = fetch_module.PART_BYTES
    fetch_module.PART_BYTES = small
    proxy = CuttingProxy(account.server.imaps_port, cut_after=80_000)
    try:
        code, text = run(["fetch", *account.args(port=proxy.port), "--out", str(out)])
    finally:
        proxy.close()
        fetch_module.PART_BYTES = original
    assert code == 6 and "the connection was lost" in text and "run the same command" in text
    assert proxy.cuts == 1
    first = pdf_files(out)
    assert 0 < len(first) < 40
    code, text = run(["fetch", *account.args(), "--out", str(out)])
    assert code == 0, text
    assert sorted(pdf_files(out).values()) == sorted(pdf(i) for i in range(100, 140))


def test_fetch_killed_mid_run_then_rerun_has_every_attachment_exactly_once(
        account: Account, tmp_path: Path) -> None:
    """SIGKILL during a fetch of 300 messages, then a rerun: every PDF exactly once, every
    message journaled exactly once."""
    account.deliver(replies(300, start=1000))
    out = tmp_path / "r"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "guidepdf", "fetch", *account.args(),
                             "--out", str(out)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    journal = out / JOURNAL_NAME
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and journal.read_bytes().count(b"\n") >= 60:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the fetch finished before it was killed"
    done_before = sum(1 for line in journal.read_bytes().splitlines()
                      if b'"t": "message"' in line)
    assert 0 < done_before < 300
    code, text = run(["fetch", *account.args(), "--out", str(out)])
    assert code == 0, text
    assert f"{done_before} message(s) fetched before" in text
    assert sorted(pdf_files(out).values()) == sorted(pdf(i) for i in range(1000, 1300))
    uids = [json.loads(line)["uid"] for line in journal.read_bytes().splitlines()
            if b'"t": "message"' in line]
    assert sorted(uids) == sorted(set(uids)) and len(uids) == 300
    assert not list(out.glob(".*.tmp"))


def test_a_journaled_file_that_went_missing_is_fetched_again(account: Account,
                                                             tmp_path: Path) -> None:
    """A file the journal names but the disk lost (a power cut before it was flushed, or
    deleted by hand) makes its message count as not fetched: the rerun brings it back."""
    account.deliver(replies(3, start=500))
    out = tmp_path / "r"
    assert run(["fetch", *account.args(), "--out", str(out)])[0] == 0
    lost = sorted(out.glob("*.pdf"))[1]
    lost.write_bytes(lost.read_bytes()[:100])  # truncated, as after a power cut
    code, text = run(["fetch", *account.args(), "--out", str(out)])
    assert code == 0 and "Fetched 1 new PDF(s) from 1 new message(s)" in text, text
    assert sorted(pdf_files(out).values()) == sorted(pdf(i) for i in range(500, 503))


def test_since_fetches_only_what_arrived_from_that_day(account: Account,
                                                       tmp_path: Path) -> None:
    """--since YYYY-MM-DD leaves out messages that arrived before that day."""
    account.deliver(replies(2, start=700))
    old = sorted((account.server.mailbox_dir(account.user) / "new").iterdir())[0]
    stamp = datetime(2025, 5, 1, tzinfo=UTC).timestamp()
    os.utime(old, (stamp, stamp))  # Maildir: the file's time is the arrival date
    code, text = run(["fetch", *account.args(), "--since", "2026-01-01",
                      "--out", str(tmp_path / "r")])
    assert code == 0 and "Fetched 1 new PDF(s) from 1 new message(s)" in text, text
    assert list(pdf_files(tmp_path / "r").values()) == [pdf(701)]


def test_an_output_folder_that_cannot_be_made_is_one_sentence_and_exit_7(
        account: Account, tmp_path: Path) -> None:
    """--out below a file: `path: what happened — what to do`, exit 7, no traceback."""
    (tmp_path / "afile").write_text("x")
    code, text = run(["fetch", *account.args(), "--out", str(tmp_path / "afile" / "r")])
    assert code == 7 and "afile" in text and " — " in text and "Traceback" not in text


def test_imaplib_is_kept_quiet_unless_its_debug_log_is_asked_for(
        account: Account, caplog: pytest.LogCaptureFixture) -> None:
    """connect() turns off imaplib's debug formatting (40% of a fetch's CPU) through
    imapclient's private `_imap`; if an imapclient release renames it, this fails rather
    than fetch silently slowing down. With imapclient's debug log on, the traffic stays."""
    settings = ImapSettings("127.0.0.1", account.server.imaps_port, account.user,
                            password=PASSWORD, cafile=str(account.server.cert))
    client = connect(settings)
    try:
        assert client._imap.debug == 0
    finally:
        client.logout()
    with caplog.at_level(logging.DEBUG, logger="imapclient.imaplib"):
        client = connect(settings)
        try:
            assert client._imap.debug > 0
        finally:
            client.logout()
