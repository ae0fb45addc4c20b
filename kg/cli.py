"""The `kg` command line: parse options, call one library function, print.

Only this module prints or exits. Every failure is one line on stderr and an exit code
(:mod:`kg.errors` lists them): a library error (:class:`kg.errors.KGError`) says what is wrong
and what to do; a usage mistake names the option and the command's help; Ctrl-C exits 130; an
unexpected exception is reported as a bug (``KG_DEBUG=1`` shows its traceback).
"""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import click
import typer

from kg.errors import EXIT_BUG, EXIT_INTERRUPTED, KGError, OutputError, QueryError
from kg.query.results import Format

app = typer.Typer(
    help="A knowledge graph of international agreements: build it from annotated source "
    "documents, reason over it (OWL 2 RL), and query it with saved SPARQL queries.\n\n"
    "Start with `kg build` (reads ./data, writes ./kg-build), then `kg queries` and "
    "`kg query signatories`. Every command has -h.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)

BuildDir = Annotated[Path | None, typer.Option(
    "--build", "-b", help="The build folder to read (default: $KG_BUILD, else ./kg-build).",
    show_default=False)]
Endpoint = Annotated[str | None, typer.Option(
    help="Query this SPARQL endpoint instead of the build. Credentials come from "
    "KG_USER / KG_PASSWORD (KG_AUTH=basic|digest), never from the command line.",
    show_default=False)]
Timeout = Annotated[float, typer.Option(
    click_type=click.FloatRange(min=0, min_open=True),
    help="Seconds to wait for a remote endpoint (more than 0).")]
FormatOpt = Annotated[Format | None, typer.Option(
    "--format", "-f", help="Output format: table, csv, tsv, json, xml or md for SELECT and "
    "ASK; ttl, nt, nq, jsonld or xml for CONSTRUCT and DESCRIBE. Default: table at a "
    "terminal, else tsv (ttl for graphs).", show_default=False)]
CardFormat = Annotated[str | None, typer.Option(
    "--format", "-f", click_type=click.Choice(["text", "json"]),
    help="text or json (default: text at a terminal, else json).", show_default=False)]
Limit = Annotated[int | None, typer.Option(
    min=0, help="Print at most this many rows (a page; the query's own order).",
    show_default=False)]
Offset = Annotated[int, typer.Option(min=0, help="Skip this many rows first (with --limit: "
                                             "--offset 100 --limit 50 is the third page).")]
Show = Annotated[int, typer.Option(
    min=1, help="How many relations each way and evidence records the card shows; it says "
    "how many it left off.")]

T = TypeVar("T")


def _out(data: bytes | str) -> None:
    sys.stdout.buffer.write(data.encode("utf-8") if isinstance(data, str) else data)
    sys.stdout.buffer.flush()


def _interruptible(work: Callable[[], T]) -> T:
    """Run ``work`` in a thread so that Ctrl-C stops even a query busy inside the store
    (pyoxigraph releases the interpreter while it computes): the main thread waits in Python
    and leaves at once with exit code 130. Only reading commands use this."""
    done: dict[str, Any] = {}

    def run() -> None:
        try:
            done["value"] = work()
        except BaseException as exc:  # handed to the main thread without its frames, which
            if os.environ.get("KG_DEBUG"):  # hold store objects that must die in this thread
                import traceback

                traceback.print_exc()
            exc.__traceback__ = exc.__context__ = exc.__cause__ = None
            done["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.1)
    except KeyboardInterrupt:
        _fail("interrupted")
        os._exit(EXIT_INTERRUPTED)  # the store is read-only: nothing to tidy up
    if "error" in done:
        raise done["error"]
    return done["value"]


def _graph(build: Path | None):
    from kg.api import Graph

    return Graph(build)


def _render(result, fmt: Format | None) -> None:
    if fmt is None:
        graph = result.form in ("CONSTRUCT", "DESCRIBE")
        fmt = Format.ttl if graph else Format.table if sys.stdout.isatty() else Format.tsv
    result.write(sys.stdout.buffer, fmt)
    sys.stdout.buffer.flush()


def _params(values: list[str]) -> dict[str, str]:
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {item!r}: write it as NAME=VALUE")
        out[name.strip()] = value
    return out


def _card_format(fmt: str | None) -> str:
    return fmt or ("text" if sys.stdout.isatty() else "json")


@app.command()
def build(
    data: Annotated[Path, typer.Option(
        "--data", "--source", help="The data folder: sources/ (texts and .meta.yaml) and "
        "annotations/ (YAML).")] = Path("data"),
    out: Annotated[Path | None, typer.Option(
        help="The build folder to write (default: $KG_BUILD, else ./kg-build). It must be new, "
        "empty, or an earlier build.", show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")] = False,
    reasoner: Annotated[str, typer.Option(
        click_type=click.Choice(["fast", "owlrl"]),
        help="fast (compiled OWL 2 RL rules) or owlrl (the slow reference).")] = "fast",
    include_drafts: Annotated[bool, typer.Option(
        "--include-drafts", help="Build items still marked 'review: draft' (what kg extract "
        "proposed) as draft evidence, shown as draft everywhere, instead of refusing them.")
    ] = False,
    jobs: Annotated[int | None, typer.Option(
        min=1, help="Worker processes (default: one per core).", show_default=False)] = None,
    memory: Annotated[str | None, typer.Option(
        help="The memory the build may use, e.g. 2G (default: what is available); a build "
        "estimated to need more is refused before it starts.", show_default=False)] = None,
    fit_check: Annotated[bool, typer.Option(
        "--fit-check/--no-fit-check", help="Refuse a build that would not fit in memory or "
        "on disk, before it starts.")] = True,
) -> None:
    """Build the graph: annotations -> RDF -> OWL 2 RL reasoning -> SHACL -> a build folder.

    Writes dataset.nq (named graphs ontology, asserted, evidence, inferred), manifest.json,
    the query store, the name index, and copies of the sources, shapes and saved queries, so
    every other command reads the build alone. Building into an earlier build reuses what did
    not change. A failure changes nothing.
    """
    from kg.builder import build as run
    from kg.builder.fit import parse_size

    def progress(stage: str) -> None:  # at a terminal only: piped, stderr holds errors alone
        if not quiet and sys.stderr.isatty():
            typer.echo(f"  {stage}...", err=True)

    try:
        budget = parse_size(memory) if memory is not None else None
    except ValueError as exc:
        raise KGError(f"--memory: {exc}") from None
    report = run(data, out, progress=progress, reasoner=reasoner, jobs=jobs, memory=budget,
                 check_fit=fit_check, include_drafts=include_drafts)
    if not quiet:
        drafts = (f"; {report.drafts} item(s) built as unreviewed drafts" if report.drafts
                  else "")
        typer.echo(f"built {report.out}: {report.total} triples ("
                   + ", ".join(f"{k} {v}" for k, v in report.triples.items())
                   + f"); {report.evidence_records} evidence records from "
                   f"{len(report.documents)} document(s) in {sum(report.seconds.values()):.2f} s"
                   + (f" ({report.read} read again, the rest reused)"
                      if report.read < len(report.documents) else "")
                   + drafts)


@app.command()
def validate(build: BuildDir = None) -> None:
    """Check a build against the SHACL shapes it was built with.

    Exit code 0 when it conforms, 1 when shapes are violated (each violation printed), 2 on
    error.
    """
    lines = _graph(build).validate()
    if lines:
        _out("".join(line + "\n" for line in lines))
        typer.echo(f"{len(lines)} violation(s)", err=True)
        raise typer.Exit(1)
    typer.echo("conforms")


@app.command("queries")
def list_queries(
    fmt: Annotated[str, typer.Option("--format", "-f", click_type=click.Choice(
        ["table", "json"]), help="table or json.")] = "table",
    build: BuildDir = None,
) -> None:
    """List the saved queries of a build with their summaries and parameters."""
    saved = _graph(build).saved()
    if fmt == "json":
        _out(json.dumps([{"name": q.name, "summary": q.summary, "form": q.form, "tags": q.tags,
                          "parameters": [{**p._asdict(), "example": q.examples.get(p.name)}
                                         for p in q.parameters]}
                         for q in saved.values()], indent=2, ensure_ascii=False) + "\n")
        return
    width = max((len(n) for n in saved), default=0)
    for q in saved.values():
        params = " ".join(
            f"--param {p.name}=" + (q.examples.get(p.name) or f"<{p.type}>")
            + ("" if p.required else " (optional)") for p in q.parameters)
        _out(f"{q.name:<{width}}  {q.summary}" + (f"  {params}" if params else "") + "\n")


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="A saved query's name (kg queries lists them).")],
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="NAME=VALUE for a query parameter; repeat for several.",
        show_default=False)] = None,
    fmt: FormatOpt = None,
    limit: Limit = None,
    offset: Offset = 0,
    build: BuildDir = None,
    endpoint: Endpoint = None,
    timeout: Timeout = 60.0,
) -> None:
    """Run a saved query by name, its parameters bound as typed RDF terms.

    Examples: kg query signatories; kg query signed-by --param person=id:george-freeman;
    kg query investments --format csv; kg query signatories --limit 50 --offset 50 (the
    second page). kg queries lists the names and parameters.
    """
    given = _params(param or [])

    def work() -> None:
        if endpoint:
            from kg.api import Endpoint as Remote

            target = Remote(endpoint, timeout)
        else:
            target = _graph(build)
        _render(target.query(name, limit=limit, offset=offset, **given), fmt)

    _interruptible(work)


