"""`kg docs`: a static HTML site generated from the built graph.

Pages: the ontology's documentation, one page per entity (types stated and inferred, labels in
every language, relations both ways, evidence quotes highlighted in their sentence, and a diagram
for agreements), an index per class, a page per source document with its annotated spans, and a
page per saved query with its SPARQL and its results on the graph. Everything is read from the
build (the pyoxigraph store) and the source texts the build checked; output is deterministic.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg import diagram as dia
from kg.errors import KGError
from kg.lookup import card
from kg.namespace import AGR, GRAPHS, ID
from kg.site import curie, esc, expand, how, page, rel, table

_MARKER = ".kg-docs"


class DocsError(KGError):
    """The site cannot be written: the output folder is not ours, or a source text changed."""


@dataclass
class Site:
    """What the pages are made from, read once from the build."""

    store: Any
    ontology: Graph
    labels: dict[str, str] = field(default_factory=dict)  # entity or term IRI -> English label
    types: dict[str, dict[str, str]] = field(default_factory=dict)  # entity -> class -> how
    documents: dict[str, dict[str, str]] = field(default_factory=dict)  # doc id -> metadata
    pages: dict[str, str] = field(default_factory=dict)  # site path -> HTML

    def entity_path(self, iri: str) -> str | None:
        if iri in self.types:
            return f"entity/{iri[len(ID):].replace('/', '--')}.html"
        if iri.startswith(AGR) and (URIRef(iri), None, None) in self.ontology:
            return f"ontology.html#{iri[len(AGR):]}"
        return None

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or curie(iri)

    def link(self, here: str, iri: str, text: str | None = None) -> str:
        """A link to the page of ``iri`` from page ``here``, or its name when it has none."""
        target = self.entity_path(iri)
        text = esc(text if text is not None else self.label(iri))
        return f'<a href="{rel(here, target)}">{text}</a>' if target else text

    def term(self, here: str, value: str) -> str:
        """A value as kg.lookup prints it ('Label (curie)', a CURIE or a literal), as HTML:
        linked when it names something with a page."""
        if _is_text(value):
            return esc(value)
        if value.endswith(")") and " (" in value:
            label, _, inner = value.rpartition(" (")
            return self.link(here, expand(inner[:-1]), label)
        return self.link(here, expand(value))


_KNOWN = {"id", "agr", "eli", "frapo", "lkif", "org", "schema", "vivo", "prov", "oa", "rdf",
          "rdfs", "owl", "skos", "dcterms", "wd", "xsd"}


def _select(store, text: str) -> list[dict[str, Any]]:
    from kg.store import prologue

    result = store.query(prologue() + text)
    names = [v.value for v in result.variables]
    return [{n: row[n] for n in names} for row in result]


def load(build_dir: Path) -> Site:
    """Read labels, types, documents and the ontology from a build."""
    import pyoxigraph

    from kg.store import open_store

    store = open_store(build_dir)
    data = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES,
                      from_graph=pyoxigraph.NamedNode(GRAPHS["ontology"]))
    ontology = Graph().parse(data=data.decode("utf-8"), format="nt")
    site = Site(store, ontology)
    for row in _select(store, """SELECT ?s ?label WHERE { GRAPH ?g { ?s rdfs:label ?label }
            FILTER(LANG(?label) = "en" || LANG(?label) = "") } ORDER BY ?s ?label"""):
        site.labels.setdefault(row["s"].value, row["label"].value)
    for row in _select(store, f"""SELECT ?s ?t ?g WHERE {{ GRAPH ?g {{ ?s a ?t }}
            VALUES ?g {{ <{GRAPHS["asserted"]}> <{GRAPHS["inferred"]}> }}
            FILTER(STRSTARTS(STR(?s), "{ID}") && !STRSTARTS(STR(?s), "{ID}evidence/")) }}"""):
        kind = "inferred" if row["g"].value == GRAPHS["inferred"] else "stated"
        classes = site.types.setdefault(row["s"].value, {})
        if classes.get(row["t"].value) != "stated":
            classes[row["t"].value] = kind
    site.types = {k: dict(sorted(v.items())) for k, v in sorted(site.types.items())
                  if not k.startswith(f"{ID}document/")}
    for row in _select(store, f"""SELECT ?doc ?id ?title ?sha ?publisher ?issued ?url WHERE {{
            GRAPH <{GRAPHS["evidence"]}> {{ ?doc a agr:SourceDocument ; dcterms:identifier ?id ;
              dcterms:title ?title ; agr:sha256 ?sha .
              OPTIONAL {{ ?doc dcterms:publisher ?publisher }}
              OPTIONAL {{ ?doc dcterms:issued ?issued }} OPTIONAL {{ ?doc dcterms:source ?url }}
            }} }} ORDER BY ?id"""):
        site.documents[row["id"].value] = {k: v.value for k, v in row.items() if v is not None}
    return site


# ---------------------------------------------------------------- entity pages


def _group_evidence(rows: list[dict]) -> list[tuple[tuple, list[dict]]]:
    groups: dict[tuple, list[dict]] = {}
    for e in rows:
        if e["quote"]:
            groups.setdefault((e["document"], e["start"], e["end"], e["quote"]), []).append(e)
    return sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2]))


def entity_page(site: Site, iri: str, texts: dict[str, str]) -> str:
    """The page of one entity."""
    from kg.site import sentence

    here = site.entity_path(iri)
    c = card(site.store, iri)
    name = site.label(iri)
    body = [f"<h1>{esc(name)}</h1>", f'<p class="iri">{esc(iri)}</p>']
    chips = []
    order = sorted(site.types[iri].items(),
                   key=lambda t: (t[1] != "stated", not t[0].startswith(AGR), t[0]))
    for cls, kind in order:
        target = f"class/{cls[len(AGR):]}.html" if cls.startswith(AGR) else None
        text = esc(site.label(cls)) if cls.startswith(AGR) else f"<code>{esc(curie(cls))}</code>"
        inner = f'<a href="{rel(here, target)}">{text}</a>' if target else text
        chips.append(f'<li class="chip{" inferred" if kind == "inferred" else ""}">{inner} '
                     f"{how(kind)}</li>")
    body.append(f'<ul class="chips" aria-label="Types">{"".join(chips)}</ul>')
    if c is None:
        return page(here, name, "\n".join(body))
    if any(cls == AGR + "Agreement" for cls in site.types[iri]):
        body += _signatures(site, here, iri)
        picture = dia.gather(site.store, iri)
        svg = dia.svg(picture, lambda target: _href(site, here, target), "diagram")
        body += ["<h2>Diagram</h2>", f'<figure class="figure">{svg}</figure>',
                 '<p class="legend">Solid arrows are stated in a source; dashed arrows are '
                 "inferred by the reasoner. Select a box to open its page.</p>"]
    body.append("<h2>Names</h2>")
    names = sorted(c.labels, key=lambda t: (t[1] != "en", t[1], t[0]))
    body.append(table(["Name", "Language"], [
        [f'<span lang="{esc(lang)}">{esc(text)}</span>' if lang else esc(text), esc(lang or "—")]
        for text, lang in names]))
    own = [r for r in c.outgoing if r[0].startswith("agr:")]
    aligned = [r for r in c.outgoing if not r[0].startswith("agr:")]
    body.append("<h2>Relations</h2>")
    body.append(_relations(site, here, own) if own else "<p>None.</p>")
    if aligned:
        body.append(f"<details><summary>{len(aligned)} more inferred through the alignments to "
                    "other vocabularies</summary>" + _relations(site, here, aligned) + "</details>")
    body.append("<h2>Referenced by</h2>")
    if c.incoming:
        body.append(table(["Subject", "Relation", "How"], [
            [site.term(here, s), _predicate(site, here, p), how(h)] for s, p, h in c.incoming]))
    else:
        body.append("<p>Nothing refers to it.</p>")
    body.append("<h2>Evidence</h2>")
    groups = _group_evidence(c.evidence)
    items = []
    for (doc, start, end, _quote), facts in groups:
        before, quote, after = sentence(texts[doc], start, end)
        supports = "; ".join(f"{_predicate(site, here, f['predicate'])} "
                             f"{site.term(here, f['object'])}" for f in facts)
        kinds = sorted({f["kind"] for f in facts})
        note = "".join(f'<p class="meta">Resolved: {esc(f["note"])}</p>' for f in facts
                       if f["note"] and f["kind"] == "ResolvedFromContext")
        items.append(
            f'<li><blockquote cite="{rel(here, f"document/{doc}.html")}">'
            f"<p>{esc(before)}<mark>{esc(quote)}</mark>{esc(after)}</p></blockquote>"
            f'<p class="meta">Supports: {supports}</p>'
            f'<p class="meta">{" ".join(how(_KINDS.get(k, k)) for k in kinds)} '
            f'<a href="{rel(here, f"document/{doc}.html#span-{start}-{end}")}">'
            f"{esc(site.documents[doc]['title'])}</a>, characters {start}–{end}</p>{note}</li>")
    body.append(f'<ul class="evidence">{"".join(items)}</ul>' if items else
                "<p>No quoted evidence.</p>")
    curated = [e for e in c.evidence if e["kind"] == "Curated"]
    if curated:
        body.append("<h2>Curated facts</h2>")
        body.append('<p class="meta">Not stated in a source; the note says where each comes '
                    "from.</p>")
        body.append(table(["Fact", "Note"], [
            [f"{_predicate(site, here, e['predicate'])} {site.term(here, e['object'])}",
             esc(e["note"] or "")] for e in curated]))
    return page(here, name, "\n".join(body))


_SIGNATURES = """
SELECT ?sig ?signer ?party ?post ?date ?place WHERE {
  ?sig agr:signatureOf <%s> .
  OPTIONAL { ?sig agr:signer ?signer } OPTIONAL { ?sig agr:onBehalfOf ?party }
  OPTIONAL { ?sig agr:inCapacityOf ?post } OPTIONAL { ?sig agr:onDate ?date }
  OPTIONAL { ?sig agr:signedAt ?place }
} ORDER BY ?date ?sig"""


def _signatures(site: Site, here: str, iri: str) -> list[str]:
    """Who signed the agreement, for whom, in which office, when and where."""
    from kg.store import prologue, run_local

    rows = list(run_local(prologue() + _SIGNATURES % iri, Path("."), store=site.store))
    if not rows:
        return []
    return ["<h2>Signatures</h2>", table(
        ["Signed by", "On behalf of", "Office", "Date", "Place"],
        [[_cell(site, here, r["signer"]), _cell(site, here, r["party"]),
          _cell(site, here, r["post"]), _cell(site, here, r["date"]),
          _cell(site, here, r["place"])] for r in rows])]


def _href(site: Site, here: str, iri: str) -> str | None:
    target = site.entity_path(iri)
    return rel(here, target) if target else None


def _predicate(site: Site, here: str, short: str) -> str:
    iri = expand(short)
    if iri.startswith(AGR):
        return site.link(here, iri)
    if iri == str(RDF.type):
        return "type"
    return f"<code>{esc(curie(iri))}</code>"


def _relations(site: Site, here: str, rows: list[tuple[str, str, str]]) -> str:
    return table(["Relation", "Value", "How"],
                 [[_predicate(site, here, p), site.term(here, v), how(h)] for p, v, h in rows])


def _is_text(value: str) -> bool:
    """True for a literal as kg.lookup prints it: not a CURIE or 'Label (curie)'."""
    if value.endswith(")") and " (" in value:
        inner = value.rsplit(" (", 1)[1][:-1]
        return not (":" in inner and inner.split(":", 1)[0] in _KNOWN)
    return not (value.startswith("<") or (":" in value and value.split(":", 1)[0] in _KNOWN
                                         and " " not in value))


# ---------------------------------------------------------------- class, document, query pages


def _classes(site: Site) -> list[str]:
    return sorted(str(c) for c in site.ontology.subjects(RDF.type, OWL.Class)
                  if str(c).startswith(AGR))


def _members(site: Site, cls: str) -> list[tuple[str, str]]:
    return sorted(((e, t[cls]) for e, t in site.types.items() if cls in t),
                  key=lambda m: (site.label(m[0]).casefold(), m[0]))


def class_page(site: Site, cls: str) -> str:
    """The index of one class: its definition and every entity typed with it."""
    local = cls[len(AGR):]
    here = f"class/{local}.html"
    name = site.label(cls)
    body = [f"<h1>{esc(name[:1].upper() + name[1:])}</h1>", f'<p class="iri">{esc(cls)}</p>']
    definition = _text(site.ontology, URIRef(cls), SKOS.definition)
    if definition:
        body.append(f"<p>{esc(definition)}</p>")
    body.append(f'<p><a href="{rel(here, f"ontology.html#{local}")}">This class in the '
                "ontology documentation</a></p>")
    subs = sorted(str(s) for s in site.ontology.subjects(RDFS.subClassOf, URIRef(cls))
                  if str(s).startswith(AGR))
    if subs:
        body.append("<h2>Subclasses</h2><ul>" + "".join(
            f'<li><a href="{rel(here, f"class/{s[len(AGR):]}.html")}">{esc(site.label(s))}</a> '
            f"({len(_members(site, s))})</li>" for s in subs) + "</ul>")
    members = _members(site, cls)
    body.append(f"<h2>Members ({len(members)})</h2>")
    if members:
        body.append('<ul class="columns">' + "".join(
            f"<li>{site.link(here, e)}{' ' + how('inferred') if k == 'inferred' else ''}</li>"
            for e, k in members) + "</ul>")
    else:
        body.append("<p>No entity in the graph has this class yet.</p>")
    return page(here, name, "\n".join(body))


_SPANS = f"""
SELECT ?doc ?s ?p ?o ?start ?end ?kind WHERE {{ GRAPH <{GRAPHS["evidence"]}> {{
  ?r oa:hasBody ?st ; prov:wasDerivedFrom ?d ; agr:evidenceKind ?kind ; oa:hasTarget ?t .
  ?d dcterms:identifier ?doc .
  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  ?t oa:hasSelector ?pos . ?pos oa:start ?start ; oa:end ?end }} }}
