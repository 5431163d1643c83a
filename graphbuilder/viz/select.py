"""Which actors the HTML view draws: all of them, an ego graph, or the most central.

`select_actors()` narrows a GraphView to the actors within `hops` of a focus actor
(networkx ego_graph on the undirected network) and/or to the `max_nodes` most central
ones (network.Centrality.ranking(): PageRank, then degree), and says in one sentence
what was left out, for the page to show.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from ..errors import UsageError
from ..model import NameIndex
from ..network.graph import Centrality, actor_network, ranking_centrality
from ..network.view import GraphView, ViewNode


@dataclass(frozen=True)
class Selection:
    """The part of the graph to draw, and what was left out of it (None: nothing)."""

    view: GraphView
    total_actors: int
    total_relations: int
    left_out: str | None = None
    focus: str | None = None  # IRI of the focus actor


def find_actor(view: GraphView, name: str) -> ViewNode:
    """Return the actor whose name or alias is `name` (any case, accents optional, as
    model.NameIndex matches); UsageError if none is, or if several are."""
    nodes = {node.id: node for node in view.nodes}
    return nodes[NameIndex((node.id, node.label, node.aliases) for node in view.nodes).find(name)]


def select_actors(
    view: GraphView,
    *,
    focus: str | None = None,
    hops: int | None = None,
    max_nodes: int | None = None,
    network: nx.MultiDiGraph[str] | None = None,
    scores: Centrality | None = None,
) -> Selection:
    """Return the actors to draw: within `hops` of `focus`, at most `max_nodes` most central.

    `hops` defaults to 1 when `focus` is given. Relations are kept when both their
    actors are. UsageError for hops without a focus, negative hops, max_nodes < 1, or a
    focus name that no actor has.
    """
    if hops is not None and focus is None:
        raise UsageError("hops counts steps out from a focus actor: give a focus too")
    if hops is not None and hops < 0:
        raise UsageError(f"hops must be 0 or more, not {hops}")
    if max_nodes is not None and max_nodes < 1:
        raise UsageError(f"max-nodes must be 1 or more, not {max_nodes}")
    total_actors, total_relations = len(view.nodes), len(view.edges)
    if focus is None and (max_nodes is None or max_nodes >= total_actors):
        return Selection(view, total_actors, total_relations)
    network = network if network is not None else actor_network(view)
    keep = {node.id for node in view.nodes}
    reasons = []
    focus_node = None
    if focus is not None:
        focus_node = find_actor(view, focus)
        radius = 1 if hops is None else hops
        around: nx.Graph[str] = nx.Graph(network)
        around.add_edges_from((role.holder, role.target) for role in view.roles)  # who serves whom
        keep = set(nx.ego_graph(around, focus_node.id, radius=radius))
        reasons.append(
            f"{focus_node.label} and the actors within {radius} hop{'s' if radius != 1 else ''} of it"
        )
    if max_nodes is not None and len(keep) > max_nodes:
        scores = scores if scores is not None else ranking_centrality(network)
        ranked = [actor for actor in scores.ranking() if actor in keep]
        chosen = ranked[:max_nodes]
        if focus_node is not None and focus_node.id not in chosen:
            chosen = [focus_node.id] + chosen[: max_nodes - 1]  # the focus always stays
        keep = set(chosen)
        reasons.append(
            f"the {max_nodes:,} most central"
            + (" of them" if focus_node is not None else " actors")
            + " by PageRank"
        )
    nodes = tuple(node for node in view.nodes if node.id in keep)
    edges = tuple(edge for edge in view.edges if edge.source in keep and edge.target in keep)
    left_actors, left_relations = total_actors - len(nodes), total_relations - len(edges)
    left_out = (
        f"Showing {len(nodes):,} of {total_actors:,} actors: "
        + ", ".join(reasons)
        + f". Left out: {left_actors:,} actor{'s' if left_actors != 1 else ''} and "
        f"{left_relations:,} relation{'s' if left_relations != 1 else ''}."
    )
    roles = tuple(role for role in view.roles if role.holder in keep and role.target in keep)
    return Selection(
        GraphView(nodes=nodes, edges=edges, roles=roles),
        total_actors,
        total_relations,
        left_out,
        focus_node.id if focus_node is not None else None,
    )
