"""messages.yaml (one per content folder or language edition) -> Messages: the subject and
body of each reminder `guidepdf remind` sends, per problem, of the receipt, and the saving
help they share; every placeholder checked against what that message can be filled with,
each problem located (file:line:col) down to the placeholder inside a block of text."""

from __future__ import annotations

import difflib
import string
from dataclasses import dataclass

from guidepdf.content.fields import FileFields, describe
from guidepdf.content.yamlsource import Node, ScalarNode
from guidepdf.errors import ContentError, Position

FILE_NAME = "messages.yaml"
# The problems a reminder exists for (guidepdf.followup.problems.REMINDABLE), in order.
REMINDER_KEYS = ("no_reply", "no_attachment", "blank", "mostly_blank", "flattened",
                 "password", "unreadable", "other_role")

# What each message can say, by placeholder. Every message knows the person and the copy
# they are sent; a message about something that came back also knows when it came.
_PERSON = ("id", "name", "email", "role", "role_title", "group", "language", "filename",
           "sent_date", "sender_name", "saving_help")
_CAME = (*_PERSON, "returned_date")
_COUNTS = ("answered", "questions", "ic_marked", "ic_outcomes")
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "no_reply": _PERSON,
    "no_attachment": _CAME,
    "blank": _CAME,
    "mostly_blank": (*_CAME, *_COUNTS),
    "flattened": _CAME,
    "password": _CAME,
    "unreadable": _CAME,
    "other_role": (*_CAME, "returned_role_title"),
    "receipt": (*_CAME, *_COUNTS),
    "saving_help": tuple(p for p in _PERSON if p != "saving_help"),
}
ALL_PLACEHOLDERS = tuple(sorted({p for v in PLACEHOLDERS.values() for p in v}))


@dataclass(frozen=True)
class MessageText:
    subject: str
    body: str


@dataclass(frozen=True)
class Messages:
    """The follow-up messages of one content folder (one language)."""

    source: str  # the file, as shown in errors
    reminders: dict[str, MessageText]  # REMINDER_KEYS -> message
    receipt: MessageText
    receipt_with_ic: str  # the receipt's body for a role with an IC map
    saving_help: str

    def reminder(self, problem: str) -> MessageText:
        return self.reminders[problem]


def read_messages(node: Node, f: FileFields) -> Messages | None:
    keys = f.mapping(node, "messages", ("reminders", "receipt", "saving_help"))
    if keys is None:
        return None
    reminders: dict[str, MessageText] = {}
    if "reminders" in keys:
        rk = f.mapping(keys["reminders"], "reminders", REMINDER_KEYS)
        for problem, value in (rk or {}).items():
            message = _message(value, f, problem, f"reminders: {problem}")
            if message is not None:
                reminders[problem] = message
    receipt, with_ic = None, None
    if "receipt" in keys:
        ck = f.mapping(keys["receipt"], "receipt", ("subject", "body", "body_with_ic"))
        if ck is not None:
            receipt = _message(keys["receipt"], f, "receipt", "receipt", ck)
            with_ic = _text(ck.get("body_with_ic"), f, "body_with_ic", "receipt")
    help_text = _text(keys.get("saving_help"), f, "saving_help", "saving_help")
    if len(reminders) < len(REMINDER_KEYS) or receipt is None or with_ic is None \
            or help_text is None:
        return None
    return Messages(f.shown, reminders, receipt, with_ic, help_text)


def _message(node: Node, f: FileFields, kind: str, what: str,
             keys: dict[str, Node] | None = None) -> MessageText | None:
    if keys is None:
        keys = f.mapping(node, what, ("subject", "body"))
        if keys is None:
            return None
    subject = _text(keys.get("subject"), f, "subject", kind)
    body = _text(keys.get("body"), f, "body", kind)
    if subject is not None and "\n" in subject.strip():
        f.error(keys["subject"], f"the subject of '{what}' has more than one line",
                "a subject is one line of text: put it on one line, in quotes")
        return None
    if subject is None or body is None:
        return None
    return MessageText(" ".join(subject.split()), body.strip("\n") + "\n")


def _text(node: Node | None, f: FileFields, key: str, kind: str) -> str | None:
    """A text whose placeholders are all ones that `kind` of message is filled with."""
    if node is None:
        return None
    if not isinstance(node, ScalarNode) or node.tag == "tag:yaml.org,2002:null" \
            or not node.value.strip():
        shown = "empty" if isinstance(node, ScalarNode) else describe(node)
        f.error(node, f"'{key}' must be text, not {shown}",
                "write the text after the colon, or as a | block below it")
        return None
    known = PLACEHOLDERS[kind]
    ok = True
    for pos, token, name in _placeholders(node, f.shown):
        if name is None:
            f.errors.append(ContentError(pos, "'$' is not followed by a placeholder name",
                                         "write $$ for a dollar sign, or ${name} around a "
                                         "placeholder"))
            ok = False
        elif name not in known:
            ok = False
            if name in ALL_PLACEHOLDERS:
                hint = (f"'{kind}' messages cannot use it; they can use "
                        + ", ".join(f"${k}" for k in known))
                problem = f"placeholder {token} has no value in a '{kind}' message"
            else:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"did you mean ${close[0]}?" if close else \
                    "available: " + ", ".join(f"${k}" for k in known)
                problem = f"unknown placeholder {token}"
            f.errors.append(ContentError(pos, problem, hint))
    return node.value if ok else None


def _placeholders(node: ScalarNode, shown: str
                  ) -> list[tuple[Position, str, str | None]]:
    """(position, token, name or None for a bad '$') of each placeholder, found in the
    file's own text between the scalar's start and end, so that the position is exact
    inside a | block too."""
    start, end = node.start_mark, node.end_mark
    buffer = start.buffer or ""  # PyYAML keeps the whole text in marks for string input
    raw, offset = buffer[start.pointer:end.pointer], start.pointer
    found = []
    for m in string.Template.pattern.finditer(raw):
        if m.group("escaped") is not None:
            continue
        at = offset + m.start()
        line = buffer.count("\n", 0, at)
        column = at - (buffer.rfind("\n", 0, at) + 1)
        name = m.group("named") or m.group("braced")
        found.append((Position(shown, line + 1, column + 1), m.group(0), name))
    return found
