"""`graphbuilder query --format`: the W3C result formats for SELECT and ASK, RDF for
CONSTRUCT and DESCRIBE, JSON lines (--nl), on both stores and from a remote endpoint.

Each output is read back by independent parsers (rdflib's, and Oxigraph's where it has
one) and compared with what the query answers. The graph is built from the constructed
set (tests/data/constructed, see its README) with each store; the odd characters RDF text
can hold (tab, newline, carriage return, quotes, commas, characters XML cannot carry)
come from a small graph each test writes itself.
"""

from __future__ import annotations

import csv
import http.server
import io
import json
import threading
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from cli_checks import assert_error
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.query import Result

import graphbuilder
from graphbuilder.errors import OutputError, UsageError
from graphbuilder.rdf.files import load_dataset
from graphbuilder.rdf.oxigraph import write_store
from graphbuilder.sparql.query import GRAPH_FORMATS, format_result, run_query
from graphbuilder.sparql.results import QueryResult

STORES = ["files", "oxigraph"]
GB = "https://w3id.org/graphbuilder/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"

PREFIXES = f"PREFIX gb: <{GB}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
# Prefixes declared: a remote endpoint knows none of graphbuilder's own.
EVENTS = (
    PREFIXES
    + """SELECT ?event ?who ?what ?whom ?date ?end ?evidence WHERE {
  ?event a gb:Event ; gb:agent/rdfs:label ?who ; gb:relationType ?what ;
         gb:target/rdfs:label ?whom ; gb:endOffset ?end ; gb:evidenceText ?evidence .
  OPTIONAL { ?event gb:date ?date }
} ORDER BY ?event"""
)
CONSTRUCT = PREFIXES + "CONSTRUCT { ?event ?p ?o } WHERE { ?event a gb:Condemnation ; ?p ?o }"
DESCRIBE = PREFIXES + "DESCRIBE ?event WHERE { ?event a gb:Condemnation }"
ASK_YES, ASK_NO = "ASK { ?a gb:condemned ?b }", "ASK { ?a gb:condemned <urn:nobody> }"
#: rdflib's parser name for each RDF format of `query --format`.
RDFLIB_SYNTAX = {
    "turtle": "turtle",
    "ntriples": "nt",
    "nquads": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "xml": "xml",
}
OXIGRAPH_RESULTS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "tsv": ox.QueryResultsFormat.TSV,
}


@pytest.fixture(scope="module")
def outs(constructed_outs) -> dict[str, Path]:
    """Return the constructed set built with each store: graph files, and an Oxigraph store."""
    return constructed_outs


@pytest.fixture(params=STORES)
def out(request, outs) -> Path:
    return outs[request.param]


def merged_graph(out: Path) -> Graph:
    """Return the merged view graph.ttl as rdflib reads it: what queries see, without our code."""
    return Graph().parse(out / "graph.ttl", format="turtle")


def expected_graph(out: Path, query: str) -> Graph:
    """Return rdflib's own answer to a CONSTRUCT over the merged view."""
    graph = Graph()
    for triple in merged_graph(out).query(query):
        graph.add(triple)
    return graph


def assert_isomorphic(expected: Graph, got: Graph) -> None:
    if not isomorphic(expected, got):
        _, only_expected, only_got = graph_diff(to_isomorphic(expected), to_isomorphic(got))
        missing = "\n".join(sorted(f"  {' '.join(t.n3() for t in triple)}" for triple in only_expected))
        extra = "\n".join(sorted(f"  {' '.join(t.n3() for t in triple)}" for triple in only_got))
        pytest.fail(f"graphs differ\nmissing:\n{missing}\nunexpected:\n{extra}")


def rows_of(out: Path, query: str) -> list[tuple]:
    """Return the rows rdflib itself gives for a SELECT over the merged view."""
    result = merged_graph(out).query(query)
    return [tuple(row[v] if v in row.labels else None for v in map(str, result.vars)) for row in result]


