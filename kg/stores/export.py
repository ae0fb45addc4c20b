"""Files for a triplestore's own bulk loader, made from what `kg build` wrote.

``nq``, ``trig`` and ``jsonld`` keep the four named graphs; ``nt`` and ``ttl`` are the merge of
all of them (for loaders that take one graph: name the target graph in the loader). Output is
sorted, so the same build exports the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path


class ExportFormat(StrEnum):
    nt = "nt"
    nq = "nq"
    ttl = "ttl"
    trig = "trig"
    jsonld = "jsonld"


def export(build_dir: Path, fmt: ExportFormat, graph_base: str | None = None) -> Iterator[bytes]:
    """The built dataset in ``fmt``, in chunks; graph IRIs moved under ``graph_base`` if given.

    Raises :class:`kg.errors.NotBuilt` when there is no build.
    """
    import pyoxigraph
    from pyoxigraph import Quad, RdfFormat

    from kg.dataset import NQUADS, require
    from kg.namespace import GRAPHS, PREFIXES
    from kg.stores.load import target_graphs

    path = require(build_dir, NQUADS)
    if fmt is ExportFormat.nq and not graph_base:
        with open(path, "rb") as handle:
            yield from iter(lambda: handle.read(1 << 20), b"")
        return
    rename = {GRAPHS[n]: pyoxigraph.NamedNode(iri) for n, iri in target_graphs(graph_base).items()}
    quads = {Quad(q.subject, q.predicate, q.object, rename[q.graph_name.value])
             for q in pyoxigraph.parse(path=str(path), format=RdfFormat.N_QUADS)}
    if fmt in (ExportFormat.nt, ExportFormat.ttl):
        triples = sorted({q.triple for q in quads}, key=str)
        rdf = RdfFormat.N_TRIPLES if fmt is ExportFormat.nt else RdfFormat.TURTLE
        yield pyoxigraph.serialize(triples, format=rdf,
                                   **({} if fmt is ExportFormat.nt else {"prefixes": PREFIXES}))
        return
    rdf = {ExportFormat.nq: RdfFormat.N_QUADS, ExportFormat.trig: RdfFormat.TRIG,
           ExportFormat.jsonld: RdfFormat.JSON_LD}[fmt]
    ordered = sorted(quads, key=lambda q: (str(q.graph_name), str(q.triple)))
    kwargs = {"prefixes": PREFIXES} if fmt is ExportFormat.trig else {}
    data = pyoxigraph.serialize(ordered, format=rdf, **kwargs)
    yield data if data.endswith(b"\n") else data + b"\n"
