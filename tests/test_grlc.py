"""The saved queries through the real grlc: grlc in local mode serves a copy of queries/ against
``kg serve`` of the session's build, and for every saved query (walked from queries/) grlc's API
answers what ``kg query`` answers, and its swagger spec lists the query with its header.

grlc (PyPI, pinned in tests/servers.py) gets a virtual environment of its own, once per session.
It takes an IRI parameter bare and writes the ``<...>`` itself, and it expands no CURIEs, so the
examples go to it as full IRIs. Each query runs with its header's examples (optional parameters
unbound); with an optional parameter given the example another header gives a parameter of that
name and type; and with every IRI parameter naming nothing, which shows a parameter that never
reaches the query. Rows are compared as multisets of tuples of term values, graphs as graphs
(asked for as N-Triples, and once through grlc's own ``.ttl`` route).

What grlc 1.3.11 cannot do is marked ``xfail(strict=True)``, so a grlc that can is noticed:

- ASK (did-sign): grlc leaves ASK queries out of its spec ("Query of type AskQuery is currently
  unsupported") and runs them without substituting their parameters, so through grlc did-sign
  answers whether anyone signed anything.
- Turtle: grlc re-encodes the endpoint's answer from requests' ``.text``, which reads a
  ``text/*`` type without a charset (Oxigraph's ``text/turtle``) as ISO-8859-1, so non-ASCII
  labels come back garbled. SPARQL JSON and N-Triples are not ``text/*``: requests guesses
  their encoding, and guesses right here.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import servers  # tests/servers.py: real servers on 127.0.0.1
from kg.namespace import expand
from kg.query.results import Format
from kg.query.saved import SavedQuery, load_all
from kg.resources import QUERIES_DIR
from kg.stores.serve import free_port

pytestmark = pytest.mark.server
SAVED = load_all(QUERIES_DIR)
NOWHERE = "urn:kg-test:nowhere"
ASK = ("grlc 1.3.11 does not support ASK: it leaves the query out of its spec and runs it "
       "without substituting the parameters")
TURTLE = ("grlc reads the endpoint's text/turtle, which has no charset, as ISO-8859-1: non-ASCII "
          "labels come back garbled ('UK–Japan' as 'UKâ\\x80\\x93Japan')")
XFAIL = {
    ("did-sign", "spec"): ASK,
    ("did-sign", "nowhere"): ASK,
    ("did-sign", "form"): ASK,
    ("agreement-graph", "turtle"): TURTLE,
}


def examples(saved: SavedQuery) -> dict[str, str]:
    """The examples of an optional parameter without one of its own: the first other header's
    example for a parameter of the same name and type."""
    found = {}
    for param in saved.parameters:
        if param.required or param.name in saved.defaults:
            continue
        for other in SAVED.values():
            if param.name in other.defaults and any(
                    (p.name, p.type) == (param.name, param.type) for p in other.parameters):
                found[param.name] = other.defaults[param.name]
                break
    return found


def cases() -> Iterator:
    for name, saved in SAVED.items():
        runs = {"examples": dict(saved.defaults)}
        if optional := examples(saved):
            runs["optional"] = {**saved.defaults, **optional}
        iris = {p.name for p in saved.parameters if p.type == "iri"} & {
            *saved.defaults, *optional}
        if iris:
            runs["nowhere"] = {**saved.defaults, **dict.fromkeys(iris, NOWHERE)}
        for case, params in runs.items():
            yield case_param(name, case, params, "")
        if saved.form in ("CONSTRUCT", "DESCRIBE"):
            yield case_param(name, "turtle", dict(saved.defaults), "ttl")


def case_param(name: str, case: str, *values):
    reason = XFAIL.get((name, case))
    marks = [pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)] if reason \
        else []
    return pytest.param(name, *values, id=f"{name}-{case}", marks=marks)


@pytest.fixture(scope="session")
def grlc_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return servers.grlc_python(tmp_path_factory.mktemp("grlc-venv"))


@pytest.fixture(scope="module")
def endpoint(built: Path) -> Iterator[str]:
    """``kg serve`` on the session's build, started as tests/test_triplestores.py starts it."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", str(port),
                                "--build", str(built)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    assert f"http://127.0.0.1:{port}/" in line, process.stderr.read()
    yield f"http://127.0.0.1:{port}/query"
    process.terminate()
    process.wait(10)


@pytest.fixture(scope="module")
def api(grlc_python: Path, endpoint: str, tmp_path_factory) -> Iterator[str]:
    with servers.grlc(grlc_python, tmp_path_factory.mktemp("grlc"), QUERIES_DIR,
                      endpoint) as url:
        yield url


@pytest.fixture(scope="module")
def spec(api: str) -> dict:
    return json.loads(get(api + "swagger"))


def get(url: str, accept: str = "application/json") -> str:
    """The body grlc answers; grlc fails (HTTP 500) on a request without an Accept header."""
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read().decode("utf-8")


