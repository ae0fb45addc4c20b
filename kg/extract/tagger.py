"""A learned mention finder: an averaged perceptron that tags the tokens of a text with the
begin/inside/outside labels of the coarse groups of the gold annotations' entity classes
(``B-place``, ``I-place``, ``B-Person``, ..., ``O``; kg.extract.mentions.group_of), trained on
the development split's gold (scripts/train_tagger.py) and shipped as
``kg/extract/model/tagger.json.gz``.

Like the spaCy finder (:mod:`kg.extract.ner`), it only fills gaps: the rules always run, and a
span the tagger finds is kept only where no rule found anything. Pure Python, no dependency,
deterministic: the same training documents give the same weights, byte for byte.

:func:`gold_spans` turns a gold annotation into training spans, :func:`train` learns a
:class:`Tagger`, :meth:`Tagger.spans` tags a text, :func:`tagger_mentions` makes mentions of
the spans the rules left.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

from kg.errors import ExtractError
from kg.extract.mentions import LIFECYCLE, classify, find_money, group_of
from kg.extract.text import MONTH, WEEKDAY

TOKEN = re.compile(r"[^\W_]+(?:[-.&/][^\W_]+)*|’s|'s|\S")
# the class of a name the tagger finds when its head words (mentions.classify) give none
DEFAULTS = {"organisation": "Organisation", "facility": "ResearchFacility",
            "programme": "Programme", "agreement": "Agreement", "event": "Meeting",
            "policy": "Strategy"}
# a name whose labels won by less than this is left out: on the development split's 5-fold
# cross-validation, the names the tagger adds to the rules' are right about half the time at
# 5, a third of the time below it (docs/extracting.md)
MARGIN = 5.0
_CALENDAR = re.compile(rf"(?:{MONTH}|{WEEKDAY}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|"
                       r"Dec|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?)")
_PLACE_HEADS = re.compile(r"\b(?:Region|Province|Prefecture|State|County|Territory|Oblast)$")
VERSION = 1


def tokens(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each token: words (with inner hyphens, dots, ampersands), "’s",
    and every other non-space character alone."""
    return [m.span() for m in TOKEN.finditer(text)]


def _shape(word: str) -> str:
    s = re.sub(r"[A-Z]", "X", re.sub(r"[a-z]", "x", re.sub(r"\d", "d", word)))
    return re.sub(r"(.)\1+", r"\1\1", s)  # runs shortened: "Xxxxx" -> "Xxx"


def _static(text: str, toks: list[tuple[int, int]]) -> list[list[str]]:
    """The features of each token that do not depend on the labels before it."""
    words = [text[s:e] for s, e in toks]
    lows = [w.lower() for w in words]
    shapes = [_shape(w) for w in words]
    out = []
    for i, w in enumerate(words):
        low = lows[i]
        line_start = i == 0 or "\n" in text[toks[i - 1][1]:toks[i][0]]
        p1, p2 = (lows[i - 1] if i else "<s>"), (lows[i - 2] if i > 1 else "<s>")
        n1 = lows[i + 1] if i + 1 < len(words) else "</s>"
        n2 = lows[i + 2] if i + 2 < len(words) else "</s>"
        p1s = shapes[i - 1] if i else "<s>"
        n1s = shapes[i + 1] if i + 1 < len(words) else "</s>"
        out.append(["b", f"w={w}", f"l={low}", f"s={shapes[i]}", f"x3={low[-3:]}",
                    f"x4={low[-4:]}", f"p3={low[:3]}", f"ls={int(line_start)}", f"p1={p1}",
                    f"p2={p2}", f"n1={n1}", f"n2={n2}", f"p1s={p1s}", f"n1s={n1s}",
                    f"p1l={p1}|{low}", f"n1l={low}|{n1}", f"sn={shapes[i]}|{n1s}",
                    f"ps={p1s}|{shapes[i]}"])
    return out


def _dynamic(static: list[str], prev: str, prev2: str) -> list[str]:
    low, n1, shape = static[2][2:], static[10][3:], static[3][2:]
    return [*static, f"t={prev}", f"tt={prev2}|{prev}", f"tw={prev}|{low}",
            f"ts={prev}|{shape}", f"tn={prev}|{n1}"]


