"""SHACL validation: the shapes compiled into SPARQL checks run inside the pyoxigraph store.

pySHACL over rdflib takes minutes on a million triples; the same shapes compiled to one SPARQL
``SELECT`` per constraint take seconds in Oxigraph. The compiler reads ontology/shapes/ itself,
so there is one source of truth, and it refuses any SHACL feature it does not implement rather
than skip it. tests/test_validation_equivalence.py runs pySHACL (:func:`pyshacl_lines`) and these
checks on the seed graph and on broken graphs and asserts they flag the same focus nodes.

Supported: ``sh:targetClass``; property shapes with an IRI ``sh:path``; ``sh:minCount``,
``sh:maxCount``, ``sh:class``, ``sh:datatype``, ``sh:pattern`` (+ ``sh:flags``),
``sh:minInclusive``/``maxInclusive``/``minExclusive``/``maxExclusive``, ``sh:in``,
``sh:hasValue``, ``sh:lessThan``, ``sh:node`` and ``sh:or``; ``sh:class`` on a node shape.

One difference is forced by the store: Oxigraph keeps integer subtypes such as
``xsd:nonNegativeInteger`` as ``xsd:integer``, so ``sh:datatype xsd:nonNegativeInteger`` accepts an
``xsd:integer`` in the type's range (pySHACL would reject a literal typed ``xsd:integer``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KGError, NotBuilt
from kg.namespace import GRAPHS, RDF, RDFS, SH, XSD

#: The graphs the shapes are checked against (the ontology is not data).
DATA_GRAPHS = ("asserted", "inferred", "evidence")

_IGNORED = {SH + n for n in ("message", "name", "description", "order", "group", "targetClass",
                             "property", "path", "flags")}
#: Integer types that Oxigraph stores as plain xsd:integer: checked by value range instead.
_INTEGER_RANGES = {XSD + name: bounds for name, bounds in {
    "nonNegativeInteger": (0, None), "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1),
    "long": (-(2**63), 2**63 - 1), "int": (-(2**31), 2**31 - 1), "short": (-32768, 32767),
    "byte": (-128, 127), "unsignedLong": (0, 2**64 - 1), "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 65535), "unsignedByte": (0, 255)}.items()}
_COMPARE = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}


class UnsupportedShape(KGError):
    """The shapes use a SHACL feature the SPARQL compiler does not implement."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape, as a SPARQL pattern that binds ``?focus`` when violated."""

    path: str | None  # the property shape's path IRI, or None for a node-level constraint
    message: str
    query: str


@dataclass
class RdfDataset:
    """The four named graphs of a build as rdflib graphs (for tests and other rdflib users)."""

    ontology: object
    asserted: object
    evidence: object
    inferred: object

    def graphs(self) -> dict:
        return {name: getattr(self, name) for name in GRAPHS}


def load_built(build_dir: Path) -> RdfDataset:
    """The four named graphs of a build, read back from its dataset.nq as rdflib graphs."""
    from rdflib import Dataset as RDFDataset
    from rdflib import URIRef

    path = build_dir / "dataset.nq"
    if not path.exists():
        raise NotBuilt(f"no built graph in {build_dir}; run 'kg build' first")
    ds = RDFDataset()
    ds.parse(path, format="nquads")
    return RdfDataset(**{name: ds.graph(URIRef(iri)) for name, iri in GRAPHS.items()})


def validate_build(build_dir: Path) -> list[str]:
    """Violation lines for the build in ``build_dir``; empty when it conforms."""
    from kg.ontology import load_shapes
    from kg.store import open_store

    return check_store(open_store(build_dir), compile_shapes(load_shapes()))


