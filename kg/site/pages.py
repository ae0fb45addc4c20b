"""`kg docs`: a static HTML site generated from the built graph.

Pages: the ontology's documentation, one page per entity (types stated and inferred, labels in
every language, relations both ways, evidence quotes highlighted in their sentence, and a diagram
for agreements), an index per class, a page per source document with its annotated spans, and a
page per saved query with its SPARQL and its results on the graph. Everything is read from the
build (the pyoxigraph store) and the source texts the build checked; output is deterministic.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.errors import KGError
from kg.namespace import AGR, curie, expand
from kg.query.evidence import tags_of
from kg.query.lookup import Link, card, quote_groups
from kg.site import diagram as dia
from kg.site.data import Site, load
from kg.site.html import esc, how, page, rel, table
from kg.site.ontology import text_of


def entity_page(site: Site, iri: str) -> str:
    """The page of one entity."""
    from kg.site.html import sentence

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
        body += _timeline(site, here, c)
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
    own = [r for r in c.outgoing if r.predicate.startswith(AGR)]
    aligned = [r for r in c.outgoing if not r.predicate.startswith(AGR)]
    body.append("<h2>Relations</h2>")
    body.append(_relations(site, here, own) if own else "<p>None.</p>")
    if aligned:
        body.append(f"<details><summary>{len(aligned)} more inferred through the alignments to "
                    "other vocabularies</summary>" + _relations(site, here, aligned) + "</details>")
    body.append("<h2>Referenced by</h2>")
    if c.incoming:
        body.append(table(["Subject", "Relation", "How"], [
            [site.term(here, x.term), _predicate(site, here, x.predicate), how(x.how)]
            for x in c.incoming]))
    else:
        body.append("<p>Nothing refers to it.</p>")
    body.append("<h2>Evidence</h2>")
    items = []
    for (doc, start, end, quote), facts in quote_groups(c.evidence):
        before, _, after = sentence(site.texts[doc], start, end)
        supports = "; ".join(f"{_predicate(site, here, f.predicate)} {site.term(here, f.object)}"
                             for f in facts)
        kinds = tags_of(facts)
        draft = ' class="draft"' if any(f.draft for f in facts) else ""
        note = "".join(f'<p class="meta">Resolved: {esc(f.note)}</p>' for f in facts
                       if f.note and f.kind == "ResolvedFromContext")
        items.append(
            f'<li{draft}><blockquote cite="{rel(here, f"document/{doc}.html")}">'
            f'<p>{esc(before)}<mark data-document="{esc(doc)}" data-start="{start}" '
            f'data-end="{end}">{esc(quote)}</mark>{esc(after)}</p></blockquote>'
            f'<p class="meta">Supports: {supports}</p>'
            f'<p class="meta">{" ".join(how(_KINDS.get(k, k)) for k in kinds)} '
            f'<a href="{rel(here, f"document/{doc}.html#span-{start}-{end}")}">'
            f"{esc(site.documents[doc]['title'])}</a>, characters {start}–{end}</p>{note}</li>")
    body.append(f'<ul class="evidence">{"".join(items)}</ul>' if items else
                "<p>No quoted evidence.</p>")
    curated = [e for e in c.evidence if e.quote is None]
    if curated:
        body.append("<h2>Curated facts</h2>")
        body.append('<p class="meta">Not stated in a source; the note says where each comes '
                    "from.</p>")
        body.append(table(["Fact", "Note", "How"], [
            [f"{_predicate(site, here, e.predicate)} {site.term(here, e.object)}",
             esc(e.note or ""), " ".join(how(_KINDS.get(k, k)) for k in e.tags())]
            for e in curated]))
    return page(here, name, "\n".join(body))


def _timeline(site: Site, here: str, c) -> list[str]:
    """The agreement's lifecycle events in date order."""
    if not c.timeline:
        return []
    rows = [[esc(step.date or "undated"), site.link(here, step.event, step.label or None),
             esc(", ".join(site.label(expand(k)) for k in step.kind.split(", "))),
             esc(", ".join(step.actors)), esc(step.signer or "")] for step in c.timeline]
    return ["<h2>Timeline</h2>", table(["Date", "Event", "What", "Acting", "Signed by"], rows)]


_SIGNATURES = """
SELECT ?sig ?signer ?party ?post ?date ?place WHERE {
  ?sig agr:signatureOf <%s> .
  OPTIONAL { ?sig agr:signer ?signer } OPTIONAL { ?sig agr:onBehalfOf ?party }
  OPTIONAL { ?sig agr:inCapacityOf ?post } OPTIONAL { ?sig agr:onDate ?date }
  OPTIONAL { ?sig agr:signedAt ?place }
} ORDER BY ?date ?sig"""


