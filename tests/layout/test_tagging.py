"""layout.tagging and layout.structure on small documents: splitting continues an element
across pages, repeated table headers become artifacts, empty cells keep their elements,
sequences never nest, and drawing on a plain canvas is unaffected."""

from __future__ import annotations

import io

import pikepdf
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from guidepdf.layout.structure import write_structure
from guidepdf.layout.table_tags import TableTags
from guidepdf.layout.tagging import StructureRecorder, Tagged, marked
from tests.accessibility.checker import check_pdf

STYLE = ParagraphStyle("t", fontName="Helvetica", fontSize=10, leading=12)


def tagged_pdf(story: list, pagesize: tuple[float, float] = (300, 200)) -> bytes:
    recorder = StructureRecorder()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=pagesize, invariant=1, title="Test")
    doc.build(story, canvasmaker=recorder.canvasmaker)
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as pdf:
        write_structure(pdf, recorder.root, title="Test", lang="en")
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def kids(element: pikepdf.Dictionary) -> list:
    k = element.K
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def problems_but_fonts(pdf: bytes) -> list[str]:
    """Checker problems, less the base-14 font these small tests draw with."""
    return [p for p in check_pdf(pdf) if not p.startswith("font /Helvetica")]


def test_a_paragraph_split_across_pages_is_one_element() -> None:
    """Both parts of a split paragraph are content of the same P: an MCID on its own page
    and a marked-content reference to the next page."""
    text = " ".join(f"word{i}" for i in range(400))
    pdf = tagged_pdf([Tagged(Paragraph(text, STYLE), "P")])
    assert problems_but_fonts(pdf) == []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) >= 2
        paragraph = doc.Root.StructTreeRoot.K.K
        paragraph = paragraph[0] if isinstance(paragraph, pikepdf.Array) else paragraph
        assert paragraph.S == "/P"
        refs = kids(paragraph)
        assert refs[0] == 0
        assert all(r.Type == "/MCR" for r in refs[1:])
        assert [r.Pg.objgen for r in refs[1:]] == [p.obj.objgen for p in doc.pages[1:]]


def test_repeated_header_rows_are_artifacts_and_empty_cells_stay() -> None:
    """A long table repeats its header row as a pagination artifact; every row, even one with
    an empty cell, has a TH or TD per column."""
    rows = [[Paragraph("Head A", STYLE), Paragraph("Head B", STYLE)]]
    rows += [[Paragraph(f"Row {i}", STYLE), "" if i % 2 else Paragraph("x", STYLE)]
             for i in range(40)]
    tags = TableTags()
    table = Table(tags.rows(rows, header_rows=1), repeatRows=1)
    pdf = tagged_pdf([table])
    assert problems_but_fonts(pdf) == []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) >= 2
        body = doc.pages[1].Contents.read_bytes()
        assert b"/Artifact <</Type /Pagination>> BDC" in body
        table_element = doc.Root.StructTreeRoot.K.K
        table_element = table_element[0] if isinstance(table_element, pikepdf.Array) \
            else table_element
        rows_found = kids(table_element)
        assert len(rows_found) == 41
        assert all(len(kids(r)) == 2 for r in rows_found)
        assert [str(c.S) for c in kids(rows_found[0])] == ["/TH", "/TH"]


def test_sequences_never_nest() -> None:
    """Marking content inside marked content closes the outer sequence and resumes it after,
    as a new sequence of the same element."""
    recorder = StructureRecorder()
    buffer = io.BytesIO()
    canvas = recorder.canvasmaker(buffer, pagesize=(200, 200))
    with marked(canvas, "P") as outer:
        canvas.drawString(10, 10, "before")
        with marked(canvas, "Span"):
            canvas.drawString(10, 30, "inner")
        canvas.drawString(10, 50, "after")
    canvas.showPage()
    canvas.save()
    assert outer is not None
    assert [type(k).__name__ for k in outer.kids] == ["Marked", "Element", "Marked"]
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as doc:
        depth, deepest = 0, 0
        for _, operator in pikepdf.parse_content_stream(doc.pages[0]):
            depth += {"BDC": 1, "BMC": 1, "EMC": -1}.get(str(operator), 0)
            deepest = max(deepest, depth)
        assert (depth, deepest) == (0, 1)


def test_plain_canvas_draws_untagged() -> None:
    """On a reportlab Canvas without a recorder the helpers only draw."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    with marked(canvas, "P") as element:
        canvas.drawString(10, 10, "plain")
    canvas.save()
    assert element is None
    assert b"BDC" not in buffer.getvalue()
