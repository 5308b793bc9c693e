"""One YAML file's node tree -> one model object (brand, framework, role, IC map), with every
problem recorded in the FileFields it is given."""

from __future__ import annotations

import stat
from pathlib import Path

from guidepdf.content.contrast import text_contrast_problem
from guidepdf.content.fields import FileFields, describe, did_you_mean
from guidepdf.content.images import image_problem
from guidepdf.content.model import (
    Brand,
    Category,
    Colors,
    Fonts,
    Framework,
    ICBlock,
    ICMap,
    ICOutcome,
    Logo,
    Question,
    Resource,
    Role,
    Standard,
)
from guidepdf.content.yamlsource import MappingNode, Node, ScalarNode

COLOR_KEYS = ("primary", "accent", "text", "muted", "rule")
TEXT_COLORS = {  # brand colours that text is drawn in, or that white text is drawn on
    "primary": "headings on white, white text on it",
    "accent": "white text on it",
    "text": "text on white pages",
    "muted": "text on white pages",
}
WHEEL_USE = "headings on white, white text on it in the wheel"
FONT_KEYS = ("regular", "bold", "italic")


def read_brand(node: Node, f: FileFields, fonts_dir: Path,
               root: Path | None = None) -> Brand | None:
    keys = f.mapping(node, "brand", ("organization", "url", "edition", "date", "language",
                                     "attribution", "footer", "contact", "resources", "fonts",
                                     "colors"), ("logo",))
    if keys is None:
        return None
    texts = {k: f.text(keys.get(k), k) for k in ("organization", "url", "edition", "date",
                                                    "language", "attribution", "footer")}
    contact = f.text(keys.get("contact"), "contact")
    resources = []
    for item in f.sequence(keys.get("resources"), "resources") or []:
        rk = f.mapping(item, "resource", ("title", "description"))
        if rk is not None:
            title, desc = f.text(rk.get("title"), "title"), f.text(rk.get("description"),
                                                                    "description")
            if title and desc:
                resources.append(Resource(title, desc))
    fonts = _read_fonts(keys.get("fonts"), f, fonts_dir)
    colors = None
    if "colors" in keys:
        ck = f.mapping(keys["colors"], "colors", COLOR_KEYS)
        if ck is not None:
            values = {k: f.color(ck.get(k), f"colour '{k}'") for k in COLOR_KEYS}
            for key, use in TEXT_COLORS.items():
                _check_contrast(f, ck.get(key), values[key], f"colour '{key}'", use)
            if None not in values.values():
                colors = Colors(**values)  # type: ignore[arg-type]
    logo = _read_logo(keys["logo"], f, root or fonts_dir.parent) if "logo" in keys else None
    if None in texts.values() or contact is None or fonts is None or colors is None \
            or logo is False:
        return None
    return Brand(**texts, contact=contact, resources=tuple(resources),  # type: ignore[arg-type]
                 fonts=fonts, colors=colors, logo=logo or None)


def _read_logo(node: Node, f: FileFields, root: Path) -> Logo | bool:
    """The logo (file: a path inside the content folder; alt: what it shows, for screen
    readers), or False when it has a problem (reported)."""
    keys = f.mapping(node, "logo", ("file", "alt"))
    if keys is None:
        return False
    name, alt = f.text(keys.get("file"), "file"), f.text(keys.get("alt"), "alt")
    if name is None or alt is None:
        return False
    path = (root / name)
    if Path(name).is_absolute() or ".." in Path(name).parts:
        f.error(keys["file"], f"logo file '{name}' is outside the content folder",
                "copy the file into the content folder (e.g. images/) and name it from there")
        return False
    problem = image_problem(path)
    if problem is not None:
        f.error(keys["file"], *problem)
        return False
    return Logo(path, alt)


