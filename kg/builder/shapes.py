"""SHACL validation: the shapes compiled into Python checks over the build's triple sets.

pySHACL over rdflib takes minutes on a million triples (and SPARQL checks in Oxigraph tens of
seconds); the same shapes compiled into small Python predicates over an index of N-Triples
terms take a few seconds. The compiler reads the SHACL shapes themselves (ontology/shapes/), so
there is one source of truth, and refuses any SHACL feature it does not implement rather than
skip it. tests/test_validation_equivalence.py runs pySHACL and these checks on the seed graph
and on broken graphs and asserts they flag the same focus nodes.

Supported: ``sh:targetClass`` and ``sh:targetSubjectsOf``; property shapes with an IRI
``sh:path``; ``sh:minCount``, ``sh:maxCount``, ``sh:class``, ``sh:datatype``, ``sh:pattern`` (+
``sh:flags``), numeric ``sh:minInclusive``/``maxInclusive``/``minExclusive``/ ``maxExclusive``
and ``sh:lessThan``, ``sh:in``, ``sh:hasValue``, ``sh:node`` and ``sh:or``; ``sh:class`` on a
node shape. Classes are matched through ``rdf:type/rdfs:subClassOf*`` in the data, as pySHACL
does.
"""

from __future__ import annotations

import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kg.errors import UnsupportedShape
from kg.namespace import RDF, RDFS, SH, XSD, curie
from kg.terms import from_rdflib, is_literal, parse_literal

#: The graphs the shapes are checked against (the ontology is not data).
DATA_GRAPHS = ("asserted", "inferred", "evidence")

_IGNORED = {SH + n for n in ("message", "name", "description", "order", "group", "targetClass",
                             "targetSubjectsOf", "property", "path", "flags")}
_COMPARE = {"minInclusive": operator.ge, "maxInclusive": operator.le,
            "minExclusive": operator.gt, "maxExclusive": operator.lt}
_TYPE, _SUBCLASS = f"<{RDF}type>", f"<{RDFS}subClassOf>"
_NUMERIC = {XSD + n for n in (
    "decimal", "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte", "double", "float")}


Violated = Callable[["Data", str], bool]


@dataclass(frozen=True)
class Check:
    """One constraint of one shape: ``violated(data, focus)`` for each focus of ``targets``.

    ``reads`` says what the check looks at, as ``(hops, predicate)``: 0 for the focus node's
    own triples, 1 for those of its values (``rdf:type`` for ``sh:class``, the paths of a
    shape reached by ``sh:node``), and so on.
    """

    targets: tuple[str, ...]  # target classes (N-Triples IRIs)
    subjects_of: tuple[str, ...]  # target predicates: their subjects are focus nodes too
    path: str | None  # the property shape's path IRI, or None for a node-level constraint
    message: str
    violated: Violated
    reads: frozenset[tuple[int, str]] = frozenset()
    via: frozenset[str] = frozenset()  # the focus's paths whose values it reads one hop away


_EMPTY: frozenset[str] = frozenset()


