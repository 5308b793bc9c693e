"""Tests for the independent form fillers in fillers.py, read back with pypdf.

Each filler fills a small reportlab AcroForm the way its real program does; the values
are read back from the saved file with pypdf (walking fields and widgets) and compared.
Line breaks are compared after normalising CRLF and CR to LF; how each filler actually
stores them (and other quirks) is pinned down by dedicated tests below.
"""

from __future__ import annotations

import io

import pikepdf
import pypdf
import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from .fillers import (
    FILLER_NOTES,
    FILLERS,
    FillerError,
    FillerUnavailable,
    InvalidValueError,
    MissingFieldError,
    build_xfdf,
    eof_count,
    fill_pdfium,
    need_appearances,
    read_fields,
)

Q1 = "coach__q1__reflections"
Q2 = "coach__q2__reflections"
RADIO = "coach__ic__o1"
RADIO_OPTIONS = ("L1", "L2", "L3", "L4", "NA")
CHECKBOX = "coach__consent"
INITIALS = "coach__initials"  # single-line, MaxLen 10
PREFILLED = "Prefilled answer"

FILLER_NAMES = sorted(FILLERS)

LONG_LINES = "\n".join(
    f"{i:03d} The quick brown fox jumps over the lazy dog - naïve café, Ωμέγα, Жук, 漢字."
    for i in range(70)
)
LONG_PARAGRAPH = " ".join(f"word{i:04d}" for i in range(600))

TEXTS = {
    "multiline": "First line\nSecond line\n\nFourth line after a blank one\n",
    "accented": "Ça a été très naïf — café, Ångström, Øresund, Straße, Œuvre, e\u0301",
    "greek": "Ελληνικά: Καλημέρα κόσμε, ξεσκεπάζω την ψυχοφθόρα βδελυγμία",
    "cyrillic": "Русский: Съешь же ещё этих мягких французских булок, да выпей чаю",
    "arabic": "العربية: نص حكيم له سر قاطع وذو شأن عظيم",
    "cjk": "中文：你好，世界。日本語：こんにちは。한국어: 안녕하세요",
    "emoji": "Emoji 😀 👍🏽 🇬🇧 ✓ ★",
    "mixed_multiline": "Plan:\n1. Ελληνικά\n2. Кириллица\n3. العربية\n4. 漢字 😀\n",
    "empty": "",
    "long_lines": LONG_LINES,
    "long_paragraph": LONG_PARAGRAPH,
}


def build_form() -> bytes:
    """Build the two-page test form with reportlab (no MaxLen on the multiline fields)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    form = c.acroForm
    c.drawString(50, 800, "Question 1: reflections")
    # maxlen=0 makes reportlab omit /MaxLen (its default is 100).
    form.textfield(
        name=Q1,
        x=50,
        y=580,
        width=480,
        height=200,
        fieldFlags="multiline",
        maxlen=0,
        fontName="Helvetica",
        fontSize=10,
    )
    c.drawString(50, 560, "Implementation check (L1 - L4, NA)")
    for i, option in enumerate(RADIO_OPTIONS):
        form.radio(name=RADIO, value=option, selected=False, x=50 + 60 * i, y=530, size=16)
    c.drawString(80, 494, "I agree")
    form.checkbox(name=CHECKBOX, checked=False, x=50, y=490, size=16)
    form.textfield(name=INITIALS, x=50, y=440, width=120, height=20, maxlen=10)
    c.showPage()
    c.drawString(50, 800, "Question 2: reflections")
    form = c.acroForm
    form.textfield(
        name=Q2,
        value=PREFILLED,
        x=50,
        y=500,
        width=480,
        height=280,
        fieldFlags="multiline",
        maxlen=None,
        fontName="Helvetica",
        fontSize=10,
    )
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def form_pdf() -> bytes:
    """The test form's bytes."""
    return build_form()


def fill(filler: str, pdf: bytes, values: dict[str, str]) -> bytes:
    """Run one filler, skipping the test only if its tool is not installed."""
    try:
        return FILLERS[filler](pdf, values)
    except FillerUnavailable as exc:
        pytest.skip(f"{filler} unavailable: {exc}")