def _read_fonts(node: Node | None, f: FileFields, fonts_dir: Path) -> Fonts | None:
    if node is None:
        return None
    keys = f.mapping(node, "fonts", FONT_KEYS, ("field_font",))
    if keys is None:
        return None
    paths = {}
    for key in (*FONT_KEYS, "field_font"):
        if key == "field_font" and key not in keys:
            continue
        name = f.text(keys.get(key), f"font '{key}'")
        if name is None:
            continue
        path = fonts_dir / name
        if "/" in name or "\\" in name or not (path.exists() or path.is_symlink()):
            available = sorted(p.name for p in fonts_dir.glob("*.ttf") if p.name != name)
            f.error(keys[key], f"font file '{name}' not found in {fonts_dir.name}/",
                    did_you_mean(name, available) if available else "add the .ttf file there")
            continue
        problem = font_file_problem(path)
        if problem:
            f.error(keys[key], f"font file '{name}' in {fonts_dir.name}/ {problem}",
                    "put a working TrueType (.ttf) font file there")
            continue
        paths[key] = path
    return Fonts(**paths) if len(paths) == len(FONT_KEYS) + ("field_font" in keys) else None


def _check_contrast(f: FileFields, node: Node | None, color: str | None, name: str,
                    use: str) -> None:
    """A colour that text meets white in must reach WCAG's 4.5:1 (see content.contrast)."""
    if node is None or color is None:
        return
    found = text_contrast_problem(color, name, use)
    if found:
        f.error(node, *found)


def read_framework(node: Node, f: FileFields) -> Framework | None:
    keys = f.mapping(node, "framework", ("name", "lead", "overview", "wheel_alt", "categories",
                                         "standards", "foundations", "chain", "chain_note"))
    if keys is None:
        return None
    texts = {k: f.text(keys.get(k), k) for k in ("name", "lead", "wheel_alt", "chain_note")}
    overview = " ".join((f.text(keys.get("overview"), "overview") or "").split())
    categories: list[Category] = []
    cat_ids: list[tuple[str, Node]] = []
    cat_nodes = f.sequence(keys.get("categories"), "categories") or []
    for item in cat_nodes:
        ck = f.mapping(item, "category", ("id", "name", "color", "description"))
        if ck is None:
            continue
        cid = f.identifier(ck.get("id"), "category id")
        name, color = f.text(ck.get("name"), "name"), f.color(ck.get("color"), "color")
        _check_contrast(f, ck.get("color"), color, "category colour", WHEEL_USE)
        desc = f.text(ck.get("description"), "description")
        if cid:
            cat_ids.append((cid, ck["id"]))  # known even when broken: no cascade of errors
        if cid and name and color and desc:
            categories.append(Category(cid, name, color, " ".join(desc.split()), f.pos(item)))
    f.unique(cat_ids, "category id")
    by_id = {c.id: c for c in categories}
    known = [c for c, _ in cat_ids]
    standards: list[Standard] = []
    std_ids: list[tuple[str, Node]] = []
    std_nodes = f.sequence(keys.get("standards"), "standards") or []
    for item in std_nodes:
        sk = f.mapping(item, "standard", ("id", "name", "category", "summary"), ("color",))
        if sk is None:
            continue
        sid = f.identifier(sk.get("id"), "standard id")
        name, summary = f.text(sk.get("name"), "name"), f.text(sk.get("summary"), "summary")
        cat = f.identifier(sk.get("category"), "category id")
        color = f.color(sk["color"], "color") if "color" in sk else None
        if color is not None:
            _check_contrast(f, sk["color"], color, "standard colour", WHEEL_USE)
        if cat is not None and cat not in known and known:
            f.error(sk["category"], f"standard filed under unknown category '{cat}'",
                    did_you_mean(cat, known))
            cat = None
        if sid and name and summary and cat in by_id:
            std_ids.append((sid, sk["id"]))
            standards.append(Standard(sid, name, cat, color or by_id[cat].color,  # type: ignore[index]
                                      " ".join(summary.split()), f.pos(item)))
    f.unique(std_ids, "standard id")
    foundations = f.text_list(keys.get("foundations"), "foundations")
    chain = f.text_list(keys.get("chain"), "chain")
    if None in texts.values() or not overview or foundations is None or chain is None:
        return None
    if len(categories) != len(cat_nodes) or len(standards) != len(std_nodes) or not standards:
        return None  # something above was reported; a partial framework would mislead
    return Framework(**texts, overview=overview, categories=tuple(categories),  # type: ignore[arg-type]
                     standards=tuple(standards), foundations=foundations, chain=chain)