ORDER BY ?doc ?start ?end ?s ?p ?o"""


def document_page(site: Site, doc: str, text: str, rows: list[dict]) -> str:
    """A source document: its text with every annotated span highlighted and linked."""
    from kg.site import highlight

    here = f"document/{doc}.html"
    meta = site.documents[doc]
    spans: dict[tuple[int, int], list[dict]] = {}
    for row in rows:
        spans.setdefault((int(row["start"].value), int(row["end"].value)), []).append(row)
    marks = []
    for (start, end), facts in sorted(spans.items()):
        subjects = sorted({f["s"].value for f in facts})
        target = site.entity_path(subjects[0])
        title = "supports: " + ", ".join(site.label(s) for s in subjects)
        marks.append((start, end, rel(here, target) if target else None, title))
    body = [f"<h1>{esc(meta['title'])}</h1>",
            '<dl class="term">' + "".join(
                f"<dt>{k}</dt><dd>{v}</dd>" for k, v in (
                    ("Identifier", f"<code>{esc(doc)}</code>"),
                    ("Publisher", esc(meta.get("publisher", "—"))),
                    ("Issued", esc(meta.get("issued", "—"))),
                    ("SHA-256", f"<code>{esc(meta['sha'])}</code>"),
                    ("Annotated spans", str(len(spans))))) + "</dl>",
            "<h2>Text</h2>",
            '<p class="meta">Highlighted words support facts in the graph; select one to open '
            "the entity it is about. Darker highlights are covered by more than one quote.</p>",
            f'<div class="source-text" lang="en">{highlight(text, marks)}</div>',
            "<h2>Annotated spans</h2>"]
    table_rows = []
    for (start, end), facts in sorted(spans.items()):
        supports = "<br>".join(
            f"{site.link(here, f['s'].value)} {_predicate(site, here, curie(f['p'].value))} "
            f"{_object(site, here, f['o'])} {how(_kind(f['kind']))}" for f in facts)
        table_rows.append([f'<a href="#span-{start}-{end}">{start}–{end}</a>',
                           f"<q>{esc(text[start:end])}</q>", supports])
    body.append(table(["Characters", "Quote", "Supports"], table_rows))
    return page(here, meta["title"], "\n".join(body))


_KINDS = {"Stated": "stated", "ResolvedFromContext": "resolved", "Curated": "curated"}


def _kind(term) -> str:
    return _KINDS.get(term.value[len(AGR):], term.value[len(AGR):])


def _object(site: Site, here: str, term) -> str:
    if type(term).__name__ == "NamedNode":
        return site.link(here, term.value)
    return f"<q>{esc(term.value)}</q>"


def query_page(site: Site, saved, build_dir: Path) -> str:
    """A saved query: summary, parameters, SPARQL text and its results with the defaults."""
    from kg.queries import bind
    from kg.store import run_local

    here = f"query/{saved.name}.html"
    body = [f"<h1>{esc(saved.summary)}</h1>",
            f'<p class="iri">queries/{esc(saved.path.name)} · {esc(saved.form)}</p>']
    if saved.description:
        body.append(f"<p>{esc(saved.description)}</p>")
    if saved.tags:
        body.append('<ul class="chips" aria-label="Tags">' + "".join(
            f'<li class="chip">{esc(t)}</li>' for t in saved.tags) + "</ul>")
    if saved.parameters:
        body.append("<h2>Parameters</h2>")
        body.append(table(["Name", "Type", "Required", "Default"], [
            [f"<code>{esc(p.name)}</code>", esc(p.type), "yes" if p.required else "no",
             f"<code>{esc(saved.defaults[p.name])}</code>" if p.name in saved.defaults else "—"]
            for p in saved.parameters]))
    body.append("<h2>SPARQL</h2>")
    body.append(f'<pre><code class="language-sparql">{esc(saved.text.rstrip())}</code></pre>')
    body.append("<h2>Results</h2>")
    body.append(f'<p class="meta">Run with <code>kg query {esc(saved.name)}</code>.</p>')
    try:
        result = run_local(saved.text, build_dir, bind(saved, {}), str(saved.path),
                           store=site.store)
        body.append(_results(site, here, result))
    except KGError as exc:
        body.append(f"<p>Not run: {esc(exc)}</p>")
    return page(here, saved.summary, "\n".join(body))


def _cell(site: Site, here: str, term) -> str:
    if term is None:
        return ""
    if type(term).__name__ == "NamedNode":
        return site.link(here, term.value) if site.entity_path(term.value) else \
            f"<code>{esc(curie(term.value))}</code>"
    return esc(term.value)


def _results(site: Site, here: str, result) -> str:
    from pyoxigraph import QueryBoolean, QuerySolutions

    if isinstance(result, QueryBoolean):
        return f"<p>{'Yes' if bool(result) else 'No'}.</p>"
    if isinstance(result, QuerySolutions):
        names = [v.value for v in result.variables]
        rows = [[_cell(site, here, row[n]) for n in names] for row in result]
        return table([esc(n) for n in names], rows, f"{len(rows)} row(s)")
    triples = sorted(result, key=str)
    return table(["Subject", "Predicate", "Object"], [
        [_cell(site, here, t.subject), _cell(site, here, t.predicate), _cell(site, here, t.object)]
        for t in triples], f"{len(triples)} triple(s)")


# ---------------------------------------------------------------- the ontology


def _text(g: Graph, node, predicate) -> str:
    values = sorted(str(v) for v in g.objects(node, predicate)
                    if isinstance(v, Literal) and v.language in ("en", None))
    return values[0] if values else ""


def _expr(site: Site, here: str, g: Graph, node) -> str:
    """An OWL class expression in words, with links to the terms it names."""
    if isinstance(node, URIRef):
        if str(node).startswith(AGR):
            return f'<a href="#{esc(str(node)[len(AGR):])}">{esc(site.label(str(node)))}</a>'
        return f"<code>{esc(curie(str(node)))}</code>"
    prop = g.value(node, OWL.onProperty)
    some = g.value(node, OWL.someValuesFrom)
    if prop is not None and some is not None:
        return f"{_expr(site, here, g, prop)} some {_expr(site, here, g, some)}"
    value = g.value(node, OWL.hasValue)
    if prop is not None and value is not None:
        return f"{_expr(site, here, g, prop)} value {_expr(site, here, g, value)}"
    for key, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and ")):
        members = g.value(node, key)
        if members is not None:
            return "(" + word.join(_expr(site, here, g, m) for m in Collection(g, members)) + ")"
    return "an OWL class expression"


def _term_section(site: Site, here: str, term: URIRef, kind: str) -> str:
    g, local = site.ontology, str(term)[len(AGR):]
    rows: list[tuple[str, str]] = [("IRI", f"<code>{esc(str(term))}</code>")]
    definition = _text(g, term, SKOS.definition)
    if definition:
        rows.append(("Definition", esc(definition)))
    comment = _text(g, term, RDFS.comment)
    if comment:
        rows.append(("Note", esc(comment)))

    def terms(values) -> str:
        return ", ".join(sorted(_expr(site, here, g, v) for v in values))

    if kind == "class":
        ours = [s for s in g.objects(term, RDFS.subClassOf) if str(s).startswith(AGR)]
        theirs = [s for s in g.objects(term, RDFS.subClassOf)
                  if isinstance(s, URIRef) and not str(s).startswith(AGR)]
        subs = [s for s in g.subjects(RDFS.subClassOf, term) if isinstance(s, URIRef)]
        sufficient = [s for s in g.subjects(RDFS.subClassOf, term) if isinstance(s, BNode)]
        for name, values in (("Subclass of", ours), ("Subclasses", subs),
                             ("Disjoint with", list(g.objects(term, OWL.disjointWith))),
                             ("Aligned to (subclass of)", theirs)):
            if values:
                rows.append((name, terms(values)))
        for s in sufficient:
            rows.append(("Inferred for", f"anything that is {_expr(site, here, g, s)}"))
        rows.append(("Members", f'<a href="{rel(here, f"class/{local}.html")}">'
                                f"{len(_members(site, str(term)))} in the graph</a>"))
    elif kind == "property":
        characteristics = [str(t)[len(str(OWL)):].removesuffix("Property") for t in
                           g.objects(term, RDF.type) if t not in (OWL.ObjectProperty,
                                                                   OWL.DatatypeProperty)]
        for name, values in (("Domain", list(g.objects(term, RDFS.domain))),
                             ("Range", list(g.objects(term, RDFS.range))),
                             ("Inverse of", list(g.objects(term, OWL.inverseOf))),
                             ("Subproperty of", [p for p in g.objects(term, RDFS.subPropertyOf)
                                                 if str(p).startswith(AGR)]),
                             ("Aligned to (subproperty of)",
                              [p for p in g.objects(term, RDFS.subPropertyOf)
                               if not str(p).startswith(AGR)])):
            if values:
                rows.append((name, terms(values)))
        if characteristics:
            rows.append(("Characteristics", esc(", ".join(sorted(characteristics)).lower())))
        for chain in g.objects(term, OWL.propertyChainAxiom):
            rows.append(("Inferred from the chain", " then ".join(
                _expr(site, here, g, p) for p in Collection(g, chain))))
    else:
        types = [t for t in g.objects(term, RDF.type) if t != OWL.NamedIndividual]
        if types:
            rows.append(("Type", terms(types)))
    matches = list(g.objects(term, SKOS.closeMatch))
    if matches:
        rows.append(("Close match", ", ".join(f"<code>{esc(curie(str(m)))}</code>"
                                             for m in sorted(matches))))
    label = esc(site.label(str(term)))
    return (f'<section id="{esc(local)}" aria-labelledby="h-{esc(local)}">'
            f'<h3 id="h-{esc(local)}">{label} <code>agr:{esc(local)}</code></h3>'
            '<dl class="term">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
            + "</dl></section>")


def _tree(site: Site, here: str, classes: list[str]) -> str:
    g = site.ontology

    def children(cls: str) -> list[str]:
        return sorted((str(s) for s in g.subjects(RDFS.subClassOf, URIRef(cls))
                       if str(s) in classes), key=lambda c: site.label(c))

    def branch(cls: str) -> str:
        kids = children(cls)
        inner = f"<ul>{''.join(branch(k) for k in kids)}</ul>" if kids else ""
        return (f'<li><a href="#{esc(cls[len(AGR):])}">{esc(site.label(cls))}</a> '
                f"({len(_members(site, cls))}){inner}</li>")

    roots = [c for c in classes if not any(str(p) in classes for p in
                                           g.objects(URIRef(c), RDFS.subClassOf))]
    return f'<ul class="tree">{"".join(branch(r) for r in sorted(roots, key=site.label))}</ul>'


def ontology_page(site: Site) -> str:
    """The ontology's documentation: overview, class hierarchy, classes, properties."""
    from kg.namespace import ONTOLOGY_IRI

    g, here = site.ontology, "ontology.html"
    root = URIRef(ONTOLOGY_IRI)
    title = _text(g, root, URIRef("http://purl.org/dc/terms/title")) or "Ontology"
    body = [f"<h1>{esc(title)}</h1>", f'<p class="iri">{esc(ONTOLOGY_IRI)} · version '
            f"{esc(g.value(root, OWL.versionInfo) or '—')}</p>",
            f"<p>{esc(_text(g, root, URIRef('http://purl.org/dc/terms/description')))}</p>"]
    modules = sorted(str(m) for m in g.subjects(RDF.type, OWL.Ontology) if m != root)
    body.append("<h2>Modules</h2><ul>" + "".join(
        f"<li><strong>{esc(_text(g, URIRef(m), URIRef('http://purl.org/dc/terms/title')))}"
        f"</strong>: {esc(_text(g, URIRef(m), URIRef('http://purl.org/dc/terms/description')))}"
        f" <code>{esc(m)}</code></li>" for m in modules) + "</ul>")
    classes = _classes(site)
    kinds = (("Object properties", OWL.ObjectProperty, "property"),
             ("Datatype properties", OWL.DatatypeProperty, "property"),
             ("Individuals", OWL.NamedIndividual, "individual"))
    body.append('<nav aria-label="On this page"><ul>' + "".join(
        f'<li><a href="#{a}">{t}</a></li>' for a, t in (
            ("hierarchy", "Class hierarchy"), ("classes", "Classes"),
            ("object-properties", "Object properties"),
            ("datatype-properties", "Datatype properties"), ("individuals", "Individuals")))
        + "</ul></nav>")
    body.append('<h2 id="hierarchy">Class hierarchy</h2>')
    body.append('<p class="meta">The number after each class counts its members in the graph, '
                "stated or inferred.</p>")
    body.append(_tree(site, here, classes))
    body.append('<h2 id="classes">Classes</h2>')
    body += [_term_section(site, here, URIRef(c), "class")
             for c in sorted(classes, key=lambda c: c.casefold())]
    for heading, rdf_type, kind in kinds:
        anchor = heading.lower().replace(" ", "-")
        terms = sorted((str(t) for t in g.subjects(RDF.type, rdf_type) if str(t).startswith(AGR)),
                       key=str.casefold)
        body.append(f'<h2 id="{anchor}">{heading}</h2>')
        body += [_term_section(site, here, URIRef(t), kind) for t in terms]
    return page(here, "Ontology", "\n".join(body))


