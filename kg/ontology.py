"""Where the project's files live, and the ontology read as rdflib graphs."""

from __future__ import annotations

import os
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from kg.annotation import Schema
from kg.namespace import AGR

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
QUERIES_DIR = ROOT / "queries"
DATA_DIR = ROOT / "data"


def default_out() -> Path:
    """Where `kg build` writes and the read path reads: $KG_BUILD or build/ in the project."""
    return Path(os.environ.get("KG_BUILD") or ROOT / "build")


def ontology_files(with_alignments: bool = True) -> list[Path]:
    files = [ONTOLOGY_DIR / "agreements.ttl", *sorted((ONTOLOGY_DIR / "modules").glob("*.ttl"))]
    if with_alignments:
        files += sorted((ONTOLOGY_DIR / "alignments").glob("*.ttl"))
    return files


def _parse(files: list[Path]) -> Graph:
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


def load_ontology(with_alignments: bool = True) -> Graph:
    """The umbrella ontology and its modules (and alignments), as one rdflib graph.

    Blank nodes (restrictions, lists) get canonical labels, so the build's output does not
    depend on the labels a parser happens to choose.
    """
    from rdflib.compare import to_canonical_graph

    canonical = Graph()
    for triple in to_canonical_graph(_parse(ontology_files(with_alignments))):
        canonical.add(triple)
    return canonical


def load_shapes() -> Graph:
    return _parse(sorted((ONTOLOGY_DIR / "shapes").glob("*.ttl")))


def schema_of(ontology: Graph) -> Schema:
    """What annotations may use: the ontology's classes, properties and individuals."""

    def ours(term) -> bool:
        return str(term).startswith(AGR)

    classes = {str(c) for c in ontology.subjects(RDF.type, OWL.Class) if ours(c)}
    objects = {str(p) for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if ours(p)}
    ranges: dict[str, str | None] = {}
    for p in ontology.subjects(RDF.type, OWL.DatatypeProperty):
        if ours(p):
            rng = ontology.value(p, RDFS.range)
            ranges[str(p)] = str(rng) if rng is not None else None
    individuals = {str(i) for i in ontology.subjects(RDF.type, OWL.NamedIndividual) if ours(i)}
    return Schema(frozenset(classes), frozenset(objects), ranges, frozenset(individuals))
