"""A stream of read outcomes (plans or rejections) + an optional roster + the content ->
the Summary: kept responses, counts per role and group, duplicates, missing people,
rejected files, frequent terms per question, answer lengths, IC level counts and medians."""

from __future__ import annotations

import re
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from guidepdf import __version__, formspec
from guidepdf.content.model import Content, Role
from guidepdf.distribute.roster import Person, Roster
from guidepdf.readmany import Outcome
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
    QuestionSummary,
    Rejected,
    Response,
    RoleSummary,
    Summary,
    Term,
    Totals,
)
from guidepdf.report.reconcile import Match, Sender, name_key, parse_pdf_date, reconcile

LENGTH_BINS = ((0, "blank"), (1, "1–10"), (11, "11–25"), (26, "26–50"), (51, "51–100"),
               (101, "101–200"), (201, "201+"))
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


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


@dataclass(frozen=True)
class _Form:
    """What the summary needs of one plan; question and outcome wording, the same in
    every form, is kept once per role (Aggregator.texts) rather than per form."""

    sender: Sender
    respondent: dict[str, str]
    recipient: dict[str, str]
    warnings: tuple[str, ...]
    answers: tuple[AnswerRow, ...]
    ic: tuple[ICRow, ...]


class Aggregator:
    """Feed it outcomes one by one (`add`), then call `finish` once for the Summary.

    Holds what it needs of each readable form's plan (never the PDF), since which form
    of a person is kept can only be decided once every form has been seen.
    """

    def __init__(self, content: Content | None = None, roster: Roster | None = None,
                 source: str = "") -> None:
        self.content = content
        self.roster = roster
        self.source = source
        self.forms: list[_Form] = []
        self.texts: dict[tuple[str, str, str], str] = {}  # (role, "q"/"ic", id) -> wording
        self.rejected: list[Rejected] = []
        self.ignored: list[str] = []
        self.files = 0

    def add(self, outcome: Outcome, shown: str, mtime: float = 0.0) -> None:
        self.files += 1
        plan = outcome.plan
        if plan is None:
            self.rejected.append(Rejected(shown, outcome.reason))
            return
        rec = plan.recipient or {}
        role = sys.intern(plan.role)
        for a in plan.answers:
            if a.question:
                self.texts.setdefault((role, "q", a.question_id), a.question)
        for c in plan.ic:
            if c.outcome:
                self.texts.setdefault((role, "ic", c.outcome_id), c.outcome)
        sender = Sender(role=role, name=plan.respondent.get("name", ""),
                        email=plan.respondent.get("email", ""),
                        recipient_id=rec.get("id", ""), recipient_name=rec.get("name", ""),
                        recipient_email=rec.get("email", ""), modified=plan.modified,
                        mtime=mtime, source=shown)
        self.forms.append(_Form(
            sender, dict(plan.respondent), dict(rec), plan.warnings,
            tuple(AnswerRow(sys.intern(a.question_id), a.reflections, a.first_steps)
                  for a in plan.answers),
            tuple(ICRow(sys.intern(c.outcome_id), c.level and sys.intern(c.level), c.notes)
                  for c in plan.ic)))

    def ignore(self, shown: str) -> None:
        self.ignored.append(shown)

    def finish(self) -> Summary:
        people = list(self.roster.people) if self.roster is not None else None
        rec = reconcile([f.sender for f in self.forms], people)
        responses = [self._response(self.forms[i], rec.matches[i]) for i in rec.kept]
        role_order = self._role_order(responses, people)
        responses.sort(key=lambda r: (role_order.get(r.role, len(role_order)), r.role,
                                      name_key(r.who), r.source))
        matched = [p for i in rec.kept if (p := rec.matches[i].person) is not None]
        duplicates = tuple(self._duplicate(k, d, rec.matches[k]) for k, d in rec.duplicates)
        totals = self._totals(responses, people, matched, len(duplicates))
        return Summary(
            source=self.source,
            roster=self.roster.path.name if self.roster is not None else None,
            totals=totals,
            roles=tuple(self._roles(responses, people, matched, role_order)),
            groups=tuple(_groups(responses, people, matched)),
            lengths=_lengths(responses),
            ic=tuple(self._ic(responses, role_order)),
            responses=tuple(responses),
            duplicates=duplicates,
            missing=tuple(Missing(p.id, p.name, p.email, p.role, p.group)
                          for p in rec.missing),
            rejected=tuple(sorted(self.rejected, key=lambda r: r.file)),
            ignored=tuple(sorted(self.ignored)),
            roster_problems=tuple(str(p) for p in self.roster.problems)
            if self.roster is not None else (),
            generator=f"guidepdf {__version__}",
        )

    # --- responses -------------------------------------------------------------------

    def _response(self, form: _Form, match: Match) -> Response:
        role, person = form.sender.role, match.person
        rec, typed = form.recipient, form.respondent
        warnings = list(form.warnings)
        if match.note:
            warnings.append(match.note)
        if person is not None and person.role and person.role != role:
            warnings.append(f"the roster lists this person as '{person.role}' but the form "
                            f"is the '{role}' guide")
        group = person.group if person is not None else (typed.get("group")
                                                         or rec.get("group", ""))
        return Response(
            role=role, name=typed.get("name") or rec.get("name", ""),
            email=typed.get("email") or rec.get("email", ""), group=group,
            date=typed.get("date", ""), source=form.sender.source,
            modified=form.sender.modified,
            roster_id=person.id if person is not None else None,
            matched_by=match.matched_by,
            on_roster=(person is not None) if self.roster is not None else None,
            warnings=tuple(warnings),
            answers=tuple(sorted(form.answers, key=self._order(role, "q"))),
            ic=tuple(sorted(form.ic, key=self._order(role, "ic"))),
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
        k, d = self.forms[kept].sender, self.forms[dropped].sender
        kd, dd = parse_pdf_date(k.modified), parse_pdf_date(d.modified)
        if kd and dd and kd != dd:
            reason = f"saved earlier ({dd:%Y-%m-%d %H:%M} UTC vs {kd:%Y-%m-%d %H:%M} UTC)"
        elif kd and not dd:
            reason = "no readable save date; the kept form has one"
        elif k.mtime != d.mtime:
            reason = "same save date; the file is older"
        else:
            reason = "same dates; the kept file sorts first"
        who = k.name or k.recipient_name or (match.person.name if match.person else "") \
            or k.email or k.source
        return Duplicate(who, match.person.id if match.person else None, k.source,
                         d.source, reason)

    def _role(self, role_id: str) -> Role | None:
        if self.content is None:
            return None
        try:
            return self.content.role(role_id)
        except KeyError:
            return None

    def _role_order(self, responses: list[Response], people: list[Person] | None
                    ) -> dict[str, int]:
        known = [r.id for r in self.content.roles] if self.content else []
        seen = {r.role for r in responses} | {p.role for p in people or () if p.role}
        ids = [r for r in known if r in seen] + sorted(seen - set(known))
        return {r: i for i, r in enumerate(ids)}

    # --- roles and questions -----------------------------------------------------------

    def _roles(self, responses: list[Response], people: list[Person] | None,
               matched: list[Person], order: dict[str, int]) -> Iterable[RoleSummary]:
        expected = Counter(p.role for p in people or ())
        returned = Counter(p.role for p in matched)
        by_role: dict[str, list[Response]] = defaultdict(list)
        for r in responses:
            by_role[r.role].append(r)
        for role_id in order:
            role = self._role(role_id)
            mine = by_role.get(role_id, [])
            exp = expected[role_id] if people is not None else None
            ret = returned[role_id] if people is not None else None
            yield RoleSummary(role_id, role.title if role else role_id, exp, ret,
                              _rate(ret, exp), len(mine),
                              tuple(self._questions(role, mine)))

    def _questions(self, role: Role | None, responses: list[Response]
                   ) -> Iterable[QuestionSummary]:
        texts = {q.id: q.text for q in role.questions} if role else {}
        seen: dict[str, None] = dict.fromkeys(texts)
        for r in responses:
            seen.update(dict.fromkeys(a.question_id for a in r.answers))
        role_id = responses[0].role if responses else ""
        for number, qid in enumerate(seen, start=1):
            refl = steps = answered = 0
            counter: Counter[str] = Counter()
            for r in responses:
                a = next((a for a in r.answers if a.question_id == qid), None)
                if a is None:
                    continue
                has_r, has_s = bool(a.reflections.strip()), bool(a.first_steps.strip())
                refl, steps, answered = refl + has_r, steps + has_s, answered + (has_r or has_s)
                termlib.count_terms((a.reflections, a.first_steps), counter)
            yield QuestionSummary(
                qid, number, texts.get(qid) or self.texts.get((role_id, "q", qid), qid),
                answered, refl, steps,
                len(responses) - answered,
                tuple(Term(t, c) for t, c in termlib.top_terms(counter, TOP_TERMS)))

    def _totals(self, responses: list[Response], people: list[Person] | None,
                matched: list[Person], duplicates: int) -> Totals:
        roster = people is not None
        expected = len(people) if people is not None else None
        returned = len({p.id for p in matched}) if roster else None
        return Totals(
            files=self.files, ignored=len(self.ignored), read=len(self.forms),
            rejected=len(self.rejected), duplicates=duplicates, responses=len(responses),
            with_warnings=sum(1 for r in responses if r.warnings),
            expected=expected, returned=returned,
            missing=(expected - returned) if expected is not None and returned is not None
            else None,
            not_on_roster=sum(1 for r in responses if r.on_roster is False) if roster
            else None,
            rate=_rate(returned, expected))

    # --- Innovation Configuration maps ---------------------------------------------------

    def _ic(self, responses: list[Response], order: dict[str, int]) -> Iterable[ICSummary]:
        for role_id in order:
            used = [r for r in responses if r.role == role_id
                    and any(c.level is not None for c in r.ic)]
            if used:
                yield self._ic_role(role_id, used)

    def _ic_role(self, role_id: str, used: list[Response]) -> ICSummary:
        role = self._role(role_id)
        icmap = role.icmap if role else None
        standard_of = {o.id: b.standard for b in icmap.blocks for o in b.outcomes} \
            if icmap else {}
        texts = {o.id: o.outcome for o in icmap.outcomes} if icmap else {}
        outcome_ids: dict[str, None] = dict.fromkeys(texts)
        top = len(icmap.levels) if icmap else 0
        for r in used:
            outcome_ids.update(dict.fromkeys(c.outcome_id for c in r.ic))
            top = max([top, *(level_number(c.level) or 0 for c in r.ic)])
        levels = tuple(icmap.levels) if icmap else ()
        levels += tuple(f"L{i}" for i in range(len(levels) + 1, top + 1))
        keys = [formspec.ic_level_value(i) for i in range(top)]
        keys += [formspec.IC_NOT_ASSESSED, UNANSWERED]
        outcomes = []
        numbers: dict[str, list[int]] = defaultdict(list)  # outcome id -> level numbers
        for oid in outcome_ids:
            counts = dict.fromkeys(keys, 0)
            for r in used:
                choice = next((c for c in r.ic if c.outcome_id == oid), None)
                key = choice.level if choice is not None and choice.level else UNANSWERED
                counts[key] = counts.get(key, 0) + 1
                if (n := level_number(key)) is not None:
                    numbers[oid].append(n)
            wording = texts.get(oid) or self.texts.get((role_id, "ic", oid), "")
            outcomes.append(ICOutcomeSummary(oid, wording, standard_of.get(oid, ""), counts,
                                             _median(numbers[oid])))
        standard_ids = list(dict.fromkeys(o.standard for o in outcomes if o.standard))
        standards = []
        for sid in standard_ids:
            pooled = [n for o in outcomes if o.standard == sid for n in numbers[o.id]]
            standards.append(ICStandardSummary(sid, self._standard_name(sid), len(pooled),
                                               _median(pooled)))
        return ICSummary(role_id, role.title if role else role_id, levels, len(used),
                         tuple(outcomes), tuple(standards),
                         tuple(_ic_groups(used, standard_of, standard_ids)))

    def _standard_name(self, standard_id: str) -> str:
        if self.content is None:
            return standard_id
        try:
            return self.content.framework.standard(standard_id).name
        except StopIteration:
            return standard_id


def _ic_groups(used: list[Response], standard_of: dict[str, str], standard_ids: list[str]
               ) -> Iterable[ICGroupSummary]:
    by_group: dict[str, list[Response]] = defaultdict(list)
    for r in used:
        by_group[r.group or NO_GROUP].append(r)
    for name in sorted(by_group, key=_group_key):
        members = by_group[name]
        pooled: dict[str, list[int]] = defaultdict(list)
        everything = []
        for r in members:
            for c in r.ic:
                if (n := level_number(c.level)) is not None:
                    everything.append(n)
                    pooled[standard_of.get(c.outcome_id, "")].append(n)
        yield ICGroupSummary(name, len(members), len(everything), _median(everything),
                             {sid: _median(pooled[sid]) for sid in standard_ids})


def _group_key(name: str) -> tuple[bool, str]:
    return (name == NO_GROUP, name.casefold())


def _groups(responses: list[Response], people: list[Person] | None,
            matched: list[Person]) -> Iterable[GroupSummary]:
    forms = Counter(r.group or NO_GROUP for r in responses)
    if people is None:
        for name in sorted(forms, key=_group_key):
            yield GroupSummary(name, None, None, None, forms[name])
        return
    expected = Counter(p.group or NO_GROUP for p in people)
    returned = Counter(p.group or NO_GROUP for p in {p.id: p for p in matched}.values())
    for name in sorted(set(expected) | set(forms), key=_group_key):
        yield GroupSummary(name, expected[name], returned[name],
                           _rate(returned[name], expected[name]), forms[name])


def _lengths(responses: list[Response]) -> LengthHistogram:
    lowers = [low for low, _ in LENGTH_BINS]
    counts = {c: [0] * len(LENGTH_BINS) for c in ("reflections", "first_steps")}
    for r in responses:
        for a in r.answers:
            for column, text in (("reflections", a.reflections),
                                 ("first_steps", a.first_steps)):
                words = len(text.split())
                index = max(i for i, low in enumerate(lowers) if words >= low)
                counts[column][index] += 1
    return LengthHistogram(tuple(label for _, label in LENGTH_BINS), tuple(lowers),
                           {c: tuple(v) for c, v in counts.items()})


def aggregate(items: Iterable[tuple[Outcome, str, float]], content: Content | None = None,
              roster: Roster | None = None, source: str = "") -> Summary:
    """(outcome, shown path, file mtime) for every PDF -> the Summary."""
    agg = Aggregator(content, roster, source)
    for outcome, shown, mtime in items:
        agg.add(outcome, shown, mtime)
    return agg.finish()