class Data:
    """The data graph indexed for the checks: ``values(node, predicate)`` and class membership.

    Focus nodes are the subjects of ``triples``. ``context`` adds triples about other nodes
    (the types of values another shard owns) that the checks read but do not validate, so
    that each part of a large graph can be checked on its own; ``asked`` then records every
    ``(node, predicate)`` read about a node the part does not own (the class hierarchy aside),
    so that a later build can tell whether the verdict still holds. Given ``predicates``, only
    triples with one of them are indexed (:func:`read_predicates`: what the checks read).
    """

    def __init__(self, triples: Iterable[tuple[str, str, str]],
                 context: Iterable[tuple[str, str, str]] | None = None,
                 predicates: Set[str] | None = None):
        out: dict[str, dict[str, set[str]]] = {}
        triples = triples if isinstance(triples, list) else list(triples)
        for group in (triples, context or ()):
            for s, p, o in group:
                if predicates is not None and p not in predicates:
                    continue  # no check reads it
                by = out.get(p)
                if by is None:
                    by = out[p] = {}
                found = by.get(s)
                if found is None:
                    by[s] = {o}
                else:
                    found.add(o)
        self.out, self.owned = out, {t[0] for t in triples}
        self.asked: set[tuple[str, str]] = set()
        self._record = context is not None
        self._supers: dict[str, frozenset[str]] = {}
        self._members: dict[str, list[str]] | None = None

    def values(self, node: str, predicate: str) -> Set[str]:
        # what is read of the class hierarchy depends on the order types are tried in, and
        # the hierarchy changes only with the schema: it is not recorded
        if self._record and predicate != _SUBCLASS and node not in self.owned:
            self.asked.add((node, predicate))
        by = self.out.get(predicate)
        return by.get(node, _EMPTY) if by else _EMPTY

    def supers(self, cls: str) -> frozenset[str]:
        """``cls`` and every class it reaches by ``rdfs:subClassOf*`` in the data."""
        if cls not in self._supers:
            seen, todo = {cls}, [cls]
            while todo:
                for d in self.values(todo.pop(), _SUBCLASS):
                    if d not in seen:
                        seen.add(d)
                        todo.append(d)
            self._supers[cls] = frozenset(seen)
        return self._supers[cls]

    def is_a(self, node: str, cls: str) -> bool:
        return any(cls in self.supers(t) for t in self.values(node, _TYPE))

    def subjects(self, predicate: str) -> list[str]:
        """The focus nodes that are subjects of ``predicate``."""
        by = self.out.get(predicate, {})
        return [s for s in by if s in self.owned]

    def instances(self, cls: str) -> list[str]:
        """The focus nodes that are instances of ``cls``, sorted."""
        if self._members is None:
            members: dict[str, list[str]] = defaultdict(list)
            classes: dict[frozenset[str], frozenset[str]] = {}
            for s, types in self.out.get(_TYPE, {}).items():
                if s not in self.owned:
                    continue
                key = frozenset(types)
                if key not in classes:
                    classes[key] = frozenset().union(*(self.supers(t) for t in types))
                for c in classes[key]:
                    members[c].append(s)
            self._members = {c: sorted(nodes) for c, nodes in members.items()}
        return self._members.get(cls, [])


def check(data: Data, checks: list[Check]) -> list[str]:
    """Run compiled checks over ``data``; sorted, distinct violation lines."""
    return sorted({v for found in violations(data, checks).values() for v in found})


def violations(data: Data, checks: list[Check], foci: Set[str] | None = None,
               reads: dict[str, set[str]] | None = None) -> dict[str, set[str]]:
    """Run compiled checks over ``data`` (on the focus nodes in ``foci`` only, if given):
    ``focus -> violation lines``, with every focus checked, violated or not.

    With a ``reads`` dict, it also records, per focus, the nodes the checks read: the focus
    and the values of the paths that :attr:`Check.via` names (classes aside, which membership
    walks up through ``rdfs:subClassOf``).
    """
    found: dict[str, set[str]] = {}
    for c in checks:
        nodes = {f for t in c.targets for f in data.instances(t)}
        nodes.update(f for p in c.subjects_of for f in data.subjects(p))
        for focus in sorted(nodes):
            if foci is not None and focus not in foci:
                continue
            lines = found.setdefault(focus, set())
            if reads is not None:
                read = reads.setdefault(focus, {focus})
                for p in c.via:
                    read.update(data.values(focus, p))
            if c.violated(data, focus):
                lines.add(line(focus[1:-1] if focus.startswith("<") else focus, c.path,
                               c.message))
    return found


def read_predicates(checks: list[Check]) -> frozenset[str]:
    """Every predicate some check reads (the others need not be indexed)."""
    return frozenset({_TYPE, _SUBCLASS, *(p for c in checks for _, p in c.reads),
                      *(p for c in checks for p in c.subjects_of)})


def line(focus: str, path: str | None, message: str) -> str:
    """One violation line; ``focus`` is an IRI, or a blank node or literal in N-Triples form."""
    shown = str(focus) if str(focus).startswith(("_:", '"')) else curie(str(focus))
    return f"{shown} {curie(str(path)) if path else ''}: {message}".replace(" :", ":")


def compile_shapes(shapes) -> list[Check]:
    """Compile the SHACL shapes (an rdflib graph) into :class:`Check` predicates.

    Raises :class:`UnsupportedShape` naming a feature the compiler does not implement.
    """
    return _Compiler(shapes).checks()