def _signatures(site: Site, here: str, iri: str) -> list[str]:
    """Who signed the agreement, for whom, in which office, when and where."""
    from kg.site.data import select

    rows = select(site.store, _SIGNATURES % iri)
    if not rows:
        return []
    return ["<h2>Signatures</h2>", table(
        ["Signer", "Signatory (on behalf of)", "Office", "Date", "Place"],
        [[site.term(here, r[k]) for k in ("signer", "party", "post", "date", "place")]
         for r in rows])]


def _href(site: Site, here: str, iri: str) -> str | None:
    target = site.entity_path(iri)
    return rel(here, target) if target else None


def _predicate(site: Site, here: str, iri: str) -> str:
    if iri.startswith(AGR):
        return site.link(here, iri)
    if iri == str(RDF.type):
        return "type"
    return f"<code>{esc(curie(iri))}</code>"


def _relations(site: Site, here: str, rows: list[Link]) -> str:
    return table(["Relation", "Value", "How"],
                 [[_predicate(site, here, x.predicate), site.term(here, x.term), how(x.how)]
                  for x in rows])


# ---------------------------------------------------------------- class, document, query pages


def class_page(site: Site, cls: str) -> str:
    """The index of one class: its definition and every entity typed with it."""
    local = cls[len(AGR):]
    here = f"class/{local}.html"
    name = site.label(cls)
    body = [f"<h1>{esc(name[:1].upper() + name[1:])}</h1>", f'<p class="iri">{esc(cls)}</p>']
    definition = text_of(site.ontology, URIRef(cls), SKOS.definition)
    if definition:
        body.append(f"<p>{esc(definition)}</p>")
    body.append(f'<p><a href="{rel(here, f"ontology.html#{local}")}">This class in the '
                "ontology documentation</a></p>")
    subs = sorted(str(s) for s in site.ontology.subjects(RDFS.subClassOf, URIRef(cls))
                  if str(s).startswith(AGR))
    if subs:
        body.append("<h2>Subclasses</h2><ul>" + "".join(
            f'<li><a href="{rel(here, f"class/{s[len(AGR):]}.html")}">{esc(site.label(s))}</a> '
            f"({len(site.members(s))})</li>" for s in subs) + "</ul>")
    members = site.members(cls)
    body.append(f"<h2>Members ({len(members)})</h2>")
    if members:
        body.append('<ul class="columns">' + "".join(
            f"<li>{site.link(here, e)}{' ' + how('inferred') if k == 'inferred' else ''}</li>"
            for e, k in members) + "</ul>")
    else:
        body.append("<p>No entity in the graph has this class yet.</p>")
    return page(here, name, "\n".join(body))


def document_page(site: Site, doc: str) -> str:
    """A source document: its text with every annotated span highlighted and linked."""
    from kg.query.evidence import Reader
    from kg.site.html import highlight

    here = f"document/{doc}.html"
    meta, text = site.documents[doc], site.texts[doc]
    records = Reader(site.store).in_document(meta["iri"])
    spans = quote_groups(records)
    drafts = {(start, end) for (_, start, end, _), facts in spans
              if any(f.draft for f in facts)}
    marks = []
    for (_, start, end, _), facts in spans:
        subjects = sorted({f.subject for f in facts})
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
                    ("Annotated spans", str(len(spans) - len(drafts))
                     + (f" reviewed, {len(drafts)} unreviewed drafts" if drafts else "")))
            ) + "</dl>",
            "<h2>Text</h2>",
            '<p class="meta">Highlighted words support facts in the graph; select one to open '
            "the entity it is about. Darker highlights are covered by more than one quote"
            + ("; hatched ones are unreviewed drafts" if drafts else "") + ".</p>",
            f'<div class="source-text" lang="en">{highlight(text, marks, drafts)}</div>']
    for title, chosen in (("Annotated spans", [s for s in spans if s[0][1:3] not in drafts]),
                          ("Unreviewed draft spans", [s for s in spans if s[0][1:3] in drafts])):
        if not chosen:
            continue
        body.append(f"<h2>{title}</h2>")
        if title.startswith("Unreviewed"):
            body.append('<p class="meta">Proposed by <code>kg extract</code> and built with '
                        "<code>--include-drafts</code>: no curator has checked them.</p>")
        body.append(table(["Characters", "Quote", "Supports"], [
            [f'<a href="#span-{start}-{end}">{start}–{end}</a>',
             f'<q data-start="{start}" data-end="{end}">{esc(quote)}</q>',
             "<br>".join(f"{site.link(here, f.subject)} {_predicate(site, here, f.predicate)} "
                         f"{_object(site, here, f.object)} "
                         + " ".join(how(_KINDS.get(k, k)) for k in f.tags()) for f in facts)]
            for (_, start, end, quote), facts in chosen]))
    return page(here, meta["title"], "\n".join(body))


_KINDS = {"Stated": "stated", "ResolvedFromContext": "resolved", "Curated": "curated",
          "Hedged": "hedged", "ReportedSpeech": "reported", "DRAFT": "draft"}