@app.command()
def sparql(
    text: Annotated[str | None, typer.Argument(
        help="The query; '-' or nothing reads it from stdin.", show_default=False)] = None,
    file: Annotated[Path | None, typer.Option(
        "--file", help="Read the query from this file.", show_default=False)] = None,
    fmt: FormatOpt = None,
    limit: Limit = None,
    offset: Offset = 0,
    build: BuildDir = None,
    endpoint: Endpoint = None,
    timeout: Timeout = 60.0,
) -> None:
    """Run an ad-hoc SPARQL query. The prefixes agr: (the ontology), id: (entities), graph:,
    rdf:, rdfs:, owl:, xsd:, skos:, dcterms:, prov:, oa:, sh:, org:, eli:, frapo:, schema:,
    lkif:, vivo: and wd: are predeclared; the default graph is the union of the build's graphs.
    """
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{file}: cannot read it ({exc})") from None
        origin = str(file)
    elif text is None or text == "-":
        if sys.stdin.isatty():
            raise QueryError("no query given: pass it as an argument, with --file, or on stdin")
        text, origin = sys.stdin.read(), "<stdin>"
    else:
        origin = "<argument>"

    def work() -> None:
        if endpoint:
            from kg.api import Endpoint as Remote

            target = Remote(endpoint, timeout)
        else:
            target = _graph(build)
        _render(target.sparql(text, origin, limit=limit, offset=offset), fmt)

    _interruptible(work)


