"""The bundled article, built from its text alone: what the graph must say, checked the
way a user asks it (SPARQL), against the shapes, and in a real browser."""

from __future__ import annotations

import pytest
from browser import offline_page

pytestmark = pytest.mark.model

PREFIXES = (
    "PREFIX gb: <https://w3id.org/graphbuilder/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)

# (subject, property, object) by label: what any reader of the article finds in it.
EXPECTED = [
    ("Linda Thomas-Greenfield", "ambassadorOf", "United States"),
    ("Linda Thomas-Greenfield", "postedTo", "United Nations"),
    ("Linda Thomas-Greenfield", "invited", "North Korea"),
    ("Linda Thomas-Greenfield", "condemned", "North Korea"),
    ("Kim Song", "ambassadorOf", "North Korea"),
    ("Kim Song", "postedTo", "United Nations"),
    ("Kim Song", "condemned", "United States"),
    ("Japan", "urged", "North Korea"),
    ("South Korea", "urged", "North Korea"),
    ("United States", "urged", "North Korea"),
    ("Kim Jong-un", "headOfStateOf", "North Korea"),
    ("Joe Biden", "headOfStateOf", "United States"),
]


@pytest.fixture(scope="module")
def example_graph(built_example):
    from graphbuilder import load

    return load(built_example.out)


@pytest.mark.parametrize(("subject", "prop", "obj"), EXPECTED)
def test_example_graph_answers_simple_sparql(example_graph, subject, prop, obj):
    rows = example_graph.query(
        PREFIXES + f"SELECT ?s WHERE {{ ?s gb:{prop} ?o . ?s rdfs:label ?sl . ?o rdfs:label ?ol }}",
        sl=subject,
        ol=obj,
    )
    assert len(rows) == 1, f"{subject} {prop} {obj} is not in the graph"


def test_example_relations_are_backed_by_dated_events_with_evidence(example_graph):
    rows = example_graph.query(
        PREFIXES
        + """
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?date ?evidence ?start ?end WHERE {
          ?e gb:relationType gb:invited ; gb:agent/rdfs:label "Linda Thomas-Greenfield" ;
             gb:date ?date ; gb:evidenceText ?evidence ; gb:startOffset ?start ;
             gb:endOffset ?end ; prov:wasDerivedFrom ?article .
        }"""
    )
    assert len(rows) == 1
    row = rows[0]
    assert str(row["date"]) == "2021-10-20"
    assert "extended an invitation to North Korea" in row["evidence"]
    assert int(row["end"]) - int(row["start"]) == len(row["evidence"])


def test_example_graph_has_no_relation_from_the_negated_sentence(example_graph):
    # "While North Korea has not publicly responded to these invitations ..."
    rows = example_graph.query(
        PREFIXES
        + """
        SELECT ?p WHERE { ?e gb:agent/rdfs:label "North Korea" ; gb:relationType ?p }"""
    )
    assert rows == []


def test_example_graph_conforms_to_the_shapes(built_example):
    from graphbuilder.rdf.validate import validate

    report = validate(built_example.out)
    assert report.conforms, report.text


@pytest.mark.browser
def test_example_page_draws_every_actor_offline(built_example, example_graph):
    actors = example_graph.query(PREFIXES + "SELECT ?a WHERE { ?a a gb:Actor }")
    relations = example_graph.query(PREFIXES + "SELECT ?e WHERE { ?e a gb:Event }")
    # A post is a line to the body served and one to where its holder is posted.
    posts = example_graph.query(
        PREFIXES
        + """SELECT DISTINCT ?holder ?type ?at WHERE {
        ?r a gb:RoleAssignment ; gb:holder ?holder ; gb:roleType ?type .
        { ?r gb:roleOf ?at } UNION { ?r gb:roleTo ?at } }"""
    )
    with offline_page(
        built_example.out / "graph.html", wait_for="document.body.dataset.layout === 'done'"
    ) as opened:
        counts = opened.page.evaluate("[nodes.length, network.body.data.edges.length]")
        assert counts == [len(actors), len(relations) + len(posts)]
        # Actors with no line wait behind the box that counts them; ticked, all are drawn.
        unlinked = opened.page.evaluate("nodes.get().filter(n => n.degree === 0).length")
        assert opened.page.evaluate("network.body.nodeIndices.length") == len(actors) - unlinked
        opened.page.click("#show-unlinked")
        assert opened.page.evaluate("network.body.nodeIndices.length") == len(actors)
        assert opened.outside_requests == []
        assert opened.console_errors == [] and opened.page_errors == []
