"""Shared fixtures: the seed graph is built once per test session into a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.build import build
from kg.ontology import DATA_DIR


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Schema closures are cached on disk; the tests use a cache of their own."""
    os.environ["KG_CACHE"] = str(tmp_path_factory.mktemp("kg-cache"))


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed graph, built from data/ into a temporary folder."""
    out = tmp_path_factory.mktemp("seed") / "build"
    build(DATA_DIR, out)
    return out


@pytest.fixture()
def kg_env(built: Path) -> dict[str, str]:
    """Environment for running the real `kg` script against the session's build."""
    return {**os.environ, "KG_BUILD": str(built)}
