"""Flowables drawn on a TaggedCanvas -> marked content in the page streams plus a recorded
tree of structure elements in reading order (layout.structure writes it into the PDF).

How nothing escapes tagging: every page opens an `/Artifact` sequence; a tagged piece of
content closes it, draws inside `/Role <</MCID n>> BDC … EMC`, and reopens it. Whatever is
drawn outside a tagged piece (rules, table grids, backgrounds, running header and footer) is
an artifact by construction. Sequences never nest: opening one closes the one in force and
closing it resumes that one (as a new sequence). A sequence in which nothing was drawn is
taken back. MCIDs are numbered per page in content-stream order when the page is finished.

On a plain reportlab Canvas (no recorder) every helper here draws without tagging.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, ListFlowable, ListItem

ARTIFACT = "/Artifact BMC"
EMC = "EMC"


class Element:
    """A structure element in the making: a standard role, attributes, kids in reading order.

    `parent` None means a child of the element being drawn where it is first drawn (at the top
    level, of the Document), placed after what that element holds by then. Children made
    with `declare` (table rows and cells) join their parent together with it, in the declared
    order, drawn or not — a table keeps every row and cell, empty ones included.
    """

    # thousands in a long report (14,000 in answers.pdf): no __dict__ each
    __slots__ = ("actual_text", "alt", "attached", "attrs", "bbox", "declared", "kids", "page",
                 "parent", "role")

    def __init__(self, role: str, parent: Element | None = None, *, alt: str | None = None,
                 actual_text: str | None = None, attrs: dict[str, dict[str, Any]] | None = None,
                 ) -> None:
        """`alt`: the element's /Alt (a Figure's description); `actual_text`: the text that
        extraction (copy, search, pdftotext, PDFium) gives instead of the element's content,
        written into its marked-content sequences."""
        self.role = role
        self.parent = parent
        self.alt = alt
        self.actual_text = actual_text
        self.attrs = attrs or {}  # owner ("Table", "Layout", "List") -> {key: value}
        self.kids: list[Element | Marked | WidgetRef] = []
        self.declared: list[Element] = []
        self.attached = False
        self.bbox: tuple[float, float, float, float] | None = None
        self.page: int | None = None  # page of the first content, for the PDF's /Pg

    def declare(self, role: str, **kwargs: Any) -> Element:
        child = Element(role, self, **kwargs)
        self.declared.append(child)
        return child

    def __repr__(self) -> str:
        return f"<Element {self.role} kids={len(self.kids)}>"


class Marked:
    """One marked-content sequence: a page (from 1) and its MCID, known when the page ends."""

    __slots__ = ("mcid", "page")

    def __init__(self, page: int) -> None:
        self.page = page
        self.mcid = -1


class WidgetRef:
    """A widget annotation that belongs to a Form element: page, field name, radio value."""

    __slots__ = ("name", "page", "value")

    def __init__(self, page: int, name: str, value: str | None) -> None:
        self.page, self.name, self.value = page, name, value


class _Open:
    """The opening operator of a sequence, in the canvas code until the page is numbered."""

    __slots__ = ("element", "marked")

    def __init__(self, element: Element, marked: Marked) -> None:
        self.element, self.marked = element, marked

    def __str__(self) -> str:  # replaced by the operator when the page ends
        raise RuntimeError("a marked-content opening reached the page stream unnumbered")


def _bdc(element: Element, mcid: int) -> str:
    opening = f"/{element.role} <</MCID {mcid}>> BDC"
    if element.actual_text is not None:
        # a Span with ActualText inside the sequence: what PDF 14.9.4 specifies, and the only
        # form poppler (pdftotext) honours; PDFium and Acrobat honour it too
        text = element.actual_text.encode("utf-16-be").hex().upper()
        opening += f" /Span <</ActualText <FEFF{text}>>> BDC"
    return opening


class StructureRecorder:
    """Per build: the Document element of the tree being recorded, and the sequences in
    force on the page being drawn."""

    def __init__(self) -> None:
        self.root = Element("Document")
        self.root.attached = True
        # the sequences in force, innermost last: (element or None for an artifact, props)
        self._stack: list[tuple[Element | None, str]] = []
        self._opened_at = 0  # len(canvas code) right after the sequence in force was opened
        self.on_save: Callable[[Canvas], None] | None = None  # run before the canvas saves

    def canvasmaker(self, *args: Any, **kwargs: Any) -> TaggedCanvas:
        """Pass as `canvasmaker=` to a DocTemplate's build()."""
        return TaggedCanvas(*args, recorder=self, **kwargs)

    # --- structure ----------------------------------------------------------------------

    def attach(self, element: Element) -> None:
        """Put `element` (and the parents it needs) into the tree, after what is there."""
        if element.attached:
            return
        parent = element.parent or self.current()
        if not parent.attached:
            self.attach(parent)
            if element.attached:  # it came with its parent, as a declared child
                return
        element.attached = True
        parent.kids.append(element)
        for child in element.declared:
            self.attach(child)

    def current(self) -> Element:
        """The innermost element being drawn, or the Document."""
        for element, _ in reversed(self._stack):
            if element is not None:
                return element
        return self.root

    # --- sequences ----------------------------------------------------------------------

    def begin_page(self, canv: Canvas) -> None:
        self._stack = []
        self._open(canv, None, ARTIFACT)

    def end_page(self, canv: Canvas) -> None:
        if self._stack:
            raise RuntimeError(f"page ended inside a tagged sequence: {self._stack}")
        self._close(canv)
        counter = 0
        code = canv._code
        for i, item in enumerate(code):
            if isinstance(item, _Open):
                item.marked.mcid = counter
                if item.element.page is None:
                    item.element.page = item.marked.page
                code[i] = _bdc(item.element, counter)
                counter += 1

    def _open(self, canv: Canvas, element: Element | None, props: str) -> None:
        if element is None:
            canv._code.append(props)
        else:
            marked = Marked(canv.getPageNumber())
            element.kids.append(marked)
            canv._code.append(_Open(element, marked))
        self._opened_at = len(canv._code)

    def _close(self, canv: Canvas) -> None:
        """End the sequence in force; one in which nothing was drawn is taken back."""
        code = canv._code
        if len(code) == self._opened_at:
            opening = code.pop()
            if isinstance(opening, _Open):
                opening.element.kids.remove(opening.marked)
        elif isinstance(code[self._opened_at - 1], _Open) and \
                code[self._opened_at - 1].element.actual_text is not None:
            code.append(f"{EMC} {EMC}")  # the Span, then the element's sequence
        else:
            code.append(EMC)

    def _in_force(self) -> tuple[Element | None, str]:
        return self._stack[-1] if self._stack else (None, ARTIFACT)

    @contextmanager
    def sequence(self, canv: Canvas, element: Element | None, props: str = ARTIFACT
                 ) -> Iterator[None]:
        """Draw the body inside a sequence for `element` (None: an artifact with `props`)."""
        if element is not None:
            self.attach(element)
        self._close(canv)
        self._stack.append((element, props))
        self._open(canv, element, props)
        try:
            yield
        finally:
            self._close(canv)
            self._stack.pop()
            self._open(canv, *self._in_force())

    def widget(self, canv: Canvas, name: str, value: str | None = None) -> None:
        """Record the widget just drawn in a Form element of its own, in reading order."""
        form = Element("Form", self.current())
        with self.sequence(canv, None):  # splits the enclosing sequence around the widget
            self.attach(form)
            form.kids.append(WidgetRef(canv.getPageNumber(), name, value))


