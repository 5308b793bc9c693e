"""CPU seconds of Aggregator.finish (reconcile, the respool, the tally and the themes, in one
process: jobs=1) on a scale corpus, the best of N runs. The corpus's outcomes are read once
(read_one on every file) and pickled beside it, so later runs time only the aggregation.

    PYTHONPATH=src python benchmarks/finish_cpu.py /tmp/i20scale/n2000 5

FOLDER is one that scale_bench.py --keep made (returned/ and roster.csv).
"""

from __future__ import annotations

import pickle
import sys
import time
from pathlib import Path

from guidepdf.content import load_content
from guidepdf.distribute import read_roster
from guidepdf.read.readmany import find_pdfs, read_one
from guidepdf.report.aggregate import Aggregator

folder = Path(sys.argv[1])
content = load_content()
roster = read_roster(folder / "roster.csv", content.roles)
cache = folder.parent / (folder.name + ".outcomes.pickle")
if not cache.exists():
    pdfs, _ = find_pdfs([folder / "returned"])
    cache.write_bytes(pickle.dumps([(read_one(p, content, p.name), p.name) for p in pdfs]))
outcomes = pickle.loads(cache.read_bytes())
best = []
for _ in range(int(sys.argv[2]) if len(sys.argv) > 2 else 5):
    agg = Aggregator(content, roster, source="x")
    for o, n in outcomes:
        agg.add(o, n, 0.0)
    began = time.process_time()
    agg.finish(jobs=1)
    best.append(time.process_time() - began)
print(f"finish CPU min {min(best):.3f}  all " + " ".join(f"{b:.2f}" for b in best))
