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
    """The working set with its indexes, and the agenda of triples whose rules have not run.

    A closure may start from a ``base``: another, closed closure (the schema) that it reads
    but never changes, so that closing one document's triples costs what that document adds,
    not the ~2,000 schema triples every closure shares. ``log``, when a list, collects every
    triple added (what a shard has to tell the others).
    """

    def __init__(self, rules: Rules, base: _Closure | None = None):
        self.rules = rules
        self.base = base
        self.triples: set[Triple] = set()
        self.sp: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.op: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self.agenda: list[Triple] = []
        self.joins: list[Triple] = []  # triples whose single-premise rules have run elsewhere
        self.disjoint = list(base.disjoint if base is not None else rules.disjoint)
        self.typed: set[str] = set()  # literals whose datatype triples have been added
        self.log: list[Triple] | None = None

    def __contains__(self, triple: Triple) -> bool:
        return triple in self.triples or (self.base is not None and triple in self.base.triples)

    def _new(self, triple: Triple) -> bool:
        """Index ``triple`` unless it is held already; whether it was new."""
        if triple in self.triples or (self.base is not None and triple in self.base.triples):
            return False
        s, p, o = triple
        self.triples.add(triple)
        self.sp[p][s].add(o)
        self.op[p][o].add(s)
        return True

    def add(self, s: str, p: str, o: str) -> None:
        triple = (s, p, o)
        if self._new(triple):
            self.agenda.append(triple)
            if self.log is not None:
                self.log.append(triple)

    def put(self, s: str, p: str, o: str, joins: bool = True) -> None:
        """Add a triple another closure holds closed, with what its one-premise rules give:
        only the rules that join it with others run on it (none, if not ``joins``)."""
        triple = (s, p, o)
        if self._new(triple) and joins:
            self.joins.append(triple)

    def objects(self, p: str, s: str) -> list[str]:
        """Every ``o`` with ``(s, p, o)`` here or in the base."""
        found = list(self.sp[p].get(s, ()))
        if self.base is not None:
            found += self.base.objects(p, s)
        return found

    def subjects(self, p: str, o: str) -> list[str]:
        """Every ``s`` with ``(s, p, o)`` here or in the base."""
        found = list(self.op[p].get(o, ()))
        if self.base is not None:
            found += self.base.subjects(p, o)
        return found

    def run(self) -> None:
        r, add = self.rules, self.add
        while self.agenda or self.joins:
            if not self.agenda:
                self._join(*self.joins.pop())
                continue
            s, p, o = self.agenda.pop()
            if p == TYPE:
                for d in r.sup_class.get(o, ()):
                    add(s, TYPE, d)
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
            for restriction, y in r.svf_by_prop.get(p, ()):
                if y == THING:
                    add(s, TYPE, restriction)
            self._join(s, p, o)

    def _join(self, s: str, p: str, o: str) -> None:
        """The rules that join ``(s, p, o)`` with another triple (on ``s`` or ``o``)."""
        r, add = self.rules, self.add
        if p == TYPE:
            for restriction, prop in r.svf_by_class.get(o, ()):
                for u in self.subjects(prop, s):
                    add(u, TYPE, restriction)
        if p in r.transitive:
            for z in self.objects(p, o):
                add(s, p, z)
            for w in self.subjects(p, s):
                add(w, p, o)
        for q, chain, i in r.chains.get(p, ()):
            for x, z in self._chain_ends(chain, i, s, o):
                add(x, q, z)
        for restriction, y in r.svf_by_prop.get(p, ()):
            if y != THING and (o, TYPE, y) in self:
                add(s, TYPE, restriction)

    def _chain_ends(self, chain: tuple[str, ...], i: int, s: str, o: str):
        lefts, rights = {s}, {o}
        for p in reversed(chain[:i]):
            lefts = {x for m in lefts for x in self.subjects(p, m)}
        for p in chain[i + 1:]:
            rights = {z for m in rights for z in self.objects(p, m)}
        return [(x, z) for x in lefts for z in rights]

    def members(self, cls: str) -> set[str]:
        """Every individual typed ``cls``, here or in the base."""
        found = set(self.op[TYPE].get(cls, ()))
        if self.base is not None:
            found |= self.base.members(cls)
        return found