class TaggedCanvas(Canvas):
    """A reportlab Canvas whose pages open and close the default Artifact sequence."""

    def __init__(self, *args: Any, recorder: StructureRecorder, **kwargs: Any) -> None:
        self.tags = recorder
        super().__init__(*args, **kwargs)
        recorder.begin_page(self)

    def _startPage(self) -> None:
        super()._startPage()
        self.tags.begin_page(self)

    def showPage(self) -> None:
        self.tags.end_page(self)
        super().showPage()

    def save(self) -> None:
        if self._code == [ARTIFACT]:  # the page begun after the last one: nothing on it
            self._code.clear()
        if self.tags.on_save is not None:
            self.tags.on_save(self)
        super().save()


# --- helpers for drawing code; each works on a plain Canvas too ---------------------------

def recorder_of(canv: Canvas) -> StructureRecorder | None:
    return getattr(canv, "tags", None)


@contextmanager
def marked(canv: Canvas, element: Element | str) -> Iterator[Element | None]:
    """Draw the body as content of `element` (or of a new element with that role)."""
    recorder = recorder_of(canv)
    if recorder is None:
        yield None
        return
    element = Element(element) if isinstance(element, str) else element
    with recorder.sequence(canv, element):
        yield element


@contextmanager
def artifact(canv: Canvas, kind: str | None = None, subtype: str | None = None
             ) -> Iterator[None]:
    """Draw the body as an artifact (e.g. kind "Pagination", subtype "Header")."""
    recorder = recorder_of(canv)
    if recorder is None:
        yield
        return
    props = ARTIFACT
    if kind:
        extra = f" /Subtype /{subtype}" if subtype else ""
        props = f"/Artifact <</Type /{kind}{extra}>> BDC"
    with recorder.sequence(canv, None, props):
        yield


