"""SPARQL over a built graph: read-only execution, W3C result formats, saved queries.

Queries run on an rdflib Dataset whose default graph is the union of the articles'
named graphs (or, for a graph built with `--store oxigraph`, on Oxigraph over the same
quads, see rdf/oxigraph.py), so plain patterns see everything and `GRAPH ?g { ... }` tells which
article said it. Only queries run: updates, FROM clauses and SERVICE calls are
refused, because graphbuilder never changes the graph and never fetches anything.
Every query has a time limit: rdflib's evaluation is stopped by a watchdog that raises
in the evaluating thread, Oxigraph's runs in a child process that is killed (native.py).
"""

from __future__ import annotations

import ctypes
import re
import threading

from rdflib import Graph, Literal
from rdflib.term import Identifier

from ..errors import QueryError
from ..rdf.mapping import INSTANCE_KINDS, bind_prefixes
from .native import DEFAULT_TIMEOUT, ran_too_long, run_native
from .results import (  # noqa: F401  (re-exported: public API of this module)
    FORMATS,
    GRAPH_FORMATS,
    QueryResult,
    check_format,
    format_result,
    graph_result,
    in_query_order,
    plain_rows,
    python_value,
)
from .saved import (  # noqa: F401  (re-exported: public API of this module)
    QueryParam,
    SavedQuery,
    bind_page,
    list_saved_queries,
    read_query,
    resolve_actor_names,
    resolve_query,
)

_UPDATE_START = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)


# -- running ------------------------------------------------------------------------------


def run_query(
    ds: Graph,
    sparql: str,
    bindings: dict[str, object] | None = None,
    *,
    source: str = "query",
    timeout: float | None = DEFAULT_TIMEOUT,
) -> QueryResult:
    """Return the result of the read-only SPARQL query `sparql` on `ds`.

    A Dataset opened from an Oxigraph store (rdf.oxigraph.open_dataset) is queried by
    Oxigraph itself, after the same checks; any other graph by rdflib. `bindings`
    pre-bind variables (values become rdflib terms: pass URIRef for an IRI; a str is a
    plain literal). A binding replaces the query's own single-variable
    `VALUES ?name { ... }` default. A query still running after `timeout` seconds (None
    or 0: no limit) is stopped. Raises QueryError for updates, syntax errors (with line
    and column, `source` naming the query), FROM and SERVICE, failures and time-outs.
    """
    from rdflib.plugins.sparql.algebra import translateQuery

    bindings = resolve_actor_names(
        dict(bindings or {}), source, lambda names: run_query(ds, names, source=source, timeout=timeout)
    )
    sparql, bindings = bind_page(sparql, bindings, source)
    for name in bindings:
        # Keep the clause's line breaks, so syntax errors still point at the right line.
        sparql = re.sub(
            r"VALUES\s+\?" + re.escape(name) + r"\s*\{[^{}]*\}",
            lambda match: "\n" * match.group(0).count("\n"),
            sparql,
            flags=re.IGNORECASE,
        )
    parsed = parse_query(sparql, source)
    namespaces = _namespaces(ds)
    try:
        prepared = translateQuery(parsed, initNs=namespaces)
    except Exception as exc:  # unknown prefixes and other translation errors
        raise QueryError(f"cannot run the query: {exc}", path=source) from None
    _refuse_remote(prepared.algebra, source)
    native = getattr(ds.store, "oxigraph", None)
    if native is not None:
        _check_regexes(prepared.algebra, source)  # Oxigraph would match nothing instead
    if native is not None:
        native_result = run_native(
            native,
            sparql,
            prepared.algebra,
            {k: _term(v) for k, v in bindings.items()},
            namespaces,
            source,
            timeout=timeout,
        )
        return in_query_order(native_result, sparql)
    try:
        # rdflib evaluates lazily: errors inside the query (a bad regex, say) surface only
        # while the rows are read, so they are read here, under the time limit.
        initial = {k: _term(v) for k, v in bindings.items()}
        answered = _within(
            timeout, source, lambda: _result(ds.query(prepared, initBindings=initial), namespaces)
        )
        return in_query_order(answered, sparql)
    except QueryError:
        raise
    except re.error as exc:
        raise QueryError(f"the query failed: bad regular expression in regex(): {exc}", path=source) from None
    except Exception as exc:
        raise QueryError(f"the query failed: {exc}", path=source) from None


class _OutOfTime(BaseException):
    """Raised inside a query that ran out of time. A BaseException, so that no `except
    Exception` in the evaluating code swallows it."""


def _within(timeout: float | None, source: str, evaluate):
    """Return `evaluate()`, stopped with QueryError if it runs longer than `timeout` seconds.

    rdflib evaluates in pure Python, so a watchdog thread raises _OutOfTime in this thread
    (CPython's PyThreadState_SetAsyncExc), and raises it again every 0.1 s should some
    code swallow it, until the evaluation ends. Under a lock with the watchdog, the
    evaluation marks itself finished and withdraws an exception not yet delivered.
    """
    if not timeout:
        return evaluate()
    thread = threading.get_ident()
    lock, finished, fired = threading.Lock(), threading.Event(), threading.Event()

    def watch() -> None:
        wait = float(timeout)
        while not finished.wait(wait):
            with lock:
                if finished.is_set():
                    return
                fired.set()
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(thread), ctypes.py_object(_OutOfTime)
                )
            wait = 0.1

    watchdog = threading.Thread(target=watch, name="graphbuilder-query-timeout", daemon=True)
    watchdog.start()
    try:
        try:
            result = evaluate()
        finally:
            with lock:
                finished.set()
                if fired.is_set():
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread), None)
            watchdog.join()  # it wakes at once: nothing of the query is left behind
    except _OutOfTime:
        raise ran_too_long(timeout, source) from None
    if fired.is_set():  # it ran out of time, but something swallowed the exception
        raise ran_too_long(timeout, source)
    return result


