"""Real SPARQL servers on 127.0.0.1 for the tests: started once per session, killed at teardown.

- the Oxigraph server (PyPI ``oxigraph``, a dev dependency): always, in two flavours, with the
  default graph empty (its own default) and as the union of the named graphs (as many stores do);
- Virtuoso (Debian ``virtuoso-opensource``): installed with apt-get when ``CI`` is set and it is
  missing, otherwise skipped with the reason. Its private virtuoso.ini binds HTTP and ISQL to
  127.0.0.1, and its update endpoint ``/sparql-auth`` asks for digest authentication (dba, whose
  password the fixture sets to a random one).

grlc (PyPI ``grlc``) in local mode, serving a folder of saved queries against an endpoint, from a
virtual environment of its own (:func:`grlc_python`: its exact pins of Flask, rdflib, requests
... would fight the project's), installed when needed: a failed install fails the test under
``CI`` and skips it otherwise.

Also two misbehaving servers: :class:`CuttingProxy` forwards to a real server and drops every
connection after the first N (a server dying mid-load), and :func:`silent_server` accepts
connections and never answers (a timeout).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import venv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kg.errors import ServeError
from kg.stores.serve import free_port, start, wait_ready
from support import debian_binary


@dataclass
class Store:
    """A running store as the tests see it: where to query, update and use the Graph Store
    Protocol, and the credentials (for the environment) it wants for writing."""

    name: str
    query: str
    update: str
    gsp: str
    env: dict[str, str] = field(default_factory=dict)
    isql: int = 0  # Virtuoso's ISQL port


@contextmanager
def oxigraph(location: Path, union: bool = False) -> Iterator[Store]:
    server = start(location, writable=True, union_default_graph=union)
    try:
        yield Store("oxigraph-union" if union else "oxigraph", server.query, server.update,
                    server.store)
    finally:
        server.stop()


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{isql}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = ., {d}
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 10
MaxClientConnections = 10
[SPARQL]
; low on purpose: the saved query inferred-facts (186 rows) is cut and must be fetched page by
; page, as with a large graph and the default of 10000
ResultSetMaxRows = 150
MaxQueryExecutionTime = 60
"""


def virtuoso_binary() -> str:
    """Path of virtuoso-t; installs the Debian package in CI, skips the test otherwise."""
    return debian_binary("virtuoso-t", "virtuoso-opensource")


@contextmanager
def virtuoso(folder: Path, buffers: int = 20000) -> Iterator[Store]:
    """Virtuoso serving a new database in ``folder`` (``buffers``: its NumberOfBuffers, 8 KB
    pages; the tests' graphs need few)."""
    binary = virtuoso_binary()
    isql_port, http_port = free_port(), free_port()
    folder.mkdir(parents=True, exist_ok=True)
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=folder, isql=isql_port, http=http_port, buffers=buffers,
                                       dirty=buffers * 3 // 4))
    log = (folder / "stdout.log").open("wb")
    process = subprocess.Popen([binary, "-f", "-c", str(ini)], cwd=folder, stdin=subprocess.DEVNULL,
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{http_port}/"
        wait_ready(base + "sparql", process, 120, "Virtuoso")
        password = "pw-" + secrets.token_hex(8)
        isql = shutil.which("isql-vt") or shutil.which("isql")
        subprocess.run([isql, f"127.0.0.1:{isql_port}", "dba", "dba",
                        f"exec=user_set_password('dba', '{password}');"],
                       check=True, stdout=subprocess.DEVNULL, timeout=60)
        env = {"KG_USER": "dba", "KG_PASSWORD": password, "KG_AUTH": "digest"}
        yield Store("virtuoso", base + "sparql", base + "sparql-auth",
                    base + "sparql-graph-crud-auth", env, isql_port)
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


GRLC = "grlc==1.3.11"

GRLC_CONFIG = """\
[defaults]
sparql_endpoint = {endpoint}
; 'none' means no credentials (empty ones would be sent as basic authentication)
user = none
password = none
[local]
local_sparql_dir = {queries}
"""


def grlc_python(folder: Path) -> Path:
    """The Python of a new virtual environment in ``folder`` holding grlc. The project's pip
    installs into it (``--python``), which spares an ensurepip. Under CI a failed install fails;
    otherwise (offline, say) it skips the test with pip's reason."""
    venv.create(folder, with_pip=False)
    python = folder / "bin" / "python"
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                           "--quiet", "--no-compile", GRLC],
                          capture_output=True, text=True, timeout=600)
    if done.returncode:
        lines = [line for line in done.stderr.splitlines()
                 if line.strip() and not line.startswith("WARNING")]
        why = " / ".join(lines[-3:]) or f"pip exited with {done.returncode}"
        if not os.environ.get("CI"):
            pytest.skip(f"could not install {GRLC} into a private venv (offline?): {why}; "
                        "under CI it is installed and a failure fails")
        pytest.fail(f"pip could not install {GRLC} into {folder}: {why}")
    return python


@contextmanager
def grlc(python: Path, folder: Path, queries: Path, endpoint: str) -> Iterator[str]:
    """grlc in local mode on 127.0.0.1, serving a copy of ``queries`` against ``endpoint``;
    yields the base URL of its API, ``.../api-local/``. grlc reads ``config.ini`` from its
    working folder, and its ``grlc-server`` binds every interface with 20 gunicorn workers, so
    its Flask app is run on its own."""
    folder.mkdir(parents=True, exist_ok=True)
    served = folder / "queries"
    shutil.copytree(queries, served)
    (folder / "config.ini").write_text(GRLC_CONFIG.format(endpoint=endpoint, queries=served))
    port = free_port()
    log_path = folder / "grlc.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [str(python), "-c", f"from grlc.server import app; app.run('127.0.0.1', {port})"],
        cwd=folder, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        try:
            wait_ready(f"http://127.0.0.1:{port}/", process, 60, "grlc")
        except ServeError as exc:
            raise ServeError(f"{exc}; its log ends: {log_path.read_text()[-1500:]}") from None
        yield f"http://127.0.0.1:{port}/api-local/"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


class CuttingProxy:
    """A TCP proxy on 127.0.0.1 to ``target_port`` that forwards the first ``allow``
    connections and then accepts and drops every new one, as a server dying mid-load."""

    def __init__(self, target_port: int, allow: int) -> None:
        self.target_port, self.allow, self.seen = target_port, allow, 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            self.seen += 1
            if self.seen > self.allow:
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()

    def close(self) -> None:
        self.sock.close()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


@contextmanager
def silent_server() -> Iterator[str]:
    """A URL whose server completes the TCP handshake and never answers."""
    sock = socket.create_server(("127.0.0.1", 0), backlog=16)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
    finally:
        sock.close()

