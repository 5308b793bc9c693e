"""Roster + send journal + fetch journal + the last collect's summary.json (+ the reminder
journal) -> Status: one row per person on the roster saying whether their guide went out,
what came back, what was read in it, what is wrong with it, and how often they were
reminded; then a row for each return that belongs to nobody on the roster."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from guidepdf.content.model import Content
from guidepdf.dates import parse_iso, parse_pdf_date
from guidepdf.distribute.filenames import assign_filenames
from guidepdf.distribute.journal import Journal
from guidepdf.distribute.roster import Person, Roster
from guidepdf.followup.problems import PROBLEMS, form_problem, rejected_problem
from guidepdf.mail.journal import JOURNAL_NAME, FetchJournal
from guidepdf.mail.origin import Origin
from guidepdf.report import summary_json
from guidepdf.report.model import FollowUpState, NoAttachment, Rejected, Response, Summary
from guidepdf.report.reconcile import email_key

STATUS_SCHEMA = 1
SCHEMA_PATH = Path(__file__).with_name("status.schema.json")
REMIND, RECEIPT = "remind", "receipt"  # the kinds of follow-up message in the journal
SEP = "\x1f"


def followup_identity(kind: str, label: str) -> str:
    """What a reminder (kind 'remind', label: the round) or a receipt (label: the form
    it confirms) is called in the follow-up journal; one of each per person."""
    return f"{kind}{SEP}{label}"


@dataclass(frozen=True)
class StatusRow:
    """Where one person stands (or, with an empty id, a return nobody on the roster sent)."""

    id: str
    name: str
    email: str
    role: str
    group: str
    line: int | None  # the roster line; None for a return from someone not on it
    sent: str  # "sent", "uncertain" (may have arrived), "failed", "not sent", "unknown"
    sent_at: str  # ISO 8601, from the send journal
    returned: str  # "" (nothing), "file" (a PDF as it was) or "message" (mail)
    returned_at: str  # the message date, else the file's save date
    returned_from: str  # the file (relative to the collected folder) or the message
    returned_role: str  # the role of the form that was read ("" for none)
    answered: int | None  # questions with an answer, of `questions`
    questions: int | None
    ic_marked: int | None  # IC outcomes with a level chosen, of `ic_outcomes`
    ic_outcomes: int | None
    problem: str  # one of PROBLEMS
    detail: str  # what was seen, in words (the reader's reason, the reply's subject …)
    reminders: int  # reminders sent (or written as drafts)
    reminded_at: str  # the last one
    first_reminded_at: str
    receipt_at: str  # when a receipt went out ("" none)
    waiting: int  # mail fetched after the last collect: run collect before reminding

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class Status:
    rows: tuple[StatusRow, ...]
    notes: tuple[str, ...]  # what the coordinator should know about the inputs
    inputs: dict[str, str]  # what was read: roster, send_journal, summary, fetched, reminders

    @property
    def people(self) -> tuple[StatusRow, ...]:
        return tuple(r for r in self.rows if r.id)

    def counts(self) -> dict[str, int]:
        """Problem -> people on the roster with it (every class, zeros included)."""
        seen = Counter(r.problem for r in self.people)
        return {p: seen[p] for p in PROBLEMS}

    def totals(self) -> dict[str, int]:
        people = self.people
        return {
            "people": len(people),
            "sent": sum(r.sent in ("sent", "uncertain") for r in people),
            "returned": sum(bool(r.returned) for r in people),
            "usable": sum(r.problem == "none" for r in people),
            "reminded": sum(r.reminders > 0 for r in people),
            "answered_after_reminder": sum(_after_reminder(r) for r in people),
            "still_missing": sum(r.problem not in ("none",) for r in people),
            "receipts": sum(bool(r.receipt_at) for r in people),
            "waiting": sum(r.waiting > 0 for r in people),
            "not_on_roster": len(self.rows) - len(people),
        }


def followup_state(status: Status) -> FollowUpState | None:
    """What the summary says about the follow-up; None before anyone was reminded."""
    t = status.totals()
    if not t["reminded"] and not t["receipts"]:
        return None
    return FollowUpState(t["reminded"], t["answered_after_reminder"], t["still_missing"],
                         t["receipts"])


def _after_reminder(row: StatusRow) -> bool:
    """A usable form that arrived after the person's first reminder."""
    returned, reminded = parse_iso(row.returned_at), parse_iso(row.first_reminded_at)
    return row.problem == "none" and returned is not None and reminded is not None and \
        returned > reminded


