"""The scorer: name matching through gold aliases, symmetric relations, and counts."""

from __future__ import annotations

import copy
import json

import pytest

from graphbuilder.evaluate import score_document
from graphbuilder.model import Actor, Relation, extraction_from_json


@pytest.fixture
def seed_gold(gold_dev_dir):
    path = gold_dev_dir / "seed-nk-dialogue.json"
    return extraction_from_json(json.loads(path.read_text(encoding="utf-8")), origin=str(path))


def test_gold_scored_against_itself_is_perfect(seed_gold):
    for score in score_document(seed_gold, seed_gold).values():
        assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_names_match_through_gold_aliases_and_met_in_either_direction(seed_gold):
    predicted = copy.deepcopy(seed_gold)
    predicted.actors = [Actor(name="America", type="Country"), *[
        a for a in predicted.actors if a.name != "United States"]]
    predicted.relations = [Relation(subject="America", predicate="urged", object="North Korea"),
                           Relation(subject="South Korea", predicate="met", object="Japan")]
    relations = score_document(predicted, seed_gold)["relations"]
    assert relations.tp == 2 and relations.fp == 0
    assert relations.fn == len(seed_gold.relations) - 2


def test_false_hits_and_misses_are_listed_with_their_article(seed_gold):
    predicted = copy.deepcopy(seed_gold)
    predicted.relations = [Relation(subject="Japan", predicate="attacked", object="North Korea")]
    relations = score_document(predicted, seed_gold)["relations"]
    assert relations.false_hits == [("seed-nk-dialogue", "Japan", "attacked", "North Korea")]
    assert relations.precision == 0.0 and relations.recall == 0.0
    assert len(relations.misses) == len(seed_gold.relations)


@pytest.mark.model
def test_dev_corpus_scores_stay_above_the_recorded_floor(gold_dev_dir):
    from graphbuilder.evaluate import evaluate_folder

    overall, per_article = evaluate_folder(gold_dev_dir)
    assert len(per_article) == len(list(gold_dev_dir.glob("*.json")))
    # A few points under the scores measured when this floor was set (0.94 / 0.79 / 0.58):
    # a change that makes extraction worse fails here.
    assert overall["actors"].f1 >= 0.90
    assert overall["roles"].f1 >= 0.74
    assert overall["relations"].f1 >= 0.53
