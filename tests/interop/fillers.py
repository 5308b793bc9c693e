"""Fill AcroForm PDFs with independent, real-world form-filling implementations.

guidepdf writes fillable PDFs and reads filled ones back; these fillers stand in for
the programs people really fill forms with, so the reader is tested against their
actual output rather than against our own idea of a filled form:

* ``fill_pdfium`` - PDFium through pypdfium2's raw bindings, driven like Chrome's
  viewer drives it (click, select all, paste/type, kill focus, ``FPDF_SaveAsCopy``).
* ``fill_pdfjs`` - pdf.js (Firefox's viewer) in Node: ``annotationStorage.setValue``
  as its AnnotationLayer does, then ``saveDocument()`` (``fill_pdfjs.mjs``).
* ``fill_pdflib`` - pdf-lib in Node (``fill_pdflib.mjs``).
* ``fill_pdftk`` - pdftk(-java) ``fill_form`` with a UTF-8 XFDF and ``need_appearances``.
* ``fill_pypdf`` - pypdf's ``update_page_form_field_values``.

Every filler takes the PDF bytes and ``{full field name: value}`` and returns the saved
PDF bytes. A value is the text for a text field, the on-state (export) name of the
chosen option for a radio group (e.g. ``"L2"``), or the on-state name (usually
``"Yes"``) or ``"Off"`` for a checkbox. Fields not named are left untouched. Names and
option values are checked up front against the PDF's field tree (read with pypdf), so a
bad name raises :class:`MissingFieldError` and a bad option :class:`InvalidValueError`
whatever the filler. A filler whose tool is not installed raises
:class:`FillerUnavailable`.

Requirements: pypdf and pypdfium2 (Python); ``node`` (>= 20.19) with the packages pinned in
``package-lock.json`` beside this file - if ``node_modules`` is missing or older than the
lock file it is installed once with ``npm ci``; ``pdftk`` (Debian: ``pdftk-java``). A filler
whose tool is absent raises FillerUnavailable, which the tests turn into a skip.

Known behaviour of each filler (checked by ``test_fillers.py``) is summarised in
``FILLER_NOTES`` below.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import io
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).resolve().parent

#: Seconds a single external filler run may take before it is killed.
TOOL_TIMEOUT = 180
#: Seconds ``npm ci`` may take.
NPM_TIMEOUT = 600

FILLER_NOTES: dict[str, str] = {
    "pdfium": (
        "Full rewrite (FPDF_SaveAsCopy flags 0, as Chrome saves). /V on the field; new "
        "appearance streams built by PDFium with fallback system fonts. Every line break "
        "is stored as CRLF ('\\n' -> '\\r\\n', '\\r\\n' stays one break). Pasted text "
        "(FORM_ReplaceSelection, the default) loses characters outside the BMP: each is "
        "truncated to its low 16 bits (U+1F600 -> U+F600); typed text (typing=True, "
        "FORM_OnChar per UTF-16 code unit, as Chrome's keyboard/IME path) keeps them. "
        "MaxLen is enforced by truncation. A radio group with NoToggleToOff cannot be "
        "cleared by clicking."
    ),
    "pdfjs": (
        "Incremental update. /V on the field (radio: /V name on the group, /AS on each "
        "kid). Line breaks become LF (the HTML textarea's value). If the field's font "
        "cannot encode a value (anything outside WinAnsi with Helvetica) pdf.js drops the "
        "widget's /AP and sets /NeedAppearances true, exactly as Firefox does on save. "
        "MaxLen: the script truncates as the viewer's DOM maxLength would."
    ),
    "pdflib": (
        "Full rewrite with object streams. Text stored exactly as given; an empty string "
        "removes /V instead of writing (). Non-WinAnsi text gets appearances in an "
        "embedded NotoSans-Regular (no Arabic/CJK/emoji glyphs: .notdef boxes in the "
        "appearance, /V exact). A value longer than MaxLen throws."
    ),
    "pdftk": (
        "Full rewrite. XFDF in UTF-8 (carriage returns escaped as &#13; so they survive "
        "XML newline normalisation); values, including non-Latin text and emoji, stored "
        "exactly in /V. /NeedAppearances true, yet pdftk still rebuilds text appearance "
        "streams with the field's Helvetica: characters outside its encoding come out as "
        "NUL bytes there (the /V is fine). MaxLen is enforced by truncation."
    ),
    "pypdf": (
        "Full rewrite (PdfWriter clone). Text stored exactly, /NeedAppearances true "
        "(auto_regenerate). For buttons pypdf writes the parent's /V as a text *string* "
        "'/L2' (not a name) and puts /V names on every widget too ('/Off' on the others). "
        "Its text appearance streams use Helvetica with '?' for anything else. MaxLen is not "
        "enforced."
    ),
}


class FillerError(RuntimeError):
    """A filler could not fill the form."""


class FillerUnavailable(FillerError):
    """The tool behind a filler is not installed on this machine."""


class MissingFieldError(FillerError, LookupError):
    """A field named in ``values`` does not exist in the PDF."""


class InvalidValueError(FillerError, ValueError):
    """A value is not valid for its field (e.g. an unknown radio option)."""


# --------------------------------------------------------------------------------------
# Independent read-back of the field tree (pypdf, low level)
# --------------------------------------------------------------------------------------

_FF_RADIO = 1 << 15
_FF_PUSHBUTTON = 1 << 16


@dataclass
class FieldState:
    """One terminal field of a PDF's AcroForm, as stored in the file."""

    name: str
    kind: str  # "text", "radio", "checkbox", "pushbutton", "choice", "signature", "unknown"
    flags: int
    max_len: int | None
    #: The field's own /V, decoded: str for a text string, "/Name" for a name, None if absent.
    raw_value: str | None
    #: The type of /V: "string", "name", "other" or None.
    value_type: str | None
    #: Per widget: its on-states (keys of /AP /N other than /Off).
    on_states: list[list[str]] = field(default_factory=list)
    #: Per widget: its /AS without the slash (None if absent).
    widget_states: list[str | None] = field(default_factory=list)
    #: Per widget that is a separate dictionary: its own /V, decoded like raw_value.
    widget_values: list[str | None] = field(default_factory=list)
    #: Per widget: whether it has a normal appearance stream (/AP /N).
    widget_has_ap: list[bool] = field(default_factory=list)

    @property
    def all_on_states(self) -> list[str]:
        """Every on-state of every widget, in widget order, without duplicates."""
        seen: list[str] = []
        for states in self.on_states:
            seen.extend(s for s in states if s not in seen)
        return seen

    @property
    def value(self) -> str | None:
        """The field's effective value as a tolerant reader sees it.

        Text: /V as text ("" when /V is absent). Buttons: the on-state of the widget
        whose /AS is on, else /V (name or string) without its slash, else "Off".
        """
        if self.kind in ("text", "choice"):
            if self.raw_value is None:
                return ""
            return self.raw_value
        if self.kind in ("radio", "checkbox"):
            on = [s for s in self.widget_states if s not in (None, "Off")]
            if on:
                return on[0]
            candidates = [self.raw_value, *self.widget_values]
            for candidate in candidates:
                if candidate is not None and candidate.lstrip("/") != "Off":
                    return candidate.lstrip("/")
            return "Off"
        return self.raw_value


