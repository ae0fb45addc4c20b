"""Draft the annotation of a new document: `kg extract DOCUMENT`.

Reads a plain-text or HTML press release, finds its mentions (kg.extract_mentions), links them to
the entities the graph already holds or mints new ones, proposes statements
(kg.extract_statements), and writes a draft in the annotation format kg.annotation reads, every
entity and statement marked ``review: draft``. ``kg build`` refuses it until a curator has
confirmed, corrected and completed it, deleting each ``review: draft`` once checked
(``--include-drafts`` builds it as draft evidence).

:func:`draft` is pure (text in, :class:`Draft` out); :func:`render` turns a draft into YAML;
:func:`extract` does the file work: checks, a copy of the text into ``sources/`` with its
``.meta.yaml`` sidecar, and the annotation into ``annotations/``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg import yamlio
from kg.builder.sources import sha256_text
from kg.errors import ExtractError, KGError
from kg.extract.gazetteer import Gazetteer, Known, gazetteer
from kg.extract.mentions import HEAD_WORDS, Mention, find_mentions, find_money, groups
from kg.extract.statements import NewEntity, Rules, Statement
from kg.extract.text import document_date, find_dates, read_document
from kg.namespace import slug

if TYPE_CHECKING:
    from kg.extract.tagger import Tagger

REVIEW = "draft"
_TOPICS_NOTE = "the project's concept scheme of technology areas"


@dataclass
class Entity:
    """An entity of the draft: linked to one the graph or curated lists know, or new."""

    key: str
    types: list[str]
    label: str
    start: int
    end: int
    known: Known | None = None
    acronym: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    curated: list[dict] = field(default_factory=list)

    @property
    def linked(self) -> bool:
        return self.known is not None


@dataclass
class Draft:
    document: str
    title: str
    text: str
    issued: dt.date
    entities: dict[str, Entity]
    statements: list[Statement]


def _post_words(text: str, gaz: Gazetteer) -> frozenset[str]:
    words = re.findall(r"[\w-]+", text.replace("’s", "").replace("'s", ""))
    return frozenset(w.lower() for w in words if w.lower() not in ("of", "for", "the", "and")
                     and not gaz.country_of(w))


def _merge_people(mentions: list[Mention]) -> None:
    """"Khairul Anuar" or "Al Falasi" after "Khairul Anuar bin Zainal" or "Khalid Saeed Al
    Falasi" is the same person."""
    people = [m for m in mentions if m.cls == "Person"]
    for m in people:
        words = set(m.label.split())
        fuller = next((x for x in people if x.key != m.key and words < set(x.label.split())),
                      None)
        if fuller is not None:
            old = m.key
            m.key, m.label, m.linked = fuller.key, fuller.label, fuller.linked
            for x in mentions:
                if x.info.get("person") == old:
                    x.info["person"] = fuller.key


def _merge_posts(mentions: list[Mention], gaz: Gazetteer) -> None:
    """One post per person: "UK Science Minister" and "UK Minister for Science" before the
    same name are one office, and so is "Secretary of State" said later of the "Secretary of
    State for Science, Innovation and Technology"."""
    by_person: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.cls == "Post" and m.info.get("person"):
            by_person.setdefault(m.info["person"], []).append(m)
    rename: dict[str, Mention] = {}
    for posts in by_person.values():  # a linked post wins, else the longest wording
        words = {id(m): _post_words(m.text, gaz) for m in posts}
        for m in posts:
            wider = [x for x in posts if words[id(m)] <= words[id(x)]]
            best = max(wider, key=lambda x: (x.linked, len(x.text), -x.start))
            if best is not m:
                rename[m.key] = best
    for m in mentions:
        if m.key in rename:
            best = rename[m.key]
            m.key, m.label, m.linked = best.key, best.label, best.linked
        if m.info.get("post") in rename:
            m.info["post"] = rename[m.info["post"]].key


def _entities(mentions: list[Mention], gaz: Gazetteer) -> dict[str, Entity]:
    out: dict[str, Entity] = {}
    for m in mentions:
        entity = out.get(m.key)
        if entity is None:
            known = gaz.entries.get(m.key) if m.linked else None
            types = list(known.types) if known else [m.cls]
            out[m.key] = entity = Entity(m.key, types, known.label if known else m.label,
                                         m.start, m.end, known)
        entity.mentions.append(m)
        entity.acronym = entity.acronym or m.info.get("acronym")
        full = [x for x in entity.mentions if not x.info.get("acronym_of")]
        best = next((x for x in full if x.text == entity.label), full[0] if full else m)
        entity.start, entity.end = best.start, best.end
    return out


