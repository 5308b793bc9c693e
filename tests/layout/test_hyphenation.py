"""In a narrow table cell of an edition that names a hyphenation language, a word too wide
for the cell breaks at a syllable with a hyphen; every other word wraps whole (so copied
text and screen readers keep the words); without a language nothing is hyphenated."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

from guidepdf.layout.hyphenation import CellParagraph


def lines(text: str, width: float, language: str) -> list[str]:
    style = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12)
    style.cellHyphenation = language
    p = CellParagraph(text, style)
    p.wrap(width, 1000)
    return [" ".join(str(w) for w in line[1]) if isinstance(line, tuple)
            else " ".join(line.words) for line in p.blPara.lines]


def test_only_a_word_wider_than_the_cell_is_hyphenated() -> None:
    """'interdisciplinariedad' (wider than 60 pt) breaks at syllables with hyphens; the
    words that fit on a line wrap whole, even where a syllable would fill a line."""
    text = "la mirada interdisciplinariedad del equipo directivo escolar"
    assert stringWidth("interdisciplinariedad", "Helvetica", 10) > 60
    assert lines(text, 60, "es") == ["la mirada in-", "terdisciplina-", "riedad del",
                                     "equipo", "directivo", "escolar"]


def test_without_a_language_a_long_word_is_cut_without_a_hyphen() -> None:
    """No language: reportlab cuts the word where the line ends, no hyphen (as before)."""
    assert lines("la mirada interdisciplinariedad del equipo", 60, "") == [
        "la mirada int", "erdisciplinari", "edad del", "equipo"]
