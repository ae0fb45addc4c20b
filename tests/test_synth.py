"""`kg synth`: a deterministic synthetic corpus that builds exactly as data/ does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kg.builder import build
from kg.synth import COUNTRIES, TRIPLES_PER_AGREEMENT, SynthError, agreements_for, synth

KG = Path(sys.executable).parent / "kg"


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_corpus(tmp_path: Path):
    synth(4, tmp_path / "a", seed=7)
    synth(4, tmp_path / "b", seed=7)
    synth(4, tmp_path / "c", seed=8)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a") != files(tmp_path / "c")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth")
    synth(30, folder, seed=5)
    return folder


def test_corpus_looks_like_the_real_thing(corpus: Path):
    kinds, party_counts, codes = set(), set(), set()
    for path in sorted((corpus / "annotations").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = (corpus / "sources" / f"{doc['document']}.txt").read_text(encoding="utf-8")
        statements = doc["statements"]
        events = [k for k, e in doc["entities"].items() if e["a"] == ["SignatureEvent"]]
        party_counts.add(len(events))
        agreement = next(s["o"] for s in statements if s["p"] == "signatureOf")
        kinds.update(doc["entities"][agreement]["a"])
        for entity in doc["entities"].values():
            assert entity["quote"] in text
            codes.update(c["value"] for c in entity.get("curated", [])
                         if c["p"] == "countryCode")
        for statement in statements:
            assert statement["quote"] in text
        assert {s["p"] for s in statements} >= {"signer", "onBehalfOf", "inCapacityOf", "onDate",
                                                "signedAt", "amount", "currency", "hostedBy"}
    assert len(kinds) >= 4
    assert 2 in party_counts and max(party_counts) > 2  # bilateral and multilateral
    assert codes <= {c[0] for c in COUNTRIES} and len(codes) > 10


def test_corpus_builds_like_data(corpus: Path, tmp_path: Path):
    report = build(corpus, tmp_path / "out")
    total = sum(report.triples.values())
    assert 0.7 < total / (30 * TRIPLES_PER_AGREEMENT) < 1.3, total
    assert report.entities["agr:Signatory"] > 30 and report.entities["agr:Signer"] > 30
    assert report.entities["agr:Party"] > 10  # the treaties, in force on signature
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert len(manifest["documents"]) == 30
    assert agreements_for(1_000_000) == round(1_000_000 / TRIPLES_PER_AGREEMENT)


def test_cli_rewrites_its_own_corpus_but_nothing_else(tmp_path: Path):
    run = [str(KG), "synth", "--agreements", "2", "--seed", "1", "--out", str(tmp_path / "c")]
    done = subprocess.run(run, capture_output=True, text=True, env=os.environ)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "c" / "annotations").glob("*.yaml"))) == 2
    again = subprocess.run(run, capture_output=True, text=True, env=os.environ)
    assert again.returncode == 0, again.stderr
    (tmp_path / "c" / "mine.txt").write_text("mine")
    refused = subprocess.run(run, capture_output=True, text=True, env=os.environ)
    assert refused.returncode == 2 and "was not written by kg synth" in refused.stderr
    assert "Traceback" not in refused.stderr and (tmp_path / "c" / "mine.txt").exists()
    with pytest.raises(SynthError, match="at least one"):
        synth(0, tmp_path / "d")
