"""The one reader of evidence records: every surface that shows where a fact comes from (lookup,
describe, why, the docs site) reads it through here.

A record (see :mod:`kg.builder.evidence`) names its fact with an ``rdf:Statement``; a stated or
resolved record has a target on its document with a quote selector (the exact text) and a
position selector (its offsets); a curated record has no target, only a note. Records are found
by index lookups from the fact, never by scanning.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from kg.namespace import AGR, DCTERMS, GRAPHS, OA, PROV, RDF


@dataclass(frozen=True)
class Evidence:
    """How one fact is known: from a quote at offsets in a document, or from a curator's note."""

    record: str  # the evidence record's IRI
    subject: str
    predicate: str
    object: Any  # a pyoxigraph term
    kind: str  # Stated, ResolvedFromContext or Curated
    document: str  # the source document's id
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    note: str | None = None
    modality: str | None = None  # Asserted, Hedged or ReportedSpeech (None when curated)
    draft: bool = False  # proposed by `kg extract` and built unreviewed (--include-drafts)

    def tags(self) -> list[str]:
        """How the record is shown: its kind, a modality other than plain assertion, and
        ``DRAFT`` for an unreviewed draft."""
        shown = [self.kind]
        if self.modality and self.modality != "Asserted":
            shown.append(self.modality)
        return [*shown, "DRAFT"] if self.draft else shown

    def as_dict(self) -> dict[str, Any]:
        """As plain values: subject and predicate as CURIEs, the object as ``kg`` shows it."""
        from kg.namespace import curie
        from kg.query.results import short

        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data.update(subject=curie(self.subject), predicate=curie(self.predicate),
                    object=short(self.object))
        return data


def tags_of(records: list[Evidence]) -> list[str]:
    """The tags of several records (one quote's), once each: kinds, modalities, then DRAFT."""
    found = {tag for e in records for tag in e.tags()}
    modalities = {e.modality for e in records}
    return sorted(found - modalities - {"DRAFT"}) + sorted(found & modalities) + (
        ["DRAFT"] if "DRAFT" in found else [])


class Reader:
    """Reads evidence records out of a build's store."""

    def __init__(self, store: Any):
        from pyoxigraph import NamedNode

        self.store = store
        self.documents: dict[Any, str] = {}  # document node -> its id (records share them)
        self.graph = NamedNode(GRAPHS["evidence"])
        self.n = {name: NamedNode(iri) for name, iri in {
            "subject": RDF + "subject", "predicate": RDF + "predicate", "object": RDF + "object",
            "type": RDF + "type", "body": OA + "hasBody", "target": OA + "hasTarget",
            "selector": OA + "hasSelector", "exact": OA + "exact", "start": OA + "start",
            "end": OA + "end", "quote": OA + "TextQuoteSelector",
            "position": OA + "TextPositionSelector", "kind": AGR + "evidenceKind",
            "note": AGR + "provenanceNote", "derived": PROV + "wasDerivedFrom",
            "identifier": DCTERMS + "identifier", "modality": AGR + "modality",
            "draft": AGR + "DraftEvidenceRecord"}.items()}

    def _objects(self, s: Any, p: str) -> list[Any]:
        return [q.object for q in self.store.quads_for_pattern(s, self.n[p], None, self.graph)]

    def _one(self, s: Any, p: str) -> Any:
        found = self._objects(s, p)
        return found[0] if found else None

    def _props(self, node: Any) -> dict[str, list[Any]]:
        """Every value of every property of ``node`` in the evidence graph (one index seek),
        each property's values in the store's order."""
        found: dict[str, list[Any]] = {}
        for q in self.store.quads_for_pattern(node, None, None, self.graph):
            found.setdefault(q.predicate.value, []).append(q.object)
        return found

    def record(self, node: Any) -> Evidence:
        """The evidence record ``node`` (a NamedNode), read whole."""
        def one(props: dict[str, list[Any]], name: str) -> Any:
            values = props.get(self.n[name].value)
            return values[0] if values else None

        own = self._props(node)
        statement = self._props(one(own, "body"))
        kind, note, modality = one(own, "kind"), one(own, "note"), one(own, "modality")
        quote = start = end = None
        target = one(own, "target")
        if target is not None:
            for selector in self._props(target).get(self.n["selector"].value, []):
                props = self._props(selector)
                types = props.get(self.n["type"].value, [])
                if self.n["quote"] in types:
                    quote = one(props, "exact").value
                if self.n["position"] in types:
                    start, end = int(one(props, "start").value), int(one(props, "end").value)
        return Evidence(
            record=node.value,
            subject=one(statement, "subject").value,
            predicate=one(statement, "predicate").value,
            object=one(statement, "object"),
            kind=kind.value.removeprefix(AGR),
            document=self._document(one(own, "derived")),
            quote=quote, start=start, end=end,
            note=note.value if note is not None else None,
            modality=modality.value.removeprefix(AGR) if modality is not None else None,
            draft=self.n["draft"] in own.get(self.n["type"].value, []),
        )

    def _document(self, node: Any) -> str:
        """The id of the source document ``node``, read once per reader."""
        if node not in self.documents:
            self.documents[node] = self._one(node, "identifier").value
        return self.documents[node]

    def _records_of(self, statements: Any) -> list[Evidence]:
        out = []
        for statement in statements:
            for quad in self.store.quads_for_pattern(None, self.n["body"], statement, self.graph):
                out.append(self.record(quad.subject))
        return sorted(out, key=_order)

    def about(self, iri: str) -> list[Evidence]:
        """Every record of a fact whose subject is ``iri``."""
        return self.about_some(iri)[0]

    def about_some(self, iri: str, most: int | None = None) -> tuple[list[Evidence], int]:
        """The records of facts whose subject is ``iri``, at most ``most`` of them (in the
        store's order, fixed for a given graph; the others are counted, not read), and how
        many there are in all."""
        from pyoxigraph import NamedNode

        from kg.query.run import some

        about = f"?st {self.n['subject']} {NamedNode(iri)}"
        # every statement node is the body of one record (kg.builder.evidence mints it as
        # <record>#statement), so counting the statements, one index range, counts the records
        rows, total = some(self.store, "?record", f"GRAPH {self.graph} {{ ?record "
                           f"{self.n['body']} ?st . {about} }}", most,
                           counted=f"GRAPH {self.graph} {{ {about} }}")
        return sorted((self.record(r["record"]) for r in rows), key=_order), total

    def of(self, s: Any, p: Any, o: Any) -> list[Evidence]:
        """Every record of the fact ``(s p o)`` (pyoxigraph terms)."""
        statements = [q.subject for q in self.store.quads_for_pattern(
            None, self.n["subject"], s, self.graph)]
        return self._records_of(
            st for st in statements
            if self._one(st, "predicate") == p and self._one(st, "object") == o)

    def in_document(self, document_iri: str) -> list[Evidence]:
        """Every record derived from the document ``document_iri``."""
        from pyoxigraph import NamedNode

        nodes = [q.subject for q in self.store.quads_for_pattern(
            None, self.n["derived"], NamedNode(document_iri), self.graph)]
        return sorted((self.record(n) for n in nodes if self._one(n, "body") is not None),
                      key=_order)

    def all(self) -> list[Evidence]:
        """Every record of the build (for checks; large on a large build)."""
        nodes = [q.subject for q in self.store.quads_for_pattern(None, self.n["body"], None,
                                                                 self.graph)]
        return sorted((self.record(n) for n in nodes), key=_order)


def _order(e: Evidence) -> tuple:
    return (e.document, e.start is None, e.start or 0, e.predicate, str(e.object), e.record)
