"""The names `kg extract` recognises: the entities the graph already holds (labels, aliases and
acronyms in every language) and curated lists shipped in ``kg/extract/gazetteer_data/`` (ISO
3166 countries with their capitals and demonyms, and their first-level subdivisions; technology
areas, intergovernmental organisations, world regions).

An entry the graph holds wins over a curated one with the same IRI or name, so a draft links to
what the graph already says.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.namespace import AGR, ID, plain, slug
from kg.query.lookup import fold

GAZETTEER_DIR = Path(__file__).resolve().parent / "gazetteer_data"
PLACES = {"Country", "State", "City", "Region", "Place"}


@dataclass
class Known:
    """One entity the extractor can link to."""

    key: str  # local name under id:, which is also its annotation key
    label: str
    types: tuple[str, ...]
    names: list[str] = field(default_factory=list)
    in_graph: bool = False  # held by the graph (else only in the curated lists)
    code: str | None = None  # ISO 3166-1 alpha-2 for countries
    country: str | None = None  # key of the country a city, government or post belongs to
    demonyms: list[str] = field(default_factory=list)
    government: str | None = None  # for a country: key of its government entity, if known
    post_in: str | None = None  # for a post: key of the organisation it is in
    posts: list[str] = field(default_factory=list)  # for a person: keys of the posts held


# head words that make a name of office and field words a body's name
_BODIES = {"Foundation", "Council", "Agency", "Institute", "Ministry", "Department", "Office",
           "Commission", "Committee", "Centre", "Center", "Laboratory", "Fund", "Bureau",
           "University"}


@dataclass
class Gazetteer:
    entries: dict[str, Known]  # key -> entry

    def names(self, titles: bool = True) -> dict[str, str]:
        """Every name -> key; the first entry to claim a name keeps it (graph entries first).
        Names made only of office and field words ("Secretary", "Science Minister", "Science
        and Research") name nothing in particular and are left out, but for an office's full
        title with a comma list ("Minister of State for Science, Research and Innovation")
        that only one office has, when ``titles``."""
        from kg.extract.people import NOT_NAMES

        out: dict[str, str] = {}
        offices: dict[str, set[str]] = {}
        for known in self.entries.values():
            for name in [known.label, *known.names]:
                # "Agreement on Scientific and Technological Cooperation" is many agreements' name
                # (and "(MoU)" in it glosses, names nothing more)
                bare = re.sub(r" \((?:MoU|MOU|MoC|LoI|JDI)\)", "", name)
                words = set(re.findall(r"[^\s,]+", bare)) - {"of", "for", "and", "the", "to",
                                                               "on", "in"}
                if name.islower() and re.search(r"\b(?:ministry|department|agency)\b", name):
                    # "science ministry": a description, office and field words too
                    words = {w[:1].upper() + w[1:] for w in words}
                generic = words <= NOT_NAMES and " " in name.strip() and not (
                    len(words) >= 3 and words & _BODIES)  # but "National Science Foundation"
                if generic and len(words) >= 5 and "," in name and known.types == ("Post",):
                    offices.setdefault(name, set()).add(known.key)
                elif len(name) >= 2 and not (generic or (name in NOT_NAMES and not known.code)):
                    out.setdefault(name, known.key)
        if titles:
            for name, keys in offices.items():
                if len(keys) == 1:
                    out.setdefault(name, keys.pop())
        return out

    def folded(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, key in self.names(titles=False).items():  # full titles match exactly only
            out.setdefault(fold(name), key)
        return out

    def country_of(self, word: str) -> str | None:
        """The country key for a name, code or demonym such as "UK", "Japan’s" or "Japanese"."""
        word = word.removesuffix("’s").removesuffix("'s").strip()
        for known in self.entries.values():
            if ("Country" in known.types or "IntergovernmentalOrganisation" in known.types) and (
                    word in known.names or word == known.label or word in known.demonyms):
                return known.key
        return None


def _key(iri: str) -> str | None:
    return iri[len(ID):] if iri.startswith(ID) and "/" not in iri[len(ID):] else None


def from_graph(graph: Graph) -> dict[str, Known]:
    """Entries for every entity of an asserted graph that has a name."""
    entries: dict[str, Known] = {}
    name_predicates = (RDFS.label, SKOS.altLabel, URIRef(AGR + "acronym"))
    for subject in sorted(set(graph.subjects(RDFS.label, None))):
        key = _key(str(subject))
        if key is None:
            continue
        labels = sorted(graph.objects(subject, RDFS.label), key=lambda lit: (
            lit.language not in (None, "en"), str(lit)))
        types = tuple(sorted(str(t)[len(AGR):] for t in graph.objects(subject, RDF.type)
                             if str(t).startswith(AGR)))
        names = sorted({str(o) for p in name_predicates for o in graph.objects(subject, p)
                        if isinstance(o, Literal)})
        code = graph.value(subject, URIRef(AGR + "countryCode"))
        known = Known(key, str(labels[0]), types, names, in_graph=True,
                      code=str(code) if code else None)
        for p, attr in (("governmentOf", "country"), ("postIn", "post_in")):
            obj = graph.value(subject, URIRef(AGR + p))
            if obj is not None:
                setattr(known, attr, _key(str(obj)))
        known.posts = sorted(k for o in graph.objects(subject, URIRef(AGR + "holdsPost"))
                             if (k := _key(str(o))))
        located = graph.value(subject, URIRef(AGR + "locatedIn"))
        if "City" in types and located is not None:
            known.country = _key(str(located))
        entries[key] = known
    for known in entries.values():
        if "Government" in known.types and known.country in entries:
            entries[known.country].government = known.key
    return entries


def _rows(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        lines = [line for line in f if not line.startswith("#")]
    yield from csv.DictReader(lines, delimiter="\t")


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split("|") if v]


def curated() -> list[Known]:
    """Entries from countries.tsv and terms.tsv in kg/extract/gazetteer_data/."""
    out = []
    by_code = {}
    for row in _rows(GAZETTEER_DIR / "countries.tsv"):
        if row["code"] == "AQ":  # Antarctica is a region, not a state
            out.append(Known("antarctica", "Antarctica", ("Region",), ["Antarctica"]))
            continue
        country = Known(slug(row["name"]), row["name"], ("Country", "State"),
                        [row["name"], *_split(row["aliases"])], code=row["code"],
                        demonyms=_split(row["demonyms"]))
        by_code[row["code"]] = country.key
        out.append(country)
        capitals = _split(row["capital"])
        if capitals:
            out.append(Known(slug(capitals[0]), capitals[0], ("City",), capitals,
                             country=country.key))
    for row in _rows(GAZETTEER_DIR / "regions.tsv"):
        # "Gujarāt" in iso-codes, "Gujarat" in a press release: both forms
        names = sorted({row["name"], plain(row["name"])})
        out.append(Known(slug(row["name"]), row["name"], ("Region",), names,
                         country=by_code.get(row["country"])))
    for row in _rows(GAZETTEER_DIR / "terms.tsv"):
        out.append(Known(slug(row["label"]), row["label"], (row["class"],),
                         [row["label"], *_split(row["aliases"])],
                         demonyms=_split(row.get("demonyms"))))
    return out


def gazetteer(graph: Graph | None = None) -> Gazetteer:
    """The gazetteer for a graph (the asserted graph of the annotations) plus the curated lists.

    A curated country is merged into the graph's entity with the same ISO code or key; a
    curated city or term into the graph's entity with the same key.
    """
    entries = from_graph(graph) if graph is not None else {}
    by_code = {k.code: k for k in entries.values() if k.code}
    renamed: dict[str, str] = {}  # curated key -> the graph's key for the same entity
    for known in curated():
        target = by_code.get(known.code) if known.code else None
        target = target or entries.get(known.key)
        if target is None:
            entries[known.key] = known
            continue
        renamed[known.key] = target.key
        target.names = sorted(set(target.names) | set(known.names))
        target.demonyms = target.demonyms or known.demonyms
        target.code = target.code or known.code
        target.country = target.country or known.country
    for known in entries.values():
        known.country = renamed.get(known.country, known.country) if known.country else None
    return Gazetteer(entries)
