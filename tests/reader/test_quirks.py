"""The reader copes with every way viewers store form data, each quirk with its own test."""

from __future__ import annotations

import io
from collections.abc import Callable

import pikepdf
import pytest
from pypdf import PdfReader, PdfWriter

from guidepdf import formspec
from guidepdf.content import Content
from guidepdf.read.reader import read_form
from tests.reader.forms import add_radio, edit, field, set_raw, toy_form

DIG = formspec.answer_field("gardener", "dig", "reflections")
DIG_STEPS = formspec.answer_field("gardener", "dig", "first_steps")


@pytest.fixture(scope="module")
def blank(toy_content: Content) -> bytes:
    return toy_form(toy_content)


def test_blank_form_reads_empty_answers(blank: bytes) -> None:
    """A blank guide reads as the role with every answer present and empty, no warnings."""
    form = read_form(blank)
    assert form.role == "gardener"
    assert form.answers == {"dig": {"reflections": "", "first_steps": ""},
                            "water": {"reflections": "", "first_steps": ""}}
    assert form.warnings == []
    assert form.manifest is not None and form.manifest.questions["dig"] == \
        "Where will you dig first?"


@pytest.mark.parametrize(("raw", "expected"), [
    (pikepdf.String(b"Caf\xe9 \x84 na\xefve"), "Café — naïve"),  # PDFDocEncoding
    (pikepdf.String(b"\xfe\xff" + "Ελλάδα 日本 😀".encode("utf-16-be")), "Ελλάδα 日本 😀"),
    (pikepdf.String("Привет".encode("utf-16-be")), "Привет"),  # UTF-16BE without BOM
    (pikepdf.String(b"\xff\xfe" + "مرحبا".encode("utf-16-le")), "مرحبا"),  # UTF-16LE BOM
    (pikepdf.String(b"\xef\xbb\xbf" + "José Nguyễn".encode()), "José Nguyễn"),  # UTF-8 BOM
    (pikepdf.String(b"one\rtwo\r\n\r\nthree\n"), "one\ntwo\n\nthree\n"),  # mixed line breaks
], ids=["pdfdoc", "utf16be-bom", "utf16be-nobom", "utf16le-bom", "utf8-bom", "newlines"])
def test_string_encodings(blank: bytes, raw: pikepdf.String, expected: str) -> None:
    """Text strings decode from every encoding viewers write; line breaks become \\n and blank
    lines stay."""
    form = read_form(edit(blank, set_raw(DIG, raw)))
    assert form.answers["dig"]["reflections"] == expected


def test_value_stored_as_stream(blank: bytes) -> None:
    """A value written as a stream (some tools do for long text) is read, with a warning."""
    def change(doc: pikepdf.Pdf) -> None:
        field(doc, DIG).V = doc.make_stream("long\r\nanswer ✓".encode("utf-16-be"))
    # a stream holding UTF-16 without BOM, as seen from some form servers
    form = read_form(edit(blank, change))
    assert form.answers["dig"]["reflections"] == "long\nanswer ✓"


def test_value_only_on_widget_kid(blank: bytes) -> None:
    """A value stored on the widget in /Kids instead of the parent field is found."""
    def change(doc: pikepdf.Pdf) -> None:
        parent = field(doc, DIG)
        widget = doc.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, Rect=[0, 0, 10, 10],
            Parent=parent, V=pikepdf.String("on the kid")))
        for page in doc.pages:
            annots = page.obj.get("/Annots", [])
            if any(a.objgen == parent.objgen for a in annots):
                page.obj.Annots = pikepdf.Array(
                    [widget if a.objgen == parent.objgen else a for a in annots])
        for key in ("/Subtype", "/Rect", "/AP", "/V"):
            if key in parent:
                del parent[key]
        parent.Kids = pikepdf.Array([widget])
    form = read_form(edit(blank, change))
    assert form.answers["dig"]["reflections"] == "on the kid"


