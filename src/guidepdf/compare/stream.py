"""A summary.json (or the collect folder holding one) -> its IC maps' wording and, one at a
time, each kept response's IC levels, read as a stream (ijson): the answers are parsed and
dropped as they go by, so memory does not grow with the file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from guidepdf.dates import parse_iso, parse_pdf_date
from guidepdf.errors import CompareInputError

SUMMARY_SCHEMA = 1  # the summary.json layout this reads (report.model.SUMMARY_SCHEMA)


@dataclass(frozen=True)
class Outcome:
    id: str
    text: str
    standard: str


@dataclass
class Map:
    """One role's IC map as a summary.json describes it."""

    role: str
    title: str
    levels: tuple[str, ...]
    outcomes: dict[str, Outcome] = field(default_factory=dict)


@dataclass(frozen=True)
class Assessed:
    """One kept response that marked at least one IC outcome."""

    role: str
    name: str
    email: str
    group: str
    roster_id: str | None
    levels: dict[str, str]  # outcome id -> "L1".. or "NA" (blanks left out)

    @property
    def who(self) -> str:
        return self.name or self.email


def summary_path(path: Path) -> Path:
    """A summary.json, or the summary.json inside a collect folder."""
    path = Path(path)
    if path.is_dir():
        inner = path / "summary.json"
        if not inner.is_file():
            raise CompareInputError(f"{path}: no summary.json in this folder — give a "
                                    "summary.json or the folder collect wrote it into")
        return inner
    if not path.is_file():
        raise CompareInputError(f"{path}: no such file — give a summary.json or the folder "
                                "collect wrote it into")
    return path


@dataclass
class Head:
    """What comes before the responses: where the summary came from, and its IC maps; once
    the stream has ended, also the days its forms were returned on."""

    path: Path
    source: str = ""
    generator: str = ""
    maps: dict[str, Map] = field(default_factory=dict)
    first_day: str = ""  # YYYY-MM-DD of the earliest kept response (mail date, else ModDate)
    last_day: str = ""

    @property
    def name(self) -> str:
        """What a person calls this summary: its collect folder ("spring-2026"), or the
        file's own name when it is not called summary.json."""
        if self.path.name == "summary.json" and self.path.parent.name:
            return self.path.parent.name
        return self.path.stem


def response_day(response: dict[str, Any]) -> str:
    """YYYY-MM-DD a kept response was returned: its message's date when it came by mail,
    else the form's ModDate ("D:20261013174400Z"); "" when neither is readable."""
    origin = response.get("origin")
    sent = str(origin.get("date") or "") if isinstance(origin, dict) else ""
    moment = parse_iso(sent) or parse_pdf_date(str(response.get("modified") or ""))
    return moment.date().isoformat() if moment else ""


def read(path: Path) -> tuple[Head, Iterator[Assessed]]:
    """(the head, the assessed responses as a stream). The stream reads `path` once; the
    head is complete once the stream has started (summary.json writes "ic" before
    "responses")."""
    path = summary_path(path)
    head = Head(path)
    return head, _responses(path, head)


def _responses(path: Path, head: Head) -> Iterator[Assessed]:
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed in finally: this is a generator)
    except OSError as e:
        raise CompareInputError(f"{path}: cannot be read ({e.strerror or e}) — check the "
                                "path and its permissions") from e
    try:
        yield from _parse(handle, path, head)
    except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError) as e:
        raise CompareInputError(f"{path}: not valid JSON ({str(e).strip() or 'cut short'})"
                                " — give the summary.json that collect wrote") from e
    finally:
        handle.close()


def _parse(handle: BinaryIO, path: Path, head: Head) -> Iterator[Assessed]:
    schema_seen = False
    for prefix, value in _top_level(handle):
        if prefix == "schema":
            schema_seen = True
            if value != SUMMARY_SCHEMA:
                raise CompareInputError(f"{path}: summary.json schema {value!r}; this "
                                        f"guidepdf reads schema {SUMMARY_SCHEMA}")
        elif prefix in ("source", "generator"):
            setattr(head, prefix, str(value or ""))
        elif prefix == "ic":
            for m in value:
                head.maps[m["role"]] = Map(
                    m["role"], m["title"], tuple(m["levels"]),
                    {o["id"]: Outcome(o["id"], o["outcome"], o.get("standard", ""))
                     for o in m["outcomes"]})
        elif prefix == "responses.item":
            if not schema_seen:
                raise CompareInputError(f"{path}: not a summary.json (no schema before "
                                        "the responses)")
            day = response_day(value)
            if day:
                head.first_day = min(head.first_day or day, day)
                head.last_day = max(head.last_day, day)
            levels = {c["outcome_id"]: c["level"] for c in value.get("ic", ())
                      if c.get("level")}
            if levels:
                yield Assessed(value["role"], value.get("name", ""), value.get("email", ""),
                               value.get("group", ""), value.get("roster_id"), levels)
    if not schema_seen:
        raise CompareInputError(f"{path}: not a summary.json (it has no \"schema\")")


def _top_level(handle: BinaryIO) -> Iterator[tuple[str, Any]]:
    """(key, value) for the small top-level fields and "ic", then ("responses.item",
    response) for each response: one pass, one response in memory at a time."""
    events = ijson.parse(handle, use_float=True)
    for prefix, event, value in events:
        if event in ("string", "number", "null", "boolean") and prefix in (
                "schema", "source", "generator"):
            yield prefix, value
        elif prefix == "ic" and event == "start_array":
            yield "ic", _build(events, event, value)
        elif prefix == "responses.item" and event == "start_map":
            yield "responses.item", _build(events, event, value)


def _build(events: Iterator[tuple[str, str, Any]], event: str, value: Any) -> Any:
    """The value that starts with (event, value), built from the events that follow."""
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    depth = 1
    for _, e, v in events:
        builder.event(e, v)
        if e in ("start_map", "start_array"):
            depth += 1
        elif e in ("end_map", "end_array"):
            depth -= 1
            if depth == 0:
                break
    return builder.value
