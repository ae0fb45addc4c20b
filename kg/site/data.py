"""What the site's pages are made from, read once from a build: labels, types, documents, the
ontology, the source texts and the saved queries. Nothing outside the build folder is read."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from kg.errors import NotBuilt
from kg.namespace import AGR, GRAPHS, ID, PREFIXES, curie
from kg.site.html import esc, rel


@dataclass
class Site:
    """The build as the pages see it."""

    store: Any
    ontology: Graph
    labels: dict[str, str] = field(default_factory=dict)  # entity or term IRI -> English label
    types: dict[str, dict[str, str]] = field(default_factory=dict)  # entity -> class -> how
    documents: dict[str, dict[str, str]] = field(default_factory=dict)  # doc id -> metadata
    texts: dict[str, str] = field(default_factory=dict)  # doc id -> source text
    queries: dict[str, Any] = field(default_factory=dict)  # name -> SavedQuery

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

    def term(self, here: str, term: Any) -> str:
        """A pyoxigraph term as HTML: an entity linked to its page, a literal as its text."""
        if term is None:
            return ""
        if type(term).__name__ == "NamedNode":
            if self.entity_path(term.value):
                return self.link(here, term.value)
            return f"<code>{esc(curie(term.value))}</code>"
        return esc(term.value)

    def classes(self) -> list[str]:
        return sorted(str(c) for c in self.ontology.subjects(RDF.type, OWL.Class)
                      if str(c).startswith(AGR))

    def members(self, cls: str) -> list[tuple[str, str]]:
        return sorted(((e, t[cls]) for e, t in self.types.items() if cls in t),
                      key=lambda m: (self.label(m[0]).casefold(), m[0]))


def select(store, text: str) -> list[dict[str, Any]]:
    result = store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: row[n] for n in names} for row in result]


def load(build_dir: Path) -> Site:
    """Read labels, types, documents, texts, queries and the ontology from a build."""
    import pyoxigraph

    from kg import dataset
    from kg.api import Graph as Built

    built = Built(build_dir)
    store = built.store
    data = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES,
                      from_graph=pyoxigraph.NamedNode(GRAPHS["ontology"]))
    site = Site(store, Graph().parse(data=data.decode("utf-8"), format="nt"),
                queries=built.saved())
    for row in select(store, """SELECT ?s ?label WHERE { GRAPH ?g { ?s rdfs:label ?label }
            FILTER(LANG(?label) = "en" || LANG(?label) = "") } ORDER BY ?s ?label"""):
        site.labels.setdefault(row["s"].value, row["label"].value)
    for row in select(store, f"""SELECT ?s ?t ?g WHERE {{ GRAPH ?g {{ ?s a ?t }}
            VALUES ?g {{ <{GRAPHS["asserted"]}> <{GRAPHS["inferred"]}> }}
            FILTER(STRSTARTS(STR(?s), "{ID}") && !STRSTARTS(STR(?s), "{ID}evidence/")) }}"""):
        kind = "inferred" if row["g"].value == GRAPHS["inferred"] else "stated"
        classes = site.types.setdefault(row["s"].value, {})
        if classes.get(row["t"].value) != "stated":
            classes[row["t"].value] = kind
    site.types = {k: dict(sorted(v.items())) for k, v in sorted(site.types.items())
                  if not k.startswith(f"{ID}document/")}
    for row in select(store, f"""SELECT ?doc ?id ?title ?sha ?publisher ?issued ?url WHERE {{
            GRAPH <{GRAPHS["evidence"]}> {{ ?doc a agr:SourceDocument ; dcterms:identifier ?id ;
              dcterms:title ?title ; agr:sha256 ?sha .
              OPTIONAL {{ ?doc dcterms:publisher ?publisher }}
              OPTIONAL {{ ?doc dcterms:issued ?issued }} OPTIONAL {{ ?doc dcterms:source ?url }}
            }} }} ORDER BY ?id"""):
        meta = {k: v.value for k, v in row.items() if v is not None}
        site.documents[meta["id"]] = {**meta, "iri": row["doc"].value}
    for doc, meta in site.documents.items():
        try:
            text = dataset.source_text(build_dir, doc)
        except OSError:
            raise NotBuilt(f"{build_dir} lacks the source text of {doc}; run 'kg build' "
                           "again") from None
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != meta["sha"]:
            raise NotBuilt(f"{build_dir}/sources/{doc}.txt changed since the build; run "
                           "'kg build' again")
        site.texts[doc] = text
    return site
