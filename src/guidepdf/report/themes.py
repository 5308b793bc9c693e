"""Answers -> themes: the phrases of one to three words that the most *people* used, per
question and per role across its questions. A phrase is counted once per person; stop words
and the question's own words break phrases and are never themes; near-forms share one key
(each word's lemma, from simplemma: "team meetings" and "team meeting" are one theme);
a shorter phrase mostly used inside longer ones ("planning time" in "common planning
time") gives way to them. Each theme keeps the people behind it and a few short quotes.

Two passes over the responses, so memory stays flat: `ThemeCounter.add` counts phrase keys
per person (a counter per question and per role) and each question's words (its frequent
terms, report.terms), and picks CANDIDATES times as many phrases as will be shown;
`ThemeCounter.add` also keeps each person's keys, as 64-bit hashes, on disk
(report.keytrail), and `ThemeCounter.themes` finds from them exactly who used each of those
phrases, without splitting the answers again; it reads back only the responses of the first
QUOTE_LOOK people of each, for their wording and quotes. The counts shown are exact (two
phrases would have to share a 64-bit hash to be confused). A counter that grows past
PRUNE_AT keys drops the phrases only one person has used so far; only then can a phrase be
missed as a candidate (one first used once before a drop and often after it), never
miscounted."""

from __future__ import annotations

import re
import sys
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from guidepdf.report.keytrail import KeyTrail
from guidepdf.report.terms import MIN_LENGTH, default_stop_words, top_terms

STOP_WORDS = default_stop_words()  # the shipped English ones (labels: report.stop_words)

MAX_WORDS = 3
TOP_THEMES = 10  # per question and per role, in summary.json and the XLSX
MIN_PEOPLE = 2  # a phrase one person used is not a theme
QUOTES = 2
QUOTE_POOL = QUOTES + 3  # candidates kept per theme, so themes of one scope can differ
QUOTE_CHARS = 160  # a quote longer than this is cut around the phrase
QUOTE_LOOK = 12  # people whose wording and quotes are looked at per theme (the first)
ABSORB = 0.75  # a phrase gives way to longer ones that hold this share of its people
PRUNE_AT = 100_000  # distinct phrases per counter before the singletons are dropped
CANDIDATES = 3  # phrases counted exactly in the second pass, per theme shown

Key = tuple[str, ...]
Scope = tuple[str, str]  # (role id, question id); question id "" for the whole role

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# a word, or what ends a phrase: anything but spaces and hyphens between words
_TOKEN = re.compile(r"([^\W\d_]+(?:['’][^\W\d_]+)*)|[^\s\-‐‑]")
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?]?")


@dataclass(frozen=True)
class Quote:
    text: str  # the sentence (cut to QUOTE_CHARS around the phrase)
    who: str  # Response.who of the person who wrote it
    response: int  # their index in summary.responses


@dataclass(frozen=True)
class Theme:
    phrase: str  # the wording most of its people used, lower-case
    words: int
    count: int  # people who used it
    people: tuple[int, ...] = ()  # their indices in summary.responses, in that order
    quotes: tuple[Quote, ...] = ()


class Lemmas:
    """Word -> the key its near-forms share: simplemma's lemma, taken again until it stops
    changing ("meetings" -> "meeting" -> "meet"), lower-cased. Languages simplemma does not
    know keep the word itself."""

    def __init__(self, language: str = "en", stop_words: frozenset[str] = frozenset()
                 ) -> None:
        code = (language or "en").split("-")[0].split("_")[0].lower()
        # the edition's stop words (report.stop_words) and the English ones, which every
        # answer is checked against too: people mix languages
        self.stop = STOP_WORDS | stop_words
        self._cache: dict[str, str] = {}
        self.known: dict[str, str] = {"": ""}  # word -> content(word), as worked out
        self._lemmatize: Callable[[str], str] | None = None
        try:
            import simplemma

            simplemma.lemmatize("a", lang=code)  # raises for a language it does not know
        except (ImportError, ValueError):
            return
        self._lemmatize = lambda w: simplemma.lemmatize(w, lang=code)

    def content(self, word: str) -> str:
        """The key of a word that can be part of a phrase, else "" (a stop word, a short
        word, or "" itself: what _TOKEN finds between words)."""
        key = self.known.get(word)
        if key is None:
            key = ""
            if len(word) >= MIN_LENGTH and word not in self.stop:
                key = self(word)
                if key in self.stop:
                    key = ""
            self.known[word] = key
        return key

    def __call__(self, word: str) -> str:
        key = self._cache.get(word)
        if key is None:
            key = word
            if self._lemmatize is not None:
                for _ in range(3):
                    nxt = self._lemmatize(key).casefold()
                    if nxt == key:
                        break
                    key = nxt
            key = self._cache[word] = sys.intern(key)
        return key


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("’", "'")


