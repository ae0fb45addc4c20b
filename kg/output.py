"""Writing outputs without ever losing anything: marked folders, atomic swaps, locks.

A folder a command generates (a build, a docs site, a synthetic corpus) carries a marker file,
``.kg-output.json``, naming the command and every file it wrote. A command writes into a
folder only when the folder is new, empty, or marked by the same command with no file added
since; it never writes into or over its own input. The new content is written into a staging
folder beside the target and swapped in with one atomic rename (``renameat2`` exchange on
Linux), so at every instant the target holds either the old output or the new one. The
staging folder (``.<name>.staging``, holding its writer's pid) is also the lock: a second run
writing the same target is refused with one clear error, and a crashed run's is taken over.

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


def _problem(exc: OSError | OutputError) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def marker(folder: Path) -> dict | None:
    """The marker of a generated folder, or None when it has none (or an unreadable one)."""
    try:
        value = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) and isinstance(value.get("files"), list) else None


def _files(folder: Path) -> list[str]:
    """Every file under ``folder`` (and every symbolic link, followed or not), as relative
    POSIX paths, sorted."""
    found = []
    for top, folders, names in os.walk(folder):  # links to folders are not entered
        under = Path(top).relative_to(folder).as_posix()
        prefix = "" if under == "." else under + "/"
        found += [prefix + n for n in names]
        found += [prefix + n for n in folders if os.path.islink(os.path.join(top, n))]
    return sorted(found)


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


_OWNER = ".kg-writer"  # in a staging folder: the pid of the process writing it


def _claim(stage: Path, what: str, out: Path) -> None:
    """Create the staging folder ``stage``, which is also the lock of ``out``: a folder whose
    writer is alive means another run is writing; one whose writer died is taken over."""
    for _ in range(5):
        try:
            stage.mkdir()
        except FileExistsError:
            if _alive(stage):
                raise OutputError(f"another {what} is writing {out} right now; wait for it to "
                                  "finish, then run again") from None
            aside = stage.with_name(f"{stage.name}.stale-{os.getpid()}")
            try:  # only one of two racing runs gets to move it
                stage.rename(aside)
            except FileNotFoundError:
                continue
            shutil.rmtree(aside, ignore_errors=True)
            continue
        (stage / _OWNER).write_text(str(os.getpid()), encoding="ascii")
        return
    raise OutputError(f"cannot claim {stage}; another {what} keeps writing {out}")


def _alive(stage: Path) -> bool:
    import time

    try:
        pid = int((stage / _OWNER).read_text(encoding="ascii"))
    except (OSError, ValueError):  # just created, or a crashed run's: judge by its age
        try:
            return time.time() - stage.stat().st_mtime < 10
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
def interrupts_held() -> Iterator[None]:
    """Ctrl-C held back for the block: one that comes meanwhile is raised as the block ends,
    by the handler that was there before. Python runs signal handlers in the main thread, so
    the block holds them back only there (elsewhere it runs as it is); blocks may nest, and a
    process forked inside one inherits the holding handler until it sets its own."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list = []
    before = signal.signal(signal.SIGINT, lambda signum, frame: came.append(frame))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)
        if came and callable(before):
            before(signal.SIGINT, came[0])
        elif came and before == signal.SIG_DFL:
            signal.raise_signal(signal.SIGINT)


@contextmanager
def staged(out: Path, kind: str, inputs: Iterable[Path] = ()) -> Iterator[Path]:
    """A staging folder for the new content of ``out``, swapped in when the block succeeds.

    Checks ``out`` (:func:`check_target`), claims the staging folder beside it (a second run
    writing the same ``out`` is refused), yields it and, when the block returns, writes the
    marker and swaps the staging folder in; the old content is then deleted (it carried the
    marker, so it was ours). An exception in the block deletes the staging folder and leaves
    ``out`` as it was; ``OSError`` becomes :class:`OutputError`.
    """
    inputs = list(inputs)
    check_target(out, kind, inputs)
    stage = out.parent / f".{out.name}.staging"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _claim(stage, f"kg {kind}", out)
        try:
            yield stage
            with interrupts_held():  # a Ctrl-C comes before the swap or after it
                (stage / _OWNER).unlink()
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
            with interrupts_held():  # nor does one leave half a staging folder behind
                shutil.rmtree(stage, ignore_errors=True)
    except (OSError, _FileError) as exc:
        raise OutputError(f"cannot write {out} ({_problem(exc)}); nothing was changed: "
                          "free some space or choose another --out") from None


class _FileError(OutputError):
    """A file could not be written; ``strerror`` says why."""

    def __init__(self, message: str, strerror: str) -> None:
        super().__init__(message)
        self.strerror = strerror


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
        raise _FileError(f"cannot write {path} ({_problem(exc)}); nothing was written",
                         _problem(exc)) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))
