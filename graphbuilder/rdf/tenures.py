"""Dated role holdings: one gb:Tenure per post a person holds, with the period it was held.

Every article's role node (gb:RoleAssignment) says that, on the article's date, someone
held a post. The role nodes of all the articles that give the same holder the same role
type, of the same actor and to the same actor (compared by `mapping.actor_key`) are
attestations of one *tenure*, a node of the corpus graph (rdf/corpus.py):

- `gb:firstAttested` / `gb:lastAttested`: the dates of the earliest and latest articles
  that attest it. An undated article attests nothing about time; it still counts in
  `gb:attestationCount` (the articles that attest it) and is a `prov:wasDerivedFrom`.
- `schema:startDate` / `schema:endDate`: the term the office-holder knowledge
  (extract/knowledge.py) gives this holder in this post when one term covers every dated
  attestation (the start as the knowledge has it, else the first attestation; no end when
  the knowledge says the post is still held); else the first and last attestations. A
  tenure no dated article attests has no dates at all: nothing says when.

`head_of_state_overlaps` reads the tenures back from a built graph and finds two people
attested as head of state of one country at once, which `graphbuilder validate` reports
as warnings (some countries do have two, and articles do disagree).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SDO

from ..model import Actor, Extraction, Role
from ..resources import DEFAULT_BASE
from .mapping import GB, actor_key, canonical_actors, node_hash, role_iri

if TYPE_CHECKING:
    from ..extract.knowledge import Holding


@dataclass(frozen=True)
class Attestation:
    """One article's role node: the article, its date (None: undated) and the role as given."""

    article: str
    date: str | None  # YYYY-MM-DD
    role: Role


@dataclass
class Tenure:
    """A post one person held, with every article that attests it (earliest first)."""

    holder: str
    role: str
    of: str | None
    to: str | None
    attestations: list[Attestation] = field(default_factory=list)

    @property
    def dates(self) -> list[str]:
        return sorted(a.date for a in self.attestations if a.date)

    @property
    def first_attested(self) -> str | None:
        return self.dates[0] if self.dates else None

    @property
    def last_attested(self) -> str | None:
        return self.dates[-1] if self.dates else None

    @property
    def articles(self) -> int:
        return len({a.article for a in self.attestations})


def tenure_key(role: Role) -> tuple[str, str, str | None, str | None]:
    """Return what tells one tenure from another: holder, role type, of and to, by actor key."""
    return (
        actor_key(role.holder),
        role.role,
        actor_key(role.of) if role.of else None,
        actor_key(role.to) if role.to else None,
    )


def tenure_iri(role: Role, base: str = DEFAULT_BASE) -> URIRef:
    """Return the IRI of the tenure that the role node of `role` attests."""
    return URIRef(f"{base}tenure/{node_hash(*tenure_key(role))}")


def tenures(extractions: Iterable[Extraction]) -> list[Tenure]:
    """Return the tenures the extractions attest, in the order of their keys."""
    found: dict[tuple, Tenure] = {}
    for extraction in extractions:
        doc = extraction.document
        for role in extraction.roles:
            key = tenure_key(role)
            tenure = found.setdefault(key, Tenure(role.holder, role.role, role.of, role.to))
            tenure.attestations.append(Attestation(doc.id, doc.date, role))
    for tenure in found.values():
        tenure.attestations.sort(key=lambda a: (a.date or "9999-12-31", a.article))
    return [found[key] for key in sorted(found, key=lambda k: tuple(part or "" for part in k))]


def knowledge_term(tenure: Tenure, holder: Actor | None = None) -> Holding | None:
    """Return the office-holder knowledge's term of this holder in this post that covers every
    dated attestation, None when there is none (or no dated attestation to cover).

    The holder is looked up by name (any spelling the knowledge gives); a Wikidata entity the
    graph gives them must be the knowledge's, where it has one. Of several covering terms
    (sources that date one term differently), the narrowest.
    """
    from ..extract.knowledge import KNOWLEDGE_ROLES, office_holders

    first, last = tenure.first_attested, tenure.last_attested
    if first is None or last is None or tenure.role not in KNOWLEDGE_ROLES:
        return None
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    wikidata = holder.wikidata if holder else None
    covering = [
        h
        for h in office_holders().held_by(tenure.holder)
        if h.role == tenure.role
        and _same_actor(h.of, tenure.of)
        and (h.to is None or tenure.to is None or _same_actor(h.to, tenure.to))
        and not (wikidata and h.wikidata and h.wikidata != wikidata)
        and h.held_on(start)
        and h.held_on(end)
    ]
    return min(
        covering,
        key=lambda h: (
            -(h.start or dt.date.min).toordinal(),
            (h.end or dt.date.max).toordinal(),
            h.source,
        ),
        default=None,
    )


def _same_actor(known: str | None, given: str | None) -> bool:
    """Return whether the knowledge's name of a country or body (the gazetteer's) names the
    graph's actor, by actor key or by the gazetteer's name for the graph's."""
    if not known or not given:
        return known == given
    from ..extract.lexicon import gazetteer

    entry = gazetteer().lookup(given)
    return actor_key(known) in {actor_key(given), actor_key(entry.name) if entry else None}