def normalise(text: str) -> str:
    """CRLF and CR to LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def expected_text(filler: str, text: str) -> str:
    """What ``filler`` is known to store for ``text``, newlines normalised."""
    if filler == "pdfium":
        # FORM_ReplaceSelection keeps only the low 16 bits of non-BMP characters.
        text = "".join(chr(ord(ch) & 0xFFFF) if ord(ch) > 0xFFFF else ch for ch in text)
    return normalise(text)


def on_widgets(pdf: bytes, name: str) -> list[str]:
    """The /AS states of the field's widgets that are not Off."""
    return [s for s in read_fields(pdf)[name].widget_states if s not in (None, "Off")]


def test_form_fixture_has_expected_fields(form_pdf: bytes) -> None:
    """The reportlab form has the fields, kinds, options and MaxLen the tests rely on."""
    fields = read_fields(form_pdf)
    assert {name: f.kind for name, f in fields.items()} == {
        Q1: "text",
        Q2: "text",
        RADIO: "radio",
        CHECKBOX: "checkbox",
        INITIALS: "text",
    }
    assert fields[Q1].max_len is None
    assert fields[Q2].max_len is None
    assert fields[INITIALS].max_len == 10
    assert fields[RADIO].all_on_states == list(RADIO_OPTIONS)
    assert fields[CHECKBOX].all_on_states == ["Yes"]
    assert fields[Q2].value == PREFILLED
    assert fields[RADIO].value == "Off"


def test_long_values_are_long() -> None:
    """The long sample values really exceed 5,000 characters."""
    assert len(LONG_LINES) > 5000
    assert len(LONG_PARAGRAPH) > 5000


@pytest.mark.parametrize("kind", sorted(TEXTS))
@pytest.mark.parametrize("filler", FILLER_NAMES)
def test_text_round_trip(filler: str, kind: str, form_pdf: bytes) -> None:
    """Text filled on both pages, plus a radio choice, reads back exactly (newlines normalised)."""
    text = TEXTS[kind]
    second = f"Page two: {text}" if text else ""
    out = fill(filler, form_pdf, {Q1: text, Q2: second, RADIO: "L3"})
    fields = read_fields(out)
    assert normalise(fields[Q1].value) == expected_text(filler, text)
    assert normalise(fields[Q2].value) == expected_text(filler, second)
    assert fields[RADIO].value == "L3"
    # pypdf's high-level reader agrees with the field walk.
    high_level = pypdf.PdfReader(io.BytesIO(out)).get_fields()
    assert normalise(str(high_level[Q1].get("/V", ""))) == expected_text(filler, text)


NEWLINE_INPUT = "a\nb\r\nc\rd"
NEWLINE_STORED = {
    "pdfium": "a\r\nb\r\nc\r\nd",  # every break becomes CRLF
    "pdfjs": "a\nb\nc\nd",  # an HTML textarea's value: LF only
    "pdflib": NEWLINE_INPUT,  # stored as given
    "pdftk": NEWLINE_INPUT,  # stored as given (CR escaped in the XFDF)
    "pypdf": NEWLINE_INPUT,  # stored as given
}


@pytest.mark.parametrize("filler", FILLER_NAMES)
def test_newline_storage(filler: str, form_pdf: bytes) -> None:
    """Each filler stores LF, CRLF and CR line breaks in its own documented way."""
    out = fill(filler, form_pdf, {Q1: NEWLINE_INPUT})
    assert read_fields(out)[Q1].raw_value == NEWLINE_STORED[filler]


@pytest.mark.parametrize("filler", FILLER_NAMES)
def test_empty_value_clears_prefilled_field(filler: str, form_pdf: bytes) -> None:
    """Filling a prefilled field with "" empties it (pdf-lib by deleting /V)."""
    out = fill(filler, form_pdf, {Q2: ""})
    field = read_fields(out)[Q2]
    assert field.value == ""
    assert field.raw_value == (None if filler == "pdflib" else "")


