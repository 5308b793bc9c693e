"""Nothing on a page is English-only in code: a made-up edition whose labels and content are
all distinct made-up tokens builds a guide (fillable and print, personalized) and a summary
(with a roster, an IC map, a person who has not returned, two rejected files), its team page
and a growth comparison (PDF and workbook), and no English word of the
shipped English labels appears anywhere in their extracted text."""

from __future__ import annotations

import itertools
import re
import string
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest
import yaml

from guidepdf import formspec
from guidepdf.compare import compare_summaries
from guidepdf.content import load_content
from guidepdf.content.labelset import LABELS
from guidepdf.distribute import Personalizer
from guidepdf.distribute.roster import read_roster
from guidepdf.layout import GuideOptions, build_guide
from guidepdf.paths import default_content_dir
from guidepdf.report import collect
from guidepdf.samplefill import fill, form_values
from tests.layout.pdfcheck import encrypted_blank

_names = ("".join(p) for p in itertools.product(string.ascii_lowercase, repeat=3))


def token() -> str:
    """A made-up word no language uses: 'xq' and three letters."""
    return "xq" + next(_names)


def words(n: int) -> str:
    return " ".join(token() for _ in range(n))


def token_labels() -> dict[str, object]:
    """Every declared label as distinct tokens around all the placeholders it may use."""
    data: dict[str, dict[str, object]] = {}
    for key, label in LABELS.items():
        section, name = key.split(".", 1)
        if key == "format.hyphenation":
            value: object = "none"
        elif key == "format.thousands_separator":
            value = "space"
        elif key == "format.decimal_separator":
            value = "."
        elif label.words:
            value = words(3)
        else:
            marks = [f"{{{p}}}" for p in label.allowed]
            value = {"one": " ".join([token(), *marks, token()]),
                     "other": " ".join([token(), *marks, token()])} if label.counted \
                else " ".join([token(), *marks, token()])
        data.setdefault(section, {})[name] = value
    return data


def write_edition(folder: Path) -> None:
    """A complete content folder (one role with an IC map) written in tokens only."""
    folder.mkdir(parents=True)
    brand = yaml.safe_load((default_content_dir() / "brand.yaml").read_text(encoding="utf-8"))
    brand.pop("logo", None)  # a logo's alt text is content too; this edition has none
    brand.update(organization=words(2), url="https://xq.invalid", edition=words(2),
                 date="2026", language="xx", attribution=words(5), footer=words(3),
                 contact=words(3), resources=[{"title": words(2), "description": words(4)}])
    framework = {
        "name": words(3), "lead": words(4), "overview": words(12), "wheel_alt": words(6),
        "categories": [{"id": f"c{i}", "name": words(2), "color": "#204060",
                        "description": words(8)} for i in (1, 2)],
        "standards": [{"id": f"s{i}", "name": words(2), "category": f"c{1 + i % 2}",
                       "summary": words(6)} for i in (1, 2, 3)],
        "foundations": [words(5), words(5)], "chain": [words(2), words(2), words(2)],
        "chain_note": words(6)}
    role = {"id": "xrole", "order": 1, "title": words(2), "short_title": words(1),
            "holders": words(6), "introduction": f"{words(20)}\n\n{words(20)}",
            "responsibilities": {"c1": [words(6), words(6)], "c2": [words(6)]},
            "questions": [{"id": "q1", "text": words(8)}, {"id": "q2", "text": words(8)}]}
    icmap = {"role": "xrole", "title": words(3), "introduction": words(10),
             "levels": [words(2), words(2), words(2)],
             "blocks": [{"standard": "s1", "outcomes": [
                 {"id": "o1", "outcome": words(5), "levels": [words(6), words(6), None]},
                 {"id": "o2", "outcome": words(5), "levels": [words(6), words(6), words(6)]},
             ]}]}
    for name, data in (("brand.yaml", brand), ("framework.yaml", framework),
                       ("roles/xrole.yaml", role), ("icmaps/xrole.yaml", icmap),
                       ("labels.yaml", token_labels())):
        path = folder / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")


