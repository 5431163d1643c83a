"""The graph over HTTP: push it to a triple store, query a remote endpoint.

Only the W3C protocols are spoken, so any SPARQL 1.1 server works (Oxigraph, Apache Jena
Fuseki, GraphDB, Virtuoso): the Graph Store Protocol to upload (one HTTP PUT per
article's named graph: PUT replaces, so pushing again changes nothing) and the SPARQL
1.1 Protocol to query. Serving a graph is server.py's. Everything uses the standard
library's urllib, so no HTTP client is needed.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import (
    EndpointError,
    GraphNotFoundError,
    UsageError,
)
from ..rdf.files import load_dataset
from ..rdf.mapping import bind_prefixes
from .native import bind_inline
from .query import (
    QueryResult,
    parse_query,  # the local path's parser: syntax errors, the update check
)
from .saved import bind_page

RESULTS_JSON = "application/sparql-results+json"
_GRAPH_TYPES = {
    "application/n-triples": "nt",
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/n-quads": "nquads",
}
_KINDS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
_LOOPBACK = {"localhost", "127.0.0.1", "::1"}


# -- HTTP -----------------------------------------------------------------------------------


def check_url(url: str, option: str = "--endpoint") -> str:
    """Return `url` if it is an absolute http(s) URL, else raise UsageError naming `option`."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"{option} {url!r} is not an http:// or https:// URL (for example http://127.0.0.1:7878/query)"
        )
    return url


def graph_store_url(endpoint: str) -> str:
    """Return the Graph Store Protocol URL of an endpoint ending in /query (Oxigraph: /store)."""
    parts = urllib.parse.urlsplit(check_url(endpoint))
    if not parts.path.rstrip("/").endswith("/query"):
        raise UsageError(
            f"cannot tell the graph store URL from --endpoint {endpoint!r}: pass "
            "--graph-store URL (Oxigraph: .../store, Fuseki: .../DATASET/data)"
        )
    path = parts.path.rstrip("/")[: -len("query")] + "store"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _with_graph(store_url: str, graph: str) -> str:
    return store_url + ("&" if "?" in store_url else "?") + urllib.parse.urlencode({"graph": graph})


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 60.0,
    allow: tuple[int, ...] = (),
) -> tuple[int, bytes, str]:
    """Return (status, body, content type) of one HTTP request; raise EndpointError on failure.

    Statuses in `allow` are returned even though they are errors (a 404 for a graph that
    does not exist yet, say).
    """
    where = urllib.parse.urlsplit(url).netloc
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    # Loopback traffic never goes through a proxy set in the environment.
    handlers = [urllib.request.ProxyHandler({})] if urllib.parse.urlsplit(url).hostname in _LOOPBACK else []
    try:
        with urllib.request.build_opener(*handlers).open(request, timeout=timeout) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        if exc.code in allow:
            return exc.code, exc.read(), exc.headers.get_content_type()
        message = " ".join(exc.read().decode("utf-8", "replace").split())[:300]
        raise EndpointError(
            f"{method} {url} failed: HTTP {exc.code} {exc.reason}" + (f": {message}" if message else "")
        ) from None
    except urllib.error.URLError as exc:
        raise EndpointError(f"cannot reach {where}: {failure_reason(exc.reason, timeout)}") from None
    except (OSError, http.client.HTTPException) as exc:
        raise EndpointError(f"cannot reach {where}: {failure_reason(exc, timeout)}") from None


def failure_reason(reason: object, timeout: float) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running, and are the host and port right?)"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return "unknown host name"
    if isinstance(reason, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    return str(getattr(reason, "strerror", None) or reason)


# -- query ----------------------------------------------------------------------------------


def query_endpoint(
    endpoint: str,
    sparql: str,
    bindings: dict[str, object] | None = None,
    *,
    source: str = "query",
    timeout: float = 60.0,
) -> QueryResult:
    """Return the result of the read-only query `sparql` run on a SPARQL 1.1 endpoint.

    The same QueryResult as a local query, so the same formats print it. `bindings`
    become a VALUES clause of escaped RDF terms (str: a plain literal; URIRef: an IRI)
    that replaces the query's own `VALUES ?name { ... }` default, so a value can never
    change what the query does. Updates are refused before anything is sent.
    """
    check_url(endpoint)
    sparql, kind = _bound_query(sparql, dict(bindings or {}), source)
    accept = (
        RESULTS_JSON
        if kind in ("SELECT", "ASK")
        else "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
    )
    _, body, content_type = request(
        "POST",
        endpoint,
        body=sparql.encode("utf-8"),
        timeout=timeout,
        headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept},
    )
    namespaces = _standard_namespaces()
    try:
        if kind in ("SELECT", "ASK"):
            return _result_from_json(json.loads(body), namespaces)
        return _result_from_graph(body, content_type, kind, namespaces)
    except (ValueError, KeyError, TypeError) as exc:
        raise EndpointError(
            f"{endpoint} answered with results graphbuilder cannot read ({content_type}): {exc}"
        ) from None


def _bound_query(sparql: str, bindings: dict[str, object], source: str) -> tuple[str, str]:
    """Return (query text with `bindings` as VALUES at the head of its WHERE group, kind).

    The same placement a local Oxigraph query gets (sparql/native.py bind_inline): the
    endpoint's engine starts from the bound values instead of joining them at the end.
    """
    sparql, bindings = bind_page(sparql, bindings, source)
    for name in bindings:  # the same defaults the local path replaces
        sparql = re.sub(
            r"VALUES\s+\?" + re.escape(name) + r"\s*\{[^{}]*\}",
            lambda match: "\n" * match.group(0).count("\n"),
            sparql,
            flags=re.IGNORECASE,
        )
    parsed = parse_query(sparql, source)
    kind = _KINDS[parsed[1].name]
    if not bindings:
        return sparql, kind
    terms = {name: value if isinstance(value, Node) else Literal(value) for name, value in bindings.items()}
    bound = bind_inline(sparql, terms, kind, source)
    parse_query(bound, source)
    return bound, kind


