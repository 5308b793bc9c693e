"""Built guides have the right fields, text, fonts, metadata and pages, in both modes."""

from __future__ import annotations

import io
from collections.abc import Callable

import pikepdf
import pypdf
import pytest

from guidepdf import formspec
from guidepdf.content import Content
from guidepdf.layout import GuideOptions, build_guide
from tests import guides
from tests.layout.pdfcheck import objects_outside_page, page_texts, render, widgets

ROLES = ["state-commissioner", "superintendent", "system-central-office", "principal", "coach",
         "teacher", "external-partner"]


@pytest.mark.parametrize("role_id", ROLES)
def test_fillable_guide_has_two_named_fields_per_question(
        content: Content, guide: Callable[..., bytes], role_id: str) -> None:
    """Every question gets a REFLECTIONS and a FIRST STEPS field named by formspec, with the
    question text as tooltip, no MaxLen, multiline, in row order; plus respondent fields."""
    role = content.role(role_id)
    found = widgets(guide(role_id))
    by_name = {w.name: w for w in found}
    expected = [formspec.respondent_field(role_id, k) for k in formspec.RESPONDENT_KEYS]
    for q in role.questions:
        for column in formspec.COLUMNS:
            name = formspec.answer_field(role_id, q.id, column)
            expected.append(name)
            widget = by_name[name]
            assert q.text in widget.tooltip
            assert widget.max_len is None
            assert widget.flags & (1 << 12), "multiline flag"
            assert "." not in name
    order = [w.name for w in found if w.name != formspec.MANIFEST_FIELD]
    assert order[: len(expected)] == expected  # tab order: respondent, then row by row
    assert formspec.MANIFEST_FIELD in by_name


@pytest.mark.parametrize("role_id", ROLES)
def test_widget_count_is_what_the_guide_has(content: Content, role_id: str) -> None:
    """formspec.widget_count(manifest) is the number of widgets on the guide's pages (read by
    pypdf), for the whole guide and its IC map alone: the reader skips its look at the pages
    when the field tree holds that many."""
    parts = ["all", "icmap"] if content.role(role_id).icmap is not None else ["all"]
    for part in parts:
        pdf = guides.built(role_id, "fillable", "letter", part)
        with pikepdf.open(io.BytesIO(pdf)) as doc:
            manifest = formspec.Manifest.from_json(
                str(doc.docinfo[formspec.MANIFEST_INFO_KEY]))
        assert len(widgets(pdf)) == formspec.widget_count(manifest) > len(manifest.questions)


@pytest.mark.parametrize("role_id", ROLES)
def test_print_guide_has_no_fields(guide: Callable[..., bytes], role_id: str) -> None:
    """The print edition carries no form at all."""
    pdf = guide(role_id, "print")
    assert widgets(pdf) == []
    assert "/AcroForm" not in pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]


@pytest.mark.parametrize("mode", ["fillable", "print"])
def test_text_has_every_standard_and_question(content: Content, guide: Callable[..., bytes],
                                              mode: str) -> None:
    """Text extraction finds all eleven standard names and every question of the role."""
    pdf = guide("coach", mode)
    text = " ".join(" ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[i].extract_text().split())
                    for i in range(len(pypdf.PdfReader(io.BytesIO(pdf)).pages)))
    for std in content.framework.standards:
        assert std.name in text, std.name
    for q in content.role("coach").questions:
        assert " ".join(q.text.split()[:6]) in text


def test_sections_come_in_order(content: Content, guide: Callable[..., bytes]) -> None:
    """Cover, introduction, wheel, chain, foundations, standards, responsibilities, table,
    back page — in that order."""
    texts = page_texts(guide("principal"))
    joined = "\n".join(" ".join(t.split()) for t in texts)
    markers = ["Action guide for principals", "Why the standards matter to principals",
               "How the standards lead to results",
               " ".join(content.framework.foundations[0].split()[:5]),
               " ".join(content.framework.standards[-1].summary.split()[:5]),
               "Key responsibilities for principals", "First steps for principals",
               "More guides in this series"]
    positions = [joined.find(m) for m in markers]
    assert -1 not in positions, dict(zip(markers, positions, strict=True))
    assert positions == sorted(positions)


