"""Issue 19's views: what themes and team pages cost a collection, and what `compare` costs
at 2,000 and 20,000 forms a side (time and peak RSS).

    PYTHONPATH=src python benchmarks/views_bench.py --forms 2000 --compare 2000 20000

Collection (no PDFs: the reading is the same with and without the new views, so it is
left out): N sample responses (guidepdf.sampleanswers, seven roles, 25 schools) are
aggregated and every output written, once with the themes switched off (the counter's
passes replaced by no-ops) and no team pages, once as shipped with `teams=True`. Each run
is a fresh process; its CPU seconds and peak RSS come from wait4.

Compare: two summary.json files of N people each (the same people, IC levels drawn again,
answers of realistic length), written as a stream; `guidepdf compare` runs on them as a
fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COLLECT = r"""
import sys, time, json
sys.path.insert(0, {root!r})
from pathlib import Path
from guidepdf.content import load_content
from guidepdf.sampleanswers import sample_response
from guidepdf.read.readmany import Outcome
from guidepdf.report.aggregate import Aggregator
from guidepdf.report.collect import write_outputs
from guidepdf.report import themes
from tests.report.conftest import make_plan
import random
views = {views}
if not views:
    themes.ThemeCounter.add = lambda self, role, answers: None
    themes.ThemeCounter.themes = lambda self, responses, limit=10: {{}}
content = load_content()
rng = random.Random(19)
out = Path({out!r})
agg = Aggregator(content, None, "returned", spool_dir=out)
began = time.perf_counter()
for i in range({n}):
    role = content.roles[i % len(content.roles)]
    s = sample_response(role, rng)
    p = make_plan(content, role.id, f"f{{i:05d}}.pdf", name=f"Person {{i:05d}}",
                  email=f"p{{i:05d}}@example.org", group=f"School {{i % 25:02d}}",
                  answers=s.answers, ic=s.ic)
    agg.add(Outcome(Path(p.source), p, ""), p.source)
made = time.perf_counter()
summary = agg.finish()
aggregated = time.perf_counter()
timings = {{}}
write_outputs(summary, content, out, jobs=1, timings=timings, teams=views)
done = time.perf_counter()
print(json.dumps({{"plans": made - began, "aggregate": aggregated - made,
                   "outputs": done - aggregated, "timings": timings}}))
