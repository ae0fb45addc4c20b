"""Saved SPARQL queries: grlc-style ``#+`` YAML headers, typed parameters, strict checks.

A saved query is a ``.rq`` file whose leading ``#+`` lines are YAML (``summary`` required;
``description``, ``tags``, ``defaults``, ``enumerate`` optional), so the folder stays valid
SPARQL and servable by grlc. Parameters are variables named as grlc names them:
``?_name_type`` (required) or ``?__name_type`` (optional), e.g. ``?_agreement_iri``,
``?__year_integer``, ``?_label_en``. Values given on the command line become typed RDF terms,
never text pasted into the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import QueryError
from kg.namespace import PREFIXES, XSD

_PARAM = re.compile(r"[?$](__?)([A-Za-z][A-Za-z0-9]*)(?:_([A-Za-z][A-Za-z0-9_]*))?\b")
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
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*")
_UPDATE = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
                     re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Parameter:
    """A query parameter: ``?_agreement_iri`` is name ``agreement``, type ``iri``, required."""

    variable: str  # without the leading ? or $
    name: str
    type: str  # iri, literal, integer, ..., or a language tag such as en
    required: bool

    def describe(self) -> str:
        return f"{self.name} ({self.type}{'' if self.required else ', optional'})"


@dataclass
class SavedQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    tags: list[str] = field(default_factory=list)
    defaults: dict[str, str] = field(default_factory=dict)
    enumerate: list[str] = field(default_factory=list)
    parameters: list[Parameter] = field(default_factory=list)

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE: the query form, read after the prologue."""
        return query_form(self.text)


def _operation(text: str) -> str:
    """``text`` without comments, IRIs' contents and the PREFIX/BASE prologue."""
    body = re.sub(r"#[^\n]*", "", re.sub(r"<[^<>\s]*>", "<>", text))  # IRIs may hold #
    return re.sub(r"(?is)\b(PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)", "", body)


def query_form(text: str) -> str:
    body = _operation(text)
    match = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body, re.IGNORECASE)
    return match.group(1).upper() if match else "UNKNOWN"


def is_update(text: str) -> bool:
    """True when ``text`` is a SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP...)."""
    return bool(_UPDATE.search(_operation(text))) and query_form(text) == "UNKNOWN"


def parameters(text: str) -> list[Parameter]:
    """The grlc parameters a query uses, in order of first appearance.

    >>> query = "SELECT * { ?s ?p ?_agreement_iri . ?s ?q ?__year_integer }"
    >>> [p.describe() for p in parameters(query)]
    ['agreement (iri)', 'year (integer, optional)']
    """
    found: dict[str, Parameter] = {}
    body = re.sub(r"(?m)#[^\n]*", "", text)
    body = re.sub(r'"(?:[^"\\\n]|\\.)*"|<[^>\s]*>', '""', body)  # not inside strings or IRIs
    for match in _PARAM.finditer(body):
        underscores, name, kind = match.groups()
        variable = match.group(0)[1:]
        if variable not in found:
            found[variable] = Parameter(variable, name, kind or "literal", underscores == "_")
    return list(found.values())


def read_header(path: Path, text: str) -> dict[str, Any]:
    import yaml

    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[2:].removeprefix(" "))
        elif line.strip() and not line.startswith("#"):
            break
    if not lines:
        raise QueryError(f"{path}:1: no '#+ summary:' header; every saved query needs one")
    try:
        header = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise QueryError(f"{path}:{line}: bad YAML in the '#+' header "
                         f"({getattr(exc, 'problem', exc)})") from None
    if not isinstance(header, dict):
        raise QueryError(f"{path}:1: the '#+' header must be YAML 'key: value' lines")
    unknown = sorted(set(header) - _HEADER_KEYS)
    if unknown:
        raise QueryError(f"{path}: unknown header key {unknown[0]!r}; "
                         f"allowed: {', '.join(sorted(_HEADER_KEYS))}")
    if not isinstance(header.get("summary"), str) or not header["summary"].strip():
        raise QueryError(f"{path}:1: the header needs a 'summary' saying what it answers")
    return header


