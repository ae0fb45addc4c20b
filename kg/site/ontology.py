"""The ontology's documentation page: overview, modules, class hierarchy, every class,
property and individual with its definition, domain, range, chains and alignments."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.namespace import AGR, ONTOLOGY_IRI, curie
from kg.site.data import Site
from kg.site.html import esc, page, rel


def text_of(g: Graph, node, predicate) -> str:
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
    definition = text_of(g, term, SKOS.definition)
    if definition:
        rows.append(("Definition", esc(definition)))
    comment = text_of(g, term, RDFS.comment)
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
                                f"{len(site.members(str(term)))} in the graph</a>"))
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
                f"({len(site.members(cls))}){inner}</li>")

    roots = [c for c in classes if not any(str(p) in classes for p in
                                           g.objects(URIRef(c), RDFS.subClassOf))]
    return f'<ul class="tree">{"".join(branch(r) for r in sorted(roots, key=site.label))}</ul>'


def ontology_page(site: Site) -> str:
    """The ontology's documentation: overview, class hierarchy, classes, properties."""
    g, here = site.ontology, "ontology.html"
    root = URIRef(ONTOLOGY_IRI)
    title = text_of(g, root, URIRef("http://purl.org/dc/terms/title")) or "Ontology"
    body = [f"<h1>{esc(title)}</h1>", f'<p class="iri">{esc(ONTOLOGY_IRI)} · version '
            f"{esc(g.value(root, OWL.versionInfo) or '—')}</p>",
            f"<p>{esc(text_of(g, root, URIRef('http://purl.org/dc/terms/description')))}</p>"]
    modules = sorted(str(m) for m in g.subjects(RDF.type, OWL.Ontology) if m != root)
    body.append("<h2>Modules</h2><ul>" + "".join(
        f"<li><strong>{esc(text_of(g, URIRef(m), URIRef('http://purl.org/dc/terms/title')))}"
        f"</strong>: {esc(text_of(g, URIRef(m), URIRef('http://purl.org/dc/terms/description')))}"
        f" <code>{esc(m)}</code></li>" for m in modules) + "</ul>")
    classes = site.classes()
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
