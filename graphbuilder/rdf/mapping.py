"""Extractions -> an RDF Dataset (one named graph per article), and back.

The mapping is the table "The RDF vocabulary in detail" in docs/design.md. Every node
gets an IRI computed from its content (no blank nodes), so the same extractions always
give the same graph, whatever order Python iterates sets in.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import OWL, RDF, RDFS, XSD, ConjunctiveGraph, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SDO
from rdflib.term import Identifier, Node

from ..errors import GraphbuilderError
from ..model import (
    ACTOR_TYPES,
    PREDICATES,
    ROLE_TYPES,
    Actor,
    Document,
    Evidence,
    Extraction,
    Relation,
    Role,
    clean_label,
    fold_accents,
)
from ..resources import DEFAULT_BASE, ontology_path

if TYPE_CHECKING:
    from pyoxigraph import NamedNode

GB = Namespace("https://w3id.org/graphbuilder/ontology#")
SCHEMA = SDO
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")


@dataclass(frozen=True)
class Vocabulary:
    """The RDF terms of the extraction format's names, read from the ontology.

    The ontology is the one source: each role type carries its name (skos:notation) and
    its shortcut (gb:shortcut); each relation shortcut its name and its event class
    (gb:eventClass). The data model (model.py) lists the same names, and the two must
    agree, name for name (`read_vocabulary` says where they do not).
    """

    role_types: dict[str, URIRef]  # "head_of_state" -> gb:HeadOfState
    role_shortcuts: dict[str, URIRef]  # "head_of_state" -> gb:headOfStateOf
    relation_shortcuts: dict[str, URIRef]  # "condemned" -> gb:condemned
    event_classes: dict[str, URIRef]  # "condemned" -> gb:Condemnation
    # "head_of_state" -> "head of state", "agreed_with" -> "agreed with", "minister_of" -> "minister of"
    labels: dict[str, str]


def read_vocabulary(ontology: Path) -> Vocabulary:
    """Return the vocabulary an ontology file defines, in the data model's order.

    Raises GraphbuilderError when the ontology and the data model do not name the same
    role types and relations, or when one lacks its shortcut or event class.
    """
    graph = Graph().parse(ontology, format="turtle")
    roles = {
        str(n): s
        for s in graph.subjects(RDF.type, GB.RoleType)
        if isinstance(s, URIRef)
        for n in graph.objects(s, SKOS.notation)
    }
    relations = {
        str(n): s
        for s in graph.subjects(GB.eventClass, None)
        if isinstance(s, URIRef)
        for n in graph.objects(s, SKOS.notation)
    }
    for kind, named, expected in (("role types", roles, ROLE_TYPES), ("relations", relations, PREDICATES)):
        if set(named) != set(expected):
            raise GraphbuilderError(
                f"{ontology}: the ontology's {kind} ({', '.join(sorted(named))}) are not the data "
                f"model's ({', '.join(sorted(expected))})"
            )

    def label(subject: URIRef) -> str:
        english = [str(n) for n in graph.objects(subject, RDFS.label) if getattr(n, "language", None) == "en"]
        if len(english) != 1:
            raise GraphbuilderError(f"{ontology}: {subject} must have one English rdfs:label")
        return english[0]

    def linked(subject: URIRef, link: URIRef) -> URIRef:
        value = graph.value(subject, link)
        if not isinstance(value, URIRef):
            raise GraphbuilderError(f"{ontology}: {subject} has no {link}")
        return value

    return Vocabulary(
        role_types={name: roles[name] for name in ROLE_TYPES},
        role_shortcuts={name: linked(roles[name], GB.shortcut) for name in ROLE_TYPES},
        relation_shortcuts={name: relations[name] for name in PREDICATES},
        event_classes={name: linked(relations[name], GB.eventClass) for name in PREDICATES},
        labels={
            **{name: label(iri) for name, iri in (*roles.items(), *relations.items())},
            # The lines a post draws from its holder: "ambassador of", "posted to".
            **{f"{name}_of": label(linked(roles[name], GB.shortcut)) for name in ROLE_TYPES},
            "posted_to": label(GB.postedTo),
        },
    )


VOCABULARY = read_vocabulary(ontology_path())
ROLE_TYPE_IRIS = VOCABULARY.role_types
ROLE_SHORTCUTS = VOCABULARY.role_shortcuts
RELATION_SHORTCUTS = VOCABULARY.relation_shortcuts
EVENT_CLASSES = VOCABULARY.event_classes


def term_label(name: str) -> str:
    """Return the label the ontology gives a role type or relation ("head_of_state" ->
    "head of state"): the one name every table, tooltip and query result shows."""
    return VOCABULARY.labels.get(name, name)


def term_name(text: str) -> str:
    """Return the extraction-format name of a role type or relation written as its name or
    its label, in any case ("Agreed with" -> "agreed_with"); other text as it is."""
    wanted = " ".join(text.replace("_", " ").split()).casefold()
    return next((name for name, label in VOCABULARY.labels.items() if label.casefold() == wanted), text)


_ROLE_BY_IRI: dict[Node, str] = {iri: name for name, iri in ROLE_TYPE_IRIS.items()}
_PREDICATE_BY_IRI: dict[Node, str] = {iri: name for name, iri in RELATION_SHORTCUTS.items()}
_TYPE_BY_IRI: dict[Node, str] = {GB[t]: t for t in ACTOR_TYPES}


#: The kinds of instance IRI (base + kind + "/..."), each with its own prefix, so that
#: files and results say actor:japan (inst:actor/japan is not a Turtle prefixed name).
INSTANCE_KINDS = ("actor", "article", "event", "graph", "happening", "role", "tenure")


def bind_prefixes(graph: Graph, base: str = DEFAULT_BASE) -> None:
    """Bind the project's prefixes on `graph`: gb, owl, rdf, rdfs, xsd, prov, dcterms,
    schema, inst (the base) and one per kind of instance (actor, article, event, graph, role)."""
    for prefix, namespace in (
        ("gb", GB),
        ("owl", OWL),
        ("rdf", RDF),
        ("rdfs", RDFS),
        ("xsd", XSD),
        ("prov", PROV),
        ("dcterms", DCTERMS),
        ("schema", SCHEMA),
        ("inst", Namespace(base)),
        *((kind, Namespace(f"{base}{kind}/")) for kind in INSTANCE_KINDS),
    ):
        graph.bind(prefix, namespace, override=True, replace=True)


def copy_prefixes(source: Graph, target: Graph) -> None:
    bind_prefixes(target, instance_base(source))
    ours = {prefix for prefix, _ in target.namespaces()}
    for prefix, namespace in sorted((p, str(n)) for p, n in source.namespaces() if p and p not in ours):
        target.bind(prefix, URIRef(namespace), override=False)


def merged_graph(ds: Dataset | Graph) -> Graph:
    """Return a new Graph of every distinct triple in `ds`, with `ds`'s prefixes bound.

    The one place the union of a Dataset's graphs is taken: it reads the quads of every
    graph, since Dataset.triples() sees only the default graph unless the Dataset was
    opened with default_union=True.
    """
    merged = Graph()
    copy_prefixes(ds, merged)
    triples = ds.quads((None, None, None, None)) if isinstance(ds, ConjunctiveGraph) else ds
    # A set, not sorted: a Graph has no order, and sorting rdflib terms was most of the
    # time the HTML view took. The writers sort what they write (see write_graph_files).
    merged.addN((s, p, o, merged) for s, p, o in {(s, p, o) for s, p, o, *_ in triples})
    return merged


def instance_base(graph: Graph) -> str:
    """Return the base IRI of `graph`'s instances (the build's --base).

    From its inst: (or actor:) prefix when bound; else, for a graph that keeps no
    prefixes (an Oxigraph store), read off an article IRI ({base}article/{id}).
    """
    bound = {prefix: str(namespace) for prefix, namespace in graph.namespaces()}
    if "inst" in bound:
        return bound["inst"]
    if bound.get("actor", "").endswith("/actor/"):
        return bound["actor"][: -len("actor/")]
    for article in graph.subjects(RDF.type, GB.Article):
        for identifier in graph.objects(article, DCTERMS.identifier):
            suffix = f"article/{identifier}"
            if str(article).endswith(suffix):
                return str(article)[: -len(suffix)]
        break
    return DEFAULT_BASE


def node_hash(*fields: str | None) -> str:
    """Return the first 12 hex digits of the SHA-1 of the `|`-joined fields ('' for None)."""
    joined = "|".join("" if f is None else f for f in fields)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:12]


def actor_key(name: str) -> str:
    """Return what tells one actor from another: its name, cleaned, up to letter case.

    Names with one key are one actor with one IRI ("NATO", "Nato"); any other
    difference (a hyphen, a dot, an accent, a "+") makes another actor. The resolver
    (pipeline/resolve.py) gives every spelling of one key the same canonical name, and
    merges further (person names by model.name_key, gazetteer forms) by renaming.
    """
    return clean_label(name).lower()


#: A name whose key is ASCII letters and digits in words with one space between them:
#: the key is its slug with spaces for hyphens, so the plain slug is collision-free.
_PLAIN_KEY = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


@functools.lru_cache(maxsize=1 << 16)  # names recur in every article: IRIs are made often
def actor_slug(name: str) -> str:
    """Return the last segment of the IRI of the actor named `name`.

    A plain name (ASCII letters and digits, single spaces) gives its words, lowercased,
    joined by hyphens: "North Korea" -> north-korea. Any other name gives the same
    ASCII-folded words, an underscore and the first 12 hex digits of the SHA-1 of its
    key: "Kim Jong-un" -> kim-jong-un_<hash>, "Москва" -> _<hash>. A plain slug never
    holds an underscore, so the two forms cannot meet; the slug depends on the name alone.
    """
    key = actor_key(name)
    if _PLAIN_KEY.fullmatch(key):
        return key.replace(" ", "-")
    words = re.sub(r"[^a-z0-9]+", "-", fold_accents(key).encode("ascii", "ignore").decode().lower())
    return f"{words.strip('-')}_{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}"


def actor_iri(name: str, base: str = DEFAULT_BASE) -> URIRef:
    """Return the IRI of the actor whose canonical name is `name` (see `actor_slug`)."""
    return URIRef(f"{base}actor/{actor_slug(name)}")


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


def article_triples(
    extraction: Extraction, canonical: dict[str, Actor], base: str = DEFAULT_BASE
) -> list[tuple]:
    """Return the distinct triples of one article's named graph, as pyoxigraph terms.

    The graph holds the article, the descriptions of the actors it mentions, its role
    and event nodes and their shortcut triples. `canonical` (from `canonical_actors`
    over every article of the graph) gives each actor key its label and type: two
    names with the same key are one actor (one IRI), the preferred spelling is its
    label and the others become aliases, so the merged view has exactly one label per actor.
    A repeated role or relation within one article keeps its first occurrence, as one
    node can carry one date and one piece of evidence. Made as pyoxigraph terms, which
    the build writes: rdflib's cost more to make than the rest of the build's RDF work.
    """
    doc = extraction.document
    v = _vocabulary()
    triples: list[tuple] = []
    article = v.iri(str(article_iri(doc.id, base)))
    _add_article(triples, v, article, doc)
    for actor in extraction.actors:
        _add_actor(triples, v, actor, canonical[actor_key(actor.name)], base)
    seen: set[str] = set()
    for role in extraction.roles:
        node = str(role_iri(doc.id, role, base))
        if node not in seen:
            seen.add(node)
            _add_role(triples, v, v.iri(node), role, article, base)
    for relation in extraction.relations:
        node = str(event_iri(doc.id, relation, base))
        if node not in seen:
            seen.add(node)
            _add_event(triples, v, v.iri(node), relation, article, base, doc.date)
    return list(dict.fromkeys(triples))


def canonical_actors(extractions: Iterable[Extraction]) -> dict[str, Actor]:
    """Return, per actor key (`actor_key`), the actor its IRI stands for: label, type and
    Wikidata entity.

    Names that share a key share an IRI ("NATO" and "Nato" are both actor/nato), which
    has one label. What the IRI takes depends on the set of actors only, never on the
    order of the articles (the build's writer reads them in graph order, the in-memory
    one as given): the label, the type and the Wikidata entity are the ones most
    articles give, ties going to the first in sort order. A resolved build
    (pipeline/resolve.py) has one spelling per key already.
    """
    names: dict[str, Counter[str]] = defaultdict(Counter)
    types: dict[str, Counter[str]] = defaultdict(Counter)
    entities: dict[str, Counter[str]] = defaultdict(Counter)
    for extraction in extractions:
        for actor in extraction.actors:
            key = actor_key(actor.name)
            names[key][actor.name] += 1
            types[key][actor.type] += 1
            if actor.wikidata:
                entities[key][actor.wikidata] += 1
    return {
        key: Actor(
            name=most_given(spellings),
            type=most_given(types[key]),
            wikidata=most_given(entities[key]) if entities[key] else None,
        )
        for key, spellings in names.items()
    }


def most_given(counts: Counter[str]) -> str:
    """Return the value counted most often (the first in sort order among equals)."""
    return min(counts, key=lambda value: (-counts[value], value))


class _Vocabulary:
    """The vocabulary's IRIs as pyoxigraph terms, made once, and term makers."""

    # Set from `names` in __init__.
    type: NamedNode
    label: NamedNode
    same_as: NamedNode
    identifier: NamedNode
    title: NamedNode
    date: NamedNode
    publisher: NamedNode
    license: NamedNode
    url: NamedNode
    derived_from: NamedNode
    xsd_date: NamedNode
    xsd_month: NamedNode
    xsd_integer: NamedNode
    xsd_decimal: NamedNode

    def __init__(self) -> None:
        import pyoxigraph as ox

        self.ox = ox
        names = {
            "type": RDF.type,
            "label": RDFS.label,
            "same_as": OWL.sameAs,
            "identifier": DCTERMS.identifier,
            "title": DCTERMS.title,
            "date": DCTERMS.date,
            "publisher": DCTERMS.publisher,
            "license": DCTERMS.license,
            "url": SCHEMA.url,
            "derived_from": PROV.wasDerivedFrom,
            "xsd_date": XSD.date,
            "xsd_month": XSD.gYearMonth,
            "xsd_integer": XSD.integer,
            "xsd_decimal": XSD.decimal,
        }
        for name, iri in names.items():
            setattr(self, name, ox.NamedNode(str(iri)))
        self.gb = {
            name: ox.NamedNode(str(GB[name]))
            for name in (
                "Article",
                "Actor",
                "source",
                "alias",
                "evidenceText",
                "sentence",
                "startOffset",
                "endOffset",
                "RoleAssignment",
                "holder",
                "roleType",
                "roleOf",
                "roleTo",
                "postedTo",
                "title",
                "rule",
                "Event",
                "relationType",
                "agent",
                "target",
                "date",
                "reportedOn",
                "confidence",
                *ACTOR_TYPES,
            )
        }
        for table in (ROLE_TYPE_IRIS, ROLE_SHORTCUTS, RELATION_SHORTCUTS, EVENT_CLASSES):
            self.gb.update(
                (key, ox.NamedNode(str(iri))) for key, iri in ((str(iri), iri) for iri in table.values())
            )

    def iri(self, value: str):
        return self.ox.NamedNode(value)

    def term(self, iri: URIRef):
        """Return the pyoxigraph term of one of the vocabulary's rdflib IRIs."""
        return self.gb[str(iri)]

    def text(self, value: str):
        return self.ox.Literal(value)

    def typed(self, value: str, datatype):
        return self.ox.Literal(value, datatype=datatype)

    def actor(self, name: str, base: str):
        return _actor_node(self.ox, name, base)


