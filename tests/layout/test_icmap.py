"""IC map pages: landscape tables of outcomes × levels, one radio group and a notes field per
outcome (fillable) or tick boxes and a notes line (print), in the guide and on their own."""

from __future__ import annotations

import io
from functools import cache

import pikepdf
import pypdf
import pypdfium2 as pdfium
import pytest
from PIL import ImageChops

from guidepdf import formspec
from guidepdf.content import Content, load_content
from guidepdf.content.model import ICMap
from guidepdf.layout import GuideOptions, build_guide
from guidepdf.layout.icmap import CHOICE_SIZE
from tests import guides
from tests.layout.pdfcheck import objects_outside_page, page_texts, widgets

IC_ROLES = ["coach", "system-central-office", "principal", "external-partner"]
MODES = ["fillable", "print"]
LANDSCAPE = {"letter": (792, 612), "a4": (842, 595)}
RADIO = 1 << 15
NO_TOGGLE_TO_OFF = 1 << 14
PUSHBUTTON = 1 << 16


@cache
def _content() -> Content:
    return load_content()


@cache
def icmap_pdf(role_id: str, mode: str = "fillable", paper: str = "letter",
              part: str = "icmap") -> bytes:
    return guides.built(role_id, mode, paper, part)


def squash(text: str) -> str:
    return " ".join(text.split())


def page_sizes(pdf: bytes) -> list[tuple[int, int]]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in reader.pages]


def radio_groups(doc: pikepdf.Pdf) -> dict[str, pikepdf.Dictionary]:
    """Top-level /Btn fields by name."""
    return {str(f.T): f for f in doc.Root.AcroForm.Fields if f.get("/FT") == "/Btn"}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("role_id", IC_ROLES)
def test_icmap_part_builds_landscape_pages(role_id: str, mode: str) -> None:
    """`part="icmap"` gives only landscape pages, nothing drawn outside them, in both modes."""
    pdf = icmap_pdf(role_id, mode)
    sizes = page_sizes(pdf)
    assert len(sizes) >= 3
    assert set(sizes) == {LANDSCAPE["letter"]}
    assert objects_outside_page(pdf) == []


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_full_guide_turns_to_landscape_for_the_map_and_back(content: Content,
                                                           paper: str) -> None:
    """In the whole guide the IC map pages are landscape, between the reflection table and a
    portrait back page, and every outcome is on them."""
    pdf = icmap_pdf("principal", "fillable", paper, "all")
    sizes = page_sizes(pdf)
    texts = [squash(t) for t in page_texts(pdf)]
    wide = [i for i, s in enumerate(sizes) if s == LANDSCAPE[paper]]
    portrait = (LANDSCAPE[paper][1], LANDSCAPE[paper][0])
    assert wide == list(range(wide[0], wide[-1] + 1)), "one landscape run"
    assert set(sizes) == {portrait, LANDSCAPE[paper]}
    reflection = max(i for i, t in enumerate(texts) if "FIRST STEPS" in t)
    assert reflection == wide[0] - 1
    assert "More guides in this series" in texts[wide[-1] + 1]
    assert sizes[-1] == portrait
    icmap = content.role("principal").icmap
    assert icmap is not None
    assert icmap.title in texts[wide[0]]
    on_wide = " ".join(texts[i] for i in wide)
    for outcome in icmap.outcomes:
        assert squash(outcome.outcome) in on_wide
    assert objects_outside_page(pdf) == []


def test_roles_without_a_map_have_no_landscape_pages() -> None:
    """A role with no IC map keeps an all-portrait guide and refuses `part="icmap"`."""
    assert set(page_sizes(icmap_pdf("teacher", "fillable", "letter", "all"))) == {(612, 792)}
    with pytest.raises(ValueError, match="no IC map"):
        icmap_pdf("teacher")


@pytest.mark.parametrize("part", ["icmap", "all"])
@pytest.mark.parametrize("role_id", IC_ROLES)
def test_one_radio_group_per_outcome(content: Content, role_id: str, part: str) -> None:
    """Each outcome is one radio field (no toggling off, not required) with one kid per level
    plus "not assessed", export values L1..Ln and NA, nothing chosen, a tooltip per option."""
    icmap = content.role(role_id).icmap
    assert icmap is not None
    with pikepdf.open(io.BytesIO(icmap_pdf(role_id, "fillable", "letter", part))) as doc:
        _check_groups(role_id, icmap, radio_groups(doc))


