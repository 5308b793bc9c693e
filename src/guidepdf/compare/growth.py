"""Two summary.json files (earlier, later) -> Growth: for every IC outcome, role, school or
team and person, the levels then and now and the change — who moved toward the ideal (a
lower level number: level 1 is the ideal), who moved away, who stayed, who was assessed
only once — with each side's level counts and medians.

People are matched by roster id, else by email (case-blind). Both files are read as
streams; the earlier side's people wait on disk (report.spool) with only their roster ids
and emails in memory, and each person's result is spooled as it is made, so memory grows
with neither file's answers. An outcome that exists in only one of the two content
versions is kept and listed, never dropped."""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from guidepdf.compare import stream
from guidepdf.report.aggregate import _median, level_number
from guidepdf.report.model import NO_GROUP
from guidepdf.report.reconcile import email_key
from guidepdf.report.spool import Spool, Spooled

TOWARD, SAME, AWAY, ONLY_THEN, ONLY_NOW = "toward", "same", "away", "only then", "only now"
MOVES = (TOWARD, SAME, AWAY, ONLY_THEN, ONLY_NOW)


@dataclass(frozen=True)
class Side:
    path: str
    source: str
    generator: str
    people: int  # responses that marked at least one IC outcome
    name: str = ""  # its collect folder, or the file's name (stream.Head.name)
    first_day: str = ""  # YYYY-MM-DD: the earliest and latest day a kept form came back
    last_day: str = ""


@dataclass(frozen=True)
class MapOutcome:
    id: str
    text: str
    standard: str
    earlier: bool  # in the earlier summary's content version
    later: bool


@dataclass(frozen=True)
class RoleMap:
    role: str
    title: str
    levels: tuple[str, ...]  # the later version's level labels (else the earlier's)
    outcomes: tuple[MapOutcome, ...]


@dataclass(frozen=True)
class Change:
    """Levels then and now, and the moves, over one scope: an outcome, a role, a group, or
    everything. Counts are person × outcome pairs; `then`/`now` count levels ("L1".., "NA")
    of everyone assessed on that side, matched or not."""

    kind: str  # "outcome", "role", "group", "all"
    role: str  # "" for groups and all
    id: str  # outcome id, role id, group name, ""
    label: str
    then: dict[str, int]
    now: dict[str, int]
    then_median: float | None
    now_median: float | None
    moves: dict[str, int]  # TOWARD, SAME, AWAY, ONLY_THEN, ONLY_NOW -> pairs

    @property
    def paired(self) -> int:
        return self.moves[TOWARD] + self.moves[SAME] + self.moves[AWAY]


@dataclass(frozen=True)
class Person:
    """One person's change: matched (by roster id or email) or seen on one side only."""

    role: str
    name: str
    email: str
    group: str
    roster_id: str | None
    matched_by: str  # "roster id", "email", or "" (seen once)
    seen: str  # "both", "then", "now"
    levels: tuple[tuple[str, str | None, str | None], ...]  # (outcome id, then, now)
    then_median: float | None
    now_median: float | None
    moves: dict[str, int]

    @property
    def who(self) -> str:
        return self.name or self.email


class People(Spooled[Person]):
    """Persons kept in a spool file, read back one at a time."""


@dataclass(frozen=True)
class Growth:
    earlier: Side
    later: Side
    maps: tuple[RoleMap, ...]
    overall: Change
    roles: tuple[Change, ...]
    outcomes: tuple[Change, ...]
    groups: tuple[Change, ...]
    only_in_one: tuple[tuple[str, MapOutcome], ...]  # (role, outcome) in one version only
    matched: int  # people found on both sides
    only_then: int  # people assessed then, not found now
    only_now: int
    people: Sequence[Person] = field(default_factory=tuple)  # matched first, then the rest


def _medians(counts: dict[str, int]) -> float | None:
    numbers: Counter[int] = Counter()
    for level, n in counts.items():
        if (k := level_number(level)) is not None:
            numbers[k] += n
    return _median(numbers)


class _Tally:
    def __init__(self) -> None:
        self.then: Counter[str] = Counter()
        self.now: Counter[str] = Counter()
        self.moves: Counter[str] = Counter()

    def change(self, kind: str, role: str, id_: str, label: str) -> Change:
        return Change(kind, role, id_, label, dict(self.then), dict(self.now),
                      _medians(self.then), _medians(self.now),
                      {m: self.moves[m] for m in MOVES})


def move(then: str | None, now: str | None) -> str | None:
    """The move between two levels: TOWARD the ideal (a lower number), AWAY, SAME, or one of
    ONLY_THEN / ONLY_NOW when one side has no level number (not assessed, blank or absent);
    None when neither has one."""
    a, b = level_number(then), level_number(now)
    if a is not None and b is not None:
        return TOWARD if b < a else AWAY if b > a else SAME
    if a is not None:
        return ONLY_THEN
    if b is not None:
        return ONLY_NOW
    return None