@app.command()
def lookup(
    text: Annotated[str, typer.Argument(help="A name, alias or acronym, in any language.")],
    limit: Annotated[int, typer.Option(min=1, help="How many matches to list.")] = 5,
    show: Show = 50,
    fmt: CardFormat = None,
    build: BuildDir = None,
) -> None:
    """Find entities by name (forgiving case, accents and typos) and show the best one's card:
    its types, relations, and the quotes they come from."""

    def work() -> None:
        from kg.query.lookup import render_card

        graph = _graph(build)
        matches = graph.lookup(text, limit)
        best = graph.describe(matches[0].iri, show) if matches else None
        if _card_format(fmt) == "json":
            _out(json.dumps({"matches": [m.__dict__ for m in matches],
                             "card": best.as_dict() if best else None},
                            indent=2, ensure_ascii=False) + "\n")
        elif best is None:
            typer.echo(f"no entity matches {text!r}; try fewer words, or kg sparql", err=True)
        else:
            _out(render_card(best))
            if len(matches) > 1:
                _out("other matches: " + ", ".join(f"{m.name} ({m.score:.2f})"
                                                    for m in matches[1:]) + "\n")

    _interruptible(work)


@app.command()
def describe(
    entity: Annotated[str, typer.Argument(help="An IRI or CURIE, e.g. id:george-freeman.")],
    show: Show = 50,
    fmt: CardFormat = None,
    build: BuildDir = None,
) -> None:
    """Show the card of one entity: types (stated or inferred), relations both ways, and the
    evidence: quotes with their offsets, or the curator's notes."""

    def work() -> None:
        from kg.query.lookup import render_card

        found = _graph(build).describe(entity, show)
        if _card_format(fmt) == "json":
            _out(json.dumps(found.as_dict(), indent=2, ensure_ascii=False) + "\n")
        else:
            _out(render_card(found))

    _interruptible(work)


