"""SHACL validation: built graphs conform, broken graphs do not, and the report says why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef

from graphbuilder.model import extraction_from_json
from graphbuilder.rdf.dataset import extractions_to_dataset
from graphbuilder.rdf.files import write_graph_files
from graphbuilder.rdf.mapping import DEFAULT_BASE, GB, bind_prefixes, graph_iri
from graphbuilder.rdf.validate import validate
from graphbuilder.resources import shapes_path

ID = DEFAULT_BASE
GOLDEN = Path(__file__).resolve().parents[1] / "golden"
SEED_GRAPH = graph_iri("seed-nk-dialogue")
CONDEMNATION = URIRef(ID + "event/seed-nk-dialogue/d78c31f88ac5")  # Thomas-Greenfield -> NK
JAPAN = URIRef(ID + "actor/japan")
NORTH_KOREA = URIRef(ID + "actor/north-korea")
KIM_SONG = URIRef(ID + "actor/kim-song")  # North Korea's ambassador to the UN
KIM_SONG_AMBASSADOR = URIRef(ID + "role/seed-nk-dialogue/fa2f7a49354e")


def build_annotated(folder: Path) -> Dataset:
    extractions = [
        extraction_from_json(json.loads(p.read_text(encoding="utf-8")), origin=p.name)
        for p in sorted(folder.glob("*.json"))
    ]
    return extractions_to_dataset(extractions)


@pytest.fixture
def seed_dataset() -> Dataset:
    """A fresh seed graph per test, since the tests break it.

    Read from the seed article's golden graph (tests/golden), which tests/rdf/test_rdf.py
    checks against the gold extraction, so that these run without the gold corpus too.
    """
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset, DEFAULT_BASE)
    dataset.graph(SEED_GRAPH).parse(GOLDEN / "seed-nk-dialogue.ttl", format="turtle")
    return dataset


def messages(report) -> list[str]:
    return [v.message for v in report.violations]


def test_shapes_parse_and_every_shape_has_a_message():
    shapes = Graph().parse(shapes_path(), format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    constraints = set(shapes.subjects(URIRef(sh + "path"), None))
    constraints |= set(shapes.objects(None, URIRef(sh + "sparql")))
    # Node shapes that constrain the focus node itself (sh:class on it).
    constraints |= set(shapes.subjects(URIRef(sh + "class"), None)) - set(
        shapes.subjects(URIRef(sh + "path"), None)
    )
    assert len(constraints) > 40
    for node in constraints:
        assert shapes.value(node, URIRef(sh + "message")) is not None, node


def test_every_annotated_set_conforms(annotated_dir):
    report = validate(build_annotated(annotated_dir))
    assert report.conforms, report.text
    assert report.violations == []
    assert report.text == "the graph conforms to the shapes\n"


def test_validate_reads_a_built_folder(seed_dataset, tmp_path):
    write_graph_files(seed_dataset, tmp_path)
    assert validate(tmp_path).conforms


def test_event_without_agent_does_not_conform_and_says_so(seed_dataset):
    seed_dataset.graph(SEED_GRAPH).remove((CONDEMNATION, GB.agent, None))
    report = validate(seed_dataset)
    assert not report.conforms
    [violation] = [v for v in report.violations if v.focus == str(CONDEMNATION)]
    assert violation.focus == str(CONDEMNATION)
    assert violation.path == str(GB.agent)
    assert violation.message == "an event needs exactly one gb:agent (who acted)"
    assert violation.severity == "Violation"
    assert (
        "event:seed-nk-dialogue/d78c31f88ac5  gb:agent  an event needs exactly one gb:agent (who acted)"
    ) in report.text.splitlines()


def test_actor_with_two_labels_does_not_conform(seed_dataset):
    seed_dataset.graph(SEED_GRAPH).add((JAPAN, RDFS.label, Literal("Nippon")))
    report = validate(seed_dataset)
    assert not report.conforms
    assert [(v.focus, v.path) for v in report.violations] == [(str(JAPAN), str(RDFS.label))]
    assert "exactly one rdfs:label" in report.violations[0].message


def test_actor_with_two_types_does_not_conform(seed_dataset):
    seed_dataset.graph(SEED_GRAPH).add((JAPAN, RDF.type, GB.Organization))
    report = validate(seed_dataset)
    assert not report.conforms
    assert "exactly one of the types" in " ".join(messages(report))


def test_role_holder_that_is_not_a_person_does_not_conform(seed_dataset):
    graph = seed_dataset.graph(SEED_GRAPH)
    kim = URIRef(ID + "actor/kim-song")
    graph.remove((kim, RDF.type, GB.Person))
    graph.add((kim, RDF.type, GB.Organization))
    report = validate(seed_dataset)
    assert "the holder of a role must be a gb:Person" in messages(report)


def test_bad_values_are_each_reported(seed_dataset):
    graph = seed_dataset.graph(SEED_GRAPH)
    graph.add((CONDEMNATION, GB.date, Literal("last Tuesday")))
    graph.add((CONDEMNATION, GB.confidence, Literal("1.5", datatype=XSD.decimal)))
    graph.set((CONDEMNATION, GB.startOffset, Literal(-4)))
    graph.set((CONDEMNATION, GB.relationType, GB.praised))
    report = validate(seed_dataset)
    found = set(messages(report))
    assert {
        "an event has at most one gb:date",
        "gb:date must be an xsd:date (YYYY-MM-DD) or an xsd:gYearMonth (YYYY-MM)",
        "gb:confidence must be one xsd:decimal from 0 to 1",
        "gb:startOffset must be one non-negative xsd:integer",
        "gb:relationType must be one of the ten relation properties (gb:condemned ... gb:attacked)",
    } <= found
    assert len(report.text.splitlines()) == len(report.violations) + 1


def test_an_event_dated_by_its_month_conforms_and_one_reported_twice_does_not(seed_dataset):
    graph = seed_dataset.graph(SEED_GRAPH)
    graph.set((CONDEMNATION, GB.date, Literal("2021-10", datatype=XSD.gYearMonth)))
    assert validate(seed_dataset).conforms
    graph.add((CONDEMNATION, GB.reportedOn, Literal("2021-10-22", datatype=XSD.date)))
    assert "an event has at most one gb:reportedOn, an xsd:date (its article's date)" in messages(
        validate(seed_dataset)
    )


def test_event_derived_from_something_that_is_not_an_article_does_not_conform(seed_dataset):
    graph = seed_dataset.graph(SEED_GRAPH)
    prov = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    graph.set((CONDEMNATION, prov, URIRef("https://example.org/somewhere")))
    assert "prov:wasDerivedFrom must point to a gb:Article" in messages(validate(seed_dataset))


def test_article_without_identifier_does_not_conform(seed_dataset):
    article = URIRef(ID + "article/seed-nk-dialogue")
    seed_dataset.graph(SEED_GRAPH).remove((article, URIRef("http://purl.org/dc/terms/identifier"), None))
    assert "an article needs exactly one dcterms:identifier (its id)" in messages(validate(seed_dataset))


def test_report_writes_iris_as_the_query_table_does(seed_dataset):
    # One way to shorten IRIs: prefix:local where a prefix is bound, the bare IRI otherwise.
    from graphbuilder.sparql.query import format_result, run_query

    stray = URIRef("https://example.org/stray-event")
    seed_dataset.graph(SEED_GRAPH).add((stray, RDF.type, GB.Event))
    table = format_result(
        run_query(
            seed_dataset,
            "SELECT ?e ?p { ?e a gb:Event . "
            "FILTER(?e = <https://example.org/stray-event>) "
            "BIND(gb:agent AS ?p) }",
        ),
        "table",
    )
    [row] = [line.split() for line in table.splitlines()[2:]]
    assert row == [str(stray), "gb:agent"]
    lines = validate(seed_dataset).text.splitlines()
    assert f"{row[0]}  {row[1]}  an event needs exactly one gb:agent (who acted)" in lines


# -- what the shapes catch beyond missing fields ----------------------------------------


def only_messages_about(report, focus: URIRef) -> list[str]:
    assert not report.conforms
    return [v.message for v in report.violations if v.focus == str(focus)]


def test_literal_as_the_object_of_a_shortcut_does_not_conform(seed_dataset):
    thomas = URIRef(ID + "actor/linda-thomas-greenfield_9ec353b80041")
    seed_dataset.graph(SEED_GRAPH).add((thomas, GB.condemned, Literal("Mars")))
    seed_dataset.graph(SEED_GRAPH).add((KIM_SONG, GB.ambassadorOf, Literal("Mars")))
    report = validate(seed_dataset)
    assert not report.conforms
    assert {(v.focus, v.path, v.message) for v in report.violations} == {
        (
            str(thomas),
            str(GB.condemned),
            (
                "gb:condemned must point to an actor (an IRI typed gb:Actor), not to a literal or an "
                "untyped node"
            ),
        ),
        (
            str(KIM_SONG),
            str(GB.ambassadorOf),
            (
                "gb:ambassadorOf must point to an actor (an IRI typed gb:Actor), not to a literal or "
                "an untyped node"
            ),
        ),
    }


def test_relation_shortcut_without_an_event_node_does_not_conform(seed_dataset):
    seed_dataset.graph(SEED_GRAPH).add((JAPAN, GB.condemned, NORTH_KOREA))
    report = validate(seed_dataset)
    assert [(v.focus, v.path, v.message) for v in report.violations] == [
        (
            str(JAPAN),
            str(GB.condemned),
            (
                "the shortcut to actor:north-korea has no event node behind it: no gb:Event "
                "with this gb:agent, that gb:target and gb:relationType gb:condemned"
            ),
        )
    ]
    assert (
        "actor:japan  gb:condemned  the shortcut to actor:north-korea has no event node behind it"
    ) in report.text


def test_event_with_another_relation_type_does_not_back_a_shortcut(seed_dataset):
    graph = seed_dataset.graph(SEED_GRAPH)
    graph.set((CONDEMNATION, GB.relationType, GB.invited))  # the shortcut stays gb:condemned
    report = validate(seed_dataset)
    messages_found = messages(report)
    assert any(m.startswith("the shortcut to actor:north-korea has no event node") for m in messages_found)
    assert (
        "a gb:Condemnation event must have gb:relationType gb:condemned (its event class "
        "and relation type disagree)"
    ) in messages_found


def test_role_shortcut_without_a_role_node_does_not_conform(seed_dataset):
    seed_dataset.graph(SEED_GRAPH).add((KIM_SONG, GB.ministerOf, NORTH_KOREA))
    assert only_messages_about(validate(seed_dataset), KIM_SONG) == [
        (
            "the shortcut to actor:north-korea has no role node behind it: no "
            "gb:RoleAssignment with this gb:holder, gb:roleType gb:Minister and that gb:roleOf"
        )
    ]


def test_posted_to_without_an_ambassador_role_node_does_not_conform(seed_dataset):
    graph = seed_dataset.graph(SEED_GRAPH)
    graph.add((KIM_SONG, GB.postedTo, JAPAN))
    graph.set((URIRef(ID + "role/seed-nk-dialogue/9a0b559ae48c"), GB.roleType, GB.Official))
    report = validate(seed_dataset)
    assert only_messages_about(report, KIM_SONG) == [
        (
            "the shortcut to actor:japan has no ambassador role node behind it: no "
            "gb:RoleAssignment with this gb:holder, gb:roleType gb:Ambassador and that gb:roleTo"
        )
    ]
    # Thomas-Greenfield's role node now says official: her postedTo has nothing behind it.
    thomas = URIRef(ID + "actor/linda-thomas-greenfield_9ec353b80041")
    assert any("no ambassador role node" in m for m in only_messages_about(report, thomas))


def test_role_shortcut_on_something_that_is_not_a_person_does_not_conform(seed_dataset):
    seed_dataset.graph(SEED_GRAPH).add((JAPAN, GB.ambassadorOf, NORTH_KOREA))
    found = only_messages_about(validate(seed_dataset), JAPAN)
    assert (
        "only a gb:Person holds a role: this node has a role shortcut (gb:ambassadorOf, "
        "gb:ministerOf, gb:postedTo ...) but is not a gb:Person"
    ) in found


@pytest.mark.parametrize(
    "change, message",
    [
        ("second class", "an event needs exactly one event class"),
        ("no class", "an event needs exactly one event class"),
        ("other class", "a gb:Meeting event must have gb:relationType gb:met"),
    ],
)
def test_event_class_must_be_one_and_match_the_relation_type(seed_dataset, change, message):
    graph = seed_dataset.graph(SEED_GRAPH)
    if change != "second class":
        graph.remove((CONDEMNATION, RDF.type, GB.Condemnation))
    if change != "no class":
        graph.add((CONDEMNATION, RDF.type, GB.Meeting))
    found = only_messages_about(validate(seed_dataset), CONDEMNATION)
    assert any(m.startswith(message) for m in found), found


@pytest.mark.parametrize(
    "same_as",
    [
        URIRef("https://dbpedia.org/resource/Japan"),
        URIRef("http://www.wikidata.org/wiki/Q17"),
        URIRef("http://www.wikidata.org/entity/P17"),
        URIRef("https://www.wikidata.org/entity/Q17"),
        Literal("Q17"),
    ],
)
def test_same_as_anything_but_a_wikidata_entity_does_not_conform(seed_dataset, same_as):
    seed_dataset.graph(SEED_GRAPH).add((JAPAN, OWL.sameAs, same_as))
    assert only_messages_about(validate(seed_dataset), JAPAN) == [
        (
            "owl:sameAs must point to a Wikidata entity IRI, http://www.wikidata.org/entity/Q "
            "followed by digits"
        )
    ]


def test_same_as_a_wikidata_entity_conforms(seed_dataset):
    seed_dataset.graph(SEED_GRAPH).add((JAPAN, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q17")))
    assert validate(seed_dataset).conforms


def test_node_with_a_holder_but_no_role_assignment_type_does_not_conform(seed_dataset):
    seed_dataset.graph(SEED_GRAPH).remove((KIM_SONG_AMBASSADOR, RDF.type, GB.RoleAssignment))
    report = validate(seed_dataset)
    assert only_messages_about(report, KIM_SONG_AMBASSADOR) == [
        "a node with gb:holder, gb:roleType, gb:roleOf or gb:roleTo must be typed "
        "gb:RoleAssignment or gb:Tenure"
    ]
    # An untyped node backs no shortcut either.
    assert any("no role node behind it" in m for m in only_messages_about(report, KIM_SONG))


def test_node_with_an_agent_but_no_event_type_does_not_conform(seed_dataset):
    graph = seed_dataset.graph(SEED_GRAPH)
    graph.remove((CONDEMNATION, RDF.type, None))
    assert only_messages_about(validate(seed_dataset), CONDEMNATION) == [
        "a node with gb:agent, gb:target or gb:relationType must be typed gb:Event or gb:Happening"
    ]


@pytest.mark.parametrize("graph", [Graph(), Dataset()])
def test_an_empty_graph_does_not_conform(graph):
    report = validate(graph)
    assert not report.conforms
    assert messages(report) == [
        ("the graph has no gb:Article: a built graph describes at least one article (is the graph empty?)")
    ]
    assert report.text.splitlines()[0] == ("the graph does not conform to the shapes: 1 violation(s)")


def test_a_graph_of_actors_without_any_article_does_not_conform(seed_dataset):
    graph = Graph()
    for s, p, o in seed_dataset.triples((None, None, None)):
        if (s, RDF.type, GB.Actor) in seed_dataset:
            graph.add((s, p, o))
    assert len(graph) > 0
    assert "the graph has no gb:Article" in " ".join(messages(validate(graph)))
