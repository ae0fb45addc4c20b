"""Each folder in ontology/examples/ is one inference pattern, checked with the OWL 2 RL reasoner.

A folder holds ``input.ttl`` and either ``expected.ttl`` (triples the closure must add) or
``inconsistent.txt`` (a one-line description of why the input must be rejected); it may also hold
``not-expected.ttl``, triples the closure must NOT add (signature is not consent, for one).
Adding a folder adds a test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kg.errors import InconsistentGraph
from kg.reason.reference import owlrl_closure
from support import ROOT

ONTOLOGY = ROOT / "ontology"
EXAMPLES = sorted(p for p in (ONTOLOGY / "examples").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def tbox() -> Graph:
    """The umbrella ontology and its modules, without the alignments."""
    graph = Graph()
    for path in [ONTOLOGY / "agreements.ttl", *sorted((ONTOLOGY / "modules").glob("*.ttl"))]:
        graph.parse(path)
    return graph


def test_examples_exist():
    assert EXAMPLES, "no folders in ontology/examples"
    assert sum((p / "inconsistent.txt").exists() for p in EXAMPLES) >= 2
    assert any((p / "not-expected.ttl").exists() for p in EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example(example: Path, tbox: Graph):
    abox = Graph().parse(example / "input.ttl")
    expected_file, inconsistent_file = example / "expected.ttl", example / "inconsistent.txt"
    assert expected_file.exists() != inconsistent_file.exists(), (
        f"{example.name}: needs exactly one of expected.ttl or inconsistent.txt"
    )
    if inconsistent_file.exists():
        assert inconsistent_file.read_text().strip(), f"{example.name}: inconsistent.txt is empty"
        with pytest.raises(InconsistentGraph):
            owlrl_closure(tbox, abox)
        return
    expected = Graph().parse(expected_file)
    assert len(expected), f"{example.name}: expected.ttl has no triples"
    already_stated = [t for t in expected if t in abox]
    assert not already_stated, (
        f"{example.name}: expected triples already in input: {already_stated}"
    )
    inferred = owlrl_closure(tbox, abox)
    missing = [t for t in expected if t not in inferred]
    assert not missing, f"{example.name}: not inferred: {missing}"
    if (example / "not-expected.ttl").exists():
        wrong = [t for t in Graph().parse(example / "not-expected.ttl")
                 if t in inferred or t in abox]
        assert not wrong, f"{example.name}: inferred what must not be: {wrong}"
