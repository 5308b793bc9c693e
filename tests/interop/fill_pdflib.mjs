// Fill an AcroForm PDF with pdf-lib, the way a typical pdf-lib script does, then save it.
//
// Usage: node fill_pdflib.mjs IN.pdf VALUES.json OUT.pdf
//
// VALUES.json maps full field names to strings: the text for a text field, the
// on-state (export) name of the option for a radio group, the on-state name or
// "Off" for a checkbox. Fields not named are left untouched.
//
// Text goes in with form.getTextField(name).setText(value) (exactly as given: pdf-lib
// does not touch "\n"; an empty string makes pdf-lib *remove* /V rather than write
// an empty string; a value longer than the field's MaxLen makes setText throw).
// Radios use form.getRadioGroup(name).select(option); checkboxes check()/uncheck().
//
// Appearances: pdf-lib's default (what doc.save() does by itself) regenerates dirty
// fields' appearance streams with Helvetica/WinAnsi, which throws on any character
// WinAnsi cannot encode (Greek, Cyrillic, CJK, emoji, ...). So when every text value
// is WinAnsi-encodable we keep that default (form.updateFieldAppearances(Helvetica));
// otherwise we embed a Unicode TrueType font with @pdf-lib/fontkit (NotoSans-Regular,
// not subset) and call form.updateFieldAppearances(noto), the documented pdf-lib
// workaround. NotoSans has Latin, Greek and Cyrillic glyphs but none for Arabic, CJK
// or emoji: those render as .notdef boxes in the generated appearance, while /V still
// holds the exact text. The font is looked up as $GUIDEPDF_FILL_FONT, then
// <repo>/fonts/NotoSans-Regular.ttf, then /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf.
//
// pdf-lib always rewrites the whole file (no incremental update) and, by default,
// uses object streams.
//
// Exit codes: 0 ok, 2 usage, 3 a named field is missing or a value is not a valid
// option, 1 anything else (including pdf-lib's own errors).

import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fontkit from "@pdf-lib/fontkit";
import {
  PDFCheckBox,
  PDFDocument,
  PDFRadioGroup,
  PDFTextField,
  StandardFonts,
} from "pdf-lib";

const here = dirname(fileURLToPath(import.meta.url));

class FieldError extends Error {}

function unicodeFontPath() {
  const candidates = [
    process.env.GUIDEPDF_FILL_FONT,
    join(here, "..", "..", "fonts", "NotoSans-Regular.ttf"),
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
  ].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(`no Unicode font found; tried ${candidates.join(", ")}`);
  }
  return found;
}

function encodableBy(font, text) {
  try {
    for (const line of text.split(/\r\n|\r|\n/)) {
      font.encodeText(line);
    }
    return true;
  } catch {
    return false;
  }
}

async function main(argv) {
  if (argv.length !== 3) {
    process.stderr.write("usage: node fill_pdflib.mjs IN.pdf VALUES.json OUT.pdf\n");
    return 2;
  }
  const [inPath, valuesPath, outPath] = argv;
  const doc = await PDFDocument.load(await readFile(inPath));
  const values = JSON.parse(await readFile(valuesPath, "utf8"));
  const form = doc.getForm();

  const texts = [];
  for (const [name, value] of Object.entries(values)) {
    const field = form.getFieldMaybe(name);
    if (!field) {
      throw new FieldError(`field not found in PDF: ${JSON.stringify(name)}`);
    }
    if (field instanceof PDFTextField) {
      field.setText(value);
      texts.push(value);
    } else if (field instanceof PDFRadioGroup) {
      const options = field.getOptions();
      if (value === "Off") {
        field.clear();
      } else if (options.includes(value)) {
        field.select(value);
      } else {
        throw new FieldError(
          `radio ${JSON.stringify(name)} has no option ${JSON.stringify(value)}; ` +
            `options: ${JSON.stringify(options)}`,
        );
      }
    } else if (field instanceof PDFCheckBox) {
      // pdf-lib's check() uses the first widget's on-state.
      const onValues = [field.acroField.getOnValue()?.decodeText() ?? "Yes"];
      if (value === "Off") {
        field.uncheck();
      } else if (onValues.includes(value)) {
        field.check();
      } else {
        throw new FieldError(
          `checkbox ${JSON.stringify(name)} has no on-state ${JSON.stringify(value)}; ` +
            `on-states: ${JSON.stringify(onValues)}`,
        );
      }
    } else {
      throw new FieldError(
        `field ${JSON.stringify(name)} is a ${field.constructor.name}, not supported here`,
      );
    }
  }

  const helvetica = await doc.embedFont(StandardFonts.Helvetica);
  let font = helvetica;
  if (!texts.every((text) => encodableBy(helvetica, text))) {
    doc.registerFontkit(fontkit);
    font = await doc.embedFont(await readFile(unicodeFontPath()), { subset: false });
  }
  form.updateFieldAppearances(font);
  await writeFile(outPath, await doc.save({ updateFieldAppearances: false }));
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`fill_pdflib: ${error instanceof FieldError ? "" : "error: "}${error.message}\n`);
  process.exitCode = error instanceof FieldError ? 3 : 1;
}