@functools.lru_cache(maxsize=1)
def _vocabulary() -> _Vocabulary:
    return _Vocabulary()


@functools.lru_cache(maxsize=1 << 16)  # actors recur in every article
def _actor_node(ox, name: str, base: str):
    return ox.NamedNode(str(actor_iri(name, base)))


def _add_article(triples: list, v: _Vocabulary, article, doc: Document) -> None:
    triples.append((article, v.type, v.gb["Article"]))
    triples.append((article, v.identifier, v.text(doc.id)))
    if doc.title:
        triples.append((article, v.title, v.text(doc.title)))
    if doc.date:
        triples.append((article, v.date, v.typed(doc.date, v.xsd_date)))
    if doc.source:
        triples.append((article, v.gb["source"], v.text(doc.source)))
        if re.match(r"^https?://[^\s<>\"{}|\\^`]+$", doc.source):
            triples.append((article, v.url, v.iri(doc.source)))
    if doc.publisher:
        triples.append((article, v.publisher, v.text(doc.publisher)))
    if doc.license:
        triples.append((article, v.license, v.text(doc.license)))


def _add_actor(triples: list, v: _Vocabulary, actor: Actor, canonical: Actor, base: str) -> None:
    node = v.actor(actor.name, base)
    triples.append((node, v.type, v.gb["Actor"]))
    triples.append((node, v.type, v.gb[canonical.type]))
    triples.append((node, v.label, v.text(canonical.name)))
    for alias in [actor.name, *actor.aliases]:
        if alias != canonical.name:
            triples.append((node, v.gb["alias"], v.text(alias)))
    wikidata = actor.wikidata or canonical.wikidata
    if wikidata:
        triples.append((node, v.same_as, v.iri(WIKIDATA_ENTITY + wikidata)))


