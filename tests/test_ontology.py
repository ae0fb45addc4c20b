"""The ontology in ontology/: headers, the term contract with kg/namespace.py, documentation,
domains, ranges and characteristics as specified, the alignments and the SHACL shapes. The OWL 2
RL profile, consistency and the examples under the OWL API, HermiT and Openllet are in
test_owl_tools.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg import namespace as ns

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
UMBRELLA = ONTOLOGY / "agreements.ttl"
MODULES = sorted((ONTOLOGY / "modules").glob("*.ttl"))
ALIGNMENTS = ONTOLOGY / "alignments" / "alignments.ttl"
SHAPES = ONTOLOGY / "shapes" / "shapes.ttl"
AGR = Namespace(ns.AGR)
XSD = Namespace(ns.XSD)  # a plain Namespace: rdflib's XSD warns when pytest probes it
ONTOLOGY_IRI = URIRef(ns.ONTOLOGY_IRI)

DECLARED_AS = {
    OWL.Class: ns.CLASSES,
    OWL.ObjectProperty: ns.OBJECT_PROPERTIES,
    OWL.DatatypeProperty: ns.DATATYPE_PROPERTIES,
    OWL.NamedIndividual: ns.INDIVIDUALS,
}
ALL_TERMS = [*ns.CLASSES, *ns.OBJECT_PROPERTIES, *ns.DATATYPE_PROPERTIES, *ns.INDIVIDUALS]


def _parse(*paths: Path) -> Graph:
    graph = Graph()
    for path in paths:
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def tbox() -> Graph:
    """The umbrella and every module, merged (the alignments are a separate ontology)."""
    return _parse(UMBRELLA, *MODULES)


def _is_agr(node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(ns.AGR)


# --- files and headers ------------------------------------------------------------------------

ALL_FILES = sorted(ONTOLOGY.rglob("*.ttl"))


@pytest.mark.parametrize("path", ALL_FILES, ids=[str(p.relative_to(ONTOLOGY)) for p in ALL_FILES])
def test_turtle_parses(path: Path):
    assert len(_parse(path)) > 0


def test_umbrella_header():
    graph = _parse(UMBRELLA)
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    from importlib.metadata import version

    release = version("agreements-kg")  # one source of truth: pyproject.toml
    assert graph.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(f"{ns.ONTOLOGY_IRI}/{release}")
    assert str(graph.value(ONTOLOGY_IRI, OWL.versionInfo)) == release
    assert graph.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://www.apache.org/licenses/LICENSE-2.0"
    )
    for prop in (DCTERMS.title, DCTERMS.description):
        value = graph.value(ONTOLOGY_IRI, prop)
        assert isinstance(value, Literal) and value.language == "en" and len(value) > 10
    assert not any(_is_agr(s) for s in graph.subjects()), "the umbrella declares no terms"


def test_umbrella_imports_each_module_and_not_the_alignments():
    imports = set(_parse(UMBRELLA).objects(ONTOLOGY_IRI, OWL.imports))
    module_iris = set()
    for path in MODULES:
        iris = set(_parse(path).subjects(RDF.type, OWL.Ontology))
        assert len(iris) == 1, f"{path.name} must declare exactly one owl:Ontology"
        module_iris |= iris
    assert imports == module_iris
    assert URIRef(ns.ONTOLOGY_IRI + "/alignments") not in imports


@pytest.mark.parametrize("path", MODULES, ids=[p.name for p in MODULES])
def test_module_header(path: Path):
    graph = _parse(path)
    (iri,) = graph.subjects(RDF.type, OWL.Ontology)
    assert str(iri).startswith(ns.ONTOLOGY_IRI + "/agreements-")
    assert graph.value(iri, DCTERMS.title) is not None
    assert graph.value(iri, DCTERMS.description) is not None
    assert graph.value(iri, DCTERMS.license) is not None


# --- the term contract with kg/namespace.py --------------------------------------------------


@pytest.mark.parametrize("owl_type", DECLARED_AS, ids=lambda t: t.fragment)
def test_namespace_terms_are_declared_with_their_type(tbox: Graph, owl_type: URIRef):
    declared = {s for s in tbox.subjects(RDF.type, owl_type) if _is_agr(s)}
    expected = {AGR[name] for name in DECLARED_AS[owl_type]}
    assert sorted(expected - declared) == [], "in kg/namespace.py but not declared"
    assert sorted(declared - expected) == [], "declared but not in kg/namespace.py"


def test_no_term_has_two_owl_types(tbox: Graph):
    for name in ALL_TERMS:
        types = set(tbox.objects(AGR[name], RDF.type)) & set(DECLARED_AS)
        assert len(types) == 1, f"agr:{name} is declared as {sorted(types)}"


def test_every_agr_iri_used_is_a_known_term(tbox: Graph):
    known = {AGR[name] for name in ALL_TERMS}
    graph = tbox + _parse(ALIGNMENTS, SHAPES)
    used = {node for triple in graph for node in triple if _is_agr(node)}
    assert sorted(used - known) == []


def test_each_term_is_declared_in_exactly_one_module():
    seen: dict[URIRef, list[str]] = {}
    for path in MODULES:
        for owl_type in DECLARED_AS:
            for s in _parse(path).subjects(RDF.type, owl_type):
                if _is_agr(s):
                    seen.setdefault(s, []).append(path.name)
    assert {s: files for s, files in seen.items() if len(files) != 1} == {}


@pytest.mark.parametrize("name", ALL_TERMS)
def test_term_has_one_english_label_and_definition(tbox: Graph, name: str):
    for prop in (RDFS.label, SKOS.definition):
        english = [v for v in tbox.objects(AGR[name], prop) if getattr(v, "language", None) == "en"]
        assert len(english) == 1, f"agr:{name} needs exactly one {prop} in English"
        assert len(english[0]) >= 3


def test_naming_conventions():
    upper = [n for n in (*ns.CLASSES, *ns.INDIVIDUALS) if not (n[0].isupper() and n.isalnum())]
    lower = [
        n
        for n in (*ns.OBJECT_PROPERTIES, *ns.DATATYPE_PROPERTIES)
        if not (n[0].islower() and n.isalnum())
    ]
    assert upper == [] and lower == []


# --- domains, ranges and characteristics, as specified ----------------------------------------

# property: (domain, range); None means the property deliberately has none.
DOMAIN_RANGE: dict[str, tuple[str | None, str | None]] = {
    # core
    "relatedAgreement": ("Agreement", "Agreement"),
    "implements": ("Agreement", "Agreement"),
    "renews": ("Agreement", "Agreement"),
    "amends": ("Agreement", "Agreement"),
    "supersedes": ("Agreement", "Agreement"),
    "isPartOf": ("Agreement", "Agreement"),
    "hasPart": ("Agreement", "Agreement"),
    "involves": ("Agreement", None),
    "textOf": ("AgreementText", "Agreement"),
    "hasText": ("Agreement", "AgreementText"),
    "identifier": ("Agreement", "Identifier"),
    "identifierScheme": ("Identifier", "IdentifierScheme"),
    "status": ("Agreement", None),
    # lifecycle
    "eventOf": ("LifecycleEvent", "Agreement"),
    "hasEvent": ("Agreement", "LifecycleEvent"),
    "actingParty": ("LifecycleEvent", "Actor"),
    "actedIn": ("Actor", "LifecycleEvent"),
    "byInstrument": ("LifecycleEvent", "Agreement"),
    "signatureOf": ("SignatureEvent", "Agreement"),
    "hasSignature": ("Agreement", "SignatureEvent"),
    "onBehalfOf": ("SignatureEvent", "Actor"),
    "representedIn": ("Actor", "SignatureEvent"),
    "signer": ("SignatureEvent", "Person"),
    "signedIn": ("Person", "SignatureEvent"),
    "inCapacityOf": ("SignatureEvent", "Post"),
    "signedAt": ("SignatureEvent", "Place"),
    "consentTo": ("ConsentToBeBound", "BindingAgreement"),
    # actors
    "participantIn": ("Actor", "Agreement"),
    "hasParticipant": ("Agreement", "Actor"),
    "partyTo": ("Actor", "BindingAgreement"),
    "hasParty": ("BindingAgreement", "Actor"),
    "signatoryTo": ("Actor", "Agreement"),
    "hasSignatory": ("Agreement", "Actor"),
    "signed": ("Person", "Agreement"),
    "signedBy": ("Agreement", "Person"),
    "holdsPost": ("Person", "Post"),
    "heldBy": ("Post", "Person"),
    "postIn": ("Post", "Organisation"),
    "subOrganisationOf": ("Organisation", "Organisation"),
    "governmentOf": ("Government", "State"),
    "partnerOf": ("Organisation", "Organisation"),
    "memberOf": ("Actor", "Organisation"),
    # research
    "hostedBy": ("ResearchFacility", "Organisation"),
    "researchField": (None, "TechnologyArea"),
    "runBy": ("Programme", "Organisation"),
    "fundedBy": (None, "Actor"),
    "partOfProgramme": (None, "Programme"),
    "investor": ("Investment", "Actor"),
    "recipient": ("Investment", None),
    # events
    "participant": ("Event", "Actor"),
    "heldIn": ("Event", "Place"),
    "visitedPlace": ("Visit", "Place"),
    "visitedSite": ("Visit", None),
    "announced": ("Announcement", None),
    "organisedBy": ("Event", "Actor"),
    # places and topics
    "locatedIn": (None, "Place"),
    "subject": (None, "TechnologyArea"),
    "publishedBy": ("Policy", "Actor"),
    "identifiesTechnology": ("Policy", "TechnologyArea"),
    "concerns": ("Policy", None),
    # evidence
    "evidenceKind": ("EvidenceRecord", "EvidenceKind"),
    "modality": ("EvidenceRecord", "Modality"),
    # datatype properties: no OWL range (their datatypes are the shapes', test_datatypes_are_shapes)
    "title": ("AgreementText", None),
    "language": ("AgreementText", None),
    "authentic": ("AgreementText", None),
    "notation": ("Identifier", None),
    "dateSigned": ("Agreement", None),
    "dateEnteredIntoForce": ("Agreement", None),
    "onDate": (None, None),
    "inMonth": (None, None),
    "inYear": (None, None),
    "targetYear": ("Policy", None),
    "amount": ("Investment", None),
    "currency": ("Investment", None),
    "countryCode": (None, None),
    "acronym": (None, None),
    "sha256": ("SourceDocument", None),
    "provenanceNote": ("EvidenceRecord", None),
}
DATATYPES = {
    "title": "rdf:langString", "language": "xsd:string", "authentic": "xsd:boolean",
    "notation": "xsd:string", "dateSigned": "xsd:date", "dateEnteredIntoForce": "xsd:date",
    "onDate": "xsd:date", "inMonth": "xsd:gYearMonth", "inYear": "xsd:gYear",
    "targetYear": "xsd:gYear", "amount": "xsd:decimal", "currency": "xsd:string",
    "countryCode": "xsd:string", "acronym": "xsd:string", "sha256": "xsd:string",
    "provenanceNote": "xsd:string",
}
SYMMETRIC = {"relatedAgreement", "partnerOf"}
TRANSITIVE = {"isPartOf", "subOrganisationOf", "locatedIn"}
INVERSES = {
    "hasPart": "isPartOf",
    "hasText": "textOf",
    "hasEvent": "eventOf",
    "actedIn": "actingParty",
    "hasParticipant": "participantIn",
    "hasParty": "partyTo",
    "hasSignatory": "signatoryTo",
    "signedBy": "signed",
    "hasSignature": "signatureOf",
    "signedIn": "signer",
    "representedIn": "onBehalfOf",
    "heldBy": "holdsPost",
}
CHAINS = {
    "signed": ["signedIn", "signatureOf"],
    "signatoryTo": ["representedIn", "signatureOf"],
    "participantIn": ["actedIn", "eventOf"],
    "partyTo": ["actedIn", "consentTo"],
}


def _iri(curie: str) -> URIRef:
    if curie.startswith("rdf:"):
        return RDF[curie[4:]]
    return XSD[curie[4:]] if curie.startswith("xsd:") else AGR[curie]


def test_domain_range_table_covers_every_property():
    assert set(DOMAIN_RANGE) == {*ns.OBJECT_PROPERTIES, *ns.DATATYPE_PROPERTIES}


@pytest.mark.parametrize("name", sorted(DOMAIN_RANGE))
def test_domain_and_range(tbox: Graph, name: str):
    domain, range_ = DOMAIN_RANGE[name]
    assert set(tbox.objects(AGR[name], RDFS.domain)) == ({_iri(domain)} if domain else set())
    assert set(tbox.objects(AGR[name], RDFS.range)) == ({_iri(range_)} if range_ else set())


def test_property_characteristics(tbox: Graph):
    def named(owl_type):
        return {s.fragment for s in tbox.subjects(RDF.type, owl_type) if _is_agr(s)}

    assert named(OWL.SymmetricProperty) == SYMMETRIC
    assert named(OWL.TransitiveProperty) == TRANSITIVE
    assert {s.fragment: o.fragment for s, o in tbox.subject_objects(OWL.inverseOf)} == INVERSES
    chains = {
        s.fragment: [p.fragment for p in Collection(tbox, o)]
        for s, o in tbox.subject_objects(OWL.propertyChainAxiom)
    }
    assert chains == CHAINS


def test_defined_classes_are_restrictions_on_the_subclass_side(tbox: Graph):
    for cls, prop, filler in (("Party", "partyTo", "BindingAgreement"),
                              ("Participant", "participantIn", "Agreement"),
                              ("Signatory", "signatoryTo", "Agreement"),
                              ("Signer", "signed", "Agreement")):
        (restriction,) = tbox.subjects(OWL.onProperty, AGR[prop])
        assert tbox.value(restriction, OWL.someValuesFrom) == AGR[filler]
        assert (restriction, RDFS.subClassOf, AGR[cls]) in tbox


def test_datatypes_are_the_shapes():
    """The OWL 2 datatype map lacks xsd:date, xsd:gYear and xsd:gYearMonth, so no datatype
    property has an OWL range: the SHACL shapes say each one's datatype, once."""
    from kg.builder.shapes import datatypes

    found = datatypes(_parse(SHAPES))
    assert found == {ns.AGR + name: str(_iri(dt)) for name, dt in DATATYPES.items()}
    assert set(DATATYPES) == set(ns.DATATYPE_PROPERTIES)


