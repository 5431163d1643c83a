"""What `graphbuilder serve` refuses, each with the request it still answers.

Real components only: `graphbuilder serve` runs as its own process on a free 127.0.0.1
port over the constructed set's graph (its Oxigraph process behind it), a real listener socket
stands where a SERVICE query would send its request, and the query page runs in a real
headless Chromium that aborts and counts every request leaving the server.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser import chromium, wait_until
from oxigraph_server import free_port, oxigraph_or_skip, stop
from typer.testing import CliRunner

from graphbuilder.cli import app
from graphbuilder.sparql.gateway import MAX_BODY, MAX_CHECKED_QUERY, allowed_host_names, host_name

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir(), reason="reads the server's child processes from /proc (Linux)"
)
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))
TIMEOUT = 2  # the servers' query time limit here, in seconds
COUNT_TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# Every triple of the merged view, three times over, sorted: far more than TIMEOUT allows.
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g ?c ?f ?i LIMIT 1"


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


@contextmanager
def serve_process(out: Path, *options: str, host: str = "127.0.0.1"):
    """Run `graphbuilder serve` as a process; yield (root URL, process) once it answers."""
    oxigraph_or_skip()
    port = free_port()
    command = [sys.executable, "-m", "graphbuilder", "serve", str(out), "--host", host, "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--timeout", str(TIMEOUT), *options],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    root = f"http://{host}:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"serve exited: {process.stderr.read().decode()}")  # type: ignore[union-attr]
            try:
                with LOCAL.open(root, timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("serve did not answer within 60 s")
                time.sleep(0.1)
        yield root, process
    finally:
        stop(process)
        process.communicate(timeout=10)


@pytest.fixture(scope="module")
def built_out(built_constructed):
    return built_constructed.out


@pytest.fixture(scope="module")
def server(built_out):
    """Return (root URL, process) of `graphbuilder serve` with its defaults (and a 2 s limit)."""
    with serve_process(built_out) as started:
        yield started


@pytest.fixture(scope="module")
def root(server):
    return server[0]


def ask(
    url: str,
    query: str | None = None,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, bytes]:
    """Return (status, body) of a GET of `url` with `query`, or a POST of `body`; errors too."""
    if query is not None:
        url += "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with LOCAL.open(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def count(root: str, query: str = COUNT_TRIPLES) -> int:
    status, body = ask(root + "query", query, headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def raw_request(root: str, head: str, timeout: float = 10) -> bytes:
    """Send `head` (request line and headers, no body) on a socket; return the whole answer."""
    parts = urllib.parse.urlsplit(root)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as connection:
        connection.sendall(head.replace("\n", "\r\n").encode() + b"\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer


ANSWERED = "http://example.org/answered-by-the-listener"


@contextmanager
def listener():
    """Yield (URL, requests) of a SPARQL endpoint on a real socket that records every request.

    It answers each request with one row binding ?s to ANSWERED. `requests(wait)` waits
    `wait` s more, then returns what each connection sent.
    """
    sock = socket.create_server(("127.0.0.1", 0))
    sock.settimeout(0.1)
    received: list[bytes] = []
    stopping = threading.Event()
    answer = json.dumps(
        {"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": ANSWERED}}]}}
    )
    reply = (
        "HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
        f"Content-Length: {len(answer)}\r\nConnection: close\r\n\r\n{answer}"
    ).encode()

    def accept() -> None:
        while not stopping.is_set():
            try:
                connection, _ = sock.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(5)
                received.append(connection.recv(65536))
                connection.sendall(reply)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()

    def requests(wait: float) -> list[bytes]:
        time.sleep(wait)
        return list(received)

    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", requests
    finally:
        stopping.set()
        thread.join(5)
        sock.close()


def oxigraph_child(pid: int) -> int:
    """Return the process id of the oxigraph program that the serve process `pid` runs."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            if "oxigraph" in Path(f"/proc/{child}/cmdline").read_text(errors="replace"):
                return int(child)
    pytest.fail("serve runs no oxigraph process")


# -- SERVICE --------------------------------------------------------------------------------

SERVICE_QUERIES = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ ?x ?y ?z FILTER EXISTS {{ service silent <{url}> {{ ?s ?p ?o }} }} }} LIMIT 1",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    r"SELECT * WHERE {{ \u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",  # an escape spelling the keyword
]


@pytest.mark.parametrize("template", SERVICE_QUERIES)
def test_a_query_calling_service_is_refused_and_sends_nothing(root, template):
    with listener() as (url, requests):
        query = template.format(url=url)
        status, body = ask(root + "query", query)
        form = urllib.parse.urlencode({"query": query}).encode()
        posted, _ = ask(root + "query", body=form)
        sent, _ = ask(
            root + "query", body=query.encode(), headers={"Content-Type": "application/sparql-query"}
        )
        assert (status, posted, sent) == (403, 403, 403)
        assert b"SERVICE is refused" in body and b"--allow-service" in body
        assert requests(0.5) == []
    assert count(root) > 0  # a query without SERVICE still answers


def test_a_query_that_only_mentions_service_is_answered(root):
    query = 'SELECT ?x WHERE { BIND("civil service" AS ?x) } # no SERVICE call'
    status, body = ask(root + "query", query, headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    assert json.loads(body)["results"]["bindings"][0]["x"]["value"] == "civil service"


def test_a_long_query_mentioning_service_is_refused_unchecked(root):
    query = "# " + "x" * MAX_CHECKED_QUERY + "\nSELECT * WHERE { ?s ?p 'service' }"
    status, body = ask(
        root + "query", body=query.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert status == 413 and b"mentions SERVICE" in body


def test_allow_service_lets_a_query_reach_the_endpoint_it_names(built_out):
    with listener() as (url, requests), serve_process(built_out, "--allow-service") as (root, process):
        query = f"SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
        status, body = ask(root + "query", query, headers={"Accept": "application/sparql-results+json"})
        received = requests(0)
        oxigraph = oxigraph_child(process.pid)
    assert status == 200, body
    assert json.loads(body)["results"]["bindings"] == [{"s": {"type": "uri", "value": ANSWERED}}]
    assert len(received) == 1 and received[0].startswith(b"POST /sparql")
    # Stopping serve stops its oxigraph process too.
    assert process.returncode == 0 and not Path(f"/proc/{oxigraph}").exists()


# -- Host -----------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.nip.io:{port}", ""])
def test_a_request_naming_another_host_is_refused(root, host):
    port = urllib.parse.urlsplit(root).port
    head = f"GET /query?query=ASK%7B%7D HTTP/1.1\nHost: {host.format(port=port)}\nConnection: close\n"
    answer = raw_request(root, head)
    assert answer.startswith(b"HTTP/1.1 403"), answer[:200]
    assert b"answers to the host names" in answer


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}", "[::1]"]
)
def test_a_request_naming_a_loopback_host_is_answered(root, host):
    port = urllib.parse.urlsplit(root).port
    head = f"GET /query?query=ASK%7B%7D HTTP/1.1\nHost: {host.format(port=port)}\nConnection: close\n"
    answer = raw_request(root, head)
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]