def _info(mentions: list[Mention], gaz: Gazetteer) -> dict[str, dict]:
    info: dict[str, dict] = {}
    for m in mentions:
        for k, v in m.info.items():
            if v is not None:
                info.setdefault(m.key, {}).setdefault(k, v)
    demonyms = {}
    for known in gaz.entries.values():
        if "Country" in known.types:
            for word in (*known.demonyms, *known.names):
                demonyms.setdefault(word, known.key)
    info["__demonyms__"] = demonyms
    topics: dict[str, str] = {}
    for k in gaz.entries.values():  # the first entry to claim a name keeps it, as in names()
        if "TechnologyArea" in k.types:
            for name in [k.label, *k.names]:
                if len(name) > 3 and name.lower() == name:
                    topics.setdefault(name, k.key)
    info["__topics__"] = topics
    info["__capitals__"] = {k.key: k.country for k in gaz.entries.values()
                            if "City" in k.types and k.country}
    info["__regions__"] = {k.key: k.country for k in gaz.entries.values()
                           if "Region" in k.types and k.country}
    return info


def title_of(text: str) -> str:
    """The first line with words: a press release's headline."""
    for line in text.splitlines():
        line = line.strip(" •*#\t")
        if re.search(r"\w", line):
            return line[:200]
    return "untitled"


def draft(text: str, document: str, issued: dt.date, gaz: Gazetteer,
          ner: str | Tagger | None = "tagger") -> Draft:
    """Draft the annotation of ``text`` (the id ``document``, read against date ``issued``);
    ``ner`` adds a mention finder to the rules: the shipped ``"tagger"`` (the default; or a
    trained :class:`~kg.extract.tagger.Tagger`), or ``"spacy"``; ``None``: the rules alone."""
    mentions = find_mentions(text, gaz, ner)
    _merge_people(mentions)
    _merge_posts(mentions, gaz)
    _same_instrument(mentions, gaz)
    _particular(mentions, document, title_of(text))
    entities = _entities(mentions, gaz)
    info = _info(mentions, gaz)
    info["__issued__"] = issued.isoformat()  # no signing after the document's date
    for key in list(entities):  # a person's country must be an entity the draft can name:
        country = info.get(key, {}).get("country")  # "Swedish Minister ..." names Sweden
        if country and country not in entities and not _in_graph(country, gaz):
            known = gaz.entries.get(country)
            span = info[key].get("title_span")
            if known is None or span is None:
                info[key]["country"] = None
                continue
            entities[country] = Entity(country, list(known.types), known.label, span[0],
                                       span[1], known)
    rules = Rules(text, mentions, find_dates(text, issued), find_money(text), info)
    statements, new = rules.run()
    for n in new:
        known = gaz.entries.get(n.key)  # a state named by its capital ("Seoul will spend")
        entities.setdefault(n.key, Entity(n.key, list(known.types), known.label, n.start, n.end,
                                          known) if known else _new_entity(n))
    statements = [s for s in statements if _resolvable(s.s, entities, gaz)
                  and (s.o is None or _resolvable(s.o, entities, gaz))]
    for st in statements:  # a signature that is consent to be bound is both
        if st.p == "consentTo" and st.s in entities and \
                "ConsentBySignature" not in entities[st.s].types:
            entities[st.s].types.append("ConsentBySignature")
    _signatures_complete(entities, statements)
    for st in statements:  # a programme that money goes to is a funding programme
        e = entities.get(st.o) if st.p == "recipient" else None
        if e is not None and e.types == ["Programme"] and e.known is None:
            e.types = ["FundingProgramme"]
    for entity in entities.values():
        entity.curated = _curated(entity, entities, gaz)
    return Draft(document, title_of(text), text, issued, entities, statements)


_BETWEEN_FIRST = re.compile(r"(?P<kind>[A-Z][\w ]*?) between (?P<a>.+?) and (?P<b>.+?) "
                            r"(?P<topic>(?:on|for|concerning) .+)")
_TOPIC_FIRST = re.compile(r"(?P<kind>[A-Z][\w ]*?) (?P<topic>(?:on|for|concerning) .+?) "
                          r"between (?P<a>.+?) and (?P<b>.+)")


