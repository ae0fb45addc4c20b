"""Where the files the package needs are, and where commands read and write by default.

``ontology/`` and ``queries/`` are the project's source of truth at the top of the repository;
a built wheel ships copies of them inside the package (``kg/_shipped/``), so an installed ``kg``
finds them there and a checkout finds them beside ``kg/``. Import-light on purpose: the read
path starts here.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    inside = PACKAGE / "_shipped" / name
    return inside if inside.is_dir() else PACKAGE.parent / name


ONTOLOGY_DIR = _shipped("ontology")
QUERIES_DIR = _shipped("queries")

#: Defaults, relative to the current folder: the data folder and the build's output folder
#: (not ``build/``, which Python's packaging tools use).
DEFAULT_DATA = Path("data")
DEFAULT_BUILD = Path("kg-build")


def default_build() -> Path:
    """The build folder the commands use: ``$KG_BUILD``, else ``./kg-build``."""
    return Path(os.environ.get("KG_BUILD") or DEFAULT_BUILD)
