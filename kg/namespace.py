"""IRIs of the project's namespaces and of every ontology term.

The term lists here are tested against ``ontology/`` (tests/test_ontology.py), so the two
cannot drift apart: adding a term to one and not the other fails the tests.
"""

from __future__ import annotations

import re
import unicodedata

BASE = "https://w3id.org/agreements-kg/"
AGR = BASE + "ontology#"  # ontology terms
ID = BASE + "id/"  # entities minted from names
GRAPH = BASE + "graph/"  # named graphs of the built dataset
ONTOLOGY_IRI = BASE + "ontology"

OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SH = "http://www.w3.org/ns/shacl#"

#: Prefixes used in saved queries, CURIEs on the command line and serialisations.
PREFIXES: dict[str, str] = {
    "agr": AGR,
    "id": ID,
    "graph": GRAPH,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "oa": OA,
    "sh": SH,
    "org": "http://www.w3.org/ns/org#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "frapo": "http://purl.org/cerif/frapo/",
    "schema": "https://schema.org/",
    "lkif": "http://www.estrellaproject.org/lkif-core/norm.owl#",
    "vivo": "http://vivoweb.org/ontology/core#",
    "wd": "http://www.wikidata.org/entity/",
}

#: Named graphs of the built dataset.
GRAPHS: dict[str, str] = {
    "ontology": GRAPH + "ontology",
    "asserted": GRAPH + "asserted",
    "evidence": GRAPH + "evidence",
    "inferred": GRAPH + "inferred",
}

#: Classes the ontology defines, by module.
CLASSES: tuple[str, ...] = (
    # core
    "Agreement",
    "BindingAgreement",
    "Treaty",
    "NonBindingAgreement",
    "MemorandumOfUnderstanding",
    "ImplementingArrangement",
    "JointStatement",
    "FrameworkAgreement",
    "AgreementText",
    "Identifier",
    "IdentifierScheme",
    # actors
    "Actor",
    "Person",
    "Organisation",
    "State",
    "Government",
    "PublicBody",
    "Ministry",
    "Agency",
    "FundingBody",
    "University",
    "Company",
    "IntergovernmentalOrganisation",
    "IntergovernmentalForum",
    "Post",
    "Signer",
    "Signatory",
    "Participant",
    "Party",
    # lifecycle
    "LifecycleEvent",
    "SignatureEvent",
    "ConsentToBeBound",
    "Ratification",
    "Acceptance",
    "Approval",
    "Accession",
    "ConsentBySignature",
    "EntryIntoForce",
    "ProvisionalApplication",
    "Amendment",
    "Renewal",
    "Termination",
    "Withdrawal",
    # research
    "ResearchFacility",
    "Synchrotron",
    "NeutrinoExperiment",
    "ResearchInstitute",
    "Programme",
    "FundingProgramme",
    "Fund",
    "ResearchProject",
    "Investment",
    # events
    "Event",
    "Meeting",
    "Announcement",
    "Visit",
    # places
    "Place",
    "Country",
    "City",
    "Region",
    # topics
    "Policy",
    "PolicyDocument",
    "Strategy",
    "TechnologyArea",
    # evidence
    "SourceDocument",
    "EvidenceRecord",
    "DraftEvidenceRecord",
    "EvidenceKind",
    "Modality",
)

#: Object properties the ontology defines, by module.
OBJECT_PROPERTIES: tuple[str, ...] = (
    # core
    "relatedAgreement",
    "implements",
    "renews",
    "amends",
    "supersedes",
    "isPartOf",
    "hasPart",
    "involves",
    "textOf",
    "hasText",
    "identifier",
    "identifierScheme",
    "status",
    # actors
    "participantIn",
    "hasParticipant",
    "partyTo",
    "hasParty",
    "signatoryTo",
    "hasSignatory",
    "signed",
    "signedBy",
    "holdsPost",
    "heldBy",
    "postIn",
    "subOrganisationOf",
    "governmentOf",
    "partnerOf",
    "memberOf",
    # lifecycle
    "eventOf",
    "hasEvent",
    "actingParty",
    "actedIn",
    "byInstrument",
    "signatureOf",
    "hasSignature",
    "onBehalfOf",
    "representedIn",
    "signer",
    "signedIn",
    "inCapacityOf",
    "signedAt",
    "consentTo",
    # research
    "hostedBy",
    "researchField",
    "runBy",
    "fundedBy",
    "partOfProgramme",
    "investor",
    "recipient",
    # events
    "participant",
    "heldIn",
    "visitedPlace",
    "visitedSite",
    "announced",
    "organisedBy",
    # places
    "locatedIn",
    # topics
    "subject",
    "publishedBy",
    "identifiesTechnology",
    "concerns",
    # evidence
    "modality",
    "evidenceKind",
)

