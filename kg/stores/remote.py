"""Talking to remote SPARQL endpoints through SPARQLWrapper.

Credentials come only from the environment (``KG_USER``, ``KG_PASSWORD``, ``KG_AUTH`` = basic or
digest) and never appear in messages: errors name the endpoint without its userinfo.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import urllib.error
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from kg.errors import EndpointError, ReadOnly, Truncated, Unauthorized
from kg.namespace import GRAPHS


def safe_url(url: str) -> str:
    """``url`` without any user:password part, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, ""))


_prompted: tuple[str, str, str] | None = None


def remember(user: str, password: str, auth: str = "digest") -> None:
    """Use these credentials (typed at a prompt) for the rest of the process; never logged."""
    global _prompted
    _prompted = (user, password, auth)


def credentials() -> tuple[str, str, str] | None:
    """``(user, password, auth)`` from ``KG_USER``/``KG_PASSWORD``/``KG_AUTH``, or from a prompt."""
    user, password = os.environ.get("KG_USER"), os.environ.get("KG_PASSWORD")
    if not user:
        return _prompted
    auth = os.environ.get("KG_AUTH", "basic").lower()
    if auth not in ("basic", "digest"):
        raise EndpointError(f"KG_AUTH must be basic or digest, not {auth!r}")
    return user, password or "", auth


def wrapper(endpoint: str, timeout: float):
    from SPARQLWrapper import BASIC, DIGEST, SPARQLWrapper

    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"{safe_url(endpoint)!r} is not an http(s) endpoint URL")
    if parts.username or parts.password:
        raise EndpointError("put credentials in KG_USER and KG_PASSWORD, not in the endpoint URL")
    client = SPARQLWrapper(endpoint)
    client.setTimeout(int(max(1, timeout)))
    client.setMethod("POST")
    # content negotiation only: SPARQLWrapper otherwise adds format=xml&output=xml, which
    # Virtuoso obeys, answering 406 to a CONSTRUCT
    client.setOnlyConneg(True)
    creds = credentials()
    if creds:
        user, password, auth = creds
        client.setHTTPAuth(DIGEST if auth == "digest" else BASIC)
        client.setCredentials(user, password)
    return client


def _refused(url: str, code: int) -> Unauthorized:
    if code == 403:
        return ReadOnly(f"{url} forbids this (HTTP 403): the store is read-only (serve the "
                        "build with kg serve --writable) or the user in KG_USER may not write")
    if credentials() is None:
        return Unauthorized(f"{url} needs credentials (HTTP {code}); set KG_USER and KG_PASSWORD "
                            "(and KG_AUTH=basic or digest) in the environment")
    return Unauthorized(f"{url} refused the credentials (HTTP {code}); check KG_USER, "
                        "KG_PASSWORD and KG_AUTH")


def explain(exc: BaseException, endpoint: str, timeout: float) -> EndpointError:
    """One line for what went wrong talking to ``endpoint``, without credentials."""
    url = safe_url(endpoint)
    if isinstance(exc, urllib.error.HTTPError):
        if exc.code in (401, 403):
            return _refused(url, exc.code)
        detail = ""
        try:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()[0][:200]
        except Exception:  # the body is only a courtesy
            detail = ""
        return EndpointError(f"{url} answered HTTP {exc.code} {exc.reason}"
                             + (f": {detail}" if detail else ""))
    name = type(exc).__name__
    if name == "Unauthorized":
        return _refused(url, 401)
    if name in ("QueryBadFormed", "EndPointInternalError", "EndPointNotFound", "URITooLong"):
        first = str(exc).strip().splitlines()
        return EndpointError(f"{url} rejected the request ({name}: "
                             f"{first[-1][:200] if first else ''})")
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, socket.timeout | TimeoutError) or "timed out" in str(reason):
        return EndpointError(f"{url} did not answer within {timeout:g} s; raise --timeout or "
                             "check the server")
    if isinstance(reason, ConnectionRefusedError) or "refused" in str(reason).lower():
        return EndpointError(f"{url} is down or not listening (connection refused); start the "
                             "server or fix the URL")
    if isinstance(reason, ConnectionError | http.client.HTTPException):
        return EndpointError(f"{url} dropped the connection mid-request "
                             f"({type(reason).__name__}); check the server and its logs")
    return EndpointError(f"cannot reach {url} ({str(reason).splitlines()[0][:200]}); check the URL")


