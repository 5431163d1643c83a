"""`-` for standard output (viz, export) and a reader that leaves early (`| head`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cli_checks import assert_error

CONSTRUCTED = Path(__file__).resolve().parents[2] / "tests" / "data" / "constructed"


@pytest.fixture(scope="module")
def constructed(tmp_path_factory) -> Path:
    """A folder of the constructed set's extraction files (its README.md left out)."""
    folder = tmp_path_factory.mktemp("streams-in")
    for path in CONSTRUCTED.glob("*.json"):
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@pytest.fixture(scope="module")
def built(constructed, tmp_path_factory) -> Path:
    from graphbuilder import build

    return build([constructed], out=tmp_path_factory.mktemp("streams") / "out").out


def graphbuilder(*args: object, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "graphbuilder", *map(str, args)], capture_output=True, timeout=120, **kwargs
    )


@pytest.mark.parametrize(
    "command, suffix",
    [(("viz",), "html"), (("export", "-f", "graphml"), "graphml"), (("export", "-f", "gexf"), "gexf")],
)
def test_output_dash_writes_to_standard_output_what_a_file_gets(built, tmp_path, command, suffix):
    graph = built
    written = graphbuilder(*command, graph, "-o", tmp_path / f"file.{suffix}")
    assert written.returncode == 0, written.stderr
    piped = graphbuilder(*command, graph, "-o", "-", cwd=tmp_path)
    assert piped.returncode == 0 and piped.stderr == b"", piped.stderr
    assert piped.stdout == (tmp_path / f"file.{suffix}").read_bytes() and len(piped.stdout) > 1000
    assert not (tmp_path / "-").exists()  # no file or folder named "-"


def test_without_dash_nothing_reaches_standard_output(built, tmp_path):
    result = graphbuilder("viz", built, "-o", tmp_path / "page.html")
    assert result.returncode == 0 and result.stdout == b""
    assert result.stderr.decode().startswith("wrote ")


def test_csv_export_and_a_build_cannot_go_to_standard_output(run, built, constructed, tmp_path):
    assert_error(run("export", built, "-f", "csv", "-o", "-"), 2, "give a folder, not -")
    assert_error(run("build", constructed, "--out", "-"), 2, "standard output cannot hold")
    assert not Path("-").exists()


def test_a_reader_that_leaves_early_ends_the_command_quietly(built):
    # `graphbuilder viz -o - | head -c 10`: head closes the pipe after ten bytes.
    process = subprocess.Popen(
        [sys.executable, "-m", "graphbuilder", "viz", str(built), "-o", "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.read(10)
    process.stdout.close()
    error = process.stderr.read()
    assert process.wait(timeout=120) == 141, error
    assert first == b"<!DOCTYPE " and error == b""


def test_query_output_writes_a_file_in_the_format_its_extension_names(run, built, tmp_path):
    piped = run("query", "relations", "-g", built, "-f", "csv")
    assert piped.exit_code == 0 and piped.stdout.count("\n") > 5
    to_file = run("query", "relations", "-g", built, "-o", tmp_path / "rows.csv")
    assert to_file.exit_code == 0 and to_file.stdout == "" and to_file.stderr.startswith("wrote ")
    assert (tmp_path / "rows.csv").read_bytes() == piped.stdout_bytes  # CRLF rows, as CSV has them
    assert run("query", "relations", "-g", built, "-o", "-", "-f", "csv").stdout_bytes == piped.stdout_bytes
    # An extension that names no format leaves the table; --format wins over the extension.
    run("query", "relations", "-g", built, "-o", tmp_path / "rows.txt")
    assert (tmp_path / "rows.txt").read_text().startswith("subject ")
    run("query", "relations", "-g", built, "-o", tmp_path / "rows.json", "-f", "tsv")
    assert (tmp_path / "rows.json").read_text().startswith("?subject\t")


def test_query_output_in_a_format_the_query_cannot_give_writes_nothing(run, built, tmp_path):
    assert_error(run("query", "relations", "-g", built, "-o", tmp_path / "rows.ttl"), 2, "format turtle")
    assert not (tmp_path / "rows.ttl").exists()
