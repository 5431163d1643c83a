"""What the articles say together, as the named graph `{base}graph/_corpus`.

Article graphs hold what each article says (its reports); this graph holds what only the
whole set of articles gives, recomputed on every build from all of them:

- one gb:Happening per act however many articles report it (rdf/happenings.py), with
  its report count, independent sources, best-supported date, combined confidence, its
  PLOVER type and mode and its CAMEO code (data/event-codes.json), and
  `prov:wasDerivedFrom` each report (the article graphs' gb:Event nodes);
- each actor's ISO 3166-1 alpha-3 country code (a country's own, a person's from the
  country their posts serve) and, for people, their PLOVER sector (GOV, MIL) from their
  posts.

An article id starts with a letter or digit (model.ID_RULE), so `_corpus` names no article.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from rdflib import URIRef

from ..model import Extraction
from ..resources import DEFAULT_BASE, read_data
from .happenings import Happening
from .mapping import RELATION_SHORTCUTS, actor_key, event_iri, most_given, node_hash

#: The last segment of the corpus graph's IRI.
CORPUS_GRAPH = "_corpus"

#: Words of a title that make its holder military (PLOVER sector MIL), not government.
_MILITARY = re.compile(
    r"\b(general|admiral|commander|colonel|major|marshal|army|military|armed forces|navy|"
    r"air force|defen[cs]e forces|chief of (the )?(general |defen[cs]e )?staff)\b",
    re.IGNORECASE,
)


def corpus_graph_iri(base: str = DEFAULT_BASE) -> URIRef:
    """Return the IRI of the named graph of what the articles say together."""
    return URIRef(f"{base}graph/{CORPUS_GRAPH}")


@dataclass(frozen=True)
class EventCode:
    """An event's codes in PLOVER (type, mode) and CAMEO."""

    plover: str
    mode: str | None
    cameo: str
    cameo_label: str
    quad: int


@functools.lru_cache(maxsize=1)
def _codes() -> dict:
    return json.loads(read_data("event-codes.json"))


def plover_types() -> tuple[str, ...]:
    """Return PLOVER's event types, as data/event-codes.json lists them."""
    return tuple(_codes()["plover_types"])


def event_code(
    predicate: str, agent_country: str | None = None, target_country: str | None = None
) -> EventCode:
    """Return the codes of a `predicate` event between actors of these countries (ISO alpha-3).

    A sanction between actors of one country is repression at home: PLOVER's COERCE.
    """
    table = _codes()
    entry = table["predicates"][predicate]
    if predicate == "sanctioned" and agent_country and agent_country == target_country:
        entry = table["sanctioned_domestic"]
    return EventCode(
        entry["plover"], entry["mode"], entry["cameo"], entry["cameo_label"], table["quad"][entry["plover"]]
    )


@dataclass(frozen=True)
class ActorCodes:
    """An actor's country code (ISO 3166-1 alpha-3) and, for a person, PLOVER sector."""

    country: str | None = None
    sector: str | None = None


def actor_codes(extractions: Iterable[Extraction]) -> dict[str, ActorCodes]:
    """Return, per actor key, the codes the gazetteer and the actor's posts give.

    A country has its own code; an organization none (the PLOVER export names its kind); a
    person the code of the country most of their posts serve (`of`), and the sector GOV for
    any post unless the titles written for most of them are military ones (MIL).
    """
    from ..extract.lexicon import gazetteer

    known = gazetteer()
    extractions = list(extractions)
    codes: dict[str, ActorCodes] = {}
    countries: dict[str, str] = {}
    for extraction in extractions:
        for actor in extraction.actors:
            entry = known.entries.get(actor.name) or known.lookup(actor.name)
            if actor.type == "Country" and entry is not None and entry.iso3:
                countries[actor_key(actor.name)] = entry.iso3
    served: dict[str, Counter[str]] = defaultdict(Counter)
    sectors: dict[str, Counter[str]] = defaultdict(Counter)
    for extraction in extractions:
        for role in extraction.roles:
            holder = actor_key(role.holder)
            if role.of and actor_key(role.of) in countries:
                served[holder][countries[actor_key(role.of)]] += 1
            sectors[holder]["MIL" if role.title and _MILITARY.search(role.title) else "GOV"] += 1
    for key, code in countries.items():
        codes[key] = ActorCodes(country=code)
    for extraction in extractions:
        for actor in extraction.actors:
            key = actor_key(actor.name)
            if actor.type == "Person" and key not in codes and (served[key] or sectors[key]):
                codes[key] = ActorCodes(
                    country=most_given(served[key]) if served[key] else None,
                    sector=most_given(sectors[key]) if sectors[key] else None,
                )
    return codes


