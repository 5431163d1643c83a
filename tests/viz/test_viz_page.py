"""The graph page as a reader sees it in Chromium at 1400x900: names, canvas, legend, dates, search.

What is on screen is measured from what the canvas paints (page_geometry.py records
every text drawn), never from what the page says it drew. The graph is the project's
constructed set (tests/data/constructed, written for graphbuilder, CC0), built with
graphbuilder's own RDF writer, with and without --max-nodes 40; search runs on a graph
written by hand (test_viz.HandGraph). Each check has a twin beside it that shows it can
fail: the same measurement on a page where the thing checked is not so.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from browser import chromium, open_offline, wait_until
from page_geometry import RECORD_TEXTS, VIEWPORT, drawn_texts, measure
from rdflib import Dataset
from test_viz import BASE, LAYOUT_DONE, HandGraph, un_dataset

from graphbuilder.viz.layout import ASPECT, layout_positions
from graphbuilder.viz.page import write_html

CONSTRUCTED = Path(__file__).resolve().parents[1] / "data" / "constructed"


def constructed_dataset() -> Dataset:
    from graphbuilder.model import extraction_from_json
    from graphbuilder.rdf.dataset import extractions_to_dataset

    return extractions_to_dataset(
        [
            extraction_from_json(json.loads(p.read_text("utf-8")), origin=str(p))
            for p in sorted(CONSTRUCTED.glob("*.json"))
        ]
    )


# -- positions (no browser) -------------------------------------------------------------


def _box(positions: dict, members) -> tuple[float, float, float, float]:
    xs, ys = [positions[m][0] for m in members], [positions[m][1] for m in members]
    return min(xs), min(ys), max(xs), max(ys)


def test_actors_with_no_line_go_in_a_compact_grid_under_the_rest():
    links = [(f"a{i}", f"a{i + 1}") for i in range(30)] + [("p1", "p2"), ("t1", "t2"), ("t2", "t3")]
    linked = sorted({a for link in links for a in link})
    lone = [f"lone{i:02d}" for i in range(40)]
    positions = layout_positions(linked + lone, links, edge_length=100)
    top = _box(positions, linked)
    grid = _box(positions, lone)
    assert grid[1] > top[3]  # under the rest
    assert grid[0] >= top[0] and grid[2] <= top[2]  # no wider than the rest
    # compact: 40 actors in less room than 40 linked actors take
    grid_area = (grid[2] - grid[0] + 100) * (grid[3] - grid[1] + 100)
    assert grid_area < 0.5 * (top[2] - top[0]) * (top[3] - top[1])


def test_small_components_go_beside_a_large_one_to_fill_a_wide_canvas():
    grid = nx.grid_2d_graph(7, 7)  # a square component of 49 actors
    square = [(f"g{a[0]}{a[1]}", f"g{b[0]}{b[1]}") for a, b in grid.edges()]
    pairs = [(f"x{i:02d}", f"y{i:02d}") for i in range(12)]
    positions = layout_positions(sorted({a for link in square + pairs for a in link}), square + pairs)
    left, top, right, bottom = _box(positions, positions)
    assert 0.8 * ASPECT < (right - left) / (bottom - top) < 1.25 * ASPECT
    big = _box(positions, {a for link in square for a in link})
    assert all(_box(positions, pair)[0] > big[2] for pair in pairs)  # beside it, not under it
    # the twin: the square alone keeps its shape, too narrow for the canvas (the page
    # stretches it a little when drawn)
    alone = layout_positions(sorted({a for link in square for a in link}), square)
    left, top, right, bottom = _box(alone, alone)
    assert (right - left) / (bottom - top) < 0.8 * ASPECT


def test_date_fields_are_text_in_iso_form_not_locale_date_pickers(tmp_path):
    page = write_html(un_dataset(), tmp_path / "graph.html").read_text("utf-8")
    assert 'type="date"' not in page
    for field in ("date-from", "date-to"):
        assert f'<input type="text" id="{field}" inputmode="numeric" pattern=' in page
    assert "Reported 2021-10-20 to 2021-10-20; write yyyy-mm-dd, yyyy-mm or yyyy." in page


# -- in Chromium at 1400x900 --------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def constructed_pages(tmp_path_factory) -> dict[str, Path]:
    """Return the constructed set's page, whole and of its 40 most central actors."""
    folder = tmp_path_factory.mktemp("constructed")
    dataset = constructed_dataset()
    return {
        "whole": write_html(dataset, folder / "whole.html", title="constructed"),
        "top40": write_html(dataset, folder / "top40.html", title="constructed", max_nodes=40),
    }


