"""The build's files (see :mod:`kg.dataset` for the layout), written into the staging folder:
``dataset.nq`` assembled from its parts, the store (filled by a loader process while the build
goes on, or, when only a few documents changed, a copy of the previous store with the
difference applied), the name index, the manifest and the cache index.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from kg import dataset as files
from kg.builder.cache import CACHE, INDEX
from kg.builder.documents import Part, not_evidence, parse_quad, quad, read_range, summary
from kg.namespace import GRAPHS, curie
from kg.output import write_text

STORE = files.STORE
_RANGE = tuple[str, int, int]


def link(source: Path, target: Path) -> None:
    """``target`` as a hard link to ``source`` (a copy across file systems). Files a build
    writes are never changed in place, so builds may share them."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


class _Ranges(io.RawIOBase):
    """Byte ranges ``(file, offset, length)`` of files, read as one stream."""

    def __init__(self, ranges: list[_RANGE]):
        self.ranges, self.handle, self.left = list(reversed(ranges)), None, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while True:
            if self.handle is None:
                if not self.ranges:
                    return 0
                path, offset, self.left = self.ranges.pop()
                self.handle = open(path, "rb")  # closed once its range is read
                self.handle.seek(offset)
            if self.left:
                count = self.handle.readinto(memoryview(buffer)[:min(len(buffer), self.left)])
                if count:
                    self.left -= count
                    return count
            self.handle.close()
            self.handle = None


def ranges(where: list[_RANGE]):
    """A binary file object reading the byte ranges ``where`` one after another."""
    return io.BufferedReader(_Ranges([w for w in where if w[2]]), 1 << 20)


