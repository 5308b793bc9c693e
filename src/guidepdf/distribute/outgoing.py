"""People + mail templates -> Outgoing items (each person's PDF and message, made lazily),
and items -> an outbox folder of .eml files that any mail client opens."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from functools import cached_property
from pathlib import Path

from guidepdf.atomic import write_bytes
from guidepdf.distribute.copyfolder import CopyFolder
from guidepdf.distribute.filenames import assign_filenames
from guidepdf.distribute.mail import MailTemplate, build_message, fill_values, message_id
from guidepdf.distribute.personalize import Personalizer
from guidepdf.distribute.roster import Person
from guidepdf.folderlock import holding

Event = Callable[[str, "Outgoing", str], None]  # (sent|skipped|failed|retry|written, item, detail)


@dataclass(frozen=True)
class Outgoing:
    """One person's message, ready to go. `key` (person id + attachment hash) identifies
    it in the journal; `identity` is what the attachment says (its manifest, paper,
    prefill), so a copy whose bytes differ only because a library changed how it writes
    PDFs still counts as already sent."""

    person: Person
    filename: str
    attachment: bytes
    message: EmailMessage
    identity: str = ""

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.attachment).hexdigest()

    @property
    def key(self) -> str:
        return journal_key(self.person.id, self.sha256)


def journal_key(person_id: str, attachment_sha256: str) -> str:
    return f"{person_id}\x1f{attachment_sha256}"


def copy_identity(personalizer: Personalizer, person: Person) -> str:
    """A hash of what a person's copy says (its manifest: content fingerprint, version,
    recipient; paper; prefill), independent of how its bytes are laid out."""
    base = personalizer.template(person.role).base_manifest
    manifest = replace(base, recipient=person.recipient()).to_json()
    return identity_of(manifest, personalizer.paper, personalizer.prefill)


def identity_of(manifest: str, paper: str, prefill: bool) -> str:
    """The identity of a copy with this manifest JSON, paper and prefill state."""
    blob = json.dumps([manifest, paper, prefill])
    return hashlib.sha256(blob.encode()).hexdigest()


def prepare_outgoing(personalizer: Personalizer, people: list[Person],
                     template: MailTemplate, sender: Address,
                     date: datetime | None = None, copies: CopyFolder | None = None,
                     hint: str = "run guidepdf personalize again") -> Iterator[Outgoing]:
    """Each person's copy and message, made lazily in roster order. The templates are
    checked against everyone first: SendError is raised here, before anything is made.

    With `copies`, each person's copy is the file `personalize` wrote there, as it is
    (checked first: SendError, with `hint`, lists every copy missing or out of date);
    otherwise `personalizer` makes it, as personalize would with the same options."""
    names = assign_filenames(people)
    content = personalizer.content
    extra = {p.id: {"role_title": content.role(p.role).title,
                    "role_phrase": content.role(p.role).phrase, "filename": names[p.id]}
             for p in people}
    template.check(people, extra)
    on_disk = copies.check(hint) if copies is not None else {}

    def generate() -> Iterator[Outgoing]:
        for person in people:
            if copies is not None:
                found = on_disk[person.id]
                pdf = copies.read(person)
                identity = identity_of(found.manifest, found.paper, found.prefilled)
            else:
                pdf = personalizer.copy(person)
                identity = copy_identity(personalizer, person)
            subject, body = template.fill(fill_values(person, extra[person.id]))
            # the same copy for the same person keeps its Message-ID across runs
            msg = build_message(sender=sender, person=person, subject=subject, body=body,
                                attachment=pdf, filename=names[person.id],
                                msg_id=message_id(f"{person.id}\x1f{identity}", sender),
                                date=date)
            yield Outgoing(person, names[person.id], pdf, msg, identity)

    return generate()


def write_outbox(items: Iterable[Outgoing], out_dir: Path,
                 on_event: Event | None = None) -> list[Path]:
    """Write each message as `<pdf name>.eml` into `out_dir` (atomically), marked
    `X-Unsent: 1` so that Outlook opens it as a draft ready to send; sends nothing."""
    out_dir = Path(out_dir)
    paths = []
    # the lock also makes it safe to remove the temporary files a killed run left
    with holding(out_dir, "send --outbox", "the outbox"):
        for item in items:
            path = out_dir / (Path(item.filename).stem + ".eml")
            data = item.message.as_bytes()
            eol = b"\r\n" if b"\r\n" in data[:4096] else b"\n"
            # X-Unsent: Outlook opens the file as a draft with a Send button, for a district
            # whose mail admin allows no SMTP client at all
            write_bytes(path, b"X-Unsent: 1" + eol + data)
            paths.append(path)
            if on_event:
                on_event("written", item, str(path))
    return paths