def _datatype_triples(closure: _Closure, literals: Iterable[str]) -> list[str]:
    """owlrl's dt-type2 and dt-not-type on the data's literals; returns error messages.

    Literals typed by an earlier call on the same closure are skipped, so a shard that receives
    more triples types only the literals it has not seen.
    """
    from owlrl.AxiomaticTriples import OWLRL_Datatypes_Disjointness
    from owlrl.DatatypeHandling import AltXSDToPYTHON
    from owlrl.XsdDatatypes import OWL_Datatype_Subsumptions, OWL_RL_Datatypes

    rl = {str(d) for d in OWL_RL_Datatypes}
    subsumed = {str(k): [f"<{v}>" for v in vs] for k, vs in OWL_Datatype_Subsumptions.items()}
    errors, used = [], set()
    for text in literals:
        if text in closure.typed:
            continue
        closure.typed.add(text)
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
        pair = (f"<{left}>", f"<{right}>")
        if str(left) in used and str(right) in used and pair not in closure.disjoint:
            closure.disjoint.append(pair)
    return errors


class Reasoner:
    """The rules compiled from one schema, and that schema closed once as the base every closure
    starts from.

    ``tbox`` is the ontology; ``schema_triples`` the data triples about classes or properties
    (:func:`is_schema`), which owlrl closes together with it.
    """

    def __init__(self, tbox: Iterable[Triple], schema_triples: Iterable[Triple] = ()):
        self.tbox = frozenset(tbox)
        self.closed, self.rules = schema_closure(self.tbox | set(schema_triples))
        self.base = _Closure(self.rules)
        for s, p, o in self.closed:
            self.base.add(s, p, o)
        self.base.agenda.clear()  # owlrl has closed these already

    def nodes(self) -> set[str]:
        """Every IRI or blank node of the closed schema (the ontology's own terms)."""
        return {t for s, _, o in self.closed for t in (s, o) if not t.startswith('"')}

    def open(self) -> _Closure:
        """An empty closure over the base, to add triples to and :meth:`resume`."""
        return _Closure(self.rules, self.base)

    def close(self, abox: Iterable[Triple]) -> tuple[_Closure, list[str]]:
        """A new closure of the base + ``abox``: the closure and owlrl's error messages."""
        work = self.open()
        abox = list(abox)
        for s, p, o in abox:
            work.add(s, p, o)
        return work, self.resume(work, {o for _, _, o in abox})

    def resume(self, work: _Closure, objects: Iterable[str] = ()) -> list[str]:
        """Close ``work`` again after triples were added to it (their objects in ``objects``):
        type the new literals, run the rules, check disjointness; the error messages."""
        errors = _datatype_triples(work, sorted(o for o in objects if o.startswith('"')))
        work.run()
        return errors + _disjointness(work)

    def schema_inferred(self) -> set[Triple]:
        """What the schema closure adds to the ontology, less noise (part of the inferred
        graph, whatever the data)."""
        return {t for t in self.closed if t not in self.tbox and not is_noise(*t)}


def closure(tbox: Iterable[Triple], abox: Iterable[Triple]) -> set[Triple]:
    """The triples OWL 2 RL entails from ``tbox`` + ``abox`` that neither states, less noise.

    Both are iterables of N-Triples term triples. The answer is the one
    :func:`kg.reason.reference.owlrl_closure` gives. Raises :class:`InconsistentGraph` with owlrl's
    messages for a contradiction and :class:`UnsupportedAxiom` for a schema the rules do not
    cover.
    """
    abox = set(abox)
    reasoner = Reasoner(tbox, (t for t in abox if is_schema(t)))
    work, errors = reasoner.close(abox)
    if errors:
        raise InconsistentGraph("the graph is inconsistent: " + "; ".join(sorted(set(errors))))
    inferred = {t for t in work.triples if t not in abox and not is_noise(*t)}
    return inferred | (reasoner.schema_inferred() - abox)


def _disjointness(work: _Closure) -> list[str]:
    """cax-dw: owlrl's message for every individual typed with two disjoint classes."""
    errors = []
    for c1, c2 in work.disjoint:
        for x in work.members(c1) & work.members(c2):
            errors.append(f"Disjoint classes {to_rdflib(c1)} and {to_rdflib(c2)} have a common "
                          f"individual {to_rdflib(x)}")
    return errors
