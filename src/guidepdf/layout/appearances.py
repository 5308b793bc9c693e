"""A form whose fields reportlab drew (pikepdf) -> appearance streams that draw with no font
but the embedded Type0 field font: an empty text field shows only its box, a filled one is
redrawn with the field font, a hidden field draws nothing; the base-14 fonts reportlab put in
the form's resources (Helvetica, ZapfDingbats) leave them. Radio buttons are already vector
circles (see icmap.Choice), so nothing here touches them."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name

from guidepdf.layout.fieldfont import encode

_DA = re.compile(r"/(?P<font>[^\s/]+)\s+(?P<size>[\d.]+)\s+Tf(?P<rest>.*)", re.S)
HIDDEN = 2  # annotation flag
LINE_GAP = 1.15  # leading of a multiline field, in font sizes
PAD = 2.0  # between the box and the text, in points
MULTILINE = 1 << 12


def redraw_text_fields(doc: pikepdf.Pdf, font: Dictionary, font_name: Name,
                       font_path: Path) -> None:
    """Give every text widget an appearance that uses only `font` (named `font_name`)."""
    for page in doc.pages:
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != Name.Widget:
                continue
            field = annot if "/FT" in annot else annot.get("/Parent", annot)
            if field.get("/FT") != Name.Tx or "/AP" not in annot:
                continue
            old = annot.AP.N
            width, height = (float(v) for v in old.BBox[2:])
            value = str(field.get("/V", ""))
            if int(annot.get("/F", 0)) & HIDDEN:
                data = b"/Tx BMC EMC\n"  # never shown: carries data in /V only
            else:
                box = old.read_bytes().split(b"/Tx BMC", 1)[0]
                da = str(annot.get("/DA", field.get("/DA", "")))
                multiline = bool(int(field.get("/Ff", 0)) & MULTILINE)
                data = box + _text(value, da, font_name, font_path, width, height, multiline)
            stream = doc.make_stream(data)
            stream.Type, stream.Subtype = Name.XObject, Name.Form
            stream.BBox = old.BBox
            stream.Resources = Dictionary(Font=Dictionary({str(font_name): font}))
            annot.AP = Dictionary(N=stream)
    resources = doc.Root.AcroForm.get("/DR")
    if resources is not None and "/Font" in resources:
        for name in list(resources.Font.keys()):
            if name != str(font_name):
                del resources.Font[name]


def _text(value: str, da: str, font_name: Name, font_path: Path, width: float,
          height: float, multiline: bool) -> bytes:
    """The marked `/Tx` part of a text field's appearance, with `value` written in it."""
    if not value:
        return b"/Tx BMC EMC\n"
    match = _DA.search(da)
    size = float(match["size"]) if match and float(match["size"]) > 0 else 10.0
    colour = match["rest"].strip() if match else "0 g"
    lines = value.splitlines() if multiline else [" ".join(value.splitlines())]
    top = height - PAD - size if multiline else (height - size * 0.72) / 2
    out = [f"/Tx BMC q {PAD / 2:g} {PAD / 2:g} {width - PAD:g} {height - PAD:g} re W n",
           f"BT {font_name} {size:g} Tf {colour} {PAD:g} {top:.2f} Td {size * LINE_GAP:.2f} TL"]
    for i, line in enumerate(lines):
        codes, _ = encode(font_path, line)
        out.append(("" if i == 0 else "T* ") + f"<{codes}> Tj")
    out.append("ET Q EMC\n")
    return "\n".join(out).encode("ascii")
