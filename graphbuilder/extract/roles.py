"""Roles from titles: "US Representative to the UN Linda Thomas-Greenfield",
"North Korea's Ambassador to the UN, Kim Song", "Guterres, the UN secretary-general".

A title phrase is a title from the lexicon with what may stand around it: modifiers
("First Vice"), a jurisdiction before it (an actor, a possessive, a demonym), and
prepositional phrases after it ("to the United Nations", "of Togo"). The holder is
the person right after the phrase (pre-nominal title or apposition) or right before
it (post-nominal apposition, or a title on the line under a name). A definite title
with no name ("the Secretary-General") refers back to the person who holds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Doc

from ..model import Evidence, Role
from . import lexicon
from .actors import DocumentActors, Mention

_ENTITY_WORDS = lexicon.entity_words()  # word sets documented in data/entities.json
_POSSESSIVE = {"'s", "’s", "'", "’"}
_ROLES = lexicon.titles()  # what the rules know of the role values
_JURISDICTION_TYPES = ("Country", "Organization")
_PREPS = {"to", "at", "for", "of", "in"}
_DEFINITE = {"the", "this", "that"}
_INDEFINITE = {"a", "an", "every", "each", "any", "another", "some"}
_POSSESSIVE_PRONOUNS = {"his", "her", "its", "their", "our"}
_OWN_COUNTRY = _ENTITY_WORDS["own_country"]
_REGION_WORDS = _ENTITY_WORDS["region_words"]


@dataclass
class TitlePhrase:
    """A title with its surroundings, as found in the text."""

    start: int
    end: int
    title: lexicon.Title
    title_start: int
    title_end: int
    of: str | None = None
    to: str | None = None
    lower_rank: bool = False
    not_current: bool = False
    determiner: str | None = None
    pronoun_at: int | None = None  # "his Special Envoy": who "his" is decides `of`
    holder: Mention | None = None

    @property
    def role(self) -> str:
        if self.lower_rank:
            return _ROLES.lower_post
        if self.title.role in _ROLES.leaders and self.of and _actor_type(self.of) == "Organization":
            return _ROLES.lower_post  # the president of a commission or a bank
        if self.title.country_role and self.of and _actor_type(self.of) == "Country":
            return self.title.country_role  # a country's High Commissioner is its envoy
        return self.title.role


@dataclass(frozen=True)
class HeldTitle:
    """A title the text gives a person without saying whose post it is, or as a past post."""

    holder: str
    role: str
    title: str | None
    current: bool  # False for "former president"
    evidence: Evidence


@dataclass
class RoleFinder:
    """Finds roles and title coreference in one document."""

    titles: lexicon.Titles = field(default_factory=lexicon.titles)

    def find(self, doc: Doc, found: DocumentActors) -> list[Role]:
        """Return the roles of the document; add mentions for titles that stand for a person."""
        matches = sorted(self._titles(doc, found), key=lambda match: match[0])
        phrases = [p for p in (self._phrase(doc, found, s, e, t) for s, e, t in matches) if p is not None]
        # A title inside another's phrase ("the UN Secretary-General's Personal Envoy") is
        # part of that phrase, not a post of its own.
        phrases = [
            p
            for p in phrases
            if not any(
                q is not p and q.start <= p.title_start and p.title_end <= q.title_start for q in phrases
            )
        ]
        starts = {p.title_start if p.determiner is None else p.start: p for p in phrases}
        starts.update({p.start: p for p in phrases})
        roles: dict[tuple[str, str], Role] = {}
        holders: list[tuple[TitlePhrase, Role]] = []
        for index, phrase in enumerate(phrases):
            phrase.holder = self._holder(doc, found, phrase, starts)
            if phrase.holder is not None:
                for i in range(phrase.start, phrase.end):
                    found.title_holder.setdefault(i, phrase.holder)
            if phrase.holder is None:
                self._corefer(doc, found, phrase, holders)
                if phrase.of is not None and found.at(phrase.title_start) is None:
                    found.open_titles.append((phrase.start, phrase.end, phrase.role, phrase.of))
                continue
            if phrase.not_current:
                found.held_titles.append(
                    HeldTitle(phrase.holder.name, phrase.role, None, False, _phrase_evidence(doc, phrase))
                )
                continue
            if phrase.title.role == _ROLES.relative:
                # "Blinken met ... hours before talks with Russian counterpart Sergey Lavrov":
                # the counterpart holds the post of the last titled person before.
                if not holders or phrase.of is None:
                    continue
                phrase.title = replace(phrase.title, role=holders[-1][1].role)
            self._fill_jurisdiction(doc, found, phrase, phrases[:index], holders)
            if (phrase.title.needs_to and not phrase.to) or phrase.of is None:
                # "President Hugo Chavez", "Ambassador Haley": whose post, the text leaves
                # to the reader's knowledge (see holders.py).
                found.held_titles.append(
                    HeldTitle(
                        phrase.holder.name,
                        phrase.role,
                        doc[phrase.title_start : phrase.title_end].text,
                        True,
                        _phrase_evidence(doc, phrase),
                    )
                )
                continue
            role = Role(
                holder=phrase.holder.name,
                role=phrase.role,
                of=phrase.of,
                to=phrase.to if phrase.role in _ROLES.posted else None,
                title=doc[phrase.title_start : phrase.title_end].text,
                evidence=_phrase_evidence(doc, phrase),
                rule="title-" + ("before" if phrase.holder.start >= phrase.end else "after"),
            )
            key = (role.holder, role.role)
            if key in roles:
                known = roles[key]
                known.to = known.to or role.to
                continue
            roles[key] = role
            holders.append((phrase, role))
        for phrase, role in holders:
            if role.role in _ROLES.posted and role.to is None:
                role.to = _summoned_by(doc, found, phrase, role.of)
        for phrase in phrases:
            if phrase.holder is None and phrase.of is not None:
                # "sanction Iran's foreign minister" ... "Foreign Minister Mohammad Javad Zarif"
                self._corefer(doc, found, phrase, holders, forward=True)
        return list(roles.values())

    def offices(self, doc: Doc, found: DocumentActors) -> list[tuple[str, str]]:
        """Return the (role, of) of every title that names one body's office by itself
        ("the Secretary-General": official of the United Nations)."""
        return [
            (title.role, title.default_of) for _, _, title in self._titles(doc, found) if title.default_of
        ]

    # -- title phrases ----------------------------------------------------------------

    def _titles(self, doc: Doc, found: DocumentActors):
        """Yield (start, end, Title) for every title in the text, longest match first."""
        i = len(doc) - 1
        while i >= 0:
            match = None
            for title in self.titles.by_last_word.get(doc[i].lower_, ()):
                n = len(title.words)
                if i - n + 1 >= 0 and all(doc[i - k].lower_ == title.words[-1 - k] for k in range(n)):
                    match = (i - n + 1, i + 1, title)
                    break
            if match and not self._inside_named_actor(found, match[0], match[1]):
                yield match
                i = match[0] - 1
            else:
                i -= 1

    @staticmethod
    def _inside_named_actor(found: DocumentActors, start: int, end: int) -> bool:
        return any((m := found.at(i)) is not None and m.type != "Person" for i in range(start, end))

    def _phrase(
        self, doc: Doc, found: DocumentActors, start: int, end: int, title: lexicon.Title
    ) -> TitlePhrase | None:
        phrase = TitlePhrase(start=start, end=end, title=title, title_start=start, title_end=end)
        i = start - 1
        # Leftwards: modifiers, departments, the jurisdiction, a determiner. The parser's
        # sentence splits are not trusted here (it splits after "(ROK)").
        while i >= 0 and not _boundary(doc[i]):
            token = doc[i]
            mention = found.at(i)
            word = token.lower_
            if mention is not None and mention.end - 1 == i and self._jurisdiction(mention, found):
                phrase.of = phrase.of or self._jurisdiction(mention, found)
                i = mention.start
            elif (
                mention is not None
                and mention.type == "Location"
                and mention.end - 1 == i
                and phrase.of is None
            ):
                # "Galguduud regional Governor", "Tigray region president": a region's own
                # officials, not a state's head.
                phrase.of, phrase.lower_rank = mention.name, True
                i = mention.start
            elif mention is not None:
                break
            elif (
                word in _REGION_WORDS
                and i + 1 < start
                and doc[i + 1].text in _POSSESSIVE
                and phrase.of is None
            ):
                # "the region's Governor Oleksandr Prokudin": the region last named.
                place = next((m for m in found.before(i, 80) if m.type == "Location"), None)
                if place is None:
                    break
                phrase.of, phrase.lower_rank = place.name, True
            elif (
                word in _REGION_WORDS
                and (before := found.at(i - 1)) is not None
                and before.type == "Location"
            ):
                pass  # "Tigray region president"
            elif (
                word in _REGION_WORDS
                and phrase.of is None
                and i > 0
                and found.at(i - 1) is None
                and doc[i - 1].pos_ == "PROPN"
                and doc[i - 1].is_title
            ):
                # A region the model did not name: "Galguduud regional Governor".
                first = i - 1
                while (
                    first > 0
                    and found.at(first - 1) is None
                    and doc[first - 1].pos_ == "PROPN"
                    and doc[first - 1].is_title
                    and not _boundary(doc[first - 1])
                ):
                    first -= 1
                surface = doc[first:i].text
                found.add(Mention(first, i, surface, "Location", surface, "ner"))
                phrase.of, phrase.lower_rank = surface, True
                i = first
            elif token.text in _POSSESSIVE or token.text in "()":
                pass
            elif word in self.titles.lower_rank:
                phrase.lower_rank = True
            elif word in self.titles.not_current:
                phrase.not_current = True
            elif (
                word in self.titles.modifiers
                or word == "-"
                or word in self.titles.department_words
                or (word in self.titles.all_words and i < start - 1)
            ):
                pass  # "foreign ministry spokesman", "Secretary-General's Personal Envoy"
            elif word in _OWN_COUNTRY and i > 0 and doc[i - 1].lower_ in _POSSESSIVE_PRONOUNS:
                # "his country's supreme leader": the country of whoever "his" is
                phrase.pronoun_at = i - 1
                phrase.start = i - 1
                break
            elif word in _DEFINITE or word in _INDEFINITE:
                phrase.determiner = word
                phrase.start = i
                break
            elif word in _POSSESSIVE_PRONOUNS:
                phrase.pronoun_at = i
                phrase.start = i
                break
            else:
                break
            phrase.start = i
            i -= 1
        i = end
        # Rightwards: "to the UN (UN)", "of Togo", "for the Russian foreign ministry",
        # "in Manila" (an envoy's post, by its capital).
        capitals = lexicon.gazetteer().capitals
        while i + 1 < len(doc) and doc[i].lower_ in _PREPS:
            prep = doc[i].lower_
            j = i + 1
            if doc[j].lower_ == "the":
                j += 1
            mention = found.at(j)
            if mention is None and prep in ("for", "of") and phrase.of is None:
                served = self._served_title(doc, j)
                if served is not None:
                    # "spokesman for the Secretary-General": the post serves the body
                    # whose office that is.
                    phrase.of = served.default_of
                    phrase.end = i = j + len(served.words)
                    continue
            if mention is None or mention.start != j:
                break
            name = self._jurisdiction(mention, found)
            if prep == "in" or mention.type == "Location":
                # Only a capital gives a place's country ("ambassador in Manila"); an envoy
                # "for West Africa" serves a region, which is no actor's post.
                if mention.surface not in capitals or phrase.title.role not in _ROLES.posted:
                    break
                name = capitals[mention.surface]
            if name is None:
                break
            envoy = phrase.title.role in _ROLES.posted
            if (prep in ("to", "at", "in") or (prep == "for" and envoy)) and phrase.to is None:
                phrase.to = name
            elif prep in ("of", "for") and phrase.of is None:
                phrase.of = name
            i = mention.end
            while i < len(doc) and doc[i].lower_ in self.titles.department_words:
                i += 1  # "... foreign ministry"
            if i + 2 < len(doc) and doc[i].text == "(" and doc[i + 2].text == ")":
                i += 3
            phrase.end = i
        return phrase

    def _served_title(self, doc: Doc, start: int) -> lexicon.Title | None:
        """Return the title written from `start` that belongs to one body ("Secretary-General")."""
        for end in range(min(len(doc), start + 5), start, -1):
            for title in self.titles.by_last_word.get(doc[end - 1].lower_, ()):
                if (
                    title.default_of
                    and len(title.words) == end - start
                    and all(doc[start + k].lower_ == w for k, w in enumerate(title.words))
                ):
                    return title
        return None

    def _jurisdiction(self, mention: Mention, found: DocumentActors) -> str | None:
        """Return whom a post qualified by this actor serves: the country of a department."""
        if mention.name in self.titles.departments:
            return self.titles.departments[mention.name]
        if mention.name in found.departments:
            return found.departments[mention.name]
        return mention.name if mention.type in _JURISDICTION_TYPES else None

    # -- holders ----------------------------------------------------------------------

    def _holder(
        self,
        doc: Doc,
        found: DocumentActors,
        phrase: TitlePhrase,
        starts: dict[int, TitlePhrase] | None = None,
        depth: int = 0,
    ) -> Mention | None:
        if phrase.determiner in _INDEFINITE:
            # "a US ambassador called" names no one; "Ann Lee, a State Department
            # spokesperson," and "a spokeswoman for X, Irina Petrova," do.
            return self._apposed(doc, found, phrase)
        after = _skip(doc, phrase.end, +1)
        while after is not None and after < len(doc) - 1 and doc[after].lower_ in self.titles.honorifics:
            after += 1  # "supreme leader, Ayatollah Ali Khamenei"
        following = (starts or {}).get(after) if after is not None else None
        if following is not None and following is not phrase and depth < 2 and doc[phrase.end].text == ",":
            # "the African Union Mediator, President Faure Gnassingbé": one person, two posts
            return self._holder(doc, found, following, starts, depth + 1)
        mention = found.at(after) if after is not None else None
        if mention is None and after is not None and doc[after].lower_ == "for":
            # "Secretary of State for Foreign Affairs David Lammy": the portfolio, then the name.
            i = after + 1
            while (
                i < len(doc)
                and found.at(i) is None
                and (doc[i].is_title or doc[i].lower_ in ("and", ",", "&"))
                and i - after < 8
            ):
                i += 1
            named = found.at(i) if i < len(doc) and i > after + 1 else None
            if named is not None and named.type == "Person" and named.start == i:
                mention, after = named, i
        if (
            (mention is None or mention.type != "Person")
            and after is not None
            and doc[after].lower_ in _PREPS
        ):
            mention = self._after_phrase(doc, found, after)  # "envoy for the dialogue ..., X"
            after = mention.start if mention is not None else after
        if mention is not None and mention.type == "Person" and mention.start == after:
            if mention.end < len(doc) and doc[mention.end].lower_ == "of":
                # "President Faure Gnassingbé of Togo"
                nxt = found.at(mention.end + 1)
                if nxt is not None and nxt.type == "Country" and phrase.of is None:
                    phrase.of = nxt.name
            return mention
        before = _skip(doc, phrase.start - 1, -1)
        mention = found.at(before) if before is not None else None
        if mention is not None and mention.type == "Person" and mention.end - 1 == before:
            return mention
        return self._copula_subject(doc, found, phrase)

    @staticmethod
    def _after_phrase(doc: Doc, found: DocumentActors, start: int) -> Mention | None:
        """Return the person named after a comma that ends a short verbless phrase."""
        for i in range(start, min(start + 12, len(doc) - 1)):
            token = doc[i]
            if token.pos_ in ("VERB", "AUX") or _boundary(token):
                return None
            if token.text == ",":
                mention = found.at(i + 1)
                if mention is not None and mention.type == "Person" and mention.start == i + 1:
                    return mention
                return None
        return None

    @staticmethod
    def _apposed(doc: Doc, found: DocumentActors, phrase: TitlePhrase) -> Mention | None:
        if phrase.end < len(doc) - 1 and doc[phrase.end].text == ",":
            mention = found.at(phrase.end + 1)
            if mention is not None and mention.type == "Person" and mention.start == phrase.end + 1:
                return mention
        if phrase.start > 1 and doc[phrase.start - 1].text == ",":
            mention = found.at(phrase.start - 2)
            if mention is not None and mention.type == "Person" and mention.end == phrase.start - 1:
                return mention
        return None

    @staticmethod
    def _copula_subject(doc: Doc, found: DocumentActors, phrase: TitlePhrase) -> Mention | None:
        """Return X in "X is Russia's foreign minister" or "X, who is Russia's foreign minister"."""
        head = doc[phrase.title_end - 1]
        if (
            head.dep_ != "attr"
            or head.head.lemma_ != "be"
            or any(c.dep_ == "neg" for c in head.head.children)
        ):
            return None
        for child in head.head.children:
            if child.dep_ != "nsubj":
                continue
            if child.lower_ in ("who", "that") and head.head.dep_ == "relcl":
                child = head.head.head  # "Lavrov, who is ..."
            mention = found.at(child.i)
            if mention is not None and mention.type == "Person":
                return mention
        return None

    def _fill_jurisdiction(
        self,
        doc: Doc,
        found: DocumentActors,
        phrase: TitlePhrase,
        earlier: list[TitlePhrase],
        holders: list[tuple[TitlePhrase, Role]],
    ) -> None:
        if phrase.of is None and phrase.pronoun_at is not None:
            owner = _previous_person(found, phrase.pronoun_at)
            for other, role in reversed(holders):
                if owner is not None and role.holder == owner.name:
                    phrase.of = role.of
                    break
        if phrase.of is None and earlier:
            # "Israeli Prime Minister Benjamin Netanyahu, Defense Minister Yoav Gallant and
            # President Isaac Herzog": one country's officials, listed.
            phrase.of = _listed_with(doc, earlier[-1], phrase)
        if phrase.of is None:
            phrase.of = _list_jurisdiction(doc, found, phrase)
        if phrase.of is None:
            # "every US president ... President Joe Biden": the same title, qualified earlier.
            for other in reversed(earlier):
                if other.title.words == phrase.title.words and other.of:
                    phrase.of = other.of
                    break
        if phrase.of is None and phrase.title.default_of and phrase.title.default_of in found.types:
            phrase.of = phrase.title.default_of
        elif phrase.of is None and phrase.title.default_of:
            phrase.of = phrase.title.default_of
            found.types.setdefault(phrase.of, _default_type(phrase.of))

    def _corefer(
        self,
        doc: Doc,
        found: DocumentActors,
        phrase: TitlePhrase,
        holders: list[tuple[TitlePhrase, Role]],
        forward: bool = False,
    ) -> None:
        """Let "the Secretary-General" stand for the person who holds that title.

        Backwards, a definite title takes the last holder before it; `forward` lets a
        title with its jurisdiction ("Iran's foreign minister") take a holder named later.
        """
        definite = phrase.determiner in _DEFINITE or (
            phrase.determiner is None and doc[phrase.title_start].is_title
        )
        if forward:
            definite = phrase.determiner not in _INDEFINITE
        if not definite or phrase.pronoun_at is not None or found.at(phrase.title_start):
            return
        words = {t.lower_ for t in doc[phrase.title_start : phrase.title_end]}
        if not forward:
            words |= {
                t.lower_
                for t in doc[phrase.start : phrase.title_start]
                if t.lower_ not in _DEFINITE and found.at(t.i) is None
            }
        candidates = holders if forward else list(reversed(holders))
        for other, role in candidates:
            if forward and other.start < phrase.start:
                continue
            # "the Deputy Secretary" is "Deputy Secretary of State Wendy Sherman", but
            # "First Vice Foreign Minister" is not the "Japanese Vice Foreign Minister".
            other_words = {t.lower_ for t in doc[other.start : other.end]}
            # "the Paraguayan Head of State" is whoever the text made Paraguay's head of
            # state, whatever his title ("President Santiago Peña").
            generic = (
                phrase.title.words in _GENERIC_TITLES
                and phrase.of is not None
                and (phrase.role, phrase.of) == (role.role, role.of)
            )
            if (words <= other_words or generic) and (phrase.of is None or phrase.of == role.of):
                start = phrase.start
                while start < phrase.title_start and (
                    found.at(start) is not None
                    or doc[start].lower_ in _DEFINITE
                    or doc[start].text in _POSSESSIVE
                ):
                    start += 1
                found.add(
                    Mention(
                        start,
                        phrase.end,
                        role.holder,
                        "Person",
                        doc[start : phrase.end].text,
                        "title-coreference",
                    )
                )
                return


_GENERIC_TITLES = frozenset(tuple(t.split()) for t in _ENTITY_WORDS["generic_titles"])


def name_open_titles(doc: Doc, found: DocumentActors, roles: list[Role]) -> None:
    """Let a title with its country but no name stand for the one person the roles give that post.

    "Kyrgyzstan's interim president says she has asked Russia ...", in an article whose
    roles (from its text or the office-holder knowledge) make Roza Otunbayeva
    Kyrgyzstan's head of state: the title is her, and so is "she".
    """
    for start, end, role, of in found.open_titles:
        holders = {r.holder for r in roles if (r.role, r.of) == (role, of)}
        people = [found.at(i) for i in range(start, end)]
        if len(holders) != 1 or any(m is not None and m.type == "Person" for m in people):
            continue
        title_start = start
        while title_start < end and (
            found.at(title_start) is not None
            or doc[title_start].lower_ == "the"
            or doc[title_start].text in _POSSESSIVE
        ):
            title_start += 1
        if title_start < end:
            holder = holders.pop()
            found.add(
                Mention(title_start, end, holder, "Person", doc[title_start:end].text, "title-coreference")
            )


def _actor_type(name: str) -> str | None:
    entry = lexicon.gazetteer().entries.get(name)
    return entry.type if entry else None


def _listed_with(doc: Doc, previous: TitlePhrase, phrase: TitlePhrase) -> str | None:
    """Return the jurisdiction of the titled person listed just before this one, if any.

    Only a list with commas carries it ("A, B and C"): "Secretary Blinken and Foreign
    Minister Wang Yi" pairs two countries' officials.
    """
    if previous.of is None or previous.holder is None or phrase.title_start != phrase.start:
        return None
    gap = doc[max(previous.end, previous.holder.end) : phrase.start]
    words = [t.lower_ for t in gap]
    if words == [","]:
        return previous.of
    if words in (["and"], [",", "and"]) and previous.start > 0 and doc[previous.start - 1].text == ",":
        return previous.of  # the last of a list of three or more
    return None


def _list_jurisdiction(doc: Doc, found: DocumentActors, phrase: TitlePhrase) -> str | None:
    """Return Saudi Arabia for titles listed after "senior Saudi leaders: King Salman, ..."."""
    i = phrase.start - 1
    sent_start = doc[phrase.start].sent.start
    while i > sent_start and doc[i].text != ":":
        if doc[i].text in (".", ";"):
            return None
        i -= 1
    if i <= sent_start:
        return None
    noun = doc[i - 1]
    if noun.tag_ not in ("NNS", "NNPS"):
        return None
    for child in noun.children:
        mention = found.at(child.i)
        if (
            child.dep_ in ("amod", "compound", "poss")
            and mention is not None
            and mention.type in _JURISDICTION_TYPES
        ):
            return mention.name
    return None


_SUMMONS = _ENTITY_WORDS["summoning_verbs"]


def _summoned_by(doc: Doc, found: DocumentActors, phrase: TitlePhrase, of: str | None) -> str | None:
    """Return the country that summons or expels an ambassador: where the envoy is posted.

    "Indian officials summoned the Pakistan high commissioner Salman Bashir": posted to India.
    """
    assert phrase.holder is not None
    for token in doc[min(phrase.start, phrase.holder.start) : max(phrase.end, phrase.holder.end)]:
        verb = token.head
        if (
            token.dep_ != "dobj"
            or verb.lemma_.lower() not in _SUMMONS
            or (verb.lemma_.lower() == "call" and not any(c.lower_ == "in" for c in verb.children))
        ):
            continue
        for subject in (c for c in verb.children if c.dep_ == "nsubj"):
            for word in (subject, *subject.children):
                mention = found.at(word.i)
                if mention is not None and mention.type == "Country" and mention.name != of:
                    return mention.name
    return None


def _boundary(token) -> bool:
    return token.text in (".", "!", "?", ";", ":") or (token.is_space and "\n" in token.text)


def _skip(doc: Doc, i: int, step: int) -> int | None:
    """Return the next index from i in direction `step` past commas, "the" and line breaks."""
    commas = 0
    while 0 <= i < len(doc):
        token = doc[i]
        if token.is_space or token.text in ("[", "]"):
            i += step
        elif token.text == "," and commas == 0:
            commas += 1
            i += step
        elif token.lower_ == "the" and step > 0:
            i += step
        else:
            return i
    return None


def _previous_person(found: DocumentActors, before: int) -> Mention | None:
    return next((m for m in found.before(before, before) if m.type == "Person"), None)


def _default_type(name: str) -> str:
    entry = lexicon.gazetteer().entries.get(name)
    return entry.type if entry else "Organization"


def _phrase_evidence(doc: Doc, phrase: TitlePhrase) -> Evidence:
    assert phrase.holder is not None
    return _evidence(doc, min(phrase.start, phrase.holder.start), max(phrase.end, phrase.holder.end))


def _evidence(doc: Doc, start: int, end: int) -> Evidence:
    span = doc[start:end]
    return Evidence(text=span.text, start=span.start_char, end=span.end_char, sentence=span.sent.text.strip())
