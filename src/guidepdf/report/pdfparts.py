"""Small platypus pieces the summary PDF is built from: escaped text from people, headings
that go into the PDF outline, deferred (lazily generated) story parts, and tables that
repeat their header and never grow large enough to make reportlab's splitting slow."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag, ParaParser

from guidepdf.content.labels import Labels
from guidepdf.layout import peopletext
from guidepdf.layout.hyphenation import CellParagraph
from guidepdf.layout.shaping import is_rtl
from guidepdf.layout.table_tags import TableTags
from guidepdf.layout.tagging import Tagged
from guidepdf.layout.text import markup
from guidepdf.layout.theme import Theme

TABLE_CHUNK = 40  # rows per table; reportlab re-measures a table each time it splits it


class Deferred:
    """A story placeholder for flowables made on demand by a generator (see summary_pdf)."""

    def __init__(self, source: Iterator[Flowable]) -> None:
        self.source = source


class Para(CellParagraph):
    """A Paragraph that breaks its lines once per width. reportlab asks a table cell's
    paragraphs to wrap again each time it measures, splits or draws the table — three or
    more times each in the summary, every time breaking every line anew (most of the time
    of laying out the answers). The lines depend only on the width, the text and the style,
    which do not change once the paragraph is made."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        memo = self.__dict__.get("_wrap_memo")
        if memo is not None and memo[0] == availWidth and "blPara" in self.__dict__:
            return memo[1]  # (split drops blPara when it gives up: then wrap again)
        size = super().wrap(availWidth, availHeight)
        self._wrap_memo = (availWidth, size)
        return size


_FRAGS: dict[int, tuple[ParagraphStyle, ParaFrag]] = {}  # id(style) -> (style, its frag)


def plain_para(text: str, style: ParagraphStyle) -> Para:
    """A Para showing `text` as it is (no markup in it), made without reportlab's markup
    parser, which costs more than breaking the lines of a short answer: its one fragment is
    the one the parser makes for the style, with the text cleaned as the parser's input
    is (whitespace runs and line breaks become one space)."""
    cleaned = cleanBlockQuotedText(text)
    if not cleaned:
        return Para("", style)
    found = _FRAGS.get(id(style))
    if found is None or found[0] is not style:
        if len(_FRAGS) > 512:  # styles cloned per row (answerrows) must not pile up
            _FRAGS.clear()
        _, frags, _ = ParaParser().parse("x", style)
        found = _FRAGS[id(style)] = (style, frags[0])
    return Para(text, style, frags=[found[1].clone(text=cleaned)])


def tagged(text: str, style: ParagraphStyle, role: str = "P") -> Tagged:
    """A Paragraph tagged as `role` (P, H1, H2, H3) for the structure tree."""
    return Tagged(Para(text, style), role)


def heading(text: str, style: ParagraphStyle, role: str, *, outline: str = "",
            level: int = 0) -> Tagged:
    """A Heading (into the outline) tagged as `role`."""
    return Tagged(Heading(text, style, outline=outline, level=level), role)


class Heading(Paragraph):
    """A heading paragraph that also becomes an entry in the PDF outline (bookmarks)."""

    def __init__(self, text: str, style: ParagraphStyle, *, outline: str = "",
                 level: int = 0) -> None:
        super().__init__(text, style)
        self.outline = outline
        self.level = level


def esc(text: str) -> str:
    """Text from people or content -> Paragraph markup that shows exactly that text."""
    return markup(text)


# What one answer (or any cell of people's text) may print: the summary PDF's cost grows
# with what it lays out, so past this much a cell says how much more there is and where
# it is; the CSV, XLSX and JSON always hold the whole text.
PRINT_CHARS = 4000
PRINT_LINES = 60
CLIPPED = ("… {more:,} more characters not printed here — the whole text is in "
           "responses.xlsx, responses.csv and summary.json")


def clip(text: str, chars: int = PRINT_CHARS, lines: int = PRINT_LINES) -> tuple[str, int]:
    """(the start of `text` that may be printed, how many characters were left out)."""
    cut = len(text) if len(text) <= chars else chars
    end = -1
    for _ in range(lines):  # the first `lines` lines at most
        end = text.find("\n", end + 1, cut)
        if end < 0:
            break
    else:
        cut = end
    return text[:cut], len(text) - cut


def person_text(text: str, style: ParagraphStyle, shown: str | None = None) -> Flowable:
    """Text from people (a name, a group, an answer) in `style`: a Para of `shown` (markup;
    by default the escaped text) when the style's font draws it as it is, else drawn in any
    script by layout.peopletext (fallback fonts, right-to-left order, shaping)."""
    if peopletext.plain(text, style.fontName):
        if shown is None and not style.textTransform:
            return plain_para(text, style)
        return Para(shown if shown is not None else esc(text), style)
    return peopletext.PeopleParagraph(text, style)


