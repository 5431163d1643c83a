"""SPARQL over a built graph: saved queries, result formats, read-only enforcement, errors."""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import threading
import time
from pathlib import Path

import pytest
from annotated_sets import EMPTY_SAVED_QUERIES, saved_query_params
from rdflib import Dataset

from graphbuilder.api import KnowledgeGraph
from graphbuilder.errors import QueryError, UsageError
from graphbuilder.model import extraction_from_json
from graphbuilder.rdf.dataset import extractions_to_dataset
from graphbuilder.rdf.files import write_graph_files
from graphbuilder.rdf.mapping import DEFAULT_BASE, actor_iri, bind_prefixes, graph_iri
from graphbuilder.sparql.query import (
    format_result,
    list_saved_queries,
    read_query,
    resolve_query,
    run_query,
)

PREFIXES = """PREFIX gb: <https://w3id.org/graphbuilder/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
CONDEMNED = (
    PREFIXES
    + """SELECT ?who ?whom ?date ?end WHERE {
  ?e a gb:Condemnation ; gb:agent ?w ; gb:target ?t ; gb:endOffset ?end .
  ?w rdfs:label ?who . ?t rdfs:label ?whom .
  OPTIONAL { ?e gb:date ?date }
} ORDER BY ?who"""
)
# The actor's IRI as the mapping makes it (a name with a hyphen carries a hash of the name).
LINDA = str(actor_iri("Linda Thomas-Greenfield"))
REQUIRED_SAVED = {"condemnations", "roles", "actor-relations", "timeline", "relations", "actors"}


def dataset_of(folder: Path) -> Dataset:
    extractions = [
        extraction_from_json(json.loads(p.read_text(encoding="utf-8")), origin=p.name)
        for p in sorted(folder.glob("*.json"))
    ]
    return extractions_to_dataset(extractions)


@pytest.fixture(scope="module")
def gold_dataset(gold_dev_dir) -> Dataset:
    return dataset_of(gold_dev_dir)


@pytest.fixture(scope="module")
def annotated_dataset(annotated_dir) -> Dataset:
    """Return the graph of each annotated set in turn: the gold corpus, the constructed set."""
    return dataset_of(annotated_dir)


@pytest.fixture(scope="module")
def constructed_dataset(constructed_dir) -> Dataset:
    return dataset_of(constructed_dir)


@pytest.fixture(scope="module")
def seed_dataset() -> Dataset:
    """Return the seed article's graph, read from its golden file (tests/golden), which
    tests/rdf/test_rdf.py checks against the gold extraction: no gold corpus needed."""
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset, DEFAULT_BASE)
    golden = Path(__file__).resolve().parents[1] / "golden" / "seed-nk-dialogue.ttl"
    dataset.graph(graph_iri("seed-nk-dialogue")).parse(golden, format="turtle")
    return dataset


# -- saved queries ------------------------------------------------------------------------


def test_saved_queries_have_names_titles_and_descriptions():
    saved = {q.name: q for q in list_saved_queries()}
    assert REQUIRED_SAVED <= set(saved)
    for query in saved.values():
        assert query.title and query.description, query.name
        assert not query.description.startswith("#")


def test_every_saved_query_runs_and_returns_rows_on_each_annotated_set(annotated_dataset, annotated_set):
    for query in list_saved_queries():
        bindings = saved_query_params(annotated_set.name, query.name)
        result = run_query(annotated_dataset, query.text, bindings, source=query.name)
        assert result.kind == "SELECT", query.name
        assert bool(result.rows) != (query.name in EMPTY_SAVED_QUERIES[annotated_set.name]), query.name


def test_condemnations_query_names_who_whom_date_evidence_and_source(gold_dataset):
    rows = KnowledgeGraph(gold_dataset).query("condemnations")
    row = next(r for r in rows if r["who"] == "Linda Thomas-Greenfield")
    assert row["whom"] == "North Korea"
    assert row["date"] == datetime.date(2021, 10, 20)
    assert "condemn North Korea" in row["evidence"]
    assert row["article"] == "seed-nk-dialogue" and row["source"] == "seed document"


def test_actor_relations_defaults_to_its_values_line_and_a_binding_replaces_it(gold_dataset):
    kg = KnowledgeGraph(gold_dataset)
    default = kg.query("actor-relations")
    assert default and all("North Korea" in (r["subject"], r["object"]) for r in default)
    japan = kg.query("actor-relations", actor_name="Japan")
    assert japan and all("Japan" in (r["subject"], r["object"]) for r in japan)
    assert {"subject": "Japan", "relation": "met", "object": "South Korea"}.items() <= japan[
        [(r["subject"], r["object"]) for r in japan].index(("Japan", "South Korea"))
    ].items()


def test_roles_query_lists_of_and_to(gold_dataset):
    rows = KnowledgeGraph(gold_dataset).query("roles")
    assert {
        "person": "Kim Song",
        "role": "ambassador",
        "of": "North Korea",
        "to": "United Nations",
        "title": None,
        "date": datetime.date(2021, 10, 21),
        "article": "seed-nk-dialogue",
    } in rows


def test_resolve_query_takes_inline_sparql_a_file_or_a_saved_name(tmp_path):
    assert resolve_query("SELECT * WHERE { ?s ?p ?o }") == "SELECT * WHERE { ?s ?p ?o }"
    path = tmp_path / "mine.rq"
    path.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    assert resolve_query(str(path)) == "ASK { ?s ?p ?o }"
    assert "gb:Condemnation" in resolve_query("condemnations")


def test_unknown_saved_query_name_lists_the_available_names():
    with pytest.raises(QueryError) as caught:
        resolve_query("condemnation")
    message = str(caught.value)
    assert "no saved query named 'condemnation'" in message
    assert all(name in message for name in REQUIRED_SAVED)


def test_missing_rq_file_is_a_query_error(tmp_path):
    with pytest.raises(QueryError, match="no such query file"):
        resolve_query(str(tmp_path / "nothing.rq"))


def test_read_query_names_the_source_of_the_text(tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    assert read_query(str(path)) == ("ASK { ?s ?p ?o }", str(path))
    assert read_query("ASK { ?s ?p ?o }") == ("ASK { ?s ?p ?o }", "query")
    assert read_query("condemnations")[1] == "condemnations"


def test_query_file_that_is_not_utf8_is_a_query_error_naming_it(tmp_path):
    path = tmp_path / "latin1.rq"
    path.write_bytes('SELECT * WHERE { ?s ?p "Gen\u00e8ve" }'.encode("latin-1"))
    with pytest.raises(QueryError) as caught:
        read_query(str(path))
    assert str(caught.value).startswith(f"{path}: the query file is not UTF-8 text")


def test_syntax_error_in_a_query_file_is_located_in_that_file(seed_dataset, tmp_path):
    path = tmp_path / "broken.rq"
    path.write_text("# who is there\nSELECT ?x\nWHERE { ?x ?y }\n", encoding="utf-8")
    with pytest.raises(QueryError) as caught:
        KnowledgeGraph(seed_dataset).run(str(path))
    assert str(caught.value).startswith(f"{path}:3:9: SPARQL syntax error")


def test_binding_a_multi_line_values_clause_keeps_error_lines(seed_dataset):
    sparql = "SELECT ?x WHERE {\n VALUES ?x {\n 1\n 2\n }\n ?x ?y }"
    with pytest.raises(QueryError) as caught:
        run_query(seed_dataset, sparql, {"x": "a"})
    assert caught.value.line == 6


@pytest.mark.parametrize(
    "sparql", ["", "  \n", "# only a comment\n  # and another", "PREFIX ex: <http://example.org/>\n"]
)
def test_empty_query_says_it_is_empty(seed_dataset, sparql):
    with pytest.raises(QueryError, match="the query is empty"):
        run_query(seed_dataset, sparql)


@pytest.mark.parametrize(
    "sparql",
    [
        'SELECT * WHERE { ?s ?p ?o FILTER(regex(str(?o), "(")) }',
        'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER(regex(str(?o), "[")) }',
        'ASK { ?s ?p ?o FILTER(regex(str(?o), "(")) }',
    ],
)
def test_errors_raised_while_rows_are_read_are_query_errors(seed_dataset, sparql):
    with pytest.raises(QueryError, match="bad regular expression"):
        run_query(seed_dataset, sparql)


# -- Python values and loading ------------------------------------------------------------


def test_knowledge_graph_loads_a_build_folder_and_returns_python_values(seed_dataset, tmp_path):
    write_graph_files(seed_dataset, tmp_path)
    rows = KnowledgeGraph.load(tmp_path).query(CONDEMNED)
    assert rows[0] == {"who": "Kim Song", "whom": "United States", "date": None, "end": 1835}
    assert rows[1]["date"] == datetime.date(2021, 10, 20)
    assert isinstance(rows[1]["end"], int)


def test_ask_and_construct_results(seed_dataset):
    kg = KnowledgeGraph(seed_dataset)
    assert kg.query(PREFIXES + "ASK { ?a gb:condemned ?b }") == [{"boolean": True}]
    result = kg.run(PREFIXES + "CONSTRUCT { ?a gb:condemned ?b } WHERE { ?a gb:condemned ?b }")
    assert result.kind == "CONSTRUCT" and len(result.rows) == 2
    assert format_result(result, "table").splitlines()[0].split() == ["subject", "predicate", "object"]
    assert "gb:condemned" in format_result(result, "turtle")
    ask = kg.run(PREFIXES + "ASK { ?a gb:attacked ?b }")
    assert json.loads(format_result(ask, "json")) == {"head": {}, "boolean": False}
    assert format_result(ask, "table") == "false\n"


# -- result formats -----------------------------------------------------------------------


def test_table_format_aligns_columns_and_shortens_iris(seed_dataset):
    result = run_query(
        seed_dataset,
        PREFIXES
        + """SELECT ?who ?p WHERE {
        ?w gb:condemned ?t ; rdfs:label ?who . BIND(gb:condemned AS ?p) } ORDER BY ?who""",
    )
    lines = format_result(result, "table").splitlines()
    assert lines[0].split() == ["who", "p"]
    assert lines[2] == "Kim Song                 gb:condemned"
    assert lines[3] == "Linda Thomas-Greenfield  gb:condemned"
    assert lines[1] == "-" * len("Linda Thomas-Greenfield") + "  " + "-" * len("gb:condemned")


def test_csv_format_follows_the_sparql_csv_spec(seed_dataset):
    text = format_result(run_query(seed_dataset, CONDEMNED), "csv")
    assert text.startswith("who,whom,date,end\r\n")
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["Kim Song", "United States", "", "1835"]
    assert rows[2] == ["Linda Thomas-Greenfield", "North Korea", "2021-10-20", "831"]


def test_tsv_format_writes_iris_in_angle_brackets_and_literals_in_turtle_form(seed_dataset):
    result = run_query(
        seed_dataset,
        PREFIXES
        + """SELECT ?w ?who ?date ?end WHERE {
        ?e a gb:Condemnation ; gb:agent ?w ; gb:date ?date ; gb:endOffset ?end .
        ?w rdfs:label ?who }""",
    )
    lines = format_result(result, "tsv").split("\n")
    assert lines[0] == "?w\t?who\t?date\t?end"
    assert lines[1].split("\t") == [
        f"<{LINDA}>",
        '"Linda Thomas-Greenfield"',
        '"2021-10-20"^^<http://www.w3.org/2001/XMLSchema#date>',
        "831",  # numbers in Turtle's short form, as the TSV results format says they should be
    ]
    assert lines[2:] == [""]


def test_json_format_follows_the_sparql_json_spec(seed_dataset):
    document = json.loads(format_result(run_query(seed_dataset, CONDEMNED), "json"))
    assert document["head"] == {"vars": ["who", "whom", "date", "end"]}
    first, second = document["results"]["bindings"]
    assert "date" not in first  # unbound variables are left out
    assert first["who"] == {"type": "literal", "value": "Kim Song"}
    assert second["date"] == {
        "type": "literal",
        "value": "2021-10-20",
        "datatype": "http://www.w3.org/2001/XMLSchema#date",
    }
    iri = json.loads(
        format_result(run_query(seed_dataset, PREFIXES + "SELECT ?w WHERE { ?w gb:invited ?t }"), "json")
    )
    assert iri["results"]["bindings"] == [{"w": {"type": "uri", "value": LINDA}}]


def test_unknown_format_is_refused(seed_dataset):
    with pytest.raises(UsageError, match="unknown result format 'yaml'"):
        format_result(run_query(seed_dataset, CONDEMNED), "yaml")


# -- read-only and errors -----------------------------------------------------------------


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "PREFIX gb: <https://w3id.org/graphbuilder/ontology#>\nDELETE WHERE { ?s gb:condemned ?o }",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR ALL",
        "DROP GRAPH <http://example.org/g>",
        "CREATE GRAPH <http://example.org/g>",
        "DELETE WHERE { ?s ?p",  # a broken update is still an update
    ],
)
def test_updates_are_refused_and_the_graph_is_unchanged(seed_dataset, update):
    before = len(seed_dataset)
    with pytest.raises(QueryError, match="graphbuilder query is read-only"):
        run_query(seed_dataset, update)
    assert len(seed_dataset) == before


def test_syntax_error_reports_line_and_column(seed_dataset):
    with pytest.raises(QueryError) as caught:
        run_query(seed_dataset, "SELECT ?x\nWHERE { ?x ?y }", source="mine.rq")
    error = caught.value
    assert (error.line, error.column) == (2, 9)  # where pyparsing's last try began
    assert str(error).startswith("mine.rq:2:9: SPARQL syntax error")
    assert "WHERE { ?x ?y }" in str(error)
    with pytest.raises(QueryError) as caught:
        run_query(seed_dataset, "SELECT ?x WHERE {\n  ?x a ?y .\n  FILTER(?x = ) }")
    assert (caught.value.line, caught.value.column) == (3, 3)


def test_unknown_prefix_is_a_query_error(seed_dataset):
    with pytest.raises(QueryError, match="nope"):
        run_query(seed_dataset, "SELECT ?x WHERE { ?x nope:p ?y }")


def test_standard_prefixes_work_without_declarations(seed_dataset):
    result = run_query(seed_dataset, "SELECT ?w WHERE { ?w gb:condemned ?t ; a gb:Person }")
    assert len(result.rows) == 2


@pytest.mark.parametrize(
    "query, reason",
    [
        ("SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }", "FROM"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ],
)
def test_queries_that_would_fetch_from_the_web_are_refused(seed_dataset, query, reason):
    with pytest.raises(QueryError, match=reason):
        run_query(seed_dataset, query)


def test_saved_query_files_are_data_in_the_package():
    from graphbuilder.resources import saved_queries_dir

    names = {p.stem for p in Path(saved_queries_dir()).glob("*.rq")}
    assert REQUIRED_SAVED <= names


# -- time limits ----------------------------------------------------------------------------

# Every triple with every triple with every triple: about 10^10 rows on the constructed
# set, never finished by either engine.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def store_dataset(constructed_dataset, tmp_path_factory) -> Dataset:
    """Return the constructed set in an embedded Oxigraph store: queries run on Oxigraph."""
    from graphbuilder.rdf.oxigraph import open_dataset, write_store

    return open_dataset(write_store(constructed_dataset, tmp_path_factory.mktemp("store") / "store"))


def child_processes() -> set[int]:
    """Return the ids of this process's children (Linux /proc), to show none is left running."""
    tasks = Path(f"/proc/{os.getpid()}/task")
    if not tasks.is_dir():
        pytest.skip("no /proc on this system")
    return {int(pid) for task in tasks.iterdir() for pid in (task / "children").read_text().split()}


