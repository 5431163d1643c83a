"""`graphbuilder eval`: how well the built graph matches hand-made gold annotations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, List, Optional

import typer

from ..options import ReportFormat
from ._util import app, examples, fail, terminal_width


@app.command(
    "eval",
    epilog=examples(
        ("Score a folder of gold extraction files", "graphbuilder eval gold/"),
        ("Write the scores as JSON", "graphbuilder eval gold/ --format json > scores.json"),
        (
            "Exit 1 when relations or roles score too low (for CI)",
            "graphbuilder eval gold/ --fail-under relations=0.5 --fail-under roles=0.7",
        ),
    ),
)
def eval_command(
    gold: Annotated[
        List[Path],
        typer.Argument(
            metavar="GOLD",
            help="Gold extraction files (.json with actors, roles and relations) or folders of them.",
        ),
    ],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="How to print the report.")
    ] = ReportFormat.table,
    model: Annotated[
        Optional[str], typer.Option("--model", metavar="NAME", help="spaCy pipeline to extract with.")
    ] = None,
    fail_under: Annotated[
        List[str],
        typer.Option(
            "--fail-under",
            metavar="KIND=F1",
            help="Exit 1 when the F1 of KIND (actors, roles or relations) is below F1 "
            "(repeatable), e.g. --fail-under relations=0.5.",
        ),
    ] = [],
) -> None:
    """Score the extraction against gold annotations: precision, recall and F1.

    Builds every gold article from its text alone and scores it overall, per predicate,
    per role and per article, and lists every miss and false hit.
    """
    from ..pipeline.evaluate import below, evaluate, parse_thresholds

    thresholds = parse_thresholds(fail_under)
    report = evaluate(gold, model=model)
    if fmt is ReportFormat.json:
        typer.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        typer.echo(render_table(report, width=terminal_width()))
    failed = below(report, thresholds)
    if failed:
        fail("below the floor: " + "; ".join(failed), 1)


def _rows(title: str, scores: dict, width: int = 28) -> list[str]:
    lines = [f"{title:<{width}} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"]
    for name, score in scores.items():
        lines.append(
            f"{name:<{width}} {score.precision:6.2f} {score.recall:6.2f} {score.f1:6.2f} "
            f"{score.tp:4d} {score.fp:4d} {score.fn:4d}"
        )
    return lines


def _labelled(kind: str, statement: tuple) -> list[str]:
    """Return a finding's values as the table shows them: a role type or a relation
    (second of a role's or a relation's values) by its ontology label, "head of state"."""
    from ..rdf.mapping import term_label

    return [
        term_label(value) if kind in ("roles", "relations") and i == 1 else str(value)
        for i, value in enumerate(statement)
        if value is not None
    ]


def render_table(report, width: int | None = None) -> str:
    """Return the evaluation report as aligned plain-text tables and a list of errors.

    Terms show by their ontology label ("agreed with"), as in every table. With `width`
    (a terminal's), each line of the error list is cut to it, ending in an ellipsis.
    """
    from ..rdf.mapping import term_label
    from ..sparql.table import fit_line

    lines = _rows("overall", report.overall) + [""]
    for title, scores in (("relations by predicate", report.by_predicate), ("roles by role", report.by_role)):
        lines += _rows(title, {term_label(name): score for name, score in sorted(scores.items())}) + [""]
    name_width = max([28, *(len(a) + 1 for a in report.by_article)])
    for article, scores in sorted(report.by_article.items()):
        lines += _rows(article, scores, name_width)
    findings = report.findings()
    if findings:
        lines += ["", "errors (missed: in the gold only; false: extracted, not in the gold)"]
    for finding in findings:
        what = "missed" if finding in report.overall[finding.kind].misses else "false "
        statement = " | ".join(_labelled(finding.kind, finding.statement))
        lines.append(fit_line(f"{finding.article}  {what} {finding.kind[:-1]}: {statement}", width))
        if finding.sentence:
            lines.append(fit_line(f"    «{' '.join(finding.sentence.split())}»", width))
    return "\n".join(lines)
