"""Personalized copies: made from one template per role, naming their recipient on the
cover and in the manifest, optionally prefilled, identical bytes for identical input."""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pypdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from click.testing import CliRunner

from guidepdf import formspec
from guidepdf.cli import main
from guidepdf.content import Content
from guidepdf.distribute import Person, Personalizer, cover_problems, read_roster
from guidepdf.layout import GuideOptions, build_guide
from guidepdf.read.reader import read_form
from tests import guides
from tests.distribute.conftest import PEOPLE, manifest_of, write_roster
from tests.interop.fillers import read_fields

ANN = Person(2, "p1", "Ann Lee", "ann@example.org", "coach", "Lincoln Elementary")
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture(scope="module")
def maker(content: Content) -> Personalizer:
    return Personalizer(content, build=guides.build_cached)


@pytest.fixture(scope="module")
def prefiller(content: Content) -> Personalizer:
    return Personalizer(content, prefill=True, build=guides.build_cached)


def page_text(pdf: bytes, index: int, *, flatten: bool = False) -> str:
    """The text PDFium extracts from a page; with flatten, form appearances included."""
    doc = pdfium.PdfDocument(pdf)
    if flatten:
        page = doc[index]  # keep a reference: the raw handle dies with the object
        assert pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_PRINT) == pdfium_c.FLATTEN_SUCCESS
        page.close()
        buffer = io.BytesIO()
        doc.save(buffer)
        doc = pdfium.PdfDocument(buffer.getvalue())
    return str(doc[index].get_textpage().get_text_range())


def render(pdf: bytes, index: int) -> bytes:
    """The page's pixels as PDFium draws it with its form fields (RGB bytes)."""
    doc = pdfium.PdfDocument(pdf)
    doc.init_forms()
    return bytes(doc[index].render(scale=1, may_draw_forms=True).to_pil().tobytes())


def respondent_page(pdf: bytes, role: str) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages):
            if any(str(a.get("/T", "")) == formspec.respondent_field(role, "name")
                   for a in page.get("/Annots", [])):
                return number
    raise AssertionError("no respondent fields")


def test_each_role_template_is_built_once(content: Content) -> None:
    """Copies for many people reuse one layout run per role."""
    calls: list[str] = []

    def counting_build(content: Content, role, options):  # type: ignore[no-untyped-def]
        calls.append(role.id)
        return build_guide(content, role, options)

    maker = Personalizer(content, build=counting_build)
    for n in range(6):
        maker.copy(Person(n, f"id{n}", f"Person {n}", f"p{n}@x.org",
                          ("coach", "teacher")[n % 2]))
    assert sorted(calls) == ["coach", "teacher"]


def test_manifest_names_the_recipient_in_field_and_info(maker: Personalizer,
                                                        content: Content) -> None:
    """The hidden field (/V and /DV) and the document info carry the recipient."""
    pdf = maker.copy(ANN)
    field_manifest, info_manifest = manifest_of(pdf)
    expected = formspec.manifest_for(content, content.role("coach"), ANN.recipient())
    assert field_manifest == info_manifest == expected
    assert field_manifest.recipient == formspec.Recipient("p1", "Ann Lee", "ann@example.org",
                                                          "Lincoln Elementary")
    fields = read_fields(pdf)  # independent reader (pypdf)
    assert formspec.Manifest.from_json(fields[formspec.MANIFEST_FIELD].value or "") == expected


def test_template_manifest_leaves_no_trace(maker: Personalizer) -> None:
    """Nothing in the copy, once decompressed, still says the guide has no recipient."""
    with pikepdf.open(io.BytesIO(maker.copy(ANN))) as doc:
        out = io.BytesIO()
        doc.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.all,
                 object_stream_mode=pikepdf.ObjectStreamMode.disable)
    raw = out.getvalue()
    assert b'"recipient":null' not in raw
    assert raw.count(b'"name":"Ann Lee"') == 3  # /V, /DV and the document information


def test_cover_is_the_same_as_a_full_personalized_build(maker: Personalizer,
                                                        content: Content) -> None:
    """The overlaid cover renders pixel for pixel like build_guide(recipient=...)."""
    copy = maker.copy(ANN)
    naive = build_guide(content, content.role("coach"),
                        GuideOptions(mode="fillable", recipient=ANN.recipient()))
    assert render(copy, 0) == render(naive, 0)
    text = page_text(copy, 0)
    assert "Prepared for Ann Lee" in text and "Lincoln Elementary" in text
    assert len(pdfium.PdfDocument(copy)) == len(pdfium.PdfDocument(naive))


