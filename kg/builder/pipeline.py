"""The build: annotations -> RDF -> OWL 2 RL closure -> SHACL validation -> a build folder, in
memory that does not grow with the corpus, on every core, and reusing the previous build.

1. **read** (a pool of processes, per document, :func:`kg.builder.documents.read`): the
   annotation and its source -> asserted and evidence triples and the closure of the asserted
   triples alone. What is stated goes to the store at once: a loader process bulk-loads it
   while the build goes on.
2. **reason** (:mod:`kg.reason.shards`): every node gets an owner, the document that alone
   names it or the shared shard; the shared shard closes what the documents share (countries,
   places, programmes, earlier agreements) and exchanges triples with the documents' closures
   until nothing new appears.
3. **validate** (the pool again, :func:`kg.builder.documents.cut` and ``check``): each
   document's part of the dataset, the quads whose subject it owns, is cut and checked against
   the shapes, with the types of the values others own; then the shared part.
4. **write** (:mod:`kg.builder.write`): ``dataset.nq`` from the parts, the store completed, the
   name index, the manifest.

Nothing is written outside a staging folder until every check has passed; then it is swapped
in atomically (:func:`kg.output.staged`), so a failed or interrupted build changes nothing.
A build into a folder that holds an earlier build reads again only the documents that changed
and updates a copy of the old store (:mod:`kg.builder.cache`); the result is the same as a
fresh build's, byte for byte.
"""

from __future__ import annotations

import gc
import json
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.builder.annotation import Annotation, read_annotation
from kg.dataset import NQUADS
from kg.errors import AnnotationError, InconsistentGraph, ShapeViolation
from kg.namespace import GRAPHS, curie
from kg.resources import DEFAULT_DATA, default_build
from kg.terms import Triple

Progress = Callable[[str], None]
TripleSet = set[Triple]


@dataclass
class Dataset:
    """The four named graphs of a build, each a set of N-Triples term triples (for small
    corpora and the tests: :func:`make_dataset`)."""

    ontology: TripleSet
    asserted: TripleSet
    evidence: TripleSet
    inferred: TripleSet

    def graphs(self) -> dict[str, TripleSet]:
        return {name: getattr(self, name) for name in GRAPHS}


@dataclass
class BuildReport:
    """What a build wrote: per-graph and per-class counts, documents, stage timings, and how
    many documents it read again (all of them unless an earlier build was reused)."""

    out: Path
    triples: dict[str, int]
    entities: dict[str, int]
    evidence_records: int
    documents: list[str]
    drafts: int = 0  # items still marked review: draft, built as draft evidence
    seconds: dict[str, float] = field(default_factory=dict)
    read: int = 0

    @property
    def total(self) -> int:
        return sum(self.triples.values())


def annotation_files(source_dir: Path) -> list[Path]:
    """The annotation files of a data folder, sorted; :class:`AnnotationError` if none."""
    files = sorted((source_dir / "annotations").glob("*.yaml"))
    if not files:
        raise AnnotationError(f"{source_dir}/annotations: no *.yaml annotation files; "
                              "see the README's 'Annotating a document'")
    return files


def read_annotations(source_dir: Path, schema) -> list[Annotation]:
    """Every ``annotations/*.yaml`` under ``source_dir``, each with its ``sources/`` text (for
    small corpora and the tests; the build reads documents one by one)."""
    annotations = [read_annotation(path, source_dir / "sources", schema)
                   for path in annotation_files(source_dir)]
    _unique([(str(a.path), a.source.sha256) for a in annotations])
    return annotations


def refuse_drafts(where: list[str]) -> None:
    """Refuse items still marked ``review: draft`` (what ``kg extract`` proposed and no curator
    has checked; ``where``: their ``file:line``), saying how many and where."""
    if where:
        more = f" and {len(where) - 5} more" if len(where) > 5 else ""
        raise AnnotationError(
            f"{len(where)} item(s) still marked 'review: draft' ({', '.join(where[:5])}{more}): "
            "check each against its quote and delete the line, or build with --include-drafts "
            "to keep them as draft evidence")