def _instrument_form(gaz: Gazetteer, title: str) -> tuple | None:
    """What an instrument's title says, whichever order it says it in: its kind, topic and
    parties, the countries named by their governments or long names. "Agreement between the
    Government of Japan and the Government of the Portuguese Republic on Cooperation in
    Science and Technology" and "Agreement on Cooperation in Science and Technology between
    Japan and the Portuguese Republic" say the same."""
    m = _BETWEEN_FIRST.fullmatch(title) or _TOPIC_FIRST.fullmatch(title)
    if m is None:
        return None
    parties = set()
    for side in (m.group("a"), m.group("b")):
        side = re.sub(r"^(?:the )?(?:Government of (?:the )?)?", "", side)
        parties.add(gaz.country_of(side) or side.lower())
    return m.group("kind").lower(), m.group("topic").lower(), frozenset(parties)


def _shortened_titles(gaz: Gazetteer, kept: list[Mention]) -> None:
    """An instrument's title shortened (in a headline: "Bologna Declaration on Research
    Security and Integrity" for the "Bologna Declaration on Research Security and Research
    Integrity") is the same instrument: same class, same first two words, and every word of
    the short title in the long one. The short one takes the long one's key and label. So is
    one whose title says the same in another order (:func:`_instrument_form`): the later
    takes the first's."""
    titles = [m for m in kept if "agreement" in groups([m.cls]) and not m.info.get("generic")
              and len(m.label.split()) >= 3]
    forms = [_instrument_form(gaz, m.label) for m in titles]
    for i, m in enumerate(titles):
        first = next((x for x, f in zip(titles[:i], forms[:i], strict=True)
                      if f is not None and f == forms[i] and x.cls == m.cls), None)
        if first is not None and not m.linked:
            m.key, m.label, m.linked = first.key, first.label, first.linked
    for short in titles:
        words = short.label.split()
        longer = [m for m in titles if m.cls == short.cls and m.key != short.key
                  and len(m.label) > len(short.label) and m.label.split()[:2] == words[:2]
                  and set(words) <= set(m.label.split())]
        if not short.linked and len({m.key for m in longer}) == 1:
            short.key, short.label, short.linked = longer[0].key, longer[0].label, longer[0].linked


def _same_instrument(mentions: list[Mention], gaz: Gazetteer) -> None:
    """An instrument's names are one instrument: a title shortened or given in another order
    (:func:`_shortened_titles`); "Trieste Declaration" in a headline is the "Trieste
    Declaration on Synchrotron and Free-Electron Laser Sources" of the text; "a memorandum of
    understanding" that the text describes without naming is the instrument of that kind it
    names or describes elsewhere."""
    _shortened_titles(gaz, mentions)
    ags = [m for m in mentions if "agreement" in groups([m.cls]) and not m.linked]
    # "their first Agreement on Scientific and Technological Cooperation" is the "Agreement on
    # Scientific and Technological Cooperation between the Government of X and ..." the text
    # names in full, not another document's instrument of that generic name
    ags += [m for m in mentions if "agreement" in groups([m.cls]) and m.linked and any(
        x.text.startswith(m.text + " between ") for x in ags)]
    for m in ags:
        longer = [x for x in ags if x.label != m.label and x.label.startswith(m.label + " ")
                  and not x.info.get("generic")]
        if m.linked:
            longer = [x for x in ags if x.text.startswith(m.text + " between ")]
        if longer and not m.info.get("generic"):
            best = max(longer, key=lambda x: len(x.label))
            m.key, m.label, m.cls, m.linked = best.key, best.label, best.cls, best.linked
    for m in ags:
        if m.info.get("generic") and not HEAD_WORDS.fullmatch(m.label):
            other = next((x for x in ags if not x.info.get("generic") and x.cls == m.cls),
                         None)
            if other is not None:
                m.key, m.label = other.key, other.label
                m.info.pop("generic")
        elif m.info.get("described"):
            # "signed a trilateral declaration on science, technology and space" is the "New
            # Delhi Declaration on Trilateral Cooperation in Science, Technology and Space" the
            # text names, when it names one such instrument of that kind with all its words
            words = set(re.findall(r"\w+", m.label.lower()))
            named = {x.key: x for x in ags if x.cls == m.cls and not x.info.get("described")
                     and not x.info.get("generic")
                     and words <= set(re.findall(r"\w+", x.label.lower()))}
            if len(named) == 1:
                other = next(iter(named.values()))
                m.key, m.label = other.key, other.label


