"""summary.pdf: headline numbers, every answer shown as written, an outline, long answers
across pages, the same bytes for the same summary."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pypdf
from reportlab.graphics.shapes import Drawing, String

from guidepdf.content import Content
from guidepdf.layout.theme import make_theme
from guidepdf.read.readmany import Outcome
from guidepdf.report.aggregate import aggregate
from guidepdf.report.model import AnswerRow, Summary
from guidepdf.report.summary_pdf import _completeness, _index, build_summary_pdf, spread
from tests.layout.pdfcheck import page_texts
from tests.report.conftest import make_plan


def texts(pdf: bytes) -> list[str]:
    return page_texts(pdf, squeeze=True)


def test_first_page_has_the_headline_numbers(small_summary: Summary, content: Content) -> None:
    """Returned of expected with the rate, missing, rejected, and the role chart labels."""
    first = texts(build_summary_pdf(small_summary, content))[0]
    assert "3 of 4 returned (75%)" in first
    assert "1 not yet returned" in first and "1 files rejected" in first
    assert "Response rate by role" in first and "2 of 2 (100%)" in first and "1 of 2 (50%)" in first


def test_answers_appear_exactly_as_written(small_summary: Summary, content: Content) -> None:
    """Markup characters, formulas, non-Latin names and line breaks from people are shown
    as text, each answer beside who wrote it."""
    every = " ".join(texts(build_summary_pdf(small_summary, content)))
    assert "Coaching cycles <b>work</b> & data second line" in every
    assert '=HYPERLINK("x")' in every
    assert "олег петров" in every and "Ana Núñez" in every
    assert "Left blank by (2): Ana Núñez, BEN@example.org" in every
    assert "Dana Li" in every  # in the appendix: not yet returned
    assert "bad.pdf not a PDF (an HTML page)" in every


def test_outline_lists_sections_roles_and_questions(small_summary: Summary,
                                                    content: Content) -> None:
    """The PDF's bookmarks lead to the headline, IC maps, the themes of each role, each
    role with its themes and questions, and the appendix."""
    reader = pypdf.PdfReader(io.BytesIO(build_summary_pdf(small_summary, content)))
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == ["Headline numbers", "How complete", "IC map: Coaches",
                   "What people are saying", "Coaches", "Teachers", "Appendix"]
    nested = [x for x in reader.outline if isinstance(x, list)]
    assert [x.title for x in nested[0]] == ["Coaches", "Teachers"]
    assert nested[1][0].title == "What people are saying"
    assert nested[1][1].title.startswith("Q1. Looking across")


def test_same_summary_same_bytes(small_summary: Summary, content: Content) -> None:
    """Rendering is reproducible."""
    assert build_summary_pdf(small_summary, content) == build_summary_pdf(small_summary,
                                                                          content)


def test_a_very_long_answer_flows_across_pages(small_summary: Summary,
                                               content: Content) -> None:
    """An answer longer than a page is split across pages up to the print cap, which says
    how much more there is and where it is (the CSV, XLSX and JSON keep it whole)."""
    first = small_summary.responses[0]
    words = " ".join(f"w{i}" for i in range(3000)) + " ENDMARK"
    long = dataclasses.replace(first, answers=(
        AnswerRow(first.answers[0].question_id, words, "short"), *first.answers[1:]))
    summary = dataclasses.replace(small_summary, responses=(long, *small_summary.responses[1:]))
    before = len(texts(build_summary_pdf(small_summary, content)))
    pages = texts(build_summary_pdf(summary, content))
    assert len(pages) >= before + 1
    every = " ".join(" ".join(pages).split())
    assert "w0 w1 w2" in every and "ENDMARK" not in every
    assert "more characters not printed here — the whole text is in responses.xlsx" in every


def test_without_a_roster(content: Content, three: list) -> None:
    """No roster: forms counted per role, no 'not yet returned' section."""
    summary = aggregate(three, content, None, source="returned")
    pages = texts(build_summary_pdf(summary, content))
    assert "3 forms returned" in pages[0] and "Forms returned by role" in pages[0]
    assert "Not yet returned" not in " ".join(pages)


def test_answers_per_question_are_limited_and_say_so(small_summary: Summary,
                                                     content: Content) -> None:
    """With a limit of one answer per question, coach Q1 (answered by Ana and Ben) shows
    one of them and says where the rest are; blank lists name one person and count the
    others; with no limit both answers are there. (Without the themes, whose quotes would
    show Ben's words too.)"""
    small_summary = dataclasses.replace(small_summary, roles=tuple(
        dataclasses.replace(r, themes=(), questions=tuple(
            dataclasses.replace(q, themes=()) for q in r.questions))
        for r in small_summary.roles))
    every = " ".join(texts(build_summary_pdf(small_summary, content,
                                             answers_per_question=1)))
    assert "Showing 1 of 2 answers, spread evenly through them in name order. Every " \
           "answer is in responses.xlsx, responses.csv and summary.json." in every
    assert "Coaching cycles <b>work</b> & data" in every  # Ana sorts first: the one shown
    assert "More coaching, less data." not in every
    assert "Left blank by (2): Ana Núñez, and 1 more (see responses.xlsx)" in every
    full = " ".join(texts(build_summary_pdf(small_summary, content,
                                            answers_per_question=None)))
    assert "More coaching, less data." in full and "Showing" not in full


def test_spread_picks_evenly_and_keeps_everything_that_fits() -> None:
    assert spread(3, 5) == [0, 1, 2] and spread(3, None) == [0, 1, 2]
    assert spread(10, 4) == [0, 2, 5, 7]
    assert spread(20000, 50)[-1] == 19600 and len(set(spread(20000, 50))) == 50


def test_summary_and_answers_are_two_documents(small_summary: Summary,
                                               content: Content) -> None:
    """summary.pdf leads with the numbers, how complete the forms are, the IC maps, the
    themes (with short quotes: a sentence, never a whole answer) and the appendix, and holds
    no answer; answers.pdf holds every answer and none of the rest. The footer names the
    report, not the guides' footer ("Action guide")."""
    short = texts(build_summary_pdf(small_summary, content, part="summary"))
    answers = texts(build_summary_pdf(small_summary, content, part="answers"))
    both = texts(build_summary_pdf(small_summary, content))
    summary_text, answer_text = " ".join(short), " ".join(answers)
    assert "How complete are the forms?" in summary_text and "Appendix" in summary_text
    assert "What people are saying" in summary_text
    assert "“Coaching cycles <b>work</b> & data” — Ana Núñez" in summary_text  # a quote
    assert "second line" not in summary_text
    assert "Coaching cycles <b>work</b> & data second line" in answer_text
    assert "Answers in returned action guides" in answers[0]
    assert "Appendix" not in answer_text and "How complete" not in answer_text
    assert len(short) + len(answers) >= len(both) and len(short) < len(both)
    footer = f"{content.brand.organization} · Summary of returned action guides"
    assert all(footer in page for page in short)
    assert all(f"{content.brand.organization} · Answers in returned action guides" in page
               for page in answers)
    assert content.brand.footer not in summary_text + answer_text


def test_completeness_counts_forms_per_role(small_summary: Summary, content: Content) -> None:
    """Per role: forms answering every question, some, none — counted from the answers."""
    expected = {}
    for role in small_summary.roles:
        asked = [q.id for q in role.questions]
        counts = [0, 0, 0]
        for r in small_summary.responses:
            if r.role != role.id:
                continue
            done = {a.question_id for a in r.answers
                    if a.reflections.strip() or a.first_steps.strip()}
            n = sum(q in done for q in asked)
            counts[0 if n == len(asked) else 2 if n == 0 else 1] += 1
        if role.forms:
            expected[role.title] = counts
    page = " ".join(texts(build_summary_pdf(small_summary, content, part="summary")))
    for title, (full, some, none) in expected.items():
        forms = full + some + none
        caption = f"{full} of {forms} complete" + (f" · {some} partly" if some else "") \
            + (f" · {none} blank" if none else "")
        assert f"{title}, {caption}" in page, (title, caption)  # the chart, as its alt text
    assert any(some for _, some, _ in expected.values())  # the fixture has a partial form


def test_a_question_nobody_answered_has_no_empty_table(small_summary: Summary,
                                                      content: Content) -> None:
    """No answers to a question (coach Q3: Ana answered Q1 and Q2, Ben Q1): a sentence,
    never a WHO | REFLECTIONS header with no rows; the blank list still names who left it
    blank. A question with answers keeps its table."""
    every = " ".join(texts(build_summary_pdf(small_summary, content, part="answers")))
    q2, q3, q4 = (content.role("coach").questions[i].text for i in (1, 2, 3))
    answered = every[every.index(q2):every.index(q3)]
    unanswered = every[every.index(q3):every.index(q4)]
    assert "WHO REFLECTIONS FIRST STEPS" in answered and "Coaching time is short." in answered
    assert "Nobody has answered this question yet." in unanswered
    assert "WHO" not in unanswered and "REFLECTIONS FIRST STEPS" not in unanswered
    assert "Left blank by (2): Ana Núñez, BEN@example.org" in unanswered


def test_blank_list_stays_with_the_last_answer(small_summary: Summary,
                                               content: Content) -> None:
    """'Left blank by' never opens a page: long answers push it down to a page break, and
    the page it lands on also holds the end of the last answer above it."""
    first = small_summary.responses[0]
    for size in range(150, 700, 50):  # answer lengths that put the break in many places
        words = " ".join(f"w{i}" for i in range(size)) + " ENDMARK"
        long = dataclasses.replace(first, answers=(
            AnswerRow(first.answers[0].question_id, "", words), *first.answers[1:]))
        summary = dataclasses.replace(small_summary,
                                      responses=(long, *small_summary.responses[1:]))
        for page in texts(build_summary_pdf(summary, content, part="answers",
                                            answers_per_question=None)):
            body = page.split("Answers in returned action guides", 1)[-1].strip()
            assert not body.startswith("Left blank by"), (size, body[:80])


def test_heatmap_numbers_meet_the_contrast_the_guides_keep() -> None:
    """Every shade a number is written on, from white to the deepest primary, gets an ink
    at 4.5:1 or better (the median on #798ca6 was white at 3.4:1)."""
    from reportlab.lib import colors

    from guidepdf.content.contrast import contrast
    from guidepdf.report import charts

    dark = colors.HexColor("#1f2a37")
    hexed = lambda c: "#" + c.hexval()[2:]  # noqa: E731
    for primary in ("#1f3a5f", "#798ca6", "#b5542a", "#2e7d32"):
        for step in range(0, 101, 5):
            shade = charts.mix(colors.white, colors.HexColor(primary), step / 100)
            fill, ink = charts.readable(shade, dark)
            assert contrast(hexed(fill), hexed(ink)) >= 4.5, (primary, step)
    fill, ink = charts.readable(colors.HexColor("#798ca6"), dark)
    assert ink == dark


def test_appendix_lists_head_their_columns_once_a_page(small_summary: Summary,
                                                       content: Content) -> None:
    """A long list in the appendix (120 rejected files) shows its column header at the top
    of each page it runs over, never again in the middle of a page."""
    from guidepdf.report.model import Rejected

    rejected = tuple(Rejected(f"file{i:03}.pdf", "not a PDF (an HTML page)")
                     for i in range(120))
    summary = dataclasses.replace(small_summary, rejected=rejected)
    pages = [p for p in texts(build_summary_pdf(summary, content, part="summary"))
             if "file0" in p or "file1" in p]
    assert len(pages) >= 2
    for page in pages:
        assert page.count("File Reason") == 1, page[:200]
    every = " ".join(pages)
    assert all(f"file{i:03}.pdf" in every for i in range(120))


def test_completeness_captions_are_shown_whole(content: Content) -> None:
    """'How complete are the forms?' with three-digit counts: every caption ('100 of 300
    complete · 100 partly · 100 blank') is printed in full, not cut with an ellipsis."""
    questions = [q.id for q in content.role("coach").questions]
    items = []
    for i in range(300):
        answers = {q: ("We plan together.", "") for q in questions} if i % 3 == 0 else \
            {questions[0]: ("Only this one.", "")} if i % 3 == 1 else {}
        plan = make_plan(content, "coach", f"c{i:03d}.pdf", email=f"c{i}@example.org",
                         answers=answers)
        items.append((Outcome(Path(plan.source), plan, ""), plan.source, 0.0))
    summary = aggregate(items, content, None, source="returned")
    pages = texts(build_summary_pdf(summary, content, part="summary"))
    assert any("100 of 300 complete · 100 partly · 100 blank" in p for p in pages)
    # the page text comes from the chart's ActualText: look at the strings it draws
    theme = make_theme(content.brand, "letter", content.labels.hyphenation)
    block = _completeness(summary, content.labels, theme, _index(summary, 50))[0]
    chart = next(f.flowable for f in block._content
                 if isinstance(getattr(f, "flowable", None), Drawing))
    drawn = [s.text for s in chart.contents if isinstance(s, String)]
    assert "100 of 300 complete · 100 partly · 100 blank" in drawn
    assert not any(text.endswith("…") for text in drawn)


def test_every_continued_page_names_the_question_it_continues(content: Content) -> None:
    """A page that continues a question's answers starts with the role, the question's
    number and the column headings, on every such page and for the question it continues,
    not the one before (the headings are made once per question, drawn on each page)."""
    import re

    role = content.role("coach")
    first, second = role.questions[0].id, role.questions[1].id
    body = " ".join(["steady words about the week"] * 12)
    plans = [make_plan(content, "coach", f"c{n:02d}.pdf", name=f"Person {n:02d}", answers={
        first: (f"Q1MARK {body}", "x"), second: (f"Q2MARK {body}", "y")}) for n in range(40)]
    summary = aggregate([(Outcome(Path(p.source), p, ""), p.source, 0.0) for p in plans],
                        content, None, source="returned")
    summary = dataclasses.replace(summary, roles=tuple(  # no quotes holding the marks
        dataclasses.replace(r, themes=(), questions=tuple(
            dataclasses.replace(q, themes=()) for q in r.questions))
        for r in summary.roles))
    continued: dict[str, int] = {"1": 0, "2": 0}
    current = ""  # the question whose heading came last
    for page in texts(build_summary_pdf(summary, content, part="answers")):
        headings = [(m.start(), m.group(1)) for m in re.finditer(r"Question (\d)(?!,)", page)]
        named = re.findall(r"Question (\d), continued", page)
        top = page[:headings[0][0]] if headings else page
        if current in continued and ("MARK" in top or "steady words" in top):
            assert named == [current], page[:300]  # its rows go on here
            assert page.index("continued") < page.index("steady words")
            assert "WHO REFLECTIONS FIRST STEPS" in top
            continued[current] += 1
        else:
            assert not named, page[:300]
        if headings:
            current = headings[-1][1]
    assert continued["1"] >= 2 and continued["2"] >= 2, continued


def test_the_first_tile_keeps_its_number_on_one_line(small_summary: Summary,
                                                     content: Content) -> None:
    """"18,939 of 21,210" fits its tile (it wrapped over two lines at 28% of the width)."""
    totals = dataclasses.replace(small_summary.totals, returned=18939, expected=21210,
                                 missing=2271, duplicates=932, rejected=140)
    pdf = build_summary_pdf(dataclasses.replace(small_summary, totals=totals), content)
    lines = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().splitlines()
    assert any("18,939 of 21,210" in line for line in lines), lines[:12]


def test_tile_widths_fit_every_number_and_the_frame() -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from guidepdf.report.summary_pdf import TILE_PADDING, tile_widths
    numbers = ["18,939 of 21,210", "2,271", "0", "932", "140"]
    widths, size = tile_widths(numbers, "Helvetica-Bold", 468)
    assert abs(sum(widths) - 468) < 1e-6 and size == 19
    for n, w in zip(numbers, widths, strict=True):
        assert w >= stringWidth(n, "Helvetica-Bold", size) + TILE_PADDING - 1e-6
    assert len({round(w, 6) for w in widths[1:]}) == 1  # the others even
    widths, size = tile_widths(["888,888,888 of 999,999,999"] * 5, "Helvetica-Bold", 468)
    assert size < 19 and abs(sum(widths) - 468) < 1e-6
