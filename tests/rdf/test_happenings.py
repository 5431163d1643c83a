"""Reports of one act in several articles become one happening (rdf/happenings.py).

Most tests run the real code over the resolved gold extractions of the constructed
multi-article set (tests/data/same-happenings, see its README): the texts were written to
report the same happenings differently, and happenings.json says by hand which reports
are of one happening. The last tests check the confidence (noisy-OR over independent
sources) and the best-supported date on small extractions made here. No spaCy model.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from graphbuilder.extract.lexicon import predicates
from graphbuilder.ingest.reader import read_inputs
from graphbuilder.model import Document, Extraction, Relation
from graphbuilder.pipeline.resolve import resolve
from graphbuilder.rdf.happenings import DEFAULT_WINDOW, Happening, happenings, reports_of, source_of

REPO = Path(__file__).resolve().parents[2]
SET = REPO / "tests" / "data" / "same-happenings"
SYMMETRIC = predicates().symmetric

# The articles of the constructed set (tests/data/same-happenings/README.md).
SUMMIT = "jakarta-summit-pacificwire-2025-03-11"  # "met in Jakarta on Tuesday" (2025-03-11)
TALKS = "doyle-wibisono-talks-nusantarapost-2025-03-12"  # undated "held talks", published the next day
WRITTEN_OUT = "wibisono-doyle-southerncross-2025-03-12"  # "On 11 March ... met"
MANILA = "doyle-wibisono-manila-harbourdaily-2025-04-15"  # the same two leaders, five weeks later
LAST_WEEK = "fraser-surabaya-pacificwire-2025-03-21"  # "last week's talks", ten days after
SANCTIONS_DAY = "canada-sanctions-myanmar-mapleleaf-2025-03-20"  # "on Wednesday" (2025-03-19)
SANCTIONS_MONTH = "myanmar-junta-canada-mekongledger-2025-04-03"  # "imposed ... in March"
ADDIS = "alemu-nairobi-talks-addischronicle-2025-06-10"  # Alemu held talks with Wanjiru
NAIROBI = "wanjiru-alemu-riftvalley-2025-06-11"  # Wanjiru met Alemu
LAUNCH = ("japan-condemns-launch-eastasiamonitor-2025-05-08", "tokyo-denounces-launch-kanto-2025-05-08")
SECOND_LAUNCH = "japan-second-launch-eastasiamonitor-2025-05-22"
FISHING_CREW = "japan-fishing-crew-seaboardtimes-2025-05-15"  # undated, another condemnation
HITS_BACK = "north-korea-hits-back-pacificwire-2025-05-09"  # North Korea condemned Japan


@pytest.fixture(scope="module")
def extractions() -> list[Extraction]:
    articles = read_inputs(sorted((SET / "articles").glob("*.json")))
    assert len(articles) == 14 and all(isinstance(a, Extraction) for a in articles)
    return resolve(articles)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def bench():
    """Return bench/event_merging.py (bench/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("event_merging", REPO / "bench" / "event_merging.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defined
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def found(
    extractions, predicate: str, *actors: str, window: int | None = DEFAULT_WINDOW, symmetric=SYMMETRIC
):
    """Return the happenings of `predicate` between `actors` (in that order unless symmetric)."""
    return [
        h
        for h in happenings(extractions, window, symmetric)
        if h.predicate == predicate
        and (
            [h.agent, h.target] == list(actors)
            or (predicate in symmetric and {h.agent, h.target} == set(actors))
        )
    ]


def articles(happening: Happening) -> list[str]:
    return sorted(r.article for r in happening.reports)


def meetings(extractions, window: int | None = DEFAULT_WINDOW) -> list[list[str]]:
    return [
        articles(h) for h in found(extractions, "met", "Arief Wibisono", "Catherine Doyle", window=window)
    ]


# -- the constructed set, with the real code ------------------------------------------------


def test_three_reports_of_one_meeting_are_one_happening(extractions):
    jakarta = [
        h for h in found(extractions, "met", "Arief Wibisono", "Catherine Doyle") if SUMMIT in articles(h)
    ]
    assert len(jakarta) == 1
    assert articles(jakarta[0]) == sorted([SUMMIT, TALKS, WRITTEN_OUT])
    assert jakarta[0].date == "2025-03-11" and jakarta[0].articles == 3


def test_without_merging_the_three_reports_stay_three(extractions):
    alone = [a for a in meetings(extractions, window=None) if set(a) & {SUMMIT, TALKS, WRITTEN_OUT}]
    assert sorted(alone) == sorted([[SUMMIT], [TALKS], [WRITTEN_OUT]])


def test_two_meetings_a_month_apart_stay_two(extractions):
    by_date = {h.date: articles(h) for h in found(extractions, "met", "Arief Wibisono", "Catherine Doyle")}
    assert by_date["2025-04-15"] == [MANILA]
    assert MANILA not in by_date["2025-03-11"]


def test_one_meeting_reported_by_several_articles_is_one_happening_per_day_and_not_per_report(extractions):
    # The twin of the one above: the same-day reports do join; only the other day stays apart.
    dated = [h for h in found(extractions, "met", "Arief Wibisono", "Catherine Doyle") if h.date]
    assert sorted(len(h.reports) for h in dated) == [1, 3]


def test_a_month_only_date_joins_the_day_of_that_month(extractions):
    [sanctions] = found(extractions, "sanctioned", "Canada", "Myanmar")
    assert articles(sanctions) == sorted([SANCTIONS_DAY, SANCTIONS_MONTH])
    assert sanctions.date == "2025-03-19"  # the day beats the month


def test_a_month_only_date_of_another_month_stays_apart(extractions):
    moved = [
        replace(
            e,
            relations=[replace(r, date="2025-04") if r.predicate == "sanctioned" else r for r in e.relations],
        )
        if e.document.id == SANCTIONS_MONTH
        else e
        for e in extractions
    ]
    assert sorted(articles(h) for h in found(moved, "sanctioned", "Canada", "Myanmar")) == [
        [SANCTIONS_DAY],
        [SANCTIONS_MONTH],
    ]


def test_an_undated_report_ten_days_later_stays_apart_at_three_days(extractions):
    assert [LAST_WEEK] in meetings(extractions, window=3)
    assert [LAST_WEEK] in meetings(extractions, window=7)


def test_an_undated_report_ten_days_later_joins_at_fourteen_days(extractions):
    joined = [a for a in meetings(extractions, window=14) if LAST_WEEK in a]
    assert joined == [sorted([SUMMIT, TALKS, WRITTEN_OUT, LAST_WEEK])]
    assert [MANILA] in meetings(extractions, window=14)  # the later meeting still stays apart


def test_a_symmetric_meeting_written_either_way_round_is_one_happening(extractions):
    [talks] = found(extractions, "met", "Grace Wanjiru", "Dawit Alemu")
    assert articles(talks) == sorted([ADDIS, NAIROBI])
    assert {(r.relation.subject, r.relation.object) for r in talks.reports} == {
        ("Dawit Alemu", "Grace Wanjiru"),
        ("Grace Wanjiru", "Dawit Alemu"),
    }


def test_either_way_round_stays_two_when_the_predicate_is_not_symmetric(extractions):
    talks = found(extractions, "met", "Grace Wanjiru", "Dawit Alemu", symmetric=())
    talks += found(extractions, "met", "Dawit Alemu", "Grace Wanjiru", symmetric=())
    assert sorted(articles(h) for h in talks) == [[ADDIS], [NAIROBI]]
    # and a condemnation the other way round is another act
    [japan] = [h for h in found(extractions, "condemned", "Japan", "North Korea") if h.date == "2025-05-08"]
    assert articles(japan) == sorted(LAUNCH)
    assert [articles(h) for h in found(extractions, "condemned", "North Korea", "Japan")] == [[HITS_BACK]]


def test_a_second_condemnation_two_weeks_later_and_an_undated_one_stay_apart(extractions):
    condemnations = sorted(articles(h) for h in found(extractions, "condemned", "Japan", "North Korea"))
    assert condemnations == sorted([sorted(LAUNCH), [SECOND_LAUNCH], [FISHING_CREW]])


def test_undated_reports_of_one_happening_join_each_other(extractions):
    [signing] = found(extractions, "agreed_with", "Grace Wanjiru", "Dawit Alemu")
    assert articles(signing) == sorted([ADDIS, NAIROBI]) and signing.date is None
    apart = found(extractions, "agreed_with", "Grace Wanjiru", "Dawit Alemu", window=0)
    assert sorted(articles(h) for h in apart) == [[ADDIS], [NAIROBI]]  # published a day apart


def test_window_off_gives_one_happening_per_report(extractions):
    reports = reports_of(extractions)
    off = happenings(extractions, None, SYMMETRIC)
    assert len(reports) == 43 and len(off) == len(reports)
    assert all(len(h.reports) == 1 for h in off)
    assert len(happenings(extractions, DEFAULT_WINDOW, SYMMETRIC)) < len(off)


def test_pairwise_precision_and_recall_at_the_default_window(extractions, bench):
    # Recall is 0.75, not 1.0, by design of the set: "last week's talks" (LAST_WEEK) is an
    # undated report published ten days after the meeting, beyond the three-day window, so
    # its three pairs with the other reports of that meeting are the only ones missed.
    gold = bench.load_gold(SET / "happenings.json", extractions, SYMMETRIC)
    assert (len(gold.reports), gold.happenings, len(gold.same)) == (43, 34, 12)
    score = bench.measure_gold(extractions, gold, SYMMETRIC)[DEFAULT_WINDOW]
    assert (score.merged, score.right) == (9, 9)
    assert score.precision == 1.0 and score.recall == 0.75
    assert {a for pair in score.missed_pairs for a, _, _ in pair} == {SUMMIT, TALKS, WRITTEN_OUT, LAST_WEEK}
    assert all(any(a == LAST_WEEK for a, _, _ in pair) for pair in score.missed_pairs)


def test_pairwise_scores_at_other_windows_show_what_the_window_trades(extractions, bench):
    gold = bench.load_gold(SET / "happenings.json", extractions, SYMMETRIC)
    scores = bench.measure_gold(extractions, gold, SYMMETRIC)
    assert scores[None].merged == 0 and scores[None].recall == 0.0
    assert scores[14].recall == 1.0  # the report ten days later joins ...
    wrong = {a for pair in scores[14].wrong_pairs for a, _, _ in pair}
    assert wrong == {FISHING_CREW, *LAUNCH}  # ... and the undated condemnation a week later joins wrongly


def test_a_gold_identity_that_leaves_out_a_report_is_refused(extractions, bench, tmp_path):
    data = json.loads((SET / "happenings.json").read_text(encoding="utf-8"))
    data["happenings"] = data["happenings"][1:]
    partial = tmp_path / "happenings.json"
    partial.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(bench.GoldError, match="in no happening"):
        bench.load_gold(partial, extractions, SYMMETRIC)
    assert bench.load_gold(SET / "happenings.json", extractions, SYMMETRIC).happenings == 34


def test_the_happening_counts_its_articles_and_its_independent_sources(extractions):
    by_date = {h.date: h for h in found(extractions, "met", "Arief Wibisono", "Catherine Doyle", window=14)}
    jakarta, manila = by_date["2025-03-11"], by_date["2025-04-15"]
    # SUMMIT and LAST_WEEK are both Pacific Wire Service: four articles, three sources.
    assert jakarta.articles == 4 and jakarta.sources == 3
    assert (jakarta.first_reported, jakarta.last_reported) == ("2025-03-11", "2025-03-21")
    assert manila.articles == 1 and manila.sources == 1


def test_an_undated_report_published_within_the_month_of_a_month_only_happening_joins_it():
    def sanctions(doc_id: str, published: str, date: str | None) -> Extraction:
        return article(
            doc_id, published, Relation("Canada", "sanctioned", "Myanmar", date=date), publisher=doc_id
        )

    # Published on 1 April, the undated report joins "in March"; published on 20 March, it should too.
    after = happenings([sanctions("a", "2025-04-01", None), sanctions("b", "2025-04-03", "2025-03")], 3)
    assert [len(h.reports) for h in after] == [2]
    within = happenings([sanctions("a", "2025-03-20", None), sanctions("b", "2025-04-03", "2025-03")], 3)
    assert [len(h.reports) for h in within] == [2]


# -- confidence and date, on small extractions ------------------------------------------------


def article(
    doc_id: str, published: str | None, *relations: Relation, publisher=None, source=None
) -> Extraction:
    document = Document(id=doc_id, text="x", date=published, publisher=publisher, source=source)
    return Extraction(document=document, relations=list(relations))


def met(date: str | None = None, confidence: float | None = None) -> Relation:
    return Relation("Ana Ruiz", "met", "Ben Okafor", date=date, confidence=confidence)


def one(extractions) -> Happening:
    [happening] = happenings(extractions, DEFAULT_WINDOW, SYMMETRIC)
    return happening


def test_confidence_is_a_noisy_or_over_independent_sources():
    happening = one(
        [
            article("a", "2025-01-02", met(confidence=0.8), publisher="Wire One"),
            article("b", "2025-01-02", met(confidence=0.5), publisher="Wire Two"),
        ]
    )
    assert happening.sources == 2
    assert happening.confidence == pytest.approx(1 - 0.2 * 0.5)


def test_two_reports_from_one_publisher_count_once_by_the_more_confident():
    same_publisher = one(
        [
            article("a", "2025-01-02", met(confidence=0.8), publisher="Wire One"),
            # the same publisher, written otherwise
            article("b", "2025-01-02", met(confidence=0.6), publisher=" wire one "),
            article("c", "2025-01-03", met(confidence=0.5), publisher="Wire Two"),
        ]
    )
    assert same_publisher.articles == 3 and same_publisher.sources == 2
    assert same_publisher.confidence == pytest.approx(1 - 0.2 * 0.5)  # not 1 - 0.2 * 0.4 * 0.5


def test_the_source_is_the_publisher_else_the_host_else_the_article():
    assert source_of(article("a", None, publisher="Wire One")) == "wire one"
    assert source_of(article("a", None, source="https://www.wire.example/x")) == "wire.example"
    assert source_of(article("a", None, source="constructed test article")) == "article:a"
    shared_host = one(
        [
            article("a", "2025-01-02", met(confidence=0.7), source="https://www.wire.example/1"),
            article("b", "2025-01-02", met(confidence=0.7), source="https://wire.example/2"),
        ]
    )
    assert shared_host.sources == 1 and shared_host.confidence == pytest.approx(0.7)


def test_confidence_is_none_when_no_report_has_one():
    happening = one([article("a", "2025-01-02", met()), article("b", "2025-01-02", met(), publisher="Other")])
    assert happening.sources == 2 and happening.confidence is None


def dated(*dates: str | None) -> Happening:
    """Return a happening built directly from reports dated `dates` (merging never joins two days)."""
    extractions = [article(f"a{i}", "2025-03-13", met(date)) for i, date in enumerate(dates)]
    return Happening("met", "Ana Ruiz", "Ben Okafor", reports_of(extractions))


def test_the_date_is_the_day_most_reports_name():
    assert dated("2025-03-12", "2025-03-11", "2025-03-12").date == "2025-03-12"


def test_between_days_named_equally_often_the_date_is_the_earliest():
    assert dated("2025-03-12", "2025-03-11").date == "2025-03-11"


def test_a_day_beats_more_reports_of_the_month_and_the_month_beats_none():
    assert dated("2025-03", "2025-03", "2025-03-11").date == "2025-03-11"
    assert dated("2025-03", "2025-02", "2025-03").date == "2025-03"
    assert dated(None, "2025-02", None).date == "2025-02"


def test_an_undated_happening_has_no_date_and_is_placed_by_its_first_report():
    happening = one([article("b", "2025-03-14", met()), article("a", "2025-03-13", met())])
    assert happening.date is None
    assert happening.when == happening.first_reported == "2025-03-13"
    assert one([article("a", "2025-03-13", met("2025-03-12"))]).when == "2025-03-12"
