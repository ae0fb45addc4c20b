"""The annotation reader: quotes located exactly, broken annotations rejected with file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.builder import build
from kg.builder.annotation import STATED, locate, read_annotation
from kg.builder.ontology import load_ontology, schema_of
from kg.builder.pipeline import read_annotations
from kg.errors import AnnotationError, InconsistentGraph
from kg.namespace import slug
from support import DATA as DATA_DIR

SCHEMA = schema_of(load_ontology())
SEED = "uk-japan-science-technology-agreement-2023"


def test_every_quote_is_found_at_its_offsets():
    (annotation,) = read_annotations(DATA_DIR, SCHEMA)
    text = annotation.source.text
    spans = [f.span for f in annotation.facts if f.span]
    assert len(spans) > 100
    for span in spans:
        assert text[span.start:span.end] == span.exact
        assert text[:span.start].endswith(span.prefix)
        assert text[span.end:].startswith(span.suffix)


def test_stated_facts_have_quotes_and_curated_ones_have_notes():
    (annotation,) = read_annotations(DATA_DIR, SCHEMA)
    for fact in annotation.facts:
        if fact.kind == STATED:
            assert fact.span is not None, fact
        else:
            assert fact.note, fact


def test_locate_rejects_ambiguous_and_missing_quotes():
    text = "the UK and Japan; the UK and Japan again"
    with pytest.raises(AnnotationError, match="occurs 2 times"):
        locate(text, "the UK and Japan", None, "x.yaml:3")
    assert locate(text, "the UK and Japan", 2, "x.yaml:3").start == 18
    with pytest.raises(AnnotationError, match="quote not found"):
        locate(text, "the US", None, "x.yaml:3")
    with pytest.raises(AnnotationError, match="quote marks"):
        locate("Japan’s ministry", "Japan's ministry", None, "x.yaml:3")


def test_slug_is_stable_and_ascii():
    assert slug("Tōhoku University’s institute") == "tohoku-universitys-institute"
    assert slug("UK–Japan S&T Agreement (2023)") == "uk-japan-s-t-agreement-2023"


def _corpus(tmp_path: Path, annotation: str) -> Path:
    """A copy of data/ whose annotation is replaced by ``annotation`` (YAML text)."""
    shutil.copytree(DATA_DIR / "sources", tmp_path / "src" / "sources")
    (tmp_path / "src" / "annotations").mkdir()
    (tmp_path / "src" / "annotations" / "a.yaml").write_text(annotation, encoding="utf-8")
    return tmp_path / "src"


GOOD = f"""document: {SEED}
entities:
  japan:
    a: [State, Country]
    label: Japan
    quote: "Japan is the world’s third-largest economy"
  george-freeman:
    a: Person
    label: George Freeman
    quote: "UK Minister for Science George Freeman"
statements:
  - s: george-freeman
    p: locatedIn
    o: japan
    quote: "in Japan, Minister Freeman has been making the case"
"""

BROKEN = {
    "missing quote": (GOOD.replace("has been making the case", "signed a treaty"), "a.yaml:12",
                      "not found"),
    "unknown entity": (GOOD.replace("o: japan", "o: korea"), "a.yaml:12", "unknown entity 'korea'"),
    "unknown class": (GOOD.replace("a: Person", "a: Persn"), "a.yaml:8", "unknown class"),
    "unknown property": (GOOD.replace("p: locatedIn", "p: locatedAt"), "a.yaml:12",
                         "unknown property"),
    "bad date": (GOOD + "  - {s: george-freeman, p: onDate, value: 2023-02-30, "
                        "quote: today (Monday 15 May)}\n", "a.yaml:16", "not a date"),
    "bad amount": (GOOD + "  - {s: george-freeman, p: amount, value: £15.5m, "
                          "quote: £15.5 million}\n", "a.yaml:16", "not a plain decimal"),
    "bad yaml": (GOOD.replace("    label: Japan", "    label: [Japan"), "a.yaml", "invalid YAML"),
    "ambiguous quote": (GOOD.replace("Japan is the world’s third-largest economy", "Japan"),
                        "a.yaml:4", "occurs"),
    "no quote": (GOOD.replace('quote: "in Japan, Minister Freeman has been making the case"', ""),
                 "a.yaml:12", "needs the 'quote'"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_annotation_is_named_and_writes_nothing(tmp_path: Path, case: str):
    text, where, message = BROKEN[case]
    source = _corpus(tmp_path, text)
    out = tmp_path / "out"
    with pytest.raises(AnnotationError) as caught:
        build(source, out)
    assert where in str(caught.value) and message in str(caught.value), str(caught.value)
    assert "\n" not in str(caught.value)
    assert not out.exists()


def test_good_annotation_builds(tmp_path: Path):
    out = tmp_path / "out"
    report = build(_corpus(tmp_path, GOOD), out)
    assert report.triples["asserted"] == 6  # 3 types, 2 labels, 1 statement
    assert (out / "dataset.nq").exists()


def test_person_typed_as_organisation_is_inconsistent(tmp_path: Path):
    text = GOOD.replace("a: Person", "a: [Person, Organisation]")
    out = tmp_path / "out"
    with pytest.raises(InconsistentGraph, match="george-freeman"):
        build(_corpus(tmp_path, text), out)
    assert not out.exists()


def test_failed_build_keeps_the_previous_output(tmp_path: Path):
    out = tmp_path / "out"
    build(_corpus(tmp_path, GOOD), out)
    before = (out / "dataset.nq").read_bytes()
    (tmp_path / "src" / "annotations" / "a.yaml").write_text(GOOD.replace("o: japan", "o: x"))
    with pytest.raises(AnnotationError):
        build(tmp_path / "src", out)
    assert (out / "dataset.nq").read_bytes() == before


def test_changed_source_is_detected(tmp_path: Path):
    source = _corpus(tmp_path, GOOD)
    text = source / "sources" / f"{SEED}.txt"
    text.write_text(text.read_text(encoding="utf-8") + "\nedited", encoding="utf-8")
    with pytest.raises(AnnotationError, match="sha256 does not match"):
        read_annotation(source / "annotations" / "a.yaml", source / "sources", SCHEMA)


@pytest.mark.parametrize("content,message", [
    (b"", "empty"),
    (b"\xff\xfeb\x00a\x00d\x00", "UTF-16"),
    (b"caf\xe9", "not UTF-8"),
    (b"abc\x00def", "binary"),
])
def test_bad_source_documents(tmp_path: Path, content: bytes, message: str):
    source = _corpus(tmp_path, GOOD)
    (source / "sources" / f"{SEED}.txt").write_bytes(content)
    with pytest.raises(AnnotationError, match=message):
        build(source, tmp_path / "out")
