"""Fuzz target: any bytes -> read_form either reads a form or raises FormReadError.
Anything else (another exception, a crash, a hang) is a defect.

    python tests/fuzz/fuzz_reader.py SEED_DIR -max_total_time=1800 -timeout=10 -rss_limit_mb=2048

SEED_DIR is made with `python tests/corpus/make_corpus.py DIR` (use DIR/pdf); libFuzzer
writes crashing inputs to ./crash-*; add each to tests/corpus as a case once fixed.
"""

from __future__ import annotations

import contextlib
import sys

import atheris

with atheris.instrument_imports(include=["guidepdf"]):
    from guidepdf.errors import FormReadError
    from guidepdf.read.reader import read_form


def test_one(data: bytes) -> None:
    with contextlib.suppress(FormReadError):
        read_form(data, name="fuzz.pdf")


def main() -> None:
    atheris.Setup(sys.argv, test_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
