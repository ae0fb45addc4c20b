"""Read-path latency: `kg query` and `kg lookup` as whole processes, beside `import rdflib`;
and `kg extract` of one press release with the rules alone and with the learned tagger.

Run by hand (`make bench`); it builds the seed graph into a temporary folder first. Prints the
median wall time of each command over N runs and its ratio to `python -c "import rdflib"`.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent


def median_seconds(command: list[str], env: dict[str, str]) -> float:
    subprocess.run(command, env=env, check=True, capture_output=True)  # warm the page cache
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KG_BUILD": str(Path(tmp) / "build")}
        subprocess.run([str(BIN / "kg"), "build", "-q", "--data", str(ROOT / "data")], env=env,
                       check=True)
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", data)
        doc = ROOT / "tests/corpus/dev/sources/korea-sweden-accelerator-wire-2024.txt"
        extract = [str(BIN / "kg"), "extract", str(doc), "--data", str(data), "--date",
                   "2024-06-13", "--out", str(Path(tmp) / "draft.yaml"), "--force", "--ner"]
        commands = {
            'python -c "import rdflib"': [sys.executable, "-c", "import rdflib"],
            "python -c pass": [sys.executable, "-c", "pass"],
            "kg query signatories": [str(BIN / "kg"), "query", "signatories", "-f", "tsv"],
            "kg query evidence": [str(BIN / "kg"), "query", "evidence", "-f", "json", "--param",
                                  "entity=id:george-freeman"],
            'kg lookup "hyper k"': [str(BIN / "kg"), "lookup", "hyper k", "-f", "json"],
            "kg describe id:japan": [str(BIN / "kg"), "describe", "id:japan", "-f", "json"],
            "kg extract --ner rules": [*extract, "rules"],
            "kg extract --ner tagger": [*extract, "tagger"],
        }
        results = {name: median_seconds(cmd, env) for name, cmd in commands.items()}
    base = results['python -c "import rdflib"']
    print(f"median of {RUNS} runs each, whole processes")
    print(f"{'command':<30} {'ms':>8} {'ratio to import rdflib':>24}")
    for name, seconds in results.items():
        print(f"{name:<30} {seconds * 1000:>8.1f} {seconds / base:>24.2f}")


if __name__ == "__main__":
    main()
