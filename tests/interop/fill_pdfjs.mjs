// Fill an AcroForm PDF the way Firefox's built-in viewer (pdf.js) does, then save it.
//
// Usage: node fill_pdfjs.mjs IN.pdf VALUES.json OUT.pdf
//
// VALUES.json maps full field names to strings: the text for a text field, the
// on-state (export) name of the option for a radio group, the on-state name or
// "Off" for a checkbox. Fields not named are left untouched.
//
// This mirrors what pdf.js's AnnotationLayer does when a user edits a widget:
//  - text: `annotationStorage.setValue(id, {value})` on the edited widget and on
//    every sibling widget of the same field (TextWidgetAnnotationElement's
//    "input" handler + setPropertyOnSiblings). The value is what an HTML
//    <textarea>/<input> reports, so CRLF/CR become LF, and a MaxLen is enforced
//    like the DOM `maxLength` attribute (UTF-16 code units).
//  - radio: `{value: false}` on every other widget of the group, `{value: true}`
//    on the chosen one (RadioButtonWidgetAnnotationElement's "change" handler).
//  - checkbox: `{value: exportValue === chosen}` on every widget of the field
//    (CheckboxWidgetAnnotationElement's "change" handler).
// Then `await doc.saveDocument()`, which pdf.js writes as an incremental update.
//
// Exit codes: 0 ok, 2 usage, 3 a named field is missing or a value is not a valid
// option, 1 anything else.

import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const require = createRequire(import.meta.url);
const pdfjsRoot = dirname(require.resolve("pdfjs-dist/package.json"));

class FieldError extends Error {}

function normaliseNewlines(text) {
  // An HTML textarea's .value always uses LF line breaks.
  return text.replace(/\r\n?/g, "\n");
}

async function main(argv) {
  if (argv.length !== 3) {
    process.stderr.write("usage: node fill_pdfjs.mjs IN.pdf VALUES.json OUT.pdf\n");
    return 2;
  }
  const [inPath, valuesPath, outPath] = argv;
  const data = new Uint8Array(await readFile(inPath));
  const values = JSON.parse(await readFile(valuesPath, "utf8"));

  const doc = await getDocument({
    data,
    // Font data lets pdf.js measure and, where needed, embed glyphs when it
    // regenerates appearance streams on save (as the browser build does).
    standardFontDataUrl: join(pdfjsRoot, "standard_fonts") + "/",
    cMapUrl: join(pdfjsRoot, "cmaps") + "/",
    cMapPacked: true,
    verbosity: 0,
  }).promise;
  try {
    // Field name -> list of widget annotation data objects (one per widget).
    const widgets = new Map();
    for (let pageNumber = 1; pageNumber <= doc.numPages; pageNumber++) {
      const page = await doc.getPage(pageNumber);
      for (const annotation of await page.getAnnotations()) {
        if (annotation.subtype !== "Widget" || !annotation.fieldName) {
          continue;
        }
        if (!widgets.has(annotation.fieldName)) {
          widgets.set(annotation.fieldName, []);
        }
        widgets.get(annotation.fieldName).push(annotation);
      }
    }

    const storage = doc.annotationStorage;
    for (const [name, rawValue] of Object.entries(values)) {
      const group = widgets.get(name);
      if (!group) {
        throw new FieldError(`field not found in PDF: ${JSON.stringify(name)}`);
      }
      const first = group[0];
      if (first.fieldType === "Tx") {
        let value = normaliseNewlines(String(rawValue));
        if (first.maxLen && value.length > first.maxLen) {
          value = value.slice(0, first.maxLen);
        }
        for (const widget of group) {
          storage.setValue(widget.id, { value });
        }
      } else if (first.fieldType === "Btn" && first.radioButton) {
        const options = group.map((widget) => widget.buttonValue);
        if (rawValue !== "Off" && !options.includes(rawValue)) {
          throw new FieldError(
            `radio ${JSON.stringify(name)} has no option ${JSON.stringify(rawValue)}; ` +
              `options: ${JSON.stringify(options)}`,
          );
        }
        // The viewer first turns every other button off, then the chosen one on.
        const chosen = group.find((widget) => widget.buttonValue === rawValue);
        for (const widget of group) {
          if (widget !== chosen) {
            storage.setValue(widget.id, { value: false });
          }
        }
        if (chosen) {
          storage.setValue(chosen.id, { value: true });
        }
      } else if (first.fieldType === "Btn" && first.checkBox) {
        const options = group.map((widget) => widget.exportValue);
        if (rawValue !== "Off" && !options.includes(rawValue)) {
          throw new FieldError(
            `checkbox ${JSON.stringify(name)} has no on-state ${JSON.stringify(rawValue)}; ` +
              `on-states: ${JSON.stringify(options)}`,
          );
        }
        for (const widget of group) {
          storage.setValue(widget.id, { value: widget.exportValue === rawValue });
        }
      } else {
        throw new FieldError(
          `field ${JSON.stringify(name)} has unsupported type ${first.fieldType}`,
        );
      }
    }

    const saved = await doc.saveDocument();
    await writeFile(outPath, saved);
  } finally {
    await doc.destroy();
  }
  return 0;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`fill_pdfjs: ${error instanceof FieldError ? "" : "error: "}${error.message}\n`);
  process.exitCode = error instanceof FieldError ? 3 : 1;
}
