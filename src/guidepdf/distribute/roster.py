"""A roster CSV file -> a Roster: the people on it (Person rows) and every problem found,
each located as `roster.csv:LINE: problem — hint`, plus what encoding and delimiter were
detected. A file that cannot be read as a roster at all raises RosterError."""

from __future__ import annotations

import csv
import difflib
import io
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guidepdf.content.model import Role
from guidepdf.errors import RosterError
from guidepdf.formspec import Recipient

REQUIRED = ("id", "name", "email", "role")
OPTIONAL = ("group", "language")
LIMITS = {"id": 64, "name": 200, "email": 254, "role": 100, "group": 200, "language": 35}
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}

# Header spellings seen in Excel, Google Sheets and SIS exports, compared after
# lower-casing and dropping everything but letters, digits and '#'.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "personid", "staffid", "employeeid", "participantid", "userid", "identifier",
           "rosterid", "no", "number", "#"),
    "name": ("name", "fullname", "displayname", "participant", "participantname", "person",
             "personname", "recipient", "recipientname", "staffname"),
    "email": ("email", "emailaddress", "mail", "mailaddress", "workemail", "emails"),
    "role": ("role", "roleid", "guide", "position", "jobrole"),
    "group": ("group", "school", "team", "site", "campus", "building", "department",
              "organization", "organisation", "schoolorteam", "district"),
    "language": ("language", "lang", "locale", "preferredlanguage"),
}
FIRST_NAME = ("firstname", "givenname", "first", "forename")
LAST_NAME = ("lastname", "surname", "familyname", "last")

_FORMULA_START = ("=", "+", "-", "@")
_UNSAFE_CATEGORIES = {"Cc", "Zl", "Zp", "Cs", "Co", "Cn"}
_BIDI_CONTROLS = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True, slots=True)  # a roster may hold tens of thousands
class Person:
    """One valid roster row; `role` is the content's role id, `email` is ASCII (IDNA)."""

    line: int
    id: str
    name: str
    email: str
    role: str
    group: str = ""
    language: str = ""
    extra: tuple[tuple[str, str], ...] = ()  # other columns: (placeholder key, value)

    def recipient(self) -> Recipient:
        return Recipient(id=self.id, name=self.name, email=self.email, group=self.group)

    def fields(self) -> dict[str, str]:
        """Every value a mail template may use, by placeholder name."""
        return {**dict(self.extra), "id": self.id, "name": self.name, "email": self.email,
                "role": self.role, "group": self.group, "language": self.language}


@dataclass(frozen=True)
class Problem:
    """One located problem in a roster; warnings do not stop a run, errors do."""

    path: str
    line: int
    problem: str
    hint: str = ""
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = "warning: " if self.severity == "warning" else ""
        text = f"{where}: {kind}{self.problem}"
        return f"{text} — {self.hint}" if self.hint else text


@dataclass(frozen=True)
class Roster:
    path: Path
    people: tuple[Person, ...]
    problems: tuple[Problem, ...]
    encoding: str
    delimiter: str
    columns: dict[str, str] = field(default_factory=dict)  # our field -> header as written

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def describe(self) -> str:
        """One line: what was detected and which header feeds which field."""
        cols = ", ".join(f"{k}={v!r}" for k, v in self.columns.items())
        return (f"{self.path.name}: {self.encoding}, {DELIMITER_NAMES[self.delimiter]}-"
                f"separated ({self.delimiter!r}); columns {cols}; {len(self.people)} "
                f"{'person' if len(self.people) == 1 else 'people'}")


def read_roster(path: str | Path, roles: Iterable[Role] | None = None,
                progress: Callable[[int, int], None] | None = None) -> Roster:
    """Read and validate a roster; `roles` (from the content) enables role checks;
    `progress(rows done, rows in all)` follows long rosters."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RosterError(f"{path}: cannot read the roster ({exc.strerror or exc})") from None
    text, encoding = decode(raw, path)
    return parse_roster(text, path, encoding, list(roles) if roles is not None else None,
                        progress)


def read_roster_apart(path: str | Path, roles: Iterable[Role] | None = None,
                      progress: Callable[[int, int], None] | None = None) -> Roster:
    """read_roster, in a process of its own (workers.in_child): only the Roster comes
    back. Reading 21,000 rows makes and frees ~10 MiB of rows, cells and checks between
    the people it keeps, which would stay in this process, and in every process forked
    from it to read the forms or write an output."""
    from guidepdf.workers import in_child

    roles = list(roles) if roles is not None else None
    return in_child(lambda shown: read_roster(path, roles, shown), progress,
                    what="reading the roster")


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """The file's text and a label for the encoding that was detected."""
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterError(f"{path}: this is an Excel workbook, not a CSV file — in Excel use "
                          "File > Save As > 'CSV UTF-8', in Google Sheets File > Download > CSV")
    for bom, codec, label in ((b"\xef\xbb\xbf", "utf-8", "UTF-8 with BOM"),
                              (b"\xff\xfe", "utf-16-le", "UTF-16 LE"),
                              (b"\xfe\xff", "utf-16-be", "UTF-16 BE")):
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(codec), label
            except UnicodeDecodeError as exc:
                line = raw[:len(bom) + exc.start].count(b"\n") + 1
                raise RosterError(f"{path}:{line}: the file starts with a {label} mark but is "
                                  f"not valid {label} text — save it again as 'CSV UTF-8'"
                                  ) from None
    if b"\x00" in raw:
        guess = _utf16_without_mark(raw)
        if guess is not None:
            return guess
        raise RosterError(f"{path}: the file contains NUL bytes and is not UTF-16 text — it "
                          "is not a text CSV file; save it again as 'CSV UTF-8'")
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252 (cp1252)"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "Latin-1"


