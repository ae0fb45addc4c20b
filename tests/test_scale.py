"""The build at scale, on small corpora: a build into an earlier one reuses what did not change
and equals a fresh build byte for byte; the worker count does not change a byte; documents are
validated part by part with the same verdicts as the whole graph; a build that will not fit is
refused before it starts; lookups come from the name index with the same answers as reading
every name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.builder import build
from kg.builder.ontology import load_ontology, load_shapes, schema_of
from kg.builder.pipeline import make_dataset, read_annotations
from kg.builder.shapes import DATA_GRAPHS, validate
from kg.errors import ShapeViolation, WontFit
from kg.synth import synth
from kg.terms import triples_of
from support import DATA, written


def corpus(folder: Path, agreements: int, seed: int = 3) -> Path:
    synth(agreements, folder, seed)
    return folder


def move(source: Path, target: Path, doc: str) -> None:
    """Move document ``doc`` (annotation, text and sidecar) from one data folder to another."""
    for kind, suffixes in (("annotations", (".yaml",)), ("sources", (".txt", ".meta.yaml"))):
        (target / kind).mkdir(parents=True, exist_ok=True)
        for suffix in suffixes:
            shutil.move(source / kind / f"{doc}{suffix}", target / kind / f"{doc}{suffix}")


def store_quads(folder: Path) -> tuple[set[str], int]:
    """The store's quads without blank nodes (whose labels every load draws afresh), and how
    many there are with them."""
    import pyoxigraph

    quads = [str(q) for q in pyoxigraph.Store.read_only(str(folder / "store"))]
    return {q for q in quads if "_:" not in q}, len(quads)


def assert_same_build(incremental: Path, fresh: Path) -> None:
    assert written(incremental) == written(fresh)
    assert store_quads(incremental) == store_quads(fresh)


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    """A corpus of 15 synthetic agreements (later ones renew, amend or implement earlier ones,
    all share countries, capitals and offices) and a held-back 16th."""
    folder = corpus(tmp_path / "data", 16)
    move(folder, tmp_path / "held", "synthetic-0000016")
    return folder


def test_adding_editing_and_removing_documents_equals_a_fresh_build(data: Path, tmp_path: Path):
    out = tmp_path / "build"
    first = build(data, out, jobs=2)
    assert first.read == 15
    steps = []

    def add() -> None:
        move(tmp_path / "held", data, "synthetic-0000016")

    def edit() -> None:  # another relation between two documents' agreements
        for path in sorted((data / "annotations").glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            for old, new in (("p: renews", "p: amends"), ("p: amends", "p: implements"),
                             ("p: implements", "p: renews")):
                if old in text:
                    path.write_text(text.replace(old, new, 1), encoding="utf-8")
                    return
        raise AssertionError("no relation between agreements to edit")

    def remove() -> None:
        move(data, tmp_path / "gone", "synthetic-0000007")

    def inodes() -> dict[str, int]:
        return {f.name: f.stat().st_ino for f in (out / "cache" / "select").iterdir()}

    for step in (add, edit, remove):
        before = inodes()
        step()
        report = build(data, out, jobs=2)
        if step is add:  # it names a node an earlier document had alone: the earlier
            # document's choice for the shared shard is made again, not taken from the cache
            again = {n for n, i in inodes().items() if before.get(n) not in (None, i)}
            assert again, "no kept choice for the shared shard was made again"
        fresh = build(data, tmp_path / f"fresh-{step.__name__}", jobs=2)
        assert report.read < fresh.read, step.__name__
        assert report.triples == fresh.triples
        assert_same_build(out, tmp_path / f"fresh-{step.__name__}")
        steps.append(report.read)
    assert steps[0] <= 4  # the new document and the few whose parts it changes


def test_worker_count_changes_nothing(tmp_path: Path):
    data = corpus(tmp_path / "data", 9, seed=4)
    build(data, tmp_path / "one", jobs=1)
    build(data, tmp_path / "two", jobs=2)
    build(data, tmp_path / "three", jobs=3)
    assert written(tmp_path / "one") == written(tmp_path / "two") == written(tmp_path / "three")


def test_a_failed_incremental_build_leaves_the_earlier_one(data: Path, tmp_path: Path):
    out = tmp_path / "build"
    build(data, out, jobs=2)
    before = written(out)
    path = data / "annotations" / "synthetic-0000004.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("a: [Person]",
                                                             "a: [Person, Ministry]", 1),
                    encoding="utf-8")
    with pytest.raises(Exception, match="inconsistent"):
        build(data, out, jobs=2)
    assert written(out) == before


# --------------------------------------------------------------- validation, part by part

SHARED_SIGNATURE = '''document: {doc}
entities:
  {event}:
    a: [SignatureEvent]
    label: Signature {n}
    quote: "Signature {n}"
  ana-{n}:
    a: [Person]
    label: Ana {n}
    quote: "Ana {n}"
  treaty:
    a: [Treaty]
    label: The Treaty
    quote: The Treaty
  ruritania:
    a: [{party}]
    label: Ruritania
    quote: Ruritania
statements:
  - {{s: {event}, p: signatureOf, o: treaty, quote: "Signature {n} of The Treaty"}}
'''
SIGNER = '''  - {{s: {event}, p: signer, o: ana-{n}, quote: "Ana {n}"}}
'''
BEHALF = '''  - {{s: {event}, p: onBehalfOf, o: ruritania, quote: "for Ruritania"}}
'''


def write_document(data: Path, n: int, event: str, party: str = "State",
                   signer: bool = True, behalf: bool = True) -> None:
    import hashlib

    doc = f"doc-{n}"
    text = f"Signature {n} of The Treaty: Ana {n} signed for Ruritania.\n"
    (data / "sources").mkdir(parents=True, exist_ok=True)
    (data / "annotations").mkdir(parents=True, exist_ok=True)
    (data / "sources" / f"{doc}.txt").write_text(text, encoding="utf-8")
    (data / "sources" / f"{doc}.meta.yaml").write_text(
        f"title: Document {n}\nsha256: {hashlib.sha256(text.encode()).hexdigest()}\n",
        encoding="utf-8")
    text = SHARED_SIGNATURE + (SIGNER if signer else "") + (BEHALF if behalf else "")
    (data / "annotations" / f"{doc}.yaml").write_text(
        text.format(doc=doc, n=n, event=event, party=party), encoding="utf-8")


def whole_graph_violations(data: Path) -> list[str]:
    ontology = load_ontology()
    dataset = make_dataset(read_annotations(data, schema_of(ontology)), triples_of(ontology))
    graphs = dataset.graphs()
    return validate((t for name in DATA_GRAPHS for t in graphs[name]), load_shapes())


@pytest.mark.parametrize("case", ["shared-event-two-signers", "behalf-in-the-other-document",
                                  "events-apart", "no-behalf"])
def test_part_by_part_validation_gives_the_whole_graphs_verdict(tmp_path: Path, case: str):
    """Two documents name the same signature event, each with its own signer: neither part
    breaks 'at most one signer', the shared part does. The same event with its signer and the
    party it was signed for stated in one document only: the other document alone lacks a
    party, the whole graph has it. Events apart, the checks of each (reading the shared party's
    types) pass; an event that names no party fails in its own part."""
    data = tmp_path / "data"
    if case == "shared-event-two-signers":
        write_document(data, 1, "signature-of-the-treaty")
        write_document(data, 2, "signature-of-the-treaty")
    elif case == "behalf-in-the-other-document":
        write_document(data, 1, "signature-of-the-treaty")
        write_document(data, 2, "signature-of-the-treaty", signer=False, behalf=False)
    elif case == "events-apart":
        write_document(data, 1, "signature-1")
        write_document(data, 2, "signature-2")
    else:
        write_document(data, 1, "signature-1")
        write_document(data, 2, "signature-2", behalf=False)
    expected = whole_graph_violations(data)
    assert bool(expected) == (case in ("shared-event-two-signers", "no-behalf"))
    if not expected:
        build(data, tmp_path / "out", jobs=2)
        return
    with pytest.raises(ShapeViolation) as error:
        build(data, tmp_path / "out", jobs=2)
    assert str(error.value) == (f"{len(expected)} SHACL violation(s): "
                                + " | ".join(expected[:5]))


# ------------------------------------------------------------------------ before the wall


def test_a_build_that_would_not_fit_is_refused_before_it_starts(tmp_path: Path, monkeypatch):
    with pytest.raises(WontFit, match=r"needs about .* of memory .* but 1.0 KB is available "
                                      r"\(--memory\).*--no-fit-check"):
        build(DATA, tmp_path / "out", memory=1024)
    assert not (tmp_path / "out").exists()
    from kg.builder import fit

    monkeypatch.setattr(fit, "free_disk", lambda out: 10)
    with pytest.raises(WontFit, match=r"of disk .* but 10 bytes is free"):
        build(DATA, tmp_path / "out")
    build(DATA, tmp_path / "out", check_fit=False)  # the documented way past it


def test_the_estimate_grows_with_the_input(tmp_path: Path):
    from kg.builder.fit import estimate
    from kg.builder.pipeline import annotation_files

    small, large = corpus(tmp_path / "s", 2), corpus(tmp_path / "l", 20)
    a = estimate(annotation_files(small), small, 2)
    b = estimate(annotation_files(large), large, 2)
    assert b.triples > 5 * a.triples and b.disk > a.disk and b.memory >= a.memory
    built = build(large, tmp_path / "out")
    assert 0.5 < b.triples / built.total < 2  # the estimate is about right


# ------------------------------------------------------------------------------- lookups


def brute_force(folder: Path, text: str, limit: int = 10) -> list:
    """The lookup as it was: every name of the asserted graph scored."""
    import pyoxigraph

    from kg.namespace import GRAPHS
    from kg.query.lookup import Match, _rank, score

    store = pyoxigraph.Store.read_only(str(folder / "store"))
    names = ["label", "altLabel", "prefLabel", "acronym"]
    best: dict[str, Match] = {}
    for quad in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(
            GRAPHS["asserted"])):
        if quad.predicate.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1] in names and \
                type(quad.object).__name__ == "Literal":
            match = Match(quad.subject.value, quad.object.value,
                          round(score(text, quad.object.value), 3))
            iri = match.iri
            if match.score >= 0.6 and (iri not in best or _rank(match) < _rank(best[iri])):
                best[iri] = match
    return sorted(best.values(), key=_rank)[:limit]


def test_lookup_by_index_answers_as_reading_every_name(tmp_path: Path):
    """Names of a synthetic corpus, misspelt and cut short, found as the full scan finds them."""
    import random

    from kg.names import FILE
    from kg.query.lookup import best_bound, fold, folded_score, search

    data = corpus(tmp_path / "data", 6, seed=9)
    out = tmp_path / "out"
    build(data, out)
    shutil.copytree(DATA / "annotations", data / "annotations", dirs_exist_ok=True)
    shutil.copytree(DATA / "sources", data / "sources", dirs_exist_ok=True)
    build(data, out)
    rng = random.Random(1)
    titles = {m.name for m in brute_force(out, "between", 8)}  # agreements' long titles
    names = sorted({m.name for m in brute_force(out, "minister", 1000)}
                   | {"Hyper-Kamiokande", "Tohoku University", "Léa García", "United Kingdom"})
    names = sorted(titles) + names
    queries = ["hyper k", "kamiokandee", "METI", "中谷真一", "uk", "Japan", "of", "x"]
    for name in names[:40]:
        word = name.split()[0]
        cut = rng.randrange(1, len(word)) if len(word) > 2 else 0
        queries += [name, name.lower(), word, word[:cut] + word[cut + 1:], name[:len(name) // 2],
                    name.split(" (")[0]]  # a title without its year and number
    every_name = {m.name for m in brute_force(out, "a", 100000)} | set(names)
    for text in queries:  # a small limit prunes the misspellings more (names.candidates)
        q = fold(text)
        for name in every_name:  # the bound the lookup stops scoring at is one
            n = fold(name)
            assert folded_score(q, n) <= best_bound(len(q), len(n)) + 1e-9, (text, name)
        everything = brute_force(out, text, 1000)
        for limit in (1, 3, 10):
            assert search(out / FILE, text, limit) == everything[:limit], (text, limit)


def test_the_common_subsequence_is_the_longest():
    """The bit-parallel length the lookup bounds difflib's ratio with, against the textbook
    table, on random strings over a small alphabet (many repeats)."""
    import difflib
    import random

    from kg.query.lookup import common_subsequence

    def table(a: str, b: str) -> int:
        previous = [0] * (len(b) + 1)
        for x in a:
            row = [0]
            for j, y in enumerate(b):
                row.append(previous[j] + 1 if x == y else max(previous[j + 1], row[j]))
            previous = row
        return previous[-1]

    rng = random.Random(3)
    for _ in range(3000):
        a, b = ("".join(rng.choice("abc d") for _ in range(rng.randrange(40))) for _ in "ab")
        assert common_subsequence(a, b) == table(a, b), (a, b)
        ratio = difflib.SequenceMatcher(None, a, b).ratio()
        assert ratio * (len(a) + len(b)) <= 2 * common_subsequence(a, b) + 1e-9