@dataclass
class _Event:
    """Something that came back from one person."""

    moment: str  # ISO 8601 ("" unknown: sorts first)
    problem: str
    detail: str
    via: str  # "file" or "message"
    source: str
    role: str = ""
    answered: int | None = None
    questions: int | None = None
    marked: int | None = None
    outcomes: int | None = None


def build_status(roster: Roster, content: Content, *, summary: Path | Summary | None,
                 send_journal: Path | None, returned_dir: Path | None,
                 reminders: Path | None) -> Status:
    """Everything about each roster person in one row; see the module docstring. A
    path that does not exist is read as empty, and said in `notes`."""
    notes: list[str] = []
    inputs: dict[str, str] = {"roster": str(roster.path)}
    people = list(roster.people)
    by_id = {p.id: p for p in people}
    by_email = {email_key(p.email): p for p in people if p.email}

    sent = _sent_states(send_journal, notes, inputs)
    follow = _followups(reminders, inputs)
    data = _summary(summary, roster, notes, inputs)
    events: dict[str, list[_Event]] = {p.id: [] for p in people}
    strangers: list[StatusRow] = []
    covered_ids: set[str] = set()
    covered_files: set[str] = set()
    folder = Path(returned_dir) if returned_dir is not None else None
    if data is not None:
        for response in data.responses:
            covered_files.add(Path(response.source).name)
            if response.origin is not None and response.origin.message_id:
                covered_ids.add(response.origin.message_id)
            person = by_id.get(response.roster_id or "")
            event = _response_event(response, person, content, folder)
            if person is None:
                strangers.append(_stranger(response.name, response.email, response.role,
                                           response.group, event))
            else:
                events[person.id].append(event)
        for dup in data.duplicates:
            covered_files.update({Path(dup.kept).name, Path(dup.dropped).name})
        for rejected in data.rejected:
            covered_files.add(Path(rejected.file).name)
            if rejected.origin is not None and rejected.origin.message_id:
                covered_ids.add(rejected.origin.message_id)
            event = _rejected_event(rejected, folder)
            person = by_id.get(rejected.roster_id or "") or _by_file_name(rejected.file,
                                                                          people)
            if person is None:
                o = rejected.origin or Origin("")
                strangers.append(_stranger(o.sender_name, o.sender, "", "", event))
            else:
                events[person.id].append(event)
        for reply in data.without_attachment:
            if reply.message_id:
                covered_ids.add(reply.message_id)
            event = _reply_event(reply)
            person = by_id.get(reply.roster_id or "")
            if person is None:
                strangers.append(_stranger(reply.sender_name, reply.sender, "", "", event))
            else:
                events[person.id].append(event)
    waiting = _waiting(folder, by_email, covered_ids, covered_files, notes, inputs)

    rows = [_row(p, sent, follow, events[p.id], waiting.get(p.id, 0)) for p in people]
    return Status(tuple(rows) + tuple(strangers), tuple(notes), inputs)


# --- the inputs -----------------------------------------------------------------------

def _sent_states(path: Path | None, notes: list[str], inputs: dict[str, str]
                 ) -> dict[str, tuple[str, str]] | None:
    """Person id -> (state, time) from the send journal; None when there is none."""
    if path is None or not Path(path).is_file():
        if path is not None:
            notes.append(f"no send journal at {path}: who was sent a guide is not known "
                         "(an --outbox run keeps none); everyone is taken as sent")
        return None
    inputs["send_journal"] = str(path)
    journal = Journal(Path(path), readonly=True)
    states: dict[str, tuple[str, str]] = {}
    for record in journal.records:
        pid, status, when = record.get("id", ""), record.get("status"), record.get("time", "")
        before = states.get(pid, ("", ""))[0]
        if status == "sent":
            states[pid] = ("sent", when)
        elif before == "sent":
            continue
        elif status in ("handing", "uncertain"):
            states[pid] = ("uncertain", when)
        elif status == "failed":
            states[pid] = ("failed", when)
        elif status == "sending" and record.get("v") is None:
            states[pid] = ("uncertain", when)
    return states


@dataclass
class _Followups:
    reminders: dict[str, list[str]] = field(default_factory=dict)  # id -> times sent
    receipts: dict[str, str] = field(default_factory=dict)  # id -> the last receipt's time