def _open(browser, path: Path, viewport: dict | None = None):
    opened = open_offline(
        browser, path, wait_for=LAYOUT_DONE, viewport=viewport or VIEWPORT, init_script=RECORD_TEXTS
    )
    assert opened.outside_requests == [] and opened.page_errors == [] and opened.console_errors == []
    return opened.page


@pytest.fixture(scope="module")
def whole(browser, constructed_pages):
    page = _open(browser, constructed_pages["whole"])
    yield page
    page.close()


@pytest.fixture(scope="module")
def top40(browser, constructed_pages):
    page = _open(browser, constructed_pages["top40"])
    yield page
    page.close()


def _reset_view(page) -> None:
    """Undo what a test did to a shared page: names placed again, view fitted again."""
    page.evaluate("() => { labels.avoidOverlap = true; labels.hovered = null; }")
    page.mouse.move(1, 1)
    page.evaluate("() => { labels.fit(network.body.nodeIndices.slice()); network.redraw(); }")


@pytest.mark.browser
@pytest.mark.parametrize("which", ["whole", "top40"])
def test_names_never_overlap_and_stay_legible(request, which):
    page = request.getfixturevalue(which)
    _reset_view(page)
    found = measure(page, (20, 40))
    assert found["overlapping_label_pairs_all"] == 0  # actors' and lines' names alike
    assert found["top"]["20"]["labels_drawn"] == found["top"]["20"]["actors"] == 20
    assert found["top"]["40"]["labels_drawn"] >= 0.85 * found["top"]["40"]["actors"]
    assert found["smallest_label_px"] >= 11
    assert found["line_labels_drawn"] > 0 and found["smallest_line_label_px"] >= 10
    # the twin: every name put below its actor, as vis-network does, and names overlap
    page.evaluate("() => { labels.avoidOverlap = false; network.redraw(); }")
    crowded = measure(page, (20, 40))
    page.evaluate("() => { labels.avoidOverlap = true; network.redraw(); }")
    assert crowded["overlapping_label_pairs_all"] > 0


@pytest.mark.browser
def test_zoomed_out_names_hide_rather_than_shrink_and_show_on_hover(whole):
    _reset_view(whole)
    fitted = measure(whole, (20,))
    whole.evaluate("() => network.moveTo({scale: network.getScale() / 3, animation: false})")
    far = measure(whole, (20,))
    assert far["smallest_label_px"] >= 11 and far["overlapping_label_pairs_all"] == 0
    assert far["node_labels_drawn"] < 0.75 * fitted["node_labels_drawn"]  # denser: fewer names
    hidden = whole.evaluate(
        """() => { const drawn = new Set(window.__texts.map(t => t.text));
        return nodes.get().filter(n => network.body.nodes[n.id] && !drawn.has(n.label))
                          .sort((a, b) => a.rank - b.rank)[0]; }"""
    )
    assert hidden["label"] not in drawn_texts(whole)
    point = whole.evaluate(
        """(id) => { const p = network.canvasToDOM(network.getPositions([id])[id]);
        const box = document.getElementById("mynetwork").getBoundingClientRect();
        return [box.left + p.x, box.top + p.y]; }""",
        hidden["id"],
    )
    whole.mouse.move(*point)
    wait_until(whole, f"labels.hovered === {json.dumps(hidden['id'])}")
    assert hidden["label"] in drawn_texts(whole)  # hovered, it is named, whatever it covers
    _reset_view(whole)


