"""Make returned-form variants for reader tests: a toy fillable guide, then the edits
particular viewers make to it, done with pikepdf at the object level."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable

import pikepdf

from guidepdf.content import Content
from guidepdf.layout import GuideOptions, build_guide


def toy_form(content: Content) -> bytes:
    return build_guide(content, content.role("gardener"), GuideOptions(mode="fillable"))


def edit(pdf: bytes, change: Callable[[pikepdf.Pdf], None], **save: object) -> bytes:
    with pikepdf.open(io.BytesIO(pdf)) as doc, warnings.catch_warnings():
        # some edits deliberately leave widgets outside /AcroForm, as real viewers do
        warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
        change(doc)
        out = io.BytesIO()
        doc.save(out, **save)  # type: ignore[arg-type]
    return out.getvalue()


def field(doc: pikepdf.Pdf, name: str) -> pikepdf.Dictionary:
    for f in doc.Root.AcroForm.Fields:
        if str(f.get("/T", "")) == name:
            return f
    raise KeyError(name)


def set_raw(name: str, value: pikepdf.Object) -> Callable[[pikepdf.Pdf], None]:
    """Store `value` as the field's /V exactly as given (any string encoding, a stream …)."""

    def change(doc: pikepdf.Pdf) -> None:
        field(doc, name).V = value

    return change


def add_radio(doc: pikepdf.Pdf, name: str, states: list[str], *, selected: str | None = None,
              detached: str | None = None) -> None:
    """Add a radio group `name` with one widget per state on page 1.

    `selected` sets the parent's /V and that kid's /AS (as most viewers save a choice);
    `detached` mimics macOS Preview: the chosen widget gets its own /T and /V and /AS and the
    parent keeps no /V.
    """
    page = doc.pages[0]
    if "/Annots" not in page.obj:
        page.obj.Annots = pikepdf.Array()
    parent = doc.make_indirect(pikepdf.Dictionary(FT=pikepdf.Name.Btn, T=pikepdf.String(name),
                                                  Ff=49152, Kids=pikepdf.Array()))
    for i, state in enumerate(states):
        on = pikepdf.Name("/" + state)
        widget = doc.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget,
            Rect=[50 + 20 * i, 50, 62 + 20 * i, 62], Parent=parent, P=page.obj,
            AS=on if state == selected else pikepdf.Name.Off,
            AP=pikepdf.Dictionary(N=pikepdf.Dictionary({"/" + state: doc.make_stream(b""),
                                                        "/Off": doc.make_stream(b"")}))))
        if state == detached:
            del widget["/Parent"]
            widget.T = pikepdf.String(name)
            widget.V = on
            widget.AS = on
            widget.FT = pikepdf.Name.Btn
        else:
            parent.Kids.append(widget)
        page.obj.Annots.append(widget)
    if selected:
        parent.V = pikepdf.Name("/" + selected)
    doc.Root.AcroForm.Fields.append(parent)
