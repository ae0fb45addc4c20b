"""Find entities by name and show a card: types, relations both ways, evidence quotes.

Matching forgives case, accents, punctuation and small typos, and covers labels in every
language, aliases and acronyms. Candidates come from the build's name index (:mod:`kg.names`),
cards from the built store; nothing is reasoned.
"""

from __future__ import annotations

import difflib
import functools
import heapq
import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from kg.namespace import GRAPHS, PREFIXES, curie, plain
from kg.query.evidence import Evidence, Reader, tags_of
from kg.query.results import short


@functools.lru_cache(maxsize=1 << 16)  # a lookup folds and compares the same words often
def fold(text: str) -> str:
    """Case-, accent- and punctuation-free form of a name.

    >>> fold("Tōhoku  University’s")
    'tohoku university s'
    """
    if text.isascii():  # most names: nothing to normalise or strip
        return _PUNCTUATION.sub(" ", text.lower()).strip()
    text = plain(text).casefold()
    return _PUNCTUATION.sub(" ", text).strip()


_PUNCTUATION = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=1 << 16)
def _similar(a: str, b: str, cutoff: float) -> float:
    """difflib's ratio, or 0 when its cheap upper bounds already fall below ``cutoff``."""
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff or \
            2 * common_subsequence(a, b) < cutoff * (len(a) + len(b)):
        return 0.0
    return matcher.ratio()


def common_subsequence(a: str, b: str) -> int:
    """The length of the longest common subsequence of ``a`` and ``b``, bit-parallel (Hyyrö's
    algorithm: one pass over ``b``). difflib's matching blocks are a common subsequence, so
    twice this over both lengths bounds its ratio, more tightly than counting characters and
    several times faster than the ratio itself.

    >>> common_subsequence("germany", "german"), common_subsequence("abc", "xyz")
    (6, 0)
    """
    positions: dict[str, int] = {}
    for i, char in enumerate(a):
        positions[char] = positions.get(char, 0) | 1 << i
    mask = (1 << len(a)) - 1
    row = mask
    for char in b:
        matched = row & positions.get(char, 0)
        row = ((row + matched) | (row - matched)) & mask
    return len(a) - row.bit_count()


@functools.lru_cache(maxsize=1 << 16)
def _word_similar(a: str, b: str) -> float:
    """:func:`_similar` of two words, at the cutoff for words (memoised: names share words)."""
    return _similar(a, b, 0.75)


def score(query: str, name: str) -> float:
    """How well ``name`` matches ``query``, from 0 to 1: the whole name, a phrase in it, every
    query word among its words (each allowing a typo), or the whole name with typos.

    >>> score("Hyper-K", "Hyper-K") > score("hyper", "Hyper-Kamiokande") > score("x", "Hyper-K")
    True
    """
    return folded_score(fold(query), fold(name))


def folded_score(q: str, n: str) -> float:
    """:func:`score` of a query and a name already folded (:func:`fold`)."""
    if not q or not n:
        return 0.0
    if q == n:
        return 1.0
    shorter = len(q) / len(n)
    if re.search(rf"\b{re.escape(q)}\b", n):
        return 0.9 - 0.3 * (1 - shorter)
    words = n.split()
    found = [max(map(functools.partial(_word_similar, w), words)) for w in q.split()]
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


def best_bound(query_size: int, size: int) -> float:
    """The highest :func:`folded_score` a name of ``size`` characters can get against a query
    of ``query_size`` (both folded), whatever their letters: each way of scoring grows with
    the share of the name the query covers.

    >>> best_bound(6, 6), best_bound(6, 7) >= folded_score("germny", "germany"), best_bound(6, 60)
    (1.0, True, 0.63)
    """
    if size == query_size:
        return 1.0  # the name itself
    share = query_size / size
    bound = 0.55 + 0.3 * min(1.0, share * 2)  # every query word among the name's words
    if size > query_size:
        bound = max(bound, 0.6 + 0.3 * share)  # a phrase in the name (a substring scores less)
    if 0.5 < share < 2:
        bound = max(bound, 2 * min(query_size, size) / (query_size + size))  # difflib's ratio
    return bound


def search(index, text: str, limit: int = 10, threshold: float = 0.6) -> list[Match]:
    """Entities whose label, alias or acronym match ``text``, best first (ties: shorter name),
    from the name index file ``index`` of a build.

    Candidates are scored shortest first, and no longer once enough entities score more than
    a name that long could (:func:`best_bound`): on a large build most names holding a
    common word are long, and are never scored."""
    from kg.names import candidates

    q = fold(text)
    best: dict[str, Match] = {}
    done: set[tuple[str, str]] = set()

    def kept() -> list[Match]:
        return heapq.nsmallest(limit, best.values(), key=_rank)

    def take(rows: list[tuple[str, str, str]]) -> None:
        for size, group in itertools.groupby(sorted(rows, key=lambda r: len(r[2])),
                                             key=lambda r: len(r[2])):
            if len(best) >= limit and best_bound(len(q), size) < kept()[-1].score - 0.001:
                return  # (scores are rounded to 0.001)
            for iri, name, folded in group:
                if (iri, name) in done:
                    continue
                done.add((iri, name))
                match = Match(iri, name, round(folded_score(q, folded), 3))
                if match.score >= threshold and (iri not in best
                                                 or _rank(match) < _rank(best[iri])):
                    best[iri] = match

    def floor(rows: list[tuple[str, str, str]]) -> float:
        take(rows)  # a misspelt name scoring below the worst of enough matches is out
        worst = kept()
        return worst[-1].score if len(worst) == limit else threshold

    take(candidates(index, text, floor))
    return kept()


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