@pytest.mark.browser
@pytest.mark.parametrize("which", ["whole", "top40"])
def test_drawing_fills_the_canvas(request, which):
    page = request.getfixturevalue(which)
    _reset_view(page)
    fill = measure(page)["fill"]
    assert fill["area"] >= 0.7 and max(fill["width"], fill["height"]) >= 0.9, fill
    # the twin: the same drawing at half the scale fills a quarter of the canvas
    page.evaluate("() => network.moveTo({scale: network.getScale() / 2, animation: false})")
    assert measure(page)["fill"]["area"] < 0.35
    _reset_view(page)


@pytest.mark.browser
def test_actors_with_no_line_wait_behind_a_box_that_counts_them(browser, whole, tmp_path):
    unlinked = whole.evaluate("nodes.get().filter(n => n.degree === 0).length")
    assert unlinked > 0
    assert whole.inner_text("label.unlinked").strip() == f"actors with no line {unlinked}"
    drawn = whole.evaluate("network.body.nodeIndices.length")
    assert drawn == whole.evaluate("nodes.length") - unlinked
    whole.click("#show-unlinked")
    try:
        assert whole.evaluate("network.body.nodeIndices.length") == drawn + unlinked
        fill = measure(whole)["fill"]  # fitted again, the grid under the rest
        assert fill["area"] >= 0.6
    finally:
        whole.click("#show-unlinked")
        _reset_view(whole)
    # the twin: a graph where every actor has a line has no such box to show
    page = _open(browser, write_html(un_dataset(), tmp_path / "un.html"))
    assert page.is_hidden("label.unlinked")
    assert page.evaluate("network.body.nodeIndices.length") == 4
    page.close()


