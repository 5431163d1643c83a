"""`graphbuilder timeline`: an actor's events per period and relation, as rows and as a chart.

The graph is built from tests/data/timeline (six articles written for these tests; its
README lists the events and where each falls): three articles report one meeting of the
United States and China, one event dated only by its month, one by no date at all (its
article's date places it), and Fiji takes part in nothing.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from cli_checks import assert_error

from graphbuilder import build
from graphbuilder.errors import UsageError
from graphbuilder.model import extraction_from_json
from graphbuilder.network.analytics import ActorRef
from graphbuilder.network.timeline import (
    PeriodCount,
    Timeline,
    actor_timeline,
    draw_timeline,
    format_timeline,
    period_of,
)
from graphbuilder.options import Period
from graphbuilder.pipeline.resolve import resolve
from graphbuilder.rdf.dataset import extractions_to_dataset
from graphbuilder.rdf.files import load_dataset

TIMELINE_SET = Path(__file__).resolve().parents[1] / "data" / "timeline"

#: The United States' events per month, as the set's README lists them: (period, relation, events).
US_BY_MONTH = [
    ("2021-10", "condemned", 1),
    ("2021-10", "met", 1),  # three articles, one meeting
    ("2021-10", "total", 2),
    ("2021-11", "urged", 1),
    ("2021-11", "total", 1),
    ("2021-12", "sanctioned", 1),  # dated "2021-12"
    ("2021-12", "total", 1),
    ("2022-01", "total", 0),
    ("2022-02", "total", 0),
    ("2022-03", "condemned", 1),
    ("2022-03", "threatened", 1),  # undated: its article came out on 2022-03-02
    ("2022-03", "total", 2),
]


def _extractions(extra: list[dict] = ()) -> list:
    objects = [json.loads(p.read_text("utf-8")) for p in sorted(TIMELINE_SET.glob("*.json"))]
    return [extraction_from_json(o, origin=o["id"]) for o in [*objects, *extra]]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The set built by `graphbuilder build` (its files as they are), once for the module."""
    return build(sorted(TIMELINE_SET.glob("*.json")), out=tmp_path_factory.mktemp("timeline") / "out").out


@pytest.fixture(scope="module")
def graph(built):
    return load_dataset(built)


# -- counting ------------------------------------------------------------------------------


def test_counts_per_month_and_relation_count_three_reports_of_one_meeting_once(graph):
    timeline = actor_timeline(graph, "United States", "month")
    assert timeline.rows() == US_BY_MONTH
    assert timeline.events == 6
    assert [p.period for p in timeline.periods][0] == "2021-10"  # oldest first


def test_with_merging_off_each_report_of_the_meeting_counts(graph):
    # the twin: the same articles, every report its own event: the meeting counts three times
    merged = extractions_to_dataset(resolve(_extractions()), window=3)
    separate = extractions_to_dataset(resolve(_extractions()), window=None)
    assert actor_timeline(merged, "China").rows() == [("2021-10", "met", 1), ("2021-10", "total", 1)]
    assert actor_timeline(separate, "China").rows() == [("2021-10", "met", 3), ("2021-10", "total", 3)]


def test_by_week_names_weeks_by_their_monday_and_puts_a_month_in_the_week_of_its_first_day(graph):
    timeline = actor_timeline(graph, "us", Period.week)
    weeks = {p.period: dict(p.counts) for p in timeline.periods}
    assert {week: counts for week, counts in weeks.items() if counts} == {
        "2021-10-11": {"condemned": 1, "met": 1},
        "2021-11-15": {"urged": 1},
        "2021-11-29": {"sanctioned": 1},  # "2021-12": 1 December 2021 was a Wednesday
        "2022-02-28": {"condemned": 1, "threatened": 1},
    }
    # every week from the first to the last, the empty ones too
    assert len(weeks) == 21 and weeks["2021-10-18"] == {} and timeline.periods[-1].period == "2022-02-28"