@dataclass(frozen=True)
class Step:
    """One lifecycle event of an agreement, as its timeline shows it."""

    event: str  # the event's IRI
    label: str | None
    kind: str  # the most specific lifecycle class, as a CURIE: agr:Ratification
    date: str | None  # as the source gives it: 2023-05-15, 2023-05 or 2023
    actors: tuple[str, ...]  # labels of the acting parties
    signer: str | None  # the signer's label, for a signature

    def as_dict(self) -> dict[str, Any]:
        return {"event": self.event, "label": self.label, "kind": self.kind, "date": self.date,
                "actors": list(self.actors), "signer": self.signer}


@dataclass
class Card:
    """What the graph says about one entity, and how each part of it is known."""

    iri: str
    labels: list[tuple[str, str]] = field(default_factory=list)  # (text, language)
    types: list[tuple[str, str]] = field(default_factory=list)  # (class IRI, stated|inferred)
    outgoing: list[Link] = field(default_factory=list)
    incoming: list[Link] = field(default_factory=list)  # term: the subject pointing here
    evidence: list[Evidence] = field(default_factory=list)
    timeline: list[Step] = field(default_factory=list)  # for an agreement: its lifecycle
    left_off: dict[str, int] = field(default_factory=dict)  # section -> entries not shown

    def left(self, section: str, total: int) -> None:
        """Note that ``section`` holds fewer than the ``total`` entries the graph has."""
        shown = len(getattr(self, section))
        if total > shown:
            self.left_off[section] = total - shown

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
            "timeline": [step.as_dict() for step in self.timeline],
            "left_off": dict(self.left_off),
        }


def _how(graph: Any) -> str:
    return "inferred" if graph.value == GRAPHS["inferred"] else "stated"


_NAMES_OF = (PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "altLabel")
_TYPE = PREFIXES["rdf"] + "type"


def card(store, iri: str, most: int | None = None) -> Card | None:
    """The card for ``iri``, or None when the graph says nothing about it.

    With ``most``, each of its relations out, its relations in and its evidence records holds
    at most ``most`` entries (a country in a large corpus is referenced by thousands), and
    :attr:`Card.left_off` counts the rest; which are kept follows the store's own order, fixed
    for a given graph. Only what is kept is read further (labels, quotes).
    """
    from pyoxigraph import NamedNode

    node = NamedNode(iri)
    result = Card(iri)
    for graph in (NamedNode(GRAPHS["asserted"]), NamedNode(GRAPHS["inferred"])):
        for p in _NAMES_OF:
            result.labels += [(q.object.value, getattr(q.object, "language", None) or "")
                              for q in store.quads_for_pattern(node, NamedNode(p), None, graph)]
        result.types += [(q.object.value, _how(graph))
                         for q in store.quads_for_pattern(node, NamedNode(_TYPE), None, graph)]
    for name, into in (("outgoing", result.outgoing), ("incoming", result.incoming)):
        links, total = _links(store, node, name == "outgoing", most)
        into += [Link(p, term, label(store, term), how) for p, term, how in links]
        result.left(name, total)
    if not (result.labels or result.types or result.outgoing or result.incoming) and not \
            store.query(f"ASK {{ {_IN_DATA} GRAPH ?g {{ ?s ?p {node} }} }}"):
        return None
    result.labels.sort()
    result.types.sort(key=lambda t: (t[1] != "stated", curie(t[0])))
    result.outgoing.sort(key=lambda x: (curie(x.predicate), x.shown()))
    result.incoming.sort(key=lambda x: (curie(x.predicate), x.shown()))
    result.evidence, total = Reader(store).about_some(iri, most)
    result.left("evidence", total)
    result.timeline = timeline(store, iri)
    return result


_IN_DATA = f"VALUES ?g {{ <{GRAPHS['asserted']}> <{GRAPHS['inferred']}> }}"


