"""Source documents: the exact text and its sidecar ``<name>.meta.yaml``, read strictly.

The sidecar says what the document is (title, publisher as far as the text says, issued date,
language, URL) and the SHA-256 of the exact text, which the build checks, so that an edited
text cannot keep an annotation that no longer fits it.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from kg import yamlio
from kg.errors import AnnotationError
from kg.namespace import ID

MAX_SOURCE_BYTES = 5_000_000
META_KEYS = {"title": True, "sha256": True, "publisher": False, "issued": False,
             "language": False, "url": False}
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_URL = re.compile(r"https?://[^\s<>\"{}|^`\\]+")


@dataclass(frozen=True)
class Source:
    """A source document: its text and the metadata of its sidecar file."""

    id: str
    iri: str
    path: Path
    text: str
    sha256: str
    title: str
    publisher: str | None = None
    issued: str | None = None
    language: str | None = None
    url: str | None = None


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_text_file(path: Path, error: type[Exception] = AnnotationError,
                   encoding: str = "utf-8") -> str:
    """The text of a document, or ``error`` with one line saying why it cannot be used:
    missing, larger than :data:`MAX_SOURCE_BYTES`, empty, UTF-16, binary or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise error(f"{path}: {size} bytes is too large for a source document "
                        f"(limit {MAX_SOURCE_BYTES}); split it")
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"{path}: cannot read it ({exc.strerror})") from None
    if not raw.strip():
        raise error(f"{path}: the document is empty")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(raw):
        raise error(f"{path}: looks like UTF-16 text; convert it to UTF-8 first: "
                    f"iconv -f UTF-16 -t UTF-8 '{path}' > '{path.stem}.utf8{path.suffix}'")
    if b"\x00" in raw:
        raise error(f"{path}: looks binary (contains NUL bytes); give a plain text file")
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text (byte {exc.start}); convert it to UTF-8 first, "
                    f"e.g. iconv -f LATIN1 -t UTF-8 '{path}'") from None


def _utf16_without_bom(raw: bytes) -> bool:
    """Mostly-ASCII UTF-16: every other byte is NUL, the bytes between them are not."""
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    return len(raw) >= 4 and max(even, odd) > 0.8 * len(raw) / 2 and min(even, odd) == 0


def _meta_error(path: Path, node, message: str, key: str | None = None) -> AnnotationError:
    line = node.line_of(key) if isinstance(node, yamlio.Mapping) else 1
    return AnnotationError(f"{path}:{line}: {message}")


def read_meta(path: Path) -> yamlio.Mapping:
    """The sidecar of a source text, every field checked."""
    if not path.exists():
        raise AnnotationError(f"{path}: missing; write the source's title, issued date and "
                              "sha256 there (see the README's 'Annotating a document')")
    meta = yamlio.read(path)
    if not isinstance(meta, dict):
        raise _meta_error(path, meta, "expected 'key: value' lines (title, issued, sha256, ...)")
    unknown = sorted(set(meta) - set(META_KEYS))
    if unknown:
        raise _meta_error(path, meta, f"unknown key {unknown[0]!r}; allowed: "
                                      f"{', '.join(sorted(META_KEYS))}", unknown[0])
    for key, required in META_KEYS.items():
        value = meta.get(key)
        if value is None:
            if required:
                raise _meta_error(path, meta, f"'{key}' is required")
            continue
        if not isinstance(value, str) or not value.strip():
            raise _meta_error(path, meta, f"'{key}' must be a non-empty text, not {value!r}",
                              key)
    issued = meta.get("issued")
    if issued is not None:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", issued):
                raise ValueError
            datetime.date.fromisoformat(issued)
        except ValueError:
            raise _meta_error(path, meta, f"issued {issued!r} is not a real date such as "
                                          "2023-05-15", "issued") from None
    if meta.get("language") is not None and not _LANGUAGE.fullmatch(meta["language"]):
        raise _meta_error(path, meta, f"language {meta['language']!r} is not a language tag "
                                      "such as en or pt-BR", "language")
    if meta.get("url") is not None and not _URL.fullmatch(meta["url"]):
        raise _meta_error(path, meta, f"url {meta['url']!r} is not an http(s) URL", "url")
    if not re.fullmatch(r"[0-9a-f]{64}", meta["sha256"]):
        raise _meta_error(path, meta, "sha256 must be 64 lower-case hex digits "
                                      "(sha256sum of the text)", "sha256")
    return meta


def read_source(text_path: Path) -> Source:
    """Read a source text and its sidecar ``<name>.meta.yaml``; check the recorded checksum."""
    meta_path = text_path.with_name(text_path.name.removesuffix(".txt") + ".meta.yaml")
    text = read_text_file(text_path)
    meta = read_meta(meta_path)
    digest = sha256_text(text)
    if meta["sha256"] != digest:
        raise _meta_error(meta_path, meta, f"sha256 does not match {text_path.name} (the text "
                                           f"has {digest}); the source changed since it was "
                                           "annotated: check the annotation, then update sha256",
                          "sha256")
    doc_id = text_path.name.removesuffix(".txt")
    return Source(id=doc_id, iri=f"{ID}document/{doc_id}", path=text_path, text=text,
                  sha256=digest, title=meta["title"], publisher=meta.get("publisher"),
                  issued=meta.get("issued"), language=meta.get("language"),
                  url=meta.get("url"))
