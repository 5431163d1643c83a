"""Actor mentions in a parsed document, merged into one actor per real-world participant.

Mentions come from two sources: the gazetteer (countries, organizations, demonyms, as
written in news) and spaCy's named entities. Inside a document, surnames and
shortened forms link to the full name, and an acronym in brackets after a name
("Democratic Republic of the Congo (DRC)") becomes an alias of that name.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..model import Actor, Link, name_key
from . import lexicon
from .knowledge import office_holders

_ENTITY_WORDS = lexicon.entity_words()  # word sets documented in data/entities.json
_NER_TYPES = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Location",
    "LOC": "Location",
    "FAC": "Location",
    "NORP": "Group",
}
_POSSESSIVE = {"'s", "’s", "'", "’"}
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9.&-]{1,9}$")


#: Rules whose mentions refer to an actor without naming it.
NOT_A_NAME = frozenset({"pronoun", "title-coreference", "definite-description", "issuer-we", "author-i"})
#: Rules worth showing a reviewer: every way words were read as an actor other than its name.
LINK_RULES = NOT_A_NAME | {"acronym", "capital-metonym", "name-variant"}


@dataclass
class Mention:
    """A stretch of tokens [start, end) that names an actor."""

    start: int
    end: int
    name: str  # canonical name of the actor, after in-document merging
    type: str
    surface: str  # the text as written (without "the" or a possessive ending)
    rule: str  # how it was found: gazetteer, demonym, ner, acronym, title-coreference, ...


@dataclass
class DocumentActors:
    """The mentions of one document and the actors they name."""

    mentions: list[Mention] = field(default_factory=list)
    by_token: dict[int, Mention] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    wikidata: dict[str, str] = field(default_factory=dict)
    # Tokens of a title phrase -> the person who holds it: in "met with Republic of Korea
    # First Vice Foreign Minister Cho", the one met is Cho, not the Republic of Korea.
    title_holder: dict[int, Mention] = field(default_factory=dict)
    # Tokens that stand for several actors at once ("these allies", "both parties").
    groups: dict[int, list[Mention]] = field(default_factory=dict)
    # Titles with no post the text places ("President Kiir") or a past one: roles.HeldTitle.
    held_titles: list = field(default_factory=list)
    # Titles that name a post without its holder ("Kyrgyzstan's interim president"):
    # (start, end, role, of), for the holder the roles settle on (`name_open_titles`).
    open_titles: list[tuple[int, int, str, str]] = field(default_factory=list)
    # Department actor -> its country: "Peruvian Interior Ministry" -> Peru.
    departments: dict[str, str] = field(default_factory=dict)
    # Person name -> the offices the office-holder table says they held that day (holders.py).
    holdings: dict[str, list] = field(default_factory=dict)

    _starts: list[int] = field(default_factory=list)
    _ordered: list[Mention] = field(default_factory=list)

    def add(self, mention: Mention) -> None:
        """Record a mention unless its tokens already belong to another one."""
        if any(i in self.by_token for i in range(mention.start, mention.end)):
            return
        self.mentions.append(mention)
        at = bisect.bisect_right(self._starts, mention.start)
        self._starts.insert(at, mention.start)
        self._ordered.insert(at, mention)
        for i in range(mention.start, mention.end):
            self.by_token[i] = mention
        self.types.setdefault(mention.name, mention.type)

    def before(self, token_index: int, window: int) -> Iterator[Mention]:
        """Yield the mentions that end before a token, nearest first, within `window` tokens."""
        for k in range(bisect.bisect_left(self._starts, token_index) - 1, -1, -1):
            mention = self._ordered[k]
            if token_index - mention.start > window:
                return
            if mention.end <= token_index:
                yield mention

    def remove(self, mention: Mention) -> None:
        """Drop one mention."""
        self.mentions.remove(mention)
        at = self._ordered.index(mention)
        del self._ordered[at], self._starts[at]
        for i in range(mention.start, mention.end):
            self.by_token.pop(i, None)

    def forget(self, names: set[str]) -> None:
        """Drop every mention of the actors `names` (words that name no actor after all)."""
        for mention in [m for m in self.mentions if m.name in names]:
            self.remove(mention)
        for name in names:
            self.types.pop(name, None)
            self.wikidata.pop(name, None)

    def at(self, token_index: int) -> Mention | None:
        """Return the mention covering a token, if any."""
        return self.by_token.get(token_index)

    def actors(self) -> list[Actor]:
        """Return one Actor per canonical name, with every other surface form as an alias."""
        surfaces: dict[str, list[str]] = defaultdict(list)
        order: list[str] = []
        for mention in sorted(self.mentions, key=lambda m: m.start):
            if mention.name not in surfaces:
                order.append(mention.name)
                surfaces[mention.name] = []
            if mention.rule in NOT_A_NAME:
                continue  # "she" and "the Secretary-General" are not aliases
            if mention.surface != mention.name and mention.surface not in surfaces[mention.name]:
                surfaces[mention.name].append(mention.surface)
        votes = self._votes()
        return [
            Actor(
                name=name,
                type=self._vote(name, votes),
                aliases=surfaces[name],
                wikidata=self.wikidata.get(name),
            )
            for name in order
        ]

    def links(self, doc: Doc) -> list[Link]:
        """Return every mention that is not the actor's own name, with the rule that linked it."""
        result = []
        for m in sorted(self.mentions, key=lambda m: m.start):
            rule = (
                m.rule
                if m.rule in LINK_RULES
                else ("name-variant" if m.type == "Person" and m.surface != m.name else None)
            )
            if rule:
                span = doc[m.start : m.end]
                result.append(
                    Link(mention=span.text, start=span.start_char, end=span.end_char, actor=m.name, rule=rule)
                )
        return result

    def _votes(self) -> dict[str, Counter]:
        votes: dict[str, Counter] = defaultdict(Counter)
        for m in self.mentions:
            if m.rule in ("gazetteer", "demonym"):
                votes[m.name]["gazetteer"] += 1
            elif m.rule not in NOT_A_NAME:
                votes[m.name][m.type] += 1
        return votes

    def _vote(self, name: str, votes: dict[str, Counter]) -> str:
        """Return the type most mentions of `name` have; the gazetteer's when it knows it."""
        counts = {t: n for t, n in votes.get(name, {}).items() if t != "gazetteer"}
        if "gazetteer" in votes.get(name, {}) or not counts:
            return self.types[name]
        return max(counts, key=lambda t: (counts[t], t == "Person"))


