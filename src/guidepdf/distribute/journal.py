"""Send outcomes -> sent.jsonl, and back: which people already have which copy, so that an
interrupted run, started again, sends each person their copy exactly once."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from guidepdf.distribute.outgoing import Outgoing
from guidepdf.errors import OutputError, SendError, os_problem

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory lock on the journal
    fcntl = None  # type: ignore[assignment]


FORMAT = 2  # 2: 'handing' marks the end of DATA; a bare 'sending' was cut off before it
OUTCOMES = ("sent", "failed", "uncertain")


class Journal:
    """sent.jsonl: one JSON object per line, appended and fsynced per line. Per message:
    'sending' before MAIL FROM; 'handing' just before the end of DATA goes out (from
    here on the server may have it); then 'sent' (written and fsynced right after the
    server's 250), 'failed' (the server said no, or the end of DATA never went out) or
    'uncertain' (no clear answer after the end of DATA). A message whose last line is
    'handing' or 'uncertain' is uncertain: a resumed run lists it and sends it only when
    asked. Only 'sent' makes a resumed run skip it. A line cut short by a crash is
    ignored."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.records: list[dict[str, str]] = []
        self.damaged_lines = 0
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace") \
                if self.path.exists() else ""
        except OSError as exc:  # a folder of that name, no permission
            raise OutputError(self.path, exc, "the send journal") from None
        if text:
            for line in text.splitlines():
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
        self.last: dict[tuple[str, str], dict[str, str]] = {}
        for r in self.records:
            self.last[_mark(r)] = r
        self._handle = None
        if not readonly:
            self._open()

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            created = not self.path.exists()
            self._handle = open(self.path, "a", encoding="utf-8")  # noqa: SIM115
            if created:
                _fsync_dir(self.path.parent)
        except OSError as exc:  # nothing was sent yet: the CLI says so and exits 7
            raise OutputError(self.path, exc, "the send journal") from None
        assert self._handle is not None
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

    def is_uncertain(self, item: Outgoing) -> bool:
        """Whether the server may already have this copy: the end of its DATA went out
        and no clear answer was journaled (a run died, the connection broke, the reply
        came too late)."""
        if self.is_sent(item):
            return False
        last = self.last.get(_mark(item))
        if last is None:
            return False
        status = last.get("status")
        # a journal from before FORMAT 2 has no 'handing': any cut-off message may be there
        return status in ("handing", "uncertain") or (
            status == "sending" and last.get("v") != FORMAT)

    def uncertain_reason(self, item: Outgoing) -> str:
        last = self.last.get(_mark(item), {})
        if last.get("status") == "uncertain" and last.get("reason"):
            return f"{last['reason']} ({last.get('time', '')})"
        return (f"an earlier run stopped after handing the message to the server, before "
                f"its answer was journaled ({last.get('time', 'time unknown')})")

    def has_earlier_copy(self, item: Outgoing) -> bool:
        """Whether this person was sent a different copy (an earlier version) before."""
        return item.person.id in self.sent_ids and not self.is_sent(item)

    def record(self, item: Outgoing, status: str, reason: str = "") -> None:
        assert self._handle is not None, "journal opened read-only"
        entry = {"key": item.key, "id": item.person.id, "email": item.person.email,
                 "sha256": item.sha256, "identity": item.identity,
                 "message_id": item.message["Message-ID"],
                 "status": status, "time": datetime.now(UTC).isoformat(timespec="seconds"),
                 "v": FORMAT}
        if reason:
            entry["reason"] = reason
        try:
            self._handle.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
            self._handle.flush()
            os.fsync(self._handle.fileno())
        except OSError as exc:
            raise SendError(os_problem(self.path, exc, "the send journal")) from None
        self.records.append(entry)
        self.last[_mark(entry)] = entry
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


def _fsync_dir(folder: Path) -> None:
    """Make a new file's name itself durable (its directory entry)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _mark(entry: dict[str, str] | Outgoing) -> tuple[str, str]:
    """(person id, identity or key) of a journal record or an item."""
    if isinstance(entry, Outgoing):
        return entry.person.id, entry.identity or entry.key
    return entry.get("id", ""), entry.get("identity") or entry["key"]
