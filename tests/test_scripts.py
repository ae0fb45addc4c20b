"""The scripts in scripts/ (benchmarks and the extraction evaluation) still run: each one that
takes options answers ``--help``, and the read-path benchmark runs once end to end. Their
figures are printed for people, never asserted (speed is measured, not tested)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from support import ROOT

SCRIPTS = sorted((ROOT / "scripts").glob("*.py"))


@pytest.mark.parametrize("script", [s for s in SCRIPTS if "argparse" in s.read_text()],
                         ids=lambda s: s.name)
def test_script_answers_help(script):
    result = subprocess.run([sys.executable, str(script), "--help"], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.startswith("usage: "), result.stderr


def test_read_path_benchmark_runs():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench.py")],
                            env={**os.environ, "BENCH_RUNS": "1"}, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()[2:]
    assert len(rows) == 6 and all(float(r.split()[-2]) > 0 for r in rows), result.stdout
