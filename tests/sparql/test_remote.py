"""The graph over HTTP against real Oxigraph servers on 127.0.0.1: push, query --endpoint, serve.

Every server is a real process on a free loopback port (tests/oxigraph_server.py); no
request leaves this machine.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from oxigraph_server import free_port, oxigraph_or_skip, oxigraph_server, stop
from rdflib import Dataset, Literal, URIRef
from typer.testing import CliRunner

from graphbuilder.cli import app
from graphbuilder.errors import EndpointError
from graphbuilder.rdf.files import load_dataset
from graphbuilder.sparql.query import list_saved_queries
from graphbuilder.sparql.remote import graph_store_url, push, query_endpoint

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
def gold_out(built_gold):
    return built_gold.out


@pytest.fixture
def gold_dataset(gold_out) -> Dataset:
    return load_dataset(gold_out)


def named_graphs(ds: Dataset) -> dict[str, int]:
    default = ds.default_graph.identifier
    return {str(g.identifier): len(g) for g in ds.graphs() if g.identifier != default and len(g)}


# -- push -----------------------------------------------------------------------------------


def test_push_puts_one_named_graph_per_article(server, gold_out, gold_dataset):
    result = run("push", gold_out, "--endpoint", server)
    assert result.exit_code == 0, result.output
    expected = named_graphs(gold_dataset)
    assert f"pushed {len(expected)} graphs" in result.stderr
    assert graph_names(server) == set(expected)
    for iri, size in expected.items():
        in_graph = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
        assert count(server, in_graph) == size, iri


def test_pushing_again_replaces_the_graphs_instead_of_doubling_them(server, gold_dataset):
    store = graph_store_url(server)
    first = push(gold_dataset, store)
    after_first = count(server)
    second = push(gold_dataset, store)
    assert after_first == sum(named_graphs(gold_dataset).values()) == first.triples
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


def test_push_to_a_closed_port_says_the_endpoint_is_unreachable(gold_out):
    result = run("push", gold_out, "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert_one_error_line(result, 1, "cannot reach 127.0.0.1:", "connection refused", "nothing was changed")


def test_push_to_a_read_only_server_is_refused_and_changes_nothing(tmp_path, gold_out):
    store = tmp_path / "read-only-store"
    subprocess.run(
        [oxigraph_or_skip(), "load", "--location", store, "--file", gold_out / "graph.trig"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with oxigraph_server(store, read_only=True) as url:
        before = count(url + "query")
        result = run("push", gold_out, "--graph-store", url + "store")
        assert_one_error_line(result, 1, "HTTP 403", "read-only", "nothing was changed")
        assert count(url + "query") == before


def test_push_without_a_graph_store_it_can_tell_is_a_usage_error(gold_out):
    result = run("push", gold_out, "--endpoint", "http://127.0.0.1:9/sparql")
    assert_one_error_line(result, 2, "--graph-store")
    assert_one_error_line(run("push", gold_out), 2, "--endpoint")


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/query", "127.0.0.1:7878/query", "http:///q"])
def test_a_url_that_is_not_http_is_a_usage_error(gold_out, url):
    assert_one_error_line(run("push", gold_out, "--graph-store", url), 2, "not an http")
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


def test_saved_queries_give_the_same_output_remotely_as_locally(server, gold_out, gold_dataset):
    push(gold_dataset, graph_store_url(server))
    compared = [q for q in list_saved_queries() if not engines_may_differ(q)]
    for saved in compared:
        for fmt in ("table", "csv", "tsv", "json"):
            local = run("query", saved.name, "--graph", gold_out, "--format", fmt)
            remote = run("query", saved.name, "--endpoint", server, "--format", fmt)
            assert local.exit_code == remote.exit_code == 0, remote.output
            assert remote.stdout == local.stdout, (saved.name, fmt)
    # Equal outputs prove little if they are empty: most saved queries find rows here.
    found = [q.name for q in compared if sparql_json(server, q.text)["results"]["bindings"]]
    assert len(found) > len(compared) / 2, found


def test_remote_json_output_is_what_the_endpoint_answered(server, gold_dataset):
    push(gold_dataset, graph_store_url(server))
    for saved in list_saved_queries():
        answered = sparql_json(server, saved.text)
        printed = json.loads(run("query", saved.name, "--endpoint", server, "--format", "json").stdout)
        assert printed == answered, saved.name


def test_ask_and_construct_give_the_same_output_remotely(server, gold_out, gold_dataset):
    push(gold_dataset, graph_store_url(server))
    construct = (
        "PREFIX gb: <https://w3id.org/graphbuilder/ontology#> "
        "CONSTRUCT { ?a gb:condemned ?b } WHERE { ?a gb:condemned ?b }"
    )
    for query in ("ASK { ?s ?p ?o }", construct):
        local = run("query", query, "--graph", gold_out)
        remote = run("query", query, "--endpoint", server)
        assert remote.exit_code == 0 and remote.stdout == local.stdout


def test_params_are_bound_on_the_endpoint_as_values_never_pasted(server, gold_out, gold_dataset):
    push(gold_dataset, graph_store_url(server))
    local = run("query", "actor-relations", "--graph", gold_out, "--param", "actor_name=Japan")
    remote = run("query", "actor-relations", "--endpoint", server, "--param", "actor_name=Japan")
    assert remote.exit_code == 0 and remote.stdout == local.stdout
    assert "Japan" in remote.stdout
    before = count(server)
    hostile = 'Japan" } } ; DROP ALL ; SELECT * { ?s ?p "'
    remote = run(
        "query",
        "actor-relations",
        "--endpoint",
        server,
        "--param",
        f"actor_name={hostile}",
        "--format",
        "csv",
    )
    assert remote.exit_code == 0, remote.output
    assert remote.stdout.count("\n") == 1  # the header: no such actor
    assert count(server) == before


def test_pages_of_a_list_query_are_the_same_remotely_as_locally(server, gold_out, gold_dataset):
    push(gold_dataset, graph_store_url(server))
    for page in (["--param", "limit=4"], ["--param", "limit=4", "--param", "offset=4"]):
        local = run("query", "relations", "--graph", gold_out, "--format", "csv", *page)
        remote = run("query", "relations", "--endpoint", server, "--format", "csv", *page)
        assert remote.exit_code == 0 and remote.stdout == local.stdout
        assert remote.stdout.count("\n") == 5  # the header and 4 rows
    refused = run("query", "relations", "--endpoint", server, "--param", "limit=4 }")
    assert refused.exit_code != 0 and "not a whole number" in refused.output


def test_remote_result_rows_are_rdflib_terms(server, gold_dataset):
    push(gold_dataset, graph_store_url(server))
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


def test_serve_answers_sparql_on_loopback_and_refuses_updates(gold_out, gold_dataset):
    oxigraph_or_skip()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "graphbuilder", "serve", str(gold_out), "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    root = f"http://127.0.0.1:{port}/"
    try:
        announced = read_stderr_until(process, b"SPARQL endpoint:", timeout=60)
        assert f"{root}query".encode() in announced
        assert count(root + "query") == sum(named_graphs(gold_dataset).values())
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


def test_serve_on_a_port_in_use_says_so(tmp_path, gold_out):
    with oxigraph_server(tmp_path / "busy") as url:
        port = urllib.parse.urlsplit(url).port
        result = run("serve", gold_out, "--port", port)
    assert_one_error_line(result, 1, f"port {port}", "in use")


def test_serve_uses_the_oxigraph_store_of_a_build_with_store_oxigraph(tmp_path, gold_dev_dir, gold_dataset):
    from graphbuilder import build
    from graphbuilder.sparql.server import serve

    oxigraph_or_skip()
    out = build([gold_dev_dir], out=tmp_path / "out", store="oxigraph").out
    with serve(out, "127.0.0.1", free_port()) as server:
        assert server.store == out / "store"
        assert count(server.query_url) == sum(named_graphs(gold_dataset).values())
    assert not server.workdir.exists()
    assert (out / "store").is_dir()  # the build's store is left alone
