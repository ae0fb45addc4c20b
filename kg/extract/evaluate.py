"""Measuring `kg extract` against reviewed gold annotations.

Each document is drafted against a gazetteer built from the gold annotations of the *other*
documents (leave one out) and of the context folders (the seed in ``data/``), as a new document
meets the graph, and compared with its own gold annotation. Counts are kept per document and
summed over a split (micro-averages):

- **mentions**: drafted entities matched to gold entities one to one (by key; by name, label,
  alias or acronym; by a nearly equal name; or by overlapping quote spans of the same kind of
  thing). Lifecycle events (signatures, entries into force, renewals, ...) are left out on both
  sides: they are statements' scaffolding, not mentions; a drafted one other than a signature is
  paired with the gold event of the same class and agreement. Per class, an entity counts once
  for each class it is given, and a matched pair counts for a class when both sides have it.
- **linking accuracy**: among matched pairs, the share whose link decision is right: linked to
  the gold entity when the gazetteer knows it, proposed as new when it does not.
- **statements**: a drafted statement is right when its subject, predicate and object (through
  the entity matching) are in the gold annotation (a statement or a curated fact); recall is
  against the gold statements. Per property, the same.
- **signers drafted**: the share of gold signature events for which the draft has a signature
  event with the right signer and, each reported apart and all together, the right instrument
  (``signatureOf``), date (``onDate``, or ``inMonth`` where the gold has only a month) and place
  (``signedAt``). Drafted and gold events are paired one to one through their signers.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.builder.annotation import locate
from kg.extract.draft import Draft, draft
from kg.extract.gazetteer import Gazetteer, gazetteer
from kg.extract.mentions import LIFECYCLE, groups
from kg.query.lookup import fold
from kg.yamlio import read as read_yaml

if TYPE_CHECKING:
    from kg.extract.tagger import Tagger

SKIP = LIFECYCLE  # lifecycle events are statements' scaffolding, not mentions
SIGNATURE_PARTS = ("signer", "signatureOf", "date", "signedAt", "all")
_DATE = ("onDate", "inMonth")


@dataclass(frozen=True)
class Doc:
    name: str
    text_path: Path
    gold_path: Path


@dataclass
class Counts:
    """What one document (or, summed, a split) scores; every figure is a ratio of these."""

    documents: int = 0
    gold_entities: int = 0
    drafted_entities: int = 0
    matched_entities: int = 0
    linked_right: int = 0
    gold_statements: int = 0
    drafted_statements: int = 0
    right_statements: int = 0  # drafted statements found in the gold (statements or curated)
    found_statements: int = 0  # gold statements some drafted statement states
    gold_signatures: int = 0
    drafted_signatures: int = 0
    # per class: gold, drafted, matched; per property: gold, drafted, right, found
    classes: dict[str, Counter] = field(default_factory=dict)
    properties: dict[str, Counter] = field(default_factory=dict)
    signers: Counter = field(default_factory=Counter)  # part -> gold events right in that part

    def __add__(self, other: Counts) -> Counts:
        out = Counts()
        for name in ("documents", "gold_entities", "drafted_entities", "matched_entities",
                     "linked_right", "gold_statements", "drafted_statements",
                     "right_statements", "found_statements", "gold_signatures",
                     "drafted_signatures"):
            setattr(out, name, getattr(self, name) + getattr(other, name))
        for name in ("classes", "properties"):
            merged: dict[str, Counter] = {}
            for part in (getattr(self, name), getattr(other, name)):
                for key, counter in part.items():
                    merged.setdefault(key, Counter()).update(counter)
            setattr(out, name, merged)
        out.signers = self.signers + other.signers
        return out


def ratio(part: int, whole: int) -> float | None:
    """``part / whole`` to three places, ``None`` when there is nothing to divide."""
    return round(part / whole, 3) if whole else None


def figures(c: Counts) -> dict:
    """The ratios of a document's or a split's counts, as plain values (for JSON and tables)."""
    return {
        "documents": c.documents,
        "mentions": {"gold": c.gold_entities, "drafted": c.drafted_entities,
                     "matched": c.matched_entities,
                     "precision": ratio(c.matched_entities, c.drafted_entities),
                     "recall": ratio(c.matched_entities, c.gold_entities),
                     "linking": ratio(c.linked_right, c.matched_entities)},
        "mentions_by_class": {
            cls: {"gold": n["gold"], "drafted": n["drafted"], "matched": n["matched"],
                  "precision": ratio(n["matched"], n["drafted"]),
                  "recall": ratio(n["matched"], n["gold"])}
            for cls, n in sorted(c.classes.items(), key=lambda kv: (-kv[1]["gold"], kv[0]))},
        "statements": {"gold": c.gold_statements, "drafted": c.drafted_statements,
                       "right": c.right_statements, "found": c.found_statements,
                       "precision": ratio(c.right_statements, c.drafted_statements),
                       "recall": ratio(c.found_statements, c.gold_statements)},
        "statements_by_property": {
            p: {"gold": n["gold"], "drafted": n["drafted"], "right": n["right"],
                "found": n["found"], "precision": ratio(n["right"], n["drafted"]),
                "recall": ratio(n["found"], n["gold"])}
            for p, n in sorted(c.properties.items(), key=lambda kv: (-kv[1]["gold"], kv[0]))},
        "signers": {"gold": c.gold_signatures, "drafted": c.drafted_signatures,
                    **{part: c.signers[part] for part in SIGNATURE_PARTS},
                    **{f"{part}_share": ratio(c.signers[part], c.gold_signatures)
                       for part in SIGNATURE_PARTS}},
    }


def documents(folders: list[Path]) -> list[Doc]:
    """The annotated documents of data folders (``sources/`` + ``annotations/``)."""
    docs = []
    for folder in folders:
        for gold in sorted((folder / "annotations").glob("*.yaml")):
            name = read_yaml(gold)["document"]
            docs.append(Doc(name, folder / "sources" / f"{name}.txt", gold))
    return docs


class GoldGraphs:
    """The asserted graph of every gold annotation but one, each annotation read once."""

    def __init__(self, docs: list[Doc]):
        from kg.builder.annotation import read_annotation
        from kg.builder.evidence import to_triples
        from kg.builder.ontology import load_ontology, schema_of

        schema = schema_of(load_ontology(with_alignments=False))
        self._to_triples = to_triples
        self.annotations = {d.name: read_annotation(d.gold_path, d.text_path.parent, schema)
                            for d in docs}

    def without(self, exclude: str):
        from kg.terms import graph_of

        kept = [a for name, a in self.annotations.items() if name != exclude]
        return graph_of(self._to_triples(kept)[0])


def _names(node: dict) -> set[str]:
    names = {node["label"], *(node.get("aliases") or [])}
    if node.get("acronym"):
        names.add(node["acronym"])
    return {fold(n) for n in names}


def match(d: Draft, gold: dict) -> dict[str, str]:
    """Drafted entity key -> gold entity key, one to one."""
    text = d.text
    spans = {}
    for key, node in gold["entities"].items():
        span = locate(text, node["quote"], node.get("occurrence"), key)
        spans[key] = (span.start, span.end)
    pairs: dict[str, str] = {}
    used: set[str] = set()
    drafted = [e for e in d.entities.values() if not SKIP & set(e.types)]
    candidates = {k: n for k, n in gold["entities"].items() if not SKIP & set(n["a"])}

    def take(e_key: str, g_key: str) -> None:
        pairs[e_key] = g_key
        used.add(g_key)

    for e in drafted:  # same key
        if e.key in candidates:
            take(e.key, e.key)

    def by_name(e, same_kind: bool) -> str | None:
        names = {fold(e.label), *(fold(m.text) for m in e.mentions)}
        return next((g for g, node in candidates.items() if g not in used
                     and names & _names(node)
                     and (not same_kind or groups(e.types) & groups(node["a"]))), None)

    def by_near_name(e, same_kind: bool) -> str | None:
        return next((g for g, node in candidates.items() if g not in used
                     and (not same_kind or groups(e.types) & groups(node["a"]))
                     and max(difflib.SequenceMatcher(None, fold(e.label), n).ratio()
                             for n in _names(node)) >= 0.85), None)

    def by_span(e, same_kind: bool) -> str | None:
        mine = [(m.start, m.end) for m in e.mentions] or [(e.start, e.end)]
        return next((g for g, node in candidates.items() if g not in used
                     and groups(e.types) & groups(node["a"])
                     and any(a < spans[g][1] and spans[g][0] < b for a, b in mine)), None)

    # the same kind of thing first (by name, nearly the same name, overlapping quotes), then
    # the same name whatever the kind
    for rule, same_kind in ((by_name, True), (by_near_name, True), (by_span, True),
                            (by_name, False), (by_near_name, False)):
        for e in drafted:
            if e.key not in pairs and (g := rule(e, same_kind)) is not None:
                take(e.key, g)
    return pairs


def gold_facts(gold: dict) -> tuple[set[tuple], set[tuple]]:
    """(gold statements, gold statements and curated facts) as (s, p, o-or-value) triples."""
    statements = {(st["s"], st["p"], _obj(st)) for st in gold["statements"]}
    curated = {(key, c["p"], _obj(c)) for key, node in gold["entities"].items()
               for c in node.get("curated") or []}
    return statements, statements | curated


def _obj(node: dict) -> str:
    return str(node["o"]).removeprefix("id:") if "o" in node else str(node.get("value"))


def _signatures(d: Draft, gold: dict, pairs: dict[str, str]) -> Counter:
    """Pair drafted signature events with gold ones through their signers, one to one (the
    drafted event agreeing on most parts wins), and count the gold events right in each part."""
    def parts(statements, key, translate):
        out: dict[str, set] = {"signer": set(), "signatureOf": set(), "date": set(),
                               "signedAt": set()}
        for s, p, o in statements:
            if s == key:
                part = "date" if p in _DATE else p
                if part in out:
                    out[part].add(translate(o) if p not in _DATE else o)
        return out

    gold_triples = [(st["s"], st["p"], _obj(st)) for st in gold["statements"]]
    drafted_triples = [(st.s, st.p, st.o if st.o is not None else st.value)
                       for st in d.statements]
    gold_events = [k for k, n in gold["entities"].items() if "SignatureEvent" in n["a"]]
    drafted_events = [k for k, e in d.entities.items() if "SignatureEvent" in e.types]
    mine = {k: parts(drafted_triples, k, lambda o: pairs.get(o, o).removeprefix("id:"))
            for k in drafted_events}
    counts: Counter = Counter()
    used: set[str] = set()
    for g in gold_events:
        want = parts(gold_triples, g, lambda o: o)
        options = [k for k in drafted_events if k not in used and want["signer"]
                   and mine[k]["signer"] == want["signer"]]
        if not options:
            continue
        score = {k: sum(mine[k][p] == want[p] for p in want) for k in options}
        best = max(options, key=lambda k: (score[k], -drafted_events.index(k)))
        used.add(best)
        pairs[best] = g
        right = {p: mine[best][p] == want[p] for p in want}
        right["all"] = all(right.values())
        counts.update(p for p, ok in right.items() if ok)
    return counts


def _events(d: Draft, gold: dict, pairs: dict[str, str]) -> None:
    """Pair the drafted lifecycle events other than signatures (entries into force, renewals,
    ...) with the gold ones of the same class and the same agreement (``eventOf``, through the
    entity matching), one to one, so that their statements can be compared."""
    def agreement_of(statements, key, translate):
        return next((translate(o) for s, p, o in statements
                     if s == key and p in ("eventOf", "consentTo")), None)

    gold_triples = [(st["s"], st["p"], _obj(st)) for st in gold["statements"]]
    drafted_triples = [(st.s, st.p, st.o) for st in d.statements if st.o is not None]
    used: set[str] = set()
    for key, e in d.entities.items():
        kinds = (set(e.types) & LIFECYCLE) - {"SignatureEvent", "ConsentBySignature"}
        if not kinds or key in pairs:
            continue
        target = agreement_of(drafted_triples, key,
                              lambda o: pairs.get(o, o).removeprefix("id:"))
        match = next((g for g, n in gold["entities"].items() if g not in used
                      and kinds & set(n["a"])
                      and agreement_of(gold_triples, g, lambda o: o) == target), None)
        if match is not None:
            used.add(match)
            pairs[key] = match


def evaluate_one(doc: Doc, gaz: Gazetteer, ner: str | Tagger | None = None) -> Counts:
    """Draft one document against ``gaz`` and count what the draft gets right."""
    meta = read_yaml(doc.text_path.with_name(doc.name + ".meta.yaml"))
    text = doc.text_path.read_text(encoding="utf-8")
    issued = dt.date.fromisoformat(str(meta["issued"]))
    d = draft(text, doc.name, issued, gaz, ner)
    gold = read_yaml(doc.gold_path)
    pairs = match(d, gold)
    c = Counts(documents=1)
    c.signers = _signatures(d, gold, pairs)
    _events(d, gold, pairs)
    c.gold_signatures = sum(1 for n in gold["entities"].values() if "SignatureEvent" in n["a"])
    c.drafted_signatures = sum(1 for e in d.entities.values() if "SignatureEvent" in e.types)

    drafted = [e for e in d.entities.values() if not SKIP & set(e.types)]
    golds = {k: n for k, n in gold["entities"].items() if not SKIP & set(n["a"])}
    c.gold_entities, c.drafted_entities = len(golds), len(drafted)
    matched = [e for e in drafted if e.key in pairs]
    c.matched_entities = len(matched)
    c.linked_right = sum(1 for e in matched
                         if (pairs[e.key] in gaz.entries and e.key == pairs[e.key])
                         or (pairs[e.key] not in gaz.entries and not e.linked))
    for node in golds.values():
        for cls in set(node["a"]):
            c.classes.setdefault(cls, Counter())["gold"] += 1
    for e in drafted:
        for cls in set(e.types):
            c.classes.setdefault(cls, Counter())["drafted"] += 1
        if e.key in pairs:
            for cls in set(e.types) & set(golds[pairs[e.key]]["a"]):
                c.classes[cls]["matched"] += 1

    stated, everything = gold_facts(gold)
    found: set[tuple] = set()
    for _s, p, _o in stated:
        c.properties.setdefault(p, Counter())["gold"] += 1
    for st in d.statements:
        o = pairs.get(st.o, st.o) if st.o is not None else st.value
        triple = (pairs.get(st.s, st.s), st.p, o.removeprefix("id:"))
        n = c.properties.setdefault(st.p, Counter())
        n["drafted"] += 1
        if triple in everything:
            n["right"] += 1
            c.right_statements += 1
        if triple in stated and triple not in found:
            found.add(triple)
            n["found"] += 1
    c.gold_statements, c.drafted_statements = len(stated), len(d.statements)
    c.found_statements = len(found)
    return c


def evaluate(folders: list[Path], context: list[Path] = (),
             ner: str | Tagger | None = None) -> dict[str, Counts]:
    """The counts of every annotated document of ``folders``, by document name.

    Each document is drafted against a gazetteer of the gold annotations of all the other
    documents of ``folders`` and of ``context`` (leave one out), as a new document meets the
    graph; the documents of ``context`` are not themselves measured.
    """
    measured = documents(folders)
    names = {d.name for d in measured}
    known = [d for d in documents(list(context)) if d.name not in names]
    graphs = GoldGraphs(measured + known)
    return {doc.name: evaluate_one(doc, gazetteer(graphs.without(doc.name)), ner)
            for doc in measured}


def total(counts: dict[str, Counts]) -> Counts:
    """The counts of a split: the sum over its documents."""
    out = Counts()
    for c in counts.values():
        out = out + c
    return out
