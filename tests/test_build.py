"""The built seed graph: compared as a graph with the reviewed expected graphs, deterministic,
with each kind of inference visible on the real data."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import RDF, XSD

import kg
from kg.builder import build
from kg.namespace import GRAPHS, PREFIXES
from support import DATA, EXPECTED, agr, iid, rdf_dataset, written


@pytest.fixture(scope="module")
def dataset(built: Path):
    return rdf_dataset(built)


@pytest.mark.parametrize("name", ["asserted", "inferred"])
def test_graph_matches_the_reviewed_expected_graph(dataset, name: str, regenerate: bool):
    actual = dataset.graphs()[name]
    if regenerate:
        for prefix, ns in PREFIXES.items():
            actual.bind(prefix, ns, override=True, replace=True)
        (EXPECTED / f"{name}.ttl").write_text(actual.serialize(format="turtle"), "utf-8")
        pytest.skip(f"rewrote tests/expected/{name}.ttl: review it with git diff")
    expected = Graph().parse(EXPECTED / f"{name}.ttl")
    if not isomorphic(actual, expected):
        _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        pytest.fail(f"{name} differs from tests/expected/{name}.ttl: "
                    f"missing {sorted(missing)[:5]} extra {sorted(extra)[:5]}")


def test_two_builds_are_byte_identical(built: Path, tmp_path: Path):
    again = tmp_path / "again"
    build(DATA, again)
    assert written(built) == written(again)
    assert {"dataset.nq", "manifest.json", "names.sqlite", "cache/index.json"} <= set(
        written(again))


def test_outputs_agree_with_each_other(built: Path, dataset):
    """The exports kg export makes on demand (TriG, Turtle) hold the dataset."""
    from rdflib import Dataset

    from kg.stores.export import ExportFormat, export

    merged = Graph().parse(data=b"".join(export(built, ExportFormat.ttl)), format="turtle")
    union = Graph()
    for graph in dataset.graphs().values():
        union += graph
    assert isomorphic(merged, union)
    trig = Dataset()
    trig.parse(data=b"".join(export(built, ExportFormat.trig)), format="trig")
    for name, iri in GRAPHS.items():
        assert isomorphic(trig.graph(URIRef(iri)), dataset.graphs()[name]), name
    manifest = json.loads((built / "manifest.json").read_text())
    assert manifest["triples"] == {n: len(g) for n, g in dataset.graphs().items()}


def test_graphs_are_kept_apart(dataset):
    asserted, inferred = dataset.asserted, dataset.inferred
    assert not set(asserted) & set(inferred)
    assert not set(dataset.ontology) & set(inferred)
    # no owlrl noise: literal subjects, blank nodes, reflexive sameAs, owl:Thing typing
    for s, p, o in inferred:
        assert isinstance(s, URIRef) and not isinstance(o, type(None))
        assert not (p == URIRef("http://www.w3.org/2002/07/owl#sameAs") and s == o)
        assert o != URIRef("http://www.w3.org/2002/07/owl#Thing")
    # no blank nodes anywhere in the data
    for graph in (asserted, inferred, dataset.evidence):
        for triple in graph:
            assert all(isinstance(t, URIRef | Literal) for t in triple), triple


SIGNERS = {"george-freeman": "united-kingdom", "nakatani-shinichi": "japan"}
IA = iid("uk-japan-science-and-technology-implementing-arrangement-2023")
AGREEMENT = iid("uk-japan-science-and-technology-agreement-for-the-21st-century")


def test_signing_makes_signers_signatories_and_participants_not_parties(dataset):
    asserted, inferred = dataset.asserted, dataset.inferred
    for person, state in SIGNERS.items():
        # stated: only the signature events; the rest is derived
        assert (iid(person), agr("signed"), IA) not in asserted
        assert (iid(person), agr("signed"), IA) in inferred  # property chain
        assert (IA, agr("signedBy"), iid(person)) in inferred  # inverse of the chain
        assert (iid(person), RDF.type, agr("Signer")) in inferred  # defined class
        assert (iid(state), agr("signatoryTo"), IA) in inferred  # chain via onBehalfOf
        assert (iid(state), agr("participantIn"), IA) in inferred  # chain via actingParty
        assert (iid(state), RDF.type, agr("Signatory")) in inferred
    # a non-binding instrument has participants, not parties: nobody consented to anything
    everything = set(asserted) | set(inferred)
    assert not any(p in (agr("partyTo"), agr("hasParty")) for _, p, _ in everything)
    assert not any(o == agr("Party") for _, _, o in everything)
    assert (IA, RDF.type, agr("NonBindingAgreement")) in inferred  # subclass
    assert (IA, RDF.type, agr("Agreement")) in inferred


def test_the_older_agreement_has_its_stated_participants_and_an_undated_renewal(dataset):
    for state in SIGNERS.values():
        assert (iid(state), agr("participantIn"), AGREEMENT) in dataset.asserted
    renewal = iid("renewal-of-the-uk-japan-agreement-for-the-21st-century")
    assert (renewal, agr("eventOf"), AGREEMENT) in dataset.asserted
    assert not [t for t in dataset.asserted.triples((renewal, None, None))
                if str(t[1]).endswith(("onDate", "inMonth", "inYear"))]


def test_every_stated_fact_says_how_firmly(dataset):
    """Each record read from the text has a modality; hedged and reported ones are marked."""
    from rdflib import URIRef

    ev = dataset.evidence
    modal = {m: set(ev.subjects(agr("modality"), agr(m)))
             for m in ("Asserted", "Hedged", "ReportedSpeech")}
    assert len(modal["Hedged"]) == 2 and len(modal["ReportedSpeech"]) == 3
    for record in ev.subjects(RDF.type, agr("EvidenceRecord")):
        curated = (record, agr("evidenceKind"), agr("Curated")) in ev
        assert curated == (not any(record in r for r in modal.values())), record
    activity = iid("annotation/uk-japan-science-technology-agreement-2023")
    assert (activity, URIRef("http://www.w3.org/ns/prov#wasAssociatedWith"),
            iid("agent/agreements-kg-curators")) in ev


def test_transitive_and_symmetric_relations_show_on_the_data(dataset):
    inferred = dataset.inferred
    assert (iid("sendai"), agr("locatedIn"), iid("asia-pacific")) in inferred
    assert (iid("japan-science-and-technology-agency"), agr("partnerOf"),
            iid("uk-research-and-innovation")) in inferred


def test_dates_and_money_are_typed(dataset):
    g = dataset.asserted
    signature = iid("signature-freeman-2023-05-15")
    assert (signature, agr("onDate"), Literal("2023-05-15", datatype=XSD.date)) in g
    investment = iid("uk-investment-in-hyper-kamiokande-2022")
    assert (investment, agr("amount"), Literal("15500000.0", datatype=XSD.decimal)) in g
    assert (investment, agr("currency"), Literal("GBP")) in g


def test_every_asserted_triple_has_evidence(dataset):
    ev = dataset.evidence
    supported = {
        (ev.value(st, RDF.subject), ev.value(st, RDF.predicate), ev.value(st, RDF.object))
        for st in ev.subjects(RDF.type, RDF.Statement)
    }
    assert set(dataset.asserted) <= supported


def test_built_graph_conforms_to_the_shapes(built: Path):
    assert kg.Graph(built).validate() == []


def test_schema_closure_cache_gives_owlrls_answer(tmp_path: Path, monkeypatch):
    """The on-disk cache of the schema closure returns exactly what owlrl computes, and a
    damaged cache file is recomputed rather than trusted."""
    from kg.builder.ontology import load_ontology
    from kg.reason.reference import closed_schema
    from kg.terms import triples_of

    monkeypatch.setenv("KG_CACHE", str(tmp_path))
    schema = frozenset(triples_of(load_ontology()))
    fresh = closed_schema(schema)
    (cached,) = tmp_path.glob("schema-closure-*.json")
    assert closed_schema(schema) == fresh
    cached.write_text("[not json")
    assert closed_schema(schema) == fresh
    assert json.loads(cached.read_text())  # rewritten


def _fails(path: Path) -> None:
    raise OSError(28, "No space left on device", str(path))


def test_a_file_written_beside_the_build_reports_its_failure(tmp_path: Path):
    """The name index is written by a forked process: its failure reaches the build as an
    OSError with the child's message (which the build turns into its one-line error)."""
    from kg.builder.write import _Forked

    done = _Forked("a file", Path.write_text, tmp_path / "ok.txt", "written")
    done.join()
    assert (tmp_path / "ok.txt").read_text() == "written"
    failed = _Forked("the name index", _fails, tmp_path / "names.sqlite")
    with pytest.raises(OSError, match=r"the name index was not written: .*No space left"):
        failed.join()
    killed = _Forked("the name index", os._exit, 3)  # dies before it can say anything
    with pytest.raises(OSError, match="the name index was not written: no message, exit code 3"):
        killed.join()