def _add_evidence(triples: list, v: _Vocabulary, node, evidence: Evidence | None) -> None:
    if evidence is None:
        return
    triples.append((node, v.gb["evidenceText"], v.text(evidence.text)))
    if evidence.sentence:
        triples.append((node, v.gb["sentence"], v.text(evidence.sentence)))
    if evidence.start is not None:
        triples.append((node, v.gb["startOffset"], v.typed(str(evidence.start), v.xsd_integer)))
    if evidence.end is not None:
        triples.append((node, v.gb["endOffset"], v.typed(str(evidence.end), v.xsd_integer)))


def _add_confidence(triples: list, v: _Vocabulary, node, confidence: float | None) -> None:
    if confidence is not None:
        # str() first: Decimal(0.1) would carry the float's binary noise into the graph.
        value = str(Decimal(str(confidence)))
        triples.append((node, v.gb["confidence"], v.typed(value, v.xsd_decimal)))


def _add_role(triples: list, v: _Vocabulary, node, role: Role, article, base: str) -> None:
    holder = v.actor(role.holder, base)
    triples.append((node, v.type, v.gb["RoleAssignment"]))
    triples.append((node, v.gb["holder"], holder))
    triples.append((node, v.gb["roleType"], v.term(ROLE_TYPE_IRIS[role.role])))
    if role.of:
        triples.append((node, v.gb["roleOf"], v.actor(role.of, base)))
        triples.append((holder, v.term(ROLE_SHORTCUTS[role.role]), v.actor(role.of, base)))
    if role.to:
        triples.append((node, v.gb["roleTo"], v.actor(role.to, base)))
        triples.append((holder, v.gb["postedTo"], v.actor(role.to, base)))
    if role.title:
        triples.append((node, v.gb["title"], v.text(role.title)))
    _add_evidence(triples, v, node, role.evidence)
    _add_confidence(triples, v, node, role.confidence)
    if role.rule:
        triples.append((node, v.gb["rule"], v.text(role.rule)))
    triples.append((node, v.derived_from, article))


