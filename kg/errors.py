"""The errors the library raises. Each is one line that says what is wrong and what to do;
the CLI prints it without a traceback and exits with the code given here."""

from __future__ import annotations


class KGError(Exception):
    """Base class: a user-facing error with an exit code."""

    exit_code = 2


class AnnotationError(KGError):
    """An annotation or source document is malformed, or a quote is not in its source."""


class InconsistentGraph(KGError):
    """The reasoner found the graph inconsistent (e.g. a person typed as an organisation)."""


class ShapeViolation(KGError):
    """The graph does not conform to the SHACL shapes."""

    exit_code = 1


class QueryError(KGError):
    """A saved or ad-hoc query is malformed, unknown, or given bad parameters."""


class NotBuilt(KGError):
    """The read path was used before `kg build` wrote its output."""


class EndpointError(KGError):
    """A remote SPARQL endpoint is down, refused the credentials, timed out or answered an error."""
