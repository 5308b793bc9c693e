"""What a coordinator's IT person might write instead of guidepdf: read every PDF in a folder
with pypdf and write one CSV row per answer. The peer of `guidepdf collect` in scale_bench.

    python benchmarks/pypdf_user_script.py RETURNED_DIR OUT.csv
"""

import csv
import sys
from pathlib import Path

from pypdf import PdfReader


def main() -> None:
    folder, out = Path(sys.argv[1]), Path(sys.argv[2])
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "field", "answer"])
        for path in sorted(folder.rglob("*.pdf")):
            try:
                fields = PdfReader(path).get_fields() or {}
            except Exception as exc:  # a broken file: note it and go on
                writer.writerow([path.name, "", f"error: {exc}"])
                continue
            for name, field in fields.items():
                value = field.get("/V")
                if value not in (None, "", "/Off") and "__manifest" not in name:
                    writer.writerow([path.name, name, str(value)])


if __name__ == "__main__":
    main()
