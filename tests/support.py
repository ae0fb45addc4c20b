"""What the tests share besides fixtures: where things are, and rdflib views of a build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from kg import dataset
from kg.namespace import GRAPHS
from kg.terms import to_rdflib

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
EXPECTED = ROOT / "tests" / "expected"
KG = str(Path(sys.executable).parent / "kg")


@dataclass
class RdfDataset:
    """The four named graphs of a build as rdflib graphs (for graph comparisons)."""

    ontology: Graph
    asserted: Graph
    evidence: Graph
    inferred: Graph

    def graphs(self) -> dict[str, Graph]:
        return {name: getattr(self, name) for name in GRAPHS}


def rdf_dataset(build_dir: Path) -> RdfDataset:
    graphs = {name: Graph() for name in GRAPHS}
    for name, (s, p, o) in dataset.quads(build_dir):
        graphs[name].add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return RdfDataset(**graphs)


def written(folder: Path) -> dict[str, bytes]:
    """Every file a build wrote but its store (a database, compared as data) and the marker
    (which lists the store's file names)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "store" not in p.relative_to(folder).parts
            and p.name != ".kg-output.json"}


def run_kg(*args: str, build: Path | None = None, env: dict | None = None,
           stdin: str | None = None, cwd: Path | None = None,
           timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the real `kg` script (as a user would) and return what it did."""
    environment = {**os.environ, **(env or {})}
    if build is not None:
        environment["KG_BUILD"] = str(build)
    return subprocess.run([KG, *args], env=environment, input=stdin, capture_output=True,
                          text=True, timeout=timeout, cwd=cwd)


def agr(name: str) -> URIRef:
    from kg.namespace import AGR

    return URIRef(AGR + name)


def iid(name: str) -> URIRef:
    from kg.namespace import ID

    return URIRef(ID + name)


def debian_binary(binary: str, package: str) -> str:
    """Path of ``binary``; installs the Debian ``package`` that has it when CI is set (as root,
    as CI runs), skips the test otherwise."""
    import pytest

    found = shutil.which(binary)
    if found:
        return found
    if not os.environ.get("CI"):
        pytest.skip(f"{binary} is not installed (apt-get install {package}; installed "
                    "automatically when CI is set)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", package]):
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    found = shutil.which(binary)
    assert found, f"apt-get installed {package} but {binary} is not on PATH"
    return found
