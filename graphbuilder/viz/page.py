"""The interactive HTML view of a built graph: who did what to whom, hover for evidence.

`write_html()` draws the plain data of view.graph_view() with pyvis / vis-network into
one self-contained HTML file that works offline. The view is read from RDF, not from
extractions, so `graphbuilder viz graph.trig` can redraw any graph file.

Positions are computed here (viz/layout.py) and physics stays off in the browser, so a
page of thousands of actors is usable as soon as it is drawn. Node size follows
PageRank (network.py); relations of one type between the same two actors are drawn as
one line whose tooltip lists every report. Every string in the view comes from article
text and is treated as hostile: labels are drawn on a canvas, tooltips and the details
panel are plain text (vis-network 9 sets titles with innerText; the page script uses
textContent), the legend and page title are HTML-escaped, and the data travels as
script-safe JSON.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node
from rdflib import Graph

from ..errors import InputError
from ..fileio import output_file
from ..model import PREDICATES
from ..network.graph import Centrality, actor_network, ranking_centrality
from ..network.timeline import week_of
from ..network.view import FALLBACK_TYPE, GraphView, ViewEdge, ViewNode, graph_view
from ..resources import read_data
from .html import page_parts
from .layout import layout_positions
from .select import Selection, select_actors

_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
_SHAPES = ("dot", "diamond", "square", "triangle", "triangleDown", "star", "hexagon")
MIN_SIZE, MAX_SIZE = 8.0, 34.0
_NO_LABELS = 100_000  # a label size on screen, in px, that vis-network never reaches


# -- style: data, read from graphbuilder/data/viz_style.json ------------------------------


@dataclass(frozen=True)
class VizStyle:
    """Colours and shapes per actor type, colour per relation family, dashes per relation."""

    actor_types: dict[str, dict]
    families: dict[str, dict]
    relations: dict[str, dict]
    default_relation: dict
    layout_seed: int = 7
    edge_length: int = 160
    edge_labels_up_to: int = 400
    dashed_lines_up_to: int = 2000
    tooltip_reports: int = 8
    canvas_height: str = "780px"
    order: tuple[str, ...] = field(default=())

    def actor(self, actor_type: str) -> dict:
        return self.actor_types.get(actor_type) or self.actor_types[FALLBACK_TYPE]

    def relation(self, relation: str) -> dict:
        """Return the relation's look: family, colour (the family's), dashes."""
        look = dict(self.relations.get(relation) or self.default_relation)
        look["color"] = self.families[look["family"]]["color"]
        return look


def load_style(path: Path | None = None) -> VizStyle:
    """Return the view style from `path`, or the one shipped with graphbuilder."""
    if path is None:
        text = read_data("viz_style.json")
        origin: object = "graphbuilder/data/viz_style.json"
    else:
        try:
            text, origin = Path(path).read_text("utf-8"), path
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the style file: {exc}", path=path) from None
    try:
        raw = json.loads(text)
        actor_types = {k: _checked(v, origin, f"actor_types.{k}") for k, v in raw["actor_types"].items()}
        families = {k: _checked(v, origin, f"families.{k}") for k, v in raw["families"].items()}
        relations = {k: _relation(v, families, origin, f"relations.{k}") for k, v in raw["relations"].items()}
        default = _relation(raw["default_relation"], families, origin, "default_relation")
        style = VizStyle(
            actor_types=actor_types,
            families=families,
            relations=relations,
            default_relation=default,
            layout_seed=int(raw.get("layout_seed", 7)),
            edge_length=int(raw.get("edge_length", 160)),
            edge_labels_up_to=int(raw.get("edge_labels_up_to", 400)),
            dashed_lines_up_to=int(raw.get("dashed_lines_up_to", 2000)),
            tooltip_reports=max(1, int(raw.get("tooltip_reports", 8))),
            canvas_height=str(raw.get("canvas_height", "780px")),
            order=tuple(actor_types),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(
            f"not a valid style file ({exc!r}): it needs actor_types, families, "
            "relations and default_relation objects",
            path=origin,
        ) from None
    if FALLBACK_TYPE not in actor_types:
        raise InputError(f'the style file needs an "{FALLBACK_TYPE}" entry under actor_types', path=origin)
    if not re.fullmatch(r"\d{2,5}px", style.canvas_height):
        raise InputError('"canvas_height" must look like "750px"', path=origin)
    return style


def _checked(entry: dict, origin: object, where: str) -> dict:
    # Colours end up in CSS and shapes in vis options: accept only known-good values.
    if not _COLOR_RE.match(str(entry.get("color", ""))):
        raise InputError(f'{where}: "color" must be #rrggbb', path=origin)
    if "shape" in entry and entry["shape"] not in _SHAPES:
        raise InputError(f'{where}: "shape" must be one of {", ".join(_SHAPES)}', path=origin)
    return dict(entry)


def _relation(entry: dict, families: dict, origin: object, where: str) -> dict:
    if entry.get("family") not in families:
        raise InputError(f'{where}: "family" must be one of {", ".join(families)}', path=origin)
    dashes = entry.get("dashes", False)
    if not (
        isinstance(dashes, bool)
        or (isinstance(dashes, list) and dashes and all(isinstance(d, int) and 0 < d < 100 for d in dashes))
    ):
        raise InputError(f'{where}: "dashes" must be false, true or a list of pixel lengths', path=origin)
    return {"family": entry["family"], "dashes": dashes}


# -- what is drawn ------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """One drawn line: every report of one relation type from one actor to another."""

    source: str
    target: str
    relation: str  # a predicate, or ROLE for a post's line
    reports: tuple[ViewEdge, ...]  # dated first, oldest first; then undated
    label: str | None = None  # what a role line says: "ambassador of", "posted to"

    @property
    def id(self) -> str:
        return self.reports[0].id

    @property
    def name(self) -> str:
        return self.label or self.relation.replace("_", " ")


#: The relation key of the lines drawn for roles (viz_style.json styles and filters them).
ROLE = "role"


def links_of(view: GraphView) -> list[Link]:
    """Return the view's relations grouped into lines, one per (source, relation, target)."""
    grouped: dict[tuple[str, str, str], list[ViewEdge]] = defaultdict(list)
    for edge in view.edges:
        grouped[(edge.source, edge.relation, edge.target)].append(edge)
    return [
        Link(
            source,
            target,
            relation,
            tuple(sorted(reports, key=lambda e: (e.date is None, e.date or "", e.article_title or "", e.id))),
        )
        for (source, relation, target), reports in sorted(grouped.items())
    ]


