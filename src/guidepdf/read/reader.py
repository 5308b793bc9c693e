"""A returned PDF (path or bytes) -> FilledForm: role, manifest, answers by question id and
column, respondent, IC choices, and a warning for every oddity. Built on pikepdf (qpdf), which
repairs damaged files and decrypts AES; reads only the form objects, never page content."""

from __future__ import annotations

import codecs
import functools
import io
import os
import re
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from guidepdf import formspec
from guidepdf.content.model import Content
from guidepdf.errors import FormReadError
from guidepdf.notes import Note
from guidepdf.read.garbled import why_garbled
from guidepdf.read.pdfstrings import MAX_VALUE_BYTES, decode_pdf_text, value_text

QPDF_ERRORS = (pikepdf.PdfError, pikepdf.PikepdfError)  # what qpdf raises on damage
_MAX_DEPTH = 32  # field trees deeper than this are malformed (or loops)
_SUFFIX = re.compile(r"\[\d+\]$")
_KINDS = {"/Tx": "text", "/Btn": "button", "/Ch": "choice"}
_ADVISE = getattr(os, "posix_fadvise", None)  # not on macOS or Windows


@dataclass
class FilledForm:
    """Everything read from one returned form."""

    source: str
    role: str
    manifest: formspec.Manifest | None
    answers: dict[str, dict[str, str]] = field(default_factory=dict)  # qid -> column -> text
    respondent: dict[str, str] = field(default_factory=dict)
    ic: dict[str, str | None] = field(default_factory=dict)  # outcome id -> L1.. / NA / None
    ic_notes: dict[str, str] = field(default_factory=dict)
    modified: str = ""  # the PDF's ModDate as written, for choosing among duplicates
    warnings: list[Note] = field(default_factory=list)  # words: labels read.<code>


@dataclass(slots=True)
class _Value:
    text: str | None = None  # text fields
    state: str | None = None  # buttons: the chosen on-state, or None for Off / unset
    kind: str = ""  # "text", "button", "choice", "" unknown
    source: str = ""  # "field" or "widget"
    count: int = 0  # terminal fields with this name
    oddities: list[Note] = field(default_factory=list)


def read_form(source: str | Path | bytes, *, name: str | None = None,
              content: Content | None = None) -> FilledForm:
    """Read one returned form. Raise FormReadError (`name: reason`) when it cannot be read.

    With `content`, the form is also compared with that content: a form made from another
    version is read by question id, and every difference is a warning.
    """
    shown = name or (str(source) if not isinstance(source, bytes) else "<bytes>")
    # A path is opened by qpdf itself: reading through a Python stream costs twice the time.
    opened = _check_head(source, shown)
    try:
        # pages are not prepared for rendering (inherited attributes pushed down): a fifth
        # of the cost of opening, for pages this reader looks at only to find lost widgets
        pdf = pikepdf.open(opened, password="", inherit_page_attributes=False)
    except pikepdf.PasswordError:
        raise FormReadError(shown, Note.of("password")) from None
    except (*QPDF_ERRORS, ValueError) as exc:  # ValueError: numbers beyond 64 bits
        detail = _qpdf_message(exc)
        if "unsupported encryption" in detail:
            raise FormReadError(shown, Note.of("encryption_unsupported")) from None
        raise FormReadError(shown, Note.of("damaged", detail=detail)) from None
    except OSError as exc:
        raise FormReadError(shown, Note.of("cannot_read", detail=exc.strerror)) from None
    with pdf:
        warnings = []
        if pdf.get_warnings():
            warnings.append(Note.of("repaired"))
        if pdf.is_encrypted:
            warnings.append(Note.of("empty_password"))
        try:
            form = _read(pdf, shown, warnings)
        except QPDF_ERRORS as exc:  # damage found while walking (objects resolve lazily)
            raise FormReadError(shown, Note.of("damaged", detail=_qpdf_message(exc))) from None
    if content is not None:
        compare_with_content(form, content)
    return form


