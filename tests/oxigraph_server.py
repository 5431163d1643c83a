"""A real Oxigraph server for tests: started on a free 127.0.0.1 port, stopped afterwards.

The `oxigraph` program comes with the `oxigraph` package. Every wait is bounded, so a
server that does not start fails the test instead of hanging it.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

START_TIMEOUT = 30.0


def oxigraph_or_skip() -> str:
    """Return the oxigraph program, or skip the test when it is not installed."""
    from graphbuilder.errors import EndpointError
    from graphbuilder.sparql.server import oxigraph_binary

    try:
        return oxigraph_binary()
    except EndpointError as exc:
        pytest.skip(f"no oxigraph server program: {exc}")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on (closed again at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(
    url: str, process: subprocess.Popen | None = None, timeout: float = START_TIMEOUT
) -> None:
    """Return once `url` answers HTTP; fail if `process` exits first or time runs out."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode} before answering at {url}")
        try:
            with opener.open(url, timeout=1.0):
                return
        except urllib.error.HTTPError:
            return  # an HTTP error is still an answer
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"no answer at {url} within {timeout:g} s")


def stop(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """Terminate `process`, killing it if it does not end within `timeout` s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)


@contextmanager
def oxigraph_server(location: Path, *, read_only: bool = False) -> Iterator[str]:
    """Run `oxigraph serve` (or serve-read-only) on `location`; yield its root URL.

    Queries see the union of the named graphs as their default graph, as graphbuilder's
    local queries do.
    """
    binary = oxigraph_or_skip()
    port = free_port()
    command = [
        binary,
        "serve-read-only" if read_only else "serve",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until_answering(url, process)
        yield url
    finally:
        stop(process)
