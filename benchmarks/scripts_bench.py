"""What names and answers in other scripts cost: guide, personalized-copy and summary bytes
and seconds with Latin names and with names in Arabic, Hebrew, Chinese, Japanese, Korean,
Hindi, Vietnamese and Greek (issue 18).

    PYTHONPATH=src python benchmarks/scripts_bench.py [--forms 80]

Each case runs in a fresh process, so first-use costs (registering fallback fonts, loading a
CJK face) are counted where a real run pays them: the copies' first round and the summary's
first build pay them, the third round and the second build do not.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

LATIN = [("Ann Lee", "North High"), ("Ben Okafor", "South Middle"), ("Carla Díaz", "East"),
         ("Dan Smith", "West"), ("Eva Novak", "Lake School"), ("Femi Ade", "Hill School"),
         ("Gus Berg", "Bay School"), ("Hana Kim", "Park School")]
SCRIPTS = [("محمد عبد الله", "مدرسة النور"), ("שרה כהן", "בית ספר הדר"), ("王小明", "北京第一中学"),
           ("山田 太郎", "東京学校"), ("김민준", "서울 학교"), ("प्रिया शर्मा", "दिल्ली स्कूल"),
           ("Nguyễn Thị Minh Khai", "Trường Hà Nội"), ("Γιώργος Παπαδόπουλος", "Σχολείο")]
ANSWERS = {"latin": "We will meet as a team every month to review progress together.",
           "scripts": ["نخطط لاجتماع الفريق كل شهر لمراجعة التقدم معا.", "נקבע פגישה חודשית.",
                       "我们计划每个月与团队一起检查进度。", "毎月チームで確認します。",
                       "매달 팀과 함께 점검합니다.", "हम हर महीने प्रगति की समीक्षा करेंगे।",
                       "Chúng tôi sẽ họp nhóm mỗi tháng.", "Θα συναντιόμαστε κάθε μήνα."]}


def _case(kind: str, names: str, forms: int) -> dict[str, float]:
    """Run one case in this process and return its numbers."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from guidepdf.content import load_content
    from guidepdf.distribute import Person, Personalizer
    from guidepdf.layout import GuideOptions, build_guide, fieldfont
    from guidepdf.paths import default_content_dir

    content = load_content(default_content_dir())
    people = LATIN if names == "latin" else SCRIPTS
    if kind == "guide":
        if names == "no-fallback-letters":
            fieldfont.FALLBACK_RANGES.clear()
        start = time.perf_counter()
        pdf = build_guide(content, content.role("coach"), GuideOptions())
        return {"seconds": time.perf_counter() - start, "bytes": len(pdf)}
    if kind == "copies":
        maker = Personalizer(content, prefill=True)
        maker.template("coach")
        times, sizes = [], []
        for round_ in range(3):
            for i, (name, group) in enumerate(people):
                person = Person(i + 2, f"p{round_}-{i}", name, f"p{i}@example.org", "coach",
                                group)
                start = time.perf_counter()
                sizes.append(len(maker.copy(person)))
                times.append(time.perf_counter() - start)
        n = len(people)
        return {"first": sum(times[:n]) / n, "next": sum(times[-n:]) / n,
                "bytes": sum(sizes) / len(sizes)}
    from guidepdf.distribute.roster import Roster
    from guidepdf.read.readmany import Outcome
    from guidepdf.report.aggregate import aggregate
    from guidepdf.report.summary_pdf import build_summary_pdf
    from tests.report.conftest import make_plan

    outcomes, roster_people = [], []
    for i in range(forms):
        name, group = people[i % len(people)]
        person = Person(i + 2, f"p{i}", f"{name} {i}", f"p{i}@example.org", "coach", group)
        roster_people.append(person)
        answer = ANSWERS["latin"] if names == "latin" else \
            ANSWERS["scripts"][i % len(SCRIPTS)]
        plan = make_plan(content, "coach", f"{i}.pdf", recipient=person,
                         answers={q.id: (answer, answer) for q in content.role("coach").questions})
        outcomes.append((Outcome(Path(plan.source), plan, ""), plan.source, 0.0))
    summary = aggregate(outcomes, content, Roster(Path("r.csv"), tuple(roster_people), (),
                                                  "UTF-8", ","), source="returned")
    start = time.perf_counter()
    pdf = build_summary_pdf(summary, content)
    first = time.perf_counter() - start
    start = time.perf_counter()
    build_summary_pdf(summary, content)
    return {"seconds": first, "again": time.perf_counter() - start, "bytes": len(pdf)}


def _run(kind: str, names: str, forms: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--case", kind, names, "--forms",
                          str(forms)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--forms", type=int, default=80)
    parser.add_argument("--case", nargs=2)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(_case(*args.case, args.forms)))
        return
    print("Fillable coach guide (field font with and without the fallback letters):")
    print("| field font | KiB | build s |\n|---|---:|---:|")
    for names, label in (("no-fallback-letters", "Latin, Greek, Cyrillic"),
                         ("latin", "+ Arabic, Hebrew, Devanagari, Thai letters")):
        r = _run("guide", names, args.forms)
        print(f"| {label} | {r['bytes'] / 1024:,.1f} | {r['seconds']:.2f} |")
    print("\nPersonalized coach copies, prefilled (8 names, each made 3 times; s per copy):")
    print("| names | KiB per copy | first round s | third round s |\n|---|---:|---:|---:|")
    for names in ("latin", "scripts"):
        r = _run("copies", names, args.forms)
        print(f"| {names} | {r['bytes'] / 1024:,.1f} | {r['first']:.2f} | {r['next']:.3f} |")
    print(f"\nSummary PDF of {args.forms} coach forms (every question answered):")
    print("| names and answers | KiB | first build s | second build s |\n|---|---:|---:|---:|")
    for names in ("latin", "scripts"):
        r = _run("summary", names, args.forms)
        print(f"| {names} | {r['bytes'] / 1024:,.1f} | {r['seconds']:.2f} | "
              f"{r['again']:.2f} |")


if __name__ == "__main__":
    main()
