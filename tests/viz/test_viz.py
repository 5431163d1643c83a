"""The offline HTML graph: what it reads from RDF, what it writes, and what a browser does with it.

Test graphs are written by hand with rdflib, triple by triple, from the vocabulary table
in docs/design.md, so these tests check the view against the contract rather than
against graphbuilder's own RDF writer. The gold-corpus test uses that writer.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import pickle
import re
import subprocess
import sys
from dataclasses import replace
from importlib import resources

import pytest
from browser import chromium, open_offline, wait_until
from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS
from typer.testing import CliRunner

from graphbuilder.cli import app
from graphbuilder.errors import InputError, UsageError
from graphbuilder.model import PREDICATES, slugify
from graphbuilder.network.view import GraphView, ViewEdge, ViewNode, graph_view
from graphbuilder.rdf.mapping import actor_key
from graphbuilder.viz.html import script_safe_json, script_safe_json_chunks, strip_remote_tags
from graphbuilder.viz.layout import layout_positions
from graphbuilder.viz.page import (
    build_network,
    html_page,
    link_tooltip,
    links_of,
    load_style,
    network_options,
    role_links_of,
    write_html,
)
from graphbuilder.viz.select import find_actor, select_actors

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

    def role(
        self, holder: URIRef, role: str, role_type: str, of: URIRef, to: URIRef | None = None, title: str = ""
    ) -> URIRef:
        node = URIRef(f"{BASE}role/{self.id}/{_h(str(holder), role, str(of), str(to or ''))}")
        shortcut = {
            "HeadOfState": "headOfStateOf",
            "Ambassador": "ambassadorOf",
            "Minister": "ministerOf",
            "Official": "officialOf",
        }[role_type]
        for triple in [
            (node, RDF.type, GB.RoleAssignment),
            (node, GB.holder, holder),
            (node, GB.roleType, GB[role_type]),
            (node, GB.roleOf, of),
            (node, PROV.wasDerivedFrom, self.article),
            (holder, GB[shortcut], of),
        ]:
            self.g.add(triple)
        if to is not None:
            self.g.add((node, GB.roleTo, to))
            self.g.add((holder, GB.postedTo, to))
        if title:
            self.g.add((node, GB.title, Literal(title)))
        return node

    def event(
        self,
        subject: URIRef,
        predicate: str,
        obj: URIRef,
        event_class: str,
        *,
        date: str = "",
        sentence: str = "",
    ) -> URIRef:
        node = URIRef(f"{BASE}event/{self.id}/{_h(str(subject), predicate, str(obj))}")
        for triple in [
            (node, RDF.type, GB.Event),
            (node, RDF.type, GB[event_class]),
            (node, GB.relationType, GB[predicate]),
            (node, GB.agent, subject),
            (node, GB.target, obj),
            (node, PROV.wasDerivedFrom, self.article),
            (subject, GB[predicate], obj),
        ]:
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
    first = HandGraph(
        ds, "un-1", title="US invites North Korea to talks", source="https://usun.usmission.gov/remarks"
    )
    second = HandGraph(ds, "un-2", title="Council meets on missile launches")
    steps = [
        lambda: first.actor("Linda Thomas-Greenfield", "Person", "Thomas-Greenfield", wikidata="Q16196620"),
        lambda: first.actor("United States", "Country", "US", "America", wikidata="Q30"),
        lambda: first.actor("North Korea", "Country", "DPRK"),
        lambda: first.actor("United Nations", "Organization", "UN"),
        lambda: second.actor("Linda Thomas-Greenfield", "Person", "Ambassador Thomas-Greenfield"),
        lambda: second.actor("North Korea", "Country"),
        lambda: first.role(
            URIRef(f"{BASE}actor/linda-thomas-greenfield"),
            "ambassador",
            "Ambassador",
            URIRef(f"{BASE}actor/united-states"),
            URIRef(f"{BASE}actor/united-nations"),
            title="US Representative to the United Nations",
        ),
        lambda: first.event(
            URIRef(f"{BASE}actor/linda-thomas-greenfield"),
            "invited",
            URIRef(f"{BASE}actor/north-korea"),
            "Invitation",
            date="2021-10-20",
            sentence="She extended an invitation to North Korea.",
        ),
        lambda: second.event(
            URIRef(f"{BASE}actor/linda-thomas-greenfield"),
            "condemned",
            URIRef(f"{BASE}actor/north-korea"),
            "Condemnation",
            sentence="She condemned the launches.",
        ),
        lambda: second.event(
            URIRef(f"{BASE}actor/north-korea"), "threatened", URIRef(f"{BASE}actor/united-states"), "Threat"
        ),
    ]
    for step in reversed(steps) if reverse else steps:
        step()
    return ds


def hostile_dataset() -> Dataset:
    """Every string an article controls carries markup or a script URL."""
    ds = Dataset()
    article = HandGraph(ds, "evil", title="</script><script>window.__pwned=4</script>", source=HOSTILE_SOURCE)
    villain = article.actor(HOSTILE_NAME, "Person", '<b onmouseover="window.__pwned=5">x</b>')
    victim = article.actor("Victimland", "Country", '<a href="javascript:window.__pwned=6">v</a>')
    article.role(villain, "official", "Official", victim, title=HOSTILE_SENTENCE)
    article.event(villain, "attacked", victim, "Attack", sentence=HOSTILE_SENTENCE)
    return ds


# -- reading the graph ---------------------------------------------------------------------


def test_view_reads_actors_with_type_aliases_roles_and_wikidata():
    view = graph_view(un_dataset())
    by_label = {node.label: node for node in view.nodes}
    assert sorted(by_label) == ["Linda Thomas-Greenfield", "North Korea", "United Nations", "United States"]
    linda = by_label["Linda Thomas-Greenfield"]
    assert linda.type == "Person"
    assert linda.aliases == ("Ambassador Thomas-Greenfield", "Thomas-Greenfield")
    assert linda.roles == (
        "US Representative to the United Nations (ambassador of United States to United Nations)",
    )
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


def synthetic_view(actors: int, *, seed: int = 7) -> GraphView:
    """A news-like GraphView made in Python (no RDF, no spaCy): a few hubs, many leaves.

    Every actor takes part in at least one relation; relations carry dates in 2021-2023.
    """
    import random

    rng = random.Random(seed)
    types = ["Country", "Organization", "Person", "Person", "Group"]
    nodes = [
        ViewNode(
            id=f"{BASE}actor/a{i:05d}", label=f"Actor {i:05d}", type=types[i % len(types)], aliases=(f"A{i}",)
        )
        for i in range(actors)
    ]
    weights = [1 / (i + 1) for i in range(actors)]
    predicates = list(PREDICATES)
    edges = []
    for i in range(int(actors * 2.2)):
        source = nodes[i] if i < actors else rng.choices(nodes, weights)[0]
        target = rng.choices(nodes, weights)[0]
        if target is source:
            target = nodes[(nodes.index(source) + 1) % actors]
        edges.append(
            ViewEdge(
                id=f"{BASE}event/e{i:06d}",
                source=source.id,
                target=target.id,
                relation=predicates[i % len(predicates)],
                date=f"202{1 + i % 3}-0{1 + i % 9}-1{i % 10}",
                evidence=f"Sentence {i}.",
                article_title=f"Article {i // 5}",
            )
        )
    return GraphView(nodes=tuple(nodes), edges=tuple(edges))


def test_two_relation_types_between_the_same_actors_stay_two_curved_directed_lines():
    net = build_network(graph_view(un_dataset()), load_style())
    pair = [
        e
        for e in net.edges
        if e["from"].endswith("linda-thomas-greenfield") and e["to"].endswith("north-korea")
    ]
    assert sorted(e["label"] for e in pair) == ["condemned", "invited"]
    assert all(e["arrows"] == "to" for e in net.edges)
    # drawn on opposite curves, so neither hides the other
    assert {e["smooth"]["type"] for e in pair} == {"curvedCW", "curvedCCW"}


def test_reports_of_one_relation_between_two_actors_are_one_line_listing_every_report():
    ds = un_dataset()
    third = HandGraph(ds, "un-3", title="Again", source="https://example.org/again")
    third.event(
        URIRef(f"{BASE}actor/linda-thomas-greenfield"),
        "condemned",
        URIRef(f"{BASE}actor/north-korea"),
        "Condemnation",
        date="2021-11-02",
        sentence="She condemned the tests again.",
    )
    net = build_network(graph_view(ds), load_style())
    (line,) = [e for e in net.edges if e["relation"] == "condemned"]
    assert line["count"] == 2 and line["dates"] == ["", "2021-11-02"]
    assert "(2 reports)" in line["title"]
    assert "She condemned the tests again." in line["title"]
    assert "She condemned the launches." in line["title"]
    assert line["title"].index("2021-11-02") < line["title"].index("Date: not given")
    single = next(e for e in net.edges if e["relation"] == "invited")
    assert line["width"] > single["width"]
    assert len([e for e in net.edges if e["relation"] != "role"]) == 3


def test_a_post_is_a_line_from_its_holder_to_whom_it_serves_and_where_it_is_posted():
    net = build_network(graph_view(un_dataset()), load_style())
    roles = sorted((e["from"], e["label"], e["to"]) for e in net.edges if e["relation"] == "role")
    linda = f"{BASE}actor/linda-thomas-greenfield"
    assert roles == [
        (linda, "ambassador of", f"{BASE}actor/united-states"),
        (linda, "posted to", f"{BASE}actor/united-nations"),
    ]
    line = next(e for e in net.edges if e["relation"] == "role" and e["label"] == "posted to")
    assert line["title"].startswith("Linda Thomas-Greenfield posted to United Nations (1 report)")
    assert "US Representative to the United Nations" in line["title"]
    assert line["family"] == "role" and "Date:" not in line["title"]


def test_a_graph_without_posts_draws_no_post_lines():
    ds = Dataset()
    article = HandGraph(ds, "plain", title="Plain", source="https://example.org/plain")
    a = article.actor("Alpha", "Country")
    b = article.actor("Beta", "Country")
    article.event(a, "condemned", b, "Condemnation")
    net = build_network(graph_view(ds), load_style())
    assert [e["relation"] for e in net.edges] == ["condemned"]


def test_a_line_with_many_reports_shows_the_first_in_its_tooltip_and_all_in_its_details():
    view = graph_view(un_dataset())
    (condemned,) = [e for e in view.edges if e.relation == "condemned"]
    many = GraphView(
        view.nodes,
        tuple(
            replace(condemned, id=f"{condemned.id}-{i}", evidence=f"Report number {i}.") for i in range(12)
        ),
    )
    (link,) = links_of(many)
    labels = {n.id: n.label for n in view.nodes}
    short = link_tooltip(link, labels, limit=8)
    assert short.count("Evidence:") == 8 and "4 more: click the line" in short
    (line,) = build_network(many, load_style()).edges
    assert line["title"] == short
    assert all(f"Report number {i}." in line["details"] for i in range(12))


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


def test_node_size_grows_with_pagerank():
    from graphbuilder.network.graph import actor_network, centrality

    view = synthetic_view(200)
    pagerank = centrality(actor_network(view)).pagerank
    nodes = build_network(view, load_style()).nodes
    by_rank = sorted(nodes, key=lambda n: -pagerank[n["id"]])
    sizes = [n["size"] for n in by_rank]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > sizes[-1]
    assert "PageRank #1 of 200" in by_rank[0]["title"]


def test_lines_are_coloured_by_relation_family():
    style = load_style()
    view = synthetic_view(60)
    colours: dict[str, set[str]] = {}
    for line in build_network(view, style).edges:
        colours.setdefault(line["family"], set()).add(line["color"]["color"])
    assert colours == {
        "hostile": {style.families["hostile"]["color"]},
        "cooperative": {style.families["cooperative"]["color"]},
        "urging": {style.families["urging"]["color"]},
    }
    assert {
        style.relation(r)["family"] for r in ("condemned", "threatened", "sanctioned", "accused", "attacked")
    } == {"hostile"}
    assert {style.relation(r)["family"] for r in ("invited", "met", "supported", "agreed_with")} == {
        "cooperative"
    }


def test_style_file_with_a_colour_that_is_not_hex_is_refused(tmp_path):
    shipped = json.loads(resources.files("graphbuilder").joinpath("data/viz_style.json").read_text("utf-8"))
    shipped["families"]["hostile"]["color"] = "red;background:url(http://x)"
    bad = tmp_path / "style.json"
    bad.write_text(json.dumps(shipped), encoding="utf-8")
    with pytest.raises(InputError, match="hostile.*#rrggbb"):
        load_style(bad)


def test_physics_is_off_and_every_actor_comes_with_a_position():
    view = graph_view(un_dataset())
    options = network_options(view, load_style())
    assert options["physics"] == {"enabled": False}
    assert options["layout"]["improvedLayout"] is False
    nodes = build_network(view, load_style()).nodes
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in nodes)
    assert len({(n["x"], n["y"]) for n in nodes}) == len(nodes)


def test_layout_keeps_components_apart_and_is_the_same_every_time():
    view = synthetic_view(1200)
    links = [(e.source, e.target) for e in view.edges]
    # three more components: a pair, a triangle and a lone actor
    extra = [("p1", "p2"), ("t1", "t2"), ("t2", "t3"), ("t3", "t1")]
    actors = [n.id for n in view.nodes] + ["p1", "p2", "t1", "t2", "t3", "lone"]
    first = layout_positions(actors, links + extra)
    assert first == layout_positions(list(reversed(actors)), list(reversed(links + extra)))
    boxes = []
    for members in ([n.id for n in view.nodes], ["p1", "p2"], ["t1", "t2", "t3"], ["lone"]):
        xs, ys = [first[m][0] for m in members], [first[m][1] for m in members]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1], (a, b)


# -- choosing what to draw: --max-nodes, --focus, --hops ------------------------------------


def test_max_nodes_keeps_the_most_central_actors_and_says_what_was_left_out():
    from graphbuilder.network.graph import actor_network, centrality

    view = synthetic_view(300)
    chosen = select_actors(view, max_nodes=40)
    top = set(centrality(actor_network(view)).ranking()[:40])
    assert {n.id for n in chosen.view.nodes} == top
    assert all(e.source in top and e.target in top for e in chosen.view.edges)
    left = len(view.edges) - len(chosen.view.edges)
    assert chosen.left_out == (
        f"Showing 40 of 300 actors: the 40 most central actors by "
        f"PageRank. Left out: 260 actors and {left:,} relations."
    )
    assert select_actors(view, max_nodes=300).left_out is None


def test_focus_by_alias_in_any_case_keeps_the_actors_within_the_hops():
    view = graph_view(un_dataset())
    one = select_actors(view, focus="dprk")  # alias of North Korea, hops 1
    assert sorted(n.label for n in one.view.nodes) == [
        "Linda Thomas-Greenfield",
        "North Korea",
        "United States",
    ]
    assert one.focus == f"{BASE}actor/north-korea"
    assert "North Korea and the actors within 1 hop of it" in one.left_out
    alone = select_actors(view, focus="North Korea", hops=0)
    assert [n.label for n in alone.view.nodes] == ["North Korea"]
    star = select_actors(synthetic_view(300), focus="actor 00120", hops=3, max_nodes=5)
    assert len(star.view.nodes) == 5 and star.focus in {n.id for n in star.view.nodes}


def test_unknown_focus_names_close_matches():
    with pytest.raises(
        UsageError, match="no actor named .Nort Korea. in the graph; did you mean .North Korea."
    ):
        find_actor(graph_view(un_dataset()), "Nort Korea")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"hops": 2}, "give a focus too"),
        ({"focus": "North Korea", "hops": -1}, "hops must be 0 or more"),
        ({"max_nodes": 0}, "max-nodes must be 1 or more"),
    ],
)
def test_selection_arguments_that_cannot_work_are_refused(options, message):
    with pytest.raises(UsageError, match=message):
        select_actors(graph_view(un_dataset()), **options)


# -- the command ---------------------------------------------------------------------------


def _graph_file(tmp_path):
    path = tmp_path / "graph.trig"
    un_dataset().serialize(path, format="trig")
    return path


def test_viz_command_writes_a_focused_page_and_says_where(tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "viz",
            str(_graph_file(tmp_path)),
            "--focus",
            "north korea",
            "--hops",
            "1",
            "--max-nodes",
            "2",
            "--output",
            str(tmp_path / "nk.html"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "nk.html" in result.output
    page = (tmp_path / "nk.html").read_text("utf-8")
    assert "Showing 2 of 4 actors: North Korea and the actors within 1 hop of it, the 2 most" in page


@pytest.mark.parametrize(
    ("arguments", "code", "message"),
    [
        (["--focus", "Atlantis"], 2, "no actor named 'Atlantis'"),
        (["--hops", "2"], 2, "give a focus too"),
        (["--focus", "North Korea", "--hops", "-3"], 2, "hops must be 0 or more"),
        (["--max-nodes", "0"], 2, "max-nodes must be 1 or more"),
        (["--output", "/proc/graph.html"], 1, "cannot write here"),
    ],
)
def test_viz_command_errors_are_one_line_with_an_exit_code(tmp_path, arguments, code, message):
    result = CliRunner().invoke(app, ["viz", str(_graph_file(tmp_path)), *arguments])
    assert result.exit_code == code
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


# -- the HTML file -------------------------------------------------------------------------

REMOTE_REF = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE
)


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


def test_same_graph_writes_byte_identical_html_whatever_the_string_hash_seed(tmp_path):
    # Sets and dicts of strings iterate in an order that changes with PYTHONHASHSEED, so
    # only separate processes show whether that order reaches the page. 700 linked actors
    # (more than the layout's core) and 800 unlinked ones: the big component is under half
    # of the graph and its core under half of the component, the sizes at which networkx
    # subgraph views iterate their nodes from a set.
    linked = synthetic_view(700)
    lone = tuple(
        ViewNode(id=f"{BASE}actor/lone{i:04d}", label=f"Lone {i:04d}", type="Person") for i in range(800)
    )
    view = GraphView(nodes=linked.nodes + lone, edges=linked.edges)
    (tmp_path / "view.pickle").write_bytes(pickle.dumps(view))
    code = (
        "import pickle, sys; from pathlib import Path; from graphbuilder.viz.page import html_page; "
        "view = pickle.loads(Path(sys.argv[1]).read_bytes()); "
        "Path(sys.argv[2]).write_text(html_page(view), encoding='utf-8')"
    )
    pages = []
    for seed in ("1", "2"):
        page = tmp_path / f"seed-{seed}.html"
        subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / "view.pickle"), str(page)],
            env=dict(os.environ, PYTHONHASHSEED=seed),
            check=True,
            timeout=120,
        )
        pages.append(page.read_bytes())
    assert pages[0] == pages[1]


def test_rewriting_replaces_the_file_and_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "graph.html"
    target.write_text("old", encoding="utf-8")
    write_html(un_dataset(), target)
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_hostile_strings_never_appear_as_markup_in_the_file(tmp_path):
    page = write_html(
        hostile_dataset(), tmp_path / "g.html", title='<img src=y onerror="window.__pwned=7">'
    ).read_text("utf-8")
    body = page.split("@version 9.1.2", 1)[0] + page.rsplit("</style>", 1)[-1].split("<script>", 1)[0]
    for needle in (
        "<img src=x",
        "<img src=y",
        "<script>window.__pwned",
        "</script><script>",
        "<b onmouseover",
        "<a href",
    ):
        assert needle not in page
    assert html.escape('<img src=y onerror="window.__pwned=7">') in body
    data = re.search(
        r'<script id="graph-data" type="application/json">(.*?)</script>', page, re.DOTALL
    ).group(1)
    labels = {n["label"] for n in json.loads(data)["nodes"]}
    assert HOSTILE_NAME in labels


def test_script_safe_json_cannot_close_a_script_block_and_round_trips():
    value = {"name": "</script><!-- & \u2028"}
    text = script_safe_json(value)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value


def test_page_data_written_in_pieces_is_the_same_json_as_written_whole():
    value = {
        "nodes": [{"label": "</script>", "x": 1}, {"label": "a\u2029b & c"}],
        "edges": [],
        "focus": None,
        "options": {"physics": False, "z": [1, "<"]},
    }
    pieces = list(script_safe_json_chunks(value))
    assert len(pieces) > 3  # the lists come an element at a time
    assert "".join(pieces) == script_safe_json(value)
    assert json.loads("".join(pieces)) == value


@pytest.fixture(scope="module")
def gold_extractions(annotated_dir):
    """Return each hand-annotated set as Extractions: the dev corpus, the constructed set."""
    from graphbuilder.model import extraction_from_json

    return [
        extraction_from_json(json.loads(p.read_text("utf-8")), origin=str(p))
        for p in sorted(annotated_dir.glob("*.json"))
    ]


def gold_dataset(extractions):
    from graphbuilder.rdf.dataset import extractions_to_dataset

    return extractions_to_dataset(extractions)


def test_gold_corpus_gives_one_node_per_actor_and_one_edge_per_relation(gold_extractions):
    view = graph_view(gold_dataset(gold_extractions))
    assert len(view.nodes) == len({actor_key(a.name) for x in gold_extractions for a in x.actors})
    assert len(view.edges) == sum(len(x.relations) for x in gold_extractions)
    assert {n.type for n in view.nodes} == {a.type for x in gold_extractions for a in x.actors}


def test_gold_corpus_writes_byte_identical_html_from_two_builds(gold_extractions, tmp_path):
    first = write_html(gold_dataset(gold_extractions), tmp_path / "a.html").read_bytes()
    second = write_html(gold_dataset(list(reversed(gold_extractions))), tmp_path / "b.html").read_bytes()
    assert first == second


# -- in a real browser ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


def _dom_point(page, kind: str, item_id: str) -> tuple[float, float]:
    """Return page coordinates of a node's centre or an edge's midpoint."""
    return tuple(
        page.evaluate(
            """([kind, id]) => {
        network.stopSimulation();
        const p = kind === "node" ? network.getPositions([id])[id]
                                  : network.body.edges[id].edgeType.getPoint(0.5);
        const dom = network.canvasToDOM(p);
        const box = document.getElementById("mynetwork").getBoundingClientRect();
        return [box.left + dom.x, box.top + dom.y];
    }""",
            [kind, item_id],
        )
    )


TOOLTIP_SHOWN = """(() => { const t = document.querySelector("div.vis-tooltip");
    return Boolean(t) && t.style.visibility === "visible" && t.innerText.length > 0; })()"""


def _tooltip_after_hover(page, kind: str, item_id: str) -> str:
    """Return the tooltip text vis-network shows when the pointer rests on a node or edge."""
    corner = page.evaluate("""(() => { const b = document.getElementById("mynetwork")
        .getBoundingClientRect(); return [b.left + 3, b.top + 3]; })()""")
    page.mouse.move(*corner)  # an empty spot: the previous tooltip goes away
    wait_until(page, f"!{TOOLTIP_SHOWN}")
    page.mouse.move(*_dom_point(page, kind, item_id))
    wait_until(page, TOOLTIP_SHOWN)
    return page.evaluate('document.querySelector("div.vis-tooltip").innerText')


@pytest.mark.browser
def test_page_draws_every_actor_and_relation_offline_without_errors(browser, tmp_path):
    out = write_html(un_dataset(), tmp_path / "graph.html")
    opened = open_offline(browser, out, wait_for=LAYOUT_DONE)
    counts = opened.page.evaluate("[network.body.data.nodes.length, network.body.data.edges.length]")
    assert counts == [4, 5]  # 3 relations, and Linda's post: 2 lines
    assert opened.outside_requests == []
    assert opened.console_errors == [] and opened.page_errors == []


@pytest.mark.browser
def test_gold_corpus_page_draws_offline_with_its_actor_types_in_the_legend(
    browser, tmp_path, gold_extractions
):
    out = write_html(gold_dataset(gold_extractions), tmp_path / "graph.html")
    opened = open_offline(browser, out, wait_for=LAYOUT_DONE)
    view = graph_view(gold_dataset(gold_extractions))
    counts = opened.page.evaluate(
        "[nodes.length, network.body.data.edges.length, edges.get().reduce((n, e) => n + e.count, 0),"
        " network.body.data.nodes.length, nodes.get().filter(n => n.degree === 0).length]"
    )
    linked = {a for link in links_of(view) + role_links_of(view) for a in (link.source, link.target)}
    assert counts == [
        len(view.nodes),
        len(links_of(view)) + len(role_links_of(view)),
        len(view.edges) + len(view.roles),
        len(linked),  # drawn at first: actors with no line wait behind their box
        len(view.nodes) - len(linked),
    ]
    legend = opened.page.eval_on_selector_all(
        "#legend .actor-types input", "boxes => boxes.map(b => b.dataset.actorType)"
    )
    assert sorted(legend) == view.actor_types()
    assert opened.outside_requests == []
    assert opened.console_errors == [] and opened.page_errors == []


@pytest.mark.browser
def test_legend_lists_the_actor_types_in_the_graph(browser, tmp_path):
    out = write_html(un_dataset(), tmp_path / "graph.html")
    page = open_offline(browser, out).page
    shown = page.eval_on_selector_all(
        "#legend .actor-types li", "items => items.map(i => i.innerText.trim())"
    )
    assert [s[1:].strip() for s in shown] == ["Person 1", "Country 2", "Organization 1"]
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
    for expected in (
        "invited",
        "Date: 2021-10-20",
        "She extended an invitation to North Korea.",
        "US invites North Korea to talks",
        "https://usun.usmission.gov/remarks",
    ):
        assert expected in tip


@pytest.mark.browser
def test_hostile_text_runs_nothing_on_load_hover_or_click(browser, tmp_path):
    out = write_html(
        hostile_dataset(), tmp_path / "evil.html", title='<img src=y onerror="window.__pwned=7">'
    )
    opened = open_offline(browser, out, wait_for=LAYOUT_DONE)
    page = opened.page
    assert page.evaluate("window.__pwned") is None
    villain = f"{BASE}actor/{slugify(HOSTILE_NAME)}"
    tip = _tooltip_after_hover(page, "node", villain)
    assert HOSTILE_NAME in tip and HOSTILE_SENTENCE in tip  # shown as text, not parsed
    page.mouse.click(*_dom_point(page, "node", villain))
    (edge,) = graph_view(hostile_dataset()).edges
    tip = _tooltip_after_hover(page, "edge", edge.id)
    assert HOSTILE_SENTENCE in tip and HOSTILE_SOURCE in tip
    page.mouse.click(*_dom_point(page, "edge", edge.id))
    page.wait_for_timeout(300)
    assert HOSTILE_SENTENCE in page.inner_text("#details-text")  # the panel shows text
    assert page.evaluate("document.querySelectorAll('#details *').length") == 2  # h2, p
    page.fill("#search", HOSTILE_NAME)
    page.click("#find button")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert (
        page.evaluate(
            "document.querySelectorAll('#mynetwork img, #mynetwork a, div.vis-tooltip *:not(br)').length"
        )
        == 0
    )
    assert opened.outside_requests == [] and opened.page_errors == []


@pytest.mark.browser
def test_content_security_policy_blocks_markup_that_slipped_through(browser, tmp_path):
    out = write_html(un_dataset(), tmp_path / "graph.html")
    page = out.read_text("utf-8")
    out.write_text(
        page.replace(
            "<main>", '<main><img src="x.png" onerror="window.__pwned=8"><script>window.__pwned=9</script>', 1
        ),
        "utf-8",
    )
    opened = open_offline(browser, out, wait_for=LAYOUT_DONE)
    assert opened.page.evaluate("window.__pwned") is None
    assert opened.page.evaluate("network.body.data.nodes.length") == 4  # the page still works
    assert opened.outside_requests == []


def _click(page, checkbox_selector: str) -> None:
    page.click(checkbox_selector)
    page.wait_for_timeout(50)


def _shown(page) -> tuple[list[str], list[str]]:
    """Return the labels of the drawn actors and the relations of the drawn lines, sorted."""
    return tuple(
        page.evaluate("""() => [
        network.body.data.nodes.get().map(n => n.label).sort(),
        network.body.data.edges.get().map(e => e.relation).sort()]""")
    )


@pytest.mark.browser
def test_filters_hide_relations_actor_types_and_dates(browser, tmp_path):
    out = write_html(un_dataset(), tmp_path / "graph.html")
    opened = open_offline(browser, out, wait_for=LAYOUT_DONE)
    page = opened.page
    everything = _shown(page)
    assert everything[1] == ["condemned", "invited", "role", "role", "threatened"]
    # the hostile family off: condemned and threatened go; the United States stays, held
    # by Linda's post (ambassador of), and so does the UN (posted to)
    _click(page, 'fieldset[data-family="hostile"] .family-toggle')
    assert _shown(page) == (
        ["Linda Thomas-Greenfield", "North Korea", "United Nations", "United States"],
        ["invited", "role", "role"],
    )
    _click(page, "#reset")
    assert _shown(page) == everything
    # Country off: both countries go, and with them their lines; Linda keeps her post
    _click(page, 'input[data-actor-type="Country"]')
    assert _shown(page) == (["Linda Thomas-Greenfield", "United Nations"], ["role"])
    _click(page, 'input[data-actor-type="Country"]')
    # posts off: only relations are left
    _click(page, 'input[data-relation="role"]')
    assert _shown(page)[1] == ["condemned", "invited", "threatened"]
    _click(page, "#reset")
    _click(page, "#hide-orphans")
    _click(page, 'input[data-relation="invited"]')
    assert _shown(page)[1] == ["condemned", "role", "role", "threatened"]
    assert "Linda Thomas-Greenfield" in _shown(page)[0]  # kept: the box is off
    _click(page, "#reset")
    # dates: only the invitation is dated (2021-10-20); undated relations off leaves it,
    # and posts, which have no date, stay whatever the dates
    _click(page, "#undated")
    assert _shown(page)[1] == ["invited", "role", "role"]
    page.fill("#date-from", "2021-10-21")
    page.dispatch_event("#date-from", "change")
    assert _shown(page) == (["Linda Thomas-Greenfield", "United Nations", "United States"], ["role", "role"])
    assert page.inner_text("#shown").startswith(
        "Showing 3 actors and 2 lines (2 reports); the filters hide 1 actor."
    )
    assert opened.console_errors == [] and opened.page_errors == []


@pytest.mark.browser
def test_search_by_alias_focuses_selects_and_lights_up_the_neighbours(browser, tmp_path):
    out = write_html(un_dataset(), tmp_path / "graph.html")
    page = open_offline(browser, out, wait_for=LAYOUT_DONE).page
    page.fill("#search", "dprk")
    page.click("#find button")
    wait_until(page, "document.body.dataset.highlight !== undefined")
    nk = f"{BASE}actor/north-korea"
    assert page.evaluate("network.getSelectedNodes()") == [nk]
    assert sorted(page.evaluate("window.highlighted.nodes")) == sorted(
        [nk, f"{BASE}actor/linda-thomas-greenfield", f"{BASE}actor/united-states"]
    )
    assert len(page.evaluate("window.highlighted.edges")) == 3
    assert "North Korea" in page.inner_text("#details-text")
    # the view glides to the actor: its centre ends on North Korea
    wait_until(
        page,
        f"""(() => {{ const c = network.getViewPosition(),
        p = network.getPositions(['{nk}'])['{nk}'];
        return Math.abs(c.x - p.x) < 1 && Math.abs(c.y - p.y) < 1; }})()""",
    )
    page.fill("#search", "Atlantis")
    page.click("#find button")
    assert page.inner_text("#find-message") == "No actor is called \u201cAtlantis\u201d."
    _click(page, 'input[data-actor-type="Country"]')
    page.fill("#search", "north korea")
    page.click("#find button")
    assert "hidden by the filters" in page.inner_text("#find-message")


@pytest.mark.browser
def test_clicking_an_actor_lights_up_its_neighbours_and_empty_space_clears_it(browser, tmp_path):
    out = write_html(un_dataset(), tmp_path / "graph.html")
    page = open_offline(browser, out, wait_for=LAYOUT_DONE).page
    linda = f"{BASE}actor/linda-thomas-greenfield"
    page.mouse.click(*_dom_point(page, "node", linda))
    wait_until(page, "document.body.dataset.highlight !== undefined")
    assert sorted(page.evaluate("window.highlighted.nodes")) == [
        linda,
        f"{BASE}actor/north-korea",
        f"{BASE}actor/united-nations",
        f"{BASE}actor/united-states",
    ]  # relations and posts alike
    assert "US Representative to the United Nations" in page.inner_text("#details-text")
    corner = page.evaluate("""(() => { const b = document.getElementById("mynetwork")
        .getBoundingClientRect(); return [b.left + 3, b.top + 3]; })()""")
    page.mouse.click(*corner)
    wait_until(page, "document.body.dataset.highlight === undefined")
    assert page.evaluate("window.highlighted") is None


@pytest.mark.browser
def test_five_thousand_actors_open_offline_with_every_actor_and_line(browser, tmp_path):
    view = synthetic_view(5000)
    out = tmp_path / "big.html"
    out.write_text(html_page(view, title="5,000 actors"), encoding="utf-8")
    opened = open_offline(browser, out, wait_for=LAYOUT_DONE, timeout_ms=120_000)
    page = opened.page
    counts = page.evaluate(
        "[network.body.data.nodes.length, network.body.data.edges.length,"
        " edges.get().reduce((n, e) => n + e.count, 0),"
        " network.physics.options.enabled]"
    )
    assert counts == [5000, len(links_of(view)), len(view.edges), False]
    assert opened.outside_requests == []
    assert opened.console_errors == [] and opened.page_errors == []
    page.evaluate(
        "id => { network.body.emitter.emit('click', {nodes: [id], edges: []}); }", f"{BASE}actor/a00000"
    )
    assert page.evaluate("window.highlighted.nodes.length") > 100  # the biggest hub
    _click(page, 'fieldset[data-family="cooperative"] .family-toggle')
    hostile_or_urging = page.evaluate("network.body.data.edges.get().every(e => e.family !== 'cooperative')")
    assert hostile_or_urging and page.evaluate("network.body.data.edges.length") < counts[1]


@pytest.mark.browser
def test_page_of_the_most_central_actors_says_what_was_left_out(browser, tmp_path):
    out = tmp_path / "top.html"
    out.write_text(html_page(synthetic_view(300), max_nodes=25), encoding="utf-8")
    opened = open_offline(browser, out, wait_for=LAYOUT_DONE)
    assert opened.page.evaluate("network.body.data.nodes.length") == 25
    assert opened.page.inner_text("#left-out").startswith(
        "Showing 25 of 300 actors: the 25 most central actors by PageRank. Left out: 275 actors"
    )
    assert opened.outside_requests == [] and opened.page_errors == []