def _check_head(source: str | Path | bytes, shown: str) -> Path | io.BytesIO:
    """Refuse what is plainly not a PDF before qpdf sees it; return what to open."""
    if isinstance(source, bytes):
        head, opened = source[:1024], io.BytesIO(source)
    else:
        try:  # os-level: a buffered Python file costs several times these calls
            # O_NONBLOCK: a named pipe put in place of a file must not hang the reader
            fd = os.open(source, os.O_RDONLY | getattr(os, "O_BINARY", 0)
                         | getattr(os, "O_NONBLOCK", 0))
            try:
                mode = os.fstat(fd).st_mode
                if not stat.S_ISREG(mode):
                    raise FormReadError(shown, not_a_file(mode))
                if _ADVISE is not None:  # the head alone: the kernel's read-ahead for it
                    _ADVISE(fd, 0, 0, os.POSIX_FADV_RANDOM)  # was 4% of reading a form
                head = os.read(fd, 1024)
            finally:
                os.close(fd)
        except OSError as exc:
            raise FormReadError(shown, Note.of("cannot_read", detail=exc.strerror)) from None
        opened = Path(source)
    if not head:
        raise FormReadError(shown, Note.of("empty_file"))
    if b"%PDF-" not in head:  # its bytes are never quoted: a link may point anywhere
        raise FormReadError(shown, Note.of("not_pdf", kind=_what_it_is(head)))
    return opened


def not_a_file(mode: int) -> Note:
    """Why an entry of this mode is not read."""
    if stat.S_ISFIFO(mode):
        return Note.of("fifo")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return Note.of("device")
    if stat.S_ISSOCK(mode):
        return Note.of("socket")
    if stat.S_ISDIR(mode):
        return Note.of("folder")
    return Note.of("not_regular")


_MAGIC = ((b"PK\x03\x04", "kind_zip"), (b"\xd0\xcf\x11\xe0", "kind_office"),
          (b"\x89PNG", "kind_png"), (b"\xff\xd8\xff", "kind_jpeg"), (b"GIF8", "kind_gif"),
          (b"{\\rtf", "kind_rtf"))


def _what_it_is(head: bytes) -> Note:
    """What a file that is not a PDF seems to be, in words — never its bytes."""
    start = head.lstrip()
    if start[:15].lower().startswith((b"<!doctype", b"<html")):
        return Note.of("kind_html")
    for magic, kind in _MAGIC:
        if start.startswith(magic):
            return Note.of(kind)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return Note.of("kind_binary")
    if b"\0" in head:
        return Note.of("kind_binary")
    return Note.of("kind_text")