def index_page(site: Site, queries: dict) -> str:
    """The home page: agreements first, then classes, documents and saved queries."""
    here = "index.html"
    agreements = _members(site, AGR + "Agreement")
    body = ["<h1>Agreements knowledge graph</h1>",
            '<p class="lede">International science and technology agreements: who signed them, '
            "for whom, where and when, what they bring in, and the source words behind every "
            f"fact. {len(site.types)} entities from {len(site.documents)} source "
            f"document(s).</p>",
            "<h2>Agreements</h2><ul>" + "".join(
                f"<li>{site.link(here, e)}</li>" for e, _ in agreements) + "</ul>",
            '<h2 id="classes">Browse by class</h2>',
            '<ul class="columns">' + "".join(
                f'<li><a href="class/{c[len(AGR):]}.html">{esc(site.label(c))}</a> '
                f"({len(_members(site, c))})</li>"
                for c in sorted(_classes(site), key=lambda c: site.label(c).casefold())
                if _members(site, c)) + "</ul>",
            '<p><a href="ontology.html">The ontology</a>: every class and property with its '
            "definition, hierarchy, domain, range and alignments.</p>",
            '<h2 id="documents">Source documents</h2><ul>' + "".join(
                f'<li><a href="document/{d}.html">{esc(m["title"])}</a> '
                f'<span class="meta">({esc(m.get("issued", "undated"))})</span></li>'
                for d, m in site.documents.items()) + "</ul>",
            '<h2 id="queries">Saved queries</h2><ul>' + "".join(
                f'<li><a href="query/{q.name}.html">{esc(q.summary)}</a> '
                f"<code>{esc(q.name)}</code></li>" for q in queries.values()) + "</ul>",
            '<h2 id="entities">All entities</h2><ul class="columns">' + "".join(
                f"<li>{site.link(here, e)}</li>" for e in sorted(
                    site.types, key=lambda e: (site.label(e).casefold(), e))) + "</ul>"]
    return page(here, "Home", "\n".join(body))