@pytest.mark.parametrize("option", RADIO_OPTIONS)
@pytest.mark.parametrize("filler", FILLER_NAMES)
def test_radio_each_option(filler: str, option: str, form_pdf: bytes) -> None:
    """Choosing each radio option turns exactly that widget on and sets the group's /V."""
    out = fill(filler, form_pdf, {RADIO: option})
    field = read_fields(out)[RADIO]
    assert field.value == option
    assert on_widgets(out, RADIO) == [option]
    assert field.raw_value == f"/{option}"
    # pypdf writes the group's /V as a text string, everyone else as a name.
    assert field.value_type == ("string" if filler == "pypdf" else "name")


@pytest.mark.parametrize("filler", FILLER_NAMES)
def test_radio_change_selection(filler: str, form_pdf: bytes) -> None:
    """Re-filling a filled form with another radio option leaves only the new one on."""
    first = fill(filler, form_pdf, {RADIO: "L1"})
    second = fill(filler, first, {RADIO: "NA"})
    assert read_fields(second)[RADIO].value == "NA"
    assert on_widgets(second, RADIO) == ["NA"]


@pytest.mark.parametrize("filler", FILLER_NAMES)
def test_checkbox_on_then_off(filler: str, form_pdf: bytes) -> None:
    """A checkbox can be checked with its on-state and unchecked again with "Off"."""
    checked = fill(filler, form_pdf, {CHECKBOX: "Yes"})
    assert read_fields(checked)[CHECKBOX].value == "Yes"
    assert read_fields(checked)[CHECKBOX].widget_states == ["Yes"]
    unchecked = fill(filler, checked, {CHECKBOX: "Off"})
    assert read_fields(unchecked)[CHECKBOX].value == "Off"
    assert read_fields(unchecked)[CHECKBOX].widget_states == ["Off"]


@pytest.mark.parametrize("filler", FILLER_NAMES)
def test_refill_replaces_text(filler: str, form_pdf: bytes) -> None:
    """Filling an already filled field replaces its whole text."""
    first = fill(filler, form_pdf, {Q1: "old text\nwith two lines"})
    second = fill(filler, first, {Q1: "new"})
    assert read_fields(second)[Q1].value == "new"


@pytest.mark.parametrize("filler", FILLER_NAMES)
def test_fields_not_named_are_untouched(filler: str, form_pdf: bytes) -> None:
    """Fields absent from ``values`` keep their previous values."""
    out = fill(filler, form_pdf, {Q1: "only this"})
    fields = read_fields(out)
    assert fields[Q1].value == "only this"
    assert fields[Q2].value == PREFILLED
    assert fields[RADIO].value == "Off"
    assert on_widgets(out, RADIO) == []
    assert fields[CHECKBOX].value == "Off"
    assert fields[INITIALS].value == ""


@pytest.mark.parametrize("filler", FILLER_NAMES)
def test_missing_field_raises(filler: str, form_pdf: bytes) -> None:
    """A field name that is not in the PDF raises MissingFieldError naming it."""
    with pytest.raises(MissingFieldError, match="coach__nope"):
        fill(filler, form_pdf, {Q1: "x", "coach__nope": "y"})


@pytest.mark.parametrize("filler", FILLER_NAMES)
def test_unknown_radio_option_raises(filler: str, form_pdf: bytes) -> None:
    """A radio value that is none of the group's on-states raises InvalidValueError."""
    with pytest.raises(InvalidValueError, match="L9"):
        fill(filler, form_pdf, {RADIO: "L9"})


MAXLEN_STORED = {
    "pdfium": "abcdefghij",  # truncated by the edit control
    "pdfjs": "abcdefghij",  # truncated like the viewer's <input maxlength>
    "pdftk": "abcdefghij",  # truncated
    "pypdf": "abcdefghijKLMNOPQRST",  # MaxLen ignored
}


@pytest.mark.parametrize("filler", FILLER_NAMES)
def test_maxlen_behaviour(filler: str, form_pdf: bytes) -> None:
    """A value longer than /MaxLen is truncated, kept whole or refused, per filler."""
    values = {INITIALS: "abcdefghijKLMNOPQRST"}
    if filler == "pdflib":
        with pytest.raises(FillerError, match="maxLength=10"):
            fill(filler, form_pdf, values)
        return
    out = fill(filler, form_pdf, values)
    assert read_fields(out)[INITIALS].raw_value == MAXLEN_STORED[filler]