def tenure_triples(extractions: list[Extraction], base: str = DEFAULT_BASE) -> list[tuple]:
    """Return the triples of the tenures that `extractions` (resolved) attest, as pyoxigraph terms."""
    from .mapping import ROLE_TYPE_IRIS, _vocabulary

    v = _vocabulary()
    ox = v.ox

    def term(name: str):
        return ox.NamedNode(str(GB[name]))

    start_date, end_date = ox.NamedNode(str(SDO.startDate)), ox.NamedNode(str(SDO.endDate))
    canonical = canonical_actors(extractions)
    triples: list[tuple] = []
    for tenure in tenures(extractions):
        node = v.iri(str(tenure_iri(tenure.attestations[0].role, base)))
        triples += [
            (node, v.type, term("Tenure")),
            (node, v.gb["holder"], v.actor(tenure.holder, base)),
            (node, v.gb["roleType"], v.term(ROLE_TYPE_IRIS[tenure.role])),
            (node, term("attestationCount"), v.typed(str(tenure.articles), v.xsd_integer)),
        ]
        if tenure.of:
            triples.append((node, v.gb["roleOf"], v.actor(tenure.of, base)))
        if tenure.to:
            triples.append((node, v.gb["roleTo"], v.actor(tenure.to, base)))
        first, last = tenure.first_attested, tenure.last_attested
        if first and last:
            triples.append((node, term("firstAttested"), v.typed(first, v.xsd_date)))
            triples.append((node, term("lastAttested"), v.typed(last, v.xsd_date)))
            held = knowledge_term(tenure, canonical.get(actor_key(tenure.holder)))
            start = held.start.isoformat() if held and held.start else first
            end = (held.end.isoformat() if held.end else None) if held else last
            triples.append((node, start_date, v.typed(start, v.xsd_date)))
            if end:
                triples.append((node, end_date, v.typed(end, v.xsd_date)))
        triples += [
            (node, v.derived_from, v.iri(str(role_iri(a.article, a.role, base)))) for a in tenure.attestations
        ]
    return list(dict.fromkeys(triples))


# -- The check: one head of state per country at a time ------------------------------------


@dataclass(frozen=True)
class HeadsOfStateOverlap:
    """Two people attested as head of state of one country in one period, and the articles."""

    country: str
    first: str  # one holder's name
    second: str  # the other's
    start: str  # the first day both are attested in, YYYY-MM-DD
    end: str  # the last
    first_articles: tuple[tuple[str, str], ...]  # (article id, date) that attest `first` then
    second_articles: tuple[tuple[str, str], ...]

    @property
    def message(self) -> str:
        when = f"on {self.start}" if self.start == self.end else f"from {self.start} to {self.end}"

        def cited(articles: tuple[tuple[str, str], ...]) -> str:
            return ", ".join(f"{article} ({date})" for article, date in articles)

        return (
            f"two heads of state of {self.country} at once: {self.first} and {self.second} are both "
            f"attested {when} ({self.first}: {cited(self.first_articles)}; "
            f"{self.second}: {cited(self.second_articles)})"
        )


@dataclass(frozen=True)
class _Attested:
    holder: str
    first: str
    last: str
    articles: tuple[tuple[str, str], ...]  # (date, article id), earliest first


def head_of_state_overlaps(graph: Graph) -> list[HeadsOfStateOverlap]:
    """Return each pair of people whose gb:HeadOfState tenures of one country have attested
    periods (first to last attested) that overlap, one attestation on a shared day included.

    `graph` is a built graph's merged view. Tenures no dated article attests are left out.
    """
    by_country: dict[str, list[_Attested]] = defaultdict(list)
    for tenure in sorted(set(graph.subjects(GB.roleType, GB.HeadOfState)), key=str):
        if (tenure, RDF.type, GB.Tenure) not in graph:
            continue
        holder, served = graph.value(tenure, GB.holder), graph.value(tenure, GB.roleOf)
        first, last = graph.value(tenure, GB.firstAttested), graph.value(tenure, GB.lastAttested)
        if holder is None or served is None or first is None or last is None:
            continue
        articles = []
        for assignment in graph.objects(tenure, PROV.wasDerivedFrom):
            for article in graph.objects(assignment, PROV.wasDerivedFrom):
                date = graph.value(article, DCTERMS.date)
                identifier = graph.value(article, DCTERMS.identifier)
                if isinstance(date, Literal) and identifier is not None:
                    articles.append((str(date), str(identifier)))
        by_country[_name(graph, served)].append(
            _Attested(_name(graph, holder), str(first), str(last), tuple(sorted(set(articles))))
        )
    overlaps = []
    for country, held in sorted(by_country.items()):
        held.sort(key=lambda h: (h.first, h.last, h.holder))
        for i, one in enumerate(held):
            for other in held[i + 1 :]:
                start, end = max(one.first, other.first), min(one.last, other.last)
                if one.holder != other.holder and start <= end:
                    overlaps.append(
                        HeadsOfStateOverlap(
                            country,
                            one.holder,
                            other.holder,
                            start,
                            end,
                            _attesting(one, start, end),
                            _attesting(other, start, end),
                        )
                    )
    return overlaps


def _name(graph: Graph, node) -> str:
    label = graph.value(node, RDFS.label)
    return str(label) if label is not None else str(node)


def _attesting(held: _Attested, start: str, end: str) -> tuple[tuple[str, str], ...]:
    """Return the articles (id, date) that attest `held` from `start` to `end`; when none is
    dated inside, the last before and the first after, whose period spans it."""
    inside = [(a, d) for d, a in held.articles if start <= d <= end]
    if inside:
        return tuple(inside)
    before = [(a, d) for d, a in held.articles if d < start][-1:]
    after = [(a, d) for d, a in held.articles if d > end][:1]
    return tuple(before + after)