def _unique(documents: Iterable[tuple[str, str]]) -> None:
    """Refuse two annotations of the same text (``(annotation path, sha256)`` pairs)."""
    seen: dict[str, str] = {}
    for path, sha256 in documents:
        if sha256 in seen:
            raise AnnotationError(f"{path}: annotates the same text as {seen[sha256]}; "
                                  "keep one annotation per document")
        seen[sha256] = path


def make_dataset(annotations: list[Annotation], tbox: TripleSet, reasoner: str = "fast",
                 progress: Progress = lambda _: None) -> Dataset:
    """The four graphs for ``annotations`` over the ontology ``tbox``, in memory (for small
    corpora and the tests). Raises :class:`InconsistentGraph` naming the annotation lines
    behind a contradiction."""
    from kg.builder.evidence import to_triples
    from kg.reason import infer

    asserted, evidence = to_triples(annotations)
    progress("reason")
    try:
        inferred = infer(tbox, asserted, reasoner)
    except InconsistentGraph as exc:
        raise InconsistentGraph(_located(str(exc), annotations)) from None
    return Dataset(set(tbox), asserted, evidence, inferred)


def _located(message: str, annotations: list[Annotation]) -> str:
    """An inconsistency message with CURIEs and the annotation lines of the entities in it."""
    named = set(re.findall(r"https?://[^\s,;)'\"]+", message))
    where = sorted({f.where for a in annotations for f in a.facts
                    if f.subject in named or (f.object.is_iri and f.object.value in named)},
                   key=lambda w: (w.rsplit(":", 1)[0], int(w.rsplit(":", 1)[1] or 0)))
    for iri in sorted(named, key=len, reverse=True):
        message = message.replace(iri, curie(iri).strip("<>") if curie(iri)[0] != "<" else iri)
    more = f" (and {len(where) - 6} more)" if len(where) > 6 else ""
    return f"{message}; see {', '.join(where[:6])}{more}" if where else message


class _Stages:
    """Passes each stage name on to ``progress`` and times every stage until the next begins."""

    def __init__(self, progress: Progress):
        self.progress, self.seconds = progress, {}
        self._stage: str | None = None
        self._start = 0.0

    def __call__(self, stage: str) -> None:
        self.stop()
        self.progress(stage)
        self._stage, self._start = stage, time.perf_counter()

    def stop(self) -> None:
        if self._stage is not None:
            self.seconds[self._stage] = round(time.perf_counter() - self._start, 3)
            self._stage = None


# ------------------------------------------------------------------------ worker processes

#: What worker processes read: set by the main process before it forks a pool, so that the
#: ontology, the compiled rules and checks and the owners of the nodes are shared, not pickled.
_STATE: dict[str, Any] = {}