def name_list(names: Sequence[str], labels: Labels) -> str:
    """People's names joined as a list in a sentence. A left-to-right mark after each name
    when any is right-to-left: two right-to-left names in a row keep the list's order
    instead of forming one right-to-left run."""
    mark = "\u200e" if any(is_rtl(name) for name in names) else ""
    return labels.join([f"{name}{mark}" for name in names])


def person_heading(text: str, style: ParagraphStyle, role: str, *, outline: str = "",
                   level: int = 0) -> Tagged:
    """A heading that is text from people (a school's or team's name), in any script, into
    the outline like `heading`."""
    if peopletext.plain(text, style.fontName):
        return heading(esc(text), style, role, outline=outline, level=level)
    flowable = peopletext.PeopleParagraph(text, style)
    flowable.outline, flowable.level = outline, level  # read by the document's afterFlowable
    return Tagged(flowable, role)


def answer_text(text: str, style: ParagraphStyle, theme: Theme) -> Flowable:
    """An answer cell: line breaks kept, a dash when blank, any script."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return Para(answer_markup(text, theme), style)
    if "\n" not in text and len(text) <= PRINT_CHARS:  # one line, not clipped: no markup
        return person_text(text, style)
    return person_text(text, style, answer_markup(text, theme))


def answer_markup(text: str, theme: Theme) -> str:
    """An answer as Paragraph markup: escaped, line breaks kept; a dash when blank; past
    PRINT_CHARS characters or PRINT_LINES lines, clipped with a note saying so."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return f"<font color='{theme.muted.hexval()}'>—</font>"
    shown, more = clip(text)
    markup_text = "<br/>".join(esc(line) for line in shown.split("\n"))
    if more:
        markup_text += (f"<br/><i><font color='{theme.muted.hexval()}'>"
                        f"{esc(CLIPPED.format(more=more))}</font></i>")
    return markup_text


def table_style(theme: Theme, *, header: bool, body: bool) -> TableStyle:
    """The guides' table look: primary header band, ruled rows, a light box."""
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), theme.fonts.regular),  # not the unembedded Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), theme.primary))
    if body:
        first = 1 if header else 0
        commands += [("LINEBELOW", (0, first), (-1, -1), 0.5, theme.rule),
                     ("LINEBEFORE", (0, first), (0, -1), 0.5, theme.rule),
                     ("LINEAFTER", (-1, first), (-1, -1), 0.5, theme.rule)]
    return TableStyle(commands)


def fit_words(widths: Sequence[float], header: Sequence[str], style: ParagraphStyle
              ) -> list[float]:
    """Column widths where each header's longest word fits on a line (a word cut in the
    middle, "Entregado|s", is worse than a wider column), taken from the columns with room
    to spare; the total stays the same."""
    pad = 2 * 5.0 + 1  # table_style's padding, and a point to spare
    need = [max((stringWidth(w, style.fontName, style.fontSize) for w in h.split()),
                default=0.0) + pad for h in header]
    out = list(widths)
    short = sum(max(0.0, n - w) for n, w in zip(need, out, strict=True))
    spare = sum(max(0.0, w - n) for n, w in zip(need, out, strict=True))
    if short <= 0 or spare < short:
        return out
    for i, (n, w) in enumerate(zip(need, widths, strict=True)):
        out[i] = n if w < n else w - (w - n) * short / spare
    return out


def chunked_table(header: Sequence[str], rows: Sequence[Sequence[str]],
                  shares: Sequence[float], theme: Theme, *, numeric_from: int | None = None,
                  header_cols: int = 0, chunk: int = TABLE_CHUNK) -> Iterator[Table]:
    """Rows of plain text as tables of at most `chunk` rows, each with the header (which
    each repeats atop a page it continues on; one chunk for a list that must not show its
    header again mid-page);
    columns get `shares` of the frame width; columns from `numeric_from` on align right.
    Tagged as a table each: the header row heads the columns, the first `header_cols`
    cells of a row head the row."""
    th, cell = theme.style("th"), theme.style("cell_small")
    widths = fit_words([theme.frame_width * s for s in shares], header, th)
    right = cell.clone("cell_right", alignment=2)
    th_right = th.clone("th_right", alignment=2)
    head = [Para(esc(h), th_right if numeric_from is not None and i >= numeric_from
                      else th) for i, h in enumerate(header)]
    for start in range(0, max(len(rows), 1), chunk):
        data: list[list[Flowable]] = [head]
        for row in rows[start:start + chunk]:
            data.append([answer_text(v, right if numeric_from is not None and i >= numeric_from
                                     else cell, theme) if v else Para("", cell)
                         for i, v in enumerate(row)])
        data = TableTags().rows(data, header_rows=1, header_cols=header_cols)
        table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1)
        table.setStyle(table_style(theme, header=True, body=True))
        yield table
