"""Find entities by name and show a card: types, relations both ways, evidence quotes.

Matching forgives case, accents, punctuation and small typos, and covers labels in every
language, aliases and acronyms. Candidates come from the build's name index (:mod:`kg.names`),
cards from the built store; nothing is reasoned.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from kg.namespace import GRAPHS, PREFIXES, curie
from kg.query.evidence import Evidence, Reader
from kg.query.results import short


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


def search(index, text: str, limit: int = 10, threshold: float = 0.6) -> list[Match]:
    """Entities whose label, alias or acronym match ``text``, best first (ties: shorter name),
    from the name index file ``index`` of a build."""
    from kg.names import candidates

    best: dict[str, Match] = {}
    for iri, name in candidates(index, text):
        match = Match(iri, name, round(score(text, name), 3))
        if match.score >= threshold and (iri not in best or _rank(match) < _rank(best[iri])):
            best[iri] = match
    return sorted(best.values(), key=_rank)[:limit]


def _rank(m: Match) -> tuple:
    """Best first: higher score, then the shorter name (then any fixed order)."""
    return (-m.score, len(m.name), m.iri, m.name)


@dataclass(frozen=True)
class Link:
    """One relation on a card: the predicate, the entity or value at the other end (a
    pyoxigraph term) with its English label, and whether it is stated or inferred."""

    predicate: str
    term: Any
    label: str | None
    how: str

    def shown(self) -> str:
        """The other end as the CLI prints it: 'Label (curie)', a CURIE, or a literal's text."""
        return f"{self.label} ({short(self.term)})" if self.label else short(self.term)


@dataclass
class Card:
    """What the graph says about one entity, and how each part of it is known."""

    iri: str
    labels: list[tuple[str, str]] = field(default_factory=list)  # (text, language)
    types: list[tuple[str, str]] = field(default_factory=list)  # (class IRI, stated|inferred)
    outgoing: list[Link] = field(default_factory=list)
    incoming: list[Link] = field(default_factory=list)  # term: the subject pointing here
    evidence: list[Evidence] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """As plain values, IRIs as CURIEs (the ``--format json`` of lookup and describe)."""
        return {
            "iri": self.iri,
            "labels": [{"text": t, "lang": lang} for t, lang in self.labels],
            "types": [{"type": curie(t), "how": how} for t, how in self.types],
            "outgoing": [{"predicate": curie(x.predicate), "value": x.shown(), "how": x.how}
                         for x in self.outgoing],
            "incoming": [{"subject": x.shown(), "predicate": curie(x.predicate), "how": x.how}
                         for x in self.incoming],
            "evidence": [e.as_dict() for e in self.evidence],
        }


def _how(graph: Any) -> str:
    return "inferred" if graph.value == GRAPHS["inferred"] else "stated"


_NAMES_OF = (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "altLabel")
_TYPE = PREFIXES["rdf"] + "type"


def card(store, iri: str) -> Card | None:
    """The card for ``iri``, or None when the graph says nothing about it."""
    from pyoxigraph import NamedNode

    node = NamedNode(iri)
    result = Card(iri)
    found = False
    for graph in (NamedNode(GRAPHS["asserted"]), NamedNode(GRAPHS["inferred"])):
        for quad in store.quads_for_pattern(node, None, None, graph):
            found = True
            p, o = quad.predicate.value, quad.object
            if p in _NAMES_OF:
                result.labels.append((o.value, getattr(o, "language", None) or ""))
            elif p == _TYPE:
                result.types.append((o.value, _how(graph)))
            else:
                result.outgoing.append(Link(p, o, label(store, o), _how(graph)))
        for quad in store.quads_for_pattern(None, None, node, graph):
            found = True
            if quad.predicate.value != _TYPE:
                result.incoming.append(Link(quad.predicate.value, quad.subject,
                                            label(store, quad.subject), _how(graph)))
    if not found:
        return None
    result.labels.sort()
    result.types.sort(key=lambda t: (t[1] != "stated", curie(t[0])))
    result.outgoing.sort(key=lambda x: (curie(x.predicate), x.shown()))
    result.incoming.sort(key=lambda x: (curie(x.predicate), x.shown()))
    result.evidence = Reader(store).about(iri)
    return result


def label(store, term: Any) -> str | None:
    """The English (or untagged) label of an entity; None for a literal or an unlabelled IRI."""
    from pyoxigraph import NamedNode

    if type(term).__name__ != "NamedNode":
        return None
    labels = [q.object.value for q in store.quads_for_pattern(
        term, NamedNode(PREFIXES["rdfs"] + "label"), None, NamedNode(GRAPHS["asserted"]))
        if getattr(q.object, "language", None) in ("en", None)]
    return sorted(labels)[0] if labels else None


def render_card(c: Card) -> str:
    """A card as text for a terminal."""
    lines = [f"{curie(c.iri)}  <{c.iri}>"]
    for text, lang in c.labels:
        lines.append(f"  name      {text}" + (f"  @{lang}" if lang else ""))
    for t, how in c.types:
        lines.append(f"  type      {curie(t)}" + ("  (inferred)" if how == "inferred" else ""))
    if c.outgoing:
        lines.append("  relations")
        lines += [f"    {curie(x.predicate):<22} {x.shown()}"
                  + ("  (inferred)" if x.how == "inferred" else "") for x in c.outgoing]
    if c.incoming:
        lines.append("  referenced by")
        lines += [f"    {x.shown()}  {curie(x.predicate)}"
                  + ("  (inferred)" if x.how == "inferred" else "") for x in c.incoming]
    quoted = [e for e in c.evidence if e.quote is not None]
    if quoted:
        lines.append("  evidence")
        for (document, start, end, quote), facts in quote_groups(quoted):
            kinds = sorted({e.kind for e in facts})
            lines.append(f"    \u201c{quote}\u201d  [{document} {start}-{end}, "
                         f"{', '.join(kinds)}]")
            lines.append("      supports: " + "; ".join(
                f"{curie(e.predicate)} {short(e.object)}" for e in facts))
            lines += [f"      resolved: {n}" for n in sorted({e.note for e in facts if e.note})]
    curated = [e for e in c.evidence if e.quote is None]
    if curated:
        lines.append("  curated (not stated in a source)")
        lines += [f"    {curie(e.predicate)} {short(e.object)}: {e.note}  [{e.document}, "
                  f"{e.kind}]" for e in curated]
    return "\n".join(lines) + "\n"


def quote_groups(records: list[Evidence]) -> list[tuple[tuple, list[Evidence]]]:
    """Quoted records grouped by (document, start, end, quote), in document order."""
    groups: dict[tuple, list[Evidence]] = {}
    for e in records:
        if e.quote is not None:
            groups.setdefault((e.document, e.start, e.end, e.quote), []).append(e)
    return sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2]))
