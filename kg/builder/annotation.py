"""Read a source document and its hand-written annotation into plain facts with evidence spans.

The annotation format (YAML, documented in the README) names the entities a document mentions
and the statements it makes, each with the exact quote that supports it. This module locates
every quote in the source (character offsets, in Unicode code points as Web Annotation asks) and
checks names, dates and amounts against the ontology's schema. It knows nothing of RDF
libraries: it turns files into :class:`Fact` values, or raises :class:`AnnotationError` naming the
file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg import yamlio
from kg.builder.sources import Source, read_source
from kg.errors import AnnotationError
from kg.namespace import ID, PREFIXES, RDF, XSD, slug

STATED, RESOLVED, CURATED = "Stated", "ResolvedFromContext", "Curated"
CONTEXT = 40  # characters kept before and after a quote (oa:prefix / oa:suffix)

_LEXICAL = {
    XSD + "date": (r"\d{4}-\d{2}-\d{2}", "a date such as 2023-05-15"),
    XSD + "gYearMonth": (r"\d{4}-\d{2}", "a month such as 2022-12"),
    XSD + "gYear": (r"\d{4}", "a year such as 2022"),
    XSD + "decimal": (r"[0-9]+(\.[0-9]+)?", "a plain decimal number such as 15500000"),
    XSD + "nonNegativeInteger": (r"[0-9]+", "a whole number"),
    XSD + "boolean": (r"true|false", "true or false"),
}
_LANG_STRING = RDF + "langString"
MODALITIES = {"asserted": "Asserted", "hedged": "Hedged", "reported": "ReportedSpeech"}


@dataclass(frozen=True)
class Schema:
    """What the ontology allows an annotation to say: class names, properties, and the datatype
    the SHACL shapes require of each datatype property."""

    classes: frozenset[str]
    object_properties: frozenset[str]
    datatype_ranges: dict[str, str | None]  # datatype property IRI -> datatype IRI or None
    individuals: frozenset[str]


@dataclass(frozen=True)
class Span:
    """Where a quote sits in its source: ``text[start:end] == exact``."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Term:
    """An RDF term as plain values: an IRI, or a literal with a datatype or a language."""

    value: str
    is_iri: bool = True
    datatype: str | None = None
    lang: str | None = None


@dataclass(frozen=True)
class Fact:
    """One asserted triple with the evidence for it."""

    subject: str
    predicate: str
    object: Term
    kind: str  # STATED, RESOLVED or CURATED
    span: Span | None
    note: str | None
    where: str  # "file:line", for messages
    modality: str | None = None  # Asserted, Hedged or ReportedSpeech; None for a curated fact
    reference: str | None = None  # where a curated fact comes from (a URL or a citation)
    draft: bool = False  # proposed by `kg extract`, not yet reviewed


@dataclass(frozen=True)
class Annotation:
    source: Source
    facts: tuple[Fact, ...]
    entities: tuple[str, ...]
    path: Path
    annotator: str | None = None  # who annotated the document
    annotated: str | None = None  # when (an xsd:date)


def locate(text: str, quote: str, occurrence: int | None, where: str) -> Span:
    """Find ``quote`` in ``text``; it must occur exactly once unless ``occurrence`` says which."""
    if not isinstance(quote, str) or not quote.strip():
        raise AnnotationError(f"{where}: the quote is empty; copy the supporting words")
    starts, at = [], text.find(quote)
    while at >= 0:  # what re.finditer(re.escape(quote)) finds, without compiling a pattern
        starts.append(at)
        at = text.find(quote, at + len(quote))
    if not starts:
        hint = _near_miss(text, quote)
        raise AnnotationError(f"{where}: quote not found in the source: {quote!r}{hint}")
    if occurrence is None and len(starts) > 1:
        raise AnnotationError(f"{where}: quote {quote!r} occurs {len(starts)} times in the source; "
                              "quote more words or add 'occurrence: N'")
    index = (occurrence or 1) - 1
    if not 0 <= index < len(starts):
        raise AnnotationError(f"{where}: occurrence {occurrence} asked but the quote occurs "
                              f"{len(starts)} times")
    start = starts[index]
    end = start + len(quote)
    return Span(start, end, quote, text[max(0, start - CONTEXT):start], text[end:end + CONTEXT])


