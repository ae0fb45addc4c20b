"""`kg validate`: the SHACL shapes over a built graph, as a list of violation lines."""

from __future__ import annotations

from pathlib import Path

from kg.errors import NotBuilt


def load_built(build_dir: Path):
    """The four named graphs of a build, read back from its dataset.nq."""
    from rdflib import Dataset as RDFDataset
    from rdflib import URIRef

    from kg.build import Dataset
    from kg.namespace import GRAPHS

    path = build_dir / "dataset.nq"
    if not path.exists():
        raise NotBuilt(f"no built graph in {build_dir}; run 'kg build' first")
    ds = RDFDataset()
    ds.parse(path, format="nquads")
    return Dataset(**{name: ds.graph(URIRef(iri)) for name, iri in GRAPHS.items()})


def validate_build(build_dir: Path) -> list[str]:
    """Violation lines for the build in ``build_dir``; empty when it conforms."""
    from kg.build import validate
    from kg.ontology import load_shapes

    _, _, lines = validate(load_built(build_dir), load_shapes())
    return lines
