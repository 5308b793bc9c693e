"""The hostile-input corpus: every case is made by code here (no hand-edited binaries) and
carries its exact expected outcome.

    python tests/corpus/make_corpus.py OUT_DIR     # write the files, e.g. as fuzzing seeds

PDF cases start from the toy guide (tests/data/toy_content) and break it the way mail,
viewers, other tools or attackers do. Content cases replace the toy role file.
"""

from __future__ import annotations

import io
import re
import sys
import warnings
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from reportlab.pdfgen import canvas

from guidepdf import formspec
from guidepdf.content import load_content
from guidepdf.layout import GuideOptions, build_guide

TOY = Path(__file__).resolve().parents[1] / "data" / "toy_content"
DIG = formspec.answer_field("gardener", "dig", "reflections")
WATER = formspec.answer_field("gardener", "water", "first_steps")
FLATTENED = ("no form fields (the form was flattened, printed to PDF or scanned); its answers "
             "cannot be read")


@dataclass(frozen=True)
class PdfCase:
    name: str
    make: Callable[[bytes], bytes]  # from the blank toy guide
    expected: dict  # {"rejected": reason} or {"answers": {...}, "warnings": [...]}


def _save(doc: pikepdf.Pdf, **kw: object) -> bytes:
    out = io.BytesIO()
    # qpdf cannot make a deterministic /ID for an encrypted file
    doc.save(out, deterministic_id="encryption" not in kw, **kw)  # type: ignore[arg-type]
    return out.getvalue()


def _edit(change: Callable[[pikepdf.Pdf], None], **kw: object) -> Callable[[bytes], bytes]:
    def make(blank: bytes) -> bytes:
        with pikepdf.open(io.BytesIO(blank)) as doc:
            change(doc)
            return _save(doc, **kw)
    return make


def _field(doc: pikepdf.Pdf, name: str) -> pikepdf.Dictionary:
    return next(f for f in doc.Root.AcroForm.Fields if str(f.get("/T", "")) == name)


def _fill(doc: pikepdf.Pdf) -> None:
    _field(doc, DIG).V = pikepdf.String("dig by the fence")
    _field(doc, WATER).V = pikepdf.String("twice a week")


FILLED = {"dig": {"reflections": "dig by the fence", "first_steps": ""},
          "water": {"reflections": "", "first_steps": "twice a week"}}


def _filled(blank: bytes) -> bytes:
    return _edit(_fill, object_stream_mode=pikepdf.ObjectStreamMode.disable)(blank)


def _packed(blank: bytes) -> bytes:
    """Filled and saved with object streams: the cross-reference lives at the very end."""
    return _edit(_fill, object_stream_mode=pikepdf.ObjectStreamMode.generate)(blank)


def _cut(data: bytes, share: float) -> bytes:
    return data[: int(len(data) * share)]


def _other_tool(blank: bytes) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.acroForm.textfield(name="Given Name", x=72, y=600, width=200, height=20)
    c.acroForm.textfield(name="Family Name", x=72, y=560, width=200, height=20)
    c.showPage()
    c.save()
    return buf.getvalue()


def _no_acroform(doc: pikepdf.Pdf) -> None:
    del doc.Root["/AcroForm"]
    for page in doc.pages:
        if "/Annots" in page.obj:
            del page.obj["/Annots"]


def _xfa_only(doc: pikepdf.Pdf) -> None:
    _no_acroform(doc)
    doc.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(),
                                           XFA=doc.make_stream(b"<xdp:xdp/>"))


def _merged_twice(blank: bytes) -> bytes:
    """Two copies of the same guide merged (as `pdftk cat` or Preview would join them)."""
    with pikepdf.open(io.BytesIO(_filled(blank))) as one, \
            pikepdf.open(io.BytesIO(blank)) as two, warnings.catch_warnings():
        warnings.simplefilter("ignore", pikepdf.PageCopyWarning)  # fields are copied below
        one.pages.extend(two.pages)
        for f in two.Root.AcroForm.Fields:
            one.Root.AcroForm.Fields.append(one.copy_foreign(f))
        return _save(one)


def _duplicate_name(doc: pikepdf.Pdf) -> None:
    _fill(doc)
    copy = doc.make_indirect(pikepdf.Dictionary(FT=pikepdf.Name.Tx, T=pikepdf.String(DIG),
                                                V=pikepdf.String("")))
    doc.Root.AcroForm.Fields.append(copy)


def _huge_value(doc: pikepdf.Pdf) -> None:
    _field(doc, DIG).V = pikepdf.String("x" * 3_000_000)


