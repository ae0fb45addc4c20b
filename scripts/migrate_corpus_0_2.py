"""Rewrite a corpus split's gold annotations from ontology 0.1 to 0.2, mechanically.

    .venv/bin/python scripts/migrate_corpus_0_2.py tests/corpus/dev [--check] [--verbose]

Ontology 0.2 records an agreement's life as dated events (ontology/modules/lifecycle.ttl,
docs/model.md) and deprecates ``agr:status``, ``agr:dateSigned`` and
``agr:dateEnteredIntoForce``; ``agr:partyTo`` is inferred from consent or stated explicitly, and
a non-binding instrument has participants, never parties. This script rewrites every
``annotations/*.yaml`` of a split (a data folder) by the rules below, deterministically, as text:
comments, order and layout stay, each deprecated statement is replaced where it stood by the
statements that say the same in 0.2, new event entities go right after their agreement's entry,
and every quote is one the 0.1 annotation already had (so it is in the source). Whether an
agreement is binding or non-binding is read from the classes the annotation gives it, through
the class tree of ontology/modules/ (agr:BindingAgreement and its subclasses such as agr:Treaty;
agr:NonBindingAgreement and its subclasses agr:MemorandumOfUnderstanding,
agr:ImplementingArrangement, agr:JointStatement); an agreement typed only agr:Agreement or
agr:FrameworkAgreement is neither. "Signature events of A" are the entities typed
agr:SignatureEvent with ``signatureOf A``; an event "has a date" when it has onDate, inMonth or
inYear. "Participants of A" are the actors of ``X partyTo A`` / ``X participantIn A`` (and the
inverse hasParty / hasParticipant) after rule 1. A statement made from another keeps that
statement's quote, occurrence, modality and review mark.

Rules, applied in this order:

1. ``X partyTo A`` (or ``A hasParty X``):
   a. A is non-binding: ``participantIn`` (``hasParticipant``), same quote. (Consent to a
      non-binding instrument is an inconsistency in 0.2.)
   b. else, A has a name (label, alias or the quote of its entry) that contains " between "
      and the statement's quote overlaps an occurrence of that name in the source ("Agreement
      between the Government of X and the Government of Y"): kept. The title states the
      parties; 0.2 allows partyTo stated explicitly.
   c. else, the quote says the actors consented ("ratified", "acceded", "accession", "party
      to", "parties to"): kept, an explicit statement of consent (the text gives no event to
      record it by).
   d. else (the text says X and Y "cooperate under the two countries' Agreement", "have
      cooperated under" it): ``participantIn`` (``hasParticipant``). The text names them as
      taking part, not how they consented: the correction docs/model.md made to the seed.
2. ``A dateSigned D``:
   a. A has signature events: each one with no date gets ``onDate D``, quoted (and resolved:,
      if it was) like dateSigned; then dateSigned is dropped. If an event has a date that
      disagrees with D (D does not start with it), nothing is changed: kept and listed.
   b. A has none but has participants: one ``SignatureEvent`` per participant P, key
      ``signature-of-A-for-P``, label "Signature of the <A> for <P>", quoted like dateSigned,
      with ``signatureOf A`` and ``onDate D`` (dateSigned's quote; its resolved: note for the
      date) and ``onBehalfOf P`` (the participant statement's quote, resolved: "signed on
      behalf of a participant the text names"); dateSigned is dropped.
   c. otherwise: kept and listed (a signature event needs its signatory).
3. ``A status agr:StatusSigned``: dropped when A has signature events (after rule 2: they say
   it); else, with participants, one undated signature event per participant as in 2b, quoted
   by the status statement; else kept and listed.
4. ``A status agr:StatusInForce`` and ``A dateEnteredIntoForce D``: one ``EntryIntoForce``
   entity, key ``entry-into-force-of-A``, label "Entry into force of the <A>", quoted by the
   status statement (or dateEnteredIntoForce's), with ``eventOf A`` (same quote) and its date:
   a. ``onDate D`` from dateEnteredIntoForce, with its quote and resolved: note; else
   b. when the status quote (or dateEnteredIntoForce's) says "upon signature" / "on
      signature": ``onDate`` the signing date (A's dateSigned, else the one onDate all of A's
      signature events share), with the status quote and resolved: "in force upon signature:
      the date it was signed"; else
   c. when the status quote itself gives the year ("entered into force in 2003", "in force
      since 1971"): ``inYear`` with that quote ("since" is marked resolved: the year it has
      been in force since is the year it entered into force); else
   d. no date (an undated event counts in the saved queries as "in force" without a date).
   When A is binding and the quote says "upon signature" / "on signature", each of A's
   signature events is also typed ``ConsentBySignature`` and gets ``consentTo A``, with the
   status quote and the resolved: note of tests/lifecycle/ (Vienna Convention art. 12); a
   non-binding A or one typed only agr:Agreement gets no consent (this script does not decide
   that an agreement is binding). Both deprecated statements are dropped.
5. ``A status agr:StatusRenewed``: a ``Renewal`` entity, ``renewal-of-A``, "Renewal of the
   <A>", quoted by the status statement, with ``eventOf A`` and, where exactly one ``X renews
   A`` is stated, ``byInstrument X`` with that statement's quote. ``agr:StatusTerminated``: a
   ``Termination`` entity, ``termination-of-A``, with ``eventOf A``. Any other status value:
   kept and listed.
6. ``aliases:`` written as a YAML flow list whose plain (unquoted) items were split at commas:
   a run of consecutive plain items whose ", "-join occurs verbatim in the source was one alias
   ("[Director General, Department for Research]" is "Director General, Department for
   Research"); it is written as one double-quoted item (the longest run from each item first).
7. Each file the rules changed gets a comment line at the end of its header saying that it was
   migrated by this script and that the comments above describe the 0.1 annotation where they
   speak of status, dates signed or in force, or parties.

Deprecated terms in curated facts are never rewritten (they are listed). A new key that is
already taken gets "-2", "-3", ... The rewritten file is parsed again and compared with the
intended result; a mismatch stops the script before anything is written. Running the script on
a migrated split changes nothing. It prints, summed over the split, how many times each rule
applied (and what it kept); ``--verbose`` adds each change with its file (for the development
split only: the test split is frozen, tests/corpus/README.md). ``--check`` writes nothing and
exits 1 if a file would change.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import yamlio  # noqa: E402
from kg.builder.annotation import locate  # noqa: E402

AGR = "https://w3id.org/agreements-kg/ontology#"
PARTY = {"partyTo": "participantIn", "hasParty": "hasParticipant"}
PARTICIPATION = ("partyTo", "participantIn", "hasParty", "hasParticipant")
UPON_SIGNATURE = re.compile(r"\b(?:up)?on (?:its |their )?signature\b", re.IGNORECASE)
CONSENT = re.compile(r"\bratif\w*|\bacce(?:ded|des|de|ssion)\b|\bpart(?:y|ies) to\b",
                     re.IGNORECASE)
IN_FORCE_YEAR = re.compile(r"\bin(?:to)? force (in|since) ((?:1[6-9]|20)\d\d)\b")
CONSENT_NOTE = ("an agreement that enters into force upon signature makes signature the "
                "signatories' consent to be bound (Vienna Convention art. 12)")
STATEMENT_KEYS = ("s", "p", "o", "value", "lang", "quote", "occurrence", "resolved",
                  "modality", "review")


def class_tree() -> tuple[set[str], set[str], set[str]]:
    """The agreement classes, the binding ones and the non-binding ones (local names), from
    the ontology's modules."""
    from rdflib import URIRef
    from rdflib.namespace import RDFS

    from kg.builder.ontology import ontology_files, parse

    graph = parse(ontology_files(with_alignments=False))

    def below(name: str) -> set[str]:
        out, todo = set(), [URIRef(AGR + name)]
        while todo:
            cls = todo.pop()
            if str(cls).startswith(AGR) and str(cls)[len(AGR):] not in out:
                out.add(str(cls)[len(AGR):])
                todo.extend(graph.subjects(RDFS.subClassOf, cls))
        return out

    return below("Agreement"), below("BindingAgreement"), below("NonBindingAgreement")


