"""The `kg` command line: parse options, call one library function, print.

Only this module prints or exits. Library errors (:class:`kg.errors.KGError`) become one line on
stderr and the exit code the error class names; nothing else is caught.
"""


import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from kg.errors import KGError, QueryError
from kg.render import Format

app = typer.Typer(
    help="A knowledge graph of international agreements: build it from annotated source "
    "documents, reason over it (OWL 2 RL), and query it with saved SPARQL queries.\n\n"
    "Start with `kg build`, then `kg queries` and `kg query signatories`.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

BuildDir = Annotated[Path | None, typer.Option(
    "--build", help="Built graph to read (default: build/ in the project, or $KG_BUILD).",
    show_default=False)]
Endpoint = Annotated[str | None, typer.Option(
    help="Query this SPARQL endpoint instead of the local build. Credentials come from "
    "KG_USER / KG_PASSWORD (KG_AUTH=basic|digest), never from the command line.")]
Timeout = Annotated[float, typer.Option(help="Seconds to wait for a remote endpoint.")]
FormatOpt = Annotated[Format | None, typer.Option(
    "--format", "-f", help="Output format. Default: table at a terminal, tsv when piped "
    "(ttl for CONSTRUCT/DESCRIBE).", show_default=False)]


def _err(message: str) -> None:
    typer.echo(f"error: {message}", err=True)


def _out(data: bytes | str) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _build_dir(build: Path | None) -> Path:
    from kg.paths import default_out

    return build or default_out()


def _header_cache(build: Path | None) -> dict:
    try:
        return json.loads((_build_dir(build) / "query-headers.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _default_format(fmt: Format | None, graph_result: bool) -> Format:
    if fmt is not None:
        return fmt
    if graph_result:
        return Format.ttl
    return Format.table if sys.stdout.isatty() else Format.tsv


def _params(values: list[str]) -> dict[str, str]:
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise QueryError(f"--param {item!r}: write it as NAME=VALUE")
        out[name.strip()] = value
    return out


@app.command()
def build(
    source: Annotated[Path | None, typer.Option(
        help="Folder with sources/ and annotations/ (default: data/ in the project).",
        show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(
        help="Output folder (default: build/ in the project, or $KG_BUILD).",
        show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success.")] = False,
    reasoner: Annotated[str, typer.Option(
        help="fast (compiled OWL 2 RL rules) or owlrl (the slow reference).")] = "fast",
) -> None:
    """Build the graph: annotations -> RDF -> OWL 2 RL reasoning -> SHACL -> files and store.

    Writes dataset.trig and dataset.nq (named graphs: ontology, asserted, evidence, inferred),
    graph.ttl (all merged), manifest.json and the query store. A failure writes nothing.
    """
    from kg.build import build as run
    from kg.ontology import DATA_DIR

    def progress(stage: str) -> None:
        if not quiet:
            typer.echo(f"  {stage}...", err=True)

    report = run(source or DATA_DIR, out, progress, reasoner)
    if quiet:
        return
    total = sum(report.triples.values())
    typer.echo(f"built {report.out}: {total} triples "
               + ", ".join(f"{k} {v}" for k, v in report.triples.items())
               + f"; {report.evidence_records} evidence records from "
               f"{len(report.documents)} document(s) in {sum(report.seconds.values()):.2f} s")


@app.command()
def validate(build: BuildDir = None) -> None:
    """Check the built graph against the SHACL shapes.

    Exit code 0 when it conforms, 1 when shapes are violated (each violation printed), 2 on error.
    """
    from kg.validate import validate_build

    lines = validate_build(_build_dir(build))
    if lines:
        for line in lines:
            typer.echo(line)
        typer.echo(f"{len(lines)} violation(s)", err=True)
        raise typer.Exit(1)
    typer.echo("conforms")


@app.command("queries")
def list_queries(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """List the saved queries with their summaries and parameters."""
    from kg.paths import QUERIES_DIR
    from kg.queries import load_all

    saved = load_all(QUERIES_DIR)
    if fmt == "json":
        _out(json.dumps([{"name": q.name, "summary": q.summary, "form": q.form, "tags": q.tags,
                          "parameters": [p.__dict__ for p in q.parameters]}
                         for q in saved.values()], indent=2) + "\n")
        return
    width = max(len(n) for n in saved)
    for q in saved.values():
        params = " ".join(f"--param {p.name}=<{p.type}>" + ("" if p.required else "?")
                          for p in q.parameters)
        typer.echo(f"{q.name:<{width}}  {q.summary}" + (f"  [{params}]" if params else ""))


def _run(text: str, origin: str, bindings: dict, fmt: Format | None, build: Path | None,
         endpoint: str | None, timeout: float) -> None:
    from kg.queries import is_update, query_form
    from kg.render import render

    if is_update(text):
        raise QueryError(f"{origin}: this is a SPARQL Update; kg query and kg sparql only read "
                         "(use kg load to change a store)")
    form = query_form(text)
    if endpoint:
        from kg.queries import substitute_text
        from kg.store import check_syntax, run_remote

        text = substitute_text(text, bindings)
        check_syntax(text, origin)  # a bad query fails here, before any network traffic
        result = run_remote(text, endpoint, timeout)
    else:
        from kg.store import run_local

        result = run_local(text, _build_dir(build), bindings, origin)
    _out(render(result, _default_format(fmt, form in ("CONSTRUCT", "DESCRIBE"))))


@app.command()
def query(
    name: Annotated[str, typer.Argument(help="Saved query name (see `kg queries`).")],
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="NAME=VALUE for a query parameter; repeat for several.")] = None,
    fmt: FormatOpt = None,
    build: BuildDir = None,
    endpoint: Endpoint = None,
    timeout: Timeout = 60.0,
) -> None:
    """Run a saved query by name, with its parameters bound as typed RDF terms.

    Examples: `kg query signatories`, `kg query signed-by --param person=id:george-freeman`,
    `kg query investments --format csv`. `kg queries` lists the names and parameters.
    """
    from kg.paths import QUERIES_DIR
    from kg.queries import bind, find

    saved = find(QUERIES_DIR, name, _header_cache(build))
    bindings = bind(saved, _params(param or []))
    _run(saved.text, str(saved.path), bindings, fmt, build, endpoint, timeout)


@app.command()
def sparql(
    text: Annotated[str | None, typer.Argument(
        help="The query text; '-' or nothing reads stdin.", show_default=False)] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Read the query from a file.")] = None,
    fmt: FormatOpt = None,
    build: BuildDir = None,
    endpoint: Endpoint = None,
    timeout: Timeout = 60.0,
) -> None:
    """Run an ad-hoc SPARQL query (the project's prefixes agr:, id:, rdfs:, ... are predeclared)."""
    from kg.store import prologue

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
    if not text.strip():
        raise QueryError(f"{origin}: the query is empty")
    pro = prologue()
    # the prologue shifts line numbers; report them as the user wrote them
    try:
        _run(pro + text, origin, {}, fmt, build, endpoint, timeout)
    except QueryError as exc:
        raise QueryError(_shift_lines(str(exc), origin, pro.count("\n"))) from None


def _shift_lines(message: str, origin: str, by: int) -> str:
    import re

    def fix(m) -> str:
        return f"{origin}:{int(m.group(1)) - by}:"

    return re.sub(re.escape(origin) + r":(\d+):", fix, message, count=1)


@app.command()
def lookup(
    text: Annotated[str, typer.Argument(help="A name, alias or acronym, in any language.")],
    limit: Annotated[int, typer.Option(help="How many matches to list.")] = 5,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", help="text or json (default: text at a terminal, json when piped).",
        show_default=False)] = None,
    build: BuildDir = None,
) -> None:
    """Find entities by name (forgiving case, accents and typos) and show the best one's card."""
    from kg.lookup import card, render_card, search
    from kg.store import open_store

    store = open_store(_build_dir(build))
    matches = search(store, text, limit)
    if not matches:
        typer.echo(f"no entity matches {text!r}; try fewer words or `kg sparql`", err=True)
        raise typer.Exit(1)
    best = card(store, matches[0].iri)
    if (fmt or ("text" if sys.stdout.isatty() else "json")) == "json":
        _out(json.dumps({"matches": [m.__dict__ for m in matches], "card": best.as_dict()},
                        indent=2, ensure_ascii=False) + "\n")
        return
    _out(render_card(best))
    if len(matches) > 1:
        others = ", ".join(f"{m.name} ({m.score:.2f})" for m in matches[1:])
        typer.echo(f"other matches: {others}")


@app.command()
def describe(
    entity: Annotated[str, typer.Argument(help="An IRI or CURIE, e.g. id:george-freeman.")],
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", help="text or json (default: text at a terminal, json when piped).",
        show_default=False)] = None,
    build: BuildDir = None,
) -> None:
    """Show the card of one entity: types, relations both ways, evidence."""
    from kg.lookup import card, render_card
    from kg.queries import expand_curie
    from kg.store import open_store

    iri = expand_curie(entity.strip("<>"))
    found = card(open_store(_build_dir(build)), iri)
    if found is None:
        raise QueryError(f"nothing is known about {entity!r}; find names with `kg lookup`")
    if (fmt or ("text" if sys.stdout.isatty() else "json")) == "json":
        _out(json.dumps(found.as_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        _out(render_card(found))


@app.command()
def why(
    subject: Annotated[str, typer.Argument(help="Subject IRI or CURIE.")],
    predicate: Annotated[str, typer.Argument(help="Predicate IRI or CURIE (e.g. rdf:type).")],
    obj: Annotated[str, typer.Argument(metavar="OBJECT", help="Object IRI, CURIE or literal.")],
    build: BuildDir = None,
) -> None:
    """Explain a triple: for a stated one its quotes and documents; for an inferred one the
    axioms and triples it follows from."""
    from kg.why import explain

    typer.echo(explain(_build_dir(build), subject, predicate, obj))


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
    method: Annotated[str, typer.Option(help="update (SPARQL 1.1 Update) or gsp (Graph Store "
                                        "HTTP Protocol).")] = "update",
    graph_base: Annotated[str | None, typer.Option(
        help="Load the graphs under this IRI instead of https://w3id.org/agreements-kg/graph/.",
        show_default=False)] = None,
    chunk: Annotated[int, typer.Option(help="Triples per request.")] = 2000,
    timeout: Timeout = 60.0,
    build: BuildDir = None,
) -> None:
    """Load the built graphs (ontology, asserted, evidence, inferred) into a triplestore.

    Each graph is staged, counted, then swapped in with one update: a failure leaves the store's
    graphs as they were, and loading twice leaves what loading once does.
    """
    from contextlib import nullcontext

    from kg.load import load as run

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

        report = run(_build_dir(build), endpoint, query_endpoint=query_endpoint,
                     gsp_endpoint=gsp_endpoint, method=method, graph_base=graph_base,
                     chunk=chunk, timeout=timeout, progress=progress, prompt=prompt)
    typer.echo(f"loaded {report.triples} triples into {report.endpoint} by {report.method} in "
               f"{report.seconds:.2f} s ({report.rate:.0f} triples/s): "
               + ", ".join(f"<{report.targets[n]}> {report.held[n]}" for n in report.targets))


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 7878,
    host: Annotated[str, typer.Option(help="Address to bind; 127.0.0.1 keeps it local.")] =
        "127.0.0.1",
    writable: Annotated[bool, typer.Option(
        help="Accept updates (on a temporary copy; the build never changes).")] = False,
    build: BuildDir = None,
) -> None:
    """Serve the built graph as a SPARQL endpoint (Oxigraph server, with a query UI) until
    Ctrl-C."""
    import signal

    from kg.serve import serve_build

    # a plain `kill` must stop the Oxigraph child too, as Ctrl-C does
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server = serve_build(_build_dir(build), port=port, host=host, writable=writable)
    typer.echo(f"serving {'read-write' if writable else 'read-only'} at {server.url} "
               f"(SPARQL: {server.query}; Ctrl-C stops)")
    try:
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="nt, nq, ttl, trig or jsonld "
                                     "(nt and ttl merge the graphs).")] = "nq",
    out: Annotated[Path | None, typer.Option(help="File to write (default: stdout).",
                                             show_default=False)] = None,
    graph_base: Annotated[str | None, typer.Option(
        help="Name the graphs under this IRI instead.", show_default=False)] = None,
    build: BuildDir = None,
) -> None:
    """Write the built dataset for a store's own bulk loader (see docs/triplestores.md)."""
    from kg.export import ExportFormat, write
    from kg.export import export as run

    try:
        chosen = ExportFormat(fmt)
    except ValueError:
        raise KGError(f"--format must be one of nt, nq, ttl, trig, jsonld, not {fmt!r}") from None
    data = run(_build_dir(build), chosen, graph_base)
    if out is None:
        _out(data)
    else:
        write(data, out)


