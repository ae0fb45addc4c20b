"""Query results: a :class:`Result` of typed terms, and its writers.

``csv``, ``tsv``, ``json`` and ``xml`` are the W3C SPARQL results formats, written row by row as
the rows are computed (bounded memory, output from the first row on); TSV, JSON and XML keep
every term's type exactly. ``table`` and ``md`` show IRIs as CURIEs, for reading. Graph results
(CONSTRUCT, DESCRIBE) are written as Turtle, N-Triples, N-Quads, JSON-LD or RDF/XML, sorted.
Every output ends with a newline.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import IO, Any

from kg.errors import QueryError
from kg.namespace import PREFIXES, XSD, curie


class Format(StrEnum):
    """Output formats. SELECT and ASK: table, csv, tsv, json, xml, md; CONSTRUCT and
    DESCRIBE: ttl, nt, nq, jsonld, xml."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    xml = "xml"
    md = "md"
    ttl = "ttl"
    nt = "nt"
    nq = "nq"
    jsonld = "jsonld"


SOLUTION_FORMATS = (Format.table, Format.csv, Format.tsv, Format.json, Format.xml, Format.md)
GRAPH_FORMATS = (Format.ttl, Format.nt, Format.nq, Format.jsonld, Format.xml)


class Row(tuple):
    """One solution: its terms in column order (``None`` where a variable is unbound)."""

    variables: tuple[str, ...] = ()

    def __new__(cls, terms: Iterable[Any], variables: tuple[str, ...]) -> Row:
        row = super().__new__(cls, terms)
        row.variables = variables
        return row

    def __getitem__(self, key):  # by position, or by variable name
        if isinstance(key, str):
            return tuple.__getitem__(self, self.variables.index(key))
        return tuple.__getitem__(self, key)

    def asdict(self) -> dict[str, Any]:
        """The bound variables as plain Python values (see :func:`value`)."""
        return {v: value(t) for v, t in zip(self.variables, self, strict=True) if t is not None}


_NUMBERS: dict[str, Callable[[str], Any]] = {
    **{XSD + n: int for n in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                              "positiveInteger", "nonPositiveInteger", "negativeInteger",
                              "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")},
    XSD + "decimal": Decimal, XSD + "double": float, XSD + "float": float,
    XSD + "boolean": lambda v: v in ("true", "1"), XSD + "date": date.fromisoformat,
}


def value(term: Any) -> Any:
    """A term as a plain value: IRIs and most literals as ``str``; integers, decimals, doubles,
    booleans and dates as ``int``, ``Decimal``, ``float``, ``bool`` and ``datetime.date``."""
    if term is None or type(term).__name__ != "Literal":
        return None if term is None else term.value
    convert = _NUMBERS.get(term.datatype.value)
    if convert is not None:
        try:
            return convert(term.value)
        except ValueError:
            return term.value
    return term.value


class Result:
    """The answer to a query: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).

    Rows and triples are computed lazily and can be iterated once. ``variables`` lists the
    columns: for ``SELECT *`` in the order the variables first appear in the query.
    """

    def __init__(self, form: str, answer: Any, variables: list[str] | None = None,
                 origin: str = "query") -> None:
        self.form, self.origin = form, origin
        self._answer = answer
        self.variables: tuple[str, ...] = tuple(variables or ())

    def __bool__(self) -> bool:
        if self.form != "ASK":
            raise TypeError(f"a {self.form} result is not a boolean; iterate over it")
        return bool(self._answer)

    def __iter__(self) -> Iterator[Any]:
        if self.form == "ASK":
            raise TypeError("an ASK result is a boolean: use bool(result)")
        try:
            for item in self._answer:
                if self.form == "SELECT":
                    yield Row((item[v] for v in self.variables), self.variables)
                else:
                    yield item
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"{self.origin}: the query failed while running "
                             f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"
                             ) from None

    def dicts(self) -> list[dict[str, Any]]:
        """All rows as plain dicts (variable -> Python value), e.g. for ``pandas.DataFrame``."""
        return [row.asdict() for row in self]

    def write(self, out: IO[bytes], fmt: Format) -> None:
        """Write the result to the binary stream ``out`` in ``fmt`` (see :class:`Format`)."""
        fmt = Format(fmt)
        graph = self.form in ("CONSTRUCT", "DESCRIBE")
        allowed = GRAPH_FORMATS if graph else SOLUTION_FORMATS
        if fmt not in allowed:
            raise QueryError(f"a {self.form} result cannot be written as {fmt.value}; use "
                             + ", ".join(f.value for f in allowed))
        if graph:
            _graph(self, out, fmt)
        elif self.form == "ASK":
            _boolean(bool(self), out, fmt)
        else:
            _WRITERS[fmt](self, out)


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


def _boolean(answer: bool, out: IO[bytes], fmt: Format) -> None:
    word = "true" if answer else "false"
    text = {Format.table: "yes" if answer else "no", Format.md: "yes" if answer else "no",
            Format.json: f'{{"head":{{}},"boolean":{word}}}',
            Format.xml: '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-'
                        f'results#"><head></head><boolean>{word}</boolean></sparql>'
            }.get(fmt, word)
    out.write(text.encode("utf-8") + b"\n")