AGREEMENTS, BINDING, NON_BINDING = class_tree()


# ---------------------------------------------------------------------------- the file


@dataclass
class Entry:
    """An entity or a statement of the file: its parsed value and its lines (0-based,
    inclusive)."""

    node: dict
    first: int
    last: int


def _last_line(lines: list[str], node: yaml.Node, first: int) -> int:
    mark = node.end_mark
    if mark.line >= len(lines):
        return _trim(lines, first, len(lines) - 1)
    last = mark.line if lines[mark.line][:mark.column].strip() else mark.line - 1
    return _trim(lines, first, last)


def _trim(lines: list[str], first: int, last: int) -> int:
    """The last line of an entry, without the blank and comment lines that follow it."""
    last = min(last, len(lines) - 1)
    while last > first and (not lines[last].strip() or lines[last].lstrip().startswith("#")):
        last -= 1
    return last


def read_entries(text: str, origin: str) -> tuple[dict, dict[str, Entry], list[Entry]]:
    """The parsed document, its entities by key and its statements, each with its lines."""
    doc = yamlio.loads(text, origin)
    root = yaml.compose(text, Loader=yamlio._Loader)
    lines = text.split("\n")
    nodes = {k.value: v for k, v in root.value}
    entities: dict[str, Entry] = {}
    if "entities" in nodes and isinstance(nodes["entities"], yaml.MappingNode):
        for k, v in nodes["entities"].value:
            first = k.start_mark.line
            entities[k.value] = Entry(doc["entities"][k.value], first, _last_line(lines, v, first))
    statements: list[Entry] = []
    if "statements" in nodes and isinstance(nodes["statements"], yaml.SequenceNode):
        for item, value in zip(nodes["statements"].value, doc["statements"], strict=True):
            first = item.start_mark.line
            statements.append(Entry(value, first, _last_line(lines, item, first)))
    return doc, entities, statements