def _qpdf_message(exc: Exception) -> str:
    """qpdf's message without the file name or stream address it starts with."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = re.sub(r"^(stream <[^>]*>|\S+\.pdf)\s*", "", text)
    return re.sub(r"^\([^)]*\):\s*", "", text).removeprefix(": ")[:200]


def _read(pdf: pikepdf.Pdf, shown: str, warnings: list[Note]) -> FilledForm:
    root = pdf.Root
    acroform = root.get("/AcroForm")
    if not isinstance(acroform, pikepdf.Dictionary):
        raise FormReadError(shown, Note.of("no_fields"))
    fields = acroform.get("/Fields")
    if "/XFA" in acroform and not (isinstance(fields, pikepdf.Array) and len(fields)):
        raise FormReadError(shown, Note.of("xfa_only"))
    if _has_javascript(root):
        warnings.append(Note.of("javascript"))
    if "/XFA" in acroform:
        warnings.append(Note.of("xfa_part"))
    values: dict[str, _Value] = {}
    prefixed: set[str] = set()
    tree_widgets = _walk_fields(fields, values, prefixed)
    manifest, manifest_note = _manifest(pdf, values)
    # the pages are looked at only when the field tree may have lost widgets to them: it
    # holds another number of widgets than a guide of this manifest has
    if manifest is None or tree_widgets != formspec.widget_count(manifest):
        try:
            _walk_widgets(pdf, values, prefixed, tree_widgets)
        except QPDF_ERRORS as exc:  # a page-tree loop or a broken page
            warnings.append(Note.of("page_tree_damaged", detail=_qpdf_message(exc)))
        manifest, manifest_note = _manifest(pdf, values)  # a detached manifest field
    if not values:
        raise FormReadError(shown, Note.of("no_fields"))
    ours = {name: ref for name in values if (ref := _field_ref(name))}
    if manifest is None and not any(r.kind != "manifest" for r in ours.values()):
        raise FormReadError(shown, Note.of("not_guidepdf", n=len(values)))
    roles = Counter(r.role for r in ours.values() if r.kind != "manifest")
    role = manifest.role if manifest else roles.most_common(1)[0][0]
    if manifest_note:
        warnings.append(manifest_note)
    if prefixed:
        sample = sorted(prefixed)[0]
        warnings.append(Note.of("prefixed", field=_shown(sample)))
    other_roles = sorted(r for r in roles if r != role)
    if other_roles:
        warnings.append(Note.of("other_roles", roles=tuple(other_roles), role_id=role))
    form = FilledForm(shown, role, manifest, warnings=warnings,
                      modified=_info_text(pdf, "/ModDate"))
    for name, value in sorted(values.items()):
        ref = ours.get(name)
        if value.count > 1 and ref is not None and ref.kind != "manifest":
            form.warnings.append(Note.of("field_repeated", field=_shown(name),
                                         n=value.count))
        if value.text and ref is not None and ref.kind != "manifest" \
                and (garbled := why_garbled(value.text)):
            value.oddities.append(garbled)
        if value.oddities:
            form.warnings.extend(Note.of("field_note", field=_shown(name), note=note)
                                 for note in value.oddities)
        if ref is None:
            if name != formspec.MANIFEST_FIELD:
                form.warnings.append(Note.of("unknown_field", field=_shown(name)))
            continue
        if ref.kind == "manifest" or ref.role != role:
            continue
        _store(form, ref, value)
    _check_against_manifest(form)
    return form


def _value_of(values: dict[str, _Value], leaf: str, ft: str | None, source: str) -> _Value:
    """The value gathered so far under a field's leaf name; a new one, of the field type's
    kind, the first time the name is seen (in the field tree or on a detached widget)."""
    value = values.get(leaf)
    if value is None:
        value = values[leaf] = _Value(kind=_KINDS.get(ft, ""), source=source)
    return value


def _leaf(full_name: str, prefixed: set[str]) -> str:
    """Our names never contain '.', so a dotted name is a viewer's hierarchy or prefix."""
    if "." not in full_name and not full_name.endswith("]"):
        return full_name
    last = _SUFFIX.sub("", full_name.rsplit(".", 1)[-1])
    if last != full_name:
        prefixed.add(full_name)
    return last


# Every form of a role has the same field names: parse each once per process, not per form.
_parse_field_name = functools.lru_cache(maxsize=4096)(formspec.parse_field_name)


def _field_ref(name: str) -> formspec.FieldRef | None:
    if len(name) > 200:  # not worth remembering (a damaged or hostile file's name)
        return formspec.parse_field_name(name)
    return _parse_field_name(name)


def _walk_fields(fields: pikepdf.Object, values: dict[str, _Value], prefixed: set[str]) -> int:
    """Walk the /Fields tree into `values`; return how many widgets the tree has.

    Kids that are only widgets are not opened unless their field has no value: resolving
    widget objects is most of the cost of reading a form. A button field with its own /FT and
    /V (an answered radio group) is taken as terminal: its kids are its widgets, and are not
    even opened to see whether they are fields (parents of fields carry neither in practice).

    This loop runs for every field of every form, so it asks pikepdf as little as it can:
    object types by their type code (a tenth of the cost of isinstance on pikepdf's classes),
    strings by get_bytes, and field names decoded once per process.
    """
    seen: set[tuple[int, int]] = set()
    widgets = 0
    if _type(fields) is not _ARRAY:
        return widgets
    stack: list[tuple[pikepdf.Object, str, str, int]] = [
        (f, "", "", 0) for f in reversed(list(fields))]
    while stack:
        node, parent_name, parent_ft, depth = stack.pop()
        if depth > _MAX_DEPTH or _type(node) is not _DICT:
            continue
        key = node.objgen  # (0, 0) for a direct object, which cannot be reached twice
        if key in seen:
            continue
        if key[0]:
            seen.add(key)
        part = node.get_bytes("/T")  # None unless /T is a string
        name = parent_name
        if part is not None:
            part_text = _decode_name(part)
            name = f"{parent_name}.{part_text}" if parent_name else part_text
        own_ft = node.get("/FT")
        ft = _name(own_ft) if own_ft is not None else parent_ft
        v = node.get("/V")
        kids = node.get("/Kids") if "/Kids" in node else None
        if _type(kids) is _ARRAY and len(kids):
            if v is None or own_ft is None or ft != "/Btn":
                first = kids[0]
                if _type(first) is _DICT and "/T" in first:
                    # kids are fields (any widget among them is absorbed under this name)
                    stack.extend((k, name, ft, depth + 1) for k in reversed(list(kids)))
                    continue
            widgets += len(kids)
        else:
            kids = None
            widgets += 1  # a field merged with its widget
        if not name:
            continue
        value = _value_of(values, _leaf(name, prefixed), ft, "field")
        value.count += 1
        _absorb(value, node, v, kids)
    return widgets


