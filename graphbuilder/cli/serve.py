"""`graphbuilder serve`: a local SPARQL endpoint and query page over a built graph."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Annotated

import typer

from ._util import OUT_DIR, app, examples, say


@app.command(
    "serve",
    epilog=examples(
        ("Serve out/ on http://127.0.0.1:7878/", "graphbuilder serve"),
        ("Another port, and more time for long queries", "graphbuilder serve out/ --port 8000 --timeout 120"),
        ("Reachable from other machines: think twice", "graphbuilder serve out/ --host 0.0.0.0"),
    ),
)
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
            metavar="ADDRESS",
            help="The address to listen on. The default answers this "
            "machine only; 0.0.0.0 opens the endpoint to the network. Requests must name the "
            "server as localhost, 127.0.0.1, [::1] or this host (or, on 0.0.0.0, by an address).",
        ),
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", metavar="PORT", min=1, max=65535, help="The port to listen on.")
    ] = 7878,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            min=0.1,
            rich_help_panel="Queries",
            help="Stop any query still running after this many seconds (the client gets HTTP 503).",
        ),
    ] = 30.0,
    allow_service: Annotated[
        bool,
        typer.Option(
            "--allow-service",
            rich_help_panel="Queries",
            help="Let queries call other SPARQL endpoints with SERVICE (refused by default: the "
            "server would send requests to any address a query names).",
        ),
    ] = False,
) -> None:
    """Serve the graph read-only over the SPARQL 1.1 Protocol, with a query page, until Ctrl-C."""
    from ..sparql.server import serve

    # A plain `kill` should stop the server and clean up as Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server = serve(graph, host, port, timeout=timeout, allow_service=allow_service)
    except KeyboardInterrupt:  # serve() cleans up after itself
        say("stopped before the server was ready")
        return
    try:
        say(f"serving {graph} read-only (Ctrl-C stops it)")
        say(f"  SPARQL endpoint: {server.query_url}")
        say(f"  query page:      {server.url}")
        say(f"  graph store:     {server.url}store (read-only)")
        say(
            f"  queries stop after {timeout:g} s; SERVICE is "
            + ("allowed" if allow_service else "refused (--allow-service allows it)")
        )
        server.wait()
    except KeyboardInterrupt:
        say("stopping the server")
    finally:
        server.stop()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