def test_host_names_are_loopback_plus_the_host_listened_on():
    assert allowed_host_names("127.0.0.1") == {"localhost", "127.0.0.1", "::1"}
    assert allowed_host_names("Graph.Example") == {"localhost", "127.0.0.1", "::1", "graph.example"}
    assert allowed_host_names("0.0.0.0") == {"localhost", "127.0.0.1", "::1"}
    assert [host_name(h) for h in ("LOCALHOST:80", "[::1]:7878", "[::1]", "localhost.", "a:b", "[::1")] == [
        "localhost",
        "::1",
        "::1",
        "localhost",
        None,
        None,
    ]


def test_host_widens_the_names_answered_to_the_host_given(built_out):
    with serve_process(built_out, host="127.0.0.2") as (root, _):
        port = urllib.parse.urlsplit(root).port
        for host, status in ((f"127.0.0.2:{port}", 200), (f"localhost:{port}", 200), ("evil.example", 403)):
            head = f"GET /query?query=ASK%7B%7D HTTP/1.1\nHost: {host}\nConnection: close\n"
            assert raw_request(root, head).startswith(f"HTTP/1.1 {status}".encode()), host


# -- body size ------------------------------------------------------------------------------


def test_a_body_over_20_mb_is_refused_before_it_is_sent(root):
    port = urllib.parse.urlsplit(root).port
    head = (
        f"POST /query HTTP/1.1\nHost: 127.0.0.1:{port}\nContent-Type: application/sparql-query\n"
        f"Content-Length: {MAX_BODY + 1}\nConnection: close\n"
    )
    started = time.monotonic()
    answer = raw_request(root, head)  # not one byte of the body is sent
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"at most 20971520 bytes" in answer
    assert time.monotonic() - started < 5


def test_a_body_under_the_cap_is_answered(root):
    padded = ("# " + "x" * (MAX_BODY - 1000) + "\n" + COUNT_TRIPLES).encode()
    assert len(padded) <= MAX_BODY
    status, body = ask(
        root + "query",
        body=padded,
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    assert status == 200, body[:300]
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == count(root)


# -- time limit -----------------------------------------------------------------------------


def test_a_query_over_the_time_limit_is_stopped_and_the_next_one_answers(root, server):
    _, process = server
    before = count(root)  # a fast query under the limit answers
    working = oxigraph_child(process.pid)
    started = time.monotonic()
    result = run("query", CARTESIAN, "--endpoint", root + "query")
    took = time.monotonic() - started
    assert result.exit_code == 1
    assert "HTTP 503" in result.stderr and "ran out of time" in result.stderr, result.stderr
    assert TIMEOUT <= took < TIMEOUT + 5
    # The process that ran the query is gone (its work with it); a new one answers.
    assert not Path(f"/proc/{working}").exists()
    assert oxigraph_child(process.pid) != working
    assert count(root) == before


# -- query page -----------------------------------------------------------------------------


@pytest.mark.browser
def test_the_query_page_runs_a_query_without_requesting_anything_outside(root):
    outside: list[str] = []
    with chromium() as browser:
        page = browser.new_page()

        def guard(route) -> None:
            if route.request.url.startswith(root):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(root, wait_until="load")
        page.click("#run")
        wait_until(page, "document.querySelectorAll('#results td').length > 0", timeout_ms=15_000)
        status = page.evaluate("document.getElementById('status').textContent")
        cells = page.evaluate("[...document.querySelectorAll('#results td')].map(td => td.textContent)")
        page.close()
    assert "rows in" in status
    assert any("ontology#" in cell for cell in cells), cells[:6]
    assert outside == [] and errors == []


# -- the CLI --------------------------------------------------------------------------------


def test_serve_help_names_the_time_limit_and_service(monkeypatch):
    monkeypatch.setenv("TERMINAL_WIDTH", "200")
    result = run("serve", "--help")
    assert result.exit_code == 0
    assert "--timeout" in result.stdout and "--allow-service" in result.stdout


def test_a_time_limit_that_is_not_positive_is_a_usage_error(tmp_path):
    result = run("serve", tmp_path, "--timeout", "0")
    assert result.exit_code == 2
    assert "--timeout" in result.output
    assert "Traceback" not in result.output