def _add_event(
    triples: list, v: _Vocabulary, node, relation: Relation, article, base: str, reported: str | None
) -> None:
    agent, target = v.actor(relation.subject, base), v.actor(relation.object, base)
    shortcut = v.term(RELATION_SHORTCUTS[relation.predicate])
    triples.append((agent, shortcut, target))
    triples.append((node, v.type, v.gb["Event"]))
    triples.append((node, v.type, v.term(EVENT_CLASSES[relation.predicate])))
    triples.append((node, v.gb["relationType"], shortcut))
    triples.append((node, v.gb["agent"], agent))
    triples.append((node, v.gb["target"], target))
    if relation.date:  # the day it happened, or only its month ("in November")
        datatype = v.xsd_month if len(relation.date) == 7 else v.xsd_date
        triples.append((node, v.gb["date"], v.typed(relation.date, datatype)))
    if reported:  # when the article reported it: a timeline shows both
        triples.append((node, v.gb["reportedOn"], v.typed(reported, v.xsd_date)))
    _add_evidence(triples, v, node, relation.evidence)
    _add_confidence(triples, v, node, relation.confidence)
    if relation.rule:
        triples.append((node, v.gb["rule"], v.text(relation.rule)))
    triples.append((node, v.derived_from, article))


# -- RDF -> Extraction --------------------------------------------------------------------