def _absorb(value: _Value, node: pikepdf.Dictionary, v: pikepdf.Object | None,
            kids: pikepdf.Array | None) -> None:
    """Take the value `v` of a terminal field, else its widgets' /V (text) or /AS."""
    if value.kind == "button" or (not value.kind and _type(v) is _NAME):
        value.kind = "button"
        state = _on_state(v)
        if state is None:  # no /V: a viewer may have set only the widgets' states
            for w in list(kids) if kids is not None else [node]:
                if _type(w) is _DICT:
                    state = _on_state(_get(w, "/AS")) or _on_state(_get(w, "/V"))
                    if state:
                        break
        if state:
            value.state = state
        return
    if v is not None:
        _take_text(value, v)
    elif kids is not None:  # some writers keep the value on the widget
        for kid in kids:
            kid_value = _get(kid, "/V") if _type(kid) is _DICT else None
            if kid_value is not None:
                _take_text(value, kid_value)


def _take_text(value: _Value, obj: pikepdf.Object) -> None:
    if _type(obj) is _STRING:  # the usual answer: a string of sane length, decoded here
        raw = bytes(obj)
        text, oddity = (decode_pdf_text(raw), None) if len(raw) <= MAX_VALUE_BYTES \
            else value_text(obj)
    else:
        text, oddity = value_text(obj)
    if oddity:
        value.oddities.append(oddity)
    if text is not None and (value.text is None or (text and not value.text)):
        value.text = text
    if not value.kind:
        value.kind = "text"


def _on_state(obj: pikepdf.Object | None) -> str | None:
    """The chosen state of a button from a /V or /AS: a name, or a string (pypdf writes
    the string "/L2"); None for Off or unset."""
    if isinstance(obj, pikepdf.Name):
        state = _name(obj)[1:]
    elif isinstance(obj, pikepdf.String):
        state = _text(obj).removeprefix("/")
    else:
        return None
    return state if state not in ("", "Off") else None


def _walk_widgets(pdf: pikepdf.Pdf, values: dict[str, _Value], prefixed: set[str],
                  tree_widgets: int) -> None:
    """Widgets a viewer detached from the field tree (macOS Preview does this for radios):
    a widget with its own /T and /V, or a /Parent chain the /Fields array does not reach.

    When the pages hold exactly as many annotations as the field tree has widgets, there is
    nothing detached and the (costly) scan is skipped.
    """
    annot_arrays = list(_annotations(pdf.Root))
    count = sum(len(annots) for annots in annot_arrays)
    if count == tree_widgets:
        return
    for annots in annot_arrays:
        for annot in annots:
            if not isinstance(annot, pikepdf.Dictionary) or \
                    _name(annot.get("/Subtype")) != "/Widget":
                continue
            name, ft, node = _widget_name(annot)
            if not name:
                continue
            value = _value_of(values, _leaf(name, prefixed), ft, "widget")
            if value.kind == "button" or ft == "/Btn":
                value.kind = "button"
                if value.state is None:
                    value.state = _on_state(annot.get("/V")) or _on_state(node.get("/V")) \
                        or _on_state(annot.get("/AS"))
            elif value.text in (None, "") and "/V" in annot:
                text, _ = value_text(annot["/V"])
                if text:
                    value.text = text
                    value.kind = value.kind or "text"


