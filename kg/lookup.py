"""Find entities by name and show a card: types, relations both ways, evidence quotes.

Matching forgives case, accents, punctuation and small typos, and covers labels in every
language, aliases and acronyms. Everything is read from the built store; nothing is reasoned.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from kg.namespace import GRAPHS, PREFIXES

_NAMES = """
SELECT ?entity ?name WHERE {{
  GRAPH <{}> {{ ?entity ?p ?name }}
  VALUES ?p {{ rdfs:label skos:altLabel skos:prefLabel agr:acronym }}
}}""".format(GRAPHS["asserted"])


def fold(text: str) -> str:
    """Case-, accent- and punctuation-free form of a name.

    >>> fold("Tōhoku  University’s")
    'tohoku university s'
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[\W_]+", " ", text).strip()


def _similar(a: str, b: str, cutoff: float) -> float:
    """difflib's ratio, or 0 when its cheap upper bounds already fall below ``cutoff``."""
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
        return 0.0
    return matcher.ratio()


def score(query: str, name: str) -> float:
    """How well ``name`` matches ``query``, from 0 to 1: the whole name, a phrase in it, every
    query word among its words (each allowing a typo), or the whole name with typos.

    >>> score("Hyper-K", "Hyper-K") > score("hyper", "Hyper-Kamiokande") > score("x", "Hyper-K")
    True
    """
    q, n = fold(query), fold(name)
    if not q or not n:
        return 0.0
    if q == n:
        return 1.0
    shorter = len(q) / len(n)
    if re.search(rf"\b{re.escape(q)}\b", n):
        return 0.9 - 0.3 * (1 - shorter)
    words = n.split()
    found = [max((_similar(w, x, 0.75) for x in words), default=0.0) for w in q.split()]
    if found and min(found) >= 0.75:  # every query word is (nearly) one of the name's words
        return 0.55 + 0.3 * sum(found) / len(found) * min(1.0, shorter * 2)
    if q in n:
        return 0.7 - 0.3 * (1 - shorter)
    return _similar(q, n, 0.6) if 0.5 < shorter < 2 else 0.0


@dataclass
class Match:
    iri: str
    name: str
    score: float


def search(store, text: str, limit: int = 10, threshold: float = 0.6) -> list[Match]:
    """Entities whose label, alias or acronym match ``text``, best first (ties: shorter name)."""
    from kg.store import prologue

    best: dict[str, Match] = {}
    for row in store.query(prologue() + _NAMES):
        iri, name = row["entity"].value, row["name"].value
        s = score(text, name)
        if s >= threshold and (iri not in best or s > best[iri].score):
            best[iri] = Match(iri, name, round(s, 3))
    return sorted(best.values(), key=lambda m: (-m.score, len(m.name), m.iri))[:limit]


@dataclass
class Card:
    iri: str
    labels: list[tuple[str, str]] = field(default_factory=list)  # (text, language)
    types: list[tuple[str, str]] = field(default_factory=list)  # (type, stated|inferred)
    outgoing: list[tuple[str, str, str]] = field(default_factory=list)  # (predicate, value, how)
    incoming: list[tuple[str, str, str]] = field(default_factory=list)  # (subject, predicate, how)
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "labels": [{"text": t, "lang": lang} for t, lang in self.labels],
            "types": [{"type": t, "how": how} for t, how in self.types],
            "outgoing": [{"predicate": p, "value": v, "how": h} for p, v, h in self.outgoing],
            "incoming": [{"subject": s, "predicate": p, "how": h} for s, p, h in self.incoming],
            "evidence": self.evidence,
        }


def _how(graph: Any) -> str:
    return "inferred" if graph.value == GRAPHS["inferred"] else "stated"


_LABEL = "rdfs:label"


def card(store, iri: str) -> Card | None:
    """The card for ``iri``, or None when the graph says nothing about it."""
    from pyoxigraph import NamedNode

    from kg.render import short

    node = NamedNode(iri)
    result = Card(iri)
    data = [NamedNode(GRAPHS["asserted"]), NamedNode(GRAPHS["inferred"])]
    found = False
    for graph in data:
        for quad in store.quads_for_pattern(node, None, None, graph):
            found = True
            p, o = short(quad.predicate), quad.object
            if p == _LABEL or p == "skos:altLabel":
                result.labels.append((o.value, getattr(o, "language", None) or ""))
            elif p == "rdf:type":
                result.types.append((short(o), _how(graph)))
            else:
                result.outgoing.append((p, _display(store, o), _how(graph)))
        for quad in store.quads_for_pattern(None, None, node, graph):
            found = True
            if short(quad.predicate) == "rdf:type":
                continue
            result.incoming.append((_display(store, quad.subject), short(quad.predicate),
                                    _how(graph)))
    if not found:
        return None
    result.labels.sort()
    result.types.sort(key=lambda t: (t[1] != "stated", t[0]))
    result.outgoing.sort(key=lambda t: (t[0], t[1]))
    result.incoming.sort(key=lambda t: (t[1], t[0]))
    result.evidence = evidence(store, iri)
    return result