def dataset_to_extractions(dataset: Dataset | Graph) -> list[Extraction]:
    """Return one Extraction per gb:Article in `dataset`, sorted by article id.

    Reads each article's named graph when the dataset has one per article (as
    `rdf.dataset.extractions_to_dataset` and graph.trig do), else the whole graph. Articles' texts
    are not stored in the graph, so each Document comes back with an empty `text`.
    Actors, aliases, roles and relations come back sorted, since RDF keeps no order.
    """
    graphs = _graphs_by_article(dataset)
    return [
        _extraction(graph, article)
        for article, graph in sorted(
            graphs.items(), key=lambda item: str(_one(item[1], item[0], DCTERMS.identifier) or item[0])
        )
    ]


def _graphs_by_article(dataset: Dataset | Graph) -> dict[Node, Graph]:
    named: dict[Node, Graph] = {}
    if isinstance(dataset, Dataset):
        for graph in dataset.graphs():
            if graph.identifier == dataset.default_graph.identifier:
                continue
            articles = list(graph.subjects(RDF.type, GB.Article))
            if len(articles) == 1:
                named[articles[0]] = graph
    merged = merged_graph(dataset)
    for article in merged.subjects(RDF.type, GB.Article):
        if article not in named:  # a flat file (graph.ttl): one graph for every article
            named[article] = merged
    return named


