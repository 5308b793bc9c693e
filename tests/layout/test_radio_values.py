"""Radio groups (IC maps) always hold a name in /V: /Off until someone chooses, so qpdf
(--generate-appearances, as tools built on it run) takes the form without a warning."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from guidepdf import formspec
from guidepdf.read.reader import read_form
from guidepdf.samplefill import fill, form_values
from tests import guides

RADIO = 1 << 15


def radio_values(pdf: bytes) -> dict[str, object]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return {str(f.T): f.get("/V") for f in doc.Root.AcroForm.Fields
                if f.get("/FT") == "/Btn" and int(f.get("/Ff", 0)) & RADIO}


@pytest.mark.parametrize("part", ["all", "icmap"])
def test_every_radio_group_starts_as_off(part: str) -> None:
    """Each IC radio group of a fillable guide has /V /Off, a name."""
    values = radio_values(guides.built("coach", "fillable", "letter", part))
    assert values and all(v == pikepdf.Name.Off for v in values.values()), values


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_qpdf_generates_appearances_without_a_warning(tmp_path: Path) -> None:
    """A form with one IC row answered and the others not (viewer-drawn, NeedAppearances
    set) goes through qpdf --generate-appearances with nothing on stderr, and reads back
    with that one level and the other rows unanswered."""
    outcome = next(iter(guides.shipped().role("coach").icmap.outcomes))  # type: ignore[union-attr]
    filled = fill(guides.built("coach"), form_values("coach", ic={outcome.id: "L2"}),
                  appearances="viewer")
    source, target = tmp_path / "in.pdf", tmp_path / "out.pdf"
    source.write_bytes(filled)
    run = subprocess.run(["qpdf", "--generate-appearances", str(source), str(target)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    form = read_form(target.read_bytes())
    assert form.ic[outcome.id] == "L2"
    assert {v for k, v in form.ic.items() if k != outcome.id} == {None}
    assert formspec.ic_field("coach", outcome.id) in radio_values(target.read_bytes())
