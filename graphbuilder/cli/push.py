"""`graphbuilder push`: upload the graph to a SPARQL 1.1 Graph Store Protocol endpoint."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ._util import GRAPH_HELP, OUT_DIR, app, examples, say

#: sparql.remote.PUSH_TIMEOUT, written out so that the CLI starts without loading rdflib.
PUSH_TIMEOUT = 60.0


@app.command(
    "push",
    epilog=examples(
        (
            "Push out/ to Oxigraph (its graph store is the /store beside /query)",
            "graphbuilder push out/ --endpoint http://127.0.0.1:7878/query",
        ),
        (
            "Push to Fuseki's graph store",
            "graphbuilder push out/ --graph-store http://localhost:3030/news/data",
        ),
    ),
)
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
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", metavar="SECONDS", min=0, help="The longest wait for each request (0: no limit)."
        ),
    ] = PUSH_TIMEOUT,
) -> None:
    """Upload one named graph per article to a triple store, replacing them if pushed before.

    Credentials come from GRAPHBUILDER_TOKEN (bearer), GRAPHBUILDER_USER and
    GRAPHBUILDER_PASSWORD (basic) or a netrc file. An interrupted push is finished by
    running it again (see .push-journal.json beside the graph).
    """
    from ..sparql.remote import graph_store_url, push

    if graph_store is None:
        if endpoint is None:
            raise UsageError(
                "give --endpoint URL or --graph-store URL (for example "
                "--endpoint http://127.0.0.1:7878/query)"
            )
        graph_store = graph_store_url(endpoint)
    report = push(graph, graph_store, timeout=timeout or None)
    if report.note:
        say(f"note: {report.note}")
    resumed = (
        f"; finished an interrupted push whose first {report.resumed} graphs were already there"
        if report.resumed
        else ""
    )
    say(
        f"pushed {len(report.graphs)} graphs ({report.triples} triples; {report.replaced} "
        f"replaced, {len(report.graphs) - report.replaced} new) to {report.graph_store}{resumed}"
    )
