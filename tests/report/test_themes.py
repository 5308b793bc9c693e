"""Themes: phrases counted once per person, near-forms merged, question words and stop words
left out, shorter phrases giving way to the longer ones they live in — checked against
answers written to hold known phrases at known counts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from guidepdf.content import Content
from guidepdf.read.readmany import Outcome
from guidepdf.report import summary_json
from guidepdf.report.aggregate import aggregate
from guidepdf.report.model import Summary
from guidepdf.report.themes import (
    MIN_PEOPLE,
    Lemmas,
    Quote,
    ThemeCounter,
    choose,
    phrase_keys,
    phrases,
    sentence_around,
    split_words,
)
from tests.report.conftest import make_plan

# Coach q1 asks "Looking across the responsibilities above, where do we as coaches most
# need to grow, individually and as a team?"; q2 asks about day-to-day coaching and goals.
ANSWERS = {
    "Ana": {"q1": ("Common planning time.",
                   "More common planning time, and walkthrough feedback!")},
    "Ben": {"q1": ("Common planning times are short.", ""),
            "q2": ("Walkthrough feedback.", "Responsibilities")},
    "Cleo": {"q1": ("common planning time; walkthrough feedback", "")},
    "Dev": {"q1": ("", "Common-planning time."), "q2": ("", "responsibilities, again")},
    "Eve": {"q1": ("COMMON PLANNING TIME. Family nights.", "")},
    "Fay": {"q1": ("Walkthrough feedback. Family night. Our coaches grow as a team.", ""),
            "q2": ("walkthrough feedback", "")},
}


@pytest.fixture
def known(content: Content) -> Summary:
    plans = [make_plan(content, "coach", f"{name}.pdf", name=name, answers=answers)
             for name, answers in ANSWERS.items()]
    plans.append(make_plan(content, "teacher", "gus.pdf", name="Gus", answers={
        "q1": ("Common planning time, common planning time.", "")}))
    return aggregate([(Outcome(Path(p.source), p, ""), p.source, 0.0) for p in plans],
                     content, None, source="returned")


def _ranked(themes: tuple) -> list[tuple[str, int, int, list[str]]]:
    return [(t.phrase, t.words, t.count, list(t.people)) for t in themes]


def test_question_themes_rank_exactly(known: Summary) -> None:
    """Coach q1: "common planning time" by five people (Ana twice, counted once; plural,
    upper case and a hyphen merged), "walkthrough feedback" by three, "family night(s)" by
    two; their parts, the question's words (coaches, grow, team), stop words and the
    words only one person used are not themes; the teacher's answer is not counted."""
    coach = known.role("coach")
    q1, q2 = coach.questions[0], coach.questions[1]
    who = [r.who for r in known.responses]
    assert who == ["Ana", "Ben", "Cleo", "Dev", "Eve", "Fay", "Gus"]
    assert _ranked(q1.themes) == [("common planning time", 3, 5, [0, 1, 2, 3, 4]),
                                  ("walkthrough feedback", 2, 3, [0, 2, 5]),
                                  ("family night", 2, 2, [4, 5])]
    # "responsibilities" is a word of q1, not of q2: a theme there, ties: longer first
    assert _ranked(q2.themes) == [("walkthrough feedback", 2, 2, [1, 5]),
                                  ("responsibilities", 1, 2, [1, 3])]
    assert all(not q.themes for q in coach.questions[2:])


def test_role_themes_count_a_person_once_across_questions(known: Summary) -> None:
    """Across the coach's questions Fay's two uses of "walkthrough feedback" count once and
    Ben's q2 use adds him; the teacher role has only Gus, so no theme."""
    coach = known.role("coach")
    assert _ranked(coach.themes) == [("common planning time", 3, 5, [0, 1, 2, 3, 4]),
                                     ("walkthrough feedback", 2, 4, [0, 1, 2, 5]),
                                     ("family night", 2, 2, [4, 5]),
                                     ("responsibilities", 1, 2, [1, 3])]
    assert known.role("teacher").themes == ()


