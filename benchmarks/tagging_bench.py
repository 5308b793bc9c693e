"""What tagging (issue 8) costs: build time and file size of every guide, tagged as shipped and
with the tagging switched off, in the same run on the same content.

    python benchmarks/tagging_bench.py [--repeat 5]

"Untagged" swaps two things at their seams and keeps everything else: the canvas is a plain
reportlab Canvas (no marked-content operators, no recorder) and the structure tree, ParentTree,
MarkInfo and XMP are not written (layout.finish's call of write_structure does nothing). The
Tagged wrappers stay in the story; without a recorder they only draw. Field appearances are
redrawn in both (that is the font fix, not tagging). Builds alternate tagged/untagged per
guide so both see the same machine load; the time per guide is the median of --repeat builds.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from guidepdf.content import load_content
from guidepdf.layout import GuideOptions, build_guide, document, finish, tagging


class _Untagged(tagging.StructureRecorder):
    def canvasmaker(self, *args: Any, **kwargs: Any) -> Canvas:  # type: ignore[override]
        return Canvas(*args, **kwargs)


@contextmanager
def untagged() -> Iterator[None]:
    saved = document.StructureRecorder, finish.write_structure
    document.StructureRecorder = _Untagged  # type: ignore[misc]
    finish.write_structure = lambda *args, **kwargs: None  # type: ignore[assignment]
    try:
        yield
    finally:
        document.StructureRecorder, finish.write_structure = saved  # type: ignore[misc]


def timed(build: Any) -> tuple[float, int]:
    start = time.perf_counter()
    pdf = build()
    return time.perf_counter() - start, len(pdf)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    content = load_content()
    jobs = [(role, mode, part) for role in content.roles for mode in ("fillable", "print")
            for part in (("all", "icmap") if role.icmap else ("all",))]
    build_guide(content, content.roles[0])  # fonts registered, caches warm
    rows = []
    for role, mode, part in jobs:
        options = GuideOptions(mode=mode, part=part)
        tagged_times, plain_times = [], []
        for _ in range(args.repeat):
            seconds, tagged_size = timed(lambda: build_guide(content, role, options))  # noqa: B023
            tagged_times.append(seconds)
            with untagged():
                seconds, plain_size = timed(lambda: build_guide(content, role, options))  # noqa: B023
            plain_times.append(seconds)
        rows.append((f"{role.id} {mode}{'' if part == 'all' else ' ' + part}",
                     statistics.median(plain_times), statistics.median(tagged_times),
                     plain_size, tagged_size))
    print("| guide | untagged ms | tagged ms | × time | untagged KiB | tagged KiB | × size |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, t0, t1, s0, s1 in rows:
        print(f"| {name} | {t0 * 1000:.0f} | {t1 * 1000:.0f} | {t1 / t0:.2f} | "
              f"{s0 / 1024:.0f} | {s1 / 1024:.0f} | {s1 / s0:.2f} |")
    t0, t1 = sum(r[1] for r in rows), sum(r[2] for r in rows)
    s0, s1 = sum(r[3] for r in rows), sum(r[4] for r in rows)
    print(f"| **all {len(rows)} guides** | {t0 * 1000:.0f} | {t1 * 1000:.0f} | {t1 / t0:.2f} | "
          f"{s0 / 1024:.0f} | {s1 / 1024:.0f} | {s1 / s0:.2f} |")


if __name__ == "__main__":
    main()
