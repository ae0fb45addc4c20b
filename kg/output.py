"""Writing outputs without ever losing anything: marked folders, atomic swaps, locks.

A folder a command generates (a build, a docs site, a synthetic corpus) carries a marker file,
``.kg-output.json``, naming the command and every file it wrote. A command writes into a
folder only when the folder is new, empty, or marked by the same command with no file added
since; it never writes into or over its own input. The new content is written into a staging
folder beside the target and swapped in with one atomic rename (``renameat2`` exchange on
Linux), so at every instant the target holds either the old output or the new one. A lock
file beside the target (``.<name>.lock``) turns a second concurrent writer into one clear error.

Single files are written to a temporary sibling and renamed over the target. Every ``OSError``
(a full disk, a read-only folder) becomes an :class:`OutputError` naming the path, after the
temporary files are removed.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import OutputError

MARKER = ".kg-output.json"


def _problem(exc: OSError) -> str:
    return exc.strerror or str(exc)


def marker(folder: Path) -> dict | None:
    """The marker of a generated folder, or None when it has none (or an unreadable one)."""
    try:
        value = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) and isinstance(value.get("files"), list) else None


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() or p.is_symlink())


def _inside(a: Path, b: Path) -> bool:
    return a == b or b in a.parents


def check_target(out: Path, kind: str, inputs: Iterable[Path] = ()) -> None:
    """Refuse ``out`` unless ``kind`` may write it: new, empty, or marked as ``kind`` output
    with nothing added since; never equal to, inside or around one of ``inputs``."""
    target = out.resolve()
    for given in inputs:
        source = given.resolve()
        if _inside(target, source) or _inside(source, target):
            raise OutputError(f"--out {out} overlaps the input folder {given}; "
                              f"choose a folder outside it (the default is ./{kind_default(kind)})")
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder; choose another --out")
    present = _files(out)
    if not present:
        return
    mark = marker(out)
    if mark is None or mark.get("kind") != kind:
        raise OutputError(f"{out} is not empty and was not written by kg {kind}; choose a new "
                          "or empty folder (nothing was changed)")
    added = sorted(set(present) - set(mark["files"]) - {MARKER})
    if added:
        raise OutputError(f"{out / added[0]} was not written by kg {kind} "
                          f"({len(added)} such file(s)); move it out of {out}, then run again")


def kind_default(kind: str) -> str:
    return {"build": "kg-build", "docs": "site"}.get(kind, "out")


@contextmanager
def lock(out: Path, what: str) -> Iterator[None]:
    """Hold the lock of output folder ``out``; :class:`OutputError` if someone else holds it."""
    import fcntl

    path = out.parent / f".{out.name}.lock"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")
    except OSError as exc:
        raise OutputError(f"cannot write in {out.parent} ({_problem(exc)})") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputError(f"another {what} is writing {out} right now; wait for it to "
                              "finish, then run again") from None
        yield
    finally:
        handle.close()


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextmanager
def staged(out: Path, kind: str, inputs: Iterable[Path] = ()) -> Iterator[Path]:
    """A staging folder for the new content of ``out``, swapped in when the block succeeds.

    Checks ``out`` (:func:`check_target`), holds its lock, yields the empty staging folder and,
    when the block returns, writes the marker and swaps the staging folder in; the old content
    is then deleted (it carried the marker, so it was ours). An exception in the block deletes
    the staging folder and leaves ``out`` as it was; ``OSError`` becomes :class:`OutputError`.
    """
    inputs = list(inputs)
    check_target(out, kind, inputs)
    with lock(out, f"kg {kind}"):
        stage = out.parent / f".{out.name}.staging"
        try:
            shutil.rmtree(stage, ignore_errors=True)  # a crashed run's, under our lock
            stage.mkdir(parents=True)
            try:
                yield stage
                files = _files(stage)
                write_text(stage / MARKER, json.dumps(
                    {"kind": kind, "written-by": "agreements-kg", "files": files},
                    indent=1) + "\n")
                check_target(out, kind, inputs)  # nothing added while we were working
                if not out.exists():
                    stage.rename(out)
                elif not _exchange(stage, out):
                    old = out.parent / f".{out.name}.old"
                    shutil.rmtree(old, ignore_errors=True)
                    out.rename(old)
                    stage.rename(out)
                    stage = old
            finally:
                shutil.rmtree(stage, ignore_errors=True)
        except OSError as exc:
            raise OutputError(f"cannot write {out} ({_problem(exc)}); nothing was changed: "
                              "free some space or choose another --out") from None


def write_bytes(path: Path, chunks: bytes | Iterable[bytes]) -> None:
    """Write ``path`` through a temporary sibling renamed over it: never a half-written file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open(tmp, "wb") as handle:
            for chunk in [chunks] if isinstance(chunks, bytes) else chunks:
                handle.write(chunk)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path} ({_problem(exc)}); nothing was written") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))
