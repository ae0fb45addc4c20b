"""The build: annotations -> RDF -> OWL 2 RL closure -> SHACL validation -> store and files.

Each stage is a function over plain values; :func:`build` chains them and writes the output
directory atomically (into a temporary sibling, then swapped in), so a failed build never leaves
half-written output and never touches the previous one.

Graphs are sets of triples of N-Triples term strings (:mod:`kg.nt`) rather than rdflib graphs:
a million triples then parse, reason, sort and load in well under a minute. Reasoning uses
:func:`kg.fastreason.closure` (or owlrl, the reference, with ``reasoner="owlrl"``); validation
checks the SHACL shapes compiled into Python predicates (:mod:`kg.validate`).
"""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.annotation import Annotation, read_annotation
from kg.errors import AnnotationError, KGError, ShapeViolation
from kg.namespace import AGR, GRAPHS, PREFIXES, RDF, curie
from kg.nt import Triple, from_rdflib, to_triples
from kg.ontology import DATA_DIR, load_ontology, load_shapes, schema_of
from kg.paths import QUERIES_DIR
from kg.queries import header_cache

Progress = Callable[[str], None]
REASONERS = ("fast", "owlrl")
TripleSet = set[Triple]


@dataclass
class Dataset:
    """The four named graphs of a build, each a set of N-Triples term triples."""

    ontology: TripleSet
    asserted: TripleSet
    evidence: TripleSet
    inferred: TripleSet

    def graphs(self) -> dict[str, TripleSet]:
        return {name: getattr(self, name) for name in GRAPHS}


@dataclass
class BuildReport:
    out: Path
    triples: dict[str, int]
    entities: dict[str, int]
    evidence_records: int
    documents: list[str]
    seconds: dict[str, float] = field(default_factory=dict)


class UnknownReasoner(KGError):
    """A reasoner other than the ones :data:`REASONERS` names was asked for."""


def read_annotations(source_dir: Path, schema) -> list[Annotation]:
    """Every ``annotations/*.yaml`` under ``source_dir``, each with its ``sources/`` text."""
    files = sorted((source_dir / "annotations").glob("*.yaml"))
    if not files:
        raise AnnotationError(f"{source_dir}/annotations: no *.yaml annotation files; "
                              "see the README's 'Annotating a document'")
    annotations = [read_annotation(path, source_dir / "sources", schema) for path in files]
    seen: dict[str, Path] = {}
    for a in annotations:
        if a.source.sha256 in seen:
            raise AnnotationError(f"{a.path}: annotates the same text as {seen[a.source.sha256]}; "
                                  "keep one annotation per document")
        seen[a.source.sha256] = a.path
    return annotations


def validate(dataset: Dataset, shapes) -> list[str]:
    """The SHACL shapes (an rdflib graph) over asserted + inferred + evidence: one line per
    violation, none when the dataset conforms."""
    from kg.validate import DATA_GRAPHS, Data, check, compile_shapes

    graphs = dataset.graphs()
    return check(Data(t for name in DATA_GRAPHS for t in graphs[name]), compile_shapes(shapes))