# -- RDF out of CONSTRUCT and DESCRIBE ----------------------------------------------------


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_each_rdf_format_of_a_construct_parses_back_to_the_same_graph(run, out, fmt):
    result = run("query", CONSTRUCT, "--graph", out, "--format", fmt)
    assert result.exit_code == 0, result.output
    expected = expected_graph(out, CONSTRUCT)
    assert len(expected) > 50  # the comparison proves something
    if fmt in ("nquads", "trig"):  # quads: the triples land in the default graph
        dataset = Dataset().parse(data=result.stdout, format=RDFLIB_SYNTAX[fmt])
        assert [
            g for g in dataset.graphs() if len(g) and g.identifier != dataset.default_graph.identifier
        ] == []
        got = Graph()
        for triple in dataset.default_graph:
            got.add(triple)
    else:
        got = Graph().parse(data=result.stdout, format=RDFLIB_SYNTAX[fmt])
    assert_isomorphic(expected, got)


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "trig", "xml"])
def test_oxigraph_reads_the_rdf_formats_back_as_well(run, outs, fmt):
    syntax = {
        "turtle": ox.RdfFormat.TURTLE,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "nquads": ox.RdfFormat.N_QUADS,
        "trig": ox.RdfFormat.TRIG,
        "xml": ox.RdfFormat.RDF_XML,
    }[fmt]
    printed = run("query", CONSTRUCT, "--graph", outs["files"], "--format", fmt).stdout
    assert len(list(ox.parse(printed.encode("utf-8"), format=syntax))) == len(
        expected_graph(outs["files"], CONSTRUCT)
    )


def test_describe_gives_rdf_too(run, out):
    result = run("query", DESCRIBE, "--graph", out, "--format", "turtle")
    assert result.exit_code == 0, result.output
    described = Graph().parse(data=result.stdout, format="turtle")
    condemnations = set(merged_graph(out).subjects(predicate=None, object=URIRef(GB + "Condemnation")))
    assert condemnations and condemnations <= set(described.subjects())


@pytest.mark.parametrize("old, new", [("ttl", "turtle"), ("nt", "ntriples")])
def test_the_old_format_names_still_work(run, outs, old, new):
    by_old_name = run("query", CONSTRUCT, "--graph", outs["files"], "--format", old)
    assert by_old_name.exit_code == 0
    assert by_old_name.stdout == run("query", CONSTRUCT, "-g", outs["files"], "-f", new).stdout


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "trig", "jsonld", "ttl", "nt"])
@pytest.mark.parametrize("query", [EVENTS, ASK_YES], ids=["select", "ask"])
def test_an_rdf_format_asked_of_a_select_or_ask_is_one_usage_error(run, outs, fmt, query):
    kind, gives = ("SELECT", "rows") if query is EVENTS else ("ASK", "true or false")
    result = run("query", query, "-g", outs["files"], "-f", fmt)
    assert_error(result, 2, f"format {fmt} writes an RDF graph", f"this {kind} query gives {gives}", "xml")


def test_an_rdf_format_is_refused_before_the_query_runs(run, tmp_path):
    # No graph at all: had it run, the error would be that there is none to query.
    assert_error(run("query", EVENTS, "--graph", tmp_path / "nothing", "-f", "turtle"), 2, "RDF graph")


def test_xml_is_sparql_results_for_a_select_and_rdf_xml_for_a_construct(run, outs):
    select = run("query", EVENTS, "-g", outs["files"], "-f", "xml").stdout
    graph = run("query", CONSTRUCT, "-g", outs["files"], "-f", "xml").stdout
    assert '<sparql xmlns="http://www.w3.org/2005/sparql-results#">' in select
    assert "<rdf:RDF" in graph and "sparql-results" not in graph


def test_the_row_formats_list_a_constructs_triples(run, outs):
    printed = run("query", CONSTRUCT, "-g", outs["files"], "-f", "csv").stdout
    rows = list(csv.reader(io.StringIO(printed)))
    assert rows[0] == ["subject", "predicate", "object"]
    assert {tuple(map(str, t)) for t in expected_graph(outs["files"], CONSTRUCT)} == {
        tuple(r) for r in rows[1:]
    }


# -- SELECT and ASK in the W3C results formats --------------------------------------------


