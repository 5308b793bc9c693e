"""Plans round-trip through YAML and JSON without loss and match the documented schema."""

from __future__ import annotations

import json
from pathlib import Path

from guidepdf.notes import Note
from guidepdf.plans import Answer, ICChoice, Plan

SCHEMA = json.loads((Path(__file__).parents[2] / "src" / "guidepdf" / "plan.schema.json")
                    .read_text(encoding="utf-8"))

TRICKY = ["a\nb\n\nc", "  leading spaces\nx", "trailing \nx", "x\n", "\n\nx", "tab\there\nx",
          "=HYPERLINK(\"http://x\")", "emoji 😀\n日本", "", "quote \" and ' and: colon",
          "yes", "null", "0123", "- dash start", "# hash"]


def sample_plan() -> Plan:
    return Plan(
        role="coach", source="returned/a.pdf",
        respondent={"name": "Zoë", "email": "z@example.org", "group": "", "date": "2026-10-01"},
        recipient={"id": "7", "name": "Zoë", "email": "z@example.org", "group": "North"},
        fingerprint="abc", version="0.1.0", modified="D:20261001120000Z",
        answers=tuple(Answer(f"q{i}", f"Question {i}?", t, t[::-1])
                      for i, t in enumerate(TRICKY)),
        ic=(ICChoice("o1", "Outcome", "L2", "notes\nhere"), ICChoice("o2", "Other", None, "")),
        warnings=(Note.as_written("one warning"), Note.read_back("repaired", "mended")),
    )


def test_yaml_round_trip_is_lossless() -> None:
    """Every tricky answer survives Plan -> YAML -> Plan."""
    plan = sample_plan()
    assert Plan.from_yaml(plan.to_yaml()) == plan


def test_json_round_trip_is_lossless() -> None:
    """Plan -> JSON -> Plan gives the same plan."""
    plan = sample_plan()
    assert Plan.from_json(plan.to_json()) == plan


def test_warnings_keep_their_words_and_codes() -> None:
    """A warning made by the reader (a code and its values) is written with its English
    words and its code, and a plan read back from the file writes both unchanged; a file
    written before codes were kept reads its warnings as written."""
    plan = Plan(**{**sample_plan().__dict__, "warnings": (
        Note.of("name_shared", name="Ana", n=2), Note.of("repaired"))})
    data = json.loads(plan.to_json())
    assert data["warning_codes"] == ["name_shared", "repaired"]
    assert data["warnings"][0] == ("the name 'Ana' belongs to 2 people on the roster, so it "
                                   "was not used to match this form")
    again = Plan.from_json(plan.to_json())
    assert again.to_dict() == plan.to_dict()
    assert [w.code for w in again.warnings] == ["name_shared", "repaired"]
    old = {k: v for k, v in data.items() if k != "warning_codes"}
    assert Plan.from_dict(old).to_dict()["warning_codes"] == ["as_written", "as_written"]
    assert Plan.from_dict(old).to_dict()["warnings"] == data["warnings"]


def test_multiline_answers_read_as_blocks() -> None:
    """Multi-line answers are written as YAML | blocks so a plan file reads like the form."""
    assert "reflections: |-\n    a\n    b\n\n    c\n" in sample_plan().to_yaml()


def test_json_matches_documented_schema() -> None:
    """The JSON has exactly the documented top-level and nested keys."""
    data = json.loads(sample_plan().to_json())
    props = SCHEMA["properties"]
    assert set(SCHEMA["required"]) <= set(data) <= set(props)
    answer_keys = set(props["answers"]["items"]["properties"])
    assert all(set(a) == answer_keys for a in data["answers"])
    ic_keys = set(props["ic"]["items"]["properties"])
    assert all(set(c) == ic_keys for c in data["ic"])
    assert data["schema"] == props["schema"]["const"]