_TURTLE_SHORT = {
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    XSD + "double": re.compile(r"[+-]?(\d+\.\d*[eE][+-]?\d+|\.?\d+[eE][+-]?\d+)"),
    XSD + "boolean": re.compile(r"true|false"),
}


def tsv_term(term: Any) -> str:
    """A term as SPARQL TSV writes it: N-Triples, or Turtle's short form for numbers and
    booleans."""
    if term is None:
        return ""
    if type(term).__name__ == "Literal" and not term.language:
        pattern = _TURTLE_SHORT.get(term.datatype.value)
        if pattern is not None and pattern.fullmatch(term.value):
            return term.value
    return str(term)


def _rows(result: Result) -> Iterator[Row]:
    """The rows, the first one computed before this returns: a query that fails at once
    fails before any output is written."""
    import itertools

    rows = iter(result)
    first = next(rows, None)
    return iter(()) if first is None else itertools.chain([first], rows)


def _tsv(result: Result, out: IO[bytes]) -> None:
    rows = _rows(result)
    out.write(("\t".join(f"?{v}" for v in result.variables) + "\n").encode("utf-8"))
    for row in rows:
        out.write(("\t".join(tsv_term(t) for t in row) + "\n").encode("utf-8"))


def _csv_cell(term: Any) -> str:
    text = "" if term is None else (f"_:{term.value}" if type(term).__name__ == "BlankNode"
                                    else term.value)
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv(result: Result, out: IO[bytes]) -> None:
    rows = _rows(result)
    out.write((",".join(result.variables) + "\r\n").encode("utf-8"))
    for row in rows:
        out.write((",".join(_csv_cell(t) for t in row) + "\r\n").encode("utf-8"))


def _json_term(term: Any) -> dict[str, str]:
    kind = type(term).__name__
    if kind == "NamedNode":
        return {"type": "uri", "value": term.value}
    if kind == "BlankNode":
        return {"type": "bnode", "value": term.value}
    data = {"type": "literal", "value": term.value}
    if term.language:
        data["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        data["datatype"] = term.datatype.value
    return data


def _json(result: Result, out: IO[bytes]) -> None:
    rows = _rows(result)
    head = json.dumps({"vars": list(result.variables)}, separators=(",", ":"))
    out.write(f'{{"head":{head},"results":{{"bindings":['.encode())
    for i, row in enumerate(rows):
        binding = {v: _json_term(t) for v, t in zip(result.variables, row, strict=True)
                   if t is not None}
        out.write((("," if i else "") + json.dumps(binding, separators=(",", ":"),
                                                   ensure_ascii=False)).encode("utf-8"))
    out.write(b"]}}\n")


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape  # it imports urllib: only when XML is written

    return escape(text, {'"': "&quot;"})


def _xml_term(term: Any) -> str:
    from xml.sax.saxutils import quoteattr

    kind = type(term).__name__
    if kind == "NamedNode":
        return f"<uri>{_xml_text(term.value)}</uri>"
    if kind == "BlankNode":
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
    if term.datatype.value != XSD + "string":
        datatype = quoteattr(term.datatype.value)
        return f"<literal datatype={datatype}>{_xml_text(term.value)}</literal>"
    return f"<literal>{_xml_text(term.value)}</literal>"


def _xml(result: Result, out: IO[bytes]) -> None:
    from xml.sax.saxutils import quoteattr

    rows = _rows(result)
    head = "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables)
    out.write(('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
               f"<head>{head}</head><results>").encode())
    for row in rows:
        cells = "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                        for v, t in zip(result.variables, row, strict=True) if t is not None)
        out.write(f"<result>{cells}</result>".encode())
    out.write(b"</results></sparql>\n")


def table(header: list[str], rows: list[list[str]], markdown: bool = False) -> str:
    """An aligned text table (or a Markdown table) of strings."""
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


def _table(result: Result, out: IO[bytes], markdown: bool = False) -> None:
    rows = [[short(t) for t in row] for row in result]
    out.write(table(list(result.variables), rows, markdown).encode("utf-8"))


_WRITERS: dict[Format, Callable[[Result, IO[bytes]], None]] = {
    Format.tsv: _tsv, Format.csv: _csv, Format.json: _json, Format.xml: _xml,
    Format.table: _table, Format.md: lambda r, out: _table(r, out, markdown=True),
}


def _graph(result: Result, out: IO[bytes], fmt: Format) -> None:
    from pyoxigraph import RdfFormat, serialize

    triples = sorted(result, key=str)
    rdf = {Format.nt: RdfFormat.N_TRIPLES, Format.nq: RdfFormat.N_QUADS,
           Format.jsonld: RdfFormat.JSON_LD, Format.xml: RdfFormat.RDF_XML,
           Format.ttl: RdfFormat.TURTLE}[fmt]
    if fmt == Format.nq:
        from pyoxigraph import DefaultGraph, Quad

        triples = [Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples]
    with_prefixes = fmt in (Format.ttl, Format.jsonld, Format.xml)
    data = serialize(triples, format=rdf, **({"prefixes": PREFIXES} if with_prefixes else {}))
    out.write(data if data.endswith(b"\n") else data + b"\n")