def test_select_results_parse_back_to_the_rows(run, out):
    expected = rows_of(out, EVENTS)
    assert len(expected) > 20 and any(row[4] is None for row in expected)  # unbound dates too
    variables = ["event", "who", "what", "whom", "date", "end", "evidence"]
    for fmt in ("json", "xml", "tsv"):
        printed = run("query", EVENTS, "--graph", out, "--format", fmt).stdout_bytes
        parsed = Result.parse(io.BytesIO(printed), format=fmt)
        assert [str(v) for v in parsed.vars] == variables
        assert [tuple(b.get(v) for v in parsed.vars) for b in parsed.bindings] == expected, fmt
        solutions = ox.parse_query_results(printed, format=OXIGRAPH_RESULTS[fmt])
        assert [tuple(s[v] for v in variables) for s in solutions] == [
            tuple(None if t is None else ox_term(t) for t in row) for row in expected
        ], fmt
    printed = run("query", EVENTS, "--graph", out, "--format", "csv").stdout_bytes.decode()
    rows = list(csv.reader(io.StringIO(printed, newline="")))
    assert rows == [variables] + [["" if t is None else str(t) for t in row] for row in expected]


def ox_term(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)


def test_csv_follows_the_w3c_csv_format(run, outs):
    # (CliRunner's .stdout turns CRLF into LF: the bytes are what was written.)
    printed = run("query", EVENTS, "--graph", outs["files"], "--format", "csv").stdout_bytes.decode()
    header, _, rest = printed.partition("\r\n")
    assert header == "event,who,what,whom,date,end,evidence"  # no "?"
    assert printed.endswith("\r\n") and "\n" not in printed.replace("\r\n", "")  # CRLF only
    assert ',"' in rest  # evidence holding commas is quoted


def test_tsv_follows_the_w3c_tsv_format(run, outs):
    printed = run("query", EVENTS, "--graph", outs["files"], "--format", "tsv").stdout
    lines = printed.split("\n")
    assert lines[0] == "?event\t?who\t?what\t?whom\t?date\t?end\t?evidence"
    assert lines[-1] == "" and "\r" not in printed
    first = lines[1].split("\t")
    assert first[0].startswith("<https://w3id.org/graphbuilder/id/event/") and first[0].endswith(">")
    assert first[1].startswith('"') and first[5].isdigit()  # a label in quotes, 1835 as a number
    assert all(len(line.split("\t")) == 7 for line in lines[1:-1])


@pytest.mark.parametrize(
    "fmt, yes, no",
    [
        ("table", "true\n", "false\n"),
        ("csv", "true\r\n", "false\r\n"),
        ("tsv", "true\n", "false\n"),
        ("jsonl", '{"boolean": true}\n', '{"boolean": false}\n'),
    ],
)
def test_ask_in_the_formats_without_a_w3c_boolean_is_one_line(run, out, fmt, yes, no):
    assert run("query", ASK_YES, "-g", out, "-f", fmt).stdout_bytes.decode() == yes
    assert run("query", ASK_NO, "-g", out, "-f", fmt).stdout_bytes.decode() == no


@pytest.mark.parametrize("answer", [True, False])
def test_ask_in_json_and_xml_is_the_w3c_boolean(run, out, answer):
    query = ASK_YES if answer else ASK_NO
    assert json.loads(run("query", query, "-g", out, "-f", "json").stdout) == {"head": {}, "boolean": answer}
    xml = run("query", query, "-g", out, "-f", "xml").stdout_bytes
    assert bool(ox.parse_query_results(xml, format=ox.QueryResultsFormat.XML)) is answer
    assert Result.parse(io.BytesIO(xml), format="xml").askAnswer is answer
    # Oxigraph reads a one-line true/false as a TSV boolean, as it writes one.
    tsv = run("query", query, "-g", out, "-f", "tsv").stdout_bytes
    assert bool(ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)) is answer


# -- the examples of the W3C CSV and TSV specification ------------------------------------