class ActorFinder:
    """Finds actor mentions; built once per pipeline because the gazetteer matcher is."""

    def __init__(self, nlp) -> None:
        self.nlp = nlp
        self.gazetteer = lexicon.gazetteer()
        self.titles = lexicon.titles()
        raw = lexicon.load_data("entities.json")
        self.non_actor_heads = frozenset(raw["non_actor_heads"])
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        forms = list(self.gazetteer.aliases) + list(self.gazetteer.demonyms)
        self.matcher.add("GAZETTEER", [nlp.make_doc(form) for form in forms])
        self.people_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.people_matcher.add("HOLDERS", [nlp.make_doc(name) for name in _holder_names()])

    def non_actors(self, doc: Doc, found: DocumentActors, publisher: str | None) -> set[str]:
        """Return the names found that are no party to the news.

        A news agency names itself in its datelines and credits ("VOA's Brian Wagner has
        this report", "GENEVA (Reuters) -"), and "the Trump administration" names a
        government by its head. A government's or body's own statement is another matter (see issuer).
        """
        names: set[str] = set()
        publisher = (publisher or "").split(" (")[0].strip()  # "Voice of America (VOA News)"
        initials = "".join(w[0].upper() for w in publisher.split())
        outlet = bool(publisher) and self.issuer(publisher) is None  # a news outlet, not a government
        for mention in found.mentions:
            surface = mention.surface
            dateline = (
                mention.start > 0
                and doc[mention.start - 1].text == "("
                and mention.end < len(doc)
                and doc[mention.end].text == ")"
                and mention.start < 8
                and doc[0].is_upper
            )
            # "VOA's Kurdish service", "VOA's Brian Wagner": the outlet at work; in "told
            # VOA" it is spoken to, a party like any other.
            own = (
                outlet
                and (surface == publisher or (len(initials) > 1 and surface == initials))
                and mention.end < len(doc)
                and doc[mention.end].text in _POSSESSIVE
            )
            if mention.type == "Organization" and (own or dateline):
                names.add(mention.name)
        for name in {m.name for m in found.mentions if m.type == "Person"}:
            mentions = [m for m in found.mentions if m.name == name and m.rule not in NOT_A_NAME]
            if mentions and all(
                doc[m.end - 1].dep_ in ("compound", "nmod")
                and doc[m.end - 1].head.lemma_.lower() in _GOVERNMENT_NOUNS
                for m in mentions
            ):
                names.add(name)  # "the Biden administration" is a government, not Biden
        for mention in found.mentions:
            before = found.at(mention.start - 2) if mention.start > 1 else None
            if (
                mention.type == "Person"
                and before is not None
                and before.name in names
                and doc[mention.start - 1].text in _POSSESSIVE
            ):
                names.add(mention.name)  # "VOA's Brian Wagner"
        return names

    def issuer(self, publisher: str | None) -> str | None:
        """Return the country or organization a publisher speaks for ("U.S. Department of State")."""
        if not publisher:
            return None
        spans = self._gazetteer_spans(self.nlp.make_doc(publisher))
        # The publisher's name must begin with the country or body ("U.S. Department of
        # State", "United Nations"): "Voice of America" is a news outlet, not America.
        return next((name for span, name, _ in spans if name and span.start == 0), None)

    def find(self, doc: Doc) -> DocumentActors:
        """Return the actor mentions of a parsed document."""
        found = DocumentActors()
        gazetteer_spans = self._gazetteer_spans(doc)
        by_token = {i: item for item in gazetteer_spans for i in range(item[0].start, item[0].end)}
        entities = [
            self._person_by_title(span)
            for ent in doc.ents
            for part in _split_possessive(ent)
            for span in [self._clean_entity(part)]
            if span
        ]
        countries = {
            item[0].start: item[0]
            for item in gazetteer_spans
            if item[1] and self.gazetteer.entries[item[1]].type == "Country"
        }
        entities = _whole_names(self._known_people(doc, entities), countries)
        dropped: set[int] = set()
        spans: list[tuple[Span, str | None, str]] = []
        for ent in entities:
            inside = {id(by_token[i]): by_token[i] for i in range(ent.start, ent.end) if i in by_token}
            if (
                inside
                and self._entity_type(ent) is None
                and (ent.label_ != "ORG" or self._government_of(ent) is None)
            ):
                continue  # "the Paraguayan Head of State": a post; Paraguay stays
            if (
                ent.label_ in ("ORG", "LOC", "FAC", "PERSON")
                and inside
                and all(
                    item[0].start >= ent.start and item[0].end <= ent.end and len(item[0]) < len(ent)
                    for item in inside.values()
                )
            ):
                # "U.S. Treasury Department" is an organization, "Taiwan Strait" a place
                # and "Neil Holland" a person, not the United States, Taiwan or the Netherlands.
                dropped.update(inside)
            elif inside:
                continue
            spans.append((ent, None, "ner"))
        spans += [item for item in gazetteer_spans if id(item) not in dropped]
        spans.sort(key=lambda item: (item[0].start, -len(item[0])))
        person_names = _merge_person_names(
            [_surface(s) for s, name, _ in spans if name is None and s.label_ == "PERSON"],
            self.titles.patronymic,
        )
        surnames = {full.split()[-1] for full in person_names.values() if full and " " in full}
        for span, name, rule in spans:
            if name is not None:
                entry = self.gazetteer.entries[name]
                found.add(Mention(span.start, span.end, name, entry.type, span.text, rule))
                if entry.wikidata:
                    found.wikidata[name] = entry.wikidata
                continue
            country = self._government_of(span) if span.label_ == "ORG" else None
            if country is not None:  # "the Government of Kosovo", "the Nepalese Government"
                found.add(Mention(span.start, span.end, country, "Country", _surface(span), "gazetteer"))
                continue
            actor_type = self._entity_type(span)
            if actor_type is None:
                continue
            if actor_type in ("Person", "Organization") and _named_as_place(span, found):
                actor_type = "Location"  # "the towns of Manbij and Tel Rifaat"
            if actor_type in ("Organization", "Location") and _surface(span) in surnames:
                # "the Trump administration": a person's name, not an organization; a
                # surname the model took for a place ("Blinken held talks") is the person's.
                continue
            surface = _surface(span)
            canonical = person_names.get(surface, surface) if actor_type == "Person" else surface
            if canonical is None:
                continue  # an ambiguous surname ("Kim" with two Kims in the text)
            found.add(Mention(span.start, span.end, canonical, actor_type, surface, rule))
        _link_acronyms(doc, found)
        _recover_surnames(doc, found)
        _recover_places(doc, found)
        _split_elliptical(doc, found)
        _peoples(doc, found)
        self._departments(doc, found)
        return found

    # -- sources ----------------------------------------------------------------------

    def _gazetteer_spans(self, doc: Doc) -> list[tuple[Span, str | None, str]]:
        matches = [Span(doc, start, end) for _, start, end in self.matcher(doc)]
        result: list[tuple[Span, str | None, str]] = []
        for span in _longest_first(matches):
            surface = span.text
            before = doc[span.start - 1] if span.start > 0 else None
            if (
                len(span) == 1
                and before is not None
                and before.is_title
                and (
                    before.lower_.rstrip(".") in self.titles.honorifics
                    or before.lower_ in self.titles.by_last_word
                )
            ):
                # "Ambassador Holland", "President Jordan": a person's name, not the country.
                result.append((Span(doc, span.start, span.end, label="PERSON"), None, "ner"))
            elif surface in self.gazetteer.aliases:
                result.append((span, self.gazetteer.aliases[surface], "gazetteer"))
            elif span[-1].tag_ in ("NNS", "NNPS") or surface.endswith("s"):
                # "North Koreans" are people of the country, a Group (SCHEMA.md), not the country.
                result.append((Span(doc, span.start, span.end, label="NORP"), None, "ner"))
            else:
                result.append((span, self.gazetteer.demonyms[surface], "demonym"))
        return result

    def _clean_entity(self, ent: Span) -> Span | None:
        """Return the entity without a leading "the", titles, honorifics or a possessive ending."""
        if ent.label_ not in _NER_TYPES:
            return None
        start, end = ent.start, ent.end
        doc = ent.doc
        # An entity never spans a line break: headers put name and title on separate lines.
        for i in range(start, end):
            if doc[i].is_space or "\n" in doc[i].text_with_ws[:-1]:
                end = i if doc[i].is_space else i + 1
                break
        while end > start and (doc[end - 1].text in _POSSESSIVE or doc[end - 1].is_punct):
            end -= 1
        while start < end and (
            doc[start].lower_ == "the" or doc[start].is_punct and doc[start].text not in "[]"
        ):
            start += 1
        if ent.label_ == "PERSON":
            while start < end - 1 and self._is_title_word(doc[start]):
                start += 1
        if start >= end:
            return None
        label = ent.label_
        if label == "PERSON" and end - start > 1 and doc[end - 1].lower_ in _BODY_HEADS:
            label = "ORG"  # "Tigray People's Liberation Front" names no person
        span = Span(doc, start, end, label=label)
        if all(self._is_title_word(t) for t in span):
            return None
        return span

    def _departments(self, doc: Doc, found: DocumentActors) -> None:
        """Make "Peru's interior ministry" and "the Russian foreign ministry" organizations.

        A department named with its country is a body of its own that acts and speaks
        ("Britain's Defense Ministry said"), not the country; `found.departments` keeps
        whose it is, for the posts it qualifies ("foreign ministry spokeswoman").
        """
        for mention in list(found.mentions):
            if mention.type == "Organization":
                # The model's own "Russian Foreign Ministry": whose it is.
                country = self._department_of(doc[mention.start : mention.end])
                if country:
                    found.departments[mention.name] = country
                continue
            if mention.type != "Country":
                continue
            i = mention.end + (mention.end < len(doc) and doc[mention.end].text in _POSSESSIVE)
            end = i
            while (
                end < len(doc)
                and end - i < 4
                and doc[end].lower_ in self.titles.department_words
                and doc[i : end + 1][-2:-1].text.lower() not in _DEPARTMENT_HEADS
            ):
                end += 1
            if end == i or doc[end - 1].lower_ not in _DEPARTMENT_HEADS:
                continue
            inside = list({id(m): m for k in range(i, end) if (m := found.at(k))}.values())
            if any(m.type != "Organization" or m.start < i or m.end > end for m in inside):
                continue
            if (
                end < len(doc)
                and doc[end].lower_ in self.titles.all_words
                and doc[end].lower_ not in self.titles.department_words
            ):
                continue  # "the foreign ministry spokeswoman": a post, named by roles.py
            for m in inside:
                found.remove(m)
            demonym = self.gazetteer.adjective.get(mention.name, mention.name)
            name = " ".join([demonym, *(t.text.capitalize() for t in doc[i:end])])
            # The country keeps its own words: "Britain's" still names the United Kingdom.
            found.add(Mention(i, end, name, "Organization", doc[mention.start : end].text, "department"))
            found.departments[name] = mention.name

    def _department_of(self, span: Span) -> str | None:
        """Return the country of a department's name ("Russian Foreign Ministry" -> Russia)."""
        if len(span) < 2 or span[-1].lower_ not in _DEPARTMENT_HEADS:
            return None
        for k in range(len(span) - 1, 0, -1):
            head, rest = span[:k].text, span[k:]
            if all(t.lower_ in self.titles.department_words for t in rest):
                entry = self.gazetteer.lookup(head)
                if entry is not None and entry.type == "Country":
                    return entry.name
        return None

    def _known_people(self, doc: Doc, entities: list[Span]) -> list[Span]:
        """Return the entities with every office holder's name the text writes in full as a
        person ("Xi Jinping", which the model may miss or take for a place)."""
        spans = [Span(doc, start, end, label="PERSON") for _, start, end in self.people_matcher(doc)]
        spans = [
            s
            for s in _longest_first(spans)
            if not any(e.label_ == "PERSON" and e.start <= s.start and s.end <= e.end for e in entities)
        ]
        if not spans:
            return entities
        taken = {i for s in spans for i in range(s.start, s.end)}
        kept = [e for e in entities if not any(i in taken for i in range(e.start, e.end))]
        return sorted(kept + spans, key=lambda e: e.start)

    def _is_title_word(self, token) -> bool:
        word = token.lower_
        if word.endswith("s") and word[:-1] in self.titles.all_words and token.tag_.startswith("NN"):
            word = word[:-1]  # "Prime Ministers Alexis Tsipras ... and Zoran Zaev"
        return (
            word in self.titles.all_words
            or word in self.titles.modifiers
            or word in self.titles.lower_rank
            or word in self.titles.honorifics
            or word == "-"
        )

    def _person_by_title(self, span: Span) -> Span:
        """Return an organization-tagged name as a person when a title is in apposition to it.

        spaCy tags some unfamiliar names as organizations; "Freedonia's Prime Minister, Ilir
        Dushku" and "Lars-Erik Holm, United Nations Assistant Secretary-General," name
        people all the same.
        """
        if span.label_ != "ORG" or span.text in self.gazetteer.aliases or len(span) > 4:
            return span
        doc = span.doc
        if any(t.lower_ in self.non_actor_heads or not t.is_title and t.text != "-" for t in span):
            return span
        before = span.start - 2
        if (
            before >= 0
            and doc[span.start - 1].text == ","
            and doc[before].lemma_.lower() in self.titles.heads
        ):
            return Span(doc, span.start, span.end, label="PERSON")
        if span.end < len(doc) and doc[span.end].text == ",":
            for token in doc[span.end + 1 : min(span.end + 8, len(doc))]:
                if token.text == "," or token.pos_ in ("VERB", "AUX"):
                    break
                if (
                    token.lemma_.lower() in self.titles.heads
                    and token.i + 1 < len(doc)
                    and doc[token.i + 1].text in (",", "for", "of", "to")
                ):
                    return Span(doc, span.start, span.end, label="PERSON")
        return span

    def _government_of(self, span: Span) -> str | None:
        """Return the country of "Government of X" / "X Government", if the gazetteer knows X."""
        words = [t.lower_ for t in span]
        if "government" not in words and "governments" not in words:
            return None
        for _, start, end in self.matcher(span.as_doc()):
            entry = self.gazetteer.lookup(span.as_doc()[start:end].text)
            if entry is not None and entry.type == "Country":
                return entry.name
        return None

    def _entity_type(self, span: Span) -> str | None:
        actor_type = _NER_TYPES[span.label_]
        if span.text in self.gazetteer.capitals:
            return "Location"  # spaCy sometimes takes "Yerevan" for a person
        if span[-1].lower_ in self.non_actor_heads or not any(t.text[:1].isupper() for t in span):
            return None  # a document, or a common noun ("the foreign ministry")
        if any("/" in t.text or t.is_digit and len(t.text) > 2 for t in span):
            return None  # a document symbol ("S/PRST/2017/16"), a resolution number
        if any(self._is_title_word(t) for t in span) and all(
            self._is_title_word(t) or t.lower_ in ("of", "the") or t.text in self.gazetteer.demonyms
            for t in span
        ):
            return None  # a post, not its holder: "Paraguayan Head of State"
        if actor_type == "Group" and span[-1].tag_ not in ("NNPS", "NNS"):
            return None  # an adjective such as "Western" names no one
        if actor_type == "Person" and span.text in self.gazetteer.aliases:
            return None
        return actor_type


