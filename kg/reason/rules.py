"""A fast OWL 2 RL closure for this ontology: owlrl on the schema, compiled rules on the data.

owlrl (:func:`kg.reason.reference.owlrl_expand`) closes the small schema part once: the
ontology plus any data triple about classes or properties. Its closure is then compiled into
instance-level rules (``cax-sco``, ``prp-spo1``, ``prp-dom``, ``prp-rng``, ``prp-inv``,
``prp-symp``, ``prp-trp``, ``prp-spo2`` chains, ``cls-svf1/2``, ``cax-dw``,
``dt-type2``/``dt-not-type``), which a semi-naive agenda runs to a fixpoint over Python sets of
N-Triples term strings. Both halves apply owlrl's own rules, so the closure is the same set of
triples (tests/test_reasoning_diff.py checks that against
:func:`kg.reason.reference.owlrl_closure`); a schema that uses an OWL 2 RL construct the rules do
not cover (equality, cardinality, keys, ...) is refused rather than reasoned over partially.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kg.errors import InconsistentGraph, UnsupportedAxiom
from kg.namespace import OWL, RDF, RDFS
from kg.reason.reference import closed_schema, is_noise
from kg.terms import Triple, to_rdflib

TYPE, THING = f"<{RDF}type>", f"<{OWL}Thing>"
_SCHEMA_NAMESPACES = (f"<{RDF}", f"<{RDFS}", f"<{OWL}")

#: OWL 2 RL constructs whose rules are not compiled (most derive owl:sameAs).
UNSUPPORTED = tuple(OWL + name for name in (
    "FunctionalProperty", "InverseFunctionalProperty", "IrreflexiveProperty",
    "AsymmetricProperty", "AllDisjointProperties", "propertyDisjointWith", "hasKey",
    "sourceIndividual", "intersectionOf", "complementOf", "allValuesFrom", "hasValue",
    "maxCardinality", "maxQualifiedCardinality", "AllDisjointClasses", "sameAs"))


#: Annotation properties (owlrl's list): no rule reads them, so they stay with the data.
_ANNOTATIONS = frozenset(f"<{ns}{name}>" for ns, name in (
    (RDFS, "label"), (RDFS, "comment"), (RDFS, "seeAlso"), (RDFS, "isDefinedBy"),
    (OWL, "deprecated"), (OWL, "versionInfo"), (OWL, "priorVersion"),
    (OWL, "backwardCompatibleWith"), (OWL, "incompatibleWith")))


def is_schema(triple: Triple) -> bool:
    """True for a triple about classes or properties (owlrl closes these, not the rules)."""
    _, p, o = triple
    if p == TYPE:
        return o.startswith(_SCHEMA_NAMESPACES)
    return p.startswith(_SCHEMA_NAMESPACES) and p not in _ANNOTATIONS


_SCHEMA_CACHE: dict[frozenset, tuple] = {}


def schema_closure(tbox: Iterable[Triple]) -> tuple[frozenset[Triple], Rules]:
    """owlrl's closure of the schema triples and the rules compiled from it (cached)."""
    key = frozenset(tbox)
    if key not in _SCHEMA_CACHE:
        closed = closed_schema(key)
        _SCHEMA_CACHE.clear()  # one ontology per process is the normal case
        _SCHEMA_CACHE[key] = (closed, Rules(closed))
    return _SCHEMA_CACHE[key]


