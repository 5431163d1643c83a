"""The table of `graphbuilder query`: on a terminal each row fits its width, the widest
columns (evidence sentences) cut with an ellipsis; `--no-truncate`, a file or a pipe get
every cell whole; control characters in article text never reach the terminal.

Through the CLI on the constructed set built with both stores (tests/sparql/conftest.py),
with stdout made a terminal by patching its check, and once in a real pseudo-terminal.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rich.cells import cell_len
from terminal import in_a_terminal, piped

import graphbuilder
import graphbuilder.cli._util as cli_util
from graphbuilder.sparql.table import ELLIPSIS, MIN_COLUMN, fit_columns, render_table

STORES = ["files", "oxigraph"]
EVIDENCE = """PREFIX gb: <https://w3id.org/graphbuilder/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?who ?what ?whom ?evidence WHERE {
  ?event gb:agent/rdfs:label ?who ; gb:relationType ?what ; gb:target/rdfs:label ?whom ;
         gb:evidenceText ?evidence .
} ORDER BY ?who ?what ?whom ?evidence"""
NAMES = """PREFIX gb: <https://w3id.org/graphbuilder/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?name WHERE { ?actor a gb:Country ; rdfs:label ?name } ORDER BY ?name"""


@pytest.fixture(params=STORES)
def out(request, constructed_outs) -> Path:
    return constructed_outs[request.param]


@pytest.fixture
def terminal(monkeypatch):
    """Make stdout count as a terminal COLUMNS (80) cells wide."""
    monkeypatch.setattr(cli_util, "_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")


def evidence_sentences(out: Path) -> list[str]:
    """Return the evidence column as the table shows it whole (whitespace runs as one space)."""
    return [" ".join(str(row["evidence"]).split()) for row in graphbuilder.load(out).query(EVIDENCE)]


# -- on a terminal -----------------------------------------------------------------------------


def test_on_a_terminal_every_row_fits_its_width(run, out, terminal):
    result = run("query", EVIDENCE, "--graph", out)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) > 20 and max(cell_len(line) for line in lines) <= 80
    assert lines[0].split() == ["who", "what", "whom", "evidence"]
    assert all(line.rstrip().endswith(ELLIPSIS) for line in lines[2:])  # every sentence is longer
    # What is shown of a cut cell is its beginning.
    sentence = evidence_sentences(out)[0]
    shown = lines[2].rstrip()[: -len(ELLIPSIS)].split("  ")[-1].strip()
    assert shown and sentence.startswith(shown)


def test_no_truncate_shows_every_cell_whole_on_a_terminal(run, out, terminal):
    result = run("query", EVIDENCE, "--graph", out, "--no-truncate")
    assert result.exit_code == 0, result.output
    assert ELLIPSIS not in result.stdout
    assert all(sentence in result.stdout for sentence in evidence_sentences(out))
    assert max(cell_len(line) for line in result.stdout.splitlines()) > 80


def test_a_table_that_fits_is_not_cut(run, out, terminal):
    on_terminal = run("query", NAMES, "--graph", out).stdout
    assert ELLIPSIS not in on_terminal and "Ethiopia" in on_terminal
    assert on_terminal == run("query", NAMES, "--graph", out, "--no-truncate").stdout


def test_output_that_is_not_a_terminal_is_never_cut(run, out, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # even so: a file or a pipe has no width
    result = run("query", EVIDENCE, "--graph", out)
    assert ELLIPSIS not in result.stdout
    assert all(sentence in result.stdout for sentence in evidence_sentences(out))


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "xml"])
def test_only_the_table_is_ever_cut(run, constructed_outs, terminal, fmt):
    printed = run("query", EVIDENCE, "--graph", constructed_outs["files"], "--format", fmt).stdout
    assert max(len(line) for line in printed.splitlines()) > 80
    assert evidence_sentences(constructed_outs["files"])[0].split(",")[0] in printed


def test_a_real_terminal_gets_rows_cut_to_its_width_and_a_pipe_gets_them_whole(constructed_outs):
    args = ["query", EVIDENCE, "--graph", str(constructed_outs["files"])]
    lines = in_a_terminal(args).splitlines()
    assert len(lines) > 20 and max(cell_len(line) for line in lines) <= 80
    assert ELLIPSIS in lines[2]
    whole = piped(args)
    assert ELLIPSIS not in whole and max(cell_len(line) for line in whole.splitlines()) > 80


# -- hostile and wide text ---------------------------------------------------------------------


@pytest.fixture
def odd_labels(tmp_path) -> Path:
    graph = Graph()
    for name, label in [
        ("red", "\x1b[31mred\x1b[0m and \x07bell"),
        ("beijing", "北京 (Beijing)"),
        ("plain", "Ankara"),
    ]:
        graph.add((URIRef(f"http://example.org/{name}"), URIRef("http://example.org/label"), Literal(label)))
    path = tmp_path / "labels.ttl"
    graph.serialize(path, format="turtle")
    return path


LABELS = "SELECT ?label ?s WHERE { ?s <http://example.org/label> ?label } ORDER BY ?s"


def test_control_characters_in_the_text_are_shown_escaped_in_the_table(run, odd_labels):
    table = run("query", LABELS, "--graph", odd_labels).stdout
    assert "\x1b" not in table and "\x07" not in table
    assert "\\x1b[31mred\\x1b[0m and \\x07bell" in table


def test_data_formats_keep_control_characters_as_they_are(run, odd_labels):
    rows = [
        json.loads(line) for line in run("query", LABELS, "--graph", odd_labels, "--nl").stdout.splitlines()
    ]
    assert rows[2] == {"label": "\x1b[31mred\x1b[0m and \x07bell", "s": "http://example.org/red"}


def test_wide_characters_count_as_two_cells(run, odd_labels, terminal):
    lines = run("query", LABELS, "--graph", odd_labels, "--no-truncate").stdout.splitlines()
    beijing = next(line for line in lines if "北京" in line)
    ankara = next(line for line in lines if "Ankara" in line)
    # The second column starts at the same cell on every line.
    assert cell_len(beijing[: beijing.index(":beijing")]) == cell_len(ankara[: ankara.index(":plain")])


# -- how the columns are cut -------------------------------------------------------------------


def test_columns_that_fit_keep_their_width():
    assert fit_columns([10, 20, 5], 35) == [10, 20, 5]
    assert fit_columns([10, 20, 5], 100) == [10, 20, 5]


def test_the_widest_columns_are_cut_first_and_alike():
    assert fit_columns([10, 200, 5, 40], 60) == [10, 23, 5, 22]
    assert fit_columns([10, 200, 5, 40], 60)[1] >= fit_columns([10, 200, 5, 40], 60)[3]
    assert sum(fit_columns([30, 30, 30], 61)) == 61


def test_a_column_is_never_cut_below_the_minimum():
    assert fit_columns([50, 50, 50], 4) == [MIN_COLUMN] * 3


def test_cut_cells_end_in_an_ellipsis_and_short_ones_are_padded():
    text = render_table(["a", "b"], [["x" * 30, "short"]], width=20)
    header, rule, row = text.splitlines()
    assert cell_len(row) <= 20 and row.split("  ")[0].endswith(ELLIPSIS)
    assert render_table(["a", "b"], [["x" * 30, "short"]]) == render_table(
        ["a", "b"], [["x" * 30, "short"]], width=200
    )