def _followups(path: Path | None, inputs: dict[str, str]) -> _Followups:
    out = _Followups()
    if path is None or not Path(path).is_file():
        return out
    inputs["reminders"] = str(path)
    # a message counts once it was sent or drafted, or when it may have arrived (its run
    # died, or the link broke, after the whole message went out: 'uncertain')
    done: dict[tuple[str, str], dict[str, str]] = {}
    for record in Journal(Path(path), readonly=True).records:
        mark = (record.get("id", ""), str(record.get("identity", "")))
        status = record.get("status")
        settled = done.get(mark, {}).get("status") in ("sent", "drafted")
        if status in ("sent", "drafted") or (status in ("handing", "uncertain")
                                             and not settled):
            done[mark] = record
    for (pid, identity), record in done.items():
        kind = identity.split(SEP, 1)[0]
        when = record.get("time", "")
        if kind == REMIND:
            out.reminders.setdefault(pid, []).append(when)
        elif kind == RECEIPT:
            out.receipts[pid] = max(when, out.receipts.get(pid, ""))
    return out


def _summary(given: Path | Summary | None, roster: Roster, notes: list[str],
             inputs: dict[str, str]) -> Summary | None:
    if given is None or isinstance(given, Summary):
        return given
    path = Path(given)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        notes.append(f"no {path} yet: nothing has been collected, so nobody has returned a "
                     "form as far as status can tell (run guidepdf collect with --roster)")
        return None
    except OSError as exc:
        raise StatusInputError(f"{path}: cannot read the summary ({exc.strerror})") from None
    try:
        data = summary_json.loads(text)
    except (ValueError, KeyError, TypeError) as exc:
        raise StatusInputError(f"{path}: not a summary.json this guidepdf reads ({exc}) — "
                               "run guidepdf collect again") from None
    inputs["summary"] = str(path)
    if data.roster is None:
        raise StatusInputError(f"{path}: collect was run without --roster, so its forms are "
                               "not matched to people — run guidepdf collect again with "
                               f"--roster {roster.path}")
    if data.roster != roster.path.name:
        notes.append(f"{path} was collected with the roster {data.roster}, not "
                     f"{roster.path.name}: people are matched by their ids")
    return data


def _waiting(folder: Path | None, by_email: dict[str, Person], covered_ids: set[str],
             covered_files: set[str], notes: list[str], inputs: dict[str, str]
             ) -> dict[str, int]:
    """Person id -> messages `guidepdf fetch` saved that the summary does not know yet."""
    if folder is None or not (folder / JOURNAL_NAME).is_file():
        return {}
    inputs["fetched"] = str(folder / JOURNAL_NAME)
    found: Counter[str] = Counter()
    strangers = 0
    for entry in FetchJournal.load(folder).messages():
        o = entry.origin
        if o.message_id in covered_ids or any(Path(f).name in covered_files
                                              for f in entry.files):
            continue
        person = by_email.get(email_key(o.sender))
        if person is None:
            strangers += 1
        else:
            found[person.id] += 1
    if found or strangers:
        notes.append(f"{sum(found.values()) + strangers} message(s) were fetched after the "
                     "last collect; run guidepdf collect again before reminding anyone "
                     f"(remind leaves the {len(found)} people they came from alone until then)")
    return dict(found)


class StatusInputError(Exception):
    """An input status cannot use (an unreadable or unmatched summary.json)."""


# --- events ---------------------------------------------------------------------------

def _response_event(r: Response, person: Person | None, content: Content,
                    folder: Path | None) -> _Event:
    try:
        role = content.role(r.role)
        questions = len(role.questions)
        outcomes = len(role.icmap.outcomes) if role.icmap else 0
    except KeyError:
        questions, outcomes = len(r.answers), len(r.ic)
    answered = sum(1 for a in r.answers if a.reflections.strip() or a.first_steps.strip())
    marked = sum(1 for c in r.ic if c.level)
    matches = person is None or not person.role or person.role == r.role
    problem = form_problem(answered, questions, marked, outcomes, matches)
    detail = ""
    if not matches and person is not None:
        detail = f"returned the '{r.role}' guide; the roster lists them as '{person.role}'"
    elif problem in ("blank", "mostly_blank"):
        detail = f"{answered} of {questions} questions answered" + (
            f", {marked} of {outcomes} IC outcomes marked" if outcomes else "")
    if r.origin is not None:
        moment = r.origin.date
    else:
        saved = parse_pdf_date(r.modified)
        moment = saved.astimezone(UTC).isoformat() if saved else ""
    return _Event(moment, problem, detail, r.came_from, r.source, r.role, answered,
                  questions, marked, outcomes)


