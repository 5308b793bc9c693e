"""Status + messages.yaml + each person's copy -> follow-up messages: a reminder to each
person without a usable form, naming what went wrong and attaching their copy again (or the
copy they sent, when they had started), and a receipt to each person whose form was read.
Each message is an Outgoing item for distribute's journaled sending: its identity names the
round (or the form a receipt confirms), so a rerun never mails anyone twice."""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from guidepdf.content.messages import Messages
from guidepdf.content.model import Content
from guidepdf.dates import parse_iso
from guidepdf.distribute.filenames import assign_filenames
from guidepdf.distribute.journal import Journal
from guidepdf.distribute.mail import message_id
from guidepdf.distribute.outgoing import Outgoing, journal_key
from guidepdf.distribute.roster import Person
from guidepdf.errors import SendError
from guidepdf.followup.problems import REMINDABLE
from guidepdf.followup.status import RECEIPT, REMIND, Status, StatusRow, followup_identity
from guidepdf.mail.files import iter_mbox
from guidepdf.mail.parse import read_message

DEFAULT_ROUND = "1"
DRAFTED = "drafted"  # the journal's status for a message written to an outbox
UNSETTLED = ("handing", "uncertain")  # the server may have it


@dataclass(frozen=True)
class FollowUp(Outgoing):
    """A reminder or a receipt: journaled under (person, identity), whatever it attaches."""

    kind: str = REMIND
    problem: str = ""
    attached: str = ""  # "copy" (their copy again), "returned" (what they sent), "" none

    @property
    def key(self) -> str:
        return journal_key(self.person.id, self.identity)


@dataclass(frozen=True)
class Skip:
    person: Person
    reason: str


CopySource = Callable[[Person], bytes]  # a person -> their personalized copy


def plan(status: Status, people: list[Person], *, receipts: bool, round_name: str,
         min_days: float, now: datetime, journal: Journal | None = None
         ) -> tuple[list[tuple[StatusRow, Person]], list[Skip]]:
    """Who gets a message this run, and who is left out and why (the journal's own
    'already sent' is decided when sending). Reminders go to the remindable problems;
    receipts to usable forms."""
    by_id = {p.id: p for p in people}
    todo: list[tuple[StatusRow, Person]] = []
    skipped: list[Skip] = []
    drafted = _drafted(journal)
    for row in status.people:
        person = by_id[row.id]
        if receipts:
            if row.problem == "none":
                todo.append((row, person))
            continue
        if row.problem not in REMINDABLE:
            continue
        if row.waiting:
            skipped.append(Skip(person, "mail from them was fetched after the last collect "
                                "— run guidepdf collect again"))
            continue
        if (person.id, followup_identity(REMIND, round_name)) in drafted:
            skipped.append(Skip(person, f"a reminder of round {round_name} is in the outbox "
                                "already"))
            continue
        mark = (person.id, followup_identity(REMIND, round_name))
        # sent in this round, or may have been: sending skips or lists it
        this_round = journal is not None and (mark in journal.sent_identities or journal.last
                                              .get(mark, {}).get("status") in UNSETTLED)
        last = parse_iso(row.reminded_at)
        if min_days and last is not None and not this_round and \
                now - last < timedelta(days=min_days):
            skipped.append(Skip(person, f"reminded on {row.reminded_at[:10]}, less than "
                                f"{min_days:g} day(s) ago (--min-days)"))
            continue
        todo.append((row, person))
    return todo, skipped


def _drafted(journal: Journal | None) -> set[tuple[str, str]]:
    if journal is None:
        return set()
    return {(r.get("id", ""), r.get("identity", "")) for r in journal.records
            if r.get("status") == DRAFTED}


