"""The test run's guide cache (tests/guides.py): a guide one xdist worker built is read, not
built again, by another worker of the same run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests import guides

ROOT = Path(__file__).resolve().parents[1]


def test_a_guide_built_by_one_worker_is_read_by_another(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A second process sharing the folder gets the first one's bytes without building."""
    shared = tmp_path / "shared"
    script = ("import sys; from pathlib import Path; from tests import guides; "
              "guides.share_in(Path(sys.argv[1])); "
              "sys.stdout.buffer.write(guides.built('teacher', 'print', 'a4'))")
    first = subprocess.run([sys.executable, "-c", script, str(shared)], cwd=ROOT,
                           capture_output=True, check=True).stdout
    assert first.startswith(b"%PDF-")
    monkeypatch.setattr(guides, "_MEMORY", {})
    monkeypatch.setattr(guides, "_SHARED", [])
    monkeypatch.setattr(guides, "_build", lambda key: pytest.fail(f"built {key} again"))
    guides.share_in(shared)
    assert guides.built("teacher", "print", "a4") == first
    assert sorted(p.name for p in shared.glob("*.pdf")) == ["teacher-print-a4-all.pdf"]


def test_guides_for_other_content_or_a_recipient_are_not_taken_from_the_cache(
        toy_content, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """build_cached builds afresh for any content but the shipped one."""
    from guidepdf.layout import GuideOptions

    monkeypatch.setattr(guides, "built", lambda *a: pytest.fail("cache used"))
    pdf = guides.build_cached(toy_content, toy_content.roles[0], GuideOptions())
    assert pdf.startswith(b"%PDF-")
