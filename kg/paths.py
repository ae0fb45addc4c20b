"""Where the project's files live. Import-light on purpose: the read path starts here."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
QUERIES_DIR = ROOT / "queries"
DATA_DIR = ROOT / "data"


def default_out() -> Path:
    """Where `kg build` writes and the read path reads: $KG_BUILD or build/ in the project."""
    return Path(os.environ.get("KG_BUILD") or ROOT / "build")
