"""Say it before the wall: what a build will need, estimated from the size of its input before
any work is done, against the memory and disk the machine has.

The figures per input byte were measured on synthetic corpora (``kg synth``) and the annotated
test corpus at 10k to 30M triples (docs/scale.md); memory is what the processes of a build hold
at their peak, all together (the main process, the workers and the store loader), disk what the
staging folder holds at its peak (the spooled lines, the dataset, the store, the cache).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from kg.errors import WontFit

#: Triples in the built dataset per byte of annotation YAML (all four graphs).
TRIPLES_PER_BYTE = 0.093
#: Memory: the main process with the ontology and rules, each worker, the store loader at its
#: largest chunk, and the shared shard, per triple of the dataset.
BASE, WORKER, LOADER, SHARED_PER_TRIPLE = 300 << 20, 150 << 20, 600 << 20, 40
#: Disk, per triple of the dataset, at the peak of a build.
DISK_PER_TRIPLE = 700


@dataclass(frozen=True)
class Need:
    """What a build is estimated to need."""

    documents: int
    triples: int
    memory: int  # bytes
    disk: int  # bytes


def estimate(annotations: list[Path], data: Path, jobs: int) -> Need:
    """The estimate for building ``annotations`` (files of the data folder ``data``)."""
    size = sum(_size(path) for path in annotations)
    triples = int(size * TRIPLES_PER_BYTE)
    memory = BASE + min(jobs, len(annotations)) * WORKER + LOADER + triples * SHARED_PER_TRIPLE
    return Need(len(annotations), triples, memory, triples * DISK_PER_TRIPLE)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def available_memory() -> tuple[int, str] | None:
    """The memory a new process may use and where that figure comes from: the cgroup's limit
    less its use when there is one, else ``MemAvailable``; None when neither can be read."""
    found = []
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        used = int(Path("/sys/fs/cgroup/memory.current").read_text())
        if limit != "max":
            found.append((int(limit) - used, "the cgroup's memory.max"))
    except (OSError, ValueError):
        pass
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found.append((int(line.split()[1]) * 1024, "MemAvailable"))
    except (OSError, ValueError, IndexError):
        pass
    return min(found) if found else None


def free_disk(out: Path) -> int:
    """Free bytes on the file system ``out`` is (or will be) on."""
    folder = out.resolve()
    while not folder.exists():
        folder = folder.parent
    return shutil.disk_usage(folder).free


def check(need: Need, out: Path, memory: int | None = None) -> None:
    """Refuse with the figures when ``need`` exceeds ``memory`` bytes (default: what is
    available) or the free disk at ``out``."""
    budget = (memory, "--memory") if memory is not None else available_memory()
    documents = f"{need.documents:,} document" + ("s" if need.documents != 1 else "")
    what = f"{documents}, about {_count(need.triples)} triples"
    advice = "pass --no-fit-check to try anyway (docs/scale.md has the figures)"
    if budget is not None and need.memory > budget[0]:
        raise WontFit(f"this build needs about {_bytes(need.memory)} of memory ({what}) but "
                      f"{_bytes(max(budget[0], 0))} is available ({budget[1]}); free memory, "
                      f"build on a larger machine, or {advice}")
    free = free_disk(out)
    if need.disk > free:
        raise WontFit(f"this build needs about {_bytes(need.disk)} of disk ({what}) but "
                      f"{_bytes(free)} is free where {out} is; free space, choose another "
                      f"--out, or {advice}")


def chunk(need: Need, memory: int | None = None) -> int:
    """Bytes of N-Quads per bulk load of the store: small enough that the loader's two loads
    at once fit in :data:`LOADER` (pyoxigraph holds about 4.4 times a chunk's bytes) and in the
    memory budget, large enough for few loads, and a fraction of the whole so that the store
    fills while the documents are read."""
    budget = memory or (available_memory() or (4 << 30, ""))[0]
    whole = need.triples * 220  # bytes of N-Quads per triple
    return int(max(8 << 20, min(LOADER // 9, budget // 40, whole // 8)))


def parse_size(text: str) -> int:
    """Bytes from a size such as ``2G``, ``512M``, ``1.5GB`` or ``1000000``.

    >>> parse_size("2G"), parse_size("512MB"), parse_size("1000")
    (2147483648, 536870912, 1000)
    """
    import re

    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGT]?)(?:i?B)?\s*", text, re.I)
    if not match:
        raise ValueError(f"{text!r} is not a size such as 2G or 512M")
    factor = 1024 ** " KMGT".index(match.group(2).upper() or " ")
    return int(float(match.group(1)) * factor)


def _bytes(n: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


def _count(n: int) -> str:
    return f"{n / 1e6:.1f}M" if n >= 1e6 else f"{n:,}"
