"""Facts -> RDF as N-Triples term strings: the fast twin of :mod:`kg.rdf`.

The build works on triples of N-Triples terms (``'<iri>'``, ``'"text"@en'``, ...) held in Python
sets: hashing short strings is far cheaper than building rdflib terms, and sorted N-Triples lines
are the build's output format anyway. Each term is written exactly as pyoxigraph writes it
(RDF 1.1 canonical N-Triples: no ``^^xsd:string``, lower-case language tags), so the same input
always gives the same bytes. tests/test_reasoning_diff.py checks that these triples are the
graphs :func:`kg.rdf.to_graphs` makes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from kg.annotation import Annotation, Fact, Source, Term
from kg.namespace import AGR, DCTERMS, OA, PROV, RDF, XSD
from kg.rdf import evidence_iri

Triple = tuple[str, str, str]

_PLAIN = re.compile(r'[^"\\\x00-\x1f\x7f]*')
_XSD_STRING = XSD + "string"


def iri(value: str) -> str:
    """``<value>``: the N-Triples form of an IRI."""
    return f"<{value}>"


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    """The canonical N-Triples form of a literal (as pyoxigraph writes it).

    >>> literal("15500000", "http://www.w3.org/2001/XMLSchema#decimal")
    '"15500000"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    >>> literal("Japan", lang="EN"), literal('say "hi"')
    ('"Japan"@en', '"say \\\\"hi\\\\""')
    """
    text = f'"{value}"' if _PLAIN.fullmatch(value) else _escaped(value)
    if lang:
        return f"{text}@{_lang(lang)}"
    if datatype and datatype != _XSD_STRING:
        return f"{text}^^<{datatype}>"
    return text


def _escaped(value: str) -> str:
    import pyoxigraph

    return str(pyoxigraph.Literal(value))


@lru_cache(maxsize=256)
def _lang(tag: str) -> str:
    import pyoxigraph

    return str(pyoxigraph.Literal("", language=tag))[3:]


def term(t: Term) -> str:
    if t.is_iri:
        return f"<{t.value}>"
    return literal(t.value, t.datatype, t.lang)


_TYPE = iri(RDF + "type")
_A = {name: iri(AGR + name) for name in ("SourceDocument", "sha256", "EvidenceRecord",
                                         "evidenceKind", "provenanceNote")}
_OA = {name: iri(OA + name) for name in ("hasBody", "hasTarget", "SpecificResource", "hasSource",
                                         "hasSelector", "TextQuoteSelector", "exact", "prefix",
                                         "suffix", "TextPositionSelector", "start", "end")}
_DC = {name: iri(DCTERMS + name) for name in ("title", "identifier", "publisher", "issued",
                                              "source")}
_DERIVED = iri(PROV + "wasDerivedFrom")
_STATEMENT = iri(RDF + "Statement")
_SUBJECT, _PREDICATE, _OBJECT = (iri(RDF + n) for n in ("subject", "predicate", "object"))
_NNI = XSD + "nonNegativeInteger"


def source_triples(source: Source) -> Iterator[Triple]:
    """The source document's metadata (as :func:`kg.rdf.source_triples`)."""
    doc = iri(source.iri)
    yield doc, _TYPE, _A["SourceDocument"]
    yield doc, _DC["title"], literal(source.title, lang="en")
    yield doc, _A["sha256"], literal(source.sha256)
    yield doc, _DC["identifier"], literal(source.id)
    if source.publisher:
        yield doc, _DC["publisher"], literal(str(source.publisher))
    if source.issued:
        yield doc, _DC["issued"], literal(source.issued, XSD + "date")
    if source.url:
        yield doc, _DC["source"], iri(str(source.url))


def evidence_triples(source: Source, fact: Fact) -> Iterator[Triple]:
    """One evidence record for ``fact`` (as :func:`kg.rdf.evidence_triples`)."""
    ev = evidence_iri(source, fact)
    node, statement = f"<{ev}>", f"<{ev}#statement>"
    yield node, _TYPE, _A["EvidenceRecord"]
    yield node, _OA["hasBody"], statement
    yield node, _A["evidenceKind"], f"<{AGR}{fact.kind}>"
    yield node, _DERIVED, f"<{source.iri}>"
    yield statement, _TYPE, _STATEMENT
    yield statement, _SUBJECT, f"<{fact.subject}>"
    yield statement, _PREDICATE, f"<{fact.predicate}>"
    yield statement, _OBJECT, term(fact.object)
    if fact.note:
        yield node, _A["provenanceNote"], literal(fact.note)
    if fact.span is None:
        return
    span = fact.span
    target, quote, position = f"<{ev}#target>", f"<{ev}#quote>", f"<{ev}#position>"
    yield node, _OA["hasTarget"], target
    yield target, _TYPE, _OA["SpecificResource"]
    yield target, _OA["hasSource"], f"<{source.iri}>"
    yield target, _OA["hasSelector"], quote
    yield target, _OA["hasSelector"], position
    yield quote, _TYPE, _OA["TextQuoteSelector"]
    yield quote, _OA["exact"], literal(span.exact)
    yield quote, _OA["prefix"], literal(span.prefix)
    yield quote, _OA["suffix"], literal(span.suffix)
    yield position, _TYPE, _OA["TextPositionSelector"]
    yield position, _OA["start"], literal(str(span.start), _NNI)
    yield position, _OA["end"], literal(str(span.end), _NNI)


def to_triples(annotations: Iterable[Annotation]) -> tuple[set[Triple], set[Triple]]:
    """``(asserted, evidence)`` as sets of N-Triples term triples (as :func:`kg.rdf.to_graphs`)."""
    asserted: set[Triple] = set()
    evidence: set[Triple] = set()
    for annotation in annotations:
        evidence.update(source_triples(annotation.source))
        for fact in annotation.facts:
            asserted.add((f"<{fact.subject}>", f"<{fact.predicate}>", term(fact.object)))
            evidence.update(evidence_triples(annotation.source, fact))
    return asserted, evidence


def from_rdflib(node) -> str:
    """The N-Triples form of an rdflib term (blank nodes keep their labels)."""
    from rdflib import BNode, Literal

    if isinstance(node, Literal):
        return literal(str(node), str(node.datatype) if node.datatype else None, node.language)
    if isinstance(node, BNode):
        return f"_:{node}"
    return f"<{node}>"


_LITERAL = re.compile(r'^"(.*)"(?:@([^@"]+)|\^\^<([^>]*)>)?$', re.DOTALL)


@lru_cache(maxsize=1 << 20)
def to_rdflib(text: str):
    """The rdflib term of an N-Triples term string (inverse of :func:`from_rdflib`)."""
    from rdflib import BNode, Literal, URIRef

    if text.startswith("<"):
        return URIRef(text[1:-1])
    if text.startswith("_:"):
        return BNode(text[2:])
    value, lang, datatype = _LITERAL.match(text).groups()
    if "\\" in value:
        import json

        value = json.loads(f'"{value}"')  # N-Triples escapes are a subset of JSON's
    if lang:
        return Literal(value, lang=lang)
    return Literal(value, datatype=URIRef(datatype) if datatype else None)


def graph_of(triples: Iterable[Triple]):
    """An rdflib Graph of N-Triples term triples (for tests and the owlrl reference path)."""
    from rdflib import Graph

    graph = Graph()
    for s, p, o in triples:
        graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return graph
