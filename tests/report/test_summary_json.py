"""summary.json: versioned, documented by its schema, read back without loss."""

from __future__ import annotations

import dataclasses
import enum
import json

import jsonschema
import pytest

from guidepdf.report import summary_json
from guidepdf.report.model import Summary


def test_dumps_follows_the_schema_and_starts_with_the_version(small_summary: Summary) -> None:
    """The JSON validates against summary.schema.json; "schema": 1 comes first."""
    text = summary_json.dumps(small_summary)
    data = json.loads(text)
    jsonschema.validate(data, summary_json.schema())
    assert list(data)[:4] == ["schema", "generator", "source", "roster"]
    assert data["schema"] == 1
    assert "олег петров" in text  # UTF-8, not \\u escapes


def test_dumps_is_json_dumps_made_piece_by_piece(small_summary: Summary) -> None:
    """The response-at-a-time writer gives exactly json.dumps(indent=1) of the whole, with
    and without responses."""
    for summary in (small_summary, dataclasses.replace(small_summary, responses=())):
        whole = json.dumps(summary_json.to_dict(summary), ensure_ascii=False, indent=1)
        assert summary_json.dumps(summary) == whole + "\n"


def test_loads_gives_back_the_same_summary(small_summary: Summary) -> None:
    """loads(dumps(s)) == s, field for field."""
    assert summary_json.loads(summary_json.dumps(small_summary)) == small_summary


def test_every_field_is_documented() -> None:
    """Each property of the schema's objects has a description or a fixed shape."""
    schema = summary_json.schema()
    assert schema["properties"]["schema"]["const"] == 1
    for name in ("totals", "lengths"):
        for key, prop in schema["properties"][name]["properties"].items():
            assert "description" in prop or "$ref" in prop or "type" in prop, key


def test_another_version_is_refused(small_summary: Summary) -> None:
    """A summary.json of another schema version raises ValueError naming both."""
    data = json.loads(summary_json.dumps(small_summary))
    data["schema"] = 2
    with pytest.raises(ValueError, match=r"schema 2.*reads schema 1"):
        summary_json.loads(json.dumps(data))


def test_a_response_is_written_as_json_dumps_of_asdict_writes_it() -> None:
    """chunks() writes each response without asdict and indent= (summary_json._json): the
    text must be json.dumps's to the character, with every kind of value a response holds."""
    from guidepdf.mail.origin import Origin
    from guidepdf.report.model import AnswerRow, ICRow, Response

    class Level(enum.IntEnum):  # subclasses of int and str: written as json.dumps does
        TWO = 2

    class Name(str):
        pass

    response = Response(
        role="coach", name='Jo "Q" \u00e9\u4e2d\n\t\x01\\', email="a@b", group="", date="",
        source="x/y.pdf", modified="D:2026", roster_id=None, matched_by=None, on_roster=True,
        warnings=("w1", "\u2028"), answers=(AnswerRow("q1", "r\\x", ""),),
        ic=(ICRow("o1", None, ""), ICRow("o2", "L1", "n")), origin=Origin("s@x", uid=5),
        warning_codes=())
    others = [{"a": [], "b": {}, 2: 2.5, True: None, None: float("nan"),
               "c": [1, [2, {"d": ()}]], "e": False}, [], {}, "s", 3, -0.0, float("inf"),
              -float("inf"), True, -7, 10 ** 20, 0.1, 1e300, 5e-324, Level.TWO, Name("x")]
    for value in [response, dataclasses.replace(response, origin=None, ic=()), *others]:
        plain = dataclasses.asdict(value) if dataclasses.is_dataclass(value) else value
        want = json.dumps(plain, ensure_ascii=False, indent=1)
        assert summary_json._json(value, "\n") == want
        indented = "\n".join("  " + line for line in want.split("\n"))
        assert "  " + summary_json._json(value, "\n  ") == indented
    with pytest.raises(TypeError):
        summary_json._json(object(), "\n")


def test_the_writer_holds_one_item_at_a_time(small_summary: Summary) -> None:
    """At 20,000 forms the themes list ~700,000 people; the whole head of summary.json made
    by json.dumps(indent=1) took ~100 MiB in the process writing it. chunks() writes each
    role (each item of every list) on its own: its memory is one role's text."""
    import tracemalloc

    from guidepdf.report.themes import Quote, Theme

    people = tuple(range(1000, 4000))
    themes = tuple(Theme(f"phrase {n}", 2, len(people), people, (Quote("q", "w", 1000),))
                   for n in range(100))
    roles = tuple(dataclasses.replace(r, themes=themes) for r in small_summary.roles)
    summary = dataclasses.replace(small_summary, roles=roles * 2)  # 600,000+ mentions
    expected = json.dumps(summary_json.to_dict(summary), ensure_ascii=False, indent=1) + "\n"
    tracemalloc.start()
    try:
        size = 0
        for chunk in summary_json.chunks(summary):
            size += len(chunk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert size == len(expected)
    assert summary_json.dumps(summary) == expected
    assert peak < 32 * 2**20, f"{peak / 2**20:.1f} MiB"  # 192 MiB when made whole