def worker_signals() -> None:
    """A forked worker's signals: Ctrl-C is the main process's to handle, and the pool ends its
    workers with SIGTERM, whatever handler the main process had for it. Workers are forked
    with Ctrl-C held back (:func:`kg.output.interrupts_held`), so none dies of one before it
    ignores it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def parallel(function: Callable, tasks: list, jobs: int, **state: Any) -> Iterator:
    """``function(task)`` for each task, in order, in ``jobs`` forked processes (in this one
    when ``jobs`` is 1 or there is one task); ``state`` is what :data:`_STATE` holds for them.
    An exception in a task is raised here, and the other workers are stopped."""
    import multiprocessing

    from kg.output import interrupts_held

    _STATE.clear()
    _STATE.update(state)
    if jobs <= 1 or len(tasks) <= 1:
        yield from map(function, tasks)
        return
    gc.freeze()  # the workers share the main process's memory; the collector would copy it
    pool = None
    try:
        with interrupts_held():  # a Ctrl-C while forking is raised once the pool is there
            pool = multiprocessing.get_context("fork").Pool(min(jobs, len(tasks)),
                                                            worker_signals)
        yield from pool.imap(function, tasks)
        pool.close()
    except BaseException:
        if pool is not None:
            pool.terminate()
        raise
    finally:
        if pool is not None:
            pool.join()
        gc.unfreeze()


def batches(indexes: list[int], jobs: int, most: int = 64) -> list[list[int]]:
    """``indexes`` in runs small enough to keep every worker busy to the end."""
    size = max(1, min(most, len(indexes) // (jobs * 4) or 1))
    return [indexes[i:i + size] for i in range(0, len(indexes), size)]


def _read_task(task: tuple[int, list[int]]) -> list:
    """Stage 1 for a run of documents, their stated lines spooled to one file."""
    from kg.builder import documents
    from kg.builder.cache import CACHE

    number, indexes = task
    job: Job = _STATE["job"]
    with open(job.stage / "spool" / f"{number:05d}.nq", "wb") as spool:
        return [documents.read(job.files[i], job.data / "sources", job.schema,
                               _STATE["reasoner"], job.checks, _STATE["classes"],
                               job.stage / CACHE, spool) for i in indexes]


def _select_task(indexes: list[int]) -> list[tuple]:
    """What the shared shard needs of each document (see Exchange.select), as the previous
    build chose it when the document and the sharing of its nodes are the same (its
    ``signs`` entry), else chosen again and kept for the next build."""
    from kg.builder.cache import CACHE
    from kg.output import write_text

    job: Job = _STATE["job"]
    exchange, rederive, signs = _STATE["exchange"], _STATE["rederive"], _STATE["signs"]
    chosen, stated, errors = set(), set(), set()  # many documents say the same of a country
    for i in indexes:
        path = job.stage / CACHE / "select" / f"{job.ids[i]}.json"
        try:
            kept = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            kept = None
        if not isinstance(kept, dict) or kept.get("sign") != signs[i]:
            record = job.record(i)
            more: list[str] = []
            if rederive is not None:
                work, more = rederive.close(record["asserted"])
                record["derived"] = [t for t in work.triples if t[0][0] != '"']
            some, told = exchange.select(record["asserted"], record["derived"])
            kept = {"sign": signs[i], "chosen": sorted(set(some)), "stated": sorted(told),
                    "errors": sorted(more)}
            write_text(path, json.dumps(kept, ensure_ascii=False) + "\n")
        chosen.update(map(tuple, kept["chosen"]))
        stated.update(map(tuple, kept["stated"]))
        errors.update(kept["errors"])
    return [(sorted(chosen), sorted(stated), sorted(errors))]


def _signs(info: list[dict], owner: dict[str, int], schema: list) -> list[str]:
    """For each document, a digest of what its choice for the shared shard depends on beyond
    its own content (which its cache key covers): which of its nodes are shared, and the
    schema the annotations add."""
    from kg.builder.cache import digest
    from kg.reason.shards import SHARED

    extra = digest(schema)
    return [digest([extra, sorted(n for n in d["named"] if owner.get(n, SHARED) == SHARED)])
            for d in info]


def _finish_task(task: tuple[int, list[tuple[int, str, tuple]]]) -> list:
    """Stage 3 for a run of documents: cut each part from its stated lines (or take it as the
    previous build left it), count it, check what may have changed; parts go to one file."""
    from kg.builder import documents

    number, items = task
    job: Job = _STATE["job"]
    reasoned: Reasoned = _STATE["reasoned"]
    everything = bool(reasoned.schema or reasoned.forced)
    out = []
    folder = job.stage / "parts"
    with open(folder / f"{number:05d}.nq", "wb") as parts, \
            open(folder / f"{number:05d}.inferred.nq", "wb") as inferred_file:
        for i, how, where in items:
            lines = documents.read_range(where).splitlines(keepends=True)
            record = job.record(i)
            if reasoned.rederive is not None:
                work, _ = reasoned.rederive.close(record["asserted"])
                record["derived"] = [t for t in work.triples if t[0][0] != '"']
            extras = reasoned.extras.get(i, set())
            part = documents.Part(job.ids[i])
            if how == "cut":
                lines, others, part.elsewhere = documents.cut(
                    i, lines, record, extras, reasoned.owner, bool(reasoned.forced))
            else:
                others = documents.not_evidence(lines)
            text = "".join(lines)
            documents.summary(part, text, others)
            documents.finish(part, i, lines if everything else others, record, extras,
                             reasoned.owner, reasoned.facts, reasoned.classes, job.checks,
                             everything)
            blob = text.encode("utf-8")
            part.where = (parts.name, parts.tell(), len(blob))
            parts.write(blob)
            suffix = documents.GRAPH_SUFFIX["inferred"]
            blob = "".join(line for line in others if line.endswith(suffix)).encode("utf-8")
            part.inferred = (inferred_file.name, inferred_file.tell(), len(blob))
            inferred_file.write(blob)
            out.append(part)
    return out


# ------------------------------------------------------------------------------ the build


@dataclass
class Job:
    """What every stage of one build reads."""

    data: Path
    out: Path
    stage: Path
    files: list[Path]
    keys: list[str]
    tbox: frozenset
    schema: Any
    shapes: str
    checks: list
    reads: frozenset
    reasoner: str
    jobs: int
    digest: str
    previous: dict | None
    ids: list[str] = field(default_factory=list)

    def record(self, index: int) -> dict:
        """Document ``index``'s cache record; :class:`OutputError` if it was damaged."""
        from kg.builder.cache import CACHE
        from kg.builder.documents import load_record
        from kg.errors import OutputError

        try:
            return load_record(self.stage / CACHE, self.ids[index])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise OutputError(f"{self.out / CACHE}/docs/{self.ids[index]}.json is damaged "
                              f"({type(exc).__name__}); delete {self.out / CACHE} and build "
                              "again (every document is then read again)") from None