def _surface(span: Span) -> str:
    """Return an entity's text without editorial brackets: "[Donald] Trump" is "Donald Trump"."""
    return re.sub(r"\s+", " ", re.sub(r"[\[\]]", "", span.text)).strip()


def _split_possessive(ent: Span) -> list[Span]:
    """Return an organization entity cut at an inner possessive: "Coalition Air Force's
    Joint Operations Centre" names the Coalition Air Force and its centre."""
    cuts = [t.i for t in ent[1:-1] if t.text in _POSSESSIVE] if ent.label_ == "ORG" else []
    if not cuts:
        return [ent]
    parts, start = [], ent.start
    for cut in cuts:
        parts.append(Span(ent.doc, start, cut, label=ent.label_))
        start = cut + 1
    parts.append(Span(ent.doc, start, ent.end, label=ent.label_))
    return [p for p in parts if len(p)]


def _longest_first(spans: list[Span]) -> list[Span]:
    """Return non-overlapping spans, preferring the longest."""
    chosen: list[Span] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda s: (-len(s), s.start)):
        if not any(i in taken for i in range(span.start, span.end)):
            chosen.append(span)
            taken.update(range(span.start, span.end))
    return sorted(chosen, key=lambda s: s.start)


def _merge_person_names(surfaces: list[str], patronymic: frozenset[str]) -> dict[str, str | None]:
    """Map each person surface form to its fullest form in the document (None when ambiguous).

    A form links to a longer one when its words end the longer one ("Zarif",
    "Javad Zarif" -> "Mohammad Javad Zarif"), or when it is one word that begins it
    (family name first: "Cho" -> "Cho Hyundong"), or when both share the surname and
    the first initial ("Mike Pompeo" / "Michael R. Pompeo"). A form that ends a longer
    one just after "bin"/"ibn"/... names the father, not the same person.
    """
    distinct = list(dict.fromkeys(surfaces))
    keys = {s: name_key(s) for s in distinct}

    def covers(long: tuple[str, ...], short: tuple[str, ...]) -> bool:
        if len(long) <= len(short):
            return long == short
        if long[-len(short) :] == short:
            return long[-len(short) - 1] not in patronymic
        if len(short) == 1 and long[0] == short[0]:
            return True
        return (
            len(short) >= 2
            and short[-1] == long[-1]
            and short[0][0] == long[0][0]
            and long[0] != short[0]
            and len(long) > len(short)
        )

    result: dict[str, str | None] = {}
    for surface in distinct:
        key = keys[surface]
        fuller = [t for t in distinct if t != surface and len(keys[t]) > len(key) and covers(keys[t], key)]
        # Keep only the maximal forms: "Zarif" is covered by both "Javad Zarif" and
        # "Mohammad Javad Zarif", which are one person.
        maximal = [
            t
            for t in fuller
            if not any(covers(keys[u], keys[t]) and u != t and len(keys[u]) > len(keys[t]) for u in fuller)
        ]
        same = {keys[t] for t in maximal}
        if not maximal:
            result[surface] = surface
        elif len(same) == 1:
            result[surface] = maximal[0]
        else:
            result[surface] = None
    # Forms with the same key ("Kim Jong-un", "Kim Jong Un") take the first one written.
    first_by_key: dict[tuple[str, ...], str] = {}
    for surface in distinct:
        target = result[surface]
        if target is not None:
            result[surface] = first_by_key.setdefault(keys[target], target)
    return result


