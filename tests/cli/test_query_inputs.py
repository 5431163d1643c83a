"""What `graphbuilder query` takes: query text of any length or from standard input, the
columns of `SELECT *` in the query's order, and --param mistakes as usage errors (exit 2)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cli_checks import assert_error

import graphbuilder
from graphbuilder.errors import ParamError, QueryError, UsageError

CONSTRUCTED = Path(__file__).resolve().parents[2] / "tests" / "data" / "constructed"


@pytest.fixture(scope="module", params=["files", "oxigraph"])
def built(request, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp(f"inputs-{request.param}") / "out"
    graphbuilder.build(sorted(CONSTRUCTED.glob("*.json")), out=out, store=request.param)
    return out


def test_select_star_gives_columns_in_the_order_the_query_names_them(run, built):
    query = "SELECT * WHERE { ?event ?property ?value . ?value ?kind ?other } LIMIT 3"
    headers = {run("query", query, "-g", built, "-f", "csv").stdout.splitlines()[0] for _ in range(5)}
    assert headers == {"event,property,value,kind,other"}
    listed = run("query", "SELECT ?value ?event WHERE { ?event ?p ?value } LIMIT 1", "-g", built, "-f", "csv")
    assert listed.stdout.splitlines()[0] == "value,event"  # a projection keeps its own order


def test_a_query_longer_than_any_file_name_runs_as_sparql(run, built):
    long_value = "x" * 300
    result = run("query", f'SELECT ?a WHERE {{ VALUES ?a {{ "{long_value}" }} }}', "-g", built, "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["a", long_value]
    assert_error(run("stats", "/tmp/" + "y" * 300), 1, "File name too long")  # a path: one line


def test_the_query_can_come_from_standard_input(built):
    command = [sys.executable, "-m", "graphbuilder", "query", "-", "-g", str(built), "-f", "csv"]
    text = (
        "PREFIX gb: <https://w3id.org/graphbuilder/ontology#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?name WHERE { ?a a gb:Country ; rdfs:label ?name } ORDER BY ?name LIMIT 2"
    )
    piped = subprocess.run(command, input=text.encode(), capture_output=True, timeout=120)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.decode().splitlines()[0] == "name" and len(piped.stdout.splitlines()) == 3
    empty = subprocess.run(command, input=b"  \n", capture_output=True, timeout=120)
    assert empty.returncode == 2 and empty.stderr == b"error: standard input holds no query\n"


@pytest.mark.parametrize(
    "params, fragments",
    [
        (["limt=5"], ["no ?limt to bind (its parameters are limit, offset); did you mean limit?"]),
        (["limit=abc"], ["not a whole number"]),
        (["offset=-1"], ["not a whole number"]),
        (["actor_name=Atlantis"], ["no actor named 'Atlantis'"]),
        (["actor_name=Iran", "actor_name=Japan"], ["--param actor_name is given twice"]),
    ],
)
def test_every_param_mistake_is_a_usage_error(run, built, params, fragments):
    query = "relations" if params[0].startswith(("limt", "limit", "offset")) else "actor-relations"
    args = [a for p in params for a in ("-p", p)]
    assert_error(run("query", query, "-g", built, *args), 2, *fragments)
    good = run(
        "query", query, "-g", built, "-p", "actor_name=Iran" if query == "actor-relations" else "limit=2"
    )
    assert good.exit_code == 0 and good.stdout.count("\n") > 2


def test_a_param_error_is_both_a_usage_and_a_query_error_to_scripts(built):
    kg = graphbuilder.load(built)
    with pytest.raises(ParamError) as caught:
        kg.query("actor-relations", actorname="Iran")
    assert isinstance(caught.value, UsageError) and isinstance(caught.value, QueryError)
    assert caught.value.exit_code == 2
