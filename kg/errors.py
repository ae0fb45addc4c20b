"""Every error the library raises, in one place.

Each message is one line that says what is wrong and what to do. The command line prints it
without a traceback and exits with the class's ``exit_code``:

==== =====================================================================================
code meaning
==== =====================================================================================
0    success
1    a check found problems (``kg validate``: SHACL violations)
2    bad input or an unusable environment: a malformed annotation or query, a bad parameter,
     a missing or locked build, a full disk, an endpoint that is down, refuses or times out
70   a bug: an unexpected exception (``KG_DEBUG=1`` shows its traceback)
130  interrupted (Ctrl-C)
==== =====================================================================================
"""

from __future__ import annotations

EXIT_OK, EXIT_PROBLEMS, EXIT_INPUT, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 70, 130


class KGError(Exception):
    """Base class: a user-facing error with an exit code."""

    exit_code = EXIT_INPUT


class AnnotationError(KGError):
    """An annotation or source document is malformed, or a quote is not in its source."""


class InconsistentGraph(KGError):
    """The reasoner found the graph inconsistent (e.g. a person typed as an organisation)."""


class UnsupportedAxiom(KGError):
    """The ontology uses an OWL 2 RL construct the fast reasoner does not implement."""


class UnsupportedShape(KGError):
    """The shapes use a SHACL feature the compiled checks do not implement."""


class ShapeViolation(KGError):
    """The graph does not conform to the SHACL shapes."""

    exit_code = EXIT_PROBLEMS


class QueryError(KGError):
    """A saved or ad-hoc query is malformed, unknown, or given bad parameters."""


class NotBuilt(KGError):
    """The read path was used on a folder that holds no (complete) build."""


class OutputError(KGError):
    """An output cannot be written: the folder is not ours, overlaps the input, is locked by
    another build, or the disk is full."""


class WontFit(KGError):
    """A build would not fit in the memory or on the disk available (said before it starts)."""


class EndpointError(KGError):
    """A remote SPARQL endpoint is down, refused the credentials, timed out or answered an error."""


class Unauthorized(EndpointError):
    """The endpoint asked for credentials, refused the ones given, or is read-only."""


class ReadOnly(Unauthorized):
    """The endpoint answered 403 Forbidden to a write: it is read-only (or the user may not
    write)."""


class Truncated(EndpointError):
    """The endpoint returned only the first ``max_rows`` rows of the answer."""

    def __init__(self, message: str, max_rows: int) -> None:
        super().__init__(message)
        self.max_rows = max_rows


class LoadError(KGError):
    """A load failed; the message says what happened to the target graphs."""


class LoadInterrupted(LoadError):
    """The user pressed Ctrl-C during a load."""

    exit_code = EXIT_INTERRUPTED


class ServeError(KGError):
    """The Oxigraph server is missing, or did not start."""


class ExtractError(KGError):
    """A document cannot be drafted: unreadable, empty, binary, or its draft exists already."""


class SynthError(KGError):
    """A synthetic corpus cannot be written where asked."""


class Interrupted(KGError):
    """The user pressed Ctrl-C; whatever was being written was left as it was before."""

    exit_code = EXIT_INTERRUPTED