# --- alignments ------------------------------------------------------------------------------

ALIGNMENTS_IRI = URIRef(ns.ONTOLOGY_IRI + "/alignments")
WIKIDATA = {
    "Treaty": URIRef("http://www.wikidata.org/entity/Q131569"),
    "hasSignatory": URIRef("http://www.wikidata.org/prop/direct/P1891"),
    "hasParty": URIRef("http://www.wikidata.org/prop/direct/P6193"),
    "onDate": URIRef("http://www.wikidata.org/prop/direct/P585"),
}
DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def test_alignments_only_map_our_terms_one_way():
    graph = _parse(ALIGNMENTS)
    assert (ALIGNMENTS_IRI, RDF.type, OWL.Ontology) in graph
    for s, p, o in graph:
        if s == ALIGNMENTS_IRI:
            assert p != OWL.imports, "the alignments import no external ontology"
            continue
        if p == RDF.type:  # the file declares what each term it uses is
            assert o in DECLARATIONS, (s, p, o)
            continue
        assert p in (RDFS.subClassOf, RDFS.subPropertyOf, SKOS.closeMatch), (s, p, o)
        assert _is_agr(s) and isinstance(o, URIRef) and not _is_agr(o), (s, p, o)
    used = {t for s, p, o in graph if s != ALIGNMENTS_IRI and p != RDF.type
            for t in (s, o) if isinstance(t, URIRef)}
    declared = set(graph.subjects(RDF.type, None))
    undeclared = {t for t in used - declared if not str(t).startswith("http://www.wikidata.org/")}
    assert undeclared == set(), sorted(undeclared)


