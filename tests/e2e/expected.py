"""Ground truth (what was filled into the 300 forms) -> the summary.json that `collect` must
write, computed from the inputs alone, and the rows the CSV and XLSX must hold."""

from __future__ import annotations

import dataclasses
import json
import statistics
from collections import Counter, defaultdict
from typing import Any

from guidepdf import __version__
from guidepdf.content.model import Content
from guidepdf.report.terms import stop_words, tokens
from guidepdf.report.themes import ThemeCounter
from tests.e2e.returned_forms import BROKEN, STRAY, Form, Truth

BINS = ["blank", "1–10", "11–25", "26–50", "51–100", "101–200", "201+"]
LOWER = [0, 1, 11, 26, 51, 101, 201]


def newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def responses(truth: Truth, content: Content) -> list[dict[str, Any]]:
    """summary.json's "responses", in its order."""
    people = {p.id: p for p in truth.people}
    order = {r.id: i for i, r in enumerate(content.roles)}
    out = []
    for source, roster_id in truth.kept.items():
        form = truth.form(source)
        person = people.get(roster_id) if roster_id else None
        rec = form.recipient
        name = form.typed.get("name", "").strip() or (rec.name if rec else "")
        email = form.typed.get("email", "").strip() or (rec.email if rec else "")
        group = (person.group if person else "") or form.typed.get("group", "").strip() \
            or (rec.group if rec else "")
        role = content.role(form.role)
        ic = []
        if role.icmap:
            ic = [{"outcome_id": o.id, "level": form.ic.get(o.id),
                   "notes": form.ic_notes.get(o.id, "")} for o in role.icmap.outcomes]
        out.append({
            "role": form.role, "name": name, "email": email, "group": group,
            "date": form.typed.get("date", ""), "source": source, "modified": form.modified,
            "roster_id": roster_id, "matched_by": truth.matched_by[source],
            "on_roster": roster_id is not None, "warnings": truth.notes.get(source, []),
            "warning_codes": truth.codes.get(source, []),
            "answers": [{"question_id": q.id,
                         "reflections": newlines(form.answers[q.id][0]),
                         "first_steps": newlines(form.answers[q.id][1])}
                        for q in role.questions],
            "ic": ic, "came_from": "file", "origin": None,  # PDFs, none came by mail
        })
    out.sort(key=lambda r: (order[r["role"]], _key(r["name"] or r["email"] or r["source"]),
                            r["source"]))
    return out


def _themes(resp: list[dict[str, Any]], content: Content) -> dict[tuple[str, str], Any]:
    """The themes of the answers as they were filled in (report.themes over the truth, in
    summary order): what collect finds must be what was written."""
    texts = {(r.id, q.id): q.text for r in content.roles for q in r.questions}
    counter = ThemeCounter(lambda role, qid: texts.get((role, qid), ""),
                           content.brand.language, stop_words(content.labels))

    def people() -> Any:
        for r in resp:
            yield (r["role"], r["name"] or r["email"] or r["source"],
                   [(a["question_id"], a["reflections"], a["first_steps"])
                    for a in r["answers"]])

    for role, _, answers in people():
        counter.add(role, answers)
    return {scope: json.loads(json.dumps([dataclasses.asdict(t) for t in found]))
            for scope, found in counter.themes(list(people())).items()}


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _rate(returned: int, expected: int) -> float | None:
    return round(returned / expected, 4) if expected else None


