"""`kg synth`: a synthetic corpus in the format of data/, for testing the build at scale.

Each agreement is one source document (``sources/<id>.txt`` with its ``.meta.yaml`` sidecar) and
one annotation (``annotations/<id>.yaml``) that follows the ontology: a bilateral or
multilateral agreement of one of several kinds between real states (ISO 3166 codes), one
signature event per party with its signer, office, date and place (for a treaty, one that enters
into force on signature, each signature is also consent to be bound), the ministries,
governments and cities involved, a research facility and its host, a funding programme, an
investment, the technology areas, and links to earlier agreements it renews, amends or
implements. The text is generated from templates, so every quote is really in it. The same
``seed`` gives the same bytes.

Size: one agreement yields about 2,150 triples in the built dataset (all four graphs; nine
tenths of them evidence records, one record of ~22 triples per fact), bilateral ones fewer and
multilateral ones more, so ``--agreements 5`` is about 10k triples, ``47`` about 100k, ``465``
about 1M and ``4650`` about 10M (:func:`agreements_for` inverts this; measured: 455 agreements,
seed 1 -> 971,774 triples).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

from kg import yamlio
from kg.builder.sources import sha256_text
from kg.errors import SynthError
from kg.extract.text import MONTHS
from kg.namespace import slug

TRIPLES_PER_AGREEMENT = 2150

#: (ISO 3166-1 alpha-2, short name, capital, currency) of states often party to S&T agreements.
COUNTRIES = (
    ("AR", "Argentina", "Buenos Aires", "ARS"), ("AU", "Australia", "Canberra", "AUD"),
    ("AT", "Austria", "Vienna", "EUR"), ("BE", "Belgium", "Brussels", "EUR"),
    ("BR", "Brazil", "Brasília", "BRL"), ("CA", "Canada", "Ottawa", "CAD"),
    ("CL", "Chile", "Santiago", "CLP"), ("CN", "China", "Beijing", "CNY"),
    ("CZ", "Czechia", "Prague", "CZK"), ("DK", "Denmark", "Copenhagen", "DKK"),
    ("EG", "Egypt", "Cairo", "EGP"), ("EE", "Estonia", "Tallinn", "EUR"),
    ("FI", "Finland", "Helsinki", "EUR"), ("FR", "France", "Paris", "EUR"),
    ("DE", "Germany", "Berlin", "EUR"), ("GR", "Greece", "Athens", "EUR"),
    ("IN", "India", "New Delhi", "INR"), ("ID", "Indonesia", "Jakarta", "IDR"),
    ("IE", "Ireland", "Dublin", "EUR"), ("IL", "Israel", "Jerusalem", "ILS"),
    ("IT", "Italy", "Rome", "EUR"), ("JP", "Japan", "Tokyo", "JPY"),
    ("KE", "Kenya", "Nairobi", "KES"), ("KR", "Republic of Korea", "Seoul", "KRW"),
    ("MX", "Mexico", "Mexico City", "MXN"), ("NL", "Netherlands", "Amsterdam", "EUR"),
    ("NZ", "New Zealand", "Wellington", "NZD"), ("NG", "Nigeria", "Abuja", "NGN"),
    ("NO", "Norway", "Oslo", "NOK"), ("PL", "Poland", "Warsaw", "PLN"),
    ("PT", "Portugal", "Lisbon", "EUR"), ("SG", "Singapore", "Singapore", "SGD"),
    ("ZA", "South Africa", "Pretoria", "ZAR"), ("ES", "Spain", "Madrid", "EUR"),
    ("SE", "Sweden", "Stockholm", "SEK"), ("CH", "Switzerland", "Bern", "CHF"),
    ("TH", "Thailand", "Bangkok", "THB"), ("TR", "Türkiye", "Ankara", "TRY"),
    ("GB", "United Kingdom", "London", "GBP"), ("US", "United States", "Washington", "USD"),
    ("VN", "Viet Nam", "Hanoi", "VND"),
)

KINDS = (  # (class, how the text names it, share of agreements)
    ("Treaty", "Agreement on Scientific and Technological Cooperation", 2),
    ("MemorandumOfUnderstanding", "Memorandum of Understanding", 4),
    ("ImplementingArrangement", "Implementing Arrangement", 3),
    ("JointStatement", "Joint Statement", 2),
    ("FrameworkAgreement", "Framework Agreement", 2),
)
TOPICS = ("Quantum Technologies", "Artificial Intelligence", "Semiconductors",
          "Fusion Energy", "Clean Hydrogen", "Space Science", "Marine Science",
          "Biotechnology", "Climate Research", "Particle Physics", "Telecommunications",
          "Critical Minerals", "Health Research", "Agricultural Science")
FACILITIES = (("Synchrotron", "Light Source"), ("NeutrinoExperiment", "Neutrino Observatory"),
              ("ResearchFacility", "Research Centre"),
              ("ResearchFacility", "Supercomputing Centre"))
GIVEN = ("Aiko", "Amara", "Anna", "Carlos", "Chen", "David", "Elena", "Farid", "Grace", "Hana",
         "Ingrid", "Jonas", "Kwame", "Lucía", "Mateo", "Mei", "Nadia", "Olu", "Priya", "Rahul",
         "Sara", "Sven", "Tomás", "Yuki", "Zanele", "Léa", "Omar", "Irina", "Pablo", "Hiroshi")
FAMILY = ("Abe", "Banda", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Haddad", "Ito",
          "Jensen", "Kim", "Kowalski", "Lindqvist", "Mensah", "Nakamura", "Okafor", "Patel",
          "Quispe", "Rossi", "Schmidt", "Tanaka", "Umar", "Varga", "Wang", "Yilmaz", "Zhou")
BINDING = {"Treaty"}  # the kinds whose signature is consent to be bound, in this corpus
RELATIONS = (("renews", "renews"), ("amends", "amends"), ("implements", "implements"),
             ("relatedAgreement", "builds on"))


def agreements_for(triples: int) -> int:
    """How many agreements make a corpus of about ``triples`` triples once built."""
    return max(1, round(triples / TRIPLES_PER_AGREEMENT))


@dataclass
class _Doc:
    """One document being written: its sentences, and its annotation's entities and statements."""

    sentences: list[str] = field(default_factory=list)
    entities: dict[str, dict] = field(default_factory=dict)
    statements: list[dict] = field(default_factory=list)

    def say(self, sentence: str) -> str:
        self.sentences.append(sentence)
        return sentence

    def entity(self, key: str, classes: list[str], label: str, quote: str, **extra) -> str:
        if key not in self.entities:
            self.entities[key] = {"a": classes, "label": label, "quote": quote, **extra}
        return key

    def state(self, s: str, p: str, quote: str, o: str | None = None,
              value: str | None = None) -> None:
        item = {"s": s, "p": p, **({"o": o} if o is not None else {"value": value}),
                "quote": quote}
        self.statements.append(item)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"