def _object(site: Site, here: str, term) -> str:
    if type(term).__name__ == "NamedNode":
        return site.link(here, term.value)
    return f"<q>{esc(term.value)}</q>"


def query_page(site: Site, saved) -> str:
    """A saved query: summary, parameters, SPARQL text and its results with the examples."""
    from kg.query.run import run_local
    from kg.query.saved import bind

    here = f"query/{saved.name}.html"
    body = [f"<h1>{esc(saved.summary)}</h1>",
            f'<p class="iri">queries/{esc(saved.name)}.rq · {esc(saved.form)}</p>']
    if saved.description:
        body.append(f"<p>{esc(saved.description)}</p>")
    if saved.tags:
        body.append('<ul class="chips" aria-label="Tags">' + "".join(
            f'<li class="chip">{esc(t)}</li>' for t in saved.tags) + "</ul>")
    if saved.parameters:
        body.append("<h2>Parameters</h2>")
        body.append(table(["Name", "Type", "Required", "Example"], [
            [f"<code>{esc(p.name)}</code>", esc(p.type), "yes" if p.required else "no",
             f"<code>{esc(saved.examples[p.name])}</code>" if p.name in saved.examples else "—"]
            for p in saved.parameters]))
    body.append("<h2>SPARQL</h2>")
    body.append(f'<pre><code class="language-sparql">{esc(saved.text.rstrip())}</code></pre>')
    body.append("<h2>Results</h2>")
    example = " ".join(f"--param {k}={v}" for k, v in saved.examples.items())
    body.append(f'<p class="meta">Run with <code>kg query {esc(saved.name)}'
                f'{" " + esc(example) if example else ""}</code>'
                f'{" (the example parameters)" if example else ""}.</p>')
    try:
        result = run_local(site.store, saved.text, bind(saved, saved.defaults), saved.name)
        body.append(_results(site, here, result))
    except KGError as exc:
        body.append(f"<p>Not run: {esc(exc)}</p>")
    return page(here, saved.summary, "\n".join(body))


def _results(site: Site, here: str, result) -> str:
    if result.form == "ASK":
        return f"<p>{'Yes' if bool(result) else 'No'}.</p>"
    if result.form == "SELECT":
        rows = [[site.term(here, t) for t in row] for row in result]
        return table([esc(n) for n in result.variables], rows, f"{len(rows)} row(s)")
    triples = sorted(result, key=str)
    return table(["Subject", "Predicate", "Object"], [
        [site.term(here, t.subject), site.term(here, t.predicate), site.term(here, t.object)]
        for t in triples], f"{len(triples)} triple(s)")


def index_page(site: Site, queries: dict) -> str:
    """The home page: agreements first, then classes, documents and saved queries."""
    here = "index.html"
    agreements = site.members(AGR + "Agreement")
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
                f"({len(site.members(c))})</li>"
                for c in sorted(site.classes(), key=lambda c: site.label(c).casefold())
                if site.members(c)) + "</ul>",
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


def generate(build_dir: Path) -> dict[str, str]:
    """Every page of the site as {site path: content}; deterministic for the same build."""
    from kg.site.html import STYLE
    from kg.site.ontology import ontology_page

    site = load(build_dir)
    pages = {"style.css": STYLE, "index.html": index_page(site, site.queries),
             "ontology.html": ontology_page(site)}
    for iri in site.types:
        pages[site.entity_path(iri)] = entity_page(site, iri)
    for cls in site.classes():
        pages[f"class/{cls[len(AGR):]}.html"] = class_page(site, cls)
    for doc in site.documents:
        pages[f"document/{doc}.html"] = document_page(site, doc)
    for saved in site.queries.values():
        pages[f"query/{saved.name}.html"] = query_page(site, saved)
    return dict(sorted(pages.items()))


def counts(pages: dict[str, str]) -> dict[str, int]:
    """Pages by kind: entity, class, document, query, and the top-level pages."""
    out: dict[str, int] = {}
    for path in pages:
        if path.endswith(".html"):
            kind = path.split("/")[0] if "/" in path else "top-level"
            out[kind] = out.get(kind, 0) + 1
    return dict(sorted(out.items()))


def write_site(build_dir: Path, out: Path) -> dict[str, int]:
    """Generate the site of the build in ``build_dir`` into ``out``; the page counts by kind.

    ``out`` must be new, empty, or a site an earlier ``kg docs`` wrote with nothing added since
    (it is then replaced atomically); anything else raises :class:`kg.errors.OutputError`
    rather than touch someone's files.
    """
    from kg import output

    output.check_target(out, "docs", [build_dir])
    pages = generate(build_dir)
    with output.staged(out, "docs", [build_dir]) as stage:
        for path, content in pages.items():
            target = stage / path
            target.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(target, content)
    return counts(pages)
