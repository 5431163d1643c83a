"""Evidence is shown as its whole sentence: the sentence found for hand-made extraction files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphbuilder.extract.sentences import complete_sentences, sentence_bounds
from graphbuilder.model import Document, Evidence, Extraction, Relation, Role

REPO = Path(__file__).resolve().parents[2]
CONSTRUCTED = REPO / "tests" / "data" / "constructed"

TEXT = (
    "Talks in Geneva\n"
    "The U.S. condemned North Korea on Wednesday. Mr. Kim said the launch was routine.\n\n"
    "Japan urged restraint, and China met Russia."
)


def relation(words: str, sentence: str | None = None, located: bool = True) -> Relation:
    start = TEXT.find(words) if located else None
    end = start + len(words) if start is not None else None
    return Relation("A", "condemned", "B", evidence=Evidence(words, start, end, sentence))


def extraction(*relations: Relation, roles: tuple[Role, ...] = ()) -> Extraction:
    return Extraction(Document(id="a", text=TEXT), actors=[], roles=list(roles), relations=list(relations))


def test_sentences_end_at_full_stops_but_not_abbreviations_and_at_every_line_break():
    starts, ends = sentence_bounds(TEXT)
    assert [TEXT[s:e].strip() for s, e in zip(starts, ends)] == [
        "Talks in Geneva",
        "The U.S. condemned North Korea on Wednesday.",
        "Mr. Kim said the launch was routine.",
        "Japan urged restraint, and China met Russia.",
    ]


def test_a_quotation_mark_opening_a_sentence_belongs_to_it_and_a_closing_one_stays():
    text = 'Mnuchin said in a statement. \u201cWe will act.\u201d He added: "no." Then "Go" he said.'
    starts, ends = sentence_bounds(text)
    assert [text[s:e].strip() for s, e in zip(starts, ends)] == [
        "Mnuchin said in a statement.",
        "\u201cWe will act.\u201d",
        'He added: "no."',
        'Then "Go" he said.',
    ]


def test_evidence_words_get_the_sentence_they_stand_in():
    done = complete_sentences(
        [
            extraction(
                relation("condemned North Korea"),
                relation("China met Russia"),
                roles=(Role("Kim", "official", evidence=relation("Mr. Kim").evidence),),
            )
        ]
    )[0]
    assert [r.evidence.sentence for r in done.relations] == [
        "The U.S. condemned North Korea on Wednesday.",
        "Japan urged restraint, and China met Russia.",
    ]
    assert done.roles[0].evidence.sentence == "Mr. Kim said the launch was routine."


def test_evidence_across_two_sentences_gets_both():
    done = complete_sentences([extraction(relation("Wednesday. Mr. Kim"))])[0]
    assert done.relations[0].evidence.sentence == (
        "The U.S. condemned North Korea on Wednesday. Mr. Kim said the launch was routine."
    )


def test_a_given_sentence_and_evidence_not_found_in_the_text_are_left_as_they_are():
    given = extraction(
        relation("condemned North Korea", sentence="As the file says."),
        relation("words the text does not hold", located=False),
    )
    done = complete_sentences([given])[0]
    assert [r.evidence.sentence for r in done.relations] == ["As the file says.", None]
    untouched = extraction(relation("condemned North Korea", sentence="As the file says."))
    assert complete_sentences([untouched])[0] is untouched  # nothing to do: not even copied


SAVED_WITH_EVIDENCE = ["relations", "timeline", "meetings", "condemnations", "actor-relations"]


@pytest.fixture(scope="module")
def constructed_build(tmp_path_factory):
    from graphbuilder import build

    out = tmp_path_factory.mktemp("constructed") / "out"
    build(sorted(CONSTRUCTED.glob("*.json")), out=out)
    texts = {
        json.loads(p.read_text())["id"]: json.loads(p.read_text())["text"] for p in CONSTRUCTED.glob("*.json")
    }
    return out, texts


@pytest.mark.parametrize("query", SAVED_WITH_EVIDENCE + ["hostility-between"])
def test_every_saved_query_shows_evidence_as_a_whole_sentence_of_its_article(constructed_build, query):
    import graphbuilder

    out, texts = constructed_build
    kg = graphbuilder.load(out)
    params = {"actor_name": "Iran"} if query == "actor-relations" else {}
    if query == "hostility-between":
        params = {"country_a": "Guyana", "country_b": "Venezuela"}
    rows = kg.query(query, **params)
    shown = [row for row in rows if row["evidence"]]
    assert shown, f"{query} gave no rows with evidence on the constructed set"
    for row in shown:
        text = texts[row["article"]]
        starts, ends = sentence_bounds(text)
        # Where each sentence's text begins and ends, spaces left out.
        first = {s + len(text[s:e]) - len(text[s:e].lstrip()) for s, e in zip(starts, ends)}
        last = {e - len(text[s:e]) + len(text[s:e].rstrip()) for s, e in zip(starts, ends)}
        at = text.find(row["evidence"])
        # One sentence, or consecutive ones when the stated words run across a full stop.
        assert at in first and at + len(row["evidence"]) in last, row