def ontology_triples(ontology) -> TripleSet:
    """The ontology (an rdflib graph) as N-Triples term triples."""
    return {(from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in ontology}


def reason(ontology: TripleSet, asserted: TripleSet, reasoner: str = "fast") -> TripleSet:
    """The inferred graph: what OWL 2 RL adds to ontology + asserted, less owlrl's noise."""
    if reasoner == "fast":
        from kg.fastreason import closure

        return closure(ontology, asserted)
    if reasoner == "owlrl":
        from kg.nt import graph_of
        from kg.reason import owlrl_closure

        return ontology_triples(owlrl_closure(graph_of(ontology), graph_of(asserted)))
    raise UnknownReasoner(f"unknown reasoner {reasoner!r}; use one of {', '.join(REASONERS)}")


def make_dataset(annotations: list[Annotation], ontology, progress: Progress = lambda _: None,
                 reasoner: str = "fast") -> Dataset:
    """The four graphs for ``annotations``; ``ontology`` is an rdflib graph or a triple set."""
    tbox = ontology if isinstance(ontology, set | frozenset) else ontology_triples(ontology)
    asserted, evidence = to_triples(annotations)
    progress("reason")
    return Dataset(set(tbox), asserted, evidence, reason(tbox, asserted, reasoner))


class _Stages:
    """Passes each stage name on to ``progress`` and times every stage until the next begins."""

    def __init__(self, progress: Progress):
        self.progress, self.seconds = progress, {}
        self._stage: str | None = None
        self._start = 0.0

    def __call__(self, stage: str) -> None:
        self.stop()
        self.progress(stage)
        self._stage, self._start = stage, time.perf_counter()

    def stop(self) -> None:
        if self._stage is not None:
            self.seconds[self._stage] = round(time.perf_counter() - self._start, 3)
            self._stage = None


def build(source_dir: Path = DATA_DIR, out: Path | None = None,
          progress: Progress = lambda _: None, reasoner: str = "fast") -> BuildReport:
    """Build the knowledge graph from ``source_dir`` (``sources/`` + ``annotations/``) into ``out``.

    Raises :class:`AnnotationError` for a bad annotation, :class:`InconsistentGraph` when the
    reasoner finds a contradiction and :class:`ShapeViolation` when SHACL shapes are violated;
    in every case nothing is written. ``report.seconds`` times the stages parse, reason,
    validate, store and serialise.
    """
    from kg.paths import default_out

    if reasoner not in REASONERS:
        raise UnknownReasoner(f"unknown reasoner {reasoner!r}; use one of {', '.join(REASONERS)}")
    out = out or default_out()
    stages = _Stages(progress)
    stages("parse")
    ontology = load_ontology()
    annotations = read_annotations(source_dir, schema_of(ontology))
    dataset = make_dataset(annotations, ontology, stages, reasoner)
    report = summarize(dataset, annotations, out)
    write(dataset, report, out, shapes=load_shapes(), progress=stages)
    stages.stop()
    report.seconds = stages.seconds
    return report


def summarize(dataset: Dataset, annotations: list[Annotation], out: Path) -> BuildReport:
    rdf_type, ours = f"<{RDF}type>", f"<{AGR}"
    entities = Counter(
        curie(o[1:-1]) for graph in (dataset.asserted, dataset.inferred)
        for _, p, o in graph if p == rdf_type and o.startswith(ours)
    )
    record = f"<{AGR}EvidenceRecord>"
    records = sum(1 for _, p, o in dataset.evidence if p == rdf_type and o == record)
    return BuildReport(
        out=out,
        triples={name: len(g) for name, g in dataset.graphs().items()},
        entities=dict(sorted(entities.items())),
        evidence_records=records,
        documents=[a.source.id for a in annotations],
    )


def _lines(triples: TripleSet, graph: str = "") -> list[str]:
    suffix = f" <{graph}> .\n" if graph else " .\n"
    return sorted(f"{s} {p} {o}{suffix}" for s, p, o in triples)


def nquads(dataset: Dataset) -> str:
    """The dataset as N-Quads, one line per quad, sorted: byte-identical for the same input."""
    lines = []
    for name, graph in dataset.graphs().items():
        lines += _lines(graph, GRAPHS[name])
    lines.sort()
    return "".join(lines)


def _serialise(dataset: Dataset, tmp: Path) -> None:
    """graph.ttl (everything merged) and dataset.trig (one block per named graph), sorted."""
    import pyoxigraph

    fmt = pyoxigraph.RdfFormat
    merged = set().union(*dataset.graphs().values())
    triples = pyoxigraph.parse("".join(_lines(merged)).encode("utf-8"), format=fmt.N_TRIPLES)
    pyoxigraph.serialize(triples, str(tmp / "graph.ttl"), fmt.TURTLE, prefixes=PREFIXES)

    def quads():
        for name, graph in dataset.graphs().items():
            g = pyoxigraph.NamedNode(GRAPHS[name])
            text = "".join(_lines(graph)).encode("utf-8")
            for t in pyoxigraph.parse(text, format=fmt.N_TRIPLES):
                yield pyoxigraph.Quad(t.subject, t.predicate, t.object, g)

    pyoxigraph.serialize(quads(), str(tmp / "dataset.trig"), fmt.TRIG, prefixes=PREFIXES)


def write(dataset: Dataset, report: BuildReport, out: Path, shapes=None,
          progress: Progress = lambda _: None) -> None:
    """Write dataset.nq, the query store, dataset.trig, graph.ttl and manifest.json into ``out``.

    With ``shapes`` (an rdflib graph of SHACL shapes) the dataset is validated first:
    :class:`ShapeViolation` leaves the previous output untouched. ``progress`` is told when the
    validate, store and serialise stages begin.
    """
    import pyoxigraph

    tmp = out.with_name(f".{out.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        if shapes is not None:
            progress("validate")
            lines = validate(dataset, shapes)
            if lines:
                raise ShapeViolation(f"{len(lines)} SHACL violation(s): " + " | ".join(lines[:5]))
        progress("store")
        (tmp / "dataset.nq").write_text(nquads(dataset), encoding="utf-8")
        store = pyoxigraph.Store(str(tmp / "store"))
        store.bulk_load(path=str(tmp / "dataset.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
        store.optimize()
        store.flush()
        del store
        progress("serialise")
        _serialise(dataset, tmp)
        manifest = {
            "documents": report.documents,
            "triples": report.triples,
            "entities": report.entities,
            "evidence_records": report.evidence_records,
            "graphs": GRAPHS,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        headers = header_cache(QUERIES_DIR)
        (tmp / "query-headers.json").write_text(json.dumps(headers, sort_keys=True) + "\n")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