def _country(doc: _Doc, country: tuple, quote: str) -> str:
    code, name, _, _ = country
    curated = [{"p": "countryCode", "value": code, "note": "ISO 3166-1 alpha-2 code"}]
    return doc.entity(slug(name), ["State", "Country"], name, quote, curated=curated)


def agreement(rng: random.Random, number: int,
              earlier: list[tuple[str, str]]) -> tuple[str, str, dict, dict]:
    """One agreement: ``(doc_id, text, meta, annotation)``."""
    doc = _Doc()
    kind, kind_name = rng.choices([(k, n) for k, n, _ in KINDS], [w for _, _, w in KINDS])[0]
    size = 2 if rng.random() < 0.7 else rng.randint(3, 6)
    parties = rng.sample(COUNTRIES, size)
    topic = rng.choice(TOPICS)
    year, month, day = rng.randint(1990, 2024), rng.randint(1, 12), rng.randint(1, 28)
    date, long_date = f"{year}-{month:02d}-{day:02d}", f"{day} {MONTHS[month - 1]} {year}"
    host = rng.choice(parties)
    names = [p[1] for p in parties]
    between = " and ".join(names) if size == 2 else ", ".join(names[:-1]) + " and " + names[-1]
    label = f"{kind_name} on {topic} between {between} ({year}, no. {number})"
    a = doc.entity(slug(label), [kind], label, doc.say(f"The {label} was signed in {host[2]} "
                                                        f"on {long_date}."))
    binding = kind in BINDING
    if binding:  # in force on signature: each signature is also consent to be bound
        in_force = doc.say(f"The {kind_name.lower()} no. {number} entered into force upon "
                           "signature.")
        entry = doc.entity(slug(f"entry into force {label}"), ["EntryIntoForce"],
                           f"Entry into force of the {label}", in_force)
        doc.state(entry, "eventOf", in_force, o=a)
        doc.state(entry, "onDate", f"signed in {host[2]} on {long_date}", value=date)
    city = doc.entity(slug(f"{host[2]}-{host[0]}"), ["City"], host[2],
                      f"signed in {host[2]} on {long_date}")
    host_key = _country(doc, host, doc.say(f"{host[2]} is the capital of {host[1]}."))
    doc.state(city, "locatedIn", f"{host[2]} is the capital of {host[1]}.", o=host_key)
    for i, country in enumerate(parties):
        code, name, _, _ = country
        state = _country(doc, country, doc.say(f"{name} takes part in the {kind_name.lower()} "
                                               f"no. {number}."))
        government = doc.entity(slug(f"government of {name}"), ["Government"],
                                f"Government of {name}",
                                doc.say(f"The Government of {name} approved the text."))
        doc.state(government, "governmentOf", f"The Government of {name} approved the text.",
                  o=state)
        ministry_label = f"{name} Ministry of Science and Technology"
        ministry = doc.entity(slug(ministry_label), ["Ministry"], ministry_label,
                              doc.say(f"The {ministry_label} leads the cooperation for {name}."))
        doc.state(ministry, "subOrganisationOf",
                  f"The {ministry_label} leads the cooperation for {name}.", o=government)
        post_label = f"Minister for Science of {name}"
        post = doc.entity(slug(post_label), ["Post"], post_label,
                          doc.say(f"The {post_label} represents the {ministry_label}."))
        doc.state(post, "postIn", f"The {post_label} represents the {ministry_label}.",
                  o=ministry)
        person_name = _person(rng)
        person = doc.entity(slug(f"{person_name} {code} {number % 97}"), ["Person"], person_name,
                            doc.say(f"{person_name}, {post_label}, signed for {name} "
                                    f"(signature {i + 1} of {size})."))
        signed = f"{person_name}, {post_label}, signed for {name} (signature {i + 1} of {size})."
        doc.state(person, "holdsPost", signed, o=post)
        kinds = ["SignatureEvent", "ConsentBySignature"] if binding else ["SignatureEvent"]
        event = doc.entity(slug(f"signature {label} {code}"), kinds,
                           f"Signature of the {label} for {name}", signed)
        doc.state(event, "signatureOf", signed, o=a)
        if binding:
            doc.state(event, "consentTo", in_force, o=a)
        doc.state(event, "signer", signed, o=person)
        doc.state(event, "onBehalfOf", signed, o=state)
        doc.state(event, "inCapacityOf", signed, o=post)
        doc.state(event, "onDate", f"signed in {host[2]} on {long_date}", value=date)
        doc.state(event, "signedAt", f"signed in {host[2]} on {long_date}", o=city)
    for j, other in enumerate(parties[1:]):
        first = slug(f"government of {parties[0][1]}")
        doc.state(first, "partnerOf", doc.say(f"The Government of {parties[0][1]} and the "
                                              f"Government of {other[1]} are partners "
                                              f"(partnership {j + 1})."),
                  o=slug(f"government of {other[1]}"))
    area = doc.entity(slug(topic), ["TechnologyArea"], topic,
                      doc.say(f"The cooperation covers {topic.lower()} research."))
    doc.entities[area]["curated"] = [{"p": "skos:inScheme", "o": "agr:TechnologyAreas",
                                      "note": "the project's scheme of technology areas"}]
    doc.state(a, "subject", f"The cooperation covers {topic.lower()} research.", o=area)
    fclass, fname = rng.choice(FACILITIES)
    facility_label = f"{host[1]} {topic} {fname} {number}"
    facility = doc.entity(slug(facility_label), [fclass], facility_label,
                          doc.say(f"The {facility_label} will open to researchers from every "
                                  "party."))
    institute_label = f"{host[1]} Institute of {topic} {number}"
    institute = doc.entity(slug(institute_label), ["ResearchInstitute"], institute_label,
                           doc.say(f"It is hosted by the {institute_label} in {host[2]}."))
    doc.state(facility, "hostedBy", f"It is hosted by the {institute_label} in {host[2]}.",
              o=institute)
    doc.state(institute, "locatedIn", f"It is hosted by the {institute_label} in {host[2]}.",
              o=city)
    doc.state(facility, "researchField", f"The cooperation covers {topic.lower()} research.",
              o=area)
    doc.state(a, "involves", f"The {facility_label} will open to researchers from every party.",
              o=facility)
    funder_label = f"{host[1]} Research Council for {topic}"
    funder = doc.entity(slug(funder_label), ["FundingBody"], funder_label,
                        doc.say(f"The {funder_label} will fund joint calls."))
    programme_label = f"{topic} Partnership Programme {number}"
    programme = doc.entity(slug(programme_label), ["FundingProgramme"], programme_label,
                           doc.say(f"The {programme_label} is run by the {funder_label}."))
    doc.state(programme, "runBy", f"The {programme_label} is run by the {funder_label}.",
              o=funder)
    doc.state(a, "involves", f"The {programme_label} is run by the {funder_label}.",
              o=programme)
    millions = rng.randint(1, 900)
    currency = host[3]
    investment_label = f"{host[1]} investment in the {facility_label}"
    money = f"{millions} million {currency}"
    investment = doc.entity(slug(investment_label), ["Investment"], investment_label,
                            doc.say(f"{host[1]} will invest {money} in the {facility_label}."))
    said = f"{host[1]} will invest {money} in the {facility_label}."
    doc.state(investment, "amount", said, value=str(millions * 1_000_000))
    doc.state(investment, "currency", said, value=currency)
    doc.state(investment, "investor", said, o=host_key)
    doc.state(investment, "recipient", said, o=facility)
    doc.state(investment, "partOfProgramme", said, o=programme)
    for prior_key, prior_label in rng.sample(earlier, min(len(earlier), rng.randint(0, 2))):
        relation, verb = rng.choice(RELATIONS)
        sentence = doc.say(f"The {kind_name.lower()} no. {number} {verb} the {prior_label}.")
        doc.entity(prior_key, ["Agreement"], prior_label, sentence)
        doc.state(a, relation, sentence, o=prior_key)
    earlier.append((a, label))
    doc_id = f"synthetic-{number:07d}"
    title = f"{label}: signed in {host[2]}"
    text = title + "\n\n" + "\n".join(doc.sentences) + "\n"
    meta = {"title": title, "publisher": "Synthetic corpus (kg synth)", "issued": date,
            "sha256": sha256_text(text)}
    annotation = {"document": doc_id, "entities": doc.entities, "statements": doc.statements}
    return doc_id, text, meta, annotation


def synth(agreements: int, out: Path, seed: int = 0) -> list[str]:
    """Write a corpus of ``agreements`` documents into ``out`` (sources/ and annotations/).

    Returns the document ids. ``out`` must be new, empty or a corpus ``kg synth`` wrote;
    raises :class:`SynthError` for a count below one, :class:`kg.errors.OutputError` for a
    folder it may not write.
    """
    from kg import output

    if agreements < 1:
        raise SynthError(f"--agreements {agreements}: make at least one agreement")
    rng = random.Random(seed)
    earlier: list[tuple[str, str]] = []
    ids = []
    with output.staged(out, "synth") as stage:
        (stage / "sources").mkdir()
        (stage / "annotations").mkdir()
        for number in range(1, agreements + 1):
            doc_id, text, meta, annotation = agreement(rng, number, earlier)
            output.write_text(stage / "sources" / f"{doc_id}.txt", text)
            output.write_text(stage / "sources" / f"{doc_id}.meta.yaml", yamlio.dumps(meta))
            output.write_text(stage / "annotations" / f"{doc_id}.yaml",
                              yamlio.dumps(annotation))
            ids.append(doc_id)
    return ids
