"""`graphbuilder viz`: write the interactive HTML view of a built graph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ._util import GRAPH_HELP, OUT_DIR, app, say


@app.command("viz")
def viz_command(
    graph: Annotated[Path, typer.Argument(metavar="PATH", help=GRAPH_HELP)] = OUT_DIR,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write the HTML. Default: graph.html next to the graph.",
        ),
    ] = None,
    focus: Annotated[
        Optional[str],
        typer.Option(
            "--focus",
            metavar="NAME",
            help="Draw only this actor (name or alias, any case) and those near it.",
        ),
    ] = None,
    hops: Annotated[
        Optional[int],
        typer.Option(
            "--hops",
            metavar="N",
            help="With --focus: how many relations away from the focus actor to go. Default: 1.",
        ),
    ] = None,
    max_nodes: Annotated[
        Optional[int],
        typer.Option(
            "--max-nodes",
            metavar="N",
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
    say(f"wrote {path}: open it in a browser")
