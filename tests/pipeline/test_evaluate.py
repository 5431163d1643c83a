"""The scorer and `graphbuilder eval`: name matching, symmetric relations, reports, floors."""

from __future__ import annotations

import copy
import json

import pytest
from typer.testing import CliRunner

from graphbuilder.cli import app
from graphbuilder.errors import UsageError
from graphbuilder.model import Actor, Relation, extraction_from_json
from graphbuilder.pipeline.evaluate import parse_thresholds, score_document


@pytest.fixture
def seed_gold(gold_dev_dir):
    path = gold_dev_dir / "seed-nk-dialogue.json"
    return extraction_from_json(json.loads(path.read_text(encoding="utf-8")), origin=str(path))


@pytest.fixture(scope="module")
def dev_report(gold_dev_dir):
    from graphbuilder.pipeline.evaluate import evaluate

    return evaluate(gold_dev_dir)


def test_gold_scored_against_itself_is_perfect(seed_gold):
    for score in score_document(seed_gold, seed_gold).values():
        assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_names_match_through_gold_aliases_and_met_in_either_direction(seed_gold):
    predicted = copy.deepcopy(seed_gold)
    predicted.actors = [
        Actor(name="America", type="Country"),
        *[a for a in predicted.actors if a.name != "United States"],
    ]
    predicted.relations = [
        Relation(subject="America", predicate="urged", object="North Korea"),
        Relation(subject="South Korea", predicate="met", object="Japan"),
    ]
    relations = score_document(predicted, seed_gold)["relations"]
    assert relations.tp == 2 and relations.fp == 0
    assert relations.fn == len(seed_gold.relations) - 2


def test_misses_carry_the_gold_sentence_and_false_hits_the_article(seed_gold):
    predicted = copy.deepcopy(seed_gold)
    predicted.relations = [Relation(subject="Japan", predicate="attacked", object="North Korea")]
    relations = score_document(predicted, seed_gold)["relations"]
    assert [f.statement for f in relations.false_hits] == [("Japan", "attacked", "North Korea")]
    assert relations.false_hits[0].article == "seed-nk-dialogue"
    assert relations.precision == 0.0 and relations.recall == 0.0
    kim = next(f for f in relations.misses if f.statement[0] == "Kim Song")
    assert kim.sentence.startswith("Kim Song also called out the United States")


@pytest.mark.parametrize("bad", ["relations", "relations=x", "verbs=0.5", "roles=1.5"])
def test_malformed_floors_are_usage_errors(bad):
    with pytest.raises(UsageError):
        parse_thresholds([bad])


@pytest.mark.model
def test_report_breaks_scores_down_by_predicate_role_and_article(dev_report, gold_dev_dir):
    assert sorted(dev_report.by_article) == sorted(p.stem for p in gold_dev_dir.glob("*.json"))
    relations = dev_report.overall["relations"]
    assert sum(s.tp for s in dev_report.by_predicate.values()) == relations.tp
    assert sum(s.fp for s in dev_report.by_predicate.values()) == relations.fp
    assert sum(s.fn for s in dev_report.by_predicate.values()) == relations.fn
    assert sum(s.tp + s.fn for s in dev_report.by_role.values()) == sum(
        len(json.loads(p.read_text(encoding="utf-8"))["roles"]) for p in gold_dev_dir.glob("*.json")
    )
    assert 0.0 < relations.f1 < 1.0


@pytest.mark.model
def test_eval_command_prints_tables_and_every_error(gold_dev_dir):
    result = CliRunner().invoke(app, ["eval", str(gold_dev_dir)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split()[:4] == ["overall", "P", "R", "F1"]
    assert "relations by predicate" in result.stdout and "roles by role" in result.stdout
    assert "missed relation:" in result.stdout and "«" in result.stdout


@pytest.mark.model
def test_eval_json_has_the_same_numbers_as_the_report(gold_dev_dir, dev_report):
    result = CliRunner().invoke(app, ["eval", str(gold_dev_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["overall"]["relations"]["tp"] == dev_report.overall["relations"].tp
    assert len(data["misses"]) == sum(s.fn for s in dev_report.overall.values())


@pytest.mark.model
def test_eval_fails_under_a_floor_it_does_not_reach(gold_dev_dir):
    result = CliRunner().invoke(app, ["eval", str(gold_dev_dir), "--fail-under", "relations=1.0"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: below the floor: relations F1")
    passed = CliRunner().invoke(app, ["eval", str(gold_dev_dir), "--fail-under", "relations=0.0"])
    assert passed.exit_code == 0


def test_eval_of_bare_articles_is_a_usage_error(tmp_path):
    article = tmp_path / "a.json"
    article.write_text(json.dumps({"id": "a", "text": "Japan met China."}), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(article)])
    assert result.exit_code == 2
    assert "no gold annotations" in result.stderr


class GoldReplay:
    """An extractor that says what the annotators said: the gold files themselves."""

    fingerprint = "gold-replay"

    def __init__(self, folder, keep_relations: bool = True) -> None:
        self.gold = {
            g.document.id: g
            for g in (
                extraction_from_json(json.loads(p.read_text(encoding="utf-8")), origin=str(p))
                for p in sorted(folder.glob("*.json"))
            )
        }
        self.keep_relations = keep_relations

    def extract_stream(self, documents):
        for document in documents:
            gold = copy.deepcopy(self.gold[document.id])
            if not self.keep_relations:
                gold.relations = []
            yield gold


def test_an_extractor_that_says_what_the_annotators_said_scores_perfectly(gold_dev_dir):
    from graphbuilder.pipeline.evaluate import evaluate

    report = evaluate(gold_dev_dir, extractor=GoldReplay(gold_dev_dir))
    assert {kind: round(report.overall[kind].f1, 6) for kind in report.overall} == {
        "actors": 1.0,
        "roles": 1.0,
        "relations": 1.0,
    }


def test_an_extractor_that_finds_no_relations_scores_none(gold_dev_dir):
    from graphbuilder.pipeline.evaluate import evaluate

    report = evaluate(gold_dev_dir, extractor=GoldReplay(gold_dev_dir, keep_relations=False))
    assert report.overall["relations"].f1 == 0.0
    assert report.overall["relations"].fn > 200 and report.overall["actors"].f1 == 1.0
