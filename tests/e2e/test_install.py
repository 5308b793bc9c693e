"""The package installs as a wheel and its entry point builds guides from shipped content."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pypdf
import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_carries_content_and_fonts(tmp_path: Path) -> None:
    """A wheel built from the tree, installed with its dependencies into a fresh venv that
    cannot see any other site-packages, runs `guidepdf check` and `guidepdf build` from an
    unrelated folder: content/ and fonts/ travel as package data, and every import the
    commands need is declared in pyproject.toml (a dependency present only in the base Python
    or in the test venv would fail here)."""
    clean_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "-q", "-w", str(wheels), str(ROOT)], check=True, cwd=tmp_path)
    wheel = next(wheels.glob("guidepdf-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=True).create(env_dir)
    isolated = subprocess.run([env_dir / "bin" / "python", "-c", "import reportlab"],
                              capture_output=True, env=clean_env)
    assert isolated.returncode != 0, "the test venv must not see reportlab before the install"
    # With its dependencies, as a user installs it (pip takes them from its cache when the
    # test venv was just set up from the same index).
    subprocess.run([env_dir / "bin" / "python", "-m", "pip", "install", "-q",
                    "--disable-pip-version-check", str(wheel)], check=True, env=clean_env)
    assert (env_dir / "bin" / "guidepdf").exists()
    work = tmp_path / "elsewhere"
    work.mkdir()
    check = subprocess.run([env_dir / "bin" / "guidepdf", "check"], cwd=work,
                           capture_output=True, text=True, env=clean_env)
    assert check.returncode == 0, check.stderr
    assert "guidepdf/data/content: OK — 7 roles, 11 standards" in check.stdout
    build = subprocess.run([env_dir / "bin" / "guidepdf", "build", "--role", "teacher"],
                           cwd=work, capture_output=True, text=True, env=clean_env)
    assert build.returncode == 0, build.stderr
    assert build.stdout.strip() == "Wrote 2 PDF(s) to guides/"
    pdfs = sorted(p.name for p in (work / "guides").iterdir())
    assert pdfs == ["teacher-fillable.pdf", "teacher-print.pdf"]
    reader = pypdf.PdfReader(work / "guides" / "teacher-fillable.pdf")
    assert len(reader.get_fields() or {}) > 10
    # the editions travel too: --edition es builds from the installed editions/es/
    spanish = subprocess.run([env_dir / "bin" / "guidepdf", "build", "--edition", "es",
                              "--role", "teacher", "--mode", "print", "--out", "es"],
                             cwd=work, capture_output=True, text=True, env=clean_env)
    assert spanish.returncode == 0, spanish.stderr
    assert "guidepdf/data/content/editions/es (edition 'es' of" in spanish.stderr
    brand = (ROOT / "content" / "editions" / "es" / "brand.yaml").read_text(encoding="utf-8")
    language = next(line.split(":", 1)[1].strip() for line in brand.splitlines()
                    if line.startswith("language:"))
    assert pypdf.PdfReader(work / "es" / "teacher-print.pdf").trailer["/Root"]["/Lang"] == \
        language