_PLACE_NOUNS = _ENTITY_WORDS["place_nouns"]
_DEPARTMENT_HEADS = _ENTITY_WORDS["department_heads"]
_GOVERNMENT_NOUNS = _ENTITY_WORDS["government_nouns"]
_POSTED_HEADS = _ENTITY_WORDS["posted_heads"]


_BODY_HEADS = _ENTITY_WORDS["body_heads"]
#: "the war in Afghanistan", "a rally in Argentina": where something happened.
_LOCATIVE = frozenset({"in", "at", "near", "inside", "across", "throughout"})


def only_where(doc: Doc, found: DocumentActors, name: str) -> bool:
    """Return whether the text names `name` only as where things happen: "the conflict in
    Sudan", "in Nairobi, Kenya". Such a place is no party to the news (SCHEMA.md)."""
    mentions = [m for m in found.mentions if m.name == name]
    if not mentions:
        return False
    for m in mentions:
        before = m.start - 1
        if before >= 0 and doc[before].lower_ == "the":
            before -= 1
        if before < 0:
            return False
        if doc[before].lower_ in _LOCATIVE:
            continue
        place = found.at(before - 1) if doc[before].text == "," and before > 0 else None
        if place is not None and place.type == "Location":
            continue  # "Nairobi, Kenya"
        return False
    return True


