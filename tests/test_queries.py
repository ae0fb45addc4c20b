"""Every saved query, found by walking queries/: header, syntax, ORDER BY, parameters, a
reviewed expected result on the seed graph, and the same answer from pyoxigraph and rdflib."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.errors import QueryError
from kg.namespace import GRAPHS
from kg.ontology import QUERIES_DIR
from kg.queries import bind, load, load_all, parameters, substitute_text, term_for
from kg.render import Format, render
from kg.store import check_syntax, run_local

NAMES = sorted(p.stem for p in QUERIES_DIR.glob("*.rq"))
EXPECTED = Path(__file__).parent / "expected" / "queries"


def test_there_are_at_least_fifteen_saved_queries():
    assert len(NAMES) >= 15


@pytest.mark.parametrize("name", NAMES)
def test_header_and_syntax(name: str):
    query = load(QUERIES_DIR / f"{name}.rq")
    assert query.summary and len(query.summary) < 120
    check_syntax(substitute_text(query.text, bind(query, {})) if not _needs_values(query)
                 else query.text, name)
    if query.form == "SELECT":
        assert re.search(r"\bORDER\s+BY\b", query.text, re.I), "SELECT queries need ORDER BY"
    for param in query.parameters:
        assert param.type in ("iri", "integer", "decimal", "date", "literal", "en"), param


def _needs_values(query) -> bool:
    return any(p.required and p.name not in query.defaults for p in query.parameters)


def _result(name: str, built: Path):
    query = load(QUERIES_DIR / f"{name}.rq")
    return query, run_local(query.text, built, bind(query, {}), name)


@pytest.mark.parametrize("name", NAMES)
def test_expected_result_on_the_seed_graph(name: str, built: Path):
    query, result = _result(name, built)
    if query.form in ("CONSTRUCT", "DESCRIBE"):
        actual = Graph().parse(data=render(result, Format.nt).decode(), format="nt")
        expected = Graph().parse(EXPECTED / f"{name}.nt", format="nt")
        assert isomorphic(actual, expected)
        return
    actual = render(result, Format.tsv).decode().splitlines()
    expected = (EXPECTED / f"{name}.tsv").read_text(encoding="utf-8").splitlines()
    assert actual[0] == expected[0], "columns differ"
    assert sorted(actual[1:]) == sorted(expected[1:])
    assert len(actual) > 1 or actual == ["true"], "every query answers something on the seed"


@pytest.fixture(scope="module")
def rdflib_dataset(built: Path) -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(built / "dataset.nq", format="nquads")
    return ds


@pytest.mark.parametrize("name", NAMES)
def test_pyoxigraph_and_rdflib_agree(name: str, built: Path, rdflib_dataset: Dataset):
    query, result = _result(name, built)
    text = substitute_text(query.text, bind(query, {}))
    # rdflib cannot ORDER BY unbound values (it compares None with tuples); order is checked
    # above, so compare the rows as sets here
    theirs = rdflib_dataset.query(re.sub(r"(?is)\bORDER\s+BY\b.*$", "", text))
    if query.form == "ASK":
        assert bool(result) == theirs.askAnswer
    elif query.form in ("CONSTRUCT", "DESCRIBE"):
        ours = Graph().parse(data=render(result, Format.nt).decode(), format="nt")
        assert isomorphic(ours, theirs.graph)
    else:
        variables = [v.value for v in result.variables]
        ours = {tuple(_canonical(row[v]) for v in variables) for row in result}
        assert ours == {tuple(_canonical(_ox(row[v])) for v in variables) for row in theirs}


_NUMBERS = ("#decimal", "#integer", "#nonNegativeInteger", "#positiveInteger", "#int", "#long")


def _canonical(term) -> str:
    """A term as text, numbers by value. Stores normalise numeric literals differently
    (pyoxigraph keeps "15500000.0"^^xsd:decimal as "15500000" and xsd:nonNegativeInteger as
    xsd:integer), so numbers compare as numbers, not as lexical forms."""
    if term is None:
        return ""
    datatype = getattr(term, "datatype", None)
    if datatype is not None and datatype.value.endswith(_NUMBERS):
        from decimal import Decimal

        return f"number {Decimal(term.value).normalize()}"
    return str(term)


def _ox(term):
    """An rdflib term as the pyoxigraph term, so both sides print identically."""
    import pyoxigraph
    from rdflib import BNode, Literal

    if term is None:
        return None
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    assert isinstance(term, Literal)
    if term.language:
        return pyoxigraph.Literal(str(term), language=term.language)
    if term.datatype:
        return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
    return pyoxigraph.Literal(str(term))


def test_every_graph_named_in_queries_is_a_build_graph():
    for query in load_all(QUERIES_DIR).values():
        for iri in re.findall(r"GRAPH\s*<([^>]+)>", query.text):
            assert iri in GRAPHS.values(), (query.name, iri)


# --- parameters are typed terms, never text pasted into a query ---------------------------

INJECTIONS = [
    "id:japan> } ; DROP ALL ; SELECT * { <x",
    "https://example.org/a b",
    'https://example.org/a"',
    "https://example.org/{x}",
    "not an iri",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_iri_parameter_cannot_break_out_of_its_term(value: str):
    param = parameters("SELECT * { ?_x_iri ?p ?o }")[0]
    with pytest.raises(QueryError, match="not an IRI"):
        term_for(param, value)


def test_literal_parameter_is_escaped_not_pasted():
    import pyoxigraph

    param = parameters("SELECT * { ?s ?p ?_label_en }")[0]
    value = 'Japan"@en } ; DROP ALL ; #'
    bound = {param.variable: term_for(param, value)}
    text = substitute_text("SELECT ?s { ?s ?p ?_label_en }", bound)
    store = pyoxigraph.Store()
    node = pyoxigraph.NamedNode("https://example.org/x")
    store.add(pyoxigraph.Quad(node, node, pyoxigraph.Literal(value, language="en")))
    assert [row["s"] for row in store.query(text)] == [node]  # one literal, matched exactly


@pytest.mark.parametrize("kind,value", [("integer", "12; DROP"), ("date", "2023-13"),
                                        ("decimal", "1e5x")])
def test_typed_parameters_are_checked(kind: str, value: str):
    param = parameters(f"SELECT * {{ ?s ?p ?_v_{kind} }}")[0]
    with pytest.raises(QueryError, match=f"not a valid {kind}"):
        term_for(param, value)


def test_missing_and_unknown_parameters_list_the_parameters():
    query = load(QUERIES_DIR / "signed-by.rq")
    with pytest.raises(QueryError, match=r"unknown parameter 'who'.*person \(iri\)"):
        bind(query, {"who": "id:japan"})
    query.defaults.clear()
    with pytest.raises(QueryError, match=r"missing parameter 'person'.*--param person="):
        bind(query, {})


BAD_HEADERS = {
    "no summary": "#+ description: x\nSELECT * { ?s ?p ?o } ORDER BY ?s\n",
    "bad yaml": "#+ summary: [unclosed\nSELECT * { ?s ?p ?o } ORDER BY ?s\n",
    "unknown key": "#+ summary: x\n#+ colour: red\nSELECT * { ?s ?p ?o } ORDER BY ?s\n",
    "undeclared default": "#+ summary: x\n#+ defaults:\n#+   - who: id:x\nSELECT * {?s ?p ?o}\n",
}


@pytest.mark.parametrize("case", sorted(BAD_HEADERS))
def test_bad_headers_are_errors_naming_the_file(tmp_path: Path, case: str):
    path = tmp_path / "bad.rq"
    path.write_text(BAD_HEADERS[case])
    with pytest.raises(QueryError, match=r"bad\.rq"):
        load(path)


def test_syntax_error_names_file_line_and_column(built: Path):
    with pytest.raises(QueryError, match=r"^saved\.rq:3:\d+: SPARQL syntax error"):
        run_local("PREFIX a: <http://x/>\nSELECT * WHERE {\n  ?s a:b \"x }", built, {}, "saved.rq")
