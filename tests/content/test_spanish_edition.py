"""The Spanish edition (content/editions/es) is a complete, clean content folder with the same
roles, ids and IC map outcomes as the English content, written in Spanish: its visible texts
hold Spanish function words and next to no English ones, and a guide built from it has the
same form fields as the English guide and says /Lang es."""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
import yaml

from guidepdf.content import Content, load_content
from guidepdf.content.loader import check_content
from guidepdf.layout import GuideOptions, build_guide
from tests import guides

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = ROOT / "content"
SPANISH = ROOT / "content" / "editions" / "es"

# Keys whose values are never drawn as text: ids, references, colours, fonts, machine values.
NOT_TEXT = {"id", "role", "standard", "category", "color", "colors", "fonts", "url", "date",
            "language", "order", "file"}
# Common English function words that are not also Spanish words.
ENGLISH_WORDS = {"the", "and", "of", "to", "is", "that", "for", "with", "what", "how", "are",
                 "this", "their", "they", "be", "by", "from", "which", "we", "our", "you",
                 "your", "it", "on", "as", "at", "or", "an", "in", "have", "will", "who",
                 "each", "every", "when", "where", "not", "do", "does", "can", "its", "them"}
SPANISH_WORDS = {"de", "la", "el", "los", "las", "y", "que", "en", "para", "con", "por", "del",
                 "una", "un", "se", "su", "sus", "lo", "al", "como", "es", "más", "qué", "cómo",
                 "e", "o", "a", "no", "cada", "sin", "sobre", "entre"}
# Texts that stay as they are in every edition: the organization's name and address.
PROPER = {"organization", "contact"}


