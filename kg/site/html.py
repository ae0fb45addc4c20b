"""HTML building blocks of the documentation site: the page shell, the stylesheet, relative
links, and source text with its annotated spans highlighted.

Every page is HTML5 with ``lang``, a viewport meta, one ``h1``, a skip link and relative links
only, so the site works from the file system and from any static HTTP server alike.
"""

from __future__ import annotations

import itertools
import posixpath
import re
from html import escape

SITE_NAME = "Agreements knowledge graph"


def esc(text: object) -> str:
    return escape(str(text), quote=True)


def rel(page: str, target: str) -> str:
    """The relative href from site path ``page`` to site path ``target`` (may carry ``#frag``).

    >>> rel("entity/japan.html", "class/Country.html#members")
    '../class/Country.html#members'
    """
    path, sep, fragment = target.partition("#")
    base = posixpath.dirname(page) or "."
    href = posixpath.relpath(path, base) if path else ""
    return href + sep + fragment


STYLE = """\
:root { --text: #111827; --muted: #4b5563; --link: #1d4ed8; --bg: #ffffff; --panel: #f6f7f9;
  --line: #d9dde3; --mark: #fde68a; --mark2: #fbbf24; --focus: #b45309; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 1rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--text); background: var(--bg); }
a { color: var(--link); text-underline-offset: 0.15em; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
svg a:focus-visible rect { stroke: var(--focus); stroke-width: 4; }
.skip { position: absolute; left: -999px; top: 0.5rem; background: var(--bg); padding: 0.5rem 1rem;
  border: 2px solid var(--focus); z-index: 10; }
.skip:focus { left: 0.5rem; }
header.site { background: #1e293b; color: #fff; }
header.site nav { max-width: 72rem; margin: 0 auto; padding: 0.6rem 1rem; display: flex;
  flex-wrap: wrap; gap: 0.4rem 1.2rem; align-items: baseline; }
header.site a { color: #fff; text-decoration: none; }
header.site a:hover { text-decoration: underline; }
header.site a.home { font-weight: 700; margin-right: auto; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
footer { max-width: 72rem; margin: 0 auto; padding: 1rem; color: var(--muted);
  border-top: 1px solid var(--line); font-size: 0.9rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0.6rem 0 0.4rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.6rem; padding-bottom: 0.2rem;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1.08rem; margin: 1.4rem 0 0.4rem; }
.iri, code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  font-size: 0.88em; }
.iri { color: var(--muted); overflow-wrap: anywhere; margin: 0 0 0.8rem; }
.lede { color: var(--muted); margin-top: 0; }
.chips { display: flex; flex-wrap: wrap; gap: 0.4rem; padding: 0; margin: 0.4rem 0;
  list-style: none; }
.chip { border: 1px solid var(--line); border-radius: 999px; padding: 0.1rem 0.65rem;
  background: var(--panel); }
.chip.inferred { border-style: dashed; }
.how { font-size: 0.78rem; font-weight: 600; letter-spacing: 0.02em; color: #6b21a8;
  background: #f3e8ff; border-radius: 4px; padding: 0 0.35rem; white-space: nowrap; }
.how.stated { color: #065f46; background: #d1fae5; }
.how.curated { color: #92400e; background: #fef3c7; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: 0.4rem 0.6rem;
  border-bottom: 1px solid var(--line); overflow-wrap: break-word; }
th { background: var(--panel); font-weight: 600; white-space: nowrap; }
td code { overflow-wrap: anywhere; }
figure { margin: 0; }
.figure { overflow-x: auto; border: 1px solid var(--line); border-radius: 8px; padding: 0.6rem;
  background: #fff; }
.figure svg { display: block; max-width: none; height: auto; }
.legend { color: var(--muted); font-size: 0.9rem; }
.evidence { list-style: none; padding: 0; margin: 0; }
.evidence li { border-left: 4px solid var(--mark2); background: var(--panel);
  padding: 0.6rem 0.9rem;
  margin: 0 0 0.8rem; border-radius: 0 6px 6px 0; }
.evidence blockquote { margin: 0 0 0.3rem; font-size: 1.02rem; }
mark { background: var(--mark); color: inherit; padding: 0 0.1em; border-radius: 2px; }
.meta { color: var(--muted); font-size: 0.9rem; margin: 0.2rem 0; }
.source-text { white-space: pre-wrap; background: var(--panel); padding: 1rem; border-radius: 8px;
  border: 1px solid var(--line); font-size: 1rem; line-height: 1.7; }
.source-text a.hl { background: var(--mark); color: var(--text); text-decoration: none;
  border-bottom: 2px solid var(--mark2); }
.source-text a.hl.deep { background: var(--mark2); }
.source-text a.hl:hover { text-decoration: underline; }
.source-text a.hl.draft, .evidence li.draft { background: repeating-linear-gradient(-45deg,
  var(--panel) 0 6px, var(--line) 6px 12px); border-color: var(--muted); }
.how.draft { background: var(--text); color: var(--bg, #fff); }
pre { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 0.8rem;
  overflow-x: auto; }
dl.term { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem;
  margin: 0.3rem 0; }
dl.term dt { color: var(--muted); }
dl.term dd { margin: 0; }
ul.tree, ul.tree ul { list-style: none; padding-left: 1.1rem; margin: 0; }
ul.tree { padding-left: 0; }
ul.tree li { margin: 0.15rem 0; }
ul.columns { columns: 16rem; padding-left: 1.2rem; }
details summary { cursor: pointer; color: var(--link); }
@media (max-width: 40rem) {
  h1 { font-size: 1.4rem; }
  dl.term { grid-template-columns: 1fr; }
  dl.term dd { margin-bottom: 0.4rem; }
  main { padding: 0.6rem 0.75rem 2rem; }
}
"""