def read_role(node: Node, f: FileFields, file_id: str,
              category_ids: list[str]) -> Role | None:
    keys = f.mapping(node, "role", ("id", "order", "title", "short_title", "holders",
                                    "introduction", "responsibilities", "questions"),
                     ("in_sentence",))
    if keys is None:
        return None
    rid = f.identifier(keys.get("id"), "role id")
    if rid is not None and rid != file_id:
        f.error(keys["id"], f"role id '{rid}' does not match the file name '{file_id}.yaml'",
                "rename the file or change the id so they agree")
        rid = None
    order = f.integer(keys.get("order"), "order")
    texts = {k: f.text(keys.get(k), k) for k in ("title", "short_title", "holders")}
    intro = f.paragraphs(keys.get("introduction"), "introduction")
    responsibilities = _read_responsibilities(keys.get("responsibilities"), f, category_ids)
    questions = _read_questions(keys.get("questions"), f, rid or file_id)
    if rid is None or order is None or None in texts.values() or intro is None:
        return None
    if responsibilities is None or questions is None:
        return None
    in_sentence = f.text(keys["in_sentence"], "in_sentence") if "in_sentence" in keys else ""
    if in_sentence is None:
        return None
    return Role(rid, order, **texts, introduction=intro,  # type: ignore[arg-type]
                responsibilities=responsibilities, questions=questions, pos=f.pos(node),
                in_sentence=in_sentence)


def _read_responsibilities(node: Node | None, f: FileFields, category_ids: list[str]
                           ) -> tuple[tuple[str, tuple[str, ...]], ...] | None:
    if node is None:
        return None
    if not isinstance(node, MappingNode):
        f.error(node, f"'responsibilities' must be a mapping, not {describe(node)}",
                "write one 'category-id:' line per category, each with a list of items")
        return None
    result = []
    for key, items in node.value:
        cid = key.value if isinstance(key, ScalarNode) else str(key)
        if category_ids and cid not in category_ids:
            f.error(key, f"responsibilities filed under unknown category '{cid}'",
                    did_you_mean(cid, category_ids))
            continue
        values = f.text_list(items, f"responsibilities under '{cid}'")
        if values is not None:
            result.append((cid, values))
    return tuple(result)


def _read_questions(node: Node | None, f: FileFields, role_id: str
                    ) -> tuple[Question, ...] | None:
    if node is None:
        return None
    items = f.sequence(node, "questions", min_items=0)
    if items is None:
        return None
    if not items:
        f.error(node, f"role '{role_id}' has no questions",
                "add at least one item under 'questions:' with an id and a text")
        return None
    questions, ids = [], []
    for item in items:
        qk = f.mapping(item, "question", ("id", "text"))
        if qk is None:
            continue
        qid, text = f.identifier(qk.get("id"), "question id"), f.text(qk.get("text"), "text")
        if qid and text and len(" ".join(text.split())) > MAX_QUESTION_CHARS:
            f.error(qk["text"], f"question text is {len(' '.join(text.split())):,} "
                    f"characters; at most {MAX_QUESTION_CHARS} fit in a row of the "
                    "reflection table on one page", "shorten the question (a question is a "
                    "sentence or two; put the background in the introduction)")
            continue
        if qid and text:
            ids.append((qid, qk["id"]))
            questions.append(Question(qid, " ".join(text.split()), f.pos(item)))
    f.unique(ids, "question id")
    return tuple(questions) if len(questions) == len(items) else None