def english_words() -> set[str]:
    """Every word of three letters or more in the shipped English labels."""
    text = (default_content_dir() / "labels.yaml").read_text(encoding="utf-8")
    body = "\n".join(line.split(" #")[0] for line in text.splitlines()
                     if not line.lstrip().startswith("#"))
    data = yaml.safe_load(body)
    found: set[str] = set()
    stack: list[object] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, str):
            found |= {w for w in re.findall(r"[a-z]+", re.sub(r"\{\w+\}", " ", item.lower()))
                      if len(w) >= 3}
    # format values, not words on a page; file types, not English words
    return found - {"none", "space", "csv", "xlsx", "json", "pdf"}


def page_text(pdf: bytes) -> str:
    doc = pdfium.PdfDocument(pdf)
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def leaks(text: str, english: set[str]) -> list[str]:
    return sorted({w for w in re.findall(r"[a-z]+", text.lower()) if w in english})


@pytest.mark.slow
def test_a_token_edition_shows_no_english_word(tmp_path: Path) -> None:
    """Guides (both modes, a personalized copy) and the summary of two returned forms of a
    made-up edition contain none of the English labels' words."""
    edition = tmp_path / "content" / "editions" / "xx"
    write_edition(edition)
    content = load_content(edition)
    english = english_words()
    assert {"guide", "question", "reflections", "summary", "appendix", "the"} <= english
    role = content.role("xrole")
    texts = {mode: page_text(build_guide(content, role, GuideOptions(mode=mode)))
             for mode in ("fillable", "print")}
    texts["a4"] = page_text(build_guide(content, role, GuideOptions(mode="print",
                                                                    paper="a4")))
    roster_path = tmp_path / "xqpeople.csv"
    roster_path.write_text("id,name,email,role,group\n"
                           "p1,Xqaa Xqab,p1@xq.invalid,xrole,Xqgroup\n"
                           "p2,Xqac Xqad,p2@xq.invalid,xrole,Xqgroup\n"
                           "p3,Xqae Xqaf,p3@xq.invalid,xrole,\n", encoding="utf-8")
    roster = read_roster(roster_path, content.roles)
    maker = Personalizer(content, prefill=True)
    returned = tmp_path / "xqreturned"
    returned.mkdir()
    for person in roster.people[:2]:
        copy = maker.copy(person)
        texts[f"copy-{person.id}"] = page_text(copy)
        values = form_values("xrole", respondent={"date": "2026"},
                             answers={"q1": (words(4), words(3)), "q2": (words(2), "")},
                             ic={"o1": formspec.ic_level_value(0), "o2": "NA"},
                             ic_notes={"o1": words(2)})
        (returned / f"xq{person.id}.pdf").write_bytes(fill(copy, values))
    # a Word file renamed .pdf and an encrypted PDF: their reasons are the edition's too
    (returned / "xqzip.pdf").write_bytes(b"PK\x03\x04" + b"\x14\x00xq" * 20)
    (returned / "xqlock.pdf").write_bytes(encrypted_blank(owner="xqo", user="xqu"))
    result = collect(returned, tmp_path / "xqsummary", roster=roster, content=content,
                     jobs=1, teams=True)
    assert result.summary.totals.returned == 2 and result.summary.totals.missing == 1
    assert sorted(r.code for r in result.summary.rejected) == ["not_pdf", "password"]
    texts["summary"] = page_text(result.files["summary.pdf"].read_bytes())
    teams = sorted((tmp_path / "xqsummary" / "teams").glob("*.pdf"))
    assert [p.name for p in teams] == ["xqgroup.pdf"]
    texts["team page"] = page_text(teams[0].read_bytes())
    summary_json = tmp_path / "xqsummary" / "summary.json"
    _, growth = compare_summaries(summary_json, summary_json, tmp_path / "xqgrowth", content)
    texts["growth"] = page_text(growth["growth.pdf"].read_bytes())
    for name, path in (("xlsx", result.files["responses.xlsx"]),
                       ("growth xlsx", growth["growth.xlsx"])):
        workbook = openpyxl.load_workbook(path, read_only=True)
        texts[name] = " ".join([*workbook.sheetnames, *(
            str(cell) for ws in workbook.worksheets for row in ws.iter_rows(values_only=True)
            for cell in row if isinstance(cell, str) and not cell.endswith(".pdf"))])
        workbook.close()
    for name, text in texts.items():
        assert "xq" in text, name
        assert leaks(text, english) == [], name
