"""The typed content model: what the loader produces and the layout consumes.

Every object keeps `pos`, where it was written, so later checks can point at the YAML; `pos`
is left out of comparisons and of the content fingerprint.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from guidepdf.content.labels import Labels, shipped_labels
from guidepdf.errors import Position

_NOWHERE = Position("")


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    color: str
    description: str
    pos: Position = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Standard:
    id: str
    name: str
    category: str
    color: str
    summary: str
    pos: Position = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Framework:
    name: str
    lead: str
    overview: str
    wheel_alt: str
    categories: tuple[Category, ...]
    standards: tuple[Standard, ...]
    foundations: tuple[str, ...]
    chain: tuple[str, ...]
    chain_note: str

    def category(self, category_id: str) -> Category:
        return next(c for c in self.categories if c.id == category_id)

    def standards_in(self, category_id: str) -> tuple[Standard, ...]:
        return tuple(s for s in self.standards if s.category == category_id)

    def standard(self, standard_id: str) -> Standard:
        return next(s for s in self.standards if s.id == standard_id)


@dataclass(frozen=True)
class Resource:
    title: str
    description: str


@dataclass(frozen=True)
class Logo:
    """The organization's logo: a PNG, JPEG or SVG file in the content folder, and the text
    a screen reader says for it."""

    path: Path
    alt: str


@dataclass(frozen=True)
class Fonts:
    regular: Path
    bold: Path
    italic: Path
    field_font: Path | None = None  # what form fields draw answers with; None: `regular`

    @property
    def for_fields(self) -> Path:
        return self.field_font or self.regular


@dataclass(frozen=True)
class Colors:
    primary: str
    accent: str
    text: str
    muted: str
    rule: str


@dataclass(frozen=True)
class Brand:
    organization: str
    url: str
    edition: str
    date: str
    language: str
    attribution: str
    footer: str
    contact: str
    resources: tuple[Resource, ...]
    fonts: Fonts
    colors: Colors
    logo: Logo | None = None


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    pos: Position = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class ICOutcome:
    id: str
    outcome: str
    levels: tuple[str | None, ...]  # one per map level; None is a cell left blank on purpose
    pos: Position = field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class ICBlock:
    standard: str
    outcomes: tuple[ICOutcome, ...]


@dataclass(frozen=True)
class ICMap:
    role: str
    title: str
    introduction: tuple[str, ...]
    levels: tuple[str, ...]
    blocks: tuple[ICBlock, ...]

    @property
    def outcomes(self) -> tuple[ICOutcome, ...]:
        return tuple(o for b in self.blocks for o in b.outcomes)


@dataclass(frozen=True)
class Role:
    id: str
    order: int
    title: str
    short_title: str
    holders: str
    introduction: tuple[str, ...]
    responsibilities: tuple[tuple[str, tuple[str, ...]], ...]  # (category id, items), in file order
    questions: tuple[Question, ...]
    icmap: ICMap | None = None
    pos: Position = field(default=_NOWHERE, compare=False, repr=False)
    # the title as it reads inside a sentence, where lower-casing its first letter is wrong
    # ("ELL teachers", German nouns, an article); headings only, so not in the fingerprint
    in_sentence: str = field(default="", metadata={"fingerprint": False})

    @property
    def phrase(self) -> str:
        """The role title as it reads inside a sentence ("Coaches" -> "coaches")."""
        return self.in_sentence or self.title[0].lower() + self.title[1:]


@dataclass(frozen=True)
class Content:
    root: Path
    brand: Brand
    framework: Framework
    roles: tuple[Role, ...]  # sorted by `order`
    # things `check` points out that do not stop a build (e.g. text cut by a '#')
    warnings: tuple[Any, ...] = field(default=(), compare=False, repr=False)
    # every text guidepdf draws itself (labels.yaml); the shipped English ones by default
    labels: Labels = field(default_factory=lambda: shipped_labels(), compare=False,
                           repr=False)
    # messages.yaml (content.messages.Messages) for remind and receipts; None: no such file
    messages: Any = field(default=None, compare=False, repr=False)

    def role(self, role_id: str) -> Role:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(role_id)


def plain(value: Any) -> Any:
    """The model as JSON-ready data, without positions (used for fingerprints and plans)."""
    if is_dataclass(value):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)
                if f.name != "pos" and f.metadata.get("fingerprint", True)}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, Path):
        return value.name
    return value
