"""The offline HTML graph: what it reads from RDF, what it writes, and what a browser does with it.

Test graphs are written by hand with rdflib, triple by triple, from the vocabulary table
in docs/design.md, so these tests check the view against the contract rather than
against graphbuilder's own RDF writer. The gold-corpus test uses that writer.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import replace
from importlib import resources

import pytest
from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS

from graphbuilder.errors import InputError
from graphbuilder.model import slugify
from graphbuilder.view import graph_view
from graphbuilder.viz import build_network, load_style, network_options, write_html
from graphbuilder.viz_html import script_safe_json, strip_remote_tags

from browser import chromium, open_offline, wait_until

GB = Namespace("https://w3id.org/graphbuilder/ontology#")
BASE = "https://w3id.org/graphbuilder/id/"
# Spelled out: pytest probing an imported rdflib XSD namespace at collection warns.
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
LAYOUT_DONE = "document.body.dataset.layout === 'done'"

HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">'
HOSTILE_SENTENCE = "<script>window.__pwned=2</script>"
HOSTILE_SOURCE = "javascript:window.__pwned=3"


def _h(*fields: str | None) -> str:
    return hashlib.sha1("|".join(f or "" for f in fields).encode()).hexdigest()[:12]


class HandGraph:
    """Writes one article's named graph exactly as the design's vocabulary table says."""

    def __init__(self, ds: Dataset, article_id: str, *, title: str = "", source: str = ""):
        self.id = article_id
        self.g = ds.graph(URIRef(f"{BASE}graph/{article_id}"))
        self.article = URIRef(f"{BASE}article/{article_id}")
        self.g.add((self.article, RDF.type, GB.Article))
        self.g.add((self.article, DCTERMS.identifier, Literal(article_id)))
        if title:
            self.g.add((self.article, DCTERMS.title, Literal(title)))
        if source:
            self.g.add((self.article, GB.source, Literal(source)))

    def actor(self, name: str, actor_type: str, *aliases: str, wikidata: str = "") -> URIRef:
        iri = URIRef(f"{BASE}actor/{slugify(name)}")
        self.g.add((iri, RDF.type, GB.Actor))
        self.g.add((iri, RDF.type, GB[actor_type]))
        self.g.add((iri, RDFS.label, Literal(name)))
        for alias in aliases:
            self.g.add((iri, GB.alias, Literal(alias)))
        if wikidata:
            self.g.add((iri, OWL.sameAs, URIRef(f"http://www.wikidata.org/entity/{wikidata}")))
        return iri

    def role(self, holder: URIRef, role: str, role_type: str, of: URIRef, to: URIRef | None = None,
             title: str = "") -> URIRef:
        node = URIRef(f"{BASE}role/{self.id}/{_h(str(holder), role, str(of), str(to or ''))}")
        shortcut = {"HeadOfState": "headOfStateOf", "Ambassador": "ambassadorOf",
                    "Minister": "ministerOf", "Official": "officialOf"}[role_type]
        for triple in [(node, RDF.type, GB.RoleAssignment), (node, GB.holder, holder),
                       (node, GB.roleType, GB[role_type]), (node, GB.roleOf, of),
                       (node, PROV.wasDerivedFrom, self.article), (holder, GB[shortcut], of)]:
            self.g.add(triple)
        if to is not None:
            self.g.add((node, GB.roleTo, to))
            self.g.add((holder, GB.postedTo, to))
        if title:
            self.g.add((node, GB.title, Literal(title)))
        return node

    def event(self, subject: URIRef, predicate: str, obj: URIRef, event_class: str, *,
              date: str = "", sentence: str = "") -> URIRef:
        node = URIRef(f"{BASE}event/{self.id}/{_h(str(subject), predicate, str(obj))}")
        for triple in [(node, RDF.type, GB.Event), (node, RDF.type, GB[event_class]),
                       (node, GB.relationType, GB[predicate]), (node, GB.agent, subject),
                       (node, GB.target, obj), (node, PROV.wasDerivedFrom, self.article),
                       (subject, GB[predicate], obj)]:
            self.g.add(triple)
        if date:
            self.g.add((node, GB.date, Literal(date, datatype=XSD_DATE)))
        if sentence:
            self.g.add((node, GB.sentence, Literal(sentence)))
            self.g.add((node, GB.evidenceText, Literal(sentence[:20])))
        return node


def un_dataset(*, reverse: bool = False) -> Dataset:
    """Two articles: an ambassador, North Korea, the UN; two relations between one pair."""
    ds = Dataset()
    first = HandGraph(ds, "un-1", title="US invites North Korea to talks",
                      source="https://usun.usmission.gov/remarks")
    second = HandGraph(ds, "un-2", title="Council meets on missile launches")
    steps = [
        lambda: first.actor("Linda Thomas-Greenfield", "Person", "Thomas-Greenfield",
                            wikidata="Q16196620"),
        lambda: first.actor("United States", "Country", "US", "America", wikidata="Q30"),
        lambda: first.actor("North Korea", "Country", "DPRK"),
        lambda: first.actor("United Nations", "Organization", "UN"),
        lambda: second.actor("Linda Thomas-Greenfield", "Person", "Ambassador Thomas-Greenfield"),
        lambda: second.actor("North Korea", "Country"),
        lambda: first.role(URIRef(f"{BASE}actor/linda-thomas-greenfield"), "ambassador",
                           "Ambassador", URIRef(f"{BASE}actor/united-states"),
                           URIRef(f"{BASE}actor/united-nations"),
                           title="US Representative to the United Nations"),
        lambda: first.event(URIRef(f"{BASE}actor/linda-thomas-greenfield"), "invited",
                            URIRef(f"{BASE}actor/north-korea"), "Invitation", date="2021-10-20",
                            sentence="She extended an invitation to North Korea."),
        lambda: second.event(URIRef(f"{BASE}actor/linda-thomas-greenfield"), "condemned",
                             URIRef(f"{BASE}actor/north-korea"), "Condemnation",
                             sentence="She condemned the launches."),
        lambda: second.event(URIRef(f"{BASE}actor/north-korea"), "threatened",
                             URIRef(f"{BASE}actor/united-states"), "Threat"),
    ]
    for step in (reversed(steps) if reverse else steps):
        step()
    return ds


def hostile_dataset() -> Dataset:
    """Every string an article controls carries markup or a script URL."""
    ds = Dataset()
    article = HandGraph(ds, "evil", title="</script><script>window.__pwned=4</script>",
                        source=HOSTILE_SOURCE)
    villain = article.actor(HOSTILE_NAME, "Person", "<b onmouseover=\"window.__pwned=5\">x</b>")
    victim = article.actor("Victimland", "Country", "<a href=\"javascript:window.__pwned=6\">v</a>")
    article.role(villain, "official", "Official", victim, title=HOSTILE_SENTENCE)
    article.event(villain, "attacked", victim, "Attack", sentence=HOSTILE_SENTENCE)
    return ds


# -- reading the graph ---------------------------------------------------------------------

def test_view_reads_actors_with_type_aliases_roles_and_wikidata():
    view = graph_view(un_dataset())
    by_label = {node.label: node for node in view.nodes}
    assert sorted(by_label) == ["Linda Thomas-Greenfield", "North Korea", "United Nations",
                                "United States"]
    linda = by_label["Linda Thomas-Greenfield"]
    assert linda.type == "Person"
    assert linda.aliases == ("Ambassador Thomas-Greenfield", "Thomas-Greenfield")
    assert linda.roles == ("US Representative to the United Nations "
                           "(ambassador of United States to United Nations)",)
    assert linda.wikidata == "Q16196620"
    assert by_label["United Nations"].type == "Organization"
    assert view.actor_types() == ["Country", "Organization", "Person"]


def test_view_edges_carry_relation_date_evidence_and_article():
    view = graph_view(un_dataset())
    invited = next(e for e in view.edges if e.relation == "invited")
    assert invited.source == f"{BASE}actor/linda-thomas-greenfield"
    assert invited.target == f"{BASE}actor/north-korea"
    assert invited.date == "2021-10-20"
    assert invited.evidence == "She extended an invitation to North Korea."
    assert invited.article_title == "US invites North Korea to talks"
    assert invited.article_source == "https://usun.usmission.gov/remarks"
    assert sorted(e.relation for e in view.edges) == ["condemned", "invited", "threatened"]


def test_view_sees_every_named_graph_even_without_default_union():
    ds = un_dataset()
    assert ds.default_union is False
    assert len(graph_view(ds).edges) == 3


def test_two_relations_between_the_same_actors_stay_two_directed_edges():
    net = build_network(graph_view(un_dataset()), load_style())
    pair = [e for e in net.edges if e["from"].endswith("linda-thomas-greenfield")
            and e["to"].endswith("north-korea")]
    assert sorted(e["label"] for e in pair) == ["condemned", "invited"]
    assert all(e["arrows"] == "to" for e in net.edges)
    # drawn on opposite curves, so neither hides the other
    assert {e["smooth"]["type"] for e in pair} == {"curvedCW", "curvedCCW"}


def test_relation_stated_only_as_a_shortcut_triple_is_still_drawn():
    ds = Dataset()
    article = HandGraph(ds, "short")
    japan = article.actor("Japan", "Country")
    china = article.actor("China", "Country")
    article.g.add((japan, GB.urged, china))
    (edge,) = graph_view(ds).edges
    assert (edge.relation, edge.evidence) == ("urged", None)


def test_nodes_are_coloured_and_shaped_by_actor_type_from_the_style_file():
    style = load_style()
    net = build_network(graph_view(un_dataset()), style)
    by_label = {n["label"]: n for n in net.nodes}
    assert by_label["North Korea"]["color"] == style.actor_types["Country"]["color"]
    assert by_label["North Korea"]["shape"] == style.actor_types["Country"]["shape"]
    assert by_label["United Nations"]["shape"] == style.actor_types["Organization"]["shape"]
    assert "Type: Person" in by_label["Linda Thomas-Greenfield"]["title"]


def test_style_file_with_a_colour_that_is_not_hex_is_refused(tmp_path):
    shipped = json.loads(resources.files("graphbuilder").joinpath("data/viz_style.json")
                         .read_text("utf-8"))
    shipped["actor_types"]["Person"]["color"] = "red;background:url(http://x)"
    bad = tmp_path / "style.json"
    bad.write_text(json.dumps(shipped), encoding="utf-8")
    with pytest.raises(InputError, match="Person.*#rrggbb"):
        load_style(bad)


def test_graphs_above_the_physics_limit_skip_the_slow_layout_step():
    view = graph_view(un_dataset())
    small = network_options(view, load_style())
    large = network_options(view, replace(load_style(), physics_node_limit=3))
    assert small["layout"] == {"randomSeed": 7, "improvedLayout": True}
    assert large["layout"]["improvedLayout"] is False
    assert large["physics"]["stabilization"]["iterations"] < small["physics"]["stabilization"]["iterations"]


# -- the HTML file -------------------------------------------------------------------------

REMOTE_REF = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""",
                        re.IGNORECASE)


