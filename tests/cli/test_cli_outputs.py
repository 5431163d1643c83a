"""Outputs that cannot be written are one error line, never a traceback or a 'bug'."""

from __future__ import annotations

from typer.testing import CliRunner

from graphbuilder.cli import app


def test_viz_into_a_folder_is_one_clear_error(built_constructed, tmp_path):
    result = CliRunner().invoke(app, ["viz", str(built_constructed.out), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "is a folder" in result.stderr and "bug" not in result.stderr


def test_build_under_a_file_is_one_clear_error(constructed_dir, tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    result = CliRunner().invoke(app, ["build", str(constructed_dir), "--out", str(blocker / "out")])
    assert result.exit_code in (1, 2)
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "bug" not in result.stderr
