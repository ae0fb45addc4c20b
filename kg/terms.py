"""RDF terms as N-Triples strings: the one codec the build, the reasoner and the checks share.

The build holds graphs as Python sets of triples of N-Triples term strings (``'<iri>'``,
``'"text"@en'``, ``'"1.5"^^<...#decimal>'``): hashing short strings is far cheaper than building
rdflib terms, and sorted N-Triples lines are the build's output anyway. Every term is written as
pyoxigraph writes it (RDF 1.1 canonical N-Triples: no ``^^xsd:string``, lower-case language
tags), so the same input always gives the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

Triple = tuple[str, str, str]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_PLAIN = re.compile(r'[^"\\\x00-\x1f\x7f]*')
_LITERAL = re.compile(r'^"(.*)"(?:@([^@"]+)|\^\^<([^>]*)>)?$', re.DOTALL)


class Literal(NamedTuple):
    """A literal's parts: its lexical form (unescaped), datatype IRI (None for a plain or
    language-tagged string) and language tag."""

    value: str
    datatype: str | None
    lang: str | None


def iri(value: str) -> str:
    """``<value>``: the N-Triples form of an IRI."""
    return f"<{value}>"


def literal(value: str, datatype: str | None = None, lang: str | None = None) -> str:
    """The canonical N-Triples form of a literal.

    >>> literal("15500000", "http://www.w3.org/2001/XMLSchema#decimal")
    '"15500000"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    >>> literal("Japan", lang="EN"), literal('say "hi"')
    ('"Japan"@en', '"say \\\\"hi\\\\""')
    """
    text = f'"{value}"' if _PLAIN.fullmatch(value) else _escaped(value)
    if lang:
        return f"{text}@{_lang(lang)}"
    if datatype and datatype != XSD_STRING:
        return f"{text}^^<{datatype}>"
    return text


def _escaped(value: str) -> str:
    import pyoxigraph

    return str(pyoxigraph.Literal(value))


@lru_cache(maxsize=256)
def _lang(tag: str) -> str:
    import pyoxigraph

    return str(pyoxigraph.Literal("", language=tag))[3:]


def is_literal(term: str) -> bool:
    return term.startswith('"')


@lru_cache(maxsize=1 << 16)
def parse_literal(term: str) -> Literal:
    """The parts of an N-Triples literal.

    >>> parse_literal('"a\\\\"b"@en')
    Literal(value='a"b', datatype=None, lang='en')
    """
    match = _LITERAL.match(term)
    if match is None:
        raise ValueError(f"not an N-Triples literal: {term!r}")
    value, lang, datatype = match.groups()
    if "\\" in value:
        value = json.loads(f'"{value}"')  # N-Triples escapes are a subset of JSON's
    return Literal(value, datatype, lang)


def from_rdflib(node) -> str:
    """The N-Triples form of an rdflib term (blank nodes keep their labels)."""
    from rdflib import BNode
    from rdflib import Literal as RdflibLiteral

    if isinstance(node, RdflibLiteral):
        return literal(str(node), str(node.datatype) if node.datatype else None, node.language)
    if isinstance(node, BNode):
        return f"_:{node}"
    return f"<{node}>"


@lru_cache(maxsize=1 << 20)
def to_rdflib(text: str):
    """The rdflib term of an N-Triples term string (inverse of :func:`from_rdflib`)."""
    from rdflib import BNode, URIRef
    from rdflib import Literal as RdflibLiteral

    if text.startswith("<"):
        return URIRef(text[1:-1])
    if text.startswith("_:"):
        return BNode(text[2:])
    value, datatype, lang = parse_literal(text)
    if lang:
        return RdflibLiteral(value, lang=lang)
    return RdflibLiteral(value, datatype=URIRef(datatype) if datatype else None)


def graph_of(triples: Iterable[Triple]):
    """An rdflib Graph of N-Triples term triples (for owlrl and the tests)."""
    from rdflib import Graph

    graph = Graph()
    for s, p, o in triples:
        graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return graph


def triples_of(graph) -> set[Triple]:
    """The N-Triples term triples of an rdflib graph (inverse of :func:`graph_of`)."""
    return {(from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in graph}


def lines(triples: Iterable[Triple], graph: str = "") -> list[str]:
    """Sorted N-Triples (or, with a ``graph`` IRI, N-Quads) lines."""
    suffix = f" <{graph}> .\n" if graph else " .\n"
    return sorted(f"{s} {p} {o}{suffix}" for s, p, o in triples)
