"""The graph as plain data: actors (nodes) and relation events (edges) read from RDF.

`graph_view()` reads an RDF graph (the vocabulary of docs/design.md) into frozen
dataclasses in a stable order. The HTML view (viz.py) draws it; the analytics
(network.py) project it onto networkx. It is read from RDF, not from extractions, so
any graph file or store can be viewed and analysed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS

from ..rdf.mapping import GB, RELATION_SHORTCUTS, ROLE_TYPE_IRIS, WIKIDATA_ENTITY, merged_graph, term_label
from ..rdf.terms import memoized, to_rdflib

FALLBACK_TYPE = "Actor"


# -- the view: plain data ----------------------------------------------------------------


@dataclass(frozen=True)
class ViewNode:
    """One actor as drawn: IRI, canonical name, actor type, roles as text, other names."""

    id: str
    label: str
    type: str
    roles: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None


@dataclass(frozen=True)
class ViewEdge:
    """One asserted relation as drawn, with the provenance shown in its tooltip."""

    id: str
    source: str
    target: str
    relation: str  # extraction-format predicate, e.g. "agreed_with"
    date: str | None = None
    evidence: str | None = None  # the sentence, else the evidence snippet (of the first report)
    article_title: str | None = None
    article_source: str | None = None
    reports: int = 1  # the articles that report it (a happening: one act counted once)
    sources: int = 1  # their independent sources
    when: str | None = None  # where a timeline places it: its date, else when it was first reported


@dataclass(frozen=True)
class ViewRole:
    """One post as drawn: a line from its holder to the country or body served or posted to."""

    id: str  # the role assignment's IRI, with "#of" or "#to"
    holder: str
    target: str
    label: str  # "ambassador of", "posted to", "head of state of"
    title: str | None = None  # the title as written
    evidence: str | None = None
    article_title: str | None = None
    article_source: str | None = None


@dataclass(frozen=True)
class GraphView:
    """Nodes and edges in a stable order (same graph, same view); roles as lines too."""

    nodes: tuple[ViewNode, ...]
    edges: tuple[ViewEdge, ...]
    roles: tuple[ViewRole, ...] = ()

    def actor_types(self) -> list[str]:
        """Return the actor types present, sorted."""
        return sorted({node.type for node in self.nodes})


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _local(iri: URIRef, namespace: Namespace) -> str | None:
    text = str(iri)
    return text[len(str(namespace)) :] if text.startswith(str(namespace)) else None


def _first(graph: _Index, subject, predicate) -> str | None:
    values = sorted(str(v) for v in graph.objects(subject, predicate))
    return values[0] if values else None


def graph_view(graph: Graph) -> GraphView:
    """Return the actors (nodes) and relation events (edges) of an RDF graph or Dataset."""
    # A union Dataset (what build and load give) already answers across its graphs, each
    # triple once; copying it into a merged Graph would double the memory of a big build.
    # A plain Graph is already one graph.
    merged = not graph.context_aware or getattr(graph, "default_union", False)
    g = _Index(graph if merged else merged_graph(graph))
    relation_of = {iri: name for name, iri in RELATION_SHORTCUTS.items()}

    actors: set[URIRef] = {a for a in g.subjects(RDF.type, GB.Actor) if isinstance(a, URIRef)}
    # One edge per happening (the reports of one act counted once), and per report that no
    # happening joins (a graph written before happenings were, or by hand).
    happenings = sorted(set(g.subjects(RDF.type, GB.Happening)))
    reported = {report: h for h in happenings for report in g.objects(h, PROV.wasDerivedFrom)}
    joined = set(happenings)
    events = []
    for event in [
        *happenings,
        *(e for e in sorted(set(g.subjects(RDF.type, GB.Event))) if e not in reported),
    ]:
        kind = g.value(event, GB.relationType)
        agent, target = g.value(event, GB.agent), g.value(event, GB.target)
        if kind not in relation_of or not isinstance(agent, URIRef) or not isinstance(target, URIRef):
            continue
        events.append((event, agent, relation_of[kind], target))
        actors.update((agent, target))

    # Shortcut triples with no event node behind them (hand-written graphs) still show.
    described: set[tuple] = {(agent, kind, target) for _, agent, kind, target in events}
    # A happening's reports may state a symmetric relation the other way round: their
    # shortcuts are the happening's too, not lines of their own.
    described |= {
        (g.value(r, GB.agent), relation_of.get(g.value(r, GB.relationType)), g.value(r, GB.target))
        for r in reported
    }
    shortcuts = []
    for prop, kind in relation_of.items():
        for s, o in g.subject_objects(prop):
            if isinstance(s, URIRef) and isinstance(o, URIRef) and (s, kind, o) not in described:
                shortcuts.append((s, kind, o))
                actors.update((s, o))

    labels = {a: _first(g, a, RDFS.label) or _iri_tail(a) for a in actors}
    roles = _roles(g, labels)
    nodes = [
        ViewNode(
            id=str(a),
            label=labels[a],
            type=_actor_type(g, a),
            roles=tuple(sorted(roles.get(a, ()))),
            aliases=tuple(sorted({str(x) for x in g.objects(a, GB.alias)} - {labels[a]})),
            wikidata=_wikidata(g, a),
        )
        for a in actors
    ]
    nodes.sort(key=lambda n: (n.label.casefold(), n.label, n.id))

    edges = []
    for event, agent, kind, target in events:
        date = _first(g, event, GB.date)
        if event in joined:
            report = _first_report(g, event)
            counts = (_count(g, event, GB.reportCount), _count(g, event, GB.sourceCount))
            when = date or _first(g, event, GB.firstReported)
        else:
            report, counts, when = event, (1, 1), date or _first(g, event, GB.reportedOn)
        article = g.value(report, PROV.wasDerivedFrom) if report is not None else None
        edges.append(
            ViewEdge(
                id=str(event),
                source=str(agent),
                target=str(target),
                relation=kind,
                date=date,
                evidence=(_first(g, report, GB.sentence) or _first(g, report, GB.evidenceText))
                if report is not None
                else None,
                article_title=_first(g, article, DCTERMS.title) if article is not None else None,
                article_source=_first(g, article, GB.source) if article is not None else None,
                reports=counts[0],
                sources=counts[1],
                when=when,
            )
        )
    for s, kind, o in shortcuts:
        edges.append(ViewEdge(id=f"{s} {kind} {o}", source=str(s), target=str(o), relation=kind))
    edges.sort(key=lambda e: (e.source, e.target, e.relation, e.date or "", e.id))
    return GraphView(nodes=tuple(nodes), edges=tuple(edges), roles=_role_lines(g, actors))


def _first_report(g: _Index, happening) -> URIRef | None:
    """Return a happening's first report: the earliest published (then by IRI)."""
    reports = [r for r in g.objects(happening, PROV.wasDerivedFrom) if isinstance(r, URIRef)]
    return min(reports, key=lambda r: (_first(g, r, GB.reportedOn) or "9999", str(r)), default=None)