def _check_groups(role_id: str, icmap: ICMap, groups: dict[str, pikepdf.Dictionary]) -> None:
    assert sorted(groups) == sorted(formspec.ic_field(role_id, o.id) for o in icmap.outcomes)
    values = [formspec.ic_level_value(i) for i in range(len(icmap.levels))]
    for outcome in icmap.outcomes:
        group = groups[formspec.ic_field(role_id, outcome.id)]
        flags = int(group.Ff)
        assert flags & RADIO and flags & NO_TOGGLE_TO_OFF and not flags & PUSHBUTTON
        assert not flags & 2, "not required: a row may be left unanswered"
        assert group.get("/V", pikepdf.Name.Off) == pikepdf.Name.Off
        assert str(group.TU) == outcome.outcome
        kids = list(group.Kids)
        assert len(kids) == len(icmap.levels) + 1
        states = [[str(k)[1:] for k in kid.AP.N if k != "/Off"] for kid in kids]
        assert states == [[v] for v in [*values, formspec.IC_NOT_ASSESSED]]
        assert all(str(kid.AS) == "/Off" and "/T" not in kid for kid in kids)
        labels = [*icmap.levels, "not assessed"]
        assert [str(kid.TU) for kid in kids] == [f"{outcome.outcome}: {x}" for x in labels]
        for kid in kids:
            llx, lly, urx, ury = (float(v) for v in kid.Rect)
            assert (round(urx - llx, 2), round(ury - lly, 2)) == (CHOICE_SIZE, CHOICE_SIZE)


@pytest.mark.parametrize("role_id", IC_ROLES)
def test_notes_fields_and_tab_order(content: Content, role_id: str) -> None:
    """Each outcome has a one-line notes field without MaxLen; on the page, an outcome's
    options come in level order, then "not assessed", then its notes."""
    icmap = content.role(role_id).icmap
    assert icmap is not None
    found = widgets(icmap_pdf(role_id))
    notes = {w.name: w for w in found if w.name.endswith("__notes")}
    assert sorted(notes) == sorted(formspec.ic_notes_field(role_id, o.id)
                                   for o in icmap.outcomes)
    for outcome in icmap.outcomes:
        widget = notes[formspec.ic_notes_field(role_id, outcome.id)]
        assert widget.max_len is None
        assert not widget.flags & (1 << 12), "one line"
        assert outcome.outcome in widget.tooltip
    expected: list[str] = [formspec.respondent_field(role_id, k)
                           for k in formspec.RESPONDENT_KEYS]
    for outcome in icmap.outcomes:
        expected += [formspec.ic_field(role_id, outcome.id)] * (len(icmap.levels) + 1)
        expected.append(formspec.ic_notes_field(role_id, outcome.id))
    assert [w.name for w in found if w.name != formspec.MANIFEST_FIELD] == expected


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("role_id", IC_ROLES)
def test_each_outcome_is_on_the_page_of_its_choices(content: Content, role_id: str, mode: str,
                                                    paper: str) -> None:
    """PDFium finds each outcome, its level descriptions, its standard and category and the
    header row on the page that holds its radios (fillable) — every row is whole on one page."""
    icmap = content.role(role_id).icmap
    assert icmap is not None
    fillable_pdf = icmap_pdf(role_id, "fillable", paper)
    pages = {w.name: w.page for w in widgets(fillable_pdf)}
    texts = [squash(t) for t in page_texts(icmap_pdf(role_id, mode, paper))]
    assert len(texts) == len(page_texts(fillable_pdf)), "both modes paginate alike"
    fw = content.framework
    for block in icmap.blocks:
        standard = fw.standard(block.standard)
        for outcome in block.outcomes:
            number = pages[formspec.ic_field(role_id, outcome.id)]
            assert pages[formspec.ic_notes_field(role_id, outcome.id)] == number
            text = texts[number - 1]
            assert squash(outcome.outcome) in text, (outcome.id, number)
            for cell in outcome.levels:
                if cell:
                    assert squash(cell) in text, (outcome.id, cell)
            assert standard.name in text and fw.category(standard.category).name in text
            assert all(label in text for label in icmap.levels)
            assert "Outcome" in text and "Not assessed" in text


def test_a_block_split_across_pages_repeats_heading_and_header(content: Content) -> None:
    """Where a standard's rows run onto the next page, that page starts with the standard's
    name and the header row again."""
    split = 0
    for role_id in IC_ROLES:
        icmap = content.role(role_id).icmap
        assert icmap is not None
        pages = {w.name: w.page for w in widgets(icmap_pdf(role_id))}
        texts = [squash(t) for t in page_texts(icmap_pdf(role_id))]
        for block in icmap.blocks:
            on = sorted({pages[formspec.ic_field(role_id, o.id)] for o in block.outcomes})
            if len(on) < 2:
                continue
            split += 1
            name = content.framework.standard(block.standard).name
            for number in on[1:]:
                assert texts[number - 1].find(name) < texts[number - 1].find("Outcome")
                assert f"Outcome {icmap.levels[0]}" in texts[number - 1]
    assert split >= 1, "the sample maps split at least one block across pages"


