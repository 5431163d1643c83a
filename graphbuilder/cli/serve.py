"""`graphbuilder serve`: a local SPARQL endpoint and query page over a built graph."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Annotated

import typer

from ._util import OUT_DIR, app, fail, say


@app.command("serve")
def serve_command(
    graph: Annotated[
        Path,
        typer.Argument(
            metavar="PATH",
            help="The built graph: an output folder of `graphbuilder build` (its Oxigraph store "
            "when built with --store oxigraph, else its graph.trig), an Oxigraph store "
            "folder, or a graph file.",
        ),
    ] = OUT_DIR,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="The address to listen on. The default answers this "
            "machine only; 0.0.0.0 opens the endpoint to the network.",
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port to listen on.")] = 7878,
) -> None:
    """Serve the graph read-only over the SPARQL 1.1 Protocol, with a query page, until Ctrl-C."""
    from ..sparql.server import serve

    # A plain `kill` should stop the server and clean up as Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server = serve(graph, host, port)  # cleans up after itself if interrupted
    except KeyboardInterrupt:
        say("stopped before the server was ready")
        return
    try:
        say(f"serving {graph} read-only (Ctrl-C stops it)")
        say(f"  SPARQL endpoint: {server.query_url}")
        say(f"  query page:      {server.url}")
        say(f"  graph store:     {server.url}store (read-only)")
        code = server.process.wait()
    except KeyboardInterrupt:
        say("stopping the server")
        return
    finally:
        server.stop()
    if code in (-signal.SIGINT, -signal.SIGTERM):  # Ctrl-C reached the server first
        say("the server stopped")
        return
    fail(f"the oxigraph server stopped unexpectedly (exit {code})")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
