"""Print the extractor's figures (kg.extract.evaluate) on the documents of data folders, summed
over them: mention precision and recall (overall and by class), statement precision and recall
(overall and by property), and signers drafted. Run by hand:

    .venv/bin/python scripts/extract_eval.py tests/corpus/dev

Each document is drafted against the gold annotations of the others and of the context folders
(default: data/, the seed). Per-document rows are printed only with --per-document (never ask
for them on the frozen test split: tests/corpus/README.md)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract.evaluate import SIGNATURE_PARTS, evaluate, figures, total  # noqa: E402
from kg.query.results import table  # noqa: E402


def _f(x: float | None) -> str:
    return "—" if x is None else f"{x:.2f}"


def render(fig: dict, title: str) -> str:
    m, s, sig = fig["mentions"], fig["statements"], fig["signers"]
    out = [f"## {title} ({fig['documents']} documents)\n"]
    out.append(table(["", "gold", "drafted", "matched/right", "P", "R", "linking"], [
        ["mentions", str(m["gold"]), str(m["drafted"]), str(m["matched"]), _f(m["precision"]),
         _f(m["recall"]), _f(m["linking"])],
        ["statements", str(s["gold"]), str(s["drafted"]), str(s["right"]),
         _f(s["precision"]), _f(s["recall"]), ""]]))
    out.append(table(["signers drafted", "gold events", "drafted events",
                      *(f"right {p}" for p in SIGNATURE_PARTS)],
                     [["", str(sig["gold"]), str(sig["drafted"]),
                       *(f"{sig[p]} ({_f(sig[p + '_share'])})" for p in SIGNATURE_PARTS)]]))
    out.append(table(["class", "gold", "drafted", "matched", "P", "R"], [
        [cls, str(n["gold"]), str(n["drafted"]), str(n["matched"]), _f(n["precision"]),
         _f(n["recall"])] for cls, n in fig["mentions_by_class"].items()]))
    out.append(table(["property", "gold", "drafted", "right", "found", "P", "R"], [
        [p, str(n["gold"]), str(n["drafted"]), str(n["right"]), str(n["found"]),
         _f(n["precision"]), _f(n["recall"])] for p, n in fig["statements_by_property"].items()]))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path,
                        help="data folders whose documents are measured "
                        "(default: tests/corpus/dev)")
    parser.add_argument("--context", nargs="*", type=Path, default=[ROOT / "data"],
                        help="data folders that join the gazetteer only (default: data/)")
    parser.add_argument("--ner", choices=["tagger", "spacy"], help="add a learned mention "
                        "finder: the shipped tagger, or spaCy (needs the 'ner' extra)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--per-document", action="store_true",
                        help="also print each document's figures (development split only)")
    options = parser.parse_args()
    started = time.perf_counter()
    counts = evaluate(options.folders or [ROOT / "tests" / "corpus" / "dev"], options.context,
                      options.ner)
    seconds = time.perf_counter() - started
    split = figures(total(counts))
    if options.json:
        out = {"split": split}
        if options.per_document:
            out["documents"] = {name: figures(c) for name, c in counts.items()}
        print(json.dumps(out, indent=2))
        return
    print(render(split, "summed over the split"), end="")
    if options.per_document:
        rows = []
        for name, c in counts.items():
            f = figures(c)
            m, s, sig = f["mentions"], f["statements"], f["signers"]
            rows.append([name, _f(m["precision"]), _f(m["recall"]), _f(m["linking"]),
                         _f(s["precision"]), _f(s["recall"]), f"{sig['all']}/{sig['gold']}"])
        print("\n" + table(["document", "mention P", "mention R", "linking", "statement P",
                            "statement R", "signers"], rows), end="")
    print(f"\n{len(counts)} documents measured in {seconds:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
