"""SPARQL answered by an embedded Oxigraph store, and values bound into query text.

`run_native` runs a query that sparql/query.py has already checked on the store's own
engine and gives the same `QueryResult` rdflib would; `bind_inline` writes bindings
Oxigraph cannot substitute (variables not projected) as a VALUES clause.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rdflib import Literal, URIRef

from ..errors import QueryError
from ..rdf.terms import memoized, to_oxigraph, to_rdflib
from .results import QueryResult, graph_result

if TYPE_CHECKING:
    import pyoxigraph

_KINDS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


def run_native(
    native: pyoxigraph.Store, sparql: str, algebra, bindings: dict, namespaces: dict[str, str], source: str
) -> QueryResult:
    """Return the QueryResult of a checked read-only query, answered by Oxigraph.

    `algebra` is rdflib's translation of the same text (query.run_query made it to check
    the query): it gives the kind and the projected variables in rdflib's order, so
    both engines' results print alike. `bindings` (rdflib terms) are substituted, never
    pasted into the text.
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
        result = native.query(sparql, prefixes=namespaces, substitutions=substitutions)
        if isinstance(result, ox.QueryBoolean):  # ASK
            return QueryResult(kind="ASK", boolean=bool(result), namespaces=namespaces)
        if isinstance(result, ox.QueryTriples):  # CONSTRUCT, DESCRIBE
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