def _fold(s: str) -> str:
    s = s.translate(str.maketrans("‘’“”–—", "''\"\"--"))
    return re.sub(r"\s+", " ", s)


def _near_miss(text: str, quote: str) -> str:
    folded = _fold(quote)
    if folded and folded in _fold(text):
        return " (it matches when quote marks, dashes or spaces are ignored: copy the exact text)"
    return " (check the spelling against the source)"


class _Reader:
    """Turns one annotation mapping into facts; keeps the file name for messages."""

    def __init__(self, path: Path, source: Source, schema: Schema, known: dict[str, str]):
        self.path, self.source, self.schema, self.known = path, source, schema, known

    def where(self, node: Any, what: str) -> str:
        return f"{self.path}:{getattr(node, 'line', 0)}: {what}"

    def iri(self, ref: Any, node: Any, what: str) -> str:
        if not isinstance(ref, str) or not ref:
            raise AnnotationError(self.where(node, f"{what}: expected an entity key, got {ref!r}"))
        if ":" in ref:
            prefix, _, local = ref.partition(":")
            if prefix in PREFIXES and local:
                return PREFIXES[prefix] + local
            raise AnnotationError(self.where(node, f"{what}: unknown prefix in {ref!r}; "
                                                   f"use one of {', '.join(sorted(PREFIXES))}"))
        if ref not in self.known:
            raise AnnotationError(self.where(node, f"{what}: unknown entity {ref!r}; declare it "
                                                   "under 'entities' first"))
        return self.known[ref]

    def predicate(self, name: Any, node: Any, what: str) -> str:
        if not isinstance(name, str):
            raise AnnotationError(self.where(node, f"{what}: expected a property name"))
        iri = self.iri(name, node, what) if ":" in name else PREFIXES["agr"] + name
        schema = self.schema
        allowed = schema.object_properties | set(schema.datatype_ranges) | _EXTRA_PREDICATES
        if iri not in allowed:
            raise AnnotationError(self.where(node, f"{what}: unknown property {name!r}; the "
                                                   "properties are listed in ontology/modules/"
                                                   " and on the ontology page kg docs writes"))
        return iri

    def value(self, predicate: str, raw: Any, node: Any, what: str, lang: Any = None) -> Term:
        if predicate in self.schema.object_properties or predicate in _IRI_PREDICATES:
            return Term(self.iri(raw, node, what))
        if raw is None or isinstance(raw, dict | list):
            raise AnnotationError(self.where(node, f"{what}: expected a single value"))
        text = str(raw).strip()
        datatype = self.schema.datatype_ranges.get(predicate)
        if datatype in _LEXICAL:
            pattern, expected = _LEXICAL[datatype]
            bad_day = datatype.endswith("date") and not _real_date(text)
            if not re.fullmatch(pattern, text) or bad_day:
                raise AnnotationError(self.where(node, f"{what}: {text!r} is not {expected}"))
        if datatype == _LANG_STRING and not lang:
            raise AnnotationError(self.where(node, f"{what}: {text!r} needs 'lang' (the "
                                                   "language of the text it is written in)"))
        if lang:
            return Term(text, is_iri=False, lang=str(lang))
        if datatype == XSD + "decimal":  # the canonical form, so every store writes it alike
            text = text if "." in text else text + ".0"
        if datatype == XSD + "string":  # RDF 1.1: a simple literal is an xsd:string
            datatype = None
        return Term(text, is_iri=False, datatype=datatype)

    def span(self, node: dict, what: str) -> Span | None:
        if "quote" not in node:
            return None
        occurrence = node.get("occurrence")
        if occurrence is not None and not isinstance(occurrence, int):
            raise AnnotationError(self.where(node, f"{what}: occurrence must be a whole number"))
        return locate(self.source.text, node["quote"], occurrence, self.where(node, what))

    def entity(self, key: str, node: Any) -> list[Fact]:
        what = f"entity {key!r}"
        if not isinstance(node, dict):
            raise AnnotationError(self.where(node, f"{what}: expected a, label and quote"))
        _check_keys(node, {"a", "label", "aliases", "acronym", "quote", "occurrence", "curated",
                           "review"}, self.where(node, what))
        subject = self.known[key]
        types = node.get("a")
        types = [types] if isinstance(types, str) else types
        if not types or not isinstance(types, list):
            raise AnnotationError(self.where(node, f"{what}: needs 'a' naming its class"))
        label = node.get("label")
        if not isinstance(label, str) or not label.strip():
            raise AnnotationError(self.where(node, f"{what}: needs a 'label'"))
        span = self.span(node, what)
        if span is None:
            raise AnnotationError(self.where(node, f"{what}: needs a 'quote' where the source "
                                                   "names it"))
        loc = f"{self.path}:{node.line}"
        draft = node.get("review") == "draft"
        facts = []
        for name in types:
            iri = PREFIXES["agr"] + str(name)
            if iri not in self.schema.classes:
                raise AnnotationError(self.where(node, f"{what}: unknown class {name!r}; the "
                                                       "classes are listed in ontology/modules/"
                                                       " and on the ontology page kg docs "
                                                       "writes"))
            facts.append(Fact(subject, RDF + "type", Term(iri), STATED, span, None, loc,
                              modality="Asserted", draft=draft))
        names = [(PREFIXES["rdfs"] + "label", label)]
        names += [(PREFIXES["skos"] + "altLabel", alias) for alias in node.get("aliases") or []]
        if node.get("acronym"):
            names.append((PREFIXES["agr"] + "acronym", node["acronym"]))
        for predicate, name in names:
            term = Term(str(name), is_iri=False, lang=None if "acronym" in predicate else "en")
            if str(name) in span.exact:
                facts.append(Fact(subject, predicate, term, STATED, span, None, loc,
                                  modality="Asserted", draft=draft))
            else:  # a name the curator chose: say so rather than pass it off as stated
                facts.append(Fact(subject, predicate, term, CURATED, None,
                                  "name chosen by the curator for the entity the quote mentions",
                                  loc, draft=draft))
        for item in node.get("curated") or []:
            facts.append(self.curated(subject, item, what))
        return facts

    def curated(self, subject: str, node: Any, what: str) -> Fact:
        if not isinstance(node, dict) or not node.get("note"):
            raise AnnotationError(self.where(node, f"{what}: each curated fact needs p, a value "
                                                   "or o, and a 'note' saying where it comes from"))
        _check_keys(node, {"p", "o", "value", "lang", "note", "source"}, self.where(node, what))
        predicate = self.predicate(node.get("p"), node, what)
        raw = node["o"] if "o" in node else node.get("value")
        term = self.value(predicate, raw, node, what, node.get("lang"))
        reference = node.get("source")
        if reference is not None and not (isinstance(reference, str) and reference.strip()):
            raise AnnotationError(self.where(node, f"{what}: 'source' must be a URL or a "
                                                   "citation of where the fact comes from"))
        return Fact(subject, predicate, term, CURATED, None, str(node["note"]),
                    f"{self.path}:{node.line}", reference=reference)

    def statement(self, node: Any, number: int) -> Fact:
        what = f"statement {number}"
        if not isinstance(node, dict):
            raise AnnotationError(self.where(node, f"{what}: expected s, p, o and quote"))
        _check_keys(node, {"s", "p", "o", "value", "lang", "quote", "occurrence", "resolved",
                           "modality", "review"}, self.where(node, what))
        what = f"statement {number} ({node.get('s')} {node.get('p')} "\
               f"{node.get('o', node.get('value'))})"
        subject = self.iri(node.get("s"), node, what)
        predicate = self.predicate(node.get("p"), node, what)
        if ("o" in node) == ("value" in node):
            raise AnnotationError(self.where(node, f"{what}: give exactly one of 'o' (an entity) "
                                                   "or 'value' (a literal)"))
        term = self.value(predicate, node.get("o", node.get("value")), node, what, node.get("lang"))
        span = self.span(node, what)
        if span is None:
            raise AnnotationError(self.where(node, f"{what}: needs the 'quote' that supports it"))
        resolved = node.get("resolved")
        kind = RESOLVED if resolved else STATED
        modality = node.get("modality", "asserted")
        if modality not in MODALITIES:
            raise AnnotationError(self.where(node, f"{what}: modality must be one of "
                                                   f"{', '.join(MODALITIES)}, not {modality!r}"))
        return Fact(subject, predicate, term, kind, span, resolved, f"{self.path}:{node.line}",
                    modality=MODALITIES[modality], draft=node.get("review") == "draft")