class Rules:
    """Instance-level rules compiled from a closed schema (a set of N-Triples triples)."""

    def __init__(self, schema: Iterable[Triple]):
        by_p: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for s, p, o in schema:
            by_p[p].append((s, o))
        for construct in UNSUPPORTED:
            pairs = by_p.get(f"<{construct}>", []) + [(s, o) for s, o in by_p[TYPE]
                                                     if o == f"<{construct}>"]
            if any(s != o for s, o in pairs) or (pairs and not construct.endswith("sameAs")):
                raise UnsupportedAxiom(f"the ontology uses owl:{construct.split('#')[1]}, which "
                                       "the fast reasoner does not implement; build with "
                                       "--reasoner owlrl")
        self.sup_class = _pairs(by_p, RDFS + "subClassOf", OWL + "equivalentClass", both=True)
        self.sup_prop = _pairs(by_p, RDFS + "subPropertyOf", OWL + "equivalentProperty",
                               both=True)
        self.domain = _pairs(by_p, RDFS + "domain")
        self.range = _pairs(by_p, RDFS + "range")
        self.inverse = _pairs(by_p, OWL + "inverseOf", both=True, reflexive=True)
        self.symmetric = {s for s, o in by_p[TYPE] if o == f"<{OWL}SymmetricProperty>"}
        self.transitive = {s for s, o in by_p[TYPE] if o == f"<{OWL}TransitiveProperty>"}
        self.disjoint = sorted({(s, o) for s, o in by_p[f"<{OWL}disjointWith>"]})
        first, rest = dict(by_p[f"<{RDF}first>"]), dict(by_p[f"<{RDF}rest>"])
        self.chains: dict[str, list[tuple[str, tuple[str, ...], int]]] = defaultdict(list)
        for p, head in by_p[f"<{OWL}propertyChainAxiom>"]:
            chain = []
            while head in first:
                chain.append(first[head])
                head = rest.get(head)
            for i, pi in enumerate(chain):
                self.chains[pi].append((p, tuple(chain), i))
        on_property = dict(by_p[f"<{OWL}onProperty>"])
        self.svf_by_prop: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.svf_by_class: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for r, y in by_p[f"<{OWL}someValuesFrom>"]:
            if r in on_property:
                self.svf_by_prop[on_property[r]].append((r, y))
                self.svf_by_class[y].append((r, on_property[r]))


def _pairs(by_p, *predicates: str, both: bool = False, reflexive: bool = False
           ) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for predicate in predicates:
        for s, o in by_p.get(f"<{predicate}>", ()):
            if s != o or reflexive:
                out[s].add(o)
                if both and predicate.endswith(("equivalentClass", "equivalentProperty",
                                                "inverseOf")):
                    out[o].add(s)
    return out


class _Closure:
    """The working set with its indexes, and the agenda of triples whose rules have not run."""

    def __init__(self, rules: Rules):
        self.rules = rules
        self.triples: set[Triple] = set()
        self.sp: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.op: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.agenda: list[Triple] = []

    def add(self, s: str, p: str, o: str) -> None:
        triple = (s, p, o)
        if triple in self.triples:
            return
        self.triples.add(triple)
        self.sp[p][s].add(o)
        self.op[p][o].add(s)
        self.agenda.append(triple)

    def run(self) -> None:
        r, add, sp, op = self.rules, self.add, self.sp, self.op
        types = sp[TYPE]
        while self.agenda:
            s, p, o = self.agenda.pop()
            if p == TYPE:
                for d in r.sup_class.get(o, ()):
                    add(s, TYPE, d)
                for restriction, prop in r.svf_by_class.get(o, ()):
                    for u in list(op[prop].get(s, ())):
                        add(u, TYPE, restriction)
            for q in r.sup_prop.get(p, ()):
                add(s, q, o)
            for c in r.domain.get(p, ()):
                add(s, TYPE, c)
            for c in r.range.get(p, ()):
                add(o, TYPE, c)
            for q in r.inverse.get(p, ()):
                add(o, q, s)
            if p in r.symmetric:
                add(o, p, s)
            if p in r.transitive:
                for z in list(sp[p].get(o, ())):
                    add(s, p, z)
                for w in list(op[p].get(s, ())):
                    add(w, p, o)
            for q, chain, i in r.chains.get(p, ()):
                for x, z in self._chain_ends(chain, i, s, o):
                    add(x, q, z)
            for restriction, y in r.svf_by_prop.get(p, ()):
                if y == THING or y in types.get(o, ()):
                    add(s, TYPE, restriction)

    def _chain_ends(self, chain: tuple[str, ...], i: int, s: str, o: str):
        lefts, rights = {s}, {o}
        for p in reversed(chain[:i]):
            lefts = {x for m in lefts for x in self.op[p].get(m, ())}
        for p in chain[i + 1:]:
            rights = {z for m in rights for z in self.sp[p].get(m, ())}
        return [(x, z) for x in lefts for z in rights]


