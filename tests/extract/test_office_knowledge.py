"""World knowledge of office holders: the bundled table, checked as it loads, and the posts
and identities it gives people the text names at the article's date.

The extraction cases are sentences written for this file, read by the trained spaCy
pipeline; each sits beside a near miss (a past post, a date outside the holding, a name
with no person behind it, a post the text gives otherwise).
"""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import OWL, URIRef

from graphbuilder.extract.knowledge import OfficeHolders, office_holders
from graphbuilder.model import Document


def _record(**fields):
    base = {
        "name": "Ana Pérez",
        "aliases": [],
        "wikidata": "Q1",
        "role": "head_of_state",
        "office": "President of Peru",
        "of": "Peru",
        "start": "2010-07-28",
        "end": "2015-07-28",
        "source": "test",
    }
    return {**base, **fields}


# -- the table and its check ------------------------------------------------------------


def test_a_holding_is_current_only_between_its_dates():
    table = OfficeHolders([_record()])
    assert [h.of for h in table.held_by("Ana Perez", dt.date(2012, 1, 1))] == ["Peru"]
    assert table.held_by("Ana Pérez", dt.date(2016, 1, 1)) == []
    assert table.held_by("Ana Pérez", dt.date(2010, 7, 27)) == []


def test_partial_dates_are_read_as_widely_as_they_allow():
    table = OfficeHolders([_record(start="2019", end="2021-03")])
    assert table.held_by("Ana Pérez", dt.date(2019, 1, 1))
    assert table.held_by("Ana Pérez", dt.date(2021, 3, 31))
    assert not table.held_by("Ana Pérez", dt.date(2021, 4, 1))
    assert not table.held_by("Ana Pérez", dt.date(2018, 12, 31))


def test_the_check_drops_and_fixes_what_is_wrong_and_says_so():
    table = OfficeHolders(
        [
            _record(name="Q444"),  # an ID for a name
            _record(name="Luis Vega", start="2001-06-06", end="2001-05-27"),  # ends before it starts
            _record(name="Old Regent", start="1861", end=None),  # a lost end date
            _record(name="Eva Ruiz", role="minister", to="check this"),  # a note in `to`
            _record(name="Tomás Ríos", wikidata="Q9"),
            _record(name="Tomas Rios", wikidata="Q9", start="2016-01-01", end=None),
            _record(name="Tomás Ríos", wikidata=None, role="minister", start="2005", end="2006"),
        ]
    )
    names = sorted({h.name for h in table.holdings})
    assert names == ["Eva Ruiz", "Tomás Ríos"]  # one person, the accented spelling
    assert next(h for h in table.holdings if h.name == "Eva Ruiz").to is None
    assert {h.wikidata for h in table.holdings if h.name != "Eva Ruiz"} == {"Q9"}
    report = "\n".join(table.problems)
    for said in (
        "Wikidata ID",
        "ends (2001-05-27) before it starts",
        "held since 1861",
        "is a note",
        "Q9 is written",
        "filled in",
    ):
        assert said in report


def test_a_clean_table_reports_no_problem():
    table = OfficeHolders([_record(), _record(name="Luis Vega", wikidata="Q2", start="2015-07-28", end=None)])
    assert table.problems == []
    assert len(table.holdings) == 2


def test_the_bundled_table_loads_checked_with_the_errors_it_is_known_to_have():
    table = office_holders()
    assert len(table.holdings) > 3900
    report = "\n".join(table.problems)
    assert "Tamirat Layne" in report and "Q788903" in report and "Andy Burnham" in report
    assert not any(h.name == "Andy Burnham" for h in table.holdings)
    day = dt.date(2016, 1, 6)
    assert [(h.role, h.of) for h in table.held_by("John Kerry", day)] == [("minister", "United States")]
    assert {h.of for h in table.held_by("Kim Jong Un", day)} == {"North Korea"}
    assert table.held_by("John Kerry", dt.date(2018, 1, 1)) == []


# -- posts from knowledge -------------------------------------------------------------


@pytest.fixture(scope="module")
def extractor():
    from graphbuilder.extract import SpacyExtractor

    return SpacyExtractor()


def _read(extractor, text: str, date: str | None, publisher: str | None = None):
    return extractor.extract(Document(id="t", text=text, date=date, publisher=publisher))


def _roles(extraction) -> set[tuple]:
    return {(r.holder, r.role, r.of, r.to) for r in extraction.roles}


@pytest.mark.model
def test_a_bare_title_takes_the_post_its_holder_held_that_day(extractor):
    e = _read(extractor, "President Hugo Chavez expelled the American ambassador on Thursday.", "2008-09-12")
    assert _roles(e) == {("Hugo Chavez", "head_of_state", "Venezuela", None)}
    role = e.roles[0]
    assert role.rule == "knowledge" and 0 < role.confidence < 1
    assert role.title == "President"
    assert next(a for a in e.actors if a.name == "Hugo Chavez").wikidata == "Q8440"


