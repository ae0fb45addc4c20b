"""kg load / serve / export and remote queries, against real servers on 127.0.0.1.

Every saved query (walked from queries/) must give the same rendered rows on each store as on
the local build, after a load by each method; loads are idempotent and atomic; failures are one
clear line without the password.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import kg as api
import servers  # tests/servers.py: real servers on 127.0.0.1
from kg.errors import EndpointError, LoadError, LoadInterrupted
from kg.namespace import GRAPHS
from kg.query.results import Format
from kg.query.saved import load_all
from kg.resources import QUERIES_DIR
from kg.stores.export import ExportFormat, export
from kg.stores.load import load, read_dataset, target_graphs
from kg.stores.remote import canonical, post_update
from kg.stores.remote import query as remote_query
from kg.stores.serve import free_port

pytestmark = pytest.mark.server
KG = [sys.executable, "-m", "kg"]
SAVED = load_all(QUERIES_DIR)
STORES = ["oxigraph", "oxigraph-union", "virtuoso"]


def render(result, fmt: Format) -> bytes:
    out = io.BytesIO()
    result.write(out, fmt)
    return out.getvalue()


@pytest.fixture(scope="session")
def stores(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Started lazily, stopped at the end of the session."""
    from contextlib import ExitStack

    running: dict = {}
    with ExitStack() as stack:
        def get(name: str) -> servers.Store:
            if name not in running:
                folder = tmp_path_factory.mktemp(name)
                running[name] = stack.enter_context(
                    servers.virtuoso(folder) if name == "virtuoso"
                    else servers.oxigraph(folder, union=name == "oxigraph-union"))
            return running[name]

        yield get


@pytest.fixture()
def creds(monkeypatch: pytest.MonkeyPatch):
    """Put a store's credentials in the environment, as a user would."""
    def put(store: servers.Store) -> None:
        for key in ("KG_USER", "KG_PASSWORD", "KG_AUTH"):
            monkeypatch.delenv(key, raising=False)
        for key, value in store.env.items():
            monkeypatch.setenv(key, value)
    return put


def do_load(built: Path, store: servers.Store, method: str = "update", **kw):
    return load(built, store.update, query_endpoint=store.query, gsp_endpoint=store.gsp,
                method=method, **kw)


@pytest.fixture(scope="session", params=[(s, m) for s in STORES for m in ("update", "gsp")],
                ids=lambda p: f"{p[0]}-{p[1]}")
def loaded(stores, built: Path, request) -> servers.Store:
    """A store after a load of the seed graph by one method (pytest groups the tests by it)."""
    name, method = request.param
    store = stores(name)
    saved = {k: os.environ.get(k) for k in ("KG_USER", "KG_PASSWORD", "KG_AUTH")}
    os.environ.update(store.env)
    try:
        report = do_load(built, store, method)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert report.held == report.sent
    return store


def rendered(result, graph: bool) -> tuple[str, list[str]]:
    """Header and sorted lines of the TSV (or N-Triples) rendering: rows as sets of terms."""
    text = render(result, Format.nt if graph else Format.tsv).decode("utf-8")
    lines = text.splitlines()
    if graph:
        return "", sorted(lines)
    return (lines[0] if lines else ""), sorted(lines[1:])


@pytest.mark.parametrize("name", sorted(SAVED))
def test_saved_query_same_remotely(loaded: servers.Store, graph, name: str) -> None:
    saved = SAVED[name]
    local = graph.query(name, **saved.defaults)
    remote = api.Endpoint(loaded.query, 30).query(name, **saved.defaults)
    if saved.form == "ASK":
        assert bool(remote) == bool(local)
        return
    is_graph = saved.form in ("CONSTRUCT", "DESCRIBE")
    assert rendered(remote, is_graph) == rendered(local, is_graph)


def held_graphs(store: servers.Store, targets: dict[str, str]) -> dict[str, rdflib.Graph]:
    """What the store holds in each target graph (a SELECT, which Virtuoso cuts at its
    ResultSetMaxRows and kg.store pages through)."""
    out = {}
    for name, iri in targets.items():
        rows = remote_query(store.query, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} "
                            "} ORDER BY ?s ?p ?o", "SELECT", 30, graphs=[])
        out[name] = canonical_graph(pyoxigraph.Triple(r["s"], r["p"], r["o"]) for r in rows)
    return out


