"""The build: annotations -> RDF -> OWL 2 RL closure -> SHACL validation -> files and a store.

Each stage is a function over plain values; :func:`build` chains them and writes the output
directory atomically (into a temporary sibling, then swapped in), so a failed build never leaves
half-written output and never touches the previous one.
"""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.annotation import Annotation, read_annotation
from kg.errors import AnnotationError, ShapeViolation
from kg.namespace import AGR, GRAPHS, PREFIXES
from kg.ontology import DATA_DIR, load_ontology, load_shapes, schema_of
from kg.rdf import to_graphs
from kg.reason import owlrl_closure

Progress = Callable[[str], None]


@dataclass
class Dataset:
    """The four named graphs of a build."""

    ontology: Graph
    asserted: Graph
    evidence: Graph
    inferred: Graph

    def graphs(self) -> dict[str, Graph]:
        return {name: getattr(self, name) for name in GRAPHS}


@dataclass
class BuildReport:
    out: Path
    triples: dict[str, int]
    entities: dict[str, int]
    evidence_records: int
    documents: list[str]
    seconds: dict[str, float] = field(default_factory=dict)


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


def validate(dataset: Dataset, shapes: Graph) -> tuple[bool, Graph, list[str]]:
    """SHACL over asserted + inferred + evidence: ``(conforms, report, violation lines)``."""
    from pyshacl import validate as shacl

    data = Graph()
    for graph in (dataset.asserted, dataset.inferred, dataset.evidence):
        data += graph
    conforms, report, _ = shacl(data, shacl_graph=shapes, ont_graph=None, inference="none",
                                advanced=True, allow_warnings=True)
    return conforms, report, violation_lines(report)


def violation_lines(report: Graph) -> list[str]:
    sh = PREFIXES["sh"]
    lines = []
    for result in report.subjects(RDF.type, URIRef(sh + "ValidationResult")):
        focus = report.value(result, URIRef(sh + "focusNode"))
        path = report.value(result, URIRef(sh + "resultPath"))
        message = report.value(result, URIRef(sh + "resultMessage"))
        lines.append(f"{curie(focus)} {curie(path) if path else ''}: {message}".replace(" :", ":"))
    return sorted(lines)


def curie(term) -> str:
    text = str(term)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
    return f"<{text}>"


def make_dataset(annotations: list[Annotation], ontology: Graph,
                 progress: Progress = lambda _: None) -> Dataset:
    progress("rdf")
    asserted, evidence = to_graphs(annotations)
    progress("reason")
    inferred = owlrl_closure(ontology, asserted)
    return Dataset(ontology, asserted, evidence, inferred)


def build(source_dir: Path = DATA_DIR, out: Path | None = None,
          progress: Progress = lambda _: None) -> BuildReport:
    """Build the knowledge graph from ``source_dir`` (``sources/`` + ``annotations/``) into ``out``.

    Raises :class:`AnnotationError` for a bad annotation, :class:`InconsistentGraph` when the
    reasoner finds a contradiction and :class:`ShapeViolation` when SHACL shapes are violated;
    in every case nothing is written.
    """
    from kg.ontology import default_out

    out = out or default_out()
    clock: dict[str, float] = {}
    start = time.perf_counter()
    progress("parse")
    ontology = load_ontology()
    annotations = read_annotations(source_dir, schema_of(ontology))
    clock["parse"] = time.perf_counter() - start
    dataset = make_dataset(annotations, ontology, progress)
    clock["reason"] = time.perf_counter() - start - clock["parse"]
    progress("validate")
    conforms, _, lines = validate(dataset, load_shapes())
    if not conforms:
        raise ShapeViolation(f"{len(lines)} SHACL violation(s): " + " | ".join(lines[:5]))
    clock["validate"] = time.perf_counter() - start - sum(clock.values())
    progress("write")
    report = summarize(dataset, annotations, out)
    write(dataset, report, out)
    clock["write"] = time.perf_counter() - start - sum(clock.values())
    report.seconds = {k: round(v, 3) for k, v in clock.items()}
    return report


def summarize(dataset: Dataset, annotations: list[Annotation], out: Path) -> BuildReport:
    everything = dataset.asserted + dataset.inferred
    entities = Counter(
        curie(o) for s, o in everything.subject_objects(RDF.type)
        if str(o).startswith(AGR) and (s, RDF.type, o) in everything
    )
    records = sum(1 for _ in dataset.evidence.subjects(RDF.type, URIRef(AGR + "EvidenceRecord")))
    return BuildReport(
        out=out,
        triples={name: len(g) for name, g in dataset.graphs().items()},
        entities=dict(sorted(entities.items())),
        evidence_records=records,
        documents=[a.source.id for a in annotations],
    )


def nquads(dataset: Dataset) -> str:
    """The dataset as N-Quads, one line per quad, sorted: byte-identical for the same input."""
    lines = []
    for name, graph in dataset.graphs().items():
        suffix = f" <{GRAPHS[name]}> .\n"
        for s, p, o in graph:
            lines.append(f"{s.n3()} {p.n3()} {_nt(o)}{suffix}")
    return "".join(sorted(lines))


def _nt(term) -> str:
    """N-Triples form of a term (rdflib's n3() would use triple quotes for multi-line text)."""
    from rdflib import Literal

    if not isinstance(term, Literal):
        return term.n3()
    import pyoxigraph

    if term.language:
        return str(pyoxigraph.Literal(str(term), language=term.language))
    datatype = pyoxigraph.NamedNode(str(term.datatype)) if term.datatype else None
    return str(pyoxigraph.Literal(str(term), datatype=datatype))


def _turtle(graph: Graph) -> str:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True, replace=True)
    return graph.serialize(format="turtle")


def write(dataset: Dataset, report: BuildReport, out: Path) -> None:
    """Write dataset.nq, dataset.trig, graph.ttl, manifest.json and the query store into ``out``."""
    import pyoxigraph

    tmp = out.with_name(f".{out.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    quads = nquads(dataset)
    (tmp / "dataset.nq").write_text(quads, encoding="utf-8")
    store = pyoxigraph.Store(str(tmp / "store"))
    store.bulk_load(quads.encode("utf-8"), pyoxigraph.RdfFormat.N_QUADS)
    store.optimize()
    store.flush()
    del store
    merged = Graph()
    for graph in dataset.graphs().values():
        merged += graph
    (tmp / "graph.ttl").write_text(_turtle(merged), encoding="utf-8")
    parts = [f"@prefix {p}: <{ns}> ." for p, ns in PREFIXES.items()]
    for name, graph in dataset.graphs().items():
        body = "\n".join(line for line in _turtle(graph).splitlines()
                         if not line.startswith("@prefix"))
        parts.append(f"\n<{GRAPHS[name]}> {{\n{body.strip()}\n}}")
    (tmp / "dataset.trig").write_text("\n".join(parts) + "\n", encoding="utf-8")
    manifest = {
        "documents": report.documents,
        "triples": report.triples,
        "entities": report.entities,
        "evidence_records": report.evidence_records,
        "graphs": GRAPHS,
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
