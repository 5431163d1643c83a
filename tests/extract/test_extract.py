"""Extraction on real text with the trained spaCy pipeline, and date resolution alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphbuilder.extract.dates import resolve_date
from graphbuilder.model import Document, extraction_from_json

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "seed-nk-dialogue.json"


@pytest.fixture(scope="module")
def extractor():
    from graphbuilder.extract import SpacyExtractor

    return SpacyExtractor()


@pytest.fixture(scope="module")
def seed(extractor):
    document = extraction_from_json(
        json.loads(EXAMPLE.read_text(encoding="utf-8")), origin=str(EXAMPLE)
    ).document
    return extractor.extract(document)


def _doc(text: str, date: str = "2021-10-21") -> Document:
    return Document(id="t", text=text, date=date)


def _triples(extraction):
    return {(r.subject, r.predicate, r.object) for r in extraction.relations}


def _roles(extraction):
    return {(r.holder, r.role, r.of, r.to) for r in extraction.roles}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("Wednesday, October 20", "2021-10-20"),
        ("on Tuesday, October 19", "2021-10-19"),
        ("September 14", "2021-09-14"),
        ("Thursday", "2021-10-21"),  # the publication day itself is a Thursday
        ("Friday", "2021-10-15"),
        ("today", "2021-10-21"),
        ("yesterday", "2021-10-20"),
        ("December 30", "2020-12-30"),  # later than publication: the year before
        ("August 25, 2023", "2023-08-25"),
        ("12 February", "2021-02-12"),
        ("the past few years", None),
        ("October", "2021-10"),  # a month without a day: the month itself
        ("last November", "2020-11"),  # not come yet this year: the year before's
        ("late March 2019", "2019-03"),
        ("May", "2021-05"),
    ],
)
def test_date_expressions_resolve_against_the_publication_date(expression, expected):
    assert resolve_date(expression, "2021-10-21") == expected


def test_impossible_calendar_dates_resolve_to_nothing():
    assert resolve_date("February 30", "2021-10-21") is None


@pytest.mark.model
def test_seed_article_roles_come_from_titles_and_appositions(seed):
    roles = _roles(seed)
    assert ("Linda Thomas-Greenfield", "ambassador", "United States", "United Nations") in roles
    assert ("Kim Song", "ambassador", "North Korea", "United Nations") in roles
    assert ("Kim Jong-un", "head_of_state", "North Korea", None) in roles
    assert ("Joe Biden", "head_of_state", "United States", None) in roles


@pytest.mark.model
def test_seed_article_relations_from_light_verbs_control_and_conjunctions(seed):
    triples = _triples(seed)
    assert ("Linda Thomas-Greenfield", "invited", "North Korea") in triples
    assert ("Linda Thomas-Greenfield", "condemned", "North Korea") in triples
    assert ("Kim Song", "condemned", "United States") in triples
    for country in ("Japan", "South Korea", "United States"):
        assert (country, "urged", "North Korea") in triples


@pytest.mark.model
def test_negated_statement_gives_no_relation(seed):
    # "North Korea has not publicly responded to these invitations" asserts nothing, while
    # the same article's asserted acts are found.
    assert not any(r.subject == "North Korea" for r in seed.relations)
    assert any(r.object == "North Korea" for r in seed.relations)


@pytest.mark.model
def test_relation_carries_evidence_offsets_and_resolved_date(seed):
    invited = next(r for r in seed.relations if r.predicate == "invited")
    text = seed.document.text
    assert invited.date == "2021-10-20"
    assert text[invited.evidence.start : invited.evidence.end] == invited.evidence.text
    assert "extended an invitation to North Korea" in invited.evidence.sentence
    assert invited.rule == "light-verb" and 0 < invited.confidence <= 1


@pytest.mark.model
def test_aliases_merge_inside_a_document(seed):
    by_name = {a.name: a for a in seed.actors}
    assert {"US", "America"} <= set(by_name["United States"].aliases)
    assert "North Korean" in by_name["North Korea"].aliases
    assert "Thomas-Greenfield" in by_name["Linda Thomas-Greenfield"].aliases
    assert by_name["United States"].wikidata == "Q30"


@pytest.mark.model
@pytest.mark.parametrize(
    "sentence",
    [
        "Japan may meet North Korea next month.",
        "Japan will condemn North Korea.",
        "If Japan invites North Korea, talks could follow.",
        "Did Japan condemn North Korea?",
        "Japan did not condemn North Korea.",
        "Japan wants to meet North Korea.",
    ],
)
def test_hypothetical_negated_and_questioned_acts_give_no_relation(extractor, sentence):
    assert _triples(extractor.extract(_doc(sentence))) == set()
    # Its positive twin: the same act, asserted, is found.
    assert _triples(extractor.extract(_doc("Japan condemned North Korea on Monday."))) == {
        ("Japan", "condemned", "North Korea")
    }


@pytest.mark.model
def test_passive_voice_gives_the_agent_as_subject(extractor):
    extraction = extractor.extract(_doc("North Korea was condemned by Japan on Monday."))
    assert _triples(extraction) == {("Japan", "condemned", "North Korea")}
    assert extraction.relations[0].date == "2021-10-18"


@pytest.mark.model
def test_possessor_of_an_event_noun_is_the_target(extractor):
    extraction = extractor.extract(_doc("France condemned Russia's invasion of Ukraine."))
    triples = _triples(extraction)
    assert ("France", "condemned", "Russia") in triples
    assert ("Russia", "attacked", "Ukraine") in triples


@pytest.mark.model
def test_met_is_recorded_once_for_both_directions(extractor):
    extraction = extractor.extract(
        _doc("Chinese Foreign Minister Wang Yi met with Russian Foreign Minister Sergey Lavrov in Beijing.")
    )
    assert _triples(extraction) == {("Wang Yi", "met", "Sergey Lavrov")}
    assert ("Wang Yi", "minister", "China", None) in _roles(extraction)
    assert ("Sergey Lavrov", "minister", "Russia", None) in _roles(extraction)


@pytest.mark.model
def test_headings_do_not_run_into_the_next_paragraph(seed):
    kim_song = next(r for r in seed.roles if r.holder == "Kim Song")
    assert kim_song.evidence.sentence.startswith("These invitations")


@pytest.mark.model
def test_plural_demonyms_are_groups_not_the_country(seed):
    by_name = {a.name: a for a in seed.actors}
    assert by_name["Americans"].type == "Group"
    assert "Americans" not in by_name["United States"].aliases


@pytest.mark.model
def test_an_article_longer_than_the_parser_reads_is_an_input_error(extractor):
    from graphbuilder.errors import InputError

    too_long = Document(id="long", text="x " * (extractor.nlp.max_length // 2 + 1), path="long.txt")
    with pytest.raises(InputError, match="long.txt: the article is"):
        extractor.extract_all([too_long])


def _one(extractor, text: str, **fields):
    return extractor.extract(Document(id="t", text=text, date="2023-01-04", **fields))


@pytest.mark.model
def test_copula_gives_a_role_unless_negated(extractor):
    assert _roles(_one(extractor, "Sergey Lavrov is Russia's foreign minister.")) == {
        ("Sergey Lavrov", "minister", "Russia", None)
    }
    assert ("Wang Yi", "minister", "China", None) in _roles(
        _one(extractor, "Wang Yi, who is China's foreign minister, met Antony Blinken on Monday.")
    )
    assert _roles(_one(extractor, "Kim Yo-jong is not North Korea's leader.")) == set()


@pytest.mark.model
def test_capital_as_agent_is_its_government_but_not_as_a_place(extractor):
    extraction = _one(extractor, "Moscow condemned Kyiv. Delegates met in Moscow.")
    assert ("Russia", "condemned", "Ukraine") in _triples(extraction)
    links = {(c.mention, c.actor, c.rule) for c in extraction.coreference}
    assert ("Moscow", "Russia", "capital-metonym") in links
    assert sum(1 for c in extraction.coreference if c.mention == "Moscow") == 1


@pytest.mark.model
def test_pronouns_and_definite_descriptions_are_linked_and_recorded(extractor):
    extraction = _one(
        extractor,
        "Iranian President Hassan Rouhani spoke on Monday. "
        "He condemned Israel. The country also accused the United States.",
    )
    triples = _triples(extraction)
    assert ("Hassan Rouhani", "condemned", "Israel") in triples
    rules = {(c.mention, c.actor, c.rule) for c in extraction.coreference}
    assert ("He", "Hassan Rouhani", "pronoun") in rules
    # "the country" is the last country the text named (coref.py), here Israel.
    assert ("country", "Israel", "definite-description") in rules
    assert ("Israel", "accused", "United States") in triples


@pytest.mark.model
def test_official_we_falls_back_to_the_issuing_government(extractor):
    extraction = _one(
        extractor, "We condemn the attack on Ukraine by Russia.", publisher="U.S. Department of State"
    )
    assert ("United States", "condemned", "Russia") in _triples(extraction)
    assert any(c.rule == "issuer-we" for c in extraction.coreference)


@pytest.mark.model
def test_collective_nouns_refer_back_to_the_countries_named_together(extractor):
    extraction = _one(
        extractor, "Japan, South Korea and Australia held talks in Tokyo. These allies condemned North Korea."
    )
    triples = _triples(extraction)
    for country in ("Japan", "South Korea", "Australia"):
        assert (country, "condemned", "North Korea") in triples


@pytest.mark.model
def test_those_who_act_during_a_meeting_met(extractor):
    extraction = _one(
        extractor, "During the March 3 meeting, France and Germany urged Iran to return to talks."
    )
    triples = _triples(extraction)
    assert ("France", "met", "Germany") in triples
    assert ("France", "urged", "Iran") in triples and ("Germany", "urged", "Iran") in triples
    met = next(r for r in extraction.relations if r.predicate == "met")
    assert met.date == "2022-03-03" and met.rule == "noun-during"


@pytest.mark.model
def test_an_accusation_asserts_the_accusing_not_the_accused_act(extractor):
    triples = _triples(_one(extractor, "Ukraine accused Belarus of supporting Russia."))
    assert ("Ukraine", "accused", "Belarus") in triples
    assert ("Belarus", "supported", "Russia") not in triples


@pytest.mark.model
def test_titles_listed_after_a_qualified_group_take_its_country(extractor):
    roles = _roles(
        _one(
            extractor,
            "The envoy met senior Jordanian leaders: King Abdullah and Crown Prince Hussein bin Abdullah.",
        )
    )
    assert ("Abdullah", "head_of_state", "Jordan", None) in roles
    assert ("Hussein bin Abdullah", "official", "Jordan", None) in roles


@pytest.mark.model
def test_his_country_takes_the_country_of_the_person_meant(extractor):
    roles = _roles(
        _one(
            extractor,
            "Egyptian Foreign Minister Sameh Shoukry said his country's "
            "president, Abdel Fattah el-Sisi, would attend.",
        )
    )
    assert ("Sameh Shoukry", "minister", "Egypt", None) in roles
    assert ("Abdel Fattah el-Sisi", "head_of_state", "Egypt", None) in roles


@pytest.mark.model
def test_two_titles_in_apposition_belong_to_one_person(extractor):
    roles = _roles(
        _one(
            extractor, "The talks were led by the African Union Mediator, President Uhuru Kenyatta of Kenya."
        )
    )
    assert ("Uhuru Kenyatta", "head_of_state", "Kenya", None) in roles
    assert ("Uhuru Kenyatta", "official", "African Union", None) in roles


@pytest.mark.model
def test_welcoming_an_agreement_supports_its_parties_not_the_welcomers(extractor):
    triples = _triples(
        _one(
            extractor,
            "Ethiopia and Somalia agreed on Thursday to resume talks. "
            "France and Germany welcomed the agreement.",
        )
    )
    assert ("Ethiopia", "agreed_with", "Somalia") in triples
    for welcomer in ("France", "Germany"):
        assert (welcomer, "supported", "Ethiopia") in triples
        assert (welcomer, "supported", "Somalia") in triples
    assert ("France", "supported", "Germany") not in triples


@pytest.mark.model
def test_received_support_comes_from_the_giver(extractor):
    triples = _triples(_one(extractor, "Guyana has received statements of support from Brazil."))
    assert triples == {("Brazil", "supported", "Guyana")}


@pytest.mark.model
def test_the_government_of_a_country_acts_as_the_country(extractor):
    triples = _triples(_one(extractor, "The Government of Kosovo condemned Serbia on Monday."))
    assert triples == {("Kosovo", "condemned", "Serbia")}


@pytest.mark.model
def test_a_by_phrase_in_active_voice_is_not_the_agent(extractor):
    triples = _triples(_one(extractor, "Norway condemned the rocket fire into Israel by Hamas."))
    assert ("Norway", "condemned", "Hamas") in triples
    assert ("Hamas", "attacked", "Israel") in triples
    assert ("Hamas", "condemned", "Israel") not in triples


@pytest.mark.model
def test_a_name_with_a_title_in_apposition_is_a_person(extractor):
    extraction = _one(extractor, "The envoy held talks today with Kosovo’s Prime Minister, Arben Krasniqi.")
    types = {a.name: a.type for a in extraction.actors}
    assert types.get("Arben Krasniqi") == "Person"
    assert ("Arben Krasniqi", "head_of_government", "Kosovo", None) in _roles(extraction)


@pytest.mark.model
def test_a_title_inside_another_title_is_not_a_post_of_its_own(extractor):
    extraction = _one(
        extractor,
        "The UN Secretary-General’s Personal Envoy for Sudan, Halvard "
        "Lindqvist, urged the Rapid Support Forces to return to talks.",
    )
    # An envoy "for Sudan" is posted to Sudan; the Secretary-General is no post of Lindqvist's.
    assert _roles(extraction) == {("Halvard Lindqvist", "ambassador", "United Nations", "Sudan")}
    assert not any(c.mention == "Secretary-General" for c in extraction.coreference)


def _within(seconds: int, work):
    """Run `work`, failing the test (instead of hanging the suite) if it never returns."""
    import signal

    def stop(*_):
        raise AssertionError(f"did not finish in {seconds} s: a loop that never ends")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        return work()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_climbing_to_a_verb_stops_at_a_root_that_is_not_a_verb():
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from graphbuilder.extract.syntax import tense, verb_above

    # "posture toward Hungary Thursday": every head chain ends at the noun "posture".
    doc = Doc(
        Vocab(),
        words=["posture", "toward", "Hungary", "Thursday"],
        heads=[0, 0, 1, 0],
        deps=["ROOT", "prep", "pobj", "npadvmod"],
        pos=["NOUN", "ADP", "PROPN", "PROPN"],
    )
    assert _within(10, lambda: verb_above(doc[3])) is None
    assert _within(10, lambda: verb_above(doc[2])) is None
    assert _within(10, lambda: tense(doc[2])) is None


def test_a_sentence_whose_root_is_a_noun_is_extracted(extractor):
    text = (
        "El Salvador Secretary of State Bongani Mirza expressed concern Thursday about "
        "what he called Gambia\u2019s \u201caggressive posture\u201d toward Hungary as he "
        "met with Hungarian Foreign Minister Sofia Hashemi hours before scheduled talks with "
        "Gambian counterpart Teodor Shevchenko."
    )
    extraction = _within(30, lambda: extractor.extract(_doc(text, "2024-01-29")))
    assert "Hungary" in {a.name for a in extraction.actors}


def test_the_document_index_answers_as_spacy_does(extractor):
    from graphbuilder.extract.syntax import doc_index

    doc = extractor.nlp(
        "Did Japan condemn North Korea on Monday? The United Nations met in "
        "New York on 3 May.\n\nPresident Joe Biden visited Tokyo last week."
    )
    index = doc_index(doc)
    assert doc_index(doc) is index  # made once per document
    for token in doc:
        entity = next((e for e in doc.ents if e.start <= token.i < e.end), None)
        assert index.entity_at(token.i) == entity
        assert index.in_question(token.i) == token.sent.text.rstrip().endswith("?")
        assert index.sentence_entities(token.sent) == list(token.sent.ents)
    assert index.in_question(1) and not index.in_question(len(doc) - 1)
    assert [e.text for e in index.sentence_entities(doc[-2].sent)] == ["Joe Biden", "Tokyo", "last week"]


def test_parsed_documents_are_freed_without_the_garbage_collector(extractor):
    # A cycle through a Doc's own data keeps every parsed Doc of a build (and its
    # tensors) alive until the collector runs: memory then grows with the corpus.
    import gc

    from spacy.tokens import Doc

    texts = [
        "Japan condemned North Korea in Tokyo on Monday.",
        "Did China meet Russia?",
        "The European Union sanctioned Belarus, Brussels said.",
    ]
    gc.collect()
    gc.disable()
    try:
        for text in texts:
            doc = extractor.nlp(text)
            extractor._extract(_doc(text), doc)
            del doc
        alive = [o for o in gc.get_objects() if isinstance(o, Doc) and o.text in texts]
    finally:
        gc.enable()
    assert len(alive) <= 1  # the last one, until the next document replaces it
