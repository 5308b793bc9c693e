"""A recorded element tree (layout.tagging) + the PDF reportlab wrote it into -> a tagged PDF
(pikepdf, in place): StructTreeRoot, elements with MCIDs and OBJRs for widgets, ParentTree and
/StructParents, /Tabs /S, MarkInfo, /Lang, DisplayDocTitle and XMP with dc:title, dc:language
and pdfuaid:part 1."""

from __future__ import annotations

import functools
from typing import Any
from xml.sax.saxutils import escape

import pikepdf
from pikepdf import Array, Dictionary, Name
from reportlab.pdfbase.pdfdoc import PDFObject

from guidepdf.layout.tagging import Element, Marked, StructureRecorder, WidgetRef

WidgetKey = tuple[int, str, str | None]  # page (from 1), full field name, radio on-state


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
    author, subject, producer, creator = (
        str(info[key]) if key in info else None
        for key in ("/Author", "/Subject", "/Producer", "/Creator"))
    doc.Root.Metadata = doc.make_stream(
        _xmp(title, lang, author, subject, producer, creator),
        Type=Name.Metadata, Subtype=Name.XML)


# --- the same tree written by reportlab itself, for documents it writes whole ---------------

def embedding_recorder(*, title: str, lang: str) -> StructureRecorder:
    """A recorder whose canvas writes the structure tree and the PDF/UA catalog entries into
    the document as reportlab saves it: the reports' way (summary, answers, team pages,
    comparisons), which have no form fields. Reading reportlab's bytes back with pikepdf to
    add the tree (tag_pdf before) cost ~1.8 KiB of qpdf objects per element — 34 MiB for
    the 14,000 elements of answers.pdf at 2,000 forms — and a second pass over every object;
    written here, an element is its few bytes in the output."""
    recorder = StructureRecorder()
    recorder.on_save = lambda canv: embed_structure(canv, recorder.root, title=title,
                                                    lang=lang)
    return recorder


def embed_structure(canv: Any, root: Element, *, title: str, lang: str) -> None:
    """Register the tree of `root` and the catalog entries in the reportlab document `canv`
    is about to save (its pages all drawn). Widgets are refused: their annotations are
    reportlab's, and only write_structure (pikepdf) links them to the tree."""
    doc = canv._doc
    pages = [_number(doc, doc.Reference(page)) for page in doc.Pages.pages]
    tree_root = _Raw()
    root_number = _number(doc, doc.Reference(tree_root))
    numbers: dict[int, int] = {}  # id(element) -> its object number
    marked: dict[int, dict[int, int]] = {}  # page (from 1) -> MCID -> element's number
    nodes: list[tuple[_Raw, Element, int]] = []
    stack = [(root, root_number)]
    while stack:  # object numbers in document order, parents before their kids
        element, parent = stack.pop()
        node = _Raw()
        number = numbers[id(element)] = _number(doc, doc.Reference(node))
        nodes.append((node, element, parent))
        for kid in element.kids:
            if isinstance(kid, Marked):
                marked.setdefault(kid.page, {})[kid.mcid] = number
            elif isinstance(kid, WidgetRef):
                raise ValueError(f"widget {kid.name!r} on page {kid.page}: a document with "
                                 "form fields is tagged by write_structure")
        stack.extend((kid, number) for kid in reversed(element.kids)
                     if isinstance(kid, Element))
    for node, element, parent in nodes:
        node.data = _element_bytes(element, parent, numbers, pages)
    nums: list[str] = []
    for index, page in enumerate(doc.Pages.pages):
        by_mcid = marked.get(index + 1)
        if by_mcid:
            if sorted(by_mcid) != list(range(len(by_mcid))):
                raise ValueError(f"page {index + 1}: MCIDs are not 0..n-1")
            page.StructParents = index
            page.__NoDefault__ = [*type(page).__NoDefault__, "StructParents"]
            refs = " ".join(f"{by_mcid[m]} 0 R" for m in range(len(by_mcid)))
            nums.append(f"{index} [{refs}]")
        if page.Annots:
            raise ValueError(f"page {index + 1} has annotations, which this writer does not "
                             "tag: use write_structure")
    parent_tree = _Raw(f"<< /Nums [{' '.join(nums)}] >>".encode())
    tree_root.data = (f"<< /Type /StructTreeRoot /K {numbers[id(root)]} 0 R /ParentTree "
                      f"{_number(doc, doc.Reference(parent_tree))} 0 R /ParentTreeNextKey "
                      f"{len(pages)} >>").encode()
    catalog = doc.Catalog
    catalog.StructTreeRoot = tree_root
    catalog.MarkInfo = _Raw(b"<< /Marked true >>")
    if not getattr(catalog, "Lang", None):  # reportlab writes the canvas's lang=
        catalog.Lang = _pdf_string(lang)
    if catalog.ViewerPreferences is None:  # and this for displayDocTitle=1
        catalog.ViewerPreferences = _Raw(b"<< /DisplayDocTitle true >>")
    info = doc.info
    catalog.Metadata = _Raw(_metadata_stream(_xmp(
        title, lang, getattr(info, "author", None), getattr(info, "subject", None),
        getattr(info, "producer", None), getattr(info, "creator", None))))


