"""The read path: run SPARQL over what `kg build` stored, or over a remote endpoint.

Locally this opens the pyoxigraph store written by the build, read-only, and never parses or
reasons again. Remotely it speaks the SPARQL 1.1 Protocol and parses the answer back into the
same pyoxigraph result objects, so rendering is identical either way.

Both sides query the same dataset: the default graph is the merge of the project's four named
graphs (``default-graph-uri`` on the wire), and ``GRAPH`` can reach each of them
(``named-graph-uri``), whatever the store's own default-graph convention is.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from kg.errors import EndpointError, NotBuilt, QueryError
from kg.namespace import PREFIXES


def prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def open_store(build_dir: Path):
    """Open the store of a build read-only; :class:`NotBuilt` if there is none."""
    import pyoxigraph

    path = build_dir / "store"
    if not path.is_dir():
        raise NotBuilt(f"no built graph in {build_dir}; run 'kg build' first")
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as exc:
        raise NotBuilt(f"cannot open the store in {path} ({exc}); run 'kg build' again") from None


def _syntax(exc: SyntaxError, origin: str) -> QueryError:
    message = str(exc)
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if match:
        line, column, what = match.groups()
        return QueryError(f"{origin}:{line}:{column}: SPARQL syntax error: {what.splitlines()[0]}")
    return QueryError(f"{origin}: SPARQL syntax error: {message.splitlines()[0]}")


def run_local(text: str, build_dir: Path, bindings: dict[str, Any] | None = None,
              origin: str = "query", store=None) -> Any:
    """Run a query on the built store; returns pyoxigraph QuerySolutions, QueryBoolean or
    QueryTriples. Raises :class:`QueryError` (with ``origin:line:column``) on a syntax error."""
    from kg.queries import substitute_text

    store = store or open_store(build_dir)
    # Bound terms replace their variables exactly as on the wire to a remote endpoint, so local
    # and remote answers agree (pyoxigraph's own substitution only takes projected variables).
    text = substitute_text(text, bindings or {})
    try:
        # the store holds exactly the build's four graphs, so their union is the dataset the
        # protocol requests name remotely; pyoxigraph answers it faster than an explicit list
        return store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise _syntax(exc, origin) from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"{origin}: the query failed ({exc})") from None


def check_syntax(text: str, origin: str) -> None:
    """Parse ``text`` as a SPARQL query without running it on any data."""
    import pyoxigraph

    try:
        pyoxigraph.Store().query(text)
    except SyntaxError as exc:
        raise _syntax(exc, origin) from None


def run_remote(text: str, endpoint: str, timeout: float = 60.0,
               graphs: list[str] | None = None) -> Any:
    """Run a query on a SPARQL endpoint; credentials come from ``KG_USER``/``KG_PASSWORD``.
    The dataset is the project's graphs, or ``graphs`` (``[]``: the store's own default).

    The answer is parsed into pyoxigraph objects, as :func:`run_local` returns them, with
    literals in the canonical form the local store gives them (stores differ: Virtuoso keeps
    ``xsd:nonNegativeInteger``, Oxigraph answers ``xsd:integer``). Virtuoso's quirks are undone:
    an ASK answered as a one-column table becomes a boolean, and a SELECT cut at its
    ResultSetMaxRows is fetched again page by page when it has ORDER BY and no LIMIT.
    """
    import pyoxigraph

    from kg.queries import query_form
    from kg.remote import Truncated, post_query

    try:
        form, body, content_type = post_query(endpoint, text, timeout, graphs)
    except Truncated as exc:
        if not _pageable(text):
            raise
        # a page exactly as long as the limit still counts as cut, so stay one below it
        return _solutions(_paged(text, endpoint, timeout, max(1, exc.max_rows - 1), graphs))
    if form == "graph":
        return [pyoxigraph.Triple(canonical(t.subject), t.predicate, canonical(t.object))
                for t in pyoxigraph.parse(body, format=_rdf_format(content_type))]
    try:
        result = pyoxigraph.parse_query_results(_blank_labels(body),
                                                format=_results_format(content_type))
    except (SyntaxError, ValueError) as exc:
        raise EndpointError(f"{endpoint} answered something that is not SPARQL results "
                            f"({exc}); is it a SPARQL endpoint?") from None
    if not isinstance(result, pyoxigraph.QuerySolutions):
        return result
    variables = [v.value for v in result.variables]
    rows = [[s[v] for v in variables] for s in result]
    if query_form(text) == "ASK" and variables == ["__ASK_RETVAL"]:  # Virtuoso
        answer = bool(rows) and rows[0][0] is not None and rows[0][0].value not in ("0", "false")
        return pyoxigraph.parse_query_results(
            b'{"head":{},"boolean":' + (b"true" if answer else b"false") + b"}",
            format=pyoxigraph.QueryResultsFormat.JSON)
    return _solutions((variables, rows))


def _blank_labels(body: bytes) -> bytes:
    """JSON results with blank node labels made valid: Virtuoso answers ``nodeID://b10019``,
    which no parser accepts; the same label always maps to the same new one."""
    import json

    if b'"bnode"' not in body:
        return body
    try:
        data = json.loads(body)
    except ValueError:
        return body
    for row in data.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "bnode":
                term["value"] = re.sub(r"[^A-Za-z0-9_]", "_", term["value"])
    return json.dumps(data).encode("utf-8")


def _pageable(text: str) -> bool:
    from kg.queries import query_form

    tail = re.sub(r"#[^\n]*", "", re.sub(r"<[^<>\s]*>", "<>", text)).rsplit("}", 1)[-1]
    return (query_form(text) == "SELECT" and re.search(r"(?i)\bORDER\s+BY\b", tail) is not None
            and re.search(r"(?i)\b(LIMIT|OFFSET|VALUES)\b", tail) is None)


def _paged(text: str, endpoint: str, timeout: float, size: int,
           graphs: list[str] | None) -> tuple[list[str], list]:
    """All rows of an ordered SELECT, ``size`` rows per request."""
    import pyoxigraph

    from kg.remote import post_query

    variables: list[str] = []
    rows: list = []
    while True:
        _, body, content_type = post_query(
            endpoint, f"{text}\nLIMIT {size} OFFSET {len(rows)}", timeout, graphs)
        page = pyoxigraph.parse_query_results(_blank_labels(body),
                                              format=_results_format(content_type))
        variables = [v.value for v in page.variables]
        got = [[s[v] for v in variables] for s in page]
        rows.extend(got)
        if len(got) < size:
            return variables, rows


def _solutions(table: tuple[list[str], list]):
    """pyoxigraph QuerySolutions from variables and rows, literals made canonical."""
    import json

    import pyoxigraph

    variables, rows = table

    def term(t) -> dict:
        if isinstance(t, pyoxigraph.NamedNode):
            return {"type": "uri", "value": t.value}
        if isinstance(t, pyoxigraph.BlankNode):
            return {"type": "bnode", "value": t.value}
        t = canonical(t)
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != _XSD_STRING:
            out["datatype"] = t.datatype.value
        return out

    bindings = [{v: term(t) for v, t in zip(variables, row, strict=True) if t is not None}
                for row in rows]
    data = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return pyoxigraph.parse_query_results(json.dumps(data).encode("utf-8"),
                                          format=pyoxigraph.QueryResultsFormat.JSON)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_CANONICAL: dict = {}


def canonical(term: Any) -> Any:
    """``term`` as the local store would give it back (e.g. "1.50"^^xsd:decimal -> "1.5"):
    typed literals go through an in-memory pyoxigraph store, which canonicalises like the
    build's store."""
    import pyoxigraph

    if not isinstance(term, pyoxigraph.Literal) or term.language or \
            term.datatype.value == _XSD_STRING:
        return term
    if term not in _CANONICAL:
        node = pyoxigraph.NamedNode("urn:kg:canonical")
        store = pyoxigraph.Store()
        store.add(pyoxigraph.Quad(node, node, term))
        _CANONICAL[term] = next(iter(store.quads_for_pattern(node, node, None))).object
    return _CANONICAL[term]


def _results_format(content_type: str):
    from pyoxigraph import QueryResultsFormat

    if "xml" in content_type:
        return QueryResultsFormat.XML
    if "tab-separated" in content_type:
        return QueryResultsFormat.TSV
    if "csv" in content_type:
        raise EndpointError("the endpoint answered CSV, which loses term types; it must offer "
                            "application/sparql-results+json or +xml")
    return QueryResultsFormat.JSON


def _rdf_format(content_type: str):
    from pyoxigraph import RdfFormat

    for fmt in (RdfFormat.TURTLE, RdfFormat.N_TRIPLES, RdfFormat.RDF_XML, RdfFormat.JSON_LD):
        if fmt.media_type in content_type:
            return fmt
    return RdfFormat.TURTLE