def _nested_array(doc: pikepdf.Pdf) -> None:
    value = pikepdf.Array([pikepdf.String("deep")])
    for _ in range(40):
        value = pikepdf.Array([value])
    _field(doc, DIG).V = value


def _bomb(doc: pikepdf.Pdf) -> None:
    """A value stream of ~200 KB that inflates to 200 MB."""
    inflater = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    data = b"".join(inflater.compress(chunk) for _ in range(200)) + inflater.flush()
    stream = pikepdf.Stream(doc, data)
    stream.Filter = pikepdf.Name.FlateDecode
    _field(doc, DIG).V = stream


def _page_loop(doc: pikepdf.Pdf) -> None:
    _fill(doc)
    doc.Root.Pages.Kids.append(doc.Root.Pages)


def _javascript(doc: pikepdf.Pdf) -> None:
    _fill(doc)
    doc.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript,
                                             JS=pikepdf.String("app.alert('hi')"))


def _strip_manifest(doc: pikepdf.Pdf) -> None:
    _fill(doc)
    doc.Root.AcroForm.Fields = pikepdf.Array(
        [f for f in doc.Root.AcroForm.Fields if str(f.get("/T", "")) != formspec.MANIFEST_FIELD])
    for page in doc.pages:
        if "/Annots" in page.obj:
            page.obj.Annots = pikepdf.Array([a for a in page.obj.Annots
                                             if str(a.get("/T", "")) != formspec.MANIFEST_FIELD])
    del doc.docinfo[formspec.MANIFEST_INFO_KEY]


def _bad_startxref(blank: bytes) -> bytes:
    data = _filled(blank)
    return re.sub(rb"startxref\s+\d+", b"startxref\n999999", data)