def _particular(mentions: list[Mention], document: str, title: str) -> None:
    """A new entity named only by its kind ("the Commission", "the new Implementing
    Arrangement") is the entity named earlier with that head word when there is one ("the
    European Commission"); else it gets a key and label naming the document, so that two
    documents' arrangements stay two entities."""
    for i, m in enumerate(mentions):
        words = re.sub(r"^(?:[Nn]ew|[Rr]enewed) ", "", m.label)
        words = re.sub(r"^(?:[Jj]oint) ", "", words)
        generic = m.info.get("generic") or (
            not m.linked and m.cls not in ("Person", "Post") and HEAD_WORDS.fullmatch(words))
        if not generic:
            continue
        last = words.split(" ")[-1]
        # ("the Organization" after "CERN, the European Organization for Nuclear Research":
        # a body of that group named with the word)
        earlier = next((x for x in reversed(mentions[:i]) if (
            x.label.endswith(" " + last) or x.text.endswith(" " + last) or (
                x.cls == m.cls and last in x.label.split()) or (
                words == last and groups([x.cls]) == groups([m.cls]) == {"organisation"}
                and last in x.text.split()))
                        and set(words.split()) <= set(x.label.split()) | set(x.text.split())
                        # "a five-year research collaboration agreement ... signed the
                        # agreement": the one described before, for its bare head word
                        and (not x.info.get("generic") or (x.info.get("described")
                                                           and words == last))), None)
        if earlier is not None and (not m.info.get("generic") or words == last):
            m.key, m.label, m.linked, m.cls = earlier.key, earlier.label, earlier.linked, \
                earlier.cls
            continue
        m.key = slug(f"{m.label} {document}")
        m.label = f"{m.label} ({title})"
        m.info["generic"] = True


def _new_entity(n: NewEntity) -> Entity:
    return Entity(n.key, [n.cls], n.label, n.start, n.end)


def _in_graph(key: str, gaz: Gazetteer) -> bool:
    known = gaz.entries.get(key)
    return bool(known and known.in_graph)


def _resolvable(key: str, entities: dict[str, Entity], gaz: Gazetteer) -> bool:
    return key.startswith("agr:") or key in entities or _in_graph(key, gaz)


def _signatures_complete(entities: dict[str, Entity], statements: list[Statement]) -> None:
    """Drop a signature event, entry into force or investment that lacks what the SHACL
    shapes require, so that the draft builds (with ``--include-drafts``)."""
    need = {"SignatureEvent": {"signatureOf", "signer", "onBehalfOf"},
            "EntryIntoForce": {"eventOf"},
            "Investment": {"investor", "recipient", "amount", "currency"}}
    for key, entity in list(entities.items()):
        required = need.get(entity.types[0])
        if required and not required <= {s.p for s in statements if s.s == key}:
            del entities[key]
            statements[:] = [s for s in statements if key not in (s.s, s.o)]


def _curated(entity: Entity, entities: dict[str, Entity], gaz: Gazetteer) -> list[dict]:
    """Facts from the curated lists for entities the graph does not hold yet."""
    known = entity.known
    if known is not None and known.in_graph:
        return []
    out = []
    if known is not None and known.code:
        out.append({"p": "countryCode", "value": known.code,
                    "note": "ISO 3166-1 alpha-2 code (kg/extract/gazetteer_data/countries.tsv)"})
    if known is not None and {"City", "Region"} & set(known.types) and known.country and (
            known.country in entities or _in_graph(known.country, gaz)):
        country = gaz.entries[known.country]
        what, where = (("the capital", "countries.tsv") if "City" in known.types
                       else ("a subdivision", "regions.tsv"))
        out.append({"p": "locatedIn", "o": _ref(known.country, entities),
                    "note": f"{entity.label} is {what} of {country.label} "
                            f"(kg/extract/gazetteer_data/{where})"})
    if "TechnologyArea" in entity.types:
        out.append({"p": "skos:inScheme", "o": "agr:TechnologyAreas", "note": _TOPICS_NOTE})
    return out


def _ref(key: str, entities: dict[str, Entity]) -> str:
    return key if key in entities or ":" in key else f"id:{key}"


