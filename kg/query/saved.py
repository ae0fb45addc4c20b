"""Saved SPARQL queries: grlc-style ``#+`` YAML headers, typed parameters, strict checks.

A saved query is a ``.rq`` file whose leading ``#+`` lines are YAML (``summary`` required;
``description``, ``tags``, ``defaults``, ``enumerate`` optional), so the folder stays valid
SPARQL and servable by grlc. Parameters are variables named as grlc names them:
``?_name_type`` (required) or ``?__name_type`` (optional), e.g. ``?_agreement_iri``,
``?__year_integer``, ``?_label_en``. A header default is an example (grlc fills its forms with
it): a required parameter must always be given. Values become typed RDF terms, never text pasted
into the query.

The build keeps a snapshot of the folder (:func:`snapshot`), so reading a saved query at query
time needs neither the checkout nor a YAML parser.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import QueryError
from kg.namespace import XSD, curie, expand
from kg.query.sparql import Parameter, form, parameters

_HEADER_KEYS = {"summary", "description", "tags", "defaults", "enumerate", "method", "endpoint",
                "pagination", "transform"}
_DATATYPES = {
    "integer": XSD + "integer",
    "number": XSD + "decimal",
    "decimal": XSD + "decimal",
    "date": XSD + "date",
    "year": XSD + "gYear",
    "gYear": XSD + "gYear",
    "literal": XSD + "string",
    "string": XSD + "string",
    "boolean": XSD + "boolean",
}
_LEXICAL = {
    XSD + "integer": r"[+-]?[0-9]+",
    XSD + "decimal": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)",
    XSD + "date": r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}",
    XSD + "gYear": r"-?[0-9]{4,}",
    XSD + "boolean": r"true|false|1|0",
}


@dataclass
class SavedQuery:
    """One saved query: its name, text, header fields and parameters."""

    name: str
    text: str
    summary: str
    origin: str = ""  # the file it was read from, for messages
    description: str = ""
    tags: list[str] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)  # examples, never applied
    enumerate: list[str] = field(default_factory=list)
    parameters: list[Parameter] = field(default_factory=list)

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE."""
        return form(self.text)

    @property
    def examples(self) -> dict[str, str]:
        """The header defaults as shown to people: an IRI default (written in full, which grlc
        needs) as a CURIE where the project has a prefix for it."""
        types = {p.name: p.type for p in self.parameters}
        return {name: curie(value).strip("<>") if types.get(name) == "iri" else value
                for name, value in self.defaults.items()}

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["parameters"] = [p._asdict() for p in self.parameters]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SavedQuery:
        params = [Parameter(**p) for p in data.get("parameters", [])]
        return cls(**{**data, "parameters": params})


def read_header(origin: str, text: str) -> dict[str, Any]:
    """The ``#+`` YAML header of a query, checked; :class:`QueryError` naming ``origin:line``."""
    from kg import yamlio

    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[2:].removeprefix(" "))
        elif line.strip() and not line.startswith("#"):
            break
    if not lines:
        raise QueryError(f"{origin}:1: no '#+ summary:' header; every saved query needs one")
    header = yamlio.loads("\n".join(lines), f"{origin} '#+' header", QueryError)
    if not isinstance(header, dict):
        raise QueryError(f"{origin}:1: the '#+' header must be YAML 'key: value' lines")
    unknown = sorted(set(header) - _HEADER_KEYS)
    if unknown:
        raise QueryError(f"{origin}: unknown header key {unknown[0]!r}; "
                         f"allowed: {', '.join(sorted(_HEADER_KEYS))}")
    if not isinstance(header.get("summary"), str) or not header["summary"].strip():
        raise QueryError(f"{origin}:1: the header needs a 'summary' saying what it answers")
    return header


