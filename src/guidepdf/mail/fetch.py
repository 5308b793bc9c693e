"""An IMAP folder -> its PDF attachments saved into a folder, with the fetch journal: only
messages not fetched before are looked at, their structure is fetched in batches, then only
their PDF parts (BODY.PEEK: nothing on the server changes); each attachment is stored once
under a name made from its sender and date."""

from __future__ import annotations

import binascii
import hashlib
import imaplib
import os
import ssl
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

from imapclient import IMAPClient

from guidepdf import exitcodes
from guidepdf.errors import FetchError, OutputError, os_problem
from guidepdf.folderlock import holding
from guidepdf.mail.imap import EXIT_CONNECTION, ImapSettings, _close, connect, select
from guidepdf.mail.journal import FetchJournal
from guidepdf.mail.origin import Origin, mail_date, origin_from_headers
from guidepdf.mail.parse import TNEF_ADVICE
from guidepdf.mail.structure import PartRef, pdf_parts
from guidepdf.safenames import slug

EXIT_OUTPUT = exitcodes.OUTPUT  # the output folder cannot be written
HEADERS = "BODY.PEEK[HEADER.FIELDS (FROM DATE MESSAGE-ID SUBJECT)]"
STRUCTURE_BATCH = 250  # messages per FETCH of BODYSTRUCTURE + headers
PART_BYTES = 4 * 1024 * 1024  # encoded attachment bytes per FETCH of parts (bounds memory)

Progress = Callable[[int, int], None]  # (new messages done, new messages in all)


@dataclass
class FetchResult:
    out_dir: Path
    box: str
    found: int = 0  # messages in the folder (since the date, if given)
    already: int = 0  # of those, fetched by an earlier run
    new: int = 0  # looked at in this run
    saved: int = 0  # PDF files written
    same: int = 0  # attachments identical to one saved before: not stored again
    without_pdf: int = 0
    notes: list[str] = field(default_factory=list)  # one sentence each (winmail.dat, ...)

    def describe(self) -> str:
        """The final line of a run."""
        parts = [f"Fetched {self.saved} new PDF(s) from {self.new} new message(s) into "
                 f"{self.out_dir}/"]
        if self.same:
            parts.append(f"{self.same} attachment(s) already saved, not stored again")
        if self.without_pdf:
            parts.append(f"{self.without_pdf} message(s) without a PDF")
        if self.notes:
            parts.append(f"{len(self.notes)} attachment(s) that need the sender's help")
        parts.append(f"{self.already} message(s) fetched before")
        return "; ".join(parts)


@dataclass
class _Message:
    uid: int
    origin: Origin
    parts: list[PartRef]


def fetch_mailbox(settings: ImapSettings, out_dir: str | Path, since: date | None = None,
                  progress: Progress | None = None) -> FetchResult:
    """Save every PDF attachment of the folder's messages (since `since`) into `out_dir`.
    Raises FetchError (with its exit code) when the mailbox cannot be read; whatever was
    saved before that is in the journal, and the next run goes on from there. BusyError
    when another run is fetching into `out_dir`."""
    out_dir = Path(out_dir)
    try:
        with holding(out_dir, "fetch", "the folder for the PDFs"):  # one run at a time
            return _fetch(settings, out_dir, since, progress)
    except OutputError as exc:
        raise FetchError(str(exc), EXIT_OUTPUT) from None