# ---------------------------------------------------------------- the whole site


def source_texts(site: Site, sources_dir: Path) -> dict[str, str]:
    """The text of each document of the build, checked against the hash the build recorded."""
    texts = {}
    for doc, meta in site.documents.items():
        path = sources_dir / f"{doc}.txt"
        try:
            data = path.read_bytes()
        except OSError:
            raise DocsError(f"{path}: the source text of {doc} is missing; kg docs needs the "
                            "sources the graph was built from (--sources)") from None
        if hashlib.sha256(data).hexdigest() != meta["sha"]:
            raise DocsError(f"{path} changed since the graph was built; run 'kg build' again")
        texts[doc] = data.decode("utf-8")
    return texts


def generate(build_dir: Path, sources_dir: Path, queries_dir: Path) -> dict[str, str]:
    """Every page of the site as {site path: content}; deterministic for the same build."""
    from kg.queries import load_all
    from kg.site import STYLE

    site = load(build_dir)
    texts = source_texts(site, sources_dir)
    queries = load_all(queries_dir)
    pages = {"style.css": STYLE, "index.html": index_page(site, queries),
             "ontology.html": ontology_page(site)}
    for iri in site.types:
        pages[site.entity_path(iri)] = entity_page(site, iri, texts)
    for cls in _classes(site):
        pages[f"class/{cls[len(AGR):]}.html"] = class_page(site, cls)
    spans: dict[str, list[dict]] = {doc: [] for doc in site.documents}
    for row in _select(site.store, _SPANS):
        spans[row["doc"].value].append(row)
    for doc in site.documents:
        pages[f"document/{doc}.html"] = document_page(site, doc, texts[doc], spans[doc])
    for saved in queries.values():
        pages[f"query/{saved.name}.html"] = query_page(site, saved, build_dir)
    return dict(sorted(pages.items()))