def test_alignment_declarations_agree_with_the_modules(tbox: Graph):
    graph = _parse(ALIGNMENTS)
    for s, kind in graph.subject_objects(RDF.type):
        if _is_agr(s):
            assert (s, RDF.type, kind) in tbox, (s, kind)
    for s in graph.subjects(RDFS.subClassOf):
        assert (s, RDF.type, OWL.Class) in tbox
    for s, o in graph.subject_objects(RDFS.subPropertyOf):
        kinds = set(tbox.objects(s, RDF.type)) & {OWL.ObjectProperty, OWL.DatatypeProperty}
        assert kinds and kinds <= set(graph.objects(o, RDF.type)), (s, o)


def test_wikidata_matches_are_the_verified_ones():
    found = dict(_parse(ALIGNMENTS).subject_objects(SKOS.closeMatch))
    assert found == {AGR[name]: iri for name, iri in WIKIDATA.items()}


# --- SHACL shapes ----------------------------------------------------------------------------

_DATA_PREFIXES = """
@prefix agr: <https://w3id.org/agreements-kg/ontology#> .
@prefix id: <https://w3id.org/agreements-kg/id/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
_GOOD = """
id:mou a agr:MemorandumOfUnderstanding ; rdfs:label "MoU"@en .
id:minister-a a agr:Person ; rdfs:label "Minister A"@en .
id:gov a agr:Government ; rdfs:label "Government"@en .
id:tokyo a agr:City ; rdfs:label "Tokyo"@en .
id:sig a agr:SignatureEvent ; rdfs:label "Signature"@en ; agr:signatureOf id:mou ;
    agr:eventOf id:mou ; agr:signer id:minister-a ; agr:onBehalfOf id:gov ;
    agr:actingParty id:gov ; agr:signedAt id:tokyo ; agr:onDate "2023-05-15"^^xsd:date .
