"""The scorer and `graphbuilder eval`: name matching, symmetric relations, reports, floors."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass

import pytest
from typer.testing import CliRunner

from graphbuilder.cli import app
from graphbuilder.errors import UsageError
from graphbuilder.model import Actor, Relation, extraction_from_json
from graphbuilder.pipeline.evaluate import parse_thresholds, score_document


@dataclass(frozen=True)
class ScoringFacts:
    """One annotated article of a set, and statements about it the scorer must judge."""

    article: str
    alias: tuple[str, str]  # an actor, and one of its aliases
    matched: tuple[Relation, ...]  # annotated relations, one through the alias, one `met` turned round
    false_hit: tuple[str, str, str]  # no annotated relation
    missed: tuple[str, str]  # the subject of an annotated relation, and its sentence's start


SCORING_FACTS = {
    "gold": ScoringFacts(
        "seed-nk-dialogue",
        ("United States", "America"),
        (
            Relation(subject="America", predicate="urged", object="North Korea"),
            Relation(subject="South Korea", predicate="met", object="Japan"),
        ),
        ("Japan", "attacked", "North Korea"),
        ("Kim Song", "Kim Song also called out the United States"),
    ),
    "constructed": ScoringFacts(
        "guyana-statement-venezuela-naval-incursion-2025",
        ("Caribbean Community", "CARICOM"),
        (
            Relation(subject="CARICOM", predicate="supported", object="Guyana"),
            Relation(subject="Natasha Bacchus", predicate="met", object="Carlos Ramírez Oropeza"),
        ),
        ("Venezuela", "attacked", "Guyana"),
        ("Guyana", "The Government of the Co-operative Republic of Guyana strongly condemns"),
    ),
}


@pytest.fixture
def facts(annotated_set) -> ScoringFacts:
    return SCORING_FACTS[annotated_set.name]


@pytest.fixture
def sample_gold(annotated_dir, facts):
    path = annotated_dir / f"{facts.article}.json"
    return extraction_from_json(json.loads(path.read_text(encoding="utf-8")), origin=str(path))


@pytest.fixture(scope="module")
def dev_report(annotated_dir):
    from graphbuilder.pipeline.evaluate import evaluate

    return evaluate(annotated_dir)


def test_gold_scored_against_itself_is_perfect(sample_gold):
    for score in score_document(sample_gold, sample_gold).values():
        assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)


def test_names_match_through_gold_aliases_and_met_in_either_direction(sample_gold, facts):
    name, alias = facts.alias
    predicted = copy.deepcopy(sample_gold)
    predicted.actors = [Actor(name=alias, type="Country"), *[a for a in predicted.actors if a.name != name]]
    predicted.relations = list(facts.matched)
    relations = score_document(predicted, sample_gold)["relations"]
    assert relations.tp == 2 and relations.fp == 0
    assert relations.fn == len(sample_gold.relations) - 2


def test_misses_carry_the_gold_sentence_and_false_hits_the_article(sample_gold, facts):
    subject, predicate, object_ = facts.false_hit
    predicted = copy.deepcopy(sample_gold)
    predicted.relations = [Relation(subject=subject, predicate=predicate, object=object_)]
    relations = score_document(predicted, sample_gold)["relations"]
    assert [f.statement for f in relations.false_hits] == [facts.false_hit]
    assert relations.false_hits[0].article == facts.article
    assert relations.precision == 0.0 and relations.recall == 0.0
    missed, sentence = facts.missed
    assert next(f for f in relations.misses if f.statement[0] == missed).sentence.startswith(sentence)


@pytest.mark.parametrize("bad", ["relations", "relations=x", "verbs=0.5", "roles=1.5"])
def test_malformed_floors_are_usage_errors(bad):
    with pytest.raises(UsageError):
        parse_thresholds([bad])


@pytest.mark.model
def test_report_breaks_scores_down_by_predicate_role_and_article(dev_report, annotated_dir):
    assert sorted(dev_report.by_article) == sorted(p.stem for p in annotated_dir.glob("*.json"))
    relations = dev_report.overall["relations"]
    assert sum(s.tp for s in dev_report.by_predicate.values()) == relations.tp
    assert sum(s.fp for s in dev_report.by_predicate.values()) == relations.fp
    assert sum(s.fn for s in dev_report.by_predicate.values()) == relations.fn
    assert sum(s.tp + s.fn for s in dev_report.by_role.values()) == sum(
        len(json.loads(p.read_text(encoding="utf-8"))["roles"]) for p in annotated_dir.glob("*.json")
    )
    assert 0.0 < relations.f1 < 1.0


@pytest.mark.model
def test_eval_command_prints_tables_and_every_error(annotated_dir):
    result = CliRunner().invoke(app, ["eval", str(annotated_dir)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split()[:4] == ["overall", "P", "R", "F1"]
    assert "relations by predicate" in result.stdout and "roles by role" in result.stdout
    assert "missed relation:" in result.stdout and "«" in result.stdout


@pytest.mark.model
def test_eval_json_has_the_same_numbers_as_the_report(annotated_dir, dev_report):
    result = CliRunner().invoke(app, ["eval", str(annotated_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["overall"]["relations"]["tp"] == dev_report.overall["relations"].tp
    assert len(data["misses"]) == sum(s.fn for s in dev_report.overall.values())


@pytest.mark.model
def test_eval_fails_under_a_floor_it_does_not_reach(constructed_dir):
    result = CliRunner().invoke(app, ["eval", str(constructed_dir), "--fail-under", "relations=1.0"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: below the floor: relations F1")
    passed = CliRunner().invoke(app, ["eval", str(constructed_dir), "--fail-under", "relations=0.0"])
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


def test_an_extractor_that_says_what_the_annotators_said_scores_perfectly(annotated_dir):
    from graphbuilder.pipeline.evaluate import evaluate

    report = evaluate(annotated_dir, extractor=GoldReplay(annotated_dir))
    assert {kind: round(report.overall[kind].f1, 6) for kind in report.overall} == {
        "actors": 1.0,
        "roles": 1.0,
        "relations": 1.0,
    }


def test_an_extractor_that_finds_no_relations_scores_none(annotated_dir):
    from graphbuilder.pipeline.evaluate import evaluate

    report = evaluate(annotated_dir, extractor=GoldReplay(annotated_dir, keep_relations=False))
    annotated = sum(len(json.loads(p.read_text("utf-8"))["relations"]) for p in annotated_dir.glob("*.json"))
    assert report.overall["relations"].f1 == 0.0
    assert report.overall["relations"].fn == annotated and report.overall["actors"].f1 == 1.0


class ActorsOnly(GoldReplay):
    """An extractor that finds the annotated actors and nothing else: every role and
    relation of the gold is a miss."""

    def extract_stream(self, documents):
        for gold in super().extract_stream(documents):
            gold.roles, gold.relations = [], []
            yield gold


@pytest.fixture(scope="module")
def misses_report(annotated_dir):
    from graphbuilder.pipeline.evaluate import evaluate

    return evaluate(annotated_dir, extractor=ActorsOnly(annotated_dir))


def error_list(table: str) -> list[str]:
    """Return the lines of the error list that ends the eval table."""
    lines = table.splitlines()
    return lines[next(i for i, line in enumerate(lines) if line.startswith("errors (")) + 1 :]


def test_eval_error_list_names_roles_and_relations_by_their_labels(misses_report):
    from graphbuilder.cli.evaluate import render_table

    errors = "\n".join(error_list(render_table(misses_report)))
    assert " | agreed with | " in errors and " | head of state" in errors
    assert "agreed_with" not in errors and "head_of_state" not in errors


def test_eval_json_keeps_the_names_of_roles_and_relations(misses_report):
    statements = [m["statement"] for m in misses_report.to_json()["misses"]]
    assert any(s[1] == "agreed_with" for s in statements if len(s) == 3)
    assert any(s[1] == "head_of_state" for s in statements if len(s) == 4)
    assert not any(s[1] in ("agreed with", "head of state") for s in statements)


def test_eval_error_list_is_cut_to_a_terminals_width(misses_report):
    from graphbuilder.cli.evaluate import render_table
    from graphbuilder.sparql.table import ELLIPSIS

    cut = error_list(render_table(misses_report, width=60))
    assert max(len(line) for line in cut) <= 60 and any(line.endswith(ELLIPSIS) for line in cut)
    whole = error_list(render_table(misses_report))
    assert len(whole) == len(cut) and max(len(line) for line in whole) > 60
    assert not any(line.endswith(ELLIPSIS) for line in whole)


def test_eval_command_cuts_the_error_list_only_on_a_terminal(annotated_dir, monkeypatch):
    import graphbuilder.cli._util as cli_util
    import graphbuilder.pipeline.evaluate as scoring
    from graphbuilder.sparql.table import ELLIPSIS

    real = scoring.evaluate
    monkeypatch.setattr(
        scoring, "evaluate", lambda gold, model=None: real(gold, extractor=ActorsOnly(annotated_dir))
    )
    monkeypatch.setenv("COLUMNS", "70")
    piped = CliRunner().invoke(app, ["eval", str(annotated_dir)])
    assert piped.exit_code == 0, piped.output
    assert ELLIPSIS not in piped.stdout and max(map(len, piped.stdout.splitlines())) > 70
    monkeypatch.setattr(cli_util, "_is_terminal", lambda: True)
    shown = CliRunner().invoke(app, ["eval", str(annotated_dir)])
    assert ELLIPSIS in shown.stdout and max(map(len, error_list(shown.stdout))) <= 70