@pytest.mark.model
def test_a_holding_outside_its_dates_gives_nothing(extractor):
    e = _read(extractor, "President Hugo Chavez expelled the American ambassador on Thursday.", "2015-09-12")
    assert _roles(e) == set()
    assert "Hugo Chavez" in {a.name for a in e.actors}  # still a person, with no post


@pytest.mark.model
def test_a_former_post_gives_nothing(extractor):
    e = _read(extractor, "Former President Hugo Chavez criticized the American ambassador.", "2008-09-12")
    assert _roles(e) == set()
    assert "Hugo Chavez" in {a.name for a in e.actors}


@pytest.mark.model
def test_an_undated_article_gets_nothing_from_knowledge(extractor):
    e = _read(extractor, "President Hugo Chavez expelled the American ambassador.", None)
    assert _roles(e) == set()
    assert "Hugo Chavez" in {a.name for a in e.actors}


@pytest.mark.model
def test_the_text_beats_knowledge(extractor):
    # In March 2020 Boris Johnson was prime minister; the text calls him foreign secretary.
    e = _read(
        extractor, "British Foreign Secretary Boris Johnson met Chinese officials in London.", "2020-03-02"
    )
    assert _roles(e) == {("Boris Johnson", "minister", "United Kingdom", None)}
    assert e.roles[0].rule != "knowledge"


@pytest.mark.model
def test_a_person_named_without_title_holds_the_post_of_that_day(extractor):
    e = _read(extractor, "Kim Jong Un ordered another missile launch toward Japan.", "2017-09-15")
    assert ("Kim Jong Un", "head_of_state", "North Korea", None) in _roles(e)
    assert next(r for r in e.roles if r.holder == "Kim Jong Un").confidence < 0.9


@pytest.mark.model
def test_a_name_that_only_qualifies_an_administration_gets_no_post(extractor):
    e = _read(extractor, "The Trump administration imposed new sanctions on Iran.", "2019-06-24")
    assert not {r for r in _roles(e) if r[1] == "head_of_state"}
    assert "Iran" in {a.name for a in e.actors}


@pytest.mark.model
def test_a_surname_alone_is_the_holder_of_that_day(extractor):
    e = _read(extractor, "South Sudan's government said President Kiir would attend the talks.", "2014-02-20")
    assert ("Salva Kiir", "head_of_state", "South Sudan", None) in _roles(e)
    kiir = next(a for a in e.actors if a.name == "Salva Kiir")
    assert "Kiir" in kiir.aliases and kiir.wikidata == "Q57315"
    assert "Kiir" not in {a.name for a in e.actors}


@pytest.mark.model
def test_a_surname_before_the_holder_took_office_stays_a_surname(extractor):
    e = _read(extractor, "South Sudan's rebels said Kiir would attend the talks.", "2005-02-20")
    assert "Salva Kiir" not in {a.name for a in e.actors}
    assert {"Kiir", "South Sudan"} <= {a.name for a in e.actors}
    assert _roles(e) == set()


@pytest.mark.model
def test_a_title_finds_a_family_name_written_first(extractor):
    e = _read(
        extractor,
        "The summit between President Biden and President Yoon produced a joint statement.",
        "2022-06-01",
    )
    assert ("Yoon Suk-yeol", "head_of_state", "South Korea", None) in _roles(e)
    assert ("Joe Biden", "head_of_state", "United States", None) in _roles(e)
    e = _read(extractor, "The summit between Biden and Yoon produced a joint statement.", "2022-06-01")
    assert "Yoon Suk-yeol" not in {a.name for a in e.actors}  # no title: no given name


@pytest.mark.model
def test_a_misread_country_of_a_head_of_state_is_corrected_by_who_held_it(extractor):
    e = _read(
        extractor,
        "The memorandum was signed between President Recep Tayyip Erdogan of "
        "Turkey and President Vladimir Putin of the Russian Federation.",
        "2018-09-18",
    )
    roles = _roles(e)
    assert ("Vladimir Putin", "head_of_state", "Turkey", None) not in roles
    assert ("Vladimir Putin", "head_of_state", "Russia", None) in roles


@pytest.mark.model
def test_a_spokesman_signing_a_government_statement_speaks_for_it(extractor):
    text = (
        "Statement by Sean McCormack, Spokesman\n\nWe regret the decision of Bolivia to expel our ambassador."
    )
    e = _read(extractor, text, "2008-09-11", publisher="U.S. Department of State")
    assert ("Sean McCormack", "spokesperson", "United States", None) in _roles(e)
    e = _read(extractor, text, "2008-09-11", publisher="Voice of America")
    assert not {r for r in _roles(e) if r[0] == "Sean McCormack"}


