"""`graphbuilder stats`, `path` and `export`: the actor network, analysed with networkx, and its events."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..options import ExportFormat, PathFormat, StatsFormat
from ._util import GRAPH_HELP, OUT_DIR, app, examples, say, terminal_width


@app.command(
    "stats",
    epilog=examples(
        ("Describe the graph built into out/", "graphbuilder stats"),
        ("List the 20 most central actors by each measure", "graphbuilder stats out/ --top 20"),
        ("Write the statistics as JSON", "graphbuilder stats out/ --format json > stats.json"),
    ),
)
def stats_command(
    graph: Annotated[Path, typer.Argument(metavar="PATH", help=GRAPH_HELP)] = OUT_DIR,
    top: Annotated[
        int,
        typer.Option(
            "--top", "-n", metavar="N", min=1, help="How many actors to list per measure, and communities."
        ),
    ] = 10,
    fmt: Annotated[
        StatsFormat, typer.Option("--format", "-f", help="How to print the statistics.")
    ] = StatsFormat.table,
) -> None:
    """Print counts, the most central actors and the communities of the actor network."""
    from ..network.analytics import format_stats, graph_stats
    from ..rdf.files import load_dataset

    stats = graph_stats(load_dataset(graph), top=top)
    typer.echo(format_stats(stats, fmt, width=terminal_width()), nl=False)  # cut on a terminal only


@app.command(
    "path",
    epilog=examples(
        (
            "How is Linda Thomas-Greenfield linked to Japan?",
            'graphbuilder path "Linda Thomas-Greenfield" Japan',
        ),
        (
            "Names in any case, the chain as JSON",
            'graphbuilder path "linda thomas-greenfield" "north korea" -g out/ --format json',
        ),
        (
            "Follow only condemnations and urgings",
            'graphbuilder path "Linda Thomas-Greenfield" Japan --relation condemned --relation urged',
        ),
    ),
)
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


@app.command(
    "export",
    epilog=examples(
        (
            "GraphML for Gephi, Cytoscape or yEd, into out/graph.graphml",
            "graphbuilder export --format graphml",
        ),
        ("GEXF, into a file of your choice", "graphbuilder export out/ --format gexf --output news.gexf"),
        (
            "Two CSV tables, tables/nodes.csv and tables/edges.csv",
            "graphbuilder export out/ -f csv -o tables/",
        ),
        (
            "Each event counted once as a PLOVER record, into out/graph-events.plover.jsonl",
            "graphbuilder export out/ --format plover",
        ),
        (
            "The events as an ICEWS-style table, on standard output",
            "graphbuilder export out/ -f events-tsv -o - > events.tsv",
        ),
    ),
)
def export_command(
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="The actor network as graphml or gexf (Gephi, Cytoscape, yEd) or csv (nodes.csv and "
            "edges.csv, for spreadsheets); or each event counted once, as plover (PLOVER JSON "
            "Lines) or events-tsv (an ICEWS-style table).",
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
            "edges.csv); - writes to standard output (any format but csv). Default, in the "
            "graph's folder: graph.graphml, graph.gexf, nodes.csv and edges.csv, "
            "graph-events.plover.jsonl or graph-events.tsv.",
        ),
    ] = None,
) -> None:
    """Write the actor network for Gephi or spreadsheets, or the events for event-data tools."""
    from ..network.events import EVENT_FORMATS, export_events
    from ..network.export import export_network, export_path
    from ..rdf.files import load_dataset

    dataset = load_dataset(graph)
    target = output or export_path(graph, fmt)
    if fmt in EVENT_FORMATS:
        events = export_events(dataset, target, fmt)
        if events.undated:
            some = "1 event has" if events.undated == 1 else f"{events.undated} events have"
            say(
                f"warning: {some} no date at all and {'is' if events.undated == 1 else 'are'} not in "
                "the PLOVER file (a record needs one); the events-tsv table lists every event"
            )
        if events.path != Path("-"):
            say(f"wrote {events.path} ({events.events} event{'' if events.events == 1 else 's'})")
        return
    written = export_network(dataset, target, fmt)
    if written != [Path("-")]:  # on standard output the network is the data: nothing else is said
        say("wrote " + ", ".join(str(p) for p in written))
