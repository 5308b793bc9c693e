"""A role + a seeded random generator -> one person's sample response (reflections, first
steps, IC choices and notes) composed from a small phrase bank written for this project.
Deterministic for a given seed; some answers blank, some multi-line, lengths varied."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from guidepdf import formspec
from guidepdf.content.model import Role

TOPICS = (
    "coaching cycles", "common planning time", "student work", "classroom visits",
    "assessment data", "feedback", "new teachers", "family partnerships",
    "the adopted curriculum", "team meetings", "professional learning days",
    "English learners", "our improvement plan", "peer observation", "school leaders",
)

SITUATIONS = (
    "We already protect some time for {topic}, but it is the first thing to go when the "
    "calendar gets busy.",
    "Most of our conversations about {topic} stay general; we rarely look at evidence "
    "together.",
    "Teachers tell us that {topic} is useful when it is tied to the lessons they are "
    "teaching that week.",
    "We do not yet have a shared picture of what good {topic} looks like across schools.",
    "Where {topic} works well, it is because a small team owns it and meets every week.",
    "Our survey showed that fewer than half of staff see a link between {topic} and "
    "student results.",
    "Time is the biggest obstacle: {topic} competes with compliance meetings and duties.",
    "We collect plenty of information about {topic}, but we seldom use it to change "
    "what we do.",
    "There is real goodwill for {topic}; what is missing is follow-up after the first "
    "session.",
    "Some schools are far ahead on {topic}, and we have not found a way to share what "
    "they know.",
)

STEPS = (
    "Map how many hours each team actually spends on {topic} this term.",
    "Ask two schools that do {topic} well to host a visit for the others.",
    "Agree on one short protocol for {topic} and use it in every team meeting.",
    "Add a standing item on {topic} to the leadership agenda, with data each month.",
    "Pilot a six-week cycle on {topic} with one grade-level team and review the results.",
    "Survey teachers again in spring to see whether {topic} feels more useful.",
    "Name one person to coordinate {topic} and give them protected time.",
    "Collect three samples of student work per class to ground {topic} in evidence.",
)

OWNERS = ("the principal", "our coach", "the leadership team", "grade-level leads",
          "the district office", "me")
WHEN = ("by October", "before winter break", "this semester", "by the end of March",
        "at the next staff meeting", "within six weeks")

IC_NOTES = (
    "We are closer to level 2 in some schools than in others.",
    "Discussed with the team; we agree this is our next step.",
    "Evidence: meeting notes and the spring survey.",
    "Hard to judge until the new schedule is in place.",
)


@dataclass(frozen=True)
class SampleResponse:
    """What one person writes into a guide: answers by question id, IC by outcome id."""

    answers: dict[str, tuple[str, str]]  # question id -> (reflections, first steps)
    ic: dict[str, str | None] = field(default_factory=dict)  # outcome id -> L1.. / NA / None
    ic_notes: dict[str, str] = field(default_factory=dict)


def reflection(rng: random.Random) -> str:
    """One to four sentences, sometimes in two paragraphs."""
    sentences = [rng.choice(SITUATIONS).format(topic=rng.choice(TOPICS))
                 for _ in range(rng.choice((1, 1, 2, 2, 3, 4)))]
    if len(sentences) > 2 and rng.random() < 0.5:
        return " ".join(sentences[:2]) + "\n\n" + " ".join(sentences[2:])
    return " ".join(sentences)


def first_steps(rng: random.Random) -> str:
    """A sentence, or a short list of steps with owners and dates, one per line."""
    count = rng.choice((1, 1, 2, 3))
    steps = [rng.choice(STEPS).format(topic=rng.choice(TOPICS)) for _ in range(count)]
    if count == 1:
        return f"{steps[0]} Owner: {rng.choice(OWNERS)}, {rng.choice(WHEN)}."
    return "\n".join(f"{i}. {s} ({rng.choice(OWNERS)}, {rng.choice(WHEN)})"
                     for i, s in enumerate(steps, start=1))


def sample_response(role: Role, rng: random.Random, *, blank_rate: float = 0.12,
                    ic_rate: float = 0.8) -> SampleResponse:
    """A varied response to `role`'s guide; each cell is blank with `blank_rate`, and the
    IC map (if the role has one) is filled with `ic_rate`."""
    answers = {}
    for q in role.questions:
        refl = "" if rng.random() < blank_rate else reflection(rng)
        steps = "" if rng.random() < blank_rate * 1.5 else first_steps(rng)
        answers[q.id] = (refl, steps)
    ic: dict[str, str | None] = {}
    notes: dict[str, str] = {}
    if role.icmap is not None and rng.random() < ic_rate:
        levels = len(role.icmap.levels)
        centre = rng.uniform(1.5, levels - 0.5)  # each person leans to a level
        for outcome in role.icmap.outcomes:
            roll = rng.random()
            if roll < 0.05:
                ic[outcome.id] = None
            elif roll < 0.1:
                ic[outcome.id] = formspec.IC_NOT_ASSESSED
            else:
                level = min(levels, max(1, round(rng.gauss(centre, 0.8))))
                ic[outcome.id] = formspec.ic_level_value(level - 1)
            if rng.random() < 0.1:
                notes[outcome.id] = rng.choice(IC_NOTES)
    return SampleResponse(answers, ic, notes)
