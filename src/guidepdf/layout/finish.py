"""reportlab's PDF bytes + the recorded structure -> the delivered PDF (pikepdf): a Unicode
font for field appearances (and appearances that use no other font), the manifest copied into
the document information, the structure tree and PDF/UA catalog entries, deterministic
output."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

import pikepdf

from guidepdf import formspec
from guidepdf.content.model import Content
from guidepdf.layout.appearances import redraw_text_fields
from guidepdf.layout.fieldfont import FIELD_FONT_NAME, field_font
from guidepdf.layout.structure import write_structure
from guidepdf.layout.tagging import Element

_DA_FONT = re.compile(r"/[^\s/]+\s+([\d.]+)\s+Tf")


def finish(pdf: bytes, content: Content, manifest: formspec.Manifest | None, structure: Element,
           title: str, values: Mapping[str, str] | None = None) -> bytes:
    """`values` prefill text fields by name (their appearances are drawn with the field
    font, so any script the brand font covers works)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        if manifest is not None:
            doc.docinfo[formspec.MANIFEST_INFO_KEY] = pikepdf.String(manifest.to_json())
            if values:
                _set_values(doc, values)
            _install_field_font(doc, content)
            _unset_radios_to_off(doc)
        write_structure(doc, structure, title=title, lang=content.brand.language)
        out = io.BytesIO()
        doc.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _set_values(doc: pikepdf.Pdf, values: Mapping[str, str]) -> None:
    for field in doc.Root.AcroForm.get("/Fields", []):
        name = str(field.get("/T", ""))
        if values.get(name):
            field.V = pikepdf.String(values[name])


RADIO = 1 << 15  # the Radio flag of a button field's /Ff


def _unset_radios_to_off(doc: pikepdf.Pdf) -> None:
    """Give every radio group without a chosen value the value /Off. A button's /V must be
    a name: with none at all, qpdf --generate-appearances (and tools built on it) warns
    "ignoring attempt to set a radio button field to an object that is not a name" for
    each of the group's buttons; readers take /Off as unanswered."""
    stack = list(doc.Root.AcroForm.get("/Fields", []))
    while stack:
        node = stack.pop()
        kids = node.get("/Kids", [])
        if node.get("/FT") == "/Btn" and int(node.get("/Ff", 0)) & RADIO:
            if not isinstance(node.get("/V"), pikepdf.Name):
                node.V = pikepdf.Name.Off
            continue
        stack.extend(kid for kid in kids if "/T" in kid)


def _install_field_font(doc: pikepdf.Pdf, content: Content) -> None:
    """Put the brand's font (as Type0) in the form's default resources and make every text
    field's default appearance use it; existing appearance streams are left as drawn."""
    acroform = doc.Root.get("/AcroForm")
    if acroform is None:
        return
    path = content.brand.fonts.for_fields
    font = field_font(doc, path)
    resources = acroform.get("/DR")
    if resources is None:
        resources = acroform.DR = pikepdf.Dictionary()
    if "/Font" not in resources:
        resources.Font = pikepdf.Dictionary()
    resources.Font[FIELD_FONT_NAME] = font
    acroform.DA = pikepdf.String(f"{FIELD_FONT_NAME} 10 Tf 0 g")
    stack = list(acroform.get("/Fields", []))
    while stack:
        node = stack.pop()
        stack.extend(node.get("/Kids", []))
        if node.get("/FT") == "/Tx" or (node.get("/FT") is None and "/DA" in node
                                        and node.get("/Parent", {}).get("/FT") == "/Tx"):
            da = str(node.get("/DA", "/Helv 10 Tf 0 g"))
            node.DA = pikepdf.String(_DA_FONT.sub(rf"{FIELD_FONT_NAME} \1 Tf", da, count=1))
    redraw_text_fields(doc, font, pikepdf.Name(FIELD_FONT_NAME), path)
