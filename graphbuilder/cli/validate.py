"""`graphbuilder validate`: check a built graph against the SHACL shapes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._util import GRAPH_HELP, OUT_DIR, app, examples, fail, say


@app.command(
    "validate",
    epilog=examples(
        ("Check the graph built into out/", "graphbuilder validate"),
        ("Check a graph file", "graphbuilder validate out/graph.trig"),
    ),
)
def validate_command(
    graph: Annotated[Path, typer.Argument(metavar="PATH", help=GRAPH_HELP)] = OUT_DIR,
) -> None:
    """Check the graph against the SHACL shapes: exit 0 if it conforms, else 1 and a report.

    Also warns (on stderr, exit status unchanged) of two people attested as head of state of
    one country at once.
    """
    from ..rdf.files import load_dataset
    from ..rdf.validate import validate

    report = validate(load_dataset(graph))
    for warning in report.warnings:
        say(f"warning: {warning}")
    if report.conforms:
        say(f"{graph}: the graph conforms to the shapes")
        return
    typer.echo(report.text.rstrip("\n"))
    count = len(report.violations)
    fail(
        f"{graph}: the graph does not conform to the shapes "
        f"({count} violation{'s' if count != 1 else ''}, listed on stdout)",
        1,
    )