def post_query(endpoint: str, text: str, timeout: float,
               graphs: Iterable[str] | None = None) -> tuple[str, bytes, str]:
    """POST a query over the SPARQL 1.1 Protocol, with the project's graphs as the dataset
    (or ``graphs``; an empty list sends no dataset, so the store's own default applies).

    Returns ``(kind, body, content_type)`` where kind is ``results`` or ``graph``.
    """
    from kg.query.sparql import form as query_form

    client = wrapper(endpoint, timeout)
    form = query_form(text)
    client.setQuery(text)
    for graph in GRAPHS.values() if graphs is None else graphs:
        client.addDefaultGraph(graph)
        client.addNamedGraph(graph)
    if form in ("CONSTRUCT", "DESCRIBE"):
        client.addCustomHttpHeader("Accept", "application/n-triples, text/turtle;q=0.9")
    else:
        client.addCustomHttpHeader("Accept", "application/sparql-results+json, "
                                             "application/sparql-results+xml;q=0.9")
    try:
        response = client.query().response
        body = response.read()
        content_type = response.headers.get("Content-Type", "")
        max_rows = response.headers.get("X-SPARQL-MaxRows")
    except Exception as exc:  # SPARQLWrapper and urllib raise many types; all become one line
        raise explain(exc, endpoint, timeout) from None
    if max_rows:
        raise Truncated(f"{safe_url(endpoint)} cut the answer at {max_rows} rows (Virtuoso's "
                        "ResultSetMaxRows); raise it in virtuoso.ini or add LIMIT/OFFSET",
                        int(max_rows))
    kind = "graph" if form in ("CONSTRUCT", "DESCRIBE") else "results"
    return kind, body, content_type


def post_update(endpoint: str, text: str, timeout: float) -> None:
    """POST a SPARQL 1.1 Update through SPARQLWrapper; :class:`EndpointError` on any failure."""
    from SPARQLWrapper import POSTDIRECTLY

    client = wrapper(endpoint, timeout)
    client.setQuery(text)
    client.setRequestMethod(POSTDIRECTLY)  # the body is the update, not a form: no size blowup
    try:
        client.query().response.read()
    except Exception as exc:  # SPARQLWrapper and urllib raise many types; all become one line
        raise explain(exc, endpoint, timeout) from None


def graph_store(endpoint: str, method: str, graph: str, timeout: float,
                body: bytes | None = None, media_type: str = "application/n-triples") -> bytes:
    """One request of the SPARQL 1.1 Graph Store HTTP Protocol on ``graph`` (indirect
    identification, ``?graph=``); returns the response body. Same credentials as queries."""
    import urllib.request

    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"{safe_url(endpoint)!r} is not an http(s) endpoint URL")
    if parts.username or parts.password:
        raise EndpointError("put credentials in KG_USER and KG_PASSWORD, not in the endpoint URL")
    url = endpoint + ("&" if parts.query else "?") + urlencode({"graph": graph})
    headers = {"Content-Type": media_type} if body is not None else {
        "Accept": "application/n-triples, text/turtle;q=0.9"}
    handlers = []
    creds = credentials()
    if creds:
        user, password, auth = creds
        if auth == "digest":
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, endpoint, user, password)
            handlers.append(urllib.request.HTTPDigestAuthHandler(manager))
        else:  # pre-emptive, so a large body is not sent twice
            import base64

            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {token}"
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.build_opener(*handlers).open(request, timeout=timeout) as response:
            return response.read()
    except Exception as exc:
        raise explain(exc, endpoint, timeout) from None


def query(endpoint: str, text: str, form: str, timeout: float = 60.0,
          graphs: list[str] | None = None) -> Any:
    """Run a query (of ``form``) on a SPARQL endpoint; credentials come from ``KG_USER`` /
    ``KG_PASSWORD``. The dataset is the project's graphs, or ``graphs`` (``[]``: the store's
    own default).

    The answer is parsed into pyoxigraph objects, as a local store returns them, with
    literals in the canonical form the local store gives them (stores differ: Virtuoso keeps
    ``xsd:nonNegativeInteger``, Oxigraph answers ``xsd:integer``). Virtuoso's quirks are undone:
    an ASK answered as a one-column table becomes a boolean, and a SELECT cut at its
    ResultSetMaxRows is fetched again page by page when it has ORDER BY and no LIMIT.
    """
    import pyoxigraph

    try:
        kind, body, content_type = post_query(endpoint, text, timeout, graphs)
    except Truncated as exc:
        if not _pageable(text, form):
            raise
        # a page exactly as long as the limit still counts as cut, so stay one below it
        return _solutions(_paged(text, endpoint, timeout, max(1, exc.max_rows - 1), graphs))
    if kind == "graph":
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
    if form == "ASK" and variables == ["__ASK_RETVAL"]:  # Virtuoso
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


def _pageable(text: str, form: str) -> bool:
    from kg.query.sparql import tokens

    body = " ".join(t.text if t.kind in ("word", "punct") else "_" for t in tokens(text))
    tail = body.rsplit("}", 1)[-1]
    return (form == "SELECT" and re.search(r"(?i)\bORDER\s+BY\b", tail) is not None
            and re.search(r"(?i)\b(LIMIT|OFFSET|VALUES)\b", tail) is None)


def _paged(text: str, endpoint: str, timeout: float, size: int,
           graphs: list[str] | None) -> tuple[list[str], list]:
    """All rows of an ordered SELECT, ``size`` rows per request."""
    import pyoxigraph

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
