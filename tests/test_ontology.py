"""The ontology in ontology/: headers, the term contract with kg/namespace.py, documentation,
the OWL 2 RL profile, the alignments, the SHACL shapes and consistency under HermiT."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
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
    assert graph.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef(ns.ONTOLOGY_IRI + "/0.1.0")
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
    "relatedAgreement": ("Agreement", "Agreement"),
    "implements": ("Agreement", "Agreement"),
    "renews": ("Agreement", "Agreement"),
    "amends": ("Agreement", "Agreement"),
    "supersedes": ("Agreement", "Agreement"),
    "isPartOf": ("Agreement", "Agreement"),
    "hasPart": ("Agreement", "Agreement"),
    "status": ("Agreement", "AgreementStatus"),
    "subject": (None, "TechnologyArea"),
    "partyTo": ("Actor", "Agreement"),
    "hasParty": ("Agreement", "Actor"),
    "signed": ("Person", "Agreement"),
    "signedBy": ("Agreement", "Person"),
    "signatureOf": ("SignatureEvent", "Agreement"),
    "hasSignature": ("Agreement", "SignatureEvent"),
    "signer": ("SignatureEvent", "Person"),
    "signedIn": ("Person", "SignatureEvent"),
    "onBehalfOf": ("SignatureEvent", "Actor"),
    "representedIn": ("Actor", "SignatureEvent"),
    "inCapacityOf": ("SignatureEvent", "Post"),
    "signedAt": ("SignatureEvent", "Place"),
    "holdsPost": ("Person", "Post"),
    "heldBy": ("Post", "Person"),
    "postIn": ("Post", "Organisation"),
    "subOrganisationOf": ("Organisation", "Organisation"),
    "governmentOf": ("Government", "State"),
    "partnerOf": ("Organisation", "Organisation"),
    "memberOf": ("Actor", "Organisation"),
    "hostedBy": ("ResearchFacility", "Organisation"),
    "locatedIn": (None, "Place"),
    "researchField": (None, "TechnologyArea"),
    "runBy": ("Programme", "Organisation"),
    "partOfProgramme": (None, "Programme"),
    "investor": ("Investment", "Actor"),
    "recipient": ("Investment", None),
    "involves": ("Agreement", None),
    "participant": ("Event", "Actor"),
    "heldIn": ("Event", "Place"),
    "visitedPlace": ("Visit", "Place"),
    "visitedSite": ("Visit", None),
    "organisedBy": ("Event", "Actor"),
    "publishedBy": ("PolicyDocument", "Actor"),
    "identifiesTechnology": ("PolicyDocument", "TechnologyArea"),
    "concerns": ("PolicyDocument", None),
    "evidenceKind": ("EvidenceRecord", "EvidenceKind"),
    "title": ("Agreement", None),
    "dateSigned": ("Agreement", "xsd:date"),
    "dateEnteredIntoForce": ("Agreement", "xsd:date"),
    "onDate": (None, "xsd:date"),
    "inMonth": (None, "xsd:gYearMonth"),
    "inYear": (None, "xsd:gYear"),
    "targetYear": ("PolicyDocument", "xsd:gYear"),
    "amount": ("Investment", "xsd:decimal"),
    "currency": ("Investment", "xsd:string"),
    "countryCode": (None, "xsd:string"),
    "acronym": (None, "xsd:string"),
    "sha256": ("SourceDocument", "xsd:string"),
    "provenanceNote": ("EvidenceRecord", "xsd:string"),
}
SYMMETRIC = {"relatedAgreement", "partnerOf"}
TRANSITIVE = {"isPartOf", "subOrganisationOf", "locatedIn"}
INVERSES = {
    "hasPart": "isPartOf",
    "hasParty": "partyTo",
    "signedBy": "signed",
    "hasSignature": "signatureOf",
    "signedIn": "signer",
    "representedIn": "onBehalfOf",
    "heldBy": "holdsPost",
}
CHAINS = {"signed": ["signedIn", "signatureOf"], "partyTo": ["representedIn", "signatureOf"]}


def _iri(curie: str) -> URIRef:
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
    for cls, prop in (("Party", "partyTo"), ("Signatory", "signed")):
        (restriction,) = tbox.subjects(OWL.onProperty, AGR[prop])
        assert tbox.value(restriction, OWL.someValuesFrom) == AGR.Agreement
        assert (restriction, RDFS.subClassOf, AGR[cls]) in tbox


# --- OWL 2 RL profile (OWL 2 Web Ontology Language Profiles, section 4) ------------------------

_XSD_RL = (
    "decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long "
    "int short byte unsignedLong unsignedInt unsignedShort unsignedByte float double string "
    "normalizedString token language Name NCName NMTOKEN boolean hexBinary base64Binary anyURI "
    "dateTime dateTimeStamp"
)
RL_DATATYPES = {XSD[n] for n in _XSD_RL.split()} | {RDF.PlainLiteral, RDF.XMLLiteral, RDFS.Literal}
# Outside the OWL 2 datatype map, hence outside RL strictly, but needed for dates at day, month and
# year precision; owlrl treats their literals as opaque typed values, which is all we need.
TOLERATED_DATATYPES = {XSD.date, XSD.gYearMonth, XSD.gYear}
# Constructors no OWL 2 RL axiom may use, wherever they appear.
NEVER_RL = (
    OWL.disjointUnionOf,
    OWL.hasSelf,
    OWL.minCardinality,
    OWL.minQualifiedCardinality,
    OWL.cardinality,
    OWL.qualifiedCardinality,
    OWL.datatypeComplementOf,
    OWL.onDatatype,
)
_MAX_CARDINALITY = (OWL.maxCardinality, OWL.maxQualifiedCardinality)
_CONSTRUCTORS = (
    OWL.unionOf,
    OWL.intersectionOf,
    OWL.complementOf,
    OWL.oneOf,
    OWL.someValuesFrom,
    OWL.allValuesFrom,
    OWL.hasValue,
    OWL.maxCardinality,
    OWL.maxQualifiedCardinality,
    OWL.hasSelf,
    OWL.minCardinality,
    OWL.cardinality,
    OWL.onDatatype,
)


def rl_violations(graph: Graph) -> list[str]:
    """Return one message per axiom of ``graph`` that falls outside the OWL 2 RL profile.

    Follows the grammar of section 4.2 of the OWL 2 Profiles recommendation: subclass expressions
    (left of SubClassOf, in DisjointClasses and HasKey), superclass expressions (right of
    SubClassOf, in domains, ranges and class assertions), equivalent-class expressions, and data
    ranges (datatypes and their intersections).
    """
    problems: list[str] = []
    data_properties = set(graph.subjects(RDF.type, OWL.DatatypeProperty))

    def name(node) -> str:
        if isinstance(node, BNode):
            found = [c.fragment for c in _CONSTRUCTORS if (node, c, None) in graph]
            return f"[{' '.join(found) or 'blank node'}]"
        return graph.namespace_manager.normalizeUri(node)

    def items(node, prop) -> list:
        return list(Collection(graph, graph.value(node, prop)))

    def on_data(restriction) -> bool:
        return graph.value(restriction, OWL.onProperty) in data_properties

    def data_range(node, where: str) -> None:
        if isinstance(node, URIRef):
            if node not in RL_DATATYPES | TOLERATED_DATATYPES:
                problems.append(f"{where}: datatype {name(node)} is not an OWL 2 RL datatype")
        elif (node, OWL.intersectionOf, None) in graph:
            for item in items(node, OWL.intersectionOf):
                data_range(item, where)
        else:
            problems.append(f"{where}: data range {name(node)} is not OWL 2 RL")

    def sub(node, where: str) -> None:
        if isinstance(node, URIRef):
            if node == OWL.Thing:
                problems.append(f"{where}: owl:Thing in a subclass position")
        elif (node, OWL.intersectionOf, None) in graph or (node, OWL.unionOf, None) in graph:
            prop = OWL.intersectionOf if (node, OWL.intersectionOf, None) in graph else OWL.unionOf
            for item in items(node, prop):
                sub(item, where)
        elif (node, OWL.oneOf, None) in graph or (node, OWL.hasValue, None) in graph:
            return
        elif (node, OWL.someValuesFrom, None) in graph:
            filler = graph.value(node, OWL.someValuesFrom)
            if on_data(node):
                data_range(filler, where)
            elif filler != OWL.Thing:
                sub(filler, where)
        else:
            problems.append(f"{where}: {name(node)} is not allowed in a subclass position")

    def sup(node, where: str) -> None:
        if isinstance(node, URIRef):
            if node == OWL.Thing:
                problems.append(f"{where}: owl:Thing in a superclass position")
        elif (node, OWL.intersectionOf, None) in graph:
            for item in items(node, OWL.intersectionOf):
                sup(item, where)
        elif (node, OWL.complementOf, None) in graph:
            sub(graph.value(node, OWL.complementOf), where)
        elif (node, OWL.hasValue, None) in graph:
            return
        elif (node, OWL.allValuesFrom, None) in graph:
            filler = graph.value(node, OWL.allValuesFrom)
            (data_range if on_data(node) else sup)(filler, where)
        elif any((node, p, None) in graph for p in _MAX_CARDINALITY):
            on_class, on_range = graph.value(node, OWL.onClass), graph.value(node, OWL.onDataRange)
            if on_class is not None and on_class != OWL.Thing:
                sub(on_class, where)
            if on_range is not None:
                data_range(on_range, where)
        else:
            problems.append(f"{where}: {name(node)} is not allowed in a superclass position")

    def equiv(node, where: str) -> None:
        if isinstance(node, URIRef):
            if node == OWL.Thing:
                problems.append(f"{where}: owl:Thing in an equivalent-class axiom")
        elif (node, OWL.intersectionOf, None) in graph:
            for item in items(node, OWL.intersectionOf):
                equiv(item, where)
        elif (node, OWL.hasValue, None) not in graph:
            problems.append(f"{where}: {name(node)} is not allowed in an equivalent-class axiom")

    for prop in NEVER_RL:
        for s in graph.subjects(prop, None):
            problems.append(f"{name(s)}: {name(prop)} is not OWL 2 RL")
    for prop in _MAX_CARDINALITY:
        for s, n in graph.subject_objects(prop):
            if int(n) > 1:
                problems.append(f"{name(s)}: maximum cardinality {n} (only 0 or 1 are OWL 2 RL)")
    for s in graph.subjects(RDF.type, OWL.ReflexiveProperty):
        problems.append(f"{name(s)}: reflexive properties are not OWL 2 RL")
    for s, o in graph.subject_objects(RDFS.subClassOf):
        where = f"SubClassOf({name(s)} {name(o)})"
        sub(s, where)
        sup(o, where)
    for s, o in graph.subject_objects(OWL.equivalentClass):
        where = f"EquivalentClasses({name(s)} {name(o)})"
        equiv(s, where)
        equiv(o, where)
    for s, o in graph.subject_objects(OWL.disjointWith):
        sub(s, f"DisjointClasses({name(s)} {name(o)})")
        sub(o, f"DisjointClasses({name(s)} {name(o)})")
    for s in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        for item in items(s, OWL.members):
            sub(item, "AllDisjointClasses")
    for s, o in graph.subject_objects(RDFS.domain):
        sup(o, f"domain of {name(s)}")
    for s, o in graph.subject_objects(RDFS.range):
        (data_range if s in data_properties else sup)(o, f"range of {name(s)}")
    for s in graph.subjects(OWL.hasKey):
        sub(s, f"HasKey({name(s)})")
    for s, o in graph.subject_objects(RDF.type):
        if isinstance(o, BNode):
            sup(o, f"ClassAssertion({name(o)} {name(s)})")
    return problems


_RL_PREFIXES = """
@prefix ex: <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:p a owl:ObjectProperty . ex:d a owl:DatatypeProperty .
"""


def _on_p(body: str) -> str:
    """A restriction on ex:p, in Turtle."""
    return f"[ a owl:Restriction ; owl:onProperty ex:p ; {body} ]"


NOT_RL = {
    "union-as-superclass": "ex:A rdfs:subClassOf [ owl:unionOf ( ex:B ex:C ) ] .",
    "some-values-as-superclass": f"ex:A rdfs:subClassOf {_on_p('owl:someValuesFrom ex:B')} .",
    "some-values-as-range": f"ex:p rdfs:range {_on_p('owl:someValuesFrom ex:B')} .",
    "union-as-domain": "ex:p rdfs:domain [ owl:unionOf ( ex:A ex:B ) ] .",
    "all-values-as-subclass": f"{_on_p('owl:allValuesFrom ex:B')} rdfs:subClassOf ex:A .",
    "complement-as-subclass": "[ owl:complementOf ex:B ] rdfs:subClassOf ex:A .",
    "one-of-as-superclass": "ex:A rdfs:subClassOf [ owl:oneOf ( ex:x ex:y ) ] .",
    "min-cardinality": f"ex:A rdfs:subClassOf {_on_p('owl:minCardinality 1')} .",
    "max-cardinality-2": f"ex:A rdfs:subClassOf {_on_p('owl:maxCardinality 2')} .",
    "exact-cardinality": f"ex:A rdfs:subClassOf {_on_p('owl:cardinality 1')} .",
    "has-self": f"ex:A rdfs:subClassOf {_on_p('owl:hasSelf true')} .",
    "reflexive-property": "ex:p a owl:ReflexiveProperty .",
    "disjoint-union": "ex:A owl:disjointUnionOf ( ex:B ex:C ) .",
    "union-of-datatypes-as-range": "ex:d rdfs:range "
    "[ a rdfs:Datatype ; owl:unionOf ( xsd:string xsd:integer ) ] .",
    "datatype-restriction-as-range": "ex:d rdfs:range [ a rdfs:Datatype ; "
    "owl:onDatatype xsd:integer ; owl:withRestrictions ( [ xsd:minInclusive 0 ] ) ] .",
    "non-rl-datatype": "ex:d rdfs:range xsd:duration .",
    "some-values-in-equivalence": f"ex:A owl:equivalentClass {_on_p('owl:someValuesFrom ex:B')} .",
    "thing-as-subclass": "owl:Thing rdfs:subClassOf ex:A .",
}
RL = {
    "some-values-as-subclass": f"{_on_p('owl:someValuesFrom ex:B')} rdfs:subClassOf ex:A .",
    "union-as-subclass": "[ owl:unionOf ( ex:B ex:C ) ] rdfs:subClassOf ex:A .",
    "one-of-as-subclass": "[ owl:oneOf ( ex:x ex:y ) ] rdfs:subClassOf ex:A .",
    "has-value-as-superclass": f"ex:A rdfs:subClassOf {_on_p('owl:hasValue ex:x')} .",
    "all-values-as-superclass": f"ex:A rdfs:subClassOf {_on_p('owl:allValuesFrom ex:B')} .",
    "max-cardinality-1": f"ex:A rdfs:subClassOf {_on_p('owl:maxCardinality 1')} .",
    "complement-as-superclass": "ex:A rdfs:subClassOf [ owl:complementOf ex:B ] .",
    "intersection-both-sides": "[ owl:intersectionOf ( ex:B ex:C ) ] rdfs:subClassOf "
    "[ owl:intersectionOf ( ex:D ex:E ) ] .",
    "data-range": "ex:d rdfs:range xsd:string .",
}


@pytest.mark.parametrize("axiom", NOT_RL.values(), ids=NOT_RL.keys())
def test_profile_check_rejects_non_rl_axioms(axiom: str):
    assert rl_violations(Graph().parse(data=_RL_PREFIXES + axiom, format="turtle")) != []


@pytest.mark.parametrize("axiom", RL.values(), ids=RL.keys())
def test_profile_check_accepts_rl_axioms(axiom: str):
    assert rl_violations(Graph().parse(data=_RL_PREFIXES + axiom, format="turtle")) == []


def test_ontology_is_in_owl2_rl(tbox: Graph):
    assert rl_violations(tbox) == []


def test_alignments_are_in_owl2_rl():
    assert rl_violations(_parse(ALIGNMENTS)) == []


# --- alignments ------------------------------------------------------------------------------

ALIGNMENTS_IRI = URIRef(ns.ONTOLOGY_IRI + "/alignments")
WIKIDATA = {
    "Treaty": URIRef("http://www.wikidata.org/entity/Q131569"),
    "signedBy": URIRef("http://www.wikidata.org/prop/direct/P1891"),
    "onDate": URIRef("http://www.wikidata.org/prop/direct/P585"),
}


def test_alignments_only_map_our_terms_one_way():
    graph = _parse(ALIGNMENTS)
    assert (ALIGNMENTS_IRI, RDF.type, OWL.Ontology) in graph
    for s, p, o in graph:
        if s == ALIGNMENTS_IRI:
            assert p != OWL.imports, "the alignments import no external ontology"
            continue
        assert p in (RDFS.subClassOf, RDFS.subPropertyOf, SKOS.closeMatch), (s, p, o)
        assert _is_agr(s) and isinstance(o, URIRef) and not _is_agr(o), (s, p, o)


def test_alignment_subjects_have_the_right_kind(tbox: Graph):
    graph = _parse(ALIGNMENTS)
    for s in graph.subjects(RDFS.subClassOf):
        assert (s, RDF.type, OWL.Class) in tbox
    for s in graph.subjects(RDFS.subPropertyOf):
        assert {OWL.ObjectProperty, OWL.DatatypeProperty} & set(tbox.objects(s, RDF.type))


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
    agr:signer id:minister-a ; agr:onBehalfOf id:gov ; agr:signedAt id:tokyo ;
    agr:onDate "2023-05-15"^^xsd:date .
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
    "no-party": ("agr:onBehalfOf id:gov ;", ""),
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


# --- consistency under HermiT ----------------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("java") is None, reason="HermiT needs Java, and `java` is not on PATH"
)
def test_consistent_and_every_class_satisfiable_under_hermit(tbox: Graph, tmp_path: Path):
    """HermiT (OWL 2 DL) finds the modules and the consistent examples consistent, with no
    unsatisfiable class. Runs once, on one N-Triples file, to keep the JVM start-up to one."""
    import owlready2

    merged = Graph()
    for s, p, o in tbox:
        if p != OWL.imports and (s, RDF.type, OWL.Ontology) not in tbox:
            merged.add((s, p, o))
    merged.add((ONTOLOGY_IRI, RDF.type, OWL.Ontology))
    for example in sorted((ONTOLOGY / "examples").glob("*/expected.ttl")):
        merged += _parse(example.parent / "input.ttl")
    path = tmp_path / "agreements.nt"
    merged.serialize(path, format="nt", encoding="utf-8")

    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load()
    # xsd:date, xsd:gYear and xsd:gYearMonth are outside the OWL 2 datatype map.
    owlready2.sync_reasoner_hermit(onto, debug=0, ignore_unsupported_datatypes=True)
    assert list(world.inconsistent_classes()) == []
    world.close()


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