@dataclass
class Reasoned:
    """What the reasoning across documents leaves for the later stages."""

    owner: dict[str, int]
    extras: dict[int, set[Triple]]
    shared_asserted: set[Triple]
    shared_inferred: set[Triple]
    facts: dict[str, list[Triple]]  # node -> its triples the shapes read one hop away
    classes: list[Triple]  # the data's rdfs:subClassOf triples
    context: list[Triple]  # what validating the shared part reads about documents' nodes
    schema: list[Triple]  # the data's triples about classes and properties
    forced: list[str]  # evidence nodes an annotation names, which are shared
    rederive: Any = None  # the reasoner to close documents with, when the schema grew


def build(data: Path = DEFAULT_DATA, out: Path | None = None, *,
          progress: Progress = lambda _: None, reasoner: str = "fast", jobs: int | None = None,
          memory: int | None = None, check_fit: bool = True,
          include_drafts: bool = False) -> BuildReport:
    """Build the knowledge graph from ``data`` (``sources/`` + ``annotations/``) into ``out``
    (default ``$KG_BUILD`` or ``./kg-build``), with ``jobs`` worker processes (default: one
    per core).

    Before any work it estimates the memory and disk the build needs and raises
    :class:`kg.errors.WontFit` when they exceed ``memory`` bytes (default: what the system has
    available) or the free disk; ``check_fit=False`` skips that. Raises
    :class:`AnnotationError` for a bad annotation, :class:`InconsistentGraph` when the
    reasoner finds a contradiction, :class:`ShapeViolation` when SHACL shapes are violated and
    :class:`OutputError` when ``out`` is not a folder the build may write (not empty and not an
    earlier build, inside the data folder, locked by another build) or cannot be written; in
    every case nothing is changed. Items still marked ``review: draft`` are refused
    (:class:`AnnotationError`) unless ``include_drafts``; then their evidence records are typed
    ``agr:DraftEvidenceRecord`` and ``report.drafts`` counts them. ``report.seconds`` times the
    stages.
    """
    import os

    from kg import output
    from kg.builder import fit
    from kg.reason import check_reasoner

    check_reasoner(reasoner)
    out = Path(out) if out is not None else default_build()
    data = Path(data)
    jobs = max(1, jobs or os.cpu_count() or 1)
    stages = _Stages(progress)
    with output.staged(out, "build", [data]) as stage:  # claimed first: one build at a time
        stages("parse")
        job = _job(data, out, stage, reasoner, jobs)
        need = fit.estimate(job.files, data, jobs)
        if check_fit:
            fit.check(need, out, memory)
        report = _run(job, stages, fit.chunk(need, memory), include_drafts)
        stages.stop()
    report.seconds = stages.seconds
    return report


