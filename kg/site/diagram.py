"""Diagrams of one entity's neighbourhood: gathered from the built store, laid out in columns,
written as inline SVG (no Graphviz needed), Graphviz DOT or Mermaid.

The entity sits in column 0, what it is directly linked to in column 1 and, for agreements,
what their signature events and investments link to in column 2 (signer, office, party, place,
date). Only the project's own properties are drawn (not the alignments' super-properties); when a
pair of nodes is linked by stated facts, the facts inferred about that pair are left out. The
layout is a pure function of the graph, so the same build gives the same bytes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from html import escape

from kg.errors import QueryError
from kg.namespace import AGR, GRAPHS, ID, PREFIXES


class DiagramFormat(StrEnum):
    svg = "svg"
    dot = "dot"
    mermaid = "mermaid"


@dataclass(frozen=True)
class Node:
    key: str  # an IRI, or "literal:<predicate>:<value>" for a value
    label: str
    kind: str  # agreement, signature, person, organisation, place, ..., value
    iri: str | None = None


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    inferred: bool = False


@dataclass
class Diagram:
    root: str
    title: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    column: dict[str, int] = field(default_factory=dict)

    def description(self) -> str:
        """The diagram in words, for screen readers and the SVG ``<desc>``."""
        lines = [f"{self.nodes[e.source].label} {e.label} {self.nodes[e.target].label}"
                 + (" (inferred)" if e.inferred else "") for e in self.edges]
        return f"Diagram of {self.title}: " + ("; ".join(lines) or "no links") + "."


# kind, in order of precedence, and the classes that make a node that kind
_KINDS = (
    ("signature", ("SignatureEvent",)),
    ("lifecycle", ("LifecycleEvent",)),
    ("agreement", ("Agreement",)),
    ("investment", ("Investment",)),
    ("programme", ("Programme", "ResearchProject")),
    ("facility", ("ResearchFacility",)),
    ("person", ("Person",)),
    ("post", ("Post",)),
    ("organisation", ("Actor",)),
    ("place", ("Place",)),
    ("event", ("Event",)),
    ("topic", ("TechnologyArea",)),
    ("document", ("Policy", "SourceDocument")),
)
#: fill and stroke of each kind; every fill is light so that dark text keeps a 7:1 contrast
STYLE = {
    "agreement": ("#e8eefc", "#1d4ed8"),
    "signature": ("#fdf0e2", "#b45309"),
    "lifecycle": ("#fdf0e2", "#b45309"),
    "person": ("#fbe9f1", "#be185d"),
    "post": ("#f3ecfd", "#7e22ce"),
    "organisation": ("#e6f4f1", "#0f766e"),
    "place": ("#eaf5e4", "#3f7d20"),
    "programme": ("#fef7d8", "#a16207"),
    "facility": ("#e5f3fb", "#0369a1"),
    "investment": ("#fdeaea", "#b91c1c"),
    "event": ("#eef0f3", "#475569"),
    "topic": ("#f1f1ea", "#57534e"),
    "document": ("#eef0f3", "#475569"),
    "value": ("#ffffff", "#6b7280"),
    "date": ("#ffffff", "#6b7280"),
    "status": ("#ffffff", "#6b7280"),
    "other": ("#ffffff", "#6b7280"),
}
_VALUE_PREDICATES = ("dateSigned", "dateEnteredIntoForce", "onDate", "amount", "currency",
                     "inYear", "inMonth")
_EXPAND = ("signature", "lifecycle", "investment")  # kinds whose own links are drawn in column 2
_SKIP = {AGR + "evidenceKind", AGR + "title", AGR + "acronym", AGR + "sha256"}


def kind_of(types: set[str]) -> str:
    """The diagram kind of an entity with these class IRIs (inferred ones included)."""
    for kind, classes in _KINDS:
        if any(AGR + c in types for c in classes):
            return kind
    return "other"


class _Graph:
    """What the diagram reads from the store: labels, types and the project's own links."""

    def __init__(self, store):
        from pyoxigraph import NamedNode

        self.store = store
        self.data = [NamedNode(GRAPHS["asserted"]), NamedNode(GRAPHS["inferred"])]
        self.ontology = NamedNode(GRAPHS["ontology"])
        self.label_p = NamedNode(PREFIXES["rdfs"] + "label")
        self.type_p = NamedNode(PREFIXES["rdf"] + "type")

    def label(self, iri: str) -> str:
        from pyoxigraph import NamedNode

        from kg.query.results import short

        node = NamedNode(iri)
        for graph in (*self.data, self.ontology):
            names = sorted(q.object.value for q in self.store.quads_for_pattern(
                node, self.label_p, None, graph)
                if getattr(q.object, "language", None) in ("en", None))
            if names:
                return names[0]
        return short(node)

    def types(self, iri: str) -> set[str]:
        from pyoxigraph import NamedNode

        return {q.object.value for g in self.data
                for q in self.store.quads_for_pattern(NamedNode(iri), self.type_p, None, g)}

    def links(self, iri: str) -> list[tuple[str, str, object, bool]]:
        """(direction, predicate, other term, inferred) for the project's own properties."""
        from pyoxigraph import NamedNode

        node, out = NamedNode(iri), []
        for graph in self.data:
            inferred = graph.value == GRAPHS["inferred"]
            for q in self.store.quads_for_pattern(node, None, None, graph):
                p = q.predicate.value
                if p.startswith(AGR) and p not in _SKIP:
                    out.append(("out", p, q.object, inferred))
            for q in self.store.quads_for_pattern(None, None, node, graph):
                p = q.predicate.value
                if p.startswith(AGR) and p not in _SKIP and q.subject.value.startswith(ID):
                    out.append(("in", p, q.subject, inferred))
        return sorted(out, key=lambda t: (t[0], t[1], str(t[2]), t[3]))