def _decode_value(obj: Any) -> tuple[str | None, str | None]:
    from pypdf.generic import ByteStringObject, NameObject, TextStringObject

    if obj is None:
        return None, None
    obj = obj.get_object()
    if isinstance(obj, NameObject):
        return str(obj), "name"
    if isinstance(obj, TextStringObject):
        return str(obj), "string"
    if isinstance(obj, ByteStringObject):
        return obj.decode("latin-1"), "string"
    return str(obj), "other"


def _widget_on_states(widget: Any) -> list[str]:
    ap = widget.get("/AP")
    if ap is None:
        return []
    normal = ap.get_object().get("/N")
    if normal is None:
        return []
    normal = normal.get_object()
    if not hasattr(normal, "keys") or hasattr(normal, "get_data"):
        return []  # a single stream: not a button with states
    return [str(k)[1:] for k in normal if str(k) != "/Off"]


def read_fields(pdf: bytes) -> dict[str, FieldState]:
    """Walk the AcroForm field tree of ``pdf`` with pypdf and return every terminal field.

    Handles merged field/widget dictionaries and separate widget kids, inherits /FT,
    /Ff and /V down the tree, and also records values that some tools put on widgets.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"].get_object()
    acroform = root.get("/AcroForm")
    fields: dict[str, FieldState] = {}
    if acroform is None:
        return fields
    acroform = acroform.get_object()

    def walk(node: Any, parent_name: str, inherited: dict[str, Any]) -> None:
        node = node.get_object()
        partial = node.get("/T")
        name = parent_name
        if partial is not None:
            partial = str(partial.get_object())
            name = f"{parent_name}.{partial}" if parent_name else partial
        here = dict(inherited)
        for key in ("/FT", "/Ff", "/V", "/MaxLen"):
            if key in node:
                here[key] = node[key]
        kids = [k.get_object() for k in node.get("/Kids", [])]
        child_fields = [k for k in kids if "/T" in k]
        widgets = [k for k in kids if "/T" not in k]
        for child in child_fields:
            walk(child, name, here)
        if child_fields and not widgets:
            return
        if not kids:
            widgets = [node] if node.get("/Subtype") == "/Widget" or "/Rect" in node else []
        ft = str(here.get("/FT", ""))
        flags = int(here.get("/Ff", 0))
        if ft == "/Tx":
            kind = "text"
        elif ft == "/Btn":
            if flags & _FF_PUSHBUTTON:
                kind = "pushbutton"
            elif flags & _FF_RADIO:
                kind = "radio"
            else:
                kind = "checkbox"
        elif ft == "/Ch":
            kind = "choice"
        elif ft == "/Sig":
            kind = "signature"
        else:
            kind = "unknown"
        raw_value, value_type = _decode_value(here.get("/V"))
        max_len = here.get("/MaxLen")
        state = FieldState(
            name=name,
            kind=kind,
            flags=flags,
            max_len=int(max_len) if max_len is not None else None,
            raw_value=raw_value,
            value_type=value_type,
        )
        for widget in widgets:
            state.on_states.append(_widget_on_states(widget))
            as_ = widget.get("/AS")
            state.widget_states.append(str(as_)[1:] if as_ is not None else None)
            if widget is not node:
                state.widget_values.append(_decode_value(widget.get("/V"))[0])
            ap = widget.get("/AP")
            state.widget_has_ap.append(ap is not None and "/N" in ap.get_object())
        fields[name] = state

    for top in acroform.get("/Fields", []):
        walk(top, "", {})
    return fields


def read_values(pdf: bytes) -> dict[str, str | None]:
    """Return ``{full field name: effective value}`` for every terminal field of ``pdf``."""
    return {name: state.value for name, state in read_fields(pdf).items()}


def need_appearances(pdf: bytes) -> bool:
    """Whether the PDF's AcroForm has /NeedAppearances true."""
    from pypdf import PdfReader

    acroform = PdfReader(io.BytesIO(pdf)).trailer["/Root"].get_object().get("/AcroForm")
    return bool(acroform is not None and acroform.get_object().get("/NeedAppearances", False))


