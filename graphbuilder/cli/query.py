"""`graphbuilder query` and `graphbuilder queries`: SPARQL over a built graph."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from ._util import GRAPH_HELP, OUT_DIR, app



class ResultFormat(str, Enum):
    """How `graphbuilder query` prints results."""

    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


@app.command("query")
def query_command(
    query: str = typer.Argument(
        ..., metavar="QUERY",
        help="A SPARQL SELECT/ASK/CONSTRUCT query, a .rq file, or the name of a saved "
             "query (see `graphbuilder queries`)."),
    graph: Path = typer.Option(OUT_DIR, "--graph", "-g", metavar="PATH", help=GRAPH_HELP),
    fmt: ResultFormat = typer.Option(ResultFormat.table, "--format", "-f",
                                     help="How to print the results."),
) -> None:
    """Run a read-only SPARQL query and print the results on stdout."""
    from ..query import format_result, resolve_query, run_query
    from ..store import load_dataset

    sparql = resolve_query(query)
    result = run_query(load_dataset(graph), sparql)
    typer.echo(format_result(result, fmt.value), nl=False)


@app.command("queries")
def queries_command() -> None:
    """List the saved queries that `graphbuilder query NAME` runs."""
    from ..query import list_saved_queries

    saved = list_saved_queries()
    width = max((len(q.name) for q in saved), default=0)
    for q in saved:
        typer.echo(f"{q.name:<{width}}  {_first_sentence(q.description) or q.title}".rstrip())


def _first_sentence(text: str) -> str:
    """Return the first sentence of a saved query's description (the rest is in the .rq file)."""
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text
