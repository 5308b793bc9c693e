"""Roster reconciliation: who sent each form, which of a person's forms is kept, who is
missing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from guidepdf.dates import parse_iso, parse_pdf_date
from guidepdf.distribute.roster import Person
from guidepdf.report.reconcile import Sender, reconcile

PEOPLE = [
    Person(2, "p1", "Ana Núñez", "ana@example.org", "coach"),
    Person(3, "p2", "Ben Okafor", "ben@bücher.example", "coach"),
    Person(4, "p3", "Kim Lee", "kim1@example.org", "teacher"),
    Person(5, "p4", "Kim Lee", "kim2@example.org", "teacher"),
    Person(6, "p5", "Dana Li", "dana@example.org", "teacher"),
]


def test_match_order_recipient_then_email_then_name() -> None:
    """The manifest's recipient id wins; then the typed email (any case, Unicode domain);
    then the typed name (any case and spacing); then the recipient's email or name."""
    senders = [
        Sender("coach", name="Someone Else", email="dana@example.org", recipient_id="P1"),
        Sender("coach", email="BEN@xn--bcher-kva.example"),
        Sender("teacher", name="  dana   LI "),
        Sender("coach", recipient_id="gone", recipient_email="ben@bücher.example"),
        Sender("coach", recipient_id="gone", recipient_name="ana núñez"),
    ]
    rec = reconcile(senders, PEOPLE)
    assert [(m.person.id if m.person else None, m.matched_by) for m in rec.matches] == [
        ("p1", "recipient"), ("p2", "email"), ("p5", "name"), ("p2", "recipient_email"),
        ("p1", "recipient_name")]


def test_a_name_shared_by_two_people_is_not_used() -> None:
    """A typed name that two roster entries share matches nobody, and says why."""
    rec = reconcile([Sender("teacher", name="Kim Lee")], PEOPLE)
    assert rec.matches[0].person is None
    assert "belongs to 2 people on the roster" in str(rec.matches[0].notes[0])
    assert [p.id for p in rec.missing] == ["p1", "p2", "p3", "p4", "p5"]


def test_newest_form_is_kept_by_moddate_then_file_time() -> None:
    """Of one person's forms the newest ModDate wins; equal dates fall back to file time;
    a form without a readable date loses to one with a date."""
    senders = [
        Sender("coach", recipient_id="p1", modified="D:20261001120000Z", mtime=50, source="a"),
        Sender("coach", recipient_id="p1", modified="D:20261003120000Z", mtime=10, source="b"),
        Sender("coach", email="ben@xn--bcher-kva.example", modified="D:20261001", mtime=1,
               source="c"),
        Sender("coach", recipient_id="p2", modified="D:20261001", mtime=2, source="d"),
        Sender("teacher", name="Dana Li", modified="garbage", mtime=99, source="e"),
        Sender("teacher", name="Dana Li", modified="D:2026", mtime=1, source="f"),
    ]
    rec = reconcile(senders, PEOPLE)
    assert rec.kept == (1, 3, 5)
    assert rec.duplicates == ((1, 0), (3, 2), (5, 4))
    assert [p.id for p in rec.missing] == ["p3", "p4"]


def test_without_a_roster_people_are_told_apart_by_what_they_typed() -> None:
    """No roster: forms match nobody, and duplicates are found by recipient id, email, or
    role and name; forms without any of these are all kept."""
    senders = [
        Sender("coach", recipient_id="x1", modified="D:20260101"),
        Sender("coach", recipient_id="X1", modified="D:20260102"),
        Sender("coach", email="A@b.org", modified="D:20260101"),
        Sender("coach", email="a@B.org", modified="D:20260102"),
        Sender("coach", name="Jo"), Sender("teacher", name="Jo"), Sender("coach"),
        Sender("coach"),
    ]
    rec = reconcile(senders)
    assert all(m.person is None for m in rec.matches)
    assert rec.kept == (1, 3, 4, 5, 6, 7)
    assert rec.missing == ()


def test_parse_pdf_date_forms() -> None:
    """PDF dates with Z, offsets, partial precision; junk gives None."""
    assert parse_pdf_date("D:20261005093000Z") == datetime(2026, 10, 5, 9, 30, tzinfo=UTC)
    assert parse_pdf_date("D:20261005093000+02'00'") == datetime(
        2026, 10, 5, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    assert parse_pdf_date("D:20261005093000-05'30") == datetime(
        2026, 10, 5, 9, 30, tzinfo=timezone(-timedelta(hours=5, minutes=30)))
    assert parse_pdf_date("20261005") == datetime(2026, 10, 5, tzinfo=UTC)
    assert parse_pdf_date("D:20261345") is None
    assert parse_pdf_date("yesterday") is None


def test_parse_iso_forms() -> None:
    """Message dates and ledger stamps: an offset is kept, a naive time is UTC, an empty
    or unreadable one is None (the mail, the summary and the follow-up share this)."""
    assert parse_iso("2026-10-05T09:30:00+02:00") == datetime(
        2026, 10, 5, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    assert parse_iso("2026-10-05T09:30:00") == datetime(2026, 10, 5, 9, 30, tzinfo=UTC)
    assert parse_iso("") is None
    assert parse_iso("Mon, 5 Oct 2026") is None