def _xref_loop(blank: bytes) -> bytes:
    """An incremental update whose /Prev points at its own cross-reference table."""
    data = _filled(blank)
    offset = len(data)
    update = (b"xref\n0 0\ntrailer\n<< /Size 1 /Prev %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (offset, offset))
    return data + update


def _encrypted(user: str) -> Callable[[bytes], bytes]:
    def make(blank: bytes) -> bytes:
        with pikepdf.open(io.BytesIO(_filled(blank))) as doc:
            return _save(doc, encryption=pikepdf.Encryption(user=user, owner="owner", R=6))
    return make


def _unsupported_handler(blank: bytes) -> bytes:
    data = _encrypted("")(blank)
    return re.sub(rb"/Filter\s*/Standard", b"/Filter /FooSecurity", data, count=1)


MISSING = ("the guidepdf manifest is missing (removed by the program that saved the file?); "
           "role and questions taken from the field names")

PDF_CASES = [
    PdfCase("empty.pdf", lambda b: b"", {"rejected": "empty file (0 bytes)"}),
    PdfCase("html.pdf", lambda b: b"<!DOCTYPE html><html><body>Sorry</body></html>",
            {"rejected": "not a PDF (an HTML page)"}),
    PdfCase("text.pdf", lambda b: b"hello, here is my form", {
        "rejected": "not a PDF (a text file; it does not start with %PDF-)"}),
    PdfCase("header-only.pdf", lambda b: b"%PDF-1.7\n", {
        "rejected": "damaged beyond repair (unable to find trailer dictionary while recovering "
                    "damaged file)"}),
    PdfCase("truncated-10pct.pdf", lambda b: _cut(_filled(b), 0.1), {
        "answers": FILLED,
        "warnings": ["the file was damaged and repaired by qpdf; check its answers"]}),
    PdfCase("truncated-50pct.pdf", lambda b: _cut(_filled(b), 0.5), {
        "answers": FILLED,
        "warnings": ["the file was damaged and repaired by qpdf; check its answers"]}),
    PdfCase("truncated-objstm-50pct.pdf", lambda b: _cut(_packed(b), 0.5), {
        "rejected": "damaged beyond repair (unable to find trailer dictionary while recovering "
                    "damaged file)"}),
    PdfCase("truncated-objstm-90pct.pdf", lambda b: _cut(_packed(b), 0.9), {
        "rejected": "damaged beyond repair (unable to find trailer dictionary while recovering "
                    "damaged file)"}),
    PdfCase("truncated-60-bytes.pdf", lambda b: _filled(b)[:-60], {
        "answers": FILLED,
        "warnings": ["the file was damaged and repaired by qpdf; check its answers"]}),
    PdfCase("bad-startxref.pdf", _bad_startxref, {
        "answers": FILLED,
        "warnings": ["the file was damaged and repaired by qpdf; check its answers"]}),
    PdfCase("xref-loop.pdf", _xref_loop, {
        "answers": FILLED,
        "warnings": ["the file was damaged and repaired by qpdf; check its answers"]}),
    PdfCase("garbage-body.pdf", lambda b: b"%PDF-1.7\n" + bytes(range(256)) * 40, {
        "rejected": "damaged beyond repair (unable to find trailer dictionary while recovering "
                    "damaged file)"}),
    PdfCase("aes-empty-password.pdf", _encrypted(""), {
        "answers": FILLED,
        "warnings": ["the file was encrypted (empty password); read anyway"]}),
    PdfCase("real-password.pdf", _encrypted("hunter2"), {
        "rejected": "encrypted with a password; ask the sender for a copy without a password"}),
    PdfCase("unsupported-handler.pdf", _unsupported_handler, {
        "rejected": "encrypted with a method guidepdf cannot open; ask the sender for a copy "
                    "without a password"}),
    PdfCase("no-acroform.pdf", _edit(_no_acroform), {"rejected": FLATTENED}),
    PdfCase("xfa-only.pdf", _edit(_xfa_only), {
        "rejected": "an XFA-only form (made with Adobe LiveCycle or Designer), not a guidepdf "
                    "form; its answers cannot be read"}),
    PdfCase("other-tool.pdf", _other_tool, {
        "rejected": "not a guidepdf form (2 fields, none with guidepdf names)"}),
    PdfCase("merged-twice.pdf", _merged_twice, {
        "answers": FILLED,
        "warnings": [f"field '{n}' appears 2 times (two forms merged into one file?); its "
                     "first non-empty value was used" for n in sorted([
                         DIG, WATER, formspec.answer_field("gardener", "dig", "first_steps"),
                         formspec.answer_field("gardener", "water", "reflections"),
                         *(formspec.respondent_field("gardener", k)
                           for k in formspec.RESPONDENT_KEYS)])]}),
    PdfCase("duplicate-field-name.pdf", _edit(_duplicate_name), {
        "answers": FILLED,
        "warnings": [f"field '{DIG}' appears 2 times (two forms merged into one file?); its "
                     "first non-empty value was used"]}),
    PdfCase("huge-value.pdf", _edit(_huge_value), {
        "answers": {"dig": {"reflections": "x" * 2_000_000, "first_steps": ""},
                    "water": {"reflections": "", "first_steps": ""}},
        "warnings": [f"field '{DIG}': value longer than 2,000,000 bytes, cut"]}),
    PdfCase("nested-array-value.pdf", _edit(_nested_array), {
        "answers": {"dig": {"reflections": "", "first_steps": ""},
                    "water": {"reflections": "", "first_steps": ""}},
        "warnings": [f"field '{DIG}': value stored as an array"]}),
    PdfCase("object-streams.pdf", _edit(_fill, object_stream_mode=pikepdf.ObjectStreamMode
                                        .generate), {"answers": FILLED, "warnings": []}),
    PdfCase("decompression-bomb.pdf", _edit(_bomb), {
        "answers": {"dig": {"reflections": "\0" * 2_000_000, "first_steps": ""},
                    "water": {"reflections": "", "first_steps": ""}},
        "warnings": [f"field '{DIG}': value stream inflates past 2,000,000 bytes, cut",
                     f"field '{DIG}': the answer is mostly control characters (U+0000), as "
                     "a tool that could not draw the text leaves it; it was kept as it was — "
                     "check the form in a PDF viewer"]}),
    # the answers do not depend on the pages: a page tree that loops loses none of them
    PdfCase("page-tree-loop.pdf", _edit(_page_loop), {"answers": FILLED, "warnings": []}),
    PdfCase("javascript.pdf", _edit(_javascript), {
        "answers": FILLED, "warnings": ["the file contains JavaScript; it was ignored"]}),
    PdfCase("manifest-stripped.pdf", _edit(_strip_manifest), {
        "answers": FILLED, "warnings": [MISSING]}),
    PdfCase("filled.pdf", _filled, {"answers": FILLED, "warnings": []}),
]


@dataclass(frozen=True)
class ContentCase:
    name: str
    text: bytes  # replaces roles/gardener.yaml
    expected: list[str]


R = "content/roles/gardener.yaml"
LAUGHS = b"a: &a [x, x, x, x, x, x, x, x, x]\n" + b"".join(
    b"%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n" % ((bytes([98 + i]),) * 2 +
                                                          (bytes([97 + i]),) * 8)
    for i in range(8))

CONTENT_CASES = [
    ContentCase("billion-laughs", LAUGHS, [
        f"{R}:2:8: YAML anchors and aliases are not supported — write the repeated text out "
        "in full"]),
    ContentCase("python-object-tag", b"id: !!python/object/apply:os.system ['echo pwned']\n", [
        f"{R}:1:5: unsupported YAML tag '!!python/object/apply:os.system' — remove the tag; "
        "content is plain text, lists and mappings"]),
    ContentCase("one-megabyte-string", b"holders: " + b"a" * 1_000_000 + b"\n", [
        f"{R}:1:10: text of 1,000,000 characters is too long (limit 20,000) — split it or "
        "shorten it"]),
    ContentCase("ten-megabyte-file", b"holders: " + b"a" * 10_000_000 + b"\n", [
        f"{R}: file is 9.5 MB; a content file may be at most 4 MB — content files are a few "
        "KB of text: check that this is the right file, or split it"]),
    ContentCase("question-too-long", b"id: gardener\norder: 1\ntitle: G\nshort_title: G\n"
                b"holders: H\nintroduction: I\nresponsibilities:\n  soil:\n    - R\n"
                b"questions:\n  - id: dig\n    text: " + b"word " * 120 + b"\n", [
        f"{R}:12:11: question text is 599 characters; at most 500 fit in a row of the "
        "reflection table on one page — shorten the question (a question is a sentence or "
        "two; put the background in the introduction)"]),
    ContentCase("utf16", "id: gardener\n".encode("utf-16"), [
        f"{R}:1:1: file is UTF-16 encoded — save the file with UTF-8 encoding"]),
    ContentCase("latin1", b"id: gardener\ntitle: Jardini\xe8res\n", [
        f"{R}:2:15: file is not valid UTF-8 (byte 0xe8) — save the file with UTF-8 encoding"]),
    ContentCase("binary", bytes(range(256)), [
        f"{R}:2:118: file is not valid UTF-8 (byte 0x80) — save the file with UTF-8 encoding"]),
    ContentCase("control-character", b"id: gardener\ntitle: a\x07b\n", [
        f"{R}:2:9: control character U+0007 in the text — remove it; content is plain text"]),
    ContentCase("tab-indent", b"id: gardener\nresponsibilities:\n\tsoil: []\n", [
        f"{R}:3:1: YAML syntax error: found character '\\t' that cannot start any token — "
        "indent with spaces, not tabs"]),
    ContentCase("duplicate-key", b"id: gardener\nid: gardener\n", [
        f"{R}:2:1: duplicate key 'id' (first at line 1) — keep one of them; YAML would "
        "silently use the last"]),
    ContentCase("deep-nesting", b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n", [
        f"{R}:1:53: lists or mappings nested more than 50 levels deep — content is only a "
        "few levels deep; check the brackets"]),
    ContentCase("empty-file", b"", [
        f"{R}:1:1: file is empty — see content/FORMAT.md for what this file holds"]),
    ContentCase("unclosed-quote", b'id: gardener\ntitle: "unclosed\n', [
        f"{R}:3:1: YAML syntax error: found unexpected end of stream — check the indentation "
        "and quoting on this line and the one before"]),
    ContentCase("list-not-mapping", b"- a\n- b\n", [
        f"{R}:1:1: role must be a mapping of keys, not a list — write it as 'key: value' "
        "lines; keys: id, order, title, short_title, holders, introduction, responsibilities, "
        "questions, in_sentence"]),
]


