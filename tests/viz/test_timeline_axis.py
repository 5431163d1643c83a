"""The page's time axis in real headless Chromium: events per week, and picking weeks.

The graph is tests/data/timeline (six articles written for these tests; its README lists
each event and its week), built with graphbuilder's own RDF writer: three articles
report one meeting, one event is dated by its month only, one by no date (its article's
date places it). The counts are read from the bars' data attributes, the lines shown
from vis-network's data; the twin is a graph whose events carry no date at all.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser import chromium, open_offline, wait_until
from rdflib import Dataset
from test_viz import LAYOUT_DONE, HandGraph

from graphbuilder.model import extraction_from_json
from graphbuilder.network.view import graph_view
from graphbuilder.pipeline.resolve import resolve
from graphbuilder.rdf.dataset import extractions_to_dataset
from graphbuilder.viz.page import build_network, load_style, write_html

TIMELINE_SET = Path(__file__).resolve().parents[1] / "data" / "timeline"

#: Events per week and relation, as the set's README lists them; the other weeks between hold none.
WEEKS = {
    "2021-10-11": {"condemned": 1, "met": 1},  # the meeting: three reports, one event
    "2021-11-15": {"urged": 1},
    "2021-11-29": {"sanctioned": 1},  # dated "2021-12": the week of 1 December
    "2022-02-28": {"condemned": 1, "threatened": 1},  # the threat: its article's date
}

#: The bars as drawn: each week's total, and its segments by relation.
BARS = """() => Array.from(document.querySelectorAll("#timeline g.week")).map(g => [
  g.dataset.week, Number(g.dataset.count),
  Object.fromEntries(Array.from(g.querySelectorAll("rect.bar"))
    .map(r => [r.dataset.relation, Number(r.dataset.count)]))
])"""

#: What the graph shows: the drawn actors and the drawn lines (relation, from, to), sorted.
SHOWN = """() => {
  const name = id => nodes.get(id).label;
  return [network.body.data.nodes.get().map(n => n.label).sort(),
          network.body.data.edges.get().map(e => [e.relation, name(e.from), name(e.to)].join(" ")).sort()];
}"""


def timeline_dataset() -> Dataset:
    objects = [json.loads(p.read_text("utf-8")) for p in sorted(TIMELINE_SET.glob("*.json"))]
    return extractions_to_dataset(resolve([extraction_from_json(o, origin=o["id"]) for o in objects]))


def undated_dataset() -> Dataset:
    """Two relations whose event nodes carry no date, in an article with none."""
    ds = Dataset()
    article = HandGraph(ds, "undated-1", title="No dates here")
    us, nk = article.actor("United States", "Country"), article.actor("North Korea", "Country")
    article.event(us, "condemned", nk, "Condemnation", sentence="The US condemned North Korea.")
    article.event(nk, "threatened", us, "Threat")
    return ds


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def opened(browser, tmp_path_factory):
    out = write_html(timeline_dataset(), tmp_path_factory.mktemp("axis") / "graph.html")
    opened = open_offline(browser, out, wait_for=LAYOUT_DONE, viewport={"width": 1400, "height": 900})
    yield opened
    assert opened.outside_requests == []
    assert opened.console_errors == [] and opened.page_errors == []
    opened.page.close()


@pytest.fixture
def page(opened):
    """The page as it opens: each test starts with nothing picked and nothing filtered."""
    opened.page.reload(wait_until="load")
    wait_until(opened.page, LAYOUT_DONE)
    return opened.page


def _pick(page, week: str) -> None:
    page.click(f'#timeline g.week[data-week="{week}"]')
    page.wait_for_timeout(50)


def _centre(page, week: str) -> tuple[float, float]:
    box = page.locator(f'#timeline g.week[data-week="{week}"]').bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


# -- the data (no browser) -----------------------------------------------------------------


def test_each_line_carries_the_week_of_each_of_its_events_and_posts_none():
    view = graph_view(timeline_dataset())
    edges = build_network(view, load_style()).edges
    weeks = {
        (e["relation"], e["from"].rsplit("/", 1)[1], e["to"].rsplit("/", 1)[1]): e["weeks"] for e in edges
    }
    assert weeks[("condemned", "united-states", "north-korea")] == ["2021-10-11", "2022-02-28"]
    assert weeks[("threatened", "north-korea", "united-states")] == ["2022-02-28"]
    met = [w for (relation, *_), w in weeks.items() if relation == "met" and w]
    assert met == [["2021-10-11"]]  # three reports, one event
    # the twin: lines of events with no date carry no week
    assert {tuple(e["weeks"]) for e in build_network(graph_view(undated_dataset()), load_style()).edges} == {
        ()
    }


# -- in a real browser ---------------------------------------------------------------------


@pytest.mark.browser
def test_bars_count_events_per_week_by_relation_with_the_empty_weeks_between(page):
    bars = page.evaluate(BARS)
    assert len(bars) == 21 and bars[0][0] == "2021-10-11" and bars[-1][0] == "2022-02-28"
    assert {week: counts for week, total, counts in bars if total} == WEEKS
    assert all(total == sum(counts.values()) for _, total, counts in bars)
    assert sum(total for _, total, _ in bars) == 6  # events; the articles hold 8 reports
    # each segment in its relation's colour on the page
    colours = page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll("#timeline rect.bar"))
        .map(r => [r.dataset.relation, r.getAttribute("fill")]))"""
    )
    assert colours["met"] == load_style().relation("met")["color"]
    assert colours["condemned"] == load_style().relation("condemned")["color"]