def eof_count(pdf: bytes) -> int:
    """Number of %%EOF markers: more than one means incremental updates were appended."""
    return pdf.count(b"%%EOF")


def _check_values(pdf: bytes, values: Mapping[str, str]) -> dict[str, FieldState]:
    """Validate names and values against the PDF; return the states of the named fields."""
    fields = read_fields(pdf)
    missing = [name for name in values if name not in fields]
    if missing:
        raise MissingFieldError(
            f"field(s) not found in PDF: {', '.join(map(repr, missing))}; "
            f"fields present: {', '.join(map(repr, sorted(fields)))}"
        )
    named: dict[str, FieldState] = {}
    for name, value in values.items():
        state = fields[name]
        if not isinstance(value, str):
            raise InvalidValueError(f"value for {name!r} must be a str, not {type(value)!r}")
        if state.kind in ("radio", "checkbox"):
            options = state.all_on_states
            if value != "Off" and value not in options:
                raise InvalidValueError(
                    f"{state.kind} {name!r} has no on-state {value!r}; on-states: {options}"
                )
        elif state.kind != "text":
            raise InvalidValueError(f"field {name!r} is a {state.kind} field: not supported")
        named[name] = state
    return named


# --------------------------------------------------------------------------------------
# PDFium (as Chrome)
# --------------------------------------------------------------------------------------


