"""A graph built from several documents: one node per entity with the evidence of every
document, per-document provenance in the store, `kg documents`, and adding a document leaves
what the others contributed exactly as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import PROV, RDF

import kg
from kg.builder import build
from kg.namespace import GRAPHS, ID, OA
from support import DATA as DATA_DIR
from support import ROOT

KG = str(Path(sys.executable).parent / "kg")
DEV = ROOT / "tests" / "corpus" / "dev"
A = "uk-japan-science-technology-agreement-2023"
B = "uk-canada-quantum-arrangement-2024"
C = "eu-japan-advanced-materials-2024"
D = "japan-india-semiconductor-memorandum-2023"


def data_with(folder: Path, *names: str) -> Path:
    """A data folder holding the seed and the named test documents with their gold
    annotations."""
    shutil.copytree(DATA_DIR, folder)
    for name in names:
        for suffix in (".txt", ".meta.yaml"):
            shutil.copy(DEV / "sources" / f"{name}{suffix}", folder / "sources" / f"{name}{suffix}")
        shutil.copy(DEV / "annotations" / f"{name}.yaml", folder / "annotations" / f"{name}.yaml")
    return folder


def graphs(out: Path) -> tuple[Graph, Graph]:
    """(asserted, evidence) named graphs of a build, read back from its dataset.nq."""
    ds = Dataset()
    ds.parse(out / "dataset.nq", format="nquads")
    return (ds.graph(URIRef(GRAPHS["asserted"])), ds.graph(URIRef(GRAPHS["evidence"])))


def derived_from(asserted: Graph, evidence: Graph, documents: set[str]) -> Graph:
    """The evidence records of ``documents`` (with their statement, target and selectors), the
    documents' own triples, and the asserted triples those records support."""
    docs = {URIRef(f"{ID}document/{d}") for d in documents}
    out = Graph()
    for doc in docs:
        out += evidence.triples((doc, None, None))
    for record in set(evidence.subjects(PROV.wasDerivedFrom, None)):
        if evidence.value(record, PROV.wasDerivedFrom) not in docs:
            continue
        statement = evidence.value(record, URIRef(OA + "hasBody"))
        nodes = [record, statement]
        target = evidence.value(record, URIRef(OA + "hasTarget"))
        if target is not None:
            nodes += [target, *evidence.objects(target, URIRef(OA + "hasSelector"))]
        for node in nodes:
            out += evidence.triples((node, None, None))
        fact = tuple(evidence.value(statement, p) for p in (RDF.subject, RDF.predicate,
                                                             RDF.object))
        assert fact in asserted, f"evidence for a triple that is not asserted: {fact}"
        out.add(fact)
    return out


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seed with one test document (A, B) and with two (A, B, C)."""
    tmp = tmp_path_factory.mktemp("multidoc")
    two = build(data_with(tmp / "ab", B), tmp / "ab-build").out
    three = build(data_with(tmp / "abc", B, C), tmp / "abc-build").out
    return {"ab": two, "abc": three}


def test_adding_a_document_changes_nothing_about_the_others(builds: dict[str, Path]):
    asserted_ab, evidence_ab = graphs(builds["ab"])
    asserted_abc, evidence_abc = graphs(builds["abc"])
    before = derived_from(asserted_ab, evidence_ab, {A, B})
    after = derived_from(asserted_abc, evidence_abc, {A, B})
    assert len(before) > 1000
    assert isomorphic(before, after)
    # and everything the first build asserted is still asserted, with nothing of A or B removed
    assert not set(asserted_ab) - set(asserted_abc)
    assert set(evidence_abc) > set(evidence_ab)


def test_same_entity_is_one_node_with_the_evidence_of_every_document(builds: dict[str, Path]):
    """Japan is named by the seed and the EU–Japan document; UKRI and the UK's science post by
    the seed and the UK–Canada one: one IRI each, with quotes from both documents."""
    rows = kg.Graph(builds["abc"]).sparql("""
        SELECT ?entity (GROUP_CONCAT(DISTINCT ?doc; separator=" ") AS ?docs) WHERE {
          VALUES ?entity { id:japan id:uk-research-and-innovation id:uk-minister-for-science
                           id:hyper-kamiokande }
          ?record oa:hasBody/rdf:subject ?entity ; prov:wasDerivedFrom/dcterms:identifier ?doc .
        } GROUP BY ?entity ORDER BY ?entity""")
    found = {str(r["entity"].value).removeprefix(ID): set(r["docs"].value.split()) for r in rows}
    assert found == {"japan": {A, C}, "uk-research-and-innovation": {A, B},
                     "uk-minister-for-science": {A, B}, "hyper-kamiokande": {A, C}}


def test_provenance_per_document_is_queryable(builds: dict[str, Path]):
    """Who signed what, and which document says so: each signature traced to its own source."""
    rows = kg.Graph(builds["abc"]).sparql("""
        SELECT ?person ?doc WHERE {
          ?event agr:signer ?person .
          ?record oa:hasBody [ rdf:subject ?event ; rdf:predicate agr:signer ] ;
                  prov:wasDerivedFrom/dcterms:identifier ?doc .
        } ORDER BY ?person""")
    pairs = {(str(r["person"].value).removeprefix(ID), r["doc"].value) for r in rows}
    assert pairs == {("george-freeman", A), ("nakatani-shinichi", A), ("helen-ashworth", B),
                     ("daniel-okafor", B), ("marta-lindqvist", C), ("kenji-moriyama", C)}


def test_kg_documents_lists_every_source_with_counts(builds: dict[str, Path]):
    result = subprocess.run([KG, "documents", "--build", str(builds["abc"]), "-f", "tsv"],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "KG_BUILD": str(builds["abc"])})
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 4  # header and three documents
    counts = {line.split("\t")[0].strip('"'): int(line.split("\t")[-1].split("^^")[0].strip('"'))
              for line in lines[1:]}
    assert set(counts) == {A, B, C} and min(counts.values()) > 50


def test_all_gold_documents_build_together(tmp_path: Path):
    report = build(data_with(tmp_path / "all", B, C, D), tmp_path / "build")
    assert sorted(report.documents) == sorted([A, B, C, D])