# SPARQL 1.1 Query Results CSV and TSV Formats (W3C Recommendation 21 March 2013),
# section 1.1: the example table, then sections 3.3 and 4.3: it written as CSV and TSV.
SPEC_X = URIRef("http://example/x")
SPEC_ROWS = [
    (SPEC_X, Literal("String")),
    (SPEC_X, Literal('String-with-dquote"')),
    ("b0", Literal("Blank node")),
    (None, Literal("Missing 'x'")),
    (None, None),
    (SPEC_X, None),
    ("b1", Literal("String-with-lang", lang="en")),
    ("b1", Literal("123", datatype=URIRef(XSD + "integer"))),
]
SPEC_CSV = """x,literal
http://example/x,String
http://example/x,"String-with-dquote\"\"\"
_:b0,Blank node
,Missing 'x'
,
http://example/x,
_:b1,String-with-lang
_:b1,123
"""
SPEC_TSV = """?x\t?literal
<http://example/x>\t"String"
<http://example/x>\t"String-with-dquote\\""
_:blank0\t"Blank node"
\t"Missing 'x'"
\t
<http://example/x>\t
_:blank1\t"String-with-lang"@en
_:blank1\t123
"""


def spec_result(blank: str) -> QueryResult:
    rows = [
        (x if not isinstance(x, str) or isinstance(x, URIRef) else BNode(blank + x[1:]), literal)
        for x, literal in SPEC_ROWS
    ]
    return QueryResult(kind="SELECT", variables=["x", "literal"], rows=rows)


def test_csv_writes_the_specifications_example_exactly():
    assert format_result(spec_result("b"), "csv") == SPEC_CSV.replace("\n", "\r\n")


def test_tsv_writes_the_specifications_example_exactly():
    assert format_result(spec_result("blank"), "tsv") == SPEC_TSV


# -- text RDF can hold, and what a format cannot -----------------------------------------

ODD = {
    "tab": "a\tb",
    "newline": "first line\nsecond line",
    "return": "a\r\nb",
    "quotes": 'he said "no", twice',
    "backslash": "C:\\path\\n",
    "markup": "<b>&amp;</b> ]]>",
    "wide": "北京 and Türkiye",
}


def odd_triples() -> Graph:
    """Return a graph of one subject with awkward literals: ODD, a language tag, numbers."""
    graph = Graph()
    subject = URIRef("http://example.org/odd")
    for name, text in ODD.items():
        graph.add((subject, URIRef(f"http://example.org/{name}"), Literal(text)))
    graph.add((subject, URIRef("http://example.org/lang"), Literal("Kyiv", lang="en")))
    for name, lexical, datatype in [
        ("integer", "-12", "integer"),
        ("decimal", "1.5", "decimal"),
        ("date", "2025-04-16", "date"),
    ]:
        literal = Literal(lexical, datatype=URIRef(XSD + datatype))
        graph.add((subject, URIRef(f"http://example.org/{name}"), literal))
    return graph


@pytest.fixture(params=STORES)
def odd_graph(request, tmp_path) -> Path:
    """Return odd_triples() as a Turtle file, or as an Oxigraph store made from that file."""
    path = tmp_path / "odd.ttl"
    odd_triples().serialize(path, format="turtle")
    if request.param == "files":
        return path
    return write_store(load_dataset(path), tmp_path / "store")


ODD_QUERY = "SELECT ?p ?o WHERE { <http://example.org/odd> ?p ?o } ORDER BY ?p"


def test_every_odd_literal_survives_each_results_format(run, odd_graph):
    local = sorted(odd_triples().predicate_objects(), key=lambda pair: str(pair[0]))
    assert run_query(load_dataset(odd_graph), ODD_QUERY).rows == local  # what each format must give
    for fmt in ("json", "xml", "tsv"):
        printed = run("query", ODD_QUERY, "--graph", odd_graph, "--format", fmt)
        assert printed.exit_code == 0, printed.output
        data = printed.stdout_bytes
        parsed = Result.parse(io.BytesIO(data), format=fmt)
        assert [(b[Variable("p")], b[Variable("o")]) for b in parsed.bindings] == local, fmt
        solutions = ox.parse_query_results(data, format=OXIGRAPH_RESULTS[fmt])
        assert [s["o"].value for s in solutions] == [str(o) for _, o in local], fmt
    printed = run("query", ODD_QUERY, "--graph", odd_graph, "--format", "csv").stdout_bytes.decode()
    assert list(csv.reader(io.StringIO(printed, newline=""))) == [["p", "o"]] + [
        [str(p), str(o)] for p, o in local
    ]


