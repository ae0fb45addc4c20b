"""The compiled SHACL checks (kg.builder.shapes) flag the same focus nodes, paths and messages as
pySHACL, the reference, on the seed graph and on graphs broken one way at a time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

from kg.builder.ontology import load_ontology, load_shapes, schema_of
from kg.builder.pipeline import make_dataset, read_annotations
from kg.builder.shapes import DATA_GRAPHS, Data, check, compile_shapes
from kg.errors import UnsupportedShape
from kg.terms import graph_of, literal, triples_of
from reference_shacl import pyshacl_lines
from support import DATA as DATA_DIR

AGR = "https://w3id.org/agreements-kg/ontology#"
OA = "http://www.w3.org/ns/oa#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE = f"<{RDF}type>"
Triples = set[tuple[str, str, str]]


@pytest.fixture(scope="module")
def seed() -> Triples:
    ontology = load_ontology()
    dataset = make_dataset(read_annotations(DATA_DIR, schema_of(ontology)),
                           triples_of(ontology))
    return set().union(*(dataset.graphs()[name] for name in DATA_GRAPHS))


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def both(data: Triples, shapes: Graph) -> tuple[list[str], list[str]]:
    return pyshacl_lines(graph_of(data), shapes), check(Data(data), compile_shapes(shapes))


def first(data: Triples, p: str, o: str | None = None) -> tuple[str, str, str]:
    return sorted(t for t in data if t[1] == p and (o is None or t[2] == o))[0]


def _replace(data: Triples, old, new) -> Triples:
    return (data - {old}) | ({new} if new else set())


def drop_label(d):
    """Every label of a signature event, which must have one."""
    event = first(d, f"<{AGR}signer>")[0]
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    return {t for t in d if not (t[0] == event and t[1] == label)}


def two_signers(d):
    s, p, _ = first(d, f"<{AGR}signer>")
    return d | {(s, p, "<https://w3id.org/agreements-kg/id/someone-else>")}


def signer_not_a_person(d):
    s, p, o = first(d, f"<{AGR}signer>")
    return _replace(d, (s, p, o), (s, p, "<https://w3id.org/agreements-kg/id/japan>"))


def negative_amount(d):
    s, p, o = first(d, f"<{AGR}amount>")
    return _replace(d, (s, p, o), (s, p, literal("-5", XSD + "decimal")))


def lower_case_currency(d):
    s, p, o = first(d, f"<{AGR}currency>")
    return _replace(d, (s, p, o), (s, p, literal("gbp")))


def bad_checksum(d):
    s, p, o = first(d, f"<{AGR}sha256>")
    return _replace(d, (s, p, o), (s, p, literal("not-a-checksum")))


def unknown_evidence_kind(d):
    s, p, o = first(d, f"<{AGR}evidenceKind>", f"<{AGR}Stated>")
    return _replace(d, (s, p, o), (s, p, f"<{AGR}Guessed>"))


def stated_without_target(d):
    s, p, o = first(d, f"<{OA}hasTarget>")
    return _replace(d, (s, p, o), None)


def statement_without_subject(d):
    return _replace(d, first(d, f"<{RDF}subject>"), None)


def body_not_a_statement(d):
    return _replace(d, first(d, TYPE, f"<{RDF}Statement>"), None)


def start_after_end(d):
    s, p, o = first(d, f"<{OA}start>")
    return _replace(d, (s, p, o), (s, p, literal("999999", XSD + "nonNegativeInteger")))


def start_as_text(d):
    s, p, o = first(d, f"<{OA}start>")
    return _replace(d, (s, p, o), (s, p, literal("12")))


def two_quotes(d):
    s, p, _ = first(d, f"<{OA}exact>")
    return d | {(s, p, literal("another quote"))}


BREAKS: dict[str, Callable[[Triples], Triples]] = {f.__name__: f for f in (
    drop_label, two_signers, signer_not_a_person, negative_amount, lower_case_currency,
    bad_checksum, unknown_evidence_kind, stated_without_target, statement_without_subject,
    body_not_a_statement, start_after_end, start_as_text, two_quotes)}


def test_seed_graph_conforms_for_both(seed, shapes):
    assert both(seed, shapes) == ([], [])


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_broken_graph_is_flagged_alike(seed, shapes, name: str):
    reference, compiled = both(BREAKS[name](seed), shapes)
    assert compiled, f"{name}: nothing flagged"
    assert compiled == reference


def test_every_shape_compiles(shapes):
    checks = compile_shapes(shapes)
    assert len(checks) >= 20


def test_an_unsupported_feature_is_refused(tmp_path: Path):
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:property [ sh:path <urn:p> ; sh:qualifiedMinCount 1 ] .
    """, format="turtle")
    with pytest.raises(UnsupportedShape, match="qualifiedMinCount"):
        compile_shapes(shapes)
