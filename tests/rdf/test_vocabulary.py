"""One vocabulary: the ontology names the role types and relations, and every other
place that lists them (the data model, the RDF mapping, the SHACL shapes, the HTML
style) agrees with it, name for name."""

from __future__ import annotations

import json
import re

import pytest
from rdflib import RDF, Graph, Namespace

from graphbuilder.errors import GraphbuilderError
from graphbuilder.model import ACTOR_TYPES, PREDICATES, ROLE_TYPES
from graphbuilder.rdf.mapping import GB, VOCABULARY, read_vocabulary
from graphbuilder.resources import PACKAGE_DIR, ontology_path, shapes_path

SH = Namespace("http://www.w3.org/ns/shacl#")


def test_the_ontology_gives_the_data_models_names_in_its_order():
    assert tuple(VOCABULARY.role_types) == ROLE_TYPES
    assert tuple(VOCABULARY.relation_shortcuts) == PREDICATES
    assert VOCABULARY.relation_shortcuts["agreed_with"] == GB.agreedWith
    assert VOCABULARY.event_classes["condemned"] == GB.Condemnation
    assert VOCABULARY.role_shortcuts["head_of_state"] == GB.headOfStateOf
    ontology = Graph().parse(ontology_path(), format="turtle")
    for iri in [
        *VOCABULARY.role_types.values(),
        *VOCABULARY.role_shortcuts.values(),
        *VOCABULARY.relation_shortcuts.values(),
        *VOCABULARY.event_classes.values(),
    ]:
        assert (iri, RDF.type, None) in ontology, iri


def _in_lists(shapes: Graph) -> list[set]:
    return [set(shapes.items(node)) for node in shapes.objects(None, SH["in"])]


def test_the_shapes_allow_exactly_the_vocabulary():
    lists = _in_lists(Graph().parse(shapes_path(), format="turtle"))
    assert set(VOCABULARY.role_types.values()) in lists
    assert set(VOCABULARY.relation_shortcuts.values()) in lists
    assert set(VOCABULARY.event_classes.values()) in lists
    assert {GB[t] for t in ACTOR_TYPES} in lists


def test_the_html_style_styles_every_relation_and_actor_type_and_no_other():
    style = json.loads((PACKAGE_DIR / "data" / "viz_style.json").read_text(encoding="utf-8"))
    assert set(style["relations"]) == {*PREDICATES, "role"}
    assert set(style["actor_types"]) == {*ACTOR_TYPES, "Actor"}


def _ontology_without(tmp_path, pattern: str):
    text = ontology_path().read_text(encoding="utf-8")
    changed = re.sub(pattern, "", text, count=1)
    assert changed != text
    path = tmp_path / "graphbuilder.ttl"
    path.write_text(changed, encoding="utf-8")
    return path


def test_an_ontology_that_drops_a_relation_is_refused_with_its_names(tmp_path):
    path = _ontology_without(tmp_path, r'    skos:notation "sanctioned" ;\n')
    with pytest.raises(GraphbuilderError, match="relations .* are not the data model's"):
        read_vocabulary(path)
    assert read_vocabulary(ontology_path()).relation_shortcuts["sanctioned"] == GB.sanctioned


def test_an_ontology_whose_role_type_has_no_shortcut_is_refused(tmp_path):
    path = _ontology_without(tmp_path, r"    gb:shortcut gb:ministerOf ;\n")
    with pytest.raises(GraphbuilderError, match="Minister has no"):
        read_vocabulary(path)


def test_the_extraction_lexicon_names_only_the_vocabularys_relations_and_roles():
    """The traits and rule relations of predicates.json and the role kinds of titles.json
    are attached to names of the vocabulary: a renamed relation or role cannot leave a
    rule silently matching nothing."""
    from graphbuilder.extract import lexicon

    lex, titles = lexicon.predicates(), lexicon.titles()
    named = (
        {p for members in lex.traits.values() for p in members}
        | set(lex.offered_as)
        | set(lex.offered_as.values())
        | set(lex.rule_relations.values())
    )
    assert named and named <= set(PREDICATES)
    assert set(lex.traits) == {"directive", "material", "endorsing", "censuring", "charging", "agreement"}
    roles = {
        *titles.leaders,
        *titles.posted,
        *titles.speaks_for_issuer,
        titles.lower_post,
        *(r for posts in titles.leader_words.values() for r in posts),
    }
    assert roles and roles <= set(ROLE_TYPES)
    assert titles.relative not in ROLE_TYPES  # "counterpart" is a title, never a role
    assert titles.relative in {t.role for ts in titles.by_last_word.values() for t in ts}