id:inv a agr:Investment ; rdfs:label "Investment"@en ; agr:amount 10.5 ; agr:currency "JPY" ;
    agr:investor id:gov ; agr:recipient id:tokyo .
id:doc a agr:SourceDocument ; dcterms:title "Press release" ;
    agr:sha256 "%s" .
id:ev a agr:EvidenceRecord ; agr:evidenceKind agr:Stated ; prov:wasDerivedFrom id:doc ;
    oa:hasBody [ a rdf:Statement ; rdf:subject id:sig ; rdf:predicate agr:signer ;
                 rdf:object id:minister-a ] ;
    oa:hasTarget [ oa:hasSource id:doc ;
        oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "Minister A signed" ] ,
            [ a oa:TextPositionSelector ; oa:start "10"^^xsd:nonNegativeInteger ;
                oa:end "27"^^xsd:nonNegativeInteger ] ] .
""" % ("0" * 64)
BROKEN = {
    "two-signers": ("agr:signer id:minister-a ;", "agr:signer id:minister-a , id:gov ;"),
    "no-signatory": ("agr:onBehalfOf id:gov ;", ""),
    "date-not-a-date": ('"2023-05-15"^^xsd:date', '"15 May 2023"'),
    "no-agreement": ("agr:eventOf id:mou ;", "agr:eventOf id:mou, id:gov ;"),
    "negative-amount": ("agr:amount 10.5", "agr:amount -1.0"),
    "lowercase-currency": ('"JPY"', '"jpy"'),
    "bad-checksum": ("0" * 64, "XYZ"),
    "no-label": ('rdfs:label "Tokyo"@en', ""),
    "stated-without-target": ("oa:hasTarget [", "rdfs:seeAlso ["),
    "unknown-evidence-kind": ("agr:evidenceKind agr:Stated", "agr:evidenceKind agr:Guessed"),
    "start-after-end": ('oa:start "10"', 'oa:start "30"'),
    "body-not-a-statement": ("a rdf:Statement ;", ""),
}


def _validate(data: str) -> tuple[bool, str]:
    from pyshacl import validate

    conforms, _, text = validate(
        Graph().parse(data=_DATA_PREFIXES + data, format="turtle"),
        shacl_graph=_parse(SHAPES),
        ont_graph=_parse(*MODULES),
        inference="none",
    )
    return conforms, text


def test_shapes_load_and_accept_an_empty_graph():
    from pyshacl import validate

    conforms, _, _ = validate(Graph(), shacl_graph=_parse(SHAPES))
    assert conforms


def test_shapes_accept_a_well_formed_record():
    conforms, text = _validate(_GOOD)
    assert conforms, text


@pytest.mark.parametrize("change", BROKEN.values(), ids=BROKEN.keys())
def test_shapes_reject_a_broken_record(change: tuple[str, str]):
    old, new = change
    assert old in _GOOD
    conforms, _ = _validate(_GOOD.replace(old, new, 1))
    assert not conforms


def test_every_shape_message_is_english():
    graph = _parse(SHAPES)
    messages = list(graph.objects(None, URIRef(ns.SH + "message")))
    assert messages and all(m.language == "en" for m in messages)


def test_catalog_resolves_every_import_to_its_module():
    """Protégé and the OWL API read ontology/catalog-v001.xml to find the imported modules."""
    import xml.etree.ElementTree as ET

    root = Path(__file__).resolve().parent.parent / "ontology"
    catalog = ET.parse(root / "catalog-v001.xml").getroot()
    mapping = {e.get("name"): root / e.get("uri") for e in catalog}
    umbrella = Graph().parse(root / "agreements.ttl")
    for imported in umbrella.objects(None, OWL.imports):
        path = mapping[str(imported)]
        assert (imported, RDF.type, OWL.Ontology) in Graph().parse(path), path