@app.command()
def why(
    subject: Annotated[str, typer.Argument(help="The subject: an IRI or CURIE.")],
    predicate: Annotated[str, typer.Argument(help="The predicate: an IRI or CURIE (or a).")],
    obj: Annotated[str, typer.Argument(metavar="OBJECT", help="The object: an IRI, CURIE "
                                       "or literal text.")],
    build: BuildDir = None,
) -> None:
    """Explain a triple: for a stated one its quotes and documents (or a curator's note); for an
    inferred one the OWL 2 RL rule, axiom and premises it follows from, down to the quotes."""
    _out(_interruptible(lambda: _graph(build).why(subject, predicate, obj)) + "\n")


@app.command()
def load(
    endpoint: Annotated[str, typer.Option(
        help="SPARQL Update endpoint of the store (e.g. http://127.0.0.1:7878/update, "
        "Virtuoso .../sparql-auth). Credentials: KG_USER / KG_PASSWORD / KG_AUTH=basic|digest, "
        "or a prompt at a terminal; never on the command line.")],
    query_endpoint: Annotated[str | None, typer.Option(
        help="Query endpoint for the final counts (default: --endpoint).",
        show_default=False)] = None,
    gsp_endpoint: Annotated[str | None, typer.Option(
        help="Graph Store Protocol endpoint for --method gsp (default: --endpoint).",
        show_default=False)] = None,
    method: Annotated[str, typer.Option(click_type=click.Choice(["update", "gsp"]),
                                        help="update (SPARQL 1.1 Update) or gsp (Graph Store "
                                        "HTTP Protocol).")] = "update",
    graph_base: Annotated[str | None, typer.Option(
        help="Load the graphs under this IRI instead of https://w3id.org/agreements-kg/graph/.",
        show_default=False)] = None,
    chunk: Annotated[int, typer.Option(min=1, help="Triples per request.")] = 2000,
    timeout: Timeout = 60.0,
    build: BuildDir = None,
) -> None:
    """Load a build's graphs (ontology, asserted, evidence, inferred) into a triplestore.

    Each graph is staged, counted, then swapped in with one update: a failure leaves the store's
    graphs as they were, and loading twice leaves what loading once does.
    """
    from contextlib import nullcontext

    from kg.resources import default_build
    from kg.stores.load import load as run

    shown = typer.progressbar(length=1, label="loading", file=sys.stderr) \
        if sys.stderr.isatty() else nullcontext()
    with shown as bar:
        def progress(done: int, total: int) -> None:
            if bar is not None:
                bar.length = total
                bar.update(done - bar.pos)

        def prompt() -> tuple[str, str]:
            if not sys.stdin.isatty():
                raise KGError(f"{endpoint.split('@')[-1]} needs credentials: set KG_USER and "
                              "KG_PASSWORD (KG_AUTH=basic or digest)")
            return typer.prompt("user", err=True), typer.prompt("password", hide_input=True,
                                                                 err=True)

        report = run(build or default_build(), endpoint, query_endpoint=query_endpoint,
                     gsp_endpoint=gsp_endpoint, method=method, graph_base=graph_base,
                     chunk=chunk, timeout=timeout, progress=progress, prompt=prompt)
    typer.echo(f"loaded {report.triples} triples into {report.endpoint} by {report.method} in "
               f"{report.seconds:.2f} s ({report.rate:.0f} triples/s): "
               + ", ".join(f"<{report.targets[n]}> {report.held[n]}" for n in report.targets))