def test_by_year(graph):
    timeline = actor_timeline(graph, "US", "year")
    assert [(p.period, p.start, p.total) for p in timeline.periods] == [
        ("2021", "2021-01-01", 4),
        ("2022", "2022-01-01", 2),
    ]


def test_relations_limit_what_is_counted_named_as_written_or_by_label(graph):
    timeline = actor_timeline(graph, "dprk", "month", ["Condemned", "threatened"])
    assert timeline.rows() == [
        ("2021-10", "condemned", 1),
        ("2021-10", "total", 1),
        ("2021-11", "total", 0),
        ("2021-12", "total", 0),
        ("2022-01", "total", 0),
        ("2022-02", "total", 0),
        ("2022-03", "condemned", 1),
        ("2022-03", "threatened", 1),
        ("2022-03", "total", 2),
    ]
    with pytest.raises(UsageError, match="unknown relation 'praised'"):
        actor_timeline(graph, "dprk", "month", ["praised"])


def test_an_event_no_date_places_is_counted_apart_and_said(graph):
    undated = {
        "id": "undated-statement",
        "title": "A statement with no date",
        "text": "Fiji urged Japan to act.",
        "actors": [{"name": "Fiji", "type": "Country"}, {"name": "Japan", "type": "Country"}],
        "relations": [
            {"subject": "Fiji", "predicate": "urged", "object": "Japan", "evidence": "Fiji urged Japan"}
        ],
    }
    timeline = actor_timeline(extractions_to_dataset(resolve(_extractions([undated]))), "Fiji")
    assert (timeline.periods, timeline.undated) == ((), 1)
    assert timeline.notes() == [
        "Fiji takes part in no dated event in this graph",
        "1 event of Fiji has no date and no report date: not on the timeline",
    ]
    # the twin: in the set as built, Japan's one event is dated and nothing is said of it
    japan = actor_timeline(graph, "Japan")
    assert (japan.rows(), japan.undated, japan.notes()) == (
        [("2021-11", "urged", 1), ("2021-11", "total", 1)],
        0,
        [],
    )


@pytest.mark.parametrize(
    ("when", "by", "period"),
    [
        ("2021-10-12", "week", "2021-10-11"),
        ("2021-10-11", "week", "2021-10-11"),  # a Monday is its own week's name
        ("2021-10-17", "week", "2021-10-11"),
        ("2021-12", "week", "2021-11-29"),
        ("2021-12", "month", "2021-12"),
        ("2020-12-31", "year", "2020"),
        ("2021-02-30", "month", None),
        ("", "month", None),
        (None, "week", None),
    ],
)
def test_period_of_a_date(when, by, period):
    assert period_of(when, by) == period


# -- rows ----------------------------------------------------------------------------------


def test_json_gives_every_period_with_counts_by_relation(graph):
    document = json.loads(format_timeline(actor_timeline(graph, "United States"), "json"))
    assert document["actor"]["label"] == "United States" and document["by"] == "month"
    assert document["events"] == 6
    assert [(p["period"], p["counts"], p["total"]) for p in document["periods"]] == [
        ("2021-10", {"condemned": 1, "met": 1}, 2),
        ("2021-11", {"urged": 1}, 1),
        ("2021-12", {"sanctioned": 1}, 1),
        ("2022-01", {}, 0),
        ("2022-02", {}, 0),
        ("2022-03", {"condemned": 1, "threatened": 1}, 2),
    ]


def test_csv_and_tsv_hold_the_rows_under_a_header(graph):
    timeline = actor_timeline(graph, "United States")
    expected = [["period", "relation", "events"]] + [[p, r, str(n)] for p, r, n in US_BY_MONTH]
    assert list(csv.reader(io.StringIO(format_timeline(timeline, "csv")))) == expected
    assert [line.split("\t") for line in format_timeline(timeline, "tsv").splitlines()] == expected


