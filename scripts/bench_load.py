"""Load throughput of `kg load` into real stores, by method: run by hand, prints triples/s.

    .venv/bin/python scripts/bench_load.py [--copies 20] [--chunk 2000]

Builds the seed graph, makes a large one from it (the seed repeated with its entity IRIs renamed
per copy; the ontology graph's copies coincide, so 25 copies are about 110k triples), starts the
Oxigraph server and, when installed, Virtuoso (the same private, loopback-only setup as the tests,
tests/servers.py), and loads each graph into each store by SPARQL Update and by the Graph Store
Protocol.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from kg.builder import build  # noqa: E402
from kg.namespace import ID  # noqa: E402
from kg.stores.load import load  # noqa: E402


def enlarge(seed: Path, out: Path, copies: int) -> int:
    """Write ``out/dataset.nq``: the seed's quads, ``copies`` times, entity IRIs renamed."""
    lines = (seed / "dataset.nq").read_text(encoding="utf-8").splitlines(keepends=True)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "dataset.nq").open("w", encoding="utf-8") as f:
        for n in range(copies):
            for line in lines:
                f.write(line.replace(f"<{ID}", f"<{ID}copy{n}/"))
    return len(lines) * copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=25)
    parser.add_argument("--chunk", type=int, default=2000)
    args = parser.parse_args()

    import shutil
    from contextlib import ExitStack

    import servers

    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        seed = Path(tmp) / "seed"
        build(ROOT / "data", seed)
        big = Path(tmp) / "big"
        lines = enlarge(seed, big, args.copies)
        stores = [stack.enter_context(servers.oxigraph(Path(tmp) / "oxigraph"))]
        if shutil.which("virtuoso-t"):
            stores.append(stack.enter_context(servers.virtuoso(Path(tmp) / "virtuoso")))
        else:
            print("virtuoso-t not installed: Oxigraph only", file=sys.stderr)
        print(f"large graph: {lines} quad lines ({args.copies} copies of the seed; "
              "the copies of the ontology graph coincide)")
        print(f"{'store':<10} {'method':<7} {'graph':<6} {'triples':>8} {'seconds':>8} "
              f"{'triples/s':>10}")
        for store in stores:
            os.environ.update(store.env)
            for method in ("update", "gsp"):
                for name, folder in (("seed", seed), ("large", big)):
                    report = load(folder, store.update, query_endpoint=store.query,
                                  gsp_endpoint=store.gsp, method=method, chunk=args.chunk,
                                  timeout=600)
                    print(f"{store.name:<10} {method:<7} {name:<6} {report.triples:>8} "
                          f"{report.seconds:>8.2f} {report.rate:>10.0f}", flush=True)
            for key in store.env:
                os.environ.pop(key, None)


if __name__ == "__main__":
    main()
