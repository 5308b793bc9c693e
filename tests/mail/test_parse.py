"""Mail files as input: every PDF attachment of a message, however the sender's program
wrote it, with where it came from; .mbox read as a stream; .msg and winmail.dat refused
with advice."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from guidepdf.mail.files import iter_mbox, mail_kind
from guidepdf.mail.inputs import gather
from guidepdf.mail.parse import read_message
from tests.mail import messages as m

WHEN = datetime(2026, 10, 6, 14, 12, tzinfo=UTC)
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
OTHER = b"%PDF-1.4\n" + b"second form" * 500 + b"\n%%EOF\n"


def test_gmail_reply_gives_its_pdf_with_a_decoded_non_ascii_name_and_origin() -> None:
    """A Gmail reply's attachment named with RFC 2047 words comes out whole, with the
    sender, date, Message-ID and subject."""
    raw = m.gmail("José Núñez", "jose@example.org", "pl@district.test", WHEN,
                  "Re: Your guide", [("Évaluation – guide.pdf", PDF)])
    msg = read_message(raw, mailbox="box")
    assert [(a.filename, a.data) for a in msg.attachments] == [("Évaluation – guide.pdf", PDF)]
    o = msg.attachments[0].origin
    assert (o.sender, o.sender_name, o.subject) == ("jose@example.org", "José Núñez",
                                                    "Re: Your guide")
    assert o.date == "2026-10-06T14:12:00+00:00" and o.message_id.endswith("@mail.gmail.com>")
    assert o.attachment == "Évaluation – guide.pdf" and msg.notes == []


def test_apple_mail_inline_pdf_with_rfc2231_name_is_found() -> None:
    """Apple Mail's inline PDF with an RFC 2231 (filename*=utf-8'') name is an attachment."""
    raw = m.apple_mail("Zoë", "zoe@example.org", "pl@district.test", WHEN, "guide",
                       [("Zoë’s guide.pdf", PDF)])
    msg = read_message(raw)
    assert [(a.filename, a.data) for a in msg.attachments] == [("Zoë’s guide.pdf", PDF)]


def test_several_pdfs_and_octet_stream_parts_are_all_forms() -> None:
    """Two PDFs in one Outlook message are two forms; an octet-stream part named *.pdf is
    one too."""
    two = read_message(m.outlook("A", "a@example.org", "pl@district.test", WHEN, "s",
                                 [("one.pdf", PDF), ("two.pdf", OTHER)]))
    assert [(a.filename, a.data) for a in two.attachments] == [("one.pdf", PDF),
                                                                ("two.pdf", OTHER)]
    phone = read_message(m.octet_stream("B", "b@example.org", "pl@district.test", WHEN, "s",
                                        [("guide.pdf", PDF)]))
    assert [a.data for a in phone.attachments] == [PDF]


def test_forwarded_message_gives_the_original_sender_and_who_forwarded_it() -> None:
    """A PDF inside a message/rfc822 forward comes from the original sender; the
    forwarder is kept as forwarded_by and the mailbox message's Message-ID stays."""
    inner = m.gmail("Teacher T", "teacher@example.org", "principal@district.test", WHEN,
                    "Re: guide", [("guide.pdf", PDF)])
    outer = m.thunderbird_forward("Dana", "principal@district.test", "pl@district.test",
                                  WHEN + timedelta(hours=2), "Re: guide", inner)
    msg = read_message(outer)
    assert [a.data for a in msg.attachments] == [PDF]
    o = msg.attachments[0].origin
    assert (o.sender, o.forwarded_by) == ("teacher@example.org", "principal@district.test")
    assert o.date == WHEN.isoformat() and o.message_id == msg.origin.message_id
    assert msg.origin.message_id.endswith("@district.test>")