def test_html_inlines_vis_network_and_references_nothing_remote(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = write_html(un_dataset(), tmp_path / "out" / "graph.html")
    page = out.read_text("utf-8")
    assert "vis-network" in page and "@version 9.1.2" in page
    assert REMOTE_REF.search(page) is None
    assert not re.search(r"<script[^>]*\bsrc=", page)
    assert "bootstrap" not in page.lower()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["graph.html"]


def test_pyvis_cdn_tags_are_stripped():
    from pyvis.network import Network

    pyvis_page = Network(cdn_resources="remote", select_menu=True).generate_html()
    assert REMOTE_REF.search(pyvis_page)
    assert REMOTE_REF.search(strip_remote_tags(pyvis_page)) is None


def test_same_graph_writes_byte_identical_html(tmp_path):
    first = write_html(un_dataset(), tmp_path / "a.html").read_bytes()
    second = write_html(un_dataset(reverse=True), tmp_path / "b.html").read_bytes()
    assert first == second


def test_rewriting_replaces_the_file_and_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "graph.html"
    target.write_text("old", encoding="utf-8")
    write_html(un_dataset(), target)
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_hostile_strings_never_appear_as_markup_in_the_file(tmp_path):
    page = write_html(hostile_dataset(), tmp_path / "g.html",
                      title='<img src=y onerror="window.__pwned=7">').read_text("utf-8")
    body = page.split("@version 9.1.2", 1)[0] + page.rsplit("</style>", 1)[-1].split("<script>", 1)[0]
    for needle in ("<img src=x", "<img src=y", "<script>window.__pwned", "</script><script>",
                   "<b onmouseover", "<a href"):
        assert needle not in page
    assert html.escape('<img src=y onerror="window.__pwned=7">') in body
    data = re.search(r'<script id="graph-data" type="application/json">(.*?)</script>',
                     page, re.S).group(1)
    labels = {n["label"] for n in json.loads(data)["nodes"]}
    assert HOSTILE_NAME in labels


def test_script_safe_json_cannot_close_a_script_block_and_round_trips():
    value = {"name": "</script><!-- & \u2028"}
    text = script_safe_json(value)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value


@pytest.fixture(scope="module")
def gold_extractions(gold_dev_dir):
    """Return the hand-annotated dev corpus as Extractions."""
    from graphbuilder.model import extraction_from_json

    return [extraction_from_json(json.loads(p.read_text("utf-8")), origin=str(p))
            for p in sorted(gold_dev_dir.glob("*.json"))]


def gold_dataset(extractions):
    from graphbuilder.rdf import extractions_to_dataset

    return extractions_to_dataset(extractions)


def test_gold_corpus_gives_one_node_per_actor_and_one_edge_per_relation(gold_extractions):
    view = graph_view(gold_dataset(gold_extractions))
    assert len(view.nodes) == len({slugify(a.name) for x in gold_extractions for a in x.actors})
    assert len(view.edges) == sum(len(x.relations) for x in gold_extractions)
    assert {n.type for n in view.nodes} == {a.type for x in gold_extractions for a in x.actors}


def test_gold_corpus_writes_byte_identical_html_from_two_builds(gold_extractions, tmp_path):
    first = write_html(gold_dataset(gold_extractions), tmp_path / "a.html").read_bytes()
    second = write_html(gold_dataset(list(reversed(gold_extractions))),
                        tmp_path / "b.html").read_bytes()
    assert first == second


# -- in a real browser ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def _dom_point(page, kind: str, item_id: str) -> tuple[float, float]:
    """Return page coordinates of a node's centre or an edge's midpoint."""
    return tuple(page.evaluate("""([kind, id]) => {
        network.stopSimulation();
        const p = kind === "node" ? network.getPositions([id])[id]
                                  : network.body.edges[id].edgeType.getPoint(0.5);
        const dom = network.canvasToDOM(p);
        const box = document.getElementById("mynetwork").getBoundingClientRect();
        return [box.left + dom.x, box.top + dom.y];
    }""", [kind, item_id]))


TOOLTIP_SHOWN = """(() => { const t = document.querySelector("div.vis-tooltip");
    return Boolean(t) && t.style.visibility === "visible" && t.innerText.length > 0; })()"""


def _tooltip_after_hover(page, kind: str, item_id: str) -> str:
    """Return the tooltip text vis-network shows when the pointer rests on a node or edge."""
    corner = page.evaluate("""(() => { const b = document.getElementById("mynetwork")
        .getBoundingClientRect(); return [b.left + 3, b.top + 3]; })()""")
    page.mouse.move(*corner)               # an empty spot: the previous tooltip goes away
    wait_until(page, f"!{TOOLTIP_SHOWN}")
    page.mouse.move(*_dom_point(page, kind, item_id))
    wait_until(page, TOOLTIP_SHOWN)
    return page.evaluate('document.querySelector("div.vis-tooltip").innerText')


@pytest.mark.browser
def test_page_draws_every_actor_and_relation_offline_without_errors(browser, tmp_path):
    out = write_html(un_dataset(), tmp_path / "graph.html")
    opened = open_offline(browser, out, wait_for=LAYOUT_DONE)
    counts = opened.page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")
    assert counts == [4, 3]
    assert opened.outside_requests == []
    assert opened.console_errors == [] and opened.page_errors == []


@pytest.mark.browser
def test_gold_corpus_page_draws_offline_with_its_actor_types_in_the_legend(
        browser, tmp_path, gold_extractions):
    out = write_html(gold_dataset(gold_extractions), tmp_path / "graph.html")
    opened = open_offline(browser, out, wait_for=LAYOUT_DONE)
    view = graph_view(gold_dataset(gold_extractions))
    counts = opened.page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")
    assert counts == [len(view.nodes), len(view.edges)]
    legend = opened.page.eval_on_selector_all("#legend .actor-types li",
                                              "items => items.map(i => i.innerText.slice(1).trim())")
    assert sorted(legend) == view.actor_types()
    assert opened.outside_requests == []
    assert opened.console_errors == [] and opened.page_errors == []


@pytest.mark.browser
def test_large_graph_stops_moving_once_laid_out(browser, tmp_path):
    out = write_html(un_dataset(), tmp_path / "graph.html",
                     style=replace(load_style(), physics_node_limit=3))
    page = open_offline(browser, out, wait_for=LAYOUT_DONE).page
    assert page.evaluate("network.physics.options.enabled") is False
    small = open_offline(browser, write_html(un_dataset(), tmp_path / "small.html"),
                         wait_for=LAYOUT_DONE).page
    assert small.evaluate("network.physics.options.enabled") is True


@pytest.mark.browser
def test_legend_lists_the_actor_types_in_the_graph(browser, tmp_path):
    out = write_html(un_dataset(), tmp_path / "graph.html")
    page = open_offline(browser, out).page
    shown = page.eval_on_selector_all("#legend .actor-types li", "items => items.map(i => i.innerText.trim())")
    assert [s[1:].strip() for s in shown] == ["Person", "Country", "Organization"]
    assert page.evaluate("network.body.nodeIndices.includes('legend')") is False


@pytest.mark.browser
def test_tooltips_show_roles_aliases_and_evidence(browser, tmp_path):
    out = write_html(un_dataset(), tmp_path / "graph.html")
    page = open_offline(browser, out, wait_for=LAYOUT_DONE).page
    linda = _tooltip_after_hover(page, "node", f"{BASE}actor/linda-thomas-greenfield")
    assert "US Representative to the United Nations" in linda
    assert "Also known as: Ambassador Thomas-Greenfield, Thomas-Greenfield" in linda
    invited = next(e for e in graph_view(un_dataset()).edges if e.relation == "invited")
    tip = _tooltip_after_hover(page, "edge", invited.id)
    for expected in ("invited", "Date: 2021-10-20", "She extended an invitation to North Korea.",
                     "US invites North Korea to talks", "https://usun.usmission.gov/remarks"):
        assert expected in tip


@pytest.mark.browser
def test_hostile_text_runs_nothing_on_load_hover_or_click(browser, tmp_path):
    out = write_html(hostile_dataset(), tmp_path / "evil.html",
                     title='<img src=y onerror="window.__pwned=7">')
    opened = open_offline(browser, out, wait_for=LAYOUT_DONE)
    page = opened.page
    assert page.evaluate("window.__pwned") is None
    villain = f"{BASE}actor/{slugify(HOSTILE_NAME)}"
    tip = _tooltip_after_hover(page, "node", villain)
    assert HOSTILE_NAME in tip and HOSTILE_SENTENCE in tip     # shown as text, not parsed
    page.mouse.click(*_dom_point(page, "node", villain))
    (edge,) = graph_view(hostile_dataset()).edges
    tip = _tooltip_after_hover(page, "edge", edge.id)
    assert HOSTILE_SENTENCE in tip and HOSTILE_SOURCE in tip
    page.mouse.click(*_dom_point(page, "edge", edge.id))
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('#mynetwork img, #mynetwork a, "
                         "div.vis-tooltip *:not(br)').length") == 0
    assert opened.outside_requests == [] and opened.page_errors == []


@pytest.mark.browser
def test_content_security_policy_blocks_markup_that_slipped_through(browser, tmp_path):
    out = write_html(un_dataset(), tmp_path / "graph.html")
    page = out.read_text("utf-8")
    out.write_text(page.replace("<main>", '<main><img src="x.png" onerror="window.__pwned=8">'
                                          '<script>window.__pwned=9</script>', 1), "utf-8")
    opened = open_offline(browser, out, wait_for=LAYOUT_DONE)
    assert opened.page.evaluate("window.__pwned") is None
    assert opened.page.evaluate("network.body.data.nodes.length") == 4   # the page still works
    assert opened.outside_requests == []