def test_recipient_lines_are_tagged_in_reading_order(maker: Personalizer) -> None:
    """The overlaid lines are a P element of the structure tree with the next MCID of the
    cover, placed before the cover's last element (the attribution), as layout orders it."""
    template = maker.template("coach").pdf
    with pikepdf.open(io.BytesIO(template)) as doc:
        before = [(str(e.S), int(e.K)) for e in
                  pikepdf.NumberTree(doc.Root.StructTreeRoot.ParentTree)[0]]
    with pikepdf.open(io.BytesIO(maker.copy(ANN))) as doc:
        owners = pikepdf.NumberTree(doc.Root.StructTreeRoot.ParentTree)[0]
        added = owners[len(owners) - 1]
        assert [(str(e.S), int(e.K)) for e in owners] == [*before, ("/P", len(before))]
        assert added.Pg.objgen == doc.pages[0].objgen
        siblings = [k.objgen for k in added.P.K]
        last_before = owners[len(before) - 1].objgen
        assert siblings.index(added.objgen) + 1 == siblings.index(last_before)
        content = b"".join(c.read_bytes() for c in doc.pages[0].obj.Contents)
        assert f"/P <</MCID {len(before)}>> BDC".encode() in content


def test_every_font_in_a_copy_is_embedded(prefiller: Personalizer) -> None:
    """Overlay and prefilled appearances add only embedded fonts (no stray Helvetica)."""
    with pikepdf.open(io.BytesIO(prefiller.copy(ANN))) as doc:
        fonts = [obj for obj in doc.objects
                 if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
                 and obj.get("/Subtype") != "/Type0"]
        assert fonts
        for font in fonts:
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None, f"{font.get('/BaseFont')} is not embedded"
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys())


def test_long_names_are_shortened_to_fit_the_cover(maker: Personalizer) -> None:
    """A 200-character name ends in an ellipsis on the cover, within the page."""
    person = Person(2, "p9", "Maximiliana " * 16 + "X", "m@x.org", "coach", "G" * 150)
    doc = pdfium.PdfDocument(maker.copy(person))
    textpage = doc[0].get_textpage()
    text = str(textpage.get_text_range())
    assert "Prepared for Maximiliana" in text and "…" in text
    width = doc[0].get_width()
    for index in range(textpage.count_rects()):
        left, _, right, _ = textpage.get_rect(index)
        assert left >= 0 and right <= width


def test_prefilled_fields_have_values_and_visible_appearances(prefiller: Personalizer,
                                                              content: Content) -> None:
    """With prefill, name, email and group are the field values and PDFium draws them."""
    pdf = prefiller.copy(ANN)
    values = {k: v.value for k, v in read_fields(pdf).items()}
    assert values[formspec.respondent_field("coach", "name")] == "Ann Lee"
    assert values[formspec.respondent_field("coach", "email")] == "ann@example.org"
    assert values[formspec.respondent_field("coach", "group")] == "Lincoln Elementary"
    assert values[formspec.respondent_field("coach", "date")] == ""
    index = respondent_page(pdf, "coach")
    blank = Personalizer(content).copy(ANN)
    assert render(pdf, index) != render(blank, index)
    flat = page_text(pdf, index, flatten=True)
    assert "Ann Lee" in flat and "ann@example.org" in flat and "Lincoln Elementary" in flat


@pytest.mark.parametrize("name", ["Дмитрий Иванов", "Ελένη Παπαδοπούλου", "דנה לוי",
                                  "Ali 😀 Veli", "محمد"])
def test_non_latin_prefill_does_not_crash(prefiller: Personalizer, name: str) -> None:
    """Any script gives a copy whose field value and manifest keep the name exactly."""
    person = Person(2, "p7", name, "p7@x.org", "teacher", "")
    pdf = prefiller.copy(person)
    assert read_fields(pdf)[formspec.respondent_field("teacher", "name")].value == name
    assert manifest_of(pdf)[0].recipient.name == name  # type: ignore[union-attr]
    if name.startswith(("Д", "Ε")):  # scripts the brand font has: drawn as real text
        flat = page_text(pdf, respondent_page(pdf, "teacher"), flatten=True)
        assert name in flat