def _fetch(settings: ImapSettings, out_dir: Path, since: date | None,
           progress: Progress | None) -> FetchResult:
    """fetch_mailbox, in a folder this run holds (its stale temporary files removed)."""
    try:
        journal = FetchJournal.load(out_dir, keep_entries=False)
    except OutputError as exc:
        raise FetchError(str(exc), EXIT_OUTPUT) from None
    except OSError as exc:
        raise FetchError(os_problem(exc.filename or out_dir, exc, "the folder for the PDFs"),
                         EXIT_OUTPUT) from None
    result = FetchResult(out_dir, settings.box)
    client = connect(settings)
    try:
        uidvalidity = select(client, settings)
        uids = sorted(client.search(["SINCE", since] if since else ["ALL"]))
        done = journal.done_uids(settings.box, uidvalidity)
        todo = [u for u in uids if u not in done]
        result.found, result.already = len(uids), len(uids) - len(todo)
        saver = _Saver(journal, settings.box, uidvalidity, result)
        for batch in _chunks(todo, STRUCTURE_BATCH):
            messages = _structures(client, batch, settings.box)
            for group in _by_size(messages):
                for message, bodies in _bodies(client, group):
                    saver.save(message, bodies)
                    if progress is not None:
                        progress(result.new, len(todo))
                journal.sync()
    except FetchError:
        raise
    except OutputError as exc:  # an attachment or the journal could not be written
        raise FetchError(f"{exc} (what was fetched before is kept)", EXIT_OUTPUT) from None
    except (imaplib.IMAP4.abort, OSError, ssl.SSLError, EOFError) as exc:
        if isinstance(exc, OSError) and exc.filename:  # our side: the output folder
            raise FetchError(os_problem(exc.filename, exc) + " (what was fetched before "
                             "is kept)", EXIT_OUTPUT) from None
        said = str(exc) or type(exc).__name__
        raise FetchError(f"{settings.host}: the connection was lost after {result.new} of "
                         f"{result.found - result.already} new message(s) ({said}); "
                         "what was fetched is saved — run the same command again to fetch "
                         "the rest", EXIT_CONNECTION) from None
    finally:
        journal.close()
        _close(client)
    return result


