"""layout.structure.embedding_recorder (the reports' tree, written by reportlab as it saves)
against write_structure (pikepdf, the guides'): the same tree for the same story, a clean
checker report, Alt and XMP in any script; and layout.objectstreams: the file it writes is
read alike by qpdf, pypdf and PDFium, and holds no structure element in the open."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pypdf
import pypdfium2
import pytest
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from guidepdf.layout.objectstreams import compact
from guidepdf.layout.structure import embedding_recorder, write_structure
from guidepdf.layout.table_tags import TableTags
from guidepdf.layout.tagging import StructureRecorder, Tagged, TaggedCanvas, figure, widget
from tests.accessibility.checker import check_pdf

STYLE = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12)
TITLE = "Résumé — 総括"


def story() -> list:
    """A paragraph split across pages, a table with a repeated header and empty cells, and a
    figure whose description is not ASCII."""
    text = " ".join(f"word{i}" for i in range(300))
    rows = [[Paragraph("Head A", STYLE), Paragraph("Head B", STYLE)]]
    rows += [[Paragraph(f"Row {i}", STYLE), "" if i % 2 else Paragraph("x", STYLE)]
             for i in range(30)]
    drawing = Drawing(60, 30, initialFontName="Helvetica")
    drawing.add(Rect(0, 0, 60, 30))
    return [Tagged(Paragraph(text, STYLE), "P"),
            Table(TableTags().rows(rows, header_rows=1), repeatRows=1),
            figure(drawing, "Diagramme de l’élan — 図")]


def build(recorder: StructureRecorder, canvasmaker: Callable[..., Any]) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=(300, 200), invariant=1, title=TITLE,
                            lang="fr-FR", displayDocTitle=1)
    doc.build(story(), canvasmaker=canvasmaker)
    return buffer.getvalue()


def with_pikepdf() -> bytes:
    recorder = StructureRecorder()
    data = build(recorder, recorder.canvasmaker)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        write_structure(pdf, recorder.root, title=TITLE, lang="fr-FR")
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


class CompactTaggedCanvas(TaggedCanvas):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        compact(self._doc)


def embedded(objectstreams: bool = True) -> bytes:
    recorder = embedding_recorder(title=TITLE, lang="fr-FR")
    kind = CompactTaggedCanvas if objectstreams else TaggedCanvas
    return build(recorder, lambda *a, **k: kind(*a, recorder=recorder, **k))


def tree(pdf: bytes) -> tuple:
    """The structure tree as plain values: roles, MCIDs, page numbers, Alt, attributes."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        pages = {p.obj.objgen: n for n, p in enumerate(doc.pages, start=1)}

        def plain(obj: Any) -> Any:
            if isinstance(obj, pikepdf.Dictionary):
                if obj.get("/Type") == "/StructElem" or "/S" in obj:
                    return element(obj)
                if obj.get("/Type") == "/MCR":
                    return ("MCR", pages[obj.Pg.objgen], int(obj.MCID))
                return tuple(sorted((str(k), plain(v)) for k, v in obj.items()))
            if isinstance(obj, pikepdf.Array):
                return tuple(plain(v) for v in obj)
            if isinstance(obj, pikepdf.Name | pikepdf.String):
                return str(obj)
            return float(obj) if not isinstance(obj, bool) else obj

        def element(e: pikepdf.Dictionary) -> tuple:
            return (str(e.S), pages.get(e.Pg.objgen) if "/Pg" in e else None,
                    plain(e.K) if "/K" in e else None,
                    str(e.Alt) if "/Alt" in e else None, plain(e.A) if "/A" in e else None)

        root = doc.Root.StructTreeRoot
        nums = root.ParentTree.Nums
        parent_tree = [(int(nums[i]), tuple(element(e)[0] for e in nums[i + 1]))
                       for i in range(0, len(nums), 2)]
        structure_parents = [int(p.obj.get("/StructParents", -1)) for p in doc.pages]
        meta = doc.open_metadata()
        xmp = (str(meta.get("dc:title")), str(meta.get("pdfuaid:part")), meta.get("dc:language"))
        return (element(root.K), parent_tree, structure_parents, int(root.ParentTreeNextKey),
                xmp, str(doc.Root.Lang), bool(doc.Root.MarkInfo.Marked),
                bool(doc.Root.ViewerPreferences.DisplayDocTitle))


def test_the_embedded_tree_is_the_one_pikepdf_writes() -> None:
    """Same roles, MCIDs (with MCRs for the parts on later pages), Alt, table attributes,
    ParentTree, /StructParents, XMP title and language, catalog entries."""
    reference = tree(with_pikepdf())
    assert reference[0][0] == "/Document" and len(reference[2]) >= 3
    assert tree(embedded()) == reference
    assert tree(embedded(objectstreams=False)) == reference


def test_the_embedded_tree_passes_the_checker() -> None:
    problems = [p for p in check_pdf(embedded()) if not p.startswith("font /Helvetica")]
    assert problems == []


def test_a_widget_is_refused_by_the_embedding_writer() -> None:
    """Form fields are reportlab's annotations: only write_structure links them to the tree."""
    recorder = embedding_recorder(title="T", lang="en")
    canvas = TaggedCanvas(io.BytesIO(), recorder=recorder)
    canvas.acroForm.textfield(name="f", x=10, y=10, width=50, height=14)
    widget(canvas, "f")
    canvas.showPage()
    with pytest.raises(ValueError, match="widget 'f' on page 1"):
        canvas.save()


def texts(pdf: bytes) -> tuple[list[str], list[str]]:
    by_pypdf = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    document = pypdfium2.PdfDocument(pdf)
    by_pdfium = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    return [" ".join(t.split()) for t in by_pypdf], [" ".join(t.split()) for t in by_pdfium]


def test_object_streams_are_read_alike_and_hide_the_tree(tmp_path: Path) -> None:
    """pypdf and PDFium extract the same text from the file with object streams as from the
    plain one; qpdf finds nothing wrong with it; no structure element is left in the open,
    and the file is smaller."""
    packed, plain = embedded(), embedded(objectstreams=False)
    assert packed.startswith(b"%PDF-1.5")
    assert b"/ObjStm" in packed and b"/Type /XRef" in packed
    assert b"/StructElem" not in packed and b"/StructElem" in plain
    assert len(packed) < len(plain)
    assert texts(packed) == texts(plain)
    everything = " ".join(texts(packed)[0])
    assert "word0 " in everything and "word299" in everything and "Row 29" in everything
    with pikepdf.open(io.BytesIO(packed)) as doc:
        assert not doc.get_warnings()
        assert str(doc.docinfo.Title) == TITLE
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.fail("qpdf is not installed (.ci/run installs it)")
    path = tmp_path / "packed.pdf"
    path.write_bytes(packed)
    run = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No syntax or stream encoding errors" in run.stdout


def test_object_streams_write_the_same_bytes_twice() -> None:
    assert embedded() == embedded()
