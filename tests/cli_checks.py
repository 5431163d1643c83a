"""What every error the command line reports must look like (the `run` fixture that
runs it is in conftest.py)."""

from __future__ import annotations


def assert_error(result, exit_code: int, *fragments: str) -> None:
    """One `error: ...` line on stderr, nothing on stdout, no traceback, the exit code."""
    assert result.exit_code == exit_code, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
