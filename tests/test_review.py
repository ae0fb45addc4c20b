"""The review loop: items still marked ``review: draft`` (what ``kg extract`` proposed) are
refused by ``kg build`` with their count and lines, and with ``--include-drafts`` they are built
as draft evidence (``agr:DraftEvidenceRecord``) and shown as drafts by every surface that shows
evidence: ``kg describe`` (text and JSON), ``kg why``, the saved query ``evidence`` and the docs
site's entity and document pages. Reviewed items are shown as before.

The drafts are made by marking two items of a copy of the seed annotation: a statement (the
hedged "could focus on ... semiconductors") and an entity (Tohoku University).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from rdflib import RDF, Namespace

from support import DATA, agr, iid, rdf_dataset, run_kg

SEED = "uk-japan-science-technology-agreement-2023"
STATEMENT = "quote: \"could focus on priority areas like semiconductors\", modality: hedged}"
ENTITY = "  tohoku-university:\n"
OA = Namespace("http://www.w3.org/ns/oa#")


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[int]]:
    """A copy of data/ with two items marked ``review: draft``; and their line numbers."""
    data = tmp_path_factory.mktemp("drafted") / "data"
    shutil.copytree(DATA, data)
    path = data / "annotations" / f"{SEED}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(STATEMENT) == 1 and text.count(ENTITY) == 1
    text = text.replace(STATEMENT, STATEMENT[:-1] + ", review: draft}")
    text = text.replace(ENTITY, ENTITY + "    review: draft\n")
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    # where the build locates them: a statement's line, an entity's first key
    marked = sorted(n + (line == ENTITY.rstrip("\n")) for n, line in enumerate(lines, 1)
                    if "review: draft}" in line or line == ENTITY.rstrip("\n"))
    return data, marked


@pytest.fixture(scope="module")
def built(drafted, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data, _ = drafted
    out = tmp_path_factory.mktemp("drafted-build") / "kg-build"
    result = run_kg("build", "--data", str(data), "--out", str(out), "--include-drafts")
    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("; 2 item(s) built as unreviewed drafts"), result.stdout
    return out


def test_build_refuses_drafts_with_count_and_lines(drafted, tmp_path: Path):
    data, marked = drafted
    out = tmp_path / "kg-build"
    result = run_kg("build", "--data", str(data), "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert result.stdout == "" and len(result.stderr.splitlines()) == 1, result.stderr
    path = data / "annotations" / f"{SEED}.yaml"
    assert result.stderr.startswith("error: 2 item(s) still marked 'review: draft' ("
                                    f"{path}:{marked[0]}, {path}:{marked[1]}):"), result.stderr
    assert "--include-drafts" in result.stderr
    assert not out.exists()


def test_draft_records_are_typed_and_only_they(built: Path):
    evidence = rdf_dataset(built).evidence
    drafts = set(evidence.subjects(RDF.type, agr("DraftEvidenceRecord")))
    facts = []
    for record in drafts:
        statement = evidence.value(record, OA.hasBody)
        facts.append((evidence.value(statement, RDF.subject),
                      evidence.value(statement, RDF.predicate),
                      evidence.value(statement, RDF.object)))
    arrangement = iid("uk-japan-science-and-technology-implementing-arrangement-2023")
    # the hedged statement, and the entity's type and name records
    assert [f for f in facts if f[0] != iid("tohoku-university")] == [
        (arrangement, agr("subject"), iid("semiconductors"))]
    assert (iid("tohoku-university"), RDF.type, agr("University")) in facts
    assert {s for s, _, _ in facts} == {arrangement, iid("tohoku-university")}
    assert len(set(evidence.subjects(RDF.type, agr("EvidenceRecord")))) == 238
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["draft_items"] == 2


def test_describe_marks_draft_evidence(built: Path):
    text = run_kg("describe", "id:tohoku-university", "--format", "text", build=built)
    assert text.returncode == 0, text.stderr
    quotes = [line for line in text.stdout.splitlines() if line.startswith("    \u201c")]
    assert quotes and all("DRAFT" in line for line in quotes), text.stdout
    card = json.loads(run_kg("describe", "id:tohoku-university", "--format", "json",
                             build=built).stdout)
    draft = {e["predicate"]: e["draft"] for e in card["evidence"]}
    assert draft["rdf:type"] and not draft["agr:locatedIn"], card["evidence"]  # a statement
    reviewed = json.loads(run_kg("describe", "id:japan", "--format", "json",
                                 build=built).stdout)
    assert reviewed["evidence"] and not any(e["draft"] for e in reviewed["evidence"])


def test_why_marks_draft_evidence(built: Path):
    agreement = "id:uk-japan-science-and-technology-implementing-arrangement-2023"
    draft = run_kg("why", agreement, "agr:subject", "id:semiconductors", build=built)
    assert draft.returncode == 0, draft.stderr
    assert "DRAFT" in draft.stdout and "Hedged" in draft.stdout, draft.stdout
    reviewed = run_kg("why", agreement, "agr:subject", "id:clean-technology", build=built)
    assert "DRAFT" not in reviewed.stdout and "Hedged" in reviewed.stdout, reviewed.stdout


def test_evidence_query_says_draft_or_reviewed(built: Path):
    agreement = "id:uk-japan-science-and-technology-implementing-arrangement-2023"
    result = run_kg("query", "evidence", "--param", f"entity={agreement}", "--format", "json",
                    build=built)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["results"]["bindings"]
    review = {(r["object"]["value"].rsplit("/", 1)[-1], r["review"]["value"]) for r in rows
              if r["predicate"]["value"] == str(agr("subject"))}
    assert ("semiconductors", "draft") in review and ("clean-technology", "reviewed") in review
    assert sum(1 for r in rows if r["review"]["value"] == "draft") == 1


def test_site_shows_draft_spans_apart(built: Path, tmp_path: Path):
    site = tmp_path / "site"
    result = run_kg("docs", "--out", str(site), build=built)
    assert result.returncode == 0, result.stderr
    page = (site / "document" / f"{SEED}.html").read_text(encoding="utf-8")
    reviewed, _, drafts = page.partition("<h2>Unreviewed draft spans</h2>")
    assert drafts, "no section of draft spans"
    assert "could focus on priority areas like semiconductors</q>" in drafts
    assert "could focus on priority areas like semiconductors</q>" not in reviewed
    assert re.search(r'class="hl[^"]*\bdraft\b', page)
    entity = (site / "entity" / "tohoku-university.html").read_text(encoding="utf-8")
    assert '<li class="draft">' in entity and 'class="how draft"' in entity
