"""What a SPARQL query gives, and the W3C result formats it is written in.

`QueryResult` is one engine-neutral shape for the answers of rdflib and of Oxigraph
(sparql/native.py): SELECT rows of rdflib terms, an ASK boolean, or a CONSTRUCT or
DESCRIBE graph. `format_result` writes it as a table, CSV, TSV or SPARQL JSON results.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import QueryError
from ..options import GraphFormat, ResultFormat
from ..rdf.terms import shorten

FORMATS = ResultFormat.values()
# CONSTRUCT/DESCRIBE only: rdflib's serializer name for each
GRAPH_FORMATS = {GraphFormat.turtle: "turtle", GraphFormat.ttl: "turtle", GraphFormat.nt: "nt"}


@dataclass
class QueryResult:
    """What a query gave: its kind, variables and rows of rdflib terms (None when unbound).

    SELECT fills `variables` and `rows`; ASK sets `boolean`; CONSTRUCT and DESCRIBE set
    `graph` and list its triples as rows of subject, predicate, object.
    """

    kind: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    namespaces: dict[str, str] = field(default_factory=dict)  # for shortening IRIs


def graph_result(kind: str, triples, namespaces: dict[str, str]) -> QueryResult:
    """Return the QueryResult of a CONSTRUCT or DESCRIBE query that gave `triples`."""
    graph = Graph()
    for prefix, ns in namespaces.items():
        graph.bind(prefix, ns, override=True)
    for triple in sorted(triples):
        graph.add(triple)
    return QueryResult(
        kind=kind,
        variables=["subject", "predicate", "object"],
        rows=[tuple(t) for t in sorted(graph)],
        graph=graph,
        namespaces=namespaces,
    )


def python_value(term: Node | None) -> object:
    """Return a plain Python value for an RDF term.

    IRIs and blank nodes become str; typed literals their Python value (xsd:date ->
    datetime.date, xsd:integer -> int, xsd:decimal -> float, xsd:boolean -> bool);
    other literals their text; unbound -> None.
    """
    if term is None:
        return None
    if not isinstance(term, Literal):
        return str(term)
    value = term.toPython()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Literal):  # a datatype rdflib cannot map
        return str(value)
    return value


# -- result formats -----------------------------------------------------------------------


def format_result(result: QueryResult, fmt: ResultFormat | GraphFormat | str = ResultFormat.table) -> str:
    """Return `result` as text: table (aligned columns), or the W3C csv, tsv or json format.

    CONSTRUCT and DESCRIBE results are rows of subject/predicate/object in these formats,
    and can also be written as RDF with fmt "turtle" or "nt". ASK gives true or false
    (json: {"head": {}, "boolean": ...}).
    """
    if fmt in GraphFormat.values():
        if result.graph is None:
            raise QueryError(f"--format {fmt} is only for CONSTRUCT and DESCRIBE queries")
        return result.graph.serialize(format=GRAPH_FORMATS[GraphFormat(fmt)])
    fmt = ResultFormat.of(fmt, "result format", QueryError)
    if result.kind == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.boolean)}, indent=2) + "\n"
        return ("true" if result.boolean else "false") + ("\r\n" if fmt == "csv" else "\n")
    return {"table": _table, "csv": _csv, "tsv": _tsv, "json": _json}[fmt](result)


def _table(result: QueryResult) -> str:
    def cell(term: Node | None) -> str:
        if term is None:
            return ""
        if isinstance(term, URIRef):
            return shorten(term, result.namespaces)
        if isinstance(term, BNode):
            return f"_:{term}"
        return " ".join(str(term).split())  # one line per row, whatever the text holds

    header = list(result.variables)
    body = [[cell(term) for term in row] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in body]
    return "\n".join(lines) + "\n"


def _csv(result: QueryResult) -> str:
    # SPARQL 1.1 CSV: bare IRIs, lexical forms, _:b blank nodes, CRLF (RFC 4180).
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row])
    return out.getvalue()


def _tsv_term(term: Node | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    # N-Triples form: "text", "text"@lang or "text"^^<datatype>; a tab inside is \t.
    return term.n3().replace("\t", "\\t")


def _tsv(result: QueryResult) -> str:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    value: dict[str, str] = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype:
            value["datatype"] = str(term.datatype)
    return value


def _json(result: QueryResult) -> str:
    bindings = [
        {v: _json_term(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows
    ]
    document = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
