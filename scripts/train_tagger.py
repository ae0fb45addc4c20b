"""Train the learned mention finder (kg.extract.tagger) on the development split's gold
annotations and write it where kg ships it; or, with --folds K, measure it first by K-fold
cross-validation on the development split. Run by hand:

    .venv/bin/python scripts/train_tagger.py             # writes kg/extract/model/tagger.json.gz
    .venv/bin/python scripts/train_tagger.py --check     # exit 1 if the shipped model differs
    .venv/bin/python scripts/train_tagger.py --folds 5   # figures only, writes nothing

Cross-validation trains on K-1 folds, drafts each document of the fold left out with the rules
alone and with the rules and that tagger (each against the gold of the other documents, as
scripts/extract_eval.py does), and prints both, summed over the split. It never reads the
frozen test split: measure that with scripts/extract_eval.py --ner tagger."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract.evaluate import GoldGraphs, documents, evaluate_one, figures, total  # noqa: E402
from kg.extract.gazetteer import gazetteer  # noqa: E402
from kg.extract.tagger import gold_spans, train  # noqa: E402
from kg.output import write_bytes  # noqa: E402
from kg.yamlio import read as read_yaml  # noqa: E402

DEV = ROOT / "tests" / "corpus" / "dev"
MODEL = ROOT / "kg" / "extract" / "model" / "tagger.json.gz"


def examples(docs: list) -> list[tuple[str, list]]:
    """``(text, gold spans)`` of each annotated document of ``docs``, in their order."""
    out = []
    for doc in docs:
        text = doc.text_path.read_text(encoding="utf-8")
        out.append((text, gold_spans(text, read_yaml(doc.gold_path))))
    return out


def cross_validate(folds: int) -> dict:
    docs = documents([DEV])
    context = [d for d in documents([ROOT / "data"]) if d.name not in {x.name for x in docs}]
    graphs = GoldGraphs(docs + context)
    data = examples(docs)  # data[i] is docs[i]'s
    rules, learned = {}, {}
    for k in range(folds):
        model = train([e for i, e in enumerate(data) if i % folds != k])
        for i, doc in enumerate(docs):
            if i % folds == k:
                gaz = gazetteer(graphs.without(doc.name))
                rules[doc.name] = evaluate_one(doc, gaz)
                learned[doc.name] = evaluate_one(doc, gaz, model)
        print(f"fold {k + 1}/{folds} done", file=sys.stderr)
    return {"rules": figures(total(rules)), "rules+tagger": figures(total(learned))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, help="cross-validate on the development split "
                        "with this many folds instead of training the shipped model")
    parser.add_argument("--check", action="store_true", help="train, and exit 1 unless the "
                        "shipped model is byte for byte the one the development split gives")
    options = parser.parse_args()
    started = time.perf_counter()
    if options.folds:
        out = cross_validate(options.folds)
        for name, fig in out.items():
            m, s, sig = fig["mentions"], fig["statements"], fig["signers"]
            print(f"{name:13} mentions P {m['precision']:.3f} R {m['recall']:.3f} "
                  f"({m['matched']}/{m['gold']}, {m['drafted']} drafted)  statements "
                  f"P {s['precision']:.3f} R {s['recall']:.3f}  signers {sig['all']}/{sig['gold']}")
        print(json.dumps({name: {c: (n["drafted"], n["matched"]) for c, n in
                                 fig["mentions_by_class"].items()} for name, fig in out.items()}),
              file=sys.stderr)
    elif options.check:
        same = train(examples(documents([DEV]))).to_json() == MODEL.read_bytes()
        print(f"{MODEL.relative_to(ROOT)}: " + ("the model the development split gives" if same
              else "differs from the model the development split gives: retrain it"))
        sys.exit(0 if same else 1)
    else:
        model = train(examples(documents([DEV])))
        write_bytes(MODEL, model.to_json())
        print(f"{MODEL.relative_to(ROOT)}: {len(model.weights)} features, "
              f"{MODEL.stat().st_size} bytes")
    print(f"{time.perf_counter() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
