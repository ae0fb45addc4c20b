"""The package as users install it: a wheel built from the checkout, installed into a fresh
virtual environment, works in a folder that holds nothing but a copy of data/."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from support import DATA, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    source = tmp_path_factory.mktemp("src") / "agreements-kg"
    # a clean copy: what git tracks, not the checkout's venv or build outputs
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out),
                    str(source)], check=True, capture_output=True, timeout=600)
    (found,) = out.glob("agreements_kg-*.whl")
    assert not (source / "build" / "lib" / "kg-build").exists()
    return found


def test_the_wheel_carries_the_ontology_and_the_queries(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("kg/_shipped/ontology/agreements.ttl", "kg/_shipped/ontology/shapes/shapes.ttl",
                   "kg/_shipped/queries/signatories.rq",
                   "kg/extract/gazetteer_data/countries.tsv", "kg/builder/pipeline.py"):
        assert needed in names, needed
    assert not any(n.startswith(("tests/", "data/", "kg-build/")) for n in names)


def test_installed_wheel_builds_and_answers_in_an_empty_folder(wheel: Path, tmp_path: Path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    pip = env_dir / "bin" / "pip"
    subprocess.run([str(pip), "install", "--quiet", str(wheel)], check=True, timeout=900,
                   capture_output=True)
    work = tmp_path / "work"
    shutil.copytree(DATA, work / "data")
    kg = str(env_dir / "bin" / "kg")
    env = {"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path),
           "KG_CACHE": str(tmp_path / "cache")}
    built = subprocess.run([kg, "build"], cwd=work, env=env, capture_output=True, text=True,
                           timeout=300)
    assert built.returncode == 0, built.stderr
    assert (work / "kg-build" / "store").is_dir()
    answer = subprocess.run([kg, "query", "signatories", "-f", "csv"], cwd=work, env=env,
                            capture_output=True, text=True, timeout=120)
    assert answer.returncode == 0, answer.stderr
    assert "George Freeman" in answer.stdout and "Nakatani Shinichi" in answer.stdout
    listing = subprocess.run([kg, "queries"], cwd=work, env=env, capture_output=True,
                             text=True, timeout=120)
    assert listing.returncode == 0 and "signatories" in listing.stdout
    python = subprocess.run([str(env_dir / "bin" / "python"), "-c",
                             "import kg; print(len(kg.Graph('kg-build').query('signatories')"
                             ".dicts()))"], cwd=work, env=env, capture_output=True, text=True,
                            timeout=120)
    assert python.stdout.strip() == "2", python.stderr