@app.command()
def serve(
    port: Annotated[int, typer.Option(min=0, max=65535,
                                      help="Port to listen on (0: any free port).")] = 7878,
    host: Annotated[str, typer.Option(help="Address to bind; 127.0.0.1 keeps it local.")] =
        "127.0.0.1",
    writable: Annotated[bool, typer.Option(
        help="Accept updates, e.g. from kg load (on a temporary copy; the build never "
        "changes).")] = False,
    build: BuildDir = None,
) -> None:
    """Serve a build as a SPARQL endpoint (the Oxigraph server, with a query UI) until Ctrl-C.

    The default graph is the union of the build's graphs, as kg query sees it, so any
    client gets the rows kg query prints.
    """
    import signal

    from kg.resources import default_build
    from kg.stores.serve import serve_build

    # a plain `kill` must stop the Oxigraph child too, as Ctrl-C does
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = serve_build(build or default_build(), port=port, host=host, writable=writable)
    typer.echo(f"serving {'read-write' if writable else 'read-only'} at {server.url} "
               f"(SPARQL: {server.query}" + (f", updates: {server.update}" if writable else "")
               + "; Ctrl-C stops)")
    try:
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", click_type=click.Choice(
        ["nt", "nq", "ttl", "trig", "jsonld"]), help="nt, nq, ttl, trig or jsonld (nt and ttl "
        "merge the graphs).")] = "nq",
    out: Annotated[Path | None, typer.Option(help="File to write (default: stdout).",
                                             show_default=False)] = None,
    graph_base: Annotated[str | None, typer.Option(
        help="Name the graphs under this IRI instead.", show_default=False)] = None,
    build: BuildDir = None,
) -> None:
    """Write a build's dataset for a store's own bulk loader (see docs/triplestores.md)."""
    from kg.output import write_bytes
    from kg.resources import default_build
    from kg.stores.export import ExportFormat
    from kg.stores.export import export as run

    chunks = run(build or default_build(), ExportFormat(fmt), graph_base)
    if out is None:
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
    else:
        write_bytes(out, chunks)


@app.command()
def docs(
    out: Annotated[Path, typer.Option(help="Folder to write the site into: new, empty, or a "
                                      "site kg docs wrote before (then replaced).")],
    build: BuildDir = None,
) -> None:
    """Write a static HTML site of a build: ontology docs, entity, class, document and query
    pages, every fact linked to its quote."""
    from kg.resources import default_build
    from kg.site.pages import write_site

    pages = write_site(build or default_build(), out)
    typer.echo(f"wrote {out}: " + ", ".join(f"{n} {kind}" for kind, n in pages.items())
               + f" pages; open {out / 'index.html'}")


@app.command()
def show(
    entity: Annotated[str, typer.Argument(help="An IRI or CURIE, e.g. id:japan.")],
    fmt: Annotated[str, typer.Option("--format", "-f", click_type=click.Choice(
        ["svg", "dot", "mermaid"]), help="svg, dot or mermaid.")] = "svg",
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of stdout.",
                                             show_default=False)] = None,
    build: BuildDir = None,
) -> None:
    """Draw one entity's links (signatories, parties, places, dates, programmes) as SVG,
    Graphviz DOT or Mermaid."""
    from kg.output import write_text
    from kg.site.diagram import show as draw

    text = _interruptible(lambda: draw(_graph(build), entity, fmt))
    if out is None:
        _out(text)
    else:
        write_text(out, text)