def _holder_names() -> list[str]:
    """Return every name of an office holder written in two words or more."""
    return sorted({n for h in office_holders().holdings for n in h.names if " " in n})


def _whole_names(entities: list[Span], countries: dict[int, Span]) -> list[Span]:
    """Return organization entities carried through the words the model cut them at.

    "the Communist Party of Nepal (Maoist)", "the United Nations Organization Stabilization
    Mission in the Democratic Republic of the Congo", "the Saudi Centre for Studies and
    Media Affairs": one name each. A second name after "and" joins only when it is part of
    the first one's last phrase ("for Studies and Media Affairs"), or when the first name
    only modifies it ("UN Protocol and Liaison Service").
    """
    result: list[Span] = []
    skip_to = -1
    for k, ent in enumerate(entities):
        if ent.start < skip_to:
            continue
        if ent.label_ != "ORG":
            result.append(ent)
            continue
        doc, end = ent.doc, ent.end
        if (
            end + 2 < len(doc)
            and doc[end].text == "("
            and doc[end + 2].text == ")"
            and doc[end + 1].is_title
            and not doc[end + 1].is_upper
        ):
            end += 3  # "(Maoist)"; not an acronym "(CPN)"
        elif end + 1 < len(doc) and doc[end - 1].lemma_.lower() in _POSTED_HEADS and doc[end].lower_ == "in":
            j = end + 1 + (doc[end + 1].lower_ == "the")
            if j in countries:
                end = countries[j].end  # "Mission in the Sudan"
        elif end + 2 < len(doc) and doc[end].lower_ == "and" and doc[end + 1].is_title:
            last, run = doc[end - 1], end + 1
            while run < len(doc) and doc[run].is_title and doc[run].pos_ == "PROPN":
                run += 1
            joined = doc[end + 1 : run]
            inner = (
                last.dep_ == "pobj"
                and ent.start <= last.head.i < end
                and any(t.dep_ == "conj" and t.head.i == last.i for t in joined)
            )
            modifier = ent.root.dep_ in ("compound", "nmod") and end < ent.root.head.i < run
            if len(joined) and (inner or modifier):
                end = run
        if end != ent.end:
            ent = Span(doc, ent.start, end, label="ORG")
            skip_to = end
        result.append(ent)
    return result


