"""`kg extract`: HTML and dates, bad input refused in one line, drafts that build (as drafts),
and the extractor's figures on the gold documents held to a floor."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.builder import build
from kg.builder.annotation import read_annotation
from kg.builder.ontology import load_ontology, schema_of
from kg.errors import AnnotationError, ExtractError
from kg.extract.mentions import find_money
from kg.extract.text import document_date, find_dates, html_to_text
from support import DATA as DATA_DIR
from support import ROOT

KG = str(Path(sys.executable).parent / "kg")
DEV = ROOT / "tests" / "corpus" / "dev"
# the three documents written alongside the extractor (the floors below are theirs)
ORIGINAL = ("eu-japan-advanced-materials-2024", "japan-india-semiconductor-memorandum-2023",
            "uk-canada-quantum-arrangement-2024")
TEXTS = [DEV / "sources" / f"{name}.txt" for name in ORIGINAL]
SEED = DATA_DIR / "sources" / "uk-japan-science-technology-agreement-2023.txt"

# The extractor's figures on the development split (kg.extract.evaluate, summed over its
# documents, the rules alone: the shipped tagger has seen these documents) may not fall below
# these: a little under what it achieved when they were set (on dev 96, with the thirteenth
# and fourteenth batches and their rules: 0.942, 0.863, 0.958, 0.932, 0.618, 0.952).
DEV_FLOORS = {
    ("mentions", "precision"): 0.94, ("mentions", "recall"): 0.85,
    ("mentions", "linking"): 0.94,
    ("statements", "precision"): 0.92, ("statements", "recall"): 0.60,
    ("signers", "all_share"): 0.95,
}


def kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([KG, *args], capture_output=True, text=True, timeout=300)


def issued(text_path: Path) -> str:
    meta = text_path.with_name(f"{text_path.stem}.meta.yaml").read_text(encoding="utf-8")
    return next(line.split()[1] for line in meta.splitlines() if line.startswith("issued:"))


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    """A temporary copy of data/: tests never write into the real one."""
    shutil.copytree(DATA_DIR, tmp_path / "data")
    return tmp_path / "data"


def test_html_keeps_the_article_only():
    html = """<html><head><title>T</title><style>p{}</style></head><body>
      <header><a href="/">Home</a></header><nav><ul><li>News</li></ul></nav>
      <main><article><h1>UK and Canada sign</h1><p>Signed <b>today</b> in Ottawa.</p>
      <script>var x = 1;</script><ul><li>first point</li></ul></article>
      <aside>Related</aside></main><footer>Cookies</footer></body></html>"""
    assert html_to_text(html) == "UK and Canada sign\n\nSigned today in Ottawa.\n\n• first point"


@pytest.mark.parametrize(("text", "value", "relative"), [
    ("signed today (Monday 15 May) in Tokyo", "2023-05-15", True),
    ("announced in December", "2022-12", True),
    ("will meet again in November", "2023-11", True),
    ("Last year, the UK", "2022", True),
    ("Over the last week, in Japan", "2023-05", True),
    ("on 3 March 2021", "2021-03-03", False),
    ("cooperated since 1985", "1985", False),
])
def test_dates_resolve_against_the_document_date(text: str, value: str, relative: bool):
    found = find_dates(text, dt.date(2023, 5, 15))
    assert [d.value for d in found] == [value]
    assert (found[0].resolved is not None) is relative


def test_document_date_comes_from_the_text_or_must_be_given():
    assert document_date("Ottawa, 12 March 2024\nSigned today.", None) == dt.date(2024, 3, 12)
    with pytest.raises(ExtractError, match="--date"):
        document_date("Signed today (Monday 15 May).", None)


def test_money_with_currency():
    found = find_money("a further £15.5 million, €8 million, ¥1.5 billion and CHF 250,000")
    assert [(m.amount, m.currency) for m in found] == [
        ("15500000", "GBP"), ("8000000", "EUR"), ("1500000000", "JPY"), ("250000", "CHF")]


def _bad_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    cases = {
        "empty": (b"  \n", "is empty"),
        "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        "latin1": ("Zürich signed today".encode("latin-1"), "not UTF-8"),
        "enormous": (b"word " * 1_100_000, "too large"),
        "duplicate": (SEED.read_bytes(), "already in"),
    }
    out = {}
    for name, (content, message) in cases.items():
        path = tmp / f"{name}.txt"
        path.write_bytes(content)
        out[name] = (path, message)
    return out


@pytest.mark.parametrize("case", ["empty", "binary", "latin1", "enormous", "duplicate"])
def test_bad_input_is_one_line_and_writes_nothing(case: str, data: Path, tmp_path: Path):
    path, message = _bad_inputs(tmp_path)[case]
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    result = kg("extract", str(path), "--data", str(data), "--date", "2024-01-01")
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before


def test_nothing_is_overwritten_without_force(data: Path, tmp_path: Path):
    doc = tmp_path / "uk-japan-science-technology-agreement-2023.txt"
    doc.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    annotation = data / "annotations" / "uk-japan-science-technology-agreement-2023.yaml"
    curated = annotation.read_bytes()
    result = kg("extract", str(doc), "--data", str(data), "--date", "2023-05-15")
    assert result.returncode == 2 and "--force" in result.stderr
    assert annotation.read_bytes() == curated
    assert kg("extract", str(doc), "--data", str(data), "--date", "2023-05-15",
              "--force").returncode == 0
    assert "review: draft" in annotation.read_text(encoding="utf-8")


def test_drafts_build_with_include_drafts(data: Path, tmp_path: Path):
    """Every development document, drafted into one data folder with the seed, builds (reasoner
    and SHACL shapes included), and every drafted item is marked for review."""
    texts = sorted((DEV / "sources").glob("*.txt"))
    for text in texts:
        result = kg("extract", str(text), "--data", str(data), "--date", issued(text))
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"drafted {text.stem}:")
    report = build(data, tmp_path / "build", include_drafts=True)
    assert report.drafts > 200
    assert sorted(report.documents) == sorted([SEED.stem, *(t.stem for t in texts)])
    schema = schema_of(load_ontology())
    for text in TEXTS:
        draft = data / "annotations" / f"{text.stem}.yaml"
        body = draft.read_text(encoding="utf-8")
        items = body.count("\n  - {s:") + body.count("\n    a: [")
        marked = body.count("\n    review: draft\n") + body.count(", review: draft}\n")
        assert marked == items > 20
        assert (data / "sources" / text.name).read_bytes() == text.read_bytes()
        annotation = read_annotation(draft, data / "sources", schema)
        assert any(f.object.value.endswith("#SignatureEvent") for f in annotation.facts)


def test_html_document_is_drafted_from_its_article(data: Path, tmp_path: Path):
    text = (DEV / "sources" / "uk-canada-quantum-arrangement-2024.txt").read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    page = tmp_path / "uk-canada.html"
    page.write_text(f"<!doctype html><html><head><title>x</title></head><body><nav>Menu "
                    f"Home</nav><article>{paragraphs}</article><footer>Crown copyright</footer>"
                    "</body></html>", encoding="utf-8")
    result = kg("extract", str(page), "--data", str(data))
    assert result.returncode == 0, result.stderr
    source = (data / "sources" / "uk-canada.txt").read_text(encoding="utf-8")
    assert source.startswith("UK and Canada sign") and "Menu" not in source
    assert "Crown" not in source
    meta = (data / "sources" / "uk-canada.meta.yaml").read_text(encoding="utf-8")
    assert 'issued: "2024-03-12"' in meta  # the dateline, since no --date was given
    build(data, tmp_path / "build", include_drafts=True)


def test_draft_is_deterministic():
    from kg.extract.draft import draft, render
    from kg.extract.gazetteer import gazetteer

    text = SEED.read_text(encoding="utf-8")
    first, second = (render(draft(text, SEED.stem, dt.date(2023, 5, 15), gazetteer(None)))
                     for _ in range(2))
    assert first == second and first.count("review: draft") > 40


def test_review_key_only_says_draft(data: Path):
    path = data / "annotations" / "uk-japan-science-technology-agreement-2023.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    label: G7\n", "    label: G7\n    review: done\n"),
                    encoding="utf-8")
    with pytest.raises(AnnotationError, match="review must be 'draft'"):
        read_annotation(path, data / "sources", schema_of(load_ontology()))


def test_extractor_figures_hold_their_floors():
    from kg.extract.evaluate import evaluate, figures, total

    counts = evaluate([DEV], [DATA_DIR])
    assert len(counts) == len(list((DEV / "annotations").glob("*.yaml")))
    split = figures(total(counts))
    for (part, figure), floor in DEV_FLOORS.items():
        assert split[part][figure] >= floor, (part, figure, split[part])
