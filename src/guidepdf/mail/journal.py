"""The fetch journal `fetched.jsonl` in a folder of fetched forms: one JSON line per saved
attachment and per finished message (mailbox, UIDVALIDITY/UID, Message-ID, digest, size,
file, origin), so a rerun fetches only what is new and a run killed at any moment neither
loses nor duplicates an attachment.

Each line is written (to the kernel) as soon as its file is in place, which is all a kill
needs; the journal is fsynced once per batch of messages (`sync`), not per line, which would
cost more than the fetch. Against a power cut between two syncs, loading checks that every
journaled file is there with its size; a message whose file is not is fetched again."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guidepdf.mail.origin import Origin

JOURNAL_NAME = "fetched.jsonl"


@dataclass(frozen=True)
class MessageEntry:
    box: str
    uidvalidity: int
    origin: Origin
    files: tuple[str, ...]  # the files holding its PDFs (some may have come earlier)
    notes: tuple[str, ...]  # e.g. winmail.dat advice


class FetchJournal:
    """Read what earlier runs recorded; append what this one does (`record_*`)."""

    def __init__(self, folder: Path, keep_entries: bool = True) -> None:
        self.folder = Path(folder)
        self.keep_entries = keep_entries  # for origins() and messages(); fetch needs neither
        self.path = self.folder / JOURNAL_NAME
        self._entries: list[dict[str, Any]] = []
        self._handle: Any = None
        self.by_digest: dict[tuple[str, str], str] = {}  # (digest, sender) -> file name
        self.files: set[str] = set()
        self.taken: set[str] = set()  # the files' names lowercased (Windows, macOS ignore case)
        self.lost: set[str] = set()  # journaled files missing or cut short: ours to rewrite
        self._done: dict[tuple[str, int], set[int]] = {}
        self._done_ids: dict[str, set[str]] = {}

    @classmethod
    def load(cls, folder: Path, keep_entries: bool = True) -> FetchJournal:
        """What earlier runs recorded. A fetch loads with keep_entries=False: it needs only
        the indexes (done UIDs, digests, names), so its memory does not grow with the
        folder's history."""
        journal = cls(folder, keep_entries)
        try:
            text = journal.path.read_bytes()
        except FileNotFoundError:
            return journal
        lost: set[tuple[str, int, int]] = set()
        entries = []
        for line in text.splitlines():
            try:
                entry = json.loads(line)
            except ValueError:  # the last line of a run killed while writing it
                continue
            if not isinstance(entry, dict):
                continue
            if entry.get("t") == "part" and not journal._intact(entry):
                lost.add((entry.get("box"), entry.get("uidvalidity"), entry.get("uid")))
                journal.lost.add(str(entry.get("file")))
                continue
            entries.append(entry)
        for entry in entries:
            if entry.get("t") == "message" and (entry.get("box"), entry.get("uidvalidity"),
                                                entry.get("uid")) in lost:
                continue  # its file went missing: fetch the message again
            journal._remember(entry)
        return journal

    def _intact(self, entry: dict[str, Any]) -> bool:
        """The journaled file is there with the size recorded (entries of older runs
        without a size: there at all)."""
        try:
            size = (self.folder / entry["file"]).stat().st_size
        except (OSError, KeyError, TypeError):
            return False
        return entry.get("size") in (None, size)

    def _remember(self, entry: dict[str, Any]) -> None:
        if self.keep_entries:
            self._entries.append(entry)
        if entry.get("t") == "part":
            sender = str(entry.get("origin", {}).get("sender", "")).casefold()
            self.by_digest.setdefault((entry["digest"], sender), entry["file"])
            self.files.add(entry["file"])
            self.taken.add(str(entry["file"]).lower())
        elif entry.get("t") == "message":
            self._done.setdefault((entry["box"], entry["uidvalidity"]), set()).add(
                entry["uid"])
            if entry.get("message_id"):
                self._done_ids.setdefault(entry["box"], set()).add(entry["message_id"])

    # --- what was done ---------------------------------------------------------------

    def done_uids(self, box: str, uidvalidity: int) -> set[int]:
        return self._done.get((box, uidvalidity), set())

    def done_message_ids(self, box: str) -> set[str]:
        return self._done_ids.get(box, set())

    def origins(self) -> dict[str, Origin]:
        """File name -> the origin of the first message it came in."""
        self._need_entries()
        found: dict[str, Origin] = {}
        for entry in self._entries:
            if entry.get("t") == "part":
                found.setdefault(entry["file"], Origin.from_dict(entry["origin"]))
        return found

    def messages(self) -> list[MessageEntry]:
        self._need_entries()
        return [MessageEntry(e["box"], e["uidvalidity"], Origin.from_dict(e["origin"]),
                             tuple(e.get("files", ())), tuple(e.get("notes", ())))
                for e in self._entries if e.get("t") == "message"]

    def _need_entries(self) -> None:
        if not self.keep_entries:
            raise RuntimeError("this journal was loaded without its entries")

    # --- recording -------------------------------------------------------------------

    def record_part(self, box: str, uidvalidity: int, origin: Origin, section: str,
                    digest: str, file: str, size: int) -> None:
        self._append({"t": "part", "box": box, "uidvalidity": uidvalidity, "uid": origin.uid,
                      "message_id": origin.message_id, "section": section, "digest": digest,
                      "size": size, "file": file, "origin": origin.to_dict()})

    def record_message(self, box: str, uidvalidity: int, origin: Origin,
                       files: list[str], notes: list[str]) -> None:
        self._append({"t": "message", "box": box, "uidvalidity": uidvalidity,
                      "uid": origin.uid, "message_id": origin.message_id, "files": files,
                      "notes": notes, "origin": origin.to_dict()})

    def _append(self, entry: dict[str, Any]) -> None:
        if self._handle is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("ab")
            if self._handle.tell():  # a killed run may have left half a line
                with self.path.open("rb") as check:
                    check.seek(-1, os.SEEK_END)
                    if check.read(1) != b"\n":
                        self._handle.write(b"\n")
        self._handle.write(json.dumps(entry, ensure_ascii=False, sort_keys=True)
                           .encode("utf-8") + b"\n")
        self._handle.flush()  # in the kernel now: a killed process loses nothing
        self._remember(entry)

    def sync(self) -> None:
        """Make what was journaled so far durable (the files it names are written first)."""
        if self._handle is not None:
            os.fsync(self._handle.fileno())

    def close(self) -> None:
        if self._handle is not None:
            self.sync()
            self._handle.close()
            self._handle = None

    def __enter__(self) -> FetchJournal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