def query_kind(sparql: str, source: str = "query") -> str:
    """Return SELECT, ASK, CONSTRUCT or DESCRIBE: what the query `sparql` is (parse_query's errors)."""
    return _KINDS[parse_query(sparql, source)[1].name]


_KINDS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


def parse_query(sparql: str, source: str):
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    if not _strip_comments(sparql).strip():
        raise QueryError("the query is empty: give a SELECT, ASK, CONSTRUCT or DESCRIBE query", path=source)
    try:
        return parseQuery(sparql)
    except ParseException as exc:
        query_error = exc
    try:
        update = parseUpdate(sparql)
    except ParseException:
        update = None
    if update is not None:
        if not update.request:  # only PREFIX / BASE declarations
            raise QueryError(
                "the query is empty: it declares prefixes but has no SELECT, ASK, CONSTRUCT or DESCRIBE",
                path=source,
            ) from None
        operation = update.request[0].name
    else:
        match = _UPDATE_START.match(_strip_comments(sparql))
        operation = match.group(1).upper() if match else None
    if operation:
        raise QueryError(
            f"graphbuilder query is read-only: this is a SPARQL update "
            f"({operation}); use SELECT, ASK, CONSTRUCT or DESCRIBE",
            path=source,
        ) from None
    found = f", near {query_error.line.strip()!r}" if query_error.line.strip() else ""
    raise QueryError(
        f"SPARQL syntax error: {query_error.msg}{found}",
        path=source,
        line=query_error.lineno,
        column=query_error.col,
    ) from None


def _strip_comments(sparql: str) -> str:
    return "\n".join(line for line in sparql.splitlines() if not line.lstrip().startswith("#"))


#: XPath regex flags (the ones SPARQL's REGEX takes) as Python's, as rdflib maps them.
_REGEX_FLAGS = {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE, "x": re.VERBOSE}


def _check_regexes(algebra: object, source: str) -> None:
    """Raise QueryError for a REGEX whose pattern (given as text) is not a regular expression.

    rdflib reports one; Oxigraph treats it as false and answers with no rows. Checking the
    patterns first makes both engines answer a broken pattern alike, with this error.
    """
    stack = [algebra]
    while stack:
        node = stack.pop()
        pattern = node.get("pattern") if isinstance(node, dict) else None
        if getattr(node, "name", None) == "Builtin_REGEX" and isinstance(pattern, Literal):
            assert isinstance(node, dict)
            flags = 0
            for flag in str(node.get("flags") or ""):
                flags |= _REGEX_FLAGS.get(flag, 0)
            try:
                re.compile(str(pattern), flags)
            except re.error as exc:
                raise QueryError(
                    f"the query failed: bad regular expression in regex(): {exc}", path=source
                ) from None
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)


def _refuse_remote(algebra: object, source: str) -> None:
    """Raise QueryError when the query would load or call anything outside the graph."""
    if getattr(algebra, "datasetClause", None):
        raise QueryError(
            "FROM / FROM NAMED are not supported (they load graphs from the "
            "web); use GRAPH <graph-iri> { ... } to read one article's graph",
            path=source,
        )
    stack = [algebra]
    while stack:
        node = stack.pop()
        if getattr(node, "name", None) == "ServiceGraphPattern":
            raise QueryError(
                "SERVICE is not supported: graphbuilder queries the local graph only", path=source
            )
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)):
            stack.extend(node)


def find_service(tree: object) -> str | None:
    """Return the endpoint of the first SERVICE call in a parsed query (parse_query), or None."""
    from pyparsing import ParseResults

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict) and getattr(node, "name", None) == "ServiceGraphPattern":
            term = node.get("term")
            return str(term.n3()) if term is not None and hasattr(term, "n3") else str(term)
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple, ParseResults)):
            stack.extend(node)
    return None


def _namespaces(ds: Graph) -> dict[str, str]:
    """Return prefix -> namespace: the project's standard prefixes, then the graph's."""
    standard = Graph()
    bind_prefixes(standard)
    found = {prefix: str(ns) for prefix, ns in standard.namespaces() if prefix}
    for prefix, ns in ds.namespaces():
        if prefix and (prefix not in found or prefix in ("inst", *INSTANCE_KINDS)):
            found[prefix] = str(ns)
    return found


def _term(value: object) -> Identifier:
    if isinstance(value, Identifier):
        return value
    return Literal(value)


def _result(result, namespaces: dict[str, str]) -> QueryResult:
    if result.type == "ASK":
        return QueryResult(kind="ASK", boolean=bool(result.askAnswer), namespaces=namespaces)
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return graph_result(result.type, result.graph, namespaces)
    variables = [str(v) for v in result.vars]
    rows = [tuple(row[v] if v in row.labels else None for v in variables) for row in result]
    return QueryResult(kind="SELECT", variables=variables, rows=rows, namespaces=namespaces)