def gather(store, iri: str) -> Diagram:
    """The diagram of ``iri``'s neighbourhood; :class:`QueryError` when the graph has no ``iri``."""
    g = _Graph(store)
    types = g.types(iri)
    if not types:
        raise QueryError(f"nothing is known about <{iri}>; kg lookup finds entities by name")
    root_label = g.label(iri)
    diagram = Diagram(iri, root_label)
    diagram.nodes[iri] = Node(iri, root_label, kind_of(types), iri)
    diagram.column[iri] = 0
    facts: dict[tuple[str, str], list[tuple[str, bool]]] = {}

    def node_for(term) -> str:
        if type(term).__name__ == "NamedNode":
            key = term.value
            if key not in diagram.nodes:
                label, kind = g.label(key), kind_of(g.types(key))
                if key.startswith(AGR):  # a named individual of the ontology, e.g. a status
                    kind = "status"
                if kind == "signature" and " by " in label:  # "Signature of <root> by X"
                    label = "Signature by " + label.rsplit(" by ", 1)[1]
                diagram.nodes[key] = Node(key, label, kind, key)
            return key
        key = f"literal:{term}"
        datatype = getattr(getattr(term, "datatype", None), "value", "")
        kind = "date" if datatype.endswith(("#date", "#gYear", "#gYearMonth")) else "value"
        diagram.nodes.setdefault(key, Node(key, term.value, kind))
        return key

    def visit(subject: str, column: int) -> list[str]:
        reached = []
        for direction, p, other, inferred in g.links(subject):
            if type(other).__name__ != "NamedNode" and p.removeprefix(AGR) not in _VALUE_PREDICATES:
                continue
            key = node_for(other)
            if key == iri and column > 1:
                continue
            pair = (subject, key) if direction == "out" else (key, subject)
            facts.setdefault(pair, []).append((p, inferred))
            if key not in diagram.column or diagram.column[key] < column:
                diagram.column[key] = column
            reached.append(key)
        return reached

    first = visit(iri, 1)
    if diagram.nodes[iri].kind not in _EXPAND:
        for key in sorted(set(first)):
            if diagram.nodes[key].kind in _EXPAND:
                visit(key, 2)
    _edges(diagram, facts, g)
    return diagram