def _named_as_place(span: Span, found: DocumentActors) -> bool:
    """Return whether the text names `span` as a place whatever the model took it for.

    "provincial capitals Goma and Bukavu", "the Amhara and Afar regions", "the towns of
    Manbij and Tel Rifaat", "in Nassir, Bentiu, and elsewhere": a place noun governs the
    name (or a name it is listed with), or the name is listed with a place.
    """
    head = span.root
    while head.dep_ == "conj" and head.head.i < head.i:
        head = head.head
        other = found.at(head.i)
        if other is not None and other.type == "Location":
            return True
    if (
        head.dep_ in ("compound", "appos", "amod", "nmod")
        and head.head.lemma_.lower() in _PLACE_NOUNS
        and head.head.i > head.i - 3
    ):
        return head.dep_ != "compound" or head.head.i > span.end - 1
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lemma_.lower() in _PLACE_NOUNS:
        return True
    return span.label_ == "ORG" and _located_in(span, found)


def _located_in(span: Span, found: DocumentActors) -> bool:
    """Return whether a name with no word of a body is placed inside a place.

    "the attacks on El Fasher in Sudan's North Darfur": something attacked "on" and
    lying "in" a place is a place itself, whatever the model took it for.
    """
    doc = span.doc
    head = span.root
    if (
        head.dep_ != "pobj"
        or head.head.lower_ not in ("on", "into", "to", "near", "around", "toward")
        or any(t.lower_ in _BODY_HEADS for t in span)
        or span.end + 1 >= len(doc)
        or doc[span.end].lower_ != "in"
    ):
        return False
    place = found.at(span.end + 1)
    return place is not None and place.type in ("Location", "Country")


