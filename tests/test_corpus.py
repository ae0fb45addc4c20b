"""The evaluation corpus (tests/corpus/): the test split is frozen, and every split builds, alone
and together with the seed, so each gold annotation is valid and each quote is in its text."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.builder import build
from support import DATA, ROOT

CORPUS = ROOT / "tests" / "corpus"
TEST = CORPUS / "test"


def test_the_test_split_is_frozen():
    lines = (TEST / "FROZEN.sha256").read_text(encoding="utf-8").splitlines()
    entries = [re.fullmatch(r"([0-9a-f]{64})  (\S+)", line) for line in lines]
    assert all(entries), "each line is '<sha256>  <path>'"
    paths = [e.group(2) for e in entries]
    assert paths == sorted(paths)
    present = sorted(p.relative_to(TEST).as_posix() for p in TEST.rglob("*")
                     if p.is_file() and p.name != "FROZEN.sha256")
    assert present == paths, "files were added to or removed from the frozen test split"
    for entry in entries:
        digest = hashlib.sha256((TEST / entry.group(2)).read_bytes()).hexdigest()
        assert digest == entry.group(1), f"{entry.group(2)} changed; see tests/corpus/README.md"


@pytest.mark.parametrize("split", ["dev", "test"])
def test_each_split_builds(split: str, tmp_path: Path):
    report = build(CORPUS / split, tmp_path / "out")
    assert len(report.documents) >= 10 and report.evidence_records > 1000


def test_everything_builds_together_with_the_seed(tmp_path: Path):
    data = tmp_path / "all"
    shutil.copytree(DATA, data)
    for split in ("dev", "test"):
        for sub in ("sources", "annotations"):
            for path in (CORPUS / split / sub).iterdir():
                shutil.copy(path, data / sub / path.name)
    report = build(data, tmp_path / "out")
    assert len(report.documents) == 1 + sum(
        len(list((CORPUS / s / "annotations").glob("*.yaml"))) for s in ("dev", "test"))


# ---------------------------------------------------------------------------- the 0.2 migration
# scripts/migrate_corpus_0_2.py rewrote both splits' gold from ontology 0.1 to 0.2. Each rule of
# its docstring is tried here on a document written for the purpose, in flow and block style.

MIGRATE = ROOT / "scripts" / "migrate_corpus_0_2.py"

_TEXT = """\
Ruritania and Freedonia sign research treaty

Strelsau, 8 March 2021 - Ruritania and Freedonia today signed the Treaty on Research \
Cooperation, which entered into force upon signature. It was signed for Ruritania by Anna \
Berger, Minister of Research, Science and Innovation.

The Earth Observation Memorandum between the Ruritanian Space Agency and the Freedonian Space \
Agency was signed on 2 March 2021.

Ruritania cooperates under the Old Agreement, which was ratified by both countries. The Old \
Agreement was terminated last year. The Pact of Strelsau was signed long ago. The Accord of \
Zenda was signed on 1 March 2021 for Ruritania by Anna Berger.
"""

_GOLD = """\
# A document for the migration's tests: each rule once.
document: migration-rules
entities:
  treaty:
    a: [Treaty]
    label: Treaty on Research Cooperation
    quote: the Treaty on Research Cooperation
  memo:
    a: [MemorandumOfUnderstanding]
    label: Earth Observation Memorandum
    quote: The Earth Observation Memorandum
  old:
    a: [Agreement]
    label: Old Agreement
    quote: the Old Agreement
  pact:
    a: [Agreement]
    label: Pact of Strelsau
    quote: The Pact of Strelsau
  accord:
    a: [Agreement]
    label: Accord of Zenda
    quote: The Accord of Zenda
    curated:
      - {p: status, o: agr:StatusSigned, note: "a deprecated curated fact, kept"}
  ruritania:
    a: [State, Country]
    label: Ruritania
    quote: Ruritania and Freedonia today signed
  freedonia:
    a: [State, Country]
    label: Freedonia
    quote: and Freedonia today signed
  rsa:
    a: [Agency]
    label: Ruritanian Space Agency
    quote: the Ruritanian Space Agency
  fsa:
    a: [Agency]
    label: Freedonian Space Agency
    quote: the Freedonian Space Agency
  anna-berger:
    a: [Person]
    label: Anna Berger
    quote: Anna Berger
    occurrence: 1
  minister:
    a: [Post]
    label: Minister of Research, Science and Innovation (Ruritania)
    aliases: [Minister of Research, Science and Innovation, Research Minister]
    quote: Minister of Research, Science and Innovation
  sig-treaty:
    a: [SignatureEvent]
    label: Signature of the Treaty on Research Cooperation by Anna Berger
    quote: signed for Ruritania by Anna Berger
  sig-accord:
    a: [SignatureEvent]
    label: Signature of the Accord of Zenda by Anna Berger
    quote: for Ruritania by Anna Berger.
