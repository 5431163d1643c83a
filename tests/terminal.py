"""Running the command line on a real pseudo-terminal, where tables are cut to its width."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def in_a_terminal(args: list[str], columns: int = 80) -> str:
    """Return what `graphbuilder ARGS` prints on a pseudo-terminal `columns` wide."""
    pty = pytest.importorskip("pty")
    leader, follower = pty.openpty()
    env = dict(os.environ, COLUMNS=str(columns), PYTHONIOENCODING="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "graphbuilder", *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 1 << 16)
        except OSError:  # the other side is closed: everything has been read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 0, process.stderr.read() if process.stderr else ""
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")  # the terminal's own line ends


def piped(args: list[str], columns: int = 80) -> str:
    """Return what `graphbuilder ARGS` prints into a pipe, COLUMNS set all the same."""
    return subprocess.run(
        [sys.executable, "-m", "graphbuilder", *args],
        capture_output=True,
        env=dict(os.environ, COLUMNS=str(columns), PYTHONIOENCODING="utf-8"),
        check=True,
    ).stdout.decode("utf-8")
