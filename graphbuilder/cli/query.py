"""`graphbuilder query` and `graphbuilder queries`: SPARQL over a built graph."""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import UsageError
from ..options import ResultFormat
from ._util import GRAPH_HELP, OUT_DIR, app, examples, say, terminal_width

#: sparql.native.DEFAULT_TIMEOUT, written out so that the CLI starts without loading rdflib.
QUERY_TIMEOUT = 30.0


def _saved_query_names(incomplete: str) -> list[str]:
    """Return the names of the saved queries that start with `incomplete` (shell completion)."""
    # Names are the .rq files' names, as sparql.saved reads them; that module loads rdflib,
    # too slow for a TAB key.
    from ..resources import saved_queries_dir

    return sorted(p.stem for p in saved_queries_dir().glob("*.rq") if p.stem.startswith(incomplete))


@app.command(
    "query",
    epilog=examples(
        ("Run a saved query (`graphbuilder queries` lists them)", "graphbuilder query condemnations"),
        ("Bind one of its parameters", 'graphbuilder query actor-relations --param actor_name="Japan"'),
        ("Write the rows as CSV", "graphbuilder query relations --format csv > relations.csv"),
        (
            "The same, into a file (its extension picks the format)",
            "graphbuilder query relations -o relations.csv",
        ),
        ("One JSON object per row (JSON lines)", "graphbuilder query relations --nl"),
        ("A CONSTRUCT query's graph as Turtle", "graphbuilder query my-graph.rq --format turtle"),
        ("Run a query from a file over another graph", "graphbuilder query my-question.rq -g out/ -f json"),
        ("Ask a SPARQL endpoint", "graphbuilder query timeline --endpoint http://127.0.0.1:7878/query"),
    ),
)
def query_command(
    query: Annotated[
        str,
        typer.Argument(
            metavar="QUERY",
            autocompletion=_saved_query_names,
            help="A SPARQL SELECT/ASK/CONSTRUCT/DESCRIBE query, a .rq file, the name of a saved "
            "query (see `graphbuilder queries`), or - to read the query from standard input.",
        ),
    ],
    graph: Annotated[Path, typer.Option("--graph", "-g", metavar="PATH", help=GRAPH_HELP)] = OUT_DIR,
    fmt: Annotated[
        Optional[ResultFormat],
        typer.Option(
            "--format",
            "-f",
            rich_help_panel="Output",
            help="How to print the results. SELECT and ASK: table (the default), the W3C "
            "SPARQL results formats json, csv, tsv and xml, or jsonl (one JSON object per row). "
            "CONSTRUCT and DESCRIBE: turtle, ntriples, nquads, trig, jsonld or xml (RDF/XML), "
            "or their triples as rows in table, json, jsonl, csv or tsv. ttl and nt are "
            "turtle and ntriples.",
        ),
    ] = None,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            rich_help_panel="Output",
            help="Write the results to FILE (written whole or not at all) instead of standard "
            "output; - is standard output. Without --format, the file's extension picks it: "
            ".csv .tsv .json .jsonl .xml .ttl .nt .nq .trig .jsonld.",
        ),
    ] = None,
    no_truncate: Annotated[
        bool,
        typer.Option(
            "--no-truncate",
            rich_help_panel="Output",
            help="Show every cell of the table whole. On a terminal the widest columns are "
            "otherwise cut with an ellipsis so that each row fits on one line; output to a "
            "file or a pipe is never cut.",
        ),
    ] = False,
    nl: Annotated[
        bool,
        typer.Option(
            "--nl",
            rich_help_panel="Output",
            help="Newline-delimited JSON: one object per row, {variable: value}, values as "
            "plain JSON (numbers, booleans, text; dates as ISO text; null when unbound). "
            "The same as --format jsonl; goes with no --format or --format json.",
        ),
    ] = False,
    params: Annotated[
        list[str],
        typer.Option(
            "--param",
            "-p",
            metavar="NAME=VALUE",
            help="Bind the query variable ?NAME to VALUE before running it (repeatable): a "
            "plain literal, or an IRI when VALUE is written <...>. Values are bound, "
            "never pasted into the query text.",
        ),
    ] = [],
    endpoint: Annotated[
        Optional[str],
        typer.Option(
            "--endpoint",
            metavar="URL",
            rich_help_panel="Remote",
            help="Ask this SPARQL 1.1 endpoint (for example http://127.0.0.1:7878/query) "
            "instead of the local graph; --graph is then not read.",
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            min=0,
            help="Stop the query when it runs longer than this (0: no limit). With --endpoint, "
            "the longest wait for the server's whole answer.",
        ),
    ] = QUERY_TIMEOUT,
    allow_service: Annotated[
        bool,
        typer.Option(
            "--allow-service",
            rich_help_panel="Remote",
            help="Send queries that call SERVICE to --endpoint (the endpoint then fetches from "
            "the servers they name). Local queries never run SERVICE.",
        ),
    ] = False,
) -> None:
    """Run a read-only SPARQL query and print the results on stdout."""
    from ..sparql.query import check_format, format_result, query_kind, read_query, run_query

    sparql, source = _standard_input_query() if query == "-" else read_query(query)
    to_file = output is not None and output != Path("-")
    if to_file and fmt is None and not nl:
        fmt = _SUFFIX_FORMATS.get(output.suffix.lower()) if output is not None else None
    chosen = check_format(query_kind(sparql, source), _output_format(fmt, nl))  # before it runs
    if endpoint is not None:
        from ..sparql.remote import query_endpoint

        result = query_endpoint(
            endpoint,
            sparql,
            _bindings(params),
            source=source,
            timeout=timeout or None,
            allow_service=allow_service,
        )
    else:
        from ..rdf.files import load_dataset

        result = run_query(
            load_dataset(graph), sparql, bindings=_bindings(params), source=source, timeout=timeout or None
        )
    if to_file and output is not None:
        from ..fileio import write_text_atomically

        write_text_atomically(output, format_result(result, chosen))
        say(f"wrote {output}")
        return
    width = terminal_width() if chosen == "table" else None  # cut only on a terminal
    typer.echo(format_result(result, chosen, width=None if no_truncate else width), nl=False)