def _datatype_triples(closure: _Closure, literals: Iterable[str]) -> list[str]:
    """owlrl's dt-type2 and dt-not-type on the data's literals; returns error messages."""
    from owlrl.AxiomaticTriples import OWLRL_Datatypes_Disjointness
    from owlrl.DatatypeHandling import AltXSDToPYTHON
    from owlrl.XsdDatatypes import OWL_Datatype_Subsumptions, OWL_RL_Datatypes

    rl = {str(d) for d in OWL_RL_Datatypes}
    subsumed = {str(k): [f"<{v}>" for v in vs] for k, vs in OWL_Datatype_Subsumptions.items()}
    errors, used = [], set()
    for text in literals:
        lit = to_rdflib(text)
        datatype = str(lit.datatype) if lit.datatype is not None else None
        if datatype not in rl:
            continue
        used.add(datatype)
        closure.add(text, TYPE, f"<{datatype}>")
        for super_type in subsumed.get(datatype, ()):
            closure.add(text, TYPE, super_type)
            used.add(super_type[1:-1])
        try:
            AltXSDToPYTHON.get(lit.datatype, lambda v: v)(str(lit))
        except ValueError:
            errors.append(f"Lexical value of the literal '{lit}' does not match its datatype "
                          f"({datatype})")
    for left, _, right in OWLRL_Datatypes_Disjointness:
        if str(left) in used and str(right) in used:
            closure.rules.disjoint.append((f"<{left}>", f"<{right}>"))
    return errors


def closure(tbox: Iterable[Triple], abox: Iterable[Triple]) -> set[Triple]:
    """The triples OWL 2 RL entails from ``tbox`` + ``abox`` that neither states, less noise.

    Both are iterables of N-Triples term triples. The answer is the one
    :func:`kg.reason.reference.owlrl_closure` gives. Raises :class:`InconsistentGraph` with owlrl's
    messages for a contradiction and :class:`UnsupportedAxiom` for a schema the rules do not
    cover.
    """
    tbox, abox = set(tbox), set(abox)
    schema = tbox | {t for t in abox if is_schema(t)}
    closed, rules = schema_closure(schema)
    work = _Closure(rules)
    work.rules = _copy_rules(rules)
    for s, p, o in closed:
        work.add(s, p, o)
    work.agenda.clear()  # owlrl has closed these already
    for s, p, o in abox:
        work.add(s, p, o)
    errors = _datatype_triples(work, sorted({o for _, _, o in abox if o.startswith('"')}))
    work.run()
    errors += _disjointness(work)
    if errors:
        raise InconsistentGraph("the graph is inconsistent: " + "; ".join(sorted(set(errors))))
    inferred = set()
    for triple in work.triples:
        if triple in tbox or triple in abox:
            continue
        if not is_noise(*triple):
            inferred.add(triple)
    return inferred


def _copy_rules(rules: Rules) -> Rules:
    import copy

    clone = copy.copy(rules)
    clone.disjoint = list(rules.disjoint)
    return clone


def _disjointness(work: _Closure) -> list[str]:
    """cax-dw: owlrl's message for every individual typed with two disjoint classes."""
    errors = []
    members = work.op[TYPE]
    for c1, c2 in work.rules.disjoint:
        for x in members.get(c1, set()) & members.get(c2, set()):
            errors.append(f"Disjoint classes {to_rdflib(c1)} and {to_rdflib(c2)} have a common "
                          f"individual {to_rdflib(x)}")
    return errors
