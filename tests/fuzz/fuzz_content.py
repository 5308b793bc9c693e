"""Fuzz target: any bytes as a role file -> check_content returns a list of located
problems (or none); it never raises.

    python tests/fuzz/fuzz_content.py SEED_DIR -max_total_time=600 -timeout=10

SEED_DIR: `python tests/corpus/make_corpus.py DIR` then DIR/content, plus content/roles.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["guidepdf"]):
    from guidepdf.content import check_content

TOY = Path(__file__).resolve().parents[1] / "data" / "toy_content"
WORK = Path(tempfile.mkdtemp()) / "content"
shutil.copytree(TOY, WORK)
ROLE = WORK / "roles" / "gardener.yaml"


def test_one(data: bytes) -> None:
    ROLE.write_bytes(data)
    _, errors = check_content(WORK)
    for error in errors:
        text = str(error)
        assert text.startswith("content/"), text


def main() -> None:
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
