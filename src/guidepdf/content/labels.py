"""labels.yaml's node tree -> Labels (the texts guidepdf draws itself, checked against the
declared set in content.labelset), and Labels -> filled-in text for a page or a message.

A template's placeholders are written `{name}`; `{{` and `}}` stand for a brace. Values are
inserted as they are (numbers with the edition's separators); nothing of a value is read as
a placeholder or as markup.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from guidepdf.content.fields import FileFields, describe, did_you_mean
from guidepdf.content.labelset import LABELS, PAPER_SECTION, SECTIONS, Label
from guidepdf.content.yamlsource import MappingNode, Node, ScalarNode, comment_cuts, parse_yaml
from guidepdf.errors import ContentError, ContentErrors, Position
from guidepdf.notes import AS_WRITTEN, Note
from guidepdf.paths import default_content_dir

FILE = "labels.yaml"
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Counted:
    """A counted label: the text for a count of one, and for every other count."""

    one: str
    other: str


@dataclass(frozen=True)
class Labels:
    """Every declared label's template; `paper` is the paper the texts are chosen for."""

    texts: Mapping[str, str | Counted]
    on_a4: Mapping[str, str | Counted] = field(default_factory=dict)
    paper: str = "letter"

    def for_paper(self, paper: str) -> Labels:
        """The same labels with the texts for `paper` ("a4": the a4 section replaces)."""
        return Labels(self.texts, self.on_a4, paper)

    def template(self, key: str, n: int | None = None) -> str:
        if key not in LABELS:
            raise KeyError(f"label {key!r} is not declared in guidepdf.content.labelset")
        found = self.on_a4.get(key) if self.paper == "a4" else None
        value = found if found is not None else self.texts[key]
        if isinstance(value, Counted):
            return value.one if n == 1 else value.other
        return value

    def text(self, key: str, **values: object) -> str:
        """The label `key` with its placeholders filled in (plain text)."""
        return fill(self.template(key, _count(values)), self._shown(values))

    def markup(self, key: str, bold: Iterable[str] = (), **values: object) -> str:
        """The label as reportlab Paragraph markup: every part escaped, the placeholders
        named in `bold` set in bold."""
        strong = set(bold)
        shown = {k: (f"<b>{_escape(v)}</b>" if k in strong else _escape(v))
                 for k, v in self._shown(values).items()}
        return fill(self.template(key, _count(values)), shown, literal=_escape)

    @property
    def hyphenation(self) -> str:
        """The pyphen language long words in table cells break by; "" for none."""
        value = self.template("format.hyphenation")
        return "" if value == "none" else value

    def words(self, key: str) -> frozenset[str]:
        """A word-list label (e.g. the stop words) as a set of lower-cased words."""
        return frozenset(w.casefold() for w in self.template(key).split())

    def number(self, value: int | float, decimals: int = 0) -> str:
        """A number with the edition's thousands and decimal separators."""
        text = f"{value:,.{decimals}f}"
        thousands = self.template("format.thousands_separator")
        thousands = "" if thousands.strip().casefold() == "none" else thousands
        if thousands == "space":
            thousands = "\u202f"  # a narrow no-break space, as French and Spanish print it
        decimal = self.template("format.decimal_separator")
        return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)

    def percent(self, rate: float | None) -> str:
        """A share (0..1) as a whole percentage, or the edition's 'none' mark."""
        if rate is None:
            return self.template("format.none")
        return self.text("format.percent", value=self.number(rate * 100))

    def join(self, items: Iterable[str]) -> str:
        return self.template("format.list_separator").join(items)

    def note(self, item: Note | str) -> str:
        """What a Note says (a reason, a warning) in these labels' words: its label
        read.<code>, with notes inside it said the same way and lists joined; a plain
        text (as an older file holds it) as it is."""
        if isinstance(item, str):
            return item
        if item.code == AS_WRITTEN:
            return str(item.value("text", ""))
        if item.said:
            return item.said
        values: dict[str, object] = {}
        for name, value in item.values:
            if isinstance(value, Note):
                value = self.note(value)
            elif isinstance(value, tuple | list):
                value = self.join(str(v) for v in value)
            elif value is None:
                value = ""
            values[name] = value
        return self.text(f"read.{item.code}", **values)

    def _shown(self, values: Mapping[str, object]) -> dict[str, str]:
        return {k: self.number(v) if isinstance(v, int) and not isinstance(v, bool)
                else str(v) for k, v in values.items()}