def test_copies_are_deterministic_across_processes(content: Content) -> None:
    """The same person gives the same bytes here and, a second later (timestamps would
    show) with another hash seed (set order would show), in a fresh interpreter."""
    maker = Personalizer(content)
    here = hashlib.sha256(maker.copy(ANN)).hexdigest()
    assert hashlib.sha256(maker.copy(ANN)).hexdigest() == here
    time.sleep(1.1)
    code = ("import hashlib; from guidepdf import load_content; "
            "from guidepdf.distribute import Personalizer, Person; "
            "p = Person(2, 'p1', 'Ann Lee', 'ann@example.org', 'coach', 'Lincoln Elementary'); "
            "print(hashlib.sha256(Personalizer(load_content()).copy(p)).hexdigest())")
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONHASHSEED": "12345"}
    there = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True).stdout.strip()
    assert there == here


ZOE = Person(3, "p3", "Zoë Ångström", "zoe@example.org", "principal", "Ridge Middle")


def test_a_copy_is_the_base_and_one_incremental_update(maker: Personalizer) -> None:
    """A copy starts with its role's base byte for byte, and adds one update section whose
    cross-reference stream points back (/Prev) at the base's."""
    template = maker.template("coach")
    pdf = maker.copy(ANN)
    assert pdf.startswith(template.base)
    update = pdf[len(template.base):]
    assert update.count(b"startxref") == 1 and update.endswith(b"%%EOF\n")
    assert re.search(rb"/Prev %d\b" % template.trailer.startxref, update)
    assert b"recipient" not in template.base  # the base holds no manifest to go stale


@pytest.mark.parametrize("person", [ANN, ZOE], ids=["latin", "accents"])
@pytest.mark.parametrize("prefill", [False, True], ids=["blank", "prefilled"])
def test_copies_open_cleanly_everywhere(content: Content, person: Person,
                                        prefill: bool) -> None:
    """qpdf finds no problem, pypdf reads it strictly and without warnings, PDFium draws
    every page, and read_form reads the recipient back from the manifest."""
    pdf = Personalizer(content, prefill=prefill).copy(person)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert doc.check_pdf_syntax() == []
        pages = len(doc.pages)
    reader = pypdf.PdfReader(io.BytesIO(pdf), strict=True)
    assert len(reader.pages) == pages
    field = reader.get_fields()[formspec.MANIFEST_FIELD]  # type: ignore[index]
    assert formspec.Manifest.from_json(str(field.get("/V"))).recipient == person.recipient()
    assert "Prepared for" in reader.pages[0].extract_text()
    doc = pdfium.PdfDocument(pdf)
    assert len(doc) == pages
    assert f"Prepared for {person.name}" in page_text(pdf, 0)
    form = read_form(pdf, content=content)
    assert form.role == person.role
    assert form.manifest is not None and form.manifest.recipient == person.recipient()


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="the qpdf command is not installed")
def test_qpdf_command_checks_a_copy(prefiller: Personalizer, tmp_path: Path) -> None:
    """`qpdf --check` (the command, a qpdf build of its own) passes a prefilled copy."""
    path = tmp_path / "copy.pdf"
    path.write_bytes(prefiller.copy(ZOE))
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_copies_do_not_depend_on_earlier_copies(content: Content) -> None:
    """A copy made after copies for other people (and other roles) has the same bytes as
    one made first, as worker processes sharing out a roster need."""
    first = Personalizer(content, prefill=True).copy(ANN)
    maker = Personalizer(content, prefill=True)
    for person in (ZOE, Person(4, "p4", "Bo", "bo@x.org", "coach", "G " * 40)):
        maker.copy(person)
    assert maker.copy(ANN) == first


def test_cover_problems_warn_about_what_the_font_cannot_show(tmp_path: Path,
                                                             content: Content) -> None:
    """Characters no font draws (emoji) and over-long names give warnings, not errors;
    Greek, Arabic and Hebrew names draw and give none."""
    path = write_roster(tmp_path / "r.csv", [
        ("1", "Ali 😀", "a@x.org", "coach", ""), ("2", "Ελένη", "e@x.org", "coach", ""),
        ("3", "W" * 120, "w@x.org", "coach", ""), ("4", "Ann", "n@x.org", "coach", ""),
        ("5", "محمد علي", "m@x.org", "coach", "שרה כהן")])
    roster = read_roster(path, content.roles)
    problems = cover_problems(content, roster)
    assert all(p.severity == "warning" for p in problems)
    assert [(p.line, p.problem.split(":")[0]) for p in problems] == [
        (2, "name has characters no font can draw"),
        (4, "name is too long for the cover line"),
    ]