def test_winmail_dat_is_reported_by_name_with_advice_and_no_attachment_is_counted() -> None:
    """Outlook's rich-text winmail.dat becomes a note saying how to resend; a reply with
    nothing attached has neither forms nor notes."""
    tnef = read_message(m.outlook("C", "c@example.org", "pl@district.test", WHEN, "s",
                                  [("guide.pdf", PDF)], rich_text=True))
    assert tnef.attachments == [] and len(tnef.notes) == 1
    assert tnef.notes[0].startswith("winmail.dat: ") and "HTML format" in tnef.notes[0]
    empty = read_message(m.no_attachment("D", "d@example.org", "pl@district.test", WHEN, "s"))
    assert empty.attachments == [] and empty.notes == []


def _mbox(path: Path, messages: list[bytes]) -> Path:
    with path.open("wb") as out:
        for i, raw in enumerate(messages):
            out.write(f"From sender{i}@example.org Tue Oct  6 14:12:00 2026\n".encode())
            body = raw.replace(b"\r\n", b"\n")
            out.write(b"\n".join(b">" + line if line.startswith(b"From ") else line
                                 for line in body.split(b"\n")))
            out.write(b"\n\n")
    return path


def test_mbox_is_read_message_by_message_and_from_lines_are_unescaped(tmp_path: Path) -> None:
    """An mbox yields each message in order; a body line 'From here…' escaped as '>From'
    comes back as written."""
    texts = [m.no_attachment("E", f"e{i}@example.org", "pl@district.test", WHEN, f"s{i}",
                             body=f"From here on, number {i}.") for i in range(3)]
    box = _mbox(tmp_path / "Inbox.mbox", texts)
    got = list(iter_mbox(box))
    assert len(got) == 3
    assert all(f"From here on, number {i}.".encode() in g for i, g in enumerate(got))
    assert mail_kind(box) == "mbox" and mail_kind(tmp_path / "mbox") == "mbox"


def _peak(box: Path) -> tuple[int, int]:
    tracemalloc.start()
    try:
        count = sum(len(read_message(r).attachments) for r in iter_mbox(box))
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_large_mbox_is_never_held_in_memory(tmp_path: Path) -> None:
    """Reading an mbox peaks at a few messages' worth, the same for 20 messages as for
    80 (25 MB): it is streamed, never loaded whole."""
    big = b"%PDF-1.7\n" + bytes(range(256)) * 1200 + b"\n%%EOF\n"
    raw = m.gmail("F", "f@example.org", "pl@district.test", WHEN, "s", [("a.pdf", big)])
    small_count, small_peak = _peak(_mbox(tmp_path / "small.mbox", [raw] * 20))
    box = _mbox(tmp_path / "big.mbox", [raw] * 80)
    count, peak = _peak(box)
    assert (small_count, count) == (20, 80)
    assert peak < box.stat().st_size / 4, f"peak {peak} for a {box.stat().st_size} B file"
    assert peak < 1.3 * small_peak, f"peak grew from {small_peak} to {peak}"


def test_msg_and_winmail_files_are_rejected_with_what_to_do(tmp_path: Path) -> None:
    """A .msg file and a loose winmail.dat become rejections that say what to do; other
    files stay ignored."""
    (tmp_path / "reply.msg").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(500))
    (tmp_path / "winmail.dat").write_bytes(b"\x78\x9f\x3e\x22")
    (tmp_path / "notes.txt").write_text("x")
    others = sorted(tmp_path.iterdir())
    found = gather([], others, tmp_path / "work", shown=lambda p: p.name)
    reasons = dict(found.rejected)
    assert set(reasons) == {"reply.msg", "winmail.dat"}
    assert (reasons["reply.msg"].code, reasons["winmail.dat"].code) == ("outlook_msg", "winmail")
    assert "save the PDF attachment itself" in str(reasons["reply.msg"]) and ".eml" in \
        str(reasons["reply.msg"])
    assert "send the PDF again" in str(reasons["winmail.dat"])
    assert [p.name for p in found.others] == ["notes.txt"] and found.files == []
