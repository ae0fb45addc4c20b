"""Shared fixtures: the seed graph built once per test session, a way to run the real `kg`
command against it, and the ``--regenerate`` option for the reviewed snapshots."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.builder import build
from support import DATA, run_kg


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regenerate", action="store_true",
                     help="rewrite tests/expected/ from the current build instead of comparing "
                     "(review the result with git diff before committing)")


@pytest.fixture(scope="session")
def regenerate(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--regenerate"))


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Schema closures are cached on disk; the tests use a cache of their own."""
    os.environ["KG_CACHE"] = str(tmp_path_factory.mktemp("kg-cache"))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed graph, built from data/ into a temporary folder."""
    out = tmp_path_factory.mktemp("seed") / "kg-build"
    build(DATA, out)
    return out


@pytest.fixture(scope="session")
def graph(built: Path):
    """The seed build opened with the Python API."""
    import kg

    return kg.Graph(built)


@pytest.fixture()
def kg_cli(built: Path, tmp_path: Path) -> Callable[..., subprocess.CompletedProcess]:
    """Run the real `kg` script against the seed build, in an empty working folder."""

    def run(*args: str, **options) -> subprocess.CompletedProcess:
        options.setdefault("build", built)
        options.setdefault("cwd", tmp_path)
        return run_kg(*args, **options)

    return run