def _utf16_without_mark(raw: bytes) -> tuple[str, str] | None:
    """UTF-16 text saved without its byte order mark (as some exports do): mostly NULs in
    every other byte. The text and its label, or None."""
    sample = raw[:4096] if len(raw) % 2 == 0 else None
    if not sample:
        return None
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    for zeros, codec, label in ((odd, "utf-16-le", "UTF-16 LE without a byte order mark"),
                                (even, "utf-16-be", "UTF-16 BE without a byte order mark")):
        if zeros > 0.6 * len(sample) / 2:
            try:
                return raw.decode(codec), label
            except UnicodeDecodeError:
                return None
    return None


def header_key(header: str) -> str:
    return re.sub(r"[^a-z0-9#]", "", unicodedata.normalize("NFKC", header).casefold())


def placeholder_key(header: str) -> str:
    key = re.sub(r"\W+", "_", unicodedata.normalize("NFKC", header).casefold(), flags=re.ASCII)
    key = key.strip("_")
    return f"_{key}" if key[:1].isdigit() else key


def _match_header(cells: Sequence[str]) -> dict[str, int]:
    """Our field -> column index; the first column that matches a field wins."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = header_key(cell)
        for name, aliases in ALIASES.items():
            if key in aliases and name not in found:
                found[name] = index
                break
    return found


def _pick_delimiter(lines: list[str]) -> str:
    """The delimiter under which the header names most of our fields (then most columns)."""
    header = lines[0] if lines else ""
    best, best_score = ",", (-1, -1)
    for delim in DELIMITERS:
        cells = next(csv.reader([header], delimiter=delim), [])
        names = {header_key(c) for c in cells}
        matched = len(_match_header(cells)) + (1 if names & set(FIRST_NAME) else 0)
        score = (matched, len(cells))
        if score > best_score:
            best, best_score = delim, score
    return best


def parse_roster(text: str, path: Path, encoding: str = "UTF-8",
                 roles: list[Role] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> Roster:
    """Parse decoded roster text; see read_roster."""
    shown = path.name
    physical = io.StringIO(text, newline="").readlines()  # keeps a cell's U+2028 in its line
    offset = 0
    while offset < len(physical) and not physical[offset].strip(" \t\r\n,;|\ufeff"):
        offset += 1
    delimiter = ""
    if offset < len(physical) and re.fullmatch(r"sep=.", physical[offset].strip(" \r\n")):
        delimiter = physical[offset].strip(" \r\n")[4]  # Excel's "sep=;" first line
        offset += 1
    if offset >= len(physical):
        raise RosterError(f"{shown}: the roster is empty — the first line must be a header "
                          "such as: id,name,email,role,group")
    delimiter = delimiter or _pick_delimiter([physical[offset].rstrip("\r\n")])
    reader = csv.reader(io.StringIO("".join(physical[offset:]), newline=""),
                        delimiter=delimiter, strict=False)
    reader = _bounded(reader, shown, offset)
    header = [c.strip().lstrip("\ufeff") for c in next(reader)]
    columns = _match_header(header)
    problems: list[Problem] = []
    first_last = _first_last(header) if "name" not in columns else None
    missing = [f for f in REQUIRED if f not in columns and not (f == "name" and first_last)]
    if missing:
        raise RosterError(_missing_columns_message(shown, offset + 1, header, missing,
                                                   delimiter))
    used = set(columns.values()) | set(first_last or ())
    extras = [(i, placeholder_key(h)) for i, h in enumerate(header)
              if i not in used and placeholder_key(h)]
    for i, h in enumerate(header):
        key = header_key(h)
        if i not in used and any(key in ALIASES[f] for f in ALIASES):
            problems.append(Problem(shown, offset + 1, f"column {h!r} ignored: an earlier "
                                    "column already gives that field", "remove one of them",
                                    "warning"))
    shown_columns = {f: header[i] for f, i in columns.items()}
    if first_last:
        shown_columns["name"] = f"{header[first_last[0]]} + {header[first_last[1]]}"
    checker = _RowChecker(shown, roles)
    previous_end = offset + 1
    total = len(physical) - offset - 1
    for cells in reader:
        start, previous_end = previous_end + 1, offset + reader.line_num
        if progress is not None and reader.line_num % 1000 == 0:
            progress(reader.line_num, total)
        if not any(c.strip() for c in cells):
            continue  # blank lines and rows of empty cells are ignored
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
            problems.append(Problem(
                shown, start, f"row has {len(cells)} cells but the header has {len(header)}",
                f"a value containing {DELIMITER_NAMES[delimiter]}s must be in double quotes"))
            continue
        values = {f: _cell(cells, i) for f, i in columns.items()}
        if first_last:
            values["name"] = " ".join(x for x in (_cell(cells, first_last[0]),
                                                  _cell(cells, first_last[1])) if x)
        extra = tuple((k, _cell(cells, i)) for i, k in extras)
        checker.check(start, values, extra)
    problems += checker.problems
    if not checker.people and not any(p.severity == "error" for p in problems):
        problems.append(Problem(shown, 0, "the roster has no people in it",
                                "add one row per person below the header"))
    problems.sort(key=lambda p: (p.line, p.severity != "error"))
    return Roster(path, tuple(checker.people), tuple(problems), encoding, delimiter,
                  shown_columns)


class _bounded:
    """A csv reader whose error for an over-long cell (the csv module stops at 131,072
    characters) is a RosterError with the line, not a traceback."""

    def __init__(self, reader: Any, shown: str, offset: int) -> None:
        self.reader, self.shown, self.offset = reader, shown, offset

    @property
    def line_num(self) -> int:
        return int(self.reader.line_num)

    def __iter__(self) -> _bounded:
        return self

    def __next__(self) -> list[str]:
        try:
            return list(next(self.reader))
        except csv.Error as exc:
            line = self.offset + self.reader.line_num
            raise RosterError(
                f"{self.shown}:{line}: a cell is longer than the {csv.field_size_limit():,} "
                f"characters a roster cell may hold ({exc}) — most often a double quote "
                "that opens a cell and is never closed, so the rest of the file became one "
                "cell; close it, or remove the stray quote") from None


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _first_last(header: list[str]) -> tuple[int, int] | None:
    keys = [header_key(h) for h in header]
    first = next((i for i, k in enumerate(keys) if k in FIRST_NAME), None)
    last = next((i for i, k in enumerate(keys) if k in LAST_NAME), None)
    return (first, last) if first is not None and last is not None else None


def _missing_columns_message(shown: str, line: int, header: list[str], missing: list[str],
                             delimiter: str) -> str:
    known = [a for f in missing for a in ALIASES[f]]
    hints = []
    matched = set(_match_header(header).values())
    for h in (h for i, h in enumerate(header) if i not in matched):
        close = difflib.get_close_matches(header_key(h), known, n=1, cutoff=0.75)
        if close:
            field_name = next(f for f in missing if close[0] in ALIASES[f])
            hints.append(f"is {h!r} meant to be the {field_name} column?")
    shown_header = delimiter.join(header)
    text = (f"{shown}:{line}: the header has no {', '.join(missing)} column "
            f"(read as {DELIMITER_NAMES[delimiter]}-separated: {shown_header[:120]!r})")
    return text + " — " + (" ".join(hints) if hints else
                           "the first line must name the columns, e.g. id,name,email,role,group")


class _RowChecker:
    """Validates rows one by one; remembers ids and emails to find duplicates."""

    def __init__(self, shown: str, roles: list[Role] | None) -> None:
        self.shown = shown
        self.roles = roles
        self.people: list[Person] = []
        self.problems: list[Problem] = []
        self.ids: dict[str, int] = {}
        self.emails: dict[str, int] = {}
        self._role_keys: dict[str, str] | None = None  # header_key(id or title) -> role id
        self.error_count = 0  # of the problems, those that are errors

    def problem(self, line: int, text: str, hint: str = "", severity: str = "error") -> None:
        self.problems.append(Problem(self.shown, line, text, hint, severity))
        self.error_count += severity == "error"

    def check(self, line: int, values: dict[str, str], extra: tuple[tuple[str, str], ...]
              ) -> None:
        before = self.error_count
        absent = [f for f in REQUIRED if not values.get(f)]
        if absent:
            self.problem(line, f"missing {', '.join(absent)}",
                         "every row needs an id, a name, an email address and a role")
        for key in (*REQUIRED, *OPTIONAL):
            self._check_text(line, key, values.get(key, ""))
        email = self._check_email(line, values["email"]) if values.get("email") else ""
        role = self._check_role(line, values["role"]) if values.get("role") else ""
        language = values.get("language", "")
        if language and not _LANGUAGE.match(language):
            self.problem(line, f"language {language!r} is not a language tag",
                         "use a code such as en, es or fr-CA", "warning")
        pid = values.get("id", "")
        if pid:
            key = pid.casefold()
            if key in self.ids:
                self.problem(line, f"duplicate id {pid!r} (also on line {self.ids[key]})",
                             "give every person their own id")
            else:
                self.ids[key] = line
        if email:
            key = email.casefold()
            if key in self.emails:
                self.problem(line, f"duplicate email {values['email']!r} (also on line "
                             f"{self.emails[key]})", "each person needs their own address; "
                             "one person with two roles needs two addresses or two runs")
            else:
                self.emails[key] = line
        if self.error_count == before:
            # role, group and language repeat down a roster: one string each, shared
            self.people.append(Person(line, pid, values["name"], email, sys.intern(role),
                                      sys.intern(values.get("group", "")),
                                      sys.intern(language), extra))

    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def _check_text(self, line: int, key: str, value: str) -> None:
        if not value:
            return
        # every unsafe character (and every bidi control, category Cf) is unprintable:
        # most cells are looked at no closer than this
        bad = None if value.isprintable() else next(
            (ch for ch in value if unicodedata.category(ch) in _UNSAFE_CATEGORIES
             or ord(ch) in _BIDI_CONTROLS), None)
        if bad is not None:
            what = "a line break" if bad in "\r\n\u2028\u2029" else "a control character"
            self.problem(line, f"{key} contains {what} (U+{ord(bad):04X})",
                         "remove it; a cell must hold one line of text")
        if len(value) > LIMITS[key]:
            self.problem(line, f"{key} is {len(value)} characters long (at most "
                         f"{LIMITS[key]})", f"shorten the {key}")
        if value.startswith(_FORMULA_START) and key in ("id", "name", "group"):
            self.problem(line, f"{key} {value[:40]!r} starts with {value[0]!r}, like a "
                         "spreadsheet formula", "it is used as plain text; check the cell",
                         "warning")

    def _check_email(self, line: int, value: str) -> str:
        """The address with its domain in ASCII (IDNA), or '' after reporting why not."""
        try:
            return normalize_email(value)
        except ValueError as exc:
            problem, _, hint = str(exc).partition(" — ")
            self.problem(line, problem, hint)
            return ""

    def _check_role(self, line: int, value: str) -> str:
        if self.roles is None:
            return value
        if self._role_keys is None:  # the first role a key names, as a row is checked
            self._role_keys = {}
            for role in self.roles:
                for name in (role.id, role.title, role.short_title):
                    self._role_keys.setdefault(header_key(name), role.id)
        found = self._role_keys.get(header_key(value))
        if found is not None:
            return found
        ids = [r.id for r in self.roles]
        close = difflib.get_close_matches(value.casefold(), ids, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"use one of: {', '.join(ids)}"
        self.problem(line, f"unknown role {value[:60]!r}", hint)
        return ""


def normalize_email(value: str) -> str:
    """A plain address with its domain lower-cased in ASCII (IDNA); ValueError says why
    the value is not one, as 'problem — hint'."""
    hint = "write one address such as name@school.org"
    shown = repr(value[:80])
    if value.casefold().startswith("mailto:"):
        raise ValueError(f"email {shown} starts with 'mailto:' — keep only the address")
    if any(ch in value for ch in "<>,; \t\r\n"):
        raise ValueError(f"email {shown} is not a single address — {hint}")
    local, at, domain = value.rpartition("@")
    if not at:
        raise ValueError(f"email {shown} has no '@' — {hint}")
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower() if domain else ""
    except UnicodeError:
        ascii_domain = ""
    labels = ascii_domain.split(".")
    if (not _LOCAL_PART.match(local) or len(local) > 64 or len(labels) < 2
            or not all(_LABEL.match(label) for label in labels)
            or not re.fullmatch(r"[a-z]{2,63}|xn--[a-z0-9-]+", labels[-1])):
        raise ValueError(f"email {shown} is malformed — {hint}")
    return f"{local}@{ascii_domain}"
