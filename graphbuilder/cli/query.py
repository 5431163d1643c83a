"""`graphbuilder query` and `graphbuilder queries`: SPARQL over a built graph."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ..options import ResultFormat
from ._util import GRAPH_HELP, OUT_DIR, app

#: sparql.native.DEFAULT_TIMEOUT, written out so that the CLI starts without loading rdflib.
QUERY_TIMEOUT = 30.0


@app.command("query")
def query_command(
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            help="A SPARQL SELECT/ASK/CONSTRUCT query, a .rq file, or the name of a saved "
            "query (see `graphbuilder queries`).",
        ),
    ],
    graph: Annotated[Path, typer.Option("--graph", "-g", metavar="PATH", help=GRAPH_HELP)] = OUT_DIR,
    fmt: Annotated[
        ResultFormat, typer.Option("--format", "-f", help="How to print the results.")
    ] = ResultFormat.table,
    params: Annotated[
        list[str],
        typer.Option(
            "--param",
            "-p",
            metavar="NAME=VALUE",
            help="Bind the query variable ?NAME to VALUE before running it (repeatable): a "
            "plain literal, or an IRI when VALUE is written <...>. Values are bound, "
            "never pasted into the query text.",
        ),
    ] = [],
    endpoint: Annotated[
        Optional[str],
        typer.Option(
            "--endpoint",
            metavar="URL",
            help="Ask this SPARQL 1.1 endpoint (for example http://127.0.0.1:7878/query) "
            "instead of the local graph; --graph is then not read.",
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            min=0,
            help="Stop the query when it runs longer than this (0: no limit). With --endpoint, "
            "the longest wait for the server's whole answer.",
        ),
    ] = QUERY_TIMEOUT,
    allow_service: Annotated[
        bool,
        typer.Option(
            "--allow-service",
            help="Send queries that call SERVICE to --endpoint (the endpoint then fetches from "
            "the servers they name). Local queries never run SERVICE.",
        ),
    ] = False,
) -> None:
    """Run a read-only SPARQL query and print the results on stdout."""
    from ..sparql.query import format_result, read_query, run_query

    sparql, source = read_query(query)
    if endpoint is not None:
        from ..sparql.remote import query_endpoint

        result = query_endpoint(
            endpoint,
            sparql,
            _bindings(params),
            source=source,
            timeout=timeout or None,
            allow_service=allow_service,
        )
    else:
        from ..rdf.files import load_dataset

        result = run_query(
            load_dataset(graph), sparql, bindings=_bindings(params), source=source, timeout=timeout or None
        )
    typer.echo(format_result(result, fmt), nl=False)


def _bindings(params: list[str]) -> dict[str, object]:
    """Return --param NAME=VALUE options as SPARQL bindings (an IRI when VALUE is <...>)."""
    from rdflib import URIRef

    bindings: dict[str, object] = {}
    for param in params:
        name, sep, value = param.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise UsageError(
                f'--param {param!r} is not NAME=VALUE (for example --param actor_name="North Korea")'
            )
        if value.startswith("<") and value.endswith(">"):
            iri = value[1:-1]
            # Checked before rdflib sees it: URIRef logs a warning line for such text.
            if not iri or re.search(r'[\x00-\x20<>"{}|^`\\]', iri):
                raise UsageError(f'--param {param!r}: {iri!r} is not an IRI (no spaces or <>"{{}}|^`\\)')
            bindings[name] = URIRef(iri)
        else:
            bindings[name] = value
    return bindings


@app.command("queries")
def queries_command() -> None:
    """List the saved queries that `graphbuilder query NAME` runs."""
    from ..sparql.query import list_saved_queries

    saved = list_saved_queries()
    width = max((len(q.name) for q in saved), default=0)
    for q in saved:
        typer.echo(f"{q.name:<{width}}  {_first_sentence(q.description) or q.title}".rstrip())
        for param in q.params:
            default = f' (default "{param.default}")' if param.default is not None else ""
            typer.echo(f"{'':<{width}}    --param {param.name}=...  {param.meaning}{default}")


def _first_sentence(text: str) -> str:
    """Return the first sentence of a saved query's description (the rest is in the .rq file)."""
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text
