"""Building one message per person: filled templates, encoded headers, the PDF attached."""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email import policy

import pytest

from guidepdf.distribute import MailTemplate, Person, build_message
from guidepdf.distribute.mail import message_id, parse_sender
from guidepdf.errors import SendError

ANN = Person(2, "p1", "Ann Lee", "ann@example.org", "coach", "Lincoln")
NOGROUP = Person(3, "p2", "Bo Chen", "bo@example.org", "coach", "")
EXTRA = {"p1": {"role_title": "Coaches", "filename": "a.pdf"},
         "p2": {"role_title": "Coaches", "filename": "b.pdf"}}


def test_templates_fill_dollar_placeholders() -> None:
    """$name and ${name} are replaced, $$ is a dollar sign, extra columns are available."""
    person = Person(2, "p1", "Ann", "a@x.org", "coach", "", "", (("first_name", "Annie"),))
    template = MailTemplate("Guide for $name", "Hi ${first_name}, $$5 and ${role_title}.")
    template.check([person], {"p1": EXTRA["p1"]})
    values = {**person.fields(), **EXTRA["p1"]}
    assert template.fill(values) == ("Guide for Ann", "Hi Annie, $5 and Coaches.")


def test_every_template_problem_is_reported_before_sending() -> None:
    """Unknown placeholders (with did-you-mean), bad '$' and empty values are one error."""
    template = MailTemplate("Guide for $nmae", "Dear $name,\nyour group: ${group}\ncost: $5\n",
                            "body.txt")
    with pytest.raises(SendError) as info:
        template.check([ANN, NOGROUP], EXTRA)
    assert str(info.value).splitlines() == [
        "body.txt:3:7: '$' is not followed by a placeholder name — write $$ for a dollar "
        "sign, or ${name} around a placeholder",
        "subject: unknown placeholder $nmae — did you mean $name?",
        "body.txt:2: placeholder $group is empty for 1 people (roster lines 3) — fill that "
        "column for them, or remove $group",
    ]


def test_a_subject_with_a_line_break_is_refused() -> None:
    """A subject cannot smuggle in a header: a line break in it is an error."""
    with pytest.raises(SendError, match="subject: contains a line break"):
        MailTemplate("Hello\r\nBcc: everyone@example.org", "x").check([ANN], EXTRA)


def test_values_cannot_inject_headers() -> None:
    """Even a value with CR/LF (which the roster refuses) cannot add a header."""
    template = MailTemplate("Guide for $name", "body")
    subject, _ = template.fill({"name": "Ann\r\nBcc: x@evil.example"})
    assert subject == "Guide for Ann Bcc: x@evil.example"
    evil = Person(2, "p1", "Ann\r\nBcc: x@evil.example", "ann@example.org", "coach")
    with pytest.raises(ValueError, match=r"CR or LF|linefeed or carriage return"):
        build_message(sender=parse_sender("a@x.org"), person=evil, subject="s", body="b",
                      attachment=b"%PDF", filename="a.pdf", msg_id="<1@x.org>")


def test_message_headers_body_and_attachment() -> None:
    """Non-ASCII names are encoded words, the body is QP, the PDF is application/pdf."""
    person = Person(2, "p3", "Zoë Ångström, PhD", "zoe@example.org", "coach", "")
    sender = parse_sender("Lakeshore Learning <guides@example.org>")
    msg = build_message(sender=sender, person=person, subject="Votre guide — Zoë",
                        body="Bonjour Zoë,\n", attachment=b"%PDF-1.7 data",
                        filename="coach-zoe-angstrom-phd-p3.pdf", msg_id="<abc@example.org>",
                        date=datetime(2026, 9, 1, 8, 0, tzinfo=UTC))
    raw = msg.as_bytes()
    assert raw.isascii()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    parsed = email.message_from_bytes(raw, policy=policy.default)
    (to,) = parsed["To"].addresses  # type: ignore[union-attr]
    assert (to.display_name, to.addr_spec) == ("Zoë Ångström, PhD", "zoe@example.org")
    assert b"To: =?utf-8?" in raw
    assert str(parsed["Subject"]) == "Votre guide — Zoë"
    assert parsed["Date"] == "Tue, 01 Sep 2026 08:00:00 +0000"
    body = parsed.get_body(("plain",))
    assert body is not None and body["Content-Transfer-Encoding"] == "quoted-printable"
    assert body.get_content().replace("\r\n", "\n") == "Bonjour Zoë,\n"
    (part,) = parsed.iter_attachments()
    assert part.get_content_type() == "application/pdf"
    assert part.get_filename() == "coach-zoe-angstrom-phd-p3.pdf"
    assert part.get_content() == b"%PDF-1.7 data"


def test_a_non_ascii_attachment_name_is_rfc_2231() -> None:
    """A file name outside ASCII goes in an RFC 2231 filename* parameter (not an encoded
    word, which RFC 2047 forbids in parameters) and reads back exactly."""
    msg = build_message(sender=parse_sender("guides@example.org"), person=ANN, subject="s",
                        body="b", attachment=b"%PDF", filename="guide-søren-dahl-olé.pdf",
                        msg_id="<abc@example.org>", date=datetime(2026, 1, 1, tzinfo=UTC))
    raw = msg.as_bytes()
    assert b"filename*=utf-8''guide-s%C3%B8ren-dahl-ol%C3%A9.pdf" in raw
    assert b"=?utf-8?" not in raw.split(b"Content-Disposition", 1)[1].split(b"\r\n")[0]
    parsed = email.message_from_bytes(raw, policy=policy.default)
    (part,) = parsed.iter_attachments()
    assert part.get_filename() == "guide-søren-dahl-olé.pdf"


def test_messages_are_reproducible() -> None:
    """With a fixed date, the same input gives the same bytes (stable MIME boundary)."""
    sender = parse_sender("guides@example.org")

    def make() -> bytes:
        return build_message(sender=sender, person=ANN, subject="s", body="b",
                             attachment=b"%PDF", filename="a.pdf",
                             msg_id=message_id("p1\x1fabc", sender),
                             date=datetime(2026, 1, 1, tzinfo=UTC)).as_bytes()

    assert make() == make()
    assert message_id("p1\x1fabc", sender).endswith(".guidepdf@example.org>")


@pytest.mark.parametrize("value", ["not an address", "a@b", "x@y.org\r\nBcc: z@w.org", ""])
def test_bad_sender_is_refused(value: str) -> None:
    """--from must be one valid address, optionally with a display name."""
    with pytest.raises(SendError, match="--from"):
        parse_sender(value)