def key(ref) -> str:
    return str(ref).removeprefix("id:")


def types(node: dict) -> list[str]:
    a = node.get("a") or []
    return [a] if isinstance(a, str) else list(a)


def flow(item: dict) -> str:
    """One statement as the corpus writes it: a flow mapping, quotes and notes in double
    quotes, dates and years bare."""
    parts = []
    for k in STATEMENT_KEYS:
        if k not in item:
            continue
        v = item[k]
        if k in ("quote", "resolved"):
            text = json.dumps(str(v), ensure_ascii=False)
        elif k == "value" and re.fullmatch(r"\d{4}(?:-\d{2}){0,2}", str(v)):
            text = str(v)
        else:
            text = yamlio.scalar(v)
        parts.append(f"{k}: {text}")
    return "{" + ", ".join(parts) + "}"


def quoted(st: dict, **extra) -> dict:
    """The fields a statement made from ``st`` takes from it: quote, occurrence, modality,
    review; ``extra`` (s, p, o or value, resolved) first."""
    out = dict(extra)
    out["quote"] = st["quote"]
    for k in ("occurrence", "modality", "review"):
        if k in st:
            out[k] = st[k]
    return {k: out[k] for k in STATEMENT_KEYS if k in out}


def the(label: str) -> str:
    return label if re.match(r"the\b", label, re.IGNORECASE) else f"the {label}"


# ---------------------------------------------------------------------------- the rules


@dataclass
class Plan:
    """What to do to one file."""

    replace: dict[int, list[dict]] = field(default_factory=dict)  # statement index -> new ones
    rename: dict[int, str] = field(default_factory=dict)  # statement index -> new property
    new_entities: dict[str, list[tuple[str, dict]]] = field(default_factory=dict)  # after key
    add_types: dict[str, list[str]] = field(default_factory=dict)  # entity key -> classes
    aliases: dict[str, list[str]] = field(default_factory=dict)  # entity key -> new list
    done: Counter = field(default_factory=Counter)  # rule -> times applied
    kept: Counter = field(default_factory=Counter)  # what could not be migrated
    notes: list[str] = field(default_factory=list)  # for --verbose


