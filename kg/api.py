"""The Python API: a built graph (:class:`Graph`) and a remote store (:class:`Endpoint`) with the
same query methods, as the command line uses them.

>>> import kg
>>> graph = kg.Graph(built)                      # a folder `kg build` wrote
>>> rows = graph.query("signatories").dicts()
>>> sorted(row["signerLabel"] for row in rows)
['George Freeman', 'Nakatani Shinichi']
>>> arrangement = "id:uk-japan-science-and-technology-implementing-arrangement-2023"
>>> bool(graph.query("did-sign", person="id:george-freeman", agreement=arrangement))
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kg.errors import QueryError
from kg.query.results import Result
from kg.query.saved import SavedQuery


class _Queries:
    """Saved and ad-hoc queries; subclasses say where they run and where saved queries are."""

    def saved(self) -> dict[str, SavedQuery]:
        raise NotImplementedError

    def _run(self, text: str, bindings: dict[str, Any], origin: str) -> Result:
        raise NotImplementedError

    def saved_query(self, name: str) -> SavedQuery:
        """The saved query ``name``; :class:`QueryError` listing the names if there is none."""
        queries = self.saved()
        found = queries.get(name.removesuffix(".rq"))
        if found is None:
            raise QueryError(f"no saved query {name!r}; kg queries lists them "
                             f"({', '.join(sorted(queries))})")
        return found

    def query(self, name: str, *, limit: int | None = None, offset: int = 0,
              **params: Any) -> Result:
        """Run saved query ``name`` with its parameters given as keywords: text (an IRI, a
        CURIE such as ``id:japan``, a date, a number) or pyoxigraph terms. ``limit`` and
        ``offset`` page its rows (in the query's own order).

        Raises :class:`QueryError` for an unknown query, a missing or unknown parameter, or a
        value that is not a valid term of the parameter's type.
        """
        from kg.query.saved import bind

        saved = self.saved_query(name)
        origin = saved.origin or saved.name
        return self._run(_paged(saved.text, limit, offset, origin), bind(saved, params), origin)

    def sparql(self, text: str, origin: str = "query", *, limit: int | None = None,
               offset: int = 0) -> Result:
        """Run ad-hoc SPARQL (the project's prefixes are predeclared), paged by ``limit`` and
        ``offset`` as :meth:`query`; :class:`QueryError` with ``origin:line:column`` when it
        does not parse."""
        if not text.strip():
            raise QueryError(f"{origin}: the query is empty")
        return self._run(_paged(text, limit, offset, origin), {}, origin)


def _paged(text: str, limit: int | None, offset: int, origin: str) -> str:
    from kg.query.sparql import page

    try:
        return page(text, limit, offset)
    except ValueError as exc:
        raise QueryError(f"{origin}: {exc}; leave out --limit and --offset") from None


class Graph(_Queries):
    """A graph built by :func:`kg.build`, opened read-only.

    ``path`` is the build folder (default: ``$KG_BUILD`` or ``./kg-build``). Raises
    :class:`kg.errors.NotBuilt` when it holds no complete build.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        from kg.dataset import check_format
        from kg.query.run import open_store
        from kg.resources import default_build

        self.path = Path(path) if path is not None else default_build()
        check_format(self.path)
        self.store = open_store(self.path)
        self._saved: dict[str, SavedQuery] | None = None

    def __repr__(self) -> str:
        return f"Graph({str(self.path)!r})"

    def saved(self) -> dict[str, SavedQuery]:
        """The saved queries the graph was built with, by name."""
        if self._saved is None:
            import json

            from kg.dataset import QUERIES, require
            from kg.query.saved import from_snapshot

            data = json.loads(require(self.path, QUERIES).read_text(encoding="utf-8"))
            self._saved = from_snapshot(data)
        return self._saved

    def _run(self, text: str, bindings: dict[str, Any], origin: str) -> Result:
        from kg.query.run import run_local

        return run_local(self.store, text, bindings, origin)

    def lookup(self, text: str, limit: int = 5) -> list:
        """Entities whose names match ``text`` (forgiving case, accents and typos), best first,
        as :class:`kg.query.lookup.Match` values."""
        from kg.dataset import NAMES, require
        from kg.query.lookup import search

        if limit < 1:
            raise QueryError("the limit must be at least 1")
        return search(require(self.path, NAMES), text, limit)

    def entity(self, name: str) -> str:
        """The IRI an IRI or CURIE names; :class:`QueryError` for anything else."""
        from kg.namespace import expand, slug

        iri = expand(name)
        if iri is None:
            hint = f"did you mean id:{slug(name)}? " if ":" not in name and slug(name) else ""
            raise QueryError(f"{name!r} is not an IRI or a CURIE with a known prefix; {hint}"
                             "kg lookup finds entities by name")
        return iri

    def describe(self, name: str, most: int | None = None):
        """The card (:class:`kg.query.lookup.Card`) of the entity an IRI or CURIE names:
        types, relations both ways, evidence; with ``most``, at most that many relations each
        way and evidence records (``card.left_off`` counts the rest). :class:`QueryError` when
        nothing is known of it."""
        from kg.query.lookup import card

        if most is not None and most < 1:
            raise QueryError(f"most must be at least 1, not {most} (kg describe --show)")
        found = card(self.store, self.entity(name), most)
        if found is None:
            raise QueryError(f"nothing is known about {name!r}; kg lookup finds entities by name")
        return found

    def why(self, subject: str, predicate: str, obj: str) -> str:
        """Where the triple comes from, as text: its quotes, or its OWL 2 RL derivation."""
        from kg.query.why import explain

        return explain(self.store, subject, predicate, obj)

    def validate(self) -> list[str]:
        """The SHACL violations of the build against the shapes it was built with."""
        from kg import dataset
        from kg.builder.ontology import load_shapes
        from kg.builder.shapes import DATA_GRAPHS, validate

        shapes = load_shapes(dataset.require(self.path, dataset.SHAPES).read_text("utf-8"))
        graphs = dataset.read(self.path, DATA_GRAPHS)
        return validate((t for g in graphs.values() for t in g), shapes)


class Endpoint(_Queries):
    """A SPARQL endpoint holding a loaded build (see ``kg load``), queried like a :class:`Graph`.

    Credentials come from ``KG_USER`` / ``KG_PASSWORD`` (``KG_AUTH`` = basic or digest).
    """

    def __init__(self, url: str, timeout: float = 60.0) -> None:
        if timeout <= 0:
            raise QueryError("the timeout must be a positive number of seconds")
        self.url, self.timeout = url, timeout
        self._saved: dict[str, SavedQuery] | None = None

    def __repr__(self) -> str:
        from kg.stores.remote import safe_url

        return f"Endpoint({safe_url(self.url)!r})"

    def saved(self) -> dict[str, SavedQuery]:
        """The saved queries shipped with the package."""
        if self._saved is None:
            from kg.query.saved import load_all
            from kg.resources import QUERIES_DIR

            self._saved = load_all(QUERIES_DIR)
        return self._saved

    def _run(self, text: str, bindings: dict[str, Any], origin: str) -> Result:
        from kg.query.run import run_remote

        return run_remote(self.url, text, bindings, origin, self.timeout)