def _names(value: Any, path: Path, key: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise QueryError(f"{path}: header '{key}' must be a YAML list")
    return value


def header_cache(folder: Path) -> dict[str, Any]:
    """Parsed headers of every query in ``folder`` keyed by the SHA-256 of the file's text.

    `kg build` stores this beside the graph so that `kg query` need not import a YAML parser
    (a fifth of its start-up time); a query edited since is parsed afresh.
    """
    import hashlib

    cache = {}
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        cache[hashlib.sha256(text.encode()).hexdigest()] = read_header(path, text)
    return cache


def load(path: Path, cache: dict[str, Any] | None = None) -> SavedQuery:
    """Read and check one saved query; raise :class:`QueryError` naming the file and line."""
    import hashlib

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read it ({exc})") from None
    digest = hashlib.sha256(text.encode()).hexdigest()
    header = (cache or {}).get(digest) or read_header(path, text)
    params = parameters(text)
    by_name = {p.name: p for p in params}
    defaults: dict[str, str] = {}
    for item in _names(header.get("defaults"), path, "defaults"):
        if not isinstance(item, dict) or len(item) != 1:
            raise QueryError(f"{path}: each 'defaults' entry must be '- name: value'")
        (name, value), = item.items()
        if name not in by_name:
            raise QueryError(f"{path}: default for undeclared parameter {name!r}; "
                             f"the query's parameters: {_listing(params)}")
        defaults[name] = str(value)
    enum = [str(n) for n in _names(header.get("enumerate"), path, "enumerate")]
    for name in enum:
        if name not in by_name:
            raise QueryError(f"{path}: 'enumerate' names undeclared parameter {name!r}")
    return SavedQuery(
        name=path.stem, path=path, text=text, summary=header["summary"].strip(),
        description=str(header.get("description") or "").strip(),
        tags=[str(t) for t in _names(header.get("tags"), path, "tags")],
        defaults=defaults, enumerate=enum, parameters=params,
    )


def load_all(folder: Path) -> dict[str, SavedQuery]:
    return {p.stem: load(p) for p in sorted(folder.glob("*.rq"))}


def find(folder: Path, name: str, cache: dict[str, Any] | None = None) -> SavedQuery:
    path = folder / f"{name.removesuffix('.rq')}.rq"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in folder.glob("*.rq")))
        raise QueryError(f"no saved query {name!r}; run 'kg queries' to list them ({known})")
    return load(path, cache)


def _listing(params: list[Parameter]) -> str:
    return ", ".join(p.describe() for p in params) or "none"


def expand_curie(value: str) -> str:
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return value


def term_for(param: Parameter, value: str):
    """Turn a command-line value into the RDF term for ``param``; reject what does not fit.

    >>> str(term_for(Parameter("_x_iri", "x", "iri", True), "id:japan"))
    '<https://w3id.org/agreements-kg/id/japan>'
    >>> str(term_for(Parameter("_y_integer", "y", "integer", True), "2023"))
    '"2023"^^<http://www.w3.org/2001/XMLSchema#integer>'
    """
    from pyoxigraph import Literal, NamedNode

    kind = param.type
    if kind == "iri":
        iri = expand_curie(value.strip().removeprefix("<").removesuffix(">"))
        if not _IRI.fullmatch(iri):
            raise QueryError(f"parameter {param.name!r}: {value!r} is not an IRI or known CURIE "
                             f"(e.g. id:japan); characters such as spaces, <, >, \" and {{ are "
                             "not allowed")
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


def bind(query: SavedQuery, given: dict[str, str]) -> dict[str, Any]:
    """Map the query's variables to typed terms from ``given`` (name -> text) and defaults.

    Raises :class:`QueryError` listing the parameters for an unknown or missing one.
    """
    by_name = {p.name: p for p in query.parameters}
    unknown = sorted(set(given) - set(by_name))
    if unknown:
        raise QueryError(f"{query.name}: unknown parameter {unknown[0]!r}; "
                         f"its parameters: {_listing(query.parameters)}")
    values = {**query.defaults, **given}
    bindings = {}
    for param in query.parameters:
        if param.name in values:
            bindings[param.variable] = term_for(param, values[param.name])
        elif param.required:
            raise QueryError(f"{query.name}: missing parameter {param.name!r}; give it with "
                             f"--param {param.name}=VALUE "
                             f"(parameters: {_listing(query.parameters)})")
    return bindings


def substitute_text(text: str, bindings: dict[str, Any]) -> str:
    """Replace bound parameter variables by their terms' N-Triples form, for remote endpoints.

    The terms come from :func:`term_for`, so their serialisation is escaped by pyoxigraph; a value
    cannot end its term early.
    """
    for variable, value in bindings.items():
        name = re.escape(variable)
        # a bound parameter is bound: BOUND(?__x) would otherwise become BOUND(<iri>), an error
        text = re.sub(r"(?i)\bBOUND\s*\(\s*[?$]" + name + r"\s*\)", "true", text)
        text = re.sub(r"[?$]" + name + r"\b", lambda _m, v=str(value): v, text)
    return text
