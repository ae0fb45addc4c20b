"""Talking to remote SPARQL endpoints through SPARQLWrapper.

Credentials come only from the environment (``KG_USER``, ``KG_PASSWORD``, ``KG_AUTH`` = basic or
digest) and never appear in messages: errors name the endpoint without its userinfo.
"""

from __future__ import annotations

import http.client
import os
import socket
import urllib.error
from collections.abc import Iterable
from urllib.parse import urlencode, urlsplit, urlunsplit

from kg.errors import EndpointError
from kg.namespace import GRAPHS


def safe_url(url: str) -> str:
    """``url`` without any user:password part, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, ""))


class Unauthorized(EndpointError):
    """The endpoint asked for credentials, or refused the ones given."""


class Truncated(EndpointError):
    """The endpoint returned only the first ``max_rows`` rows of the answer."""

    def __init__(self, message: str, max_rows: int) -> None:
        super().__init__(message)
        self.max_rows = max_rows


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
        return Unauthorized(f"{url} forbids this (HTTP 403): it is read-only, or the user in "
                            "KG_USER may not do it")
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
    from kg.queries import query_form

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