def check_store(store, checks: list[Check]) -> list[str]:
    """Run compiled checks on a store holding the build's named graphs; sorted violation lines."""
    import pyoxigraph

    graphs = [pyoxigraph.NamedNode(GRAPHS[name]) for name in DATA_GRAPHS]
    lines = set()
    for check in checks:
        for row in store.query(check.query, default_graph=graphs):
            focus = row["focus"]
            lines.add(_line(getattr(focus, "value", None) if isinstance(focus, pyoxigraph.NamedNode)
                            else str(focus), check.path, check.message))
    return sorted(lines)


def _line(focus: str, path: str | None, message: str) -> str:
    """``focus`` is an IRI, or a blank node or literal in N-Triples form."""
    from kg.build import curie

    shown = str(focus) if str(focus).startswith(("_:", '"')) else curie(focus)
    return f"{shown} {curie(path) if path else ''}: {message}".replace(" :", ":")


def pyshacl_lines(data, shapes) -> list[str]:
    """The reference: pySHACL's violation lines for an rdflib graph (slow; tests only)."""
    from pyshacl import validate as shacl
    from rdflib import URIRef

    _, report, _ = shacl(data, shacl_graph=shapes, ont_graph=None, inference="none",
                         advanced=True, allow_warnings=True)
    lines = set()
    for result in report.subjects(URIRef(RDF + "type"), URIRef(SH + "ValidationResult")):
        focus = report.value(result, URIRef(SH + "focusNode"))
        path = report.value(result, URIRef(SH + "resultPath"))
        message = report.value(result, URIRef(SH + "resultMessage"))
        shown = str(focus) if isinstance(focus, URIRef) else _nt(focus)
        lines.add(_line(shown, str(path) if path else None, str(message)))
    return sorted(lines)


def compile_shapes(shapes) -> list[Check]:
    """Compile the SHACL shapes (an rdflib graph) into :class:`Check` queries.

    Raises :class:`UnsupportedShape` naming a feature the compiler does not implement.
    """
    return _Compiler(shapes).checks()


