"""One identity per actor across documents."""

from __future__ import annotations

from graphbuilder.model import Actor, Document, Extraction, Relation
from graphbuilder.pipeline.resolve import resolve


def _extraction(doc_id: str, actors: list[Actor], relations: list[Relation] = ()) -> Extraction:
    return Extraction(document=Document(id=doc_id, text="x"), actors=actors, relations=list(relations))


def test_country_forms_become_the_gazetteer_name_with_its_wikidata_entity():
    first = _extraction(
        "a", [Actor("U.S.", "Country"), Actor("Iran", "Country")], [Relation("U.S.", "sanctioned", "Iran")]
    )
    second = _extraction("b", [Actor("America", "Country", aliases=["the United States"])])
    resolved = resolve([first, second])
    names = {a.name for e in resolved for a in e.actors}
    assert names == {"United States", "Iran"}
    united_states = next(a for a in resolved[0].actors if a.name == "United States")
    assert united_states.wikidata == "Q30" and "U.S." in united_states.aliases
    assert [(r.subject, r.object) for r in resolved[0].relations] == [("United States", "Iran")]


def test_person_names_merge_across_documents_only_as_exact_variants():
    first = _extraction("a", [Actor("Kim Jong-un", "Person"), Actor("Joe Biden", "Person")])
    second = _extraction("b", [Actor("Kim Jong Un", "Person"), Actor("Biden", "Person")])
    resolved = resolve([first, second])
    assert {a.name for a in resolved[1].actors} == {"Kim Jong-un", "Biden"}


def test_person_names_that_differ_only_by_accents_are_one_person_spelled_with_them():
    # Two dev-corpus articles spell Togo's president both ways.
    plain = _extraction(
        "state-togo",
        [Actor("Faure Gnassingbe", "Person")],
        [Relation("United States", "urged", "Faure Gnassingbe")],
    )
    accented = _extraction("un-news", [Actor("Faure Gnassingbé", "Person")])
    for order in ([plain, accented], [accented, plain]):
        resolved = {e.document.id: e for e in resolve(order)}
        assert [a.name for a in resolved["state-togo"].actors] == ["Faure Gnassingbé"]
        assert resolved["state-togo"].actors[0].aliases == ["Faure Gnassingbe"]
        assert resolved["state-togo"].relations[0].object == "Faure Gnassingbé"
        assert [a.name for a in resolved["un-news"].actors] == ["Faure Gnassingbé"]


def test_a_different_given_name_with_the_same_accented_surname_stays_another_person():
    resolved = resolve(
        [
            _extraction("a", [Actor("Faure Gnassingbe", "Person")]),
            _extraction("b", [Actor("Kpatcha Gnassingbé", "Person")]),
        ]
    )
    assert [[a.name for a in e.actors] for e in resolved] == [["Faure Gnassingbe"], ["Kpatcha Gnassingbé"]]


def test_organization_acronyms_resolve_to_one_organization():
    resolved = resolve(
        [
            _extraction("a", [Actor("UN", "Organization")]),
            _extraction("b", [Actor("United Nations", "Organization")]),
        ]
    )
    assert {a.name for e in resolved for a in e.actors} == {"United Nations"}


def test_groups_named_by_a_demonym_stay_groups():
    resolved = resolve([_extraction("a", [Actor("North Koreans", "Group"), Actor("US", "Country")])])
    assert {(a.name, a.type) for a in resolved[0].actors} == {
        ("North Koreans", "Group"),
        ("United States", "Country"),
    }


def test_names_one_up_to_letter_case_take_the_spelling_most_articles_give_whatever_the_type():
    articles = [
        _extraction("a", [Actor("ACME Corp", "Organization"), Actor("Iran", "Country")]),
        _extraction("b", [Actor("Acme Corp", "Organization")], []),
        _extraction(
            "c",
            [Actor("Acme Corp", "Group"), Actor("ACME CORP", "Organization"), Actor("Iran", "Country")],
            [Relation("ACME CORP", "sanctioned", "Iran"), Relation("Acme Corp", "sanctioned", "Iran")],
        ),
    ]
    for order in (articles, articles[::-1]):
        resolved = {e.document.id: e for e in resolve(order)}
        assert [a.name for a in resolved["a"].actors] == ["Acme Corp", "Iran"]
        assert resolved["a"].actors[0].aliases == ["ACME Corp"]
        (acme, _) = resolved["c"].actors
        assert (acme.name, acme.type, acme.aliases) == ("Acme Corp", "Group", ["ACME CORP"])
        assert [(r.subject, r.object) for r in resolved["c"].relations] == [("Acme Corp", "Iran")]


def test_names_that_differ_by_more_than_case_stay_apart_unless_both_are_people():
    names = [("Foo Bar", "Person"), ("Foo-Bar", "Organization"), ("FOO_BAR", "Group"), ("Foo.Bar", "Country")]
    names += [("C++", "Organization"), ("C", "Organization"), ("AT&T", "Organization")]
    names += [("AT-T", "Organization"), ("Ünited", "Organization"), ("United", "Organization")]
    resolved = resolve([_extraction(f"d{i}", [Actor(name, t)]) for i, (name, t) in enumerate(names)])
    assert [e.actors[0].name for e in resolved] == [name for name, _ in names]
    people = resolve(
        [_extraction("a", [Actor("Ünited Foo", "Person")]), _extraction("b", [Actor("United-Foo", "Person")])]
    )
    assert [e.actors[0].name for e in people] == ["Ünited Foo", "Ünited Foo"]


def test_names_are_compared_without_their_invisible_control_characters():
    resolved = resolve(
        [
            _extraction("a", [Actor("Kim\u200b Jong\u2060 Un", "Person")]),
            _extraction("b", [Actor("\u202bKim Jong-un\u202c", "Person")]),
        ]
    )
    assert [e.actors[0].name for e in resolved] == ["Kim Jong Un", "Kim Jong Un"]
    assert resolved[1].actors[0].aliases == ["Kim Jong-un"]
