"""The build: source documents and annotations -> evidence-backed RDF -> OWL 2 RL closure ->
SHACL validation -> a self-contained build folder.

=====================  =====================================================================
``sources``            read a document and its sidecar, strictly
``annotation``         an annotation file -> facts, each with its quote located in the text
``evidence``           facts -> the asserted graph and the evidence graph
``ontology``           the ontology, its shapes and the schema annotations are checked against
``shapes``             SHACL shapes compiled into fast checks, run part by part
``documents``          one document's share of a build, run in worker processes
``cache``              what a build reuses of the previous one in the same folder
``fit``                what a build will need, said before it starts
``write``              the build folder's files: dataset, store, name index, manifest
``pipeline``           :func:`build`, chaining the stages
=====================  =====================================================================
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kg.builder.pipeline import BuildReport


def build(data: Path | str = "data", out: Path | str | None = None, **options) -> BuildReport:
    """Build the graph from the data folder ``data`` into ``out``; see
    :func:`kg.builder.pipeline.build`."""
    from kg.builder.pipeline import build as run

    return run(Path(data), Path(out) if out is not None else None, **options)