# ---------------------------------------------------------------------------- YAML


def _quote_fields(text: str, start: int, end: int) -> dict:
    """``quote`` (and ``occurrence`` when the quote is not unique) for a span."""
    while True:
        quote = text[start:end]
        starts = [m.start() for m in re.finditer(re.escape(quote), text)]
        if start in starts or end >= len(text):
            break
        end += 1  # an overlapping repeat hides this one from a left-to-right search: widen
    fields = {"quote": quote}
    if len(starts) > 1 and start in starts:
        fields["occurrence"] = starts.index(start) + 1
    return fields


def render(d: Draft) -> str:
    """The draft as annotation YAML (deterministic: entities by first mention, statements in
    the order the rules found them)."""
    C = yamlio.Comment
    entities: dict = {}

    def first(e: Entity) -> int:
        return min([m.start for m in e.mentions] or [e.start])

    for e in sorted(d.entities.values(), key=lambda e: (first(e), e.key)):
        entities[C("")] = None
        if e.known is not None:
            where = "the graph" if e.known.in_graph else "the curated lists in kg/extract/"
            surface = sorted({m.text for m in e.mentions})
            entities[C(f"linked to id:{e.key} from {where} (matched {', '.join(surface)})")] = 0
        elif e.mentions and all(m.info.get("tagger") or m.info.get("ner") for m in e.mentions):
            entities[C("new entity: check its type, label and key; a learned model found it, "
                       "not the rules: check that it is a name at all")] = None
        else:
            entities[C("new entity: check its type, label and key")] = None
        item: dict = {"a": list(e.types), "label": e.label}
        if e.acronym and not (e.known and e.known.in_graph):
            item["acronym"] = e.acronym
        item.update(_quote_fields(d.text, e.start, e.end))
        item["review"] = REVIEW
        if e.curated:
            item["curated"] = e.curated
        entities[e.key] = item
    statements: list = [C("")]
    for st in d.statements:
        obj = {"o": _ref(st.o, d.entities)} if st.o is not None else {"value": st.value}
        item = {"s": _ref(st.s, d.entities), "p": st.p, **obj,
                **_quote_fields(d.text, st.start, st.end)}
        if st.resolved:
            item["resolved"] = st.resolved
        statements.append({**item, "review": REVIEW})
    return yamlio.dumps({
        C(f"DRAFT annotation of {d.title!r}, written by `kg extract`.\n"
          f"Relative dates were read against {d.issued.isoformat()}. Every entity and "
          "statement\nbelow is marked `review: draft`: check each against the text, fix or "
          "delete it, add\nwhat the rules missed, then delete the `review: draft` line. See "
          "docs/extracting.md."): None,
        "document": d.document, C(""): None, "entities": entities, C(" "): None,
        "statements": statements if d.statements else []})  # no comment-only list


# ---------------------------------------------------------------------------- files


@dataclass
class Extracted:
    """What :func:`extract` wrote, and a summary of the draft."""

    document: str
    written: list[Path]
    entities: int
    linked: int
    statements: int
    gazetteer: str  # what the draft was linked against


def _known_graph(build: Path | None, exclude: str):
    """The asserted graph of a build (without document ``exclude``) as rdflib, and where it
    came from; ``(None, why)`` when there is no build to link against."""
    from kg import dataset
    from kg.resources import default_build
    from kg.terms import graph_of

    folder = build or default_build()
    try:
        dataset.require(folder, dataset.NQUADS)
    except KGError:
        if build is not None:
            raise
        return None, f"the curated lists only (no build in {folder})"
    graphs = dataset.read(folder, ("asserted", "evidence"))
    others = _document_facts(graphs["evidence"], exclude)
    return graph_of(t for t in graphs["asserted"] if t not in others), f"the build in {folder}"


