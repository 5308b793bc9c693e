"""YAML text -> a tree of position-carrying nodes, safely: no tags beyond plain data, no
aliases (so no "billion laughs"), duplicate keys reported, errors located from line 1."""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from guidepdf.errors import ContentError, Position

__all__ = ["MappingNode", "Node", "ScalarNode", "SequenceNode", "comment_cuts", "parse_yaml",
           "position"]

# The tags plain YAML data resolves to; anything else (!!python/object, !custom) is refused.
_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}

# A single scalar longer than this is refused before it reaches layout (a 10 MB string is a
# mistake or an attack, never a paragraph of a guide).
MAX_SCALAR_CHARS = 20_000


class _AliasFound(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


class _TooDeep(Exception):
    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


MAX_DEPTH = 50  # content is a few levels deep; thousands of '[' would exhaust the stack
MAX_FILE_BYTES = 4 * 1024 * 1024  # a content YAML file larger than this is refused unread


class _NodeLoader(yaml.SafeLoader):
    """SafeLoader's parser and resolver; composes nodes but refuses aliases and absurd
    nesting."""

    depth = 0

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(AliasEvent):
            raise _AliasFound(self.peek_event().start_mark)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _TooDeep(self.peek_event().start_mark)
            return Composer.compose_node(self, parent, index)
        finally:
            self.depth -= 1


def position(path: str, node_or_mark: Node | yaml.Mark) -> Position:
    """The 1-based position of a node or a PyYAML mark (which count from 0)."""
    mark = node_or_mark.start_mark if isinstance(node_or_mark, Node) else node_or_mark
    return Position(path, mark.line + 1, mark.column + 1)


def parse_yaml(path: Path, shown: str) -> tuple[Node | None, list[ContentError]]:
    """Parse one file into its root node; return the node (None if unusable) and the errors.

    `shown` is how the file is named in messages (a path relative to the content folder).
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # refused before reading: parsing 50 MB took minutes
            return None, [ContentError(
                Position(shown), f"file is {size / 2**20:,.1f} MB; a content file may be at "
                f"most {MAX_FILE_BYTES // 2**20} MB", "content files are a few KB of text: "
                "check that this is the right file, or split it")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [ContentError(Position(shown), f"cannot read file ({exc.strerror})",
                                   "check that the file exists and is readable")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [ContentError(Position(shown, 1, 1), "file is UTF-16 encoded",
                                   "save the file with UTF-8 encoding")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [ContentError(
            Position(shown, line, column),
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            "save the file with UTF-8 encoding")]
    loader = None
    try:
        loader = _NodeLoader(text)
        root = loader.get_single_node()
    except _TooDeep as exc:
        return None, [ContentError(position(shown, exc.mark),
                                   f"lists or mappings nested more than {MAX_DEPTH} levels deep",
                                   "content is only a few levels deep; check the brackets")]
    except _AliasFound as exc:
        return None, [ContentError(position(shown, exc.mark),
                                   "YAML anchors and aliases are not supported",
                                   "write the repeated text out in full")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "'\\t'" in problem or "\t" in problem:
            hint = "indent with spaces, not tabs"
        else:
            hint = "check the indentation and quoting on this line and the one before"
        pos = position(shown, mark) if mark else Position(shown)
        return None, [ContentError(pos, f"YAML syntax error: {problem}", hint)]
    except yaml.reader.ReaderError as exc:  # control characters
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return None, [ContentError(Position(shown, line, column),
                                   f"control character U+{exc.character:04X} in the text",
                                   "remove it; content is plain text")]
    except yaml.YAMLError as exc:
        return None, [ContentError(Position(shown), f"YAML error: {exc}",
                                   "check the file is plain YAML")]
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        return None, [ContentError(Position(shown, 1, 1), "file is empty",
                                   "see content/FORMAT.md for what this file holds")]
    errors: list[ContentError] = []
    _check_tree(root, shown, errors)
    return (None if errors else root), errors


def _check_tree(root: Node, shown: str, errors: list[ContentError]) -> None:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            errors.append(ContentError(position(shown, node), f"unsupported YAML tag '{tag}'",
                                       "remove the tag; content is plain text, lists and mappings"))
            continue
        if isinstance(node, ScalarNode):
            if len(node.value) > MAX_SCALAR_CHARS:
                errors.append(ContentError(position(shown, node),
                                           f"text of {len(node.value):,} characters is too long "
                                           f"(limit {MAX_SCALAR_CHARS:,})",
                                           "split it or shorten it"))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, MappingNode):
            seen: dict[str, Node] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode):
                    first = seen.get(key.value)
                    if first is not None:
                        errors.append(ContentError(
                            position(shown, key), f"duplicate key '{key.value}' "
                            f"(first at line {first.start_mark.line + 1})",
                            "keep one of them; YAML would silently use the last"))
                    else:
                        seen[key.value] = key
                stack.append(value)


def comment_cuts(root: Node, shown: str) -> list[ContentError]:
    """Warnings for unquoted texts followed on their line by ' #': YAML reads the rest of
    the line as a comment, so "What is our #1 priority?" becomes "What is our". Single
    words (ids, numbers) with a comment after them are left alone."""
    warnings: list[ContentError] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            stack.extend(value for _, value in reversed(node.value))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, ScalarNode) and node.style is None and " " in node.value:
            mark = node.end_mark
            buffer = mark.buffer or ""
            end = buffer.find("\n", mark.pointer)
            rest = buffer[mark.pointer:end if end >= 0 else len(buffer)].rstrip("\0")
            if rest.lstrip(" \t").startswith("#") and rest[:1] in (" ", "\t"):
                comment = rest.lstrip(" \t")
                shown_comment = comment if len(comment) <= 40 else comment[:39] + "…"
                warnings.append(ContentError(
                    Position(shown, mark.line + 1, mark.column + 1 + len(rest) - len(comment)),
                    f"warning: the text stops here: YAML reads {shown_comment!r} as a comment, "
                    f"so the text is only {_head(node.value)!r}",
                    "if the '#' belongs to the text, put the whole text in double quotes"))
    return warnings


def _head(text: str) -> str:
    return text if len(text) <= 50 else "…" + text[-49:]