def _runs(text: str, lemmas: Lemmas, skip: frozenset[str]
          ) -> Iterable[list[tuple[str, int, int]]]:
    """Runs of words that may form phrases, as (key, start, end) in the folded text: a stop
    word, a short word, a word of `skip` (keys), a number or punctuation ends a run."""
    run: list[tuple[str, int, int]] = []
    for m in _TOKEN.finditer(text):
        key = lemmas.content(m.group(1) or "")
        if not key or key in skip:
            if run:
                yield run
                run = []
        else:
            run.append((key, m.start(), m.end()))
    if run:
        yield run


def phrases(text: str, lemmas: Lemmas, skip: frozenset[str] = frozenset(),
            wanted: Collection[Key] | None = None) -> dict[Key, tuple[int, int]]:
    """Every phrase key of one to MAX_WORDS words in `text` (already folded), with the span
    of its first occurrence; with `wanted`, those phrases only (the themes' second pass
    looks for the shown themes alone)."""
    found: dict[Key, tuple[int, int]] = {}
    firsts = None if wanted is None else {key[0] for key in wanted}
    lengths = range(1, MAX_WORDS + 1) if wanted is None else sorted({len(k) for k in wanted})
    for run in _runs(text, lemmas, skip):
        keys = [k for k, _, _ in run]
        for i, word in enumerate(keys):
            if firsts is not None and word not in firsts:
                continue
            for n in lengths:
                if i + n > len(keys):
                    break
                key = tuple(keys[i:i + n])
                if key not in found and (wanted is None or key in wanted):
                    found[key] = (run[i][1], run[i + n - 1][2])
        if wanted is not None and len(found) == len(wanted):
            break
    return found


def split_words(folded: str) -> list[str]:
    """The tokens of a folded text, for phrase_keys(): each word, and ""
    for what ends a phrase between words (punctuation, a number)."""
    return _TOKEN.findall(folded)


def phrase_keys(tokens: list[str], lemmas: Lemmas, skip: frozenset[str], into: set[Key]
                ) -> None:
    """Add every phrase key of a text (split_words()) to `into`: phrases() without the
    spans, the fast way (this runs over every answer): a word's key from the lemmas' memo
    without a call once it is known."""
    known, content = lemmas.known, lemmas.content
    run: list[str] = []
    for word in tokens:
        key = known.get(word)
        if key is None:
            key = content(word)
        if key and key not in skip:
            run.append(key)
            continue
        if run:
            _add_grams(run, into)
            run = []
    if run:
        _add_grams(run, into)


def _add_grams(run: list[str], into: set[Key]) -> None:
    # a loop, not zip: most runs are one or two words, where zip costs more
    n = len(run)
    for i in range(n):
        into.add((run[i],))
        if i + 1 < n:
            into.add((run[i], run[i + 1]))
            if i + 2 < n:
                into.add((run[i], run[i + 1], run[i + 2]))


def question_words(text: str, lemmas: Lemmas) -> frozenset[str]:
    """The keys of a question's own words (stop words aside): never part of its themes."""
    return frozenset(lemmas(w) for w in _WORD.findall(fold(text))
                     if len(w) >= MIN_LENGTH and w not in lemmas.stop)


