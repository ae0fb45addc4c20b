"""The build's files (see :mod:`kg.dataset` for the layout), written into a staging folder."""

from __future__ import annotations

import json
from pathlib import Path

from kg import dataset as files
from kg.namespace import GRAPHS, PREFIXES
from kg.output import write_text
from kg.terms import lines


def nquads(graphs: dict[str, set]) -> str:
    """The dataset as N-Quads, one line per quad, sorted: byte-identical for the same input."""
    out = []
    for name, graph in graphs.items():
        out += lines(graph, GRAPHS[name])
    out.sort()
    return "".join(out)


def _serialise(graphs: dict[str, set], folder: Path) -> None:
    """graph.ttl (everything merged) and dataset.trig (one block per named graph), sorted."""
    import pyoxigraph

    fmt = pyoxigraph.RdfFormat
    merged = set().union(*graphs.values())
    triples = pyoxigraph.parse("".join(lines(merged)).encode("utf-8"), format=fmt.N_TRIPLES)
    pyoxigraph.serialize(triples, str(folder / files.TURTLE), fmt.TURTLE, prefixes=PREFIXES)

    def quads():
        for name, graph in graphs.items():
            g = pyoxigraph.NamedNode(GRAPHS[name])
            text = "".join(lines(graph)).encode("utf-8")
            for t in pyoxigraph.parse(text, format=fmt.N_TRIPLES):
                yield pyoxigraph.Quad(t.subject, t.predicate, t.object, g)

    pyoxigraph.serialize(quads(), str(folder / files.TRIG), fmt.TRIG, prefixes=PREFIXES)


def write(dataset, report, folder: Path, annotations, shapes: str,
          progress=lambda _: None) -> None:
    """Write every file of a build into ``folder`` (an empty staging folder)."""
    import pyoxigraph

    from kg.query.saved import snapshot
    from kg.resources import QUERIES_DIR

    progress("store")
    graphs = dataset.graphs()
    write_text(folder / files.NQUADS, nquads(graphs))
    store = pyoxigraph.Store(str(folder / files.STORE))
    store.bulk_load(path=str(folder / files.NQUADS), format=pyoxigraph.RdfFormat.N_QUADS)
    store.optimize()
    store.flush()
    del store
    progress("serialise")
    _serialise(graphs, folder)
    sources = folder / files.SOURCES
    sources.mkdir()
    for annotation in annotations:
        write_text(sources / f"{annotation.source.id}.txt", annotation.source.text)
    write_text(folder / files.SHAPES, shapes)
    write_text(folder / files.QUERIES, json.dumps(snapshot(QUERIES_DIR), indent=1,
                                                  sort_keys=True, ensure_ascii=False) + "\n")
    manifest = {
        "documents": report.documents,
        "triples": report.triples,
        "entities": report.entities,
        "evidence_records": report.evidence_records,
        "draft_items": report.drafts,
        "graphs": GRAPHS,
    }
    write_text(folder / files.MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