def _load(path: str, chunk: int) -> None:
    """The loader process (``python -m kg.builder.write STORE CHUNK``): bulk-load the byte
    ranges read from stdin, one ``file<TAB>offset<TAB>length`` a line, into a new store at
    ``path``; exit 0 when stdin ends and all is loaded, else say what went wrong on stderr."""
    import queue
    import signal
    import sys
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C
    given: queue.SimpleQueue = queue.SimpleQueue()

    def listen() -> None:  # read on while a bulk load runs, so the build never waits on us
        for line in sys.stdin:
            given.put(line)
        given.put(None)

    threading.Thread(target=listen, daemon=True).start()
    try:
        store = _Filling(path, chunk)
        while (line := given.get()) is not None:
            name, offset, length = line.rstrip("\n").rsplit("\t", 2)
            store.add((name, int(offset), int(length)))
        store.close()
    except OSError as exc:
        sys.exit(exc.strerror or str(exc))
    except Exception as exc:  # a bad line would be a bug: say which
        sys.exit(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")


class _Filling:
    """A new store bulk-loaded with N-Quads byte ranges, about ``chunk`` bytes at a time, two
    chunks at once (pyoxigraph's bulk loader keeps one core busy per load)."""

    def __init__(self, path: str, chunk: int, loads: int = 2):
        import threading
        from concurrent.futures import ThreadPoolExecutor

        import pyoxigraph

        self.store, self.chunk, self.pending = pyoxigraph.Store(path), chunk, []
        self.loads = ThreadPoolExecutor(loads)
        self.room = threading.BoundedSemaphore(loads)  # chunks in memory at once
        self.running: list = []

    def add(self, where: _RANGE) -> None:
        self.pending.append(where)
        if sum(w[2] for w in self.pending) >= self.chunk:
            self._load()

    def _load(self) -> None:
        if not self.pending:
            return
        self.room.acquire()
        self.running = [f for f in self.running if not f.done() or f.result()]
        self.running.append(self.loads.submit(self._bulk, self.pending))
        self.pending = []

    def _bulk(self, where: list[_RANGE]) -> None:
        import pyoxigraph

        try:
            self.store.bulk_load(input=ranges(where), format=pyoxigraph.RdfFormat.N_QUADS)
        finally:
            self.room.release()

    def close(self) -> None:
        self._load()
        for future in self.running:
            future.result()  # raises what a load raised
        self.loads.shutdown()
        self.store.optimize()
        self.store.flush()
        del self.store

    def abandon(self) -> None:
        """Wait for the load under way, if any, and close the store, so that nothing writes
        into its folder once this returns (after a failure or an interruption). The wait is
        on the loads, not the threads: Python 3.11 takes a thread whose join was interrupted
        by Ctrl-C for ended, and joins it no more."""
        from concurrent.futures import wait

        self.loads.shutdown(wait=False, cancel_futures=True)
        wait(self.running)
        self.__dict__.pop("store", None)


class Loader:
    """A new store, filled while the build goes on: N-Quads byte ranges are bulk-loaded in
    chunks of about ``chunk`` bytes (pyoxigraph's bulk loader holds about four times the bytes
    of a chunk) by a separate process, or, for a small build (``inline``), by this one at the
    end.

    The process is a fresh interpreter, not a fork: a process that has opened a store (RocksDB)
    holds locks that a forked copy would inherit, held, forever.
    """

    def __init__(self, path: Path, chunk: int, inline: bool = False):
        import subprocess
        import sys

        self._process = self._filling = None
        if inline:
            self._filling = _Filling(str(path), 1 << 62)
            return
        self._process = subprocess.Popen(
            [sys.executable, "-m", "kg.builder.write", str(path), str(chunk)],
            stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def add(self, where: _RANGE) -> None:
        """Load the N-Quads in the byte range ``where`` (a file, offset and length)."""
        if not where[2]:
            return
        if self._filling is not None:
            self._filling.add(where)
            return
        try:
            self._process.stdin.write("\t".join(map(str, where)) + "\n")
            self._process.stdin.flush()
        except BrokenPipeError:  # it failed: finish() says why
            pass

    def finish(self) -> None:
        """Wait for everything to be loaded; :class:`OSError` if the store could not be
        written."""
        if self._filling is not None:
            self._filling.close()
            self._filling = None
            return
        try:
            self._process.stdin.close()
        except BrokenPipeError:
            pass
        problem = self._process.stderr.read().strip()
        if self._process.wait() != 0:
            raise OSError(0, problem.splitlines()[-1] if problem else "the store loader failed")

    def stop(self) -> None:
        """End the loader at once (after a failure or an interruption)."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        if self._filling is not None:
            self._filling.abandon()
            self._filling = None


def shared_part(job, reasoned, parts: list[Part]) -> tuple[Part, list[str]]:
    """The shared part and its lines: the quads whose subject no single document owns (what
    several documents say about a country, the inferences about it, the schema's), checked
    against the shapes with the types of the documents' nodes it points to."""
    from kg.builder.shapes import Data, check

    elsewhere = {tuple(t) for p in parts for t in p.elsewhere}
    lines = sorted([quad(t, "asserted") for t in reasoned.shared_asserted]
                   + [quad(t, "inferred") for t in reasoned.shared_inferred]
                   + [quad(t, "evidence") for t in elsewhere])
    part = Part("shared")
    summary(part, "".join(lines), not_evidence(lines))
    data = [parse_quad(line)[0] for line in lines]
    part.violations = check(Data(data, reasoned.context), job.checks)
    return part, lines


def write(job, info: list[dict], parts: list[Part], shared: tuple[Part, list[str]], loader):
    """Write every file of the build into the staging folder; the report. The name index is
    written by a forked process meanwhile, and the store is waited for last. (The child never
    touches a store: a small build's, open in this process, and the loader's pipe are
    inherited but left alone, and the child ends without closing them.)"""
    from kg import names

    naming = _Forked("the name index", names.write, job.stage / names.FILE,
                     [n for p in [shared[0], *parts] for n in p.names])
    try:
        report = _write(job, info, parts, shared, loader)
        naming.join()
    except BaseException:  # an error, or Ctrl-C: the child must not write on
        naming.stop()
        raise
    return report


def _write(job, info: list[dict], parts: list[Part], shared: tuple[Part, list[str]], loader):
    from kg.builder.pipeline import BuildReport
    from kg.query.saved import snapshot
    from kg.resources import QUERIES_DIR

    folder = job.stage
    shared, lines = shared
    ontology = "".join(sorted(quad(t, "ontology") for t in job.tbox)).encode("utf-8")
    index = _dataset(job, ontology, "".join(lines).encode("utf-8"), parts)
    if loader is not None:
        nq = str(folder / files.NQUADS)
        for name in ("ontology", "shared"):
            loader.add((nq, index[name]["offset"], index[name]["length"]))
        for part in parts:
            loader.add(part.inferred)
    _sources(job, info)
    write_text(folder / files.SHAPES, job.shapes)
    write_text(folder / files.QUERIES, json.dumps(snapshot(QUERIES_DIR), indent=1,
                                                  sort_keys=True, ensure_ascii=False) + "\n")
    triples, entities = Counter({"ontology": len(job.tbox)}), Counter()
    for part in [shared, *parts]:
        triples.update(part.triples)
        entities.update({curie(c[1:-1]): n for c, n in part.entities.items()})
    report = BuildReport(out=job.out, triples={g: triples[g] for g in GRAPHS},
                         entities=dict(sorted(entities.items())),
                         evidence_records=sum(p.records for p in [shared, *parts]),
                         documents=list(job.ids),
                         drafts=sum(len(d["drafts"]) for d in info))
    manifest = {"format": files.FORMAT, "documents": report.documents, "triples": report.triples,
                "entities": report.entities, "evidence_records": report.evidence_records,
                "draft_items": report.drafts, "graphs": GRAPHS}
    write_text(folder / files.MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    _index(job, info, index, parts)
    if loader is not None:
        loader.finish()
    else:
        _update_store(job, index, parts)
    return report


class _Forked:
    """``function(*args)`` run in a forked process while this one goes on; :meth:`join`
    waits for it and raises :class:`OSError` naming ``what`` and what went wrong."""

    def __init__(self, what: str, function, *args):
        import gc
        import multiprocessing

        from kg.output import interrupts_held

        self.what = what
        context = multiprocessing.get_context("fork")
        self._read, write = context.Pipe(duplex=False)
        self._process = context.Process(target=_forked, args=(write, function, args),
                                        daemon=True)
        gc.freeze()  # the child shares this process's memory; the collector would copy it
        try:
            with interrupts_held():  # a Ctrl-C while forking is raised once it is started
                self._process.start()
        except BaseException:
            if self._process.pid is not None:
                self.stop()
            raise
        finally:
            gc.unfreeze()
            write.close()

    def join(self) -> None:
        try:
            problem = self._read.recv() if self._read.poll(None) else None
        except EOFError:  # it died before it could say (killed, out of memory)
            problem = "no message"
        self._process.join()
        if problem is not None or self._process.exitcode != 0:
            raise OSError(0, f"{self.what} was not written: {problem}, exit code "
                             f"{self._process.exitcode}")

    def stop(self) -> None:
        """End it at once (after a failure or an interruption)."""
        self._process.kill()
        self._process.join()


def _forked(pipe, function, args) -> None:
    from kg.builder.pipeline import worker_signals

    worker_signals()  # Ctrl-C is the main process's
    try:
        function(*args)
    except BaseException as exc:  # handed to the main process as a message
        pipe.send(f"{type(exc).__name__}: {exc}")
    else:
        pipe.send(None)
    finally:
        pipe.close()


def _dataset(job, ontology: bytes, shared: bytes, parts: list[Part]) -> dict[str, Any]:
    """Write ``dataset.nq``: the ontology, the shared part, then each document's part in
    document order (copied from where stage 3 or the previous build left it). Returns where
    each part sits."""
    index: dict[str, Any] = {}
    with open(job.stage / files.NQUADS, "wb") as out:
        for name, blob in (("ontology", ontology), ("shared", shared)):
            index[name] = {"offset": out.tell(), "length": len(blob)}
            out.write(blob)
        for part in parts:
            offset = out.tell()
            _copy(part.where, out)
            part.offset, part.length = offset, part.where[2]
    return index


def _copy(where: _RANGE, out) -> None:
    path, offset, length = where
    with open(path, "rb") as source:
        source.seek(offset)
        out.flush()
        copied = 0
        while copied < length:
            try:
                n = os.copy_file_range(source.fileno(), out.fileno(), length - copied,
                                       offset + copied)
            except (AttributeError, OSError):
                source.seek(offset + copied)
                n = out.write(source.read(length - copied))
                out.flush()
            if n <= 0:
                raise OSError(0, f"{path} is shorter than the build expected")
            copied += n
        out.seek(0, os.SEEK_END)


def _update_store(job, index: dict, parts: list[Part]) -> None:
    """The previous store, copied (hard links to its immutable files), with the difference
    between the parts that changed applied: what left them removed, what entered added."""
    import pyoxigraph

    previous = job.previous
    old_nq, new_nq = str(job.out / files.NQUADS), str(job.stage / files.NQUADS)
    before: list[_RANGE] = []
    after: list[_RANGE] = []
    for name in ("ontology", "shared"):
        before.append((old_nq, previous[name]["offset"], previous[name]["length"]))
        after.append((new_nq, index[name]["offset"], index[name]["length"]))
    kept = {p.id for p in parts if p.reused}
    before += [(old_nq, p["offset"], p["length"]) for p in previous["parts"]
               if p["id"] not in kept]
    after += [(new_nq, p.offset, p.length) for p in parts if p.id not in kept]
    old = set(_lines(before))
    new = set(_lines(after))
    pyoxigraph.Store.read_only(str(job.out / STORE)).backup(str(job.stage / STORE))
    store = pyoxigraph.Store(str(job.stage / STORE))
    try:
        fmt = pyoxigraph.RdfFormat.N_QUADS
        for q in pyoxigraph.parse("".join(sorted(old - new)).encode("utf-8"), format=fmt):
            store.remove(q)
        store.extend(pyoxigraph.parse("".join(sorted(new - old)).encode("utf-8"), format=fmt))
        store.flush()
    finally:  # closed now, also on an error: a traceback would keep it open, writing files
        del store


def _lines(where: list[_RANGE]) -> list[str]:
    return [line for w in where for line in read_range(w).splitlines(keepends=True)]


def _sources(job, info: list[dict]) -> None:
    """The exact source texts, linked from the previous build when they did not change."""
    folder = job.stage / files.SOURCES
    folder.mkdir()
    for d in info:
        name = f"{d['id']}.txt"
        old = job.out / files.SOURCES / name
        if job.previous is not None and old.is_file() and _same(d, job.previous):
            link(old, folder / name)
        else:
            shutil.copyfile(job.data / "sources" / name, folder / name)


def _same(d: dict, previous: dict) -> bool:
    return any(o["id"] == d["id"] and o["sha256"] == d["sha256"]
               for o in previous.get("documents", ()))


def _index(job, info: list[dict], index: dict, parts: list[Part]) -> None:
    """``cache/index.json``: what the next build into this folder can reuse."""
    documents = [{k: d[k] for k in ("annotation", "key", "id", "path", "sha256", "named",
                                    "schema", "errors", "drafts")} for d in info]
    value = {"build": job.digest, "documents": documents, **index,
             "parts": [{"id": p.id, "key": p.key, "offset": p.offset, "length": p.length,
                        "triples": p.triples, "entities": p.entities, "records": p.records,
                        "names": p.names, "asked": p.asked, "answers": p.answers,
                        "elsewhere": p.elsewhere} for p in parts]}
    write_text(job.stage / CACHE / INDEX, json.dumps(value, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    import sys

    _load(sys.argv[1], int(sys.argv[2]))
