"""Answers a tool garbled (NULs where it could not draw the text, UTF-8 read as
Windows-1252) are kept exactly as found and each gets a warning naming its field; real text
in any script gets none."""

from __future__ import annotations

import pytest

from guidepdf import formspec
from guidepdf.notes import Note
from guidepdf.read.garbled import why_garbled
from guidepdf.read.reader import read_form
from guidepdf.samplefill import fill, form_values
from tests import guides

NULS = "\x00" * 24
MOJIBAKE = "Reuniões semanais com a coordenação".encode().decode("cp1252")
FINE = ("Коучинг раз в неделю; 每周一次; Ελληνικά; naïve café — “quotes”, €100\n"
        "second line\twith a tab")


def test_garbled_answers_are_kept_and_named() -> None:
    """Two garbled answers: two warnings naming the fields, the texts as they were."""
    questions = [q.id for q in guides.shipped().role("teacher").questions]
    values = form_values("teacher", answers={questions[0]: (NULS, FINE),
                                             questions[1]: ("ok", MOJIBAKE)})
    form = read_form(fill(guides.built("teacher"), values, appearances="viewer"))
    assert form.answers[questions[0]]["reflections"] == NULS
    assert form.answers[questions[1]]["first_steps"] == MOJIBAKE
    null_field = formspec.answer_field("teacher", questions[0], "reflections")
    moji_field = formspec.answer_field("teacher", questions[1], "first_steps")
    assert [str(w) for w in form.warnings] == [
        f"field '{null_field}': the answer is mostly control characters (U+0000), as a tool "
        "that could not draw the text leaves it; it was kept as it was — check the form in a "
        "PDF viewer",
        f"field '{moji_field}': the answer looks like UTF-8 text read in the wrong encoding "
        "(it would read 'Reuniões semanais com a coordenação'); it was kept as it was — "
        "check the form in a PDF viewer"]


@pytest.mark.parametrize("text", [FINE, "José Ramírez", "Grüße aus München", "Ã", "ok\x00",
                                  "Σ", "", "   ", "100%"])
def test_real_text_is_not_called_garbled(text: str) -> None:
    """Accents, other scripts, a lone odd character or a stray control are text."""
    assert why_garbled(text) is None


def _reference(text: str) -> Note | None:
    """why_garbled as it was before its fast path: every character looked at."""
    import unicodedata

    from guidepdf.read.garbled import _SPACING, SAMPLE, _as_utf8

    text = text[:SAMPLE]
    visible = [ch for ch in text if not ch.isspace() or ch in _SPACING]
    if not visible:
        return None
    bad = ("Cc", "Cs", "Co", "Cn")
    controls = sum(1 for ch in visible if ch not in _SPACING
                   and unicodedata.category(ch) in bad)
    if controls and controls * 2 >= len([ch for ch in visible if ch not in _SPACING]):
        sample = "".join(f"U+{ord(ch):04X} " for ch in dict.fromkeys(
            ch for ch in text if unicodedata.category(ch) in bad and ch not in _SPACING))
        return Note.of("garbled_controls", codes=sample.strip())
    fixed = _as_utf8(text)
    if fixed is not None:
        return Note.of("garbled_encoding",
                       text=fixed if len(fixed) <= 40 else fixed[:39] + "…")
    return None


def test_the_fast_path_judges_every_text_as_the_full_look_does() -> None:
    """5,000 random texts from letters, spaces of every kind, line breaks, format,
    control, surrogate, private and unassigned characters and mojibake: the same note."""
    import random

    pool = [*"abcé ñü", "\n", "\t", "\r", "\xa0", "\u2003", "\u200d", "\u200f", "\x00",
            "\x07", "\x7f", "\ud800", "\ue000", "\u0378", "王", "Ã©", "â€™", " "]
    rng = random.Random(18)
    for _ in range(5000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))
        assert why_garbled(text) == _reference(text), repr(text)
