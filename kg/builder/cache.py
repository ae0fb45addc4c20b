"""What a build remembers for the next build into the same folder.

``cache/`` in a build folder holds, per document, what its first stage made that is small (its
asserted triples and their own closure, ``docs/<id>.json``), the ontology as parsed
(``ontology.json``, see :func:`ontology`), and ``index.json``: for each
annotation file the key it was read with and what the main process keeps of it, and for each
part of ``dataset.nq`` (the ontology, the shared part, one per document) where it sits and the
key it was cut with. A build into the same folder reads a document again only when its key
changed, and cuts its part again only when something the part depends on changed.

Keys are SHA-256 digests: a document's of its annotation, source text and sidecar and of
:func:`build_digest` (the ontology, the shapes, the reasoner and the code), so editing any of
those is a full rebuild. The cache is written like the rest of the build (byte-identical for
the same input) and deleting it only costs time.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

CACHE, INDEX = "cache", "index.json"
VERSION = 1
_DOCUMENT = re.compile(r"""^document:[ \t]*["']?([^"'\s#]+)["']?[ \t]*(?:#.*)?$""", re.M)


def code_digest() -> str:
    """The digest of the ``kg`` package's source (read once per build, used by both keys)."""
    from kg.resources import PACKAGE

    h = hashlib.sha256()
    _files(h, PACKAGE, "*.py")
    return h.hexdigest()


def build_digest(tbox: Iterable[tuple[str, str, str]], shapes: str, reasoner: str,
                 code: str) -> str:
    """The digest of everything but the documents that the output depends on: the ontology,
    the shapes, the reasoner, and the source of the ``kg`` package (``code``, its
    :func:`code_digest`) and the libraries that write the files."""
    import platform
    import sqlite3

    import pyoxigraph

    h = hashlib.sha256(f"{VERSION} {reasoner} {platform.python_version()} "
                       f"{pyoxigraph.__version__} {sqlite3.sqlite_version} {code}\n".encode())
    h.update("".join(sorted(" ".join(t) + "\n" for t in tbox)).encode())
    h.update(shapes.encode())
    return h.hexdigest()


def _files(h: Any, folder: Path, pattern: str) -> None:
    for path in sorted(folder.rglob(pattern)):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())


def ontology(out: Path, stage: Path, code: str) -> tuple[frozenset[tuple[str, str, str]], Any]:
    """The ontology's triples and the :class:`~kg.builder.annotation.Schema` annotations are
    read with. Parsing and canonicalising the ontology with rdflib takes a quarter of a
    second, so they are kept in ``cache/ontology.json`` and taken from the previous build in
    ``out`` while the ontology's files (shapes included) and the code (``code``, its
    :func:`code_digest`) are the same."""
    from kg.builder.annotation import Schema
    from kg.resources import ONTOLOGY_DIR

    h = hashlib.sha256(f"{VERSION} {code}\n".encode())
    _files(h, ONTOLOGY_DIR, "*.ttl")
    key = h.hexdigest()
    try:
        kept = json.loads((out / CACHE / "ontology.json").read_text(encoding="utf-8"))
        if kept["key"] != key:
            raise ValueError("another ontology")
        tbox = frozenset(tuple(t) for t in kept["tbox"])
        schema = Schema(frozenset(kept["classes"]), frozenset(kept["object_properties"]),
                        dict(kept["datatype_ranges"]), frozenset(kept["individuals"]))
    except (OSError, ValueError, KeyError, TypeError):
        from kg.builder.ontology import load_ontology, schema_of
        from kg.terms import triples_of

        graph = load_ontology()
        tbox, schema = frozenset(triples_of(graph)), schema_of(graph)
    from kg.output import write_text

    (stage / CACHE).mkdir(exist_ok=True)
    write_text(stage / CACHE / "ontology.json", json.dumps(
        {"key": key, "tbox": sorted(tbox), "classes": sorted(schema.classes),
         "object_properties": sorted(schema.object_properties),
         "datatype_ranges": dict(sorted(schema.datatype_ranges.items())),
         "individuals": sorted(schema.individuals)}, ensure_ascii=False) + "\n")
    return tbox, schema


def document_key(annotation: Path, sources: Path, digest: str) -> tuple[str | None, str]:
    """``(document name, key)`` of an annotation file: the SHA-256 of the build digest, the
    annotation and the source text and sidecar it names. The name is None when the file does
    not say ``document: NAME`` on a line of its own (the key then covers the annotation
    alone, and reading it will say what is wrong)."""
    h = hashlib.sha256(digest.encode())
    try:
        text = annotation.read_bytes()
    except OSError:
        return None, ""
    h.update(text)
    match = _DOCUMENT.search(text.decode("utf-8", "replace"))
    name = match.group(1) if match else None
    for suffix in (".txt", ".meta.yaml"):
        try:
            h.update(b"\0" + (sources / f"{name}{suffix}").read_bytes())
        except (OSError, TypeError):
            h.update(b"\0-")
    return name, h.hexdigest()


def digest(value: Any) -> str:
    """The SHA-256 of a JSON value (keys sorted)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def previous(out: Path, build: str) -> dict | None:
    """The index of the build in ``out`` when it was made by the same code from the same
    ontology and shapes (its digest is ``build``), else None."""
    try:
        index = json.loads((out / CACHE / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(index, dict) or index.get("build") != build:
        return None
    return index