def test_tsv_escapes_what_would_break_its_lines_and_shortens_only_true_numbers(run, odd_graph):
    printed = run("query", ODD_QUERY, "--graph", odd_graph, "--format", "tsv").stdout
    lines = printed.split("\n")[1:-1]
    assert len(lines) == len(ODD) + 4  # no value spilled onto a line of its own
    cells = dict(line.split("\t") for line in lines)
    assert cells["<http://example.org/tab>"] == '"a\\tb"'
    assert cells["<http://example.org/newline>"] == '"first line\\nsecond line"'
    assert cells["<http://example.org/return>"] == '"a\\r\\nb"'
    assert cells["<http://example.org/quotes>"] == '"he said \\"no\\", twice"'
    assert cells["<http://example.org/backslash>"] == '"C:\\\\path\\\\n"'
    assert cells["<http://example.org/lang>"] == '"Kyiv"@en'
    assert cells["<http://example.org/integer>"] == "-12"
    assert cells["<http://example.org/decimal>"] == "1.5"
    assert cells["<http://example.org/date>"] == f'"2025-04-16"^^<{XSD}date>'
    assert '"""' not in printed


@pytest.mark.parametrize(
    "lexical, datatype, written",
    [
        ("12", "integer", "12"),
        ("+12", "integer", "+12"),
        ("1.50", "decimal", "1.50"),
        ("1.5E3", "double", "1.5E3"),
        (".5e-1", "double", ".5e-1"),
        ("true", "boolean", f'"true"^^<{XSD}boolean>'),
        # Written short, these would be read back as other values.
        ("7", "decimal", f'"7"^^<{XSD}decimal>'),  # the integer 7
        ("1.5", "double", f'"1.5"^^<{XSD}double>'),  # the decimal 1.5
        ("INF", "double", f'"INF"^^<{XSD}double>'),  # a name
        ("1 2", "integer", f'"1 2"^^<{XSD}integer>'),  # not a number at all
    ],
)
def test_tsv_writes_a_number_short_only_when_turtle_reads_it_back_as_that_number(lexical, datatype, written):
    result = QueryResult(
        kind="SELECT",
        variables=["n"],
        rows=[(Literal(lexical, datatype=URIRef(XSD + datatype), normalize=False),)],
    )
    assert format_result(result, "tsv") == f"?n\n{written}\n"


def test_a_character_xml_cannot_hold_is_refused_in_xml_but_kept_elsewhere(run, tmp_path):
    path = tmp_path / "bell.ttl"
    path.write_text('<http://example.org/s> <http://example.org/p> "ring \\u0007 ring" .\n', encoding="utf-8")
    select = "SELECT ?o WHERE { ?s ?p ?o }"
    assert_error(run("query", select, "-g", path, "-f", "xml"), 1, "U+0007", "XML 1.0 cannot hold")
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert_error(run("query", construct, "-g", path, "-f", "xml"), 1, "U+0007", "use --format")
    bell = "ring \x07 ring"
    printed = run("query", select, "-g", path, "-f", "json").stdout
    assert json.loads(printed)["results"]["bindings"][0]["o"]["value"] == bell
    tsv = run("query", select, "-g", path, "-f", "tsv").stdout_bytes
    assert tsv == f'?o\n"{bell}"\n'.encode()  # as Turtle allows it; both parsers read it
    assert next(iter(Result.parse(io.BytesIO(tsv), format="tsv").bindings))[Variable("o")] == Literal(bell)
    assert next(iter(ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)))["o"].value == bell
    triples = run("query", construct, "-g", path, "-f", "nt").stdout
    assert str(next(Graph().parse(data=triples, format="nt").objects())) == bell


def test_rdf_xml_that_cannot_name_a_predicate_is_one_error(run, tmp_path):
    path = tmp_path / "digits.ttl"
    path.write_text('<http://example.org/s> <http://example.org/123> "x" .\n', encoding="utf-8")
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert_error(
        run("query", construct, "-g", path, "-f", "xml"), 1, "cannot be written as RDF/XML", "turtle"
    )
    assert run("query", construct, "-g", path, "-f", "turtle").exit_code == 0


