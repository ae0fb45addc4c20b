"""A SPARQL lexer, enough to read what the query path needs from a query's text without a parser:
its form, whether it is an update, its grlc parameters, the order of ``SELECT *`` columns, and a
safe substitution of bound parameters.

Comments, IRIs and strings are tokens of their own, so a ``#`` inside an IRI, or a ``?x`` inside
a string, is never mistaken for a comment or a variable.

>>> [t.kind for t in tokens('SELECT ?x { <http://a#b> ?p "?y" } # c')]
['word', 'var', 'punct', 'iri', 'var', 'string', 'punct', 'comment']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

# Non-ASCII name characters are matched as [^\x00-\xbf] (U+00C0 and up, as SPARQL's PN_CHARS
# allow), not as the range \u00c0-\ufffd, which takes Python ~30 ms to compile on every start.
_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<var>[?$](?:[A-Za-z0-9_\u00b7]|[^\x00-\xbf])+)
  | (?P<word>(?:[A-Za-z_]|[^\x00-\xbf])(?:[\w\-.\u00b7]|[^\x00-\xbf])*
             :?(?:[\w\-.:%\\\u00b7]|[^\x00-\xbf])*
             |:(?:[\w\-.:%\\\u00b7]|[^\x00-\xbf])*|\d[\w.+\-]*)
  | (?P<punct>.)
""", re.VERBOSE | re.DOTALL)

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
PARAMETER = re.compile(r"(__?)([A-Za-z][A-Za-z0-9]*)(?:_([A-Za-z][A-Za-z0-9_]*))?")


class Token(NamedTuple):
    kind: str  # space, comment, iri, string, var, word, punct
    text: str
    start: int


def tokens(text: str, keep_space: bool = False) -> Iterator[Token]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind != "space" or keep_space:
            yield Token(kind, match.group(), match.start())


def _body(text: str) -> list[Token]:
    """The tokens after the prologue (PREFIX and BASE declarations), comments left out."""
    out = [t for t in tokens(text) if t.kind != "comment"]
    i = 0
    while i < len(out) and out[i].text.upper() in ("PREFIX", "BASE"):
        i += 3 if out[i].text.upper() == "PREFIX" else 2
    return out[i:]


def form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; UPDATE for an update; UNKNOWN otherwise.

    >>> form("PREFIX a: <x:#> # SELECT\\nASK { ?s a:p ?o }"), form("DELETE WHERE { ?s ?p ?o }")
    ('ASK', 'UPDATE')
    """
    body = _body(text)
    first = body[0].text.upper() if body else ""
    if first in UPDATES:
        return "UPDATE"
    for t in body:
        if t.kind == "word" and t.text.upper() in FORMS:
            return t.text.upper()
    return "UNKNOWN"


def prefixes(text: str) -> dict[str, str]:
    """The prefixes the query's prologue declares."""
    out, toks = {}, [t for t in tokens(text) if t.kind != "comment"]
    for i, t in enumerate(toks[:-2]):
        if t.text.upper() == "PREFIX" and toks[i + 2].kind == "iri":
            out[toks[i + 1].text.rstrip(":")] = toks[i + 2].text[1:-1]
    return out


class Parameter(NamedTuple):
    """A grlc parameter: ``?_agreement_iri`` is name ``agreement``, type ``iri``, required."""

    variable: str  # without the leading ? or $
    name: str
    type: str  # iri, literal, integer, ..., or a language tag such as en
    required: bool

    def describe(self) -> str:
        return f"{self.name} ({self.type}{'' if self.required else ', optional'})"


def parameters(text: str) -> list[Parameter]:
    """The grlc parameters a query uses, in order of first appearance.

    >>> query = 'SELECT * { ?s <http://x#y> ?_agreement_iri . ?s ?q ?__year_integer } # ?_z'
    >>> [p.describe() for p in parameters(query)]
    ['agreement (iri)', 'year (integer, optional)']
    """
    found: dict[str, Parameter] = {}
    for t in tokens(text):
        if t.kind != "var":
            continue
        match = PARAMETER.fullmatch(t.text[1:])
        if match and t.text[1:] not in found:
            underscores, name, kind = match.groups()
            found[t.text[1:]] = Parameter(t.text[1:], name, kind or "literal", underscores == "_")
    return list(found.values())