def _count(g: _Index, node, predicate: URIRef) -> int:
    value = g.value(node, predicate)
    try:
        return max(1, int(str(value))) if value is not None else 1
    except ValueError:
        return 1


class _Index:
    """The lookups graph_view makes, answered from one bulk read per predicate.

    A build's graph of thousands of articles takes hundreds of thousands of single
    lookups; each predicate's triples are read once instead (from an Oxigraph store's
    merged view when the graph is one, as a build's and `load`'s are) and kept by
    subject (and by object for rdf:type). Each list keeps the source's order.
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.native = getattr(graph.store, "oxigraph", None)
        self.by_subject: dict[URIRef, dict] = {}
        self.by_object: dict[URIRef, dict] = {}
        self.term = None  # memoized pyoxigraph -> rdflib, made on first use

    def _load(self, predicate: URIRef) -> dict:
        found = self.by_subject.get(predicate)
        if found is not None:
            return found
        by_subject: dict = defaultdict(list)
        for s, o in self._pairs(predicate):
            by_subject[s].append(o)
        self.by_subject[predicate] = by_subject
        return by_subject

    def _pairs(self, predicate: URIRef):
        if self.native is None:
            return self.graph.subject_objects(predicate)
        import pyoxigraph as ox

        term = self.term = self.term or memoized(to_rdflib)
        quads = self.native.quads_for_pattern(None, ox.NamedNode(str(predicate)), None, ox.DefaultGraph())
        return [(term(q.subject), term(q.object)) for q in quads]

    def subjects(self, predicate: URIRef, obj) -> list:
        by_object = self.by_object.get(predicate)
        if by_object is None:  # made only for the predicates looked up by object
            by_object = self.by_object[predicate] = defaultdict(list)
            for s, objects in self._load(predicate).items():
                for o in objects:
                    by_object[o].append(s)
        return by_object.get(obj, [])

    def objects(self, subject, predicate: URIRef) -> list:
        return self._load(predicate).get(subject, [])

    def value(self, subject, predicate: URIRef):
        values = self.objects(subject, predicate)
        return values[0] if values else None

    def subject_objects(self, predicate: URIRef):
        return ((s, o) for s, objects in self._load(predicate).items() for o in objects)


def _iri_tail(iri: URIRef) -> str:
    return re.split(r"[/#]", str(iri).rstrip("/#"))[-1] or str(iri)


def _actor_type(g: _Index, actor: URIRef) -> str:
    types = sorted(
        name for t in g.objects(actor, RDF.type) if (name := _local(t, GB)) and name != FALLBACK_TYPE
    )
    return types[0] if types else FALLBACK_TYPE


def _wikidata(g: _Index, actor: URIRef) -> str | None:
    for same in sorted(str(x) for x in g.objects(actor, OWL.sameAs)):
        if same.startswith(WIKIDATA_ENTITY):
            return same.rsplit("/", 1)[-1]
    return None


def _role_lines(g: _Index, actors: set[URIRef]) -> tuple[ViewRole, ...]:
    """Return each role as lines from its holder: to whom it serves, and where it is posted."""
    lines = []
    for node in sorted(set(g.subjects(RDF.type, GB.RoleAssignment))):
        holder, role_type = g.value(node, GB.holder), g.value(node, GB.roleType)
        if holder not in actors or role_type is None:
            continue
        what = _role_label(role_type)
        article = g.value(node, PROV.wasDerivedFrom)
        about = dict(
            title=_first(g, node, GB.title),
            evidence=_first(g, node, GB.sentence) or _first(g, node, GB.evidenceText),
            article_title=_first(g, article, DCTERMS.title) if article is not None else None,
            article_source=_first(g, article, GB.source) if article is not None else None,
        )
        role = _ROLE_NAMES.get(role_type)
        lines_of = term_label(f"{role}_of") if role else f"{what} of"
        for key, prop, label in (("of", GB.roleOf, lines_of), ("to", GB.roleTo, term_label("posted_to"))):
            target = g.value(node, prop)
            if target in actors and target != holder:
                lines.append(
                    ViewRole(id=f"{node}#{key}", holder=str(holder), target=str(target), label=label, **about)
                )
    lines.sort(key=lambda r: (r.holder, r.target, r.label, r.id))
    return tuple(lines)


_ROLE_NAMES = {iri: name for name, iri in ROLE_TYPE_IRIS.items()}


def _role_label(role_type) -> str:
    """Return the ontology's label of a role type ("head of state"); an unknown one's own name."""
    role = _ROLE_NAMES.get(role_type)
    return (
        term_label(role) if role else _snake(_local(role_type, GB) or _iri_tail(role_type)).replace("_", " ")
    )


def _roles(g: _Index, labels: dict[URIRef, str]) -> dict[URIRef, set[str]]:
    """Return, per holder, each role as one line: title as written, role type, of, to."""

    def name(iri) -> str:
        return labels.get(iri) or _first(g, iri, RDFS.label) or _iri_tail(iri)

    held: dict[URIRef, set[str]] = defaultdict(set)
    for node in set(g.subjects(RDF.type, GB.RoleAssignment)):
        holder, role_type = g.value(node, GB.holder), g.value(node, GB.roleType)
        if holder is None or role_type is None:
            continue
        what = _role_label(role_type)
        of, to = g.value(node, GB.roleOf), g.value(node, GB.roleTo)
        what += f" of {name(of)}" if of is not None else ""
        what += f" to {name(to)}" if to is not None else ""
        title = _first(g, node, GB.title)
        held[holder].add(f"{title} ({what})" if title else what)
    return held
