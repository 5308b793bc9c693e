"""Send outcomes -> sent.jsonl, and back: which people already have which copy, so that an
interrupted run, started again, sends each person their copy exactly once."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from guidepdf.distribute.outgoing import Outgoing
from guidepdf.errors import SendError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory lock on the journal
    fcntl = None  # type: ignore[assignment]


class Journal:
    """sent.jsonl: one JSON object per line, appended and flushed to disk per message.
    A line for a message starting ('sending') is written before it is handed to the
    server, its outcome ('sent' or 'failed') after; only 'sent' makes a resumed run skip
    it. A line cut short by a crash is ignored."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.records: list[dict[str, str]] = []
        self.damaged_lines = 0
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    record = json.loads(line)
                except ValueError:
                    self.damaged_lines += int(bool(line.strip()))
                    continue
                if isinstance(record, dict) and "key" in record:
                    self.records.append(record)
        self.sent = {r["key"] for r in self.records if r.get("status") == "sent"}
        self.sent_identities = {(r.get("id"), r.get("identity")) for r in self.records
                                if r.get("status") == "sent" and r.get("identity")}
        self.sent_ids = {r.get("id") for r in self.records if r.get("status") == "sent"}
        started = {_mark(r) for r in self.records if r.get("status") == "sending"}
        ended = {_mark(r) for r in self.records if r.get("status") in ("sent", "failed")}
        self.uncertain = started - ended  # the run stopped while these were in flight
        self._handle = None
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = open(self.path, "a", encoding="utf-8")  # noqa: SIM115
            if fcntl is not None:
                try:
                    fcntl.flock(self._handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    self._handle.close()
                    raise SendError(f"{self.path}: another send run is using this journal "
                                    "— wait for it to finish") from None
            if self.path.stat().st_size and not self.path.read_bytes().endswith(b"\n"):
                self._handle.write("\n")  # end a line torn by a crash before appending

    def is_sent(self, item: Outgoing) -> bool:
        """Whether this person already has this copy (same bytes, or same identity)."""
        return item.key in self.sent or (
            bool(item.identity) and (item.person.id, item.identity) in self.sent_identities)

    def was_in_flight(self, item: Outgoing) -> bool:
        """Whether a run stopped while this copy was being handed to the server."""
        return _mark(item) in self.uncertain

    def has_earlier_copy(self, item: Outgoing) -> bool:
        """Whether this person was sent a different copy (an earlier version) before."""
        return item.person.id in self.sent_ids and not self.is_sent(item)

    def record(self, item: Outgoing, status: str, reason: str = "") -> None:
        assert self._handle is not None, "journal opened read-only"
        entry = {"key": item.key, "id": item.person.id, "email": item.person.email,
                 "sha256": item.sha256, "identity": item.identity,
                 "message_id": item.message["Message-ID"],
                 "status": status, "time": datetime.now(UTC).isoformat(timespec="seconds")}
        if reason:
            entry["reason"] = reason
        self._handle.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self.records.append(entry)
        if status == "sent":
            self.sent.add(item.key)
            self.sent_identities.add((item.person.id, item.identity))
            self.sent_ids.add(item.person.id)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _mark(entry: dict[str, str] | Outgoing) -> tuple[str, str]:
    """(person id, identity or key) of a journal record or an item."""
    if isinstance(entry, Outgoing):
        return entry.person.id, entry.identity or entry.key
    return entry.get("id", ""), entry.get("identity") or entry["key"]
