"""report.spool: records on disk, read back by offset; the spooled responses behave like
the tuple they replace, and leave no file behind."""

from __future__ import annotations

import dataclasses
import os
from array import array
from pathlib import Path

from guidepdf.report.aggregate import aggregate
from guidepdf.report.model import Summary
from guidepdf.report.spool import Spool, SpooledResponses


def test_records_come_back_by_offset_in_any_order(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    records = [("a", 1), {"b": "ü" * 10_000}, None, ("", ())]
    offsets = [spool.append(r) for r in records]
    assert [spool.load(o) for o in reversed(offsets)] == records[::-1]
    assert spool.bytes > 10_000
    assert os.listdir(tmp_path) == []  # unnamed: nothing to clean up, even if killed
    spool.close()


def test_spooled_responses_act_like_a_tuple(small_summary: Summary, tmp_path: Path) -> None:
    real = tuple(small_summary.responses)
    spool = Spool(tmp_path)
    spooled = SpooledResponses(spool, array("q", [spool.append(r) for r in real]))
    assert len(spooled) == len(real) and list(spooled) == list(real)
    assert spooled[0] == real[0] and spooled[-1] == real[-1] and spooled[1:] == list(real[1:])
    assert spooled == real and real == spooled and spooled != real[1:]
    assert dataclasses.replace(small_summary, responses=spooled) == \
        dataclasses.replace(small_summary, responses=real)


def test_aggregate_spools_the_answers(content, three, roster) -> None:
    """The summary's responses live on disk in the folder given, not in memory."""
    summary = aggregate(three, content, roster, source="returned")
    assert isinstance(summary.responses, SpooledResponses)
    assert summary.responses[0].answers[0].reflections.startswith("Coaching cycles")