def _names(value: Any, origin: str, key: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise QueryError(f"{origin}: header '{key}' must be a YAML list")
    return value


def parse(name: str, text: str, origin: str) -> SavedQuery:
    """Check one saved query's text; :class:`QueryError` naming ``origin`` and the line."""
    header = read_header(origin, text)
    params = parameters(text)
    by_name = {p.name: p for p in params}
    reserved = sorted({"limit", "offset"} & set(by_name))
    if reserved:
        raise QueryError(f"{origin}: parameter name {reserved[0]!r} is kept for paging "
                         f"(--limit, --offset); rename its variable")
    defaults: dict[str, str] = {}
    for item in _names(header.get("defaults"), origin, "defaults"):
        if not isinstance(item, dict) or len(item) != 1:
            raise QueryError(f"{origin}: each 'defaults' entry must be '- name: value'")
        (key, value), = item.items()
        if key not in by_name:
            raise QueryError(f"{origin}: default for undeclared parameter {key!r}; "
                             f"the query's parameters: {listing(params)}")
        defaults[key] = str(value)
    enum = [str(n) for n in _names(header.get("enumerate"), origin, "enumerate")]
    for key in enum:
        if key not in by_name:
            raise QueryError(f"{origin}: 'enumerate' names undeclared parameter {key!r}")
    if form(text) not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        raise QueryError(f"{origin}: not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
    return SavedQuery(
        name=name, text=text, summary=header["summary"].strip(), origin=origin,
        description=str(header.get("description") or "").strip(),
        tags=[str(t) for t in _names(header.get("tags"), origin, "tags")],
        defaults=defaults, enumerate=enum, parameters=params,
    )


def load(path: Path) -> SavedQuery:
    """Read and check one ``.rq`` file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read it ({exc})") from None
    return parse(path.stem, text, str(path))


def load_all(folder: Path) -> dict[str, SavedQuery]:
    """Every saved query of ``folder`` by name, checked."""
    return {p.stem: load(p) for p in sorted(folder.glob("*.rq"))}


def snapshot(folder: Path) -> dict[str, Any]:
    """The saved queries of ``folder`` as JSON-able data, for the build folder."""
    import hashlib  # here: the build needs it, the read path (6 ms) does not

    queries = load_all(folder)
    digest = hashlib.sha256("".join(q.text for q in queries.values()).encode()).hexdigest()
    return {"sha256": digest, "queries": {n: q.to_json() for n, q in queries.items()}}


def from_snapshot(data: dict[str, Any]) -> dict[str, SavedQuery]:
    return {n: SavedQuery.from_json(q) for n, q in data["queries"].items()}


def listing(params: list[Parameter]) -> str:
    return ", ".join(p.describe() for p in params) or "none"


def term_for(param: Parameter, value: Any):
    """Turn a value (text, a number, or a pyoxigraph term, taken as it is) into the RDF term
    for ``param``; reject what does not fit.

    >>> str(term_for(Parameter("_x_iri", "x", "iri", True), "id:japan"))
    '<https://w3id.org/agreements-kg/id/japan>'
    >>> str(term_for(Parameter("_y_integer", "y", "integer", True), "2023"))
    '"2023"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    from pyoxigraph import Literal, NamedNode

    if isinstance(value, Literal | NamedNode):
        return value
    value = str(value).lower() if isinstance(value, bool) else str(value)
    kind = param.type
    if kind == "iri":
        iri = expand(value)
        if iri is None:
            from kg.namespace import PREFIXES

            prefix = value.strip().partition(":")[0]
            if ":" in value and not value.strip().startswith("<") and prefix not in PREFIXES \
                    and prefix.isidentifier():
                reason = f"unknown prefix {prefix!r}"
            else:
                reason = "not an IRI or CURIE (spaces, <, >, \" and { cannot be in one)"
            raise QueryError(f"parameter {param.name!r}: {value!r}: {reason}; write a CURIE "
                             "such as id:japan (prefixes: kg sparql --help) or a full IRI "
                             "in <...>")
        return NamedNode(iri)
    if re.fullmatch(r"[a-z]{2,3}", kind) and kind not in _DATATYPES:  # a language tag
        return Literal(value, language=kind)
    datatype = _DATATYPES.get(kind)
    if datatype is None and kind.startswith("xsd_"):
        datatype = XSD + kind[4:]
    if datatype is None:
        raise QueryError(f"parameter {param.name!r} has unknown type {kind!r}")
    pattern = _LEXICAL.get(datatype)
    if pattern and not re.fullmatch(pattern, value.strip()):
        raise QueryError(f"parameter {param.name!r}: {value!r} is not a valid {kind}")
    return Literal(value.strip() if pattern else value, datatype=NamedNode(datatype))


def bind(query: SavedQuery, given: dict[str, Any]) -> dict[str, Any]:
    """Map the query's variables to typed terms from ``given`` (name -> value, see
    :func:`term_for`).

    Raises :class:`QueryError` listing the parameters for an unknown or a missing required one
    (with the header's example value, if any).
    """
    by_name = {p.name: p for p in query.parameters}
    unknown = sorted(set(given) - set(by_name))
    if unknown:
        raise QueryError(f"{query.name}: unknown parameter {unknown[0]!r}; "
                         f"its parameters: {listing(query.parameters)}")
    bindings = {}
    for param in query.parameters:
        if param.name in given:
            bindings[param.variable] = term_for(param, given[param.name])
        elif param.required:
            example = query.examples.get(param.name, "VALUE")
            raise QueryError(f"{query.name}: missing parameter {param.name!r}; give it with "
                             f"--param {param.name}={example} "
                             f"(parameters: {listing(query.parameters)})")
    return bindings
