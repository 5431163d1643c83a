"""The interactive HTML view of a built graph: who did what to whom, hover for evidence.

`write_html()` draws the plain data of view.graph_view() with pyvis / vis-network into
one self-contained HTML file that works offline. The view is read from RDF, not from
extractions, so `graphbuilder viz graph.trig` can redraw any graph file.

Every string in the view comes from article text and is treated as hostile: labels are
drawn on a canvas, tooltips are plain text (vis-network 9 sets them with innerText), the
legend and page title are HTML-escaped, and the data travels as script-safe JSON.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pyvis.edge import Edge
from pyvis.network import Network
from rdflib import Graph

from .errors import InputError
from .fileio import write_text_atomically
from .model import PREDICATES
from .view import FALLBACK_TYPE, GraphView, ViewEdge, ViewNode, graph_view
from .viz_html import render_page

_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
_SHAPES = ("dot", "diamond", "square", "triangle", "triangleDown", "star", "hexagon")


# -- style: data, read from graphbuilder/data/viz_style.json ------------------------------

@dataclass(frozen=True)
class VizStyle:
    """Colours and shapes per actor type, line styles per relation, layout settings."""

    actor_types: dict[str, dict]
    relations: dict[str, dict]
    default_relation: dict
    layout_seed: int = 7
    physics_node_limit: int = 1000
    canvas_height: str = "750px"
    order: tuple[str, ...] = field(default=())

    def actor(self, actor_type: str) -> dict:
        return self.actor_types.get(actor_type) or self.actor_types[FALLBACK_TYPE]

    def relation(self, relation: str) -> dict:
        return self.relations.get(relation) or self.default_relation


def load_style(path: Path | None = None) -> VizStyle:
    """Return the view style from `path`, or the one shipped with graphbuilder."""
    if path is None:
        text = resources.files("graphbuilder").joinpath("data/viz_style.json").read_text("utf-8")
        origin: object = "graphbuilder/data/viz_style.json"
    else:
        try:
            text, origin = Path(path).read_text("utf-8"), path
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the style file: {exc}", path=path) from None
    try:
        raw = json.loads(text)
        actor_types = {k: _checked(v, origin, f"actor_types.{k}") for k, v in raw["actor_types"].items()}
        relations = {k: _checked(v, origin, f"relations.{k}") for k, v in raw["relations"].items()}
        default = _checked(raw["default_relation"], origin, "default_relation")
        style = VizStyle(actor_types=actor_types, relations=relations, default_relation=default,
                         layout_seed=int(raw.get("layout_seed", 7)),
                         physics_node_limit=int(raw.get("physics_node_limit", 1000)),
                         canvas_height=str(raw.get("canvas_height", "750px")),
                         order=tuple(actor_types))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"not a valid style file ({exc!r}): it needs actor_types, relations "
                         "and default_relation objects", path=origin) from None
    if FALLBACK_TYPE not in actor_types:
        raise InputError(f'the style file needs an "{FALLBACK_TYPE}" entry under actor_types',
                         path=origin)
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


# -- drawing -------------------------------------------------------------------------------

def node_tooltip(node: ViewNode) -> str:
    """Return the plain-text tooltip of an actor: name, type, roles, aliases."""
    lines = [node.label, f"Type: {node.type}"]
    if node.roles:
        lines += ["Roles:"] + [f"  - {role}" for role in node.roles]
    if node.aliases:
        lines.append("Also known as: " + ", ".join(node.aliases))
    if node.wikidata:
        lines.append(f"Wikidata: {node.wikidata}")
    return "\n".join(lines)


def edge_tooltip(edge: ViewEdge, labels: dict[str, str]) -> str:
    """Return the plain-text tooltip of a relation: who, what, when, evidence, article."""
    lines = [f"{labels[edge.source]} {edge.relation.replace('_', ' ')} {labels[edge.target]}"]
    if edge.date:
        lines.append(f"Date: {edge.date}")
    if edge.evidence:
        lines.append(f"Evidence: \u201c{edge.evidence}\u201d")
    if edge.article_title:
        lines.append(f"Article: {edge.article_title}")
    if edge.article_source:
        lines.append(f"Source: {edge.article_source}")
    return "\n".join(lines)


def build_network(view: GraphView, style: VizStyle) -> Network:
    """Return a directed pyvis Network of the view (nodes by type, edges by relation)."""
    # in_line, no menus: pyvis would otherwise write lib/ into the working directory or
    # pull Bootstrap / tom-select from a CDN. Its own HTML template is never rendered.
    net = Network(height=style.canvas_height, width="100%", directed=True,
                  cdn_resources="in_line", select_menu=False, filter_menu=False)
    labels = {node.id: node.label for node in view.nodes}
    for node in view.nodes:
        look = style.actor(node.type)
        net.add_node(node.id, label=node.label, shape=look.get("shape", "dot"),
                     color=look["color"], title=node_tooltip(node), actorType=node.type)
    for edge, smooth in zip(view.edges, _parallel_curves(view.edges)):
        look = style.relation(edge.relation)
        options = dict(id=edge.id, label=edge.relation.replace("_", " "),
                       title=edge_tooltip(edge, labels), relation=edge.relation,
                       color={"color": look["color"], "highlight": look["color"]},
                       dashes=bool(look.get("dashes", False)))
        if smooth:
            options["smooth"] = smooth
        # Network.add_edge checks node membership against a list (O(N) per edge); the
        # view already guarantees both ends exist, so build the pyvis Edge directly.
        net.edges.append(Edge(edge.source, edge.target, directed=True, **options).options)
    return net


def _parallel_curves(edges: tuple[ViewEdge, ...]) -> list[dict | None]:
    """Return a curve per edge so relations between the same two actors do not overlap."""
    pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, edge in enumerate(edges):
        pairs[tuple(sorted((edge.source, edge.target)))].append(i)
    curves: list[dict | None] = [None] * len(edges)
    for (low, _), members in pairs.items():
        if len(members) < 2:
            continue
        for k, i in enumerate(members):
            clockwise = (k % 2 == 0) == (edges[i].source == low)  # same side seen from `low`
            curves[i] = {"enabled": True, "type": "curvedCW" if clockwise else "curvedCCW",
                         "roundness": round(0.15 + 0.2 * (k // 2), 2)}
    return curves


def network_options(view: GraphView, style: VizStyle) -> dict:
    """Return the vis-network options: arrows, hover tooltips, seeded layout."""
    large = len(view.nodes) > style.physics_node_limit
    return {
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}, "width": 1.5,
                  "font": {"size": 11, "align": "middle", "strokeWidth": 3},
                  "smooth": {"enabled": True, "type": "dynamic"}},
        "nodes": {"size": 16, "borderWidth": 1, "font": {"size": 14}},
        "interaction": {"hover": True, "tooltipDelay": 100},
        # A fixed seed makes the same graph settle into the same picture every time;
        # improvedLayout (Kamada-Kawai) is what makes big graphs take minutes.
        "layout": {"randomSeed": style.layout_seed, "improvedLayout": not large},
        "physics": {"enabled": True, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -6000, "springLength": 160,
                                  "avoidOverlap": 0.2},
                    "stabilization": {"enabled": True, "iterations": 150 if large else 400,
                                      "fit": True}},
    }


def write_html(graph: Graph, path: Path, *, title: str = "graphbuilder",
               style: VizStyle | None = None) -> Path:
    """Write the graph as one self-contained, offline HTML file at `path`; return the path."""
    style = style or load_style()
    view = graph_view(graph)
    net = build_network(view, style)
    legend = {"actor_types": [(t, style.actor(t)) for t in _legend_types(view, style)],
              "relations": [(r, style.relation(r))
                            for r in sorted({e.relation for e in view.edges},
                                            key=lambda r: (PREDICATES.index(r)
                                                           if r in PREDICATES else 99, r))]}
    page = render_page(title=title, nodes=net.nodes, edges=net.edges,
                       options=network_options(view, style), legend=legend,
                       counts=(len(view.nodes), len(view.edges)),
                       freeze_after_layout=len(view.nodes) > style.physics_node_limit,
                       canvas_height=style.canvas_height)
    return write_text_atomically(Path(path), page)


def _legend_types(view: GraphView, style: VizStyle) -> list[str]:
    present = set(view.actor_types())
    known = [t for t in style.order if t in present]
    return known + sorted(present - set(known))
