"""A PDF's bytes -> the list of its PDF/UA-1 problems that a machine can decide (pikepdf).
An empty list means every rule below holds; each problem is one line naming where it is.

Rules: catalog (MarkInfo Marked, Lang, DisplayDocTitle, Title, XMP dc:title, dc:language and
pdfuaid:part 1); page content (every text, path-painting, shading, image and XObject operator
inside a marked-content sequence with an MCID or inside an Artifact; sequences balanced and
not nested, except a /Span carrying ActualText inside a tagged sequence; no text in an untyped
artifact, where forgotten content would hide: the header, footer and repeated table headers
are typed /Pagination artifacts; MCIDs unique per page);
structure tree (parent links right, every MCID on a page referenced by exactly one element and
every reference pointing at existing content, ParentTree consistent with both); widgets (each
in exactly one Form element through an OBJR with the right /StructParent, each with a /TU,
/Tabs /S on their pages); Figures with Alt; tables (TR under Table, TH/TD under TR, TH with a
Scope, rows of equal width counting spans); lists (LI under L, Lbl/LBody under LI); headings
(not empty, never more than one level deeper than the one before, the first an H1); fonts
(every font in the file is embedded and has a ToUnicode; every font a field's /DA names is in
the form's /DR).
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name

PAINTING = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh",
            "Do", "INLINE IMAGE"}
TEXT = {"Tj", "TJ", "'", '"'}
TABLE_KIDS = {"/TR", "/THead", "/TBody", "/TFoot", "/Caption"}
ROW_PARENTS = {"/Table", "/THead", "/TBody", "/TFoot"}


def check_pdf(pdf: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        problems: list[str] = []
        problems += _catalog(doc)
        content = {}  # page objgen -> set of MCIDs in its content
        for number, page in enumerate(doc.pages, start=1):
            found, page_problems = _page_content(page)
            content[page.obj.objgen] = found
            problems += [f"page {number}: {p}" for p in page_problems]
        problems += _structure(doc, content)
        problems += _fonts(doc)
    return problems


# --- catalog ---------------------------------------------------------------------------

def _catalog(doc: pikepdf.Pdf) -> list[str]:
    root, problems = doc.Root, []
    if not bool(root.get("/MarkInfo", {}).get("/Marked", False)):
        problems.append("catalog: /MarkInfo /Marked is not true")
    if not str(root.get("/Lang", "")).strip():
        problems.append("catalog: no /Lang")
    if not bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
        problems.append("catalog: /ViewerPreferences /DisplayDocTitle is not true")
    if not str(doc.docinfo.get("/Title", "")).strip():
        problems.append("document information: no /Title")
    if "/Metadata" not in root:
        return [*problems, "catalog: no XMP metadata"]
    meta = doc.open_metadata()
    if str(meta.get("pdfuaid:part", "")) != "1":
        problems.append("XMP: pdfuaid:part is not 1")
    for key in ("dc:title", "dc:language"):
        if not meta.get(key):
            problems.append(f"XMP: no {key}")
    return problems


# --- page content ----------------------------------------------------------------------

def _page_content(page: pikepdf.Page) -> tuple[set[int], list[str]]:
    problems: list[str] = []
    mcids: Counter[int] = Counter()
    stack: list[tuple[str, dict]] = []
    untagged: Counter[str] = Counter()
    hidden_text = 0
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BMC", "BDC"):
            tag = str(operands[0])
            props = operands[1] if op == "BDC" else None
            if props is not None and not isinstance(props, Dictionary):
                props = page.obj.Resources.Properties[props]
            replacement = tag == "/Span" and props is not None and "/MCID" not in props \
                and "/ActualText" in props
            if stack and not (replacement and "/MCID" in stack[-1][1]):
                problems.append(f"marked content {tag} nested inside {stack[-1][0]}")
            if replacement:
                pass  # ActualText for the content of the tagged sequence around it
            elif tag != "/Artifact":
                if props is None or "/MCID" not in props:
                    problems.append(f"marked content {tag} without an MCID")
                else:
                    mcids[int(props.MCID)] += 1
            stack.append((tag, dict(props.items()) if props is not None else {}))
        elif op == "EMC":
            if not stack:
                problems.append("EMC without an open marked-content sequence")
            else:
                stack.pop()
        elif op in PAINTING:
            if not stack:
                untagged[op] += 1
            elif op in TEXT and stack[0][0] == "/Artifact" and "/Type" not in stack[0][1]:
                hidden_text += 1
    if stack:
        problems.append(f"{len(stack)} marked-content sequence(s) left open")
    if untagged:
        ops = ", ".join(f"{n} × {op}" for op, n in sorted(untagged.items()))
        problems.append(f"content outside any marked-content sequence: {ops}")
    if hidden_text:
        problems.append(f"{hidden_text} text operator(s) in an untyped artifact (untagged "
                        "text: tag it, or type the artifact as /Pagination)")
    problems += [f"MCID {m} used {n} times" for m, n in sorted(mcids.items()) if n > 1]
    return set(mcids), problems


# --- structure tree --------------------------------------------------------------------

def _number_tree(node: Dictionary) -> Iterator[tuple[int, object]]:
    nums = node.get("/Nums", [])
    for i in range(0, len(nums), 2):
        yield int(nums[i]), nums[i + 1]
    for kid in node.get("/Kids", []):
        yield from _number_tree(kid)


def _elements(root: Dictionary) -> Iterator[tuple[Dictionary, Dictionary]]:
    """(element, the parent it was reached from) in document order."""
    kids = root.get("/K")
    stack: list[tuple[object, Dictionary]] = [(kids, root)]
    while stack:
        node, parent = stack.pop()
        if isinstance(node, Array):
            stack.extend((k, parent) for k in reversed(list(node)))
        elif isinstance(node, Dictionary) and node.get("/Type") not in (Name.MCR, Name.OBJR) \
                and "/S" in node:
            yield node, parent
            if "/K" in node:
                stack.append((node.K, node))


def _kids(element: Dictionary) -> list[object]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _structure(doc: pikepdf.Pdf, content: dict[tuple[int, int], set[int]]) -> list[str]:
    root = doc.Root.get("/StructTreeRoot")
    if root is None:
        return ["catalog: no /StructTreeRoot"]
    problems: list[str] = []
    pages = {p.obj.objgen: n for n, p in enumerate(doc.pages, start=1)}
    owner: dict[tuple[tuple[int, int], int], list[Dictionary]] = {}
    widgets: dict[tuple[int, int], list[Dictionary]] = {}
    elements = list(_elements(root))
    for element, parent in elements:
        role = str(element.S)
        if element.get("/P") is None or element.P.objgen != parent.objgen:
            problems.append(f"{role}: /P does not point at its parent")
        page = element.get("/Pg")
        for kid in _kids(element):
            if isinstance(kid, int) or (hasattr(kid, "is_integer") and kid.is_integer):
                if page is None:
                    problems.append(f"{role}: MCID {int(kid)} without a /Pg")
                    continue
                owner.setdefault((page.objgen, int(kid)), []).append(element)
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
                owner.setdefault((kid.Pg.objgen, int(kid.MCID)), []).append(element)
            elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.OBJR:
                widgets.setdefault(kid.Obj.objgen, []).append(element)
                if role != "/Form" and kid.Obj.get("/Subtype") == Name.Widget:
                    problems.append(f"{role}: holds a widget; widgets belong in /Form")
        problems += _element_rules(element, role, str(parent.get("/S", "")))
    for (page_id, mcid), holders in sorted(owner.items()):
        if len(holders) > 1:
            problems.append(f"page {pages.get(page_id)}: MCID {mcid} is in {len(holders)} "
                            "elements")
        if mcid not in content.get(page_id, set()):
            problems.append(f"page {pages.get(page_id)}: MCID {mcid} is referenced but not "
                            "in the content")
    for page_id, found in content.items():
        for mcid in sorted(found):
            if (page_id, mcid) not in owner:
                problems.append(f"page {pages[page_id]}: MCID {mcid} is in no element")
    problems += _parent_tree(doc, root, owner, widgets, content)
    problems += _annotations(doc, widgets)
    problems += _headings([e for e, _ in elements])
    return problems


def _element_rules(element: Dictionary, role: str, parent: str) -> list[str]:
    problems = []
    if role == "/Figure" and not str(element.get("/Alt", element.get("/ActualText", ""))).strip():
        problems.append("Figure without /Alt")
    if role == "/TR" and parent not in ROW_PARENTS:
        problems.append(f"TR under {parent}, not under a Table")
    if role in ("/TH", "/TD") and parent != "/TR":
        problems.append(f"{role} under {parent}, not under a TR")
    if role == "/TH" and "/Scope" not in _table_attrs(element):
        problems.append("TH without a /Scope")
    if role == "/Table":
        problems += _table_shape(element)
    if role == "/LI" and parent != "/L":
        problems.append(f"LI under {parent}, not under an L")
    if role in ("/Lbl", "/LBody") and parent != "/LI":
        problems.append(f"{role} under {parent}, not under an LI")
    if role == "/L":
        odd = {str(k.get("/S")) for k in _kids(element) if isinstance(k, Dictionary)} - {
            "/LI", "/L", "/Caption"}
        if odd:
            problems.append(f"L holds {', '.join(sorted(odd))}")
    return problems


def _table_attrs(element: Dictionary) -> dict[str, object]:
    attrs = element.get("/A")
    found: dict[str, object] = {}
    for a in (attrs if isinstance(attrs, Array) else [attrs] if attrs is not None else []):
        if isinstance(a, Dictionary) and a.get("/O") == Name.Table:
            found.update({str(k): v for k, v in a.items()})
    return found


def _table_shape(table: Dictionary) -> list[str]:
    """Every row spans the same number of columns, counting ColSpan and RowSpan."""
    problems, rows = [], []
    for kid in _kids(table):
        role = str(kid.get("/S")) if isinstance(kid, Dictionary) else "content"
        if role not in TABLE_KIDS:
            problems.append(f"Table holds {role}")
        elif role in ("/THead", "/TBody", "/TFoot"):
            rows += [r for r in _kids(kid) if isinstance(r, Dictionary)]
        elif role == "/TR":
            rows.append(kid)
    widths: list[int] = []
    carried: list[int] = []  # per later row, columns taken by row spans from above
    for index, row in enumerate(rows):
        width = carried[index] if index < len(carried) else 0
        for cell in _kids(row):
            if not isinstance(cell, Dictionary):
                continue
            attrs = _table_attrs(cell)
            cols, span = int(attrs.get("/ColSpan", 1)), int(attrs.get("/RowSpan", 1))
            width += cols
            for later in range(index + 1, index + span):
                carried += [0] * (later + 1 - len(carried))
                carried[later] += cols
        widths.append(width)
    if len(set(widths)) > 1:
        problems.append(f"Table rows have different widths: {widths}")
    return problems


def _parent_tree(doc: pikepdf.Pdf, root: Dictionary,
                 owner: dict[tuple[tuple[int, int], int], list[Dictionary]],
                 widgets: dict[tuple[int, int], list[Dictionary]],
                 content: dict[tuple[int, int], set[int]]) -> list[str]:
    problems: list[str] = []
    if "/ParentTree" not in root:
        return ["StructTreeRoot: no /ParentTree"]
    tree = dict(_number_tree(root.ParentTree))
    next_key = int(root.get("/ParentTreeNextKey", 0))
    if tree and next_key <= max(tree):
        problems.append("StructTreeRoot: /ParentTreeNextKey is not above every key")
    for number, page in enumerate(doc.pages, start=1):
        found = content[page.obj.objgen]
        key = page.obj.get("/StructParents")
        if not found:
            continue
        if key is None or int(key) not in tree:
            problems.append(f"page {number}: marked content but no /StructParents entry")
            continue
        entries = tree[int(key)]
        for mcid in found:
            holders = owner.get((page.obj.objgen, mcid), [])
            if mcid >= len(entries) or not holders or \
                    entries[mcid].objgen != holders[0].objgen:
                problems.append(f"page {number}: ParentTree entry for MCID {mcid} is not the "
                                "element holding it")
        extra = [m for m in range(len(entries)) if m not in found and entries[m] is not None]
        problems += [f"page {number}: ParentTree names MCID {m}, not in the content"
                     for m in extra]
    for objgen, holders in widgets.items():
        annot = doc.get_object(objgen)
        key = annot.get("/StructParent")
        if key is None or int(key) not in tree or tree[int(key)].objgen != holders[0].objgen:
            problems.append(f"annotation {field_label(annot)}: /StructParent does not lead "
                            "back to its element")
    return problems


def field_label(annot: Dictionary) -> str:
    node, parts = annot, []
    while node is not None:
        if "/T" in node:
            parts.append(str(node.T))
        node = node.get("/Parent")
    return ".".join(reversed(parts)) or str(annot.get("/Subtype"))


def _annotations(doc: pikepdf.Pdf,
                 widgets: dict[tuple[int, int], list[Dictionary]]) -> list[str]:
    problems = []
    for number, page in enumerate(doc.pages, start=1):
        annots = page.obj.get("/Annots", [])
        if len(annots) and page.obj.get("/Tabs") != Name.S:
            problems.append(f"page {number}: annotations but no /Tabs /S")
        for annot in annots:
            if annot.get("/Subtype") == Name.Popup:
                continue
            name = field_label(annot)
            holders = widgets.get(annot.objgen, [])
            if len(holders) != 1:
                problems.append(f"page {number}: annotation {name} is in {len(holders)} "
                                "structure elements (needs exactly one)")
            if annot.get("/Subtype") == Name.Widget:
                field = annot if "/TU" in annot or "/T" in annot else annot.get("/Parent")
                tooltip = annot.get("/TU", field.get("/TU") if field is not None else None)
                if tooltip is None or not str(tooltip).strip():
                    problems.append(f"page {number}: field {name} has no /TU")
    return problems


def _headings(elements: list[Dictionary]) -> list[str]:
    problems, last = [], 0
    for element in elements:
        role = str(element.S)
        if len(role) == 3 and role.startswith("/H") and role[2].isdigit():
            level = int(role[2])
            if not _has_content(element):
                problems.append(f"empty heading {role[1:]}")
            if level > last + 1:
                problems.append(f"heading {role[1:]} follows H{last}: a level is skipped")
            last = level
    return problems


def _has_content(element: Dictionary) -> bool:
    for kid in _kids(element):
        if not isinstance(kid, Dictionary) or kid.get("/Type") == Name.MCR:
            return True
        if "/S" in kid and _has_content(kid):
            return True
    return False


# --- fonts -----------------------------------------------------------------------------

def _fonts(doc: pikepdf.Pdf) -> list[str]:
    """Every font object in the file (whether or not it shows text: a viewer may use any
    font in a resource dictionary, e.g. to redraw a field), and every font a field's /DA
    names, is embedded and has a ToUnicode."""
    problems = []
    for obj in doc.objects:
        if isinstance(obj, Dictionary) and obj.get("/Type") == Name.Font and \
                obj.get("/Subtype") not in (Name.CIDFontType0, Name.CIDFontType2):
            problem = _font_problem(obj)
            if problem:
                problems.append(f"font {obj.get('/BaseFont')}: {problem}")
    acroform = doc.Root.get("/AcroForm")
    if acroform is not None:
        resources = acroform.get("/DR", {}).get("/Font", {})
        for node in _all_fields(acroform):
            da = str(node.get("/DA", acroform.get("/DA", "")))
            name = next((w for w in da.split() if w.startswith("/")), None)
            if name is not None and name not in resources:
                problems.append(f"field {field_label(node)}: its /DA names {name}, which is "
                                "not in the form's /DR")
    return sorted(set(problems))


def _all_fields(acroform: Dictionary) -> Iterator[Dictionary]:
    stack = list(acroform.get("/Fields", []))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.get("/Kids", []))


def _font_problem(font: Dictionary) -> str:
    if "/Subtype" not in font:
        return "not in the resources"
    if font.Subtype == Name.Type3:
        return "" if "/ToUnicode" in font else "Type3 font without ToUnicode"
    descriptor = font.get("/FontDescriptor")
    if font.Subtype == Name.Type0:
        descriptor = font.DescendantFonts[0].get("/FontDescriptor")
    if descriptor is None or not any(k in descriptor for k in (
            "/FontFile", "/FontFile2", "/FontFile3")):
        return "not embedded"
    if "/ToUnicode" not in font:
        return "no ToUnicode"
    return ""