def test_preview_detached_radio_widget(blank: bytes) -> None:
    """macOS Preview's detached radio widget (own /T and /V, parent never updated) is read;
    pypdf's get_fields() misses it."""
    name = formspec.ic_field("gardener", "c1")
    pdf = edit(blank, lambda d: add_radio(d, name, ["L1", "L2", "L3", "NA"], detached="L2"))
    assert read_form(pdf).ic == {"c1": "L2"}
    pypdf_value = (PdfReader(io.BytesIO(pdf)).get_fields() or {}).get(name, {}).get("/V")
    assert pypdf_value in (None, "/Off")


def test_radio_without_value_is_unset(blank: bytes) -> None:
    """A radio group with no /V and every widget Off reads as None (unanswered)."""
    name = formspec.ic_field("gardener", "c1")
    pdf = edit(blank, lambda d: add_radio(d, name, ["L1", "L2", "NA"]))
    assert read_form(pdf).ic == {"c1": None}


def test_radio_chosen_by_appearance_state_only(blank: bytes) -> None:
    """A viewer that set only the kid's /AS (no parent /V) still yields the choice."""
    name = formspec.ic_field("gardener", "c1")

    def change(doc: pikepdf.Pdf) -> None:
        add_radio(doc, name, ["L1", "L2", "NA"], selected="NA")
        del field(doc, name)["/V"]
    assert read_form(edit(blank, change)).ic == {"c1": "NA"}


def test_checkbox_on_state_other_than_yes(blank: bytes) -> None:
    """A button whose on-state is not /Yes (here /On) is read by its state name."""
    name = formspec.ic_field("gardener", "c2")
    assert read_form(edit(blank, lambda d: add_radio(d, name, ["On"], selected="On"))).ic == \
        {"c2": "On"}


def test_hierarchical_names_and_viewer_prefix(blank: bytes) -> None:
    """Fields moved under a viewer's parent (form1.page1.<ours>) are matched by their last part,
    with a warning."""
    def change(doc: pikepdf.Pdf) -> None:
        fields = doc.Root.AcroForm.Fields
        page = doc.make_indirect(pikepdf.Dictionary(T=pikepdf.String("page1[0]"),
                                                    Kids=pikepdf.Array()))
        top = doc.make_indirect(pikepdf.Dictionary(T=pikepdf.String("form1"),
                                                   Kids=pikepdf.Array([page])))
        page.Parent = top
        for f in list(fields):
            f.T = pikepdf.String(f"{f.T}[0]")
            f.Parent = page
            page.Kids.append(f)
        doc.Root.AcroForm.Fields = pikepdf.Array([top])
        field_obj = next(k for k in page.Kids if str(k.T) == f"{DIG}[0]")
        field_obj.V = pikepdf.String("prefixed")
    form = read_form(edit(blank, change))
    assert form.answers["dig"]["reflections"] == "prefixed"
    assert any("prefix added by another program" in str(w) for w in form.warnings)


def test_incremental_update_newest_wins(blank: bytes) -> None:
    """In a file saved with incremental updates (as pdf.js saves), the newest value wins."""
    first = PdfWriter(clone_from=io.BytesIO(blank))
    first.update_page_form_field_values(None, {DIG: "first draft"}, auto_regenerate=False)
    buf = io.BytesIO()
    first.write(buf)
    second = PdfWriter(io.BytesIO(buf.getvalue()), incremental=True)
    second.update_page_form_field_values(None, {DIG: "final answer"}, auto_regenerate=False)
    out = io.BytesIO()
    second.write(out)
    data = out.getvalue()
    assert data.count(b"%%EOF") >= 2
    assert read_form(data).answers["dig"]["reflections"] == "final answer"


