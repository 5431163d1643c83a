"""`graphbuilder serve`: a read-only SPARQL endpoint and query page over a built graph.

Two parts: graphbuilder's own HTTP listener on the user's host and port (gateway.py),
which checks every request, and the `oxigraph` program (from the `oxigraph` package)
behind it on a private loopback port (backend.py), serving a store in the layout
`build --store oxigraph` writes. `serve()` starts both and waits until they answer;
`Server.stop()` stops both and removes the temporary files.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EndpointError, GraphNotFoundError
from ..generation import check_generation
from ..rdf.files import load_dataset
from ..rdf.oxigraph import find_store, write_store
from .backend import Oxigraph
from .gateway import Gateway
from .remote import failure_reason

#: Seconds a query may run before it is stopped (`serve --timeout`).
DEFAULT_TIMEOUT = 30.0


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
    """A running server over a built graph; `stop()` ends it and removes its files."""

    url: str  # the server's root: the browser query page
    query_url: str  # the SPARQL 1.1 Protocol endpoint
    store: Path  # the Oxigraph store it serves
    workdir: Path  # temporary: Oxigraph's log, spooled answers, any store loaded for this server
    gateway: Gateway
    oxigraph: Oxigraph
    _thread: threading.Thread = field(repr=False)

    def wait(self) -> None:
        """Return when the server has stopped (Ctrl-C interrupts the wait)."""
        while self._thread.is_alive():
            self._thread.join(1.0)

    def stop(self) -> None:
        """Stop listening, stop the Oxigraph process, and delete the temporary files."""
        if self._thread.is_alive():
            self.gateway.shutdown()
            self._thread.join(10)
        self.gateway.server_close()
        self.oxigraph.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(
    path: Path | str = "out",
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    allow_service: bool = False,
    wait: float = 60.0,
) -> Server:
    """Return a read-only SPARQL server over the graph at `path`, answering.

    `path` is an output folder (its Oxigraph store `store/` when `build --store oxigraph`
    wrote one, else its graph.trig, loaded into a temporary store first), an Oxigraph
    store folder, or a graph file. The default graph is the merged view of the articles'
    graphs, as in local queries. Each query may run `timeout` seconds; queries calling
    SERVICE are refused unless `allow_service`. Requests must name the server by a
    loopback host name or by `host`. Raises EndpointError when the server cannot start.
    """
    if timeout <= 0:
        raise EndpointError(f"the query time limit must be more than 0 s, not {timeout:g}")
    binary = oxigraph_binary()
    path = Path(path)
    workdir = Path(tempfile.mkdtemp(prefix="graphbuilder-serve-"))
    gateway: Gateway | None = None
    oxigraph: Oxigraph | None = None
    try:
        store = _store_for(path, workdir)
        oxigraph = Oxigraph(binary, store, workdir, wait=wait)
        try:
            gateway = Gateway(host, port, oxigraph, timeout=timeout, allow_service=allow_service)
        except OSError as exc:
            raise EndpointError(
                f"cannot listen on {host} port {port}: {failure_reason(exc, 0)} "
                "(pick another --port or --host)"
            ) from None
        oxigraph.start()
        thread = threading.Thread(target=gateway.serve_forever, name="graphbuilder-serve", daemon=True)
        thread.start()
    except BaseException:
        if gateway is not None:
            gateway.server_close()
        if oxigraph is not None:
            oxigraph.stop()
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    shown = f"[{host}]" if ":" in host else host
    root = f"http://{shown}:{gateway.server_address[1]}/"
    return Server(root, root + "query", store, workdir, gateway, oxigraph, thread)


def _store_for(path: Path, workdir: Path) -> Path:
    """Return the Oxigraph store folder to serve for `path`, loading a graph file if needed."""
    store = find_store(path)  # an output folder's store/, or a store folder itself
    if store is not None:
        check_generation(store.parent)  # the store of the output's last build, whole
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
