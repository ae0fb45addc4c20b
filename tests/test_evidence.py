"""Shown = stored: every evidence record of the seed build and of a synthetic corpus, read
straight from the evidence graph, is shown by every surface (describe, lookup, why, the text
card, the docs site, the saved query `evidence`) with exactly its quote, and that quote is the
source text at the offsets shown. A curated record is shown with its note and kind, never a
quote."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

import kg
from kg.builder import build
from kg.query.evidence import Reader
from kg.query.lookup import render_card
from kg.synth import synth
from support import run_kg

STORED = """
SELECT ?record ?subject ?predicate ?object ?kind ?document ?exact ?start ?end ?note WHERE {
  GRAPH graph:evidence {
    ?record a agr:EvidenceRecord ; oa:hasBody ?st ; agr:evidenceKind ?kind ;
            prov:wasDerivedFrom/dcterms:identifier ?document .
    ?st rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object .
    OPTIONAL { ?record agr:provenanceNote ?note }
    OPTIONAL { ?record oa:hasTarget ?t . ?t oa:hasSelector ?q , ?p .
               ?q a oa:TextQuoteSelector ; oa:exact ?exact .
               ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }
  } }"""


@pytest.fixture(scope="module", params=["seed", "synthetic"])
def corpus(request, built: Path, tmp_path_factory: pytest.TempPathFactory):
    """(build folder, graph, {document: text}, stored records by IRI)."""
    if request.param == "seed":
        folder = built
    else:
        root = tmp_path_factory.mktemp("evidence")
        synth(6, root / "data", seed=3)
        folder = build(root / "data", root / "kg-build").out
    graph = kg.Graph(folder)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in (folder / "sources").glob("*.txt")}
    stored = {}
    for row in graph.sparql(STORED).dicts():
        stored[row["record"]] = row
    assert len(stored) > 200
    return folder, graph, texts, stored


def test_every_stored_quote_is_the_text_at_its_offsets(corpus):
    _, _, texts, stored = corpus
    quoted = curated = 0
    for row in stored.values():
        kind = row["kind"].rsplit("#", 1)[1]
        if kind == "Curated":
            assert "exact" not in row and "start" not in row and row.get("note"), row
            curated += 1
        else:
            assert texts[row["document"]][row["start"]:row["end"]] == row["exact"], row
            quoted += 1
    assert quoted > 100


def test_the_reader_returns_exactly_the_stored_records(corpus):
    _, graph, _, stored = corpus
    read = {e.record: e for e in Reader(graph.store).all()}
    assert set(read) == set(stored)
    for iri, e in read.items():
        row = stored[iri]
        assert (e.quote, e.start, e.end, e.note) == (row.get("exact"), row.get("start"),
                                                     row.get("end"), row.get("note")), iri
        assert e.kind == row["kind"].rsplit("#", 1)[1] and e.document == row["document"]


def _by_subject(stored: dict) -> dict[str, set[tuple]]:
    out: dict[str, set[tuple]] = {}
    for row in stored.values():
        out.setdefault(row["subject"], set()).add(
            (row["record"], row.get("exact"), row.get("start"), row.get("end"), row.get("note")))
    return out


def test_describe_shows_each_record_as_stored(corpus):
    _, graph, texts, stored = corpus
    for subject, expected in _by_subject(stored).items():
        if subject.startswith("https://w3id.org/agreements-kg/id/evidence/"):
            continue
        card = graph.describe(f"<{subject}>")
        shown = {(e["record"], e["quote"], e["start"], e["end"], e["note"])
                 for e in card.as_dict()["evidence"]}
        assert shown == expected, subject
        for line in re.findall(r"\u201c(.*)\u201d  \[(\S+) (\d+)-(\d+),", render_card(card)):
            quote, document, start, end = line
            assert texts[document][int(start):int(end)] == quote, (subject, line)


def test_a_card_cut_short_shows_stored_records_and_counts_the_rest(corpus):
    """``describe(most=N)``: each section keeps at most N entries, all of them from the whole
    card, and ``left_off`` counts the rest."""
    _, graph, _, stored = corpus
    by_subject = _by_subject(stored)
    cut = 0
    for subject in sorted(by_subject)[:40]:
        whole = graph.describe(f"<{subject}>").as_dict()
        short = graph.describe(f"<{subject}>", most=2).as_dict()
        for section in ("outgoing", "incoming", "evidence"):
            kept, left = short[section], short["left_off"].get(section, 0)
            assert len(kept) == min(2, len(whole[section])), (subject, section)
            assert left == len(whole[section]) - len(kept), (subject, section)
            assert all(entry in whole[section] for entry in kept), (subject, section)
            cut += bool(left)
        assert not whole["left_off"]
    assert cut > 5


def test_lookup_and_describe_commands_show_the_stored_quotes(corpus):
    folder, graph, texts, stored = corpus
    subjects = sorted(_by_subject(stored))[:12]
    for subject in subjects:
        card = json.loads(run_kg("describe", f"<{subject}>", build=folder).stdout)
        for e in card["evidence"]:
            row = stored[e["record"]]
            assert (e["quote"], e["start"], e["end"]) == (
                row.get("exact"), row.get("start"), row.get("end"))
            if e["quote"] is not None:
                assert texts[e["document"]][e["start"]:e["end"]] == e["quote"]
    name = graph.describe(f"<{subjects[0]}>").labels
    if name:
        found = json.loads(run_kg("lookup", name[0][0], build=folder).stdout)["card"]
        for e in found["evidence"]:
            assert e["quote"] == stored[e["record"]].get("exact")


def test_why_shows_each_stated_fact_with_its_stored_quotes(corpus):
    _, graph, texts, stored = corpus
    facts: dict[tuple, list[dict]] = {}
    for row in stored.values():
        facts.setdefault((row["subject"], row["predicate"], row["object"]), []).append(row)
    for (s, p, o), rows in sorted(facts.items())[:150]:
        obj = o if not isinstance(o, str) or not o.startswith("http") else f"<{o}>"
        text = graph.why(f"<{s}>", f"<{p}>", str(obj))
        quotes = re.findall(r"\u201c(.*)\u201d  \[(\S+) (\d+)-(\d+),", text)
        expected = {(r["exact"], r["document"], r["start"], r["end"]) for r in rows
                    if "exact" in r}
        assert {(q, d, int(a), int(b)) for q, d, a, b in quotes} == expected, (s, p, o)
        for quote, document, start, end in quotes:
            assert texts[document][int(start):int(end)] == quote
        if not expected:
            assert "\u201c" not in text and "curated" in text


def test_docs_pages_show_the_stored_quotes(corpus, tmp_path: Path):
    from kg.site.pages import write_site

    folder, _, texts, stored = corpus
    site = tmp_path / "site"
    write_site(folder, site)
    exact = {(r["document"], r["start"], r["end"]): r["exact"] for r in stored.values()
             if "exact" in r}
    seen = 0
    for page in (site / "entity").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        for doc, start, end, quote in re.findall(
                r'<mark data-document="([^"]+)" data-start="(\d+)" data-end="(\d+)">(.*?)</mark>',
                html):
            key = (doc, int(start), int(end))
            assert unescape(quote) == exact[key] == texts[doc][key[1]:key[2]], (page, key)
            seen += 1
    for page in (site / "document").glob("*.html"):
        doc = page.stem
        for start, end, quote in re.findall(r'<q data-start="(\d+)" data-end="(\d+)">(.*?)</q>',
                                            page.read_text(encoding="utf-8")):
            assert unescape(quote) == texts[doc][int(start):int(end)]
            seen += 1
    assert seen > len(exact)


def test_the_saved_evidence_query_shows_the_stored_quotes(corpus):
    _, graph, texts, stored = corpus
    for subject in sorted(_by_subject(stored))[:20]:
        for row in graph.query("evidence", entity=f"<{subject}>").dicts():
            if "quote" in row:
                assert texts[row["document"]][row["start"]:row["end"]] == row["quote"]
            else:
                assert row["kind"] == "curated" and "start" not in row


def test_every_statement_is_the_body_of_one_record(corpus):
    """What a card's count of records relies on (Reader.about_some counts statements)."""
    _, graph, _, stored = corpus
    bodies = graph.sparql("""SELECT ?st (COUNT(?record) AS ?n) WHERE { GRAPH graph:evidence {
        ?st rdf:subject ?s . OPTIONAL { ?record oa:hasBody ?st } } } GROUP BY ?st""").dicts()
    assert len(bodies) == len(stored)
    assert {row["n"] for row in bodies} == {1}