def _number(term: str) -> Decimal | None:
    """The value of a numeric literal in N-Triples form; None for anything else."""
    if not is_literal(term):
        return None
    value, datatype, _ = parse_literal(term)
    if datatype not in _NUMERIC:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def _datatype(term: str) -> str | None:
    """The datatype IRI of a well-formed literal in N-Triples form; None for anything else."""
    if not is_literal(term):
        return None
    value, datatype, lang = parse_literal(term)
    if lang:
        return RDF + "langString"
    datatype = datatype or XSD + "string"
    if datatype in _NUMERIC and _number(term) is None:
        return None  # ill-typed, e.g. "abc"^^xsd:decimal
    if datatype == XSD + "date" and not _is_date(value):
        return None
    return datatype


def _is_date(text: str) -> bool:
    import datetime

    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _lexical(term: str) -> str:
    if is_literal(term):
        return parse_literal(term).value
    return term[1:-1] if term.startswith("<") else term


class _Compiler:
    def __init__(self, shapes):
        from rdflib import URIRef

        self.g = shapes
        self.sh = lambda name: URIRef(SH + name)
        self.reads: set[tuple[int, str]] = set()  # what the shape being compiled reads
        self.via: set[str] = set()  # its focus's paths whose values it reads

    def checks(self) -> list[Check]:
        out = []
        shapes = sorted(set(self.g.subjects(self.sh("targetClass"), None))
                        | set(self.g.subjects(self.sh("targetSubjectsOf"), None)), key=str)
        for shape in shapes:
            if self.g.value(shape, self.sh("path")) is not None:
                raise UnsupportedShape(f"{shape}: property shapes with targets are not supported")
            targets = tuple(_nt(c) for c in sorted(self.g.objects(shape, self.sh("targetClass"))))
            subjects_of = tuple(_nt(p) for p in sorted(
                self.g.objects(shape, self.sh("targetSubjectsOf"))))
            self.reads, self.via = {(0, _TYPE)}, set()
            for path, message, violated in self.violations(shape, 0):
                out.append(Check(targets, subjects_of, path, message, violated,
                                 frozenset(self.reads), frozenset(self.via)))
        return out

    def message(self, shape) -> str:
        return str(self.g.value(shape, self.sh("message")) or f"violates {shape}")

    def violations(self, shape, hops: int) -> list[tuple[str | None, str, Violated]]:
        """``(path, message, violated)`` for each constraint of ``shape``, checked on a node
        ``hops`` values away from the focus node."""
        self._check_known(shape)
        path = self.g.value(shape, self.sh("path"))
        if path is not None:
            return [(str(path), self.message(shape), v)
                    for v in self.property(shape, _nt(path), hops)]
        out: list[tuple[str | None, str, Violated]] = []
        for c in self.g.objects(shape, self.sh("class")):
            self.reads.add((hops, _TYPE))
            out.append((None, self.message(shape), _not_instance(_nt(c))))
        for node in self.g.objects(shape, self.sh("node")):
            out.append((None, self.message(shape), self.violated(node, hops)))
        for alternatives in self.g.objects(shape, self.sh("or")):
            each = [self.violated(a, hops) for a in self.g.items(alternatives)]
            out.append((None, self.message(shape),
                        lambda d, f, each=each: all(v(d, f) for v in each)))
        for prop in sorted(self.g.objects(shape, self.sh("property")), key=str):
            out += self.violations(prop, hops)
        return out

    def violated(self, shape, hops: int) -> Violated:
        """True when a node does not conform to ``shape``."""
        each = [v for _, _, v in self.violations(shape, hops)]
        return lambda d, f: any(v(d, f) for v in each)

    def property(self, shape, p: str, hops: int) -> list[Violated]:
        g, sh = self.g, self.sh
        self.reads.add((hops, p))
        out: list[Violated] = []
        for n in g.objects(shape, sh("minCount")):
            out.append(lambda d, f, n=int(n): len(d.values(f, p)) < n)
        for n in g.objects(shape, sh("maxCount")):
            out.append(lambda d, f, n=int(n): len(d.values(f, p)) > n)
        for c in map(_nt, g.objects(shape, sh("class"))):
            self.reads.add((hops + 1, _TYPE))
            self.via.update([p] if hops == 0 else [])
            out.append(lambda d, f, c=c: any(not d.is_a(v, c) for v in d.values(f, p)))
        for dt in g.objects(shape, sh("datatype")):
            out.append(lambda d, f, dt=str(dt): any(_datatype(v) != dt for v in d.values(f, p)))
        for pattern in g.objects(shape, sh("pattern")):
            flags = str(g.value(shape, sh("flags")) or "")
            rx = re.compile(str(pattern), re.IGNORECASE if "i" in flags else 0)
            out.append(lambda d, f, rx=rx: any(v.startswith("_:") or not rx.search(_lexical(v))
                                               for v in d.values(f, p)))
        for name, op in _COMPARE.items():
            for bound in g.objects(shape, sh(name)):
                limit = _number(_nt(bound))
                if limit is None:
                    raise UnsupportedShape(f"{shape}: sh:{name} supports numbers only")
                out.append(lambda d, f, op=op, limit=limit: any(
                    (x := _number(v)) is None or not op(x, limit) for v in d.values(f, p)))
        for values in g.objects(shape, sh("in")):
            allowed = frozenset(_nt(x) for x in g.items(values))
            out.append(lambda d, f, allowed=allowed: not d.values(f, p) <= allowed)
        for value in map(_nt, g.objects(shape, sh("hasValue"))):
            out.append(lambda d, f, value=value: value not in d.values(f, p))
        for q in map(_nt, g.objects(shape, sh("lessThan"))):
            self.reads.add((hops, q))
            out.append(lambda d, f, q=q: any(
                (a := _number(v)) is None or (b := _number(w)) is None or not a < b
                for v in d.values(f, p) for w in d.values(f, q)))
        for bad in (self.violated(n, hops + 1) for n in g.objects(shape, sh("node"))):
            self.via.update([p] if hops == 0 else [])
            out.append(lambda d, f, bad=bad: any(bad(d, v) for v in d.values(f, p)))
        return out

    def _check_known(self, shape) -> None:
        from rdflib import Literal, URIRef

        known = _IGNORED | {SH + n for n in ("minCount", "maxCount", "class", "datatype",
                                             "pattern", "in", "hasValue", "lessThan", "node",
                                             "or", *_COMPARE)}
        for p, o in self.g.predicate_objects(shape):
            if str(p).startswith(SH) and str(p) not in known:
                if str(p) == SH + "severity" and o == URIRef(SH + "Violation"):
                    continue
                raise UnsupportedShape(f"{shape}: {p} is not supported by the validator")
            if str(p) == SH + "path" and not isinstance(o, URIRef):
                raise UnsupportedShape(f"{shape}: only IRI paths are supported")
            if str(p) == SH + "deactivated" and o == Literal(True):
                raise UnsupportedShape(f"{shape}: sh:deactivated is not supported")