_EXTRA_PREDICATES = {
    PREFIXES["rdfs"] + "label",
    PREFIXES["skos"] + "altLabel",
    PREFIXES["skos"] + "broader",
    PREFIXES["skos"] + "inScheme",
    RDF + "type",
}
_IRI_PREDICATES = {PREFIXES["skos"] + "broader", PREFIXES["skos"] + "inScheme", RDF + "type"}


def _real_date(text: str) -> bool:
    import datetime

    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _check_keys(node: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(node) - allowed)
    if unknown:
        raise AnnotationError(f"{where}: unknown key {unknown[0]!r}; allowed: "
                              f"{', '.join(sorted(allowed))}")
    # `review: draft` marks what `kg extract` proposed and a curator has not yet checked; it
    # builds like any other entry (docs/extracting.md).
    if "review" in node and node["review"] != "draft":
        raise AnnotationError(f"{where}: review must be 'draft' (delete the key once reviewed)")


def drafts(annotations: list[Annotation]) -> list[str]:
    """Where the items still marked ``review: draft`` are (``file:line``, one per item), in
    file and line order."""
    found = {f.where for a in annotations for f in a.facts if f.draft}
    return sorted(found, key=lambda w: (w.rsplit(":", 1)[0], int(w.rsplit(":", 1)[1] or 0)))


