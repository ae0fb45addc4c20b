"""Every docstring example in kg/ and the README's Python section run as doctests (as
pyoxigraph's tests/test_doc.py does), with ``built`` naming the seed build."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

from support import ROOT

MODULES = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for p in (ROOT / "kg").rglob("*.py") if p.name != "__main__.py")
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str, built: Path):
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(module, extraglobs={"built": built}, optionflags=FLAGS,
                                  verbose=False, report=True)
    assert failures == 0, f"{name}: {failures} docstring example(s) failed (see above)"


def test_readme_python_section(built: Path, tmp_path: Path, monkeypatch):
    """`python -m doctest README.md` passes: the examples build into ./kg-build from ./data."""
    import shutil

    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KG_BUILD", raising=False)
    failures, tried = doctest.testfile(str(ROOT / "README.md"), module_relative=False,
                                       optionflags=FLAGS, verbose=False)
    assert tried > 5, "the README's Python section has no examples"
    assert failures == 0
