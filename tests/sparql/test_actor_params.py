"""A saved query's actor parameter is matched as `path` and `viz --focus` match names:
label or alias, any case, accents optional; an unknown or shared name is a clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_checks import assert_error
from oxigraph_server import oxigraph_server
from rdflib import URIRef

import graphbuilder
from graphbuilder.errors import UsageError
from graphbuilder.model import NameIndex
from graphbuilder.sparql.saved import list_saved_queries

REPO = Path(__file__).resolve().parents[2]
CONSTRUCTED = REPO / "tests" / "data" / "constructed"


@pytest.fixture(scope="module", params=["files", "oxigraph"])
def constructed(request, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"params-{request.param}") / "out"
    graphbuilder.build(sorted(CONSTRUCTED.glob("*.json")), out=out, store=request.param)
    return out


def relations_of(out: Path, name: str) -> list[dict]:
    return graphbuilder.load(out).query("actor-relations", actor_name=name)


def test_every_saved_query_marks_its_actor_parameters():
    actors = {(q.name, p.name) for q in list_saved_queries() for p in q.params if p.actor}
    assert actors == {
        ("actor-record", "actor_name"),
        ("actor-relations", "actor_name"),
        ("ambassadors-to", "organization"),
        ("hostility-between", "country_a"),
        ("hostility-between", "country_b"),
        ("posts-of", "person"),
    }


@pytest.mark.parametrize("typed", ["iran", "IRAN", "  Iran ", "Tehran", "tehran", "Irán"])
def test_an_actor_is_found_by_any_case_accents_or_alias(constructed, typed):
    exact = relations_of(constructed, "Iran")
    assert exact and relations_of(constructed, typed) == exact


def test_an_unknown_actor_is_an_error_suggesting_the_closest(constructed):
    with pytest.raises(
        UsageError, match=r"--param actor_name: no actor named 'Irann' in the graph; did you mean 'Iran'"
    ):
        relations_of(constructed, "Irann")


def test_the_cli_says_so_in_one_line_and_answers_for_the_right_actor(run, constructed):
    assert_error(
        run("query", "posts-of", "-g", constructed, "--param", "person=dawit bekel"),
        2,
        "posts-of: --param person: no actor named 'dawit bekel'",
        "did you mean 'Dawit Bekele'?",
    )
    found = run("query", "posts-of", "-g", constructed, "--param", "person=dawit bekele", "--format", "csv")
    assert found.exit_code == 0 and "head of government,Ethiopia" in found.stdout, found.output


def test_an_iri_value_and_a_query_that_is_not_saved_are_bound_as_given(constructed):
    kg = graphbuilder.load(constructed)
    assert kg.query("actor-relations", actor_name=URIRef("urn:nobody")) == []  # no matching, no error
    inline = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?a WHERE { ?a rdfs:label ?actor_name }"
    )
    assert kg.query(inline, actor_name="iran") == []  # plain SPARQL binds the text exactly
    assert len(kg.query(inline, actor_name="Iran")) == 1


def test_a_name_two_actors_share_is_an_error_naming_both(tmp_path):
    article = {
        "id": "two-kims",
        "date": "2021-10-21",
        "title": "Two Kims",
        "text": "Kim Jong Un met Kim Yo Jong.",
        "actors": [
            {"name": "Kim Jong Un", "type": "Person", "aliases": ["Kim"]},
            {"name": "Kim Yo Jong", "type": "Person", "aliases": ["Kim"]},
        ],
        "roles": [],
        "relations": [
            {"subject": "Kim Jong Un", "predicate": "met", "object": "Kim Yo Jong", "evidence": "met"}
        ],
    }
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.json").write_text(json.dumps(article))
    graphbuilder.build([tmp_path / "in"], out=tmp_path / "out")
    kg = graphbuilder.load(tmp_path / "out")
    with pytest.raises(
        UsageError, match=r"'kim' names several actors \(Kim Jong Un, Kim Yo Jong\): give the full name"
    ):
        kg.query("actor-relations", actor_name="kim")
    assert [r["object"] for r in kg.query("actor-relations", actor_name="kim yo jong")] == ["Kim Yo Jong"]


def test_an_endpoint_matches_names_the_same_way(constructed, tmp_path, run):
    with oxigraph_server(tmp_path / "server") as url:
        assert run("push", constructed, "--endpoint", url + "query").exit_code == 0
        local = run("query", "actor-relations", "-g", constructed, "-p", "actor_name=Iran", "-f", "csv")
        remote = run(
            "query", "actor-relations", "--endpoint", url + "query", "-p", "actor_name=tehran", "-f", "csv"
        )
        assert remote.exit_code == 0, remote.output
        assert remote.stdout == local.stdout and local.stdout.count("\n") > 1
        assert_error(
            run("query", "actor-relations", "--endpoint", url + "query", "-p", "actor_name=Atlantis"),
            2,
            "no actor named 'Atlantis'",
        )


def test_the_exact_label_wins_over_a_spelling_without_accents():
    index = NameIndex([("a", "Ünited", []), ("b", "United", [])])
    assert (index.find("Ünited"), index.find("United")) == ("a", "b")
    with pytest.raises(UsageError, match="names several actors"):
        index.find("united")
