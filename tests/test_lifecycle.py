"""The law of it, on a corpus written for the purpose (tests/lifecycle/): signing is not consent
to be bound, a non-binding arrangement has participants and no parties, status follows from
dated events, and a withdrawal ends a party's obligations but not its participation.

- a bilateral treaty in force on signature (each signature a consent by signature);
- a multilateral treaty signed by three states and ratified by two;
- a non-binding memorandum between two agencies;
- a withdrawal from the multilateral treaty.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kg
from kg.builder import build
from support import ROOT

LIFECYCLE = ROOT / "tests" / "lifecycle"
TREATY = "id:ruritania-freedonia-science-agreement"
CONVENTION = "id:convention-on-polar-research-cooperation"
MOU = "id:elbonia-freedonia-earth-observation-mou"
ID = "https://w3id.org/agreements-kg/id/"


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> kg.Graph:
    return kg.Graph(build(LIFECYCLE, tmp_path_factory.mktemp("lifecycle") / "kg-build").out)


def roles(graph: kg.Graph, agreement: str) -> dict[str, str]:
    return {row["actor"].removeprefix(ID): row["role"]
            for row in graph.query("agreement-roles", agreement=agreement).dicts()}


def test_a_treaty_in_force_on_signature_makes_its_signatories_parties(graph: kg.Graph):
    assert roles(graph, TREATY) == {"ruritania": "party", "freedonia": "party"}
    status = {r["agreement"].removeprefix(ID): r["status"]
              for r in graph.query("agreement-status", date="2021-03-08").dicts()}
    assert status["ruritania-freedonia-science-agreement"] == "in force"
    before = {r["agreement"].removeprefix(ID): r["status"]
              for r in graph.query("agreement-status", date="2021-03-07").dicts()}
    assert before["ruritania-freedonia-science-agreement"] == "no dated step"


def test_a_signatory_that_did_not_ratify_is_no_party(graph: kg.Graph):
    assert roles(graph, CONVENTION) == {"ruritania": "party", "freedonia": "party",
                                        "elbonia": "signatory"}
    assert not bool(graph.sparql(f"ASK {{ id:elbonia agr:partyTo {CONVENTION} }}"))
    assert bool(graph.sparql(f"ASK {{ id:elbonia agr:participantIn {CONVENTION} }}"))
    elbonia = graph.query("party-agreements", party="id:elbonia", date="2024-01-01").dicts()
    assert [(r["role"], r["status"]) for r in elbonia] == [("signatory", "signed")]


def test_in_force_follows_the_dated_events(graph: kg.Graph):
    def in_force(date: str) -> set[tuple[str, str]]:
        return {(r["agreement"].removeprefix(ID), r["party"].removeprefix(ID))
                for r in graph.query("in-force", date=date).dicts()}

    assert in_force("2023-03-31") == {("ruritania-freedonia-science-agreement", "ruritania"),
                                      ("ruritania-freedonia-science-agreement", "freedonia")}
    assert ("convention-on-polar-research-cooperation", "freedonia") in in_force("2023-04-01")
    assert ("convention-on-polar-research-cooperation", "elbonia") not in in_force("2023-04-01")


def test_a_non_binding_arrangement_has_participants_and_no_parties(graph: kg.Graph):
    assert roles(graph, MOU) == {"elbonian-space-agency": "signatory",
                                 "freedonian-space-agency": "signatory"}
    assert not bool(graph.sparql(f"ASK {{ ?x agr:partyTo {MOU} }}"))
    assert {r["agreement"].removeprefix(ID) for r in graph.query(
        "in-force", date="2025-01-01").dicts()} == {"ruritania-freedonia-science-agreement",
                                                    "convention-on-polar-research-cooperation"}


def test_a_withdrawal_ends_the_obligations_but_not_the_participation(graph: kg.Graph):
    def status(date: str) -> str:
        (row,) = [r for r in graph.query("party-agreements", party="id:freedonia",
                                         date=date).dicts()
                  if r["agreement"] == ID + CONVENTION[3:]]
        return row["status"]

    assert status("2024-05-14") == "in force"
    assert status("2024-05-15") == "withdrawn"
    in_force = {(r["agreement"], r["party"]) for r in graph.query(
        "in-force", date="2024-06-01").dicts()}
    assert (ID + CONVENTION[3:], ID + "freedonia") not in in_force
    assert (ID + CONVENTION[3:], ID + "ruritania") in in_force
    assert roles(graph, CONVENTION)["freedonia"] == "party"


def test_the_timeline_is_in_date_order(graph: kg.Graph):
    rows = graph.query("timeline", agreement=CONVENTION).dicts()
    assert [r["what"] for r in rows] == ["signature event"] * 3 + [
        "ratification", "ratification", "entry into force", "withdrawal"]
    assert [str(r["date"]) for r in rows] == sorted(str(r["date"]) for r in rows)


def test_consent_to_a_non_binding_instrument_is_refused(tmp_path: Path):
    import shutil

    from kg.errors import InconsistentGraph

    data = tmp_path / "data"
    shutil.copytree(LIFECYCLE, data)
    path = data / "annotations" / "elbonia-freedonia-space-mou-2023.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "  - {s: signature-elbonian-space-agency-mou-2023, p: consentTo, "
                    "o: elbonia-freedonia-earth-observation-mou, quote: \"not legally binding\"}\n",
                    encoding="utf-8")
    with pytest.raises(InconsistentGraph, match="elbonia-freedonia-earth-observation-mou"):
        build(data, tmp_path / "out")
