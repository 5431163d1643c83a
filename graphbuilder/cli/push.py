"""`graphbuilder push`: upload the graph to a SPARQL 1.1 Graph Store Protocol endpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ._util import GRAPH_HELP, OUT_DIR, app, say


@app.command("push")
def push_command(
    graph: Annotated[Path, typer.Argument(metavar="PATH", help=GRAPH_HELP)] = OUT_DIR,
    endpoint: Annotated[
        Optional[str],
        typer.Option(
            "--endpoint",
            metavar="URL",
            help="The server's SPARQL query endpoint; when it ends in /query (Oxigraph) the "
            "graph store is the /store beside it.",
        ),
    ] = None,
    graph_store: Annotated[
        Optional[str],
        typer.Option(
            "--graph-store",
            metavar="URL",
            help="The server's Graph Store Protocol URL (Oxigraph: .../store, Fuseki: "
            ".../DATASET/data), when it cannot be told from --endpoint.",
        ),
    ] = None,
) -> None:
    """Upload one named graph per article to a triple store, replacing them if pushed before."""
    from ..sparql.remote import graph_store_url, push

    if graph_store is None:
        if endpoint is None:
            raise UsageError(
                "give --endpoint URL or --graph-store URL (for example "
                "--endpoint http://127.0.0.1:7878/query)"
            )
        graph_store = graph_store_url(endpoint)
    report = push(graph, graph_store)
    say(
        f"pushed {len(report.graphs)} graphs ({report.triples} triples; {report.replaced} "
        f"replaced, {len(report.graphs) - report.replaced} new) to {report.graph_store}"
    )