def widget(canv: Canvas, name: str, value: str | None = None) -> None:
    """Call right after drawing a form field's widget (a radio button: with its value)."""
    recorder = recorder_of(canv)
    if recorder is not None:
        recorder.widget(canv, name, value)


class Tagged(Flowable):
    """A flowable whose drawing is the content of a structure element. Splitting gives parts
    that continue the same element (a paragraph across two pages is one P). Drawn a second
    time (a table's repeated header row) it is an artifact."""

    _OWN = ("_flowable", "_element", "_drawn")

    def __init__(self, flowable: Flowable, element: Element | str, **kwargs: Any) -> None:
        element = Element(element, **kwargs) if isinstance(element, str) else element
        self.__dict__.update(_flowable=flowable, _element=element, _drawn=False)

    @property
    def element(self) -> Element:
        return self._element

    @property
    def flowable(self) -> Flowable:
        return self._flowable

    def __getattr__(self, name: str) -> Any:
        if name in Tagged._OWN:
            raise AttributeError(name)
        return getattr(self._flowable, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in Tagged._OWN:
            self.__dict__[name] = value
        else:
            setattr(self._flowable, name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._flowable, name)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self._flowable.wrap(avail_width, avail_height)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return [Tagged(part, self._element)
                for part in self._flowable.split(avail_width, avail_height)]

    def minWidth(self) -> float:
        return self._flowable.minWidth()

    def getSpaceBefore(self) -> float:
        return self._flowable.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self._flowable.getSpaceAfter()

    def getKeepWithNext(self) -> bool:
        return self._flowable.getKeepWithNext()

    def identity(self, maxLen: int | None = None) -> str:
        return f"Tagged {self._element.role}: {self._flowable.identity(maxLen)}"

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        inner = self._flowable
        if self._drawn:
            with artifact(canvas, "Pagination"):
                inner.drawOn(canvas, x, y, _sW)
            return
        self._drawn = True
        element = self._element
        if element.role == "Figure" and element.bbox is None:
            left, bottom = canvas.absolutePosition(inner._hAlignAdjust(x, _sW), y)
            element.bbox = (left, bottom, left + inner.width, bottom + inner.height)
        with marked(canvas, element):
            inner.drawOn(canvas, x, y, _sW)


def figure(drawing: Flowable, alt: str) -> Tagged:
    """A graphic as a Figure: screen readers read `alt`; text extraction gives `alt` once,
    where the graphic is, instead of its scattered labels. (A reportlab Drawing: give it
    initialFontName=<an embedded font>, or it sets the unembedded Helvetica first.)"""
    return Tagged(drawing, "Figure", alt=alt, actual_text=alt)


def unwrap(flowable: Flowable) -> Flowable:
    """The flowable inside a Tagged wrapper (for code that checks a flowable's class)."""
    return flowable.flowable if isinstance(flowable, Tagged) else flowable


class _TaggedBullet:
    """A list item's bullet, drawn as the item's Lbl."""

    def __init__(self, drawer: Any, element: Element) -> None:
        self._drawer, self._element = drawer, element

    def drawOn(self, indenter: Flowable, canv: Canvas, x: float, y: float,
               _sW: float = 0) -> None:
        with marked(canv, self._element):
            self._drawer.drawOn(indenter, canv, x, y, _sW)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._drawer, name)


class TaggedList(ListFlowable):
    """A bulleted list as L > LI > (Lbl, LBody); one flowable per item."""

    def __init__(self, items: list[Flowable], **kwargs: Any) -> None:
        self.element = Element("L", attrs={"List": {"ListNumbering": "Disc"}})
        self._labels = []
        wrapped = []
        for item in items:
            li = Element("LI", self.element)
            self._labels.append(Element("Lbl", li))
            wrapped.append(ListItem(Tagged(item, Element("LBody", li))))
        super().__init__(wrapped, **kwargs)

    def _getContent(self) -> list[Flowable]:
        content = super()._getContent()
        labels = iter(self._labels)
        for indenter in content:
            bullet = getattr(indenter, "_bullet", None)
            if bullet is not None:
                indenter._bullet = _TaggedBullet(bullet, next(labels))
        return content
