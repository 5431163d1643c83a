"""The graph over HTTP: push it to a triple store, query a remote endpoint.

Only the W3C protocols are spoken, so any SPARQL 1.1 server works (Oxigraph, Apache Jena
Fuseki, GraphDB, Virtuoso): the Graph Store Protocol to upload (one HTTP PUT per
article's named graph: PUT replaces, so pushing again changes nothing) and the SPARQL
1.1 Protocol to query. Serving a graph is server.py's; the HTTP requests themselves
(credentials, redirects, time limits, messages without secrets) are transport.py's, and
the journal that lets an interrupted push be finished is journal.py's.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import EndpointError, GraphNotFoundError, QueryError, UsageError
from ..rdf.files import load_dataset
from ..rdf.mapping import bind_prefixes
from ..rdf.named import named_graphs, streamed_source
from .journal import Progress, PushJournal, fingerprint, journal_path
from .native import bind_inline
from .query import (
    DEFAULT_TIMEOUT,
    QueryResult,
    find_service,
    parse_query,  # the local path's parser: syntax errors, the update check
)
from .results import in_query_order
from .saved import bind_page, resolve_actor_names
from .transport import (  # noqa: F401  (check_url, failure_reason: used by the CLI and server.py)
    check_url,
    endpoint_error,
    failure_reason,
    public_url,
    redact,
    request,
)

RESULTS_JSON = "application/sparql-results+json"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
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


# -- URLs ----------------------------------------------------------------------------------


def graph_store_url(endpoint: str) -> str:
    """Return the Graph Store Protocol URL of an endpoint ending in /query (Oxigraph: /store)."""
    parts = urllib.parse.urlsplit(check_url(endpoint))
    if not parts.path.rstrip("/").endswith("/query"):
        raise UsageError(
            redact(
                f"cannot tell the graph store URL from --endpoint {endpoint!r}: pass "
                "--graph-store URL (Oxigraph: .../store, Fuseki: .../DATASET/data)"
            )
        )
    path = parts.path.rstrip("/")[: -len("query")] + "store"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def _with_graph(store_url: str, graph: str) -> str:
    return store_url + ("&" if "?" in store_url else "?") + urllib.parse.urlencode({"graph": graph})


# -- query ----------------------------------------------------------------------------------


def query_endpoint(
    endpoint: str,
    sparql: str,
    bindings: dict[str, object] | None = None,
    *,
    source: str = "query",
    timeout: float | None = DEFAULT_TIMEOUT,
    allow_service: bool = False,
) -> QueryResult:
    """Return the result of the read-only query `sparql` run on a SPARQL 1.1 endpoint.

    The same QueryResult as a local query, so the same formats print it (every
    `query --format`, `QueryResult.serialize`): the endpoint is asked for SPARQL JSON
    results or an RDF graph, never for the format printed. `bindings`
    become a VALUES clause of escaped RDF terms (str: a plain literal; URIRef: an IRI)
    that replaces the query's own `VALUES ?name { ... }` default, so a value can never
    change what the query does. Updates are refused before anything is sent, and so are
    SERVICE calls (the endpoint would fetch from other servers on the caller's behalf)
    unless `allow_service`. `timeout` bounds the whole exchange in seconds (None or 0:
    no limit). Credentials come from the environment or netrc (see transport.py).
    """
    check_url(endpoint)
    bindings = resolve_actor_names(
        dict(bindings or {}),
        source,
        lambda names: query_endpoint(endpoint, names, source=source, timeout=timeout),
    )
    sparql, kind = _bound_query(sparql, bindings, source, allow_service)
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
            return in_query_order(_result_from_json(json.loads(body), namespaces), sparql)
        return _result_from_graph(body, content_type, kind, namespaces)
    except (ValueError, KeyError, TypeError) as exc:
        raise endpoint_error(
            f"{public_url(endpoint)} answered with results graphbuilder cannot read ({content_type}): {exc}"
        ) from None


def _bound_query(
    sparql: str, bindings: dict[str, object], source: str, allow_service: bool = False
) -> tuple[str, str]:
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
    service = None if allow_service else find_service(parsed)
    if service is not None:
        raise QueryError(
            f"the query calls SERVICE {service}: the endpoint would fetch from another server "
            "for you, so it is not sent; pass --allow-service (allow_service=True) if you mean it",
            path=source,
        )
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
    if value.get("datatype") and value["datatype"] != _XSD_STRING:
        return Literal(text, datatype=URIRef(value["datatype"]))
    return Literal(text)  # a plain literal, as rdflib and Oxigraph give xsd:string locally


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

#: Seconds each request of a push may take (`push --timeout`).
PUSH_TIMEOUT = 60.0


@dataclass
class PushReport:
    """What `push` did: the graph store, the graphs it sent, and their triples."""

    graph_store: str  # without credentials
    graphs: list[str] = field(default_factory=list)  # named graph IRIs sent by this push, in order
    triples: int = 0
    replaced: int = 0  # of them, graphs that existed before
    resumed: int = 0  # graphs an interrupted push had already sent, not sent again
    note: str = ""  # what an earlier, interrupted push had left, when it concerned another graph


def push(
    dataset_or_path: Dataset | Path | str,
    graph_store: str,
    *,
    timeout: float | None = PUSH_TIMEOUT,
    progress=None,
    journal: Path | str | None = None,
) -> PushReport:
    """Return the report of uploading every named graph (one per article) to `graph_store`.

    Each graph is sent with an HTTP PUT of Turtle to `graph_store?graph=IRI`, which
    replaces that graph on the server: pushing again changes nothing. Graphs go in IRI
    order (a graph.trig that is not graphbuilder's: in the order of the file). Before
    each PUT the graph's current content is read, so when a PUT fails the graphs this
    push sent are put back as they were (or deleted if they were new); the EndpointError
    says so, or names the graphs it could not restore.

    A graph on disk (an output folder, its store, a .trig or .nq file) is read one named
    graph at a time (rdf/named.py), and what the server held before is kept in a
    temporary file, not in memory: a push of millions of triples takes the memory of one
    article's graph. A Dataset is sent from memory.

    A push can still be killed half-way, so it keeps a journal (journal.py): by default
    `.push-journal.json` beside a graph given as a path, or the file `journal` names. A
    push that finds its own unfinished entry (same graph store, same graph.trig) sends
    only the graphs still missing. `timeout` bounds each request in seconds (None: no
    limit). `progress(iri)` is called after each graph is sent.
    """
    check_url(graph_store, "--graph-store")
    if isinstance(dataset_or_path, Dataset):
        return _push(_InMemory(dataset_or_path), None, graph_store, timeout, progress, journal)
    path = Path(dataset_or_path)
    source = streamed_source(path)
    journal = journal if journal is not None else journal_path(path)
    if source is None:  # a Turtle or JSON-LD file: read whole, as other commands read it
        return _push(
            _InMemory(load_dataset(path)), fingerprint(path), graph_store, timeout, progress, journal
        )
    with named_graphs(source) as graphs:
        return _push(graphs, fingerprint(path), graph_store, timeout, progress, journal)


class _InMemory:
    """The named graphs of an rdflib Dataset, as rdf.named.NamedGraphs hands them out."""

    def __init__(self, ds: Dataset) -> None:
        default_id = ds.default_graph.identifier
        self.graphs = [
            g
            for g in sorted(ds.graphs(), key=lambda g: str(g.identifier))
            if g.identifier != default_id and len(g) > 0
        ]
        self.iris = [str(g.identifier) for g in self.graphs]

    def turtle(self, start: int = 0):
        for graph in self.graphs[start:]:
            yield str(graph.identifier), _turtle(graph), len(graph)


def _push(graphs, graph_id: str | None, graph_store: str, timeout, progress, journal) -> PushReport:
    iris = graphs.iris
    if not iris:
        raise GraphNotFoundError(
            "the graph has no named graphs to push (build it with `graphbuilder build` first)"
        )
    target = public_url(graph_store)
    report = PushReport(graph_store=target)
    record = PushJournal(Path(journal)) if journal is not None else None
    earlier = record.pushes.get(target) if record is not None else None
    start = _resume_point(earlier, graph_id, iris, report)
    if record is not None:
        record.begin(target, graph_id, len(iris), start, iris[start - 1] if start else None)
    with _Previous() as before:  # (IRI, previous N-Triples or None) of each graph sent
        for index, (iri, body, size) in enumerate(graphs.turtle(start), start):
            url = _with_graph(graph_store, iri)
            try:
                status, previous, _ = request(
                    "GET", url, timeout=timeout, allow=(404,), headers={"Accept": "application/n-triples"}
                )
                request(
                    "PUT",
                    url,
                    body=body,
                    timeout=timeout,
                    headers={"Content-Type": "text/turtle; charset=utf-8"},
                )
            except EndpointError as exc:
                raise endpoint_error(
                    f"{exc}; {_fail(record, target, earlier, start, graph_store, before, timeout)}"
                )
            before.append(iri, previous if status != 404 else None)
            if record is not None:
                record.sent(target, index + 1, iri)
            report.graphs.append(iri)
            report.triples += size
            report.replaced += status != 404
            if progress is not None:
                progress(iri)
    if record is not None:
        record.finish(target)
    return report


class _Previous:
    """What the server held in each graph a push replaced, kept in a temporary file."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, int, int]] = []  # (IRI, offset, length); length -1: none
        self.file = tempfile.TemporaryFile()

    def __enter__(self) -> _Previous:
        return self

    def __exit__(self, *exc_info) -> None:
        self.file.close()

    def __bool__(self) -> bool:
        return bool(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def append(self, iri: str, previous: bytes | None) -> None:
        offset = self.file.seek(0, os.SEEK_END)
        if previous is not None:
            self.file.write(previous)
        self.entries.append((iri, offset, -1 if previous is None else len(previous)))

    def __reversed__(self):
        for iri, offset, length in reversed(self.entries):
            if length < 0:
                yield iri, None
            else:
                self.file.seek(offset)
                yield iri, self.file.read(length)


def _resume_point(earlier: Progress | None, graph_id: str | None, iris: list[str], report: PushReport) -> int:
    """Return how many graphs (in IRI order) an unfinished push of this very graph already sent."""
    if earlier is None:
        return 0
    same = (
        graph_id is not None
        and earlier.graph == graph_id
        and earlier.total == len(iris)
        and 0 <= earlier.sent <= len(iris)
        and (earlier.sent == 0 or iris[earlier.sent - 1] == earlier.last_sent)
        and not earlier.also_sent
    )
    if same:
        report.resumed = earlier.sent
        return earlier.sent
    version = "" if earlier.graph == graph_id else " of another version of the graph"
    report.note = (
        f"an unfinished push{version} (started {earlier.started}) had left {report.graph_store} "
        f"thus: {earlier.describe()}; every graph was sent again"
    )
    return 0


def _fail(
    record: PushJournal | None,
    target: str,
    earlier: Progress | None,
    start: int,
    graph_store: str,
    pushed: _Previous,
    timeout: float | None,
) -> str:
    """Put back what this push sent, record what the store now holds; return that, for the user.

    `start` graphs were on the store before this push (it resumed `earlier`)."""
    undone, failed = _undo(graph_store, pushed, timeout)
    if record is None:
        return undone
    if not failed:  # the store is as this push found it
        record.put_back(target, earlier)
        if earlier is None:
            return undone
        held = earlier.describe()
    else:
        record.sent(target, start, earlier.last_sent if start and earlier else None, failed)
        held = record.pushes[target].describe()
    return f"{undone}; {held} (recorded in {record.path}: run the same push again to finish it)"


def _turtle(graph: Graph) -> bytes:
    single = Graph()
    bind_prefixes(single)
    for triple in graph:
        single.add(triple)
    return single.serialize(format="turtle").encode("utf-8")


def _undo(graph_store: str, pushed: _Previous, timeout: float | None) -> tuple[str, list[str]]:
    """Put back the graphs `pushed` replaced; return what the server holds now, and the IRIs
    that could not be put back."""
    if not pushed:
        return "nothing was changed on the server by this push", []
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
        ), sorted(failed)
    return f"the {len(pushed)} graphs already pushed were put back as they were", []
