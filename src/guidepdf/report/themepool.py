"""The kept responses (spooled, role by role) -> their themes, each role's worked out in a
worker process of its own (workers.ordered_map): the largest roles first or, when the
responses are still being made (`before`), each role as soon as it is spooled, so the
workers count one role's themes while this process makes the next. A role's themes
depend only on its own responses, in the summary's order, so the result is the same for
any number of processes, to the byte. With one job there is one worker: the counters and
the lemma dictionary (~18 MiB) go with it instead of staying in this process (at 20,000
forms it was the largest, at 102 MiB). Where fork is not available, they are worked out
here.
A role whose worker fails (crashed, out of memory) is worked out here instead: slower,
never lost.
A theme lists its people by index, and a common phrase is used by most of a role: at
20,000 forms the themes hold hundreds of thousands of indices. Each is one shared int
object here (share), not one of its own per theme (28 bytes each, more than the 8 of
its place in the tuple)."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import replace

from guidepdf.report.model import Response, Summary
from guidepdf.report.outputs import can_fork
from guidepdf.report.spool import Spooled
from guidepdf.report.themes import Scope, Theme, ThemeCounter
from guidepdf.workers import Failure, ordered_map

Span = tuple[int, int]  # responses[start:end], one role's
Found = dict[Scope, tuple[Theme, ...]]
Terms = dict[Scope, list[tuple[str, int]]]  # (role, question id) -> its frequent terms


def role_spans(roles: Sequence[str]) -> list[Span]:
    """The runs of equal roles in `roles` (each response's, in order: the summary's order
    is role by role). ValueError if a role comes back after another: its themes would be
    counted in two halves."""
    spans: list[Span] = []
    seen: set[str] = set()
    start = 0
    for i in range(1, len(roles) + 1):
        if i == len(roles) or roles[i] != roles[start]:
            if roles[start] in seen:
                raise ValueError(f"the responses of role {roles[start]!r} are not together")
            seen.add(roles[start])
            spans.append((start, i))
            start = i
    return spans


def themes_by_role(responses: Sequence[Response], spans: Sequence[Span],
                   counter: Callable[[], ThemeCounter], jobs: int = 1,
                   terms: int = 0, before: Callable[[Span], None] | None = None
                   ) -> tuple[Found, Terms]:
    """Every role's themes, and each question's `terms` most frequent terms; `counter()`
    makes a fresh ThemeCounter (one per role). `before(span)` is called here for each span,
    in the summary's order, before its themes are counted: it may write that role's
    responses to the spool only then (the workers, forked before, read them from the spool
    file)."""
    ints = shared_ints(len(responses))
    found: Found = {}
    counted: Terms = {}
    if not spans or not can_fork():
        for span in spans:
            if before is not None:
                before(span)
            themes, words = _themes(responses, span, counter(), terms)
            found.update(_each(themes, lambda theme: share(theme, ints)))
            counted.update(words)
        return found, counted
    # each worker loads the lemma dictionary for itself (0.13 s, the two side by side):
    # loaded here, 18 MiB more would be inherited by every process that writes an output
    order = list(spans) if before is not None else \
        sorted(spans, key=lambda s: s[0] - s[1])  # the largest first
    tasks = _Handed(order, responses, before)

    def packed(task: _Task) -> tuple[Found, Terms]:  # in a worker
        span, offsets = task
        # responses not in a spool were there when the workers were forked: whole
        part = responses if offsets is None else \
            _Slice(Spooled(responses.spool, offsets), span[0])  # type: ignore[attr-defined]
        themes, words = _themes(part, span, counter(), terms)
        return _each(themes, pack), words

    def failed(index: int, task: _Task, failure: Failure) -> tuple[Found, Terms]:
        return packed(task)

    results: dict[Span, tuple[Found, Terms]] = {}
    # two queued per worker: the next role is handed out as soon as it is made
    for index, (themes, words) in ordered_map(tasks, lambda: packed, failed=failed,
                                              jobs=max(1, jobs), prefetch=2):
        # role by role: no peak of copies
        results[order[index]] = _each(themes, lambda theme: share(theme, ints)), words
    for span in spans:  # in the summary's order, as one process would
        themes, words = results.pop(span)
        found.update(themes)
        counted.update(words)
    return found, counted


_Task = tuple[Span, "array[int] | None"]  # a span, and its responses' spool offsets


class _Handed(Sequence[_Task]):
    """The spans as tasks for the workers, each made when it is first handed out: then
    `before(span)` has just spooled its responses, and the task carries their offsets
    (a worker forked earlier does not have them)."""

    def __init__(self, spans: list[Span], responses: Sequence[Response],
                 before: Callable[[Span], None] | None) -> None:
        self._spans, self._responses, self._before = spans, responses, before
        self._made: dict[int, _Task] = {}

    def __len__(self) -> int:
        return len(self._spans)

    def __getitem__(self, index):  # type: ignore[no-untyped-def,override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index not in self._made:
            span = self._spans[index]
            if self._before is not None:
                self._before(span)
            offsets = self._responses.offsets[span[0]:span[1]] \
                if isinstance(self._responses, Spooled) else None
            self._made[index] = (span, offsets)
        return self._made[index]


class _Slice(Sequence[Response]):
    """`part` seen at the indices of the whole it was cut from, from `start` on."""

    def __init__(self, part: Sequence[Response], start: int) -> None:
        self._part, self._start = part, start

    def __len__(self) -> int:
        return self._start + len(self._part)

    def __getitem__(self, index):  # type: ignore[no-untyped-def,override]
        return self._part[index - self._start]


def _each(found: Found, change: Callable[[Theme], Theme]) -> Found:
    return {scope: tuple(change(t) for t in themes) for scope, themes in found.items()}


def shared_ints(count: int) -> list[int]:
    """0 .. count - 1, one int object each, for share()."""
    return list(range(count))


def share(theme: Theme, ints: list[int]) -> Theme:
    """`theme` with its people a tuple and every index (its quotes' too) the int object of
    `ints`."""
    return replace(theme, people=tuple([ints[i] for i in theme.people]),
                   quotes=tuple(replace(q, response=ints[q.response]) for q in theme.quotes))


def pack(theme: Theme) -> Theme:
    """`theme` with its people one array, to send to another process in one piece (a
    pickled int is a new object when it is read back: share() there)."""
    return replace(theme, people=array("q", theme.people))


def _themes(responses: Sequence[Response], span: Span, counter: ThemeCounter, terms: int
            ) -> tuple[Found, Terms]:
    start, end = span
    for i in range(start, end):
        r = responses[i]
        counter.add(r.role, _texts(r))
    counted = counter.terms(terms)
    return counter.themes(_Texts(responses, start, end), start=start), counted


class _Texts(Sequence[tuple[str, str, list[tuple[str, str, str]]]]):
    """responses[start:end] as the themes' second pass reads them: (role, who, answers),
    each loaded only when it is asked for."""

    def __init__(self, responses: Sequence[Response], start: int, end: int) -> None:
        self._responses, self._start, self._end = responses, start, end

    def __len__(self) -> int:
        return self._end - self._start

    def __getitem__(self, index):  # type: ignore[no-untyped-def,override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not 0 <= index < len(self):
            raise IndexError(index)
        r = self._responses[self._start + index]
        return r.role, r.who, _texts(r)


def _texts(r: Response) -> list[tuple[str, str, str]]:
    return [(a.question_id, a.reflections, a.first_steps) for a in r.answers]


def summary_themes(summary: Summary, change: Callable[[Theme], Theme]) -> Summary:
    """`summary` with `change(theme)` for every theme of every role and question."""
    def themes(found: tuple[Theme, ...]) -> tuple[Theme, ...]:
        return tuple(change(t) for t in found)

    return replace(summary, roles=tuple(
        replace(r, themes=themes(r.themes),
                questions=tuple(replace(q, themes=themes(q.themes)) for q in r.questions))
        for r in summary.roles))
