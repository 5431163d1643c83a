"""Analytics on the actor network: statistics, communities, chains of relations.

Everything here works on network.actor_network(), the networkx projection of the RDF
graph (actors as nodes keyed by IRI, each relation event a directed edge), so the
numbers agree with the HTML view. Functions return plain dataclasses or text and never
print; the `stats` and `path` commands only render them (`export` is network/export.py).
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from itertools import pairwise

import networkx as nx
from rdflib import ConjunctiveGraph, Graph, Literal
from rdflib.namespace import RDF

from ..errors import NoPathError, UsageError
from ..model import PREDICATES, NameIndex
from ..options import PathFormat, StatsFormat
from ..rdf.mapping import GB, ROLE_TYPE_IRIS, term_label, term_name
from ..sparql.results import QueryResult, format_result
from .graph import SEED, Centrality, actor_network, centrality
from .view import graph_view

COMMUNITY_PREVIEW = 5  # most central members a stats table names per community


# -- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActorRef:
    """An actor as the analytics name it: IRI, canonical name, actor type."""

    id: str
    label: str
    type: str


@dataclass(frozen=True)
class RankedActor:
    """An actor and its score on one measure (degree, betweenness or PageRank)."""

    id: str
    label: str
    type: str
    score: float


@dataclass(frozen=True)
class Community:
    """A Louvain community: its size and its members, most central (PageRank) first."""

    size: int
    members: tuple[RankedActor, ...]


@dataclass(frozen=True)
class GraphStats:
    """What `graphbuilder stats` reports. Top lists hold at most `top` actors."""

    articles: int
    actors: int
    relations: int  # events: one per act, however many articles report it
    roles: int
    actors_by_type: dict[str, int]
    relations_by_predicate: dict[str, int]
    roles_by_type: dict[str, int]
    top: int
    degree: tuple[RankedActor, ...]
    betweenness: tuple[RankedActor, ...]
    betweenness_sampled: bool
    pagerank: tuple[RankedActor, ...]
    communities: tuple[Community, ...]  # all of them, largest first
    isolated_actors: int  # actors in no relation, hence in no community
    reports: int = 0  # the articles' reports of those events

    def to_json(self) -> dict:
        """Return the documented JSON form (see README, "Analysing the graph")."""
        document = asdict(self)
        for measure in ("degree", "betweenness", "pagerank"):
            document[measure] = [_rounded(a) for a in document[measure]]
        document["communities"] = [
            {"size": c["size"], "members": [{"id": m["id"], "label": m["label"]} for m in c["members"]]}
            for c in document["communities"]
        ]
        return document


@dataclass(frozen=True)
class HopEvent:
    """One relation event between the two actors of a hop, as the graph records it."""

    id: str
    relation: str
    forward: bool  # True: the hop's first actor is the subject
    date: str | None
    evidence: str | None
    article_title: str | None
    article_source: str | None
    reports: int = 1  # the articles that report it


@dataclass(frozen=True)
class Hop:
    """One step of a path: two linked actors and every relation event between them."""

    source: ActorRef
    target: ActorRef
    events: tuple[HopEvent, ...]


@dataclass(frozen=True)
class RelationPath:
    """A shortest chain of relations from `source` to `target` (directions ignored)."""

    source: ActorRef
    target: ActorRef
    hops: tuple[Hop, ...]
    relations: tuple[str, ...] | None = None  # the relation types the path may use

    def to_json(self) -> dict:
        """Return the documented JSON form (see README, "Analysing the graph")."""
        document = asdict(self)
        return {
            "source": document["source"],
            "target": document["target"],
            "length": len(self.hops),
            "relations": list(self.relations) if self.relations else None,
            "hops": document["hops"],
        }


def _rounded(actor: dict) -> dict:
    # Six decimals: enough to rank, and stable across platforms' float noise.
    return {**actor, "score": round(actor["score"], 6)}


# -- stats ---------------------------------------------------------------------------------


def graph_stats(graph: Graph, top: int = 10) -> GraphStats:
    """Return counts, the `top` most central actors per measure, and the communities."""
    if top < 1:
        raise UsageError(f"--top {top} must be at least 1")
    network = actor_network(graph_view(graph))
    scores = centrality(network)
    groups, isolated = communities(network, scores)
    roles = _role_counts(graph)
    edge_relations: Iterable[tuple[str, str, str]] = network.edges(data="relation")
    return GraphStats(
        articles=_count_subjects(graph, GB.Article),
        actors=network.number_of_nodes(),
        relations=network.number_of_edges(),
        roles=sum(roles.values()),
        actors_by_type=_sorted_counts(t for _, t in network.nodes(data="type")),
        relations_by_predicate=_sorted_counts(r for *_, r in edge_relations),
        roles_by_type=roles,
        top=top,
        degree=_ranked(network, scores.degree, top),
        betweenness=_ranked(network, scores.betweenness, top),
        betweenness_sampled=scores.betweenness_sampled,
        pagerank=_ranked(network, scores.pagerank, top),
        communities=tuple(groups),
        isolated_actors=len(isolated),
        reports=sum(count for *_, count in network.edges(data="reports", default=1)),
    )


def communities(network: nx.MultiDiGraph[str], scores: Centrality) -> tuple[list[Community], list[str]]:
    """Return the Louvain communities (largest first) and the actors in no relation.

    Louvain runs with a fixed seed on the undirected projection, each pair of actors
    weighted by the number of relation events between them in either direction.
    """
    weighted: nx.Graph[str] = nx.Graph()
    for source, target in network.edges():
        if source != target:
            previous = weighted.get_edge_data(source, target, {"weight": 0})["weight"]
            weighted.add_edge(source, target, weight=previous + 1)
    isolated = [n for n in network.nodes if n not in weighted]
    found = (
        nx.community.louvain_communities(weighted, weight="weight", seed=SEED)
        if weighted.number_of_nodes()
        else []
    )
    groups = [
        Community(
            size=len(members),
            members=_ranked(network, {m: scores.pagerank[m] for m in members}, len(members), keep_zero=True),
        )
        for members in found
    ]
    groups.sort(key=lambda c: (-c.size, c.members[0].label.casefold(), c.members[0].id))
    return groups, isolated


def _ranked(
    network: nx.MultiDiGraph[str], scores: dict, top: int, *, keep_zero: bool = False
) -> tuple[RankedActor, ...]:
    # A score of 0 ranks nobody (most actors lie on no shortest path), so it is left out.
    def key(actor: str):
        return (-scores[actor], network.nodes[actor]["label"].casefold(), actor)

    chosen = sorted((a for a in scores if keep_zero or scores[a] > 0), key=key)[:top]
    return tuple(
        RankedActor(id=a, label=network.nodes[a]["label"], type=network.nodes[a]["type"], score=scores[a])
        for a in chosen
    )


def _sorted_counts(values) -> dict[str, int]:
    counts = Counter(values)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _quads(graph: Graph, predicate, value=None):
    # Every graph of a Dataset, whatever its default-graph setting (see rdf.mapping.merged_graph).
    if isinstance(graph, ConjunctiveGraph):  # a Dataset is one
        return {(s, o) for s, _, o, _ in graph.quads((None, predicate, value, None))}
    return (
        set(graph.subject_objects(predicate))
        if value is None
        else {(s, value) for s in graph.subjects(predicate, value)}
    )


def _count_subjects(graph: Graph, rdf_class) -> int:
    return len(_quads(graph, RDF.type, rdf_class))


def _role_counts(graph: Graph) -> dict[str, int]:
    names = {iri: name for name, iri in ROLE_TYPE_IRIS.items()}
    # The articles' role nodes, not the holdings that join them across articles.
    assignments = {s for s, _ in _quads(graph, RDF.type, GB.RoleAssignment)}
    return _sorted_counts(
        names.get(kind, str(kind)) for role, kind in _quads(graph, GB.roleType) if role in assignments
    )


def format_stats(
    stats: GraphStats, fmt: StatsFormat | str = StatsFormat.table, width: int | None = None
) -> str:
    """Return `stats` as aligned tables (fmt "table") or as JSON (fmt "json").

    With `width` (a terminal's), the tables' widest columns are cut to fit it, as `query`'s.
    """
    if StatsFormat.of(fmt, "format") is StatsFormat.json:
        return json.dumps(stats.to_json(), indent=2, ensure_ascii=False) + "\n"
    totals = (
        (stats.articles, "article"),
        (stats.actors, "actor"),
        (stats.relations, "event"),
        (stats.roles, "role"),
    )
    counted = [f"{n} {word}{'s' if n != 1 else ''}" for n, word in totals]
    # One event per act: say how many reports the articles gave of them.
    counted[2] += f" ({stats.reports} report{'s' if stats.reports != 1 else ''})"
    parts = [", ".join(counted) + "\n"]
    for title, counts, column in (
        ("Actors by type", stats.actors_by_type, "type"),
        ("Events by predicate", stats.relations_by_predicate, "predicate"),
        ("Roles by type", stats.roles_by_type, "role"),
    ):
        # The ontology's label of each role type and relation, as every command shows it.
        labelled = [(term_label(name), count) for name, count in counts.items()]
        parts.append(f"{title}\n" + table([column, "count"], labelled, width))
    sampled = (
        " (estimated from a sample of shortest paths: the graph is large)"
        if stats.betweenness_sampled
        else ""
    )
    for title, ranked, digits in (
        ("degree", stats.degree, 0),
        ("betweenness" + sampled, stats.betweenness, 4),
        ("PageRank", stats.pagerank, 4),
    ):
        rows = [(i, a.label, a.type, f"{a.score:.{digits}f}") for i, a in enumerate(ranked, 1)]
        parts.append(
            f"Top {stats.top} actors by {title}\n" + table(["rank", "actor", "type", "score"], rows, width)
        )
    community_rows = [
        (
            i,
            c.size,
            "; ".join(m.label for m in c.members[:COMMUNITY_PREVIEW])
            + ("; ..." if c.size > COMMUNITY_PREVIEW else ""),
        )
        for i, c in enumerate(stats.communities[: stats.top], 1)
    ]
    shown = f"; the {len(community_rows)} largest" if len(community_rows) < len(stats.communities) else ""
    parts.append(
        f"Communities: {len(stats.communities)} (Louvain, seed {SEED}{shown}), "
        f"{stats.isolated_actors} actors in no relation\n"
        + table(["community", "size", "most central members"], community_rows, width)
    )
    return "\n".join(parts)


def table(header: list[str], rows: list[tuple], width: int | None = None) -> str:
    """Return rows as aligned columns, one line per row, with the query table writer
    (sparql/results.py): cut to `width` cells when given."""
    result = QueryResult(
        kind="SELECT",
        variables=header,
        rows=[tuple(None if v is None else Literal(str(v)) for v in row) for row in rows],
    )
    return format_result(result, "table", width=width)


# -- path ----------------------------------------------------------------------------------


def find_actor(network: nx.MultiDiGraph[str], name: str) -> str:
    """Return the IRI of the actor called `name` (label or alias, any case, accents
    optional: model.NameIndex), or `name` itself when it is an actor's IRI.

    Raises UsageError naming the closest names when there is none, and the candidates
    when a name belongs to several actors.
    """
    if name in network:
        return name
    index = NameIndex(
        (node, _names(data, "label")[0], _names(data, "aliases"))
        for node, data in network.nodes(data=True)
        if _names(data, "label")
    )
    return index.find(name)


def _names(data: dict, field: str) -> tuple[str, ...]:
    value = data.get(field)
    return (value,) if isinstance(value, str) else tuple(value or ())


def relation_path(
    graph: Graph, source: str, target: str, relations: list[str] | tuple[str, ...] | None = None
) -> RelationPath:
    """Return a shortest chain of relations between two actors named as find_actor takes.

    Directions are ignored for finding the chain; each hop lists every relation event
    between its two actors (limited to `relations` when given) in its real direction.
    Without `relations`, a person's posts link them too (relation "ambassador_of",
    "posted_to", ...: who serves whom).
    Raises UsageError for unknown names or relation types, NoPathError when none links them.
    """
    # A relation may be named as in the extraction format or by its label: "agreed with".
    chosen = tuple(dict.fromkeys(term_name(r) for r in relations)) if relations else None
    unknown = [r for r in chosen or () if r not in PREDICATES]
    if unknown:
        raise _unknown_relation(unknown[0])
    # Posts link people to what they serve ("Blinken --minister_of--> United States"),
    # unless the path is asked to go through given relation types only.
    network = actor_network(graph_view(graph), roles=chosen is None)
    start, end = find_actor(network, source), find_actor(network, target)
    if start == end:
        raise UsageError(f"{source!r} and {target!r} are the same actor: give two actors")
    linked: nx.Graph[str] = nx.Graph()
    linked.add_nodes_from(network.nodes)
    edge_relations: Iterable[tuple[str, str, str]] = network.edges(data="relation")
    linked.add_edges_from((s, t) for s, t, r in edge_relations if chosen is None or r in chosen)
    try:
        nodes = nx.shortest_path(linked, start, end)
    except nx.NetworkXNoPath:
        via = f" through {', '.join(chosen)} relations" if chosen else ""
        raise NoPathError(
            f"no chain of relations{via} links {_line(_ref(network, start).label)} "
            f"and {_line(_ref(network, end).label)}"
        ) from None
    hops = tuple(
        Hop(source=_ref(network, a), target=_ref(network, b), events=_events(network, a, b, chosen))
        for a, b in pairwise(nodes)
    )
    return RelationPath(source=_ref(network, start), target=_ref(network, end), hops=hops, relations=chosen)


def _unknown_relation(given: str) -> UsageError:
    """Return the error for a relation type no relation has: the closest one, then them all."""
    wanted = "_".join(given.casefold().replace("-", " ").split())  # "Agreed with" -> agreed_with
    close = difflib.get_close_matches(wanted, PREDICATES, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return UsageError(f"unknown relation {given!r}{hint} (relations: {', '.join(PREDICATES)})")


def _ref(network: nx.MultiDiGraph[str], actor: str) -> ActorRef:
    return ActorRef(id=actor, label=network.nodes[actor]["label"], type=network.nodes[actor]["type"])


def _events(
    network: nx.MultiDiGraph[str], a: str, b: str, relations: tuple[str, ...] | None
) -> tuple[HopEvent, ...]:
    events = [
        HopEvent(
            id=str(key),
            relation=data["relation"],
            forward=forward,
            date=data["date"],
            evidence=data["evidence"],
            article_title=data["article_title"],
            article_source=data["article_source"],
            reports=data.get("reports", 1),
        )
        for forward, (u, v) in ((True, (a, b)), (False, (b, a)))
        for key, data in (network.get_edge_data(u, v) or {}).items()
        if relations is None or data["relation"] in relations
    ]
    return tuple(
        sorted(events, key=lambda e: (e.date is None, e.date or "", e.relation, not e.forward, e.id))
    )


def format_path(path: RelationPath, fmt: PathFormat | str = PathFormat.text) -> str:
    """Return `path` as readable text (each hop, its relations and evidence) or JSON."""
    if PathFormat.of(fmt, "format") is PathFormat.json:
        return json.dumps(path.to_json(), indent=2, ensure_ascii=False) + "\n"
    count = len(path.hops)
    lines = [
        (f"{_line(path.source.label)} to {_line(path.target.label)}: {count} hop{'s' if count != 1 else ''}")
    ]
    for number, hop in enumerate(path.hops, 1):
        lines.append("")
        for index, event in enumerate(hop.events):
            relation = term_label(event.relation)
            arrow = f"--{relation}-->" if event.forward else f"<--{relation}--"
            lead = f"{number}. " if index == 0 else " " * len(f"{number}. ")
            pad = " " * (len(lead) + 2)
            lines.append(f"{lead}{_line(hop.source.label)} {arrow} {_line(hop.target.label)}")
            lines.append(f"{pad}date: {event.date or 'unknown'}")
            lines.append(f"{pad}evidence: {_line(event.evidence or '(none recorded)')}")
            article = _line(event.article_title or "")
            if event.article_source:
                article += f" ({_line(event.article_source)})" if article else _line(event.article_source)
            if article:
                more = f" (and {event.reports - 1} more)" if event.reports > 1 else ""
                lines.append(f"{pad}article: {article}{more}")
    return "\n".join(lines) + "\n"


def _line(text: str) -> str:
    # Article text is hostile: one line, and no control characters to steer the terminal.
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())