def cpu_seconds_while_idle(seconds: float = 0.5) -> float:
    """Return the CPU time this process uses while its own thread only sleeps."""
    start = time.process_time()
    time.sleep(seconds)
    return time.process_time() - start


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_query_past_its_time_limit_is_stopped_and_leaves_nothing_running(
    engine, constructed_dataset, store_dataset
):
    ds = constructed_dataset if engine == "rdflib" else store_dataset
    before = child_processes()
    started = time.monotonic()
    with pytest.raises(QueryError, match=r"^query: the query ran longer than 1 s and was stopped: "):
        run_query(ds, CARTESIAN, timeout=1)
    assert time.monotonic() - started < 10  # stopped, not run to the end (hours)
    # The work really stopped: no watchdog thread, no child process, no CPU spent.
    assert [t.name for t in threading.enumerate() if t.name.startswith("graphbuilder")] == []
    assert child_processes() == before
    assert cpu_seconds_while_idle() < 0.2


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_a_query_within_its_time_limit_answers_as_without_one(engine, constructed_dataset, store_dataset):
    ds = constructed_dataset if engine == "rdflib" else store_dataset
    construct = PREFIXES + "CONSTRUCT { ?a gb:condemned ?b } WHERE { ?a gb:condemned ?b }"
    for sparql in (CONDEMNED, "ASK { ?s ?p ?o }", construct):
        limited = run_query(ds, sparql, timeout=5)
        unlimited = run_query(ds, sparql, timeout=None)
        assert (limited.kind, limited.variables, limited.rows, limited.boolean) == (
            unlimited.kind,
            unlimited.variables,
            unlimited.rows,
            unlimited.boolean,
        )
    assert run_query(ds, CONDEMNED, timeout=5).rows


