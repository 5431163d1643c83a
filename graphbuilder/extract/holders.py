"""Who a person is, and what post they hold, from the office-holder table at the article's date.

News names the powerful the way readers know them: "President Hugo Chavez" (of where is
left to the reader), "Secretary Kerry" with no first name, "its leader Kim Jong Un" or
"Xi Jinping" with no title. The text is read first (roles.py); knowledge then fills what
the text leaves out, never against it:

- identity: a surname the article gives alone ("Kiir", "Kerry") is the office holder of
  that name on the article's day, when exactly one person fits and the country or body
  they serve is named in the article; any person who held an office that day gets the
  Wikidata entity of that holder (owl:sameAs in the graph);
- a title without its post ("President Hugo Chavez", "Ambassador Haley") takes the post of
  the holding with the same role that the person held that day (rule "knowledge",
  confidence TITLED);
- a person named with no title at all takes the post they held that day, if it is one
  post (a president who is head of state and of government is head of state), and
  preferably one whose country or body the article names (confidence NAMED);
- a bare "Spokesman" in a statement a government or body issues is its spokesperson.

Nothing here happens for a person the text gives a post of their own (the text wins), a
past post ("former president"), or an article without a date.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc

from ..model import Evidence, Role, name_key
from . import lexicon
from .actors import NOT_A_NAME, DocumentActors, Mention
from .knowledge import PARTICLES, Holding, OfficeHolders, office_holders
from .roles import HeldTitle

#: How sure a post from knowledge is when the text gives its title ("President Kiir") ...
TITLED = 0.9
#: ... and when the text names the person with no title at all.
NAMED = 0.75
RULE = "knowledge"
_ROLES = lexicon.titles()  # what the rules know of the role values
_HEADS = _ROLES.leaders


@dataclass
class HolderKnowledge:
    """Applies the office-holder table to one document's actors and roles."""

    table: OfficeHolders = field(default_factory=office_holders)

    def identify(self, found: DocumentActors, published: str | None, issuer: str | None) -> None:
        """Give surnames their holder's full name and known people their Wikidata entity."""
        day = _day(published)
        if day is None:
            return
        for name in sorted({m.name for m in found.mentions if m.type == "Person"}):
            holdings = self.table.held_by(name, day)
            if not holdings:
                holdings = self._by_surname(found, name, day, issuer)
            if holdings:
                _know(found, _rename(found, name, holdings), holdings)
            elif len(name_key(name)) > 1:
                # A former or future holder named in full is still that person.
                entity = _entity(self.table.held_by(name))
                if entity:
                    found.wikidata.setdefault(name, entity)

    def _by_surname(
        self, found: DocumentActors, word: str, day: _dt.date, issuer: str | None, role: str | None = None
    ) -> list[Holding]:
        """Return the holdings of the one person `word` can be, among those the article's
        countries and bodies had that day (with `role`, a title's, given names count too)."""
        if len(name_key(word)) != 1:
            return []
        candidates = [
            h
            for h in self.table.held_by_surname(word, day, first=role is not None)
            if role is None or h.role == role
        ]
        people = {h.wikidata or h.name for h in candidates}
        if len(people) != 1:
            return []
        if role is None and not any(h.of in _mentioned(found, issuer) for h in candidates):
            return []  # a surname with no title: only where its country is in view
        return candidates

    def roles(
        self, doc: Doc, found: DocumentActors, roles: list[Role], published: str | None, issuer: str | None
    ) -> list[Role]:
        """Return `roles` with the posts the text leaves to knowledge added."""
        day = _day(published)
        if day is not None:
            roles = [self._checked(role, day) for role in roles]
        placed = {r.holder for r in roles}
        titles: dict[str, list[HeldTitle]] = defaultdict(list)
        for held in found.held_titles:
            titles[held.holder].append(held)
        added: list[Role] = []
        for name, first in _people(found):
            if name in placed or any(not t.current for t in titles.get(name, ())):
                continue  # the text gives the post, or says it is a past one
            given = titles.get(name, [])
            holdings = found.holdings.get(name, [])
            if given and day and not holdings:
                # "President Yoon", "Foreign Minister Adel bin Ahmed al-Jubeir": the title
                # says which office to look in.
                for held in given:
                    holdings = self._by_surname(found, name, day, issuer, held.role) or [
                        h for h in self.table.held_by_longer_name(name, day) if h.role == held.role
                    ]
                    if len({h.wikidata or h.name for h in holdings}) == 1:
                        name = _rename(found, name, holdings)
                        _know(found, name, holdings)
                        break
                    holdings = []
            if given:
                added.extend(self._titled(name, given, holdings, issuer))
            elif holdings and not _only_a_modifier(doc, found, name):
                added.extend(self._named(doc, name, first, holdings, found))
        for role in added:
            # A state's head, minister or envoy serves a country; an official, a body.
            if role.of is not None:
                found.types.setdefault(
                    role.of, "Organization" if role.role == _ROLES.lower_post else "Country"
                )
        return roles + added

    def office_holder(self, offices: list[tuple[str, str]], published: str | None) -> Mention | None:
        """Return the one person who held one of `offices` on the day, as a mention of no
        words: "Statement attributable to the Secretary-General" speaks for its holder."""
        day = _day(published)
        if day is None:
            return None
        people = {h.name: h for role, of in offices for h in self.table.holders(role, of, day)}
        if len(people) != 1:
            return None
        name = next(iter(people))
        return Mention(-1, -1, name, "Person", name, "headline")

    def _checked(self, role: Role, day: _dt.date) -> Role:
        """Return a head's role with the country knowledge gives, when the text's cannot be.

        "President Erdoğan of Turkey and President Putin of Russia" misread as Putin of
        Turkey: Turkey had another president that day and Putin was Russia's.
        """
        if role.role not in _HEADS or not role.of:
            return role
        own = [h for h in self.table.held_by(role.holder, day) if h.role == role.role]
        others = self.table.holders(role.role, role.of, day)
        if (
            len({h.of for h in own}) == 1
            and own[0].of != role.of
            and others
            and not any(h in own for h in others)
        ):
            return replace(role, of=own[0].of, rule=RULE, confidence=TITLED)
        return role

    @staticmethod
    def _titled(name: str, given: list[HeldTitle], holdings: list[Holding], issuer: str | None) -> list[Role]:
        """Place the first title that a holding of the same role explains."""
        for held in given:
            fitting = [h for h in holdings if h.role == held.role]
            if fitting:
                h = _preferred(fitting)
                return [
                    Role(
                        holder=name,
                        role=h.role,
                        of=h.of,
                        to=h.to if h.role in _ROLES.posted else None,
                        title=held.title,
                        evidence=held.evidence,
                        rule=RULE,
                        confidence=TITLED,
                    )
                ]
        for held in given:
            if held.role in _ROLES.speaks_for_issuer and issuer:
                # "Statement by Sean McCormack, Spokesman": the issuer's spokesman.
                return [
                    Role(
                        holder=name,
                        role=held.role,
                        of=issuer,
                        title=held.title,
                        evidence=held.evidence,
                        rule="title-issuer",
                    )
                ]
        return []

    @staticmethod
    def _named(
        doc: Doc, name: str, first: Mention, holdings: list[Holding], found: DocumentActors
    ) -> list[Role]:
        """Give a person named without a title the one post they held that day."""
        named = [h for h in holdings if h.of in found.types]
        if named:
            holdings = named
        if len({h.of for h in holdings}) > 1:
            return []  # the monarch of fifteen realms, none of them named
        if {h.role for h in holdings} == set(_HEADS):
            holdings = [h for h in holdings if h.role == _HEADS[0]]
        if len({h.role for h in holdings}) > 1:
            return []
        h = _preferred(holdings)
        span = doc[first.start : first.end]
        evidence = Evidence(
            text=span.text, start=span.start_char, end=span.end_char, sentence=span.sent.text.strip()
        )
        return [
            Role(
                holder=name,
                role=h.role,
                of=h.of,
                to=h.to if h.role in _ROLES.posted else None,
                title=None,
                evidence=evidence,
                rule=RULE,
                confidence=NAMED,
            )
        ]


