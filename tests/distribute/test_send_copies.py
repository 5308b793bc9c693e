"""`send` mails the copies `personalize` wrote — one source of truth for a person's copy:
the bytes on disk go out as they are (prefilled or not), and a copy that is missing, someone
else's or out of date stops the run before anything is sent."""

from __future__ import annotations

import email
import shutil
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from guidepdf import formspec
from guidepdf.cli import main
from tests.distribute.conftest import PEOPLE, SmtpServer, attachment_of, write_roster
from tests.interop.fillers import read_fields

SENDER = "Lakeshore Learning <guides@example.org>"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def send(roster: Path, body: Path, *extra: str) -> Result:
    return run("send", "--roster", str(roster), "--from", SENDER, "--subject",
               "Your guide, $name", "--body", str(body), *extra)


def outbox_attachments(outbox: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(outbox.glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        _, filename, pdf = attachment_of(msg)  # type: ignore[arg-type]
        found[filename] = pdf
    return found


def test_prefilled_copies_from_personalize_are_the_ones_mailed(
        tmp_path: Path, roster_file: Path, body_file: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """personalize --prefill, then send (no options): each attachment is byte for byte the
    file personalize wrote, with the person's name in the name field."""
    monkeypatch.chdir(tmp_path)
    made = run("personalize", "--roster", str(roster_file), "--prefill", "--jobs", "1")
    assert made.exit_code == 0, made.output
    result = send(roster_file, body_file, "--outbox", "outbox")
    assert result.exit_code == 0, result.output
    assert "Copies: personalized/ (as personalize wrote them)" in result.stderr
    sent = outbox_attachments(tmp_path / "outbox")
    assert sorted(sent) == sorted(p.name for p in (tmp_path / "personalized").iterdir())
    for name, pdf in sent.items():
        assert pdf == (tmp_path / "personalized" / name).read_bytes()
    ann = next(v for k, v in sent.items() if k.endswith("-p1.pdf"))
    assert read_fields(ann)[formspec.respondent_field("coach", "name")].raw_value == "Ann Lee"


def test_bad_copies_stop_the_run_and_are_each_named(
        tmp_path: Path, roster_file: Path, body_file: Path, smtp_server: SmtpServer) -> None:
    """A missing copy, a copy for someone else and a copy made before the roster changed a
    group are each listed; nothing is sent and the run exits 2."""
    copies = tmp_path / "copies"
    assert run("personalize", "--roster", str(roster_file), "--out", str(copies),
               "--jobs", "1").exit_code == 0
    files = {p.name.rsplit("-", 1)[-1]: p for p in copies.iterdir()}  # "p1.pdf" -> path
    files["p2.pdf"].unlink()
    shutil.copyfile(files["p4.pdf"], files["p1.pdf"])  # p1's name now holds p4's copy
    rows = [list(row) for row in PEOPLE]
    rows[2][4] = "Harbor High"  # p3 moved school since personalize ran
    renamed = write_roster(tmp_path / "renamed.csv", rows)
    result = send(renamed, body_file, "--copies", str(copies), "--smtp", smtp_server.hostport)
    assert result.exit_code == 2, result.output
    assert f"{files['p1.pdf']}: made for someone else (id 'p4') (Ann Lee, roster line 2)" \
        in result.stderr
    assert f"{files['p2.pdf']}: no such copy (Bo Chen, roster line 3)" in result.stderr
    assert "made before the roster changed this person's name, email or group" in result.stderr
    assert "3 of 5 copies in" in result.stderr and "nothing was sent" in result.stderr
    assert f"run guidepdf personalize --roster {renamed} --out {copies} again" in result.stderr
    assert smtp_server.handler.received == []


def test_typed_options_that_disagree_with_the_copies_are_refused(
        tmp_path: Path, roster_file: Path, body_file: Path) -> None:
    """--prefill or --paper a4 with copies that are neither is a usage error, not a
    silent surprise."""
    copies = tmp_path / "copies"
    assert run("personalize", "--roster", str(roster_file), "--out", str(copies),
               "--jobs", "1").exit_code == 0
    result = send(roster_file, body_file, "--copies", str(copies), "--prefill",
                  "--outbox", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "are not prefilled; run personalize again" in result.output
    result = send(roster_file, body_file, "--copies", str(copies), "--paper", "a4",
                  "--outbox", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "are on letter paper" in result.output
    assert not (tmp_path / "o").exists()


def test_a_copy_sent_by_send_itself_counts_when_the_folder_copy_is_sent(
        tmp_path: Path, roster_file: Path, body_file: Path, smtp_server: SmtpServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The journal knows a person's copy by what it says: send's own copy and the same copy
    from personalize's folder are one copy, so nobody is mailed twice."""
    monkeypatch.chdir(tmp_path)
    first = send(roster_file, body_file, "--prefill", "--smtp", smtp_server.hostport)
    assert first.exit_code == 0, first.output
    assert "Copies: made by send itself" in first.stderr
    assert run("personalize", "--roster", str(roster_file), "--prefill",
               "--jobs", "1").exit_code == 0
    again = send(roster_file, body_file, "--smtp", smtp_server.hostport)
    assert again.exit_code == 0, again.output
    assert again.stdout.strip().splitlines()[-1].startswith(
        "sent 0, skipped 5 (already sent), failed 0")
    assert len(smtp_server.handler.received) == 5