def grlc_answer(api: str, saved: SavedQuery, params: dict[str, str], extension: str = ""):
    """grlc's answer, as kg_answer has it: its API operation for the query with ``params`` as
    they are, asking for SPARQL JSON, or N-Triples for CONSTRUCT (``extension`` picks one of
    grlc's own routes instead, such as ``.ttl``). grlc passes an endpoint's error on with
    HTTP 200, so the body is checked."""
    graph_form = saved.form in ("CONSTRUCT", "DESCRIBE")
    media = {"ttl": "text/turtle", "": "application/n-triples" if graph_form
             else "application/json"}[extension]
    url = f"{api}{saved.name}" + (f".{extension}" if extension else "")
    body = get(url + ("?" + urllib.parse.urlencode(params) if params else ""), media)
    if graph_form:
        try:
            return rdflib.Graph().parse(data=body, format="nt" if media.endswith("triples")
                                        else "turtle")
        except SyntaxError as exc:
            raise AssertionError(f"grlc answered {body[:300]!r}") from exc
    try:
        answer = json.loads(body)
    except json.JSONDecodeError:
        raise AssertionError(f"grlc answered {body[:300]!r}") from None
    if saved.form == "ASK":
        return answer["boolean"]
    names = answer["head"]["vars"]
    return names, Counter(tuple(row.get(v, {}).get("value") for v in names)
                          for row in answer["results"]["bindings"])


def kg_answer(graph, saved: SavedQuery, params: dict[str, str]):
    """``kg query``'s answer: a boolean, a graph, or the columns and the rows as a multiset of
    tuples of term values (None where unbound)."""
    result = graph.query(saved.name, **params)
    if saved.form == "ASK":
        return bool(result)
    if saved.form in ("CONSTRUCT", "DESCRIBE"):
        out = io.BytesIO()
        result.write(out, Format.nt)
        return rdflib.Graph().parse(data=out.getvalue().decode(), format="nt")
    return list(result.variables), Counter(
        tuple(None if t is None else t.value for t in row) for row in result)


def for_grlc(saved: SavedQuery, params: dict[str, str]) -> dict[str, str]:
    """The values as grlc takes them: an IRI parameter as a full IRI, bare."""
    kinds = {p.name: p.type for p in saved.parameters}
    return {k: expand(v) if kinds[k] == "iri" else v for k, v in params.items()}


def assert_same(expected, actual, what: str) -> None:
    """kg's answer equals grlc's; otherwise a few of the differences, each side's own."""
    if isinstance(expected, rdflib.Graph):
        if isomorphic(expected, actual):
            return
        _, kg_only, grlc_only = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        kg_only, grlc_only = sorted(kg_only), sorted(grlc_only)
    elif isinstance(expected, tuple):
        assert expected[0] == actual[0], f"{what}: columns kg {expected[0]}, grlc {actual[0]}"
        if expected[1] == actual[1]:
            return
        kg_only, grlc_only = list(expected[1] - actual[1]), list(actual[1] - expected[1])
    else:
        assert expected == actual, f"{what}: kg {expected!r}, grlc {actual!r}"
        return
    raise AssertionError(f"{what}: {len(kg_only)} only from kg, e.g. {kg_only[:2]}; "
                         f"{len(grlc_only)} only from grlc, e.g. {grlc_only[:2]}")


@pytest.mark.parametrize(("name", "params", "extension"), list(cases()))
def test_grlc_answers_what_kg_answers(api: str, graph, name: str, params: dict,
                                      extension: str) -> None:
    saved = SAVED[name]
    expected = kg_answer(graph, saved, params)
    actual = grlc_answer(api, saved, for_grlc(saved, params), extension)
    assert_same(expected, actual, f"{name} {params}")


def test_grlc_serves_the_saved_queries_locally(spec: dict, endpoint: str) -> None:
    assert spec["basePath"] == "/api-local/"
    assert set(spec["paths"]) <= {f"/{name}" for name in SAVED}
    for operation in spec["paths"].values():
        given = {p["name"]: p.get("default") for p in operation["get"]["parameters"]}
        assert given["endpoint"] == endpoint


@pytest.mark.parametrize("name", [case_param(name, "spec") for name in SAVED])
def test_grlc_spec_lists_the_query_with_its_header(spec: dict, name: str) -> None:
    saved = SAVED[name]
    assert f"/{name}" in spec["paths"], f"grlc says: {spec['info']['description']}"
    operation = spec["paths"][f"/{name}"]["get"]
    assert operation["summary"].strip() == saved.summary
    assert operation["description"].startswith(saved.description)
    assert operation["tags"] == saved.tags
    params = {p["name"]: p for p in operation["parameters"] if p["name"] != "endpoint"}
    assert sorted(params) == sorted(p.name for p in saved.parameters)
    for p in saved.parameters:
        assert params[p.name]["required"] == p.required, p
        assert params[p.name].get("format") == ("iri" if p.type == "iri" else None), p
        assert params[p.name].get("default") == saved.defaults.get(p.name), p


@pytest.mark.parametrize("name", [case_param(name, "form") for name, saved in SAVED.items()
                                  if saved.defaults])
def test_grlc_form_examples_work_as_they_are(api: str, spec: dict, graph, name: str) -> None:
    """What grlc's 'Try it out' sends: the spec's defaults, untouched."""
    saved = SAVED[name]
    operation = spec["paths"].get(f"/{name}", {}).get("get")
    assert operation, f"grlc says: {spec['info']['description']}"
    form = {p["name"]: p["default"] for p in operation["parameters"]
            if p["name"] != "endpoint" and "default" in p}
    expected = kg_answer(graph, saved, saved.defaults)
    actual = grlc_answer(api, saved, form)
    assert_same(expected, actual, f"{name} {form}")