class Migration:
    def __init__(self, path: Path, text: str, source: str):
        self.path, self.text, self.source = path, text, source
        self.doc, self.entities, self.statements = read_entries(text, str(path))
        self.plan = Plan()
        self.taken = set(self.entities)

    # -- what the annotation says
    def sts(self) -> list[tuple[int, dict]]:
        return [(i, e.node) for i, e in enumerate(self.statements)]

    def node(self, k: str) -> dict:
        return self.entities[k].node

    def label(self, k: str) -> str:
        return str(self.node(k).get("label", k)) if k in self.entities else k

    def signatures(self, agreement: str) -> list[str]:
        return [key(st["s"]) for _, st in self.sts() if st.get("p") == "signatureOf"
                and key(st.get("o")) == agreement and key(st["s"]) in self.entities
                and "SignatureEvent" in types(self.node(key(st["s"])))]

    def dates(self, event: str) -> list[str]:
        return [str(st.get("value")) for _, st in self.sts() if key(st["s"]) == event
                and st.get("p") in ("onDate", "inMonth", "inYear")]

    def new_key(self, wanted: str) -> str:
        k, n = wanted, 1
        while k in self.taken:
            n += 1
            k = f"{wanted}-{n}"
        self.taken.add(k)
        return k

    def add_entity(self, after: str, k: str, node: dict) -> None:
        self.plan.new_entities.setdefault(after, []).append((k, node))

    def span(self, st: dict) -> tuple[int, int]:
        found = locate(self.source, st["quote"], st.get("occurrence"), str(self.path))
        return found.start, found.end

    # -- rule 1
    def parties(self) -> None:
        for i, st in self.sts():
            p = st.get("p")
            if p not in PARTY:
                continue
            agreement = key(st.get("o") if p == "partyTo" else st.get("s"))
            kinds = set(types(self.node(agreement))) if agreement in self.entities else set()
            if kinds & NON_BINDING:
                self.plan.rename[i] = PARTY[p]
                self.plan.done["1a partyTo on a non-binding instrument -> participantIn"] += 1
            elif self.titled(agreement, st):
                self.plan.done["1b partyTo stated by a title 'between ...': kept"] += 1
            elif CONSENT.search(str(st.get("quote", ""))):
                self.plan.done["1c partyTo stated as consent ('ratified', ...): kept"] += 1
            else:
                self.plan.rename[i] = PARTY[p]
                self.plan.done["1d partyTo from 'cooperate under ...' -> participantIn"] += 1
            self.note(i, "kept" if i not in self.plan.rename else self.plan.rename[i])

    def titled(self, agreement: str, st: dict) -> bool:
        if agreement not in self.entities:
            return False
        n = self.node(agreement)
        names = [n.get("label"), *(n.get("aliases") or []), n.get("quote")]
        names = [str(x) for x in names if x and " between " in str(x)]
        lo, hi = self.span(st)
        return any(m.start() < hi and lo < m.end() for name in names
                   for m in re.finditer(re.escape(name), self.source))

    def participants(self, agreement: str) -> list[tuple[str, dict]]:
        out = []
        for _, st in self.sts():
            p = st.get("p")
            if p in ("partyTo", "participantIn") and key(st.get("o")) == agreement:
                out.append((key(st["s"]), st))
            elif p in ("hasParty", "hasParticipant") and key(st["s"]) == agreement:
                out.append((key(st.get("o")), st))
        return list({k: (k, st) for k, st in reversed(out)}.values())[::-1]

    # -- rules 2 and 3: signing
    def signing(self) -> None:
        self.created: dict[str, list[str]] = {}  # agreement -> signature events made here
        for i, st in self.sts():
            if st.get("p") == "dateSigned":
                self.date_signed(i, st)
        for i, st in self.sts():
            if st.get("p") == "status" and str(st.get("o")) == "agr:StatusSigned":
                agreement = key(st["s"])
                if self.signatures(agreement) or self.created.get(agreement):
                    self.plan.replace[i] = []
                    self.plan.done["3 status StatusSigned dropped (signature events)"] += 1
                elif self.participants(agreement):
                    self.plan.replace[i] = self.make_signatures(agreement, st, None)
                    self.plan.done["3 status StatusSigned -> undated signature events"] += 1
                else:
                    self.plan.kept["status StatusSigned (no signature event, no participant)"] \
                        += 1
                self.note(i, "kept" if i not in self.plan.replace
                          else "dropped" if not self.plan.replace[i] else "signature events")

    def date_signed(self, i: int, st: dict) -> None:
        agreement, d = key(st["s"]), str(st.get("value"))
        events = self.signatures(agreement)
        if events:
            dated = {e: self.dates(e) for e in events}
            if any(not d.startswith(v) for vs in dated.values() for v in vs):
                self.plan.kept["dateSigned (differs from its signature events' dates)"] += 1
                return
            new = []
            for e in events:
                if not dated[e]:
                    new.append(quoted(st, s=e, p="onDate", value=d,
                                      **({"resolved": st["resolved"]} if "resolved" in st
                                         else {})))
            self.plan.replace[i] = new
            self.plan.done["2a dateSigned dropped (signature events dated)"] += 1
            if new:
                self.plan.done["2a onDate added to an undated signature event"] += len(new)
        elif self.participants(agreement):
            self.plan.replace[i] = self.make_signatures(agreement, st, d)
            self.plan.done["2b dateSigned -> signature events per participant"] += 1
        else:
            self.plan.kept["dateSigned (no signature event, no participant)"] += 1
        self.note(i, "rewritten" if i in self.plan.replace else "kept")

    def make_signatures(self, agreement: str, st: dict, d: str | None) -> list[dict]:
        out = []
        for party, by in self.participants(agreement):
            k = self.new_key(f"signature-of-{agreement}-for-{party}")
            entity = {"a": ["SignatureEvent"],
                      "label": f"Signature of {the(self.label(agreement))} for "
                               f"{self.label(party)}",
                      "quote": st["quote"]}
            if "occurrence" in st:
                entity["occurrence"] = st["occurrence"]
            if "review" in st:
                entity["review"] = st["review"]
            self.add_entity(agreement, k, entity)
            self.created.setdefault(agreement, []).append(k)
            out.append(quoted(st, s=k, p="signatureOf", o=agreement))
            out.append(quoted(by, s=k, p="onBehalfOf", o=party,
                              resolved="signed on behalf of a participant the text names"))
            if d is not None:
                out.append(quoted(st, s=k, p="onDate", value=d,
                                  **({"resolved": st["resolved"]} if "resolved" in st else {})))
            self.plan.done["2b/3 signature event made"] += 1
        return out

    # -- rules 4 and 5: other statuses
    def statuses(self) -> None:
        by_agreement: dict[str, dict[str, list[tuple[int, dict]]]] = {}
        for i, st in self.sts():
            p = st.get("p")
            if p == "dateEnteredIntoForce" or (p == "status" and str(st.get("o")) in (
                    "agr:StatusInForce", "agr:StatusRenewed", "agr:StatusTerminated")):
                kind = "force" if p == "dateEnteredIntoForce" else str(st["o"])
                kind = "force" if kind == "agr:StatusInForce" else kind
                by_agreement.setdefault(key(st["s"]), {}).setdefault(kind, []).append((i, st))
            elif p == "status" and str(st.get("o")) != "agr:StatusSigned":
                self.plan.kept[f"status {st.get('o')} (no matching event)"] += 1
        for agreement, kinds in by_agreement.items():
            if "force" in kinds:
                self.entry_into_force(agreement, kinds["force"])
            for kind, cls, word in (("agr:StatusRenewed", "Renewal", "renewal"),
                                    ("agr:StatusTerminated", "Termination", "termination")):
                for i, st in kinds.get(kind, []):
                    self.event(agreement, i, st, cls, word)

    def entry_into_force(self, agreement: str, items: list[tuple[int, dict]]) -> None:
        status = [st for _, st in items if st.get("p") == "status"]
        dated = [st for _, st in items if st.get("p") == "dateEnteredIntoForce"]
        main = (status or dated)[0]
        k = self.new_event(agreement, "entry-into-force", "EntryIntoForce", "Entry into force",
                           main)
        new = [quoted(main, s=k, p="eventOf", o=agreement)]
        upon = next((st for st in status + dated if UPON_SIGNATURE.search(str(st["quote"]))),
                    None)
        year = next((m for st in status if (m := IN_FORCE_YEAR.search(str(st["quote"])))),
                    None)
        if dated:
            st = dated[0]
            new.append(quoted(st, s=k, p="onDate", value=str(st["value"]),
                              **({"resolved": st["resolved"]} if "resolved" in st else {})))
            self.plan.done["4a EntryIntoForce dated by dateEnteredIntoForce"] += 1
        elif upon is not None and (signed := self.signed_on(agreement)):
            new.append(quoted(upon, s=k, p="onDate", value=signed,
                              resolved=f"in force upon signature: the date it was signed, "
                                       f"{signed}"))
            self.plan.done["4b EntryIntoForce dated by the signing date (upon signature)"] += 1
        elif year is not None:
            st = next(st for st in status if IN_FORCE_YEAR.search(str(st["quote"])))
            extra = {"resolved": f"in force since {year.group(2)}: it entered into force in "
                                 f"{year.group(2)}"} if year.group(1) == "since" else {}
            new.append(quoted(st, s=k, p="inYear", value=year.group(2), **extra))
            self.plan.done["4c EntryIntoForce dated by the year its quote gives"] += 1
        else:
            self.plan.done["4d EntryIntoForce undated"] += 1
        binding = bool(set(types(self.node(agreement))) & BINDING) \
            if agreement in self.entities else False
        if upon is not None and binding:
            made = {k: node for k, node in self.plan.new_entities.get(agreement, [])}
            for e in [*self.signatures(agreement), *self.created.get(agreement, [])]:
                if e in made:
                    made[e]["a"].append("ConsentBySignature")
                else:
                    self.plan.add_types.setdefault(e, []).append("ConsentBySignature")
                new.append(quoted(upon, s=e, p="consentTo", o=agreement, resolved=CONSENT_NOTE))
                self.plan.done["4 ConsentBySignature (binding, upon signature)"] += 1
        elif upon is not None:
            self.plan.done["4 upon signature, not typed binding: no consent"] += 1
        first = min(i for i, _ in items)
        for i, _ in items:
            self.plan.replace[i] = new if i == first else []
            self.note(i, f"-> {k}")
        self.plan.done["4 EntryIntoForce made (status InForce / dateEnteredIntoForce)"] += 1

    def new_event(self, agreement: str, word: str, cls: str, title: str, st: dict) -> str:
        """A new event entity of class ``cls`` for ``agreement`` (key ``<word>-of-<agreement>``,
        label ``<title> of <the agreement>``), quoted as the statement ``st`` it is made from;
        its key."""
        k = self.new_key(f"{word}-of-{agreement}")
        entity = {"a": [cls], "label": f"{title} of {the(self.label(agreement))}",
                  "quote": st["quote"]}
        for extra in ("occurrence", "review"):
            if extra in st:
                entity[extra] = st[extra]
        self.add_entity(agreement, k, entity)
        return k

    def signed_on(self, agreement: str) -> str | None:
        """The day the agreement was signed: its dateSigned, else the one onDate all its
        signature events share."""
        for _, st in self.sts():
            if st.get("p") == "dateSigned" and key(st["s"]) == agreement:
                return str(st["value"])
        days = [self.dates(e) for e in self.signatures(agreement)]
        if days and all(len(d) == 1 and len(d[0]) == 10 for d in days) and \
                len({d[0] for d in days}) == 1:
            return days[0][0]
        return None

    def event(self, agreement: str, i: int, st: dict, cls: str, word: str) -> None:
        k = self.new_event(agreement, word, cls, cls, st)
        new = [quoted(st, s=k, p="eventOf", o=agreement)]
        if cls == "Renewal":
            by = [r for _, r in self.sts() if r.get("p") == "renews"
                  and key(r.get("o")) == agreement]
            if len(by) == 1:
                new.append(quoted(by[0], s=k, p="byInstrument", o=key(by[0]["s"])))
                self.plan.done["5 Renewal byInstrument (from renews)"] += 1
        self.plan.replace[i] = new
        self.plan.done[f"5 status {st['o']} -> {cls}"] += 1
        self.note(i, f"-> {k}")

    # -- rule 6
    def split_aliases(self) -> None:
        lines = self.text.split("\n")
        for k, e in self.entities.items():
            for n in range(e.first, e.last + 1):
                m = re.match(r"(\s*)aliases: \[(.*)\]\s*$", lines[n])
                if not m:
                    continue
                items = _flow_items(m.group(2))
                if items is None:
                    continue
                merged, j = [], 0
                while j < len(items):
                    run = next((r for r in range(len(items), j + 1, -1)
                                if all(not q for _, q in items[j:r])
                                and ", ".join(t for t, _ in items[j:r]) in self.source), None)
                    if run is None:
                        merged.append(items[j])
                        j += 1
                    else:
                        merged.append((", ".join(t for t, _ in items[j:run]), True))
                        self.plan.done["6 aliases split at commas joined"] += 1
                        j = run
                if len(merged) != len(items):
                    self.plan.aliases[k] = [t for t, _ in merged]
                    self.plan.notes.append(f"{k}: aliases {[t for t, _ in merged]}")

    def note(self, i: int, what: str) -> None:
        st = self.statements[i].node
        self.plan.notes.append(f"line {self.statements[i].first + 1}: {st.get('s')} "
                               f"{st.get('p')} {st.get('o', st.get('value'))}: {what}")

    def curated(self) -> None:
        for e in self.entities.values():
            for c in e.node.get("curated") or []:
                if isinstance(c, dict) and c.get("p") in ("status", "dateSigned",
                                                          "dateEnteredIntoForce", "partyTo"):
                    self.plan.kept[f"curated {c['p']}"] += 1

    def run(self) -> str:
        self.parties()
        self.signing()
        self.statuses()
        self.split_aliases()
        self.curated()
        return self.rewrite()

    # -- the text
    def rewrite(self) -> str:
        plan = self.plan
        if not (plan.replace or plan.rename or plan.new_entities or plan.add_types
                or plan.aliases):
            return self.text
        lines = self.text.split("\n")
        out: list[str] = []
        starts = {e.first: i for i, e in enumerate(self.statements)}
        after = {self.entities[k].last: k for k in plan.new_entities}
        types_at = {}
        for k, extra in plan.add_types.items():
            e = self.entities[k]
            n = next((n for n in range(e.first, e.last + 1)
                      if re.match(r"\s*a: (?:\[[^\]]*\]|\w+)\s*$", lines[n])), None)
            if n is None:
                raise SystemExit(f"{self.path}:{e.first + 1}: cannot add {extra} to {k}'s "
                                 "classes (no one-line 'a:'); edit it by hand")
            types_at[n] = extra
        aliases_at = {}
        for k, names in plan.aliases.items():
            e = self.entities[k]
            n = next(n for n in range(e.first, e.last + 1)
                     if re.match(r"\s*aliases: \[", lines[n]))
            aliases_at[n] = names
        n = 0
        while n < len(lines):
            line = lines[n]
            if n in starts and starts[n] in plan.replace:
                entry = self.statements[starts[n]]
                pad = re.match(r"\s*", line).group(0)
                out += [f"{pad}- {flow(st)}" for st in plan.replace[starts[n]]]
                n = entry.last + 1
                continue
            if n in starts and starts[n] in plan.rename:
                entry = self.statements[starts[n]]
                old = self.statements[starts[n]].node["p"]
                block = "\n".join(lines[n:entry.last + 1])
                block, count = re.subn(rf"(\bp: ){old}\b", rf"\g<1>{plan.rename[starts[n]]}",
                                       block)
                if count != 1:
                    raise SystemExit(f"{self.path}:{n + 1}: cannot rename {old} here")
                out += block.split("\n")
                n = entry.last + 1
                continue
            if n in types_at:
                m = re.match(r"(\s*a: )(.*?)\s*$", line)
                names = [x.strip() for x in m.group(2).strip("[]").split(",")]
                line = f"{m.group(1)}[{', '.join([*names, *types_at[n]])}]"
            if n in aliases_at:
                pad = re.match(r"\s*", line).group(0)
                line = f"{pad}aliases: [{', '.join(map(_alias, aliases_at[n]))}]"
            out.append(line)
            if n in after:
                out += self.entity_lines(after[n])
            n += 1
        header = next(i for i, x in enumerate(out) if not x.startswith("#"))
        out.insert(header, "# " + self.header_note())
        return "\n".join(out)

    def entity_lines(self, agreement: str) -> list[str]:
        e = self.entities[agreement]
        lines = self.text.split("\n")
        pad = re.match(r"\s*", lines[e.first]).group(0)
        inner = next((re.match(r"\s*", x).group(0) for x in lines[e.first + 1:e.last + 1]
                      if x.strip()), pad + "  ")
        out = []
        for k, node in self.plan.new_entities[agreement]:
            out.append(f"{pad}{k}:")
            for field_name in ("a", "label", "quote", "occurrence", "review"):
                if field_name in node:
                    v = node[field_name]
                    text = "[" + ", ".join(v) + "]" if field_name == "a" else _plain_scalar(v)
                    out.append(f"{inner}{field_name}: {text}")
        return out

    def header_note(self) -> str:
        return ("0.2 migration: rewritten by scripts/migrate_corpus_0_2.py (mechanical; the "
                "rules are in its\n# docstring). Where the comments above speak of status, "
                "dates signed or in force, or parties,\n# they describe the 0.1 annotation.")