def canonical_graph(triples) -> rdflib.Graph:
    """Triples (pyoxigraph's, or N-Triples term strings) with literals as the local store gives
    them back (Oxigraph answers "819"^^xsd:integer for "819"^^xsd:nonNegativeInteger, Virtuoso
    keeps the datatype)."""
    def ox(term):
        return term if not isinstance(term, str) else next(iter(pyoxigraph.parse(
            f"<urn:s> <urn:p> {term} .", format=pyoxigraph.RdfFormat.N_TRIPLES))).object

    text = "".join(f"{t[0] if isinstance(t, tuple) else canonical(t.subject)} "
                   f"{t[1] if isinstance(t, tuple) else t.predicate} "
                   f"{canonical(ox(t[2] if isinstance(t, tuple) else t.object))} .\n"
                   for t in triples)
    return rdflib.Graph().parse(data=text, format="nt")


@pytest.mark.parametrize("store_name", STORES[::2])
def test_load_twice_is_load_once_and_holds_the_build(stores, creds, built: Path,
                                                     store_name: str) -> None:
    store = stores(store_name)
    creds(store)
    base = f"urn:kg-test:twice:{store_name}/"
    first = do_load(built, store, "update", graph_base=base, chunk=500)
    second = do_load(built, store, "gsp", graph_base=base, chunk=500)
    assert first.held == second.held == first.sent
    held = held_graphs(store, target_graphs(base))
    for name, triples in read_dataset(built).items():
        expected = canonical_graph(triples)
        assert isomorphic(held[name], expected), (name, diff(held[name], expected))


def diff(held: rdflib.Graph, expected: rdflib.Graph) -> tuple[list, list]:
    """A few triples only in the store and only in the build, for the failure message."""
    _, extra, missing = graph_diff(to_isomorphic(held), to_isomorphic(expected))
    return sorted(extra)[:3], sorted(missing)[:3]


def seed_markers(store: servers.Store, targets: dict[str, str]) -> None:
    post_update(store.update, " ;\n".join(
        f"DROP SILENT GRAPH <{g}> ; INSERT DATA {{ GRAPH <{g}> {{ <urn:old> <urn:in> <{g}> }} }}"
        for g in targets.values()), 30)


def only_markers(store: servers.Store, targets: dict[str, str]) -> bool:
    held = held_graphs(store, targets)
    return all(set(held[n]) == {(rdflib.URIRef("urn:old"), rdflib.URIRef("urn:in"),
                                 rdflib.URIRef(g))} for n, g in targets.items())


@pytest.mark.parametrize("method", ["update", "gsp"])
def test_server_dying_mid_load_leaves_previous_content(stores, built: Path, method: str) -> None:
    store = stores("oxigraph")
    base = f"urn:kg-test:dying:{method}/"
    targets = target_graphs(base)
    seed_markers(store, targets)
    port = int(store.update.rsplit(":", 1)[1].split("/")[0])
    proxy = servers.CuttingProxy(port, allow=4)
    try:
        with pytest.raises(LoadError, match="target graphs are unchanged") as caught:
            load(built, proxy.url("update"), query_endpoint=proxy.url("query"),
                 gsp_endpoint=proxy.url("store"), method=method, graph_base=base, chunk=200)
    finally:
        proxy.close()
    assert "dropped the connection" in str(caught.value)
    assert only_markers(store, targets)
    report = do_load(built, store, method, graph_base=base)  # and the next load cleans up
    assert report.held == report.sent


def test_ctrl_c_mid_load_leaves_previous_content(stores, built: Path) -> None:
    store = stores("oxigraph")
    targets = target_graphs("urn:kg-test:interrupt/")
    seed_markers(store, targets)

    def interrupt(done: int, total: int) -> None:
        if done > total // 2:
            raise KeyboardInterrupt

    with pytest.raises(LoadInterrupted, match="target graphs are unchanged"):
        do_load(built, store, graph_base="urn:kg-test:interrupt/", chunk=300, progress=interrupt)
    assert only_markers(store, targets)


