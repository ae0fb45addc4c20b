"""The scripts in scripts/ (benchmarks, the extraction evaluation) are run by hand, never by the
tests; what the tests check is that they have not rotted: every name a script imports from
``kg`` still exists where it imports it from."""

from __future__ import annotations

import ast
import importlib
import importlib.util

import pytest

from support import ROOT

SCRIPTS = sorted((ROOT / "scripts").glob("*.py"))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.name)
def test_script_imports_resolve(script):
    tree = ast.parse(script.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "kg":
            module = importlib.import_module(node.module)
            for alias in node.names:
                assert hasattr(module, alias.name) or importlib.util.find_spec(
                    f"{node.module}.{alias.name}"), f"{script.name}: {node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "kg":
                    importlib.import_module(alias.name)