def choose(counter: Counter[Key], limit: int = TOP_THEMES) -> list[tuple[Key, int]]:
    """The `limit` themes of a counter: phrases of at least MIN_PEOPLE people, leaving out
    one that mostly lives inside longer phrases — when the phrases one word longer that
    contain it (at either end) together have at least ABSORB of its people ("common
    planning" and "planning time" inside "common planning time"; "team" when "leadership
    team" and "team meeting" cover it). Most people first, then longer phrases, then
    alphabetically by key."""
    candidates = [(k, c) for k, c in counter.items() if c >= MIN_PEOPLE]
    inside: Counter[Key] = Counter()  # phrase -> people of the phrases one word longer
    for key, count in candidates:
        if len(key) > 1:
            inside[key[:-1]] += count
            inside[key[1:]] += count
    kept = [(k, c) for k, c in candidates if inside[k] < ABSORB * c]
    kept.sort(key=lambda kc: (-kc[1], -len(kc[0]), kc[0]))
    return kept[:limit]


@dataclass
class _Found:
    """What the second pass gathers for one chosen phrase."""

    people: array[int] = field(default_factory=lambda: array("q"))
    wordings: Counter[str] = field(default_factory=Counter)
    quotes: list[tuple[tuple[int, int, int], str, str, int]] = field(default_factory=list)
    # its first QUOTE_LOOK people, as (index, a question whose answers hold it)
    first: list[tuple[int, str]] = field(default_factory=list)