def _edges(diagram: Diagram, facts: dict, g: _Graph) -> None:
    """One edge per linked pair: stated facts if any (in their direction), else inferred ones."""
    by_pair: dict[frozenset, list[tuple[str, str, str, bool]]] = {}
    for (s, o), items in facts.items():
        for p, inferred in items:
            by_pair.setdefault(frozenset((s, o)), []).append((s, o, p, inferred))
    edges = []
    for items in by_pair.values():
        stated = [i for i in items if not i[3]]
        # inferred facts often come in inverse pairs: draw them from the node nearer the root
        first = min(((diagram.column[s], s != diagram.root, s) for s, _, _, _ in items))[2]
        keep = stated or [i for i in items if i[0] == first]
        columns = {diagram.column[s] for s, _, _, _ in keep} | {
            diagram.column[o] for _, o, _, _ in keep}
        if not stated and columns == {0, 2}:
            continue  # a shortcut the reasoner drew through a signature already on the picture
        directions = sorted({(s, o) for s, o, _, _ in keep})
        for s, o in directions:
            names = sorted({g.label(p) for s2, o2, p, _ in keep if (s2, o2) == (s, o)})
            edges.append(Edge(s, o, " · ".join(names), inferred=not stated))
    diagram.edges = sorted(edges, key=lambda e: (diagram.column[e.source] + diagram.column[
        e.target], e.source, e.target, e.label))


# ---------------------------------------------------------------- layout and SVG

WIDTH, GAP, PAD, LINE, FONT = 230, 190, 10, 18, 14
_CHARS = 25  # characters per line of a node label at FONT px in WIDTH px


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    h: int
    lines: tuple[str, ...]


def _order(diagram: Diagram) -> dict[int, list[str]]:
    kinds = [k for k, _ in _KINDS] + ["status", "date", "value", "other"]
    columns: dict[int, list[str]] = {}
    for key in sorted(diagram.nodes, key=lambda k: (kinds.index(diagram.nodes[k].kind),
                                                    diagram.nodes[k].label.casefold(), k)):
        columns.setdefault(diagram.column[key], []).append(key)
    return columns


def layout(diagram: Diagram) -> tuple[dict[str, Box], int, int]:
    """Boxes for every node and the picture's width and height (pixels)."""
    degree: dict[str, int] = {}
    for e in diagram.edges:
        degree[e.target] = degree.get(e.target, 0) + 1
        degree[e.source] = degree.get(e.source, 0) + 1
    columns = _order(diagram)
    boxes: dict[str, Box] = {}

    def size(key: str) -> tuple[tuple[str, ...], int]:
        lines = tuple(textwrap.wrap(diagram.nodes[key].label, _CHARS) or [""])
        text_h = (len(lines) + 1) * LINE + 2 * PAD - 4
        return lines, max(text_h, 12 * degree.get(key, 0) + 8)

    def place(keys: list[str], x: int, wanted: dict[str, float]) -> int:
        y = 0
        for key in keys:
            lines, h = size(key)
            y = max(y, int(wanted.get(key, 0) - h / 2))
            boxes[key] = Box(x, y, h, lines)
            y += h + 14
        return y

    heights = []
    x = WIDTH + GAP
    heights.append(place(columns.get(1, []), x, {}))
    parents: dict[str, list[float]] = {}
    for e in diagram.edges:
        for a, b in ((e.source, e.target), (e.target, e.source)):
            if diagram.column[a] == 1 and diagram.column[b] == 2:
                parents.setdefault(b, []).append(boxes[a].y + boxes[a].h / 2)
    col2 = sorted(columns.get(2, []), key=lambda k: (sum(parents.get(k, [0])) / len(
        parents.get(k, [0])), columns[2].index(k)))
    wanted = {k: sum(parents.get(k, [0])) / len(parents.get(k, [0])) for k in col2}
    heights.append(place(col2, 2 * (WIDTH + GAP), wanted))
    lines, h = size(diagram.root)
    middle = max(heights[0], h) / 2
    boxes[diagram.root] = Box(0, max(0, int(middle - h / 2)), h, lines)
    width = (WIDTH + GAP) * (2 if columns.get(2) else 1) + WIDTH if columns.get(1) else WIDTH
    height = max([b.y + b.h for b in boxes.values()])
    return boxes, width, height


