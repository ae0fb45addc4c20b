"""The reference the compiled SHACL checks (kg.builder.shapes) are held to: pySHACL itself."""

from __future__ import annotations

from rdflib import URIRef

from kg.builder.shapes import line
from kg.namespace import SH
from kg.terms import from_rdflib


def pyshacl_lines(data, shapes) -> list[str]:
    """pySHACL's violation lines for an rdflib graph, in the compiled checks' wording."""
    from pyshacl import validate as shacl

    _, report, _ = shacl(data, shacl_graph=shapes, ont_graph=None, inference="none",
                         advanced=True, allow_warnings=True)
    lines = set()
    # top-level results only: pySHACL also types the nested sh:detail results of sh:node
    for result in report.objects(None, URIRef(SH + "result")):
        focus = report.value(result, URIRef(SH + "focusNode"))
        path = report.value(result, URIRef(SH + "resultPath"))
        message = report.value(result, URIRef(SH + "resultMessage"))
        shown = str(focus) if isinstance(focus, URIRef) else from_rdflib(focus)
        lines.add(line(shown, str(path) if path else None, str(message)))
    return sorted(lines)