def _count(values: Mapping[str, object]) -> int | None:
    n = values.get("n")
    return n if isinstance(n, int) else None


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fill(template: str, values: Mapping[str, str], literal=lambda s: s) -> str:  # type: ignore[no-untyped-def]
    """Replace each {name} with values[name]; `literal` transforms the text around them."""
    out: list[str] = []
    last = 0
    for m in _PLACEHOLDER.finditer(template):
        out.append(literal(template[last:m.start()]))
        token = m.group(0)
        if token in ("{{", "}}"):
            out.append(literal(token[0]))
        elif m.group(1) is not None:
            out.append(values.get(m.group(1), token))
        else:
            out.append(literal(token))
        last = m.end()
    out.append(literal(template[last:]))
    return "".join(out)


def placeholders(template: str) -> list[tuple[int, str | None]]:
    """(offset, name) of each placeholder; name None for a stray brace."""
    found = []
    for m in _PLACEHOLDER.finditer(template):
        token = m.group(0)
        if token in ("{{", "}}"):
            continue
        found.append((m.start(), m.group(1) if m.group(1) is not None else None))
    return found


# --- reading labels.yaml ----------------------------------------------------------------

def read_labels_file(path: Path, shown: str) -> tuple[Labels | None, FileFields]:
    """Parse and check one labels.yaml; the Labels when every declared label is there."""
    f = FileFields(shown)
    node, errors = parse_yaml(path, shown)
    f.errors.extend(errors)
    if node is None:
        return None, f
    f.warnings.extend(comment_cuts(node, shown))
    return read_labels(node, f), f


def read_labels(node: Node, f: FileFields) -> Labels | None:
    """Every declared label from the file's root mapping; missing, unknown and badly
    placeholdered labels are errors in `f`."""
    if not isinstance(node, MappingNode):
        f.error(node, f"labels must be a mapping of sections, not {describe(node)}",
                "write one 'section:' line per section (" + ", ".join(SECTIONS) + ")")
        return None
    texts = _read_sections(node, f, required=True)
    on_a4: dict[str, str | Counted] = {}
    for key, value in node.value:
        if isinstance(key, ScalarNode) and key.value == PAPER_SECTION:
            if not isinstance(value, MappingNode):
                f.error(value, f"'{PAPER_SECTION}' must be a mapping of sections, not "
                        f"{describe(value)}", "write the sections whose texts differ on A4 "
                        "paper under it, laid out as above")
                continue
            on_a4 = _read_sections(value, f, required=False)
    if f.errors:
        return None
    return Labels(texts, on_a4)


def _read_sections(node: MappingNode, f: FileFields, *, required: bool
                   ) -> dict[str, str | Counted]:
    """The labels under each section of `node`; with `required`, every declared label must
    be there (the a4 section gives only those that differ)."""
    texts: dict[str, str | Counted] = {}
    sections: dict[str, MappingNode] = {}
    given: set[str] = set()  # sections and labels written, well or not
    for key, value in node.value:
        section = key.value if isinstance(key, ScalarNode) else str(key)
        if required and section == PAPER_SECTION:
            continue
        given.add(section)
        if section not in SECTIONS:
            f.error(key, f"unknown label section '{section}'",
                    did_you_mean(section, [*SECTIONS, PAPER_SECTION] if required
                                 else list(SECTIONS)))
            continue
        if not isinstance(value, MappingNode):
            f.error(value, f"label section '{section}' must be a mapping, not "
                    f"{describe(value)}", "write one 'name: text' line per label under it")
            continue
        sections[section] = value
        names = [k.split(".", 1)[1] for k in LABELS if k.startswith(section + ".")]
        for name_node, text_node in value.value:
            name = name_node.value if isinstance(name_node, ScalarNode) else str(name_node)
            if name not in names:
                hint = did_you_mean(name, names)
                f.error(name_node, f"unknown label '{section}.{name}'", hint)
                given.update(f"{section}.{n}" for n in names  # a typo is reported once
                             if hint == f"did you mean '{n}'?")
                continue
            label = LABELS[f"{section}.{name}"]
            given.add(label.key)
            read = _read_label(text_node, f, label)
            if read is not None:
                texts[label.key] = read
    if not required:
        return texts
    for label in LABELS.values():
        section, name = label.key.split(".", 1)
        if label.key in given:
            continue
        if section in sections:
            f.error(sections[section], f"missing label '{label.key}'",
                    f"add '{name}:' under '{section}:' (see content/labels.yaml)")
        elif section not in given:
            given.add(section)  # one error per missing section
            f.error(node, f"missing label section '{section}'",
                    f"add '{section}:' with its labels (see content/labels.yaml)")
    return texts


