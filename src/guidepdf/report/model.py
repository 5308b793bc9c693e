"""The summary of a collection, as plain dataclasses: what aggregate.py produces and what
the JSON, CSV/XLSX and PDF writers read. Field names are the JSON keys (summary.schema.json)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from guidepdf.mail.origin import Origin
from guidepdf.report.themes import Theme

SUMMARY_SCHEMA = 1
COLUMNS = ("reflections", "first_steps")
NO_GROUP = "(no group)"
UNANSWERED = "none"  # the IC count key for an outcome left blank


@dataclass(frozen=True)
class AnswerRow:
    question_id: str
    reflections: str
    first_steps: str


@dataclass(frozen=True)
class ICRow:
    outcome_id: str
    level: str | None  # "L1".., "NA" not assessed, None unanswered
    notes: str


@dataclass(frozen=True)
class Response:
    """One kept form: who wrote it, how it matched the roster, and every answer."""

    role: str
    name: str  # as typed in the form, else the recipient's name, else ""
    email: str
    group: str
    date: str  # as typed in the form
    source: str  # the file, relative to the folder that was collected
    modified: str  # the PDF's ModDate as written
    roster_id: str | None  # the roster entry it matched, None if none (or no roster)
    matched_by: str | None  # "recipient", "email", "name", "recipient_email",
    # "recipient_name", or "mail_sender" (the address the message came from)
    on_roster: bool | None  # None when no roster was given
    warnings: tuple[str, ...]
    answers: tuple[AnswerRow, ...]
    ic: tuple[ICRow, ...] = ()
    came_from: str = "file"  # "file" (a PDF as it was) or "message" (a mail attachment)
    origin: Origin | None = None  # the message it came in, for forms that came by mail
    warning_codes: tuple[str, ...] = ()  # each warning's stable code (labels read.<code>)

    @property
    def who(self) -> str:
        return self.name or self.email or self.source


@dataclass(frozen=True)
class Term:
    term: str
    count: int


@dataclass(frozen=True)
class QuestionSummary:
    id: str
    number: int
    text: str
    answered: int  # responses with any text in either column
    reflections: int  # responses with text in REFLECTIONS
    first_steps: int
    blank: int  # responses with both columns empty
    terms: tuple[Term, ...]
    themes: tuple[Theme, ...] = ()  # phrases the most people used (report.themes)


@dataclass(frozen=True)
class RoleSummary:
    id: str
    title: str
    expected: int | None  # people on the roster with this role; None without a roster
    returned: int | None  # of those, how many returned a form; None without a roster
    rate: float | None  # returned / expected, None without a roster or when expected is 0
    forms: int  # kept forms of this role, including people not on the roster
    questions: tuple[QuestionSummary, ...]
    themes: tuple[Theme, ...] = ()  # across the role's questions, once per person


@dataclass(frozen=True)
class GroupSummary:
    name: str
    expected: int | None
    returned: int | None
    rate: float | None
    forms: int


@dataclass(frozen=True)
class LengthHistogram:
    """How long answers are, in words, per column; bins[i] labels counts[column][i]."""

    bins: tuple[str, ...]
    lower: tuple[int, ...]  # the smallest word count in each bin
    counts: dict[str, tuple[int, ...]]


@dataclass(frozen=True)
class ICOutcomeSummary:
    id: str
    outcome: str
    standard: str  # standard id from the content's IC map; "" when unknown
    counts: dict[str, int]  # "L1".., "NA", "none" -> responses
    median: float | None  # of the level numbers (L2 -> 2); NA and blanks left out


@dataclass(frozen=True)
class ICStandardSummary:
    id: str
    name: str
    n: int  # level answers counted
    median: float | None


@dataclass(frozen=True)
class ICGroupSummary:
    name: str
    respondents: int
    n: int
    median: float | None
    by_standard: dict[str, float | None]


@dataclass(frozen=True)
class ICSummary:
    """One role's Innovation Configuration maps, pooled over the responses that used it."""

    role: str
    title: str
    levels: tuple[str, ...]  # level labels, ideal first; index i is "L{i+1}"
    respondents: int  # responses with at least one outcome marked
    outcomes: tuple[ICOutcomeSummary, ...]
    standards: tuple[ICStandardSummary, ...]
    groups: tuple[ICGroupSummary, ...]


@dataclass(frozen=True)
class Duplicate:
    person: str  # the name shown for the person
    roster_id: str | None
    kept: str  # the file kept (the newest)
    dropped: str  # a file set aside
    reason: str


@dataclass(frozen=True)
class Missing:
    id: str
    name: str
    email: str
    role: str
    group: str


@dataclass(frozen=True)
class Rejected:
    file: str
    reason: str  # in the edition's words
    origin: Origin | None = None  # the message it came in, for a mail attachment
    roster_id: str | None = None  # the roster entry with the sender's address, if any
    code: str = ""  # the reason's stable code (labels read.<code>; "" in an older file)


@dataclass(frozen=True)
class Totals:
    files: int  # PDF files found
    ignored: int  # other files found (not read)
    read: int  # PDFs read as forms
    rejected: int
    duplicates: int  # forms set aside because the same person sent a newer one
    responses: int  # forms kept
    with_warnings: int  # kept forms with at least one warning
    expected: int | None  # people on the roster
    returned: int | None  # people on the roster who returned a form
    missing: int | None
    not_on_roster: int | None  # kept forms from people not on the roster
    rate: float | None
    messages: int = 0  # mail messages looked at (mail files, fetch journals)
    without_attachment: int = 0  # of those, replies that held no PDF


@dataclass(frozen=True)
class NoAttachment:
    """A reply that came without a PDF: counted and listed, never an error."""

    source: str  # the mail file and message number, or the fetch journal and UID
    sender: str
    sender_name: str
    date: str
    subject: str
    message_id: str
    roster_id: str | None = None  # the roster entry with the sender's address, if any


@dataclass(frozen=True)
class FollowUpState:
    """Where the follow-up stands at this collect (from the follow-up journal)."""

    reminded: int  # people on the roster sent at least one reminder
    answered_after_reminder: int  # of them, people whose usable form came after it
    still_missing: int  # people on the roster without a usable form
    receipts: int  # people sent a receipt


@dataclass(frozen=True)
class Summary:
    source: str  # the collected folder's name
    roster: str | None  # the roster file's name
    totals: Totals
    roles: tuple[RoleSummary, ...]
    groups: tuple[GroupSummary, ...]
    lengths: LengthHistogram
    ic: tuple[ICSummary, ...]
    responses: Sequence[Response]  # a tuple, or report.spool's disk-backed sequence
    duplicates: tuple[Duplicate, ...]
    missing: tuple[Missing, ...]
    rejected: tuple[Rejected, ...]
    ignored: tuple[str, ...]
    roster_problems: tuple[str, ...] = ()
    without_attachment: tuple[NoAttachment, ...] = ()
    generator: str = ""
    schema: int = SUMMARY_SCHEMA
    followup: FollowUpState | None = None  # None: nobody has been reminded yet

    def role(self, role_id: str) -> RoleSummary:
        return next(r for r in self.roles if r.id == role_id)

    def responses_for(self, role_id: str) -> Iterator[Response]:
        return (r for r in self.responses if r.role == role_id)