@dataclass
class Tagger:
    """Weights: feature -> label -> weight (averaged)."""

    weights: dict[str, dict[str, float]]
    labels: list[str]

    def _best(self, feats: list[str], prev: str) -> tuple[str, float]:
        """The best label after ``prev``, and by how much it beats the next best."""
        scores: dict[str, float] = defaultdict(float)
        for f in feats:
            for label, w in self.weights.get(f, {}).items():
                scores[label] += w
        ranked = sorted((lab for lab in self.labels if _follows(prev, lab)),
                        key=lambda lab: (-scores.get(lab, 0.0), lab != "O", lab))
        margin = scores.get(ranked[0], 0.0) - scores.get(ranked[1], 0.0) if len(ranked) > 1 \
            else 0.0
        return ranked[0], margin

    def tags(self, text: str, toks: list[tuple[int, int]]) -> list[tuple[str, float]]:
        """Each token's label and the margin by which it won."""
        out: list[tuple[str, float]] = []
        for feats in _static(text, toks):
            prev = out[-1][0] if out else "<s>"
            prev2 = out[-2][0] if len(out) > 1 else "<s>"
            out.append(self._best(_dynamic(feats, prev, prev2), prev))
        return out

    def spans(self, text: str) -> list[tuple[int, int, str, float]]:
        """``(start, end, group, margin)`` of the names the tagger finds in ``text``; the
        margin is the smallest by which a label of the name won."""
        toks = tokens(text)
        return _spans(toks, self.tags(text, toks))

    def to_json(self) -> bytes:
        body = {"version": VERSION, "labels": self.labels,
                "weights": {f: dict(sorted(ws.items())) for f, ws in sorted(self.weights.items())}}
        return gzip.compress(json.dumps(body, ensure_ascii=False, separators=(",", ":"))
                             .encode("utf-8"), mtime=0)

    @classmethod
    def from_json(cls, data: bytes) -> Tagger:
        body = json.loads(gzip.decompress(data))
        if body.get("version") != VERSION:
            raise ExtractError(f"the tagger's weights are of version {body.get('version')}, "
                               f"not {VERSION}: retrain them with scripts/train_tagger.py")
        return cls(body["weights"], body["labels"])


def _follows(prev: str, label: str) -> bool:
    return not label.startswith("I-") or (prev[2:] == label[2:] and prev[:2] in ("B-", "I-"))


def _spans(toks: list[tuple[int, int]],
           tags: list[tuple[str, float]]) -> list[tuple[int, int, str, float]]:
    out: list[tuple[int, int, str, float]] = []
    for (start, end), (tag, margin) in zip(toks, tags, strict=True):
        if tag.startswith("B-"):
            out.append((start, end, tag[2:], margin))
        elif tag.startswith("I-") and out:
            s, _, group, least = out[-1]
            out[-1] = (s, end, group, min(least, margin))
    return out


def gold_spans(text: str, gold: dict) -> list[tuple[int, int, str]]:
    """The names of a gold annotation's entities wherever the text has them, at whole words,
    longest first and never overlapping: each entity's label, aliases and acronym; for one
    whose names the text never uses (a thing described, not named), its quote without a
    leading article; for an investment, the sum of money in its quote."""
    from kg.builder.annotation import locate

    names: list[tuple[str, str]] = []
    for key, node in gold["entities"].items():
        cls = node["a"][0]
        if cls in LIFECYCLE:  # statements' scaffolding, not names
            continue
        cls = group_of(cls)
        own = [n for n in {node["label"], *(node.get("aliases") or []), node.get("acronym")}
               if n and len(n) > 1 and _whole(n).search(text)]
        if cls == "Investment":  # its sum of money
            span = locate(text, node["quote"], node.get("occurrence"), key)
            own = [text[span.start + m.start:span.start + m.end]
                   for m in find_money(text[span.start:span.end])][:1]
        elif not own:
            own = [re.sub(r"^(?:the|The|a|an|An|A) ", "", node["quote"]).rstrip(",.;: ")]
        names += [(n, cls) for n in own]
    found: list[tuple[int, int, str]] = []
    taken = [False] * len(text)
    for name, cls in sorted(set(names), key=lambda nc: (-len(nc[0]), nc)):
        for m in _whole(name).finditer(text):
            if not any(taken[m.start():m.end()]):
                found.append((m.start(), m.end(), cls))
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
    return sorted(found)