class ThemeCounter:
    """Feed it every response once (`add`), then call `themes(responses)` once with the same
    responses in the same order. `question_text(role, qid)` gives a question's wording;
    `stop_words` are the edition's (report.terms.stop_words), folded. The first pass also
    counts each question's words, for its frequent terms (`terms`): one look at each
    answer for both. Each person's keys wait in a temporary file in `folder` (the system's
    temporary folder if None) until `themes`."""

    def __init__(self, question_text: Callable[[str, str], str], language: str = "en",
                 stop_words: frozenset[str] = frozenset(), folder: Path | None = None
                 ) -> None:
        self.lemmas = Lemmas(language, stop_words)
        self._stop_words = stop_words
        self._question_text = question_text
        self._skip: dict[Scope, frozenset[str]] = {}
        self.counters: dict[Scope, Counter[Key]] = defaultdict(Counter)
        # (role, question id) -> every token of its answers (split_words(): "" too), counted
        self._words: dict[Scope, Counter[str]] = defaultdict(Counter)
        self._trail = KeyTrail(folder)
        self._roles: dict[str, int] = {}  # role id -> its index in the trail
        self._qids: dict[str, int] = {}  # question id -> its index in the trail

    def skip(self, role: str, qid: str) -> frozenset[str]:
        words = self._skip.get((role, qid))
        if words is None:
            words = self._skip[(role, qid)] = question_words(
                self._question_text(role, qid), self.lemmas)
        return words

    def _keys(self, role: str, answers: Iterable[tuple[str, str, str]]
              ) -> dict[str, set[Key]]:
        """question id -> the phrase keys one person used in it (both columns); their words
        are counted, a question's first cell only (a second one is a duplicate)."""
        out: dict[str, set[Key]] = {}
        for qid, reflections, first_steps in answers:
            skip = self.skip(role, qid)
            keys = out.get(qid)
            counted = None
            if keys is None:
                keys = out[qid] = set()
                counted = self._words[(role, qid)]
            for text in (reflections, first_steps):
                if text.strip():
                    tokens = split_words(fold(text))
                    phrase_keys(tokens, self.lemmas, skip, keys)
                    if counted is not None:
                        counted.update(tokens)
        return out

    def terms(self, limit: int) -> dict[Scope, list[tuple[str, int]]]:
        """(role, question id) -> its `limit` most frequent words (report.terms: three
        letters or more, no stop word), from the answers given to `add`."""
        out = {}
        for scope, counted in self._words.items():
            kept = Counter({w: c for w, c in counted.items()
                            if len(w) >= MIN_LENGTH and w not in self._stop_words})
            out[scope] = top_terms(kept, limit)
        return out

    def add(self, role: str, answers: Iterable[tuple[str, str, str]]) -> None:
        """One person's answers: (question id, reflections, first steps)."""
        everything: set[Key] = set()
        kept: list[tuple[int, set[Key]]] = []
        for qid, keys in self._keys(role, answers).items():
            if keys:
                self._count((role, qid), keys)
                everything |= keys
                kept.append((self._qids.setdefault(qid, len(self._qids)), keys))
        if everything:
            self._count((role, ""), everything)
        self._trail.person(self._roles.setdefault(role, len(self._roles)), kept)

    def _count(self, scope: Scope, keys: set[Key]) -> None:
        counter = self.counters[scope]
        counter.update(keys)
        if len(counter) > PRUNE_AT:
            for key in [k for k, c in counter.items() if c < MIN_PEOPLE]:
                del counter[key]

    def themes(self, responses: Sequence[tuple[str, str, Sequence[tuple[str, str, str]]]],
               limit: int = TOP_THEMES, start: int = 0) -> dict[Scope, tuple[Theme, ...]]:
        """The second pass: (role, who, answers) per response, as given to `add`, in the
        same order (only those whose wording and quotes are needed are looked at); the
        first is summary.responses[`start`]."""
        chosen = {scope: dict(choose(counter, limit * CANDIDATES))
                  for scope, counter in self.counters.items()}
        self.counters.clear()
        found: dict[Scope, dict[Key, _Found]] = {
            scope: {key: _Found() for key in keys} for scope, keys in chosen.items()}
        try:
            self._people(found, start)
        finally:
            self._trail.close()
        out: dict[Scope, list[tuple[Key, _Found]]] = {}
        looks: dict[int, list[tuple[str, Key, _Found]]] = defaultdict(list)
        for scope, keys in found.items():  # ranked by their exact counts
            ranked = sorted(keys.items(), key=lambda kf: (-len(kf[1].people), -len(kf[0]),
                                                          kf[0]))
            out[scope] = [(key, f) for key, f in ranked[:limit]
                          if len(f.people) >= MIN_PEOPLE]
            for key, f in out[scope]:  # only the themes shown need wording and quotes
                for index, qid in f.first:
                    looks[index].append((qid, key, f))
        for index in sorted(looks):  # their wording and quotes, from their answers
            role, who, answers = responses[index - start]
            wanted = looks[index]
            for qid, reflections, first_steps in answers:
                here = [(key, f) for where, key, f in wanted if where == qid]
                if not here:
                    continue
                skip = self.skip(role, qid)
                keys = {key for key, _ in here}  # a phrase may be the role's and the question's
                for text in (reflections, first_steps):
                    if not text.strip():
                        continue
                    folded = fold(text)
                    spans = phrases(folded, self.lemmas, skip, keys)
                    for key, f in here:
                        span = spans.get(key)
                        if span is not None:
                            f.wordings[" ".join(folded[span[0]:span[1]].split())] += 1
                            _offer(f, text, folded, span, who, index)
        themes = {}
        for scope, shown_themes in out.items():
            shown: set[str] = set()  # quotes given to the scope's higher themes
            themes[scope] = tuple(_theme(key, f, shown) for key, f in shown_themes)
        return themes

    def _people(self, found: dict[Scope, dict[Key, _Found]], start: int) -> None:
        """Fill in who used each chosen phrase, from the trail, and where its first
        QUOTE_LOOK people used it (_Found.first)."""
        roles, qids = list(self._roles), list(self._qids)
        by_hash: dict[Scope, dict[int, _Found]] = {
            scope: {hash(key): f for key, f in keys.items()}
            for scope, keys in found.items()}
        hashes = {scope: frozenset(keys) for scope, keys in by_hash.items()}
        none: frozenset[int] = frozenset()
        index = start
        for chunk in self._trail.chunks():
            at = 0
            while at < len(chunk):
                role, questions = roles[chunk[at]], chunk[at + 1]
                at += 2
                role_scope = (role, "")
                role_hashes = hashes.get(role_scope, none)
                role_hits: dict[int, list[str]] = {}  # hash -> the questions holding it
                for _ in range(questions):
                    qid, n = qids[chunk[at]], chunk[at + 1]
                    part = chunk[at + 2:at + 2 + n]
                    at += 2 + n
                    if role_hashes:
                        for h in role_hashes.intersection(part):
                            role_hits.setdefault(h, []).append(qid)
                    q_hashes = hashes.get((role, qid))
                    if q_hashes:
                        for h in q_hashes.intersection(part):
                            f = by_hash[(role, qid)][h]
                            f.people.append(index)
                            if len(f.people) <= QUOTE_LOOK:
                                f.first.append((index, qid))
                for h, held in role_hits.items():
                    f = by_hash[role_scope][h]
                    f.people.append(index)
                    if len(f.people) <= QUOTE_LOOK:
                        f.first.extend((index, qid) for qid in held)
                index += 1


