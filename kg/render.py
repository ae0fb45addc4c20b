"""Render pyoxigraph query results: a table for people, standard formats for scripts.

``csv``, ``tsv`` and ``json`` are the W3C SPARQL results formats (TSV and JSON keep every term's
type exactly); ``table`` and ``md`` show IRIs as CURIEs for reading. Graph results
(CONSTRUCT/DESCRIBE) are written as Turtle, N-Triples or JSON-LD.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from kg.namespace import PREFIXES, curie


class Format(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    md = "md"
    ttl = "ttl"
    nt = "nt"
    jsonld = "jsonld"


def short(term: Any) -> str:
    """A term for reading: IRIs as CURIEs where a prefix fits, literals as their text."""
    if term is None:
        return ""
    name = type(term).__name__
    if name == "NamedNode":
        return curie(term.value)
    if name == "BlankNode":
        return f"_:{term.value}"
    return term.value


def _table(header: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        esc = [[c.replace("|", "\\|").replace("\n", " ") for c in row] for row in rows]
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in esc]) + "\n"
    rows = [[c.replace("\n", " ") for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]
    noun = "row" if len(rows) == 1 else "rows"
    return "\n".join(out) + f"\n({len(rows)} {noun})\n"


def render(result: Any, fmt: Format) -> bytes:
    """Bytes to print for a query result in format ``fmt``."""
    from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, serialize

    if isinstance(result, QueryBoolean):
        if fmt in (Format.table, Format.md):
            return b"yes\n" if bool(result) else b"no\n"
        target = {Format.csv: QueryResultsFormat.CSV, Format.tsv: QueryResultsFormat.TSV}
        return result.serialize(format=target.get(fmt, QueryResultsFormat.JSON))
    if isinstance(result, QuerySolutions):
        if fmt in (Format.table, Format.md):
            header = [v.value for v in result.variables]
            rows = [[short(s[v]) for v in header] for s in result]
            return _table(header, rows, fmt == Format.md).encode("utf-8")
        target = {Format.csv: QueryResultsFormat.CSV, Format.tsv: QueryResultsFormat.TSV,
                  Format.json: QueryResultsFormat.JSON}
        if fmt not in target:
            raise ValueError(f"a SELECT result cannot be written as {fmt.value}; "
                             "use table, csv, tsv, json or md")
        return result.serialize(format=target[fmt])
    # graph results: QueryTriples from a store, or an iterator of triples from a parser
    triples = sorted(result, key=str)
    rdf = {Format.nt: RdfFormat.N_TRIPLES, Format.jsonld: RdfFormat.JSON_LD,
           Format.json: RdfFormat.JSON_LD}.get(fmt, RdfFormat.TURTLE)
    return serialize(triples, format=rdf, prefixes=PREFIXES) if rdf != RdfFormat.N_TRIPLES \
        else serialize(triples, format=rdf)