def _whole(name: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")


def _gold_tags(toks: list[tuple[int, int]], spans: list[tuple[int, int, str]]) -> list[str]:
    tags = ["O"] * len(toks)
    for start, end, cls in spans:
        inside = [i for i, (s, e) in enumerate(toks) if start <= s and e <= end]
        for n, i in enumerate(inside):
            tags[i] = ("B-" if n == 0 else "I-") + cls
    return tags


def train(examples: list[tuple[str, list[tuple[int, int, str]]]], epochs: int = 8,
          seed: int = 0, keep: float = 0.05) -> Tagger:
    """An averaged perceptron learned from ``(text, gold spans)`` pairs, greedy left to right
    with the gold's previous labels as features; weights under ``keep`` are dropped."""
    data = []
    for text, spans in examples:
        toks = tokens(text)
        data.append((_static(text, toks), _gold_tags(toks, spans)))
    labels = sorted({t for _, tags in data for t in tags})
    weights: dict[str, dict[str, float]] = defaultdict(dict)
    totals: dict[tuple[str, str], float] = defaultdict(float)
    stamps: dict[tuple[str, str], int] = defaultdict(int)
    model = Tagger(weights, labels)
    step = 0
    order = list(range(len(data)))
    rng = random.Random(seed)

    def update(f: str, label: str, by: float) -> None:
        key = (f, label)
        w = weights[f].get(label, 0.0)
        totals[key] += (step - stamps[key]) * w
        stamps[key] = step
        weights[f][label] = w + by

    for _ in range(epochs):
        rng.shuffle(order)
        for n in order:
            static, gold = data[n]
            for i in range(len(gold)):
                prev = gold[i - 1] if i else "<s>"
                prev2 = gold[i - 2] if i > 1 else "<s>"
                feats = _dynamic(static[i], prev, prev2)
                guess = model._best(feats, prev)[0]
                step += 1
                if guess != gold[i]:
                    for f in feats:
                        update(f, gold[i], 1.0)
                        update(f, guess, -1.0)
    averaged: dict[str, dict[str, float]] = {}
    for f, ws in weights.items():
        for label, w in ws.items():
            key = (f, label)
            mean = (totals[key] + (step - stamps[key]) * w) / step
            if abs(mean) >= keep:
                averaged.setdefault(f, {})[label] = round(mean, 3)
    return Tagger(averaged, labels)


@cache
def shipped() -> Tagger:
    """The tagger trained on the development split, as shipped with kg."""
    data = resources.files("kg.extract.model").joinpath("tagger.json.gz").read_bytes()
    return Tagger.from_json(data)


def _class(finder, text: str, group: str) -> str:
    if group == "place":
        if finder.gaz.country_of(text):
            return "Country"
        return "Region" if _PLACE_HEADS.search(text) else "City"
    if group not in DEFAULTS:
        return group  # Person, Post, TechnologyArea, Investment
    cls = classify(text)[0]
    return cls if cls and group_of(cls) == group else DEFAULTS[group]


def tagger_mentions(finder, taken: list[tuple[int, int]], model: Tagger | None = None,
                    margin: float = MARGIN) -> list:
    """Mentions for the tagger's names that overlap nothing in ``taken`` (the rules'), won by
    at least ``margin``, each of the class its head words give, else its group's default class.
    Left out as well: month and day names, and what no learned finder's name may be
    (:meth:`~kg.extract.mentions.Finder.learned`)."""
    out = []
    for start, end, group, won in (model or shipped()).spans(finder.text):
        text = finder.text[start:end]
        if won < margin or _CALENDAR.fullmatch(text):
            continue
        mention = finder.learned(start, end, _class(finder, text, group), taken, tagger=group,
                                 margin=won)
        if mention is not None:
            out.append(mention)
    return out
