"""Every saved query, found by walking queries/: header, syntax, ORDER BY, parameters, a
reviewed expected result on the seed graph, and the same answer from pyoxigraph and rdflib."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.errors import QueryError
from kg.namespace import GRAPHS
from kg.query.results import Format
from kg.query.run import run_local, run_remote
from kg.query.saved import bind, load, load_all, term_for
from kg.query.sparql import parameters, substitute
from kg.resources import QUERIES_DIR
from support import EXPECTED as ALL_EXPECTED

NAMES = sorted(p.stem for p in QUERIES_DIR.glob("*.rq"))
EXPECTED = ALL_EXPECTED / "queries"


def render(result, fmt: Format) -> bytes:
    out = io.BytesIO()
    result.write(out, fmt)
    return out.getvalue()


def _bindings(query) -> dict:
    return {k: str(v) for k, v in bind(query, query.defaults).items()}


def test_there_are_at_least_fifteen_saved_queries():
    assert len(NAMES) >= 15


@pytest.mark.parametrize("name", NAMES)
def test_header_and_syntax(name: str):
    import pyoxigraph

    from kg.namespace import PREFIXES

    query = load(QUERIES_DIR / f"{name}.rq")
    assert query.summary and len(query.summary) < 120
    for param in query.parameters:
        assert not param.required or param.name in query.defaults, \
            f"{name}: give required parameter {param.name!r} an example in '#+ defaults'"
    pyoxigraph.Store().query(substitute(query.text, _bindings(query)), prefixes=PREFIXES)
    if query.form == "SELECT":
        assert re.search(r"\bORDER\s+BY\b", query.text, re.I), "SELECT queries need ORDER BY"
    for param in query.parameters:
        assert param.type in ("iri", "integer", "decimal", "date", "literal", "en"), param
        if param.type == "iri" and param.name in query.defaults:  # grlc expands no CURIEs
            assert query.defaults[param.name].startswith("https://"), \
                f"{name}: write the default of {param.name!r} as a full IRI"


def _result(name: str, graph):
    query = graph.saved_query(name)
    return query, graph.query(name, **query.defaults)


@pytest.mark.parametrize("name", NAMES)
def test_the_build_holds_the_saved_queries(name: str, graph):
    assert graph.saved_query(name).text == (QUERIES_DIR / f"{name}.rq").read_text("utf-8")


@pytest.mark.parametrize("name", NAMES)
def test_expected_result_on_the_seed_graph(name: str, graph, regenerate: bool):
    query, result = _result(name, graph)
    if regenerate:
        graph_form = query.form in ("CONSTRUCT", "DESCRIBE")
        suffix, fmt = (".nt", Format.nt) if graph_form else (".tsv", Format.tsv)
        (EXPECTED / f"{name}{suffix}").write_bytes(render(result, fmt))
        pytest.skip(f"rewrote tests/expected/queries/{name}{suffix}: review it with git diff")
    if query.form in ("CONSTRUCT", "DESCRIBE"):
        actual = Graph().parse(data=render(result, Format.nt).decode(), format="nt")
        expected = Graph().parse(EXPECTED / f"{name}.nt", format="nt")
        assert isomorphic(actual, expected)
        return
    actual = render(result, Format.tsv).decode().splitlines()
    expected = (EXPECTED / f"{name}.tsv").read_text(encoding="utf-8").splitlines()
    assert actual[0] == expected[0], "columns differ"
    assert sorted(actual[1:]) == sorted(expected[1:])


# Parameters for the lifecycle corpus (tests/lifecycle/), where the seed's examples name nothing
LIFECYCLE_PARAMS = {
    "timeline": {"agreement": "id:convention-on-polar-research-cooperation"},
    "party-agreements": {"party": "id:freedonia", "date": "2024-06-01"},
    "agreement-roles": {"agreement": "id:convention-on-polar-research-cooperation"},
    "evidence": {"entity": "id:convention-on-polar-research-cooperation"},
    "agreement-graph": {"agreement": "id:convention-on-polar-research-cooperation"},
}


@pytest.fixture(scope="module")
def lifecycle(tmp_path_factory):
    import kg
    from kg.builder import build
    from support import ROOT

    out = tmp_path_factory.mktemp("lifecycle") / "kg-build"
    return kg.Graph(build(ROOT / "tests" / "lifecycle", out).out)


@pytest.mark.parametrize("name", NAMES)
def test_every_query_answers_something(name: str, graph, lifecycle):
    """On the seed with the header's example parameters, or else on the lifecycle corpus."""
    query = graph.saved_query(name)
    for built, params in ((graph, query.defaults),
                          (lifecycle, {**query.defaults, **LIFECYCLE_PARAMS.get(name, {})})):
        result = built.query(name, **params)
        if result.form == "ASK":
            if bool(result):
                return
        elif next(iter(result), None) is not None:
            return
    pytest.fail(f"{name} answers nothing on the seed or on tests/lifecycle")


