"""A stream of read outcomes (plans or rejections) + an optional roster + the content ->
the Summary: kept responses, counts per role and group, duplicates, missing people,
rejected files, frequent terms and themes (report.themes) per question and role, answer
lengths, IC level counts and medians."""

from __future__ import annotations

import pickle
import re
import sys
from array import array
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from guidepdf import __version__, formspec
from guidepdf.content.labels import shipped_labels
from guidepdf.content.model import Content, Role
from guidepdf.dates import parse_iso, parse_pdf_date
from guidepdf.distribute.roster import Person, Roster
from guidepdf.mail.origin import Origin
from guidepdf.notes import Note, note_code
from guidepdf.read.readmany import Outcome
from guidepdf.report import terms as termlib
from guidepdf.report.model import (
    NO_GROUP,
    UNANSWERED,
    AnswerRow,
    Duplicate,
    GroupSummary,
    ICGroupSummary,
    ICOutcomeSummary,
    ICRow,
    ICStandardSummary,
    ICSummary,
    LengthHistogram,
    Missing,
    NoAttachment,
    QuestionSummary,
    Rejected,
    Response,
    RoleSummary,
    Summary,
    Term,
    Totals,
)
from guidepdf.report.reconcile import (
    Match,
    Sender,
    email_key,
    name_key,
    reconcile,
)
from guidepdf.report.spool import Spool, SpooledResponses
from guidepdf.report.themepool import Found, Span, Terms, role_spans, themes_by_role
from guidepdf.report.themes import ThemeCounter

IGNORED_REASON = " — "  # between an ignored entry's name and why it was not read

LENGTH_BINS = ((0, "blank"), (1, "1–10"), (11, "11–25"), (26, "26–50"), (51, "51–100"),
               (101, "101–200"), (201, "201+"))
_LOWS = tuple(low for low, _ in LENGTH_BINS)  # ascending
TOP_TERMS = 12
_LEVEL = re.compile(r"^L(\d+)$")


def level_number(level: str | None) -> int | None:
    """"L3" -> 3; anything else (NA, blank, unknown) -> None."""
    m = _LEVEL.match(level or "")
    return int(m.group(1)) if m else None


def _rate(returned: int | None, expected: int | None) -> float | None:
    if returned is None or not expected:
        return None
    return round(returned / expected, 4)