class _Compiler:
    def __init__(self, shapes):
        from rdflib import URIRef

        self.g = shapes
        self.sh = lambda name: URIRef(SH + name)
        self.names = itertools.count()

    def var(self) -> str:
        return f"?v{next(self.names)}"

    def checks(self) -> list[Check]:
        from rdflib.namespace import RDF as R

        out = []
        shapes = sorted(set(self.g.subjects(self.sh("targetClass"), None)), key=str)
        for shape in shapes:
            if self.g.value(shape, self.sh("path")) is not None:
                raise UnsupportedShape(f"{shape}: property shapes with targets are not supported")
            targets = " ".join(_nt(c) for c in sorted(self.g.objects(shape, self.sh("targetClass"))))
            head = (f"VALUES ?target {{ {targets} }} ?type <{RDFS}subClassOf>* ?target . "
                    f"?focus <{R.type}> ?type .")
            for path, message, pattern in self.violations(shape, "?focus"):
                query = f"SELECT DISTINCT ?focus WHERE {{ {head} {pattern} }}"
                out.append(Check(path, message, query))
        return out

    def message(self, shape) -> str:
        return str(self.g.value(shape, self.sh("message")) or f"violates {shape}")

    def violations(self, shape, f: str) -> list[tuple[str | None, str, str]]:
        """``(path, message, pattern)`` for each constraint of ``shape`` on focus ``f``."""
        self._check_known(shape)
        path = self.g.value(shape, self.sh("path"))
        if path is not None:
            return [(str(path), self.message(shape), p) for p in self.property(shape, path, f)]
        out = []
        for c in self.g.objects(shape, self.sh("class")):
            out.append((None, self.message(shape),
                        f"FILTER NOT EXISTS {{ {f} <{RDF}type>/<{RDFS}subClassOf>* {_nt(c)} }}"))
        for node in self.g.objects(shape, self.sh("node")):
            out.append((None, self.message(shape), f"FILTER({self.violated(node, f)})"))
        for alternatives in self.g.objects(shape, self.sh("or")):
            each = [self.violated(a, f) for a in self.g.items(alternatives)]
            out.append((None, self.message(shape), f"FILTER({' && '.join(each) or 'false'})"))
        for prop in sorted(self.g.objects(shape, self.sh("property")), key=str):
            out += self.violations(prop, f)
        return out

    def violated(self, shape, f: str) -> str:
        """A SPARQL expression: true when ``f`` does not conform to ``shape``."""
        patterns = [p for _, _, p in self.violations(shape, f)]
        return "(" + " || ".join(f"EXISTS {{ {p} }}" for p in patterns) + ")" if patterns \
            else "false"

    def property(self, shape, path, f: str) -> list[str]:
        g, sh, p = self.g, self.sh, _nt(path)
        out = []
        for n in g.objects(shape, sh("minCount")):
            vs = [self.var() for _ in range(int(n))]
            out.append(f"FILTER NOT EXISTS {{ {' . '.join(f'{f} {p} {v}' for v in vs)} "
                       f"{_distinct(vs)} }}")
        for n in g.objects(shape, sh("maxCount")):
            vs = [self.var() for _ in range(int(n) + 1)]
            out.append(f"{' . '.join(f'{f} {p} {v}' for v in vs)} {_distinct(vs)}")
        v = self.var()
        each = f"{f} {p} {v} ."
        for c in g.objects(shape, sh("class")):
            out.append(f"{each} FILTER NOT EXISTS {{ {v} <{RDF}type>/<{RDFS}subClassOf>* "
                       f"{_nt(c)} }}")
        for d in g.objects(shape, sh("datatype")):
            ok = f"datatype({v}) = {_nt(d)}"
            if str(d) in _INTEGER_RANGES:  # the store keeps these as xsd:integer
                low, high = _INTEGER_RANGES[str(d)]
                ok += (f" || (datatype({v}) = <{XSD}integer>"
                       + (f" && {v} >= {low}" if low is not None else "")
                       + (f" && {v} <= {high}" if high is not None else "") + ")")
            out.append(f"{each} FILTER(!isLiteral({v}) || !COALESCE({ok}, false))")
        for pattern in g.objects(shape, sh("pattern")):
            flags = g.value(shape, sh("flags"))
            regex = f"REGEX(STR({v}), {_nt(pattern)}{', ' + _nt(flags) if flags else ''})"
            out.append(f"{each} FILTER(isBlank({v}) || !COALESCE({regex}, false))")
        for name, op in _COMPARE.items():
            for bound in g.objects(shape, sh(name)):
                out.append(f"{each} FILTER(!COALESCE({v} {op} {_nt(bound)}, false))")
        for values in g.objects(shape, sh("in")):
            allowed = " || ".join(f"sameTerm({v}, {_nt(x)})" for x in g.items(values))
            out.append(f"{each} FILTER(!({allowed or 'false'}))")
        for value in g.objects(shape, sh("hasValue")):
            out.append(f"FILTER NOT EXISTS {{ {f} {p} {_nt(value)} }}")
        for other in g.objects(shape, sh("lessThan")):
            w = self.var()
            out.append(f"{each} {f} {_nt(other)} {w} . FILTER(!COALESCE({v} < {w}, false))")
        for node in g.objects(shape, sh("node")):
            out.append(f"{each} FILTER({self.violated(node, v)})")
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
                raise UnsupportedShape(f"{shape}: {p} is not supported by the SPARQL validator")
            if str(p) == SH + "path" and not isinstance(o, URIRef):
                raise UnsupportedShape(f"{shape}: only IRI paths are supported")
            if str(p) == SH + "deactivated" and o == Literal(True):
                raise UnsupportedShape(f"{shape}: sh:deactivated is not supported")


def _distinct(vs: list[str]) -> str:
    pairs = [f"!sameTerm({a}, {b})" for a, b in itertools.combinations(vs, 2)]
    return f"FILTER({' && '.join(pairs)})" if pairs else ""


def _nt(node) -> str:
    from kg.nt import from_rdflib

    return from_rdflib(node)
