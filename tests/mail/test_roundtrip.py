"""The done-means of mail collection: 300 replies from 250 people fetched from Dovecot and
collected give the summary that collecting the hand-saved attachments gives, plus each
form's mail origin; a rerun fetches nothing; .eml and .mbox folders read directly agree."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from guidepdf import formspec
from guidepdf.cli import main
from guidepdf.report.summary_json import schema
from tests.mail.conftest import PASSWORD_VAR, Account
from tests.mail.corpus import Corpus
from tests.mail.dovecot import PASSWORD

pytestmark = pytest.mark.slow


def collect(folder: Path, roster: Path, out: Path, *extra: str) -> dict[str, Any]:
    result = CliRunner(env={PASSWORD_VAR: PASSWORD}).invoke(
        main, ["collect", str(folder), "--roster", str(roster), "--out", str(out),
               "--jobs", "2", *extra])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1), result.output
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema())
    return data


def comparable(data: dict[str, Any]) -> dict[str, Any]:
    """What must not depend on how the forms arrived: the answers and who gave them, who
    is missing, who sent more than one — without file names, origins and mail counts."""
    responses = sorted(json.dumps({k: v for k, v in r.items()
                                   if k not in ("source", "origin", "came_from")},
                                  sort_keys=True) for r in data["responses"])
    totals = {k: data["totals"][k] for k in ("read", "duplicates", "responses", "expected",
                                             "returned", "missing", "not_on_roster")}
    return {"responses": responses, "totals": totals, "missing": data["missing"],
            "roles": data["roles"], "groups": data["groups"], "ic": data["ic"],
            "duplicates": sorted((d["person"], d["roster_id"]) for d in data["duplicates"])}


@pytest.fixture(scope="module")
def hand_saved(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory
               ) -> tuple[Path, dict[str, Any]]:
    root = tmp_path_factory.mktemp("hand")
    roster = corpus.write_roster(root / "roster.csv")
    return roster, collect(corpus.write_hand_saved(root / "saved"), roster, root / "summary")


def test_fetch_then_collect_equals_the_hand_saved_attachments_plus_origin(
        corpus_account: Account, corpus: Corpus, hand_saved: tuple[Path, dict[str, Any]],
        tmp_path: Path) -> None:
    """collect --imap over 300 messages from 250 people: same answers, matches, missing
    people and duplicates as the hand-saved folder; every form says which message it came
    in; replies without a PDF and winmail.dat are listed; a second fetch finds nothing."""
    roster, by_hand = hand_saved
    assert len(corpus.messages) >= 300 and len(corpus.people) == 250
    returned = tmp_path / "returned"
    by_mail = collect(returned, roster, tmp_path / "summary", *corpus_account.args())
    assert comparable(by_mail) == comparable(by_hand)
    assert_viewers_answers_read(corpus, by_mail)
    assert by_mail["totals"]["messages"] == len(corpus.messages)
    assert by_mail["totals"]["without_attachment"] == corpus.without_pdf
    assert len(by_mail["without_attachment"]) == corpus.without_pdf
    assert all(n["roster_id"] for n in by_mail["without_attachment"])
    tnef = [r for r in by_mail["rejected"] if "winmail.dat" in r["file"]]
    assert len(tnef) == corpus.tnef and by_mail["totals"]["rejected"] == \
        by_hand["totals"]["rejected"] + corpus.tnef
    emails = {p.id: p.email for p in corpus.people}
    for r in by_mail["responses"]:
        assert r["came_from"] == "message" and r["origin"]["message_id"]
        assert r["origin"]["sender"] == emails[r["roster_id"]], r["source"]
        assert r["origin"]["mailbox"].startswith("imap://replies@district.test@127.0.0.1/")
    blank = {r["roster_id"] for r in by_mail["responses"]
             if not any(a["reflections"] or a["first_steps"] for a in r["answers"])}
    assert set(corpus.blank) <= blank and corpus.blank
    forwarded = [r for r in by_mail["responses"] if r["origin"]["forwarded_by"]]
    assert sorted(r["origin"]["sender"] for r in forwarded) == sorted(corpus.forwarded)
    assert all(r["came_from"] == "file" and r["origin"] is None
               for r in by_hand["responses"])
    again = CliRunner(env={PASSWORD_VAR: PASSWORD}).invoke(
        main, ["fetch", *corpus_account.args(), "--out", str(returned)])
    assert again.exit_code == 0
    assert "Fetched 0 new PDF(s) from 0 new message(s)" in again.output


def assert_viewers_answers_read(corpus: Corpus, data: dict[str, Any]) -> None:
    """The forms PDFium, pdf.js and pdftk filled (a dozen or more each) came back by mail
    with every answer and IC level they were given."""
    responses = {r["roster_id"]: r for r in data["responses"]}
    for filler in ("pdfium", "pdfjs", "pdftk"):
        filled = corpus.by_filler[filler]
        assert len(filled) >= 12, filler
        for roster_id, _pdf, values in filled:
            r = responses[roster_id]
            for a in r["answers"]:
                for column in formspec.COLUMNS:
                    given = values[formspec.answer_field(r["role"], a["question_id"], column)]
                    assert a[column] == given.replace("\r\n", "\n"), (filler, roster_id)
            for c in r["ic"]:
                given = values.get(formspec.ic_field(r["role"], c["outcome_id"]), "Off")
                assert c["level"] == (None if given == "Off" else given), (filler, roster_id)


def test_eml_and_mbox_folders_collected_directly_give_the_same_result(
        corpus: Corpus, hand_saved: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    """The same 300 replies saved as .eml files, or exported as one .mbox, collect to the
    same summary as the hand-saved attachments, with each form's origin."""
    roster, by_hand = hand_saved
    eml = tmp_path / "eml"
    eml.mkdir()
    for i, raw in enumerate(corpus.messages, start=1):
        (eml / f"reply-{i:03d}.eml").write_bytes(raw)
    box_dir = tmp_path / "mbox" / "Replies.mbox"  # as Apple Mail exports a folder
    box_dir.mkdir(parents=True)
    with (box_dir / "mbox").open("wb") as out:
        for raw in corpus.messages:
            out.write(b"From MAILER-DAEMON Tue Oct  6 14:12:00 2026\n")
            out.write(raw.replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From "))
            out.write(b"\n")
    for folder in (eml, tmp_path / "mbox"):
        data = collect(folder, roster, tmp_path / f"summary-{folder.name}")
        assert comparable(data) == comparable(by_hand), folder.name
        assert data["totals"]["messages"] == len(corpus.messages)
        assert data["totals"]["without_attachment"] == corpus.without_pdf
        assert all(r["origin"]["sender"] for r in data["responses"])
    sources = [r["source"] for r in data["responses"]]
    assert all(s.startswith("Replies.mbox/mbox#") for s in sources)