def _median(counts: Counter[int]) -> float | None:
    """The median of the numbers counted in `counts` (number -> how often), as
    statistics.median gives it for the numbers written out; None when there are none."""
    n = counts.total()
    if not n:
        return None
    ordered = sorted(counts.items())

    def nth(k: int) -> int:  # the k-th smallest, from 0
        for value, count in ordered:
            if k < count:
                return value
            k -= count
        raise IndexError(k)

    middle = nth(n // 2)
    return float(middle) if n % 2 else (nth(n // 2 - 1) + middle) / 2


class Form(NamedTuple):
    """A readable form as the Aggregator keeps it, made by pack() in the process that read
    it: its sender, the wording of its questions and IC outcomes, and the rest pickled
    for the spool. The process aggregating thousands of forms then neither rebuilds each
    Plan from the pipe (44 us a form) nor pickles its answers again (28 us)."""

    role: str
    fingerprint: str
    name: str  # as typed in the form
    email: str
    recipient_id: str  # from the manifest of a personalized copy
    recipient_name: str
    recipient_email: str
    modified: str
    texts: tuple[tuple[str, str, str], ...]  # ("q" or "ic", id, wording) as in the form
    record: bytes  # pickled (typed details, recipient, warnings, answers, IC choices)


def pack(outcome: Outcome) -> Outcome | Form:
    """What the Aggregator keeps of a read form (a rejected one stays an Outcome)."""
    plan = outcome.plan
    if plan is None:
        return outcome
    typed, rec = plan.respondent, plan.recipient or {}
    texts = tuple(("q", a.question_id, a.question) for a in plan.answers if a.question) \
        + tuple(("ic", c.outcome_id, c.outcome) for c in plan.ic if c.outcome)
    record = pickle.dumps((
        dict(typed), dict(rec), tuple(plan.warnings),
        tuple((a.question_id, a.reflections, a.first_steps) for a in plan.answers),
        tuple((c.outcome_id, c.level, c.notes) for c in plan.ic)),
        protocol=pickle.HIGHEST_PROTOCOL)
    return Form(plan.role, plan.fingerprint, typed.get("name", ""), typed.get("email", ""),
                rec.get("id", ""), rec.get("name", ""), rec.get("email", ""), plan.modified,
                texts, record)


class Aggregator:
    """Feed it outcomes one by one (`add`), then call `finish` once for the Summary.

    Which of a person's forms is kept can only be decided once every form has been seen,
    so each readable form is kept until then — its sender in memory, everything else
    (answers, IC choices, typed details) in a spool on disk. `finish` reconciles, then makes
    one pass over the kept forms in the summary's order, counting as it goes and spooling
    the finished Responses; memory stays flat however many forms come in.
    """

    def __init__(self, content: Content | None = None, roster: Roster | None = None,
                 source: str = "", spool_dir: Path | None = None) -> None:
        self.content = content
        self.labels = content.labels if content is not None else shipped_labels()
        self.roster = roster
        self.source = source
        self.spool_dir = spool_dir
        self.senders: list[Sender] = []
        self._forms = Spool(spool_dir)
        self._offsets = array("q")  # where each sender's form is in the spool
        self._origins = array("q")  # where its mail message's Origin is, or -1
        self.texts: dict[tuple[str, str, str], str] = {}  # (role, "q"/"ic", id) -> wording
        self.rejected: list[Rejected] = []
        self.ignored: list[str] = []
        self.files = 0
        self.messages = 0  # mail messages looked at
        self.without_attachment: list[NoAttachment] = []

    def add(self, read: Outcome | Form, shown: str, mtime: float = 0.0,
            origin: Origin | None = None) -> None:
        """One read file (its Outcome, or the Form pack() made of it where it was read);
        `origin` is the message it came in, for a mail attachment."""
        self.files += 1
        if isinstance(read, Outcome):
            if read.plan is None:
                self.reject(shown, read.reason or Note.as_written(""), origin, counted=True)
                return
            read = pack(read)
        role = sys.intern(read.role)
        for kind, key, text in read.texts:
            self.texts.setdefault((role, kind, key), text)
        self.senders.append(Sender(
            role=role, name=read.name, email=read.email, recipient_id=read.recipient_id,
            recipient_name=read.recipient_name, recipient_email=read.recipient_email,
            modified=read.modified, mtime=mtime, source=shown,
            mail_from=origin.sender if origin else "", mail_date=origin.date if origin else ""))
        self._offsets.append(self._forms.append_pickled(read.record))
        self._origins.append(-1 if origin is None else self._forms.append(origin))

    def ignore(self, shown: str, reason: Note | None = None) -> None:
        """A file not read: not a PDF, or (with `reason`) not a file it may open — kept
        as "name — reason" (see tables.status_rows_after_responses)."""
        self.ignored.append(f"{shown}{IGNORED_REASON}{self.labels.note(reason)}" if reason
                            else shown)

    def reject(self, shown: str, reason: Note, origin: Origin | None = None, *,
               counted: bool = False) -> None:
        """A file that cannot be read as a form, or mail that should have held one but
        cannot be opened (a .msg file, winmail.dat; counted here as a file unless
        `counted`): the reason in the edition's words, beside its code."""
        if not counted:
            self.files += 1
        self.rejected.append(Rejected(shown, self.labels.note(reason), origin,
                                      code=note_code(reason)))

    def no_attachment(self, source: str, origin: Origin | None) -> None:
        """A reply that held no PDF."""
        o = origin or Origin("")
        self.without_attachment.append(NoAttachment(source, o.sender, o.sender_name, o.date,
                                                    o.subject, o.message_id))

    def finish(self, jobs: int = 1) -> Summary:
        """The Summary; the themes of each role are worked out in up to `jobs` processes
        (report.themepool), with the same result for any number."""
        people = list(self.roster.people) if self.roster is not None else None
        rec = reconcile(self.senders, people)
        role_order = self._role_order(rec.kept, people)
        kept = sorted(rec.kept, key=lambda i: self._sort_key(i, role_order))
        stop_words = termlib.stop_words(self.labels)
        tally = _Tally()
        language = self.content.brand.language if self.content is not None else "en"
        out = Spool(self.spool_dir)
        offsets = array("q", bytes(8 * len(kept)))  # filled in role by role, by make()
        responses = SpooledResponses(out, offsets)

        def make(span: Span) -> None:  # one role's responses, just before its themes
            for n in range(*span):
                response = self._response(kept[n], rec.matches[kept[n]])
                tally.add(response)
                offsets[n] = out.append(response)

        themes, terms = themes_by_role(
            responses, role_spans([self.senders[i].role for i in kept]),
            lambda: ThemeCounter(self._question_text, language, stop_words,
                                 self.spool_dir), jobs,
            TOP_TERMS, before=make)
        self._forms.close()
        matched = [p for i in rec.kept if (p := rec.matches[i].person) is not None]
        duplicates = tuple(self._duplicate(k, d, rec.matches[k]) for k, d in rec.duplicates)
        return Summary(
            source=self.source,
            roster=self.roster.path.name if self.roster is not None else None,
            totals=self._totals(tally, people, matched, len(duplicates)),
            roles=tuple(self._roles(tally, people, matched, role_order, themes, terms)),
            groups=tuple(_groups(tally, people, matched)),
            lengths=tally.lengths(),
            ic=tuple(self._ic_role(r, tally.ic[r]) for r in role_order if r in tally.ic),
            responses=responses,
            duplicates=duplicates,
            missing=tuple(Missing(p.id, p.name, p.email, p.role, p.group)
                          for p in rec.missing),
            rejected=self._rejected(people),
            ignored=tuple(sorted(self.ignored)),
            roster_problems=tuple(str(p) for p in self.roster.problems)
            if self.roster is not None else (),
            without_attachment=self._without_attachment(people),
            generator=f"guidepdf {__version__}",
        )

    # --- responses -------------------------------------------------------------------

    def _sort_key(self, index: int, role_order: dict[str, int]) -> tuple[int, str, str, str]:
        """Role by role (content order), then by name (else email, else file), then file —
        what Response.who shows, worked out from the sender alone."""
        s = self.senders[index]
        who = s.name or s.recipient_name or s.email or s.recipient_email or s.source
        return (role_order.get(s.role, len(role_order)), s.role, name_key(who), s.source)

    def _response(self, index: int, match: Match) -> Response:
        sender, person = self.senders[index], match.person
        typed, rec, form_warnings, answers, ic = self._forms.load(self._offsets[index])
        at = self._origins[index]
        origin: Origin | None = self._forms.load(at) if at >= 0 else None
        role = sender.role
        notes = [*form_warnings, *match.notes]
        if person is not None and person.role and person.role != role:
            notes.append(Note.of("roster_role", roster_role=person.role, role_id=role))
        # the roster's group, unless it has none: then what the person typed is kept
        group = (person.group if person is not None else "") or typed.get("group") \
            or rec.get("group", "")
        rows = (AnswerRow(sys.intern(q), r, s) for q, r, s in answers)
        choices = (ICRow(sys.intern(o), level and sys.intern(level), notes)
                   for o, level, notes in ic)
        return Response(
            role=role, name=typed.get("name") or rec.get("name", ""),
            email=typed.get("email") or rec.get("email", ""), group=group,
            date=typed.get("date", ""), source=sender.source, modified=sender.modified,
            roster_id=person.id if person is not None else None,
            matched_by=match.matched_by,
            on_roster=(person is not None) if self.roster is not None else None,
            warnings=tuple(self.labels.note(n) for n in notes),
            warning_codes=tuple(note_code(n) for n in notes),
            answers=tuple(sorted(rows, key=self._order(role, "q"))),
            ic=tuple(sorted(choices, key=self._order(role, "ic"))),
            came_from="message" if origin is not None else "file", origin=origin,
        )

    def _order(self, role_id: str, kind: str) -> Callable[[AnswerRow | ICRow], int]:
        """Sort key: the content's order of questions (or IC outcomes); others last, as
        they came (sorting is stable)."""
        role = self._role(role_id)
        ids: list[str] = []
        if role is not None:
            ids = [q.id for q in role.questions] if kind == "q" else \
                [o.id for o in role.icmap.outcomes] if role.icmap else []
        rank = {i: n for n, i in enumerate(ids)}
        return lambda row: rank.get(row.question_id if isinstance(row, AnswerRow)
                                    else row.outcome_id, len(rank))

    def _duplicate(self, kept: int, dropped: int, match: Match) -> Duplicate:
        k, d = self.senders[kept], self.senders[dropped]
        km, dm = parse_iso(k.mail_date), parse_iso(d.mail_date)
        kd, dd = parse_pdf_date(k.modified), parse_pdf_date(d.modified)
        say = self.labels.text
        if km and dm and km != dm:
            reason = say("report.dup_sent_earlier", dropped=f"{dm:%Y-%m-%d %H:%M}",
                         kept=f"{km:%Y-%m-%d %H:%M}")
        elif kd and dd and kd != dd:
            reason = say("report.dup_saved_earlier", dropped=f"{dd:%Y-%m-%d %H:%M}",
                         kept=f"{kd:%Y-%m-%d %H:%M}")
        elif kd and not dd:
            reason = say("report.dup_no_date")
        elif k.mtime != d.mtime:
            reason = say("report.dup_older_file")
        else:
            reason = say("report.dup_sorts_first")
        who = k.name or k.recipient_name or (match.person.name if match.person else "") \
            or k.email or k.source
        return Duplicate(who, match.person.id if match.person else None, k.source,
                         d.source, reason)

    def _without_attachment(self, people: list[Person] | None) -> tuple[NoAttachment, ...]:
        """The replies without a PDF, by source, each with the roster entry its sender's
        address belongs to."""
        by_email = {email_key(p.email): p.id for p in people or () if p.email}
        return tuple(sorted((replace(n, roster_id=by_email.get(email_key(n.sender)))
                             for n in self.without_attachment), key=lambda n: n.source))

    def _rejected(self, people: list[Person] | None) -> tuple[Rejected, ...]:
        """The rejected files, by file, each that came by mail with the roster entry its
        sender's address belongs to (so follow-up can tell that person what went wrong)."""
        by_email = {email_key(p.email): p.id for p in people or () if p.email}
        return tuple(sorted((replace(r, roster_id=by_email.get(email_key(r.origin.sender)))
                             if r.origin is not None and r.origin.sender else r
                             for r in self.rejected), key=lambda r: r.file))

    def _role(self, role_id: str) -> Role | None:
        if self.content is None:
            return None
        try:
            return self.content.role(role_id)
        except KeyError:
            return None

    def _role_order(self, kept: Iterable[int], people: list[Person] | None
                    ) -> dict[str, int]:
        known = [r.id for r in self.content.roles] if self.content else []
        seen = {self.senders[i].role for i in kept} | {p.role for p in people or ()
                                                       if p.role}
        ids = [r for r in known if r in seen] + sorted(seen - set(known))
        return {r: i for i, r in enumerate(ids)}

    # --- roles and questions -----------------------------------------------------------

    def _question_text(self, role_id: str, question_id: str) -> str:
        role = self._role(role_id)
        if role is not None:
            for q in role.questions:
                if q.id == question_id:
                    return q.text
        return self.texts.get((role_id, "q", question_id), "")

    def _roles(self, tally: _Tally, people: list[Person] | None, matched: list[Person],
               order: dict[str, int], themes: Found, terms: Terms
               ) -> Iterable[RoleSummary]:
        expected = Counter(p.role for p in people or ())
        returned = Counter(p.role for p in matched)
        for role_id in order:
            role = self._role(role_id)
            exp = expected[role_id] if people is not None else None
            ret = returned[role_id] if people is not None else None
            yield RoleSummary(role_id, role.title if role else role_id, exp, ret,
                              _rate(ret, exp), tally.forms[role_id],
                              tuple(self._questions(role_id, role, tally, themes, terms)),
                              themes.get((role_id, ""), ()))

    def _questions(self, role_id: str, role: Role | None, tally: _Tally, themes: Found,
                   terms: Terms) -> Iterable[QuestionSummary]:
        texts = {q.id: q.text for q in role.questions} if role else {}
        counted = tally.questions.get(role_id, {})
        ids = {**dict.fromkeys(texts), **dict.fromkeys(counted)}
        for number, qid in enumerate(ids, start=1):
            q = counted.get(qid) or _QuestionTally()
            yield QuestionSummary(
                qid, number, texts.get(qid) or self.texts.get((role_id, "q", qid), qid),
                q.answered, q.reflections, q.first_steps, tally.forms[role_id] - q.answered,
                tuple(Term(t, c) for t, c in terms.get((role_id, qid), ())),
                themes.get((role_id, qid), ()))

    def _totals(self, tally: _Tally, people: list[Person] | None, matched: list[Person],
                duplicates: int) -> Totals:
        roster = people is not None
        expected = len(people) if people is not None else None
        returned = len({p.id for p in matched}) if roster else None
        return Totals(
            files=self.files, ignored=len(self.ignored), read=len(self.senders),
            rejected=len(self.rejected), duplicates=duplicates, responses=tally.responses,
            with_warnings=tally.with_warnings, expected=expected, returned=returned,
            missing=(expected - returned) if expected is not None and returned is not None
            else None,
            not_on_roster=tally.not_on_roster if roster else None,
            rate=_rate(returned, expected), messages=self.messages,
            without_attachment=len(self.without_attachment))

    # --- Innovation Configuration maps ---------------------------------------------------

    def _ic_role(self, role_id: str, seen: _ICTally) -> ICSummary:
        role = self._role(role_id)
        icmap = role.icmap if role else None
        standard_of = {o.id: b.standard for b in icmap.blocks for o in b.outcomes} \
            if icmap else {}
        texts = {o.id: o.outcome for o in icmap.outcomes} if icmap else {}
        outcome_ids = {**dict.fromkeys(texts), **dict.fromkeys(seen.choices)}
        top = max(len(icmap.levels) if icmap else 0, seen.top)
        levels = tuple(icmap.levels) if icmap else ()
        levels += tuple(f"L{i}" for i in range(len(levels) + 1, top + 1))
        keys = [formspec.ic_level_value(i) for i in range(top)]
        keys += [formspec.IC_NOT_ASSESSED, UNANSWERED]
        outcomes = []
        for oid in outcome_ids:
            counts = dict.fromkeys(keys, 0)
            for key, n in seen.choices.get(oid, {}).items():
                counts[key] = counts.get(key, 0) + n
            counts[UNANSWERED] += seen.respondents - sum(seen.choices.get(oid, {}).values())
            wording = texts.get(oid) or self.texts.get((role_id, "ic", oid), "")
            outcomes.append(ICOutcomeSummary(oid, wording, standard_of.get(oid, ""), counts,
                                             _median(seen.numbers[oid])))
        standard_ids = list(dict.fromkeys(o.standard for o in outcomes if o.standard))
        standards = []
        for sid in standard_ids:
            pooled = sum((seen.numbers[o.id] for o in outcomes if o.standard == sid),
                         Counter[int]())
            standards.append(ICStandardSummary(sid, self._standard_name(sid),
                                               pooled.total(), _median(pooled)))
        groups = []
        for name in sorted(seen.groups, key=_group_key):
            g = seen.groups[name]
            by_standard: Counter[str] = Counter()
            pooled_by: dict[str, Counter[int]] = defaultdict(Counter)
            for (oid, n), count in g.levels.items():
                pooled_by[standard_of.get(oid, "")][n] += count
                by_standard[standard_of.get(oid, "")] += count
            everything = sum(pooled_by.values(), Counter[int]())
            groups.append(ICGroupSummary(name, g.respondents, everything.total(),
                                         _median(everything),
                                         {sid: _median(pooled_by[sid])
                                          for sid in standard_ids}))
        return ICSummary(role_id, role.title if role else role_id, levels, seen.respondents,
                         tuple(outcomes), tuple(standards), tuple(groups))

    def _standard_name(self, standard_id: str) -> str:
        if self.content is None:
            return standard_id
        try:
            return self.content.framework.standard(standard_id).name
        except StopIteration:
            return standard_id


class _QuestionTally:
    __slots__ = ("answered", "first_steps", "reflections")

    def __init__(self) -> None:
        self.answered = self.reflections = self.first_steps = 0


class _ICGroupTally:
    __slots__ = ("levels", "respondents")

    def __init__(self) -> None:
        self.respondents = 0
        self.levels: Counter[tuple[str, int]] = Counter()  # (outcome id, level number)


class _ICTally:
    """One role's IC choices over the responses that marked at least one outcome."""

    def __init__(self) -> None:
        self.respondents = 0
        self.top = 0  # the highest level number seen
        self.choices: dict[str, dict[str, int]] = {}  # outcome id -> level key -> count
        self.numbers: dict[str, Counter[int]] = defaultdict(Counter)  # outcome -> levels
        self.groups: dict[str, _ICGroupTally] = defaultdict(_ICGroupTally)

    def add(self, response: Response) -> None:
        self.respondents += 1
        group = self.groups[response.group or NO_GROUP]
        group.respondents += 1
        first: dict[str, ICRow] = {}
        for c in response.ic:
            first.setdefault(c.outcome_id, c)
            if (n := level_number(c.level)) is not None:
                self.top = max(self.top, n)
                group.levels[(c.outcome_id, n)] += 1
        for oid, c in first.items():
            key = c.level or UNANSWERED
            counts = self.choices.setdefault(oid, {})
            counts[key] = counts.get(key, 0) + 1
            if (n := level_number(key)) is not None:
                self.numbers[oid][n] += 1


class _Tally:
    """Everything the summary counts, added up one response at a time."""

    def __init__(self) -> None:
        self.responses = self.with_warnings = self.not_on_roster = 0
        self.forms: Counter[str] = Counter()  # role -> kept forms
        self.groups: Counter[str] = Counter()
        self.questions: dict[str, dict[str, _QuestionTally]] = defaultdict(dict)
        self.length_counts = {c: [0] * len(LENGTH_BINS) for c in ("reflections",
                                                                  "first_steps")}
        self.ic: dict[str, _ICTally] = {}

    def add(self, r: Response) -> None:
        self.responses += 1
        self.with_warnings += bool(r.warnings)
        self.not_on_roster += r.on_roster is False
        self.forms[r.role] += 1
        self.groups[r.group or NO_GROUP] += 1
        questions = self.questions[r.role]
        seen: set[str] = set()
        for a in r.answers:
            for column, text in (("reflections", a.reflections),
                                 ("first_steps", a.first_steps)):
                self.length_counts[column][_length_bin(len(text.split()))] += 1
            if a.question_id in seen:
                continue  # a second cell for the same question: counted once, as before
            seen.add(a.question_id)
            q = questions.setdefault(a.question_id, _QuestionTally())
            has_r, has_s = bool(a.reflections.strip()), bool(a.first_steps.strip())
            q.reflections += has_r
            q.first_steps += has_s
            q.answered += has_r or has_s
        if any(c.level is not None for c in r.ic):
            self.ic.setdefault(r.role, _ICTally()).add(r)

    def lengths(self) -> LengthHistogram:
        return LengthHistogram(tuple(label for _, label in LENGTH_BINS),
                               tuple(low for low, _ in LENGTH_BINS),
                               {c: tuple(v) for c, v in self.length_counts.items()})


def _length_bin(words: int) -> int:
    """The bin of an answer of `words` words: the last whose lower bound it reaches."""
    return bisect_right(_LOWS, words) - 1


def _group_key(name: str) -> tuple[bool, str]:
    return (name == NO_GROUP, name.casefold())


def _groups(tally: _Tally, people: list[Person] | None, matched: list[Person]
            ) -> Iterable[GroupSummary]:
    forms = tally.groups
    if people is None:
        for name in sorted(forms, key=_group_key):
            yield GroupSummary(name, None, None, None, forms[name])
        return
    expected = Counter(p.group or NO_GROUP for p in people)
    returned = Counter(p.group or NO_GROUP for p in {p.id: p for p in matched}.values())
    for name in sorted(set(expected) | set(forms), key=_group_key):
        yield GroupSummary(name, expected[name], returned[name],
                           _rate(returned[name], expected[name]), forms[name])


def ic_summaries(responses: Iterable[Response], content: Content | None = None
                 ) -> tuple[ICSummary, ...]:
    """The IC maps of just these responses (a team's), counted as the summary counts them
    for everyone: one per role whose forms marked any outcome, in the content's order."""
    agg = Aggregator(content)
    agg._forms.close()  # no forms are added: only its IC counting is used
    tallies: dict[str, _ICTally] = {}
    for r in responses:
        if any(c.level is not None for c in r.ic):
            tallies.setdefault(r.role, _ICTally()).add(r)
    known = [r.id for r in content.roles] if content is not None else []
    order = [r for r in known if r in tallies] + sorted(set(tallies) - set(known))
    return tuple(agg._ic_role(r, tallies[r]) for r in order)


def aggregate(items: Iterable[tuple[Outcome, str, float]], content: Content | None = None,
              roster: Roster | None = None, source: str = "", jobs: int = 1) -> Summary:
    """(outcome, shown path, file mtime) for every PDF -> the Summary (themes in up to
    `jobs` processes)."""
    agg = Aggregator(content, roster, source)
    for outcome, shown, mtime in items:
        agg.add(outcome, shown, mtime)
    return agg.finish(jobs=jobs)
