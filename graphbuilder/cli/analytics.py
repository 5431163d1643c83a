"""`graphbuilder stats`, `path` and `export`: the actor network, analysed with networkx."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..options import ExportFormat, PathFormat, StatsFormat
from ._util import GRAPH_HELP, OUT_DIR, app, say


@app.command("stats")
def stats_command(
    graph: Annotated[Path, typer.Argument(metavar="PATH", help=GRAPH_HELP)] = OUT_DIR,
    top: Annotated[
        int, typer.Option("--top", "-n", min=1, help="How many actors to list per measure, and communities.")
    ] = 10,
    fmt: Annotated[
        StatsFormat, typer.Option("--format", "-f", help="How to print the statistics.")
    ] = StatsFormat.table,
) -> None:
    """Print counts, the most central actors and the communities of the actor network."""
    from ..network.analytics import format_stats, graph_stats
    from ..rdf.files import load_dataset

    typer.echo(format_stats(graph_stats(load_dataset(graph), top=top), fmt), nl=False)


@app.command("path")
def path_command(
    source: Annotated[str, typer.Argument(metavar="A", help="An actor: its name or an alias, any case.")],
    target: Annotated[str, typer.Argument(metavar="B", help="Another actor, named the same way.")],
    graph: Annotated[Path, typer.Option("--graph", "-g", metavar="PATH", help=GRAPH_HELP)] = OUT_DIR,
    relations: Annotated[
        list[str],
        typer.Option(
            "--relation",
            "-r",
            metavar="PREDICATE",
            help="Follow only this relation type, e.g. condemned (repeatable).",
        ),
    ] = [],
    fmt: Annotated[
        PathFormat, typer.Option("--format", "-f", help="How to print the path.")
    ] = PathFormat.text,
) -> None:
    """Print the shortest chain of relations between two actors, with the evidence for each hop."""
    from ..network.analytics import format_path, relation_path
    from ..rdf.files import load_dataset

    path = relation_path(load_dataset(graph), source, target, relations or None)
    typer.echo(format_path(path, fmt), nl=False)


@app.command("export")
def export_command(
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="graphml or gexf (Gephi, Cytoscape, yEd), or csv "
            "(nodes.csv and edges.csv, for spreadsheets).",
        ),
    ],
    graph: Annotated[Path, typer.Argument(metavar="PATH", help=GRAPH_HELP)] = OUT_DIR,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="The file to write (for csv: the folder that receives nodes.csv and "
            "edges.csv). Default: graph.graphml or graph.gexf, or nodes.csv and "
            "edges.csv, in the graph's folder.",
        ),
    ] = None,
) -> None:
    """Write the actor network for Gephi or spreadsheets, with centrality and communities."""
    from ..network.export import export_network, export_path
    from ..rdf.files import load_dataset

    dataset = load_dataset(graph)
    written = export_network(dataset, output or export_path(graph, fmt), fmt)
    say("wrote " + ", ".join(str(p) for p in written))