def _recover_places(doc: Doc, found: DocumentActors) -> None:
    """Add the places spaCy missed that the text names as places ("the town of Bahdo")."""
    for token in doc[2:]:
        if token.lower_ != "of" or doc[token.i - 1].lower_ not in _PLACE_NOUNS:
            continue
        end = token.i + 1
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title:
            end += 1
        if end > token.i + 1 and all(found.at(i) is None for i in range(token.i + 1, end)):
            surface = doc[token.i + 1 : end].text
            found.add(Mention(token.i + 1, end, surface, "Location", surface, "ner"))
    # "attacks on El Fasher in Sudan's North Darfur": a name placed in a place is a place.
    for token in doc[:-3]:
        if token.lower_ not in ("on", "into", "toward", "towards", "near", "around"):
            continue
        end = token.i + 1
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title and found.at(end) is None:
            end += 1
        if end == token.i + 1 or end + 1 >= len(doc) or doc[end].lower_ != "in":
            continue
        place = found.at(end + 1)
        if (
            place is not None
            and place.type in ("Location", "Country")
            and not any(t.lower_ in _BODY_HEADS for t in doc[token.i + 1 : end])
        ):
            surface = doc[token.i + 1 : end].text
            found.add(Mention(token.i + 1, end, surface, "Location", surface, "ner"))


