"""Content + a person -> their personalized fillable guide (PDF bytes). Each role's guide
is laid out once as a template; a copy is that template with the "Prepared for" lines
overlaid on the cover, the manifest naming the recipient, and optionally the respondent
fields prefilled with appearances drawn in the brand font. The template is prepared once
so that a copy is its bytes followed by a small incremental update (see incremental.py):
nothing of the template is parsed or written again per copy."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import pikepdf
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from guidepdf import formspec
from guidepdf.content.model import Content
from guidepdf.distribute import incremental
from guidepdf.distribute.roster import Person, Problem, Roster
from guidepdf.layout import GuideOptions, build_guide
from guidepdf.layout.cover import draw_recipient, name_room, recipient_origin
from guidepdf.layout.theme import Theme, make_theme

PREFILL_KEYS = ("name", "email", "group")
FIELD_FONT_SIZE = 10.5  # the single-line respondent fields' size in layout.fields
NAME_SIZE, GROUP_SIZE = 13, 11  # what layout.cover.draw_recipient uses
ELLIPSIS = "…"
OVERLAY_NAME = "/GuidepdfRecipient"


@dataclass(frozen=True)
class _Dict:
    """A dictionary of the base that a copy rewrites: its object number and its entries
    (already written as PDF syntax), to which the copy adds its own."""

    number: int
    entries: dict[str, bytes]
    width: float = 0.0  # of a widget's /Rect
    height: float = 0.0

    def unparse(self, changed: dict[str, bytes]) -> bytes:
        return incremental.dictionary({**self.entries, **changed})


@dataclass(frozen=True)
class Template:
    """One role's fillable guide, and the base a copy is an incremental update of: the
    guide with an empty placeholder form drawn (and tagged) on the cover, and the manifest
    taken out of the hidden field and the document information."""

    role_id: str
    pdf: bytes  # the fillable guide as layout built it
    base: bytes
    trailer: incremental.Base
    overlay: int  # object number of the placeholder form each copy replaces
    manifest: _Dict  # the hidden field, without /V and /DV
    info: _Dict  # the document information, without the manifest
    respondent: dict[str, _Dict]  # respondent key -> its widget, without /V and /AP
    base_manifest: formspec.Manifest  # the role's manifest, without a recipient


class Personalizer:
    """Makes personalized copies; builds each role's template once, on first use, unless
    given it (`templates`: built for the same content and paper, e.g. in another process)."""

    def __init__(self, content: Content, *, paper: str = "letter", prefill: bool = False,
                 build: Callable[..., bytes] | None = None,
                 templates: Iterable[Template] = ()) -> None:
        self.content = content
        self.paper = paper
        self.prefill = prefill
        self.theme = make_theme(content.brand, paper)
        self._build = build or build_guide
        self._templates: dict[str, Template] = {t.role_id: t for t in templates}

    def template(self, role_id: str) -> Template:
        if role_id not in self._templates:
            role = self.content.role(role_id)
            pdf = self._build(self.content, role, GuideOptions(mode="fillable",
                                                               paper=self.paper))
            self._templates[role_id] = _template(
                role_id, pdf, formspec.manifest_for(self.content, role))
        return self._templates[role_id]

    def copy(self, person: Person) -> bytes:
        """The person's copy as PDF bytes; the same person always gives the same bytes.
        It is the role's base followed by one incremental update: the recipient lines (in
        place of the placeholder form), the manifest, and the prefilled fields."""
        tpl = self.template(person.role)
        manifest = pikepdf.String(replace(tpl.base_manifest,
                                          recipient=person.recipient()).to_json()).unparse()
        values = {"name": person.name, "email": person.email, "group": person.group}
        prefill = {k: v for k, v in values.items() if v and k in tpl.respondent} \
            if self.prefill else {}
        update = incremental.Update(tpl.trailer)
        update.put(tpl.manifest.number, tpl.manifest.unparse({"/V": manifest,
                                                              "/DV": manifest}))
        update.put(tpl.info.number, tpl.info.unparse({formspec.MANIFEST_INFO_KEY: manifest}))
        with pikepdf.open(io.BytesIO(self._overlay(person, prefill, tpl))) as overlay:
            update.put_foreign(overlay.pages[0].as_form_xobject(), tpl.overlay)
            for index, key in enumerate(prefill, start=1):
                form = update.put_foreign(overlay.pages[index].as_form_xobject())
                widget = tpl.respondent[key]
                update.put(widget.number, widget.unparse({
                    "/V": pikepdf.String(prefill[key]).unparse(),
                    "/AP": b"<< /N %d 0 R >>" % form}))
        return tpl.base + update.finish()

    def _overlay(self, person: Person, prefill: dict[str, str], tpl: Template) -> bytes:
        """Page 1: the cover's recipient lines; then one page per prefilled field, the size
        of its widget, drawn like reportlab draws a text field (white box, ruled border)."""
        t = self.theme
        buffer = io.BytesIO()
        # initialFontName: otherwise reportlab declares an unembedded Helvetica on every
        # page; pageCompression off: the incremental update compresses what it copies
        c = Canvas(buffer, pagesize=(t.page_width, t.page_height), invariant=1,
                   pageCompression=0, initialFontName=t.fonts.regular)
        x, y = recipient_origin(t)
        labels = self.content.labels.for_paper(self.paper)
        name = fit(person.name, t.fonts.bold, NAME_SIZE,
                   name_room(labels, t.fonts.bold, NAME_SIZE, t.frame_width))
        group = fit(person.group, t.fonts.regular, GROUP_SIZE, t.frame_width)
        draw_recipient(c, labels, t.fonts.bold, t.fonts.regular, t.text, x, y, name, group)
        c.showPage()
        for key, value in prefill.items():
            widget = tpl.respondent[key]
            w, h = widget.width, widget.height
            c.setPageSize((w, h))
            c.setFillColorRGB(1, 1, 1)
            c.rect(0, 0, w, h, stroke=0, fill=1)
            c.setStrokeColor(t.rule)
            c.setLineWidth(0.75)
            c.rect(0.375, 0.375, w - 0.75, h - 0.75, stroke=1, fill=0)
            size = FIELD_FONT_SIZE
            # the whole value, clipped by the box: never a shortened text, which a viewer
            # (Firefox) may take for the value once someone edits the field
            c.saveState()
            clip = c.beginPath()
            clip.rect(1, 1, w - 2, h - 2)
            c.clipPath(clip, stroke=0, fill=0)
            c.setFont(t.fonts.regular, size)
            c.setFillColor(t.text)
            c.drawString(2, (h - size * 0.72) / 2, value)
            c.restoreState()
            c.showPage()
        c.save()
        return buffer.getvalue()


def fit(text: str, font: str, size: float, width: float) -> str:
    """`text`, shortened with an ellipsis if it is wider than `width` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits together with the ellipsis
        mid = (low + high + 1) // 2
        if pdfmetrics.stringWidth(text[:mid] + ELLIPSIS, font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + ELLIPSIS


def _template(role_id: str, pdf: bytes, manifest_data: formspec.Manifest) -> Template:
    """Make the base of a freshly built fillable guide and find in it what copies change."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        placeholder = doc.make_indirect(pikepdf.Stream(doc, b""))
        placeholder.Type, placeholder.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
        placeholder.BBox = page.mediabox
        _overlay_page(doc, page, placeholder)
        field = next((f for f in _terminal_fields(doc.Root.AcroForm.Fields)
                      if str(f.get("/T", "")) == formspec.MANIFEST_FIELD), None)
        if field is None:
            raise ValueError(f"the fillable guide for {role_id!r} has no manifest field")
        _empty_manifest(doc, field)
        out = io.BytesIO()
        doc.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    base = out.getvalue()
    wanted = {formspec.respondent_field(role_id, k): k for k in PREFILL_KEYS}
    with pikepdf.open(io.BytesIO(base)) as doc:
        fields = {str(f.get("/T", "")): f for f in _terminal_fields(doc.Root.AcroForm.Fields)}
        manifest = _dict(fields[formspec.MANIFEST_FIELD], "/V", "/DV")
        respondent = {key: _dict(fields[name], "/V", "/AP") for name, key in wanted.items()
                      if name in fields and "/Subtype" in fields[name]}  # field + widget
        overlay = doc.pages[0].Resources.XObject[OVERLAY_NAME].objgen[0]
        return Template(role_id, pdf, base, incremental.Base.of(base, doc), overlay, manifest,
                        _dict(doc.trailer.Info, formspec.MANIFEST_INFO_KEY), respondent,
                        manifest_data)


def _dict(obj: pikepdf.Dictionary, *without: str) -> _Dict:
    """An indirect dictionary of the base, without the entries a copy writes."""
    if not obj.is_indirect or obj.objgen[1] != 0:  # qpdf writes generation 0 throughout
        raise ValueError(f"object {obj.objgen} cannot be replaced in an object stream")
    rect = [float(v) for v in obj.get("/Rect", [0, 0, 0, 0])]
    return _Dict(obj.objgen[0], {k: incremental.unparse(v) for k, v in obj.items()
                                 if k not in without},
                 abs(rect[2] - rect[0]), abs(rect[3] - rect[1]))


def _terminal_fields(fields: pikepdf.Array) -> Iterable[pikepdf.Dictionary]:
    for obj in fields:
        if "/Kids" in obj and "/T" not in obj.Kids[0]:
            yield obj  # kids are widgets only
        elif "/Kids" in obj:
            yield from _terminal_fields(obj.Kids)
        else:
            yield obj


def _overlay_page(pdf: pikepdf.Pdf, page: pikepdf.Page, form: pikepdf.Stream) -> None:
    """Draw the form XObject `form` over `page`, tagged, under a fixed resource name
    (pikepdf's add_overlay picks a random one, which would make every copy's bytes differ)."""
    page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(OVERLAY_NAME))
    draw = f"q {OVERLAY_NAME} Do Q"
    mcid = _tag_paragraph(pdf, page)
    if mcid is not None:
        draw = f"/P <</MCID {mcid}>> BDC {draw} EMC"
    page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, f"\nQ {draw}\n".encode()))


def _tag_paragraph(pdf: pikepdf.Pdf, page: pikepdf.Page) -> int | None:
    """In a tagged template, add a P element for the overlaid lines to the structure tree,
    in reading order just before the last element of the page (the cover's attribution,
    drawn after the recipient lines in layout.cover); return its MCID. None when the
    template is not tagged the way layout.structure tags it."""
    root = pdf.Root.get("/StructTreeRoot")
    key = page.obj.get("/StructParents")
    if root is None or key is None or "/ParentTree" not in root:
        return None
    parent_tree = pikepdf.NumberTree(root.ParentTree)
    try:
        owners = parent_tree[int(key)]
    except KeyError:
        return None
    if not isinstance(owners, pikepdf.Array) or len(owners) == 0:
        return None
    last = owners[len(owners) - 1]
    parent = last.get("/P")
    kids = parent.get("/K") if parent is not None else None
    if not isinstance(kids, pikepdf.Array):
        return None
    position = next((i for i, kid in enumerate(kids)
                     if kid.is_indirect and kid.objgen == last.objgen), None)
    if position is None:
        return None
    mcid = len(owners)
    element = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem,
                                                   S=pikepdf.Name.P, P=parent,
                                                   Pg=page.obj, K=mcid))
    kids.insert(position, element)
    owners.append(element)
    return mcid


def _empty_manifest(pdf: pikepdf.Pdf, field: pikepdf.Dictionary) -> None:
    """Take the template's manifest out of the base (each copy writes its own, to the
    hidden field's value and default value and to the document information). The hidden
    field's appearance draws nothing (as layout draws it), so it cannot hold a stale copy."""
    for key in ("/V", "/DV"):
        if key in field:
            del field[key]
    old = field.AP.N if "/AP" in field else None
    stream = pikepdf.Stream(pdf, b"/Tx BMC EMC\n")
    stream.Type, stream.Subtype = pikepdf.Name.XObject, pikepdf.Name.Form
    stream.BBox = old.BBox if old is not None else pikepdf.Array([0, 0, 1, 1])
    field.AP = pikepdf.Dictionary(N=stream)
    if formspec.MANIFEST_INFO_KEY in pdf.docinfo:
        del pdf.docinfo[formspec.MANIFEST_INFO_KEY]


def cover_problems(content: Content, roster: Roster, paper: str = "letter") -> list[Problem]:
    """Warnings about how names and groups will look on the cover: characters the brand
    font cannot draw, right-to-left text, lines too long that will be shortened."""
    theme = make_theme(content.brand, paper)
    shown = roster.path.name
    problems = []
    name_width = name_room(content.labels.for_paper(paper), theme.fonts.bold, NAME_SIZE,
                           theme.frame_width)
    for person in roster.people:
        for key, text, font, size, room in (
                ("name", person.name, theme.fonts.bold, NAME_SIZE, name_width),
                ("group", person.group, theme.fonts.regular, GROUP_SIZE, theme.frame_width)):
            problems += _text_problems(theme, shown, person.line, key, text, font, size, room)
    return problems


def _text_problems(theme: Theme, shown: str, line: int, key: str, text: str, font: str,
                   size: float, room: float) -> list[Problem]:
    out = []
    missing = list(dict.fromkeys(ch for ch in text if not ch.isspace()
                                 and not _drawable(theme, ch)))
    if missing:
        chars = "".join(missing[:8])
        out.append(Problem(shown, line, f"{key} has characters the brand font cannot draw: "
                           f"{chars!r}", "the cover and prefilled fields show them as empty "
                           "boxes; the manifest and the email keep the text exactly",
                           "warning"))
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text) and not missing:
        out.append(Problem(shown, line, f"{key} is written right to left",
                           "the cover draws its letters left to right; check one copy",
                           "warning"))
    if text and pdfmetrics.stringWidth(text, font, size) > room:
        out.append(Problem(shown, line, f"{key} is too long for the cover line",
                           f"the cover shows {fit(text, font, size, room)!r}",
                           "warning"))
    return out


def _drawable(theme: Theme, ch: str) -> bool:
    return all(ord(ch) in pdfmetrics.getFont(f).face.charToGlyph
               for f in (theme.fonts.regular, theme.fonts.bold))