def test_the_library_writes_the_same_formats(outs):
    kg = graphbuilder.load(outs["files"])
    construct = kg.run(CONSTRUCT)
    assert_isomorphic(
        expected_graph(outs["files"], CONSTRUCT), Graph().parse(data=construct.serialize("turtle"))
    )
    with pytest.raises(UsageError, match="format turtle writes an RDF graph"):
        kg.run(EVENTS).serialize("turtle")
    assert kg.run(EVENTS).serialize("xml").startswith('<?xml version="1.0" encoding="UTF-8"?>')
    with pytest.raises(OutputError):
        QueryResult(kind="SELECT", variables=["o"], rows=[(Literal("\x00"),)]).serialize("xml")


# -- JSON lines ------------------------------------------------------------------------------


def test_nl_prints_one_json_object_per_row_of_plain_values(run, out):
    printed = run("query", EVENTS, "--graph", out, "--nl")
    assert printed.exit_code == 0, printed.output
    lines = printed.stdout.splitlines()
    rows = [json.loads(line) for line in lines]
    kg_rows = graphbuilder.load(out).query(EVENTS)
    assert len(rows) == len(kg_rows) > 20
    for row, kg_row in zip(rows, kg_rows):
        assert list(row) == ["event", "who", "what", "whom", "date", "end", "evidence"]
        # kg.query()'s values; a date (datetime.date there) as its ISO text, unbound as null
        assert row == {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in kg_row.items()}
    assert isinstance(rows[0]["end"], int) and any(r["date"] is None for r in rows)
    for spelling in (["--format", "json", "--nl"], ["--format", "jsonl"]):
        assert run("query", EVENTS, "--graph", out, *spelling).stdout == printed.stdout


def test_nl_with_no_rows_prints_nothing(run, outs):
    # Not sqlite-utils' "[]": a JSON-lines reader would take that for one row.
    empty = run("query", "SELECT ?s WHERE { ?s a <urn:nothing> }", "--graph", outs["files"], "--nl")
    assert empty.exit_code == 0 and empty.stdout == ""


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "xml", "turtle"])
def test_nl_with_another_format_is_one_usage_error(run, outs, fmt):
    assert_error(run("query", EVENTS, "-g", outs["files"], "-f", fmt, "--nl"), 2, "--nl", f"--format {fmt}")


# -- a remote endpoint ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def endpoint(outs, tmp_path_factory):
    """Return the query URL of an Oxigraph server holding the constructed set (pushed to it)."""
    from oxigraph_server import oxigraph_server

    from graphbuilder.sparql.remote import graph_store_url, push

    with oxigraph_server(tmp_path_factory.mktemp("server") / "store") as url:
        push(outs["files"], graph_store_url(url + "query"))
        yield url + "query"


DISTINCT_EVENTS = EVENTS.replace("SELECT ", "SELECT DISTINCT ", 1)


@pytest.mark.parametrize("fmt", ["table", "json", "jsonl", "csv", "tsv", "xml"])
def test_remote_select_results_print_as_local_ones(run, outs, endpoint, fmt):
    local = run("query", DISTINCT_EVENTS, "--graph", outs["files"], "--format", fmt)
    remote = run("query", DISTINCT_EVENTS, "--endpoint", endpoint, "--format", fmt)
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout and local.stdout.count("\n") > 20


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_remote_construct_results_print_as_local_ones(run, outs, endpoint, fmt):
    local = run("query", CONSTRUCT, "--graph", outs["files"], "--format", fmt)
    remote = run("query", CONSTRUCT, "--endpoint", endpoint, "--format", fmt)
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout


def test_an_rdf_format_of_a_remote_select_is_refused_before_anything_is_sent(run):
    # Nothing listens there: the refusal comes first, not an unreachable endpoint.
    result = run("query", EVENTS, "--endpoint", "http://127.0.0.1:9/query", "--format", "trig")
    assert_error(result, 2, "format trig writes an RDF graph")


