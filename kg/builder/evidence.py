"""Facts -> RDF: the asserted graph and the evidence graph (Web Annotation + PROV-O).

Every asserted triple gets one evidence record per supporting quote::

    id:evidence/<hash>  a agr:EvidenceRecord ;
        oa:hasBody    <...#statement> ;        # an rdf:Statement naming the triple
        oa:hasTarget  <...#target> ;           # oa:SpecificResource on the source document
        agr:evidenceKind agr:Stated ;          # or agr:ResolvedFromContext / agr:Curated
        prov:wasDerivedFrom id:document/<doc> .

A curated record has no target (no quote) and carries ``agr:provenanceNote``. All nodes are
IRIs minted from content hashes, so output is deterministic and loads into any store without
blank-node surprises. Triples are N-Triples term strings (:mod:`kg.terms`); the tests hold them
to an rdflib rendering of the same facts (tests/reference_rdf.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

from kg.builder.annotation import Annotation, Fact, Term
from kg.builder.sources import Source
from kg.namespace import AGR, DCTERMS, ID, OA, PROV, RDF, RDFS, XSD, slug
from kg.terms import Triple, iri, literal


def term(t: Term) -> str:
    """The N-Triples form of an annotation's term."""
    if t.is_iri:
        return f"<{t.value}>"
    return literal(t.value, t.datatype, t.lang)


def evidence_iri(source: Source, fact: Fact) -> str:
    """The IRI of the evidence record for ``fact`` in ``source``: a hash of both, so stable."""
    o = fact.object
    key = "\x1f".join([source.id, fact.subject, fact.predicate, o.value, str(o.is_iri),
                       o.datatype or "", o.lang or "", str(fact.span.start if fact.span else -1)])
    return f"{ID}evidence/{hashlib.sha256(key.encode()).hexdigest()[:20]}"


_TYPE = iri(RDF + "type")
_A = {name: iri(AGR + name) for name in ("SourceDocument", "sha256", "EvidenceRecord",
                                         "DraftEvidenceRecord", "evidenceKind", "modality",
                                         "provenanceNote")}
_OA = {name: iri(OA + name) for name in ("hasBody", "hasTarget", "SpecificResource", "hasSource",
                                         "hasSelector", "TextQuoteSelector", "exact", "prefix",
                                         "suffix", "TextPositionSelector", "start", "end")}
_DC = {name: iri(DCTERMS + name) for name in ("title", "identifier", "publisher", "issued",
                                              "source", "language", "date")}
_DERIVED = iri(PROV + "wasDerivedFrom")
_PROV = {name: iri(PROV + name) for name in ("wasGeneratedBy", "Activity", "wasAssociatedWith",
                                             "Agent")}
_LABEL = iri(RDFS + "label")
_STATEMENT = iri(RDF + "Statement")
_SUBJECT, _PREDICATE, _OBJECT = (iri(RDF + n) for n in ("subject", "predicate", "object"))
_NNI = XSD + "nonNegativeInteger"


def source_triples(source: Source) -> Iterator[Triple]:
    """The source document's metadata."""
    doc = iri(source.iri)
    yield doc, _TYPE, _A["SourceDocument"]
    yield doc, _DC["title"], literal(source.title, lang="en")
    yield doc, _A["sha256"], literal(source.sha256)
    yield doc, _DC["identifier"], literal(source.id)
    if source.publisher:
        yield doc, _DC["publisher"], literal(str(source.publisher))
    if source.issued:
        yield doc, _DC["issued"], literal(source.issued, XSD + "date")
    if source.url:
        yield doc, _DC["source"], iri(str(source.url))
    if source.language:
        yield doc, _DC["language"], literal(source.language)


def annotation_iri(annotation: Annotation) -> str | None:
    """The annotation of a document as a prov:Activity, when the file says who made it."""
    if not (annotation.annotator or annotation.annotated):
        return None
    return f"{ID}annotation/{annotation.source.id}"


def annotation_triples(annotation: Annotation) -> Iterator[Triple]:
    """Who annotated the document and when (PROV-O), when the annotation file says."""
    activity = annotation_iri(annotation)
    if activity is None:
        return
    yield iri(activity), _TYPE, _PROV["Activity"]
    if annotation.annotated:
        yield iri(activity), _DC["date"], literal(annotation.annotated, XSD + "date")
    if annotation.annotator:
        agent = f"{ID}agent/{slug(annotation.annotator)}"
        yield iri(activity), _PROV["wasAssociatedWith"], iri(agent)
        yield iri(agent), _TYPE, _PROV["Agent"]
        yield iri(agent), _LABEL, literal(annotation.annotator)


def evidence_triples(source: Source, fact: Fact, activity: str | None = None
                     ) -> Iterator[Triple]:
    """One evidence record for ``fact``; ``activity`` is the annotation that made it."""
    ev = evidence_iri(source, fact)
    node, statement = f"<{ev}>", f"<{ev}#statement>"
    yield node, _TYPE, _A["EvidenceRecord"]
    if fact.draft:
        yield node, _TYPE, _A["DraftEvidenceRecord"]
    if fact.modality:
        yield node, _A["modality"], f"<{AGR}{fact.modality}>"
    if fact.reference:
        reference = fact.reference.strip()
        is_url = reference.startswith(("http://", "https://")) and " " not in reference
        yield node, _DC["source"], iri(reference) if is_url else literal(reference)
    if activity:
        yield node, _PROV["wasGeneratedBy"], iri(activity)
    yield node, _OA["hasBody"], statement
    yield node, _A["evidenceKind"], f"<{AGR}{fact.kind}>"
    yield node, _DERIVED, f"<{source.iri}>"
    yield statement, _TYPE, _STATEMENT
    yield statement, _SUBJECT, f"<{fact.subject}>"
    yield statement, _PREDICATE, f"<{fact.predicate}>"
    yield statement, _OBJECT, term(fact.object)
    if fact.note:
        yield node, _A["provenanceNote"], literal(fact.note)
    if fact.span is None:
        return
    span = fact.span
    target, quote, position = f"<{ev}#target>", f"<{ev}#quote>", f"<{ev}#position>"
    yield node, _OA["hasTarget"], target
    yield target, _TYPE, _OA["SpecificResource"]
    yield target, _OA["hasSource"], f"<{source.iri}>"
    yield target, _OA["hasSelector"], quote
    yield target, _OA["hasSelector"], position
    yield quote, _TYPE, _OA["TextQuoteSelector"]
    yield quote, _OA["exact"], literal(span.exact)
    yield quote, _OA["prefix"], literal(span.prefix)
    yield quote, _OA["suffix"], literal(span.suffix)
    yield position, _TYPE, _OA["TextPositionSelector"]
    yield position, _OA["start"], literal(str(span.start), _NNI)
    yield position, _OA["end"], literal(str(span.end), _NNI)


def to_triples(annotations: Iterable[Annotation]) -> tuple[set[Triple], set[Triple]]:
    """``(asserted, evidence)`` as sets of N-Triples term triples."""
    asserted: set[Triple] = set()
    evidence: set[Triple] = set()
    for annotation in annotations:
        evidence.update(source_triples(annotation.source))
        evidence.update(annotation_triples(annotation))
        activity = annotation_iri(annotation)
        for fact in annotation.facts:
            asserted.add((f"<{fact.subject}>", f"<{fact.predicate}>", term(fact.object)))
            evidence.update(evidence_triples(annotation.source, fact, activity))
    return asserted, evidence