def _job(data: Path, out: Path, stage: Path, reasoner: str, jobs: int) -> Job:
    from kg.builder import cache
    from kg.builder.ontology import load_shapes, shapes_text
    from kg.builder.shapes import compile_shapes, value_reads

    code = cache.code_digest()
    tbox, schema = cache.ontology(out, stage, code)
    shapes = shapes_text()
    checks = compile_shapes(load_shapes(shapes))
    digest = cache.build_digest(tbox, shapes, reasoner, code)
    files = annotation_files(data)
    keys = [cache.document_key(path, data / "sources", digest)[1] for path in files]
    return Job(data, out, stage, files, keys, tbox, schema, shapes, checks,
               value_reads(checks), reasoner, jobs, digest, cache.previous(out, digest))


def _run(job: Job, stages: _Stages, chunk: int, include_drafts: bool) -> BuildReport:
    """The stages of a build, once the job is known (``chunk``: the store loader's)."""
    from kg.builder import cache, write

    (job.stage / cache.CACHE / "docs").mkdir(parents=True)
    (job.stage / cache.CACHE / "select").mkdir()
    (job.stage / "spool").mkdir()
    (job.stage / "parts").mkdir()
    previous = job.previous or {}
    old = {d["annotation"]: d for d in previous.get("documents", [])}
    reuse = [i for i, path in enumerate(job.files)
             if old.get(_rel(job, path), {}).get("key") == job.keys[i]]
    fresh = len(reuse) < len(job.files) * 0.7  # then a new store is faster than a delta
    if fresh:
        reuse = []
    info: list[dict | None] = [None] * len(job.files)
    for i in reuse:
        info[i] = old[_rel(job, job.files[i])]
        for kind in ("docs", "select"):
            kept = job.out / cache.CACHE / kind / f"{info[i]['id']}.json"
            if kind == "docs" or kept.exists():
                write.link(kept, job.stage / cache.CACHE / kind / f"{info[i]['id']}.json")
    inline = chunk * 2 > sum(f.stat().st_size for f in job.files) * 20  # a small build
    loader = write.Loader(job.stage / write.STORE, chunk, inline) if fresh else None
    try:
        return _stages(job, stages, info, reuse, loader, include_drafts)
    finally:
        if loader is not None:
            loader.stop()


def _stages(job: Job, stages: _Stages, info: list, reuse: list[int], loader,
            include_drafts: bool) -> BuildReport:
    from kg.builder import write
    from kg.reason.rules import Reasoner

    base = Reasoner(job.tbox) if job.reasoner == "fast" else None
    stated = _read(job, [i for i in range(len(job.files)) if info[i] is None], base, loader)
    for i, s in stated.items():
        info[i] = {"annotation": _rel(job, job.files[i]), "key": job.keys[i], "id": s.id,
                   "path": s.annotation, "sha256": s.sha256, "named": s.named,
                   "schema": s.schema, "errors": s.errors, "drafts": s.drafts}
    job.ids = [d["id"] for d in info]
    _unique((d["path"], d["sha256"]) for d in info)
    if not include_drafts:
        refuse_drafts([w for d in info for w in d["drafts"]])
    stages("reason")
    reasoned = _reason(job, info, base)
    stages("validate")
    parts = _finish(job, info, reasoned, stated, base)
    shared = write.shared_part(job, reasoned, parts)
    violations = sorted({v for p in [*parts, shared[0]] for v in p.violations})
    if violations:
        raise ShapeViolation(f"{len(violations)} SHACL violation(s): "
                             + " | ".join(violations[:5]))
    stages("store")
    report = write.write(job, info, parts, shared, loader)
    report.read = len(stated)
    shutil.rmtree(job.stage / "spool")
    shutil.rmtree(job.stage / "parts")
    return report


