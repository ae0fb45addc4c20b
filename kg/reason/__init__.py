"""OWL 2 RL reasoning: compiled rules (:mod:`kg.reason.rules`), proved equal to owlrl
(:mod:`kg.reason.reference`), which stays available as the reference.

One entry point, :func:`infer`.
"""

from __future__ import annotations

from collections.abc import Set

from kg.errors import KGError
from kg.terms import Triple

REASONERS = ("fast", "owlrl")


def check_reasoner(name: str) -> None:
    if name not in REASONERS:
        raise KGError(f"unknown reasoner {name!r}; use one of {', '.join(REASONERS)}")


def infer(ontology: Set[Triple], asserted: Set[Triple], reasoner: str = "fast") -> set[Triple]:
    """The inferred graph: what OWL 2 RL adds to ``ontology`` + ``asserted`` (sets of N-Triples
    term triples), less owlrl's noise. Raises :class:`kg.errors.InconsistentGraph` for a
    contradiction."""
    check_reasoner(reasoner)
    if reasoner == "fast":
        from kg.reason.rules import closure

        return closure(ontology, asserted)
    from kg.reason.reference import owlrl_closure
    from kg.terms import graph_of, triples_of

    return triples_of(owlrl_closure(graph_of(ontology), graph_of(asserted)))