_SIDES = _ENTITY_WORDS["sides"]


#: Nouns for a people rather than its state (data/entities.json, people_nouns).
_PEOPLE_NOUNS = frozenset(lexicon.load_data("entities.json")["people_nouns"])


def _peoples(doc: Doc, found: DocumentActors) -> None:
    """Make a demonym that names a people a Group, not its country (SCHEMA.md).

    "clashes between the majority Kyrgyz and minority Uzbek communities": the Kyrgyz
    and the Uzbeks, named as the text names them in the plural elsewhere ("Uzbeks"),
    else by the demonym itself.
    """
    groups = {m.name for m in found.mentions if m.type == "Group"}
    for mention in [m for m in found.mentions if m.rule == "demonym" and m.end - m.start == 1]:
        token = doc[mention.start]
        nouns = [token.head, *token.conjuncts]
        if not (
            any(n.lemma_.lower() in _PEOPLE_NOUNS and n.i != token.i for n in nouns)
            or any(c.lower_ in _PEOPLE_NOUNS for c in token.children)
        ):
            continue
        plural = next((g for g in groups if g.startswith(token.text) and len(g) <= len(token.text) + 2), None)
        mention.name, mention.type, mention.rule = plural or token.text, "Group", "people"
        found.types.setdefault(mention.name, "Group")


def _split_elliptical(doc: Doc, found: DocumentActors) -> None:
    """Make "North and South Kivu" two places, North Kivu and South Kivu."""
    for mention in [m for m in found.mentions if m.type == "Location" and m.end - m.start >= 4]:
        first, conjunction, second = doc[mention.start], doc[mention.start + 1], doc[mention.start + 2]
        if first.lower_ not in _SIDES or conjunction.lower_ != "and" or second.lower_ not in _SIDES:
            continue
        rest = doc[mention.start + 3 : mention.end].text
        found.remove(mention)
        for start, end, side in (
            (mention.start, mention.start + 1, first.text),
            (mention.start + 2, mention.end, second.text),
        ):
            name = f"{side} {rest}"
            found.add(Mention(start, end, name, "Location", name, mention.rule))


def _recover_surnames(doc: Doc, found: DocumentActors) -> None:
    """Add the surname mentions spaCy missed ("Okafor met ...") for people named in full."""
    by_surname: dict[str, set[str]] = defaultdict(set)
    for mention in found.mentions:
        words = mention.name.split()
        if mention.type == "Person" and len(words) > 1:
            by_surname[words[-1]].add(mention.name)
    for token in doc:
        names = by_surname.get(token.text)
        # The tagger sometimes reads a rare surname as a common noun ("Zelenskyy visited").
        if (
            names
            and len(names) == 1
            and (token.pos_ == "PROPN" or token.pos_ == "NOUN" and token.is_title)
            and found.at(token.i) is None
        ):
            found.add(Mention(token.i, token.i + 1, next(iter(names)), "Person", token.text, "ner"))


def _link_acronyms(doc: Doc, found: DocumentActors) -> None:
    """Make "ABC" in "Long Name (ABC)" an alias of the long name everywhere in the document."""
    acronyms: dict[str, Mention] = {}
    for mention in list(found.mentions):
        i = mention.end
        if (
            i + 2 < len(doc)
            and doc[i].text == "("
            and doc[i + 2].text == ")"
            and _ACRONYM.match(doc[i + 1].text)
        ):
            acronyms.setdefault(doc[i + 1].text, mention)
    if not acronyms:
        return
    for token in doc:
        long_form = acronyms.get(token.text)
        if long_form is None:
            continue
        existing = found.at(token.i)
        if existing is not None:
            if (
                existing.name != long_form.name
                and existing.start == token.i
                and existing.end == token.i + 1
                and existing.rule == "ner"
            ):
                existing.name, existing.type, existing.rule = long_form.name, long_form.type, "acronym"
            continue
        found.add(Mention(token.i, token.i + 1, long_form.name, long_form.type, token.text, "acronym"))
