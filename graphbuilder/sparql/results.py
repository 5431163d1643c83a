"""What a SPARQL query gives, and the formats it is written in.

`QueryResult` is one engine-neutral shape for the answers of rdflib, of Oxigraph
(sparql/native.py) and of a remote endpoint (sparql/remote.py): SELECT rows of rdflib
terms, an ASK boolean, or a CONSTRUCT or DESCRIBE graph. `format_result` writes it:

- SELECT and ASK: the W3C formats json (SPARQL 1.1 Query Results JSON), csv and tsv
  (SPARQL 1.1 Query Results CSV and TSV) and xml (SPARQL Query Results XML); a table for
  people (sparql/table.py); jsonl, one JSON object of plain values per row.
- CONSTRUCT and DESCRIBE: RDF, as turtle, ntriples, nquads, trig, jsonld or xml
  (RDF/XML); the row formats (table, json, jsonl, csv, tsv) list its triples as rows of
  subject, predicate, object.

So `xml` is the XML of what the query gives: SPARQL results for SELECT and ASK, RDF/XML
for a graph. An RDF format asked of a SELECT or ASK is refused (`check_format`).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import UsageError
from ..options import GraphFormat, ResultFormat
from ..rdf.terms import shorten
from .graph_formats import GRAPH_FORMATS, check_xml_text, write_graph
from .table import clean_cell, render_table

#: The formats of SELECT and ASK results (and of a graph's triples as rows, but for xml).
FORMATS = ("table", "json", "jsonl", "csv", "tsv", "xml")
#: Other names still accepted: the ones of earlier versions.
ALIASES = {"ttl": "turtle", "nt": "ntriples"}
_GRAPH_KINDS = ("CONSTRUCT", "DESCRIBE")


@dataclass
class QueryResult:
    """What a query gave: its kind, variables and rows of rdflib terms (None when unbound).

    SELECT fills `variables` and `rows`; ASK sets `boolean`; CONSTRUCT and DESCRIBE set
    `graph` and list its triples, sorted, as rows of subject, predicate, object.
    """

    kind: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    namespaces: dict[str, str] = field(default_factory=dict)  # for shortening IRIs

    def serialize(self, fmt: ResultFormat | GraphFormat | str = "table", *, width: int | None = None) -> str:
        """Return this result written in `fmt` (see `format_result`)."""
        return format_result(self, fmt, width=width)


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


_SELECT_ALL = re.compile(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?\*", re.IGNORECASE)
_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def in_query_order(result: QueryResult, sparql: str) -> QueryResult:
    """Return a `SELECT *` result with its columns in the order their variables first
    appear in the query text (engines give them in an order that changes from run to run).
    Other results are returned as they are."""
    if result.kind != "SELECT" or not _SELECT_ALL.search(sparql):
        return result
    first = {name: i for i, name in reversed(list(enumerate(_VARIABLE.findall(sparql))))}
    order = sorted(
        range(len(result.variables)),
        key=lambda i: (first.get(result.variables[i], len(first)), result.variables[i]),
    )
    if order == list(range(len(result.variables))):
        return result
    return QueryResult(
        kind=result.kind,
        variables=[result.variables[i] for i in order],
        rows=[tuple(row[i] for i in order) for row in result.rows],
        namespaces=result.namespaces,
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


def plain_rows(result: QueryResult) -> list[dict[str, object]]:
    """Return a result's rows as dicts of `python_value`s, one key per variable (None: unbound).

    ASK gives ``[{"boolean": ...}]``; CONSTRUCT and DESCRIBE subject/predicate/object rows.
    """
    if result.kind == "ASK":
        return [{"boolean": bool(result.boolean)}]
    return [{v: python_value(t) for v, t in zip(result.variables, row)} for row in result.rows]


# -- choosing a format ----------------------------------------------------------------------


def check_format(kind: str, fmt: ResultFormat | GraphFormat | str) -> str:
    """Return the format `fmt` names (ttl and nt: turtle and ntriples) for a `kind` query.

    Raises UsageError for an unknown name, and for an RDF format asked of a SELECT or ASK
    query, whose answer is a table or a boolean, not a graph.
    """
    name = ALIASES.get(str(fmt), str(fmt))
    if name not in FORMATS and name not in GRAPH_FORMATS:
        known = ", ".join(ResultFormat.values())
        raise UsageError(f"unknown result format {str(fmt)!r} (expected one of {known})")
    if kind not in _GRAPH_KINDS and name not in FORMATS:
        gives = "true or false" if kind == "ASK" else "rows"
        raise UsageError(
            f"format {fmt} writes an RDF graph, for CONSTRUCT and DESCRIBE queries; this {kind} "
            f"query gives {gives}: use {', '.join(FORMATS[:-1])} or {FORMATS[-1]}"
        )
    return name


def format_result(
    result: QueryResult, fmt: ResultFormat | GraphFormat | str = "table", *, width: int | None = None
) -> str:
    """Return `result` as text in `fmt` (see the module's docstring for what each gives).

    `width` (table only) is the terminal's: the widest columns are cut with an ellipsis
    until every line fits (None: nothing is cut). ASK gives true or false: in json and xml
    as the W3C formats define it, in csv and tsv (which define no boolean) one line
    `true` or `false` as Oxigraph writes and reads it, in jsonl {"boolean": true}.
    """
    name = check_format(result.kind, fmt)
    if result.kind in _GRAPH_KINDS and name in GRAPH_FORMATS:
        return write_graph([tuple(t) for t in result.rows], result.namespaces, name)
    if result.kind == "ASK":
        return _boolean(bool(result.boolean), name)
    if name == "table":
        return _table(result, width)
    return {"csv": _csv, "tsv": _tsv, "json": _json, "jsonl": _jsonl, "xml": _xml}[name](result)


def _boolean(answer: bool, name: str) -> str:
    text = "true" if answer else "false"
    if name == "json":
        return json.dumps({"head": {}, "boolean": answer}, indent=2) + "\n"
    if name == "jsonl":
        return json.dumps({"boolean": answer}) + "\n"
    if name == "xml":
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sparql xmlns="{_RESULTS_NS}">']
        lines += ["  <head/>", f"  <boolean>{text}</boolean>", "</sparql>"]
        return "\n".join(lines) + "\n"
    return text + ("\r\n" if name == "csv" else "\n")


# -- for people -------------------------------------------------------------------------------


def _table(result: QueryResult, width: int | None) -> str:
    def cell(term: Node | None) -> str:
        if term is None:
            return ""
        if isinstance(term, URIRef):
            return clean_cell(shorten(term, result.namespaces))
        return clean_cell(f"_:{term}" if isinstance(term, BNode) else str(term))

    body = [[cell(term) for term in row] for row in result.rows]
    return render_table([clean_cell(v) for v in result.variables], body, width)


def _jsonl(result: QueryResult) -> str:
    # kg.query()'s rows, one JSON object per line; values JSON has no type for (dates,
    # times, durations, binary) and the floats it cannot write (NaN, INF) are given as
    # the literal's own text, which for a date is its ISO 8601 form.
    lines = []
    for row in result.rows:
        values = {v: _json_value(term) for v, term in zip(result.variables, row)}
        lines.append(json.dumps(values, ensure_ascii=False) + "\n")
    return "".join(lines)


def _json_value(term: Node | None) -> object:
    value = python_value(term)
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    return str(term)


# -- SPARQL 1.1 Query Results CSV and TSV ---------------------------------------------------


def _csv(result: QueryResult) -> str:
    # Header without "?", each term as its string (IRIs bare, literals' lexical forms,
    # blank nodes _:label), unbound empty; CRLF line ends; fields holding " , CR or LF
    # quoted, " doubled (RFC 4180, which Python's csv writer follows).
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in row])
    return out.getvalue()


def _tsv(result: QueryResult) -> str:
    # Header "?name"; each term in Turtle syntax on one line: LF line ends.
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(tsv_term(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


_XSD = "http://www.w3.org/2001/XMLSchema#"
#: Turtle's abbreviated number forms, which TSV should use (only where the lexical form
#: is exactly one: "1.0E0"^^xsd:double is 1.0E0, but "INF" and "1"^^xsd:decimal are not).
_TURTLE_NUMBERS = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
}
_STRING_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def tsv_term(term: Node | None) -> str:
    """Return an RDF term as the SPARQL TSV results format writes it ("" when unbound).

    Turtle syntax on one line: <iri>, "text" with \\t \\n \\r \\" \\\\ escaped (never the
    triple-quoted forms), @lang or ^^<datatype>, numbers abbreviated, _:label. Other
    control characters stay as they are, as Turtle allows: rdflib's TSV reader knows no
    \\u escapes in strings.
    """
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return _iriref(str(term))
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    text = str(term)
    if term.language:
        return f'"{text.translate(_STRING_ESCAPES)}"@{term.language}'
    if term.datatype is None or str(term.datatype) == _XSD + "string":
        return f'"{text.translate(_STRING_ESCAPES)}"'
    number = _TURTLE_NUMBERS.get(str(term.datatype))
    if number is not None and number.fullmatch(text):
        return text
    return f'"{text.translate(_STRING_ESCAPES)}"^^{_iriref(str(term.datatype))}'


def _iriref(iri: str) -> str:
    # Characters an IRIREF cannot hold as such are written as \u escapes, as Turtle allows.
    return "<" + _IRI_FORBIDDEN.sub(lambda m: f"\\u{ord(m.group(0)):04X}", iri) + ">"


# -- SPARQL 1.1 Query Results JSON ----------------------------------------------------------


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


# -- SPARQL Query Results XML ---------------------------------------------------------------

_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
)


def _xml(result: QueryResult) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sparql xmlns="{_RESULTS_NS}">', "  <head>"]
    lines += [f'    <variable name="{_xml_text(v, _ATTRIBUTE_ESCAPES)}"/>' for v in result.variables]
    lines += ["  </head>", "  <results>"]
    for row in result.rows:
        lines.append("    <result>")
        for variable, term in zip(result.variables, row):
            if term is not None:  # unbound: no binding element
                name = _xml_text(variable, _ATTRIBUTE_ESCAPES)
                lines.append(f'      <binding name="{name}">{_xml_term(term)}</binding>')
        lines.append("    </result>")
    lines += ["  </results>", "</sparql>"]
    return "\n".join(lines) + "\n"


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{_xml_text(str(term), _TEXT_ESCAPES)}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{_xml_text(str(term), _TEXT_ESCAPES)}</bnode>"
    assert isinstance(term, Literal)
    if term.language:
        attribute = f' xml:lang="{_xml_text(term.language, _ATTRIBUTE_ESCAPES)}"'
    elif term.datatype is not None:
        attribute = f' datatype="{_xml_text(str(term.datatype), _ATTRIBUTE_ESCAPES)}"'
    else:
        attribute = ""
    return f"<literal{attribute}>{_xml_text(str(term), _TEXT_ESCAPES)}</literal>"


def _xml_text(text: str, escapes: dict[int, str]) -> str:
    check_xml_text(text)
    return text.translate(escapes)
