"""The ontology and the shapes, read as rdflib graphs, and the schema annotations are checked
against."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF

from kg.builder.annotation import Schema
from kg.namespace import AGR
from kg.resources import ONTOLOGY_DIR


def ontology_files(with_alignments: bool = True, folder: Path = ONTOLOGY_DIR) -> list[Path]:
    """The umbrella ontology, its modules and (by default) the alignments, in load order."""
    files = [folder / "agreements.ttl", *sorted((folder / "modules").glob("*.ttl"))]
    if with_alignments:
        files += sorted((folder / "alignments").glob("*.ttl"))
    return files


def shape_files(folder: Path = ONTOLOGY_DIR) -> list[Path]:
    return sorted((folder / "shapes").glob("*.ttl"))


def parse(files: list[Path]) -> Graph:
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
    for triple in to_canonical_graph(parse(ontology_files(with_alignments))):
        canonical.add(triple)
    return canonical


def shapes_text() -> str:
    """The SHACL shapes as one Turtle document (the shape files one after another)."""
    return "".join(path.read_text(encoding="utf-8") for path in shape_files())


def load_shapes(text: str | None = None) -> Graph:
    """The SHACL shapes (``text``, by default the ontology's) as an rdflib graph."""
    return Graph().parse(data=shapes_text() if text is None else text, format="turtle")


def schema_of(ontology: Graph, shapes: Graph | None = None) -> Schema:
    """What annotations may use: the ontology's classes, properties and individuals, and the
    datatype the SHACL shapes (by default the ontology's) require of each datatype property."""
    from kg.builder.shapes import datatypes

    required = datatypes(shapes if shapes is not None else load_shapes())

    def ours(term) -> bool:
        return str(term).startswith(AGR)

    classes = {str(c) for c in ontology.subjects(RDF.type, OWL.Class) if ours(c)}
    objects = {str(p) for p in ontology.subjects(RDF.type, OWL.ObjectProperty) if ours(p)}
    ranges = {str(p): required.get(str(p))
              for p in ontology.subjects(RDF.type, OWL.DatatypeProperty) if ours(p)}
    individuals = {str(i) for i in ontology.subjects(RDF.type, OWL.NamedIndividual) if ours(i)}
    return Schema(frozenset(classes), frozenset(objects), ranges, frozenset(individuals))
