"""The command line: every command has help that teaches and is in the README, every README
command runs as written, outputs are in the formats asked for. Mistakes are in test_faults.py."""

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
from support import ROOT, run_kg

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands)
# commands that need a server are run by tests/test_triplestores.py, as the README shows them
ELSEWHERE = {"load", "serve"}


def test_kg_help_lists_every_command_with_its_whole_summary():
    out = run_kg("-h").stdout
    for name in COMMANDS:
        assert re.search(rf"│ {re.escape(name)}\s", out), name
    assert "..." not in out.split("Commands")[1], "a command summary is cut"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_is_documented(name: str):
    result = run_kg(name, "-h")
    assert result.returncode == 0 and f"Usage: kg {name}" in result.stdout
    assert "\\[" not in result.stdout, "help shows escaped brackets"
    lines = [line.strip() for line in result.stdout.split("Usage:")[1].splitlines()[1:]]
    summary = " ".join(lines[1:lines.index("", 1)]) if "" in lines[1:] else ""
    assert len(summary) > 20, f"kg {name} needs a help text that teaches"
    assert re.search(rf"\bkg {re.escape(name)}\b", README), f"kg {name} is not in the README"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_argument_and_option_has_help(name: str):
    (command,) = [c for c in app.registered_commands
                  if (c.name or c.callback.__name__.replace("_", "-")) == name]
    import typing

    arguments = []
    hints = typing.get_type_hints(command.callback, include_extras=True)
    for parameter in hints.values():
        if not hasattr(parameter, "__metadata__"):
            continue
        info = parameter.__metadata__[0]
        assert info.help, f"kg {name}: {parameter.name} has no help"
        if type(info).__name__ == "ArgumentInfo":
            arguments.append(info.help.split()[0])
    out = run_kg(name, "-h").stdout
    for first_word in arguments:  # typer shows argument help only where click lets it
        assert first_word in out.split("Arguments")[1].split("Options")[0], out


def readme_commands() -> list[str]:
    blocks = re.findall(r"```console\n(.*?)```", README, re.S)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ kg")]


@pytest.fixture(scope="module")
def readme_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty folder holding a copy of data/, as a newcomer's would."""
    import shutil

    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "data", folder / "data")
    assert run_kg("build", "-q", cwd=folder, env={"KG_BUILD": ""}).returncode == 0
    return folder


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs(command: str, readme_folder: Path):
    args = shlex.split(command)[1:]
    if args[0] in ELSEWHERE or "--endpoint" in args:
        pytest.skip("run against a real server in tests/test_triplestores.py")
    result = run_kg(*args, cwd=readme_folder, env={"KG_BUILD": ""})
    assert result.returncode == 0, f"{command}: {result.stderr}"
    assert result.stdout.strip() or args[0] in ("build", "docs", "export", "extract"), command


def test_readme_two_commands_are_the_makefile_targets():
    assert "make demo" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_hint_names_a_command_that_exists():
    """Messages tell users what to run; every `kg <word>` in the package's text is a command."""
    import ast

    named = set()
    for path in (ROOT / "kg").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                named |= set(re.findall(r"\bkg ([a-z][a-z-]+)\b", node.value))
    assert named - set(COMMANDS) == set(), sorted(named - set(COMMANDS))


# --- output formats ------------------------------------------------------------------------

def test_piped_output_is_exact_tsv_and_json_parses(kg_cli):
    tsv = kg_cli("query", "signatories").stdout.splitlines()
    assert tsv[0].startswith("?agreementLabel\t")
    assert '"George Freeman"@en' in "\n".join(tsv)
    data = json.loads(kg_cli("query", "signatories", "--format", "json").stdout)
    names = {b["signerLabel"]["value"] for b in data["results"]["bindings"]}
    assert names == {"George Freeman", "Nakatani Shinichi"}


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml", "md"])
def test_every_output_ends_with_a_newline(kg_cli, fmt: str):
    for args in (["query", "signatories"], ["sparql", "ASK { ?s ?p ?o }"]):
        out = kg_cli(*args, "-f", fmt).stdout
        assert out.endswith("\n"), (args, fmt)


def test_ask_and_construct_forms(kg_cli):
    arrangement = "id:uk-japan-science-and-technology-implementing-arrangement-2023"
    ask = kg_cli("query", "did-sign", "-p", "person=id:george-freeman", "-p",
                 f"agreement={arrangement}", "-f", "json").stdout
    assert ask == '{"head":{},"boolean":true}\n'
    from rdflib import Graph

    for fmt, rdf in (("ttl", "turtle"), ("jsonld", "json-ld"), ("nt", "nt"), ("xml", "xml")):
        out = kg_cli("query", "agreement-graph", "-p", f"agreement={arrangement}",
                     "-f", fmt).stdout
        assert len(Graph().parse(data=out, format=rdf)) > 20, fmt


