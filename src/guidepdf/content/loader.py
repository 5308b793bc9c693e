"""A content folder -> a validated Content model, or every problem in it at once."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reportlab.pdfbase.ttfonts import TTFont

from guidepdf.content.fields import FileFields
from guidepdf.content.labels import FILE as LABELS_FILE
from guidepdf.content.labels import read_labels_file, shipped_labels
from guidepdf.content.messages import FILE_NAME as MESSAGES_FILE
from guidepdf.content.messages import Messages, read_messages
from guidepdf.content.model import Brand, Content, Framework, ICMap, Role
from guidepdf.content.readers import read_brand, read_framework, read_icmap, read_role
from guidepdf.content.yamlsource import comment_cuts, parse_yaml
from guidepdf.errors import ContentError, ContentErrors, Position
from guidepdf.paths import EDITIONS, default_content_dir, fonts_dir_for


def load_content(content_dir: str | Path | None = None) -> Content:
    """Load and validate a content folder; raise ContentErrors listing every problem."""
    content, errors = check_content(content_dir)
    if errors or content is None:
        raise ContentErrors(errors)
    return content


def check_content(content_dir: str | Path | None = None
                  ) -> tuple[Content | None, list[ContentError]]:
    """Validate a content folder: the model when clean, and the sorted list of problems."""
    root = Path(content_dir) if content_dir is not None else default_content_dir()
    errors: list[ContentError] = []
    if not root.is_dir():
        return None, [ContentError(Position(str(root)), "content folder not found",
                                   "pass the folder that holds brand.yaml and framework.yaml")]
    files: list[FileFields] = []
    # messages name files from the folder above the content (content/roles/coach.yaml), or
    # above the editions folder for an edition (content/editions/es/roles/coach.yaml)
    base = root.parent.parent.parent if root.parent.name == EDITIONS else root.parent

    def shown_path(path: Path) -> str:
        return str(path.relative_to(base)) if base in path.parents else str(path)

    def open_file(path: Path):  # type: ignore[no-untyped-def]
        shown = shown_path(path)
        f = FileFields(shown)
        files.append(f)
        if not path.is_file():
            f.errors.append(ContentError(Position(shown), "file not found",
                                         "every content folder needs brand.yaml, "
                                         "framework.yaml and roles/<id>.yaml files"))
            return None, f
        node, parse_errors = parse_yaml(path, shown)
        f.errors.extend(parse_errors)
        if node is not None:
            f.warnings.extend(comment_cuts(node, shown))
        return node, f

    node, f = open_file(root / "brand.yaml")
    brand: Brand | None = read_brand(node, f, fonts_dir_for(root), root) \
        if node is not None else None
    node, f = open_file(root / "framework.yaml")
    framework: Framework | None = read_framework(node, f) if node is not None else None
    category_ids = [c.id for c in framework.categories] if framework else []
    standard_ids = [s.id for s in framework.standards] if framework else []

    role_files = sorted((root / "roles").glob("*.yaml")) if (root / "roles").is_dir() else []
    if not role_files:
        errors.append(ContentError(Position(str(root / "roles")), "no role files found",
                                   "add one roles/<id>.yaml file per role"))
    roles: list[Role] = []
    for path in role_files:
        node, f = open_file(path)
        role = read_role(node, f, path.stem, category_ids) if node is not None else None
        if role is not None:
            roles.append(role)
    maps: dict[str, ICMap] = {}
    for path in sorted((root / "icmaps").glob("*.yaml")) if (root / "icmaps").is_dir() else []:
        node, f = open_file(path)
        icmap = read_icmap(node, f, path.stem, standard_ids) if node is not None else None
        if icmap is not None:
            if icmap.role not in {p.stem for p in role_files}:
                f.error(node, f"IC map for unknown role '{icmap.role}'",
                        "name the file after a file in roles/")
            maps[icmap.role] = icmap
    labels = shipped_labels()
    if (root / LABELS_FILE).is_file():
        read, f = read_labels_file(root / LABELS_FILE, shown_path(root / LABELS_FILE))
        files.append(f)
        labels = read or labels
    elif brand is not None and not brand.language.casefold().startswith("en"):
        files[0].warnings.append(ContentError(
            Position(shown_path(root / LABELS_FILE)),
            f"warning: no {LABELS_FILE}, so the guides' own texts (headings, table headers, "
            f"the summary) are the shipped English ones, not '{brand.language}'",
            f"copy content/{LABELS_FILE} here and write its texts in that language"))
    drawn = list(files)  # the files whose texts are drawn with the brand's fonts
    messages: Messages | None = None
    if (root / MESSAGES_FILE).exists():  # optional: only remind and receipts need it
        node, f = open_file(root / MESSAGES_FILE)
        messages = read_messages(node, f) if node is not None else None
    for f in files:
        errors.extend(f.errors)
    if brand is not None:
        errors.extend(_font_coverage(brand, drawn))
    if errors or brand is None or framework is None:
        return None, sorted(errors, key=lambda e: (e.position, e.problem))
    orders: dict[int, Role] = {}
    for role in roles:
        if role.order in orders:
            errors.append(ContentError(role.pos, f"role '{role.id}' has the same order "
                                       f"{role.order} as role '{orders[role.order].id}'",
                                       "give each role its own 'order' number"))
        orders[role.order] = role
    roles = [replace(r, icmap=maps.get(r.id)) for r in roles]
    if errors:
        return None, sorted(errors, key=lambda e: (e.position, e.problem))
    warnings = sorted((w for f in files for w in f.warnings),
                      key=lambda e: (e.position, e.problem))
    return Content(root, brand, framework, tuple(sorted(roles, key=lambda r: r.order)),
                   tuple(warnings), labels, messages), []


def _font_coverage(brand: Brand, files: list[FileFields]) -> list[ContentError]:
    """Every character of every text must be drawable with each of the brand's fonts."""
    charmaps = []
    errors = []
    extra = getattr(brand.fonts, "field_font", None)  # loaded to check it, not for coverage
    for path in (brand.fonts.regular, brand.fonts.bold, brand.fonts.italic,
                 *([extra] if extra else [])):
        try:
            font = TTFont(f"check-{path.name}", str(path))
        except Exception as exc:  # a damaged font: reportlab's TTFError, struct.error…
            errors.append(ContentError(
                Position(f"{path.parent.name}/{path.name}"), f"font file cannot be used "
                f"({type(exc).__name__}: {str(exc)[:200]})", "replace it with a working "
                "TrueType (.ttf) font file"))
            continue
        if path != extra:
            charmaps.append((path.name, font.face.charToGlyph))
    if errors:
        return errors
    for f in files:
        for text, pos in f.texts:
            for ch in sorted(set(text) - {"\n", "\r", "\t"}):
                for name, charmap in charmaps:
                    if ord(ch) not in charmap:
                        errors.append(ContentError(
                            pos, f"character '{ch}' (U+{ord(ch):04X}) cannot be drawn with "
                            f"font {name}", "replace the character, or choose a font in "
                            "brand.yaml that has it"))
                        break
    return errors
