"""The command line: every command has help and is in the README, every README command runs,
and user mistakes give one line on stderr and a non-zero exit code, never a traceback."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import app
from kg.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
KG = str(Path(sys.executable).parent / "kg")
COMMANDS = sorted(c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands)
# commands that need a server or a browser are run by their own test modules
ELSEWHERE = {"load", "serve"}


def kg(*args: str, env: dict | None = None, stdin: str | None = None, check: bool = True,
       cwd: Path | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([KG, *args], env=env, input=stdin, capture_output=True, text=True,
                            timeout=300, cwd=cwd)
    if check and result.returncode != 0:
        pytest.fail(f"kg {' '.join(args)} exited {result.returncode}: {result.stderr}")
    return result


def test_kg_help_lists_every_command():
    out = kg("--help").stdout
    for name in COMMANDS:
        assert name in out


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_is_documented(name: str):
    result = kg(name, "--help")
    assert "Usage: kg " + name in result.stdout
    summary = result.stdout.split("\n\n")[1].strip()
    assert len(summary) > 20, f"kg {name} needs a help text that teaches"
    assert re.search(rf"\bkg {re.escape(name)}\b", README), f"kg {name} is not in the README"


def readme_commands() -> list[str]:
    blocks = re.findall(r"```console\n(.*?)```", README, re.S)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ kg")]


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs(command: str, tmp_path_factory: pytest.TempPathFactory):
    args = shlex.split(command)[1:]
    if args[0] in ELSEWHERE or "--endpoint" in args:
        pytest.skip("run against a real server in tests/test_triplestores.py")
    build_dir = tmp_path_factory.getbasetemp() / "readme-build"
    env = {**os.environ, "KG_BUILD": str(build_dir)}
    if not (build_dir / "store").exists():
        kg("build", "-q", env=env)
    result = kg(*args, env=env, cwd=tmp_path_factory.mktemp("cwd"))  # files land in a tmp dir
    assert result.stdout.strip() or args[0] in ("build", "docs", "export"), command


def test_readme_two_commands_are_the_makefile_targets():
    assert "make demo" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


# --- output formats ------------------------------------------------------------------------

def test_piped_output_is_exact_tsv_and_json_parses(kg_env):
    tsv = kg("query", "signatories", env=kg_env).stdout.splitlines()
    assert tsv[0].startswith("?agreementLabel\t")
    assert '"George Freeman"@en' in "\n".join(tsv)
    data = json.loads(kg("query", "signatories", "--format", "json", env=kg_env).stdout)
    names = {b["signatoryLabel"]["value"] for b in data["results"]["bindings"]}
    assert names == {"George Freeman", "Nakatani Shinichi"}


def test_ask_and_construct_forms(kg_env):
    assert kg("query", "did-sign", "-f", "json", env=kg_env).stdout.strip().endswith("true}")
    ttl = kg("query", "agreement-graph", env=kg_env).stdout
    from rdflib import Graph

    assert len(Graph().parse(data=ttl, format="turtle")) > 20
    jsonld = kg("query", "agreement-graph", "-f", "jsonld", env=kg_env).stdout
    assert len(Graph().parse(data=jsonld, format="json-ld")) > 20


def test_sparql_from_stdin_and_file(kg_env, tmp_path: Path):
    query = ('SELECT ?n WHERE { ?p a agr:Signatory ; rdfs:label ?n FILTER(LANG(?n) = "en") } '
             "ORDER BY ?n")
    out = kg("sparql", "-f", "csv", env=kg_env, stdin=query).stdout
    assert out.splitlines() == ["n", "George Freeman", "Nakatani Shinichi"]
    path = tmp_path / "q.rq"
    path.write_text(query)
    assert kg("sparql", "--file", str(path), "-f", "csv", env=kg_env).stdout == out


# --- lookup, describe, why -------------------------------------------------------------------

@pytest.mark.parametrize("text,iri", [
    ("Hyper-K", "hyper-kamiokande"),
    ("hyper kamiokandee", "hyper-kamiokande"),  # a typo
    ("METI", "ministry-of-economy-trade-and-industry"),  # an acronym
    ("tohoku universty", "tohoku-university"),
    ("中谷真一", "nakatani-shinichi"),  # the Japanese label
    ("nakatani", "nakatani-shinichi"),
    ("GEORGE FREEMAN", "george-freeman"),
])
def test_lookup_forgives_and_ranks(kg_env, text: str, iri: str):
    data = json.loads(kg("lookup", text, env=kg_env).stdout)
    assert data["matches"][0]["iri"].endswith("/" + iri)
    assert data["card"]["iri"].endswith("/" + iri)


def test_card_marks_inferred_types_and_shows_quotes(kg_env):
    card = json.loads(kg("describe", "id:george-freeman", env=kg_env).stdout)
    types = {(t["type"], t["how"]) for t in card["types"]}
    assert ("agr:Person", "stated") in types and ("agr:Signatory", "inferred") in types
    assert any(r["predicate"] == "agr:signed" and r["how"] == "inferred"
               for r in card["outgoing"])
    assert any(e["quote"] and "George Freeman" in e["quote"] for e in card["evidence"])
    text = kg("describe", "id:george-freeman", "-f", "text", env=kg_env).stdout
    assert "(inferred)" in text and "\u201c" in text


def test_why_explains_an_inferred_triple_down_to_quotes(kg_env):
    out = kg("why", "id:george-freeman", "agr:signed",
             "id:uk-japan-science-and-technology-implementing-arrangement-2023", env=kg_env).stdout
    assert "[inferred]" in out and "prp-spo2" in out and "propertyChainAxiom" in out
    assert "[stated]" in out and "signed by UK Science Minister George Freeman" in out


def test_why_a_stated_triple_shows_its_quote(kg_env):
    out = kg("why", "id:signature-freeman-2023-05-15", "agr:signedAt", "id:tokyo",
             env=kg_env).stdout
    assert "[stated]" in out and "in Tokyo\u201d" in out


# --- mistakes: one line, non-zero exit, no traceback -----------------------------------------

MISTAKES = [
    (["query", "nope"], "no saved query 'nope'"),
    (["query", "signed-by", "--param", "person=id:x> } DROP ALL {"], "not an IRI"),
    (["query", "signed-by", "--param", "who=id:x"], "unknown parameter 'who'"),
    (["query", "signed-by", "--param", "person"], "NAME=VALUE"),
    (["sparql", "SELECT * WHERE { ?s ?p }"], "<argument>:1:"),
    (["sparql", "DELETE WHERE { ?s ?p ?o }"], "SPARQL Update"),
    (["describe", "id:atlantis"], "nothing is known"),
    (["why", "id:japan", "agr:signed", "id:tokyo"], "neither stated nor inferred"),
    (["query", "signatories", "--endpoint", "http://127.0.0.1:9/sparql"], "connection refused"),
]


@pytest.mark.parametrize("args,message", MISTAKES, ids=[" ".join(a[:2]) for a, _ in MISTAKES])
def test_mistakes_are_one_line_errors(kg_env, args: list[str], message: str):
    result = kg(*args, env=kg_env, check=False)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_not_built_says_what_to_do(tmp_path: Path):
    env = {**os.environ, "KG_BUILD": str(tmp_path / "nothing")}
    result = kg("query", "signatories", env=env, check=False)
    assert result.returncode == 2 and "run 'kg build' first" in result.stderr


def test_build_error_is_one_line_and_writes_nothing(tmp_path: Path):
    src = tmp_path / "src"
    (src / "annotations").mkdir(parents=True)
    (src / "sources").mkdir()
    (src / "annotations" / "x.yaml").write_text("document: missing\n")
    result = kg("build", "--source", str(src), "--out", str(tmp_path / "out"), check=False)
    assert result.returncode == 2 and "cannot read the source" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_validate_conforms(kg_env):
    assert kg("validate", env=kg_env).stdout.strip() == "conforms"


def test_validate_reports_violations_with_exit_1(built: Path, tmp_path: Path):
    import shutil

    copy = tmp_path / "build"
    shutil.copytree(built, copy)
    broken = ("<https://w3id.org/agreements-kg/id/mystery-investment> "
              "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
              "<https://w3id.org/agreements-kg/ontology#Investment> "
              "<https://w3id.org/agreements-kg/graph/asserted> .\n")
    with (copy / "dataset.nq").open("a") as f:
        f.write(broken)
    import pyoxigraph

    store = pyoxigraph.Store(str(copy / "store"))
    store.load(broken.encode(), pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    del store
    result = kg("validate", "--build", str(copy), check=False)
    assert result.returncode == 1
    assert "id:mystery-investment" in result.stdout and "agr:amount" in result.stdout
    missing = kg("validate", "--build", str(tmp_path / "none"), check=False)
    assert missing.returncode == 2 and "kg build" in missing.stderr