def role_links_of(view: GraphView) -> list[Link]:
    """Return the view's roles as lines, one per (holder, post, country or body)."""
    grouped: dict[tuple[str, str, str], list[ViewEdge]] = defaultdict(list)
    for role in view.roles:
        evidence = (
            f"{role.title}: {role.evidence}" if role.title and role.evidence else role.evidence or role.title
        )
        grouped[(role.holder, role.label, role.target)].append(
            ViewEdge(
                id=role.id,
                source=role.holder,
                target=role.target,
                relation=ROLE,
                evidence=evidence,
                article_title=role.article_title,
                article_source=role.article_source,
            )
        )
    return [
        Link(
            source,
            target,
            ROLE,
            tuple(sorted(reports, key=lambda e: (e.article_title or "", e.id))),
            label=label,
        )
        for (source, label, target), reports in sorted(grouped.items())
    ]


def node_tooltip(node: ViewNode, scores: Centrality | None = None, rank: int | None = None) -> str:
    """Return the plain-text tooltip of an actor: name, type, roles, aliases, centrality."""
    lines = [node.label, f"Type: {node.type}"]
    if node.roles:
        lines += ["Roles:"] + [f"  - {role}" for role in node.roles]
    if node.aliases:
        lines.append("Also known as: " + ", ".join(node.aliases))
    if node.wikidata:
        lines.append(f"Wikidata: {node.wikidata}")
    if scores is not None and node.id in scores.degree:
        count = scores.degree[node.id]
        lines.append(
            f"{count:,} relation{'s' if count != 1 else ''}; PageRank #{rank:,} of {len(scores.pagerank):,}"
        )
    return "\n".join(lines)


def link_tooltip(link: Link, labels: dict[str, str], limit: int | None = None) -> str:
    """Return the plain-text tooltip of a line: who, what, and each report (date, evidence,
    article, source); with `limit`, only that many reports and a pointer to the rest."""
    count = len(link.reports)
    articles = sum(edge.reports for edge in link.reports)
    if link.relation == ROLE or articles == count:
        counted = f"{count:,} report{'s' if count != 1 else ''}"
    else:  # happenings: one act reported by several articles is one event
        counted = f"{count:,} event{'s' if count != 1 else ''}, {articles:,} reports"
    head = f"{labels[link.source]} {link.name} {labels[link.target]} ({counted})"
    shown = link.reports if limit is None else link.reports[:limit]
    blocks = [head] + [_report(edge) for edge in shown]
    if len(shown) < count:
        blocks.append(f"... and {count - len(shown):,} more: click the line to read them all.")
    return "\n\n".join(blocks)