def happening_iri(first_report: URIRef, base: str = DEFAULT_BASE) -> URIRef:
    """Return the IRI of the happening whose first report (first published) is `first_report`."""
    return URIRef(f"{base}happening/{node_hash(str(first_report))}")


def corpus_triples(
    extractions: list[Extraction],
    base: str = DEFAULT_BASE,
    window: int | None = None,
    found: list[Happening] | None = None,
) -> list[tuple]:
    """Return the distinct triples of the corpus graph, as pyoxigraph terms (see the module).

    `extractions` are the build's, resolved; `window` is the event window in days (None:
    every report is its own happening); `found`, the happenings when the caller has them
    already (the build counts them for its report).
    """
    from ..extract.lexicon import predicates
    from .happenings import happenings
    from .mapping import _vocabulary
    from .tenures import tenure_triples

    v = _vocabulary()
    ox = v.ox
    gb = "https://w3id.org/graphbuilder/ontology#"

    def term(name: str):
        return ox.NamedNode(gb + name)

    codes = actor_codes(extractions)
    triples: list[tuple] = []
    for key, actor in sorted(codes.items()):
        node = v.actor(key, base)
        if actor.country:
            triples.append((node, term("countryCode"), v.text(actor.country)))
        if actor.sector:
            triples.append((node, term("sector"), v.text(actor.sector)))
    if found is None:
        found = happenings(extractions, window, predicates().symmetric)
    for happening in found:
        reports = [event_iri(r.article, r.relation, base) for r in happening.reports]
        node = v.iri(str(happening_iri(reports[0], base)))
        agent, target = actor_key(happening.agent), actor_key(happening.target)
        code = event_code(
            happening.predicate,
            codes.get(agent, ActorCodes()).country,
            codes.get(target, ActorCodes()).country,
        )
        triples += [
            (node, v.type, term("Happening")),
            (node, term("relationType"), v.term(RELATION_SHORTCUTS[happening.predicate])),
            (node, term("agent"), v.actor(happening.agent, base)),
            (node, term("target"), v.actor(happening.target, base)),
            (node, term("reportCount"), v.typed(str(happening.articles), v.xsd_integer)),
            (node, term("sourceCount"), v.typed(str(happening.sources), v.xsd_integer)),
            (node, term("ploverType"), v.text(code.plover)),
            (node, term("quadClass"), v.typed(str(code.quad), v.xsd_integer)),
            (node, term("cameoCode"), v.text(code.cameo)),
        ]
        if code.mode:
            triples.append((node, term("ploverMode"), v.text(code.mode)))
        if happening.date:
            datatype = v.xsd_month if len(happening.date) == 7 else v.xsd_date
            triples.append((node, term("date"), v.typed(happening.date, datatype)))
        for name, day in (
            ("firstReported", happening.first_reported),
            ("lastReported", happening.last_reported),
        ):
            if day:
                triples.append((node, term(name), v.typed(day, v.xsd_date)))
        if happening.confidence is not None:
            value = str(Decimal(str(happening.confidence)))
            triples.append((node, term("confidence"), v.typed(value, v.xsd_decimal)))
        triples += [(node, v.derived_from, v.iri(str(report))) for report in dict.fromkeys(reports)]
    triples += tenure_triples(extractions, base)
    return list(dict.fromkeys(triples))