def _flow_items(body: str) -> list[tuple[str, bool]] | None:
    """The items of a one-line flow list, each with whether it was quoted; None when the list
    is not one this script can read safely."""
    out, rest = [], body.strip()
    while rest:
        m = re.match(r'"((?:[^"\\]|\\.)*)"\s*(?:,\s*|$)', rest)
        if m:
            out.append((json.loads(f'"{m.group(1)}"'), True))
        else:
            m = re.match(r"([^,\"'\[\]{}]+?)\s*(?:,\s*|$)", rest)
            if not m or m.group(1).startswith("'"):
                return None
            out.append((m.group(1).strip(), False))
        rest = rest[m.end():]
    return out


def _plain_scalar(value) -> str:
    """A label or quote as the corpus writes them: plain where YAML reads it back unchanged
    (dashes and commas included), else in double quotes."""
    text = str(value)
    if isinstance(value, str) and text == text.strip() and "#" not in text \
            and not re.match(r"[\[\]{}&*!|>'\"%@`,?:-]", text) and ": " not in text:
        try:
            if yamlio.loads(f"k: {text}", "label") == {"k": text}:
                return text
        except Exception:  # anything YAML refuses is quoted instead
            pass
    return json.dumps(text, ensure_ascii=False) if isinstance(value, str) else str(value)