@pytest.mark.parametrize("name", NAMES)
def test_a_page_is_the_slice_of_the_whole_answer(name: str, lifecycle):
    """--limit and --offset cut the query's own (ordered) rows, for every saved SELECT and
    CONSTRUCT, also where the query sets a LIMIT of its own."""
    query = lifecycle.saved_query(name)
    params = {**query.defaults, **LIFECYCLE_PARAMS.get(name, {})}
    if query.form == "ASK":
        with pytest.raises(QueryError, match="an ASK query has no rows to page"):
            lifecycle.query(name, limit=1, **params)
        return
    whole = list(lifecycle.query(name, **params))
    for limit, offset in ((2, 1), (1, 0), (None, 2), (0, 0), (5, len(whole))):
        page = list(lifecycle.query(name, limit=limit, offset=offset, **params))
        end = None if limit is None else offset + limit
        if query.form != "SELECT":  # a page of the solutions the template is filled from
            assert set(page) <= set(whole) and (limit != 0 or not page), (limit, offset)
        elif "ORDER BY" in query.text:
            assert page == whole[offset:end], (limit, offset)
        else:  # no order: the page's size only
            assert len(page) == len(whole[offset:end]), (limit, offset)
    own = "SELECT ?s { ?s a agr:Agreement } ORDER BY ?s LIMIT 3 OFFSET 1"
    rows = list(lifecycle.sparql("SELECT ?s { ?s a agr:Agreement } ORDER BY ?s"))
    assert list(lifecycle.sparql(own, limit=5, offset=1)) == rows[2:4]


@pytest.fixture(scope="module")
def rdflib_dataset(built: Path) -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(built / "dataset.nq", format="nquads")
    return ds


@pytest.mark.parametrize("name", NAMES)
def test_pyoxigraph_and_rdflib_agree(name: str, graph, rdflib_dataset: Dataset):
    query, result = _result(name, graph)
    text = substitute(query.text, _bindings(query))
    # rdflib cannot ORDER BY unbound values (it compares None with tuples); order is checked
    # above, so compare the rows as sets here
    theirs = rdflib_dataset.query(re.sub(r"(?is)\bORDER\s+BY\b.*$", "", text))
    if query.form == "ASK":
        assert bool(result) == theirs.askAnswer
    elif query.form in ("CONSTRUCT", "DESCRIBE"):
        ours = Graph().parse(data=render(result, Format.nt).decode(), format="nt")
        assert isomorphic(ours, theirs.graph)
    else:
        variables = result.variables
        ours = {tuple(_canonical(t) for t in row) for row in result}
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
    with pytest.raises(QueryError, match=r"not an IRI|unknown prefix"):
        term_for(param, value)


def test_literal_parameter_is_escaped_not_pasted():
    import pyoxigraph

    param = parameters("SELECT * { ?s ?p ?_label_en }")[0]
    value = 'Japan"@en } ; DROP ALL ; #'
    bound = {param.variable: str(term_for(param, value))}
    text = substitute("SELECT ?s { ?s ?p ?_label_en }", bound)
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
    with pytest.raises(QueryError, match=r"missing parameter 'person'.*--param person=id:"):
        bind(query, {})  # the header's example is shown, never applied