def _read_label(node: Node, f: FileFields, label: Label) -> str | Counted | None:
    if isinstance(node, MappingNode):
        if not label.counted:
            f.error(node, f"label '{label.key}' must be text, not a mapping",
                    "only counted labels have 'one:' and 'other:' forms")
            return None
        keys = f.mapping(node, f"label '{label.key}'", ("one", "other"))
        if keys is None:
            return None
        one = _template(keys.get("one"), f, label, counted_one=True)
        other = _template(keys.get("other"), f, label)
        return Counted(one, other) if one is not None and other is not None else None
    return _template(node, f, label)


def _template(node: Node | None, f: FileFields, label: Label, *,
              counted_one: bool = False) -> str | None:
    if node is None:
        return None
    if not isinstance(node, ScalarNode):
        f.error(node, f"label '{label.key}' must be text, not {describe(node)}",
                "write the text on the same line after the colon")
        return None
    text = f.text(node, f"label '{label.key}'")
    if text is None:
        return None
    if node.style in ("'", '"'):
        text = node.value  # quoted: its spaces count ("; then ", a separator)
    if label.words:
        return text
    if label.key == "format.hyphenation":
        return _hyphenation(node, f, text)
    ok = True
    used = set()
    for offset, name in placeholders(text):
        where = _column(f, node, text, offset)
        if name is None:
            f.errors.append(ContentError(where, f"label '{label.key}' has a lone brace",
                                         "write {{ or }} for a brace, {name} for a "
                                         "placeholder"))
            ok = False
        elif not _NAME.match(name):
            f.errors.append(ContentError(where, f"label '{label.key}' has a placeholder "
                                         f"{{{name}}} that is not a plain name",
                                         "write a placeholder as {name}: no spaces, numbers "
                                         "first, ':' or '!'"))
            ok = False
        elif name not in label.allowed:
            choices = [f"{{{p}}}" for p in label.allowed]
            hint = did_you_mean(f"{{{name}}}", choices) if choices else \
                "this label takes no placeholders; write {{ for a brace"
            f.errors.append(ContentError(where, f"unknown placeholder {{{name}}} in label "
                                         f"'{label.key}'", hint))
            ok = False
        else:
            used.add(name)
    if not ok:
        return None
    needs = [p for p in label.needs if not (counted_one and p == "n")]
    if label.one_of and not used & set(label.one_of):
        f.error(node, f"label '{label.key}' names no {' or '.join(label.one_of)}",
                " or ".join(f"{{{p}}}" for p in label.one_of) + " must stand in it")
        ok = False
    for name in needs:
        if name not in used:
            f.error(node, f"label '{label.key}' lacks the placeholder {{{name}}}",
                    f"put {{{name}}} where the {name.replace('_', ' ')} belongs")
            ok = False
    return text if ok else None


def _hyphenation(node: ScalarNode, f: FileFields, text: str) -> str | None:
    """'none', or a language pyphen has a dictionary for."""
    if text == "none":
        return text
    import pyphen  # only here and in reportlab's paragraphs: most commands never need it

    if text not in pyphen.LANGUAGES:
        f.error(node, f"no hyphenation dictionary for '{text}'",
                did_you_mean(text, sorted(pyphen.LANGUAGES)) + "; or write none")
        return None
    return text


def _column(f: FileFields, node: ScalarNode, text: str, offset: int) -> Position:
    """The position of text[offset] in the file: exact for a one-line plain or quoted
    scalar (without escapes before it), the scalar's start otherwise."""
    mark = node.start_mark
    if "\n" in text or node.style not in (None, "'", '"') or "\\" in text[:offset] \
            or "''" in text[:offset]:
        return f.pos(node)
    quote = 1 if node.style in ("'", '"') else 0
    return Position(f.shown, mark.line + 1, mark.column + quote + offset + 1)


@functools.cache
def shipped_labels() -> Labels:
    """The English labels that ship with guidepdf (content/labels.yaml): the default for a
    content folder without a labels.yaml of its own."""
    path = default_content_dir() / FILE
    labels, f = read_labels_file(path, f"{path.parent.name}/{FILE}")
    if labels is None:
        raise ContentErrors(f.errors or [ContentError(Position(str(path)),
                                                      "the shipped labels cannot be read")])
    return labels
