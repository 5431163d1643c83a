"""One identity per real-world actor across documents.

Countries and organizations take their gazetteer name and Wikidata ID whatever form a
document used ("U.S.", "America"). Person names merge across documents only when
they are the same words up to hyphens, case, dots and accents ("Kim Jong-un" / "Kim
Jong Un", "Faure Gnassingbé" / "Faure Gnassingbe") or name the same Wikidata entity
(office-holder knowledge gives it), never on a shared surname.

Last, names that are one up to letter case ("NATO", "Nato"), whatever the actors'
types, take one spelling everywhere, the one most articles give: the RDF mapping gives
them one IRI (rdf.mapping.actor_key), so they are one actor. Nothing else merges:
"Foo Bar" and "Foo-Bar" stay two actors unless both are people.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace

from ..extract import lexicon
from ..model import Actor, Extraction, accents, name_key
from ..rdf.mapping import actor_key, most_given


def resolve(extractions: list[Extraction]) -> list[Extraction]:
    """Return the extractions with actor names made canonical across all of them."""
    gazetteer = lexicon.gazetteer()
    spellings: dict[tuple[str, ...], dict[str, None]] = defaultdict(dict)
    for extraction in sorted(extractions, key=lambda e: e.document.id):
        for actor in extraction.actors:
            if actor.type == "Person":
                spellings[name_key(actor.name)][actor.name] = None
    # The spelling with the most accents names the person ("Faure Gnassingbé", not
    # "Faure Gnassingbe"); among equals the first seen in article-id order (max keeps
    # the first), so the choice never depends on the order the articles came in.
    people = {key: max(names, key=accents) for key, names in spellings.items()}
    # One Wikidata entity is one person whatever the articles call them ("Tamim bin Hamad
    # Al Thani" / "Tamim bin Hamad al-Thani"): the first name seen, in article-id order,
    # with the most accents.
    by_entity: dict[str, dict[str, None]] = defaultdict(dict)
    for extraction in sorted(extractions, key=lambda e: e.document.id):
        for actor in extraction.actors:
            if actor.type == "Person" and actor.wikidata:
                by_entity[actor.wikidata][people[name_key(actor.name)]] = None
    entity_name = {qid: max(names, key=accents) for qid, names in by_entity.items()}
    for extraction in extractions:
        for actor in extraction.actors:
            if actor.type == "Person" and actor.wikidata:
                people[name_key(actor.name)] = entity_name[actor.wikidata]
    resolved = [
        _rename(extraction, lambda actor: _canonical(actor, gazetteer, people)) for extraction in extractions
    ]
    return _one_spelling_per_key(resolved)


def _one_spelling_per_key(extractions: list[Extraction]) -> list[Extraction]:
    """Return the extractions with every name spelled as most articles spell its actor key."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for extraction in extractions:
        for actor in extraction.actors:
            spellings[actor_key(actor.name)][actor.name] += 1
    spelling = {name: most_given(names) for names in spellings.values() if len(names) > 1 for name in names}
    if not spelling:
        return extractions
    return [
        _rename(extraction, lambda actor: (spelling.get(actor.name, actor.name), actor.type, actor.wikidata))
        for extraction in extractions
    ]


def _canonical(
    actor: Actor, gazetteer: lexicon.Gazetteer, people: dict[tuple[str, ...], str]
) -> tuple[str, str, str | None]:
    """Return the canonical name, type and Wikidata entity of one actor of one article."""
    canonical, actor_type, wikidata = actor.name, actor.type, actor.wikidata
    if actor.type == "Person":
        canonical = people.get(name_key(actor.name), actor.name)
    elif actor.type in ("Country", "Organization", "Group"):
        # A Group named by a demonym ("North Koreans") stays people, not the state.
        forms = [actor.name, *actor.aliases]
        entry = next(
            (
                gazetteer.lookup(form)
                for form in forms
                if gazetteer.lookup(form) and (actor.type != "Group" or form in gazetteer.aliases)
            ),
            None,
        )
        if entry is not None:
            canonical, actor_type = entry.name, entry.type
            wikidata = wikidata or entry.wikidata
    return canonical, actor_type, wikidata


def _rename(
    extraction: Extraction, canonical_of: Callable[[Actor], tuple[str, str, str | None]]
) -> Extraction:
    """Return the extraction with each actor named as `canonical_of` says, actors that
    become one merged, and roles and relations following their actors' new names."""
    rename: dict[str, str] = {}
    merged: dict[str, Actor] = {}
    for actor in extraction.actors:
        canonical, actor_type, wikidata = canonical_of(actor)
        rename[actor.name] = canonical
        forms = [f for f in [actor.name, *actor.aliases] if f != canonical]
        if canonical in merged:
            known = merged[canonical]
            known.aliases.extend(f for f in forms if f not in known.aliases)
            known.wikidata = known.wikidata or wikidata
        else:
            merged[canonical] = Actor(name=canonical, type=actor_type, aliases=forms, wikidata=wikidata)
    roles, seen_roles = [], set()
    for role in extraction.roles:
        role = replace(
            role,
            holder=rename.get(role.holder, role.holder),
            of=rename.get(role.of, role.of) if role.of is not None else None,
            to=rename.get(role.to, role.to) if role.to is not None else None,
        )
        role_key = (role.holder, role.role, role.of, role.to)
        if role_key not in seen_roles:
            seen_roles.add(role_key)
            roles.append(role)
    relations, seen_relations = [], set()
    for relation in extraction.relations:
        relation = replace(
            relation,
            subject=rename.get(relation.subject, relation.subject),
            object=rename.get(relation.object, relation.object),
        )
        relation_key = (relation.subject, relation.predicate, relation.object)
        if relation_key not in seen_relations and relation.subject != relation.object:
            seen_relations.add(relation_key)
            relations.append(relation)
    return Extraction(
        document=extraction.document, actors=list(merged.values()), roles=roles, relations=relations
    )