def _pdfium_widestring(text: str) -> tuple[ctypes.Array, Any]:
    """Return (keep-alive buffer, FPDF_WIDESTRING) for ``text``: UTF-16LE, NUL-terminated."""
    import pypdfium2.raw as pdfium_c

    data = text.encode("utf-16-le", "surrogatepass") + b"\0\0"
    buffer = ctypes.create_string_buffer(data, len(data))
    return buffer, ctypes.cast(buffer, pdfium_c.FPDF_WIDESTRING)


def _pdfium_utf16_out(call: Callable[[Any, int], int]) -> str:
    """Call a PDFium "fill a UTF-16LE buffer, return its byte size" getter twice."""
    size = call(None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    call(buffer, size)
    return buffer.raw[: size - 2].decode("utf-16-le", "surrogatepass")


@dataclass
class _PdfiumWidget:
    page_index: int
    annot_index: int
    field_type: int
    export_value: str
    x: float
    y: float


def fill_pdfium(pdf: bytes, values: dict[str, str], *, typing: bool = False) -> bytes:
    """Fill with PDFium driven as Chrome's PDF viewer drives it; return the saved PDF.

    For each text field: click the centre of its first widget (FORM_OnMouseMove,
    FORM_OnLButtonDown/Up), check that the widget got focus, FORM_SelectAllText, then
    FORM_ReplaceSelection with the text as an FPDF_WIDESTRING (Chrome's paste path), or
    with ``typing=True`` one FORM_OnChar per UTF-16 code unit, Enter as "\\r" (Chrome's
    keyboard/IME path), and finally FORM_ForceToKillFocus to commit. For a radio group
    click the widget whose export value is the chosen option; for a checkbox click it if
    its state differs. Save with FPDF_SaveAsCopy(flags=0) - a full, non-incremental
    rewrite, as Chrome's PDFiumEngine::GetSaveData does.
    """
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c
    except ImportError as exc:  # pragma: no cover - pypdfium2 is a test dependency
        raise FillerUnavailable("pypdfium2 is not installed") from exc

    states = _check_values(pdf, values)
    doc = pdfium.PdfDocument(pdf)
    try:
        if not doc.init_forms():
            if values:
                raise FillerError("PDFium found no AcroForm in the PDF")
            return pdf
        form = doc.formenv.raw
        pdfium_c.FORM_DoDocumentJSAction(form)
        pdfium_c.FORM_DoDocumentOpenAction(form)
        pages = [doc[i] for i in range(len(doc))]
        for page in pages:
            pdfium_c.FORM_DoPageAAction(page.raw, form, pdfium_c.FPDFPAGE_AACTION_OPEN)

        def annot_name(annot: Any) -> str:
            return _pdfium_utf16_out(
                lambda buf, n: pdfium_c.FPDFAnnot_GetFormFieldName(
                    form, annot, ctypes.cast(buf, pdfium_c.FPDF_WIDESTRING) if buf else None, n
                )
            )

        def export_value(annot: Any) -> str:
            return _pdfium_utf16_out(
                lambda buf, n: pdfium_c.FPDFAnnot_GetFormFieldExportValue(
                    form, annot, ctypes.cast(buf, pdfium_c.FPDF_WIDESTRING) if buf else None, n
                )
            )

        widgets: dict[str, list[_PdfiumWidget]] = {}
        for page_index, page in enumerate(pages):
            for annot_index in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
                annot = pdfium_c.FPDFPage_GetAnnot(page.raw, annot_index)
                try:
                    if pdfium_c.FPDFAnnot_GetSubtype(annot) != pdfium_c.FPDF_ANNOT_WIDGET:
                        continue
                    name = annot_name(annot)
                    if name not in values:
                        continue
                    field_type = pdfium_c.FPDFAnnot_GetFormFieldType(form, annot)
                    rect = pdfium_c.FS_RECTF()
                    if not pdfium_c.FPDFAnnot_GetRect(annot, rect):
                        continue
                    widgets.setdefault(name, []).append(
                        _PdfiumWidget(
                            page_index=page_index,
                            annot_index=annot_index,
                            field_type=field_type,
                            export_value=export_value(annot),
                            x=(rect.left + rect.right) / 2,
                            y=(rect.bottom + rect.top) / 2,
                        )
                    )
                finally:
                    pdfium_c.FPDFPage_CloseAnnot(annot)

        def click(widget: _PdfiumWidget) -> None:
            page = pages[widget.page_index].raw
            pdfium_c.FORM_OnMouseMove(form, page, 0, widget.x, widget.y)
            pdfium_c.FORM_OnLButtonDown(form, page, 0, widget.x, widget.y)
            pdfium_c.FORM_OnLButtonUp(form, page, 0, widget.x, widget.y)

        def is_checked(widget: _PdfiumWidget) -> bool:
            annot = pdfium_c.FPDFPage_GetAnnot(pages[widget.page_index].raw, widget.annot_index)
            try:
                return bool(pdfium_c.FPDFAnnot_IsChecked(form, annot))
            finally:
                pdfium_c.FPDFPage_CloseAnnot(annot)

        def focused_name() -> str | None:
            page_index = ctypes.c_int(-1)
            annot = pdfium_c.FPDF_ANNOTATION()
            if not pdfium_c.FORM_GetFocusedAnnot(form, page_index, annot) or not annot:
                return None
            try:
                return annot_name(annot)
            finally:
                pdfium_c.FPDFPage_CloseAnnot(annot)

        for name, value in values.items():
            group = widgets.get(name)
            if not group:
                raise MissingFieldError(f"PDFium found no widget for field {name!r}")
            kind = states[name].kind
            if kind == "text":
                widget = group[0]
                page = pages[widget.page_index].raw
                click(widget)
                if focused_name() != name:
                    raise FillerError(
                        f"clicking the centre of {name!r} focused {focused_name()!r} instead"
                    )
                pdfium_c.FORM_SelectAllText(form, page)
                if typing:
                    if value == "":
                        pdfium_c.FORM_OnKeyDown(form, page, pdfium_c.FWL_VKEY_Delete, 0)
                        pdfium_c.FORM_OnKeyUp(form, page, pdfium_c.FWL_VKEY_Delete, 0)
                    units = value.replace("\r\n", "\r").replace("\n", "\r")
                    data = units.encode("utf-16-le", "surrogatepass")
                    for i in range(0, len(data), 2):
                        pdfium_c.FORM_OnChar(
                            form, page, int.from_bytes(data[i : i + 2], "little"), 0
                        )
                else:
                    _keep, wide = _pdfium_widestring(value)
                    pdfium_c.FORM_ReplaceSelection(form, page, wide)
                if not pdfium_c.FORM_ForceToKillFocus(form):
                    raise FillerError(f"PDFium could not commit {name!r} (kill focus failed)")
            else:
                targets = [w for w in group if w.export_value == value]
                if value == "Off":
                    for widget in group:
                        if is_checked(widget):
                            click(widget)
                    if any(is_checked(w) for w in group):
                        raise InvalidValueError(
                            f"PDFium (like Chrome) cannot turn {kind} {name!r} off by clicking"
                        )
                else:
                    if not targets:
                        raise InvalidValueError(f"PDFium sees no widget of {name!r} for {value!r}")
                    if not is_checked(targets[0]):
                        click(targets[0])
                    if not is_checked(targets[0]):
                        raise FillerError(f"clicking {name!r}={value!r} did not select it")
                pdfium_c.FORM_ForceToKillFocus(form)

        for page in pages:
            pdfium_c.FORM_DoPageAAction(page.raw, form, pdfium_c.FPDFPAGE_AACTION_CLOSE)
        out = io.BytesIO()
        doc.save(out, flags=0)  # FPDF_SaveAsCopy(doc, writer, 0): full rewrite, like Chrome
        for page in pages:
            page.close()
        return out.getvalue()
    finally:
        doc.close()


# --------------------------------------------------------------------------------------
# Node fillers (pdf.js, pdf-lib)
# --------------------------------------------------------------------------------------


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_node_modules() -> None:
    """Make sure ``node`` exists and the pinned npm packages are installed (``npm ci``)."""
    if shutil.which("node") is None:
        raise FillerUnavailable("node is not installed")
    lock = HERE / "package-lock.json"
    stamp = HERE / "node_modules" / ".package-lock.json"
    if stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise FillerUnavailable("npm is not installed and tests/interop/node_modules is missing")
    with _file_lock(Path(tempfile.gettempdir()) / "guidepdf-interop-npm.lock"):
        if stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime:
            return
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=NPM_TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            raise FillerError(f"npm ci failed in {HERE}:\n{result.stdout}\n{result.stderr}")


def _run_tool(args: list[str], what: str, field_error_code: int | None = None) -> None:
    """Run an external filler; a non-zero exit becomes a FillerError with its stderr.

    ``field_error_code`` is the exit code by which the tool reports a missing field or an
    invalid option (our Node scripts use 3); it becomes a MissingFieldError.
    """
    try:
        result = subprocess.run(
            args,
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise FillerError(f"{what} timed out after {TOOL_TIMEOUT}s") from exc
    if field_error_code is not None and result.returncode == field_error_code:
        raise MissingFieldError(result.stderr.strip())
    if result.returncode != 0:
        raise FillerError(
            f"{what} failed with exit code {result.returncode}:\n"
            f"{result.stderr.strip()}\n{result.stdout.strip()}".rstrip()
        )


def _fill_with_node(script: str, pdf: bytes, values: dict[str, str]) -> bytes:
    _check_values(pdf, values)
    ensure_node_modules()
    with tempfile.TemporaryDirectory(prefix="guidepdf-fill-") as tmp:
        tmp_path = Path(tmp)
        in_path, values_path, out_path = (tmp_path / n for n in ("in.pdf", "v.json", "out.pdf"))
        in_path.write_bytes(pdf)
        values_path.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
        _run_tool(
            ["node", str(HERE / script), str(in_path), str(values_path), str(out_path)],
            script,
            field_error_code=3,
        )
        return out_path.read_bytes()


def fill_pdfjs(pdf: bytes, values: dict[str, str]) -> bytes:
    """Fill with pdf.js as Firefox's viewer does (annotationStorage + saveDocument)."""
    return _fill_with_node("fill_pdfjs.mjs", pdf, values)


def fill_pdflib(pdf: bytes, values: dict[str, str]) -> bytes:
    """Fill with pdf-lib (setText / select / check, updateFieldAppearances, save)."""
    return _fill_with_node("fill_pdflib.mjs", pdf, values)


# --------------------------------------------------------------------------------------
# pdftk
# --------------------------------------------------------------------------------------


def _xfdf_text(text: str) -> str:
    # XML parsers turn CR and CRLF into LF; a character reference keeps a CR intact.
    return escape(text).replace("\r", "&#13;")


def build_xfdf(values: Mapping[str, str]) -> str:
    """Return an XFDF document (UTF-8) for ``values``; dotted names become nested fields."""
    tree: dict[str, Any] = {}
    for name, value in values.items():
        node = tree
        parts = name.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise InvalidValueError(f"field {name!r} is nested under a terminal field")
        node[parts[-1]] = value

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<xfdf xmlns="http://ns.adobe.com/xfdf/" xml:space="preserve">',
        "<fields>",
    ]

    def emit(node: dict[str, Any]) -> None:
        for key, item in node.items():
            attr = quoteattr(key).replace("\r", "&#13;")
            if isinstance(item, dict):
                lines.append(f"<field name={attr}>")
                emit(item)
                lines.append("</field>")
            else:
                lines.append(f"<field name={attr}><value>{_xfdf_text(item)}</value></field>")

    emit(tree)
    lines += ["</fields>", "</xfdf>", ""]
    return "\n".join(lines)


def fill_pdftk(pdf: bytes, values: dict[str, str]) -> bytes:
    """Fill with ``pdftk IN fill_form X.xfdf output OUT need_appearances``.

    Non-Latin text (accented, Greek, Cyrillic, Arabic, CJK, emoji) survives exactly in
    /V: pdftk-java reads the UTF-8 XFDF and writes /V as UTF-16BE text strings. With
    need_appearances it sets /NeedAppearances true but still regenerates each text
    widget's appearance stream with the field's font (Helvetica here); characters that
    font cannot encode are written as NUL bytes in that stream, so a viewer that ignores
    /NeedAppearances shows garbage while /V is right. MaxLen truncates the value.
    """
    _check_values(pdf, values)
    pdftk = shutil.which("pdftk")
    if pdftk is None:
        raise FillerUnavailable("pdftk is not installed (Debian package pdftk-java)")
    with tempfile.TemporaryDirectory(prefix="guidepdf-fill-") as tmp:
        tmp_path = Path(tmp)
        in_path, xfdf_path, out_path = (tmp_path / n for n in ("in.pdf", "v.xfdf", "out.pdf"))
        in_path.write_bytes(pdf)
        xfdf_path.write_text(build_xfdf(values), encoding="utf-8")
        _run_tool(
            [
                pdftk,
                str(in_path),
                "fill_form",
                str(xfdf_path),
                "output",
                str(out_path),
                "need_appearances",
            ],
            "pdftk",
        )
        return out_path.read_bytes()


# --------------------------------------------------------------------------------------
# pypdf
# --------------------------------------------------------------------------------------


def fill_pypdf(pdf: bytes, values: dict[str, str]) -> bytes:
    """Fill with pypdf: ``update_page_form_field_values(page, ..., auto_regenerate=True)``.

    Button values are passed as names ("/L2", "/Yes", "/Off"), as pypdf expects.
    auto_regenerate=True sets /NeedAppearances true (pypdf's own text appearance streams
    are rudimentary: Helvetica, no shaping), so viewers rebuild them.
    """
    from pypdf import PdfWriter

    states = _check_values(pdf, values)
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    converted = {
        name: (value if states[name].kind == "text" else "/" + value)
        for name, value in values.items()
    }
    for page in writer.pages:
        if "/Annots" in page:
            writer.update_page_form_field_values(page, converted, auto_regenerate=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


Filler = Callable[[bytes, dict[str, str]], bytes]

FILLERS: dict[str, Filler] = {
    "pdfium": fill_pdfium,
    "pdfjs": fill_pdfjs,
    "pdflib": fill_pdflib,
    "pdftk": fill_pdftk,
    "pypdf": fill_pypdf,
}

__all__ = [
    "FILLERS",
    "FILLER_NOTES",
    "FieldState",
    "FillerError",
    "FillerUnavailable",
    "InvalidValueError",
    "MissingFieldError",
    "build_xfdf",
    "ensure_node_modules",
    "eof_count",
    "fill_pdfium",
    "fill_pdfjs",
    "fill_pdflib",
    "fill_pdftk",
    "fill_pypdf",
    "need_appearances",
    "read_fields",
    "read_values",
]
