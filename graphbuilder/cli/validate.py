"""`graphbuilder validate`: check a built graph against the SHACL shapes."""

from __future__ import annotations

from pathlib import Path

import typer

from ._util import GRAPH_HELP, OUT_DIR, app, fail, say


@app.command("validate")
def validate_command(
    graph: Path = typer.Argument(OUT_DIR, metavar="PATH", help=GRAPH_HELP),
) -> None:
    """Check the graph against the SHACL shapes: exit 0 if it conforms, else 1 and the violations."""
    from ..store import load_dataset
    from ..validate import validate

    report = validate(load_dataset(graph))
    if report.conforms:
        say(f"{graph}: the graph conforms to the shapes")
        return
    typer.echo(report.text.rstrip("\n"))
    fail(f"{graph}: the graph does not conform to the shapes "
         f"({_count(report.violations)} violations, listed above)", 1)


def _count(violations: object) -> int | str:
    try:
        return len(violations)              # a list of violations
    except TypeError:
        return violations                   # already a number
