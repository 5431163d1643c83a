"""Both stores give the same answers: graph files read by rdflib, and the embedded Oxigraph store.

Each annotated set (the gold dev corpus, the constructed set) is built once with each
store; every saved query (whatever graphbuilder/queries holds) runs on both engines and
must give the same rows and print the same text in every format.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from annotated_sets import ANNOTATED_SETS, EMPTY_SAVED_QUERIES, SAMPLE_ARTICLE, saved_query_params
from rdflib import Dataset, Graph, URIRef
from typer.testing import CliRunner

import graphbuilder
from graphbuilder.api import KnowledgeGraph
from graphbuilder.cli import app
from graphbuilder.errors import (
    GraphbuilderError,
    GraphNotFoundError,
    GraphParseError,
    OutputError,
    QueryError,
    UsageError,
)
from graphbuilder.network.view import graph_view
from graphbuilder.pipeline.build import swap_in
from graphbuilder.rdf.files import load_dataset
from graphbuilder.rdf.mapping import instance_base, merged_graph
from graphbuilder.rdf.oxigraph import ReadOnlyOxigraph, open_dataset
from graphbuilder.rdf.terms import to_rdflib
from graphbuilder.resources import DEFAULT_BASE
from graphbuilder.sparql.query import (
    FORMATS,
    format_result,
    list_saved_queries,
)

SAVED = [q.name for q in list_saved_queries()]
SAMPLE = SAMPLE_ARTICLE["constructed"]


@pytest.fixture(scope="module")
def outs(annotated_set, tmp_path_factory) -> dict[str, Path]:
    """Return the output folders of each annotated set built with each store."""
    root = tmp_path_factory.mktemp("stores")
    for store in ("files", "oxigraph"):
        graphbuilder.build([annotated_set.folder], out=root / store, store=store)
    return {store: root / store for store in ("files", "oxigraph")}


@pytest.fixture(scope="module")
def graphs(outs) -> dict[str, KnowledgeGraph]:
    return {store: KnowledgeGraph.load(path) for store, path in outs.items()}


def _ordered(sparql: str) -> bool:
    return "ORDER BY" in sparql.upper()


def _same_rows(a: list, b: list, ordered: bool) -> bool:
    if ordered:
        return a == b
    return sorted(a, key=repr) == sorted(b, key=repr)


def _store_quads(path: Path) -> tuple[set, set]:
    """Return (named-graph quads, default-graph triples) of the store at `path`, as rdflib terms."""
    native = ox.Store.read_only(str(path))
    named, default = set(), set()
    for quad in native:
        triple = (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
        if isinstance(quad.graph_name, ox.DefaultGraph):
            default.add(triple)
        else:
            named.add((*triple, to_rdflib(quad.graph_name)))
    return named, default


# -- what the store holds -----------------------------------------------------------------


def test_files_build_writes_no_store(outs):
    assert not (outs["files"] / "store").exists()


def test_oxigraph_store_holds_the_quads_of_graph_trig_and_the_merged_view(outs):
    trig = Dataset()
    trig.parse(outs["oxigraph"] / "graph.trig", format="trig")
    named, default = _store_quads(outs["oxigraph"] / "store")
    assert named == {(s, p, o, c) for s, p, o, c in trig.quads((None, None, None, None))}
    assert {c for *_, c in named} == {
        URIRef(f"{graphbuilder.DEFAULT_BASE}graph/{p.stem}")
        for p in (outs["oxigraph"] / "extractions").glob("*.json")
    } | {URIRef(f"{graphbuilder.DEFAULT_BASE}graph/_corpus")}
    assert default == set(merged_graph(trig))


def test_oxigraph_build_leaves_the_graph_files_as_a_files_build_does(outs):
    for name in ("graph.ttl", "graph.trig", "graph.jsonld"):
        assert (outs["files"] / name).read_bytes() == (outs["oxigraph"] / name).read_bytes()


# -- loading ------------------------------------------------------------------------------


def test_load_uses_the_store_when_there_is_one(graphs):
    assert isinstance(graphs["oxigraph"].dataset.store, ReadOnlyOxigraph)
    assert not isinstance(graphs["files"].dataset.store, ReadOnlyOxigraph)


def test_load_takes_the_store_folder_itself(outs):
    kg = graphbuilder.load(outs["oxigraph"] / "store")
    assert isinstance(kg.dataset.store, ReadOnlyOxigraph)
    assert kg.query("ASK { ?s ?p ?o }") == [{"boolean": True}]


def test_a_graph_file_is_read_with_rdflib_even_beside_a_store(outs):
    kg = graphbuilder.load(outs["oxigraph"] / "graph.trig")
    assert not isinstance(kg.dataset.store, ReadOnlyOxigraph)


def test_store_backed_dataset_has_the_same_triples_and_graphs_as_graph_trig(outs):
    from_store, from_trig = load_dataset(outs["oxigraph"]), load_dataset(outs["files"])
    assert set(from_store.quads((None, None, None, None))) == set(from_trig.quads((None, None, None, None)))
    assert set(from_store.triples((None, None, None))) == set(from_trig.triples((None, None, None)))
    assert sorted(g.identifier for g in from_store.graphs()) == sorted(
        g.identifier for g in from_trig.graphs()
    )


def test_store_backed_dataset_is_read_only(outs):
    ds = load_dataset(outs["oxigraph"])
    with pytest.raises(graphbuilder.GraphbuilderError, match="read-only"):
        ds.add((URIRef("urn:a"), URIRef("urn:b"), URIRef("urn:c")))


def test_corrupted_store_is_one_clear_error(outs, tmp_path):
    broken = tmp_path / "out"
    shutil.copytree(outs["oxigraph"], broken)
    for sst in (broken / "store").glob("*.sst"):
        sst.write_bytes(b"not a table")
    (broken / "store" / "CURRENT").write_text("MANIFEST-999999\n")
    with pytest.raises(GraphParseError, match="cannot open the Oxigraph store"):
        graphbuilder.load(broken)
    result = CliRunner().invoke(app, ["query", "actors", "--graph", str(broken)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.output and "unexpected" not in result.stderr


def test_store_folder_without_a_database_is_graph_not_found(tmp_path):
    (tmp_path / "out" / "store").mkdir(parents=True)
    with pytest.raises(GraphNotFoundError, match="not an Oxigraph store"):
        graphbuilder.load(tmp_path / "out")


# -- the same answers on both engines ------------------------------------------------------


@pytest.mark.parametrize("name", SAVED)
@pytest.mark.parametrize("annotated_set", ANNOTATED_SETS, indirect=True, scope="session")
def test_every_saved_query_gives_the_same_rows_on_both_engines(graphs, annotated_set, name):
    text = next(q.text for q in list_saved_queries() if q.name == name)
    params = saved_query_params(annotated_set.name, name)
    if name in EMPTY_SAVED_QUERIES[annotated_set.name]:
        # The set states nothing this query asks for (tests/annotated_sets.py), as rdflib
        # answers in test_saved_queries.py: Oxigraph must answer nothing too.
        assert graphs["oxigraph"].query(name, **params) == []
        return
    files, oxigraph = graphs["files"].query(name, **params), graphs["oxigraph"].query(name, **params)
    assert files, f"{name} gives no rows on the {annotated_set.name} set: the comparison would prove nothing"
    assert _same_rows(oxigraph, files, _ordered(text))


_ANSWERS: dict[tuple[str, str], tuple] = {}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", SAVED)
@pytest.mark.parametrize("annotated_set", ANNOTATED_SETS, indirect=True, scope="session")
def test_each_output_format_is_identical_on_both_engines(graphs, annotated_set, name, fmt):
    text = next(q.text for q in list_saved_queries() if q.name == name)
    params = saved_query_params(annotated_set.name, name)
    if name in EMPTY_SAVED_QUERIES[annotated_set.name]:  # see the test above
        assert not graphs["oxigraph"].run(name, **params).rows
        return
    # Each engine answers once per set and query; every format writes that same answer.
    key = (annotated_set.name, name)
    if key not in _ANSWERS:
        _ANSWERS[key] = (graphs["files"].run(name, **params), graphs["oxigraph"].run(name, **params))
    files, oxigraph = (format_result(answer, fmt) for answer in _ANSWERS[key])
    if _ordered(text):
        assert oxigraph == files
    elif fmt == "json":
        rows = [json.loads(t)["results"]["bindings"] for t in (files, oxigraph)]
        assert _same_rows(rows[0], rows[1], ordered=False)
    else:
        assert sorted(oxigraph.splitlines()) == sorted(files.splitlines())


def test_bindings_give_the_same_rows_on_both_engines(graphs):
    japan = [graphs[s].query("actor-relations", actor_name="Japan") for s in graphs]
    assert japan[0] and japan[0] == japan[1]
    assert all("Japan" in (r["subject"], r["object"]) for r in japan[1])
    # An IRI binding, and a value that would break the query if it were pasted into it.
    sparql = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?name WHERE { ?actor rdfs:label ?name }"
    )
    iri = URIRef(f"{graphbuilder.DEFAULT_BASE}actor/japan")
    assert [graphs[s].query(sparql, actor=iri) for s in graphs] == [[{"name": "Japan"}]] * 2
    hostile = 'x" } ?s ?p ?o { "'
    assert [graphs[s].query(sparql, name=hostile) for s in graphs] == [[]] * 2


def test_cli_param_binds_on_the_store(outs):
    results = [
        CliRunner().invoke(
            app,
            [
                "query",
                "actor-relations",
                "--graph",
                str(outs[s]),
                "--param",
                "actor_name=Japan",
                "--format",
                "csv",
            ],
        )
        for s in ("files", "oxigraph")
    ]
    assert [r.exit_code for r in results] == [0, 0], results[1].output
    assert results[0].stdout == results[1].stdout and "Japan" in results[1].stdout


def test_ask_construct_and_undeclared_standard_prefixes_agree(graphs):
    for sparql in (
        "ASK { ?who gb:condemned ?whom }",
        "ASK { ?who gb:condemned <urn:nobody> }",
        "CONSTRUCT { ?who gb:condemned ?whom } WHERE { ?who gb:condemned ?whom }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s rdfs:label ?label }",
        ("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"),
    ):
        files, oxigraph = (graphs[s].run(sparql) for s in ("files", "oxigraph"))
        assert oxigraph.kind == files.kind
        for fmt in FORMATS:
            assert format_result(oxigraph, fmt) == format_result(files, fmt), (sparql, fmt)


@pytest.mark.parametrize(
    "sparql",
    [
        "PREFIX gb: <https://w3id.org/graphbuilder/ontology#> INSERT DATA { gb:a gb:b gb:c }",
        "DELETE WHERE { ?s ?p ?o }",
        "DROP ALL",
    ],
)
def test_updates_are_refused_on_the_store_and_it_is_unchanged(outs, sparql):
    kg = graphbuilder.load(outs["oxigraph"])
    before = kg.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    with pytest.raises(QueryError, match="read-only"):
        kg.query(sparql)
    assert (
        graphbuilder.load(outs["oxigraph"]).query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        == before
    )


def test_syntax_errors_are_located_the_same_on_the_store(graphs):
    errors = []
    for store in ("files", "oxigraph"):
        with pytest.raises(QueryError) as caught:
            graphs[store].query("SELECT ?x WHERE {\n  ?x ?y \n}")
        errors.append(str(caught.value))
    assert errors[0] == errors[1]


def test_validate_and_viz_read_the_store(outs, graphs):
    assert graphs["oxigraph"].validate().conforms
    assert graph_view(graphs["oxigraph"].dataset) == graph_view(graphs["files"].dataset)
    runner = CliRunner()
    assert runner.invoke(app, ["validate", str(outs["oxigraph"])]).exit_code == 0
    html = outs["oxigraph"] / "v.html"
    result = runner.invoke(app, ["viz", str(outs["oxigraph"]), "-o", str(html)])
    assert result.exit_code == 0 and html.is_file()


# -- building -----------------------------------------------------------------------------


def test_oxigraph_builds_are_deterministic_in_their_answers(annotated_set, graphs, tmp_path):
    out = graphbuilder.build([annotated_set.folder], out=tmp_path / "out", store="oxigraph").out
    again = graphbuilder.load(out)
    for name in SAVED:
        params = saved_query_params(annotated_set.name, name)
        assert again.query(name, **params) == graphs["oxigraph"].query(name, **params), name


def test_cli_build_store_option(constructed_dir, tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        app, ["build", str(constructed_dir), "--out", str(tmp_path / "out"), "--store", "oxigraph"]
    )
    assert result.exit_code == 0, result.output
    assert "store/" in result.stderr and (tmp_path / "out" / "store" / "CURRENT").is_file()
    assert runner.invoke(app, ["build", str(constructed_dir), "--store", "nonsense"]).exit_code == 2


def test_unknown_store_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="--store"):
        graphbuilder.build(out=tmp_path / "out", store="sqlite")


def test_failed_build_leaves_the_previous_store_intact(constructed_dir, tmp_path):
    out = tmp_path / "out"
    graphbuilder.build([constructed_dir], out=out, store="oxigraph")
    before = graphbuilder.load(out).query("relations")
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    for store in ("oxigraph", "files"):
        with pytest.raises(graphbuilder.GraphbuilderError):
            graphbuilder.build([constructed_dir, bad], out=out, store=store)
        assert graphbuilder.load(out).query("relations") == before


def test_store_swap_is_rolled_back_when_a_later_move_fails(constructed_dir, tmp_path):
    out, staging = tmp_path / "out", tmp_path / "staging"
    graphbuilder.build([constructed_dir], out=out, store="oxigraph")
    before = graphbuilder.load(out).query("relations")
    graphbuilder.build([constructed_dir / SAMPLE], out=staging, store="oxigraph")
    with pytest.raises(OutputError, match="left as it was"):
        # The store moves in, then a missing file fails the swap: the store must go back.
        swap_in(staging, out, ["graph.trig", "store", "extractions/missing.json"], [])
    assert graphbuilder.load(out).query("relations") == before
    assert (staging / "store" / "CURRENT").is_file()


def test_files_build_removes_a_stale_store(constructed_dir, tmp_path):
    out = tmp_path / "out"
    graphbuilder.build([constructed_dir], out=out, store="oxigraph")
    graphbuilder.build([constructed_dir / SAMPLE], out=out)
    assert not (out / "store").exists()
    assert not isinstance(graphbuilder.load(out).dataset.store, ReadOnlyOxigraph)


def test_a_folder_named_store_that_is_not_one_is_never_replaced(constructed_dir, tmp_path):
    out = tmp_path / "out"
    (out / "store").mkdir(parents=True)
    (out / "store" / "mine.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputError, match="in the way"):
        graphbuilder.build([constructed_dir], out=out, store="oxigraph")
    assert (out / "store" / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_a_store_built_under_another_base_opens_with_that_base(constructed_dir, tmp_path):
    """An Oxigraph store keeps no prefixes: the base is read back off an article IRI."""
    graphbuilder.build(
        [constructed_dir / SAMPLE],
        out=tmp_path / "kg",
        store="oxigraph",
        base="https://news.example/kg/",
    )
    ds = open_dataset(tmp_path / "kg" / "store")
    assert dict(ds.namespaces())["actor"] == URIRef("https://news.example/kg/actor/")


def test_a_graph_with_no_articles_and_no_prefixes_gets_the_default_base():
    assert instance_base(Graph(bind_namespaces="none")) == DEFAULT_BASE


REGEX = 'SELECT ?l WHERE {{ ?a a gb:Actor ; rdfs:label ?l FILTER regex(?l, {pattern}, "i") }} ORDER BY ?l'


# A pattern that matches one actor of each set, and that actor's name.
REGEX_MATCH = {"gold": ('"^north kor"', "North Korea"), "constructed": ('"^guyan"', "Guyana")}


def test_a_broken_regex_is_an_error_on_both_engines_and_a_good_one_matches_alike(graphs, annotated_set):
    for store, kg in graphs.items():
        with pytest.raises(QueryError, match=r"bad regular expression in regex\(\): missing \)"):
            kg.query(REGEX.format(pattern='"(north"'))
    pattern, name = REGEX_MATCH[annotated_set.name]
    rows = {
        store: [str(r["l"]) for r in kg.query(REGEX.format(pattern=pattern))] for store, kg in graphs.items()
    }
    assert rows["files"] == rows["oxigraph"] == [name]


# A command-line error, whatever the graph: the constructed set's graphs are enough.
@pytest.mark.parametrize("annotated_set", ["constructed"], indirect=True, scope="session")
def test_a_param_that_is_no_iri_is_one_usage_line_on_either_store(outs):
    for path in outs.values():
        result = subprocess.run(
            [sys.executable, "-m", "graphbuilder", "query", "actor-relations", "--graph", str(path),
             "--param", "actor_name=<http://x y>"],
            capture_output=True, text=True,
        )  # fmt: skip
        assert result.returncode == 2 and result.stdout == ""
        assert (
            result.stderr == "error: --param 'actor_name=<http://x y>': 'http://x y' is not an IRI "
            '(no spaces or <>"{}|^`\\)\n'
        )
        good = subprocess.run(
            [sys.executable, "-m", "graphbuilder", "query", "SELECT ?l WHERE { ?who rdfs:label ?l }",
             "--graph", str(path), "--param", "who=<https://w3id.org/graphbuilder/id/actor/guyana>",
             "--format", "csv"],
            capture_output=True, text=True,
        )  # fmt: skip
        assert (good.returncode, good.stdout, good.stderr) == (0, "l\nGuyana\n", "")


@pytest.mark.parametrize("damage", ["no CURRENT", "truncated tables"])
@pytest.mark.parametrize("store", ["oxigraph", "files"])
def test_the_rebuild_a_damaged_store_asks_for_replaces_it(constructed_dir, tmp_path, damage, store):
    out = tmp_path / "out"
    graphbuilder.build([constructed_dir / SAMPLE], out=out, store="oxigraph")
    if damage == "no CURRENT":
        (out / "store" / "CURRENT").unlink()
    else:
        for table in (out / "store").glob("*.sst"):
            table.write_bytes(b"damaged")
    with pytest.raises(
        GraphbuilderError, match=rf"rebuild it: graphbuilder build ARTICLES --out {out} --store"
    ):
        KnowledgeGraph.load(out)
    # The command it gives works (and a files-only build removes the damaged store too).
    graphbuilder.build([constructed_dir / SAMPLE], out=out, store=store)
    assert (out / "store").exists() == (store == "oxigraph")
    assert KnowledgeGraph.load(out).query("ASK { ?a a gb:Article }") == [{"boolean": True}]


def test_a_folder_named_store_that_was_never_one_is_left_alone(constructed_dir, tmp_path):
    out = tmp_path / "out"
    (out / "store").mkdir(parents=True)
    (out / "store" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="is in the way of the Oxigraph store"):
        graphbuilder.build([constructed_dir / SAMPLE], out=out, store="oxigraph")
    assert (out / "store" / "notes.txt").read_text(encoding="utf-8") == "mine"