def _chunks(items: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def _structures(client: IMAPClient, uids: list[int], box: str) -> list[_Message]:
    """Headers and BODYSTRUCTURE of a batch of messages, in UID order."""
    data = client.fetch(uids, ["BODYSTRUCTURE", HEADERS, "INTERNALDATE"])
    messages = []
    for uid in uids:
        item = data.get(uid)
        if item is None:  # expunged meanwhile
            continue
        raw = next((v for k, v in item.items() if k.startswith(b"BODY[HEADER")), b"") or b""
        headers = BytesHeaderParser().parsebytes(raw)
        origin = origin_from_headers(headers, mailbox=box, uid=uid)
        if not origin.date and item.get(b"INTERNALDATE"):
            origin = replace(origin, date=mail_date(item[b"INTERNALDATE"]))
        try:
            parts = pdf_parts(item[b"BODYSTRUCTURE"])
        except (IndexError, TypeError, ValueError, KeyError):
            parts = []
        messages.append(_Message(uid, origin, parts))
    return messages


def _by_size(messages: list[_Message]) -> Iterator[list[_Message]]:
    """Consecutive runs of messages whose PDF parts add up to at most PART_BYTES (a single
    larger message goes alone)."""
    group: list[_Message] = []
    total = 0
    for message in messages:
        size = sum(p.size for p in message.parts if p.kind != "tnef")
        if group and total + size > PART_BYTES:
            yield group
            group, total = [], 0
        group.append(message)
        total += size
    if group:
        yield group


def _bodies(client: IMAPClient, group: list[_Message]
            ) -> Iterator[tuple[_Message, dict[str, bytes]]]:
    """Each message of the group with its wanted parts, decoded; one FETCH per set of
    section numbers (usually one for the whole group)."""
    wanted: dict[tuple[str, ...], list[int]] = {}
    for m in group:
        sections = tuple(p.section for p in m.parts if p.kind != "tnef")
        if sections:
            wanted.setdefault(sections, []).append(m.uid)
    fetched: dict[int, dict[bytes, Any]] = {}
    for sections, uids in wanted.items():
        fetched.update(client.fetch(uids, [f"BODY.PEEK[{s}]" for s in sections]))
    for m in group:
        item = fetched.pop(m.uid, {})
        bodies = {}
        for p in m.parts:
            if p.kind == "tnef":
                continue
            raw = item.get(f"BODY[{p.section}]".encode())
            if raw is not None:
                bodies[p.section] = _decode(raw, p.encoding)
        yield m, bodies


def _decode(raw: bytes, encoding: str) -> bytes:
    try:
        if encoding == "base64":
            return binascii.a2b_base64(raw)
        if encoding == "quoted-printable":
            return binascii.a2b_qp(raw)
    except binascii.Error:
        pass
    return raw


class _Saver:
    """Stores a message's attachments (each distinct one once) and journals the message."""

    def __init__(self, journal: FetchJournal, box: str, uidvalidity: int,
                 result: FetchResult) -> None:
        self.journal, self.box, self.uidvalidity, self.result = journal, box, uidvalidity, result

    def save(self, message: _Message, bodies: dict[str, bytes]) -> None:
        files: list[str] = []
        notes: list[str] = []
        pdfs = [p for p in message.parts if p.kind != "tnef"]
        for part in message.parts:
            if part.kind == "tnef":
                notes.append(f"{part.filename or 'winmail.dat'}: {TNEF_ADVICE}")
                continue
            data = bodies.get(part.section)
            if data is None:
                notes.append(f"{part.filename or 'an attachment'}: the server did not send "
                             "this attachment")
                continue
            if part.kind == "maybe-pdf" and not data.lstrip()[:5].startswith(b"%PDF"):
                continue
            origin = _part_origin(message.origin, part)
            files.append(self._store(data, origin, part.section,
                                     len(files) + 1 if len(pdfs) > 1 else 0))
        self.journal.record_message(self.box, self.uidvalidity, message.origin, files, notes)
        self.result.new += 1
        self.result.notes += [f"{message.origin.describe()}: {n}" for n in notes]
        if not files and not notes:
            self.result.without_pdf += 1

    def _store(self, data: bytes, origin: Origin, section: str, number: int) -> str:
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        # the same bytes from the same sender are one form; from someone else (two people
        # returning the same blank copy) they are that person's return, kept apart
        known = self.journal.by_digest.get((digest, origin.sender.casefold()))
        if known is not None:
            self.result.same += 1
            return known
        stem = file_stem(origin, number)
        n = 1
        while True:
            name = f"{stem}.pdf" if n == 1 else f"{stem}-{n}.pdf"
            n += 1
            if name.lower() in self.journal.taken:
                continue
            path = self.journal.folder / name
            if path.exists() and name not in self.journal.lost:
                if _digest_of(path) != digest:  # someone else's file: leave it alone
                    continue
            else:  # (an existing file with these bytes: a killed run saved it unjournaled)
                _write(path, data)
            break
        self.journal.record_part(self.box, self.uidvalidity, origin, section, digest, name,
                                 len(data))
        self.result.saved += 1
        return name


def _part_origin(outer: Origin, part: PartRef) -> Origin:
    if part.forwarded_from is None or not part.forwarded_from[1]:
        return replace(outer, attachment=part.filename)
    name, addr, when, subject = part.forwarded_from
    return replace(outer, sender=addr, sender_name=name, date=mail_date(when) or outer.date,
                   subject=subject or outer.subject, attachment=part.filename,
                   forwarded_by=outer.sender if outer.sender.lower() != addr.lower() else "")


def file_stem(origin: Origin, number: int = 0) -> str:
    """'2026-03-04_1412_jane-doe-example-org' (+ '_2' for a message's second PDF): safe
    on every OS, sorted by date in a file list."""
    moment = origin.moment
    when = moment.strftime("%Y-%m-%d_%H%M") if moment else "undated"
    stem = f"{when}_{slug(origin.sender, fallback='unknown-sender', max_length=60)}"
    return f"{stem}_{number}" if number else stem


def _write(path: Path, data: bytes) -> None:
    """Temp file + rename, so a reader or a killed run never sees half a file. Not
    fsynced one by one (that would cost more than the fetch): the journal checks sizes."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # what remove_stale_temps finds
    try:
        with tmp.open("wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _digest_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return "sha256:" + h.hexdigest()
