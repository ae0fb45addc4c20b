"""Load the built dataset into a triplestore over SPARQL 1.1 Update or the Graph Store Protocol.

Each of the four named graphs (ontology, asserted, evidence, inferred) is first written, in chunks,
into a staging graph next to its target; the staging graphs are counted against what was sent;
only then does one update request move them all onto their targets (``MOVE`` replaces a graph in
the store's own transaction). A failure or Ctrl-C before that request leaves the target graphs
exactly as they were, and loading twice leaves what loading once does.

Blank nodes are scoped to one request in both protocols, so triples sharing a blank node always
travel in the same chunk; Virtuoso refuses blank nodes in ``INSERT DATA``, so chunks holding some
are sent as ``INSERT { ... } WHERE {}`` instead, which every store accepts.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import (
    EndpointError,
    KGError,
    LoadError,
    LoadInterrupted,
    ReadOnly,
    Unauthorized,
)
from kg.namespace import GRAPH, GRAPHS
from kg.stores.remote import (
    credentials,
    graph_store,
    post_query,
    post_update,
    remember,
    safe_url,
)
from kg.terms import Triple

STAGING = "#kg-load-staging"  # appended to a target graph IRI: one staging graph per target


@dataclass
class LoadReport:
    """What a load sent and what the store holds afterwards, per graph name."""

    endpoint: str
    method: str
    targets: dict[str, str]
    sent: dict[str, int]
    held: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def triples(self) -> int:
        return sum(self.sent.values())

    @property
    def rate(self) -> float:
        """Triples per second, staging and swap included."""
        return self.triples / self.seconds if self.seconds else 0.0


def read_dataset(build_dir: Path) -> dict[str, list[Triple]]:
    """The built dataset's triples by graph name (N-Triples terms, sorted)."""
    from kg.dataset import read

    return {name: sorted(triples) for name, triples in read(build_dir).items()}


def target_graphs(graph_base: str | None = None) -> dict[str, str]:
    """Graph IRIs to load into: the project's, or the same names under ``graph_base``.

    >>> target_graphs("http://example.org/g/")["asserted"]
    'http://example.org/g/asserted'
    """
    if not graph_base:
        return dict(GRAPHS)
    return {name: graph_base + iri.removeprefix(GRAPH) for name, iri in GRAPHS.items()}


def chunks(triples: list, size: int) -> Iterator[list]:
    """Split ``triples`` into lists of about ``size``, never separating triples that share a
    blank node (a blank node label means a different node in each request)."""
    groups: dict[str, list] = {}
    plain: list = []
    parent: dict[str, str] = {}

    def root(b: str) -> str:
        while parent.setdefault(b, b) != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        return b

    for t in triples:
        blanks = [x for x in (t[0], t[2]) if x.startswith("_:")]
        if not blanks:
            plain.append(t)
            continue
        first = root(blanks[0])
        for other in blanks[1:]:
            parent[root(other)] = first
    for t in triples:
        blanks = [x for x in (t[0], t[2]) if x.startswith("_:")]
        if blanks:
            groups.setdefault(root(blanks[0]), []).append(t)
    batch: list = []
    for group in [*groups.values(), *([t] for t in plain)]:
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


def insert_text(graph: str, triples: list) -> str:
    """A SPARQL Update adding ``triples`` to ``graph`` (N-Triples terms are valid SPARQL)."""
    body = "\n".join(f"{s} {p} {o} ." for s, p, o in triples)
    if any(x.startswith("_:") for t in triples for x in (t[0], t[2])):
        return f"INSERT {{ GRAPH <{graph}> {{\n{body}\n}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}\n}} }}"


def count(query_endpoint: str, graph: str, timeout: float) -> int:
    """How many triples ``graph`` holds in the store."""
    import pyoxigraph

    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    _, body, content_type = post_query(query_endpoint, text, timeout, graphs=[])
    fmt = (pyoxigraph.QueryResultsFormat.XML if "xml" in content_type
           else pyoxigraph.QueryResultsFormat.JSON)
    try:
        rows = list(pyoxigraph.parse_query_results(body, format=fmt))
        return int(rows[0]["n"].value)
    except (SyntaxError, ValueError, IndexError, TypeError) as exc:
        raise EndpointError(f"{safe_url(query_endpoint)} answered a COUNT with something "
                            f"unexpected ({exc})") from None


def swap_text(staging: dict[str, str], targets: dict[str, str], sent: dict[str, int]) -> str:
    """One update request that replaces every target graph by its staging graph."""
    ops = []
    for name, target in targets.items():
        if sent[name]:
            ops.append(f"MOVE GRAPH <{staging[name]}> TO GRAPH <{target}>")
        else:
            ops.append(f"DROP SILENT GRAPH <{target}>")
    return " ;\n".join(ops)