@app.command()
def docs(
    out: Annotated[Path, typer.Option(help="Folder to write the site into (replaced if kg docs "
                                      "wrote it before).")],
    sources: Annotated[Path | None, typer.Option(
        help="Source texts the graph was built from (default: data/sources).",
        show_default=False)] = None,
    build: BuildDir = None,
) -> None:
    """Write a static HTML site: ontology docs, entity, class, document and query pages."""
    from kg.docs import write_site

    pages = write_site(_build_dir(build), out, sources)
    typer.echo(f"wrote {out}: " + ", ".join(f"{n} {kind}" for kind, n in pages.items())
               + f" pages; open {out / 'index.html'}")


@app.command()
def show(
    entity: Annotated[str, typer.Argument(help="An IRI or CURIE, e.g. id:japan.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="svg, dot or mermaid.")] = "svg",
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of stdout.",
                                             show_default=False)] = None,
    build: BuildDir = None,
) -> None:
    """Draw one entity's links (signatories, parties, places, dates, programmes...)."""
    from kg.diagram import show as draw

    text = draw(_build_dir(build), entity, fmt)
    if out is None:
        _out(text)
    else:
        out.write_text(text, encoding="utf-8")


@app.command()
def extract(
    document: Annotated[Path, typer.Argument(help="A press release: plain text or HTML.")],
    date: Annotated[str | None, typer.Option(
        help="The document's date YYYY-MM-DD, for 'today' or 'last year' (default: the first "
        "full date in the text).", show_default=False)] = None,
    out: Annotated[Path | None, typer.Option(
        help="Write the annotation here instead of DATA/annotations/<id>.yaml.",
        show_default=False)] = None,
    data: Annotated[Path | None, typer.Option(
        "--data", help="Data folder with sources/ and annotations/ (default: data/).",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Draft the annotation of a new document (every item marked `review: draft`).

    Copies the text to DATA/sources/<id>.txt with a .meta.yaml sidecar and writes the draft to
    DATA/annotations/<id>.yaml; review it, then `kg build`. See docs/extracting.md.
    """
    from kg.extract import extract as run
    from kg.paths import DATA_DIR

    done = run(document, data or DATA_DIR, date, out, force)
    typer.echo(f"drafted {done.document}: {done.entities} entities ({done.linked} linked to "
               f"known ones), {done.statements} statements; wrote "
               + ", ".join(str(p) for p in done.written))


@app.command()
def documents(fmt: FormatOpt = None, build: BuildDir = None) -> None:
    """List the source documents of the built graph with their checksums and evidence counts."""
    query("documents", None, fmt, build, None, 60.0)


@app.command()
def synth(
    out: Annotated[Path, typer.Option(help="Folder to write sources/ and annotations/ into.")],
    agreements: Annotated[int, typer.Option(
        help="How many agreements (documents); about 2,150 built triples each.")] = 47,
    seed: Annotated[int, typer.Option(
        help="Random seed: the same seed writes the same corpus.")] = 0,
) -> None:
    """Write a synthetic corpus (one document and annotation per agreement) for `kg build
    --source`, e.g. `kg synth --agreements 465 --out /tmp/corpus` for about a million triples."""
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


def main() -> None:
    """Entry point of the `kg` script: run the app, turning library errors into one line."""
    _only_the_invoked_command(sys.argv[1:])
    try:
        app()
    except KGError as exc:
        _err(str(exc))
        sys.exit(exc.exit_code)
