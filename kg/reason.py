"""OWL 2 RL reasoning: the owlrl reference closure and the noise filter applied to its output.

owlrl is the reference for what OWL 2 RL entails here; the build uses the faster, equivalent
:func:`kg.fastreason.closure` (tests/test_reasoning_diff.py proves them equal) unless asked for
``--reasoner owlrl``.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from kg.errors import InconsistentGraph

_ERRNS = "http://www.daml.org/2002/03/agents/agent-ont#"
_AXIOMATIC_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD), _ERRNS)
_REFLEXIVE_NOISE = {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass,
                    OWL.equivalentProperty}
_TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource}


def is_noise(s, p, o) -> bool:
    """True for the triples of an OWL 2 RL closure that carry no information about the data.

    These are axiomatic triples (about RDF, RDFS, OWL and XSD terms), triples with a literal or
    blank-node subject (owlrl's literal proxies, restriction plumbing), reflexive ``owl:sameAs``,
    ``rdfs:subClassOf`` and the like, and typing everything as ``owl:Thing``.
    """
    if isinstance(s, Literal | BNode) or isinstance(o, BNode):
        return True
    if str(s).startswith(_AXIOMATIC_NAMESPACES) or str(p).startswith(_ERRNS):
        return True
    if p in _REFLEXIVE_NOISE and s == o:
        return True
    if o in _TRIVIAL_TYPES:  # x a owl:Thing; p rdfs:domain owl:Thing; C rdfs:subClassOf owl:Thing
        return True
    if p == RDF.type and str(o).startswith(str(XSD)):
        return True
    return isinstance(o, URIRef) and str(o) == str(OWL.topObjectProperty)


def owlrl_closure(tbox: Graph, abox: Graph) -> Graph:
    """Return the triples OWL 2 RL entails from ``tbox`` + ``abox`` that neither states, less noise.

    Neither input is modified. Raises :class:`InconsistentGraph` listing owlrl's messages when
    the closure finds a contradiction (for example an individual typed with two disjoint classes).
    """
    merged = owlrl_expand(tbox, abox)
    inferred = Graph()
    for s, p, o in merged:
        if (s, p, o) in tbox or (s, p, o) in abox or is_noise(s, p, o):
            continue
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