def test_quotes_are_the_shortest_sentences_of_different_people(known: Summary) -> None:
    """Each theme quotes up to two people: the shortest sentence holding the phrase, as
    they wrote it (case kept), each person's first use."""
    q1 = known.role("coach").questions[0]
    assert q1.themes[0].quotes == (Quote("common planning time", "Cleo", 2),
                                   Quote("Common planning time.", "Ana", 0))
    assert q1.themes[2].quotes == (Quote("Family night.", "Fay", 5),
                                   Quote("Family nights.", "Eve", 4))


def test_a_sentence_is_quoted_under_one_theme_of_a_scope(content: Content) -> None:
    """Two themes whose shortest sentences are the same (Pia's and Rob's hold both): the
    higher theme quotes them, the other quotes its own people's sentences instead."""
    answers = {"Pia": "Peer observation with data meetings.",
               "Rob": "Peer observation, data meetings.",
               "Sal": "Peer observation weekly, honestly.",
               "Tom": "Data meetings, more of them, please."}
    plans = [make_plan(content, "coach", f"{name}.pdf", name=name,
                       answers={"q1": (text, "")}) for name, text in answers.items()]
    summary = aggregate([(Outcome(Path(p.source), p, ""), p.source, 0.0) for p in plans],
                        content, None, source="returned")
    q1 = summary.role("coach").questions[0]
    # tied at three people each, two words each: alphabetical by key, "data meeting" first
    assert _ranked(q1.themes) == [("data meetings", 2, 3, [0, 1, 3]),
                                  ("peer observation", 2, 3, [0, 1, 2])]
    assert q1.themes[0].quotes == (Quote("Peer observation, data meetings.", "Rob", 1),
                                   Quote("Peer observation with data meetings.", "Pia", 0))
    assert q1.themes[1].quotes == (Quote("Peer observation weekly, honestly.", "Sal", 2),)


def test_themes_go_into_summary_json_and_back(known: Summary) -> None:
    """summary.json holds every theme with its people and quotes, and reads back equal."""
    back = summary_json.loads(summary_json.dumps(known))
    assert back.roles == known.roles


def test_a_phrase_gives_way_only_to_longer_ones_that_hold_most_of_its_people() -> None:
    """"planning time" used by 10, 4 of them inside "common planning time": both stay; at
    8 inside (at least three quarters), the shorter one goes."""
    counts = Counter({("common", "planning", "time"): 4, ("planning", "time"): 10,
                      ("common", "planning"): 4, ("common",): 4, ("planning",): 10,
                      ("time",): 10, ("solo",): 1})
    assert choose(counts) == [(("planning", "time"), 10),
                              (("common", "planning", "time"), 4)]
    counts.update({("common", "planning", "time"): 4, ("common", "planning"): 4,
                   ("common",): 4})
    assert choose(counts) == [(("common", "planning", "time"), 8)]
    assert choose(Counter({("x",): MIN_PEOPLE - 1})) == []


def test_phrases_break_at_stop_words_punctuation_and_numbers() -> None:
    """A phrase never spans a stop word, a comma, a number; hyphens join; three words at
    most; both ways of finding phrases agree."""
    lemmas = Lemmas("en")
    text = "peer observation, data walks in 3 grade-level teams now leadership team goals"
    found = phrases(text, lemmas)
    assert ("peer", "observation") in found and ("observation", "data") not in found
    assert ("data", "walk") in found and ("walk", "grade") not in found
    assert ("grade", "level", "team") in found
    assert ("leadership", "team", "goal") in found
    assert not any(len(k) > 3 for k in found)
    keys: set = set()
    phrase_keys(split_words(text), lemmas, frozenset(), keys)
    assert keys == set(found)
    start, end = found[("grade", "level", "team")]
    assert text[start:end] == "grade-level teams"


