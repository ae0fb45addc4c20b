"""What a build folder holds, and the one reader of its dataset.

A build is self-contained: the commands that read it (queries, lookups, ``kg why``,
``kg validate``, ``kg docs``, export and load) need nothing else, not the data folder nor the
checkout.

==================  =========================================================================
``dataset.nq``      the four named graphs as N-Quads (the canonical output), in parts: the
                    ontology, the shared part (quads whose subject several documents name),
                    then one part per document (the quads whose subject only it names), each
                    sorted; ``kg export`` writes TriG, Turtle, JSON-LD or N-Triples from it
``manifest.json``   the build format (:data:`FORMAT`), counts per graph and per class, the documents
``store/``          a pyoxigraph store of the dataset, for queries
``names.sqlite``    every name of every entity, folded, indexed for ``kg lookup``
``sources/``        the exact source texts the evidence offsets point into
``shapes.ttl``      the SHACL shapes the build was validated with
``queries.json``    the saved queries (text and parsed header) the build was made with
``cache/``          what the next build into the same folder reuses (:mod:`kg.builder.cache`)
==================  =========================================================================
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kg.errors import NotBuilt
from kg.namespace import GRAPHS
from kg.terms import Triple

# The layout of a build's files, recorded in its manifest: raised whenever this version of kg
# cannot read what an earlier one wrote (2: names.sqlite's word vocabulary with character
# counts), so that an old build is refused with a message instead of failing on a file.
FORMAT = 2
NQUADS, MANIFEST, NAMES = "dataset.nq", "manifest.json", "names.sqlite"
STORE, SOURCES, SHAPES, QUERIES = "store", "sources", "shapes.ttl", "queries.json"


def require(build_dir: Path, part: str = STORE) -> Path:
    """``build_dir / part``, or :class:`NotBuilt` when the folder holds no complete build."""
    path = build_dir / part
    if not path.exists() or not (build_dir / MANIFEST).is_file():
        if build_dir.is_dir() and any(build_dir.iterdir()):
            raise NotBuilt(f"{build_dir} holds no complete build (no {part}); run 'kg build "
                           f"--out {build_dir}' or pass the right --build")
        raise NotBuilt(f"no built graph in {build_dir}; run 'kg build' first (or pass --build)")
    return path


def manifest(build_dir: Path) -> dict[str, Any]:
    return json.loads(require(build_dir, MANIFEST).read_text(encoding="utf-8"))


def check_format(build_dir: Path) -> None:
    """:class:`NotBuilt` unless the build in ``build_dir`` has this version's :data:`FORMAT`."""
    try:
        found = manifest(build_dir).get("format")
    except (OSError, ValueError, AttributeError):
        found = "unreadable"
    if found != FORMAT:
        raise NotBuilt(f"{build_dir} was built by another version of kg (build format "
                       f"{found or 1}; this version reads {FORMAT}); build it again with "
                       f"'kg build --out {build_dir}'")


def quads(build_dir: Path) -> Iterator[tuple[str, Triple]]:
    """``(graph name, triple)`` for every quad of the build, triples as N-Triples terms, in the
    file's order."""
    import pyoxigraph

    names = {iri: name for name, iri in GRAPHS.items()}
    path = require(build_dir, NQUADS)
    for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS):
        name = names.get(getattr(quad.graph_name, "value", None))
        if name is None:
            raise NotBuilt(f"{path} has a quad outside the project's graphs "
                           f"({quad.graph_name}); run 'kg build' again")
        yield name, (str(quad.subject), str(quad.predicate), str(quad.object))


def read(build_dir: Path, names: tuple[str, ...] = tuple(GRAPHS)) -> dict[str, set[Triple]]:
    """The build's named graphs (those in ``names``) as sets of N-Triples term triples."""
    out: dict[str, set[Triple]] = {name: set() for name in names}
    for name, triple in quads(build_dir):
        if name in out:
            out[name].add(triple)
    return out


def source_text(build_dir: Path, document: str) -> str:
    """The exact text of source ``document`` as the build read it."""
    return (require(build_dir, SOURCES) / f"{document}.txt").read_text(encoding="utf-8")
