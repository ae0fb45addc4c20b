"""Scale benchmark: the build and every saved query at 10k, 100k and 1M triples, against the
plain rdflib + owlrl + pySHACL build on the same input.

Run by hand (not in CI): ``.venv/bin/python scripts/bench_scale.py [SIZE ...] [--cap SECONDS]``.
For each size it synthesises a corpus (`kg synth`), then runs, each in its own child process so
that peak memory (``ru_maxrss``) is per build:

- the project's build (kg.build: fast reasoner, compiled SHACL checks, pyoxigraph output), timing
  its stages parse, reason, validate, store, serialise, then every saved query (queries/*.rq with
  its defaults) in process on the built store, median of 5 runs;
- the baseline: the same annotations read, then rdflib graphs, owlrl's closure, pySHACL, rdflib's
  N-Quads and Turtle serialisers and a pyoxigraph bulk load, then the queries with rdflib; killed
  after ``--cap`` seconds (default 300), shown as '>cap'.

Prints one table per size; each figure carries its ratio to the baseline (baseline / ours).
The parametrised queries are given an agreement, its signatory and its document sampled from the
corpus (their defaults name seed entities, which a synthetic corpus lacks).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STAGES = ("parse", "reason", "validate", "store", "serialise")


def emit(**fields) -> None:
    print(json.dumps(fields), flush=True)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_SAMPLE = """
