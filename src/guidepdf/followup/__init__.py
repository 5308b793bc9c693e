"""Send journal + fetch journal + the last collect's summary -> where each person on the
roster stands (status), reminders that say what went wrong, and receipts.

    problems.py   what a returned file or reply says about its sender -> a problem class
    status.py     roster + journals + summary.json -> one StatusRow per person
    statusfiles.py  status -> a terminal table, status.csv and status.json
"""

from guidepdf.followup.problems import PROBLEMS
from guidepdf.followup.status import Status, StatusRow, build_status

__all__ = ["PROBLEMS", "Status", "StatusRow", "build_status"]
