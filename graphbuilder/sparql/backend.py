"""The Oxigraph server behind `graphbuilder serve`: a private loopback process that can be cancelled.

Oxigraph answers the SPARQL 1.1 Protocol well, but its own time limit lets some work run
on (an ORDER BY over a cartesian product keeps its cores busy long after the limit, and a
streamed result ends in a 200 with an error message appended). So the process is only
reached through `Oxigraph.forward`, which reads each answer whole before the deadline and,
when the deadline passes first, kills the process and starts a fresh one on the same
read-only store: that is what stops the work. A request that was running on the killed
process is sent again to the new one.
"""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..errors import EndpointError, QueryTimeoutError

#: Answers up to this size stay in memory; bigger ones are spooled to the server's folder.
_SPOOL_IN_MEMORY = 8 * 1024 * 1024
_CHUNK = 64 * 1024


@dataclass
class Answer:
    """One HTTP answer of the Oxigraph process, read whole: status, type and the spooled body."""

    status: int
    content_type: str | None
    body: IO[bytes]  # positioned at its start
    length: int

    def close(self) -> None:
        self.body.close()


class Oxigraph:
    """The `oxigraph serve-read-only` process over `store`, on a free port of 127.0.0.1."""

    def __init__(self, binary: str, store: Path, workdir: Path, *, wait: float = 60.0) -> None:
        self.binary = binary
        self.store = store
        self.workdir = workdir
        self.wait = wait  # how long a start may take
        self.restarts = 0  # processes killed to stop a query
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._port = 0
        self._generation = 0
        self._stopped = False

    @property
    def pid(self) -> int | None:
        """Return the process id of the running Oxigraph process (None when there is none)."""
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    def start(self) -> None:
        """Start the process and return once it answers; raise EndpointError if it cannot start."""
        with self._lock:
            self._start()

    def stop(self) -> None:
        """Stop the process for good (it holds no writes: a kill loses nothing)."""
        with self._lock:
            self._stopped = True
            self._kill()

    def forward(
        self,
        method: str,
        target: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float,
    ) -> Answer:
        """Return Oxigraph's whole answer to one request, or raise QueryTimeoutError after `timeout` s.

        On timeout the process is killed (stopping the query) and a new one started before
        this returns. Raises EndpointError when the process cannot be reached or restarted.
        """
        deadline = time.monotonic() + timeout
        out_of_time = QueryTimeoutError(
            f"the query ran out of time: it was stopped after {timeout:g} s, this server's "
            "limit (`graphbuilder serve --timeout SECONDS` sets it)"
        )
        for _ in range(3):
            with self._lock:  # waits while another request replaces the process
                if self._stopped:
                    raise EndpointError("the server is stopping")
                port, generation = self._port, self._generation
            if time.monotonic() >= deadline:
                raise out_of_time  # nothing of it runs: no process to stop
            try:
                return self._exchange(port, method, target, body, headers or {}, deadline)
            except TimeoutError:
                self._replace(generation)
                raise out_of_time from None
            except (OSError, http.client.HTTPException):
                # Killed under this request (another query ran out of time) or crashed: ask again.
                self._revive(generation)
        raise EndpointError("the oxigraph server keeps failing: see its log in the server's folder")

    # -- the process ------------------------------------------------------------------------

    def _exchange(
        self,
        port: int,
        method: str,
        target: str,
        body: bytes | None,
        headers: dict[str, str],
        deadline: float,
    ) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=_left(deadline))
        spool: IO[bytes] = tempfile.SpooledTemporaryFile(_SPOOL_IN_MEMORY, mode="w+b", dir=str(self.workdir))
        try:
            connection.request(method, target, body=body, headers=headers)
            assert connection.sock is not None
            connection.sock.settimeout(_left(deadline))
            response = connection.getresponse()
            length = 0
            while True:
                connection.sock.settimeout(_left(deadline))
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                spool.write(chunk)
                length += len(chunk)
            spool.seek(0)
            return Answer(response.status, response.getheader("Content-Type"), spool, length)
        except BaseException:
            spool.close()
            raise
        finally:
            connection.close()

    def _replace(self, generation: int) -> None:
        """Kill the process `generation` names (stopping its work) and start a fresh one."""
        with self._lock:
            if self._stopped or generation != self._generation:
                return  # another request already replaced it
            self._kill()
            self.restarts += 1
            self._start()

    def _revive(self, generation: int) -> None:
        """Start a new process if the one `generation` names has died."""
        with self._lock:
            if self._stopped or generation != self._generation:
                return
            if self._process is not None and self._process.poll() is None:
                return  # alive: the request is simply sent again
            self._kill()
            self._start()

    def _start(self) -> None:
        last_error: EndpointError | None = None
        for _ in range(3):  # a free port can be taken between choosing and binding it
            port = _free_loopback_port()
            log_path = self.workdir / "oxigraph.log"
            with open(log_path, "ab") as log:
                # The store's default graph already holds the merged view (see
                # rdf.oxigraph.write_store): a union default graph would count a triple
                # once per article that states it.
                process = subprocess.Popen(
                    [
                        self.binary,
                        "serve-read-only",
                        "--location",
                        str(self.store),
                        "--bind",
                        f"127.0.0.1:{port}",
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                )
            try:
                _wait_until_answering(process, port, log_path, self.wait)
            except EndpointError as exc:
                _kill(process)
                last_error = exc
                if "in use" not in str(exc):
                    raise
                continue
            self._process, self._port = process, port
            self._generation += 1
            return
        assert last_error is not None
        raise last_error

    def _kill(self) -> None:
        if self._process is not None:
            _kill(self._process)
            self._process = None


def _kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(10)


def _left(deadline: float) -> float:
    """Return the seconds until `deadline`; raise TimeoutError once it has passed."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_answering(process: subprocess.Popen, port: int, log_path: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = log_path.read_text("utf-8", "replace")
            errors = re.findall(r"^Error: (.+)$", log, flags=re.MULTILINE)
            raise EndpointError(
                "the oxigraph server stopped at once: "
                + (errors[-1] if errors else f"exit {process.returncode}")
            )
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1.0)
        try:
            connection.request("HEAD", "/")
            connection.getresponse().read()
            return
        except (OSError, http.client.HTTPException):
            time.sleep(0.05)
        finally:
            connection.close()
    _kill(process)
    raise EndpointError(f"the oxigraph server did not answer within {wait:g} s")
