"""Extractions -> an RDF Dataset (one named graph per article), and back.

The mapping is the table "The RDF vocabulary in detail" in docs/design.md. Every node
gets an IRI computed from its content (no blank nodes), so the same extractions always
give the same graph, whatever order Python iterates sets in.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from decimal import Decimal

from rdflib import OWL, RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SDO
from rdflib.term import Node

from .model import (ACTOR_TYPES, Actor, Document, Evidence, Extraction, Relation, Role,
                    slugify)

DEFAULT_BASE = "https://w3id.org/graphbuilder/id/"
GB = Namespace("https://w3id.org/graphbuilder/ontology#")
SCHEMA = SDO
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

ROLE_TYPE_IRIS: dict[str, URIRef] = {
    "head_of_state": GB.HeadOfState,
    "head_of_government": GB.HeadOfGovernment,
    "minister": GB.Minister,
    "ambassador": GB.Ambassador,
    "spokesperson": GB.Spokesperson,
    "official": GB.Official,
}
ROLE_SHORTCUTS: dict[str, URIRef] = {
    "head_of_state": GB.headOfStateOf,
    "head_of_government": GB.headOfGovernmentOf,
    "minister": GB.ministerOf,
    "ambassador": GB.ambassadorOf,
    "spokesperson": GB.spokespersonOf,
    "official": GB.officialOf,
}
RELATION_SHORTCUTS: dict[str, URIRef] = {
    "condemned": GB.condemned,
    "invited": GB.invited,
    "urged": GB.urged,
    "met": GB.met,
    "supported": GB.supported,
    "threatened": GB.threatened,
    "sanctioned": GB.sanctioned,
    "accused": GB.accused,
    "agreed_with": GB.agreedWith,
    "attacked": GB.attacked,
}
EVENT_CLASSES: dict[str, URIRef] = {
    "condemned": GB.Condemnation,
    "invited": GB.Invitation,
    "urged": GB.Urging,
    "met": GB.Meeting,
    "supported": GB.Support,
    "threatened": GB.Threat,
    "sanctioned": GB.Sanction,
    "accused": GB.Accusation,
    "agreed_with": GB.Agreement,
    "attacked": GB.Attack,
}

_ROLE_BY_IRI = {iri: name for name, iri in ROLE_TYPE_IRIS.items()}
_PREDICATE_BY_IRI = {iri: name for name, iri in RELATION_SHORTCUTS.items()}
_TYPE_BY_IRI = {GB[t]: t for t in ACTOR_TYPES}


#: The kinds of instance IRI (base + kind + "/..."), each with its own prefix, so that
#: files and results say actor:japan (inst:actor/japan is not a Turtle prefixed name).
INSTANCE_KINDS = ("actor", "article", "event", "graph", "role")


def bind_prefixes(graph: Graph, base: str = DEFAULT_BASE) -> None:
    """Bind the project's prefixes on `graph`: gb, owl, rdf, rdfs, xsd, prov, dcterms,
    schema, inst (the base) and one per kind of instance (actor, article, event, graph, role)."""
    for prefix, namespace in (("gb", GB), ("owl", OWL), ("rdf", RDF), ("rdfs", RDFS),
                              ("xsd", XSD), ("prov", PROV), ("dcterms", DCTERMS),
                              ("schema", SCHEMA), ("inst", Namespace(base)),
                              *((kind, Namespace(f"{base}{kind}/")) for kind in INSTANCE_KINDS)):
        graph.bind(prefix, namespace, override=True, replace=True)


def node_hash(*fields: str | None) -> str:
    """Return the first 12 hex digits of the SHA-1 of the `|`-joined fields ('' for None)."""
    joined = "|".join("" if f is None else f for f in fields)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:12]


def actor_iri(name: str, base: str = DEFAULT_BASE) -> URIRef:
    """Return the IRI of the actor whose canonical name is `name`."""
    return URIRef(f"{base}actor/{slugify(name)}")


def article_iri(doc_id: str, base: str = DEFAULT_BASE) -> URIRef:
    """Return the IRI of the article with id `doc_id`."""
    return URIRef(f"{base}article/{doc_id}")


def graph_iri(doc_id: str, base: str = DEFAULT_BASE) -> URIRef:
    """Return the IRI of the named graph that holds what article `doc_id` says."""
    return URIRef(f"{base}graph/{doc_id}")


def role_iri(doc_id: str, role: Role, base: str = DEFAULT_BASE) -> URIRef:
    """Return the IRI of the role node for `role` in article `doc_id`."""
    return URIRef(f"{base}role/{doc_id}/{node_hash(role.holder, role.role, role.of, role.to)}")


def event_iri(doc_id: str, relation: Relation, base: str = DEFAULT_BASE) -> URIRef:
    """Return the IRI of the event node for `relation` in article `doc_id`."""
    key = node_hash(relation.subject, relation.predicate, relation.object)
    return URIRef(f"{base}event/{doc_id}/{key}")


# -- Extraction -> RDF --------------------------------------------------------------------


def extractions_to_dataset(extractions: list[Extraction], base: str = DEFAULT_BASE) -> Dataset:
    """Return a Dataset with one named graph `{base}graph/{id}` per extraction.

    Each named graph holds the triples `article_triples` gives for its article. The
    build itself does not hold the Dataset: it writes article by article
    (graph_writer.py); this is for graphs small enough to keep in memory.
    """
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset, base)
    canonical = canonical_actors(extractions)
    for extraction in extractions:
        graph = dataset.graph(graph_iri(extraction.document.id, base))
        graph.addN((s, p, o, graph) for s, p, o in article_triples(extraction, canonical, base))
    return dataset


def article_triples(extraction: Extraction, canonical: dict[str, Actor],
                    base: str = DEFAULT_BASE) -> list[tuple[Node, Node, Node]]:
    """Return the distinct triples of one article's named graph, in the order they are made.

    The graph holds the article, the descriptions of the actors it mentions, its role
    and event nodes and their shortcut triples. `canonical` (from `canonical_actors`
    over every article of the graph) gives each actor slug its label and type: two
    names with the same slug are one actor (one IRI), the name seen first is its label
    and the others become aliases, so the merged view has exactly one label per actor.
    A repeated role or relation within one article keeps its first occurrence, as one
    node can carry one date and one piece of evidence.
    """
    doc = extraction.document
    graph = _Triples()
    _add_article(graph, doc, base)
    for actor in extraction.actors:
        _add_actor(graph, actor, canonical[slugify(actor.name)], base)
    seen: set[URIRef] = set()
    for role in extraction.roles:
        node = role_iri(doc.id, role, base)
        if node not in seen:
            seen.add(node)
            _add_role(graph, node, role, doc, base)
    for relation in extraction.relations:
        node = event_iri(doc.id, relation, base)
        if node not in seen:
            seen.add(node)
            _add_event(graph, node, relation, doc, base)
    return list(dict.fromkeys(graph))


class _Triples(list):
    """The triples the _add_* helpers make, collected in order (they call `add`, as on a Graph)."""

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        self.append(triple)


def canonical_actors(extractions: Iterable[Extraction]) -> dict[str, Actor]:
    """Return, per actor slug, the first actor with that slug (its name and type win)."""
    canonical: dict[str, Actor] = {}
    for extraction in extractions:
        for actor in extraction.actors:
            canonical.setdefault(slugify(actor.name), actor)
    return canonical


def _add_article(graph: _Triples, doc: Document, base: str) -> None:
    article = article_iri(doc.id, base)
    graph.add((article, RDF.type, GB.Article))
    graph.add((article, DCTERMS.identifier, Literal(doc.id)))
    if doc.title:
        graph.add((article, DCTERMS.title, Literal(doc.title)))
    if doc.date:
        graph.add((article, DCTERMS.date, Literal(doc.date, datatype=XSD.date)))
    if doc.source:
        graph.add((article, GB.source, Literal(doc.source)))
        if re.match(r"^https?://[^\s<>\"{}|\\^`]+$", doc.source):
            graph.add((article, SCHEMA.url, URIRef(doc.source)))
    if doc.publisher:
        graph.add((article, DCTERMS.publisher, Literal(doc.publisher)))
    if doc.license:
        graph.add((article, DCTERMS.license, Literal(doc.license)))


def _add_actor(graph: _Triples, actor: Actor, canonical: Actor, base: str) -> None:
    node = actor_iri(actor.name, base)
    graph.add((node, RDF.type, GB.Actor))
    graph.add((node, RDF.type, GB[canonical.type]))
    graph.add((node, RDFS.label, Literal(canonical.name)))
    for alias in [actor.name, *actor.aliases]:
        if alias != canonical.name:
            graph.add((node, GB.alias, Literal(alias)))
    wikidata = actor.wikidata or canonical.wikidata
    if wikidata:
        graph.add((node, OWL.sameAs, URIRef(WIKIDATA_ENTITY + wikidata)))


def _add_evidence(graph: _Triples, node: URIRef, evidence: Evidence | None) -> None:
    if evidence is None:
        return
    graph.add((node, GB.evidenceText, Literal(evidence.text)))
    if evidence.sentence:
        graph.add((node, GB.sentence, Literal(evidence.sentence)))
    if evidence.start is not None:
        graph.add((node, GB.startOffset, Literal(evidence.start, datatype=XSD.integer)))
    if evidence.end is not None:
        graph.add((node, GB.endOffset, Literal(evidence.end, datatype=XSD.integer)))


def _add_role(graph: _Triples, node: URIRef, role: Role, doc: Document, base: str) -> None:
    holder = actor_iri(role.holder, base)
    graph.add((node, RDF.type, GB.RoleAssignment))
    graph.add((node, GB.holder, holder))
    graph.add((node, GB.roleType, ROLE_TYPE_IRIS[role.role]))
    if role.of:
        graph.add((node, GB.roleOf, actor_iri(role.of, base)))
        graph.add((holder, ROLE_SHORTCUTS[role.role], actor_iri(role.of, base)))
    if role.to:
        graph.add((node, GB.roleTo, actor_iri(role.to, base)))
        graph.add((holder, GB.postedTo, actor_iri(role.to, base)))
    if role.title:
        graph.add((node, GB.title, Literal(role.title)))
    _add_evidence(graph, node, role.evidence)
    if role.rule:
        graph.add((node, GB.rule, Literal(role.rule)))
    graph.add((node, PROV.wasDerivedFrom, article_iri(doc.id, base)))


def _add_event(graph: _Triples, node: URIRef, relation: Relation, doc: Document, base: str) -> None:
    agent, target = actor_iri(relation.subject, base), actor_iri(relation.object, base)
    shortcut = RELATION_SHORTCUTS[relation.predicate]
    graph.add((agent, shortcut, target))
    graph.add((node, RDF.type, GB.Event))
    graph.add((node, RDF.type, EVENT_CLASSES[relation.predicate]))
    graph.add((node, GB.relationType, shortcut))
    graph.add((node, GB.agent, agent))
    graph.add((node, GB.target, target))
    if relation.date:
        graph.add((node, GB.date, Literal(relation.date, datatype=XSD.date)))
    _add_evidence(graph, node, relation.evidence)
    if relation.confidence is not None:
        # str() first: Decimal(0.1) would carry the float's binary noise into the graph.
        confidence = Decimal(str(relation.confidence))
        graph.add((node, GB.confidence, Literal(confidence, datatype=XSD.decimal)))
    if relation.rule:
        graph.add((node, GB.rule, Literal(relation.rule)))
    graph.add((node, PROV.wasDerivedFrom, article_iri(doc.id, base)))


# -- RDF -> Extraction --------------------------------------------------------------------


def dataset_to_extractions(dataset: Dataset | Graph) -> list[Extraction]:
    """Return one Extraction per gb:Article in `dataset`, sorted by article id.

    Reads each article's named graph when the dataset has one per article (as
    `extractions_to_dataset` and graph.trig do), else the whole graph. Articles' texts
    are not stored in the graph, so each Document comes back with an empty `text`.
    Actors, aliases, roles and relations come back sorted, since RDF keeps no order.
    """
    graphs = _graphs_by_article(dataset)
    return [_extraction(graph, article) for article, graph in
            sorted(graphs.items(), key=lambda item: str(_one(item[1], item[0],
                                                               DCTERMS.identifier) or item[0]))]


def _graphs_by_article(dataset: Dataset | Graph) -> dict[URIRef, Graph]:
    named: dict[URIRef, Graph] = {}
    if isinstance(dataset, Dataset):
        for graph in dataset.graphs():
            if graph.identifier == dataset.default_graph.identifier:
                continue
            articles = list(graph.subjects(RDF.type, GB.Article))
            if len(articles) == 1:
                named[articles[0]] = graph
    from .store import merged_graph     # here, not at the top: store imports this module

    merged = merged_graph(dataset)
    for article in merged.subjects(RDF.type, GB.Article):
        if article not in named:     # a flat file (graph.ttl): one graph for every article
            named[article] = merged
    return named


def _one(graph: Graph, subject: Node, predicate: URIRef) -> Node | None:
    values = sorted(graph.objects(subject, predicate))
    return values[0] if values else None


def _text(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    value = _one(graph, subject, predicate)
    return None if value is None else str(value)


def _int(graph: Graph, subject: Node, predicate: URIRef) -> int | None:
    value = _one(graph, subject, predicate)
    return None if value is None else int(value.toPython())


def _derived_from(graph: Graph, kind: URIRef, article: URIRef) -> list[Node]:
    return [node for node in graph.subjects(RDF.type, kind)
            if (node, PROV.wasDerivedFrom, article) in graph]


def _extraction(graph: Graph, article: URIRef) -> Extraction:
    date = _one(graph, article, DCTERMS.date)
    document = Document(id=_text(graph, article, DCTERMS.identifier) or str(article), text="",
                        title=_text(graph, article, DCTERMS.title) or "",
                        date=str(date) if date is not None else None,
                        source=_text(graph, article, GB.source),
                        publisher=_text(graph, article, DCTERMS.publisher),
                        license=_text(graph, article, DCTERMS.license))
    roles = [_role(graph, node) for node in _derived_from(graph, GB.RoleAssignment, article)]
    relations = [_relation(graph, node) for node in _derived_from(graph, GB.Event, article)]
    roles = [r for r in roles if r is not None]
    relations = [r for r in relations if r is not None]
    # A merged graph describes every article's actors: keep the ones this article uses,
    # unless it is the article's own graph (then its actors are exactly those described).
    actors = [_actor(graph, node) for node in sorted(set(graph.subjects(RDF.type, GB.Actor)))]
    actors = [a for a in actors if a is not None]
    if len(set(graph.subjects(RDF.type, GB.Article))) > 1:
        used = {r.holder for r in roles} | {r.of for r in roles} | {r.to for r in roles}
        used |= {r.subject for r in relations} | {r.object for r in relations}
        actors = [a for a in actors if a.name in used]
    return Extraction(document=document, actors=sorted(actors, key=lambda a: a.name),
                      roles=sorted(roles, key=lambda r: (r.holder, r.role, r.of or "", r.to or "")),
                      relations=sorted(relations, key=lambda r: (r.subject, r.predicate, r.object)))


def _label(graph: Graph, node: Node) -> str | None:
    return _text(graph, node, RDFS.label)


def _actor(graph: Graph, node: Node) -> Actor | None:
    name = _label(graph, node)
    types = sorted(_TYPE_BY_IRI[t] for t in graph.objects(node, RDF.type) if t in _TYPE_BY_IRI)
    if name is None or not types:
        return None
    wikidata = None
    for same in sorted(graph.objects(node, OWL.sameAs)):
        if str(same).startswith(WIKIDATA_ENTITY):
            wikidata = str(same)[len(WIKIDATA_ENTITY):]
            break
    aliases = sorted(str(a) for a in graph.objects(node, GB.alias))
    return Actor(name=name, type=types[0], aliases=aliases, wikidata=wikidata)


def _evidence(graph: Graph, node: Node) -> Evidence | None:
    text = _text(graph, node, GB.evidenceText)
    if text is None:
        return None
    return Evidence(text=text, start=_int(graph, node, GB.startOffset),
                    end=_int(graph, node, GB.endOffset),
                    sentence=_text(graph, node, GB.sentence))


def _actor_name(graph: Graph, node: Node | None) -> str | None:
    return None if node is None else _label(graph, node)


def _role(graph: Graph, node: Node) -> Role | None:
    holder = _actor_name(graph, _one(graph, node, GB.holder))
    role = _ROLE_BY_IRI.get(_one(graph, node, GB.roleType))
    if holder is None or role is None:
        return None
    return Role(holder=holder, role=role,
                of=_actor_name(graph, _one(graph, node, GB.roleOf)),
                to=_actor_name(graph, _one(graph, node, GB.roleTo)),
                title=_text(graph, node, GB.title), evidence=_evidence(graph, node),
                rule=_text(graph, node, GB.rule))


def _relation(graph: Graph, node: Node) -> Relation | None:
    subject = _actor_name(graph, _one(graph, node, GB.agent))
    obj = _actor_name(graph, _one(graph, node, GB.target))
    predicate = _PREDICATE_BY_IRI.get(_one(graph, node, GB.relationType))
    if subject is None or obj is None or predicate is None:
        return None
    date = _one(graph, node, GB.date)
    confidence = _one(graph, node, GB.confidence)
    return Relation(subject=subject, predicate=predicate, object=obj,
                    date=str(date) if date is not None else None,
                    evidence=_evidence(graph, node),
                    confidence=float(confidence.toPython()) if confidence is not None else None,
                    rule=_text(graph, node, GB.rule))
