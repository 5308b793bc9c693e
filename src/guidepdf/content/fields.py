"""Typed access to one YAML file's nodes: each accessor checks shape and type, records a
located error instead of raising, and returns None when the value is unusable."""

from __future__ import annotations

import difflib
import re

from guidepdf.content.yamlsource import MappingNode, Node, ScalarNode, SequenceNode, position
from guidepdf.errors import ContentError, Position

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
COLOR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")

_KIND = {MappingNode: "a mapping", SequenceNode: "a list", ScalarNode: "text"}


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """A hint naming the closest choice, or listing them all when none is close."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "expected one of: " + ", ".join(f"'{c}'" for c in choices)


def describe(node: Node) -> str:
    if isinstance(node, ScalarNode):
        tag = node.tag.rsplit(":", 1)[-1]
        if tag == "null":
            return "empty"
        return {"int": "a number", "float": "a number", "bool": "true/false"}.get(tag, "text")
    return _KIND[type(node)]


class FileFields:
    """Accessors over one file; problems accumulate in `errors`, texts in `texts`."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.errors: list[ContentError] = []
        self.warnings: list[ContentError] = []  # shown by check; they do not stop a build
        self.texts: list[tuple[str, Position]] = []  # every text read, for the font check

    def pos(self, node: Node) -> Position:
        return position(self.shown, node)

    def error(self, node: Node, problem: str, hint: str) -> None:
        self.errors.append(ContentError(self.pos(node), problem, hint))

    def mapping(self, node: Node, what: str, required: tuple[str, ...],
                optional: tuple[str, ...] = ()) -> dict[str, Node] | None:
        """The keys of a mapping node; unknown and missing keys are errors."""
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} must be a mapping of keys, not {describe(node)}",
                       f"write it as 'key: value' lines; keys: {', '.join(required + optional)}")
            return None
        allowed = required + optional
        result: dict[str, Node] = {}
        suggested: set[str] = set()
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else None
            if name in allowed:
                result.setdefault(name, value)
            else:
                hint = did_you_mean(str(name), allowed)
                suggested.update(a for a in allowed if hint == f"did you mean '{a}'?")
                self.error(key, f"unknown key '{name}' in {what}", hint)
        for name in required:
            if name not in result and name not in suggested:  # a typo is reported once
                self.error(node, f"missing required key '{name}' in {what}",
                           f"add '{name}:' to this mapping")
        return result

    def text(self, node: Node | None, what: str) -> str | None:
        """A non-empty text scalar, stripped; a `|` block keeps its inner line breaks."""
        if node is None:
            return None
        if not isinstance(node, ScalarNode):
            self.error(node, f"'{what}' must be text, not {describe(node)}",
                       "write the text on the same line after the colon, or as a | block")
            return None
        value = node.value.strip() if node.tag != "tag:yaml.org,2002:null" else ""
        if not value:
            self.error(node, f"'{what}' is empty", "write the text, or remove the key if optional")
            return None
        self.texts.append((value, self.pos(node)))
        return value

    def optional_text(self, node: Node | None, what: str) -> str | None:
        """Text that may be left blank with `~` (returns None then, without an error)."""
        if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return None
        return self.text(node, what)

    def paragraphs(self, node: Node | None, what: str) -> tuple[str, ...] | None:
        value = self.text(node, what)
        if value is None:
            return None
        parts = re.split(r"\n\s*\n", value)
        return tuple(" ".join(p.split()) for p in parts if p.strip())

    def integer(self, node: Node | None, what: str) -> int | None:
        if node is None:
            return None
        if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:int":
            return int(node.value.replace("_", ""), 0)
        self.error(node, f"'{what}' must be a whole number, not {describe(node)}",
                   "write a number such as 3, without quotes")
        return None

    def identifier(self, node: Node | None, what: str) -> str | None:
        value = self.text(node, what)
        if value is None or node is None:
            return None
        if not ID_PATTERN.match(value):
            self.error(node, f"'{value}' is not a valid {what}",
                       "use lowercase letters and digits joined by single '-' or '_', "
                       "e.g. 'equity-practices' or 'q3'")
            return None
        return value

    def color(self, node: Node | None, what: str) -> str | None:
        value = self.text(node, what)
        if value is None or node is None:
            return None
        if not COLOR_PATTERN.match(value):
            self.error(node, f"'{value}' is not a colour", 'write it as "#rrggbb", in quotes')
            return None
        return value.lower()

    def sequence(self, node: Node | None, what: str, *, min_items: int = 1) -> list[Node] | None:
        if node is None:
            return None
        if not isinstance(node, SequenceNode):
            self.error(node, f"'{what}' must be a list, not {describe(node)}",
                       "write each item on its own line starting with '- '")
            return None
        if len(node.value) < min_items:
            self.error(node, f"'{what}' is empty", f"add at least {min_items} item(s)")
            return None
        return list(node.value)

    def text_list(self, node: Node | None, what: str) -> tuple[str, ...] | None:
        items = self.sequence(node, what)
        if items is None:
            return None
        values = [self.text(item, what) for item in items]
        return None if None in values else tuple(v for v in values if v is not None)

    def unique(self, items: list[tuple[str, Node]], what: str) -> None:
        """Report ids that repeat, pointing at the second use and naming the first."""
        first: dict[str, Node] = {}
        for value, node in items:
            if value in first:
                self.error(node, f"duplicate {what} '{value}' "
                           f"(first used at line {first[value].start_mark.line + 1})",
                           f"give each {what.removesuffix(' id')} its own id")
            else:
                first[value] = node
