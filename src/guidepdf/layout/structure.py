"""A recorded element tree (layout.tagging) + the PDF reportlab wrote it into -> a tagged PDF
(pikepdf, in place): StructTreeRoot, elements with MCIDs and OBJRs for widgets, ParentTree and
/StructParents, /Tabs /S, MarkInfo, /Lang, DisplayDocTitle and XMP with dc:title, dc:language
and pdfuaid:part 1."""

from __future__ import annotations

import io
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name

from guidepdf.layout.tagging import Element, Marked, StructureRecorder, WidgetRef

WidgetKey = tuple[int, str, str | None]  # page (from 1), full field name, radio on-state


def tag_pdf(pdf: bytes, recorder: StructureRecorder, *, title: str, lang: str) -> bytes:
    """reportlab's bytes, built with `canvasmaker=recorder.canvasmaker` -> the tagged PDF,
    saved deterministically (for documents that need nothing else afterwards)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        write_structure(doc, recorder.root, title=title, lang=lang)
        out = io.BytesIO()
        doc.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def write_structure(doc: pikepdf.Pdf, root: Element, *, title: str, lang: str) -> None:
    """Give `doc` the structure tree of `root` and the catalog entries PDF/UA-1 asks for.
    Every widget must belong to a Form element of the tree; one that does not is a bug in the
    layout code and raises ValueError."""
    writer = _Writer(doc)
    tree_root = doc.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    tree_root.K = writer.element(root, tree_root)
    if writer.widgets:
        lost = ", ".join(f"{name} on page {page}" for page, name, _ in writer.widgets)
        raise ValueError(f"widgets without a Form element in the structure tree: {lost}")
    # A Python list made into one Array at the end: pikepdf's Array.extend costs time in
    # proportion to the array's length, which made this quadratic in the pages (20 s for
    # 3,000 extends; the summary of 2,000 forms has over a thousand pages).
    nums: list[Any] = []
    for index, page in enumerate(doc.pages):
        by_mcid = writer.marked.get(index + 1)
        if by_mcid:
            if sorted(by_mcid) != list(range(len(by_mcid))):
                raise ValueError(f"page {index + 1}: MCIDs are not 0..n-1")
            page.obj.StructParents = index
            nums.extend([index, Array([by_mcid[m] for m in range(len(by_mcid))])])
        if "/Annots" in page.obj:
            page.obj.Tabs = Name.S
    for key, element in writer.objr_parents:
        nums.extend([key, element])
    tree_root.ParentTree = doc.make_indirect(Dictionary(Nums=Array(nums)))
    tree_root.ParentTreeNextKey = writer.next_key
    catalog = doc.Root
    catalog.StructTreeRoot = tree_root
    catalog.MarkInfo = Dictionary(Marked=True)
    catalog.Lang = pikepdf.String(lang)
    prefs = catalog.get("/ViewerPreferences")
    if prefs is None:
        prefs = catalog.ViewerPreferences = Dictionary()
    prefs.DisplayDocTitle = True
    _write_xmp(doc, title, lang)


class _Writer:
    def __init__(self, doc: pikepdf.Pdf) -> None:
        self.doc = doc
        self.pages = [p.obj for p in doc.pages]
        self.widgets = _widget_index(doc)
        self.marked: dict[int, dict[int, Dictionary]] = {}  # page -> MCID -> element
        self.objr_parents: list[tuple[int, Dictionary]] = []
        self.next_key = len(self.pages)

    def element(self, element: Element, parent: Dictionary) -> Dictionary:
        node = self.doc.make_indirect(Dictionary(
            Type=Name.StructElem, S=Name("/" + element.role), P=parent))
        page = element.page or next(
            (k.page for k in element.kids if isinstance(k, WidgetRef)), None)
        if page is not None:
            node.Pg = self.pages[page - 1]
        kids = Array()
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(self.element(kid, node))
            elif isinstance(kid, Marked):
                self.marked.setdefault(kid.page, {})[kid.mcid] = node
                kids.append(kid.mcid if kid.page == page else Dictionary(
                    Type=Name.MCR, Pg=self.pages[kid.page - 1], MCID=kid.mcid))
            else:
                kids.append(self._objr(kid, node))
        node.K = kids[0] if len(kids) == 1 and isinstance(element.kids[0], Marked) else kids
        if element.alt is not None:
            node.Alt = pikepdf.String(element.alt)
        attributes = [_attributes(owner, values) for owner, values in element.attrs.items()]
        if element.bbox is not None:
            attributes.append(_attributes("Layout", {
                "BBox": [round(v, 2) for v in element.bbox], "Placement": "Block"}))
        if attributes:
            node.A = attributes[0] if len(attributes) == 1 else Array(attributes)
        return node

    def _objr(self, ref: WidgetRef, node: Dictionary) -> Dictionary:
        key = (ref.page, ref.name, ref.value)
        annot = self.widgets.pop(key, None)
        if annot is None:
            raise ValueError(f"no widget for field {ref.name!r} ({ref.value}) on page "
                             f"{ref.page}, or it is claimed twice")
        annot.StructParent = self.next_key
        self.objr_parents.append((self.next_key, node))
        self.next_key += 1
        return Dictionary(Type=Name.OBJR, Obj=annot, Pg=self.pages[ref.page - 1])


def _attributes(owner: str, values: dict[str, Any]) -> Dictionary:
    attrs = Dictionary(O=Name("/" + owner))
    for key, value in values.items():
        if isinstance(value, str):
            attrs[Name("/" + key)] = Name("/" + value)
        elif isinstance(value, list | tuple):
            attrs[Name("/" + key)] = Array(value)
        else:
            attrs[Name("/" + key)] = value
    return attrs


def field_name(annot: Dictionary) -> str:
    """The fully qualified name of the field a widget belongs to."""
    parts, node = [], annot
    while node is not None:
        if "/T" in node:
            parts.append(str(node.T))
        node = node.get("/Parent")
    return ".".join(reversed(parts))


def on_state(annot: Dictionary) -> str | None:
    """A button widget's on-state name without the slash (a radio's export value)."""
    field = annot if "/FT" in annot else annot.get("/Parent", annot)
    if field.get("/FT") != Name.Btn or "/AP" not in annot:
        return None
    return next((str(k)[1:] for k in annot.AP.N if k != "/Off"), None)


def _widget_index(doc: pikepdf.Pdf) -> dict[WidgetKey, Dictionary]:
    index: dict[WidgetKey, Dictionary] = {}
    for number, page in enumerate(doc.pages, start=1):
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") == Name.Widget:
                index[(number, field_name(annot), on_state(annot))] = annot
    return index


def _write_xmp(doc: pikepdf.Pdf, title: str, lang: str) -> None:
    info = doc.docinfo
    with doc.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["dc:title"] = title
        meta["dc:language"] = [lang]
        if "/Author" in info:
            meta["dc:creator"] = [str(info.Author)]
        if "/Subject" in info:
            meta["dc:description"] = str(info.Subject)
        if "/Producer" in info:
            meta["pdf:Producer"] = str(info.Producer)
        if "/Creator" in info:
            meta["xmp:CreatorTool"] = str(info.Creator)
        meta["pdfuaid:part"] = "1"