class _CtrlC(Exception):
    pass


@pytest.fixture
def ctrl_c():
    """SIGINT raises _CtrlC here (pytest keeps KeyboardInterrupt for itself); send() sends
    one to this process. A second thread is alive meanwhile, as in a build, so the kernel may
    hand the signal to either."""
    import signal
    import threading

    def raise_it(signum, frame):
        raise _CtrlC

    before = signal.signal(signal.SIGINT, raise_it)
    done = threading.Event()
    other = threading.Thread(target=done.wait)
    other.start()
    yield lambda: os.kill(os.getpid(), signal.SIGINT)
    done.set()
    other.join()
    signal.signal(signal.SIGINT, before)


def test_a_ctrl_c_during_the_swap_comes_after_it(tmp_path: Path, ctrl_c, monkeypatch):
    """A Ctrl-C while a build's folder is swapped in waits for the swap: the folder is whole,
    nothing is left beside it, and the interrupt is raised after."""
    from kg import output

    listed = output._files

    def interrupted(folder):
        ctrl_c()
        return listed(folder)

    monkeypatch.setattr(output, "_files", interrupted)
    with pytest.raises(_CtrlC):
        with output.staged(tmp_path / "out", "synth") as stage:
            (stage / "a.txt").write_text("new")
    monkeypatch.setattr(output, "_files", listed)
    assert (tmp_path / "out" / "a.txt").read_text() == "new"
    assert output.marker(tmp_path / "out")["files"] == ["a.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_ctrl_c_while_a_failed_stage_is_deleted_deletes_it_all(tmp_path: Path, ctrl_c,
                                                                  monkeypatch):
    from kg import output

    remove = output.shutil.rmtree

    def interrupted(path, **kwargs):
        ctrl_c()
        remove(path, **kwargs)

    monkeypatch.setattr(output.shutil, "rmtree", interrupted)
    with pytest.raises(_CtrlC):
        with output.staged(tmp_path / "out", "synth") as stage:
            for n in range(50):
                (stage / f"{n}.txt").write_text("half")
            raise _CtrlC
    monkeypatch.setattr(output.shutil, "rmtree", remove)
    assert list(tmp_path.iterdir()) == []


def test_an_abandoned_store_load_is_over_when_abandon_returns(tmp_path: Path):
    """After a failure or a Ctrl-C, a small build's in-process loader stops writing into the
    staging folder before that folder is deleted: nothing reappears once it is gone."""
    import shutil
    import time

    from kg.builder.write import _Filling

    nq = tmp_path / "data.nq"
    nq.write_text("".join(f"<http://x.org/s{n}> <http://x.org/p> \"{n}\" <http://x.org/g> .\n"
                          for n in range(200_000)), encoding="utf-8")
    store = tmp_path / "store"
    filling = _Filling(str(store), 1)  # every range is loaded at once, in a thread
    filling.add((str(nq), 0, nq.stat().st_size))
    loads = list(filling.running)
    assert loads and not loads[0].done()
    filling.abandon()
    assert all(load.done() for load in loads) and not hasattr(filling, "store")
    shutil.rmtree(store)
    time.sleep(0.5)
    assert not store.exists()