def _alias(name: str) -> str:
    return json.dumps(name, ensure_ascii=False) if "," in name else yamlio.scalar(name)


def expected(m: Migration) -> tuple[dict, list]:
    """What the rewritten file must parse to: the plan applied to the parsed document."""
    entities = {}
    for k, e in m.entities.items():
        node = dict(e.node)
        if k in m.plan.add_types:
            node["a"] = [*types(node), *m.plan.add_types[k]]
        if k in m.plan.aliases:
            node["aliases"] = m.plan.aliases[k]
        entities[k] = node
        for new, extra in m.plan.new_entities.get(k, []):
            entities[new] = extra
    statements = []
    for i, e in enumerate(m.statements):
        if i in m.plan.replace:
            statements += m.plan.replace[i]
        elif i in m.plan.rename:
            statements.append({**e.node, "p": m.plan.rename[i]})
        else:
            statements.append(dict(e.node))
    return entities, statements


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value)


def migrate(path: Path, sources: Path) -> tuple[str, str, Plan]:
    """(old text, new text, plan) for one annotation file."""
    text = path.read_text(encoding="utf-8")
    doc = yamlio.loads(text, str(path))
    source = (sources / f"{doc['document']}.txt").read_text(encoding="utf-8")
    m = Migration(path, text, source)
    new = m.run()
    if new != text:
        got = yamlio.loads(new, str(path))
        want_entities, want_statements = expected(m)
        if _plain(got["entities"]) != _plain(want_entities) or \
                _plain(got["statements"]) != _plain(want_statements):
            raise SystemExit(f"{path}: the rewritten text does not parse to the intended "
                             "annotation; nothing written")
        for st in got["statements"]:
            locate(source, st["quote"], st.get("occurrence"), str(path))
    return text, new, m.plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", type=Path, help="a data folder (sources/ and annotations/)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a file would change")
    parser.add_argument("--verbose", action="store_true",
                        help="print each change (development split only)")
    options = parser.parse_args()
    done, kept, changed = Counter(), Counter(), []
    results = []
    for path in sorted((options.split / "annotations").glob("*.yaml")):
        old, new, plan = migrate(path, options.split / "sources")
        results.append((path, old, new))
        done.update(plan.done)
        kept.update(plan.kept)
        if new != old:
            changed.append(path)
        if options.verbose:
            print(f"{path.name}:")
            for note in plan.notes:
                print(f"  {note}")
            for what, n in sorted(plan.kept.items()):
                print(f"  KEPT {what}: {n}")
    if not options.check:
        for path, old, new in results:
            if new != old:
                path.write_text(new, encoding="utf-8")
    print(f"{options.split}: {len(results)} annotations, {len(changed)} "
          f"{'would change' if options.check else 'rewritten'}")
    for what, n in sorted(done.items()):
        print(f"  {n:4d}  {what}")
    for what, n in sorted(kept.items()):
        print(f"  {n:4d}  KEPT, not migrated: {what}")
    if options.check and changed:
        sys.exit(1)


if __name__ == "__main__":
    main()
