"""THE form contract, shared by writer and reader: field names, the manifest, the content
fingerprint. Field names carry the role id and the question (or IC outcome) id and never a
'.', which PDF treats as a hierarchy separator."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

from guidepdf import __version__
from guidepdf.content.model import Content, Role, plain

SCHEMA_VERSION = 1
SEP = "__"
COLUMNS = ("reflections", "first_steps")
RESPONDENT_KEYS = ("name", "email", "group", "date")
IC_NOT_ASSESSED = "NA"
MANIFEST_FIELD = "guidepdf__manifest"
MANIFEST_INFO_KEY = "/GuidepdfManifest"

_ROLE_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_NAME = re.compile(r"^(?P<role>[a-z0-9]+(?:[-_][a-z0-9]+)*?)__(?P<rest>.+)$")


def answer_field(role_id: str, question_id: str, column: str) -> str:
    return f"{role_id}{SEP}{question_id}{SEP}{column}"


def respondent_field(role_id: str, key: str) -> str:
    return f"{role_id}{SEP}respondent{SEP}{key}"


def ic_field(role_id: str, outcome_id: str) -> str:
    return f"{role_id}{SEP}ic{SEP}{outcome_id}"


def ic_notes_field(role_id: str, outcome_id: str) -> str:
    return f"{role_id}{SEP}ic{SEP}{outcome_id}{SEP}notes"


def ic_level_value(index: int) -> str:
    """The export value of the radio button for level `index` (0-based): L1, L2, …"""
    return f"L{index + 1}"


@dataclass(frozen=True)
class FieldRef:
    """What a field name means: kind is 'answer', 'respondent', 'ic', 'ic_notes' or 'manifest'."""

    kind: str
    role: str
    key: str = ""  # question id, respondent key or outcome id
    column: str = ""


def parse_field_name(name: str) -> FieldRef | None:
    """Decode one of our field names; None when the name is not ours."""
    if name == MANIFEST_FIELD:
        return FieldRef("manifest", "")
    m = _NAME.match(name)
    if not m:
        return None
    role, parts = m["role"], m["rest"].split(SEP)
    if len(parts) == 2 and parts[0] == "respondent" and parts[1] in RESPONDENT_KEYS:
        return FieldRef("respondent", role, parts[1])
    if len(parts) == 2 and parts[0] == "ic":
        return FieldRef("ic", role, parts[1])
    if len(parts) == 3 and parts[0] == "ic" and parts[2] == "notes":
        return FieldRef("ic_notes", role, parts[1])
    if len(parts) == 2 and parts[1] in COLUMNS:
        return FieldRef("answer", role, parts[0], parts[1])
    return None


@dataclass(frozen=True)
class Recipient:
    id: str
    name: str
    email: str
    group: str = ""


@dataclass(frozen=True)
class Manifest:
    """What a fillable guide says about itself; survives re-saving in a hidden field."""

    role: str
    fingerprint: str
    questions: dict[str, str]  # question id -> question text, in order
    ic_outcomes: dict[str, str] = field(default_factory=dict)  # outcome id -> outcome text
    ic_levels: tuple[str, ...] = ()
    recipient: Recipient | None = None
    version: str = __version__
    schema: int = SCHEMA_VERSION

    def to_json(self) -> str:
        """Compact, ASCII-only JSON: safe in any PDF string and in any viewer's field code."""
        data = asdict(self)
        data["ic_levels"] = list(self.ic_levels)
        # not sort_keys: questions and outcomes keep the guide's order (dicts are ordered)
        return json.dumps(data, ensure_ascii=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if not isinstance(data, dict) or "role" not in data or "schema" not in data:
            raise ValueError("not a guidepdf manifest")
        if not isinstance(data["role"], str) or not _ROLE_ID.match(data["role"]):
            raise ValueError("manifest names no valid role id")
        recipient = data.get("recipient")
        return cls(
            role=str(data["role"]),
            fingerprint=str(data.get("fingerprint", "")),
            questions={str(k): str(v) for k, v in dict(data.get("questions", {})).items()},
            ic_outcomes={str(k): str(v) for k, v in dict(data.get("ic_outcomes", {})).items()},
            ic_levels=tuple(str(x) for x in data.get("ic_levels", [])),
            recipient=Recipient(**{k: str(recipient.get(k, "")) for k in
                                   ("id", "name", "email", "group")}) if recipient else None,
            version=str(data.get("version", "")),
            schema=int(data["schema"]),
        )


# (id of the framework, id of the role) -> (framework, role, fingerprint). The model is frozen,
# so a fingerprint never changes for the same objects; holding them keeps their ids from being
# reused by other objects while the entry lives. A collect asks once per form (15% of a
# reader worker's time before this), with a handful of roles.
_FINGERPRINTS: dict[tuple[int, int], tuple[object, Role, str]] = {}
_FINGERPRINTS_KEPT = 64


def fingerprint(content: Content, role: Role) -> str:
    """A short hash of everything that shaped this role's form (framework, brand, role);
    worked out once per framework and role objects, then remembered."""
    key = (id(content.framework), id(role))
    known = _FINGERPRINTS.get(key)
    if known is not None and known[0] is content.framework and known[1] is role:
        return known[2]
    data = {"framework": plain(content.framework), "role": plain(role)}
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True).encode()
    value = hashlib.sha256(blob).hexdigest()[:16]
    if len(_FINGERPRINTS) >= _FINGERPRINTS_KEPT:
        _FINGERPRINTS.clear()  # many contents loaded in one process (tests): start afresh
    _FINGERPRINTS[key] = (content.framework, role, value)
    return value


def manifest_for(content: Content, role: Role, recipient: Recipient | None = None) -> Manifest:
    icmap = role.icmap
    return Manifest(
        role=role.id,
        fingerprint=fingerprint(content, role),
        questions={q.id: q.text for q in role.questions},
        ic_outcomes={o.id: o.outcome for o in icmap.outcomes} if icmap else {},
        ic_levels=icmap.levels if icmap else (),
        recipient=recipient,
    )


def widget_count(manifest: Manifest) -> int:
    """How many widgets (field annotations) a fillable guide made with `manifest` has: one
    per respondent field and per answer cell; per IC outcome a radio button for each level
    and one for "not assessed", and its notes line; and the hidden manifest field's. The
    reader trusts a field tree holding exactly this many to have lost none to the pages."""
    outcomes = len(manifest.ic_outcomes) * (len(manifest.ic_levels) + 2)
    return len(RESPONDENT_KEYS) + len(COLUMNS) * len(manifest.questions) + outcomes + 1


def all_field_names(role: Role) -> list[str]:
    """Every field a fillable guide for `role` has, in tab order (the manifest field last)."""
    names = [respondent_field(role.id, k) for k in RESPONDENT_KEYS]
    for q in role.questions:
        names += [answer_field(role.id, q.id, c) for c in COLUMNS]
    if role.icmap:
        for o in role.icmap.outcomes:
            names += [ic_field(role.id, o.id), ic_notes_field(role.id, o.id)]
    return [*names, MANIFEST_FIELD]