def test_need_appearances_without_appearance_streams(blank: bytes) -> None:
    """Values with NeedAppearances and no /AP at all read the same."""
    def change(doc: pikepdf.Pdf) -> None:
        doc.Root.AcroForm.NeedAppearances = True
        for f in doc.Root.AcroForm.Fields:
            if "/AP" in f:
                del f["/AP"]
        field(doc, DIG_STEPS).V = pikepdf.String("no appearance")
    assert read_form(edit(blank, change)).answers["dig"]["first_steps"] == "no appearance"


def test_xfa_part_is_reported(blank: bytes) -> None:
    """A file that also carries XFA is read from its AcroForm fields, with a warning."""
    def change(doc: pikepdf.Pdf) -> None:
        doc.Root.AcroForm.XFA = doc.make_stream(b"<xdp:xdp/>")
        field(doc, DIG).V = pikepdf.String("acro value")
    form = read_form(edit(blank, change))
    assert form.answers["dig"]["reflections"] == "acro value"
    assert "the file has an XFA form part; answers were read from its AcroForm fields" in \
        [str(w) for w in form.warnings]


def test_aes_with_empty_user_password(blank: bytes) -> None:
    """An AES-256 file with an empty user password is decrypted and read."""
    filled = edit(blank, set_raw(DIG, pikepdf.String("secret-ish")))
    enc = edit(filled, lambda d: None,
               encryption=pikepdf.Encryption(user="", owner="owner-pw", R=6))
    assert b"/Encrypt" in enc
    form = read_form(enc)
    assert form.answers["dig"]["reflections"] == "secret-ish"
    assert "the file was encrypted (empty password); read anyway" in [str(w) for w in form.warnings]


def test_repairable_damage_is_read_with_warning(blank: bytes) -> None:
    """A file missing its last 60 bytes is repaired by qpdf, read, and flagged."""
    filled = edit(blank, set_raw(DIG, pikepdf.String("survives")),
                  object_stream_mode=pikepdf.ObjectStreamMode.disable)
    form = read_form(filled[:-60])
    assert form.answers["dig"]["reflections"] == "survives"
    assert "the file was damaged and repaired by qpdf; check its answers" in \
        [str(w) for w in form.warnings]


def test_manifest_missing_falls_back_to_field_names(blank: bytes) -> None:
    """With the manifest field and info entry stripped, role and answers come from names."""
    def change(doc: pikepdf.Pdf) -> None:
        doc.Root.AcroForm.Fields = pikepdf.Array(
            [f for f in doc.Root.AcroForm.Fields if str(f.T) != formspec.MANIFEST_FIELD])
        for page in doc.pages:
            page.obj.Annots = pikepdf.Array(
                [a for a in page.obj.get("/Annots", []) if str(a.get("/T", ""))
                 != formspec.MANIFEST_FIELD])
        del doc.docinfo[formspec.MANIFEST_INFO_KEY]
        field(doc, DIG).V = pikepdf.String("still here")
    form = read_form(edit(blank, change))
    assert form.manifest is None and form.role == "gardener"
    assert form.answers["dig"]["reflections"] == "still here"
    assert [str(w) for w in form.warnings] == [
        "the guidepdf manifest is missing (removed by the program that saved the file?); "
        "role and questions taken from the field names"]


def test_manifest_in_info_survives_lost_field(blank: bytes) -> None:
    """When a viewer drops the hidden field, the copy in the document info is used."""
    def change(doc: pikepdf.Pdf) -> None:
        doc.Root.AcroForm.Fields = pikepdf.Array(
            [f for f in doc.Root.AcroForm.Fields if str(f.T) != formspec.MANIFEST_FIELD])
    form = read_form(edit(blank, change))
    assert form.manifest is not None and form.manifest.role == "gardener"
    assert form.warnings == []


def test_ic_choices_come_back_in_map_order(content: Content,
                                           guide: Callable[..., bytes]) -> None:
    """IC choices are ordered as the map lists its outcomes, not by field name."""
    form = read_form(guide("coach"))
    icmap = content.role("coach").icmap
    assert icmap is not None
    assert list(form.ic) == [o.id for o in icmap.outcomes]