def _rejected_event(r: Rejected, folder: Path | None) -> _Event:
    moment = r.origin.date if r.origin is not None else _mtime(folder, r.file)
    return _Event(moment, rejected_problem(r.code, r.reason), r.reason,
                  "message" if r.origin is not None else "file", r.file)


def _reply_event(n: NoAttachment) -> _Event:
    subject = f" (\u201c{n.subject}\u201d)" if n.subject else ""
    return _Event(n.date, "no_attachment", f"a reply without a PDF{subject}", "message",
                  n.source)


def _on_disk(folder: Path | None, source: str) -> Path | None:
    if folder is None:
        return None
    path = folder / source
    return path if path.is_file() else None


def _mtime(folder: Path | None, source: str) -> str:
    path = _on_disk(folder, source)
    if path is None:
        return ""
    try:
        return datetime.fromtimestamp(os.stat(path).st_mtime, UTC).isoformat(
            timespec="seconds")
    except OSError:
        return ""


def _by_file_name(file: str, people: list[Person]) -> Person | None:
    """A rejected file that did not come by mail: the person whose personalized copy's
    name it still carries (a flattened copy often keeps the name it was sent with)."""
    name = Path(file).stem.casefold()
    found = [p for p, stem in _stems(people) if stem and stem in name]
    return found[0] if len(found) == 1 else None


_STEMS: dict[int, list[tuple[Person, str]]] = {}


def _stems(people: list[Person]) -> list[tuple[Person, str]]:
    key = id(people)
    if key not in _STEMS:
        _STEMS.clear()
        names = assign_filenames(people)
        _STEMS[key] = [(p, Path(names[p.id]).stem.casefold()) for p in people]
    return _STEMS[key]


# --- rows -----------------------------------------------------------------------------

def _when(event: _Event) -> datetime:
    moment = parse_iso(event.moment)
    return moment or datetime.min.replace(tzinfo=UTC)


def _pick(events: Iterable[_Event]) -> _Event | None:
    """A usable form wins over anything else; otherwise the newest thing that came back."""
    events = list(events)
    usable = [e for e in events if e.problem == "none"]
    if usable:
        return max(usable, key=_when)
    return max(events, key=_when) if events else None


def _row(person: Person, sent: dict[str, tuple[str, str]] | None, follow: _Followups,
         events: list[_Event], waiting: int) -> StatusRow:
    if sent is None:
        state, sent_at = "unknown", ""
    else:
        state, sent_at = sent.get(person.id, ("not sent", ""))
    event = _pick(events)
    times = sorted(follow.reminders.get(person.id, []))
    if event is not None:
        problem = event.problem
    elif state in ("not sent", "failed"):
        problem = "not_sent"
    else:
        problem = "no_reply"
    return StatusRow(
        id=person.id, name=person.name, email=person.email, role=person.role,
        group=person.group, line=person.line, sent=state, sent_at=sent_at,
        returned=event.via if event else "", returned_at=event.moment if event else "",
        returned_from=event.source if event else "",
        returned_role=event.role if event else "",
        answered=event.answered if event else None,
        questions=event.questions if event else None,
        ic_marked=event.marked if event else None,
        ic_outcomes=event.outcomes if event else None,
        problem=problem, detail=event.detail if event else "",
        reminders=len(times), reminded_at=times[-1] if times else "",
        first_reminded_at=times[0] if times else "",
        receipt_at=follow.receipts.get(person.id, ""), waiting=waiting)


def _stranger(name: str, email: str, role: str, group: str, event: _Event) -> StatusRow:
    detail = event.detail or ("a form that matches nobody on the roster"
                              if event.via else "")
    return StatusRow(
        id="", name=name, email=email, role=role, group=group, line=None, sent="",
        sent_at="", returned=event.via, returned_at=event.moment,
        returned_from=event.source, returned_role=event.role, answered=event.answered,
        questions=event.questions, ic_marked=event.marked, ic_outcomes=event.outcomes,
        problem="unknown_sender", detail=detail, reminders=0, reminded_at="",
        first_reminded_at="", receipt_at="", waiting=0)