def _report(edge: ViewEdge) -> str:
    lines = [] if edge.relation == ROLE else [f"Date: {edge.date or 'not given'}"]
    if edge.evidence:
        lines.append(f"Evidence: \u201c{edge.evidence}\u201d")
    if edge.article_title:
        lines.append(f"Article: {edge.article_title}")
    if edge.article_source:
        lines.append(f"Source: {edge.article_source}")
    if edge.reports > 1:
        sources = f", {edge.sources:,} independent sources" if edge.sources > 1 else ", one source"
        lines.append(f"Reported by {edge.reports:,} articles{sources}")
    return "\n".join(lines)


def build_network(view: GraphView, style: VizStyle, scores: Centrality | None = None) -> Network:
    """Return a directed pyvis Network of the view: laid out, sized by PageRank, one line
    per relation type and pair of actors, coloured by relation family."""
    # in_line, no menus: pyvis would otherwise write lib/ into the working directory or
    # pull Bootstrap / tom-select from a CDN. Its own HTML template is never rendered.
    net = Network(
        height=style.canvas_height,
        width="100%",
        directed=True,
        cdn_resources="in_line",
        select_menu=False,
        filter_menu=False,
    )
    scores = scores if scores is not None else ranking_centrality(actor_network(view))
    links = links_of(view) + role_links_of(view)
    positions = layout_positions(
        [n.id for n in view.nodes],
        [(link.source, link.target) for link in links],
        seed=style.layout_seed,
        edge_length=style.edge_length,
    )
    rank = {actor: i + 1 for i, actor in enumerate(scores.ranking())}
    top = max((scores.pagerank.get(n.id, 0.0) for n in view.nodes), default=0.0) or 1.0
    drawn_degree: dict[str, int] = defaultdict(int)
    for link in links:
        drawn_degree[link.source] += 1
        drawn_degree[link.target] += 1
    for node in view.nodes:
        look = style.actor(node.type)
        share = math.sqrt(scores.pagerank.get(node.id, 0.0) / top)
        x, y = positions[node.id]
        # Network.add_node checks membership in a list (O(N) per node): build Nodes directly.
        options = Node(
            node.id,
            look.get("shape", "dot"),
            node.label,
            color=look["color"],
            title=node_tooltip(node, scores, rank.get(node.id)),
            size=round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * share, 1),
            font={"size": round(14 + 10 * share, 1)},
            x=x,
            y=y,
            actorType=node.type,
            names=[node.label, *node.aliases],
            degree=drawn_degree[node.id],
            rank=rank.get(node.id, len(rank) + 1),
        ).options
        net.nodes.append(options)
        net.node_ids.append(node.id)
        net.node_map[node.id] = options
    labels = {node.id: node.label for node in view.nodes}
    with_labels = len(links) <= style.edge_labels_up_to
    # Dashed lines draw several times slower than solid ones on a canvas.
    with_dashes = len(links) <= style.dashed_lines_up_to
    for link, smooth in zip(links, _parallel_curves(links)):
        look = style.relation(link.relation)
        count = len(link.reports)
        full = link_tooltip(link, labels)
        short = link_tooltip(link, labels, style.tooltip_reports)
        options = dict(
            id=link.id,
            title=short,
            relation=link.relation,
            family=look["family"],
            count=count,
            dates=sorted({e.date or "" for e in link.reports}),
            # The time axis: the week (its Monday) of each event the line draws, where a
            # timeline places it. Posts are not events.
            weeks=sorted(w for e in link.reports if (w := week_of(e.when))) if link.relation != ROLE else [],
            color={"color": look["color"], "highlight": look["color"], "hover": look["color"]},
            dashes=look["dashes"] if with_dashes else False,
            width=round(1.5 + 1.5 * math.log2(count), 2),
        )
        if full != short:
            options["details"] = full
        if with_labels:
            options["label"] = link.name
        if smooth:
            options["smooth"] = smooth
        net.edges.append(Edge(link.source, link.target, directed=True, **options).options)
    return net


