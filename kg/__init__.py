"""A knowledge graph of international agreements: ontology, evidence-backed RDF, OWL 2 RL
reasoning and saved SPARQL queries.

Kept import-free on purpose: the read path (`kg query`, `kg lookup`) must start faster than
`import rdflib`, so modules import rdflib, owlrl and pyshacl only where they build.
"""
