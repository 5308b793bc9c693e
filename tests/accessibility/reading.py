"""A tagged PDF -> its text in the order a screen reader reads it (pypdf): the structure tree
walked in order, each marked-content sequence's text where it is referenced, a Figure by its
/Alt instead of its content, artifacts (header, footer, repeated table headers) left out.
Also the plain text of `pdftotext -raw` (content order, with ActualText) for comparison."""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


def _marked_text(page: pypdf.PageObject) -> dict[int, str]:
    """The text of each MCID on a page, as pypdf extracts it; a marked-content sequence with
    /ActualText inside it gives that text instead of its glyphs' (as a screen reader does)."""
    stack: list[int | None] = []
    actual: list[bool] = []  # per open sequence: does it (or one around it) replace its text
    texts: dict[int, list[str]] = {}

    def before(op: bytes, args: list[Any], cm: Any, tm: Any) -> None:
        if op in (b"BDC", b"BMC"):
            props = args[1] if op == b"BDC" and len(args) > 1 else None
            mcid = props.get("/MCID") if isinstance(props, DictionaryObject) else None
            stack.append(int(mcid) if mcid is not None else None)
            replaced = isinstance(props, DictionaryObject) and "/ActualText" in props
            if replaced and not any(actual):
                owner = next((m for m in reversed(stack) if m is not None), None)
                if owner is not None:
                    # a replaced span is a unit of its own (a line, a name): set apart
                    texts.setdefault(owner, []).append(f" {props['/ActualText']} ")
            actual.append(replaced)
        elif op == b"EMC" and stack:
            stack.pop()
            actual.pop()

    def text(value: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if mcid is not None and not any(actual):
            texts.setdefault(mcid, []).append(value)

    page.extract_text(visitor_operand_before=before, visitor_text=text)
    return {m: "".join(parts) for m, parts in texts.items()}


def structure_text(pdf: bytes) -> list[tuple[str, str]]:
    """(role, text) for each run of content, in reading order: the role of the element that
    holds it; a Figure gives its Alt, a widget "[field: its tooltip]"."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = {p.indirect_reference.idnum: p for p in reader.pages}
    cache: dict[int, dict[int, str]] = {}

    def text_of(page_ref: IndirectObject, mcid: int) -> str:
        if page_ref.idnum not in cache:
            cache[page_ref.idnum] = _marked_text(pages[page_ref.idnum])
        return cache[page_ref.idnum].get(mcid, "")

    out: list[tuple[str, str]] = []

    def emit(role: str, text: str) -> None:
        text = " ".join(text.split())
        if text:
            out.append((role, text))

    def walk(node: Any, page_ref: Any, role: str) -> None:
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(node, int):
            emit(role, text_of(page_ref, node))
        elif isinstance(node, ArrayObject):
            for kid in node:
                walk(kid, page_ref, role)
        elif isinstance(node, DictionaryObject) and node.get("/Type") == "/MCR":
            emit(role, text_of(node.raw_get("/Pg"), int(node["/MCID"])))
        elif isinstance(node, DictionaryObject) and node.get("/Type") == "/OBJR":
            annot = node["/Obj"].get_object()
            field = annot if "/TU" in annot else annot["/Parent"].get_object()
            emit(role, f"[field: {field.get('/TU', '')}]")
        elif isinstance(node, DictionaryObject) and "/S" in node:
            own = str(node["/S"])[1:]
            if own == "Figure":
                emit(own, str(node.get("/Alt", "")))
            elif "/K" in node:
                walk(node["/K"], node.raw_get("/Pg") if "/Pg" in node else page_ref, own)

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"], None, "Document")
    return out


def pdftotext_raw(pdf: bytes) -> str:
    """`pdftotext -raw`: the text in content-stream order, ActualText honoured."""
    tool = shutil.which("pdftotext")
    if tool is None:
        raise RuntimeError("pdftotext (poppler-utils) is not installed")
    done = subprocess.run([tool, "-raw", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, check=True)
    return done.stdout.decode("utf-8")
