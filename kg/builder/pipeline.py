"""The build: annotations -> RDF -> OWL 2 RL closure -> SHACL validation -> a build folder.

Each stage is a function over plain values; :func:`build` chains them. Nothing is written until
every check has passed, and then the output folder is swapped in atomically
(:func:`kg.output.staged`), so a failed or interrupted build never leaves half-written output
and never touches the previous one.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.builder.annotation import Annotation, drafts, read_annotation
from kg.errors import AnnotationError, InconsistentGraph, ShapeViolation
from kg.namespace import AGR, GRAPHS, RDF, curie
from kg.resources import DEFAULT_DATA, default_build
from kg.terms import Triple

Progress = Callable[[str], None]
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
    """What a build wrote: per-graph and per-class counts, documents, stage timings."""

    out: Path
    triples: dict[str, int]
    entities: dict[str, int]
    evidence_records: int
    documents: list[str]
    drafts: int = 0  # items still marked review: draft, built as draft evidence
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.triples.values())


def read_annotations(source_dir: Path, schema, include_drafts: bool = False
                     ) -> list[Annotation]:
    """Every ``annotations/*.yaml`` under ``source_dir``, each with its ``sources/`` text.

    Refuses items still marked ``review: draft`` (what ``kg extract`` proposed and no curator
    has checked), saying how many and where, unless ``include_drafts``.
    """
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
    unreviewed = drafts(annotations)
    if unreviewed and not include_drafts:
        more = f" and {len(unreviewed) - 5} more" if len(unreviewed) > 5 else ""
        raise AnnotationError(
            f"{len(unreviewed)} item(s) still marked 'review: draft' ({', '.join(unreviewed[:5])}"
            f"{more}): check each against its quote and delete the line, or build with "
            "--include-drafts to keep them as draft evidence")
    return annotations


def make_dataset(annotations: list[Annotation], tbox: TripleSet, reasoner: str = "fast",
                 progress: Progress = lambda _: None) -> Dataset:
    """The four graphs for ``annotations`` over the ontology ``tbox`` (N-Triples triples).

    Raises :class:`InconsistentGraph` naming the annotation lines behind a contradiction.
    """
    from kg.builder.evidence import to_triples
    from kg.reason import infer

    asserted, evidence = to_triples(annotations)
    progress("reason")
    try:
        inferred = infer(tbox, asserted, reasoner)
    except InconsistentGraph as exc:
        raise InconsistentGraph(_located(str(exc), annotations)) from None
    return Dataset(set(tbox), asserted, evidence, inferred)


def _located(message: str, annotations: list[Annotation]) -> str:
    """An inconsistency message with CURIEs and the annotation lines of the entities in it."""
    named = set(re.findall(r"https?://[^\s,;)'\"]+", message))
    where = sorted({f.where for a in annotations for f in a.facts
                    if f.subject in named or (f.object.is_iri and f.object.value in named)},
                   key=lambda w: (w.rsplit(":", 1)[0], int(w.rsplit(":", 1)[1] or 0)))
    for iri in sorted(named, key=len, reverse=True):
        message = message.replace(iri, curie(iri).strip("<>") if curie(iri)[0] != "<" else iri)
    more = f" (and {len(where) - 6} more)" if len(where) > 6 else ""
    return f"{message}; see {', '.join(where[:6])}{more}" if where else message


def validate(dataset: Dataset, shapes) -> list[str]:
    """The SHACL shapes (an rdflib graph) over asserted + inferred + evidence: one line per
    violation, none when the dataset conforms."""
    from kg.builder.shapes import DATA_GRAPHS
    from kg.builder.shapes import validate as check

    graphs = dataset.graphs()
    return check((t for name in DATA_GRAPHS for t in graphs[name]), shapes)


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


def build(data: Path = DEFAULT_DATA, out: Path | None = None, *,
          progress: Progress = lambda _: None, reasoner: str = "fast",
          include_drafts: bool = False) -> BuildReport:
    """Build the knowledge graph from ``data`` (``sources/`` + ``annotations/``) into ``out``
    (default ``$KG_BUILD`` or ``./kg-build``).

    Raises :class:`AnnotationError` for a bad annotation, :class:`InconsistentGraph` when the
    reasoner finds a contradiction, :class:`ShapeViolation` when SHACL shapes are violated and
    :class:`OutputError` when ``out`` is not a folder the build may write (not empty and not an
    earlier build, inside the data folder, locked by another build) or cannot be written; in
    every case nothing is changed. Items still marked ``review: draft`` are refused
    (:class:`AnnotationError`) unless ``include_drafts``; then their evidence records are typed
    ``agr:DraftEvidenceRecord`` and ``report.drafts`` counts them. ``report.seconds`` times the
    stages.
    """
    from kg import output
    from kg.builder.ontology import load_ontology, load_shapes, schema_of, shapes_text
    from kg.builder.write import write
    from kg.reason import check_reasoner
    from kg.terms import triples_of

    check_reasoner(reasoner)
    out = Path(out) if out is not None else default_build()
    data = Path(data)
    stages = _Stages(progress)
    with output.staged(out, "build", [data]) as stage:  # claimed first: one build at a time
        stages("parse")
        ontology = load_ontology()
        annotations = read_annotations(data, schema_of(ontology), include_drafts)
        dataset = make_dataset(annotations, triples_of(ontology), reasoner, stages)
        stages("validate")
        shapes = shapes_text()
        lines = validate(dataset, load_shapes(shapes))
        if lines:
            raise ShapeViolation(f"{len(lines)} SHACL violation(s): " + " | ".join(lines[:5]))
        report = summarize(dataset, annotations, out)
        write(dataset, report, stage, annotations, shapes, stages)
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
        drafts=len(drafts(annotations)),
    )