def test_wheel_page_carries_standard_and_category_names(content: Content,
                                                        guide: Callable[..., bytes]) -> None:
    """The wheel is vector text: its page's content has every standard and category name
    (pypdf reads the content itself; PDFium gives the wheel's ActualText instead, once)."""
    pdf = guide("teacher")
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    texts = [" ".join(page.extract_text().split()) for page in pages]
    wheel_page = next(t for t in texts if "RIGOROUS" in t and "Learning Designs" in t)
    for std in content.framework.standards:
        for word in std.name.replace(",", "").split():
            assert word in wheel_page, std.name
    for cat in content.framework.categories:
        for word in cat.name.upper().split():
            assert word in wheel_page.upper()
    alt = " ".join(content.framework.wheel_alt.split())
    assert sum(" ".join(t.split()).count(alt) for t in page_texts(pdf)) == 1


def test_fonts_are_embedded(guide: Callable[..., bytes]) -> None:
    """Every font used on the pages is embedded (body text is the OFL font)."""
    with pikepdf.open(io.BytesIO(guide("coach"))) as pdf:
        names = set()
        for page in pdf.pages:
            for _, font in page.obj.Resources.get("/Font", {}).items():
                descriptor = font.get("/FontDescriptor")
                assert descriptor is not None and any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
                names.add(str(font.BaseFont))
        assert any("NotoSans" in n for n in names)


@pytest.mark.parametrize(("paper", "size"), [("letter", (612, 792)), ("a4", (595, 842))])
def test_paper_sizes(content: Content, guide: Callable[..., bytes], paper: str,
                     size: tuple[int, int]) -> None:
    """--paper letter and a4 give pages of that size, with nothing outside them."""
    pdf = guide("superintendent", "fillable", paper)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == size
    assert objects_outside_page(pdf) == []


@pytest.mark.parametrize("mode", ["fillable", "print"])
def test_pages_are_not_blank(guide: Callable[..., bytes], mode: str) -> None:
    """Every rendered page has ink on it."""
    pdf = guide("external-partner", mode)
    for index in range(len(pypdf.PdfReader(io.BytesIO(pdf)).pages)):
        image = render(pdf, index, 0.3).convert("L")
        dark = sum(image.histogram()[:200])
        assert dark > 200, f"page {index + 1} looks blank"


def test_reflection_header_repeats_on_every_table_page(guide: Callable[..., bytes]) -> None:
    """Each page that holds answer fields repeats the QUESTION | REFLECTIONS | FIRST STEPS row."""
    pdf = guide("system-central-office")
    texts = page_texts(pdf)
    pages = {w.page for w in widgets(pdf) if w.name.endswith("__reflections")}
    assert len(pages) >= 2
    for number in pages:
        text = texts[number - 1]
        assert "QUESTION" in text and "REFLECTIONS" in text and "FIRST STEPS" in text


def test_metadata(content: Content, guide: Callable[..., bytes]) -> None:
    """Title, author, subject and language are set and viewers are told to show the title."""
    with pikepdf.open(io.BytesIO(guide("coach"))) as pdf:
        info = pdf.docinfo
        assert str(info.Title) == "Action guide for coaches"
        assert str(info.Author) == content.brand.organization
        assert str(info.Subject) == content.framework.name
        assert str(pdf.Root.Lang) == content.brand.language
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True