def _mentioned(found: DocumentActors, issuer: str | None) -> set[str | None]:
    """Return the countries and bodies the article names, by name or by their capital."""
    capitals = lexicon.gazetteer().capitals
    return (
        set(found.types) | {issuer} | {capitals[m.surface] for m in found.mentions if m.surface in capitals}
    )


def _know(found: DocumentActors, name: str, holdings: list[Holding]) -> None:
    found.holdings[name] = holdings
    entity = _entity(holdings)
    if entity:
        found.wikidata.setdefault(name, entity)


def _rename(found: DocumentActors, name: str, holdings: list[Holding]) -> str:
    """Call the person the text names `name` (a surname) by the holder's name; return it."""
    if not holdings or len(name_key(name)) != 1:
        return name
    full = _short_form(holdings[0], name)
    if full == name or full in found.types:
        return name  # already named in full, or someone else is
    for mention in found.mentions:
        if mention.name == name:
            mention.name = full
    found.types[full] = found.types.pop(name, "Person")
    return full


def _short_form(holding: Holding, word: str) -> str:
    """Return the holder's name as news writes it, up to `word`: "Salva Kiir" of "Salva Kiir
    Mayardit"; the whole name when `word` comes first or a particle follows it ("Lula da Silva")."""
    tokens = holding.name.split()
    key = name_key(word)[0]
    for i, token in enumerate(tokens):
        if key in name_key(token):
            if (
                i == 0
                or i + 1 >= len(tokens)
                or name_key(tokens[i + 1])[:1]
                and name_key(tokens[i + 1])[0] in PARTICLES
            ):
                return holding.name
            return " ".join(tokens[: i + 1])
    return holding.name


def _only_a_modifier(doc: Doc, found: DocumentActors, name: str) -> bool:
    """Return whether every mention of `name` only qualifies a noun: "the Trump administration"."""
    mentions = [m for m in found.mentions if m.name == name and m.rule not in NOT_A_NAME]
    return bool(mentions) and all(
        doc[m.end - 1].dep_ in ("compound", "poss", "amod", "nmod") and doc[m.end - 1].head.i >= m.end
        for m in mentions
    )


def _people(found: DocumentActors) -> list[tuple[str, Mention]]:
    """Return each person the text names, with their first mention by name."""
    first: dict[str, Mention] = {}
    for mention in sorted(found.mentions, key=lambda m: m.start):
        if mention.type == "Person" and mention.rule not in NOT_A_NAME and mention.name not in first:
            first[mention.name] = mention
    return sorted(first.items(), key=lambda item: item[1].start)


def _preferred(holdings: list[Holding]) -> Holding:
    """Return the holding to cite: the one with the latest start (the current term)."""
    return max(holdings, key=lambda h: (h.start or _dt.date.min, h.of, h.office))


def _entity(holdings: list[Holding]) -> str | None:
    entities = {h.wikidata for h in holdings if h.wikidata}
    return entities.pop() if len(entities) == 1 else None


def _day(published: str | None) -> _dt.date | None:
    if not published:
        return None
    try:
        return _dt.date.fromisoformat(published[:10])
    except ValueError:
        return None