@contextmanager
def endpoint_answering(body: bytes, content_type: str = "application/sparql-results+json"):
    """Yield the URL of a one-query HTTP endpoint that answers `body`; record the requests."""
    asked: list[dict] = []

    class Answer(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            asked.append(dict(self.headers))
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    listener = http.server.HTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=listener.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.server_address[1]}/query", asked
    finally:
        listener.shutdown()
        listener.server_close()
        thread.join(5)


def test_a_remote_string_typed_as_xsd_string_prints_as_a_plain_one(run):
    answer = {
        "head": {"vars": ["name", "count"]},
        "results": {
            "bindings": [
                {
                    "name": {"type": "literal", "value": "Kyiv", "datatype": XSD + "string"},
                    "count": {"type": "literal", "value": "3", "datatype": XSD + "integer"},
                }
            ]
        },
    }
    with endpoint_answering(json.dumps(answer).encode()) as (url, asked):
        printed = run("query", "SELECT ?name ?count WHERE { ?s ?p ?name }", "--endpoint", url, "-f", "xml")
    assert printed.exit_code == 0, printed.output
    # Asked for SPARQL JSON whatever is printed; printed as a local plain literal would be.
    assert asked[0]["Accept"] == "application/sparql-results+json"
    assert '<binding name="name"><literal>Kyiv</literal></binding>' in printed.stdout
    # Other datatypes stay.
    assert f'<binding name="count"><literal datatype="{XSD}integer">3</literal></binding>' in printed.stdout


# -- the prefixes a graph is written with ---------------------------------------------------

NAMESPACES = {
    "inst": "http://example.org/id/",
    "actor": "http://example.org/id/actor/",
    "gb": GB,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
}
JAPAN = URIRef("http://example.org/id/actor/japan")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def declared(text: str, fmt: str) -> set[str]:
    """Return the prefixes a Turtle, TriG or JSON-LD text declares."""
    if fmt == "jsonld":
        return set(json.loads(text)["@context"])
    return {line.split()[1].rstrip(":") for line in text.splitlines() if line.startswith("@prefix")}


@pytest.mark.parametrize("fmt", ["turtle", "trig", "jsonld"])
def test_a_graph_declares_only_the_prefixes_it_is_written_with(fmt):
    from graphbuilder.sparql.graph_formats import write_graph

    triples = [(JAPAN, RDF_TYPE, URIRef(GB + "Actor")), (JAPAN, URIRef(GB + "label"), Literal("Japan"))]
    # inst: is a namespace every actor IRI starts with, but actor: is the one they are written with;
    # rdf:type is written `a` (@type in JSON-LD).
    assert declared(write_graph(triples, NAMESPACES, fmt), fmt) == {"actor", "gb"}


@pytest.mark.parametrize("fmt", ["turtle", "trig", "jsonld"])
def test_a_graph_declares_each_prefix_an_iri_or_a_datatype_needs(fmt):
    from graphbuilder.sparql.graph_formats import write_graph

    triples = [
        (JAPAN, URIRef(GB + "mentionedIn"), URIRef("http://example.org/id/other/thing")),  # inst: only
        (URIRef(GB + "Actor"), RDF_TYPE, URIRef("http://www.w3.org/2000/01/rdf-schema#Class")),
        (JAPAN, URIRef(GB + "since"), Literal("2020", datatype=URIRef(XSD + "gYear"))),
    ]
    text = write_graph(triples, NAMESPACES, fmt)
    assert declared(text, fmt) == {"actor", "gb", "inst", "rdfs", "xsd"}
    assert len(Graph().parse(data=text, format=RDFLIB_SYNTAX[fmt])) == 3


def test_query_turtle_of_actors_declares_no_unused_prefix(run, out):
    query = PREFIXES + "CONSTRUCT { ?a a gb:Actor ; rdfs:label ?n } WHERE { ?a a gb:Actor ; rdfs:label ?n }"
    result = run("query", query, "--graph", out, "--format", "turtle")
    assert result.exit_code == 0, result.stderr
    body = "\n".join(line for line in result.stdout.splitlines() if not line.startswith("@prefix"))
    prefixes = declared(result.stdout, "turtle")
    assert prefixes == {"actor", "gb", "rdfs"}
    assert all(f"{prefix}:" in body for prefix in prefixes)