def test_sparql_from_stdin_and_file(kg_cli, tmp_path: Path):
    query = ('SELECT ?n WHERE { ?p a agr:Person ; rdfs:label ?n FILTER(LANG(?n) = "en") } '
             "ORDER BY ?n")
    out = kg_cli("sparql", "-f", "csv", stdin=query).stdout
    assert out.splitlines() == ["n", "George Freeman", "Nakatani Shinichi"]
    path = tmp_path / "q.rq"
    path.write_text(query)
    assert kg_cli("sparql", "--file", str(path), "-f", "csv").stdout == out


def test_queries_lists_parameters_with_their_examples(kg_cli):
    listing = kg_cli("queries").stdout
    assert re.search(r"^did-sign .*--param person=id:\S+ --param agreement=id:\S+$", listing, re.M)
    data = json.loads(kg_cli("queries", "-f", "json").stdout)
    (did_sign,) = [q for q in data if q["name"] == "did-sign"]
    assert {p["name"]: p["required"] for p in did_sign["parameters"]} == {
        "person": True, "agreement": True}


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
def test_lookup_forgives_and_ranks(kg_cli, text: str, iri: str):
    data = json.loads(kg_cli("lookup", text).stdout)
    assert data["matches"][0]["iri"].endswith("/" + iri)
    assert data["card"]["iri"].endswith("/" + iri)


def test_lookup_without_a_match_says_so(kg_cli):
    result = kg_cli("lookup", "zzzz qqqq", "-f", "text")
    assert result.returncode == 0 and "no entity matches" in result.stderr
    assert json.loads(kg_cli("lookup", "zzzz qqqq").stdout) == {"matches": [], "card": None}


def test_card_marks_inferred_types_and_shows_quotes(kg_cli):
    card = json.loads(kg_cli("describe", "id:george-freeman").stdout)
    types = {(t["type"], t["how"]) for t in card["types"]}
    assert ("agr:Person", "stated") in types and ("agr:Signer", "inferred") in types
    assert any(r["predicate"] == "agr:signed" and r["how"] == "inferred"
               for r in card["outgoing"])
    assert any(e["quote"] and "George Freeman" in e["quote"] for e in card["evidence"])
    text = kg_cli("describe", "id:george-freeman", "-f", "text").stdout
    assert "(inferred)" in text and "\u201c" in text


def test_curated_facts_show_their_note_not_a_quote(kg_cli):
    card = json.loads(kg_cli("describe", "id:japan").stdout)
    (code,) = [e for e in card["evidence"] if e["predicate"] == "agr:countryCode"]
    assert code["kind"] == "Curated" and code["quote"] is None and code["start"] is None
    assert code["note"]
    text = kg_cli("describe", "id:japan", "-f", "text").stdout
    assert "agr:countryCode JP: ISO 3166-1" in text
    why = kg_cli("why", "id:japan", "agr:countryCode", "JP").stdout
    assert "[curated]" in why and "\u201c" not in why


def test_why_explains_an_inferred_triple_down_to_quotes(kg_cli):
    out = kg_cli("why", "id:george-freeman", "agr:signed",
                 "id:uk-japan-science-and-technology-implementing-arrangement-2023").stdout
    assert "[inferred]" in out and "prp-spo2" in out and "propertyChainAxiom" in out
    assert "[stated]" in out and "signed by UK Science Minister George Freeman" in out


def test_why_a_stated_triple_shows_its_quote(kg_cli):
    out = kg_cli("why", "id:signature-freeman-2023-05-15", "agr:signedAt", "id:tokyo").stdout
    assert "[stated]" in out and "in Tokyo\u201d" in out


def test_validate_conforms(kg_cli):
    assert kg_cli("validate").stdout.strip() == "conforms"


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
    result = run_kg("validate", "--build", str(copy))
    assert result.returncode == 1
    assert "id:mystery-investment" in result.stdout and "agr:amount" in result.stdout


# Modules the read path must not load: each costs tens of milliseconds at every start (rdflib
# ~200 ms; urllib.request 45 ms, which xml.sax.saxutils pulls in). Speed itself is measured by
# scripts/bench.py, not asserted; this keeps the cause from coming back unseen.
HEAVY = ("rdflib", "owlrl", "pyshacl", "urllib.request", "xml.sax", "yaml", "SPARQLWrapper")


@pytest.mark.parametrize("args", [("query", "signatories", "-f", "tsv"),
                                  ("lookup", "hyper k", "-f", "json"),
                                  ("describe", "id:japan", "-f", "json")], ids=lambda a: a[0])
def test_read_path_imports_nothing_heavy(built: Path, args: tuple[str, ...]):
    code = ("import sys, kg.cli\n"
            "try:\n    kg.cli.main()\nexcept SystemExit:\n    pass\n"
            f"print([m for m in sys.modules if m.split('.')[0] in {HEAVY!r} or m in {HEAVY!r}],"
            " file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                            env={**os.environ, "KG_BUILD": str(built)}, timeout=60)
    assert result.stdout, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]", result.stderr
