"""The reference rendering of facts as rdflib graphs, which the build's string-based writer
(kg.builder.evidence) is held to by the tests.

Facts -> RDF: the asserted graph and the evidence graph (Web Annotation + PROV-O).

Every asserted triple gets one evidence record per supporting quote:

    id:evidence/<hash>  a agr:EvidenceRecord ;
        oa:hasBody    <...#statement> ;        # an rdf:Statement naming the triple
        oa:hasTarget  <...#target> ;           # oa:SpecificResource on the source document
        agr:evidenceKind agr:Stated ;          # or agr:ResolvedFromContext / agr:Curated
        prov:wasDerivedFrom id:document/<doc> .

All nodes are IRIs minted from content hashes, so output is deterministic and loads into any
store without blank-node surprises.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from kg.builder.annotation import Annotation, Fact, Term
from kg.builder.evidence import evidence_iri
from kg.builder.sources import Source
from kg.namespace import AGR, ID, OA, slug


def term(t: Term) -> URIRef | Literal:
    if t.is_iri:
        return URIRef(t.value)
    if t.lang:
        return Literal(t.value, lang=t.lang)
    return Literal(t.value, datatype=URIRef(t.datatype) if t.datatype else None)


def source_triples(source: Source) -> Iterable[tuple]:
    doc = URIRef(source.iri)
    yield doc, RDF.type, URIRef(AGR + "SourceDocument")
    yield doc, DCTERMS.title, Literal(source.title, lang="en")
    yield doc, URIRef(AGR + "sha256"), Literal(source.sha256)
    yield doc, DCTERMS.identifier, Literal(source.id)
    if source.publisher:
        yield doc, DCTERMS.publisher, Literal(source.publisher)
    if source.issued:
        yield doc, DCTERMS.issued, Literal(source.issued, datatype=XSD.date)
    if source.url:
        yield doc, DCTERMS.source, URIRef(source.url)
    if source.language:
        yield doc, DCTERMS.language, Literal(source.language)


def annotation_triples(annotation: Annotation) -> Iterable[tuple]:
    if not (annotation.annotator or annotation.annotated):
        return
    activity = URIRef(f"{ID}annotation/{annotation.source.id}")
    yield activity, RDF.type, PROV.Activity
    if annotation.annotated:
        yield activity, DCTERMS.date, Literal(annotation.annotated, datatype=XSD.date)
    if annotation.annotator:
        agent = URIRef(f"{ID}agent/{slug(annotation.annotator)}")
        yield activity, PROV.wasAssociatedWith, agent
        yield agent, RDF.type, PROV.Agent
        yield agent, RDFS.label, Literal(annotation.annotator)


def evidence_triples(source: Source, fact: Fact, activity: URIRef | None) -> Iterable[tuple]:
    ev = evidence_iri(source, fact)
    node, statement = URIRef(ev), URIRef(ev + "#statement")
    yield node, RDF.type, URIRef(AGR + "EvidenceRecord")
    if fact.draft:
        yield node, RDF.type, URIRef(AGR + "DraftEvidenceRecord")
    if fact.modality:
        yield node, URIRef(AGR + "modality"), URIRef(AGR + fact.modality)
    if fact.reference:
        ref = fact.reference.strip()
        url = ref.startswith(("http://", "https://")) and " " not in ref
        yield node, DCTERMS.source, URIRef(ref) if url else Literal(ref)
    if activity is not None:
        yield node, PROV.wasGeneratedBy, activity
    yield node, URIRef(OA + "hasBody"), statement
    yield node, URIRef(AGR + "evidenceKind"), URIRef(AGR + fact.kind)
    yield node, PROV.wasDerivedFrom, URIRef(source.iri)
    yield statement, RDF.type, RDF.Statement
    yield statement, RDF.subject, URIRef(fact.subject)
    yield statement, RDF.predicate, URIRef(fact.predicate)
    yield statement, RDF.object, term(fact.object)
    if fact.note:
        yield node, URIRef(AGR + "provenanceNote"), Literal(fact.note)
    if fact.span is None:
        return
    span = fact.span
    target, quote, position = (URIRef(ev + suffix) for suffix in ("#target", "#quote", "#position"))
    yield node, URIRef(OA + "hasTarget"), target
    yield target, RDF.type, URIRef(OA + "SpecificResource")
    yield target, URIRef(OA + "hasSource"), URIRef(source.iri)
    yield target, URIRef(OA + "hasSelector"), quote
    yield target, URIRef(OA + "hasSelector"), position
    yield quote, RDF.type, URIRef(OA + "TextQuoteSelector")
    yield quote, URIRef(OA + "exact"), Literal(span.exact)
    yield quote, URIRef(OA + "prefix"), Literal(span.prefix)
    yield quote, URIRef(OA + "suffix"), Literal(span.suffix)
    yield position, RDF.type, URIRef(OA + "TextPositionSelector")
    yield position, URIRef(OA + "start"), Literal(span.start, datatype=XSD.nonNegativeInteger)
    yield position, URIRef(OA + "end"), Literal(span.end, datatype=XSD.nonNegativeInteger)


def to_graphs(annotations: Iterable[Annotation]) -> tuple[Graph, Graph]:
    """Return ``(asserted, evidence)`` graphs for the annotations' facts and sources.

    The same fact stated in two documents is one asserted triple with two evidence records.
    Curated facts are asserted too, but their evidence says ``agr:Curated`` and carries a note.
    """
    asserted, evidence = Graph(), Graph()
    for annotation in annotations:
        for triple in [*source_triples(annotation.source), *annotation_triples(annotation)]:
            evidence.add(triple)
        activity = (URIRef(f"{ID}annotation/{annotation.source.id}")
                    if annotation.annotator or annotation.annotated else None)
        for fact in annotation.facts:
            asserted.add((URIRef(fact.subject), URIRef(fact.predicate), term(fact.object)))
            for triple in evidence_triples(annotation.source, fact, activity):
                evidence.add(triple)
    return asserted, evidence