def _ends(diagram: Diagram, boxes: dict[str, Box]) -> dict[tuple[int, str], float]:
    """Where each edge meets each box: spread along the box side, in the order of the far ends."""
    at: dict[str, list[tuple[float, int]]] = {}
    for i, e in enumerate(diagram.edges):
        for here, there in ((e.source, e.target), (e.target, e.source)):
            far = boxes[there]
            at.setdefault(here, []).append((far.y + far.h / 2, i))
    ends = {}
    for key, items in at.items():
        box = boxes[key]
        items.sort()
        for n, (_, i) in enumerate(items):
            ends[(i, key)] = box.y + box.h * (n + 1) / (len(items) + 1)
    return ends


def svg(diagram: Diagram, link: Callable[[str], str | None] = lambda _: None,
        ident: str = "diagram") -> str:
    """The diagram as an accessible SVG element (``role="img"``, ``<title>``, ``<desc>``).

    ``link`` maps an entity IRI to the href of its page, or None for no link; ``ident`` prefixes
    the element ids so several diagrams can share a page.
    """
    boxes, width, height = layout(diagram)
    ends = _ends(diagram, boxes)
    m = 8  # margin
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" role="img" '
        f'viewBox="{-m} {-m} {width + 2 * m} {height + 2 * m}" width="{width + 2 * m}" '
        f'height="{height + 2 * m}" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">',
        f'<title id="{ident}-title">{escape(diagram.title)}: how it connects</title>',
        f'<desc id="{ident}-desc">{escape(diagram.description())}</desc>',
        f'<defs><marker id="{ident}-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#4b5563"/></marker></defs>',
    ]
    labels = []
    for i, e in enumerate(diagram.edges):
        a, b = boxes[e.source], boxes[e.target]
        ya, yb = ends[(i, e.source)], ends[(i, e.target)]
        if a.x <= b.x:
            x1, x2 = a.x + WIDTH, b.x
        else:
            x1, x2 = a.x, b.x + WIDTH
        mid = (x1 + x2) / 2
        dash = ' stroke-dasharray="5 4"' if e.inferred else ""
        out.append(f'<path d="M{x1},{ya:.1f} C{mid:.1f},{ya:.1f} {mid:.1f},{yb:.1f} '
                   f'{x2},{yb:.1f}" fill="none" stroke="#4b5563" stroke-width="1.4"{dash} '
                   f'marker-end="url(#{ident}-arrow)"/>')
        # the label sits by the end in the right-hand column, above the line, so that labels of
        # the many edges leaving one node do not pile up
        lx, ly, anchor = (x2 - 8, yb - 5, "end") if x2 > x1 else (x1 - 8, ya - 5, "end")
        text = e.label + (" (inferred)" if e.inferred else "")
        labels.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}" font-size="12" '
                      f'fill="#1f2937" stroke="#ffffff" stroke-width="4" paint-order="stroke" '
                      f'stroke-linejoin="round">{escape(text)}</text>')
    for key in sorted(boxes, key=lambda k: (boxes[k].x, boxes[k].y)):
        node, box = diagram.nodes[key], boxes[key]
        fill, stroke = STYLE.get(node.kind, STYLE["other"])
        width_px = 3 if key == diagram.root else 1.5
        parts = [f'<rect x="{box.x}" y="{box.y}" width="{WIDTH}" height="{box.h}" rx="8" '
                 f'fill="{fill}" stroke="{stroke}" stroke-width="{width_px}"/>',
                 f'<text x="{box.x + PAD}" y="{box.y + PAD + 11}" font-size="11" '
                 f'font-weight="600" letter-spacing="0.06em" fill="{_dark(stroke)}">'
                 f'{escape(node.kind.upper())}</text>']
        for n, line in enumerate(box.lines):
            y = box.y + PAD + 11 + LINE * (n + 1)
            weight = ' font-weight="700"' if key == diagram.root else ""
            parts.append(f'<text x="{box.x + PAD}" y="{y}" font-size="{FONT}" '
                         f'fill="#111827"{weight}>{escape(line)}</text>')
        href = link(node.iri) if node.iri and key != diagram.root else None
        if href:
            out.append(f'<a href="{escape(href)}" class="node">' + "".join(parts) + "</a>")
        else:
            out.append('<g class="node">' + "".join(parts) + "</g>")
    out.extend(labels)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _dark(color: str) -> str:
    """A darker shade of ``color`` for small caption text (contrast above 4.5:1 on the fills)."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * 0.75) for c in (r, g, b)))


# ---------------------------------------------------------------- DOT and Mermaid


def _ids(diagram: Diagram) -> dict[str, str]:
    return {key: f"n{i}" for i, key in enumerate(
        sorted(diagram.nodes, key=lambda k: (diagram.column[k], k)))}


def dot(diagram: Diagram) -> str:
    """The diagram as Graphviz DOT (left to right, the same columns)."""

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    ids = _ids(diagram)
    lines = [f"digraph {q(diagram.title)} {{", "  rankdir=LR;",
             '  node [shape=box, style="rounded,filled", fontname="sans-serif"];',
             '  edge [fontname="sans-serif", fontsize=10];']
    for key, nid in ids.items():
        node = diagram.nodes[key]
        fill, stroke = STYLE.get(node.kind, STYLE["other"])
        label = "\\n".join(textwrap.wrap(node.label, _CHARS)).replace('"', '\\"')
        url = f", URL={q(node.iri)}" if node.iri else ""
        lines.append(f'  {nid} [label="{label}", fillcolor="{fill}", color="{stroke}"{url}];')
    for e in diagram.edges:
        style = ", style=dashed" if e.inferred else ""
        lines.append(f"  {ids[e.source]} -> {ids[e.target]} [label={q(e.label)}{style}];")
    return "\n".join(lines) + "\n}\n"


def mermaid(diagram: Diagram) -> str:
    """The diagram as a Mermaid flowchart (renders on GitHub and in many slide tools)."""

    def q(text: str) -> str:
        return '"' + text.replace('"', "#quot;") + '"'

    ids = _ids(diagram)
    lines = ["flowchart LR"]
    for key, nid in ids.items():
        lines.append(f"  {nid}[{q(diagram.nodes[key].label)}]")
    for e in diagram.edges:
        arrow = "-.->" if e.inferred else "-->"
        lines.append(f"  {ids[e.source]} {arrow}|{q(e.label)}| {ids[e.target]}")
    for kind in sorted({n.kind for n in diagram.nodes.values()}):
        fill, stroke = STYLE.get(kind, STYLE["other"])
        members = ",".join(ids[k] for k, n in diagram.nodes.items() if n.kind == kind)
        lines.append(f"  classDef {kind} fill:{fill},stroke:{stroke},color:#111827")
        lines.append(f"  class {members} {kind}")
    return "\n".join(lines) + "\n"


def render(diagram: Diagram, fmt: DiagramFormat) -> str:
    """The diagram as text in ``fmt`` (a standalone SVG document for svg)."""
    if fmt == DiagramFormat.dot:
        return dot(diagram)
    if fmt == DiagramFormat.mermaid:
        return mermaid(diagram)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg(diagram)


def show(graph, entity: str, fmt: DiagramFormat | str = DiagramFormat.svg) -> str:
    """The diagram of ``entity`` (an IRI or CURIE such as ``id:japan``) in ``graph`` (a
    :class:`kg.Graph`), as text.

    Raises :class:`QueryError` for an unknown format, a name that is no IRI or CURIE, or an
    entity the graph does not know.
    """
    try:
        fmt = DiagramFormat(fmt)
    except ValueError:
        raise QueryError(f"unknown diagram format {fmt!r}; use svg, dot or mermaid") from None
    return render(gather(graph.store, graph.entity(entity)), fmt)
