"""`graphbuilder timeline`: an actor's events per period and relation, as rows or a bar chart."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ..fileio import STDOUT
from ..options import Period, TimelineFormat
from ._util import GRAPH_HELP, OUT_DIR, app, examples, say, terminal_width

_IMAGES = (TimelineFormat.png, TimelineFormat.svg)


@app.command(
    "timeline",
    epilog=examples(
        ("China's events per month, in the graph built into out/", "graphbuilder timeline China"),
        (
            "Per week, condemnations and threats only",
            "graphbuilder timeline China --by week -r condemned -r threatened",
        ),
        ("The counts as CSV", 'graphbuilder timeline "united states" out/ --by year --format csv > us.csv'),
        ("A stacked bar chart", "graphbuilder timeline China --format svg --output china.svg"),
    ),
)
def timeline_command(
    actor: Annotated[str, typer.Argument(metavar="ACTOR", help="An actor: its name or an alias, any case.")],
    graph: Annotated[Path, typer.Argument(metavar="PATH", help=GRAPH_HELP)] = OUT_DIR,
    by: Annotated[
        Period,
        typer.Option(
            "--by",
            help="The period to count in: week (named by its Monday; an event dated by its month "
            "alone goes in the week of the month's first day), month or year.",
        ),
    ] = Period.month,
    relations: Annotated[
        list[str],
        typer.Option(
            "--relation",
            "-r",
            metavar="PREDICATE",
            help="Count only this relation type, e.g. condemned (repeatable).",
        ),
    ] = [],
    fmt: Annotated[
        TimelineFormat,
        typer.Option(
            "--format",
            "-f",
            help="Rows (table, json, csv, tsv) on standard output, or a bar chart stacked by "
            "relation (png, svg) into --output.",
        ),
    ] = TimelineFormat.table,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The file to write (needed for png and svg; - is standard output); "
            "rows go to standard output without it.",
        ),
    ] = None,
) -> None:
    """Print how many events an actor took part in (as agent or target) per period and relation.

    An event is one act, counted once however many articles report it. It is placed by its
    date, else by the day it was first reported; periods with no event between the first and
    the last are listed too (their total is 0).
    """
    from ..network.timeline import actor_timeline, format_timeline, write_timeline
    from ..rdf.files import load_dataset

    if fmt in _IMAGES and output is None:
        raise UsageError(
            f"--format {fmt} draws a chart into a file: give --output FILE (e.g. timeline.{fmt})"
        )
    timeline = actor_timeline(load_dataset(graph), actor, by, relations or None)
    for note in timeline.notes():
        say(note)
    if output is None:
        typer.echo(format_timeline(timeline, fmt, width=terminal_width()), nl=False)
    elif write_timeline(timeline, output, fmt) != STDOUT:  # on standard output it is the data
        say(f"wrote {output}")
