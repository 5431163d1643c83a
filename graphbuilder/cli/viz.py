"""`graphbuilder viz`: write the interactive HTML view of a built graph."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._util import GRAPH_HELP, OUT_DIR, app, say


@app.command("viz")
def viz_command(
    graph: Path = typer.Argument(OUT_DIR, metavar="PATH", help=GRAPH_HELP),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", metavar="FILE",
        help="Where to write the HTML. Default: graph.html next to the graph."),
) -> None:
    """Write an interactive HTML graph (works offline) and print where it is."""
    from ..store import load_dataset
    from ..viz import write_html

    dataset = load_dataset(graph)
    if output is None:
        output = (graph if graph.is_dir() else graph.parent) / "graph.html"
    path = write_html(dataset, output, title=f"graphbuilder: {graph}")
    say(f"wrote {path}: open it in a browser")
