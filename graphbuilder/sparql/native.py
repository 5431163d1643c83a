"""SPARQL answered by an embedded Oxigraph store, and values bound into query text.

`run_native` runs a query that sparql/query.py has already checked on the store's own
engine and gives the same `QueryResult` rdflib would; `bind_inline` writes bindings
Oxigraph cannot substitute (variables not projected) as a VALUES clause.

Oxigraph evaluates a query in Rust without ever looking back at Python, so nothing in
this process can stop it. A query with a time limit therefore runs in a forked child
that inherits the open store, sends its answer back serialized by Oxigraph, and is
killed when the limit passes.
"""

from __future__ import annotations

import math
import os
import re
import selectors
import signal
import time
import warnings
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from ..errors import QueryError
from ..rdf.terms import memoized, to_oxigraph, to_rdflib
from .results import QueryResult, graph_result

if TYPE_CHECKING:
    import pyoxigraph

#: Seconds a query may run before it is stopped (`query --timeout`).
DEFAULT_TIMEOUT = 30.0

_KINDS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


def ran_too_long(timeout: float, source: str) -> QueryError:
    """Return the error of a query stopped after `timeout` seconds."""
    return QueryError(
        f"the query ran longer than {timeout:g} s and was stopped: narrow it (a LIMIT, more "
        "selective patterns) or allow more time (--timeout SECONDS, 0 for no limit)",
        path=source,
    )


