"""Summary <-> summary.json: the versioned, machine-readable form of a collection (the
numbers and every answer) that the PDF, CSV and XLSX are made from. The shape is
documented, field by field, in summary.schema.json beside this module ("schema": 1)."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from guidepdf.mail.origin import Origin
from guidepdf.report.model import (
    SUMMARY_SCHEMA,
    AnswerRow,
    Duplicate,
    FollowUpState,
    GroupSummary,
    ICGroupSummary,
    ICOutcomeSummary,
    ICRow,
    ICStandardSummary,
    ICSummary,
    LengthHistogram,
    Missing,
    NoAttachment,
    QuestionSummary,
    Rejected,
    Response,
    RoleSummary,
    Summary,
    Term,
    Totals,
)
from guidepdf.report.spool import SpooledInts
from guidepdf.report.themes import Quote, Theme

SCHEMA_PATH = Path(__file__).with_name("summary.schema.json")
_FIRST = ("schema", "generator", "source", "roster")


def to_dict(summary: Summary) -> dict[str, Any]:
    """The summary as plain JSON data (every response in memory: chunks() does not)."""
    data = asdict(dataclasses.replace(summary, responses=()))
    data["responses"] = [asdict(r) for r in summary.responses]
    return {**{k: data.pop(k) for k in _FIRST}, **data}


def dumps(summary: Summary) -> str:
    """Pretty, UTF-8, stable: the same summary always gives the same text — exactly
    json.dumps(to_dict(summary), indent=1) + newline."""
    return "".join(chunks(summary))


def chunks(summary: Summary) -> Iterator[str]:
    """dumps() in pieces, one item of each list at a time (one response, one role...), so a
    collection of thousands of forms is written without holding its JSON, or a dict copy of
    it, in memory: at 20,000 forms the themes alone list ~700,000 people, which json.dumps
    with indent= made into ~100 MiB of pieces before joining them."""
    names = [f.name for f in dataclasses.fields(summary)]
    yield "{"
    for n, key in enumerate([*_FIRST, *(k for k in names if k not in _FIRST)]):
        value = getattr(summary, key)
        yield f"{',' if n else ''}\n {json.dumps(key)}: "
        if isinstance(value, Sequence) and not isinstance(value, str) and len(value):
            yield "["
            for i, item in enumerate(value):
                yield (",\n  " if i else "\n  ") + _json(item, "\n  ")
            yield "\n ]"
        else:
            yield _json(value, "\n ")
    yield "\n}\n"


def _json(value: Any, line: str) -> str:
    """json.dumps(asdict(value), ensure_ascii=False, indent=1) for a value that starts a
    line `line` (a newline and its indent), without the copy asdict makes or the pure-Python
    encoder that indent= brings: a response's JSON in about a third of the time."""
    cls = type(value)
    if cls is str:
        return _string(value)
    if cls is int:  # a count: most values that are not text (json.dumps costs 3 us each)
        return int.__repr__(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if cls is float and math.isfinite(value):
        return float.__repr__(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int | float):  # NaN, infinities, subclasses: as json.dumps does
        return json.dumps(value)
    names = _FIELDS.get(type(value))
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS[type(value)] = tuple(f.name for f in dataclasses.fields(value))
    inner = line + " "
    if names is not None:
        if not names:
            return "{}"
        # each field's '{\n   "name": ' or ',\n   "name": ', made once per type and depth
        heads = _HEADS.get((names, inner))
        if heads is None:
            heads = _HEADS[(names, inner)] = tuple(
                ("," if i else "{") + inner + _string(name) + ": "
                for i, name in enumerate(names))
        out = []
        for head, name in zip(heads, names, strict=True):
            v = getattr(value, name)
            out.append(head)
            t = type(v)  # the most common, here: the rest as _json writes them
            out.append(_string(v) if t is str else "null" if v is None
                       else int.__repr__(v) if t is int else _json(v, inner))
        out.append(line + "}")
        return "".join(out)
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{" + inner + ("," + inner).join(
            f"{_string(k) if isinstance(k, str) else _other_key(k)}: {_json(v, inner)}"
            for k, v in value.items()) + line + "}"
    if isinstance(value, list | tuple | SpooledInts):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join(
            [_string(v) if type(v) is str else int.__repr__(v) if type(v) is int
             else _json(v, inner) for v in value]) + line + "]"
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _other_key(key: Any) -> str:
    """A key that is not a string, as json.dumps writes it (a quoted true, 1, 1.5...)."""
    if isinstance(key, bool) or key is None or isinstance(key, int | float):
        return _string(json.dumps(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


_FIELDS: dict[type, tuple[str, ...]] = {}
_HEADS: dict[tuple[tuple[str, ...], str], tuple[str, ...]] = {}
_string = json.encoder.encode_basestring  # the C one where there is one, as dumps uses


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every summary.json of this version follows."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def loads(text: str) -> Summary:
    """Read a summary.json back; ValueError for another schema version."""
    data = json.loads(text)
    if data.get("schema") != SUMMARY_SCHEMA:
        raise ValueError(f"summary.json has schema {data.get('schema')!r}; this guidepdf "
                         f"reads schema {SUMMARY_SCHEMA}")
    return Summary(
        source=data["source"], roster=data["roster"], totals=Totals(**data["totals"]),
        roles=tuple(RoleSummary(**{**r, "themes": _themes(r.get("themes", ())),
                                   "questions": tuple(QuestionSummary(**{
                                       **q, "terms": tuple(Term(**t) for t in q["terms"]),
                                       "themes": _themes(q.get("themes", ()))})
                                       for q in r["questions"])}) for r in data["roles"]),
        groups=tuple(GroupSummary(**g) for g in data["groups"]),
        lengths=LengthHistogram(tuple(data["lengths"]["bins"]),
                                tuple(data["lengths"]["lower"]),
                                {k: tuple(v) for k, v in data["lengths"]["counts"].items()}),
        ic=tuple(ICSummary(
            role=m["role"], title=m["title"], levels=tuple(m["levels"]),
            respondents=m["respondents"],
            outcomes=tuple(ICOutcomeSummary(**o) for o in m["outcomes"]),
            standards=tuple(ICStandardSummary(**s) for s in m["standards"]),
            groups=tuple(ICGroupSummary(**g) for g in m["groups"])) for m in data["ic"]),
        responses=tuple(Response(**{
            **r, "warnings": tuple(r["warnings"]),
            "warning_codes": tuple(r.get("warning_codes", ())),
            "answers": tuple(AnswerRow(**a) for a in r["answers"]),
            "ic": tuple(ICRow(**c) for c in r["ic"]),
            "origin": Origin.from_dict(r["origin"]) if r.get("origin") else None})
            for r in data["responses"]),
        duplicates=tuple(Duplicate(**d) for d in data["duplicates"]),
        missing=tuple(Missing(**m) for m in data["missing"]),
        rejected=tuple(Rejected(**{**r, "origin": Origin.from_dict(r["origin"])
                                   if r.get("origin") else None}) for r in data["rejected"]),
        ignored=tuple(data["ignored"]), roster_problems=tuple(data["roster_problems"]),
        without_attachment=tuple(NoAttachment(**n)
                                 for n in data.get("without_attachment", ())),
        generator=data["generator"], schema=data["schema"],
        followup=FollowUpState(**data["followup"]) if data.get("followup") else None,
    )


def _themes(items: Any) -> tuple[Theme, ...]:
    return tuple(Theme(**{**t, "people": tuple(t["people"]),
                          "quotes": tuple(Quote(**q) for q in t["quotes"])}) for t in items)
