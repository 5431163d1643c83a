"""The graph as a networkx network: actors as nodes, relations as typed multi-edges.

One projection of view.GraphView serves the HTML view (node size, layout, ego graphs,
the most central actors) and the analytics commands (stats, path, export), so they
agree on what "central" means.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from .view import GraphView

# Above this many nodes, betweenness is estimated from a seeded sample of sources
# (networkx's k parameter): exact betweenness is O(V*E) and takes minutes at 10,000 actors.
EXACT_BETWEENNESS_LIMIT = 2000
BETWEENNESS_SAMPLE = 500
SEED = 7


def actor_network(view: GraphView, *, roles: bool = False) -> nx.MultiDiGraph[str]:
    """Return actors as nodes (keyed by IRI) and each relation event as a directed edge.

    Node attributes: label, type, roles (tuple of text), aliases, wikidata. Edge keys
    are the event IRIs (a happening's: one edge per act however many articles report it);
    edge attributes: relation, date, evidence, article_title, article_source, reports
    (how many articles report it). With `roles`, each post is an edge too, from its holder to the
    country or body served or posted to, its relation the post ("ambassador_of",
    "posted_to"): paths then show who serves whom. Centrality counts relations only.
    """
    network: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node in view.nodes:
        network.add_node(
            node.id,
            label=node.label,
            type=node.type,
            roles=node.roles,
            aliases=node.aliases,
            wikidata=node.wikidata,
        )
    for edge in view.edges:
        network.add_edge(
            edge.source,
            edge.target,
            key=edge.id,
            relation=edge.relation,
            date=edge.date,
            evidence=edge.evidence,
            article_title=edge.article_title,
            article_source=edge.article_source,
            reports=edge.reports,
        )
    for role in view.roles if roles else ():
        network.add_edge(
            role.holder,
            role.target,
            key=role.id,
            relation=role.label.replace(" ", "_"),
            date=None,
            evidence=role.evidence,
            article_title=role.article_title,
            article_source=role.article_source,
            role=True,
        )
    return network


@dataclass(frozen=True)
class Centrality:
    """Per-actor scores: degree (relations in and out), betweenness and PageRank."""

    degree: dict[str, int]
    betweenness: dict[str, float]
    pagerank: dict[str, float]
    betweenness_sampled: bool = False

    def ranking(self) -> list[str]:
        """Return actor IRIs, most central first (PageRank, then degree, then IRI)."""
        return sorted(self.pagerank, key=lambda n: (-self.pagerank[n], -self.degree[n], n))


def centrality(network: nx.MultiDiGraph[str]) -> Centrality:
    """Return degree, betweenness (on the undirected simple graph) and PageRank."""
    simple: nx.Graph[str] = nx.Graph(network)  # who is linked to whom, whatever the relation
    sampled = simple.number_of_nodes() > EXACT_BETWEENNESS_LIMIT
    betweenness = nx.betweenness_centrality(
        simple, k=BETWEENNESS_SAMPLE if sampled else None, seed=SEED if sampled else None
    )
    return Centrality(
        degree=dict(network.degree()),
        betweenness=betweenness,
        pagerank=pagerank(network),
        betweenness_sampled=sampled,
    )


def ranking_centrality(network: nx.MultiDiGraph[str]) -> Centrality:
    """Return degree and PageRank with betweenness left empty: all that ranking() needs.

    The HTML view sizes and picks actors by PageRank on every build; sampled betweenness
    would add tens of seconds at 5,000 actors for a score the view does not show.
    """
    return Centrality(degree=dict(network.degree()), betweenness={}, pagerank=pagerank(network))


def pagerank(network: nx.MultiDiGraph[str]) -> dict[str, float]:
    """Return PageRank on the directed graph with parallel relations as weight.

    Being condemned, met or urged by central actors makes an actor central.
    """
    weighted: nx.DiGraph[str] = nx.DiGraph()
    weighted.add_nodes_from(network.nodes)
    for source, target in network.edges():
        if weighted.has_edge(source, target):
            weighted[source][target]["weight"] += 1
        else:
            weighted.add_edge(source, target, weight=1)
    return nx.pagerank(weighted, weight="weight") if len(weighted) else {}
