"""The graph over HTTP against real Oxigraph servers on 127.0.0.1: push, query --endpoint, serve.

Every server is a real process on a free loopback port (tests/oxigraph_server.py); no
request leaves this machine. The graph pushed and served is the constructed set's
(tests/data/constructed), which every clone has; tests/rdf/test_stores.py compares
Oxigraph's answers with rdflib's on the gold corpus as well.
"""

from __future__ import annotations

import base64
import http.server
import json
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest
from annotated_sets import saved_query_params
from oxigraph_server import free_port, oxigraph_or_skip, oxigraph_server, stop, wait_until_answering
from rdflib import Dataset, Literal, URIRef
from typer.testing import CliRunner

from graphbuilder.cli import app
from graphbuilder.errors import EndpointError
from graphbuilder.rdf.files import load_dataset
from graphbuilder.sparql.query import list_saved_queries
from graphbuilder.sparql.remote import RESULTS_JSON, graph_store_url, push, query_endpoint

LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def run(*args: object):
    return CliRunner().invoke(app, [str(a) for a in args])


def assert_one_error_line(result, exit_code: int, *fragments: str) -> None:
    assert result.exit_code == exit_code, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def sparql_json(endpoint: str, query: str) -> dict:
    request = urllib.request.Request(
        endpoint,
        data=query.encode(),
        method="POST",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    with LOCAL.open(request, timeout=30) as response:
        return json.loads(response.read())


def count(endpoint: str, query: str = COUNT_QUADS) -> int:
    return int(sparql_json(endpoint, query)["results"]["bindings"][0]["n"]["value"])


def graph_names(endpoint: str) -> set[str]:
    rows = sparql_json(endpoint, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {row["g"]["value"] for row in rows["results"]["bindings"]}


@pytest.fixture
def server(tmp_path):
    """Return the query endpoint of an empty, writable Oxigraph server."""
    with oxigraph_server(tmp_path / "server-store") as url:
        yield url + "query"


@pytest.fixture
def built_out(built_constructed):
    return built_constructed.out


@pytest.fixture
def built_dataset(built_out) -> Dataset:
    return load_dataset(built_out)


def named_graphs(ds: Dataset) -> dict[str, int]:
    default = ds.default_graph.identifier
    return {str(g.identifier): len(g) for g in ds.graphs() if g.identifier != default and len(g)}


# -- push -----------------------------------------------------------------------------------


def test_push_puts_one_named_graph_per_article(server, built_out, built_dataset):
    result = run("push", built_out, "--endpoint", server)
    assert result.exit_code == 0, result.output
    expected = named_graphs(built_dataset)
    assert f"pushed {len(expected)} graphs" in result.stderr
    assert graph_names(server) == set(expected)
    for iri, size in expected.items():
        in_graph = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
        assert count(server, in_graph) == size, iri


def test_pushing_again_replaces_the_graphs_instead_of_doubling_them(server, built_dataset):
    store = graph_store_url(server)
    first = push(built_dataset, store)
    after_first = count(server)
    second = push(built_dataset, store)
    assert after_first == sum(named_graphs(built_dataset).values()) == first.triples
    assert count(server) == after_first
    assert (first.replaced, second.replaced) == (0, len(second.graphs))
    assert second.graphs == first.graphs


def test_failed_push_puts_back_the_graphs_it_had_already_replaced(server):
    store = graph_store_url(server)
    old = Dataset()
    old.graph(URIRef("http://example.org/g1")).add(
        (URIRef("http://example.org/a"), URIRef("http://example.org/said"), Literal("old"))
    )
    push(old, store)
    new = Dataset()
    for name in ("g1", "g2"):
        new.graph(URIRef(f"http://example.org/{name}")).add(
            (URIRef("http://example.org/a"), URIRef("http://example.org/said"), Literal("new"))
        )
    # A language tag rdflib lets through but the server's parser refuses (HTTP 400): the
    # third graph fails after the first two were replaced.
    new.graph(URIRef("http://example.org/g3")).add(
        (URIRef("http://example.org/a"), URIRef("http://example.org/said"), Literal("new", lang="abcdefghi"))
    )
    with pytest.raises(EndpointError, match="HTTP 400.*the 2 graphs already pushed were put back"):
        push(new, store)
    assert graph_names(server) == {"http://example.org/g1"}
    said = sparql_json(server, "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert [row["o"]["value"] for row in said["results"]["bindings"]] == ["old"]


def server_quads(endpoint: str) -> set[tuple[str, str, str, str]]:
    rows = sparql_json(endpoint, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")["results"]["bindings"]
    return {tuple(row[v]["value"] for v in "gspo") for row in rows}


def test_a_graph_read_one_named_graph_at_a_time_arrives_whole(server, tmp_path, built_out, built_dataset):
    # graphbuilder's graph.trig is streamed graph by graph; a store (build --store oxigraph) too.
    report = push(built_out, graph_store_url(server))
    expected = named_graphs(built_dataset)
    assert report.graphs == sorted(expected) and report.triples == sum(expected.values())
    streamed = server_quads(server)
    assert len(streamed) == report.triples
    from graphbuilder import build

    stored = build([built_out / "extractions"], out=tmp_path / "stored", store="oxigraph").out
    with oxigraph_server(tmp_path / "other-server") as url:
        assert push(stored / "store", graph_store_url(url + "query")).graphs == report.graphs
        assert server_quads(url + "query") == streamed


def test_a_trig_file_whose_graphs_come_in_pieces_is_pushed_graph_by_graph_whole(server, tmp_path):
    said = "<http://example.org/a> <http://example.org/said>"
    pieces = tmp_path / "pieces.trig"
    pieces.write_text(
        f'<http://example.org/g2> {{ {said} "one" . }}\n'
        f'<http://example.org/g1> {{ {said} "two" . }}\n'
        f'{said} "in the default graph, not pushed" .\n'
        f'<http://example.org/g2> {{ {said} "three" . }}\n',
        encoding="utf-8",
    )
    report = push(pieces, graph_store_url(server))
    assert (report.graphs, report.triples) == (["http://example.org/g1", "http://example.org/g2"], 3)
    assert {(g[-2:], o) for g, _, _, o in server_quads(server)} == {
        ("g1", "two"),
        ("g2", "one"),
        ("g2", "three"),
    }
    whole = tmp_path / "whole.nq"  # the same graphs in one block each: streamed as they come
    whole.write_text(
        f'{said} "one" <http://example.org/g2> .\n{said} "three" <http://example.org/g2> .\n',
        encoding="utf-8",
    )
    assert push(whole, graph_store_url(server)).graphs == ["http://example.org/g2"]
    assert {(g[-2:], o) for g, _, _, o in server_quads(server)} == {
        ("g1", "two"),
        ("g2", "one"),
        ("g2", "three"),
    }


def test_a_malformed_trig_file_is_one_line_with_its_line_and_changes_nothing(server, tmp_path, built_dataset):
    push(built_dataset, graph_store_url(server))
    before = server_quads(server)
    broken = tmp_path / "graph.trig"
    broken.write_text(
        '<http://example.org/g1> { <http://example.org/a> <http://example.org/said> "x" . }\n'
        '<http://example.org/g2> { <http://example.org/a> <http://example.org/said> "unterminated . }\n',
        encoding="utf-8",
    )
    result = run("push", broken, "--endpoint", server)
    assert_one_error_line(result, 1, f"{broken}:2", "cannot read the graph")
    assert server_quads(server) == before


def test_push_to_a_closed_port_says_the_endpoint_is_unreachable(built_out):
    result = run("push", built_out, "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert_one_error_line(result, 1, "cannot reach 127.0.0.1:", "connection refused", "nothing was changed")


def test_push_to_a_read_only_server_is_refused_and_changes_nothing(tmp_path, built_out):
    store = tmp_path / "read-only-store"
    subprocess.run(
        [oxigraph_or_skip(), "load", "--location", store, "--file", built_out / "graph.trig"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with oxigraph_server(store, read_only=True) as url:
        before = count(url + "query")
        result = run("push", built_out, "--graph-store", url + "store")
        assert_one_error_line(result, 1, "HTTP 403", "read-only", "nothing was changed")
        assert count(url + "query") == before


def test_push_without_a_graph_store_it_can_tell_is_a_usage_error(built_out):
    result = run("push", built_out, "--endpoint", "http://127.0.0.1:9/sparql")
    assert_one_error_line(result, 2, "--graph-store")
    assert_one_error_line(run("push", built_out), 2, "--endpoint")


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/query", "127.0.0.1:7878/query", "http:///q"])
def test_a_url_that_is_not_http_is_a_usage_error(built_out, url):
    assert_one_error_line(run("push", built_out, "--graph-store", url), 2, "not an http")
    assert_one_error_line(run("query", "actors", "--endpoint", url), 2, "not an http")


def test_graph_store_url_is_the_store_beside_an_oxigraph_query_endpoint():
    assert graph_store_url("http://127.0.0.1:7878/query") == "http://127.0.0.1:7878/store"
    assert graph_store_url("https://h/db/query/") == "https://h/db/store"


# -- query --endpoint -----------------------------------------------------------------------


def engines_may_differ(saved) -> bool:
    """Tell whether rdflib and Oxigraph may rightly answer `saved` differently.

    SPARQL leaves the order inside GROUP_CONCAT unspecified, and Oxigraph leaves a
    GROUP_CONCAT over no values unbound where rdflib gives "": that says nothing about
    the protocol (test_remote_json_output_is_what_the_endpoint_answered covers those).
    """
    return "GROUP_CONCAT" in saved.text.upper()


def test_saved_queries_give_the_same_output_remotely_as_locally(server, built_out, built_dataset):
    push(built_dataset, graph_store_url(server))
    compared = [q for q in list_saved_queries() if not engines_may_differ(q)]
    for saved in compared:
        params = [f"--param={k}={v}" for k, v in saved_query_params("constructed", saved.name).items()]
        for fmt in ("table", "csv", "tsv", "json"):
            local = run("query", saved.name, "--graph", built_out, "--format", fmt, *params)
            remote = run("query", saved.name, "--endpoint", server, "--format", fmt, *params)
            assert local.exit_code == remote.exit_code == 0, remote.output
            assert remote.stdout == local.stdout, (saved.name, fmt)
    # Equal outputs prove little if they are empty: most saved queries find rows here.
    found = [q.name for q in compared if sparql_json(server, q.text)["results"]["bindings"]]
    assert len(found) > len(compared) / 2, found


def test_remote_json_output_is_what_the_endpoint_answered(server, built_dataset):
    push(built_dataset, graph_store_url(server))
    for saved in list_saved_queries():
        answered = sparql_json(server, saved.text)
        printed = json.loads(run("query", saved.name, "--endpoint", server, "--format", "json").stdout)
        assert printed == answered, saved.name


def test_ask_and_construct_give_the_same_output_remotely(server, built_out, built_dataset):
    push(built_dataset, graph_store_url(server))
    construct = (
        "PREFIX gb: <https://w3id.org/graphbuilder/ontology#> "
        "CONSTRUCT { ?a gb:condemned ?b } WHERE { ?a gb:condemned ?b }"
    )
    for query in ("ASK { ?s ?p ?o }", construct):
        local = run("query", query, "--graph", built_out)
        remote = run("query", query, "--endpoint", server)
        assert remote.exit_code == 0 and remote.stdout == local.stdout


def test_params_are_bound_on_the_endpoint_as_values_never_pasted(server, built_out, built_dataset):
    push(built_dataset, graph_store_url(server))
    local = run("query", "actor-relations", "--graph", built_out, "--param", "actor_name=Japan")
    remote = run("query", "actor-relations", "--endpoint", server, "--param", "actor_name=Japan")
    assert remote.exit_code == 0 and remote.stdout == local.stdout
    assert "Japan" in remote.stdout
    before = count(server)
    hostile = 'Japan" } } ; DROP ALL ; SELECT * { ?s ?p "'
    inline = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?a WHERE { ?a rdfs:label ?name }"
    remote = run("query", inline, "--endpoint", server, "--param", f"name={hostile}", "--format", "csv")
    assert remote.exit_code == 0, remote.output
    assert remote.stdout.count("\n") == 1  # the header: no such label
    # A saved query's actor parameter is looked up among the endpoint's actor names first.
    refused = run("query", "actor-relations", "--endpoint", server, "--param", f"actor_name={hostile}")
    assert refused.exit_code == 2 and "no actor named" in refused.stderr
    assert count(server) == before


def test_pages_of_a_list_query_are_the_same_remotely_as_locally(server, built_out, built_dataset):
    push(built_dataset, graph_store_url(server))
    for page in (["--param", "limit=4"], ["--param", "limit=4", "--param", "offset=4"]):
        local = run("query", "relations", "--graph", built_out, "--format", "csv", *page)
        remote = run("query", "relations", "--endpoint", server, "--format", "csv", *page)
        assert remote.exit_code == 0 and remote.stdout == local.stdout
        assert remote.stdout.count("\n") == 5  # the header and 4 rows
    refused = run("query", "relations", "--endpoint", server, "--param", "limit=4 }")
    assert refused.exit_code != 0 and "not a whole number" in refused.output


def test_remote_result_rows_are_rdflib_terms(server, built_dataset):
    push(built_dataset, graph_store_url(server))
    result = query_endpoint(
        server,
        "SELECT ?name WHERE { ?a <http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?name LIMIT 1",
    )
    assert result.kind == "SELECT" and result.variables == ["name"]
    assert isinstance(result.rows[0][0], Literal)


def test_updates_are_refused_before_anything_is_sent():
    closed = f"http://127.0.0.1:{free_port()}/query"  # nothing listens: no request answered
    result = run("query", "DELETE WHERE { ?s ?p ?o }", "--endpoint", closed)
    assert_one_error_line(result, 1, "read-only")


def test_query_on_a_closed_port_says_the_endpoint_is_unreachable():
    result = run("query", "actors", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert_one_error_line(result, 1, "cannot reach 127.0.0.1:", "connection refused")


# -- serve ----------------------------------------------------------------------------------


def read_stderr_until(process: subprocess.Popen, marker: bytes, timeout: float) -> bytes:
    """Return what `process` wrote on stderr up to the line holding `marker` (bounded wait)."""
    selector = selectors.DefaultSelector()
    selector.register(process.stderr, selectors.EVENT_READ)
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        left = deadline - time.monotonic()
        if left <= 0 or process.poll() is not None:
            pytest.fail(f"serve did not announce its endpoint: {seen.decode(errors='replace')}")
        if selector.select(min(left, 1.0)):
            # os.read, not readline: a buffered reader would keep lines the selector never sees.
            seen += os.read(process.stderr.fileno(), 4096)
    selector.close()
    return seen


def test_serve_answers_sparql_on_loopback_and_refuses_updates(built_out, built_dataset):
    oxigraph_or_skip()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "graphbuilder", "serve", str(built_out), "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    root = f"http://127.0.0.1:{port}/"
    try:
        announced = read_stderr_until(process, b"SPARQL endpoint:", timeout=60)
        assert f"{root}query".encode() in announced
        assert count(root + "query") == sum(named_graphs(built_dataset).values())
        # The default graph is the union of the articles' graphs, as in local queries.
        assert (
            count(
                root + "query",
                "SELECT (COUNT(*) AS ?n) WHERE { ?a <https://w3id.org/graphbuilder/ontology#condemned> ?b }",
            )
            > 0
        )
        with LOCAL.open(root, timeout=10) as page:
            assert "text/html" in page.headers["Content-Type"]
        update = urllib.request.Request(
            root + "update",
            data=b"CLEAR ALL",
            method="POST",
            headers={"Content-Type": "application/sparql-update"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            LOCAL.open(update, timeout=10)
        assert refused.value.code == 403
        assert count(root + "query") > 0
    finally:
        stop(process)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0, stderr
    with pytest.raises(urllib.error.URLError):  # the oxigraph server stopped too
        LOCAL.open(root, timeout=5)


def test_serve_without_a_graph_says_so(tmp_path):
    oxigraph_or_skip()
    result = run("serve", tmp_path / "nothing", "--port", free_port())
    assert_one_error_line(result, 1, "no graph at")


def test_serve_on_a_port_in_use_says_so(tmp_path, built_out):
    with oxigraph_server(tmp_path / "busy") as url:
        port = urllib.parse.urlsplit(url).port
        result = run("serve", built_out, "--port", port)
    assert_one_error_line(result, 1, f"port {port}", "in use")


def test_serve_uses_the_oxigraph_store_of_a_build_with_store_oxigraph(
    tmp_path, constructed_dir, built_dataset
):
    from graphbuilder import build
    from graphbuilder.sparql.server import serve

    oxigraph_or_skip()
    out = build([constructed_dir], out=tmp_path / "out", store="oxigraph").out
    with serve(out, "127.0.0.1", free_port()) as server:
        assert server.store == out / "store"
        assert count(server.query_url) == sum(named_graphs(built_dataset).values())
    assert not server.workdir.exists()
    assert (out / "store").is_dir()  # the build's store is left alone


# -- a listener that records what reaches it --------------------------------------------------

EMPTY_RESULTS = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'


class Recorder(http.server.ThreadingHTTPServer):
    """A real HTTP listener on 127.0.0.1 that records each request and answers with `answer`."""

    def __init__(self, answer) -> None:
        self.requests: list[dict] = []
        self.answer = answer  # (method, path) -> (status, headers, body)
        super().__init__(("127.0.0.1", 0), _Recording)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Recording(http.server.BaseHTTPRequestHandler):
    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        self.server.requests.append(
            {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
        )
        status, headers, answer = self.server.answer(self.command, self.path)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def log_message(self, *args) -> None:
        pass


@contextmanager
def recorder(answer=lambda method, path: (200, {"Content-Type": RESULTS_JSON}, EMPTY_RESULTS)):
    listener = Recorder(answer)
    thread = threading.Thread(target=listener.serve_forever, daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        listener.shutdown()
        listener.server_close()
        thread.join(5)


@pytest.fixture(autouse=True)
def no_credentials_from_the_environment(monkeypatch, tmp_path):
    """Each test starts without credentials: none in the environment, an empty netrc."""
    for name in ("GRAPHBUILDER_TOKEN", "GRAPHBUILDER_USER", "GRAPHBUILDER_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))


def graph_store_answers(method: str, path: str):
    """Answer as an empty graph store: no graph yet (GET 404), every PUT taken."""
    return (404, {}, b"") if method == "GET" else (204, {}, b"")


# -- SERVICE --------------------------------------------------------------------------------

SERVICE_QUERY = "SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"


def test_service_is_refused_for_an_endpoint_and_nothing_is_sent():
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(0.5)
        endpoint = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
        result = run("query", SERVICE_QUERY, "--endpoint", endpoint)
        assert_one_error_line(result, 1, "SERVICE <http://127.0.0.1:9/sparql>", "--allow-service")
        with pytest.raises(socket.timeout):  # no connection ever came
            listener.accept()


def test_allow_service_sends_the_service_query_to_the_endpoint():
    with recorder() as endpoint:
        result = run("query", SERVICE_QUERY, "--endpoint", endpoint.url + "/query", "--allow-service")
    assert result.exit_code == 0, result.output
    assert [r["body"].decode() for r in endpoint.requests] == [SERVICE_QUERY]


def test_a_local_query_refuses_service_even_with_allow_service(built_out):
    result = run("query", SERVICE_QUERY, "--graph", built_out, "--allow-service")
    assert_one_error_line(result, 1, "SERVICE is not supported")


# -- timeout --------------------------------------------------------------------------------


def test_endpoint_query_gives_up_after_the_timeout():
    with socket.create_server(("127.0.0.1", 0)) as listener:  # takes the connection, never answers
        started = time.monotonic()
        result = run(
            "query",
            "actors",
            "--endpoint",
            f"http://127.0.0.1:{listener.getsockname()[1]}/query",
            "--timeout",
            "1",
        )
        assert time.monotonic() - started < 10
    assert_one_error_line(result, 1, "did not answer within 1 s", "--timeout")


def test_endpoint_query_answered_within_the_timeout_prints_the_answer(server, built_dataset):
    push(built_dataset, graph_store_url(server))
    result = run("query", "ASK { ?s ?p ?o }", "--endpoint", server, "--timeout", "2")
    assert result.exit_code == 0 and result.stdout.strip() == "true"


# -- credentials ----------------------------------------------------------------------------


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_netrc_credentials_reach_the_endpoint_and_are_never_printed(tmp_path, monkeypatch):
    netrc_file = tmp_path / "netrc"
    netrc_file.write_text("machine 127.0.0.1\n  login alice\n  password s3cret-pw\n")
    monkeypatch.setenv("NETRC", str(netrc_file))
    with recorder() as endpoint:
        answered = run("query", "actors", "--endpoint", endpoint.url + "/query")
    assert answered.exit_code == 0, answered.output
    assert [r["headers"]["Authorization"] for r in endpoint.requests] == [basic("alice", "s3cret-pw")]
    refusing = lambda method, path: (403, {}, b"forbidden for " + basic("alice", "s3cret-pw").encode())  # noqa: E731
    with recorder(refusing) as endpoint:
        refused = run("query", "actors", "--endpoint", endpoint.url + "/query")
    assert_one_error_line(refused, 1, "HTTP 403", f"credentials from the netrc file {netrc_file}")
    for output in (answered.output, refused.output):
        assert "s3cret-pw" not in output and basic("alice", "s3cret-pw")[6:] not in output


def test_a_bearer_token_from_the_environment_goes_with_every_push_request(monkeypatch, built_out):
    monkeypatch.setenv("GRAPHBUILDER_TOKEN", "tok-123456")
    with recorder(graph_store_answers) as store:
        result = run("push", built_out, "--graph-store", store.url + "/store")
    assert result.exit_code == 0, result.output
    assert {r["headers"].get("Authorization") for r in store.requests} == {"Bearer tok-123456"}
    assert {r["method"] for r in store.requests} == {"GET", "PUT"}
    assert "tok-123456" not in result.output


def test_user_and_password_from_the_environment_are_sent_as_basic_auth(monkeypatch):
    monkeypatch.setenv("GRAPHBUILDER_USER", "bob")
    monkeypatch.setenv("GRAPHBUILDER_PASSWORD", "pa55word")
    with recorder() as endpoint:
        query_endpoint(endpoint.url + "/query", "ASK { ?s ?p ?o }")
    assert endpoint.requests[0]["headers"]["Authorization"] == basic("bob", "pa55word")


def test_credentials_in_the_url_are_sent_but_never_shown(built_out):
    echo = lambda method, path: (500, {}, b"failed for alice:s3cret")  # noqa: E731
    with recorder(echo) as store:
        port = store.server_address[1]
        result = run("push", built_out, "--graph-store", f"http://alice:s3cret@127.0.0.1:{port}/store")
    assert store.requests[0]["headers"]["Authorization"] == basic("alice", "s3cret")
    assert_one_error_line(result, 1, f"http://127.0.0.1:{port}/store?graph=", "HTTP 500")
    assert "s3cret" not in result.output
    closed = run("push", built_out, "--graph-store", f"http://alice:s3cret@127.0.0.1:{free_port()}/store")
    assert_one_error_line(closed, 1, "cannot reach 127.0.0.1:")
    bad = run("query", "actors", "--endpoint", "ftp://alice:s3cret@127.0.0.1/query")
    assert_one_error_line(bad, 2, "not an http")
    assert "s3cret" not in closed.output + bad.output


# -- redirects ------------------------------------------------------------------------------


def test_an_error_after_a_redirect_names_where_it_went_and_credentials_stay_behind(monkeypatch, built_out):
    monkeypatch.setenv("GRAPHBUILDER_TOKEN", "tok-123456")
    refusing = lambda method, path: (503, {}, b"down for maintenance")  # noqa: E731
    with recorder(refusing) as elsewhere:
        moved = lambda method, path: (307, {"Location": elsewhere.url + path}, b"")  # noqa: E731
        with recorder(moved) as first:
            result = run("push", built_out, "--graph-store", first.url + "/store")
    assert_one_error_line(result, 1, f"GET {elsewhere.url}/store?graph=", "HTTP 503", "nothing was changed")
    assert first.url + "/" not in result.stderr
    assert first.requests[0]["headers"]["Authorization"] == "Bearer tok-123456"
    assert "Authorization" not in elsewhere.requests[0]["headers"]  # another host: no credentials
    to_nowhere = lambda method, path: (307, {"Location": f"http://127.0.0.1:{free_port()}/store"}, b"")  # noqa: E731
    with recorder(to_nowhere) as first:
        result = run("query", "actors", "--endpoint", first.url + "/query")
    assert_one_error_line(result, 1, "cannot reach 127.0.0.1:")
    assert f"127.0.0.1:{first.server_address[1]}:" not in result.stderr


def test_a_redirect_on_the_same_server_is_followed_with_its_credentials(monkeypatch):
    monkeypatch.setenv("GRAPHBUILDER_TOKEN", "tok-123456")
    answer = lambda method, path: (  # noqa: E731
        (308, {"Location": "/sparql"}, b"")
        if path == "/query"
        else (200, {"Content-Type": RESULTS_JSON}, EMPTY_RESULTS)
    )
    with recorder(answer) as endpoint:
        result = run("query", "actors", "--endpoint", endpoint.url + "/query")
    assert result.exit_code == 0, result.output
    assert [(r["method"], r["path"]) for r in endpoint.requests] == [("POST", "/query"), ("POST", "/sparql")]
    assert endpoint.requests[1]["body"] == endpoint.requests[0]["body"]
    assert {r["headers"]["Authorization"] for r in endpoint.requests} == {"Bearer tok-123456"}


# -- an interrupted push --------------------------------------------------------------------

KILL_AFTER = 3
PUSH_THEN_DIE = """
import os, signal, sys
from graphbuilder.sparql.remote import push
sent = []
def die_mid_way(iri):
    sent.append(iri)
    if len(sent) == {kill_after}:
        os.kill(os.getpid(), signal.SIGKILL)
push(sys.argv[1], sys.argv[2], progress=die_mid_way)
"""


def killed_push(out, store_url: str) -> None:
    """Run a push in a child process that is killed (SIGKILL) after KILL_AFTER graphs."""
    child = subprocess.run(
        [sys.executable, "-c", PUSH_THEN_DIE.replace("{kill_after}", str(KILL_AFTER)), str(out), store_url],
        capture_output=True,
        timeout=120,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()


def test_a_killed_push_is_finished_by_running_it_again(server, tmp_path, built_out, built_dataset):
    out = shutil.copytree(built_out, tmp_path / "out")
    store = graph_store_url(server)
    expected = named_graphs(built_dataset)
    killed_push(out, store)
    journal = json.loads((out / ".push-journal.json").read_text())
    assert journal["pushes"][store]["sent"] == KILL_AFTER
    assert graph_names(server) == set(sorted(expected)[:KILL_AFTER])  # half old, half new
    result = run("push", out, "--graph-store", store)
    assert result.exit_code == 0, result.output
    assert f"pushed {len(expected) - KILL_AFTER} graphs" in result.stderr
    assert f"interrupted push whose first {KILL_AFTER} graphs were already there" in result.stderr
    assert not (out / ".push-journal.json").exists()
    assert graph_names(server) == set(expected)
    for iri, size in expected.items():
        assert count(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}") == size


def test_a_rebuilt_graph_after_a_killed_push_is_sent_whole_and_says_what_was_left(
    server, tmp_path, built_out, constructed_dir
):
    from graphbuilder import build

    out = shutil.copytree(built_out, tmp_path / "out")
    store = graph_store_url(server)
    killed_push(out, store)
    fewer = tmp_path / "fewer-articles"
    fewer.mkdir()
    for article in sorted(constructed_dir.glob("*.json"))[:5]:
        shutil.copy(article, fewer)
    build([fewer], out=out)  # another graph in the same folder
    result = run("push", out, "--graph-store", store)
    assert result.exit_code == 0, result.output
    assert f"the first {KILL_AFTER} of its" in result.stderr and "every graph was sent again" in result.stderr
    assert f"pushed {len(named_graphs(load_dataset(out)))} graphs" in result.stderr
    assert not (out / ".push-journal.json").exists()


def test_a_push_the_server_stops_part_way_records_what_it_holds(tmp_path):
    trig = tmp_path / "graph.trig"
    trig.write_text(
        "".join(
            f'<http://example.org/g{n}> {{ <http://example.org/a> <http://example.org/said> "new" . }}\n'
            for n in (1, 2, 3)
        ),
        encoding="utf-8",
    )
    puts = []

    def fails_on_the_third_put(method: str, path: str):
        if method == "PUT":
            puts.append(path)
            return (500, {}, b"disk full") if len(puts) == 3 else (204, {}, b"")
        return (404, {}, b"") if method == "GET" else (204, {}, b"")

    with recorder(fails_on_the_third_put) as store:
        result = run("push", trig, "--graph-store", store.url + "/store")
    assert_one_error_line(result, 1, "HTTP 500", "the 2 graphs already pushed were put back")
    assert [r["method"] for r in store.requests][-2:] == ["DELETE", "DELETE"]
    assert not (tmp_path / ".push-journal.json").exists()  # the store is as it was: nothing to finish


def start_oxigraph(location, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            oxigraph_or_skip(),
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until_answering(f"http://127.0.0.1:{port}/", process)
    return process


def test_a_push_whose_server_dies_part_way_is_recorded_and_finished_on_the_next_run(
    tmp_path, built_out, built_dataset
):
    out = shutil.copytree(built_out, tmp_path / "out")
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}/query"
    store = graph_store_url(endpoint)
    expected = named_graphs(built_dataset)
    server = start_oxigraph(tmp_path / "server-store", port)
    try:
        sent: list[str] = []

        def server_dies_after_two(iri: str) -> None:
            sent.append(iri)
            if len(sent) == 2:
                stop(server)

        with pytest.raises(
            EndpointError, match="cannot reach.*could not be and hold the new version"
        ) as failed:
            push(out, store, progress=server_dies_after_two)
        assert "run the same push again to finish it" in str(failed.value)
        journal = json.loads((out / ".push-journal.json").read_text())
        assert journal["pushes"][store]["also_sent"] == sorted(sent)
        server = start_oxigraph(tmp_path / "server-store", port)
        assert graph_names(endpoint) == set(sent)  # what the journal says the store holds
        result = run("push", out, "--endpoint", endpoint)
        assert result.exit_code == 0, result.output
        assert (
            "note: an unfinished push" in result.stderr and f"pushed {len(expected)} graphs" in result.stderr
        )
        assert not (out / ".push-journal.json").exists()
        assert graph_names(endpoint) == set(expected)
        for iri, size in expected.items():
            assert (
                count(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}") == size
            )
    finally:
        stop(server)
