"""Scale benchmark: the build at 100k, 1M and 10M triples (30M with ``--30m``), adding one
document to each, every saved query and the read path at 1M and 10M, and the plain rdflib +
owlrl + pySHACL build at 10k and 100k; all in one run.

Run by hand (not in CI): ``.venv/bin/python scripts/bench_scale.py [--30m] [--sizes ...]``.
For each size it synthesises a corpus (``kg synth``, about 2,150 triples per agreement) and:

- builds it with ``kg build`` as a whole process (both cores), timing the stages the build
  reports and sampling the memory of its whole process tree (the main process, the workers,
  the store loader) every 50 ms: ``peak PSS`` is the largest sum of proportional set sizes
  (shared pages counted once), ``peak RSS`` the largest single process;
- adds one more document (the corpus ``kg synth`` makes with one more agreement) and builds
  into the same folder again: the incremental rebuild;
- at 1M and above: every saved query in process on the store (median of 5; parametrised ones
  get an agreement, its signatory and its document sampled from the corpus), and as whole
  processes ``kg lookup``, ``kg describe`` and ``kg query`` of every saved query that takes
  a parameter (given the sampled values), each run in turn with
  ``python -c "import rdflib"`` (median of 8, and the median of the paired ratios, each
  pair's order alternating);
- at 100k and below: the baseline, the same annotations through rdflib graphs, owlrl's
  closure, pySHACL and rdflib's serialisers, capped at ``--cap`` seconds.

Prints the machine's load averages before and after, then a table per size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BIN = Path(sys.executable).parent
KG = str(BIN / "kg")


def emit(**fields) -> None:
    print(json.dumps(fields), flush=True)


# ------------------------------------------------------------------------ process memory


def _tree(root: int) -> list[int]:
    """``root`` and every process descended from it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out


def _memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in bytes, 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            fields = dict(line.split(":", 1) for line in handle if ":" in line)
        return (int(fields["Pss"].split()[0]) * 1024, int(fields["Rss"].split()[0]) * 1024)
    except (OSError, KeyError, ValueError):
        return 0, 0