def compare(earlier: Path, later: Path, spool_dir: Path | None = None) -> Growth:
    """Read both summaries (as streams) and pair their people."""
    head_a, stream_a = stream.read(earlier)
    kept = Spool(spool_dir)
    offsets = array("q")
    by_id: dict[str, int] = {}
    by_email: dict[str, int] = {}
    for n, person in enumerate(stream_a):
        offsets.append(kept.append(person))
        if person.roster_id:
            by_id.setdefault(person.roster_id, n)
        if person.email:
            by_email.setdefault(email_key(person.email), n)
    used = bytearray(len(offsets))
    head_b, stream_b = stream.read(later)
    tallies: dict[tuple[str, str, str], _Tally] = defaultdict(_Tally)
    out, out_offsets = Spool(spool_dir), array("q")
    matched = only_now = 0
    for person in stream_b:
        n, how = None, ""
        if person.roster_id and person.roster_id in by_id and not used[by_id[person.roster_id]]:
            n, how = by_id[person.roster_id], "roster id"
        elif person.email and (k := by_email.get(email_key(person.email))) is not None \
                and not used[k]:
            n, how = k, "email"
        before = kept.load(offsets[n]) if n is not None else None
        if n is not None:
            used[n] = 1
            matched += 1
        else:
            only_now += 1
        out_offsets.append(out.append(_person(before, person, how, tallies)))
    only_then = 0
    for n, offset in enumerate(offsets):
        if not used[n]:
            only_then += 1
            out_offsets.append(out.append(_person(kept.load(offset), None, "", tallies)))
    kept.close()
    maps = _maps(head_a, head_b)
    return Growth(
        earlier=Side(str(head_a.path), head_a.source, head_a.generator, len(offsets),
                     head_a.name, head_a.first_day, head_a.last_day),
        later=Side(str(head_b.path), head_b.source, head_b.generator, matched + only_now,
                   head_b.name, head_b.first_day, head_b.last_day),
        maps=maps,
        overall=tallies[("all", "", "")].change("all", "", "", "Everyone"),
        roles=tuple(tallies[("role", m.role, m.role)].change("role", m.role, m.role,
                                                             m.title)
                    for m in maps if ("role", m.role, m.role) in tallies),
        outcomes=tuple(tallies[("outcome", m.role, o.id)].change("outcome", m.role, o.id,
                                                                 o.text)
                       for m in maps for o in m.outcomes
                       if ("outcome", m.role, o.id) in tallies),
        groups=tuple(tallies[("group", "", g)].change("group", "", g, g)
                     for g in sorted({k[2] for k in tallies if k[0] == "group"},
                                     key=lambda g: (g == NO_GROUP, g.casefold()))),
        only_in_one=tuple((m.role, o) for m in maps for o in m.outcomes
                          if not (o.earlier and o.later)),
        matched=matched, only_then=only_then, only_now=only_now,
        people=People(out, out_offsets),
    )


def _person(before: stream.Assessed | None, after: stream.Assessed | None, how: str,
            tallies: dict[tuple[str, str, str], _Tally]) -> Person:
    """One person's levels then and now, counted into every scope they belong to."""
    main = after or before
    assert main is not None
    group = (after.group if after else "") or (before.group if before else "") or NO_GROUP
    then_levels = before.levels if before else {}
    now_levels = after.levels if after else {}
    scopes = [("all", "", ""), ("group", "", group)]
    rows = []
    mine = _Tally()
    ids = list(dict.fromkeys([*now_levels, *then_levels]))
    for oid in ids:
        then, now = then_levels.get(oid), now_levels.get(oid)
        # a person who changed role between the two is counted under each side's role
        role_then = before.role if before else main.role
        role_now = after.role if after else main.role
        m = move(then, now)
        for scope in [*scopes, ("role", role_now, role_now), ("outcome", role_now, oid)]:
            t = tallies[scope]
            if now:
                t.now[now] += 1
            if m is not None:
                t.moves[m] += 1
        for scope in [*scopes, ("role", role_then, role_then), ("outcome", role_then, oid)]:
            if then:
                tallies[scope].then[then] += 1
        if then:
            mine.then[then] += 1
        if now:
            mine.now[now] += 1
        if m is not None:
            mine.moves[m] += 1
        rows.append((oid, then, now))
    c = mine.change("person", main.role, "", main.who)
    return Person(main.role, main.name, main.email,
                  "" if group == NO_GROUP else group, main.roster_id
                  or (before.roster_id if before else None), how,
                  "both" if before and after else "then" if before else "now",
                  tuple(rows), c.then_median, c.now_median, c.moves)


def _maps(a: stream.Head, b: stream.Head) -> tuple[RoleMap, ...]:
    roles = list(dict.fromkeys([*b.maps, *a.maps]))
    out = []
    for role in roles:
        ma, mb = a.maps.get(role), b.maps.get(role)
        first = mb or ma
        assert first is not None
        ids = list(dict.fromkeys([*(mb.outcomes if mb else {}), *(ma.outcomes if ma else {})]))
        outcomes = []
        for oid in ids:
            o = (mb.outcomes.get(oid) if mb else None) or (ma.outcomes.get(oid) if ma else None)
            assert o is not None
            outcomes.append(MapOutcome(oid, o.text, o.standard,
                                       bool(ma and oid in ma.outcomes),
                                       bool(mb and oid in mb.outcomes)))
        out.append(RoleMap(role, first.title, first.levels, tuple(outcomes)))
    return tuple(out)


def people_rows(people: Iterable[Person]) -> Iterator[list[str | int | float | None]]:
    """One row per person and outcome (the XLSX and CSV people sheet)."""
    for p in people:
        for oid, then, now in p.levels:
            yield [p.role, p.who, p.email, p.group, p.roster_id or "", p.matched_by or "",
                   oid, then or "", now or "", move(then, now) or ""]