def _annotations(root: pikepdf.Dictionary) -> Iterator[pikepdf.Array]:
    """Each page's /Annots, walking the page tree itself: a tree that loops back on itself
    or holds a page twice (qpdf refuses those) still gives every page once."""
    seen: set[tuple[int, int]] = set()
    stack: list[pikepdf.Object] = [_get(root, "/Pages")]
    while stack:
        node = stack.pop()
        if _type(node) is not _DICT:
            continue
        key = node.objgen
        if key in seen:
            continue
        if key[0]:
            seen.add(key)
        kids = _get(node, "/Kids")
        if _type(kids) is _ARRAY:
            stack.extend(reversed(list(kids)))
            continue
        annots = _get(node, "/Annots")
        if _type(annots) is _ARRAY:
            yield annots


def _widget_name(annot: pikepdf.Dictionary) -> tuple[str, str, pikepdf.Dictionary]:
    parts, ft, node, depth = [], "", annot, 0
    while isinstance(node, pikepdf.Dictionary) and depth <= _MAX_DEPTH:
        if "/T" in node:
            parts.append(_text(node["/T"]))
        if not ft and "/FT" in node:
            ft = _name(node["/FT"])
        parent = node.get("/Parent")
        if parent is None:
            break
        node, depth = parent, depth + 1
    terminal = annot if "/T" in annot else annot.get("/Parent", annot)
    return ".".join(reversed(parts)), ft, terminal


def _manifest(pdf: pikepdf.Pdf, values: dict[str, _Value]
              ) -> tuple[formspec.Manifest | None, Note | None]:
    field_value = values.get(formspec.MANIFEST_FIELD)
    field_text = field_value.text if field_value is not None else None
    if field_text and (manifest := _parse_manifest(field_text)):
        return manifest, None
    # the copy in the document info: for when a viewer dropped or damaged the hidden field
    info = _info_text(pdf, formspec.MANIFEST_INFO_KEY)
    if info and (manifest := _parse_manifest(info)):
        return manifest, None
    if field_text or info:
        return None, Note.of("manifest_damaged")
    return None, Note.of("manifest_missing")


def _parse_manifest(text: str) -> formspec.Manifest | None:
    try:
        return formspec.Manifest.from_json(text)
    except (ValueError, TypeError, KeyError):
        return None


def _shown(name: str, limit: int = 60) -> str:
    """A field name as it may appear in a message: printable, and not too long."""
    clean = "".join(c if c.isprintable() else "?" for c in name)
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _get(obj: pikepdf.Dictionary, key: str) -> pikepdf.Object | None:
    """obj.get(key), for keys often absent: pikepdf's get takes ~2 µs to report a key
    missing, `in` ~0.3 µs (and a form reader asks many fields for keys they lack)."""
    return obj.get(key) if key in obj else None


def _name(obj: pikepdf.Object | None) -> str:
    """A PDF name as text ('/Tx'); names are bytes and need not be UTF-8."""
    if _type(obj) is _NAME:
        return obj.unparse().decode("latin-1")  # type: ignore[union-attr]
    return ""


def _type(obj: object) -> pikepdf.ObjectType | None:
    """pikepdf's type code of an object (None for what pikepdf hands back as Python values:
    None, bool, int, Decimal). isinstance(obj, pikepdf.Dictionary) costs ten times this."""
    return getattr(obj, "_type_code", None)


_DICT, _ARRAY = pikepdf.ObjectType.dictionary, pikepdf.ObjectType.array
_NAME, _STRING = pikepdf.ObjectType.name_, pikepdf.ObjectType.string

# Field name parts as decoded text: every form of a role has the same ones.
_NAMES: dict[bytes, str] = {}
_NAMES_KEPT = 8192