def read_annotation(path: Path, sources_dir: Path, schema: Schema) -> Annotation:
    """Read one annotation file and the source it annotates into an :class:`Annotation`.

    Raises :class:`AnnotationError` naming the file and line for any problem: YAML syntax, an
    unknown class, property or entity, a bad date or amount, a quote missing from the source or
    found more than once.
    """
    doc = yamlio.read(path)
    if not isinstance(doc, dict):
        raise AnnotationError(f"{path}: expected a mapping with 'document', 'entities' and "
                              "'statements'")
    _check_keys(doc, {"document", "annotator", "annotated", "entities", "statements"},
                f"{path}:1")
    annotator, annotated = doc.get("annotator"), doc.get("annotated")
    if annotator is not None and not (isinstance(annotator, str) and annotator.strip()):
        raise AnnotationError(f"{path}:{doc.line_of('annotator')}: 'annotator' must name who "
                              "annotated the document")
    if annotated is not None and not (isinstance(annotated, str) and _real_date(annotated)
                                      and re.fullmatch(r"\d{4}-\d{2}-\d{2}", annotated)):
        raise AnnotationError(f"{path}:{doc.line_of('annotated')}: 'annotated' must be the date "
                              "it was annotated, such as 2026-12-01")
    name = doc.get("document")
    if not isinstance(name, str):
        raise AnnotationError(f"{path}:1: 'document' must name a file in {sources_dir}")
    source = read_source(sources_dir / f"{name}.txt")
    entities = doc.get("entities") or {}
    statements = doc.get("statements") or []
    if not isinstance(entities, dict) or not isinstance(statements, list):
        raise AnnotationError(f"{path}: 'entities' must be a mapping and 'statements' a list")
    known = {}
    for key in entities:
        if not isinstance(key, str) or slug(key) != key:
            raise AnnotationError(f"{path}:{entities.line}: entity key {key!r} must be a slug "
                                  f"such as {slug(str(key))!r}")
        known[key] = ID + key
    reader = _Reader(path, source, schema, known)
    facts: list[Fact] = []
    for key, node in entities.items():
        facts.extend(reader.entity(key, node))
    for number, node in enumerate(statements, start=1):
        facts.append(reader.statement(node, number))
    return Annotation(source, tuple(facts), tuple(known.values()), path, annotator, annotated)