def summary(truth: Truth, content: Content, source: str) -> dict[str, Any]:
    resp = responses(truth, content)
    people = truth.people
    returned_ids = {r["roster_id"] for r in resp if r["roster_id"]}
    role_ids = [r.id for r in content.roles if any(p.role == r.id for p in people)
                or any(x["role"] == r.id for x in resp)]
    themes = _themes(resp, content)
    roles = []
    for role_id in role_ids:
        role = content.role(role_id)
        mine = [r for r in resp if r["role"] == role_id]
        expected = sum(1 for p in people if p.role == role_id)
        returned = sum(1 for p in people if p.role == role_id and p.id in returned_ids)
        questions = []
        for number, q in enumerate(role.questions, start=1):
            cells = [next(a for a in r["answers"] if a["question_id"] == q.id) for r in mine]
            refl = sum(1 for a in cells if a["reflections"].strip())
            steps = sum(1 for a in cells if a["first_steps"].strip())
            answered = sum(1 for a in cells if a["reflections"].strip()
                           or a["first_steps"].strip())
            counts: Counter[str] = Counter()
            for a in cells:
                counts.update(tokens(a["reflections"]))
                counts.update(tokens(a["first_steps"]))
            top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:12]
            questions.append({"id": q.id, "number": number, "text": q.text,
                              "answered": answered, "reflections": refl,
                              "first_steps": steps, "blank": len(mine) - answered,
                              "terms": [{"term": t, "count": c} for t, c in top],
                              "themes": themes.get((role_id, q.id), [])})
        roles.append({"id": role_id, "title": role.title, "expected": expected,
                      "returned": returned, "rate": _rate(returned, expected),
                      "forms": len(mine), "questions": questions,
                      "themes": themes.get((role_id, ""), [])})
    group_names = {p.group or "(no group)" for p in people} | \
        {r["group"] or "(no group)" for r in resp}
    groups = []
    for name in sorted(group_names, key=lambda g: (g == "(no group)", g.casefold())):
        expected = sum(1 for p in people if (p.group or "(no group)") == name)
        returned = sum(1 for p in people if (p.group or "(no group)") == name
                       and p.id in returned_ids)
        groups.append({"name": name, "expected": expected, "returned": returned,
                       "rate": _rate(returned, expected),
                       "forms": sum(1 for r in resp if (r["group"] or "(no group)") == name)})
    lengths = {"reflections": [0] * 7, "first_steps": [0] * 7}
    for r in resp:
        for a in r["answers"]:
            for column in lengths:
                words = len(a[column].split())
                lengths[column][max(i for i, low in enumerate(LOWER) if words >= low)] += 1
    duplicates = []
    for kept, dropped, _ in sorted(truth.duplicates):
        k, d = truth.form(kept), truth.form(dropped)
        person = next(p for p in people if truth.kept.get(kept) == p.id)
        who = k.typed.get("name", "").strip() or (k.recipient.name if k.recipient else "")
        if k.modified != d.modified:
            reason = (f"saved earlier ({_show(d.modified)} UTC vs {_show(k.modified)} UTC)")
        else:
            reason = "same save date; the file is older"
        duplicates.append({"person": who, "roster_id": person.id, "kept": kept,
                           "dropped": dropped, "reason": reason})
    t = {
        "files": len(truth.forms) + len(BROKEN), "ignored": len(STRAY),
        "read": len(truth.forms), "rejected": len(BROKEN), "duplicates": len(duplicates),
        "responses": len(resp), "with_warnings": sum(1 for r in resp if r["warnings"]),
        "expected": len(people), "returned": len(returned_ids),
        "missing": len(people) - len(returned_ids),
        "not_on_roster": sum(1 for r in resp if not r["on_roster"]),
        "rate": _rate(len(returned_ids), len(people)),
        "messages": 0, "without_attachment": 0,
    }
    return {
        "schema": 1, "generator": f"guidepdf {__version__}", "source": source,
        "roster": "roster.csv", "totals": t, "roles": roles, "groups": groups,
        "lengths": {"bins": BINS, "lower": LOWER, "counts": lengths},
        "ic": ic_maps(resp, content),
        "responses": resp, "duplicates": duplicates,
        "missing": [{"id": p.id, "name": p.name, "email": p.email, "role": p.role,
                     "group": p.group} for p in truth.missing],
        "ignored": sorted(STRAY), "roster_problems": [], "without_attachment": [],
    }


def _show(pdf_date: str) -> str:
    d = pdf_date[2:]
    return f"{d[0:4]}-{d[4:6]}-{d[6:8]} {d[8:10]}:{d[10:12]}"


def ic_maps(resp: list[dict[str, Any]], content: Content) -> list[dict[str, Any]]:
    out = []
    for role in content.roles:
        if role.icmap is None:
            continue
        used = [r for r in resp if r["role"] == role.id
                and any(c["level"] is not None for c in r["ic"])]
        if not used:
            continue
        levels = len(role.icmap.levels)
        standard_of = {o.id: b.standard for b in role.icmap.blocks for o in b.outcomes}
        outcomes, numbers = [], defaultdict(list)
        for o in role.icmap.outcomes:
            counts = {f"L{i}": 0 for i in range(1, levels + 1)} | {"NA": 0, "none": 0}
            for r in used:
                level = next(c["level"] for c in r["ic"] if c["outcome_id"] == o.id)
                counts[level or "none"] += 1
                if level and level.startswith("L"):
                    numbers[o.id].append(int(level[1:]))
            outcomes.append({"id": o.id, "outcome": o.outcome, "standard": standard_of[o.id],
                             "counts": counts, "median": _median(numbers[o.id])})
        std_ids = [b.standard for b in role.icmap.blocks]
        standards = []
        for sid in std_ids:
            pooled = [n for o in role.icmap.outcomes if standard_of[o.id] == sid
                      for n in numbers[o.id]]
            standards.append({"id": sid, "name": content.framework.standard(sid).name,
                              "n": len(pooled), "median": _median(pooled)})
        by_group = defaultdict(list)
        for r in used:
            by_group[r["group"] or "(no group)"].append(r)
        groups = []
        for name in sorted(by_group, key=lambda g: (g == "(no group)", g.casefold())):
            pooled_all, per_std = [], defaultdict(list)
            for r in by_group[name]:
                for c in r["ic"]:
                    if c["level"] and c["level"].startswith("L"):
                        pooled_all.append(int(c["level"][1:]))
                        per_std[standard_of[c["outcome_id"]]].append(int(c["level"][1:]))
            groups.append({"name": name, "respondents": len(by_group[name]),
                           "n": len(pooled_all), "median": _median(pooled_all),
                           "by_standard": {s: _median(per_std[s]) for s in std_ids}})
        out.append({"role": role.id, "title": role.title, "levels": list(role.icmap.levels),
                    "respondents": len(used), "outcomes": outcomes, "standards": standards,
                    "groups": groups})
    return out


def csv_rows(summary_data: dict[str, Any], content: Content) -> list[list[str]]:
    """responses.csv's rows (after the header), unescaped."""
    rows = []
    for r in summary_data["responses"]:
        role = content.role(r["role"])
        numbers = {q.id: (n, q.text) for n, q in enumerate(role.questions, start=1)}
        for a in r["answers"]:
            n, text = numbers[a["question_id"]]
            rows.append([role.title, r["name"], r["email"], r["group"], r["roster_id"] or "",
                         "yes" if r["on_roster"] else "no", str(n), a["question_id"], text,
                         a["reflections"], a["first_steps"], r["source"],
                         r["matched_by"] or "", "file", "", "", ""])
    return rows


def form_of(truth: Truth, source: str) -> Form:
    return truth.form(source)
