"""The evaluation corpus (tests/corpus/): the test split is frozen, and every split builds, alone
and together with the seed, so each gold annotation is valid and each quote is in its text."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from kg.builder import build
from support import DATA, ROOT

CORPUS = ROOT / "tests" / "corpus"
TEST = CORPUS / "test"


def test_the_test_split_is_frozen():
    lines = (TEST / "FROZEN.sha256").read_text(encoding="utf-8").splitlines()
    entries = [re.fullmatch(r"([0-9a-f]{64})  (\S+)", line) for line in lines]
    assert all(entries), "each line is '<sha256>  <path>'"
    paths = [e.group(2) for e in entries]
    assert paths == sorted(paths)
    present = sorted(p.relative_to(TEST).as_posix() for p in TEST.rglob("*")
                     if p.is_file() and p.name != "FROZEN.sha256")
    assert present == paths, "files were added to or removed from the frozen test split"
    for entry in entries:
        digest = hashlib.sha256((TEST / entry.group(2)).read_bytes()).hexdigest()
        assert digest == entry.group(1), f"{entry.group(2)} changed; see tests/corpus/README.md"


@pytest.mark.parametrize("split", ["dev", "test"])
def test_each_split_builds(split: str, tmp_path: Path):
    report = build(CORPUS / split, tmp_path / "out")
    assert len(report.documents) >= 10 and report.evidence_records > 1000


def test_everything_builds_together_with_the_seed(tmp_path: Path):
    data = tmp_path / "all"
    shutil.copytree(DATA, data)
    for split in ("dev", "test"):
        for sub in ("sources", "annotations"):
            for path in (CORPUS / split / sub).iterdir():
                shutil.copy(path, data / sub / path.name)
    report = build(data, tmp_path / "out")
    assert len(report.documents) == 1 + sum(
        len(list((CORPUS / s / "annotations").glob("*.yaml"))) for s in ("dev", "test"))