@pytest.mark.model
def test_a_known_person_gets_owl_same_as_in_the_graph(extractor):
    from graphbuilder.rdf.dataset import extractions_to_dataset

    e = _read(extractor, "President Hugo Chavez expelled the American ambassador.", "2008-09-12")
    graph = extractions_to_dataset([e])
    same = set(graph.objects(None, OWL.sameAs))
    assert URIRef("http://www.wikidata.org/entity/Q8440") in same
    e = _read(extractor, "A spokesman named Hugo Perez expelled nobody.", "2008-09-12")
    assert URIRef("http://www.wikidata.org/entity/Q8440") not in set(
        extractions_to_dataset([e]).objects(None, OWL.sameAs)
    )


@pytest.mark.model
def test_a_role_from_knowledge_keeps_its_rule_and_confidence_through_json_and_rdf(extractor):
    from graphbuilder.model import extraction_from_json
    from graphbuilder.rdf.dataset import extractions_to_dataset
    from graphbuilder.rdf.mapping import dataset_to_extractions

    e = _read(extractor, "President Hugo Chavez expelled the American ambassador.", "2008-09-12")
    (back,) = dataset_to_extractions(extractions_to_dataset([e]))
    (role,) = back.roles
    assert (role.rule, role.confidence) == ("knowledge", 0.9)
    again = extraction_from_json(e.to_json(), origin="memory")
    assert [(r.rule, r.confidence) for r in again.roles] == [("knowledge", 0.9)]
    bad = {**e.to_json(), "roles": [{**e.to_json()["roles"][0], "confidence": 2}]}
    with pytest.raises(Exception, match="confidence"):
        extraction_from_json(bad, origin="memory")


@pytest.mark.model
def test_min_confidence_leaves_out_roles_from_knowledge_below_it(extractor, tmp_path):
    from graphbuilder.pipeline.build import build

    article = tmp_path / "a.json"
    article.write_text(
        '{"id": "a", "date": "2008-09-12", "text": "President Hugo Chavez '
        'expelled the American ambassador on Thursday."}',
        encoding="utf-8",
    )
    kept = build([article], out=tmp_path / "kept", min_confidence=0.5)
    dropped = build([article], out=tmp_path / "dropped", min_confidence=0.95)
    assert "HeadOfState" in (kept.out / "graph.trig").read_text("utf-8")
    assert "HeadOfState" not in (dropped.out / "graph.trig").read_text("utf-8")


@pytest.mark.model
def test_one_person_across_articles_whatever_each_calls_them(extractor):
    from graphbuilder.pipeline.resolve import resolve

    first = extractor.extract(
        Document(id="a", date="2022-03-05", text="Joe Biden met the envoy in Washington.")
    )
    second = extractor.extract(
        Document(id="b", date="2022-03-06", text="Joseph R. Biden met the envoy again.")
    )
    other = extractor.extract(
        Document(id="c", date="2022-03-06", text="Hunter Biden met the envoy in Manama.")
    )
    assert {a.wikidata for e in (first, second) for a in e.actors if a.type == "Person"} == {"Q6279"}
    people = {a.name for e in resolve([first, second, other]) for a in e.actors if a.type == "Person"}
    assert people == {"Joe Biden", "Hunter Biden"}


# -- who speaks as "I" ---------------------------------------------------------------------


def _headlined(extractor, title: str, text: str, date: str | None):
    extraction = extractor.extract(Document(id="t", title=title, text=text, date=date))
    assert extraction.actors, "the article's actors are found either way"
    return {(r.subject, r.predicate, r.object) for r in extraction.relations}


@pytest.mark.model
def test_a_statement_in_the_first_person_speaks_for_the_office_its_headline_names(extractor):
    triples = _headlined(
        extractor,
        "Statement attributable to the Secretary-General on Syria",
        "I condemn the attack on Aleppo by the Syrian government.",
        "2014-09-21",
    )
    assert ("Ban Ki-moon", "condemned", "Syria") in triples
    triples = _headlined(
        extractor,
        "Secretary-General António Guterres Condemns Attacks",
        "I condemn the attack on Aleppo by the Syrian government.",
        "2023-04-11",
    )
    assert ("António Guterres", "condemned", "Syria") in triples


@pytest.mark.model
def test_no_speaker_is_taken_from_a_headline_when_the_text_quotes_someone_else(extractor):
    triples = _headlined(
        extractor,
        "Secretary-General António Guterres Condemns Attacks",
        "\u201cI condemn the attack on Aleppo by the Syrian government,\u201d a witness said.",
        "2023-04-11",
    )
    assert not {t for t in triples if t[0] == "António Guterres"}
    # A name the office-holder table does not know is not read from a title-case headline.
    triples = _headlined(
        extractor,
        "Human Rights Chief Volker Türk Condemns Attacks",
        "I condemn the attack on Aleppo by the Syrian government.",
        "2023-04-11",
    )
    assert not {t for t in triples if t[1] == "condemned"}
    triples = _headlined(
        extractor,
        "Statement attributable to the Secretary-General on Syria",
        "I condemn the attack on Aleppo by the Syrian government.",
        None,
    )
    assert not {t for t in triples if t[0] == "Ban Ki-moon"}  # no date: no office holder