SELECT ?agreement ?person ?document WHERE {
  ?event agr:signatureOf ?agreement ; agr:signer ?person .
  ?record prov:wasDerivedFrom ?doc ; oa:hasBody/rdf:subject ?agreement .
  ?doc dcterms:identifier ?document .
} ORDER BY ?agreement LIMIT 1
"""


def sample_parameters(store) -> dict[str, str]:
    """Values from the corpus itself for the queries' parameters (their defaults name seed
    entities, which a synthetic corpus does not have)."""
    from kg.store import prologue

    for row in store.query(prologue() + _SAMPLE, use_default_graph_as_union=True):
        agreement, person = row["agreement"].value, row["person"].value
        return {"agreement": agreement, "entity": agreement, "person": person,
                "document": row["document"].value}
    return {}


def saved_queries(values: dict[str, str] | None = None):
    from kg.paths import QUERIES_DIR
    from kg.queries import bind, load_all

    for name, saved in sorted(load_all(QUERIES_DIR).items()):
        names = {p.name for p in saved.parameters}
        yield name, saved, bind(saved, {k: v for k, v in (values or {}).items() if k in names})


def child_fast(source: Path, out: Path) -> None:
    from kg.builder import build
    from kg.store import open_store, run_local

    start = time.perf_counter()
    report = build(source, out)
    emit(kind="build", total=time.perf_counter() - start, stages=report.seconds,
         triples=sum(report.triples.values()), graphs=report.triples)
    store = open_store(out)
    for name, saved, bindings in saved_queries(sample_parameters(store)):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            result = run_local(saved.text, out, bindings, name, store=store)
            rows = len(list(result)) if hasattr(result, "__iter__") else 1
            times.append(time.perf_counter() - start)
        emit(kind="query", name=name, seconds=statistics.median(times), rows=rows)
    emit(kind="memory", peak_mb=peak_mb())


def child_baseline(source: Path, out: Path) -> None:
    import pyoxigraph
    from pyshacl import validate as shacl
    from rdflib import Dataset, Graph, URIRef

    from kg.build import read_annotations
    from kg.namespace import GRAPHS, PREFIXES
    from kg.ontology import load_ontology, load_shapes, schema_of
    from kg.queries import substitute_text
    from kg.rdf import to_graphs
    from kg.reason import owlrl_closure

    clock = {}
    begin = start = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal start
        clock[stage] = time.perf_counter() - start
        start = time.perf_counter()
        emit(kind="stage", stage=stage, seconds=clock[stage])

    ontology = load_ontology()
    asserted, evidence = to_graphs(read_annotations(source, schema_of(ontology)))
    lap("parse")
    inferred = owlrl_closure(ontology, asserted)
    lap("reason")
    data = Graph()
    for graph in (asserted, inferred, evidence):
        data += graph
    conforms, _, _ = shacl(data, shacl_graph=load_shapes(), ont_graph=None, inference="none",
                           advanced=True, allow_warnings=True)
    lap("validate")
    dataset = Dataset()
    for name, graph in zip(GRAPHS, (ontology, asserted, evidence, inferred), strict=True):
        named = dataset.graph(URIRef(GRAPHS[name]))
        for triple in graph:
            named.add(triple)
    out.mkdir(parents=True, exist_ok=True)
    quads = dataset.serialize(format="nquads")
    (out / "dataset.nq").write_text(quads, encoding="utf-8")
    store = pyoxigraph.Store(str(out / "store"))
    store.bulk_load(quads.encode("utf-8"), pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    lap("store")
    merged = data + ontology
    for prefix, ns in PREFIXES.items():
        merged.bind(prefix, ns)
    (out / "graph.ttl").write_text(merged.serialize(format="turtle"), encoding="utf-8")
    (out / "dataset.trig").write_text(dataset.serialize(format="trig"), encoding="utf-8")
    lap("serialise")
    emit(kind="build", total=time.perf_counter() - begin, stages=clock, conforms=conforms)
    for name, saved, bindings in saved_queries(sample_parameters(store)):
        # rdflib cannot ORDER BY unbound values (it compares None with None), so the baseline
        # runs each query without its ORDER BY clause: its figure is a lower bound
        text = re.sub(r"(?is)\bORDER\s+BY\b.*$", "", substitute_text(saved.text, bindings))
        start = time.perf_counter()
        result = dataset.query(text)
        rows = len(list(result)) if result.type != "ASK" else 1
        emit(kind="query", name=name, seconds=time.perf_counter() - start, rows=rows)
    emit(kind="memory", peak_mb=peak_mb())


def run_child(mode: str, source: Path, out: Path, cap: float | None) -> tuple[list[dict], bool]:
    command = [sys.executable, __file__, "--child", mode, str(source), str(out)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=cap)
        text, finished = done.stdout, done.returncode == 0
        if done.returncode:
            print(done.stderr[-2000:], file=sys.stderr)
    except subprocess.TimeoutExpired as exc:
        text = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        finished = False
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")], finished


def summary(events: list[dict]) -> dict:
    out: dict = {"stages": {}, "queries": {}}
    for e in events:
        if e["kind"] == "build":
            out["stages"].update(e["stages"])
            out["total"], out["triples"] = e["total"], e.get("triples")
        elif e["kind"] == "stage":
            out["stages"][e["stage"]] = e["seconds"]
        elif e["kind"] == "query":
            out["queries"][e["name"]] = e["seconds"]
        elif e["kind"] == "memory":
            out["peak_mb"] = e["peak_mb"]
    return out


def cell(ours: float | None, base: float | None, cap: float, done: bool, unit: str = "s") -> str:
    if ours is None:
        return "-"
    shown = f"{ours * 1000:.1f} ms" if unit == "ms" else f"{ours:.2f} s"
    if base is None:
        return f"{shown}  (baseline >{cap:.0f} s)" if not done else shown
    return f"{shown}  (x{base / ours:.1f})" if ours > 0 else shown


def table(size: int, ours: dict, base: dict, base_done: bool, cap: float) -> None:
    print(f"\n## {size:,} triples target: {ours.get('triples', 0):,} built triples")
    print(f"{'what':<28} {'ours (baseline / ours)':<34} baseline")
    for stage in STAGES:
        b = base["stages"].get(stage)
        print(f"{stage:<28} {cell(ours['stages'].get(stage), b, cap, base_done):<34} "
              f"{f'{b:.2f} s' if b is not None else f'>{cap:.0f} s (cap)'}")
    b = base.get("total") if base_done or "total" in base else None
    print(f"{'build end to end':<28} {cell(ours.get('total'), b, cap, base_done):<34} "
          f"{f'{b:.2f} s' if b is not None else f'>{cap:.0f} s (cap)'}")
    memory = f"{ours.get('peak_mb', 0):.0f} MB"
    print(f"{'peak memory (maxrss)':<28} {memory:<34} "
          + (f"{base['peak_mb']:.0f} MB" if "peak_mb" in base else "-"))
    for name, seconds in sorted(ours["queries"].items()):
        b = base["queries"].get(name)
        print(f"query {name:<22} {cell(seconds, b, cap, base_done, 'ms'):<34} "
              f"{f'{b * 1000:.1f} ms' if b is not None else f'>{cap:.0f} s (cap)'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--cap", type=float, default=300.0, help="baseline time cap (seconds)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, source, out = args.child
        (child_fast if mode == "fast" else child_baseline)(Path(source), Path(out))
        return
    from kg.synth import agreements_for, synth

    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        for size in args.sizes:
            source = Path(tmp) / f"corpus-{size}"
            synth(agreements_for(size), source, args.seed)
            ours, _ = run_child("fast", source, Path(tmp) / f"fast-{size}", None)
            base, done = run_child("baseline", source, Path(tmp) / f"base-{size}", args.cap)
            table(size, summary(ours), summary(base), done, args.cap)


if __name__ == "__main__":
    main()
