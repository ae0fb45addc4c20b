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
from kg.namespace import GRAPHS, PREFIXES


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
    import pyoxigraph

    from kg.queries import substitute_text

    store = store or open_store(build_dir)
    graphs = [pyoxigraph.NamedNode(g) for g in GRAPHS.values()]
    # Bound terms replace their variables exactly as on the wire to a remote endpoint, so local
    # and remote answers agree (pyoxigraph's own substitution only takes projected variables).
    text = substitute_text(text, bindings or {})
    try:
        return store.query(text, default_graph=graphs, named_graphs=graphs)
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


def run_remote(text: str, endpoint: str, timeout: float = 60.0) -> Any:
    """Run a query on a SPARQL endpoint; credentials come from ``KG_USER``/``KG_PASSWORD``.

    The answer is parsed into pyoxigraph objects, as :func:`run_local` returns them.
    """
    import pyoxigraph

    from kg.remote import post_query

    form, body, content_type = post_query(endpoint, text, timeout)
    if form == "graph":
        return pyoxigraph.parse(body, format=_rdf_format(content_type))
    try:
        return pyoxigraph.parse_query_results(body, format=_results_format(content_type))
    except (SyntaxError, ValueError) as exc:
        raise EndpointError(f"{endpoint} answered something that is not SPARQL results "
                            f"({exc}); is it a SPARQL endpoint?") from None


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
