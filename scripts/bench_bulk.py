"""Bulk-load rates of a build's N-Quads into stores made for billions of triples: run by hand.

    .venv/bin/python scripts/bench_bulk.py BUILD [--pieces 4] [--loaders 2] [--buffers 680000]

``BUILD`` is a build folder (its ``dataset.nq``: the ontology, the shared part, then one part
per document). The file is cut at line boundaries into ``--pieces`` files, then loaded

- into Virtuoso (Debian ``virtuoso-opensource``) with its bulk loader: ``ld_dir`` registers
  the pieces, ``--loaders`` concurrent ``rdf_loader_run()`` sessions load them (one core
  each), ``checkpoint`` makes them durable; ``--buffers`` sets ``NumberOfBuffers`` (8 KB pages:
  680000 is Virtuoso's figure for 8 GB of memory);
- into Oxigraph with ``oxigraph load`` (the pieces in parallel, one store),

and each store is asked to count the quads. Prints seconds and quads per second for each, and
the arithmetic for 300M triples at the rate measured. docs/scale.md has the recipe and the
figures.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from kg.dataset import NQUADS, require  # noqa: E402
from kg.namespace import GRAPH, GRAPHS  # noqa: E402


def cut(source: Path, folder: Path, pieces: int) -> list[Path]:
    """``source`` in ``pieces`` files of about equal size, cut at line boundaries."""
    size = source.stat().st_size
    out = []
    with source.open("rb") as handle:
        for n in range(pieces):
            path = folder / f"piece-{n:03d}.nq"
            with path.open("wb") as piece:
                left = size // pieces if n < pieces - 1 else size
                while left > 0:
                    block = handle.read(min(left, 64 << 20))
                    if not block:
                        break
                    piece.write(block)
                    left -= len(block)
                piece.write(handle.readline())  # up to the end of the line cut
            out.append(path)
    return out


def isql(port: int, password: str, statement: str) -> str:
    binary = shutil.which("isql-vt") or shutil.which("isql")
    done = subprocess.run([binary, f"127.0.0.1:{port}", "dba", password, f"exec={statement}"],
                          capture_output=True, text=True, check=True, timeout=7200)
    return done.stdout


def virtuoso(pieces: list[Path], folder: Path, loaders: int, buffers: int) -> dict:
    import servers

    folder.mkdir()
    for piece in pieces:  # DirsAllowed holds the server's own folder
        piece.rename(folder / piece.name)
    with servers.virtuoso(folder, buffers=buffers) as store:
        port, password = store.isql, store.env["KG_PASSWORD"]
        start = time.perf_counter()
        isql(port, password, f"ld_dir('{folder}', 'piece-*.nq', '{GRAPHS['asserted']}');")
        sessions = [subprocess.Popen(
            [shutil.which("isql-vt") or shutil.which("isql"), f"127.0.0.1:{port}", "dba",
             password, "exec=rdf_loader_run();"], stdout=subprocess.DEVNULL)
            for _ in range(loaders)]
        for session in sessions:
            if session.wait() != 0:
                raise SystemExit("rdf_loader_run() failed")
        isql(port, password, "checkpoint;")
        seconds = time.perf_counter() - start
        errors = isql(port, password, "SELECT ll_file, ll_error FROM DB.DBA.load_list "
                                      "WHERE ll_error IS NOT NULL;")
        ours = GRAPH  # Virtuoso has graphs of its own
        count = isql(port, password, "SPARQL SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g "
                                     f"{{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), '{ours}')) }};")
    for piece in pieces:
        (folder / piece.name).rename(piece)
    return {"seconds": seconds, "count": _number(count), "errors": errors}


def _number(text: str) -> int:
    """The one value of an isql answer: the first line after the row of underscores."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    rule = next((i for i, line in enumerate(lines) if set(line) == {"_"}), None)
    return int(lines[rule + 1]) if rule is not None and lines[rule + 1].isdigit() else -1


def oxigraph(pieces: list[Path], folder: Path) -> dict:
    binary = str(Path(sys.executable).parent / "oxigraph")
    start = time.perf_counter()
    subprocess.run([binary, "load", "--location", str(folder), "--file",
                    *map(str, pieces)], check=True, capture_output=True)
    seconds = time.perf_counter() - start
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str(folder))
    (row,) = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    count = int(row["n"].value)
    return {"seconds": seconds, "count": count, "errors": ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("build", type=Path)
    parser.add_argument("--pieces", type=int, default=4)
    parser.add_argument("--loaders", type=int, default=2)
    parser.add_argument("--buffers", type=int, default=680000)
    parser.add_argument("--tmp", help="where to work (default: a temporary folder)")
    parser.add_argument("--stores", nargs="*", default=["virtuoso", "oxigraph"])
    args = parser.parse_args()
    source = require(args.build, NQUADS)
    with source.open("rb") as handle:
        lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(64 << 20), b""))
    print(f"{source}: {lines:,} quads, {source.stat().st_size / 1e9:.2f} GB", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-bulk-", dir=args.tmp) as tmp:
        pieces = cut(source, Path(tmp), args.pieces)
        results = {}
        if "virtuoso" in args.stores:
            results["virtuoso"] = virtuoso(pieces, Path(tmp) / "virtuoso", args.loaders,
                                           args.buffers)
        if "oxigraph" in args.stores:
            results["oxigraph"] = oxigraph(pieces, Path(tmp) / "oxigraph")
    print("| store | pieces, loaders | seconds | quads counted | quads/s | 300M at that rate |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        rate = lines / r["seconds"]
        how = f"{args.pieces}, {args.loaders}" if name == "virtuoso" else f"{args.pieces}, -"
        print(f"| {name} | {how} | {r['seconds']:.1f} | {r['count']:,} | {rate:,.0f} | "
              f"{300e6 / rate / 3600:.1f} h |")
        if r["errors"].strip() and "0 Rows" not in r["errors"]:
            print(f"{name} load errors:\n{r['errors']}")


if __name__ == "__main__":
    main()
