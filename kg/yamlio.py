"""YAML in and out: one strict reader and one deterministic writer.

The reader is YAML 1.2-minded where YAML 1.1 surprises annotators: only ``true``/``false`` are
booleans (a country code ``NO`` stays a string) and dates stay text for the schema to check.
It refuses a key given twice in one mapping (PyYAML keeps the last silently) and remembers the
line of every mapping, so that every message can name ``file:line``.

The writer emits the subset the project writes (annotations, sidecars, synthetic corpora):
block mappings, flow lists of scalars, one-line flow mappings as list items, and comments.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, ClassVar

import yaml

from kg.errors import AnnotationError


class Mapping(dict):
    """A parsed YAML mapping that knows the line it starts on and the line of each key."""

    line = 0
    lines: ClassVar[dict] = {}  # replaced per instance by the constructor

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser: ~10x faster
    pass


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers
          if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class DuplicateKey(yaml.YAMLError):
    def __init__(self, key: Any, line: int, first: int):
        super().__init__(f"key {key!r} given twice (first on line {first})")
        self.key, self.line = key, line


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    mapping, lines = Mapping(), {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in lines:
            raise DuplicateKey(key, key_node.start_mark.line + 1, lines[key])
        lines[key] = key_node.start_mark.line + 1
        mapping[key] = loader.construct_object(value_node, deep=True)
    mapping.line, mapping.lines = node.start_mark.line + 1, lines
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def loads(text: str, origin: str, error: type[Exception] = AnnotationError) -> Any:
    """Parse YAML ``text``; ``error`` names ``origin:line`` for bad syntax or a duplicate key."""
    try:
        return yaml.load(text, Loader=_Loader)
    except DuplicateKey as exc:
        raise error(f"{origin}:{exc.line}: {exc}; keep one") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise error(f"{origin}{line}: invalid YAML ({problem}); fix the syntax") from None


def read(path: Path, error: type[Exception] = AnnotationError) -> Any:
    """Parse a YAML file (see :func:`loads`); an unreadable file is ``error`` too."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{path}: cannot read it ({getattr(exc, 'strerror', None) or exc})") from None
    return loads(text, str(path), error)


class Comment:
    """Comment lines (or, empty, a blank line): as a mapping key (its value is ignored) or as
    a list item. Two comments are never the same key."""

    def __init__(self, text: str = "") -> None:
        self.text = text


_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.:/@+-]*(?: [A-Za-z0-9_.:/@+()-]+)*")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def scalar(value: Any) -> str:
    """One YAML scalar: plain when unambiguous, else a JSON string (valid YAML).

    >>> scalar("japan"), scalar("No"), scalar("a: b"), scalar(12), scalar(True)
    ('japan', '"No"', '"a: b"', '12', 'true')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED and ": " not in text \
            and not text.endswith(":"):
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return scalar(value)


def _comment(comment: Comment, pad: str) -> list[str]:
    if not comment.text.strip():
        return [""]
    return [f"{pad}# {line}".rstrip() for line in comment.text.splitlines()]


def _block(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, Comment):
                out += _comment(key, pad)
            elif isinstance(item, dict) and item:
                out += [f"{pad}{scalar(key)}:", *_block(item, indent + 2)]
            elif isinstance(item, list) and any(isinstance(i, dict) for i in item):
                out += [f"{pad}{scalar(key)}:", *_block(item, indent + 2)]
            else:
                out.append(f"{pad}{scalar(key)}: {_flow(item)}")
        return out
    for item in value:
        if isinstance(item, Comment):
            out += _comment(item, pad)
        else:
            out.append(f"{pad}- {_flow(item)}")
    return out


def dumps(value: dict) -> str:
    """A mapping as YAML text, in insertion order (deterministic), ending with a newline.

    >>> print(dumps({Comment("a draft"): None, "document": "x",
    ...              "statements": [{"s": "a", "p": "b", "quote": "c d"}]}), end="")
    # a draft
    document: x
    statements:
      - {s: a, p: b, quote: c d}
    """
    return "\n".join(_block(value, 0)) + "\n"
