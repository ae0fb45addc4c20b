"""Rewrite tests/expected/ from the current build, for review with `git diff` before committing.

Run after a deliberate change to the annotations, ontology or queries:
    .venv/bin/kg build && .venv/bin/python scripts/regenerate_expected.py && git diff tests/expected
"""

from __future__ import annotations

from pathlib import Path

from kg.namespace import PREFIXES
from kg.paths import QUERIES_DIR, ROOT, default_out
from kg.queries import bind, load
from kg.render import Format, render
from kg.store import run_local
from kg.validate import load_built

EXPECTED = ROOT / "tests" / "expected"


def main() -> None:
    build = default_out()
    dataset = load_built(build)
    for name in ("asserted", "inferred"):
        graph = dataset.graphs()[name]
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns, override=True, replace=True)
        (EXPECTED / f"{name}.ttl").write_text(graph.serialize(format="turtle"), encoding="utf-8")
    out = EXPECTED / "queries"
    out.mkdir(exist_ok=True)
    for path in sorted(QUERIES_DIR.glob("*.rq")):
        query = load(path)
        result = run_local(query.text, build, bind(query, {}), path.stem)
        graph_form = query.form in ("CONSTRUCT", "DESCRIBE")
        suffix, fmt = (".nt", Format.nt) if graph_form else (".tsv", Format.tsv)
        Path(out / f"{path.stem}{suffix}").write_bytes(render(result, fmt))
    print(f"rewrote {EXPECTED}; review with: git diff {EXPECTED.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