def read_icmap(node: Node, f: FileFields, file_id: str,
               standard_ids: list[str]) -> ICMap | None:
    keys = f.mapping(node, "IC map", ("role", "title", "introduction", "levels", "blocks"))
    if keys is None:
        return None
    role = f.identifier(keys.get("role"), "role id")
    if role is not None and role != file_id:
        f.error(keys["role"], f"IC map role '{role}' does not match the file name "
                f"'{file_id}.yaml'", "rename the file or change 'role' so they agree")
        role = None
    title = f.text(keys.get("title"), "title")
    intro = f.paragraphs(keys.get("introduction"), "introduction")
    levels = f.text_list(keys.get("levels"), "levels")
    blocks: list[ICBlock] = []
    ids: list[tuple[str, Node]] = []
    for item in f.sequence(keys.get("blocks"), "blocks") or []:
        bk = f.mapping(item, "IC map block", ("standard", "outcomes"))
        if bk is None:
            continue
        sid = f.identifier(bk.get("standard"), "standard id")
        if sid is not None and sid not in standard_ids and standard_ids:
            f.error(bk["standard"], f"IC map block for unknown standard '{sid}'",
                    did_you_mean(sid, standard_ids))
            sid = None
        outcomes = []
        for onode in f.sequence(bk.get("outcomes"), "outcomes") or []:
            outcome = _read_outcome(onode, f, levels)
            if outcome is not None:
                ids.append((outcome.id, onode))
                outcomes.append(outcome)
        if sid is not None:
            blocks.append(ICBlock(sid, tuple(outcomes)))
    f.unique(ids, "outcome id")
    if role is None or title is None or intro is None or levels is None or not blocks:
        return None
    return ICMap(role, title, intro, levels, tuple(blocks))


def _read_outcome(node: Node, f: FileFields, levels: tuple[str, ...] | None) -> ICOutcome | None:
    ok = f.mapping(node, "IC outcome", ("id", "outcome", "levels"))
    if ok is None:
        return None
    oid = f.identifier(ok.get("id"), "outcome id")
    text = f.text(ok.get("outcome"), "outcome")
    cells_nodes = f.sequence(ok.get("levels"), "levels")
    if cells_nodes is None or oid is None or text is None:
        return None
    if levels is not None and len(cells_nodes) != len(levels):
        f.error(ok["levels"], f"outcome '{oid}' has {len(cells_nodes)} level descriptions but "
                f"the map has {len(levels)} levels",
                "write one entry per level, in order; use ~ for a cell left blank on purpose")
        return None
    cells = tuple(f.optional_text(c, "level description") for c in cells_nodes)
    return ICOutcome(oid, " ".join(text.split()),
                     tuple(" ".join(c.split()) if c else None for c in cells), f.pos(node))


# A reflection table row holds its question and answer space on one page; past this many
# characters (of the widest Latin letters, on letter paper) it would not fit and the build
# would fail, so `check` refuses it.
MAX_QUESTION_CHARS = 500
MAX_FONT_BYTES = 64 * 1024 * 1024  # the largest font file we read (big CJK fonts: ~20 MB)
_FONT_MAGIC = {b"\x00\x01\x00\x00": "", b"true": "", b"ttcf": "",
               b"OTTO": "is an OpenType font with PostScript outlines (.otf), which cannot "
                        "be embedded"}


def font_file_problem(path: Path) -> str:
    """What is wrong with a font file, read no further than its first bytes: not a
    regular file (a link to a device, a folder), empty, too big, not a TrueType font.
    '' when it may be loaded."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return "is not a regular file (a folder, or a link to a device?)"
        if st.st_size > MAX_FONT_BYTES:
            return (f"is {st.st_size / 2**20:,.0f} MB, more than the "
                    f"{MAX_FONT_BYTES // 2**20} MB a font file may be")
        with open(path, "rb") as handle:
            head = handle.read(12)
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if len(head) < 12:
        return "is empty or cut short" if head else "is empty (0 bytes)"
    if head[:4] not in _FONT_MAGIC:
        return "is not a TrueType font file"
    return _FONT_MAGIC[head[:4]]