def _not_instance(cls: str) -> Violated:
    return lambda d, f: not d.is_a(f, cls)


def _nt(node) -> str:
    return from_rdflib(node)


def value_reads(checks: list[Check]) -> frozenset[str]:
    """The predicates the checks read on the values of focus nodes (one hop away): what a
    shard validating its own nodes needs to know about values another shard owns.

    Raises :class:`UnsupportedShape` for a check that looks two hops away (``sh:class`` or
    ``sh:node`` inside a shape reached by ``sh:node``): a shard cannot see that far.
    """
    far = sorted((hops, p) for c in checks for hops, p in c.reads if hops > 1)
    if far:
        raise UnsupportedShape(f"a shape reads {curie(far[0][1][1:-1])} {far[0][0]} values away "
                               "from its focus node; the build validates each document with "
                               "its neighbours' types and triples only, so nest sh:node or "
                               "sh:class one level deep at most")
    return frozenset(p for c in checks for hops, p in c.reads if hops == 1)


def validate(triples: Iterable[tuple[str, str, str]], shapes) -> list[str]:
    """The SHACL ``shapes`` (an rdflib graph) over ``triples`` (N-Triples term triples): one
    sorted line per violation, none when the data conforms. Never changes its inputs."""
    return check(Data(triples), compile_shapes(shapes))


def datatypes(shapes) -> dict[str, str]:
    """Property IRI -> the datatype IRI the shapes require of its values wherever it is used
    (``sh:targetSubjectsOf P`` with a property shape on ``P`` and ``sh:datatype``)."""
    from rdflib import URIRef

    def sh(name: str):
        return URIRef(SH + name)

    out = {}
    for shape, prop in shapes.subject_objects(sh("targetSubjectsOf")):
        for node in shapes.objects(shape, sh("property")):
            datatype = shapes.value(node, sh("datatype"))
            if shapes.value(node, sh("path")) == prop and datatype is not None:
                out[str(prop)] = str(datatype)
    return out