def counts(pages: dict[str, str]) -> dict[str, int]:
    """Pages by kind: entity, class, document, query, and the top-level pages."""
    out: dict[str, int] = {}
    for path in pages:
        if path.endswith(".html"):
            kind = path.split("/")[0] if "/" in path else "top-level"
            out[kind] = out.get(kind, 0) + 1
    return dict(sorted(out.items()))


def write_site(build_dir: Path, out: Path, sources_dir: Path | None = None,
               queries_dir: Path | None = None) -> dict[str, int]:
    """Generate the site into ``out`` and return the page counts by kind.

    ``out`` must be empty, missing, or a site an earlier `kg docs` wrote (it is replaced);
    anything else raises :class:`DocsError` rather than deleting someone's files.
    """
    from kg.ontology import DATA_DIR, QUERIES_DIR

    pages = generate(build_dir, sources_dir or DATA_DIR / "sources", queries_dir or QUERIES_DIR)
    if out.exists():
        if not out.is_dir() or (any(out.iterdir()) and not (out / _MARKER).exists()):
            raise DocsError(f"{out} exists and was not written by kg docs; give an empty or "
                            "new folder with --out")
        shutil.rmtree(out)
    for path, content in pages.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    (out / _MARKER).write_text("written by kg docs; the folder is replaced on the next run\n")
    return counts(pages)