def load(build_dir: Path, endpoint: str, *, query_endpoint: str | None = None,
         gsp_endpoint: str | None = None, method: str = "update",
         graph_base: str | None = None, chunk: int = 2000, timeout: float = 60.0,
         progress: Callable[[int, int], None] | None = None,
         prompt: Callable[[], tuple[str, str]] | None = None) -> LoadReport:
    """Load the built dataset into the store at ``endpoint`` (a SPARQL Update endpoint).

    ``method`` is ``update`` (INSERT DATA through SPARQLWrapper) or ``gsp`` (POST of N-Triples to
    ``gsp_endpoint``, the Graph Store Protocol); counts are read from ``query_endpoint``; both
    default to ``endpoint``. ``progress(done, total)`` is called after each chunk; ``prompt()``
    returns ``(user, password)`` when the store asks for credentials and none are set.

    Returns a :class:`LoadReport`. Raises :class:`LoadError` (target graphs untouched, unless the
    message says otherwise), :class:`LoadInterrupted` on Ctrl-C, or :class:`EndpointError`.
    """
    if method not in ("update", "gsp"):
        raise LoadError(f"--method must be update or gsp, not {method!r}")
    if chunk < 1:
        raise LoadError("--chunk must be at least 1")
    query_endpoint = query_endpoint or endpoint
    gsp_endpoint = gsp_endpoint or endpoint
    data = read_dataset(build_dir)
    targets = target_graphs(graph_base)
    staging = {name: iri + STAGING for name, iri in targets.items()}
    report = LoadReport(safe_url(endpoint), method, targets, {n: len(t) for n, t in data.items()})
    start = time.perf_counter()
    clear = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in staging.values())
    try:  # clears what an earlier failed load left, and finds out about credentials
        post_update(endpoint, clear, timeout)
    except ReadOnly:
        raise
    except Unauthorized:
        if prompt is None or credentials() is not None:
            raise
        user, password = prompt()
        remember(user, password, os.environ.get("KG_AUTH", "digest").lower())
        post_update(endpoint, clear, timeout)
    done, total = 0, report.triples
    try:
        for name, triples in data.items():
            for batch in chunks(triples, chunk):
                if method == "update":
                    post_update(endpoint, insert_text(staging[name], batch), timeout)
                else:
                    body = "".join(f"{s} {p} {o} .\n" for s, p, o in batch).encode("utf-8")
                    graph_store(gsp_endpoint, "POST", staging[name], timeout, body)
                done += len(batch)
                if progress:
                    progress(done, total)
        for name, graph in staging.items():
            held = count(query_endpoint, graph, timeout) if report.sent[name] else 0
            if held != report.sent[name]:
                raise LoadError(f"staging graph <{graph}> holds {held} triples but "
                                f"{report.sent[name]} were sent")
    except KeyboardInterrupt:
        _cleanup(endpoint, clear)
        raise LoadInterrupted(f"interrupted after {done} of {total} triples; the target graphs "
                              "are unchanged") from None
    except KGError as exc:
        left = "" if _cleanup(endpoint, clear) else (
            f" (staging graphs <...{STAGING}> may remain; the next load drops them)")
        raise LoadError(f"load failed after {done} of {total} triples, before the swap; the "
                        f"target graphs are unchanged{left}: {exc}") from None
    try:
        post_update(endpoint, swap_text(staging, targets, report.sent), timeout)
    except KeyboardInterrupt:
        raise LoadInterrupted("interrupted during the final swap request; the store applies it "
                              "whole or not at all: run 'kg load' again to be sure") from None
    except KGError as exc:
        raise LoadError(f"the final swap request failed; the store applies it whole or not at "
                        f"all, so run 'kg load' again: {exc}") from None
    report.held = {name: count(query_endpoint, graph, timeout) for name, graph in targets.items()}
    report.seconds = time.perf_counter() - start
    wrong = [f"<{targets[n]}> holds {report.held[n]}, sent {report.sent[n]}"
             for n in targets if report.held[n] != report.sent[n]]
    if wrong:
        raise LoadError("after the load the store does not hold what was sent: "
                        + "; ".join(wrong) + " (another writer, or the store rewrote terms)")
    return report


def _cleanup(endpoint: str, clear: str) -> bool:
    """Drop the staging graphs; False when the store cannot be reached any more."""
    try:
        post_update(endpoint, clear, 10.0)
    except (KGError, KeyboardInterrupt):
        return False
    return True
