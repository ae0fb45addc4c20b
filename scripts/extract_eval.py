"""Print the extractor's figures (kg.extract.evaluate) on the seed and the test documents, as a
table or, with --json, as JSON. Run by hand: .venv/bin/python scripts/extract_eval.py"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract.evaluate import evaluate  # noqa: E402
from kg.query.results import table  # noqa: E402

FOLDERS = [ROOT / "data", ROOT / "tests" / "corpus" / "dev"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("folders", nargs="*", type=Path, help="data folders (default: data/ "
                        "and tests/corpus/dev)")
    options = parser.parse_args()
    rows = evaluate(options.folders or FOLDERS)
    if options.json:
        print(json.dumps([asdict(r) for r in rows], indent=2))
        return
    head = ["document", "gold", "drafted", "mention P", "mention R", "linking", "statements",
            "statement P", "statement R"]
    print(table(head, [[r.document, str(r.gold_entities), str(r.drafted_entities),
                        f"{r.mention_precision:.2f}", f"{r.mention_recall:.2f}",
                        f"{r.linking_accuracy:.2f}", str(r.drafted_statements),
                        f"{r.statement_precision:.2f}", f"{r.statement_recall:.2f}"]
                       for r in rows]), end="")


if __name__ == "__main__":
    main()
