"""The fast reasoner (kg.reason.rules) and the sharded one (kg.reason.shards) against owlrl, the
reference: the same inferred triples after the noise filter, and the same inconsistencies, on the
seed graph, on every ontology example, on synthetic corpora up to the size owlrl closes in a few
seconds, and on corpora built so that documents share entities and inferences cross documents."""

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
from kg.reason import shards
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


def sharded(tbox: set, documents: list[set]):
    try:
        return shards.sharded_closure(tbox, documents)
    except InconsistentGraph as exc:
        return exc


def assert_same(tbox: set, abox: set, documents: list[set] | None = None) -> set:
    """owlrl, the fast reasoner and (given the documents abox is the union of) the sharded
    one give the same answer."""
    expected = reference(tbox, abox)
    answers = [fast(tbox, abox)] + ([sharded(tbox, documents)] if documents else [])
    for actual in answers:
        if isinstance(expected, Exception) or isinstance(actual, Exception):
            assert str(actual) == str(expected)
            continue
        missing, extra = expected - actual, actual - expected
        assert not missing and not extra, f"missing {sorted(missing)[:5]} extra {sorted(extra)[:5]}"
    return set() if isinstance(expected, Exception) else expected


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


@pytest.fixture(scope="module")
def tbox(ontology) -> set:
    return triples_of(ontology)


def corpus_abox(source: Path, ontology: Graph) -> set:
    asserted, _ = to_triples(read_annotations(source, schema_of(ontology)))
    return asserted


def corpus_documents(source: Path, ontology: Graph) -> list[set]:
    return [to_triples([a])[0] for a in read_annotations(source, schema_of(ontology))]


def test_seed_graph(tbox, ontology):
    documents = corpus_documents(DATA_DIR, ontology)
    inferred = assert_same(tbox, corpus_abox(DATA_DIR, ontology), documents)
    assert len(inferred) > 300  # the property chains, inverses, classes... all there


@pytest.mark.parametrize("agreements,seed", [(3, 1), (25, 2)])
def test_synthetic_graph(tbox, ontology, tmp_path: Path, agreements: int, seed: int):
    """Synthetic documents share countries, capitals, governments, ministries, offices and
    technology areas, and renew, amend or implement earlier documents' agreements."""
    synth(agreements, tmp_path, seed)
    documents = corpus_documents(tmp_path, ontology)
    abox = set().union(*documents)
    inferred = assert_same(tbox, abox, documents)
    assert any(p == f"<{AGR}partyTo>" for _, p, _ in inferred)  # chains fired
    owner = shards.owners(map(shards.mentions, documents), set())
    assert sum(1 for o in owner.values() if o == shards.SHARED) >= 5  # they do share


def test_gold_documents_sharing_entities(tbox, ontology, tmp_path: Path):
    """The seed and the annotated test corpus: real press releases naming the same states,
    agencies and facilities."""
    import shutil

    from support import ROOT

    shutil.copytree(DATA_DIR, tmp_path / "data")
    dev = ROOT / "tests" / "corpus" / "dev"
    for path in (dev / "annotations").glob("*.yaml"):
        shutil.copy(path, tmp_path / "data" / "annotations" / path.name)
    for path in (dev / "sources").iterdir():
        shutil.copy(path, tmp_path / "data" / "sources" / path.name)
    documents = corpus_documents(tmp_path / "data", ontology)
    assert len(documents) > 10
    assert_same(tbox, set().union(*documents), documents)


def _t(s: str, p: str, o: str) -> tuple[str, str, str]:
    def term(x: str) -> str:
        if x == "a":
            return TYPE
        return f"<{AGR}{x[4:]}>" if x.startswith("agr:") else f"<{ID}{x}>"
    return term(s), term(p), term(o)


ID = "https://w3id.org/agreements-kg/id/"
CROSSING = {
    # a transitive chain through nodes each pair of documents shares: x (doc 0 only) is in
    # y (0, 1), which is in z (1, 2), which is in w (doc 2 only), which is in v (doc 2 only)
    "located-in": [
        [_t("x", "agr:locatedIn", "y"), _t("x", "a", "agr:City")],
        [_t("y", "agr:locatedIn", "z"), _t("y", "a", "agr:Region")],
        [_t("z", "agr:locatedIn", "w"), _t("w", "agr:locatedIn", "v"),
         _t("v", "a", "agr:Country")],
    ],
    # the derived x-in-w joins, in document 2 (which owns w), with w-in-v; the x-in-v that
    # makes goes from document 2 to document 0 (which owns x) through no shared node, and
    # joins there with s-in-x
    "two-hops-between-documents": [
        [_t("x", "agr:locatedIn", "y"), _t("s", "agr:locatedIn", "x")],
        [_t("y", "a", "agr:Region"), _t("q", "agr:locatedIn", "y")],
        [_t("y", "agr:locatedIn", "w"), _t("w", "agr:locatedIn", "v"),
         _t("v", "agr:locatedIn", "u")],
    ],
    # a signature stated in one document, the agreement typed in another, the signer's post
    # in a third: the chains (signed, partyTo) and the defined classes (Signatory, Party)
    # join on nodes of different documents
    "signature-across-documents": [
        [_t("ev", "agr:signer", "p"), _t("ev", "agr:onBehalfOf", "st"),
         _t("ev", "agr:signatureOf", "ag"), _t("p", "a", "agr:Person")],
        [_t("ag", "a", "agr:Treaty"), _t("ag", "agr:renews", "old")],
        [_t("old", "a", "agr:MemorandumOfUnderstanding"), _t("st", "a", "agr:State"),
         _t("ministry", "agr:subOrganisationOf", "gov"), _t("gov", "agr:governmentOf", "st")],
    ],
    "sub-organisations": [
        [_t("unit", "agr:subOrganisationOf", "agency"), _t("unit", "a", "agr:Agency")],
        [_t("agency", "agr:subOrganisationOf", "ministry")],
        [_t("ministry", "agr:subOrganisationOf", "gov"), _t("gov", "a", "agr:Government")],
        [_t("lab", "agr:subOrganisationOf", "unit"), _t("lab", "agr:partnerOf", "other")],
    ],
    # a person in one document, an organisation in another: owlrl's message, word for word
    "disjoint-across-documents": [
        [_t("x", "a", "agr:Person"), _t("x", "agr:holdsPost", "post")],
        [_t("x", "a", "agr:Organisation")],
    ],
}


