"""graph.html is a view: `viz` may write it again over a build's folder, and the folder
stays whole for every command that reads the graph."""

from __future__ import annotations

from pathlib import Path

import graphbuilder

CONSTRUCTED = Path(__file__).resolve().parents[2] / "tests" / "data" / "constructed"


def test_viz_over_the_builds_own_page_leaves_the_folder_readable(run, tmp_path):
    out = tmp_path / "out"
    graphbuilder.build(sorted(CONSTRUCTED.glob("*.json"))[:3], out=out)
    before = (out / "graph.html").read_bytes()
    assert run("viz", out).exit_code == 0  # default output: out/graph.html
    assert (out / "graph.html").read_bytes() != before  # its own title: a page of its own
    for command in (["stats", out], ["query", "actors", "-g", out], ["validate", out]):
        result = run(*command)
        assert result.exit_code == 0, (command, result.output)


def test_a_graph_file_copied_over_is_still_refused(run, tmp_path):
    out, other = tmp_path / "out", tmp_path / "other"
    files = sorted(CONSTRUCTED.glob("*.json"))
    graphbuilder.build(files[:3], out=out)
    graphbuilder.build(files[3:6], out=other)
    (out / "graph.trig").write_bytes((other / "graph.trig").read_bytes())
    result = run("stats", out)
    assert result.exit_code == 1 and "holds parts of two builds" in result.stderr
