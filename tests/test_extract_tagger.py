"""The learned mention finder (kg.extract.tagger, kg extract --ner tagger): training spans read
from gold annotations, a deterministic perceptron, the shipped model being the one the
development split gives, and drafts with it that still build."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.builder import build
from kg.extract.tagger import _CALENDAR, Tagger, gold_spans, shipped, tokens, train
from support import DATA as DATA_DIR
from support import ROOT

KG = str(Path(sys.executable).parent / "kg")
DOC = ROOT / "tests" / "corpus" / "dev" / "sources" / "korea-sweden-accelerator-wire-2024.txt"

TEXT = ("The Minister for Science, Ada Byron, visited the Diamond Light Source in Oxford. "
        "Ada Byron said the UK will invest £12 million in quantum technology.")
GOLD = {"entities": {
    "ada-byron": {"a": ["Person"], "label": "Ada Byron", "quote": "Ada Byron, visited"},
    "diamond": {"a": ["Synchrotron"], "label": "Diamond Light Source", "quote": "Diamond"},
    "oxford": {"a": ["City"], "label": "Oxford", "quote": "in Oxford"},
    "uk": {"a": ["State", "Country"], "label": "United Kingdom", "aliases": ["UK"],
           "quote": "the UK"},
    "investment": {"a": ["Investment"], "label": "UK investment in quantum technology",
                   "quote": "invest £12 million in quantum technology"},
    "signature": {"a": ["SignatureEvent"], "label": "Signature", "quote": "Ada Byron said"},
    "quantum": {"a": ["TechnologyArea"], "label": "quantum technologies",
                "quote": "quantum technology"},
}}


def test_tokens_keep_inner_hyphens_and_split_possessives():
    text = "Kim Jae-won of Japan’s RIKEN."
    assert [text[s:e] for s, e in tokens(text)] == ["Kim", "Jae-won", "of", "Japan", "’s",
                                                    "RIKEN", "."]


def test_gold_spans_are_names_at_whole_words_in_groups():
    spans = [(TEXT[s:e], group) for s, e, group in gold_spans(TEXT, GOLD)]
    assert spans == [
        ("Ada Byron", "Person"), ("Diamond Light Source", "facility"), ("Oxford", "place"),
        ("Ada Byron", "Person"), ("UK", "place"), ("£12 million", "Investment"),
        ("quantum technology", "TechnologyArea")]  # the quote: the label is not in the text


def test_training_is_deterministic_and_round_trips():
    data = [(TEXT, gold_spans(TEXT, GOLD))]
    first, second = train(data, epochs=3), train(data, epochs=3)
    assert first.to_json() == second.to_json()
    again = Tagger.from_json(first.to_json())
    assert again.weights == first.weights and again.spans(TEXT) == first.spans(TEXT)


def test_weights_of_another_version_are_refused():
    import gzip
    import json

    from kg.errors import ExtractError

    body = {"version": 0, "labels": ["O"], "weights": {}}
    with pytest.raises(ExtractError, match="of version 0, not 1: retrain them"):
        Tagger.from_json(gzip.compress(json.dumps(body).encode()))


def test_a_trained_tagger_finds_what_it_was_taught():
    model = train([(TEXT, gold_spans(TEXT, GOLD))], epochs=5)
    found = {(TEXT[s:e], group) for s, e, group, _ in model.spans(TEXT)}
    assert {("Ada Byron", "Person"), ("Oxford", "place")} <= found


def test_shipped_model_is_the_one_the_development_split_gives():
    model = ROOT / "kg" / "extract" / "model" / "tagger.json.gz"
    before = model.stat().st_mtime_ns
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_tagger.py"),
                             "--check"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "tagger.json.gz: the model the development split gives" in result.stdout
    assert model.stat().st_mtime_ns == before  # checked, not rewritten
    assert {"O", "B-place", "I-place", "B-Person", "I-Person"} <= set(shipped().labels)


@pytest.mark.parametrize(("name", "dropped"), [
    ("March", True), ("Fri", True), ("Sept.", True), ("Marseille", False), ("Monaco", False),
    ("Sunderland", False)])
def test_month_and_day_names_are_left_out_but_not_places_that_start_like_them(name, dropped):
    assert bool(_CALENDAR.fullmatch(name)) is dropped


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    shutil.copytree(DATA_DIR, tmp_path / "data")
    return tmp_path / "data"


def test_tagger_is_the_default_adds_to_the_rules_and_builds(data: Path, tmp_path: Path):
    drafts = {}
    for name, args in (("rules", ["--ner", "rules"]), ("tagger", ["--ner", "tagger"]),
                       ("default", [])):
        out = tmp_path / f"{name}.yaml"
        result = subprocess.run([KG, "extract", str(DOC), "--data", str(data), "--date",
                                 "2024-06-13", "--out", str(out), "--force", *args],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        drafts[name] = out.read_text(encoding="utf-8")
    assert drafts["rules"] != drafts["tagger"] == drafts["default"]
    flag = "a learned model found it, not the rules"  # "MAX IV", which no rule finds
    assert flag in drafts["tagger"] and flag not in drafts["rules"]
    shutil.copy(tmp_path / "tagger.yaml", data / "annotations" / "korea-sweden.yaml")
    build(data, tmp_path / "build", include_drafts=True)