def run_native(
    native: pyoxigraph.Store,
    sparql: str,
    algebra,
    bindings: dict,
    namespaces: dict[str, str],
    source: str,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> QueryResult:
    """Return the QueryResult of a checked read-only query, answered by Oxigraph.

    `algebra` is rdflib's translation of the same text (query.run_query made it to check
    the query): it gives the kind and the projected variables in rdflib's order, so
    both engines' results print alike. `bindings` (rdflib terms) are substituted, never
    pasted into the text. With a `timeout` (seconds) the query runs in a child process
    that is killed when it runs longer (where the system has fork; elsewhere it runs
    here, without a limit).
    """
    import pyoxigraph as ox

    kind = _KINDS.get(getattr(algebra, "name", ""), "SELECT")
    # Oxigraph substitutes only projected variables; the others are bound by an inline
    # VALUES at the head of the WHERE group, each value written as an escaped RDF term.
    projected = {str(v) for v in algebra.get("PV", [])}
    substitutions = {
        ox.Variable(name): to_oxigraph(term) for name, term in bindings.items() if name in projected
    }
    inline = {name: term for name, term in bindings.items() if name not in projected}
    if inline:
        sparql = bind_inline(sparql, inline, kind, source)
    try:
        if timeout and hasattr(os, "fork"):
            result = _in_child(native, sparql, namespaces, substitutions, timeout, source)
        else:
            result = native.query(sparql, prefixes=namespaces, substitutions=substitutions)
        if isinstance(result, ox.QueryBoolean):  # ASK
            return QueryResult(kind="ASK", boolean=bool(result), namespaces=namespaces)
        if isinstance(result, (ox.QueryTriples, _Triples)):  # CONSTRUCT, DESCRIBE
            return graph_result(
                kind,
                [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in result],
                namespaces,
            )
        variables = [str(v) for v in algebra.get("PV", [])] or [v.value for v in result.variables]
        term = memoized(to_rdflib)  # labels and relation names recur on every row
        rows = [tuple(term(_value(solution, v)) for v in variables) for solution in result]
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error (Oxigraph): {exc}", path=source) from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"the query failed: {exc}", path=source) from None
    return QueryResult(kind="SELECT", variables=variables, rows=rows, namespaces=namespaces)


class _Triples(list):
    """The triples of a CONSTRUCT or DESCRIBE answered by a child process."""


def _in_child(native, sparql: str, namespaces: dict, substitutions: dict, timeout: float, source: str):
    """Return Oxigraph's answer to `sparql`, computed in a forked child killed after `timeout` s.

    The child writes one tag byte and Oxigraph's own serialization (A: ASK "1"/"0", S:
    SPARQL JSON results, T: N-Triples, E: an error's type and message) to a pipe, and
    leaves with os._exit, so nothing of the parent (the store, atexit hooks) is closed
    twice. It also dies on its own at the limit (SIGALRM), should this process die first.
    """
    import pyoxigraph as ox

    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns on fork() beside other threads: here RocksDB's idle pool
        # threads. The child only reads the store in Rust, then leaves with os._exit.
        warnings.filterwarnings("ignore", message=".*fork", category=DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child
        try:
            os.close(read_end)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
            signal.alarm(math.ceil(timeout) + 1)
            try:
                answer = native.query(sparql, prefixes=namespaces, substitutions=substitutions)
                if isinstance(answer, ox.QueryBoolean):
                    payload = b"A1" if answer else b"A0"
                elif isinstance(answer, ox.QueryTriples):
                    payload = b"T" + (answer.serialize(format=ox.RdfFormat.N_TRIPLES) or b"")
                else:
                    payload = b"S" + (answer.serialize(format=ox.QueryResultsFormat.JSON) or b"")
            except BaseException as exc:
                payload = b"E" + f"{type(exc).__name__}\n{exc}".encode("utf-8", "replace")
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        finally:
            os._exit(0)
    os.close(write_end)
    chunks: list[bytes] = []
    waiting = selectors.DefaultSelector()
    try:
        waiting.register(read_end, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not waiting.select(left):
                raise ran_too_long(timeout, source)
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        waiting.close()
        os.close(read_end)
        try:
            os.kill(pid, signal.SIGKILL)  # gone already after an answer; stopped here otherwise
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    payload = b"".join(chunks)
    tag, body = payload[:1], payload[1:]
    if tag == b"A":
        return ox.parse_query_results(
            b'{"head":{},"boolean":%s}' % (b"true" if body == b"1" else b"false"),
            format=ox.QueryResultsFormat.JSON,
        )
    if tag == b"S":
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if tag == b"T":
        return _Triples(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
    if tag == b"E":
        name, _, message = body.decode("utf-8", "replace").partition("\n")
        if name == "SyntaxError":
            raise SyntaxError(message)
        raise RuntimeError(message)
    raise RuntimeError("the Oxigraph query process ended without an answer")


def _value(solution, variable: str):
    try:
        return solution[variable]
    except (KeyError, IndexError):
        return None


# Comments, long and short strings, IRIs, and braces: enough to find the query's groups.
_TOKENS = re.compile(
    r"#[^\n]*"
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>'
    r"|[{}]"
)


def bind_inline(sparql: str, bindings: dict, kind: str, source: str) -> str:
    """Return `sparql` with `VALUES ?name { term }` put at the head of its WHERE group.

    The group is found by scanning past comments, strings and IRIs; a CONSTRUCT's
    template is the first group, its WHERE the second. Nothing is added on a new line, so
    error positions stay where they were.
    """
    opens, depth = [], 0
    for match in _TOKENS.finditer(sparql):
        token = match.group(0)
        if token == "{":
            if depth == 0:
                opens.append(match.end())
            depth += 1
        elif token == "}":
            depth -= 1
    if not opens:
        raise QueryError("cannot bind variables: the query has no WHERE group", path=source)
    at = opens[1 if kind == "CONSTRUCT" and len(opens) > 1 else 0]
    values = " ".join(f"VALUES ?{name} {{ {_sparql_term(term, source)} }}" for name, term in bindings.items())
    return f"{sparql[:at]} {values} {sparql[at:]}"


def _sparql_term(term, source: str) -> str:
    """Return an RDF term written as SPARQL text, escaped so that it can only be that term."""
    if isinstance(term, URIRef):
        try:
            return term.n3()  # rdflib refuses IRIs with <>"{}|^` or spaces
        except Exception:  # rdflib raises a bare Exception here
            raise QueryError(f"cannot bind {str(term)!r}: not a valid IRI", path=source) from None
    if isinstance(term, Literal):
        text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype is not None:
            return f'"{text}"^^{_sparql_term(URIRef(term.datatype), source)}'
        return f'"{text}"'
    raise QueryError(f"cannot bind {term!r}: give a literal or an IRI", path=source)
