"""Who sent each form -> roster matches, duplicates and missing people. A form matches a
roster entry by the recipient id in its manifest, else by the email or name typed in it
(then the recipient's email or name); the newest of one person's forms is kept."""

from __future__ import annotations

import contextlib
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from guidepdf.dates import parse_iso, parse_pdf_date
from guidepdf.distribute.roster import Person, normalize_email
from guidepdf.notes import Note


@dataclass(frozen=True, slots=True)  # one per form read: kept small
class Sender:
    """What a form says about who sent it, and when it was saved."""

    role: str
    name: str = ""  # typed
    email: str = ""  # typed
    recipient_id: str = ""
    recipient_name: str = ""
    recipient_email: str = ""
    modified: str = ""  # the PDF's ModDate
    mtime: float = 0.0  # the file's modification time
    source: str = ""
    mail_from: str = ""  # the sender's address, for a form that came by mail
    mail_date: str = ""  # the message's date (ISO 8601): it decides which form is newest


@dataclass(frozen=True, slots=True)
class Match:
    person: Person | None
    matched_by: str | None
    notes: tuple[Note, ...] = ()  # warnings for the response (a name two people share)


@dataclass(frozen=True)
class Reconciled:
    matches: tuple[Match, ...]  # one per sender, in input order
    kept: tuple[int, ...]  # indexes of the senders whose form is kept, in input order
    duplicates: tuple[tuple[int, int], ...]  # (kept index, dropped index)
    missing: tuple[Person, ...]  # roster people with no form, in roster order


def name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def email_key(email: str) -> str:
    email = email.strip()
    with contextlib.suppress(ValueError):
        email = normalize_email(email)
    return email.casefold()


def sent_or_saved(sender: Sender) -> datetime | None:
    """When the form was sent (the message date, for mail: viewers often keep our
    ModDate), else when it was saved (ModDate)."""
    return parse_iso(sender.mail_date) or parse_pdf_date(sender.modified)


def newest_first(sender: Sender) -> tuple[float, float, str]:
    """Sort key: newest message date (else ModDate) first, unreadable dates last, then
    newest file."""
    moment = sent_or_saved(sender)
    stamp = moment.timestamp() if moment else float("-inf")
    return (-stamp, -sender.mtime, sender.source)


class _Index:
    def __init__(self, people: Sequence[Person]) -> None:
        self.by_id = {p.id.casefold(): p for p in people}
        self.by_email = {email_key(p.email): p for p in people if p.email}
        names: dict[str, list[Person]] = defaultdict(list)
        for p in people:
            names[name_key(p.name)].append(p)
        self.by_name = dict(names)

    def match(self, s: Sender) -> Match:
        if s.recipient_id and s.recipient_id.casefold() in self.by_id:
            return Match(self.by_id[s.recipient_id.casefold()], "recipient")
        notes = []
        for how, kind, value in (("email", "email", s.email), ("name", "name", s.name),
                                 ("recipient_email", "email", s.recipient_email),
                                 ("recipient_name", "name", s.recipient_name)):
            if not value.strip():
                continue
            if kind == "email":
                person = self.by_email.get(email_key(value))
                if person:
                    return Match(person, how, tuple(notes))
                continue
            found = self.by_name.get(name_key(value), [])
            if len(found) == 1:
                return Match(found[0], how, tuple(notes))
            if len(found) > 1:
                notes.append(Note.of("name_shared", name=value, n=len(found)))
        if s.mail_from and (person := self.by_email.get(email_key(s.mail_from))):
            return Match(person, "mail_sender", tuple(notes))
        return Match(None, None, tuple(notes))


def _identity(sender: Sender, match: Match, index: int) -> tuple[str, ...]:
    """Forms with the same identity come from the same person."""
    if match.person is not None:
        return ("roster", match.person.id.casefold())
    if sender.recipient_id:
        return ("recipient", sender.recipient_id.casefold())
    if sender.email.strip():
        return ("email", email_key(sender.email))
    if sender.name.strip():
        return ("name", sender.role, name_key(sender.name))
    if sender.mail_from.strip():
        return ("mail", sender.role, email_key(sender.mail_from))
    return ("file", str(index))


def reconcile(senders: Sequence[Sender], people: Sequence[Person] | None = None
              ) -> Reconciled:
    """Match senders to `people` (None: no roster), keep each person's newest form."""
    index = _Index(people) if people is not None else None
    matches = tuple(index.match(s) if index else Match(None, None) for s in senders)
    groups: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, (sender, match) in enumerate(zip(senders, matches, strict=True)):
        groups[_identity(sender, match, i)].append(i)
    kept: list[int] = []
    duplicates: list[tuple[int, int]] = []
    for members in groups.values():
        ordered = sorted(members, key=lambda i: newest_first(senders[i]))
        kept.append(ordered[0])
        duplicates += [(ordered[0], dropped) for dropped in ordered[1:]]
    returned = {p.id for i in kept if (p := matches[i].person) is not None}
    missing = tuple(p for p in people or () if p.id not in returned)
    duplicates.sort(key=lambda pair: (senders[pair[0]].source, senders[pair[1]].source))
    return Reconciled(matches, tuple(sorted(kept)), tuple(duplicates), missing)