#: The format a --output file's extension asks for when --format is not given.
_SUFFIX_FORMATS = {
    ".csv": ResultFormat.csv,
    ".tsv": ResultFormat.tsv,
    ".json": ResultFormat.json,
    ".jsonl": ResultFormat.jsonl,
    ".xml": ResultFormat.xml,
    ".ttl": ResultFormat.turtle,
    ".nt": ResultFormat.ntriples,
    ".nq": ResultFormat.nquads,
    ".trig": ResultFormat.trig,
    ".jsonld": ResultFormat.jsonld,
}


def _standard_input_query() -> tuple[str, str]:
    """Return the query piped in on standard input (`graphbuilder query -`) and its source name."""
    if sys.stdin.isatty():
        raise UsageError("'-' reads the query from standard input, but it is a terminal: pipe it in")
    sparql = sys.stdin.read()
    if not sparql.strip():
        raise UsageError("standard input holds no query")
    return sparql, "<stdin>"


def _output_format(fmt: ResultFormat | None, nl: bool) -> ResultFormat:
    """Return the format --format and --nl ask for together (table when neither does)."""
    if not nl:
        return fmt or ResultFormat.table
    if fmt not in (None, ResultFormat.json, ResultFormat.jsonl):
        raise UsageError(
            f"--nl writes JSON lines and cannot go with --format {fmt}: drop one of them "
            "(--nl alone, --format json --nl and --format jsonl are the same)"
        )
    return ResultFormat.jsonl


def _bindings(params: list[str]) -> dict[str, object]:
    """Return --param NAME=VALUE options as SPARQL bindings (an IRI when VALUE is <...>)."""
    from rdflib import URIRef

    bindings: dict[str, object] = {}
    for param in params:
        name, sep, value = param.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise UsageError(
                f'--param {param!r} is not NAME=VALUE (for example --param actor_name="North Korea")'
            )
        if name in bindings:
            raise UsageError(f"--param {name} is given twice: give each parameter once")
        if value.startswith("<") and value.endswith(">"):
            iri = value[1:-1]
            # Checked before rdflib sees it: URIRef logs a warning line for such text.
            if not iri or re.search(r'[\x00-\x20<>"{}|^`\\]', iri):
                raise UsageError(f'--param {param!r}: {iri!r} is not an IRI (no spaces or <>"{{}}|^`\\)')
            bindings[name] = URIRef(iri)
        else:
            bindings[name] = value
    return bindings


@app.command(
    "queries",
    epilog=examples(
        ("List the saved queries, each with its parameters and their defaults", "graphbuilder queries"),
        ("Then run one, binding a parameter", 'graphbuilder query posts-of --param person="Kim Jong-un"'),
    ),
)
def queries_command() -> None:
    """List the saved queries that `graphbuilder query NAME` runs."""
    from ..sparql.query import list_saved_queries

    for line in saved_query_lines(list_saved_queries(), terminal_width()):
        typer.echo(line)


def saved_query_lines(saved: list, width: int | None = None) -> list[str]:
    """Return the lines `graphbuilder queries` prints: each query's name and first sentence,
    then its parameters, each with its meaning and default.

    With `width` (a terminal's), the text is wrapped to it and each parameter's meaning
    goes on the lines under it; without, each query and each parameter takes one line.
    """
    names = max((len(q.name) for q in saved), default=0)
    lines = []
    for q in saved:
        line = f"{q.name:<{names}}  {_first_sentence(q.description) or q.title}".rstrip()
        lines += _wrapped(line, width, names + 2)
        for param in q.params:
            default = f' (default "{param.default}")' if param.default is not None else ""
            option = f"{'':<{names}}    --param {param.name}=..."
            if width is None:
                lines.append(f"{option}  {param.meaning}{default}")
            else:
                lines.append(option)
                lines += _wrapped(f"{'':<{names + 6}}{param.meaning}{default}", width, names + 6)
    return lines


def _wrapped(line: str, width: int | None, indent: int) -> list[str]:
    """Return `line` as is without a width, else wrapped to it, later lines indented."""
    if width is None:
        return [line]
    # A terminal too narrow for the indent still gets some words on each line.
    return textwrap.wrap(
        line,
        width=max(width, indent + 20),
        subsequent_indent=" " * indent,
        drop_whitespace=True,
        break_on_hyphens=False,
    ) or [""]


def _first_sentence(text: str) -> str:
    """Return the first sentence of a saved query's description (the rest is in the .rq file)."""
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text