def _theme(key: Key, f: _Found, shown: set[str]) -> Theme:
    """The theme, quoting sentences no higher theme of its scope quotes (one sentence
    holding two themes would otherwise be shown under both); when every candidate is
    taken, its best one, so that no theme goes without a quote."""
    wording = min(f.wordings.items(), key=lambda wc: (-wc[1], wc[0]))[0] if f.wordings \
        else " ".join(key)
    ranked = sorted(f.quotes)
    fresh = [q for q in ranked if q[1] not in shown][:QUOTES] or ranked[:1]
    shown.update(q[1] for q in fresh)
    quotes = tuple(Quote(text, who, index) for _, text, who, index in fresh)
    return Theme(wording, len(key), len(f.people), tuple(f.people), quotes)


def _offer(f: _Found, text: str, folded: str, span: tuple[int, int], who: str, index: int
           ) -> None:
    """Keep the sentence around `span` as a quote if it is among the QUOTE_POOL best: the
    shortest sentences from different people win (then the earlier person)."""
    if any(q[3] == index for q in f.quotes):
        return
    quote = sentence_around(text, folded, span)
    if not quote or any(q[1] == quote for q in f.quotes):
        return
    rank = (len(quote) > QUOTE_CHARS, len(quote), index)
    f.quotes.append((rank, quote, who, index))
    f.quotes.sort()
    del f.quotes[QUOTE_POOL:]


def sentence_around(text: str, folded: str, span: tuple[int, int]) -> str:
    """The sentence of `text` holding `span` (found in its folded form; when folding changed
    the length, the folded text is quoted), cut to QUOTE_CHARS around the span."""
    source = text if len(text) == len(folded) else folded
    start, end = span
    for m in _SENTENCE.finditer(source):
        if m.start() <= start < m.end():
            s, e = m.start(), max(m.end(), end)
            break
    else:
        s, e = start, end
    sentence = source[s:e]
    lead = len(sentence) - len(sentence.lstrip())
    s += lead
    sentence = _bare(" ".join(source[s:e].split()))
    if len(sentence) <= QUOTE_CHARS:
        return sentence
    before = max(0, (QUOTE_CHARS - (end - start)) // 2)
    cut_from = max(s, start - before)
    cut_to = min(e, cut_from + QUOTE_CHARS)
    piece = " ".join(source[cut_from:cut_to].split())
    return ("…" if cut_from > s else "") + piece + ("…" if cut_to < e else "")


_MARKER = re.compile(r"^(?:[-*•–]\s*|\d+[.)]\s*)+")


def _bare(sentence: str) -> str:
    """A sentence without a list marker in front ("1. ", "- ") or parentheses around it."""
    sentence = _MARKER.sub("", sentence)
    if sentence.startswith("(") and sentence.endswith(")") and ")" not in sentence[1:-1]:
        sentence = sentence[1:-1]
    return sentence.strip()
