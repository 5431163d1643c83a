"""The README is part of the contract: it covers every command and its examples run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from graphbuilder.cli import app

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
COMMANDS = typer.main.get_command(app).commands


def fenced_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, flags=re.S | re.M)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_is_documented_with_an_example(name):
    assert f"### {name}\n" in README
    examples = "\n".join(fenced_blocks("sh"))
    assert re.search(rf"^graphbuilder {name}\b", examples, flags=re.M), name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_long_option_is_documented(name):
    for param in COMMANDS[name].params:
        for option in (o for o in param.opts if o.startswith("--") and o != "--help"):
            assert f"`{option}" in README or f" {option} " in README, f"{name} {option}"


def test_saved_queries_named_in_the_readme_exist():
    from graphbuilder.sparql.query import list_saved_queries

    saved = {q.name for q in list_saved_queries()}
    named = re.findall(
        r"^graphbuilder query ([a-z][a-z0-9-]+)(?: |$)", "\n".join(fenced_blocks("sh")), flags=re.M
    )
    assert named and set(named) <= saved, set(named) - saved


def test_relative_links_point_to_existing_files():
    for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", README):
        assert (REPO / target).exists(), target


@pytest.mark.model
def test_python_example_runs(tmp_path, monkeypatch, capsys):
    (example,) = fenced_blocks("python")
    monkeypatch.chdir(tmp_path)
    globals_after = {"__name__": "readme"}
    exec(compile(example, "README.md", "exec"), globals_after)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("1 article,")
    assert len(printed) > 1 and " -- " in printed[1]  # at least one relation with evidence
    assert (tmp_path / "out" / "graph.trig").is_file()
    assert globals_after["north_korea"]


def documented_attributes(row_title: str, readme: str = README) -> list[str]:
    """Return the attributes the README's export table lists for nodes or edges, in order
    (the `names` outside parentheses, which hold examples)."""
    row = next(line for line in readme.splitlines() if line.startswith(f"| {row_title} "))
    return re.findall(r"`([a-z_]+)`", re.sub(r"\([^)]*\)", "", row.split("|")[2]))


def test_the_export_table_lists_the_csv_columns():
    from graphbuilder.network.export import EDGE_COLUMNS, NODE_COLUMNS

    assert sorted(documented_attributes("nodes")) == sorted(NODE_COLUMNS[1:])
    assert sorted(documented_attributes("edges")) == sorted(set(EDGE_COLUMNS) - {"id", "source", "target"})


def test_the_export_table_check_sees_a_column_the_readme_leaves_out():
    row = "| edges (id: the event IRI) | `label` (shown by Gephi, `agreed with`), `relation`, `date` |"
    assert documented_attributes("edges", row) == ["label", "relation", "date"]
    assert "label" not in documented_attributes("edges", row.replace("`label` ", ""))