@pytest.mark.parametrize("name", sorted(CROSSING))
def test_inferences_crossing_documents(tbox, name: str):
    documents = [set(d) for d in CROSSING[name]]
    inferred = assert_same(tbox, set().union(*documents), documents)
    assert bool(inferred) == (name != "disjoint-across-documents")
    if name == "two-hops-between-documents":
        assert _t("s", "agr:locatedIn", "u") in inferred
    if name == "signature-across-documents":
        # the signer and the signatory, by the types of the agreement stated elsewhere; signing
        # makes no party
        assert _t("p", "a", "agr:Signer") in inferred and _t("st", "a", "agr:Signatory") in inferred
        assert _t("st", "agr:partyTo", "ag") not in inferred


def test_a_triple_goes_from_document_to_document(tbox):
    """With P transitive, K = P o R and L = Q o K: the shared node y gives x-P-w (joining
    x-P-y of document 0 and y-P-w of document 2); document 2, owning w, joins it with its w-R-z
    into x-K-z, which only document 0, owning x, can join with its s-Q-x into s-L-z."""
    ex = "http://example.org/"
    rdf, owl = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2002/07/owl#"

    def n(name: str) -> str:
        return f"<{ex}{name}>"

    def chain(name: str, first: str, second: str) -> set:
        a, b = f"_:{name}1", f"_:{name}2"
        return {(n(name), f"<{owl}propertyChainAxiom>", a), (a, f"<{rdf}first>", n(first)),
                (a, f"<{rdf}rest>", b), (b, f"<{rdf}first>", n(second)),
                (b, f"<{rdf}rest>", f"<{rdf}nil>")}

    schema = {(n(p), TYPE, f"<{owl}ObjectProperty>") for p in "PQRKL"}
    schema |= {(n("P"), TYPE, f"<{owl}TransitiveProperty>")} | chain("K", "P", "R")
    schema |= chain("L", "Q", "K")
    documents = [{(n("x"), n("P"), n("y")), (n("s"), n("Q"), n("x"))},
                 {(n("y"), n("P"), n("q"))},
                 {(n("y"), n("P"), n("w")), (n("w"), n("R"), n("z"))}]
    inferred = assert_same(schema, set().union(*documents), documents)
    assert (n("s"), n("L"), n("z")) in inferred


def test_every_way_of_splitting_a_corpus_gives_one_answer(tbox, ontology, tmp_path: Path):
    """The same triples cut into documents differently (one per triple, in halves, all in
    one) close to the same answer."""
    synth(6, tmp_path, 7)
    abox = sorted(corpus_abox(tmp_path, ontology))
    expected = fast(tbox, set(abox))
    for documents in ([{t} for t in abox], [set(abox[::2]), set(abox[1::2])], [set(abox)]):
        assert shards.sharded_closure(tbox, documents) == expected


def test_chains_longer_than_two_are_refused(tbox):
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    chain = [("_:c1", f"<{rdf}first>", f"<{AGR}signedIn>"), ("_:c1", f"<{rdf}rest>", "_:c2"),
             ("_:c2", f"<{rdf}first>", f"<{AGR}signatureOf>"), ("_:c2", f"<{rdf}rest>", "_:c3"),
             ("_:c3", f"<{rdf}first>", f"<{AGR}isPartOf>"),
             ("_:c3", f"<{rdf}rest>", f"<{rdf}nil>"),
             (f"<{AGR}signedPart>", "<http://www.w3.org/2002/07/owl#propertyChainAxiom>",
              "_:c1")]
    with pytest.raises(UnsupportedAxiom, match="chains of two"):
        shards.sharded_closure(tbox | set(chain), [set()])


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


@pytest.mark.parametrize("source", ["seed", "synthetic"])
def test_both_reasoners_build_the_same_bytes(tmp_path: Path, source: str):
    """The sharded reasoner's build, document parts and shared part cut from every shard,
    equals the build owlrl's whole-graph closure gives, byte for byte."""
    data = DATA_DIR
    if source == "synthetic":
        data = tmp_path / "corpus"
        synth(12, data, 5)
    build(data, tmp_path / "fast", jobs=2)
    build(data, tmp_path / "owlrl", reasoner="owlrl", jobs=2)
    for name in ("dataset.nq", "manifest.json", "names.sqlite"):
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
