"""Personalized copies per second: from per-role templates (guidepdf.distribute) against the
naive loop that lays out the whole guide again for every person (build_guide with a
recipient). Both make the same PDFs in memory (no disk writes), in the same run.

The template path is timed on the whole roster, template builds included. The naive loop is
timed on every k-th person (--naive-sample of them, same role mix), interleaved with the
template path so both see the same machine load, and extrapolated; pass --naive-sample
equal to --people to time it in full. With --prefill the names are limited to
Windows-1252 letters: build_guide(prefill_name=True) cannot yet draw other scripts in a
field value (reportlab's own field appearance), while the template path can.

    PYTHONPATH=src python benchmarks/personalize_bench.py --people 1000 --naive-sample 100
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import pikepdf
import reportlab

from guidepdf import load_content
from guidepdf.distribute import Person, Personalizer
from guidepdf.layout import GuideOptions, build_guide

FIRST = ["Ann", "Bo", "Zoë", "Dmitri", "Ana", "Kwame", "Mei", "Олена", "Søren", "Priya",
         "José", "Ngozi", "Hiro", "Fatima", "Liam", "Ελένη", "Tomás", "Aisha", "Jonas", "Nguyễn"]
LAST = ["Lee", "Chen", "Ångström", "Ivanov", "García", "Mensah", "Wang", "Коваленко", "Berg",
        "Patel", "Núñez", "Okafor", "Tanaka", "Haddad", "Murphy", "Papadaki", "Silva", "Khan",
        "Müller", "Văn An"]
GROUPS = ["Lincoln Elementary", "Ridge Middle School", "Harbor High", "District Office",
          "Northside Learning Team"]


def _latin(words: list[str]) -> list[str]:
    return [w for w in words if w.encode("cp1252", "ignore").decode("cp1252") == w]


def roster(n: int, role_ids: list[str], latin: bool = False) -> list[Person]:
    first, last = (_latin(FIRST), _latin(LAST)) if latin else (FIRST, LAST)
    return [Person(i + 2, f"S{i:05d}", f"{first[i % len(first)]} {last[(i * 7) % len(last)]}",
                   f"person{i}@example.org", role_ids[i % len(role_ids)], GROUPS[i % 5])
            for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--naive-sample", type=int, default=100)
    parser.add_argument("--prefill", action="store_true", help="also prefill name/email/group")
    parser.add_argument("--append", type=Path, help="append the markdown section to this file")
    args = parser.parse_args()

    content = load_content()
    role_ids = [r.id for r in content.roles]
    people = roster(args.people, role_ids, latin=args.prefill)

    # The two methods are interleaved (every k-th person is also built the naive way) so
    # that both see the same machine load.
    start = time.perf_counter()
    maker = Personalizer(content, prefill=args.prefill)
    for role_id in role_ids:
        maker.template(role_id)
    templates_s = time.perf_counter() - start
    step = max(1, len(people) // args.naive_sample)
    total, copies_only_s, naive_s, sample = 0, 0.0, 0.0, []
    for index, person in enumerate(people):
        start = time.perf_counter()
        total += len(maker.copy(person))
        copies_only_s += time.perf_counter() - start
        if index % step == 0 and len(sample) < args.naive_sample:
            sample.append(person)
            start = time.perf_counter()
            build_guide(content, content.role(person.role),
                        GuideOptions(mode="fillable", recipient=person.recipient(),
                                     prefill_name=args.prefill))
            naive_s += time.perf_counter() - start
    template_s = templates_s + copies_only_s

    template_rate = len(people) / template_s
    naive_rate = len(sample) / naive_s
    naive_full = len(people) / naive_rate
    extrapolated = "" if len(sample) == len(people) else \
        f" (timed on {len(sample)}, extrapolated)"
    prefill = " --prefill" if args.prefill else ""
    lines = [
        f"### {len(people):,} people, {len(role_ids)} roles"
        f"{', prefilled fields (cp1252 names)' if args.prefill else ''}",
        "",
        "```",
        f"PYTHONPATH=src python benchmarks/personalize_bench.py --people {args.people} "
        f"--naive-sample {args.naive_sample}{prefill}",
        "```",
        "",
        "| method | copies/s | time for all | × naive |",
        "|---|---:|---:|---:|",
        f"| templates + overlay (guidepdf personalize) | {template_rate:,.0f} | "
        f"{template_s:.1f} s | {template_rate / naive_rate:.1f}× |",
        f"| … copies only, after the {len(role_ids)} templates ({templates_s:.2f} s) | "
        f"{len(people) / copies_only_s:,.0f} | {copies_only_s:.1f} s | "
        f"{len(people) / copies_only_s / naive_rate:.1f}× |",
        f"| naive build_guide(recipient=…) per person | {naive_rate:,.0f} | "
        f"{naive_full:.1f} s{extrapolated} | 1.0× |",
        "",
        f"Average copy {total / len(people) / 1024:.0f} KiB. Python {platform.python_version()}, "
        f"reportlab {reportlab.Version}, pikepdf {pikepdf.__version__}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs at the end.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.append:
        with args.append.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text)


if __name__ == "__main__":
    main()