def _standard_namespaces() -> dict[str, str]:
    graph = Graph()
    bind_prefixes(graph)
    return {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix}


def _term(value: dict[str, str]) -> Node:
    kind, text = value["type"], value["value"]
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if value.get("xml:lang"):
        return Literal(text, lang=value["xml:lang"])
    if value.get("datatype"):
        return Literal(text, datatype=URIRef(value["datatype"]))
    return Literal(text)


def _result_from_json(document: dict, namespaces: dict[str, str]) -> QueryResult:
    if "boolean" in document:
        return QueryResult(kind="ASK", boolean=bool(document["boolean"]), namespaces=namespaces)
    variables = list(document["head"].get("vars", []))
    rows = [
        tuple(_term(b[v]) if v in b else None for v in variables) for b in document["results"]["bindings"]
    ]
    return QueryResult(kind="SELECT", variables=variables, rows=rows, namespaces=namespaces)


def _result_from_graph(body: bytes, content_type: str, kind: str, namespaces: dict[str, str]) -> QueryResult:
    if content_type not in _GRAPH_TYPES:
        raise ValueError(f"not an RDF graph type: {content_type}")
    graph = Graph()
    for prefix, ns in namespaces.items():
        graph.bind(prefix, ns, override=True)
    graph.parse(data=body.decode("utf-8"), format=_GRAPH_TYPES[content_type])
    return QueryResult(
        kind=kind,
        variables=["subject", "predicate", "object"],
        rows=[tuple(t) for t in sorted(graph)],
        graph=graph,
        namespaces=namespaces,
    )


# -- push -----------------------------------------------------------------------------------


@dataclass
class PushReport:
    """What `push` did: the graph store, the graphs it replaced, and their triples."""

    graph_store: str
    graphs: list[str] = field(default_factory=list)  # named graph IRIs, in push order
    triples: int = 0
    replaced: int = 0  # of them, graphs that existed before


def push(
    dataset_or_path: Dataset | Path | str, graph_store: str, *, timeout: float = 60.0, progress=None
) -> PushReport:
    """Return the report of uploading every named graph (one per article) to `graph_store`.

    Each graph is sent with an HTTP PUT of Turtle to `graph_store?graph=IRI`, which
    replaces that graph on the server: pushing again changes nothing. Before each PUT
    the graph's current content is read, so when a PUT fails the graphs already sent
    are put back as they were (or deleted if they were new) and the server is left as
    it was; the EndpointError says so, or names the graphs it could not restore.
    `progress(iri)` is called after each graph is sent.
    """
    check_url(graph_store, "--graph-store")
    ds = dataset_or_path if isinstance(dataset_or_path, Dataset) else load_dataset(Path(dataset_or_path))
    default_id = ds.default_graph.identifier
    graphs = [
        g
        for g in sorted(ds.graphs(), key=lambda g: str(g.identifier))
        if g.identifier != default_id and len(g) > 0
    ]
    if not graphs:
        raise GraphNotFoundError(
            "the graph has no named graphs to push (build it with `graphbuilder build` first)"
        )
    report = PushReport(graph_store=graph_store)
    before: list[tuple[str, bytes | None]] = []  # (IRI, previous N-Triples or None)
    for graph in graphs:
        iri = str(graph.identifier)
        url = _with_graph(graph_store, iri)
        try:
            status, previous, _ = request(
                "GET", url, timeout=timeout, allow=(404,), headers={"Accept": "application/n-triples"}
            )
            turtle = _turtle(graph)
            request(
                "PUT",
                url,
                body=turtle,
                timeout=timeout,
                headers={"Content-Type": "text/turtle; charset=utf-8"},
            )
        except EndpointError as exc:
            raise EndpointError(f"{exc}; {_undo(graph_store, before, timeout)}") from None
        before.append((iri, previous if status != 404 else None))
        report.graphs.append(iri)
        report.triples += len(graph)
        report.replaced += status != 404
        if progress is not None:
            progress(iri)
    return report


def _turtle(graph: Graph) -> bytes:
    single = Graph()
    bind_prefixes(single)
    for triple in graph:
        single.add(triple)
    return single.serialize(format="turtle").encode("utf-8")


def _undo(graph_store: str, pushed: list[tuple[str, bytes | None]], timeout: float) -> str:
    """Put back the graphs `pushed` replaced; return what the server holds now, for the user."""
    if not pushed:
        return "nothing was changed on the server"
    failed: list[str] = []
    for iri, previous in reversed(pushed):
        url = _with_graph(graph_store, iri)
        try:
            if previous is None:
                request("DELETE", url, timeout=timeout, allow=(404,))
            else:
                request(
                    "PUT",
                    url,
                    body=previous,
                    timeout=timeout,
                    headers={"Content-Type": "application/n-triples"},
                )
        except EndpointError:
            failed.append(iri)
    if failed:
        return (
            f"{len(pushed) - len(failed)} of the {len(pushed)} graphs already pushed were "
            f"put back, these could not be and hold the new version: {', '.join(failed)}"
        )
    return f"the {len(pushed)} graphs already pushed were put back as they were"


# -- serve ----------------------------------------------------------------------------------
