"""Running SPARQL on a build's store, or on a remote endpoint, into one kind of :class:`Result`.

Locally the build's pyoxigraph store is opened read-only and never parsed or reasoned again.
Both sides see the same dataset: the default graph is the merge of the project's four named
graphs, and ``GRAPH`` reaches each of them. The project's prefixes are predeclared (a query's
own PREFIX lines win). Bound parameters replace their variables in the text, the same way for
both, so local and remote answers agree.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from kg.errors import NotBuilt, QueryError
from kg.namespace import PREFIXES
from kg.query import sparql
from kg.query.results import Result


def open_store(build_dir: Path):
    """Open the store of a build read-only; :class:`NotBuilt` if there is none."""
    import pyoxigraph

    from kg.dataset import STORE, require

    path = require(build_dir, STORE)
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as exc:
        raise NotBuilt(f"cannot open the store in {path} ({exc}); run 'kg build' again") from None


def syntax_error(exc: SyntaxError, origin: str, text: str) -> QueryError:
    """A one-line error for pyoxigraph's syntax error, with ``origin:line:column``."""
    message = str(exc)
    match = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
    if not match:
        return QueryError(f"{origin}: SPARQL syntax error: {message.splitlines()[0]}")
    line, column, what = match.groups()
    if "Prefix not found" in what:
        known = {**PREFIXES, **sparql.prefixes(text)}
        unknown = [t.text.split(":")[0] for t in sparql.tokens(text)
                   if t.kind == "word" and ":" in t.text and t.text.split(":")[0] not in known]
        name = f"{unknown[0]}:" if unknown else "a prefix"
        return QueryError(f"{origin}:{line}:{column}: unknown prefix {name!r}; declare it with "
                          f"PREFIX or use one of {', '.join(p + ':' for p in PREFIXES)}")
    return QueryError(f"{origin}:{line}:{column}: SPARQL syntax error: {what.splitlines()[0]}")


def prepare(text: str, bindings: dict[str, Any] | None, origin: str) -> tuple[str, str]:
    """``(form, text with the bindings substituted)``; refuses updates."""
    form = sparql.form(text)
    if form == "UPDATE":
        raise QueryError(f"{origin}: this is a SPARQL Update; queries only read "
                         "(kg load writes to a store)")
    return form, sparql.substitute(text, {k: str(v) for k, v in (bindings or {}).items()})


def columns(text: str, variables: list[str]) -> list[str]:
    """The result's columns: for ``SELECT *`` in the order the variables first appear."""
    if not sparql.is_select_star(text):
        return variables
    order = {v: i for i, v in enumerate(sparql.variables(text))}
    return sorted(variables, key=lambda v: (order.get(v, len(order)), v))


def run_local(store, text: str, bindings: dict[str, Any] | None = None,
              origin: str = "query") -> Result:
    """Run a query on a build's store (see :func:`open_store`); rows are computed lazily.

    Raises :class:`QueryError` with ``origin:line:column`` for a syntax error.
    """
    form, text = prepare(text, bindings, origin)
    try:
        answer = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise syntax_error(exc, origin, text) from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise QueryError(f"{origin}: the query failed ({str(exc).splitlines()[0]})") from None
    variables = [v.value for v in answer.variables] if form == "SELECT" else []
    return Result(form, answer, columns(text, variables), origin)


def some(store, select: str, where: str, most: int | None,
         counted: str | None = None) -> tuple[list, int]:
    """The solutions of ``SELECT select { where }`` on a local store, at most ``most`` of them
    (in the store's order), and how many there are in all: counted in the store, which decodes
    no terms, only when the limit was reached. ``counted``, when given, is a pattern with as
    many solutions as ``where`` that is cheaper to count."""
    cut = f" LIMIT {most}" if most is not None else ""
    rows = list(store.query(f"SELECT {select} {{ {where} }}{cut}"))
    if most is None or len(rows) < most:
        return rows, len(rows)
    (count,) = store.query(f"SELECT (COUNT(*) AS ?n) {{ {counted or where} }}")
    return rows, int(count["n"].value)


def with_prologue(text: str) -> str:
    """``text`` with PREFIX lines for the project's prefixes it uses but does not declare."""
    own = sparql.prefixes(text)
    missing = [p for p in PREFIXES if p not in own]
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in missing) + text


def run_remote(endpoint: str, text: str, bindings: dict[str, Any] | None = None,
               origin: str = "query", timeout: float = 60.0) -> Result:
    """Run a query on a SPARQL endpoint; the same answer :func:`run_local` gives on the same
    data. A query that does not parse fails here, before any network traffic."""
    import pyoxigraph

    from kg.stores.remote import query

    form, text = prepare(text, bindings, origin)
    try:  # syntax only: nothing is evaluated on an empty store
        pyoxigraph.Store().query(text, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise syntax_error(exc, origin, text) from None
    except (OSError, RuntimeError, ValueError):
        pass
    answer = query(endpoint, with_prologue(text), form, timeout)
    variables = [v.value for v in answer.variables] if form == "SELECT" else []
    return Result(form, answer, columns(text, variables), origin)