def _document_facts(evidence: set, document: str) -> set:
    """The asserted triples only document ``document`` supports (to leave a re-drafted
    document's own facts out of its gazetteer)."""
    from kg.namespace import ID, OA, PROV, RDF

    doc = f"<{ID}document/{document}>"
    derived, body = f"<{PROV}wasDerivedFrom>", f"<{OA}hasBody>"
    by_record: dict[str, set[str]] = {}
    statement_of: dict[str, str] = {}
    for s, p, o in evidence:
        if p == derived:
            by_record.setdefault(s, set()).add(o)
        elif p == body:
            statement_of[s] = o
    parts: dict[str, dict[str, str]] = {}
    for s, p, o in evidence:
        if p in (f"<{RDF}subject>", f"<{RDF}predicate>", f"<{RDF}object>"):
            parts.setdefault(s, {})[p] = o
    mine, theirs = set(), set()
    for record, statement in statement_of.items():
        st = parts.get(statement, {})
        triple = (st.get(f"<{RDF}subject>"), st.get(f"<{RDF}predicate>"),
                  st.get(f"<{RDF}object>"))
        (mine if by_record.get(record) == {doc} else theirs).add(triple)
    return mine - theirs


def _existing_digests(sources: Path) -> dict[str, str]:
    out = {}
    for meta in sorted(sources.glob("*.meta.yaml")):
        try:
            value = yamlio.read(meta)
        except KGError:  # a broken sidecar is the build's to report, not ours
            continue
        if isinstance(value, dict) and value.get("sha256"):
            out[str(value["sha256"])] = meta.name.removesuffix(".meta.yaml")
    return out


def extract(path: Path, data_dir: Path, date: str | None = None, out: Path | None = None,
            force: bool = False, build: Path | None = None,
            ner: str | None = "tagger") -> Extracted:
    """Draft the annotation of the document at ``path`` into ``data_dir``.

    Names are linked against the entities of a build (``build``, default ``$KG_BUILD`` or
    ``./kg-build``; without one, against the curated lists alone) and the curated lists.
    Writes ``sources/<id>.txt`` (the text; an HTML page's article text), its ``.meta.yaml``
    sidecar (title, issued, sha256) and ``annotations/<id>.yaml`` (or ``out``), where ``<id>``
    is the slug of the file name. Raises :class:`ExtractError` for an unreadable, empty,
    binary, non-UTF-8 or too large document, for one whose text is already in ``sources/``
    under another name, and when a file would be overwritten without ``force``. ``ner`` is the
    mention finder added to the rules: ``"tagger"`` (the default, :mod:`kg.extract.tagger`),
    ``"spacy"`` (:mod:`kg.extract.ner`, the ``ner`` extra), or ``"rules"`` (none).
    """
    from kg import output

    if ner not in (None, "rules", "tagger", "spacy"):
        raise ExtractError(f"--ner {ner!r}: the mention finders are 'tagger' (learned, shipped "
                           "with kg), 'spacy' (the 'ner' extra) and 'rules' (the rules alone)")
    ner = None if ner == "rules" else ner
    if ner == "spacy":
        from kg.extract.ner import pipeline

        pipeline()  # a missing extra is reported before anything is written
    text, is_html = read_document(path)
    doc = slug(path.name.rsplit(".", 1)[0])
    if not doc:
        raise ExtractError(f"{path}: cannot make a document id from the file name; rename it")
    sources, annotations = data_dir / "sources", data_dir / "annotations"
    digest = sha256_text(text)
    existing = _existing_digests(sources) if sources.is_dir() else {}
    raw = digest if is_html else sha256_text(path.read_bytes().decode("utf-8-sig"))
    same = existing.get(digest) or existing.get(raw)  # as given, or with its spacing tidied
    if same and same != doc:
        raise ExtractError(f"{path}: the same text is already in {sources / same}.txt; "
                           "annotate that one instead")
    targets = [sources / f"{doc}.txt", sources / f"{doc}.meta.yaml",
               out or annotations / f"{doc}.yaml"]
    if not force:
        for target in targets:
            if target.exists():
                raise ExtractError(f"{target} already exists; pass --force to overwrite it")
    issued = document_date(text, date)
    known, linked_against = _known_graph(build, doc)
    result = draft(text, doc, issued, gazetteer(known), ner)
    meta = yamlio.dumps({
        yamlio.Comment("Metadata of the source text beside this file, drafted by `kg extract` "
                       f"from {path.name}:\ncheck the title and add the publisher and url."):
            None,
        "title": result.title, "issued": issued.isoformat(), "language": "en",
        "sha256": digest})
    for target, content in zip(targets, (text, meta, render(result)), strict=True):
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExtractError(f"cannot write {target.parent} ({exc.strerror})") from None
        output.write_text(target, content)
    linked = sum(1 for e in result.entities.values() if e.linked)
    return Extracted(doc, targets, len(result.entities), linked, len(result.statements),
                     linked_against)
