"""responses.xlsx opened by a real office suite: LibreOffice Calc (headless) converts it to
PDF, and the PDF shows every line of a multi-line answer, landscape pages one sheet wide, the
header row again on a following page, and a sans-serif font."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from guidepdf.report import tables
from guidepdf.report.model import AnswerRow, Summary
from tests.layout.pdfcheck import page_texts

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed "
                                "(.ci/run installs libreoffice-calc-nogui)")

LONG = ("We meet every second Tuesday to look at student work together, agree on one change "
        "to try in every classroom, and check the next month whether it helped.")


def _convert(xlsx: bytes, folder: Path) -> bytes:
    source = folder / "responses.xlsx"
    source.write_bytes(xlsx)
    profile = (folder / "profile").as_uri()  # its own profile: no clash with a running one
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile}",
                    "--convert-to", "pdf", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=300)
    return (folder / "responses.pdf").read_bytes()


_CONVERTED: dict[str, tuple[bytes, Summary]] = {}  # one conversion for the module's tests


@pytest.fixture
def converted(small_summary: Summary, tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[bytes, Summary]:
    if "pdf" not in _CONVERTED:
        _CONVERTED["pdf"] = _make(small_summary, tmp_path_factory.mktemp("office"))
    return _CONVERTED["pdf"]


def _make(small: Summary, folder: Path) -> tuple[bytes, Summary]:
    first = small.responses[0]
    answers = (AnswerRow(first.answers[0].question_id, "First line of the answer\n"
                         "Second line of the answer\nThird line: " + LONG, LONG),
               *first.answers[1:])
    # enough rows for several pages: the same people many times over
    many = [dataclasses.replace(first, answers=answers)] + \
        [dataclasses.replace(r, source=f"{n}-{r.source}") for n in range(30)
         for r in small.responses]
    summary = dataclasses.replace(small, responses=tuple(many))
    xlsx = tables.responses_xlsx(summary, paper="letter")
    return _convert(xlsx, folder), summary


def test_every_line_of_a_long_answer_is_printed(converted: tuple[bytes, Summary]) -> None:
    """Rows grow with their text: the second and third lines of an answer, and the end of
    a long one, are on the page (a one-line row would cut them off)."""
    text = " ".join(page_texts(converted[0], squeeze=True))
    assert "First line of the answer" in text
    assert "Second line of the answer" in text
    assert "Third line: We meet every second Tuesday" in text
    assert "whether it helped." in text


def test_pages_are_landscape_one_sheet_wide_with_the_header_repeated(
        converted: tuple[bytes, Summary]) -> None:
    """Each page is landscape; every column (File is the last) is on the same page as the
    first; the header row is printed again at the top of the next page of a sheet."""
    pdf, _ = converted
    texts = page_texts(pdf, squeeze=True)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            box = [float(x) for x in page.mediabox]
            assert box[2] - box[0] > box[3] - box[1]
    coaches = [t for t in texts if "Ana Núñez" in t]
    assert len(coaches) >= 2, "the role sheet should take more than one page"
    for page in coaches[:2]:
        assert "Name Email School or team Roster id" in page, page[:120]
        assert "First steps File" in page
        assert page.index("Name Email") < page.index("Ana Núñez")


def test_the_font_is_sans_serif(converted: tuple[bytes, Summary]) -> None:
    """The office suite found the workbook's font (or its sans twin): no serif fallback."""
    with pikepdf.open(io.BytesIO(converted[0])) as doc:
        fonts = {str(font.get("/BaseFont", "")) for page in doc.pages
                 for font in page.Resources.get("/Font", {}).values()}
    assert fonts and all("Sans" in f or "Arial" in f for f in fonts), fonts