"""


def run_measured(args: list[str]) -> tuple[float, float, int, str]:
    """(wall seconds, CPU seconds, peak RSS bytes, stdout) of a fresh process (wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        began = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err,
                                env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode:
            raise SystemExit(f"{args[:3]} failed: {err.read().decode()[-2000:]}")
        return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, \
            out.read().decode()


def sizes(folder: Path) -> dict[str, int]:
    found = {p.name: p.stat().st_size for p in folder.iterdir() if p.is_file()
             and not p.name.startswith(".")}
    teams = folder / "teams"
    if teams.is_dir():
        found["teams/ (all)"] = sum(p.stat().st_size for p in teams.iterdir())
        found["teams/ (files)"] = len(list(teams.iterdir()))
    return found


def collect_rows(n: int, work: Path) -> None:
    print(f"\n## collect views at {n:,} sample forms (no PDF reading)\n")
    print("| views | wall s | CPU s | peak RSS MiB | aggregate s | outputs s | "
          "summary.json | summary.pdf | responses.xlsx | teams/ |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for views in (False, True):
        out = work / f"collect-{n}-{views}"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        code = COLLECT.format(root=str(ROOT), views=views, out=str(out), n=n)
        wall, cpu, rss, text = run_measured([sys.executable, "-c", code])
        t = json.loads(text.strip().splitlines()[-1])
        s = sizes(out)
        teams = (f"{s['teams/ (all)'] / 2**20:.1f} MiB in {s['teams/ (files)']} files"
                 if "teams/ (all)" in s else "–")
        print(f"| {'themes + team pages' if views else 'neither'} | {wall:.1f} | {cpu:.1f} | "
              f"{rss / 2**20:.0f} | {t['aggregate']:.1f} | {t['outputs']:.1f} | "
              f"{s['summary.json'] / 2**20:.1f} MiB | {s['summary.pdf'] / 2**20:.1f} MiB | "
              f"{s['responses.xlsx'] / 2**20:.1f} MiB | {teams} |", flush=True)
        per = ", ".join(f"{k} {v:.1f}" for k, v in t["timings"].items())
        print(f"|  | | | | | {per} | | | | |")


def write_summary(path: Path, n: int, seed: int) -> None:
    """A summary.json of `n` coaches and principals with IC levels and answers, streamed."""
    sys.path.insert(0, str(ROOT / "src"))
    from guidepdf.content import load_content
    from guidepdf.sampleanswers import sample_response

    content = load_content()
    roles = [r for r in content.roles if r.icmap is not None]
    with open(path, "w", encoding="utf-8") as f:
        ic = [{"role": r.id, "title": r.title, "levels": list(r.icmap.levels),
               "respondents": 0, "outcomes": [
                   {"id": o.id, "outcome": o.outcome, "standard": b.standard, "counts": {},
                    "median": None} for b in r.icmap.blocks for o in b.outcomes],
               "standards": [], "groups": []} for r in roles]
        f.write('{"schema": 1, "generator": "views_bench", "source": "' + path.stem +
                '", "roster": null, "totals": {}, "roles": [], "groups": [], "lengths": {}, '
                '"ic": ' + json.dumps(ic) + ', "responses": [')
        for i in range(n):
            role = roles[i % len(roles)]
            s = sample_response(role, random.Random(i * 7 + seed), ic_rate=1.0)
            r = {"role": role.id, "name": f"Person {i:05d}", "email": f"p{i:05d}@example.org",
                 "group": f"School {i % 25:02d}", "date": "", "source": f"f{i}.pdf",
                 "modified": "", "roster_id": f"p{i:05d}", "matched_by": "recipient",
                 "on_roster": True, "warnings": [],
                 "answers": [{"question_id": q, "reflections": a, "first_steps": b}
                             for q, (a, b) in s.answers.items()],
                 "ic": [{"outcome_id": o, "level": lv, "notes": ""} for o, lv in s.ic.items()],
                 "came_from": "file", "origin": None}
            f.write(("," if i else "") + "\n" + json.dumps(r, ensure_ascii=False))
        f.write('], "duplicates": [], "missing": [], "rejected": [], "ignored": [], '
                '"roster_problems": [], "without_attachment": []}\n')


def compare_rows(sizes_: list[int], work: Path) -> None:
    print("\n## compare (two summary.json files, the same people)\n")
    print("| forms a side | summary.json a side | wall s | CPU s | peak RSS MiB | "
          "growth.pdf | growth.xlsx | growth.json |")
    print("|---|---|---|---|---|---|---|---|")
    for n in sizes_:
        a, b = work / f"a{n}.json", work / f"b{n}.json"
        if not a.exists():
            write_summary(a, n, 1)
            write_summary(b, n, 2)
        out = work / f"growth-{n}"
        shutil.rmtree(out, ignore_errors=True)
        wall, cpu, rss, _ = run_measured([sys.executable, "-m", "guidepdf", "compare", str(a),
                                          str(b), "--out", str(out)])
        s = sizes(out)
        print(f"| {n:,} | {a.stat().st_size / 2**20:.0f} MiB | {wall:.1f} | {cpu:.1f} | "
              f"{rss / 2**20:.0f} | {s['growth.pdf'] / 2**10:.0f} KiB | "
              f"{s['growth.xlsx'] / 2**20:.1f} MiB | {s['growth.json'] / 2**20:.1f} MiB |",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, nargs="*", default=[2000])
    parser.add_argument("--compare", type=int, nargs="*", default=[2000, 20000])
    parser.add_argument("--keep", type=Path, help="work folder to keep (and reuse)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="views-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    for n in args.forms:
        collect_rows(n, work)
    compare_rows(args.compare, work)
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
