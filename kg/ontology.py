"""The ontology and shapes read as rdflib graphs, and the schema annotations are checked against."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from kg.annotation import Schema
from kg.namespace import AGR
from kg.paths import DATA_DIR, ONTOLOGY_DIR, QUERIES_DIR, ROOT, default_out

__all__ = ["DATA_DIR", "QUERIES_DIR", "ROOT", "default_out", "load_ontology", "schema_of"]


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
