"""FilledForm -> Plan, the structured record of one person's answers, and Plan <-> YAML/JSON
without loss. The JSON shape is documented in plan.schema.json beside this module."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import yaml

from guidepdf import formspec
from guidepdf.notes import AS_WRITTEN, Note, note_code
from guidepdf.read.reader import FilledForm

PLAN_SCHEMA = 1


@dataclass(frozen=True)
class Answer:
    question_id: str
    question: str  # the question text as it was in the form
    reflections: str
    first_steps: str


@dataclass(frozen=True)
class ICChoice:
    outcome_id: str
    outcome: str
    level: str | None  # "L1".. as in the form, "NA" not assessed, None unanswered
    notes: str


@dataclass(frozen=True)
class Plan:
    role: str
    source: str
    respondent: dict[str, str]  # name, email, group, date as typed in the form
    recipient: dict[str, str] | None  # from the manifest of a personalized copy
    fingerprint: str
    version: str
    modified: str
    answers: tuple[Answer, ...]
    ic: tuple[ICChoice, ...] = ()
    warnings: tuple[Note, ...] = ()
    schema: int = PLAN_SCHEMA
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def who(self) -> str:
        """The best name for the person: as typed, else the recipient's, else the file."""
        return self.respondent.get("name") or (self.recipient or {}).get("name") or self.source

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["answers"] = [asdict(a) for a in self.answers]
        data["ic"] = [asdict(c) for c in self.ic]
        data["warnings"] = [str(w) for w in self.warnings]
        data["warning_codes"] = [note_code(w) for w in self.warnings]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        return cls(
            role=data["role"], source=data["source"], respondent=dict(data["respondent"]),
            recipient=dict(data["recipient"]) if data.get("recipient") else None,
            fingerprint=data.get("fingerprint", ""), version=data.get("version", ""),
            modified=data.get("modified", ""),
            answers=tuple(Answer(**a) for a in data.get("answers", [])),
            ic=tuple(ICChoice(**c) for c in data.get("ic", [])),
            warnings=_notes(data.get("warnings", []), data.get("warning_codes", [])),
            schema=int(data.get("schema", 1)),
            extra=dict(data.get("extra", {})),
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Plan:
        return cls.from_dict(json.loads(text))

    def to_yaml(self) -> str:
        return yaml.dump(self.to_dict(), Dumper=_LiteralDumper, allow_unicode=True,
                         sort_keys=False, width=100)

    @classmethod
    def from_yaml(cls, text: str) -> Plan:
        return cls.from_dict(yaml.safe_load(text))


def _notes(texts: list[str], codes: list[str]) -> tuple[Note, ...]:
    """A plan file's warnings and their codes -> notes (a file without codes, written before
    they were kept: each warning as written)."""
    return tuple(Note.read_back(codes[i] if i < len(codes) else AS_WRITTEN, text)
                 for i, text in enumerate(texts))


class _LiteralDumper(yaml.SafeDumper):
    """Multi-line answers as | blocks, so a plan file reads like the form."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Ask for a | block; PyYAML's emitter falls back to a quoted scalar by itself whenever a
    # block could not carry the text exactly (trailing spaces, control characters).
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _str_representer)


def plan_from_form(form: FilledForm) -> Plan:
    manifest = form.manifest
    questions = manifest.questions if manifest else {}
    answers = tuple(
        Answer(qid, questions.get(qid, ""), cols.get("reflections", ""),
               cols.get("first_steps", ""))
        for qid, cols in form.answers.items())
    outcomes = manifest.ic_outcomes if manifest else {}
    ic = tuple(ICChoice(oid, outcomes.get(oid, ""), level, form.ic_notes.get(oid, ""))
               for oid, level in form.ic.items())
    recipient = None
    if manifest and manifest.recipient:
        recipient = asdict(manifest.recipient)
    return Plan(
        role=form.role, source=form.source, respondent=dict(form.respondent),
        recipient=recipient, fingerprint=manifest.fingerprint if manifest else "",
        version=manifest.version if manifest else "", modified=form.modified,
        answers=answers, ic=ic, warnings=tuple(form.warnings),
    )


__all__ = ["PLAN_SCHEMA", "Answer", "ICChoice", "Plan", "formspec", "plan_from_form"]
