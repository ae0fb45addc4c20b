"""The fast reasoner (kg.reason.rules) against owlrl, the reference: the same inferred triples after
the noise filter, and the same inconsistencies, on the seed graph, on every ontology example and
on synthetic corpora up to the size owlrl closes in a few seconds."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.builder import build
from kg.builder.evidence import to_triples
from kg.builder.ontology import load_ontology, schema_of
from kg.builder.pipeline import read_annotations
from kg.errors import InconsistentGraph, UnsupportedAxiom
from kg.reason import rules as fastreason
from kg.reason.reference import owlrl_closure
from kg.resources import ONTOLOGY_DIR
from kg.synth import KINDS, synth
from kg.terms import from_rdflib, triples_of
from support import DATA as DATA_DIR

EXAMPLES = sorted(p for p in (ONTOLOGY_DIR / "examples").iterdir() if p.is_dir())
AGR = "https://w3id.org/agreements-kg/ontology#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def nt(graph) -> set[tuple[str, str, str]]:
    return {(from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in graph}


def reference(tbox: set, abox: set):
    """owlrl's answer as N-Triples triples, or the InconsistentGraph it raised."""
    from kg.terms import graph_of

    try:
        return nt(owlrl_closure(graph_of(tbox), graph_of(abox)))
    except InconsistentGraph as exc:
        return exc


def fast(tbox: set, abox: set):
    try:
        return fastreason.closure(tbox, abox)
    except InconsistentGraph as exc:
        return exc


def assert_same(tbox: set, abox: set) -> set:
    expected, actual = reference(tbox, abox), fast(tbox, abox)
    if isinstance(expected, Exception) or isinstance(actual, Exception):
        assert str(actual) == str(expected)
        return set()
    missing, extra = expected - actual, actual - expected
    assert not missing and not extra, f"missing {sorted(missing)[:5]} extra {sorted(extra)[:5]}"
    return actual


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def tbox(ontology) -> set:
    return triples_of(ontology)


def corpus_abox(source: Path, ontology: Graph) -> set:
    asserted, _ = to_triples(read_annotations(source, schema_of(ontology)))
    return asserted


def test_seed_graph(tbox, ontology):
    inferred = assert_same(tbox, corpus_abox(DATA_DIR, ontology))
    assert len(inferred) > 300  # the property chains, inverses, classes... all there


@pytest.mark.parametrize("agreements,seed", [(3, 1), (25, 2)])
def test_synthetic_graph(tbox, ontology, tmp_path: Path, agreements: int, seed: int):
    synth(agreements, tmp_path, seed)
    abox = corpus_abox(tmp_path, ontology)
    inferred = assert_same(tbox, abox)
    assert any(p == f"<{AGR}partyTo>" for _, p, _ in inferred)  # chains fired


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_ontology_example(example: Path):
    tbox = nt(load_ontology(with_alignments=False))
    assert_same(tbox, nt(Graph().parse(example / "input.ttl")))


def test_disjointness_is_reported_alike(tbox, ontology, tmp_path: Path):
    synth(4, tmp_path, 3)
    abox = corpus_abox(tmp_path, ontology)
    person = sorted(s for s, p, o in abox if p == TYPE and o == f"<{AGR}Person>")[0]
    kinds = {f"<{AGR}{kind}>" for kind, _, _ in KINDS}
    agreement = sorted(s for s, p, o in abox if p == TYPE and o in kinds)[0]
    abox |= {(person, TYPE, f"<{AGR}Organisation>"), (agreement, TYPE, f"<{AGR}Event>")}
    expected, actual = reference(tbox, abox), fast(tbox, abox)
    assert isinstance(expected, InconsistentGraph)
    assert str(actual) == str(expected)
    assert person[1:-1] in str(actual) and agreement[1:-1] in str(actual)


def test_a_schema_the_rules_do_not_cover_is_refused(tbox):
    functional = (f"<{AGR}signer>", TYPE, "<http://www.w3.org/2002/07/owl#FunctionalProperty>")
    with pytest.raises(UnsupportedAxiom, match="FunctionalProperty"):
        fastreason.closure(tbox | {functional}, set())


def test_both_reasoners_build_the_same_bytes(tmp_path: Path):
    build(DATA_DIR, tmp_path / "fast")
    build(DATA_DIR, tmp_path / "owlrl", reasoner="owlrl")
    for name in ("dataset.nq", "dataset.trig", "graph.ttl", "manifest.json"):
        assert (tmp_path / "fast" / name).read_bytes() == (tmp_path / "owlrl" / name).read_bytes()


@pytest.mark.parametrize("source", ["seed", "synthetic"])
def test_build_triples_are_the_graphs_kg_rdf_makes(ontology, tmp_path: Path, source: str):
    """kg.builder.evidence (the build's string RDF) and the rdflib reference agree."""
    from reference_rdf import to_graphs

    if source == "synthetic":
        synth(3, tmp_path, 4)
    annotations = read_annotations(DATA_DIR if source == "seed" else tmp_path,
                                   schema_of(ontology))
    asserted, evidence = to_triples(annotations)
    reference = to_graphs(annotations)
    assert asserted == nt(reference[0])
    assert evidence == nt(reference[1])
