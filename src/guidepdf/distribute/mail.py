"""Subject and body templates + a person + their PDF -> one RFC 5322 message (stdlib email).

Templates use string.Template placeholders: `$name` or `${name}`, and `$$` for a dollar
sign. Every placeholder is checked against every person before anything is sent: an unknown
placeholder, or one that is empty for some people, is an error (SendError) naming them.
Placeholders: id, name, email, role (the role id), role_title, role_phrase (the title as
it reads in a sentence: "coaches"), group, language, filename, and every other
roster column under its header in lower case with '_' for spaces ("First name" ->
$first_name)."""

from __future__ import annotations

import difflib
import hashlib
import string
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from guidepdf.content.labels import Labels, fill
from guidepdf.distribute.roster import Person, normalize_email
from guidepdf.errors import SendError

BUILTIN = ("id", "name", "email", "role", "role_title", "role_phrase", "group", "language",
           "filename")
MAX_SHOWN = 5


@dataclass(frozen=True)
class MailTemplate:
    """The subject and body templates of one mailing, with where they came from."""

    subject: str
    body: str
    body_source: str = "body"

    def placeholders(self) -> list[str]:
        seen: dict[str, None] = {}
        for text in (self.subject, self.body):
            seen.update(dict.fromkeys(string.Template(text).get_identifiers()))
        return list(seen)

    def check(self, people: Sequence[Person], extra: Mapping[str, Mapping[str, str]]
              | None = None) -> None:
        """Raise SendError listing every problem: bad `$` syntax, unknown placeholders,
        placeholders empty for some people, a subject that is not one line."""
        problems = [*self._syntax_problems()]
        if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in self.subject):
            problems.append("subject: contains a line break or control character — a "
                            "subject is one line of text")
        extra = extra or {}
        known = set(BUILTIN) | {k for p in people for k, _ in p.extra}
        for key in self.placeholders():
            if key not in known:
                close = difflib.get_close_matches(key, sorted(known), n=1)
                hint = f"did you mean ${close[0]}?" if close else \
                    f"available: {', '.join('$' + k for k in sorted(known))}"
                problems.append(f"{self._where(key)}: unknown placeholder ${key} — {hint}")
                continue
            empty = [p for p in people if not fill_values(p, extra.get(p.id, {})).get(key)]
            if empty:
                lines = ", ".join(str(p.line) for p in empty[:MAX_SHOWN])
                more = f" and {len(empty) - MAX_SHOWN} more" if len(empty) > MAX_SHOWN else ""
                problems.append(f"{self._where(key)}: placeholder ${key} is empty for "
                                f"{len(empty)} people (roster lines {lines}{more}) — fill "
                                f"that column for them, or remove ${key}")
        if problems:
            raise SendError("\n".join(problems))

    def fill(self, values: Mapping[str, str]) -> tuple[str, str]:
        """(subject, body) for one person; call check() first."""
        subject = string.Template(self.subject).substitute(values)
        subject = " ".join(subject.split())  # never a line break in a header
        return subject, string.Template(self.body).substitute(values)

    def _where(self, key: str) -> str:
        if key in string.Template(self.subject).get_identifiers():
            return "subject"
        for number, line in enumerate(self.body.splitlines(), start=1):
            if key in string.Template(line).get_identifiers():
                return f"{self.body_source}:{number}"
        return self.body_source

    def _syntax_problems(self) -> list[str]:
        out = []
        for where, text in (("subject", self.subject), (self.body_source, self.body)):
            for number, line in enumerate(text.splitlines(), start=1):
                for m in string.Template.pattern.finditer(line):
                    if m.group("invalid") is not None:
                        place = where if where == "subject" else f"{where}:{number}"
                        out.append(f"{place}:{m.start() + 1}: '$' is not followed by a "
                                   "placeholder name — write $$ for a dollar sign, or "
                                   "${name} around a placeholder")
        return out


def from_label(labels: Labels, key: str) -> str:
    """A mail label ({name} placeholders, as labels.yaml writes them; {role} is the role as
    it reads in a sentence, as in every label) as a template of this module ($name; a '$'
    in the label's own text stays a dollar sign)."""
    names = {p: f"${{{p}}}" for p in BUILTIN} | {"role": "${role_phrase}"}
    return fill(labels.template(key), names, literal=lambda text: text.replace("$", "$$"))


def fill_values(person: Person, extra: Mapping[str, str]) -> dict[str, str]:
    """Everything a template can use for `person`; `extra` adds role_title, role_phrase and
    filename."""
    return {**person.fields(), **extra}


def parse_sender(value: str) -> Address:
    """'Name <addr>' or 'addr' -> an Address; SendError when it is not one address."""
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in value):
        raise SendError("--from: contains a line break or control character")
    name, addr = parseaddr(value)
    try:
        addr = normalize_email(addr)
    except ValueError as exc:
        raise SendError(f"--from: {exc}") from None
    local, _, domain = addr.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def message_id(key: str, sender: Address) -> str:
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}.guidepdf@{sender.domain}>"


def build_message(*, sender: Address, person: Person, subject: str, body: str,
                  attachment: bytes, filename: str, msg_id: str,
                  date: datetime | None = None) -> EmailMessage:
    """One message to one person with their PDF attached. Header values come from the
    email package's header objects (encoded words for non-ASCII names; CR/LF refused)."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    local, _, domain = person.email.rpartition("@")
    if _needs_encoding(person.name):
        # the email package would decode an encoded word typed into a roster name (so
        # '=?utf-8?q?evil=40x.org?=' became the address evil@x.org) and folds long
        # non-ASCII names into words that decoders join wrongly: the name is encoded here,
        # whole, so that it reads back as exactly the text on the roster
        address = Address(username=local, domain=domain).addr_spec
        msg.set_raw("To", f"{_encoded('To', person.name)} <{address}>")
    else:
        msg["To"] = Address(display_name=person.name, username=local, domain=domain)
    if _needs_encoding(subject):
        msg.set_raw("Subject", _encoded("Subject", subject))
    else:
        msg["Subject"] = subject
    msg["Date"] = format_datetime(date or datetime.now(UTC))
    msg["Message-ID"] = msg_id
    msg["X-Guidepdf-Recipient-Id"] = _header_safe(person.id)
    cte = "7bit" if body.isascii() else "quoted-printable"
    msg.set_content(body, cte=cte)
    msg.add_attachment(attachment, maintype="application", subtype="pdf", filename=filename)
    msg.set_boundary(f"=_guidepdf_{msg_id.strip('<>').split('.')[0]}")
    return msg


def _needs_encoding(text: str) -> bool:
    """Whether header text must be sent as RFC 2047 encoded words: non-ASCII, or text
    that a mail program would itself take for an encoded word."""
    return not text.isascii() or "=?" in text


def _encoded(name: str, text: str) -> str:
    """`text` as UTF-8 encoded words folded to 76 columns (line breaks and control
    characters were refused with the roster)."""
    return Header(text, "utf-8", header_name=name).encode(maxlinelen=76, linesep="\n")


def _header_safe(text: str) -> str:
    return "".join(ch for ch in text if ch.isprintable())[:64]
