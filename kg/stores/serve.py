"""Serve the built graph as a local SPARQL endpoint with the Oxigraph server (PyPI ``oxigraph``).

The build's ``store/`` is a pyoxigraph store of the same 0.5 format, so the server reads it in
place, read-only. ``writable`` serves a copy instead, so updates never change the build (the
build stays a function of its inputs). The server listens on 127.0.0.1 unless told otherwise and
offers ``/query``, ``/update`` (writable only), ``/store`` (Graph Store Protocol) and a query UI
at ``/``.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ServeError


@dataclass
class Server:
    """A running Oxigraph server: its process, base URL and data directory."""

    process: subprocess.Popen
    url: str
    location: Path
    writable: bool
    temporary: bool = False  # location is a copy to delete on stop

    @property
    def query(self) -> str:
        return self.url + "query"

    @property
    def update(self) -> str:
        return self.url + "update"

    @property
    def store(self) -> str:
        return self.url + "store"

    def stop(self) -> None:
        """Terminate the server and wait for it (kill it after 10 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.temporary:
            shutil.rmtree(self.location.parent, ignore_errors=True)


def oxigraph_binary() -> str:
    """Path of the ``oxigraph`` server installed next to this Python (or on PATH)."""
    candidate = Path(sys.prefix) / "bin" / "oxigraph"
    found = str(candidate) if candidate.is_file() else shutil.which("oxigraph")
    if not found:
        raise ServeError("the Oxigraph server is not installed; run "
                         f"'{sys.executable} -m pip install \"oxigraph>=0.5,<0.6\"'")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def wait_ready(url: str, process: subprocess.Popen, timeout: float, name: str) -> None:
    """Poll ``url`` until it answers any HTTP status; :class:`ServeError` if the process exits
    or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServeError(f"{name} exited with code {process.returncode} before answering")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise ServeError(f"{name} did not answer at {url} within {timeout:g} s")


def start(location: Path, *, port: int | None = None, host: str = "127.0.0.1",
          writable: bool = False, union_default_graph: bool = False, timeout: float = 30.0,
          log=None) -> Server:
    """Start ``oxigraph serve`` (or ``serve-read-only``) on ``location`` and wait until it answers.

    ``union_default_graph`` makes the default graph the union of all graphs, as many stores do;
    ``log`` is a file object for the server's output (default: discarded).
    """
    port = port or free_port(host)
    command = [oxigraph_binary(), "serve" if writable else "serve-read-only",
               "--location", str(location), "--bind", f"{host}:{port}"]
    if union_default_graph:
        command.append("--union-default-graph")
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                               stdout=log or subprocess.DEVNULL, stderr=log or subprocess.DEVNULL)
    url = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
    try:
        wait_ready(url + "query", process, timeout, "the Oxigraph server")
    except BaseException:
        Server(process, url, location, writable).stop()
        raise
    return Server(process, url, location, writable)


def serve_build(build_dir: Path, *, port: int | None = None, host: str = "127.0.0.1",
                writable: bool = False) -> Server:
    """Serve the build's store: in place and read-only, or a temporary copy when ``writable``.

    The default graph is the union of the named graphs, as the ``kg`` commands see it, so any
    SPARQL client (a browser, YASGUI, grlc, curl) gets the rows ``kg query`` prints.
    """
    from kg.dataset import STORE, require

    store = require(build_dir, STORE)
    if port:
        with socket.socket() as sock:  # a clearer message than the server's own
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
            try:
                sock.bind((host, port))
            except OSError as exc:
                raise ServeError(f"cannot listen on {host}:{port} ({exc.strerror}); "
                                 "choose another --port") from None
    location, copy = store, None
    try:
        if writable:
            copy = Path(tempfile.mkdtemp(prefix="kg-serve-"))
            location = copy / "store"
            shutil.copytree(store, location)
        server = start(location, port=port or None, host=host, writable=writable,
                       union_default_graph=True)
    except BaseException:
        if copy is not None:
            shutil.rmtree(copy, ignore_errors=True)
        raise
    server.temporary = writable
    return server