def test_manifest_is_embedded(content: Content, guide: Callable[..., bytes]) -> None:
    """The hidden manifest field and the document info both carry the manifest."""
    with pikepdf.open(io.BytesIO(guide("coach"))) as pdf:
        info = formspec.Manifest.from_json(str(pdf.docinfo[formspec.MANIFEST_INFO_KEY]))
        field = next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == formspec.MANIFEST_FIELD)
        assert formspec.Manifest.from_json(str(field.V)) == info
        assert int(field.F) & 2  # hidden
    role = content.role("coach")
    assert info.role == "coach"
    assert info.fingerprint == formspec.fingerprint(content, role)
    assert list(info.questions) == [q.id for q in role.questions]
    assert info.recipient is None


def test_same_input_same_bytes(content: Content) -> None:
    """Building twice gives byte-identical PDFs."""
    role = content.role("principal")
    for mode in ("fillable", "print"):
        assert build_guide(content, role, GuideOptions(mode=mode)) == \
            build_guide(content, role, GuideOptions(mode=mode))


def test_made_up_framework_builds(toy_content: Content) -> None:
    """A made-up framework (2 categories, 3 standards, 1 role) builds into a guide that shows
    its own names: the engine knows no standard or role by name."""
    role = toy_content.role("gardener")
    pdf = build_guide(toy_content, role, GuideOptions(mode="fillable", paper="a4"))
    text = " ".join(" ".join(page_texts(pdf)).split())
    for name in ("Compost Keeping", "Mulching", "Sunlight Planning", "Where will you dig first?",
                 "Action guide for gardeners", "Toy Test Org"):
        assert name in text
    assert "Equity" not in text
    names = {w.name for w in widgets(pdf)}
    assert {"gardener__dig__reflections", "gardener__water__first_steps"} <= names


def test_manifest_keeps_question_order(content: Content, guide: Callable[..., bytes]) -> None:
    """Questions and IC outcomes come back from the manifest in the guide's order."""
    with pikepdf.open(io.BytesIO(guide("system-central-office"))) as pdf:
        manifest = formspec.Manifest.from_json(str(pdf.docinfo[formspec.MANIFEST_INFO_KEY]))
    role = content.role("system-central-office")
    assert list(manifest.questions) == [q.id for q in role.questions]
    assert role.icmap is not None
    assert list(manifest.ic_outcomes) == [o.id for o in role.icmap.outcomes]


def test_same_bytes_across_processes(content: Content, guide: Callable[..., bytes]) -> None:
    """A guide built in a fresh process is byte-identical to one built here (no timestamps
    hide in embedded fonts)."""
    import subprocess
    import sys

    code = ("import sys; from guidepdf.content import load_content; "
            "from guidepdf.layout import build_guide, GuideOptions; c = load_content(); "
            "sys.stdout.buffer.write(build_guide(c, c.role('coach'), GuideOptions()))")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    assert other.stdout == guide("coach")


def test_recipient_on_cover_and_prefilled_fields(content: Content) -> None:
    """A guide built for a recipient names them on the cover below the edition and URL
    (no overlap) and, with prefill, carries non-Latin values that read back exactly."""
    import pypdfium2 as pdfium

    from guidepdf.read.reader import read_form

    person = formspec.Recipient("7", "Иван Петров", "ivan@example.org", "Школа № 5")
    pdf = build_guide(content, content.role("coach"),
                      GuideOptions(recipient=person, prefill_name=True))
    form = read_form(pdf)
    assert form.respondent == {"name": "Иван Петров", "email": "ivan@example.org",
                               "group": "Школа № 5", "date": ""}
    doc = pdfium.PdfDocument(pdf)
    try:
        text = doc[0].get_textpage()
        full = text.get_text_range()

        def box(needle: str) -> tuple[float, float, float, float]:
            start = full.index(needle)
            boxes = [text.get_charbox(i) for i in range(start, start + len(needle))]
            return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                    max(b[2] for b in boxes), max(b[3] for b in boxes))

        url, prepared = box(content.brand.url), box("Prepared for Иван Петров")
        assert prepared[3] < url[1], "the recipient line must sit below the URL"
    finally:
        doc.close()