def run_measured(command: list[str], env: dict | None = None) -> tuple[float, int, int, str]:
    """Run ``command``; (seconds, peak PSS of its process tree, peak RSS of one process,
    stdout)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    peak = [0, 0]

    def sample() -> None:
        while process.poll() is None:
            sizes = [_memory(p) for p in _tree(process.pid)]
            peak[0] = max(peak[0], sum(p for p, _ in sizes))
            peak[1] = max([peak[1], *(r for _, r in sizes)])
            time.sleep(0.05)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - start
    watcher.join()
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{err[-3000:]}")
    return seconds, peak[0], peak[1], out


# ------------------------------------------------------------------------- the children


def child_build(source: str, out: str) -> None:
    """Build in this process (the benchmark samples the tree) and print the report."""
    from kg.builder import build

    start = time.perf_counter()
    report = build(Path(source), Path(out))
    emit(total=time.perf_counter() - start, stages=report.seconds, triples=report.total,
         read=report.read, documents=len(report.documents))


_SAMPLE = """
SELECT ?agreement ?person ?party ?document WHERE {
  ?event agr:signatureOf ?agreement ; agr:signer ?person ; agr:onBehalfOf ?party .
  ?record prov:wasDerivedFrom ?doc ; oa:hasBody/rdf:subject ?agreement .
  ?doc dcterms:identifier ?document .
} ORDER BY ?agreement LIMIT 1
"""


def sample_parameters(store) -> dict[str, str]:
    """Values from the corpus for the queries' parameters (their defaults name seed
    entities, which a synthetic corpus does not have)."""
    from kg.namespace import PREFIXES

    for row in store.query(_SAMPLE, prefixes=PREFIXES, use_default_graph_as_union=True):
        agreement, person = row["agreement"].value, row["person"].value
        return {"agreement": agreement, "entity": agreement, "person": person,
                "party": row["party"].value, "document": row["document"].value,
                "date": "2025-01-01"}
    return {}


def child_queries(out: str) -> None:
    """Every saved query on the built store, in process: median of 5."""
    from kg.query.run import open_store, run_local
    from kg.query.saved import bind, load_all
    from kg.resources import QUERIES_DIR

    store = open_store(Path(out))
    values = sample_parameters(store)
    emit(kind="sample", values=values)
    for name, saved in sorted(load_all(QUERIES_DIR).items()):
        names = {p.name for p in saved.parameters}
        times, rows = [], 0
        try:
            bindings = bind(saved, {k: v for k, v in values.items() if k in names})
            for _ in range(5):
                start = time.perf_counter()
                result = run_local(store, saved.text, bindings, name)
                rows = len(list(result)) if saved.form in ("SELECT", "CONSTRUCT",
                                                           "DESCRIBE") else 1
                times.append(time.perf_counter() - start)
        except Exception as exc:  # a figure missing is said, the others still measured
            emit(kind="query", name=name, seconds=float("nan"), rows=f"failed: {exc}")
            continue
        emit(kind="query", name=name, seconds=statistics.median(times), rows=rows)


def child_baseline(source: str, out: str) -> None:
    """The same annotations through rdflib, owlrl, pySHACL and rdflib's serialisers."""
    import pyoxigraph
    from pyshacl import validate as shacl
    from rdflib import Dataset, Graph, URIRef

    from kg.builder.evidence import to_triples
    from kg.builder.ontology import load_ontology, load_shapes, schema_of
    from kg.builder.pipeline import read_annotations
    from kg.namespace import GRAPHS, PREFIXES
    from kg.reason.reference import owlrl_closure
    from kg.terms import graph_of

    stages = {}
    start = begin = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal start
        stages[stage] = time.perf_counter() - start
        start = time.perf_counter()
        emit(kind="stage", stages=stages)

    ontology = load_ontology()
    asserted, evidence = (graph_of(g) for g in to_triples(read_annotations(
        Path(source), schema_of(ontology))))
    lap("parse")
    inferred = owlrl_closure(ontology, asserted)
    lap("reason")
    data = Graph()
    for graph in (asserted, inferred, evidence):
        data += graph
    shacl(data, shacl_graph=load_shapes(), ont_graph=None, inference="none", advanced=True,
          allow_warnings=True)
    lap("validate")
    dataset = Dataset()
    for name, graph in zip(GRAPHS, (ontology, asserted, evidence, inferred), strict=True):
        named = dataset.graph(URIRef(GRAPHS[name]))
        for triple in graph:
            named.add(triple)
    Path(out).mkdir(parents=True, exist_ok=True)
    quads = dataset.serialize(format="nquads")
    store = pyoxigraph.Store(str(Path(out) / "store"))
    store.bulk_load(quads.encode("utf-8"), pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    lap("store")
    merged = data + ontology
    for prefix, ns in PREFIXES.items():
        merged.bind(prefix, ns)
    merged.serialize(format="turtle")
    dataset.serialize(format="trig")
    lap("serialise")
    emit(kind="done", total=time.perf_counter() - begin, stages=stages,
         peak=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)


# ------------------------------------------------------------------------------ the runs


def events(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def _term(value: str) -> str:
    """A sampled value as ``--param`` takes it: an IRI in angle brackets, else as it is."""
    return f"<{value}>" if value.startswith("http") else value


def whole_process(command: list[str], yardstick: list[str], env: dict) -> tuple[float, float]:
    """``command``'s median wall time as a whole process and the median of its ratios to
    ``yardstick``'s, the two run in pairs eight times after one warm-up pair, so that a drift
    in the machine's speed moves both sides of each ratio alike; each pair's order alternates
    (A B, B A, ...), as the second of two runs in a row is measurably slower here."""
    ours, ratios = [], []
    for n in range(9):
        took = {}
        for which in ((0, 1) if n % 2 else (1, 0)):
            start = time.perf_counter()
            subprocess.run((command, yardstick)[which], env=env, check=True, capture_output=True)
            took[which] = time.perf_counter() - start
        if n:
            ours.append(took[0])
            ratios.append(took[0] / took[1])
    return statistics.median(ours), statistics.median(ratios)


def baseline(source: Path, out: Path, cap: float) -> dict:
    command = [sys.executable, __file__, "--child", "baseline", str(source), str(out)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=cap)
        found = events(done.stdout)
    except subprocess.TimeoutExpired as exc:
        text = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
        found = [*events(text), {"kind": "capped"}]
    result: dict = {"stages": {}}
    for e in found:
        if "stages" in e:
            result["stages"] = e["stages"]
        if e.get("kind") == "done":
            result.update(total=e["total"], peak=e["peak"])
        if e.get("kind") == "capped":
            result["capped"] = True
    return result


def _title(build: Path, values: dict) -> str:
    """The sampled agreement's title cut before its year: "Joint Statement on ... between A
    and B" (most names share most of its letters)."""
    from pyoxigraph import NamedNode

    from kg.api import Graph
    from kg.query.lookup import label

    return (label(Graph(build).store, NamedNode(values["agreement"])) or "").split(" (")[0]


def one_size(size: int, tmp: Path, seed: int, cap: float, read_path: bool) -> dict:
    from kg.synth import agreements_for

    agreements = agreements_for(size)
    corpus, out = tmp / f"corpus-{size}", tmp / f"build-{size}"
    subprocess.run([KG, "synth", "--agreements", str(agreements + 1), "--seed", str(seed),
                    "--out", str(tmp / f"plus-{size}")], check=True, capture_output=True)
    shutil.copytree(tmp / f"plus-{size}", corpus)
    last = f"synthetic-{agreements + 1:07d}"
    held = tmp / f"held-{size}"
    held.mkdir()
    for kind, suffix in (("annotations", ".yaml"), ("sources", ".txt"),
                         ("sources", ".meta.yaml")):
        shutil.move(corpus / kind / f"{last}{suffix}", held / f"{last}{suffix}")
    (corpus / ".kg-output.json").unlink()
    result: dict = {"size": size, "agreements": agreements}
    build = [sys.executable, __file__, "--child", "build", str(corpus), str(out)]
    seconds, pss, rss, text = run_measured(build)
    (report,) = events(text)
    result["build"] = {**report, "wall": seconds, "pss": pss, "rss": rss}
    result["disk"] = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    for kind, suffix in (("annotations", ".yaml"), ("sources", ".txt"),
                         ("sources", ".meta.yaml")):
        shutil.move(held / f"{last}{suffix}", corpus / kind / f"{last}{suffix}")
    seconds, pss, rss, text = run_measured(build)
    (report,) = events(text)
    result["add_one"] = {**report, "wall": seconds, "pss": pss, "rss": rss}
    if read_path:
        done = subprocess.run([sys.executable, __file__, "--child", "queries", str(out), ""],
                              capture_output=True, text=True, check=True)
        found = events(done.stdout)
        values = next(e["values"] for e in found if e["kind"] == "sample")
        result["queries"] = {e["name"]: (e["seconds"], e["rows"]) for e in found
                             if e["kind"] == "query"}
        env = {**os.environ, "KG_BUILD": str(out)}
        person = values.get("person", "").rsplit("/", 1)[-1]
        commands = {
            'python -c "import rdflib"': [sys.executable, "-c", "import rdflib"],
            "kg lookup (a person)": [KG, "lookup", person.replace("-", " ")[:-5], "-f",
                                     "json"],
            "kg lookup (typo)": [KG, "lookup", "Germny", "-f", "json"],
            "kg lookup Germany (a common word)": [KG, "lookup", "Germany", "-f", "json"],
            "kg lookup (a title without its year)": [KG, "lookup", _title(out, values), "-f",
                                                     "json"],
            "kg describe (an agreement)": [KG, "describe", f"<{values['agreement']}>", "-f",
                                           "json"],
            "kg describe id:japan": [KG, "describe", "id:japan", "-f", "json"],
        }
        from kg.query.saved import load_all
        from kg.resources import QUERIES_DIR

        for name, saved in sorted(load_all(QUERIES_DIR).items()):  # every parameterised one
            given = [f"{p.name}={_term(values[p.name])}" for p in saved.parameters
                     if p.name in values]
            if given:
                form = "nt" if saved.form in ("CONSTRUCT", "DESCRIBE") else "tsv"
                commands[f"kg query {name}"] = [KG, "query", name, "-f", form,
                                                *(a for g in given for a in ("--param", g))]
        rdflib = commands['python -c "import rdflib"']
        result["processes"] = {name: whole_process(cmd, rdflib, env)
                               for name, cmd in commands.items()}
    if size <= 100_000:
        result["baseline"] = baseline(corpus, tmp / f"base-{size}", cap)
    shutil.rmtree(out)
    return result


def _mb(n: int) -> str:
    return f"{n / (1 << 20):,.0f} MB"


def table(r: dict) -> None:
    b, a = r["build"], r["add_one"]
    print(f"\n## {r['size']:,} triples target: {b['triples']:,} built triples, "
          f"{r['agreements']:,} agreements")
    print("| what | ours | baseline (rdflib + owlrl + pySHACL) |\n|---|---|---|")
    base = r.get("baseline", {})
    theirs = base.get("stages", {})
    for stage in dict.fromkeys([*b["stages"], *theirs]):
        ours, other = b["stages"].get(stage), theirs.get(stage)
        print(f"| {stage} | {f'{ours:.2f} s' if ours is not None else '-'} | "
              f"{f'{other:.2f} s' if other is not None else '-'} |")
    capped = " (capped)" if base.get("capped") else ""
    other = f"{base['total']:.2f} s" if "total" in base else f">{CAP:.0f} s{capped}" \
        if base else "-"
    print(f"| build, whole process | **{b['wall']:.2f} s** | {other} |")
    print(f"| peak memory, process tree (PSS) | **{_mb(b['pss'])}** | "
          f"{_mb(base['peak']) if 'peak' in base else '-'} |")
    print(f"| largest process (RSS) | {_mb(b['rss'])} | |")
    print(f"| build folder on disk | {_mb(r['disk'])} | |")
    print(f"| add one document, rebuild | **{a['wall']:.2f} s** ({a['read']} read, "
          f"{a['wall'] / b['wall'] * 100:.1f}% of the build), peak {_mb(a['pss'])} | |")
    if "processes" in r:
        print("\n| whole process (median of 8) | ms | / import rdflib (median of paired "
              "ratios) |\n|---|---|---|")
        for name, (seconds, ratio) in r["processes"].items():
            print(f"| {name} | {seconds * 1000:.0f} | {ratio:.2f} |")
        print("\n| saved query (in process, median of 5) | ms | rows |\n|---|---|---|")
        for name, (seconds, rows) in sorted(r["queries"].items()):
            print(f"| {name} | {seconds * 1000:.1f} | {rows} |")


CAP = 300.0


def main() -> None:
    global CAP
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=int,
                        default=[10_000, 100_000, 1_000_000, 10_000_000])
    parser.add_argument("--30m", dest="thirty", action="store_true", help="add 30M")
    parser.add_argument("--cap", type=float, default=CAP, help="baseline time cap (seconds)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tmp", help="where to work (default: a temporary folder)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, a, b = args.child
        {"build": child_build, "queries": lambda out, _: child_queries(out),
         "baseline": child_baseline}[mode](a, b)
        return
    CAP = args.cap
    sizes = args.sizes + ([30_000_000] if args.thirty else [])
    print("load averages before:", os.getloadavg(), flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-scale-", dir=args.tmp) as tmp:
        for size in sizes:  # each table as soon as its size is done
            table(one_size(size, Path(tmp), args.seed, args.cap, size >= 1_000_000))
            print("load averages now:", os.getloadavg(), flush=True)


if __name__ == "__main__":
    main()
