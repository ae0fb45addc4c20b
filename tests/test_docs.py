"""The documentation site and the diagrams: every page parses, nests its tags, has one h1 and
headings in order, uses no external asset, and every internal link and anchor resolves; two runs
are byte-identical; `kg show` draws the same picture in SVG, DOT and Mermaid."""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import kg
from kg.errors import NotBuilt, OutputError
from kg.resources import QUERIES_DIR
from kg.site import diagram
from kg.site.pages import generate, write_site
from support import run_kg

ARRANGEMENT = "id:uk-japan-science-and-technology-implementing-arrangement-2023"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


@pytest.fixture(scope="module")
def site(built, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    write_site(built, out)
    return out


class Page(HTMLParser):
    """Collects what the checks need and the nesting errors of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.links: list[tuple[str, str]] = []  # (tag, href or src)
        self.headings: list[int] = []
        self.lang = None
        self.viewport = False
        self.svgs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "meta" and a.get("name") == "viewport":
            self.viewport = True
        if "id" in a:
            self.ids.append(a["id"])
        for key in ("href", "src"):
            if key in a:
                self.links.append((tag, a[key]))
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        if tag == "svg":
            self.svgs.append(a)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}> "
                               f"at line {self.getpos()[0]}")
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()


def parse(path: Path) -> Page:
    parser = Page()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    if parser.stack:
        parser.errors.append(f"unclosed: {parser.stack}")
    return parser


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_page_counts(site):
    names = {p.relative_to(site).as_posix() for p in pages(site)}
    assert {"index.html", "ontology.html"} <= names
    kinds = {n.split("/")[0] for n in names if "/" in n}
    assert kinds == {"entity", "class", "document", "query"}
    queries = {p.stem for p in QUERIES_DIR.glob("*.rq")}
    assert {p.stem for p in (site / "query").glob("*.html")} == queries
    assert (site / "entity" / f"{ARRANGEMENT[3:]}.html").exists()
    assert (site / "class" / "Agreement.html").exists()


def test_every_page_is_well_formed_and_accessible(site):
    problems = []
    for path in pages(site):
        name = path.relative_to(site).as_posix()
        page = parse(path)
        problems += [f"{name}: {e}" for e in page.errors]
        if page.lang != "en":
            problems.append(f"{name}: no lang on <html>")
        if not page.viewport:
            problems.append(f"{name}: no viewport meta")
        if page.headings.count(1) != 1 or page.headings[0] != 1:
            problems.append(f"{name}: needs exactly one h1, first ({page.headings[:3]})")
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            if after > before + 1:
                problems.append(f"{name}: h{before} followed by h{after}")
        duplicates = {i for i in page.ids if page.ids.count(i) > 1}
        if duplicates:
            problems.append(f"{name}: duplicate ids {sorted(duplicates)[:3]}")
        for svg in page.svgs:
            if svg.get("role") != "img" or not svg.get("aria-labelledby"):
                problems.append(f"{name}: an svg without role=img and aria-labelledby")
        if not any(h == "#main" for _, h in page.links):
            problems.append(f"{name}: no skip link")
    assert problems == []


def test_every_internal_link_and_anchor_resolves(site):
    ids = {p.relative_to(site).as_posix(): set(parse(p).ids) for p in pages(site)}
    broken, checked = [], 0
    for path in pages(site):
        name = path.relative_to(site).as_posix()
        for tag, href in parse(path).links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                assert tag == "a", f"{name}: external asset {href}"  # links out are fine
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name),
                                                       unquote(parts.path))) if parts.path else name
            checked += 1
            if not (site / target).is_file():
                broken.append(f"{name}: {href} (no file {target})")
            elif parts.fragment and target.endswith(".html") and \
                    parts.fragment not in ids.get(target, set()):
                broken.append(f"{name}: {href} (no id {parts.fragment!r} in {target})")
    assert broken == []
    assert checked > 1000


def test_two_runs_are_byte_identical(built, site):
    again = generate(built)
    on_disk = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
               for p in site.rglob("*") if p.is_file() and p.name != ".kg-output.json"}
    assert again == on_disk


def test_entity_page_shows_signatories_quotes_and_types(site):
    text = (site / "entity" / f"{ARRANGEMENT[3:]}.html").read_text(encoding="utf-8")
    for expected in ("George Freeman", "Nakatani Shinichi", "UK Minister for Science",
                     "The new Implementing Arrangement was signed</mark>",
                     "characters 819–862", 'role="img"', "implementing arrangement",
                     '<span class="how inferred">inferred</span>'):
        assert expected in text, expected
    person = (site / "entity" / "nakatani-shinichi.html").read_text(encoding="utf-8")
    assert '<span lang="ja">中谷真一</span>' in person


def test_document_page_links_every_span(site):
    page = (site / "document" / "uk-japan-science-technology-agreement-2023.html").read_text(
        encoding="utf-8")
    assert 'id="span-819-862"' in page
    assert 'class="hl' in page and "../entity/george-freeman.html" in page


def test_query_pages_show_results(site):
    page = (site / "query" / "signatories.html").read_text(encoding="utf-8")
    assert "George Freeman" in page and "SELECT" in page and "row(s)" in page


def test_refuses_to_overwrite_a_folder_it_did_not_write(built, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="not written by kg docs"):
        write_site(built, tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_rewrites_its_own_site_but_keeps_a_file_added_since(built, tmp_path):
    out = tmp_path / "site"
    write_site(built, out)
    write_site(built, out)  # its own: replaced
    (out / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match=r"notes\.txt was not written by kg docs"):
        write_site(built, out)
    assert (out / "notes.txt").read_text() == "mine" and (out / "index.html").exists()


def test_a_changed_source_text_is_refused(built, tmp_path):
    import shutil

    copy = tmp_path / "build"
    shutil.copytree(built, copy)
    for path in (copy / "sources").glob("*.txt"):
        path.write_text(path.read_text(encoding="utf-8") + " ", encoding="utf-8")
    with pytest.raises(NotBuilt, match="changed since the build"):
        write_site(copy, tmp_path / "site")


@pytest.mark.parametrize("fmt", ["svg", "dot", "mermaid"])
def test_show_draws_the_signatories(built, fmt):
    result = run_kg("show", ARRANGEMENT, "--format", fmt, build=built)
    assert result.returncode == 0, result.stderr
    for name in ("George Freeman", "Nakatani Shinichi", "Tokyo", "United Kingdom", "Japan"):
        assert name in result.stdout
    if fmt == "svg":
        root = ET.fromstring(result.stdout.split("\n", 1)[1])
        ns = "{http://www.w3.org/2000/svg}"
        assert root.get("role") == "img"
        assert root.find(f"{ns}title").text and "George Freeman" in root.find(f"{ns}desc").text


def test_show_writes_a_file_and_rejects_bad_input(built, tmp_path):
    out = tmp_path / "d.mmd"
    ok = run_kg("show", "id:japan", "-f", "mermaid", "--out", str(out), build=built)
    assert ok.returncode == 0 and out.read_text().startswith("flowchart LR")
    graph = kg.Graph(built)
    with pytest.raises(Exception, match="nothing is known"):
        diagram.show(graph, "id:no-such-thing")
    with pytest.raises(Exception, match="unknown diagram format"):
        diagram.show(graph, "id:japan", "png")


def test_diagram_is_deterministic(built):
    graph = kg.Graph(built)
    assert diagram.show(graph, ARRANGEMENT) == diagram.show(graph, ARRANGEMENT)