# -- the command ---------------------------------------------------------------------------


def test_timeline_command_prints_a_table_of_periods_relations_and_counts(run, built):
    result = run("timeline", "united states", built)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["period", "relation", "events"]
    assert [line.split() for line in lines[2:]] == [[p, r, str(n)] for p, r, n in US_BY_MONTH]


@pytest.mark.parametrize(("by", "periods"), [("week", 21), ("month", 6), ("year", 2)])
def test_timeline_command_counts_by_week_month_or_year(run, built, by, periods):
    result = run("timeline", "US", built, "--by", by, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert (document["by"], len(document["periods"]), document["events"]) == (by, periods, 6)


def test_timeline_command_writes_rows_into_output_when_given(run, built, tmp_path):
    printed = run("timeline", "China", built, "-f", "json")
    written = run("timeline", "China", built, "-f", "json", "-o", tmp_path / "china.json")
    assert written.exit_code == 0 and written.stdout == "", written.stderr
    assert f"wrote {tmp_path / 'china.json'}" in written.stderr
    assert (tmp_path / "china.json").read_text("utf-8") == printed.stdout
    assert json.loads(printed.stdout)["events"] == 1


def test_timeline_command_for_an_actor_with_no_event_prints_no_rows_and_says_so(run, built):
    result = run("timeline", "Fiji", built, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["period,relation,events"]  # a header, no rows
    assert result.stderr == "Fiji takes part in no dated event in this graph\n"


def test_timeline_command_unknown_actor_is_one_line_exit_2(run, built):
    # as `path` and `viz --focus` do: a name no actor has is a usage error
    assert_error(run("timeline", "Atlantis", built), 2, "no actor named 'Atlantis'")


def test_timeline_command_unknown_relation_is_one_line_exit_2(run, built):
    assert_error(run("timeline", "China", built, "-r", "praised"), 2, "unknown relation 'praised'")


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_timeline_command_needs_output_for_a_chart(run, built, fmt):
    assert_error(run("timeline", "China", built, "--format", fmt), 2, "give --output FILE")


def test_timeline_command_draws_png_and_svg_the_same_every_time(run, built, tmp_path):
    for name in ("a.svg", "b.svg", "c.png", "d.png"):
        result = run(
            "timeline", "United States", built, "--by", "week", "-f", name[-3:], "-o", tmp_path / name
        )
        assert result.exit_code == 0, result.stderr
        assert f"wrote {tmp_path / name}" in result.stderr
    svg = (tmp_path / "a.svg").read_bytes()
    assert svg.startswith(b"<?xml") and b"<svg" in svg and len(svg) > 5000
    assert svg == (tmp_path / "b.svg").read_bytes()
    png = (tmp_path / "c.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    assert png == (tmp_path / "d.png").read_bytes()


def test_charts_of_more_events_differ(tmp_path):
    # the twin of the byte comparison: another count draws other bars
    actor = ActorRef("urn:x:actor", "Cash $x^2$ <b>Land</b>", "Country")  # no mathtext, no markup
    one = Timeline(actor, Period.month, (PeriodCount("2024-01", "2024-01-01", (("met", 1),)),))
    two = Timeline(actor, Period.month, (PeriodCount("2024-01", "2024-01-01", (("met", 2),)),))
    first = draw_timeline(one, tmp_path / "one.svg", "svg").read_bytes()
    assert first != draw_timeline(two, tmp_path / "two.svg", "svg").read_bytes()
    assert b"<b>" not in first


def test_timeline_command_draws_an_empty_chart_for_an_actor_with_no_event(run, built, tmp_path):
    result = run("timeline", "Fiji", built, "-f", "png", "-o", tmp_path / "fiji.png")
    assert result.exit_code == 0, result.stderr
    assert "Fiji takes part in no dated event" in result.stderr
    assert (tmp_path / "fiji.png").read_bytes().startswith(b"\x89PNG")
