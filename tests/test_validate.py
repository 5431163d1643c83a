"""SHACL validation: built graphs conform, broken graphs do not, and the report says why."""

from __future__ import annotations

import json

import pytest
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef

from graphbuilder.model import extraction_from_json
from graphbuilder.rdf import DEFAULT_BASE, GB, extractions_to_dataset, graph_iri
from graphbuilder.resources import shapes_path
from graphbuilder.store import write_graph_files
from graphbuilder.validate import validate

ID = DEFAULT_BASE
SEED_GRAPH = graph_iri("seed-nk-dialogue")
CONDEMNATION = URIRef(ID + "event/seed-nk-dialogue/d78c31f88ac5")     # Thomas-Greenfield -> NK
JAPAN = URIRef(ID + "actor/japan")


def build_gold(gold_dev_dir) -> Dataset:
    gold = [extraction_from_json(json.loads(p.read_text(encoding="utf-8")), origin=p.name)
            for p in sorted(gold_dev_dir.glob("*.json"))]
    return extractions_to_dataset(gold)


@pytest.fixture
def seed_dataset(gold_dev_dir) -> Dataset:
    """A fresh seed graph per test, since the tests break it."""
    path = gold_dev_dir / "seed-nk-dialogue.json"
    return extractions_to_dataset(
        [extraction_from_json(json.loads(path.read_text(encoding="utf-8")), origin=path.name)])


def messages(report) -> list[str]:
    return [v.message for v in report.violations]


def test_shapes_parse_and_every_shape_has_a_message():
    shapes = Graph().parse(shapes_path(), format="turtle")
    sh = "http://www.w3.org/ns/shacl#"
    constraints = list(shapes.subjects(URIRef(sh + "path"), None))
    assert constraints
    for node in constraints:
        assert shapes.value(node, URIRef(sh + "message")) is not None, node


def test_the_whole_dev_corpus_conforms(gold_dev_dir):
    report = validate(build_gold(gold_dev_dir))
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
    [violation] = report.violations
    assert violation.focus == str(CONDEMNATION)
    assert violation.path == str(GB.agent)
    assert violation.message == "an event needs exactly one gb:agent (who acted)"
    assert violation.severity == "Violation"
    assert ("inst:event/seed-nk-dialogue/d78c31f88ac5  gb:agent  "
            "an event needs exactly one gb:agent (who acted)") in report.text.splitlines()


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
    assert {"an event has at most one gb:date",
            "gb:date must be an xsd:date (YYYY-MM-DD)",
            "gb:confidence must be one xsd:decimal from 0 to 1",
            "gb:startOffset must be one non-negative xsd:integer",
            "gb:relationType must be one of the ten relation properties "
            "(gb:condemned ... gb:attacked)"} <= found
    assert len(report.text.splitlines()) == len(report.violations) + 1


def test_event_derived_from_something_that_is_not_an_article_does_not_conform(seed_dataset):
    graph = seed_dataset.graph(SEED_GRAPH)
    prov = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    graph.set((CONDEMNATION, prov, URIRef("https://example.org/somewhere")))
    assert "prov:wasDerivedFrom must point to a gb:Article" in messages(validate(seed_dataset))


def test_article_without_identifier_does_not_conform(seed_dataset):
    article = URIRef(ID + "article/seed-nk-dialogue")
    seed_dataset.graph(SEED_GRAPH).remove((article, URIRef("http://purl.org/dc/terms/identifier"),
                                           None))
    assert "an article needs exactly one dcterms:identifier (its id)" in messages(
        validate(seed_dataset))


def test_report_writes_iris_as_the_query_table_does(seed_dataset):
    # One way to shorten IRIs: prefix:local where a prefix is bound, the bare IRI otherwise.
    from graphbuilder.query import format_result, run_query

    stray = URIRef("https://example.org/stray-event")
    seed_dataset.graph(SEED_GRAPH).add((stray, RDF.type, GB.Event))
    table = format_result(run_query(seed_dataset, "SELECT ?e ?p { ?e a gb:Event . "
                                    "FILTER(?e = <https://example.org/stray-event>) "
                                    "BIND(gb:agent AS ?p) }"), "table")
    [row] = [line.split() for line in table.splitlines()[2:]]
    assert row == [str(stray), "gb:agent"]
    lines = validate(seed_dataset).text.splitlines()
    assert f"{row[0]}  {row[1]}  an event needs exactly one gb:agent (who acted)" in lines