def page(path: str, title: str, body: str, lang: str = "en") -> str:
    """A complete HTML page at site path ``path``; ``body`` holds the ``h1`` and the content."""
    home = rel(path, "index.html")
    nav = [(home, "Agreements KG", "home"), (rel(path, "ontology.html"), "Ontology", ""),
           (rel(path, "index.html#classes"), "Classes", ""),
           (rel(path, "index.html#documents"), "Documents", ""),
           (rel(path, "index.html#queries"), "Queries", "")]
    links = "".join(f'<a href="{h}"{f" class={c!r}" if c else ""}>{esc(t)}</a>'
                    for h, t, c in nav).replace("'", '"')
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)} · {SITE_NAME}</title>\n"
        f'<link rel="stylesheet" href="{rel(path, "style.css")}">\n</head>\n<body>\n'
        '<a class="skip" href="#main">Skip to content</a>\n'
        f'<header class="site"><nav aria-label="Site">{links}</nav></header>\n'
        f'<main id="main">\n{body}\n</main>\n'
        "<footer>Generated by <code>kg docs</code> from the built graph; every fact links to "
        "the words of the source it comes from.</footer>\n</body>\n</html>\n"
    )


def table(header: list[str], rows: list[list[str]], caption: str = "") -> str:
    """A table whose cells are already HTML; wrapped so it scrolls sideways on a phone."""
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>\n" for row in rows)
    cap = f"<caption class=\"meta\">{caption}</caption>" if caption else ""
    return (f'<div class="table-wrap"><table>{cap}<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}</tbody></table></div>")


def how(kind: str) -> str:
    """A small badge saying how a fact is known: stated, inferred or curated."""
    return f'<span class="how {esc(kind)}">{esc(kind)}</span>'


_END = re.compile(r"[.!?][\"”’)]?(?=\s)|\n")


def sentence(text: str, start: int, end: int, limit: int = 320) -> tuple[str, str, str]:
    """The sentence around ``text[start:end]``, as (before, quote, after).

    >>> sentence("One. The UK and Japan signed it today. Three.", 9, 21)
    ('The ', 'UK and Japan', ' signed it today.')
    """
    left = 0
    for match in _END.finditer(text, 0, start):
        left = match.end()
    while left < start and text[left].isspace():
        left += 1
    match = _END.search(text, end)
    right = match.end() if match else len(text)
    if text[right - 1:right] == "\n":
        right -= 1
    before, after = text[left:start], text[end:right]
    if len(before) > limit:
        before = "…" + before[-limit:].split(" ", 1)[-1]
    if len(after) > limit:
        after = after[:limit].rsplit(" ", 1)[0] + "…"
    return before, text[start:end], after


def highlight(text: str, spans: list[tuple[int, int, str | None, str]],
              drafts: set[tuple[int, int]] = frozenset()) -> str:
    """``text`` as HTML with each span ``(start, end, href, title)`` highlighted as a link.

    Spans may overlap: the text is cut at every boundary and each piece links to the shortest
    span covering it; pieces under two or more spans are marked ``deep``, pieces whose shortest
    span is in ``drafts`` (``(start, end)`` of unreviewed draft evidence) ``draft``. An empty
    anchor ``id="span-START-END"`` marks where each span begins, for links from entity pages.
    """
    cuts = sorted({0, len(text)} | {s for s, *_ in spans} | {e for _, e, *_ in spans})
    starts: dict[int, list[str]] = {}
    for s, e, *_ in sorted(set((s, e) for s, e, *_ in spans)):
        starts.setdefault(s, []).append(f"span-{s}-{e}")
    out = []
    for a, b in itertools.pairwise(cuts):
        out.extend(f'<span id="{i}"></span>' for i in starts.get(a, []))
        piece = esc(text[a:b])
        covering = sorted((e - s, s, href or "", title) for s, e, href, title in spans
                          if s <= a and e >= b)
        if not covering:
            out.append(piece)
            continue
        href = covering[0][2]
        deep = " deep" if len(covering) > 1 else ""
        length, start = covering[0][:2]
        deep += " draft" if (start, start + length) in drafts else ""
        titles = "; ".join(dict.fromkeys(t for *_, t in covering))
        if href:
            out.append(f'<a class="hl{deep}" href="{esc(href)}" title="{esc(titles)}">{piece}</a>')
        else:
            out.append(f'<mark class="{deep.strip()}" title="{esc(titles)}">{piece}</mark>'
                       if deep else f'<mark title="{esc(titles)}">{piece}</mark>')
    return "".join(out)