class Composer:
    """Writes each person's message from messages.yaml, with the right attachment."""

    def __init__(self, content: Content, messages: Messages, people: list[Person],
                 sender: Address, copy: CopySource, *, round_name: str = DEFAULT_ROUND,
                 sent_ids: dict[str, str] | None = None, date: datetime | None = None,
                 returned_dir: Path | None = None) -> None:
        self.content = content
        self.messages = messages
        self.sender = sender
        self.copy = copy
        self.round = round_name
        self.names = assign_filenames(people)
        self.sent_ids = sent_ids or {}  # person id -> Message-ID of the guide send sent
        self.date = date
        self.returned_dir = returned_dir

    def values(self, row: StatusRow, person: Person) -> dict[str, str]:
        def title(role_id: str) -> str:
            try:
                return self.content.role(role_id).title
            except KeyError:
                return role_id

        values = {
            **person.fields(), "role_title": title(person.role),
            "filename": self.names[person.id],
            "sent_date": row.sent_at[:10] or self.content.brand.date,
            "returned_date": row.returned_at[:10],
            "sender_name": self.sender.display_name or self.sender.addr_spec,
            "answered": _n(row.answered), "questions": _n(row.questions),
            "ic_marked": _n(row.ic_marked), "ic_outcomes": _n(row.ic_outcomes),
            "returned_role_title": title(row.returned_role) if row.returned_role else "",
        }
        values["saving_help"] = string.Template(self.messages.saving_help).substitute(
            values).strip("\n")
        return values

    def reminder(self, row: StatusRow, person: Person) -> FollowUp:
        text = self.messages.reminder(row.problem)
        values = self.values(row, person)
        theirs = returned_copy(self.returned_dir, row.returned_from) \
            if row.problem == "mostly_blank" else None
        returned = theirs is not None
        pdf = theirs if theirs is not None else self.copy(person)
        identity = followup_identity(REMIND, self.round)
        return self._item(person, identity, text.subject, text.body, values, pdf,
                          kind=REMIND, problem=row.problem,
                          attached="returned" if returned else "copy")

    def receipt(self, row: StatusRow, person: Person) -> FollowUp:
        text = self.messages.receipt
        body = self.messages.receipt_with_ic if row.ic_outcomes else text.body
        identity = followup_identity(RECEIPT, row.returned_from)
        return self._item(person, identity, text.subject, body, self.values(row, person),
                          None, kind=RECEIPT, problem=row.problem, attached="")

    def _item(self, person: Person, identity: str, subject: str, body: str,
              values: dict[str, str], pdf: bytes | None, **kind: str) -> FollowUp:
        subject = " ".join(string.Template(subject).substitute(values).split())
        text = string.Template(body).substitute(values)
        msg = build_followup(sender=self.sender, person=person, subject=subject, body=text,
                             attachment=pdf, filename=self.names[person.id],
                             msg_id=message_id(f"{person.id}\x1f{identity}", self.sender),
                             in_reply_to=self.sent_ids.get(person.id, ""), date=self.date)
        return FollowUp(person, self.names[person.id], pdf or b"", msg, identity, **kind)


def _n(value: int | None) -> str:
    return "" if value is None else str(value)


_MAIL_SOURCE = re.compile(r"^(?P<file>.+?\.(?:eml|mbox))(?:#(?P<n>\d+))?/(?P<name>[^/]+)$",
                          re.IGNORECASE)


def returned_copy(folder: Path | None, source: str) -> bytes | None:
    """The bytes of the form a person sent, found again under the collected folder: the
    PDF itself, or the attachment inside the .eml/.mbox it came in (None: not found)."""
    if folder is None:
        return None
    path = folder / source
    try:
        if path.is_file():
            return path.read_bytes()
        m = _MAIL_SOURCE.match(source)
        if m is None or not (folder / m["file"]).is_file():
            return None
        mail = folder / m["file"]
        if m["n"]:
            raw = next(itertools.islice(iter_mbox(mail), int(m["n"]) - 1, None), None)
        else:
            raw = mail.read_bytes()
    except OSError as exc:
        raise SendError(f"{path}: cannot read the returned copy to attach it "
                        f"({exc.strerror})") from None
    if raw is None:
        return None
    wanted = re.sub(r" \(\d+\)$", "", m["name"])
    for attachment in read_message(raw).attachments:
        if (attachment.filename or "attachment.pdf") == wanted:
            return attachment.data
    return None


def compose(composer: Composer, todo: list[tuple[StatusRow, Person]], *, receipts: bool
            ) -> Iterator[FollowUp]:
    """The messages, made lazily in roster order."""
    for row, person in todo:
        yield composer.receipt(row, person) if receipts else composer.reminder(row, person)


def build_followup(*, sender: Address, person: Person, subject: str, body: str,
                   attachment: bytes | None, filename: str, msg_id: str,
                   in_reply_to: str = "", date: datetime | None = None) -> EmailMessage:
    """One message to one person, with or without a PDF. Headers are made by the email
    package's header objects: encoded words for non-ASCII names, quotes and commas in a
    display name quoted, CR/LF refused. A reply to the guide's own message threads with it."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    local, _, domain = person.email.rpartition("@")
    msg["To"] = Address(display_name=person.name, username=local, domain=domain)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date or datetime.now(UTC))
    msg["Message-ID"] = msg_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
        msg["References"] = in_reply_to
    msg["X-Guidepdf-Recipient-Id"] = "".join(ch for ch in person.id if ch.isprintable())[:64]
    msg.set_content(body, cte="7bit" if body.isascii() else "quoted-printable")
    if attachment is not None:
        msg.add_attachment(attachment, maintype="application", subtype="pdf",
                           filename=filename)
        msg.set_boundary(f"=_guidepdf_{msg_id.strip('<>').split('.')[0]}")
    return msg


def sent_message_ids(journal_path: Path | None) -> dict[str, str]:
    """Person id -> the Message-ID of the guide `send` delivered (for In-Reply-To)."""
    if journal_path is None or not Path(journal_path).is_file():
        return {}
    return {r["id"]: r["message_id"] for r in Journal(Path(journal_path), readonly=True)
            .records if r.get("status") == "sent" and r.get("message_id")}
