"""One name per role type and relation on every screen: the label the ontology gives it.

`stats`, `path`, the saved queries and the HTML view all show "head of state" and
"agreed with" (the ontology's rdfs:label), never the extraction format's head_of_state
or the IRI's agreedWith.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDFS, Graph

from graphbuilder.model import PREDICATES, ROLE_TYPES
from graphbuilder.rdf.mapping import VOCABULARY, term_label, term_name
from graphbuilder.resources import ontology_path

REPO = Path(__file__).resolve().parents[2]
CONSTRUCTED = REPO / "tests" / "data" / "constructed"
# Each relation's label as the ontology file states it, read here without the mapping.
ONTOLOGY = Graph().parse(ontology_path(), format="turtle")
LABELS = {
    str(iri): str(label)
    for iri in [*VOCABULARY.role_types.values(), *VOCABULARY.relation_shortcuts.values()]
    for label in ONTOLOGY.objects(iri, RDFS.label)
}
RELATION_LABELS = {LABELS[str(iri)] for iri in VOCABULARY.relation_shortcuts.values()}
ROLE_LABELS = {LABELS[str(iri)] for iri in VOCABULARY.role_types.values()}


def test_each_role_type_and_relation_has_the_ontologys_label():
    assert [term_label(r) for r in ROLE_TYPES] == [LABELS[str(VOCABULARY.role_types[r])] for r in ROLE_TYPES]
    assert [term_label(p) for p in PREDICATES] == [
        LABELS[str(VOCABULARY.relation_shortcuts[p])] for p in PREDICATES
    ]
    assert (term_label("head_of_state"), term_label("agreed_with")) == ("head of state", "agreed with")
    assert (term_label("ambassador_of"), term_label("posted_to")) == ("ambassador of", "posted to")


def test_a_label_or_a_name_in_any_case_gives_the_name_and_other_text_stays():
    assert term_name("Agreed with") == term_name("agreed_with") == "agreed_with"
    assert term_name("head  of state") == "head_of_state"
    assert term_name("befriended") == "befriended" and term_label("befriended") == "befriended"


@pytest.fixture(scope="module", params=["files", "oxigraph"])
def constructed(request, tmp_path_factory):
    from graphbuilder import build

    out = tmp_path_factory.mktemp(f"labels-{request.param}") / "out"
    build(sorted(CONSTRUCTED.glob("*.json")), out=out, store=request.param)
    return out


def test_stats_shows_labels_not_names(run, constructed):
    result = run("stats", constructed)
    assert result.exit_code == 0, result.output
    predicates = re.search(r"Events by predicate\n(.*?)\n\n", result.stdout, re.S).group(1)
    roles = re.search(r"Roles by type\n(.*?)\n\n", result.stdout, re.S).group(1)
    shown = {line.rsplit(None, 1)[0].strip() for line in predicates.splitlines()[2:]}
    assert "agreed with" in shown and shown <= RELATION_LABELS, shown
    held = {line.rsplit(None, 1)[0].strip() for line in roles.splitlines()[2:]}
    assert "head of state" in held and held <= ROLE_LABELS, held
    assert "_" not in predicates + roles


@pytest.mark.parametrize(
    "query, column, params",
    [
        ("relations", "relation", {}),
        ("timeline", "relation", {}),
        ("actor-relations", "relation", {"actor_name": "Armenia"}),
        ("hostility-between", "relation", {"country_a": "Ethiopia", "country_b": "Somalia"}),
        ("roles", "role", {}),
        ("posts-of", "role", {"person": "Dawit Bekele"}),
    ],
)
def test_saved_queries_give_the_ontologys_labels_on_both_stores(constructed, query, column, params):
    import graphbuilder

    rows = graphbuilder.load(constructed).query(query, **params)
    values = {row[column] for row in rows}
    assert values, f"{query} gave no rows"
    assert values <= (RELATION_LABELS if column == "relation" else ROLE_LABELS), values


def test_actor_record_names_roles_and_relations_by_their_labels(constructed):
    import graphbuilder

    rows = graphbuilder.load(constructed).query("actor-record", actor_name="Armenia")
    relations = {row["value"] for row in rows if row["aspect"] in ("agent", "target")}
    assert "agreed with" in relations and relations <= RELATION_LABELS, relations


def test_path_takes_a_relation_by_its_label_and_shows_labels(run, constructed):
    result = run("path", "Armenia", "Azerbaijan", "--graph", constructed, "--relation", "agreed with")
    assert result.exit_code == 0, result.output
    assert "--agreed with-->" in result.stdout or "<--agreed with--" in result.stdout
    refused = run("path", "Armenia", "Azerbaijan", "--graph", constructed, "--relation", "befriended")
    assert refused.exit_code == 2 and "unknown relation 'befriended'" in refused.stderr


def test_every_saved_query_turns_a_relation_type_into_its_label():
    from graphbuilder.resources import package_files

    expression = 'LCASE(REPLACE(STRAFTER(STR(?relationType), "#"), "([a-z])([A-Z])", "$1 $2"))'
    texts = {q.name[:-3]: q.read_text() for q in package_files("queries") if q.name.endswith(".rq")}
    binding = {name for name, text in texts.items() if "?relationType" in text and "AS ?" in text}
    assert {"relations", "timeline", "corroborated", "actor-record"} <= binding
    for name in binding:
        for line in re.findall(r"BIND \(.*\?relationType.*\)", texts[name]):
            assert expression in line, (name, line)


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
def test_the_label_expression_gives_every_relations_ontology_label_on_both_engines(engine):
    import pyoxigraph
    from rdflib import Graph, URIRef

    from graphbuilder.rdf.mapping import GB

    sparql = (
        "SELECT ?type ?label WHERE { ?event <%s> ?relationType . BIND (STR(?relationType) AS ?type) "
        'BIND (LCASE(REPLACE(STRAFTER(STR(?relationType), "#"), "([a-z])([A-Z])", "$1 $2")) AS ?label) }'
        % GB.relationType
    )
    events = [(f"urn:event:{i}", str(iri)) for i, iri in enumerate(VOCABULARY.relation_shortcuts.values())]
    if engine == "rdflib":
        graph = Graph()
        for event, iri in events:
            graph.add((URIRef(event), GB.relationType, URIRef(iri)))
        labels = {str(t): str(label) for t, label in graph.query(sparql)}
    else:
        store = pyoxigraph.Store()
        for event, iri in events:
            store.add(
                pyoxigraph.Quad(
                    pyoxigraph.NamedNode(event),
                    pyoxigraph.NamedNode(str(GB.relationType)),
                    pyoxigraph.NamedNode(iri),
                )
            )
        labels = {row["type"].value: row["label"].value for row in store.query(sparql)}
    assert labels == {iri: LABELS[iri] for _, iri in events}
    assert "agreed with" in labels.values()