def kg(*args: str, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    return subprocess.run([*KG, *args], capture_output=True, text=True, timeout=timeout,
                          env={**clean, **(env or {})}, stdin=subprocess.DEVNULL)


def one_line_error(result: subprocess.CompletedProcess, expected: str) -> None:
    assert result.returncode != 0
    assert result.stderr.startswith("error: ") and expected in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_cli_load_and_query_remote(stores, built: Path) -> None:
    store = stores("oxigraph-union")
    result = kg("load", "--endpoint", store.update, "--query-endpoint", store.query,
                "--build", str(built), "--chunk", "1000")
    assert result.returncode == 0, result.stderr
    assert "loaded" in result.stdout and "triples/s" in result.stdout
    local = kg("query", "signatories", "-f", "tsv", "--build", str(built))
    remote = kg("query", "signatories", "-f", "tsv", "--endpoint", store.query)
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout == local.stdout and local.stdout.count("\n") > 1


def test_wrong_credentials_one_line_without_password(stores, built: Path) -> None:
    store = stores("virtuoso")
    wrong = {**store.env, "KG_PASSWORD": "not-the-Secret-42"}
    for args in (["load", "--endpoint", store.update, "--query-endpoint", store.query,
                  "--build", str(built)],
                 ["load", "--method", "gsp", "--endpoint", store.update, "--gsp-endpoint",
                  store.gsp, "--build", str(built)],
                 ["sparql", "--endpoint", store.update, "ASK {}"]):
        result = kg(*args, env=wrong)
        one_line_error(result, "refused the credentials")
        assert "not-the-Secret-42" not in result.stdout + result.stderr
    missing = kg("load", "--endpoint", store.update, "--build", str(built))
    one_line_error(missing, "needs credentials")


def test_endpoint_down(built: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"
    one_line_error(kg("load", "--endpoint", url, "--build", str(built)), "is down or not listening")
    one_line_error(kg("query", "signatories", "--endpoint", url), "is down or not listening")


def test_timeout(built: Path) -> None:
    with servers.silent_server() as url:
        one_line_error(kg("load", "--endpoint", url, "--timeout", "1", "--build", str(built)),
                       "did not answer within")
        one_line_error(kg("sparql", "--endpoint", url, "--timeout", "1", "ASK {}"),
                       "did not answer within")
    with pytest.raises(EndpointError, match="did not answer"), servers.silent_server() as url:
        bool(api.Endpoint(url, 1).sparql("ASK {}"))


def serve(built: Path, port: int, *extra: str, env: dict | None = None) -> subprocess.Popen:
    process = subprocess.Popen([*KG, "serve", "--port", str(port), "--build", str(built),
                                *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, **(env or {})})
    line = process.stdout.readline()
    assert f"http://127.0.0.1:{port}/" in line, process.stderr.read()
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(10)


@pytest.mark.parametrize("writable", [False, True])
def test_serve(built: Path, graph, writable: bool) -> None:
    port = free_port()
    process = serve(built, port, *(["--writable"] if writable else []))
    try:
        query = f"http://127.0.0.1:{port}/query"
        text = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
        assert rendered(api.Endpoint(query).sparql(text), False) == \
            rendered(graph.sparql(text), False)
        update = f"INSERT DATA {{ GRAPH <{GRAPHS['asserted']}> {{ <urn:a> <urn:b> <urn:c> }} }}"
        if writable:
            post_update(f"http://127.0.0.1:{port}/update", update, 10)
        else:
            with pytest.raises(EndpointError, match=r"HTTP 403.*read-only.*--writable"):
                post_update(f"http://127.0.0.1:{port}/update", update, 10)
    finally:
        stop(process)
    with pytest.raises(EndpointError, match="down or not listening"):  # its server stopped too
        bool(api.Endpoint(query, 5).sparql("ASK {}"))
    assert not bool(graph.sparql("ASK { <urn:a> <urn:b> <urn:c> }"))


def test_any_client_sees_the_union_default_graph(built: Path, graph) -> None:
    """A plain HTTP client and SPARQLWrapper, sending no dataset, get the rows kg gets."""
    import json
    import urllib.parse
    import urllib.request

    from SPARQLWrapper import JSON, SPARQLWrapper

    port = free_port()
    process = serve(built, port)
    try:
        url = f"http://127.0.0.1:{port}/query"
        count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
        expected = int(next(iter(graph.sparql(count)))[0].value)
        assert expected > 5000
        request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": count}),
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            plain = json.load(response)
        assert int(plain["results"]["bindings"][0]["n"]["value"]) == expected
        client = SPARQLWrapper(url)
        client.setReturnFormat(JSON)
        for name, saved in sorted(SAVED.items()):
            if saved.form != "SELECT":
                continue
            from kg.query.saved import bind
            from kg.query.sparql import substitute

            text = substitute(saved.text, {k: str(v) for k, v in
                                           bind(saved, saved.defaults).items()})
            client.setQuery(text)
            rows = client.queryAndConvert()["results"]["bindings"]
            assert len(rows) == len(list(graph.query(name, **saved.defaults))), name
    finally:
        stop(process)


def test_readme_serve_then_load_works_as_written(built: Path, tmp_path: Path) -> None:
    """The README's 'Into a triplestore' commands, run in order (on a free port, not 7878)."""
    import re
    import shlex

    from support import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Into a triplestore", 1)[1].split("\n## ", 1)[0]
    lines = [line[2:] for block in re.findall(r"```console\n(.*?)```", section, re.S)
             for line in block.splitlines() if line.startswith("$ kg")]
    assert any(line.startswith("kg serve") for line in lines)
    port = str(free_port())
    env = {**os.environ, "KG_BUILD": str(built)}
    server = None
    try:
        for line in lines:
            args = shlex.split(line.replace("7878", port))[1:]
            if args[0] == "serve":
                process = subprocess.Popen([*KG, *args], stdout=subprocess.PIPE,
                                           stderr=subprocess.PIPE, text=True, env=env,
                                           cwd=tmp_path)
                assert "serving" in process.stdout.readline(), process.stderr.read()
                server = process
                continue
            result = subprocess.run([*KG, *args], capture_output=True, text=True, env=env,
                                    cwd=tmp_path, timeout=120, stdin=subprocess.DEVNULL)
            assert result.returncode == 0, f"{line}: {result.stderr}"
    finally:
        if server is not None:
            stop(server)


def test_serve_restarts_at_once_on_the_same_port(built: Path) -> None:
    port = free_port()
    for _ in range(2):
        process = serve(built, port)
        bool(api.Endpoint(f"http://127.0.0.1:{port}/query", 10).sparql("ASK { ?s ?p ?o }"))
        stop(process)


def test_failed_writable_start_leaves_nothing_behind(built: Path, tmp_path: Path) -> None:
    import socket

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = kg("serve", "--writable", "--port", str(port), "--build", str(built),
                    env={"TMPDIR": str(scratch)})
    one_line_error(result, "cannot listen on")
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_export_holds_the_build(built: Path, fmt: ExportFormat) -> None:
    data = b"".join(export(built, fmt, graph_base="urn:kg-test:export/"))
    assert data == b"".join(export(built, fmt, graph_base="urn:kg-test:export/"))
    rdf = {"nt": "nt", "ttl": "turtle", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}
    expected = read_dataset(built)
    if fmt in (ExportFormat.nt, ExportFormat.ttl):
        merged = rdflib.Graph().parse(data="".join(" ".join(t) + " .\n" for ts in
                                                   expected.values() for t in ts), format="nt")
        assert isomorphic(rdflib.Graph().parse(data=data, format=rdf[fmt]), merged)
        return
    dataset = rdflib.Dataset().parse(data=data, format=rdf[fmt])
    for name, iri in target_graphs("urn:kg-test:export/").items():
        graph = rdflib.Graph().parse(data="".join(" ".join(t) + " .\n" for t in expected[name]),
                                     format="nt")
        assert isomorphic(dataset.graph(rdflib.URIRef(iri)), graph), name
