"""Measuring `kg extract` against reviewed gold annotations.

Figures per document:

- mention precision / recall: drafted entities matched to gold entities, one to one (by key, by
  name, label, alias or acronym, or by overlapping quote spans of the same kind of thing).
  Signature events are left out on both sides: they are statements' scaffolding, not mentions.
- linking accuracy: among matched pairs, the share whose link decision is right: linked to the
  gold entity when the gazetteer knows it, proposed as new when it does not.
- statement precision: drafted statements whose subject, predicate and object (through the
  entity matching) are in the gold annotation (a statement or a curated fact); statement recall
  is against the gold statements.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path

from kg.builder.annotation import locate
from kg.extract.draft import Draft, draft
from kg.extract.gazetteer import Gazetteer, gazetteer
from kg.extract.mentions import groups
from kg.query.lookup import fold
from kg.yamlio import read as read_yaml

SKIP = {"SignatureEvent"}


@dataclass(frozen=True)
class Doc:
    name: str
    text_path: Path
    gold_path: Path


@dataclass
class Row:
    document: str
    gold_entities: int
    drafted_entities: int
    mention_precision: float
    mention_recall: float
    linking_accuracy: float
    drafted_statements: int
    statement_precision: float
    statement_recall: float


def documents(folders: list[Path]) -> list[Doc]:
    """The annotated documents of data folders (``sources/`` + ``annotations/``)."""
    docs = []
    for folder in folders:
        for gold in sorted((folder / "annotations").glob("*.yaml")):
            name = read_yaml(gold)["document"]
            docs.append(Doc(name, folder / "sources" / f"{name}.txt", gold))
    return docs


def gold_graph(docs: list[Doc], exclude: str):
    """The asserted graph of every gold annotation but ``exclude``'s."""
    from kg.builder.annotation import read_annotation
    from kg.builder.evidence import to_triples
    from kg.builder.ontology import load_ontology, schema_of
    from kg.terms import graph_of

    schema = schema_of(load_ontology(with_alignments=False))
    annotations = [read_annotation(d.gold_path, d.text_path.parent, schema)
                   for d in docs if d.name != exclude]
    return graph_of(to_triples(annotations)[0])


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
    drafted = [e for e in d.entities.values() if e.types[0] not in SKIP]
    candidates = {k: n for k, n in gold["entities"].items() if n["a"][0] not in SKIP}

    def take(e_key: str, g_key: str) -> None:
        pairs[e_key] = g_key
        used.add(g_key)

    for e in drafted:  # same key, or same name
        names = {fold(e.label), *(fold(m.text) for m in e.mentions)}
        for g_key, node in candidates.items():
            if g_key not in used and e.key not in pairs and (
                    e.key == g_key or names & _names(node)):
                take(e.key, g_key)
    for e in drafted:  # nearly the same name ("Tokohu University")
        if e.key in pairs:
            continue
        for g_key, node in candidates.items():
            if g_key not in used and max(difflib.SequenceMatcher(None, fold(e.label), n).ratio()
                                         for n in _names(node)) >= 0.85:
                take(e.key, g_key)
                break
    for e in drafted:  # overlapping spans, same kind of thing
        if e.key in pairs:
            continue
        mine = [(m.start, m.end) for m in e.mentions] or [(e.start, e.end)]
        for g_key, node in candidates.items():
            s, t = spans[g_key]
            if g_key not in used and groups(e.types) & groups(node["a"]) and any(
                    a < t and s < b for a, b in mine):
                take(e.key, g_key)
                break
    return pairs


def _signatures(d: Draft, gold: dict, pairs: dict[str, str]) -> None:
    """Pair signature events through their signers."""
    signer = {st["s"]: st["o"] for st in gold["statements"] if st["p"] == "signer"}
    for st in d.statements:
        if st.p == "signer" and pairs.get(st.o) in signer.values():
            pairs[st.s] = next(s for s, o in signer.items() if o == pairs[st.o])


def gold_facts(gold: dict) -> tuple[set[tuple], set[tuple]]:
    """(gold statements, gold statements and curated facts) as (s, p, o-or-value) triples."""
    def obj(node):
        return str(node["o"]).removeprefix("id:") if "o" in node else str(node.get("value"))

    statements = {(st["s"], st["p"], obj(st)) for st in gold["statements"]}
    curated = {(key, c["p"], obj(c)) for key, node in gold["entities"].items()
               for c in node.get("curated") or []}
    return statements, statements | curated


def evaluate_one(doc: Doc, gaz: Gazetteer) -> Row:
    meta = read_yaml(doc.text_path.with_name(doc.name + ".meta.yaml"))
    text = doc.text_path.read_text(encoding="utf-8")
    issued = dt.date.fromisoformat(str(meta["issued"]))
    d = draft(text, doc.name, issued, gaz)
    gold = read_yaml(doc.gold_path)
    pairs = match(d, gold)
    _signatures(d, gold, pairs)
    drafted = [e for e in d.entities.values() if e.types[0] not in SKIP]
    golds = [k for k, n in gold["entities"].items() if n["a"][0] not in SKIP]
    matched = [e for e in drafted if e.key in pairs]
    right = sum(1 for e in matched if (pairs[e.key] in gaz.entries and e.key == pairs[e.key])
                or (pairs[e.key] not in gaz.entries and not e.linked))
    stated, everything = gold_facts(gold)
    hits = set()
    for st in d.statements:
        o = pairs.get(st.o, st.o) if st.o is not None else st.value
        triple = (pairs.get(st.s, st.s), st.p, o.removeprefix("id:") if o else o)
        if triple in everything:
            hits.add(triple)
    correct = sum(1 for st in d.statements
                  if (pairs.get(st.s, st.s), st.p,
                      (pairs.get(st.o, st.o) if st.o is not None else st.value)
                      .removeprefix("id:")) in everything)
    return Row(doc.name, len(golds), len(drafted),
               round(len(matched) / max(1, len(drafted)), 3),
               round(len(matched) / max(1, len(golds)), 3),
               round(right / max(1, len(matched)), 3),
               len(d.statements),
               round(correct / max(1, len(d.statements)), 3),
               round(len(hits & stated) / max(1, len(stated)), 3))


def evaluate(folders: list[Path]) -> list[Row]:
    """The extractor's figures on every annotated document of ``folders``; each document is
    drafted against a gazetteer of all the others (leave one out), as a new document meets the
    graph."""
    docs = documents(folders)
    return [evaluate_one(doc, gazetteer(gold_graph(docs, doc.name))) for doc in docs]