@pytest.mark.browser
def test_clicking_a_week_shows_its_events_and_show_all_brings_back_the_rest(page):
    everything = page.evaluate(SHOWN)
    _pick(page, "2022-02-28")
    assert page.evaluate(SHOWN) == [
        ["North Korea", "United States"],
        ["condemned United States North Korea", "threatened North Korea United States"],
    ]
    assert page.inner_text("#timeline-status") == "Showing the week of 2022-02-28: 2 events."
    assert page.evaluate(
        """() => Array.from(document.querySelectorAll("#timeline g.week.picked")).map(g => g.dataset.week)"""
    ) == ["2022-02-28"]
    _pick(page, "2021-10-11")  # another week: its events, the meeting counted once
    assert page.evaluate(SHOWN) == [
        ["China", "North Korea", "United States"],
        ["condemned United States North Korea", "met United States China"],
    ]
    page.click("#timeline-all")
    assert page.evaluate(SHOWN) == everything
    assert page.inner_text("#timeline-status") == "" and page.is_disabled("#timeline-all")
    # a week with no event leaves no line, and the actors with them go
    _pick(page, "2021-10-18")
    assert page.evaluate(SHOWN) == [[], []]
    page.click("#reset")  # "Show everything" shows every week too (and Fiji, in no event)
    assert page.evaluate(SHOWN) == [sorted([*everything[0], "Fiji"]), everything[1]]
    assert page.inner_text("#timeline-status") == "" and page.is_disabled("#timeline-all")


@pytest.mark.browser
def test_dragging_across_weeks_shows_the_events_of_all_of_them(page):
    everything = page.evaluate(SHOWN)
    page.mouse.move(*_centre(page, "2021-11-15"))
    page.mouse.down()
    page.mouse.move(*_centre(page, "2021-11-22"), steps=3)
    page.mouse.move(*_centre(page, "2021-11-29"), steps=3)
    page.mouse.up()
    page.wait_for_timeout(50)
    assert page.evaluate(SHOWN) == [
        ["Japan", "North Korea", "United States"],
        ["sanctioned United States North Korea", "urged Japan United States"],
    ]
    assert page.inner_text("#timeline-status") == "Showing 3 weeks, 2021-11-15 to 2021-12-05: 2 events."
    page.click("#timeline-all")
    assert page.evaluate(SHOWN) == everything


@pytest.mark.browser
def test_a_graph_with_no_dated_event_shows_no_bars_and_says_why(browser, tmp_path):
    out = write_html(undated_dataset(), tmp_path / "graph.html")
    opened = open_offline(browser, out, wait_for=LAYOUT_DONE)
    page = opened.page
    assert page.evaluate(BARS) == []
    assert page.inner_text("#timeline") == "No dated events: nothing to place on a time axis."
    assert page.evaluate(SHOWN)[1] == [
        "condemned United States North Korea",
        "threatened North Korea United States",
    ]
    assert opened.console_errors == [] and opened.page_errors == []
    page.close()