@pytest.mark.parametrize("filler", FILLER_NAMES)
def test_save_mode(filler: str, form_pdf: bytes) -> None:
    """pdf.js appends an incremental update; every other filler rewrites the file."""
    out = fill(filler, form_pdf, {Q1: "saved"})
    if filler == "pdfjs":
        assert out.startswith(form_pdf)
        assert eof_count(out) == eof_count(form_pdf) + 1
    else:
        assert not out.startswith(form_pdf)
        assert eof_count(out) == 1


APPEARANCE = {
    # filler: (NeedAppearances after Latin text, after non-Latin text, widget keeps /AP)
    "pdfium": (False, False, True),
    "pdfjs": (False, True, False),
    "pdflib": (False, False, True),
    "pdftk": (True, True, True),
    "pypdf": (True, True, True),
}


@pytest.mark.parametrize("filler", FILLER_NAMES)
def test_appearance_handling(filler: str, form_pdf: bytes) -> None:
    """NeedAppearances and the text widget's /AP after Latin and non-Latin text, per filler."""
    latin_na, other_na, other_keeps_ap = APPEARANCE[filler]
    latin = fill(filler, form_pdf, {Q1: "Plain Latin text\nsecond line"})
    assert need_appearances(latin) is latin_na
    assert read_fields(latin)[Q1].widget_has_ap == [True]
    other = fill(filler, form_pdf, {Q1: TEXTS["mixed_multiline"]})
    assert need_appearances(other) is other_na
    assert read_fields(other)[Q1].widget_has_ap == [other_keeps_ap]


@pytest.mark.parametrize("filler", FILLER_NAMES)
def test_output_opens_in_other_readers(filler: str, form_pdf: bytes) -> None:
    """The filled PDF opens and renders in PDFium and parses in qpdf (pikepdf)."""
    out = fill(filler, form_pdf, {Q1: TEXTS["mixed_multiline"], RADIO: "L2", CHECKBOX: "Yes"})
    with pikepdf.open(io.BytesIO(out)) as pdf:
        assert len(pdf.pages) == 2
    doc = pdfium.PdfDocument(out)
    try:
        doc.init_forms()
        page = doc[0]
        bitmap = page.render(scale=0.5, may_draw_forms=True)
        assert bitmap.width > 0
        page.close()
    finally:
        doc.close()


def test_pdfium_paste_truncates_non_bmp_characters(form_pdf: bytes) -> None:
    """PDFium's FORM_ReplaceSelection keeps only the low 16 bits of an emoji (U+1F600)."""
    out = fill("pdfium", form_pdf, {Q1: "a😀b"})
    assert read_fields(out)[Q1].raw_value == "a\uf600b"


@pytest.mark.parametrize("kind", sorted(TEXTS))
def test_pdfium_typing_round_trips(kind: str, form_pdf: bytes) -> None:
    """PDFium fed one FORM_OnChar per UTF-16 code unit (Chrome's typing path) keeps all text."""
    text = TEXTS[kind]
    out = fill_pdfium(form_pdf, {Q1: text, Q2: text}, typing=True)
    fields = read_fields(out)
    assert normalise(fields[Q1].value) == normalise(text)
    assert normalise(fields[Q2].value) == normalise(text)


def test_build_xfdf_nests_dotted_names_and_keeps_carriage_returns() -> None:
    """XFDF nests dotted names and escapes CR, <, & and quotes."""
    xfdf = build_xfdf({"a.b": "x\r\ny <&>", "c": 'q"'})
    assert (
        '<field name="a">\n<field name="b"><value>x&#13;\ny &lt;&amp;&gt;</value></field>' in xfdf
    )
    assert '<field name="c"><value>q"</value></field>' in xfdf
    assert xfdf.startswith('<?xml version="1.0" encoding="UTF-8"?>')


def test_every_filler_is_documented() -> None:
    """FILLER_NOTES describes each filler in FILLERS."""
    assert set(FILLER_NOTES) == set(FILLERS)