def _parallel_curves(links: list[Link]) -> list[dict | None]:
    """Return a curve per line so lines between the same two actors do not overlap."""
    pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, link in enumerate(links):
        pairs[min(link.source, link.target), max(link.source, link.target)].append(i)
    curves: list[dict | None] = [None] * len(links)
    for (low, _), members in pairs.items():
        if len(members) < 2:
            continue
        for k, i in enumerate(members):
            clockwise = (k % 2 == 0) == (links[i].source == low)  # same side seen from `low`
            curves[i] = {
                "enabled": True,
                "type": "curvedCW" if clockwise else "curvedCCW",
                "roundness": round(0.15 + 0.2 * (k // 2), 2),
            }
    return curves


def network_options(view: GraphView, style: VizStyle) -> dict:
    """Return the vis-network options: positions given, physics off, hover tooltips."""
    large = len(view.nodes) > 1000 or len(view.edges) > 2000
    return {
        # Labels are the page's to draw (data/viz_labels.js: a legible size, none over
        # another), so vis-network draws none: no label reaches its threshold.
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"size": 11, "align": "horizontal", "strokeWidth": 3},
            "scaling": {"label": {"drawThreshold": _NO_LABELS}},
            "smooth": False,
            "selectionWidth": 1.5,
            "hoverWidth": 0.5,
        },
        "nodes": {
            "borderWidth": 1,
            "font": {"strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {"label": {"drawThreshold": _NO_LABELS}},
        },
        # Dragging or zooming redraws every line each frame: at thousands of lines that
        # is what makes a big graph feel stuck, so lines hide while the view moves.
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "multiselect": False,
        },
        # Positions come from viz_layout: no physics, no improvedLayout (Kamada-Kawai in
        # the browser is what takes minutes on big graphs).
        "layout": {"randomSeed": style.layout_seed, "improvedLayout": False},
        "physics": {"enabled": False},
    }


def html_page(
    view: GraphView,
    *,
    title: str = "graphbuilder",
    style: VizStyle | None = None,
    focus: str | None = None,
    hops: int | None = None,
    max_nodes: int | None = None,
) -> str:
    """Return the whole HTML page of `view` (optionally narrowed, see viz/select.py)."""
    return "".join(_page_parts(view, title=title, style=style, focus=focus, hops=hops, max_nodes=max_nodes))


def _page_parts(
    view: GraphView,
    *,
    title: str,
    style: VizStyle | None,
    focus: str | None,
    hops: int | None,
    max_nodes: int | None,
) -> Iterator[str]:
    """Yield html_page's document in pieces."""
    style = style or load_style()
    network = actor_network(view)
    scores = ranking_centrality(network)
    selection: Selection = select_actors(
        view, focus=focus, hops=hops, max_nodes=max_nodes, network=network, scores=scores
    )
    shown = selection.view
    net = build_network(shown, style, scores)
    reports = Counter(e.relation for e in shown.edges)
    if shown.roles:
        reports[ROLE] = len(shown.roles)
    relations = sorted(reports, key=lambda r: (PREDICATES.index(r) if r in PREDICATES else 99, r))
    legend = {
        "actor_types": [
            (t, style.actor(t), sum(n.type == t for n in shown.nodes)) for t in _legend_types(shown, style)
        ],
        "families": [
            (
                key,
                family["label"],
                family["color"],
                [(r, style.relation(r), reports[r]) for r in relations if style.relation(r)["family"] == key],
            )
            for key, family in style.families.items()
        ],
        "dates": _date_range(shown),
        "dashes": len(net.edges) <= style.dashed_lines_up_to,
        "unlinked": sum(1 for node in net.nodes if node["degree"] == 0),
        "lines": len(net.edges),
    }
    yield from page_parts(
        title=title,
        nodes=net.nodes,
        edges=net.edges,
        options=network_options(shown, style),
        legend=legend,
        counts=(len(shown.nodes), len(net.edges), len(shown.edges), sum(e.reports for e in shown.edges)),
        left_out=selection.left_out,
        focus=selection.focus,
        canvas_height=style.canvas_height,
    )


def write_html(
    graph: Graph,
    path: Path,
    *,
    title: str = "graphbuilder",
    style: VizStyle | None = None,
    focus: str | None = None,
    hops: int | None = None,
    max_nodes: int | None = None,
) -> Path:
    """Write the graph as one self-contained, offline HTML file at `path`; return the path.

    `path` "-" writes it to standard output. `focus` (an actor's name or alias) and
    `hops` draw only the actors that many steps from it; `max_nodes` keeps only the most
    central actors. The page says what was left out.
    """
    parts = _page_parts(
        graph_view(graph), title=title, style=style, focus=focus, hops=hops, max_nodes=max_nodes
    )
    # Written a piece at a time: a large graph's page is never one string in memory.
    with output_file(Path(path)) as handle:  # "-": standard output
        for part in parts:
            handle.write(part.encode("utf-8"))
    return Path(path)


def _legend_types(view: GraphView, style: VizStyle) -> list[str]:
    present = set(view.actor_types())
    known = [t for t in style.order if t in present]
    return known + sorted(present - set(known))


def _date_range(view: GraphView) -> tuple[str, str] | None:
    dates = sorted(e.date for e in view.edges if e.date)
    return (dates[0], dates[-1]) if dates else None
