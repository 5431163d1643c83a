"""`graphbuilder viz`: write the interactive HTML view of a built graph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ._util import GRAPH_HELP, OUT_DIR, app, examples, say


@app.command(
    "viz",
    epilog=examples(
        ("Rewrite out/graph.html", "graphbuilder viz out/"),
        (
            "Draw North Korea and the actors two relations away",
            'graphbuilder viz out/ --focus "North Korea" --hops 2 -o nk.html',
        ),
        (
            "Draw only the 300 most central actors of a large graph",
            "graphbuilder viz out/ --max-nodes 300 -o top.html",
        ),
    ),
)
def viz_command(
    graph: Annotated[Path, typer.Argument(metavar="PATH", help=GRAPH_HELP)] = OUT_DIR,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write the HTML; - writes it to standard output. Default: graph.html "
            "next to the graph.",
        ),
    ] = None,
    focus: Annotated[
        Optional[str],
        typer.Option(
            "--focus",
            metavar="NAME",
            rich_help_panel="Selection",
            help="Draw only this actor (name or alias, any case) and those near it.",
        ),
    ] = None,
    hops: Annotated[
        Optional[int],
        typer.Option(
            "--hops",
            metavar="N",
            rich_help_panel="Selection",
            show_default="1",  # None here: --hops without --focus is an error
            help="With --focus: how many relations away from the focus actor to go.",
        ),
    ] = None,
    max_nodes: Annotated[
        Optional[int],
        typer.Option(
            "--max-nodes",
            metavar="N",
            rich_help_panel="Selection",
            help="Keep only the N most central actors (PageRank); the page says what was left out.",
        ),
    ] = None,
) -> None:
    """Write an interactive HTML graph (works offline) and print where it is."""
    from ..rdf.files import load_dataset
    from ..viz.page import write_html

    dataset = load_dataset(graph)
    if output is None:
        output = (graph if graph.is_dir() else graph.parent) / "graph.html"
    title = f"graphbuilder: {graph}" + (f" around {focus}" if focus else "")
    path = write_html(dataset, output, title=title, focus=focus, hops=hops, max_nodes=max_nodes)
    if str(path) != "-":  # on standard output the page is the data: nothing else is said
        say(f"wrote {path}: open it in a browser")