def test_lemmas_merge_near_forms_and_leave_unknown_languages_alone() -> None:
    """Plural and singular, and verb forms, share a key; a language simplemma does not know
    keeps words as they are."""
    en = Lemmas("en-US")
    assert en("meetings") == en("meeting") == en("meet")
    assert en("schools") == en("school")
    assert Lemmas("es")("reuniones") == Lemmas("es")("reunión")
    assert Lemmas("xx")("meetings") == "meetings"


def test_long_sentences_are_cut_around_the_phrase() -> None:
    """A quote longer than the limit is cut around the phrase, with ellipses."""
    text = ("word " * 60) + "common planning time " + ("more " * 60) + "."
    start = text.index("common")
    quote = sentence_around(text, text, (start, start + len("common planning time")))
    assert "common planning time" in quote and quote.startswith("…") and quote.endswith("…")
    assert len(quote) <= 162


def test_counter_prunes_phrases_of_one_person(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past PRUNE_AT distinct phrases a counter drops those only one person used, and the
    themes come out the same."""
    import guidepdf.report.themes as themes

    monkeypatch.setattr(themes, "PRUNE_AT", 8)
    counter = ThemeCounter(lambda role, qid: "")
    for n in range(6):
        counter.add("r", [("q", f"shared idea, unique{chr(97 + n)} word{chr(97 + n)}", "")])
    assert len(counter.counters[("r", "q")]) <= 8
    people = [("r", f"p{n}", [("q", f"shared idea, unique{chr(97 + n)} word{chr(97 + n)}",
                                "")]) for n in range(6)]
    found = counter.themes(people)
    assert [(t.phrase, t.count) for t in found[("r", "q")]] == [("shared idea", 6)]


def test_spanish_answers_leave_out_spanish_function_words() -> None:
    """With a Spanish edition, 'que', 'para', 'los' are never themes, and plural and
    singular merge ("reuniones de equipo" / "reunión de equipo" break at 'de')."""
    from guidepdf.content import load_content
    from guidepdf.paths import default_content_dir
    from guidepdf.report.terms import stop_words

    es = load_content(default_content_dir() / "editions" / "es").labels
    counter = ThemeCounter(lambda role, qid: "", "es", stop_words(es))
    people = [("r", f"p{n}", [("q", text, "")]) for n, text in enumerate((
        "Queremos más tiempo para las reuniones con los docentes.",
        "Necesitamos tiempo para la reunión con los docentes que llegan.",
        "Pedimos tiempo para que los docentes observen."))]
    for role, _, answers in people:
        counter.add(role, answers)
    found = counter.themes(people)[("r", "q")]
    assert [(t.phrase, t.count) for t in found] == [("docentes", 3), ("tiempo", 3),
                                                    ("reuniones", 2)]


def test_the_editions_stop_words_are_never_themes() -> None:
    """The stop words come from the edition (report.stop_words): a word an edition lists
    breaks phrases like any other stop word; without it the same answers make it a theme."""
    people = [("r", f"p{n}", [("q", "common planning time with coaches", "")])
              for n in range(3)]

    def found(stop: frozenset[str]) -> list[tuple[str, int]]:
        counter = ThemeCounter(lambda role, qid: "", "en", stop)
        for role, _, answers in people:
            counter.add(role, answers)
        return [(t.phrase, t.count) for t in counter.themes(people)[("r", "q")]]

    assert found(frozenset())[0] == ("common planning time", 3)
    assert ("common planning time", 3) not in found(frozenset({"planning"}))
    assert all("planning" not in phrase.split() for phrase, _ in found(frozenset({"planning"})))


def _random_people(seed: int, count: int) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    import random

    rng = random.Random(seed)
    words = ("planning", "time", "common", "walkthrough", "feedback", "family", "night",
             "coaching", "cycle", "data", "team", "meeting", "goals", "peer", "observation,",
             "and", "the", "of", "3", "lesson", "study")
    people = []
    for n in range(count):
        answers = []
        for qid in rng.sample(["q1", "q2", "q3"], rng.randint(1, 3)):
            cells = [" ".join(rng.choice(words) for _ in range(rng.randint(0, 12)))
                     for _ in range(2)]
            answers.append((qid, cells[0].capitalize() + ".", cells[1]))
        if n % 7 == 0:  # a question answered twice on one form
            answers += [("q1", "Common planning time.", ""), ("q1", "", "common planning time")]
        people.append((rng.choice("ab"), f"p{n}", answers))
    return people


def _themes_of(people, folder: Path | None = None):  # type: ignore[no-untyped-def]
    counter = ThemeCounter(lambda role, qid: "team" if qid == "q3" else "", "en",
                           folder=folder)
    for role, _, answers in people:
        counter.add(role, answers)
    return counter, counter.themes(people)


def test_the_second_pass_counts_exactly_who_used_each_theme() -> None:
    """Who used a theme comes from the first pass's keys, not a second split: each theme's
    people are exactly those whose answers in its scope hold the phrase (found here the
    slow way, with phrases()), each once even with a question answered twice; its quotes
    and wording come from its first people."""
    from guidepdf.report.themes import QUOTE_LOOK, fold

    people = _random_people(5, 80)
    counter, found = _themes_of(people)
    assert found
    for (role, qid), themes in found.items():
        assert themes, (role, qid)
        for theme in themes:
            key = tuple(counter.lemmas.content(w) for w in theme.phrase.split())
            truth = [i for i, person in enumerate(people) if person[0] == role
                     and key in _keys_in(person, qid, counter)]
            assert list(theme.people) == truth and theme.count == len(truth), theme
            assert theme.quotes and {q.response for q in theme.quotes} <= set(
                theme.people[:QUOTE_LOOK])
            assert all(theme.phrase in fold(q.text) or "…" in q.text for q in theme.quotes)


def _keys_in(person, qid: str, counter: ThemeCounter) -> set:  # type: ignore[no-untyped-def]
    from guidepdf.report.themes import fold

    keys: set = set()
    for q, reflections, first_steps in person[2]:
        if qid in ("", q):
            for text in (reflections, first_steps):
                keys.update(phrases(fold(text), counter.lemmas, counter.skip(person[0], q)))
    return keys


def test_the_keys_wait_on_disk_and_give_the_same_themes(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The first pass's keys go to a temporary file in the given folder a few people at a
    time (here: after every person or two) and come back to the same themes as when held
    in memory; the file is gone once the themes are made."""
    import guidepdf.report.keytrail as keytrail

    people = _random_people(9, 60)
    _, in_memory = _themes_of(people)
    monkeypatch.setattr(keytrail, "CHUNK", 40)
    _, on_disk = _themes_of(people, tmp_path)
    assert on_disk == in_memory
    assert list(tmp_path.iterdir()) == []


def test_a_themes_file_that_cannot_be_made_is_a_sentence(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import guidepdf.report.keytrail as keytrail
    from guidepdf.errors import OutputError

    monkeypatch.setattr(keytrail, "CHUNK", 4)
    counter = ThemeCounter(lambda role, qid: "", folder=tmp_path / "gone")
    with pytest.raises(OutputError, match="does not exist") as caught:
        counter.add("r", [("q", "common planning time", "")])
    assert str(tmp_path / "gone") in str(caught.value)


def test_the_wanted_phrases_spans_are_those_of_every_phrase() -> None:
    """The second pass looks for the shown themes only: their first spans are the ones
    phrases() gives without `wanted`, for every text and any set of wanted phrases."""
    import random

    from guidepdf.report.themes import fold

    lemmas = Lemmas("en")
    rng = random.Random(3)
    for person in _random_people(11, 40):
        for _, reflections, first_steps in person[2]:
            for text in (reflections, first_steps):
                every = phrases(fold(text), lemmas, frozenset({"team"}))
                pool = [*every, ("planning", "night"), ("nowhere",)]
                wanted = set(rng.sample(pool, min(len(pool), rng.randint(1, 6))))
                assert phrases(fold(text), lemmas, frozenset({"team"}), wanted) == {
                    k: v for k, v in every.items() if k in wanted}