#: Datatype properties the ontology defines, by module (their datatypes are in the shapes).
DATATYPE_PROPERTIES: tuple[str, ...] = (
    # core
    "title",
    "language",
    "authentic",
    "notation",
    "dateSigned",
    "dateEnteredIntoForce",
    # actors
    "acronym",
    # research
    "amount",
    "currency",
    # events
    "onDate",
    "inMonth",
    "inYear",
    # places
    "countryCode",
    # topics
    "targetYear",
    # evidence
    "sha256",
    "provenanceNote",
)

#: Named individuals the ontology defines (identifier schemes, evidence kinds and modalities,
#: the topic scheme, and the deprecated statuses).
INDIVIDUALS: tuple[str, ...] = (
    # core
    "UKTreatySeries",
    "CommandPaper",
    "UNTSRegistration",
    "WikidataItem",
    "ELIScheme",
    "StatusSigned",
    "StatusInForce",
    "StatusRenewed",
    "StatusTerminated",
    # topics
    "TechnologyAreas",
    # evidence
    "Stated",
    "ResolvedFromContext",
    "Curated",
    "Asserted",
    "Hedged",
    "ReportedSpeech",
)


_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
#: IRI schemes accepted where a full IRI is written without angle brackets.
_SCHEMES = re.compile(r"(?:https?|ftp|file)://\S+|(?:urn|mailto|tag|doi):\S+")
_IRI_CHARS = re.compile(r'[^\s<>"{}|^`\\]+')


def curie(iri: str) -> str:
    """``iri`` as a CURIE with the project's prefixes (the longest namespace wins), else ``<iri>``.

    >>> curie("https://w3id.org/agreements-kg/id/japan"), curie("http://example.org/x")
    ('id:japan', '<http://example.org/x>')
    """
    for prefix, ns in _LONGEST_FIRST:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def expand(text: str) -> str | None:
    """The IRI that ``text`` names: ``<iri>``, a CURIE with a known prefix, or a bare absolute
    IRI (``http://...``, ``urn:...``); None when it names none (a bare word, an unknown prefix,
    characters IRIs cannot hold).

    >>> expand("id:japan"), expand("<http://example.org/x>"), expand("idd:x"), expand("japan")
    ('https://w3id.org/agreements-kg/id/japan', 'http://example.org/x', None, None)
    """
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
    elif _SCHEMES.fullmatch(text):
        iri = text
    else:
        prefix, sep, local = text.partition(":")
        if not sep or prefix not in PREFIXES:
            return None
        iri = PREFIXES[prefix] + local
    return iri if _IRI_CHARS.fullmatch(iri) and ":" in iri else None


def agr(name: str) -> str:
    """Return the IRI of ontology term ``name``.

    >>> agr("Agreement")
    'https://w3id.org/agreements-kg/ontology#Agreement'
    """
    return AGR + name


# letters NFKD leaves whole, which a slug would otherwise drop ("Tromsø" is not "troms")
_TRANSLITERATED = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                                 "ß": "ss", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th",
                                 "Þ": "TH", "ð": "d", "Ð": "D", "ı": "i"})


def plain(text: str) -> str:
    """``text`` without its diacritics: NFKD, less the combining marks.

    >>> plain("Gujarāt, Tōhoku")
    'Gujarat, Tohoku'
    """
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slug(name: str) -> str:
    """Mint the stable IRI local name for ``name``: lower case ASCII words joined by hyphens.

    >>> slug("Hyper-Kamiokande (Hyper-K)")
    'hyper-kamiokande-hyper-k'
    >>> slug("Tōhoku University")
    'tohoku-university'
    >>> slug("Tromsø, Æsir, Łódź")  # letters without a decomposition are transliterated
    'tromso-aesir-lodz'
    """
    bare = plain(name.translate(_TRANSLITERATED)).replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", bare.lower()).strip("-")