def _texts(node: object, key: str = "") -> Iterator[tuple[str, str]]:
    """(key, text) for every visible string of a parsed YAML file."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in NOT_TEXT and k not in PROPER:
                yield from _texts(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _texts(v, key)
    elif isinstance(node, str):
        yield key, node


def _files(root: Path) -> list[Path]:
    return sorted([root / "brand.yaml", root / "framework.yaml",
                   *(root / "roles").glob("*.yaml"), *(root / "icmaps").glob("*.yaml")])


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


@pytest.fixture(scope="module")
def spanish() -> Content:
    return load_content(SPANISH)


@pytest.fixture(scope="module")
def english() -> Content:
    return guides.shipped()


def test_the_spanish_edition_loads_without_errors_or_warnings() -> None:
    """`guidepdf check content/editions/es` would report nothing."""
    content, errors = check_content(SPANISH)
    assert errors == []
    assert content is not None and content.warnings == ()
    assert content.brand.language == "es"


def test_the_same_roles_and_maps_in_the_same_order(spanish: Content,
                                                    english: Content) -> None:
    """Every English role and IC map has a Spanish file with the same id and order, and there
    is no other."""
    assert [(r.id, r.order) for r in spanish.roles] == [(r.id, r.order) for r in english.roles]
    assert [r.id for r in spanish.roles if r.icmap] == [r.id for r in english.roles if r.icmap]


def test_the_same_framework_ids_and_colours(spanish: Content, english: Content) -> None:
    """Categories and standards keep their ids, order, category and colour; the lists keep
    their length; the brand keeps its colours and its logo."""
    es, en = spanish.framework, english.framework
    assert [(c.id, c.color) for c in es.categories] == [(c.id, c.color) for c in en.categories]
    assert [(s.id, s.category, s.color) for s in es.standards] == \
        [(s.id, s.category, s.color) for s in en.standards]
    assert (len(es.foundations), len(es.chain)) == (len(en.foundations), len(en.chain))
    assert spanish.brand.colors == english.brand.colors
    assert (spanish.brand.logo is None) == (english.brand.logo is None)


def test_the_same_questions_and_responsibility_groups(spanish: Content,
                                                      english: Content) -> None:
    """Each role asks questions with the same ids, and files its responsibilities under the
    same categories, so answers to a Spanish guide line up with the English ones."""
    for en in english.roles:
        es = spanish.role(en.id)
        assert [q.id for q in es.questions] == [q.id for q in en.questions], en.id
        assert [c for c, _ in es.responsibilities] == [c for c, _ in en.responsibilities], en.id
        for (cat, es_items), (_, en_items) in zip(es.responsibilities, en.responsibilities,
                                                  strict=True):
            assert 4 <= len(es_items) <= 8, (en.id, cat)
            assert abs(len(es_items) - len(en_items)) <= 1, (en.id, cat)


def test_the_same_ic_map_outcomes(spanish: Content, english: Content) -> None:
    """Every IC map has the same blocks, outcome ids, number of levels and blank cells."""
    for en in english.roles:
        es = spanish.role(en.id)
        if en.icmap is None or es.icmap is None:
            continue
        assert len(es.icmap.levels) == len(en.icmap.levels), en.id
        assert [b.standard for b in es.icmap.blocks] == [b.standard for b in en.icmap.blocks]
        assert [(o.id, [c is None for c in o.levels]) for o in es.icmap.outcomes] == \
            [(o.id, [c is None for c in o.levels]) for o in en.icmap.outcomes], en.id


def test_every_visible_text_is_spanish() -> None:
    """A text of five words or more has Spanish function words and almost no English ones (an
    English name given in parentheses is allowed); no text is left as the English one."""
    english_texts = {t for p in _files(ENGLISH)
                     for _, t in _texts(yaml.safe_load(p.read_text(encoding="utf-8")))}
    english_total = sum(len(_words(t)) for t in english_texts)
    problems = []
    total_en = total = 0
    for path in _files(SPANISH):
        for key, text in _texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
            words = _words(text)
            en = sum(w in ENGLISH_WORDS for w in words)
            es = sum(w in SPANISH_WORDS for w in words)
            total_en += en
            total += len(words)
            where = f"{path.relative_to(SPANISH)} {key}: {text[:60]}"
            if text in english_texts and len(words) > 1:
                problems.append(f"left in English: {where}")
            elif len(words) >= 5 and (en > max(1, len(words) // 12) or es < len(words) // 6):
                problems.append(f"{en} English / {es} Spanish words of {len(words)}: {where}")
    assert problems == []
    assert total > english_total  # nothing is left out (Spanish runs about a fifth longer)
    assert total_en / total < 0.005


def test_spanish_guides_have_the_english_guides_fields_and_lang_es(spanish: Content) -> None:
    """Each guide built from the Spanish edition names its form fields exactly as the English
    one does, draws the Spanish text, and declares /Lang es."""
    for role in spanish.roles:
        pdf = build_guide(spanish, role, GuideOptions(mode="fillable"))
        es_reader = pypdf.PdfReader(BytesIO(pdf))
        en_reader = pypdf.PdfReader(BytesIO(guides.built(role.id)))
        assert sorted(es_reader.get_fields()) == sorted(en_reader.get_fields()), role.id
        assert es_reader.trailer["/Root"]["/Lang"] == "es"
        text = " ".join(_words(" ".join(page.extract_text() for page in es_reader.pages)))
        for question in role.questions:
            assert " ".join(_words(question.text)[:6]) in text, (role.id, question.id)


def test_spanish_follow_up_messages_match_the_english_ones() -> None:
    """The Spanish edition has its own messages.yaml: a reminder for every problem the
    English one covers, the receipt and the saving help, each using only placeholders the
    English text uses too, and written in Spanish."""
    import re
    from pathlib import Path

    from guidepdf.content import load_content

    root = Path(__file__).resolve().parents[2] / "content"
    english, spanish = load_content(root).messages, load_content(root / "editions" / "es").messages
    assert english is not None and spanish is not None
    assert spanish.source.endswith("editions/es/messages.yaml")
    assert set(spanish.reminders) == set(english.reminders)

    def marks(text: str) -> set[str]:
        return set(re.findall(r"\$\{?([a-z_]+)", text))

    pairs = [(spanish.reminders[k].body, english.reminders[k].body) for k in english.reminders]
    pairs += [(spanish.receipt.body, english.receipt.body),
              (spanish.receipt_with_ic, english.receipt_with_ic)]
    for es, en in pairs:
        assert marks(es) <= marks(en) | {"role_title"}, marks(es) - marks(en)
        assert es != en and re.search(r"\b(su|usted|gracias|guía)\b", es, re.I), es[:80]
    assert "Hola" in spanish.receipt.body or "Gracias" in spanish.receipt.body
