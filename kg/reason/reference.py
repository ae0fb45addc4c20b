"""owlrl, the reference for what OWL 2 RL entails here: its closure, the noise filter applied to
it, and its closure of the schema alone, cached on disk for the fast rules.

The build uses the faster, equivalent :func:`kg.reason.rules.closure` (tests/test_reasoning_diff.py
proves them equal) unless asked for ``--reasoner owlrl``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from rdflib import Graph, URIRef

from kg.errors import InconsistentGraph
from kg.namespace import OWL, RDF, RDFS, XSD
from kg.terms import Triple, from_rdflib, graph_of, triples_of

_ERRNS = "http://www.daml.org/2002/03/agents/agent-ont#"
_AXIOMATIC = tuple(f"<{ns}" for ns in (RDF, RDFS, OWL, XSD, _ERRNS))
_REFLEXIVE_NOISE = {f"<{OWL}sameAs>", f"<{RDFS}subClassOf>", f"<{RDFS}subPropertyOf>",
                    f"<{OWL}equivalentClass>", f"<{OWL}equivalentProperty>"}
_TRIVIAL_TYPES = {f"<{OWL}Thing>", f"<{RDFS}Resource>", f"<{OWL}topObjectProperty>"}
_TYPE = f"<{RDF}type>"


def is_noise(s: str, p: str, o: str) -> bool:
    """True for a triple (N-Triples terms) of an OWL 2 RL closure that carries no information
    about the data.

    These are axiomatic triples (about RDF, RDFS, OWL and XSD terms), triples with a literal or
    blank-node subject (owlrl's literal proxies, restriction plumbing), reflexive ``owl:sameAs``,
    ``rdfs:subClassOf`` and the like, and typing everything as ``owl:Thing``.
    """
    if not s.startswith("<") or o.startswith("_:"):
        return True
    if s.startswith(_AXIOMATIC) or p.startswith(f"<{_ERRNS}"):
        return True
    if p in _REFLEXIVE_NOISE and s == o:
        return True
    if o in _TRIVIAL_TYPES:  # x a owl:Thing; p rdfs:domain owl:Thing; C rdfs:subClassOf owl:Thing
        return True
    return p == _TYPE and o.startswith(f"<{XSD}")


def owlrl_closure(tbox: Graph, abox: Graph) -> Graph:
    """Return the triples OWL 2 RL entails from ``tbox`` + ``abox`` that neither states, less noise.

    Neither input is modified. Raises :class:`InconsistentGraph` listing owlrl's messages when
    the closure finds a contradiction (for example an individual typed with two disjoint classes).
    """
    merged = owlrl_expand(tbox, abox)
    inferred = Graph()
    for s, p, o in merged:
        if (s, p, o) in tbox or (s, p, o) in abox:
            continue
        if not is_noise(from_rdflib(s), from_rdflib(p), from_rdflib(o)):
            inferred.add((s, p, o))
    return inferred


def owlrl_expand(*graphs: Graph) -> Graph:
    """The full owlrl OWL 2 RL closure of the union of ``graphs`` (noise included), as a new graph.

    Raises :class:`InconsistentGraph` listing owlrl's messages when it finds a contradiction.
    """
    from owlrl import DeductiveClosure, OWLRL_Semantics

    merged = Graph()
    for graph in graphs:
        for triple in graph:
            merged.add(triple)
    DeductiveClosure(OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(merged)
    errors = sorted(str(o) for o in merged.objects(None, URIRef(_ERRNS + "error")))
    if errors:
        raise InconsistentGraph("the graph is inconsistent: " + "; ".join(errors))
    return merged


def cache_dir() -> Path:
    """Where schema closures are kept between runs: $KG_CACHE, else ~/.cache/agreements-kg."""
    default = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "agreements-kg"
    return Path(os.environ.get("KG_CACHE") or default)


def closed_schema(schema: frozenset[Triple]) -> frozenset[Triple]:
    """owlrl's closure of ``schema``, read from the cache when the same schema was closed before.

    The closure depends on the schema triples alone, so it is keyed by their SHA-256, like a
    compiled file: an edited ontology is a new key. It saves owlrl's half second on every build.
    """
    digest = hashlib.sha256("".join(sorted(" ".join(t) + "\n" for t in schema)).encode())
    path = cache_dir() / f"schema-closure-{digest.hexdigest()[:32]}.json"
    try:
        return frozenset(tuple(t) for t in json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    closed = frozenset(triples_of(owlrl_expand(graph_of(schema))))
    try:  # a cache that cannot be written only costs time
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(sorted(closed)), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass
    return closed