class _Raw(PDFObject):
    """An object reportlab writes as the bytes given, once they are known."""

    __RefOnly__ = 1  # always an indirect object

    def __init__(self, data: bytes = b"") -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


def _number(doc: Any, ref: Any) -> int:
    return doc.idToObjectNumberAndVersion[ref.name][0]


def _element_bytes(element: Element, parent: int, numbers: dict[int, int],
                   pages: list[int]) -> bytes:
    page = element.page
    out = [f"<< /Type /StructElem /S /{element.role} /P {parent} 0 R"]
    if page is not None:
        out.append(f" /Pg {pages[page - 1]} 0 R")
    kids = []
    for kid in element.kids:
        if isinstance(kid, Element):
            kids.append(f"{numbers[id(kid)]} 0 R")
        elif isinstance(kid, Marked):
            kids.append(str(kid.mcid) if kid.page == page else
                        f"<< /Type /MCR /Pg {pages[kid.page - 1]} 0 R /MCID {kid.mcid} >>")
    if len(kids) == 1 and isinstance(element.kids[0], Marked):
        out.append(f" /K {kids[0]}")
    else:
        out.append(f" /K [{' '.join(kids)}]")
    text = "".join(out).encode()
    if element.alt is not None:
        text += b" /Alt " + _pdf_string(element.alt)
    attributes = [_attribute_bytes(owner, values) for owner, values in element.attrs.items()]
    if element.bbox is not None:
        attributes.append(_attribute_bytes("Layout", {
            "BBox": [round(v, 2) for v in element.bbox], "Placement": "Block"}))
    if attributes:
        text += b" /A " + (attributes[0] if len(attributes) == 1
                           else b"[" + b" ".join(attributes) + b"]")
    return text + b" >>"


def _attribute_bytes(owner: str, values: dict[str, Any]) -> bytes:
    out = [f"<< /O /{owner}"]
    for key, value in values.items():
        out.append(f" /{key} {_value(value)}")
    return ("".join(out) + " >>").encode()


def _value(value: Any) -> str:
    if isinstance(value, str):
        return f"/{value}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + " ".join(_value(v) for v in value) + "]"
    if isinstance(value, float):
        return format(value, "f").rstrip("0").rstrip(".") if value != int(value) \
            else str(int(value))
    return str(int(value))


def _pdf_string(text: str) -> bytes:
    """A PDF text string: literal when it is printable ASCII, else UTF-16BE with a BOM."""
    if text.isascii() and text.isprintable():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"({escaped})".encode("ascii")
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _xmp(title: str, lang: str, author: str | None, subject: str | None,
         producer: str | None, creator: str | None) -> bytes:
    """The XMP packet PDF/UA asks for: title, language and pdfuaid:part, with the document
    information's author, subject, producer and creator (each left out when empty). Both
    writers use it: write_structure (the guides) and embed_structure (the reports)."""
    e = functools.partial(escape, entities={'"': "&quot;"})
    parts = [f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(title)}</rdf:li>'
             f"</rdf:Alt></dc:title>",
             f"<dc:language><rdf:Bag><rdf:li>{e(lang)}</rdf:li></rdf:Bag></dc:language>"]
    if author:
        parts.append(f"<dc:creator><rdf:Seq><rdf:li>{e(author)}</rdf:li></rdf:Seq>"
                     "</dc:creator>")
    if subject:
        parts.append(f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">'
                     f"{e(subject)}</rdf:li></rdf:Alt></dc:description>")
    if producer:
        parts.append(f"<pdf:Producer>{e(producer)}</pdf:Producer>")
    if creator:
        parts.append(f"<xmp:CreatorTool>{e(creator)}</xmp:CreatorTool>")
    parts.append("<pdfuaid:part>1</pdfuaid:part>")
    body = "".join(parts)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="guidepdf">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/"'
        ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
        f"{body}</rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>').encode()


def _metadata_stream(xmp: bytes) -> bytes:
    """An uncompressed XML metadata stream (PDF/A and PDF/UA readers look for it as text)."""
    return (f"<< /Type /Metadata /Subtype /XML /Length {len(xmp)} >>\nstream\n".encode()
            + xmp + b"\nendstream")
