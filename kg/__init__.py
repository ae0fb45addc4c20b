"""A knowledge graph of international agreements: an OWL ontology, RDF built from annotated
source documents with evidence for every fact, OWL 2 RL reasoning, and saved SPARQL queries.

The API, exported lazily so that ``import kg`` stays cheap:

- :func:`build` (data folder -> build folder) returns a :class:`~kg.builder.pipeline.BuildReport`;
- :class:`Graph` opens a build: ``query(name, **params)``, ``sparql(text)``, ``lookup(text)``,
  ``describe(iri)``, ``why(s, p, o)``, ``validate()``;
- :class:`Endpoint` has the same query methods on a SPARQL endpoint;
- results are :class:`Result` objects of :class:`Row` values (``.dicts()`` for plain dicts);
- every error is a :class:`kg.errors.KGError`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Endpoint", "Format", "Graph", "KGError", "Result", "Row", "build"]

_WHERE = {
    "build": "kg.builder", "Graph": "kg.api", "Endpoint": "kg.api", "Result": "kg.query.results",
    "Row": "kg.query.results", "Format": "kg.query.results", "KGError": "kg.errors",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