def _sorted(nodes: Iterable[Node]) -> list[Identifier]:
    """Return the RDF terms `nodes` in order (graphs read from the formats of rdf.files hold
    no other kind of node)."""
    return sorted(node for node in nodes if isinstance(node, Identifier))


def _one(graph: Graph, subject: Node, predicate: URIRef) -> Identifier | None:
    values = _sorted(graph.objects(subject, predicate))
    return values[0] if values else None


def _python(value: Identifier) -> Any:
    """Return a literal's Python value, or the text of an IRI or blank node."""
    return value.toPython() if isinstance(value, Literal) else str(value)


def _text(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    value = _one(graph, subject, predicate)
    return None if value is None else str(value)


def _int(graph: Graph, subject: Node, predicate: URIRef) -> int | None:
    value = _one(graph, subject, predicate)
    return None if value is None else int(_python(value))


def _derived_from(graph: Graph, kind: URIRef, article: Node) -> list[Node]:
    return [node for node in graph.subjects(RDF.type, kind) if (node, PROV.wasDerivedFrom, article) in graph]


def _extraction(graph: Graph, article: Node) -> Extraction:
    date = _one(graph, article, DCTERMS.date)
    document = Document(
        id=_text(graph, article, DCTERMS.identifier) or str(article),
        text="",
        title=_text(graph, article, DCTERMS.title) or "",
        date=str(date) if date is not None else None,
        source=_text(graph, article, GB.source),
        publisher=_text(graph, article, DCTERMS.publisher),
        license=_text(graph, article, DCTERMS.license),
    )
    roles = [
        r
        for r in (_role(graph, node) for node in _derived_from(graph, GB.RoleAssignment, article))
        if r is not None
    ]
    relations = [
        r
        for r in (_relation(graph, node) for node in _derived_from(graph, GB.Event, article))
        if r is not None
    ]
    # A merged graph describes every article's actors: keep the ones this article uses,
    # unless it is the article's own graph (then its actors are exactly those described).
    actors = [
        a
        for a in (_actor(graph, node) for node in _sorted(set(graph.subjects(RDF.type, GB.Actor))))
        if a is not None
    ]
    if len(set(graph.subjects(RDF.type, GB.Article))) > 1:
        used = {r.holder for r in roles} | {r.of for r in roles} | {r.to for r in roles}
        used |= {r.subject for r in relations} | {r.object for r in relations}
        actors = [a for a in actors if a.name in used]
    return Extraction(
        document=document,
        actors=sorted(actors, key=lambda a: a.name),
        roles=sorted(roles, key=lambda r: (r.holder, r.role, r.of or "", r.to or "")),
        relations=sorted(relations, key=lambda r: (r.subject, r.predicate, r.object)),
    )


def _label(graph: Graph, node: Node) -> str | None:
    return _text(graph, node, RDFS.label)


def _actor(graph: Graph, node: Node) -> Actor | None:
    name = _label(graph, node)
    types = sorted(_TYPE_BY_IRI[t] for t in graph.objects(node, RDF.type) if t in _TYPE_BY_IRI)
    if name is None or not types:
        return None
    wikidata = None
    for same in _sorted(graph.objects(node, OWL.sameAs)):
        if str(same).startswith(WIKIDATA_ENTITY):
            wikidata = str(same)[len(WIKIDATA_ENTITY) :]
            break
    aliases = sorted(str(a) for a in graph.objects(node, GB.alias))
    return Actor(name=name, type=types[0], aliases=aliases, wikidata=wikidata)


def _evidence(graph: Graph, node: Node) -> Evidence | None:
    text = _text(graph, node, GB.evidenceText)
    if text is None:
        return None
    return Evidence(
        text=text,
        start=_int(graph, node, GB.startOffset),
        end=_int(graph, node, GB.endOffset),
        sentence=_text(graph, node, GB.sentence),
    )


def _actor_name(graph: Graph, node: Node | None) -> str | None:
    return None if node is None else _label(graph, node)


def _role(graph: Graph, node: Node) -> Role | None:
    holder = _actor_name(graph, _one(graph, node, GB.holder))
    role_type = _one(graph, node, GB.roleType)
    role = _ROLE_BY_IRI.get(role_type) if role_type is not None else None
    if holder is None or role is None:
        return None
    return Role(
        holder=holder,
        role=role,
        of=_actor_name(graph, _one(graph, node, GB.roleOf)),
        to=_actor_name(graph, _one(graph, node, GB.roleTo)),
        title=_text(graph, node, GB.title),
        evidence=_evidence(graph, node),
        rule=_text(graph, node, GB.rule),
        confidence=_confidence(graph, node),
    )


def _confidence(graph: Graph, node: Node) -> float | None:
    confidence = _one(graph, node, GB.confidence)
    return float(_python(confidence)) if confidence is not None else None


def _relation(graph: Graph, node: Node) -> Relation | None:
    subject = _actor_name(graph, _one(graph, node, GB.agent))
    obj = _actor_name(graph, _one(graph, node, GB.target))
    relation_type = _one(graph, node, GB.relationType)
    predicate = _PREDICATE_BY_IRI.get(relation_type) if relation_type is not None else None
    if subject is None or obj is None or predicate is None:
        return None
    date = _one(graph, node, GB.date)
    return Relation(
        subject=subject,
        predicate=predicate,
        object=obj,
        date=str(date) if date is not None else None,
        evidence=_evidence(graph, node),
        confidence=_confidence(graph, node),
        rule=_text(graph, node, GB.rule),
    )
