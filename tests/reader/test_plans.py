"""Plans round-trip through YAML and JSON without loss and match the documented schema."""

from __future__ import annotations

import json
from pathlib import Path

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
        warnings=("one warning",),
    )


def test_yaml_round_trip_is_lossless() -> None:
    """Every tricky answer survives Plan -> YAML -> Plan."""
    plan = sample_plan()
    assert Plan.from_yaml(plan.to_yaml()) == plan


def test_json_round_trip_is_lossless() -> None:
    """Plan -> JSON -> Plan gives the same plan."""
    plan = sample_plan()
    assert Plan.from_json(plan.to_json()) == plan


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