@app.command()
def extract(
    document: Annotated[Path, typer.Argument(help="A press release: plain text or HTML.")],
    date: Annotated[str | None, typer.Option(
        help="The document's date YYYY-MM-DD, for 'today' or 'last year' (default: the first "
        "full date in the text).", show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(
        help="Write the annotation here instead of DATA/annotations/<id>.yaml.",
        show_default=False)] = None,
    data: Annotated[Path, typer.Option(
        "--data", help="The data folder to add the document to.")] = Path("data"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    build: Annotated[Path | None, typer.Option(
        "--build", "-b", help="Link names to the entities of this build (default: $KG_BUILD, "
        "else ./kg-build if there is one).", show_default=False)] = None,
    ner: Annotated[str, typer.Option(
        help="The learned mention finder that fills the gaps the rules leave: 'tagger' "
        "(shipped with kg), 'spacy' (needs the 'ner' extra) or 'rules' (none: the rules "
        "alone). See docs/extracting.md.")] = "tagger",
) -> None:
    """Draft the annotation of a new document (every item marked review: draft).

    Copies the text to DATA/sources/<id>.txt with a .meta.yaml sidecar and writes the draft to
    DATA/annotations/<id>.yaml; review it, then kg build (which refuses items still marked
    draft unless --include-drafts). See docs/extracting.md.
    """
    from kg.extract.draft import extract as run

    done = run(document, data, date, out, force, build, ner)
    typer.echo(f"drafted {done.document}: {done.entities} entities ({done.linked} linked, "
               f"against {done.gazetteer}), {done.statements} statements; wrote "
               + ", ".join(str(p) for p in done.written))


@app.command()
def documents(fmt: FormatOpt = None, build: BuildDir = None) -> None:
    """List the source documents of a build with their checksums and evidence counts."""
    _interruptible(lambda: _render(_graph(build).query("documents"), fmt))


@app.command()
def synth(
    out: Annotated[Path, typer.Option(help="Folder to write sources/ and annotations/ into.")],
    agreements: Annotated[int, typer.Option(
        min=1, help="How many agreements (documents); about 2,150 built triples each.")] = 47,
    seed: Annotated[int, typer.Option(
        help="Random seed: the same seed writes the same corpus.")] = 0,
) -> None:
    """Write a synthetic corpus (one document and annotation per agreement) to build at scale:
    kg synth --agreements 465 --out /tmp/corpus writes about a million triples' worth, then
    kg build --data /tmp/corpus --out /tmp/corpus-build."""
    from kg.synth import synth as make

    ids = make(agreements, out, seed)
    typer.echo(f"wrote {len(ids)} documents to {out}")


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        from importlib.metadata import version as v

        typer.echo(f"kg {v('agreements-kg')}")
        raise typer.Exit()


def _only_the_invoked_command(args: list[str]) -> None:
    """Keep just the command being run, so typer introspects one function, not all of them.

    This is click's "lazy subcommand" idea: it takes a sixth off `kg query`'s start-up, which
    must beat `import rdflib`. `kg --help` and unknown names still see every command.
    """
    if not args:
        return
    chosen = [c for c in app.registered_commands
              if (c.name or c.callback.__name__.replace("_", "-")) == args[0]]
    if chosen:
        app.registered_commands = chosen


def _usage(exc: click.ClickException) -> str:
    """A usage error in one line, pointing at the command's help."""
    ctx = getattr(exc, "ctx", None)
    where = f" (see {ctx.command_path} -h)" if ctx is not None else " (see kg -h)"
    return f"{exc.format_message()}{where}"


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `kg` script: run the app; every failure becomes one line."""
    args = sys.argv[1:] if argv is None else argv
    _only_the_invoked_command(args)
    code = 0
    try:
        result = app(args=args, prog_name="kg", standalone_mode=False)
        code = result if isinstance(result, int) else 0
        if code == EXIT_INTERRUPTED:  # typer turns Ctrl-C into this exit code
            _fail("interrupted")
    except KGError as exc:
        _fail(str(exc))
        code = exc.exit_code
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.exceptions.Abort:
        _fail("interrupted")
        code = EXIT_INTERRUPTED
    except click.ClickException as exc:
        _fail(_usage(exc))
        code = exc.exit_code
    except KeyboardInterrupt:
        _fail("interrupted")
        code = EXIT_INTERRUPTED
    except BrokenPipeError:  # `kg query ... | head`: the reader has all it wants
        _quiet_stdout()
        code = 0
    except OSError as exc:  # stdout or stderr failing: a full disk, a closed terminal
        _quiet_stdout()
        _fail(str(OutputError(f"cannot write the output ({exc.strerror or exc})")))
        code = OutputError.exit_code
    except Exception as exc:
        if os.environ.get("KG_DEBUG"):
            raise
        _fail(f"internal error (a bug in kg): {type(exc).__name__}: "
              f"{str(exc).splitlines()[0] if str(exc) else ''}; run it again with KG_DEBUG=1 "
              "for the traceback and report it")
        code = EXIT_BUG
    sys.exit(code)


def _fail(message: str) -> None:
    try:
        sys.stderr.write(f"error: {message}\n")
        sys.stderr.flush()
    except OSError:
        pass


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