@pytest.mark.parametrize("role_id", IC_ROLES)
def test_print_mode_has_tick_boxes_and_no_fields(content: Content, role_id: str) -> None:
    """Print mode has no form, and one drawn tick box per level and outcome plus one for
    "not assessed"."""
    icmap = content.role(role_id).icmap
    assert icmap is not None
    pdf = icmap_pdf(role_id, "print")
    assert widgets(pdf) == []
    assert "/AcroForm" not in pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    doc = pdfium.PdfDocument(pdf)
    boxes = 0
    try:
        for page in doc:
            for obj in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_PATH]):
                left, bottom, right, top = obj.get_bounds()
                if abs(right - left - CHOICE_SIZE) < 1 and abs(top - bottom - CHOICE_SIZE) < 1:
                    boxes += 1
            page.close()
    finally:
        doc.close()
    assert boxes == len(icmap.outcomes) * (len(icmap.levels) + 1)


def _render(pdf: bytes, index: int, scale: float):  # type: ignore[no-untyped-def]
    """A page rendered by PDFium with its form widgets drawn."""
    doc = pdfium.PdfDocument(pdf)
    try:
        doc.init_forms()
        page = doc[index]
        image = page.render(scale=scale, may_draw_forms=True).to_pil().convert("RGB")
        page.close()
        return image
    finally:
        doc.close()


def test_radios_render_as_full_size_circles() -> None:
    """Every radio's appearance fills its 11-point square: ink reaches all four sides (not a
    small circle in a corner) and the centre stays white (an empty ring)."""
    pdf = icmap_pdf("coach")
    scale = 4
    doc = pypdf.PdfReader(io.BytesIO(pdf))
    for index in (0, 1):
        image = _render(pdf, index, scale)
        height = float(doc.pages[index].mediabox.height)
        for ref in doc.pages[index]["/Annots"]:
            annot = ref.get_object()
            if annot.get("/FT") != "/Btn" and annot.get("/Parent", {}).get("/FT") != "/Btn":
                continue
            llx, lly, urx, ury = (float(v) for v in annot["/Rect"])
            box = (round(llx * scale), round((height - ury) * scale),
                   round(urx * scale), round((height - lly) * scale))
            crop = image.crop(box).convert("L")
            ink = crop.point(lambda v: 255 if v < 160 else 0).getbbox()
            assert ink is not None
            w, h = crop.size
            assert ink[0] <= 0.15 * w and ink[2] >= 0.85 * w, (box, ink)
            assert ink[1] <= 0.15 * h and ink[3] >= 0.85 * h, (box, ink)
            assert crop.getpixel((w // 2, h // 2)) > 200


@pytest.mark.parametrize("mode", MODES)
def test_icmap_pages_render_with_ink_and_header_band(mode: str) -> None:
    """Every IC page renders with text and with the header row's primary-colour band."""
    pdf = icmap_pdf("external-partner", mode, "a4")
    for index in range(len(page_sizes(pdf))):
        image = _render(pdf, index, 0.5)
        grey = image.convert("L")
        assert sum(grey.histogram()[:200]) > 2000, f"page {index + 1} looks blank"
        red, green, blue = image.split()
        bluish = ImageChops.subtract(blue, red).point(lambda v: 255 if v > 40 else 0)
        dark = ImageChops.lighter(red, green).point(lambda v: 255 if v < 110 else 0)
        dark_blue = ImageChops.multiply(bluish, dark).histogram()[255]
        assert dark_blue > 2000, f"page {index + 1} has no header band"


def test_icmap_part_manifest_and_bytes(content: Content) -> None:
    """The IC-map-only form carries a manifest with the outcomes and no questions, is titled
    after the map, and builds to the same bytes twice."""
    role = content.role("coach")
    assert role.icmap is not None
    pdf = icmap_pdf("coach")
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        manifest = formspec.Manifest.from_json(str(doc.docinfo[formspec.MANIFEST_INFO_KEY]))
        assert str(doc.docinfo.Title) == role.icmap.title
    assert manifest.questions == {}
    # (the manifest's JSON sorts keys, so its outcome order is not the map's)
    assert manifest.ic_outcomes == {o.id: o.outcome for o in role.icmap.outcomes}
    assert manifest.ic_levels == role.icmap.levels
    assert pdf == build_guide(content, role, GuideOptions(part="icmap"))
    assert icmap_pdf("coach", "print") == build_guide(content, role,
                                                      GuideOptions(mode="print", part="icmap"))
