"""One document's share of a build: the work that runs per document, in worker processes.

:func:`read` (stage 1) turns an annotation and its source into the asserted and evidence
triples, closes the asserted triples alone, and checks the document's own view of its data
against the shapes, noting for each focus node which named nodes the checks read. The small
results go to the build's cache (:func:`record_path`), the N-Quads lines of everything stated
to a spool file, for the store and for stage 3.

:func:`finish` (stage 3), once every document has been read and the reasoning across
documents is done, cuts the document's part of the dataset (the quads whose subject it owns,
with what the reasoning across documents added) and checks again only the focus nodes whose
verdict may have changed: those that read a node another shard owns, or a node the shared
reasoning added to. A verdict that read only the document's own, unchanged nodes stands, since
those nodes have the same triples in the whole graph. Both stages are pure functions of their
inputs and the files they name, so a process pool can run them in any order.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.namespace import AGR, GRAPHS, ID, PREFIXES, RDF
from kg.reason.reference import is_noise
from kg.terms import Triple

_TYPE = f"<{RDF}type>"
_OURS = f"<{AGR}"
#: Subjects the evidence graph mints per document; a document's evidence nodes are its own
#: unless an annotation names one (then they are shared, see :mod:`kg.builder.pipeline`).
EVIDENCE_NODES = (f"<{ID}evidence/", f"<{ID}document/")
NAME_PREDICATES = {f"<{PREFIXES[prefix]}{name}>": kind for prefix, name, kind in (
    ("rdfs", "label", "label"), ("skos", "altLabel", "alias"), ("skos", "prefLabel", "label"),
    ("agr", "acronym", "acronym"))}
_GRAPH_OF = {f"<{iri}>": name for name, iri in GRAPHS.items()}
_SUFFIX = GRAPH_SUFFIX = {name: f" <{iri}> .\n" for name, iri in GRAPHS.items()}
_RECORD = f" {_TYPE} <{AGR}EvidenceRecord>{_SUFFIX['evidence']}"

Range = tuple[str, int, int]  # (file, offset, length)


def quad(triple: Triple, graph: str) -> str:
    """One N-Quads line."""
    s, p, o = triple
    return f"{s} {p} {o}{_SUFFIX[graph]}"


def parse_quad(line: str) -> tuple[Triple, str]:
    """``((s, p, o), graph name)`` of an N-Quads line written by :func:`quad` (subject,
    predicate and graph are IRIs without spaces, so only the object may hold one)."""
    head, _, graph = line[:-3].rpartition(" ")
    s, p, o = head.split(" ", 2)
    return (s, p, o), _GRAPH_OF[graph]


def subject(line: str) -> str:
    return line[:line.index(" ")]


def read_range(where: Range) -> str:
    path, offset, length = where
    with open(path, "rb") as handle:
        handle.seek(offset)
        return handle.read(length).decode("utf-8")


@dataclass
class Stated:
    """What stage 1 reports to the main process about one document (everything else stays in
    its cache record and the spool)."""

    id: str
    annotation: str  # the annotation file, for messages
    sha256: str  # of the source text
    named: list[str]  # nodes the asserted triples name (kg.reason.shards.mentions)
    schema: list[Triple]  # asserted triples about classes or properties
    errors: list[str]  # inconsistencies the document's own closure shows
    spool: Range  # its stated lines
    drafts: list[str] = field(default_factory=list)  # where its `review: draft` items are


def record_path(cache: Path, doc_id: str) -> Path:
    return cache / "docs" / f"{doc_id}.json"


def read(annotation: Path, sources: Path, schema, reasoner, checks, classes: list[Triple],
         cache: Path, spool) -> Stated:
    """Stage 1 for one document: read and check it, make its triples, close its asserted
    triples (when ``reasoner`` is given), check its data against the compiled ``checks``
    (``classes``: the schema's ``rdfs:subClassOf`` triples), write its cache record and append
    its stated lines (evidence and asserted, sorted) to the open binary file ``spool``.

    Raises :class:`kg.errors.AnnotationError` for a bad annotation.
    """
    from kg.builder.annotation import drafts, read_annotation
    from kg.builder.evidence import to_triples
    from kg.builder.shapes import Data, read_predicates, violations
    from kg.reason.rules import is_schema
    from kg.reason.shards import mentions

    parsed = read_annotation(annotation, sources, schema)
    asserted, evidence = to_triples([parsed])
    derived, errors = [], []
    if reasoner is not None:
        work, errors = reasoner.close(asserted)
        derived = sorted(t for t in work.triples if t[0][0] != '"')
    data = Data([*asserted, *evidence,
                 *(t for t in derived if t not in asserted and not is_noise(*t))], classes,
                read_predicates(checks))
    read: dict[str, set[str]] = {}
    verdicts = {}
    for focus, lines in violations(data, checks, reads=read).items():
        reads = sorted(n for n in read.get(focus, ())
                       if n[0] != '"' and not n.startswith(EVIDENCE_NODES))
        if reads or lines:
            verdicts[focus] = [reads, sorted(lines)]
    source = parsed.source
    write_record(cache, source.id, {
        "document": source.id, "sha256": source.sha256, "annotation": str(annotation),
        "asserted": sorted(asserted), "derived": derived, "errors": sorted(errors),
        "verdicts": dict(sorted(verdicts.items()))})
    lines = sorted([quad(t, "asserted") for t in asserted]
                   + [quad(t, "evidence") for t in evidence])
    blob = "".join(lines).encode("utf-8")
    offset = spool.tell()
    spool.write(blob)
    return Stated(source.id, str(annotation), source.sha256, sorted(mentions(asserted)),
                  sorted(t for t in asserted if is_schema(t)), sorted(errors),
                  (spool.name, offset, len(blob)), drafts([parsed]))


def write_record(cache: Path, doc_id: str, record: dict) -> None:
    from kg.output import write_text

    write_text(record_path(cache, doc_id), json.dumps(record, ensure_ascii=False) + "\n")


def load_record(cache: Path, doc_id: str) -> dict:
    """A document's cache record, its triples as tuples."""
    record = json.loads(record_path(cache, doc_id).read_text(encoding="utf-8"))
    for key in ("asserted", "derived"):
        record[key] = [tuple(t) for t in record[key]]
    return record


@dataclass
class Part:
    """A document's part of the dataset as stage 3 made it, and what the main process needs
    of it: counts, names for the lookup index, the violations found, and what checking it
    read about nodes it does not own (``asked``, with a digest of the ``answers``)."""

    id: str
    where: Range = ("", 0, 0)  # the part's lines
    inferred: Range = ("", 0, 0)  # its inferred lines alone
    triples: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    records: int = 0
    names: list[tuple[str, str, str, str]] = field(default_factory=list)
    elsewhere: list[Triple] = field(default_factory=list)  # its evidence of shared nodes
    violations: list[str] = field(default_factory=list)
    asked: list[tuple[str, str]] = field(default_factory=list)
    answers: str = ""
    key: str = ""  # what the part depends on (kg.builder.pipeline._part_key)
    reused: bool = False  # taken from the previous build as it was
    offset: int = 0  # where it sits in dataset.nq
    length: int = 0


def cut(index: int, stated: list[str], record: dict, extras: Iterable[Triple],
        owner: dict[str, int], forced: bool = False) -> tuple[list[str], list[str], list[Triple]]:
    """The part of document ``index`` from its stated lines: the part's lines, sorted; those of
    them that are not evidence (asserted and inferred); and its evidence triples whose subject
    it does not own (they belong to the shared part).

    A node is the document's when only it names it, or when it is one of the document's
    evidence nodes that no annotation names: unless some annotation names an evidence node
    (``forced``), every evidence line is the document's.
    """
    evidence, mine, elsewhere = [], [], []
    suffix = _SUFFIX["evidence"]
    for line in stated:
        if line.endswith(suffix):
            if not forced or owner.get(subject(line), index) == index:
                evidence.append(line)
            else:
                elsewhere.append(parse_quad(line)[0])
        elif owner.get(subject(line), index) == index:
            mine.append(line)
    asserted = set(record["asserted"])
    inferred = [quad(t, "inferred") for t in {*record["derived"], *extras}
                if owner.get(t[0]) == index and t not in asserted and not is_noise(*t)]
    others = sorted(mine + inferred)
    return sorted(evidence + others), others, elsewhere  # sorted() merges the sorted runs


def not_evidence(lines: list[str]) -> list[str]:
    suffix = _SUFFIX["evidence"]
    return [line for line in lines if not line.endswith(suffix)]


def summary(part: Part, text: str, others: list[str]) -> None:
    """Fill ``part``'s counts and names from its ``text`` and the lines of it that are not
    evidence (the only ones parsed)."""
    from kg.terms import parse_literal

    entities, names = Counter(), []
    part.triples = {name: n for name, suffix in _SUFFIX.items() if (n := text.count(suffix))}
    part.records = text.count(_RECORD)
    for line in others:
        (s, p, o), graph = parse_quad(line)
        if p == _TYPE and graph in ("asserted", "inferred") and o.startswith(_OURS):
            entities[o] += 1
        elif graph == "asserted" and p in NAME_PREDICATES and o.startswith('"'):
            literal = parse_literal(o)
            names.append((s[1:-1], literal.value, literal.lang or "", NAME_PREDICATES[p]))
    part.entities = dict(sorted(entities.items()))
    part.names = sorted(names)


def finish(part: Part, index: int, lines: list[str], record: dict, extras: set[Triple],
           owner: dict[str, int], facts: dict[str, list[Triple]], classes: list[Triple],
           checks, everything: bool = False) -> None:
    """Stage 3's checks of a part (``lines``: those that are not evidence, or all of them when
    ``everything``): keep the stage-1 verdict of every focus node it owns whose checks read
    only nodes it owns and the reasoning across documents did not add to; check the others
    again (all of them when ``everything``), with ``facts`` (node -> the triples the shapes
    read about it) for the values it does not own. Fills ``part``'s violations and what the
    new checks read about others' nodes. (Evidence nodes are neither checked again nor the
    values of nodes that are, unless an annotation names one: then ``everything``.)"""
    from kg.builder.shapes import Data, read_predicates, violations

    def owns(node: str) -> bool:
        return owner.get(node, index) == index

    again = {t[0] for t in extras if owns(t[0])}
    found: set[str] = set()
    for focus, (reads, verdict) in record.get("verdicts", {}).items():
        if not owns(focus):
            continue
        if everything or any(n in again or not owns(n) for n in reads):
            again.add(focus)
        else:
            found.update(verdict)
    if everything:
        again |= {subject(line) for line in lines}
    if again:
        data = [parse_quad(line)[0] for line in lines if subject(line) in again]
        around = {o for _, _, o in data if o[0] != '"'} - again
        data += [parse_quad(line)[0] for line in lines if subject(line) in around]
        held = {t[0] for t in data}
        context = [*classes, *(t for n in sorted(around - held) for t in facts.get(n, ()))]
        checked = Data(data, context, read_predicates(checks))
        for lines_of in violations(checked, checks, again).values():
            found.update(lines_of)
        part.asked = sorted(checked.asked)
        part.answers = answers(part.asked, facts)
    part.violations = sorted(found)


def answers(asked: Iterable[tuple[str, str]], facts: dict[str, list[Triple]]) -> str:
    """A digest of what ``facts`` says about each ``(node, predicate)`` asked."""
    from kg.builder.cache import digest

    return digest([[n, p, sorted(o for s, q, o in facts.get(n, ()) if q == p)]
                   for n, p in asked])