def _rel(job: Job, path: Path) -> str:
    return path.relative_to(job.data).as_posix()


def _read(job: Job, todo: list[int], base, loader, first: int = 0) -> dict[int, Any]:
    """Stage 1 for the documents ``todo``: index -> what it reports (spool files numbered
    from ``first``)."""
    from kg.reason.rules import Reasoner

    schema = (base or Reasoner(job.tbox)).schema_inferred()
    classes = sorted(t for t in schema if t[1] == f"<{_RDFS}subClassOf>")
    tasks = [(first + n, run) for n, run in enumerate(batches(todo, job.jobs))]
    stated: dict[int, Any] = {}
    for (_, indexes), results in zip(tasks, parallel(_read_task, tasks, job.jobs, job=job,
                                                     reasoner=base, classes=classes),
                                     strict=True):
        for i, result in zip(indexes, results, strict=True):
            stated[i] = result
            if loader is not None:
                loader.add(result.spool)
    return stated


def _reason(job: Job, info: list[dict], base) -> Reasoned:
    """Stage 2: owners, the shared shard and the exchange (or owlrl over everything)."""
    from kg.builder.documents import EVIDENCE_NODES
    from kg.reason.reference import is_noise
    from kg.reason.rules import TYPE, Reasoner
    from kg.reason.shards import SHARED, Exchange, check_shardable, owners

    schema = sorted({tuple(t) for d in info for t in d["schema"]})
    rederive = None
    if schema and base is not None:
        base = rederive = Reasoner(job.tbox, schema)
    nodes = base.nodes() if base is not None else Reasoner(job.tbox, schema).nodes()
    owner = owners((d["named"] for d in info), nodes)
    forced = sorted(n for n in owner if n.startswith(EVIDENCE_NODES))
    for node in forced:  # an evidence node an annotation names is shared (see cut())
        owner[node] = SHARED
    facts_of = frozenset({TYPE, *job.reads})
    errors = {e for d in info for e in d["errors"]}
    if job.reasoner == "fast":
        check_shardable(base.rules)
        exchange = Exchange(base, owner, lambda i: job.record(i)["asserted"], facts_of)
        everyone = list(range(len(info)))
        for results in parallel(_select_task, batches(everyone, job.jobs, 256), job.jobs,
                                job=job, exchange=exchange, rederive=rederive,
                                signs=_signs(info, owner, schema)):
            for chosen, stated, more in results:
                exchange.feed(chosen, stated, more)
        exchange.run()
        errors |= exchange.errors
        shared_asserted = exchange.asserted
        known = {t for t in exchange.shared.triples if owner.get(t[0], SHARED) == SHARED}
        inferred = (known | base.schema_inferred()) - shared_asserted
        shared_inferred = {t for t in inferred if not is_noise(*t)}
        extras = exchange.extras
        around = [t for t in exchange.shared.triples
                  if owner.get(t[0], SHARED) != SHARED and t[1] in facts_of and not is_noise(*t)]
    else:
        shared_asserted, shared_inferred, extras, around = _owlrl(job, info, owner, facts_of,
                                                                 errors)
    if errors:
        message = "the graph is inconsistent: " + "; ".join(sorted(errors))
        raise InconsistentGraph(_located(message, _naming(job, info, message)))
    data = shared_asserted | shared_inferred
    classes = sorted(t for t in data if t[1] == f"<{_RDFS}subClassOf>")
    facts: dict[str, list[Triple]] = {}
    for triple in sorted({t for t in data if t[1] in facts_of} | set(around) | set(classes)):
        facts.setdefault(triple[0], []).append(triple)
    return Reasoned(owner, dict(extras), shared_asserted, shared_inferred, facts, classes,
                    sorted(set(around)), schema, forced, rederive)


_RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def _owlrl(job: Job, info: list[dict], owner: dict[str, int], facts_of: frozenset,
           errors: set[str]):
    """owlrl over the whole graph (the reference, for small corpora): the same pieces the
    exchange gives."""
    from kg.reason import infer
    from kg.reason.shards import SHARED

    asserted = {t for i in range(len(info)) for t in job.record(i)["asserted"]}
    try:
        inferred = infer(job.tbox, asserted, "owlrl")
    except InconsistentGraph as exc:
        errors.add(str(exc).removeprefix("the graph is inconsistent: "))
        return set(), set(), {}, []
    extras: dict[int, set[Triple]] = {}
    for t in inferred:
        if owner.get(t[0], SHARED) != SHARED:
            extras.setdefault(owner[t[0]], set()).add(t)
    shared = {t for t in asserted if owner.get(t[0], SHARED) == SHARED}
    shared_inferred = {t for t in inferred if owner.get(t[0], SHARED) == SHARED}
    around = [t for t in asserted | inferred
              if owner.get(t[0], SHARED) != SHARED and t[1] in facts_of]
    return shared, shared_inferred, extras, around


def _naming(job: Job, info: list[dict], message: str) -> list[Annotation]:
    """The annotations that name an IRI of ``message`` (to point at their lines)."""
    named = set(re.findall(r"https?://[^\s,;)'\"]+", message))
    return [read_annotation(job.files[i], job.data / "sources", job.schema)
            for i, d in enumerate(info) if named & {n[1:-1] for n in d["named"]}]


def _finish(job: Job, info: list[dict], reasoned: Reasoned, stated: dict, base) -> list:
    """Stage 3: every document's part, cut and checked; or, when the document did not change,
    taken from the previous build as it was (nothing it depends on changed) or checked again
    (what it reads about others' nodes changed). A document whose part must be cut again
    though its text did not change is read again."""
    from kg.builder import documents

    old_parts = {p["id"]: p for p in (job.previous or {}).get("parts", [])}
    keys = [_part_key(i, d, reasoned) for i, d in enumerate(info)]
    plan: dict[int, tuple[int, str, tuple]] = {}
    parts: dict[int, documents.Part] = {}
    reread = []
    for i, d in enumerate(info):
        old = old_parts.get(d["id"])
        if i in stated:
            plan[i] = (i, "cut", stated[i].spool)
        elif old is None or old["key"] != keys[i]:
            reread.append(i)
        elif documents.answers([tuple(a) for a in old["asked"]], reasoned.facts) \
                != old["answers"]:
            plan[i] = (i, "check", (str(job.out / NQUADS), old["offset"], old["length"]))
        else:
            parts[i] = _old_part(job, old)
    for i, s in _read(job, reread, base, None, first=len(job.files)).items():
        plan[i], stated[i] = (i, "cut", s.spool), s
    todo = [plan[i] for i in sorted(plan)]
    tasks = [(n, [todo[k] for k in run]) for n, run in
             enumerate(batches(list(range(len(todo))), job.jobs))]
    for (_, items), results in zip(tasks, parallel(_finish_task, tasks, job.jobs, job=job,
                                                   reasoned=reasoned), strict=True):
        for (i, _, _), part in zip(items, results, strict=True):
            parts[i] = part
    for i, part in parts.items():
        part.key = keys[i]
    return [parts[i] for i in range(len(info))]


def _old_part(job: Job, old: dict):
    """A part of the previous build, as it was."""
    from kg.builder.documents import Part

    return Part(old["id"], where=(str(job.out / NQUADS), old["offset"], old["length"]),
                triples=old["triples"], entities=old["entities"], records=old["records"],
                names=[tuple(n) for n in old["names"]],
                elsewhere=[tuple(t) for t in old["elsewhere"]],
                asked=[tuple(a) for a in old["asked"]], answers=old["answers"], reused=True)


def _part_key(index: int, info: dict, reasoned: Reasoned) -> str:
    """What a document's part depends on besides its own key: which of the nodes it names
    are shared, what the reasoning across documents added to it, and the schema triples
    (when the data has any) that its closure was made with."""
    from kg.builder.cache import digest
    from kg.reason.shards import SHARED

    owner = reasoned.owner
    return digest([info["key"], [n for n in info["named"] if owner.get(n) == SHARED],
                   sorted(reasoned.extras.get(index, ())), reasoned.forced, reasoned.schema])
