"""`kg why S P O`: where a triple comes from.

A stated triple is shown with its evidence (quote, document, offsets, or the curator's note).
An inferred one is explained by the OWL 2 RL rule that derives it, the ontology axiom the rule
uses and the premises it matches, each premise explained in turn (a derivation tree).
"""

from __future__ import annotations

from typing import Any

from kg.errors import QueryError
from kg.namespace import GRAPHS, OWL, PREFIXES, RDF, RDFS, expand, slug
from kg.query.evidence import tags_of

_TYPE = RDF + "type"


class _Graphs:
    def __init__(self, store: Any):
        from pyoxigraph import NamedNode

        from kg.query.evidence import Reader

        self.store = store
        self.evidence = Reader(store)
        self.asserted = NamedNode(GRAPHS["asserted"])
        self.inferred = NamedNode(GRAPHS["inferred"])
        self.ontology = NamedNode(GRAPHS["ontology"])

    def where(self, s, p, o) -> str | None:
        for name, graph in (("stated", self.asserted), ("inferred", self.inferred)):
            if any(True for _ in self.store.quads_for_pattern(s, p, o, graph)):
                return name
        return None

    def data(self, s, p, o):
        for graph in (self.asserted, self.inferred):
            for q in self.store.quads_for_pattern(s, p, o, graph):
                yield q.subject, q.predicate, q.object

    def axioms(self, s, p, o):
        for q in self.store.quads_for_pattern(s, p, o, self.ontology):
            yield q.subject, q.predicate, q.object

    def chain(self, head):
        """The members of an RDF list, in order."""
        from pyoxigraph import NamedNode

        first, rest, nil = (NamedNode(RDF + n) for n in ("first", "rest", "nil"))
        items, node = [], head
        while node != nil and len(items) < 20:
            items.append(next(o for _, _, o in self.axioms(node, first, None)))
            node = next(o for _, _, o in self.axioms(node, rest, None))
        return items


def _n(iri: str):
    from pyoxigraph import NamedNode

    return NamedNode(iri)


def derivations(g: _Graphs, s, p, o) -> list[tuple[str, str, list[tuple]]]:
    """(rule, axiom, premises) for each way one OWL 2 RL step derives (s p o)."""
    from kg.query.results import short

    found: list[tuple[str, str, list[tuple]]] = []
    if p.value == _TYPE:
        for sub, _, _ in g.axioms(None, _n(RDFS + "subClassOf"), o):
            if type(sub).__name__ == "NamedNode" and g.where(s, p, sub):
                found.append(("cax-sco", f"{short(sub)} rdfs:subClassOf {short(o)}", [(s, p, sub)]))
            for prop in g.axioms(sub, _n(OWL + "onProperty"), None):
                for cls in g.axioms(sub, _n(OWL + "someValuesFrom"), None):
                    for _, _, x in g.data(s, prop[2], None):
                        if g.where(x, p, cls[2]):
                            found.append(("cls-svf1", f"({short(prop[2])} some {short(cls[2])}) "
                                          f"rdfs:subClassOf {short(o)}",
                                          [(s, prop[2], x), (x, p, cls[2])]))
        for q, _, _ in g.axioms(None, _n(RDFS + "domain"), o):
            for triple in g.data(s, q, None):
                found.append(("prp-dom", f"{short(q)} rdfs:domain {short(o)}", [triple]))
                break
        for q, _, _ in g.axioms(None, _n(RDFS + "range"), o):
            for triple in g.data(None, q, s):
                found.append(("prp-rng", f"{short(q)} rdfs:range {short(o)}", [triple]))
                break
        return found
    for a, _, b in list(g.axioms(p, _n(OWL + "inverseOf"), None)) + \
            [(b, None, a) for a, _, b in g.axioms(None, _n(OWL + "inverseOf"), p)]:
        q = b if a == p else a
        if g.where(o, q, s):
            found.append(("prp-inv", f"{short(p)} owl:inverseOf {short(q)}", [(o, q, s)]))
    if any(True for _ in g.axioms(p, _n(RDF + "type"), _n(OWL + "SymmetricProperty"))):
        if g.where(o, p, s):
            found.append(("prp-symp", f"{short(p)} a owl:SymmetricProperty", [(o, p, s)]))
    for q, _, _ in g.axioms(None, _n(RDFS + "subPropertyOf"), p):
        if g.where(s, q, o):
            found.append(("prp-spo1", f"{short(q)} rdfs:subPropertyOf {short(p)}", [(s, q, o)]))
    if any(True for _ in g.axioms(p, _n(RDF + "type"), _n(OWL + "TransitiveProperty"))):
        for _, _, x in g.data(s, p, None):
            if x != o and g.where(x, p, o):
                found.append(("prp-trp", f"{short(p)} a owl:TransitiveProperty",
                              [(s, p, x), (x, p, o)]))
    for _, _, head in g.axioms(p, _n(OWL + "propertyChainAxiom"), None):
        steps = g.chain(head)
        if len(steps) == 2:
            for _, _, x in g.data(s, steps[0], None):
                if g.where(x, steps[1], o):
                    found.append(("prp-spo2", f"{short(p)} owl:propertyChainAxiom "
                                  f"({short(steps[0])} {short(steps[1])})",
                                  [(s, steps[0], x), (x, steps[1], o)]))
    return found


