"""`graphbuilder serve`: the Oxigraph server over a built graph, read-only, on loopback.

No server of our own: this starts the `oxigraph` program (from the `oxigraph` package)
on a store in the layout `build --store oxigraph` writes, waits until it answers, and
stops it cleanly.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import EndpointError, GraphNotFoundError
from ..rdf.files import load_dataset
from ..rdf.oxigraph import find_store, write_store
from .remote import failure_reason, request


def oxigraph_binary() -> str:
    """Return the path of the `oxigraph` server program: beside this Python, else on PATH."""
    name = "oxigraph.exe" if sys.platform == "win32" else "oxigraph"
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise EndpointError(
            "the oxigraph server program is not installed: run "
            "`pip install oxigraph` in graphbuilder's environment"
        )
    return found


@dataclass
class Server:
    """A running Oxigraph server over a built graph; `stop()` ends it and removes its files."""

    process: subprocess.Popen
    url: str  # the server's root: the browser query page
    query_url: str  # the SPARQL 1.1 Protocol endpoint
    store: Path  # the Oxigraph store it serves
    workdir: Path  # temporary: the log and any store loaded for this server

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server (terminate; kill after `timeout` s) and delete its temporary files."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(
    path: Path | str = "out", host: str = "127.0.0.1", port: int = 7878, *, wait: float = 60.0
) -> Server:
    """Return a read-only SPARQL server (Oxigraph) over the graph at `path`, answering.

    `path` is an output folder (its Oxigraph store `store/` when `build --store oxigraph`
    wrote one, else its graph.trig, loaded into a temporary store first), an Oxigraph
    store folder, or a graph file. The default graph is the merged view of the articles'
    graphs, as in local queries. Raises EndpointError when the server cannot start.
    """
    binary = oxigraph_binary()
    path = Path(path)
    _check_free(host, port)
    workdir = Path(tempfile.mkdtemp(prefix="graphbuilder-serve-"))
    try:
        store = _store_for(path, workdir)
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        log_path = workdir / "server.log"
        with open(log_path, "wb") as log:
            # The store's default graph already holds the merged view (see
            # rdf.oxigraph.write_store): a union default graph would count a triple
            # once per article that states it.
            process = subprocess.Popen(
                [binary, "serve-read-only", "--location", str(store), "--bind", bind],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        root = f"http://{bind}/"
        server = Server(process, root, root + "query", store, workdir)
        _wait_until_answering(server, log_path, wait)
        return server
    except BaseException:
        if "server" in locals():
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        raise


def _check_free(host: str, port: int) -> None:
    """Raise EndpointError unless the server could listen on host:port (else another answers)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do
            probe.bind(address)
    except OSError as exc:
        raise EndpointError(
            f"cannot listen on {host} port {port}: {failure_reason(exc, 0)} (pick another --port or --host)"
        ) from None


def _store_for(path: Path, workdir: Path) -> Path:
    """Return the Oxigraph store folder to serve for `path`, loading a graph file if needed."""
    store = find_store(path)  # an output folder's store/, or a store folder itself
    if store is not None:
        return store
    file = (
        next((path / n for n in ("graph.trig", "graph.ttl") if (path / n).is_file()), None)
        if path.is_dir()
        else (path if path.is_file() else None)
    )
    if file is None:
        raise GraphNotFoundError(f"no graph at {path}: run `graphbuilder build` first")
    # The same layout `build --store oxigraph` writes: article graphs plus the merged view.
    return write_store(load_dataset(file), workdir / "store")


def _wait_until_answering(server: Server, log_path: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            log = log_path.read_text("utf-8", "replace")
            error = re.search(r"^Error: (.+)$", log, flags=re.MULTILINE)
            raise EndpointError(
                "the oxigraph server stopped at once: "
                + (error.group(1) if error else f"exit {server.process.returncode}")
            )
        try:
            request("GET", server.url, timeout=1.0)
            return
        except EndpointError:
            time.sleep(0.1)
    raise EndpointError(f"the oxigraph server did not answer at {server.url} within {wait:g} s")