def _display(store, term: Any) -> str:
    """A related entity as 'Label (curie)', a literal as its text."""
    from pyoxigraph import NamedNode

    from kg.render import short

    if type(term).__name__ != "NamedNode":
        return term.value
    labels = [q.object.value for q in store.quads_for_pattern(
        term, NamedNode(PREFIXES["rdfs"] + "label"), None, NamedNode(GRAPHS["asserted"]))
        if getattr(q.object, "language", None) in ("en", None)]
    return f"{sorted(labels)[0]} ({short(term)})" if labels else short(term)


def evidence(store, iri: str) -> list[dict[str, Any]]:
    """Each fact about ``iri`` with how it is known and, where stated, the quote and offsets.

    Walks the evidence graph from the entity with index lookups rather than one SPARQL query:
    an OPTIONAL over the selectors would be evaluated on its own first, which takes seconds
    on a million-triple graph.
    """
    from pyoxigraph import NamedNode

    from kg.render import short

    graph = NamedNode(GRAPHS["evidence"])

    def one(s, p: str):
        for quad in store.quads_for_pattern(s, NamedNode(p), None, graph):
            return quad.object
        return None

    def subject(p: str, o):
        for quad in store.quads_for_pattern(None, NamedNode(p), o, graph):
            return quad.subject
        return None

    rdf, oa, agr = PREFIXES["rdf"], PREFIXES["oa"], PREFIXES["agr"]
    rows = []
    for quad in store.quads_for_pattern(None, NamedNode(rdf + "subject"), NamedNode(iri), graph):
        statement = quad.subject
        record = subject(oa + "hasBody", statement)
        if record is None:
            continue
        doc = one(record, PREFIXES["prov"] + "wasDerivedFrom")
        note = one(record, agr + "provenanceNote")
        row = {
            "predicate": short(one(statement, rdf + "predicate")),
            "object": short(one(statement, rdf + "object")),
            "kind": short(one(record, agr + "evidenceKind")).removeprefix("agr:"),
            "quote": None, "start": None, "end": None,
            "document": one(doc, PREFIXES["dcterms"] + "identifier").value,
            "note": note.value if note else None,
        }
        target = one(record, oa + "hasTarget")
        for sel in store.quads_for_pattern(target, NamedNode(oa + "hasSelector"), None, graph):
            exact, begin = one(sel.object, oa + "exact"), one(sel.object, oa + "start")
            if exact is not None:
                row["quote"] = exact.value
            if begin is not None:
                row["start"] = int(begin.value)
                row["end"] = int(one(sel.object, oa + "end").value)
        rows.append(row)
    rows.sort(key=lambda r: (r["start"] is not None, r["start"] or 0, r["predicate"], r["object"]))
    return rows


def render_card(c: Card) -> str:
    """A card as text for a terminal."""
    from pyoxigraph import NamedNode

    from kg.render import short

    lines = [f"{short(NamedNode(c.iri))}  <{c.iri}>"]
    for text, lang in c.labels:
        lines.append(f"  name      {text}" + (f"  @{lang}" if lang else ""))
    for t, how in c.types:
        lines.append(f"  type      {t}" + ("  (inferred)" if how == "inferred" else ""))
    if c.outgoing:
        lines.append("  relations")
        lines += [f"    {p:<22} {v}" + ("  (inferred)" if h == "inferred" else "")
                  for p, v, h in c.outgoing]
    if c.incoming:
        lines.append("  referenced by")
        lines += [f"    {s}  {p}" + ("  (inferred)" if h == "inferred" else "")
                  for s, p, h in c.incoming]
    quoted = [e for e in c.evidence if e["quote"]]
    if quoted:
        lines.append("  evidence")
        seen = set()
        for e in quoted:
            key = (e["quote"], e["document"])
            facts = [f"{x['predicate']} {x['object']}" for x in quoted
                     if (x["quote"], x["document"]) == key]
            if key in seen:
                continue
            seen.add(key)
            lines.append(f"    \u201c{e['quote']}\u201d  [{e['document']} {e['start']}-{e['end']}]")
            lines.append(f"      supports: {'; '.join(facts)}")
    curated = [e for e in c.evidence if e["kind"] == "Curated"]
    if curated:
        lines.append("  curated (not stated in a source)")
        lines += [f"    {e['predicate']} {e['object']}: {e['note']}" for e in curated]
    return "\n".join(lines) + "\n"