def variables(text: str) -> list[str]:
    """Every variable of the query, in order of first appearance (the order ``SELECT *`` shows).

    >>> variables("SELECT * WHERE { ?b ?a ?c . ?a ?d ?b }")
    ['b', 'a', 'c', 'd']
    """
    seen: dict[str, None] = {}
    for t in tokens(text):
        if t.kind == "var":
            seen.setdefault(t.text[1:], None)
    return list(seen)


def is_select_star(text: str) -> bool:
    body = [t.text.upper() for t in _body(text)[:3]]
    return bool(body) and body[0] == "SELECT" and "*" in body[1:3]


def substitute(text: str, bindings: dict[str, str]) -> str:
    """``text`` with each bound variable (name -> N-Triples term) replaced by its term, and
    ``BOUND(?v)`` of a bound ``v`` by ``true`` (``BOUND(<iri>)`` would be an error). Variables
    inside strings, IRIs and comments are left alone.

    >>> substitute('SELECT * { ?s ?p ?_x FILTER(BOUND(?_x)) } # ?_x', {"_x": "<urn:a>"})
    'SELECT * { ?s ?p <urn:a> FILTER(true) } # ?_x'
    """
    if not bindings:
        return text
    toks = list(tokens(text, keep_space=True))
    out, i = [], 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "word" and t.text.upper() == "BOUND":
            inner = [j for j in range(i + 1, min(i + 8, len(toks))) if toks[j].kind != "space"]
            if len(inner) >= 3 and toks[inner[0]].text == "(" and toks[inner[2]].text == ")" \
                    and toks[inner[1]].kind == "var" and toks[inner[1]].text[1:] in bindings:
                out.append("true")
                i = inner[2] + 1
                continue
        if t.kind == "var" and t.text[1:] in bindings:
            out.append(bindings[t.text[1:]])
        else:
            out.append(t.text)
        i += 1
    return "".join(out)


def page(text: str, limit: int | None, offset: int = 0) -> str:
    """``text`` cut to the rows ``offset`` to ``offset + limit`` of its own result (all that
    follow ``offset`` when ``limit`` is None), by its outermost LIMIT and OFFSET: a query that
    sets them keeps them, the page is taken inside its rows.

    >>> page("SELECT * { ?s ?p ?o } ORDER BY ?s", 10, 20)  # rows 21 to 30
    'SELECT * { ?s ?p ?o } ORDER BY ?s\\nLIMIT 10 OFFSET 20\\n'
    >>> page("SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 5 } } LIMIT 100 OFFSET 10 # c", 10, 95)
    'SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 5 } } # c\\nLIMIT 5 OFFSET 105\\n'
    >>> page("SELECT ?s { ?s ?p ?o } VALUES ?s { <a:b> }", 1)  # before a trailing VALUES
    'SELECT ?s { ?s ?p ?o } \\nLIMIT 1\\nVALUES ?s { <a:b> }'

    Raises ValueError for an ASK query (it has no rows) and a negative limit or offset.
    """
    if limit is None and not offset:
        return text
    if (limit is not None and limit < 0) or offset < 0:
        raise ValueError("a page's limit and offset are 0 or more")
    if form(text) == "ASK":
        raise ValueError("an ASK query has no rows to page")
    toks, depth, own, cuts, values = list(tokens(text)), 0, {}, [], len(text)
    for i, t in enumerate(toks):
        word = t.text.upper() if t.kind == "word" else ""
        if depth == 0 and word == "VALUES":  # a trailing VALUES clause: modifiers go before it
            values = min(values, t.start)
        depth += {"{": 1, "}": -1}.get(t.text, 0) if t.kind == "punct" else 0
        if depth == 0 and word in ("LIMIT", "OFFSET") and i + 1 < len(toks) \
                and toks[i + 1].text.isdigit():
            own[word] = int(toks[i + 1].text)
            cuts.append((t.start, toks[i + 1].start + len(toks[i + 1].text)))
    start = own.get("OFFSET", 0) + offset
    most = own.get("LIMIT")
    if most is not None:
        most = max(0, most - offset)
        limit = most if limit is None else min(limit, most)
    modifiers = [f"LIMIT {limit}"] * (limit is not None) + [f"OFFSET {start}"] * (start > 0)
    head, tail = text[:values], text[values:]
    for begin, end in reversed(cuts):
        head = head[:begin].rstrip(" ") + head[end:]
    return head + ("" if head.endswith("\n") else "\n") + " ".join(modifiers) + "\n" + tail