statements:
  - {s: sig-treaty, p: signatureOf, o: treaty, quote: "It was signed for Ruritania"}
  - {s: sig-treaty, p: onBehalfOf, o: ruritania, quote: "signed for Ruritania by Anna Berger"}
  - {s: treaty, p: dateSigned, value: 2021-03-08, quote: "today signed", resolved: "dateline"}
  - {s: treaty, p: status, o: agr:StatusInForce, quote: "which entered into force upon signature"}
  - {s: freedonia, p: partyTo, o: treaty, quote: "Ruritania and Freedonia today signed"}
  - s: rsa
    p: partyTo
    o: memo
    quote: between the Ruritanian Space Agency
  # a comment between two statements stays
  - {s: memo, p: hasParty, o: fsa, quote: "Freedonian Space Agency was signed", modality: hedged}
  - {s: memo, p: dateSigned, value: 2021-03-02, quote: "on 2 March 2021"}
  - {s: memo, p: status, o: agr:StatusSigned, quote: "Agency was signed on 2 March"}
  - {s: ruritania, p: partyTo, o: old, quote: "which was ratified by both countries"}
  - s: old
    p: status
    o: agr:StatusTerminated
    quote: The Old Agreement was terminated
  - {s: pact, p: status, o: agr:StatusSigned, quote: "The Pact of Strelsau was signed"}
  - {s: sig-accord, p: signatureOf, o: accord, quote: "The Accord of Zenda was signed"}
  - {s: sig-accord, p: onBehalfOf, o: ruritania, quote: "for Ruritania by Anna Berger."}
  - {s: sig-accord, p: onDate, value: 2021-03-01, quote: "on 1 March 2021"}
  - {s: accord, p: dateSigned, value: 2021-03-08, quote: "Strelsau, 8 March 2021"}
"""


def _migrate(folder: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(MIGRATE), str(folder), *options],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture()
def migrated(tmp_path: Path) -> tuple[Path, str]:
    from kg.builder.sources import sha256_text

    folder = tmp_path / "split"
    (folder / "sources").mkdir(parents=True)
    (folder / "annotations").mkdir()
    (folder / "sources" / "migration-rules.txt").write_text(_TEXT, encoding="utf-8")
    (folder / "sources" / "migration-rules.meta.yaml").write_text(
        f"title: Migration rules\nsha256: {sha256_text(_TEXT)}\n", encoding="utf-8")
    (folder / "annotations" / "migration-rules.yaml").write_text(_GOLD, encoding="utf-8")
    result = _migrate(folder)
    assert result.returncode == 0, result.stderr
    return folder, result.stdout


def test_the_migration_applies_each_rule(migrated: tuple[Path, str]):
    from kg.yamlio import read

    folder, summary = migrated
    path = folder / "annotations" / "migration-rules.yaml"
    text = path.read_text(encoding="utf-8")
    doc = read(path)
    ents = doc["entities"]
    facts = {(st["s"], st["p"], str(st.get("o", st.get("value")))) for st in doc["statements"]}
    treaty, mou = "treaty", "memo"
    # 1a (flow and block style, both directions), 1c, 1d
    assert ("rsa", "participantIn", mou) in facts
    assert (mou, "hasParticipant", "fsa") in facts
    assert ("ruritania", "partyTo", "old") in facts
    assert ("freedonia", "participantIn", treaty) in facts
    assert "  - s: rsa\n    p: participantIn\n" in text
    assert "  # a comment between two statements stays\n" in text
    # 2a: the undated signature gets the date; 4b and the consent by signature (binding)
    assert ("sig-treaty", "onDate", "2021-03-08") in facts
    eif = f"entry-into-force-of-{treaty}"
    assert {(eif, "eventOf", treaty), (eif, "onDate", "2021-03-08"),
            ("sig-treaty", "consentTo", treaty)} <= facts
    assert ents["sig-treaty"]["a"] == ["SignatureEvent", "ConsentBySignature"]
    assert ents[eif]["label"] == "Entry into force of the Treaty on Research Cooperation"
    # 2b: a signature event per participant of the memorandum; 3: its status dropped
    for party in ("rsa", "fsa"):
        event = f"signature-of-{mou}-for-{party}"
        assert ents[event]["a"] == ["SignatureEvent"]
        assert {(event, "signatureOf", mou), (event, "onBehalfOf", party),
                (event, "onDate", "2021-03-02")} <= facts
    hedged = next(st for st in doc["statements"] if st["p"] == "onBehalfOf"
                  and st["o"] == "fsa")
    assert hedged["modality"] == "hedged"
    assert hedged["quote"] == "Freedonian Space Agency was signed"
    # 5: a termination event
    assert ("termination-of-old", "eventOf", "old") in facts
    # kept: a status signed with nothing to sign for, a dateSigned that disagrees, a curated fact
    assert ("pact", "status", "agr:StatusSigned") in facts
    assert ("accord", "dateSigned", "2021-03-08") in facts
    assert not any(p in ("dateSigned", "status") and s in (treaty, mou) for s, p, _ in facts)
    # 6: a run of plain items joined where the text has it
    assert ents["minister"]["aliases"] == [
        "Minister of Research, Science and Innovation", "Research Minister"]
    assert "KEPT, not migrated: status StatusSigned (no signature event, no participant)" in summary
    assert "KEPT, not migrated: curated status" in summary
    assert text.count("# 0.2 migration:") == 1


def test_the_migration_builds_and_changes_nothing_the_second_time(migrated: tuple[Path, str],
                                                                  tmp_path: Path):
    folder, _ = migrated
    build(folder, tmp_path / "out")
    before = (folder / "annotations" / "migration-rules.yaml").read_bytes()
    again = _migrate(folder, "--check")
    assert again.returncode == 0 and "0 would change" in again.stdout
    assert (folder / "annotations" / "migration-rules.yaml").read_bytes() == before


@pytest.mark.parametrize("split", ["dev", "test"])
def test_both_splits_are_migrated(split: str):
    """The script has nothing left to do on either split, and no gold annotation uses the
    deprecated terms where the migration could record events instead."""
    result = _migrate(CORPUS / split, "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" not in result.stdout
    from kg.yamlio import read

    for path in (CORPUS / split / "annotations").glob("*.yaml"):
        used = {st["p"] for st in read(path)["statements"]}
        assert not used & {"status", "dateSigned", "dateEnteredIntoForce"}, path.name