def _decode_name(raw: bytes) -> str:
    text = _NAMES.get(raw)
    if text is None:
        text = decode_pdf_text(raw)
        if len(raw) <= 200:  # not worth remembering (a damaged or hostile file's name)
            if len(_NAMES) >= _NAMES_KEPT:
                _NAMES.clear()
            _NAMES[raw] = text
    return text


def _text(obj: pikepdf.Object) -> str:
    """A PDF string as text, whatever its encoding (never raises)."""
    return decode_pdf_text(bytes(obj)) if isinstance(obj, pikepdf.String) else ""


def _has_javascript(root: pikepdf.Dictionary) -> bool:
    """Document-level JavaScript (never run; reported so an administrator knows)."""
    action = _get(root, "/OpenAction")
    if isinstance(action, pikepdf.Dictionary) and _name(_get(action, "/S")) == "/JavaScript":
        return True
    names = _get(root, "/Names")
    return (isinstance(names, pikepdf.Dictionary) and "/JavaScript" in names) or "/AA" in root


def _info_text(pdf: pikepdf.Pdf, key: str) -> str:
    try:
        info = pdf.trailer.get("/Info")
        value = _get(info, key) if isinstance(info, pikepdf.Dictionary) else None
    except pikepdf.PdfError:
        return ""
    return _text(value) if isinstance(value, pikepdf.String) else ""


def _store(form: FilledForm, ref: formspec.FieldRef, value: _Value) -> None:
    if ref.kind == "answer":
        form.answers.setdefault(ref.key, {})[ref.column] = value.text or ""
    elif ref.kind == "respondent":
        form.respondent[ref.key] = (value.text or "").strip()
    elif ref.kind == "ic":
        form.ic[ref.key] = value.state
    elif ref.kind == "ic_notes":
        form.ic_notes[ref.key] = value.text or ""


def _check_against_manifest(form: FilledForm) -> None:
    """Answers are kept whatever happens; every mismatch with the manifest is a warning."""
    for qid in form.answers:
        for column in formspec.COLUMNS:
            form.answers[qid].setdefault(column, "")
    if form.manifest is None:
        return
    expected = list(form.manifest.questions)
    missing = [q for q in expected if q not in form.answers]
    unknown = [q for q in form.answers if q not in form.manifest.questions]
    if missing:
        form.warnings.append(Note.of("fields_missing", questions=tuple(missing),
                                     n=len(missing)))
    if unknown:
        form.warnings.append(Note.of("not_in_manifest", questions=tuple(unknown),
                                     n=len(unknown)))
    for q in missing:
        form.answers[q] = dict.fromkeys(formspec.COLUMNS, "")
    order = {q: i for i, q in enumerate(expected)}
    form.answers = dict(sorted(form.answers.items(),
                               key=lambda kv: (order.get(kv[0], len(order)), kv[0])))
    for oid in form.manifest.ic_outcomes:
        form.ic.setdefault(oid, None)
    outcome_order = {o: i for i, o in enumerate(form.manifest.ic_outcomes)}
    form.ic = dict(sorted(form.ic.items(),
                          key=lambda kv: (outcome_order.get(kv[0], len(outcome_order)), kv[0])))


def compare_with_content(form: FilledForm, content: Content) -> None:
    """Warn where the form differs from `content`: another version, questions added or gone."""
    try:
        role = content.role(form.role)
    except KeyError:
        form.warnings.append(Note.of("role_not_in_content", role_id=form.role))
        return
    current_fingerprint = formspec.fingerprint(content, role)
    if form.manifest and form.manifest.fingerprint != current_fingerprint:
        form.warnings.append(Note.of("other_version", fingerprint=form.manifest.fingerprint,
                                     current=current_fingerprint))
    current = [q.id for q in role.questions]
    gone = [q for q in form.answers if q not in current]
    added = [q for q in current if q not in form.answers]
    if gone:
        form.warnings.append(Note.of("questions_gone", questions=tuple(gone), n=len(gone)))
    if added and (form.answers or not form.ic):  # an IC-map-only form has no question fields
        form.warnings.append(Note.of("questions_added", questions=tuple(added),
                                     n=len(added)))