def _triple(s, p, o) -> str:
    from kg.query.results import short

    obj = short(o) if type(o).__name__ == "NamedNode" else f'"{o.value}"'
    return f"{short(s)} {short(p)} {obj}"


def _explain(g: _Graphs, s, p, o, depth: int, seen: set) -> list[str]:
    pad = "  " * depth
    status = g.where(s, p, o)
    if status is None:
        return [f"{pad}{_triple(s, p, o)}: not in the graph"]
    if status == "stated":
        records = g.evidence.of(s, p, o)
        kinds = tags_of(records) or ["stated"]
        lines = [f"{pad}{_triple(s, p, o)}  [{', '.join(k.lower() for k in kinds)}]"]
        for e in records:
            if e.quote is not None:
                lines.append(f"{pad}  \u201c{e.quote}\u201d  [{e.document} {e.start}-{e.end}, "
                             f"{', '.join(e.tags())}]" + (f"  ({e.note})" if e.note else ""))
            else:
                lines.append(f"{pad}  {', '.join(e.tags()).lower()}: {e.note}  [{e.document}]")
        return lines
    lines = [f"{pad}{_triple(s, p, o)}  [inferred]"]
    if (s, p, o) in seen or depth > 6:
        return [*lines, f"{pad}  (explained above)"]
    seen.add((s, p, o))
    ways = derivations(g, s, p, o)
    if not ways:
        return [*lines, f"{pad}  (no single OWL 2 RL step found; it follows from several)"]
    rule, axiom, premises = min(ways, key=lambda way: max(_depth(g, t, {(s, p, o)})
                                                           for t in way[2]))
    lines.append(f"{pad}  by {rule} from the axiom: {axiom}")
    for premise in premises:
        lines += _explain(g, *premise, depth + 2, seen)
    return lines


def _depth(g: _Graphs, triple: tuple, visiting: set, limit: int = 8) -> int:
    """Steps from ``triple`` down to stated triples (a large number for a cycle), so the
    explanation shown is the shortest derivation rather than, say, an inverse of an inverse."""
    if g.where(*triple) == "stated":
        return 0
    if triple in visiting or limit == 0:
        return 99
    ways = derivations(g, *triple)
    inner = visiting | {triple}
    return 1 + min((max(_depth(g, t, inner, limit - 1) for t in way[2]) for way in ways),
                   default=99)


def parse_term(text: str, position: str):
    """An IRI, CURIE or (as the object) literal from the command line."""
    from pyoxigraph import Literal, NamedNode

    raw = text.strip()
    if raw == "a" and position == "predicate":
        return NamedNode(_TYPE)
    iri = expand(raw)
    if iri is not None:
        return NamedNode(iri)
    if position == "object" and not _looks_like_curie(raw):
        return Literal(raw[1:-1] if len(raw) > 1 and raw[0] == raw[-1] == '"' else raw)
    raise QueryError(f"{position} {text!r} is not an IRI or a CURIE with a known prefix ("
                     f"{', '.join(p + ':' for p in sorted(PREFIXES))}); "
                     + ("write it as id:" + slug(raw) if ":" not in raw else "check the prefix"))


def _looks_like_curie(raw: str) -> bool:
    import re

    return re.fullmatch(r"[A-Za-z][\w.-]*:\S+", raw) is not None


def explain(store: Any, subject: str, predicate: str, obj: str) -> str:
    """The derivation of (subject predicate obj) in a build's store, as text."""
    g = _Graphs(store)
    s, p = parse_term(subject, "subject"), parse_term(predicate, "predicate")
    o = parse_term(obj, "object")
    if type(o).__name__ == "Literal":  # match the literal whatever its datatype or language
        o = next((t for _, _, t in g.data(s, p, None) if t.value == o.value), o)
    if g.where(s, p, o) is None:
        raise QueryError(f"{_triple(s, p, o)} is neither stated nor inferred in the graph; "
                         "check the names with `kg describe`")
    return "\n".join(_explain(g, s, p, o, 0, set()))