def _counts(page) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll(
        "#legend input[data-actor-type], #legend input[data-relation]")).map(box =>
        [box.dataset.actorType || box.dataset.relation,
         box.parentNode.querySelector(".count").textContent]))"""
    )


@pytest.mark.browser
def test_legend_counts_follow_the_filters(browser, tmp_path):
    page = _open(browser, write_html(un_dataset(), tmp_path / "graph.html"))
    everything = _counts(page)
    assert everything == {
        "Person": "1",
        "Country": "2",
        "Organization": "1",
        "invited": "1",
        "condemned": "1",
        "threatened": "1",
        "role": "2",
    }
    # the twin first: a filter that hides nothing leaves every count as it is
    page.fill("#date-from", "2021-10-20")
    page.dispatch_event("#date-from", "change")
    assert _counts(page) == everything
    # hostile off: condemned and threatened are shown 0 times; every actor stays (posts)
    page.click('fieldset[data-family="hostile"] .family-toggle')
    assert _counts(page) == dict(everything, condemned="0/1", threatened="0/1")
    page.click('input[data-actor-type="Organization"]')  # the UN, and Linda's "posted to"
    assert _counts(page) == dict(
        everything, Organization="0/1", condemned="0/1", threatened="0/1", role="1/2"
    )
    page.click("#reset")
    assert _counts(page) == everything
    page.close()


def _type_date(page, selector: str, text: str) -> None:
    """Type `text` into a date field key by key, then leave it (which commits it)."""
    page.fill(selector, "")
    page.click(selector)
    page.keyboard.type(text)
    page.keyboard.press("Tab")


@pytest.mark.browser
def test_date_fields_show_and_take_iso_dates(browser, tmp_path):
    page = _open(browser, write_html(un_dataset(), tmp_path / "graph.html"))
    lines = "network.body.data.edges.length"
    assert page.evaluate(lines) == 5
    _type_date(page, "#date-from", "2021-10-21")
    assert page.input_value("#date-from") == "2021-10-21"  # what the field shows
    assert page.get_attribute("#date-from", "placeholder") == "yyyy-mm-dd"
    assert page.evaluate(lines) == 4  # the invitation (2021-10-20) is filtered out
    _type_date(page, "#date-from", "2021-10")  # a month: all of October
    assert page.evaluate(lines) == 5
    _type_date(page, "#date-to", "2021-09")
    assert page.evaluate(lines) == 4
    # the twin: a date in the browser's locale is refused, said so, and filters nothing
    page.click("#reset")
    _type_date(page, "#date-from", "10/21/2021")
    assert page.get_attribute("#date-from", "aria-invalid") == "true"
    assert "is not a date: write yyyy-mm-dd" in page.inner_text("#date-hint")
    assert page.evaluate(lines) == 5
    # ... and a locale date picker, typed into the same way, does not hold the ISO text
    page.evaluate("document.getElementById('date-to').type = 'date'")
    _type_date(page, "#date-to", "2021-10-21")
    assert page.input_value("#date-to") != "2021-10-21"
    page.close()


PANEL_FIT = """() => {
  const panel = document.getElementById("panel"), details = document.getElementById("details");
  const box = details.getBoundingClientRect();
  return {panel: panel.scrollHeight <= panel.clientHeight,
          details: details.scrollHeight <= details.clientHeight,
          inWindow: box.top >= 0 && box.bottom <= window.innerHeight,
          text: document.getElementById("details-text").textContent};
}"""


def _click_most_central(page) -> None:
    page.evaluate(
        """() => { const id = nodes.get().find(n => / PageRank #1 of /.test(n.title)).id;
        network.body.emitter.emit("click", {nodes: [id], edges: []}); }"""
    )


@pytest.mark.browser
@pytest.mark.parametrize("which", ["whole", "top40"])
def test_details_fit_in_the_panel_at_900_px_high(request, which):
    page = request.getfixturevalue(which)
    _click_most_central(page)
    try:
        fit = page.evaluate(PANEL_FIT)
        assert "PageRank #1 of" in fit["text"]
        assert fit["panel"] and fit["details"] and fit["inWindow"], fit
        # the twin: in a window 600 px high the same details fall below its bottom
        page.set_viewport_size({"width": 1400, "height": 600})
        assert page.evaluate(PANEL_FIT)["inWindow"] is False
    finally:
        page.set_viewport_size(VIEWPORT)
        page.evaluate('() => { network.body.emitter.emit("click", {nodes: [], edges: []}); }')
        _reset_view(page)


def search_dataset() -> Dataset:
    """Actors that a search for "greenfield" finds in each of the ways it ranks."""
    ds = Dataset()
    article = HandGraph(ds, "search-1", title="Names that share a word")
    us = article.actor("United States", "Country")
    names = [
        ("Greenfields Ltd", "Organization"),  # starts with it, not a whole word
        ("Greenfield Township", "Location"),  # a whole word, not the last
        ("Linda Thomas-Greenfield", "Person"),  # the surname
        ("Evergreenfield Farms", "Organization"),  # only inside a word
        ("Anti-Greenfieldist League", "Group"),  # a word starting with it
    ]
    for name, kind in names:
        article.event(article.actor(name, kind), "met", us, "Meeting", date="2024-01-02")
    article.event(article.actor("Zoë Türk", "Person"), "met", us, "Meeting", date="2024-01-03")
    return ds


@pytest.mark.browser
def test_search_ranks_the_whole_name_then_whole_words_then_parts(browser, tmp_path):
    page = _open(browser, write_html(search_dataset(), tmp_path / "search.html"))
    page.fill("#search", "greenfield")
    page.click("#find button")
    linda = f"{BASE}actor/linda-thomas-greenfield"
    wait_until(page, f"document.body.dataset.highlight === {json.dumps(linda)}")
    assert page.evaluate("network.getSelectedNodes()") == [linda]
    also = page.eval_on_selector_all("#find-message button.also", "bs => bs.map(b => b.textContent)")
    assert also == [
        "Greenfield Township",
        "Greenfields Ltd",
        "Anti-Greenfieldist League",
        "Evergreenfield Farms",
    ]

    def ranked(text: str) -> list[str]:
        return page.evaluate("t => findActors(t).map(id => nodes.get(id).label)", text)

    # the twin: the whole name typed wins over the surname, whatever their centrality
    assert ranked("Greenfield Township")[0] == "Greenfield Township"
    assert ranked("thomas greenfield") == ["Linda Thomas-Greenfield"]  # words, any case
    assert ranked("zoe turk") == ["Zoë Türk"]  # any accent
    assert ranked("atlantis") == []
    page.click("#find-message button.also >> nth=0")
    assert page.evaluate("network.getSelectedNodes()") == [f"{BASE}actor/greenfield-township"]
    page.close()