def test_oxigraph_errors_still_read_as_query_errors_under_a_time_limit(store_dataset):
    from graphbuilder.sparql.native import run_native

    native = store_dataset.store.oxigraph
    with pytest.raises(QueryError, match=r"^q: SPARQL syntax error \(Oxigraph\): "):
        run_native(native, "SELECT ?s WHERE { ?s", {}, {}, {}, "q", timeout=5)


def test_knowledge_graph_queries_take_a_timeout(constructed_dataset):
    kg = KnowledgeGraph(constructed_dataset)
    with pytest.raises(QueryError, match="ran longer than 1 s"):
        kg.query(CARTESIAN, timeout=1)
    assert kg.query("condemnations", timeout=5) == kg.query("condemnations")
    assert kg.run("ASK { ?s ?p ?o }", timeout=5).boolean is True


def test_query_timeout_option_stops_a_query_in_one_line(run, built_constructed):
    from graphbuilder.cli import push, query
    from graphbuilder.sparql import native, remote

    assert (query.QUERY_TIMEOUT, push.PUSH_TIMEOUT) == (native.DEFAULT_TIMEOUT, remote.PUSH_TIMEOUT)
    result = run("query", CARTESIAN, "--graph", built_constructed.out, "--timeout", "1")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "ran longer than 1 s" in result.stderr and "--timeout" in result.stderr
    fast = run(
        "query", "condemnations", "--graph", built_constructed.out, "--timeout", "5", "--format", "csv"
    )
    assert fast.exit_code == 0 and "Venezuela" in fast.stdout
    negative = run("query", "condemnations", "--graph", built_constructed.out, "--timeout", "-1")
    assert negative.exit_code == 2 and negative.stderr.startswith("error: ")