def _links(store, node: Any, outgoing: bool, most: int | None) -> tuple[list[tuple], int]:
    """``(predicate IRI, the other end, stated|inferred)`` for the relations of ``node`` one
    way (names and types aside), at most ``most`` of them, and how many there are in all
    (counted in the store, so that a node with thousands costs little)."""
    from kg.query.run import some

    where = f"{node} ?p ?x" if outgoing else f"?x ?p {node}"
    skip = (*_NAMES_OF, _TYPE) if outgoing else (_TYPE,)
    rows, total = some(store, "?p ?x ?g", f"{_IN_DATA} GRAPH ?g {{ {where} }} "
                       f"FILTER(?p NOT IN ({', '.join(f'<{p}>' for p in skip)}))", most)
    return [(r["p"].value, r["x"], _how(r["g"])) for r in rows], total


_LIFECYCLE = PREFIXES["agr"] + "LifecycleEvent"
_DATES = tuple(PREFIXES["agr"] + p for p in ("onDate", "inMonth", "inYear"))


def timeline(store, iri: str) -> list[Step]:
    """The lifecycle events of the agreement ``iri`` in date order (undated ones last), read by
    index lookups; empty for anything that is not an agreement with events."""
    from pyoxigraph import NamedNode

    data = [NamedNode(GRAPHS["asserted"]), NamedNode(GRAPHS["inferred"])]
    schema = [NamedNode(GRAPHS["ontology"]), NamedNode(GRAPHS["inferred"])]  # with its closure

    def objects(s, p: str, graphs=data) -> list:
        return [q.object for g in graphs
                for q in store.quads_for_pattern(s, NamedNode(p), None, g)]

    sub_class = PREFIXES["rdfs"] + "subClassOf"
    kinds = {q.subject.value for g in schema for q in store.quads_for_pattern(
        None, NamedNode(sub_class), NamedNode(_LIFECYCLE), g)} | {_LIFECYCLE}
    steps = []
    events = {q.subject for g in data for q in store.quads_for_pattern(
        None, NamedNode(PREFIXES["agr"] + "eventOf"), NamedNode(iri), g)}
    for event in sorted(events, key=str):
        types = {t.value for t in objects(event, _TYPE)} & kinds
        # the most specific: no other of its types is below it
        specific = sorted(t for t in types if not any(
            (o.value == t) for other in types - {t}
            for o in objects(NamedNode(other), sub_class, schema)))
        dates = [d.value for p in _DATES for d in objects(event, p)]
        actors = sorted({label(store, a) or short(a)
                         for a in objects(event, PREFIXES["agr"] + "actingParty")})
        signers = [label(store, x) or short(x) for x in objects(event, PREFIXES["agr"] + "signer")]
        steps.append(Step(event.value, label(store, event),
                          ", ".join(curie(t) for t in specific) or curie(_LIFECYCLE),
                          dates[0] if dates else None, tuple(actors),
                          signers[0] if signers else None))
    return sorted(steps, key=lambda s: (s.date is None, s.date or "", s.kind, s.event))


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
        lines += _more(c, "outgoing")
    if c.incoming:
        lines.append("  referenced by")
        lines += [f"    {x.shown()}  {curie(x.predicate)}"
                  + ("  (inferred)" if x.how == "inferred" else "") for x in c.incoming]
        lines += _more(c, "incoming")
    if c.timeline:
        lines.append("  timeline")
        for step in c.timeline:
            who = ", ".join(step.actors) + (f" (signed by {step.signer})" if step.signer else "")
            lines.append(f"    {step.date or 'undated':<10} {step.kind:<22} {who}".rstrip())
    quoted = [e for e in c.evidence if e.quote is not None]
    if quoted:
        lines.append("  evidence")
        for (document, start, end, quote), facts in quote_groups(quoted):
            tags = tags_of(facts)
            lines.append(f"    \u201c{quote}\u201d  [{document} {start}-{end}, "
                         f"{', '.join(tags)}]")
            lines.append("      supports: " + "; ".join(
                f"{curie(e.predicate)} {short(e.object)}" for e in facts))
            lines += [f"      resolved: {n}" for n in sorted({e.note for e in facts if e.note})]
    curated = [e for e in c.evidence if e.quote is None]
    if curated:
        lines.append("  curated (not stated in a source)")
        lines += [f"    {curie(e.predicate)} {short(e.object)}: {e.note}  [{e.document}, "
                  f"{', '.join(e.tags())}]" for e in curated]
    if c.evidence or c.left_off.get("evidence"):
        lines += _more(c, "evidence")
    return "\n".join(lines) + "\n"


def _more(c: Card, section: str) -> list[str]:
    """The line saying how much of a section a card left off, if any."""
    n = c.left_off.get(section, 0)
    what = "evidence records" if section == "evidence" else "relations"
    return [f"    ... and {n:,} more {what} (--show N shows more; kg query or kg sparql list "
            "them all)"] if n else []


def quote_groups(records: list[Evidence]) -> list[tuple[tuple, list[Evidence]]]:
    """Quoted records grouped by (document, start, end, quote), in document order."""
    groups: dict[tuple, list[Evidence]] = {}
    for e in records:
        if e.quote is not None:
            groups.setdefault((e.document, e.start, e.end, e.quote), []).append(e)
    return sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2]))