def blank_guide() -> bytes:
    content = load_content(TOY)
    return build_guide(content, content.role("gardener"), GuideOptions(mode="fillable"))


def write_pdf_cases(out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    blank = blank_guide()
    paths = {}
    for case in PDF_CASES:
        path = out / case.name
        path.write_bytes(case.make(blank))
        paths[case.name] = path
    return paths


def main() -> None:
    out = Path(sys.argv[1])
    write_pdf_cases(out / "pdf")
    for case in CONTENT_CASES:
        (out / "content").mkdir(parents=True, exist_ok=True)
        (out / "content" / f"{case.name}.yaml").write_bytes(case.text)


if __name__ == "__main__":
    main()


# Inputs the fuzzer found (tests/fuzz/), kept as it wrote them, with the outcome after the fix.
FOUND_DIR = Path(__file__).resolve().parent / "found"
FOUND_CASES = {
    # str() of a field type name that is not UTF-8 raised UnicodeDecodeError
    "non-utf8-name.pdf": {
        "warnings": ["the file was damaged and repaired by qpdf; check its answers",
                     "unknown field 'gardener__resÆondent__date' ignored",
                     "unknown field 'gardener__water_+_first_steps' ignored"]},
    # str() of a radio value name that is not UTF-8 raised UnicodeDecodeError
    "non-utf8-radio-value.pdf": {
        "warnings": ["the file was damaged and repaired by qpdf; check its answers",
                     "the guidepdf manifest is missing (removed by the program that saved the "
                     "file?); role and questions taken from the field names"]},
    # a number as a field value hit an attribute only pikepdf objects have (AttributeError);
    # also shows garbage names made printable and a damaged manifest role refused
    "numeric-value.pdf": {"warnings":
        ['the file was damaged and repaired by qpdf; check its answers',
         'the guidepdf manifest is damaged; role and questions taken from the field names',
         'field names carry a prefix added by another program (e.g. '
         "'i½@Ö˚2?§ıÂÎsY™{“Åèó/öOÁ??Ôi.?R|LïàÜÜñ?¬HoÙc?Žw??'); matched by their last part",
         "field '3c96eeec513fa79436e8d9e21e83b1d69ac> /Type /Annot /V <87f1g…': value stored "
         'as a number',
         "unknown field '3c96eeec513fa79436e8d9e21e83b1d69ac> /Type /Annot /V <87f1g…' "
         'ignored',
         "unknown field '?R|LïàÜÜñ?¬HoÙc?Žw??' ignored",
         "field 'gardener__water__reflections' appears 2 times (two forms merged into one "
         'file?); its first non-empty value was used']},
    # pikepdf.open raised ValueError for a number beyond 64 bits
    "huge-number.pdf": {
        "rejected": "damaged beyond repair (overflow/underflow converting "
                    + "124" + "3" * 114 + "598 to 64-bit integer)"},
    # qpdf raised QpdfRuntimeError (not a PdfError) on a page tree with a wrong /Count
    "page-count-wrong.pdf": {
        "rejected": "damaged beyond repair (/Count is wrong after flattening pages tree)"},
}


@dataclass(frozen=True)
class RosterCase:
    name: str
    data: bytes
    expected: dict  # {"error": message} or {"people": n, "problems": [...]}; {dir} = folder


ROSTER_CASES = [
    RosterCase("empty.csv", b"", {
        "error": "empty.csv: the roster is empty — the first line must be a header such as: "
                 "id,name,email,role,group"}),
    RosterCase("header-only.csv", b"id,name,email,role\n", {
        "people": 0, "problems": ["header-only.csv: the roster has no people in it — add one "
                                  "row per person below the header"]}),
    RosterCase("binary-renamed.csv", bytes(range(256)) * 4, {
        "error": "{dir}/binary-renamed.csv: the file contains NUL bytes and is not UTF-16 "
                 "text — it is not a text CSV file; save it again as 'CSV UTF-8'"}),
    RosterCase("formula-cells.csv",
               b'id,name,email,role\n1,=HYPERLINK("http://x"),a@example.org,coach\n', {
                   "people": 1, "problems": [
                       "formula-cells.csv:2: warning: name '=HYPERLINK(\"http://x\")' starts "
                       "with '=', like a spreadsheet formula — it is used as plain text; check "
                       "the cell"]}),
    RosterCase("crlf-in-name.csv",
               b'id,name,email,role\n1,"Ann\r\nEvil: header",a@example.org,coach\n', {
                   "people": 0, "problems": [
                       "crlf-in-name.csv:2: name contains a line break (U+000D) — remove it; "
                       "a cell must hold one line of text"]}),
    RosterCase("unknown-role.csv", b"id,name,email,role\n1,Ann,a@example.org,coch\n", {
        "people": 0, "problems": ["unknown-role.csv:2: unknown role 'coch' — did you mean "
                                  "'coach'?"]}),
    RosterCase("duplicate-email.csv",
               b"id,name,email,role\n1,Ann,a@example.org,coach\n2,Bob,A@example.org,teacher\n",
               {"people": 1, "problems": [
                   "duplicate-email.csv:3: duplicate email 'A@example.org' (also on line 2) — "
                   "each person needs their own address; one person with two roles needs two "
                   "addresses or two runs"]}),
    RosterCase("cp1252-semicolon.csv",
               "id;name;email;role\n1;Zoë Ångström;z@example.org;teacher\n".encode("cp1252"),
               {"people": 1, "problems": []}),
    RosterCase("hundred-thousand-rows.csv", ("id,name,email,role,group\n" + "".join(
        f"{i},Person {i},p{i}@example.org,teacher,School {i % 50}\n"
        for i in range(100_000))).encode(), {"people": 100_000, "problems": []}),
]
