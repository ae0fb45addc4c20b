"""Sharded OWL 2 RL reasoning: one closure per document and one for what documents share,
exchanging triples until none is new. The union is the whole-graph closure, so memory follows
the largest shard instead of the corpus.

Why it is exact. Every rule :mod:`kg.reason.rules` compiles that has more than one data premise
joins its premises on one node:

- ``prp-trp`` ``(x p y) (y p z)``, two-step ``prp-spo2`` chains ``(x p1 y) (y p2 z)`` and
  ``cls-svf1`` ``(x p y) (y a C)`` join on ``y``;
- ``cax-dw`` ``(x a C1) (x a C2)`` joins on ``x``.

(The other rules read one data triple and the schema; literals are typed from themselves.)
Every node has one owner: the document that alone names it, or the shared shard for a node
named by several documents or by the ontology. A triple is kept by the owner of its subject
and the owner of its object (not for ``rdf:type``, whose object is a class no rule joins on),
so all the triples about a node meet at its owner, where its joins run. What a shard derives is
passed on the same way and the receiving shards are closed again, until no shard receives a
triple it lacks: at that fixpoint every rule instance has met its premises somewhere, so the
union of the shards is closed. Each shard only ever holds triples of the closure, so nothing
more is derived either. A property chain of three or more properties joins on two nodes at once
and would break this; :func:`check_shardable` refuses it.

tests/test_reasoning_diff.py holds :func:`sharded_closure` to owlrl on corpora whose documents
share countries, cities, programmes and agreements, with transitive chains across documents.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence, Set

from kg.errors import InconsistentGraph, UnsupportedAxiom
from kg.reason.reference import is_noise
from kg.reason.rules import TYPE, Reasoner, Rules, is_schema
from kg.terms import Triple

SHARED = -1  #: the owner of every node that no single document owns


def check_shardable(rules: Rules) -> None:
    """Refuse a schema whose rules would join on more than one node (a property chain of
    three or more properties): its closure cannot be computed shard by shard."""
    for chains in rules.chains.values():
        for q, chain, _ in chains:
            if len(chain) > 2:
                raise UnsupportedAxiom(
                    f"the property chain of {q} has {len(chain)} properties; the sharded "
                    "reasoner joins on one node, so it supports chains of two; build with "
                    "--reasoner owlrl")


def mentions(abox: Iterable[Triple]) -> set[str]:
    """The nodes a document's asserted triples name: every subject, and every object that is
    not a literal, except the class of an ``rdf:type`` triple."""
    named = set()
    for s, p, o in abox:
        named.add(s)
        if p != TYPE and not o.startswith('"'):
            named.add(o)
    return named


def owners(named: Iterable[Iterable[str]], ontology_nodes: Set[str]) -> dict[str, int]:
    """``node -> owner``: the index of the one document that names it, or :data:`SHARED` for
    a node several documents name and for every node of the ontology."""
    owner: dict[str, int] = dict.fromkeys(ontology_nodes, SHARED)
    for index, nodes in enumerate(named):
        for node in nodes:
            if owner.setdefault(node, index) != index:
                owner[node] = SHARED
    return owner


class Exchange:
    """The shared shard, fed the documents' triples that touch a shared node, and the exchange
    between it and the documents' closures until no shard receives a triple it lacks.

    ``owner`` maps nodes to their owners (:func:`owners`; a node it lacks is shared);
    ``reopen(i)`` gives document ``i``'s asserted triples, for closing it again when it
    receives triples. Beside the triples touching a shared node, the shared shard is given the
    ``facts`` (by default the types) of the document nodes those triples touch: it would derive
    the types again and send them back, and validating shared nodes needs them.

    After :meth:`run`, ``shared`` holds every triple of the closure that touches a shared node,
    ``extras[i]`` what document ``i`` gained beyond its own closure, ``asserted`` the asserted
    triples whose subject is shared, and ``errors`` owlrl's inconsistency messages.
    """

    def __init__(self, reasoner: Reasoner, owner: dict[str, int],
                 reopen: Callable[[int], Iterable[Triple]],
                 facts: Set[str] = frozenset({TYPE})):
        self.reasoner, self.owner, self.reopen, self.facts = reasoner, owner, reopen, facts
        self.shared = reasoner.open()
        self.asserted: set[Triple] = set()
        self.extras: dict[int, set[Triple]] = defaultdict(set)
        self.errors: set[str] = set()
        self.adjacent: set[str] = set()  # document nodes whose facts the shared shard has
        self._objects: set[str] = set()  # objects of the triples fed since the last run

    def destinations(self, triple: Triple) -> set[int]:
        """The owners of the triple's subject and (unless it is a literal, or the class of an
        ``rdf:type``) of its object."""
        s, p, o = triple
        out = {self.owner.get(s, SHARED)}
        if p != TYPE and o[0] != '"':
            out.add(self.owner.get(o, SHARED))
        return out

    def touches_shared(self, triple: Triple) -> bool:
        s, p, o = triple
        owner = self.owner
        return (owner.get(s, SHARED) == SHARED
                or (p != TYPE and o[0] != '"' and owner.get(o, SHARED) == SHARED))

    def select(self, asserted: Iterable[Triple], derived: Iterable[Triple]
               ) -> tuple[list[Triple], list[Triple]]:
        """What the shared shard needs of one document (its asserted triples and its own
        closure's): the triples touching a shared node and the facts of the document's nodes
        they touch; and, apart, the asserted triples whose subject is shared. A pure function
        of the owners, so worker processes can run it."""
        owner, touches, facts = self.owner, self.touches_shared, self.facts
        asserted = list(asserted)
        triples = [*asserted, *(t for t in derived if t[0][0] != '"')]
        chosen, adjacent = [], set()
        for triple in triples:
            if touches(triple):
                chosen.append(triple)
                adjacent.update(n for n in (triple[0], triple[2])
                                if owner.get(n, SHARED) != SHARED)
        chosen += [t for t in triples if t[1] in facts and t[0] in adjacent]
        return chosen, [t for t in asserted if owner.get(t[0], SHARED) == SHARED]

    def feed(self, triples: Iterable[Triple], asserted: Iterable[Triple] = (),
             errors: Iterable[str] = ()) -> None:
        """Give the shared shard what :meth:`select` chose (and a document's errors)."""
        owner, shared, intern = self.owner, self.shared, sys.intern
        for s, p, o in triples:  # closed where they come from: only their joins are to run
            s, p, o = intern(s), intern(p), intern(o)  # one string for each term: memory
            mine = owner.get(s, SHARED) != SHARED
            if p in self.facts and mine:
                self.adjacent.add(s)
            # a document node's facts join nowhere here: its joins are its document's
            shared.put(s, p, o, joins=not mine or (p != TYPE and
                                                   owner.get(o, SHARED) == SHARED))
            self._objects.add(o)
        self.asserted.update(asserted)
        self.errors.update(errors)

    def add_document(self, asserted: Iterable[Triple], derived: Iterable[Triple],
                     errors: Iterable[str] = ()) -> None:
        """:meth:`select` and :meth:`feed` in one step."""
        chosen, stated = self.select(asserted, derived)
        self.feed(chosen, stated, errors)

    def run(self) -> None:
        """Close the shared shard and the documents it sends triples to, in turn, passing on
        what each derives, until no shard receives a triple it lacks."""
        opened: dict[int, object] = {}
        pending: dict[int, list[Triple]] = defaultdict(list)
        while True:
            self.shared.log = []
            self.errors.update(self.reasoner.resume(self.shared, self._objects))
            self._objects = set()
            for triple in self.shared.log:
                if triple[0][0] != '"':
                    for index in self.destinations(triple) - {SHARED}:
                        pending[index].append(triple)
            self.shared.log = None
            if not pending:
                return
            while pending:
                index = min(pending)
                self._receive(index, pending.pop(index), opened, pending)

    def _receive(self, index: int, triples: list[Triple], opened: dict,
                 pending: dict[int, list[Triple]]) -> None:
        """Close document ``index`` with ``triples`` added; pass on what it derives."""
        work = opened.get(index)
        if work is None:
            work, errors = self.reasoner.close(self.reopen(index))
            self.errors.update(errors)
            opened[index] = work
        work.log = []
        for triple in triples:
            work.add(*triple)
        self.errors.update(self.reasoner.resume(work, {o for _, _, o in triples}))
        new, work.log = work.log, None
        for triple in new:
            if triple[0][0] == '"':
                continue
            self.extras[index].add(triple)
            for other in self.destinations(triple) - {index, SHARED}:
                pending[other].append(triple)
            if self.touches_shared(triple):
                nodes = [n for n in (triple[0], triple[2]) if self.owner.get(n) == index]
                facts = [(n, p, o) for n in nodes if n not in self.adjacent
                         for p in self.facts for o in work.objects(p, n)]
                self.feed([triple, *facts])
            elif triple[1] in self.facts and triple[0] in self.adjacent:
                self.feed([triple])

    def raise_errors(self) -> None:
        if self.errors:
            raise InconsistentGraph("the graph is inconsistent: "
                                    + "; ".join(sorted(self.errors)))


def sharded_closure(tbox: Iterable[Triple], documents: Sequence[Set[Triple]]) -> set[Triple]:
    """What OWL 2 RL entails from ``tbox`` + the documents' triples that none of them states,
    less noise, computed shard by shard: equal to :func:`kg.reason.rules.closure` of the union.

    Each triple is taken from the shard that owns its subject, as the build writes it, so the
    answer also shows every triple reached its owner. Raises :class:`InconsistentGraph` with
    owlrl's messages, :class:`UnsupportedAxiom` for a schema that cannot be sharded.
    """
    abox: set[Triple] = set().union(*documents)
    reasoner = Reasoner(tbox, (t for t in abox if is_schema(t)))
    check_shardable(reasoner.rules)
    owner = owners((mentions(d) for d in documents), reasoner.nodes())
    exchange = Exchange(reasoner, owner, lambda i: documents[i])
    closed = []
    for doc in documents:
        work, errors = reasoner.close(doc)
        exchange.add_document(doc, work.triples, errors)
        closed.append(work.triples)
    exchange.run()
    exchange.raise_errors()
    placed = {t for t in exchange.shared.triples if owner.get(t[0], SHARED) == SHARED}
    for index, triples in enumerate(closed):
        placed.update(t for t in (*triples, *exchange.extras[index]) if owner.get(t[0]) == index)
    inferred = {t for t in placed if t not in abox and not is_noise(*t)}
    return inferred | (reasoner.schema_inferred() - abox)