def test_personalize_command_writes_one_safe_file_per_person(tmp_path: Path) -> None:
    """`guidepdf personalize` writes exactly the predictable files and a summary line."""
    roster = write_roster(tmp_path / "roster.csv", PEOPLE)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["personalize", "--roster", str(roster), "--out",
                                       str(out), "--prefill"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "coach-ann-lee-p1.pdf", "coach-dmitri-ivanov-p4.pdf", "principal-zoe-angstrom-p3.pdf",
        "teacher-ana-garcia-p5.pdf", "teacher-bo-chen-p2.pdf"]
    assert result.stdout.strip().splitlines()[-1] == f"Wrote 5 personalized PDF(s) to {out}/"
    recipient = manifest_of((out / "principal-zoe-angstrom-p3.pdf").read_bytes())[0].recipient
    assert recipient == formspec.Recipient("p3", "Zoë Ångström", "zoe@example.org",
                                           "Ridge Middle")


def test_personalize_command_refuses_a_bad_roster(tmp_path: Path) -> None:
    """A roster with errors stops the command before any file is written (exit 2)."""
    roster = write_roster(tmp_path / "roster.csv", [*PEOPLE, ("p9", "X", "bad", "coach", "")])
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["personalize", "--roster", str(roster), "--out",
                                       str(out)])
    assert result.exit_code == 2
    assert "roster.csv:7: email 'bad' has no '@'" in result.output
    assert not out.exists()


def test_copy_filled_by_pdfium_reads_back_with_its_recipient(maker: Personalizer,
                                                             content: Content,
                                                             tmp_path: Path) -> None:
    """A personalized copy filled by PDFium and read back with `guidepdf read` (and with
    read_form) names the right recipient and keeps the answer. (Skipped only while
    guidepdf.read.reader is absent.)"""
    try:
        reader = importlib.import_module("guidepdf.read.reader")
    except ImportError:
        pytest.skip("guidepdf.read.reader is not written yet")
    from tests.interop.fillers import fill_pdfium

    person = Person(3, "p3", "Zoë Ångström", "zoe@example.org", "principal", "Ridge Middle")
    question = content.role("principal").questions[0].id
    filled = fill_pdfium(maker.copy(person), {
        formspec.answer_field("principal", question, "reflections"): "Más tiempo juntos.",
    })
    form = reader.read_form(filled, content=content)
    assert form.role == "principal"
    assert form.manifest is not None
    assert form.manifest.recipient == person.recipient()
    assert form.answers[question]["reflections"] == "Más tiempo juntos."
    returned = tmp_path / "returned" / "principal-zoe-angstrom-p3.pdf"
    returned.parent.mkdir()
    returned.write_bytes(filled)
    result = CliRunner().invoke(main, ["read", str(returned), "--format", "json", "--out",
                                       str(tmp_path / "plans")])
    assert result.exit_code == 0, result.output
    (plan_file,) = (tmp_path / "plans").iterdir()
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    assert plan["recipient"] == {"id": "p3", "name": "Zoë Ångström",
                                 "email": "zoe@example.org", "group": "Ridge Middle"}


def test_a_prefilled_value_too_long_for_its_box_is_drawn_whole(prefiller: Personalizer) -> None:
    """A group wider than its field is drawn whole and clipped by the box, never cut with
    '…' (Firefox takes a drawn '…' text for the value when the field is edited)."""
    group = "Lakeshore Elementary School of the Arts and Sciences, North Campus, Building 4"
    person = Person(2, "p8", "Ann Lee", "ann@example.org", "coach", group)
    pdf = prefiller.copy(person)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        widget = next(f for f in doc.Root.AcroForm.Fields
                      if str(f.get("/T", "")) == formspec.respondent_field("coach", "group"))
        width = float(widget.Rect[2]) - float(widget.Rect[0])
        stream = widget.AP.N.read_bytes()
    assert b" W n" in stream or b"W\nn" in stream or b" W* n" in stream  # a clipping path
    flat = page_text(pdf, respondent_page(pdf, "coach"), flatten=True)
    assert group in flat.replace("\r\n", " ").replace("\n", " ")
    assert "…" not in flat.split("Prepared for", 1)[-1].split(group)[0]
    from reportlab.pdfbase import pdfmetrics

    assert pdfmetrics.stringWidth(group, prefiller.theme.fonts.regular, 10.5) > width
