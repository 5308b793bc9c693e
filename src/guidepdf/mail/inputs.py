"""Files found under the folders `collect` and `read` were given -> what to read: the PDFs
as they are, every PDF attachment of the mail files among them (.eml, .mbox) written to a
work folder, each with its Origin (also for PDFs `guidepdf fetch` saved, from its journal),
plus the messages that held no PDF and the mail files that cannot be read."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from guidepdf.mail.files import iter_mbox, mail_kind
from guidepdf.mail.journal import JOURNAL_NAME, FetchJournal
from guidepdf.mail.origin import Origin
from guidepdf.mail.parse import NOT_DECODED, TNEF_ADVICE, MailMessage, read_message
from guidepdf.notes import Note


@dataclass(frozen=True)
class MailNote:
    """A message that gave no form (a reply without an attachment), and where it came
    from."""

    source: str
    origin: Origin | None = None


@dataclass
class ReadList:
    """What to read, in order, with how to show each and where it came from."""

    files: list[str] = field(default_factory=list)  # paths to read
    names: list[str] = field(default_factory=list)  # how each is shown
    origins: list[Origin | None] = field(default_factory=list)
    others: list[Path] = field(default_factory=list)  # neither PDF nor mail: ignored
    rejected: list[tuple[str, Note]] = field(default_factory=list)  # (shown, reason)
    without_pdf: list[MailNote] = field(default_factory=list)
    messages: int = 0  # mail messages looked at (in mail files and fetch journals)
    repeated: int = 0  # attachments identical to one the same sender sent before: not read
    seen: set[tuple[str, str]] = field(default_factory=set)  # (digest, sender)

    def add(self, path: Path | str, shown: str, origin: Origin | None) -> None:
        self.files.append(str(path))
        self.names.append(shown)
        self.origins.append(origin)


def gather(pdfs: Iterable[Path], others: Iterable[Path], work_dir: Path,
           shown: Callable[[Path], str] = str) -> ReadList:
    """Sort the found files into a ReadList; `shown(path)` names a path in reports.
    Attachments are written into `work_dir` (which the caller removes afterwards). Never
    raises for a bad mail file: it becomes a rejection."""
    out = ReadList()
    journals: dict[Path, dict[str, Origin]] = {}
    for path in pdfs:
        folder = path.parent
        if folder not in journals:
            journals[folder] = _journal_origins(folder, out, shown)
        out.add(path, shown(path), journals[folder].get(path.name))
    counter = 0
    for path in others:
        kind = mail_kind(path)
        if path.name == JOURNAL_NAME:
            if path.parent not in journals:
                journals[path.parent] = _journal_origins(path.parent, out, shown)
            continue
        if kind is None:
            out.others.append(path)
            continue
        name = shown(path)
        if kind == "msg":
            out.rejected.append((name, Note.of("outlook_msg")))
            continue
        if kind == "tnef":
            out.rejected.append((name, Note.of("winmail")))
            continue
        try:
            messages = [(name, path.read_bytes())] if kind == "eml" else \
                ((f"{name}#{i}", raw) for i, raw in enumerate(iter_mbox(path), start=1))
            for label, raw in messages:
                counter = _add_message(out, read_message(raw, mailbox=name), label,
                                       work_dir, counter)
        except OSError as exc:
            out.rejected.append((name, Note.of("mail_unreadable",
                                               detail=exc.strerror or str(exc))))
    return out


def _add_message(out: ReadList, message: MailMessage, label: str, work_dir: Path,
                 counter: int) -> int:
    out.messages += 1
    for note in message.notes:
        out.rejected.append(_mail_note(label, note))
    if not message.attachments and not message.notes:
        out.without_pdf.append(MailNote(label, message.origin))
    taken: set[str] = set()
    work_dir.mkdir(parents=True, exist_ok=True)
    for attachment in message.attachments:
        # the same bytes from the same sender are one form (as `guidepdf fetch` stores it)
        key = (hashlib.sha256(attachment.data).hexdigest(),
               attachment.origin.sender.casefold())
        if key in out.seen:
            out.repeated += 1
            continue
        out.seen.add(key)
        counter += 1
        target = work_dir / f"{counter:07d}.pdf"
        target.write_bytes(attachment.data)
        base = attachment.filename or "attachment.pdf"
        name, n = base, 2
        while name in taken:
            name, n = f"{base} ({n})", n + 1
        taken.add(name)
        out.add(target, f"{label}/{name}", attachment.origin)
    return counter


def _mail_note(label: str, note: str) -> tuple[str, Note]:
    """A message's note ("attachment: why", as parse and the fetch journal keep it) ->
    (what is shown, why), in the edition's words when it is one of guidepdf's."""
    why = note.partition(": ")[2]
    reason = Note.of("winmail") if why == TNEF_ADVICE else \
        Note.of("not_decoded") if why == NOT_DECODED else Note.as_written(why or note)
    return f"{label}: {note.split(':', 1)[0]}", reason


def _journal_origins(folder: Path, out: ReadList, shown: Callable[[Path], str]
                     ) -> dict[str, Origin]:
    """The origins `guidepdf fetch` recorded for the files in `folder`, by file name; the
    journal's messages without a PDF and its winmail.dat notes go into `out`."""
    if not (folder / JOURNAL_NAME).is_file():
        return {}
    journal = FetchJournal.load(folder)
    where = shown(folder / JOURNAL_NAME)
    counted: set[str] = set()
    for entry in journal.messages():
        key = entry.origin.message_id
        if key and key in counted:  # fetched again after the server renumbered the folder
            continue
        counted.add(key)
        out.messages += 1
        label = f"{where} uid {entry.origin.uid}"
        for note in entry.notes:
            out.rejected.append(_mail_note(label, note))
        if not entry.files and not entry.notes:
            out.without_pdf.append(MailNote(label, entry.origin))
    return journal.origins()