BAD_HEADERS = {
    "no summary": "#+ description: x\nSELECT * { ?s ?p ?o } ORDER BY ?s\n",
    "bad yaml": "#+ summary: [unclosed\nSELECT * { ?s ?p ?o } ORDER BY ?s\n",
    "unknown key": "#+ summary: x\n#+ colour: red\nSELECT * { ?s ?p ?o } ORDER BY ?s\n",
    "undeclared default": "#+ summary: x\n#+ defaults:\n#+   - who: id:x\nSELECT * {?s ?p ?o}\n",
    "parameter named for paging": "#+ summary: x\nSELECT * { ?s ?p ?__limit_integer }\n",
}


@pytest.mark.parametrize("case", sorted(BAD_HEADERS))
def test_bad_headers_are_errors_naming_the_file(tmp_path: Path, case: str):
    path = tmp_path / "bad.rq"
    path.write_text(BAD_HEADERS[case])
    with pytest.raises(QueryError, match=r"bad\.rq"):
        load(path)


def test_syntax_error_names_file_line_and_column(graph):
    with pytest.raises(QueryError, match=r"^saved\.rq:3:\d+: SPARQL syntax error"):
        run_local(graph.store, "PREFIX a: <http://x/>\nSELECT * WHERE {\n  ?s a:b \"x }", {},
                  "saved.rq")
    with pytest.raises(QueryError, match=r"^q:2:\d+: unknown prefix 'foo:'"):
        graph.sparql("SELECT * {\n ?s foo:x ?o }", "q")


def test_remote_syntax_error_is_found_before_any_request():
    with pytest.raises(QueryError, match=r"^q:1:\d+: SPARQL syntax error"):
        run_remote("http://127.0.0.1:9/none", "SELECT * {", {}, "q", 1.0)


def test_select_star_keeps_the_order_variables_appear_in(graph):
    result = graph.sparql("SELECT * WHERE { ?zeta ?alpha ?mid } LIMIT 1")
    assert result.variables == ("zeta", "alpha", "mid")
    assert list(next(iter(result)).asdict()) == ["zeta", "alpha", "mid"]


def test_updates_are_refused(graph):
    with pytest.raises(QueryError, match="SPARQL Update"):
        graph.sparql("DELETE WHERE { ?s ?p ?o }")


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "xml"])
def test_solution_writers_match_pyoxigraphs(fmt: str, graph):
    """The streaming writers write what pyoxigraph's own serializers write, plus a final
    newline (pyoxigraph's CSV/TSV already end with one)."""
    import pyoxigraph

    text = ('SELECT ?a ?b ?c { VALUES (?a ?b ?c) { (1 "x,y\\"z" <http://e/a>) '
            '(1.50 "q"@en 2.5e3) (true UNDEF "15"^^xsd:decimal) ("-3"^^xsd:integer '
            '"a\\tb\\nc" "1"^^xsd:boolean) } }')
    ours = render(graph.sparql(text), Format(fmt))
    theirs = pyoxigraph.Store().query(text, prefixes={"xsd": "http://www.w3.org/2001/"
                                      "XMLSchema#"}).serialize(
        format=getattr(pyoxigraph.QueryResultsFormat, fmt.upper()))
    assert ours.rstrip(b"\n") == theirs.rstrip(b"\n")
    assert ours.endswith(b"\n")


@pytest.mark.parametrize("form,fmt", [("SELECT", "ttl"), ("ASK", "nt"), ("CONSTRUCT", "csv"),
                                      ("CONSTRUCT", "table")])
def test_format_must_fit_the_query_form(graph, form: str, fmt: str):
    text = {"SELECT": "SELECT * { ?s ?p ?o } LIMIT 1", "ASK": "ASK {}",
            "CONSTRUCT": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1"}[form]
    with pytest.raises(QueryError, match=f"cannot be written as {fmt}"):
        render(graph.sparql(text), Format(fmt))


def test_rows_convert_to_plain_values(graph):
    import datetime
    from decimal import Decimal

    row = graph.query("investments").dicts()[0]
    assert row["amount"] == Decimal("15500000") and row["currency"] == "GBP"
    (signature, *_) = graph.query("signatories").dicts()
    assert signature["date"] == datetime.date(2023, 5, 15)
