"""Who did what to whom: the arguments of a relation's trigger in the dependency parse.

Subjects and objects expand over conjunctions and lists; a non-actor noun stands for the
actor that owns it ("North Korea's test", "launches by the DPRK", "Russian vessels");
the parties of an agreement are whom it is between; an attack on a thing in a place is
an attack on the place. Negated, modal, conditional, intended and questioned acts are
not asserted.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from . import lexicon
from .actors import DocumentActors, Mention
from .syntax import VERBAL, doc_index, passive, pobj, verb_above

_ENTITY_WORDS = lexicon.entity_words()  # word sets documented in data/entities.json
SUBJECT_DEPS = {"nsubj", "csubj"}
#: Words for a country's leader, and the posts that hold that title, first choice first.
_LEADER_POSTS = lexicon.titles().leader_words
OBJECT_DEPS = {"dobj", "obj", "attr", "dative"}
_LEAVING = _ENTITY_WORDS["leaving_nouns"]
_WORDS = lexicon.predicates().words  # word sets documented in data/predicates.json
_CALMING = _WORDS["calming"]
_CONFLICTS = _WORDS["conflicts"]
_RULERS = _ENTITY_WORDS["ruler_nouns"]
_DOINGS = _WORDS["doings"]
_PLACE_WORDS = _ENTITY_WORDS["place_words"]


class ArgumentFinder:
    """Finds the actors that fill a trigger's places in one parsed document."""

    doc: Doc
    found: DocumentActors
    heads: dict[tuple[str, str], Mention]  # (country, post) -> the person the article names in it
    _led: set[str]

    def __init__(self) -> None:
        self.lex = lexicon.predicates()
        self.title_heads = lexicon.titles().heads

    def _index_heads(self, roles) -> None:
        """Index the article's heads of state and government by country, for "X's leader"."""
        first: dict[str, Mention] = {}
        for mention in self.found.mentions:
            if mention.type == "Person":
                first.setdefault(mention.name, mention)
        self.heads = {}
        self._led = set()
        # The country each person serves, for "her government" (Country roles only).
        self.serves = {
            role.holder: role.of for role in roles if role.of and self.found.types.get(role.of) == "Country"
        }
        for role in roles:
            if role.of and role.holder in first and role.role in lexicon.titles().leaders:
                self.heads.setdefault((role.of, role.role), first[role.holder])

    def _clause_of(self, noun: Token) -> Token | None:
        """Return the verb a prepositional event noun hangs from ("after talks with X, Y said")."""
        if noun.dep_ == "pobj" and noun.head.head.pos_ in VERBAL and noun.head.head.i != noun.head.i:
            return noun.head.head
        return None

    def _present_party(self, noun: Token, clause: Token | None) -> list[Mention]:
        """Return who took part in talks whose text names only the other side.

        "After talks with Lavrov, Blinken said ...": the subject of the clause the talks
        hang from; "The meetings with Netanyahu come a day after Blinken said ...": the
        one person who is the subject of a verb in the same sentence.
        """
        if clause is not None and noun.head.lower_ in (
            "after",
            "following",
            "before",
            "during",
            "at",
            "in",
            "for",
        ):
            return self._subjects(clause)[0]
        if noun.dep_ not in ("nsubj", "nsubjpass"):
            return []
        people = {
            m.name: m
            for t in noun.sent
            if t.dep_ in SUBJECT_DEPS and t.i != noun.i
            for m in [self.found.at(t.i)]
            if m is not None and m.type == "Person"
        }
        return list(people.values()) if len(people) == 1 else []

    def _attack_subject(self, verb: Token) -> Token | None:
        """Return the verb's subject when it names an attack ("the strikes killed ...")."""
        for child in verb.children:
            if child.dep_ == "nsubj":
                event = self.lex.noun(child)
                if event is not None and self.lex.has(event.predicate, "material"):
                    return child
        return None

    def _sites(self, head: Token) -> list[Mention]:
        """Return the places an attack's physical target lies in ("struck homes in Beryslav").

        Looked for under the verb's object and `on`/`against` phrases, and in the verb's
        own `in` phrase; only places and countries count, so "killed a man in Paris" is
        no attack on a person.
        """
        holders = [c for c in head.children if c.dep_ in OBJECT_DEPS]
        holders += [
            p
            for c in head.children
            if c.dep_ == "prep" and c.lower_ in ("on", "against", "at")
            for p in [pobj(c)]
            if p is not None
        ]
        # "killed two people and wounded many others in Kherson": the place ends the list.
        holders += [c for c in head.conjuncts if c.pos_ in VERBAL and c.i > head.i]
        found: list[Mention] = []
        for holder in [head, *holders]:
            for prep in (c for c in holder.children if c.dep_ == "prep" and c.lower_ in ("in", "inside")):
                found += self._places(pobj(prep))
        return found

    def _places(self, token: Token | None) -> list[Mention]:
        """Return the places a phrase names itself: "Beryslav", "the city of Beryslav".

        Not the places around them: "El Fasher in Sudan's North Darfur" is no attack on Sudan.
        """
        if token is None:
            return []
        places: list[Mention] = []
        for item in [token, *token.conjuncts]:
            mention = self.found.at(item.i)
            if mention is None and item.pos_ == "NOUN" and item.lemma_.lower() in _PLACE_WORDS:
                # "in North and South Kivu provinces": the places the noun is named by.
                named = [
                    self.found.at(c.i)
                    for c in item.subtree
                    if c.i < item.i and c.dep_ in ("compound", "nmod", "conj")
                ]
                places += list({m.start: m for m in named if m is not None and m.type == "Location"}.values())
            if mention is None and item.pos_ == "NOUN":  # "the city of X", "the town of X"
                of = [pobj(c) for c in item.children if c.dep_ == "prep" and c.lower_ == "of"]
                mention = self.found.at(of[0].i) if of and of[0] is not None else None
            possessor = mention is not None and any(
                c.dep_ == "case" for c in self.doc[mention.end - 1].children
            )
            if mention is not None and mention.type in ("Location", "Country") and not possessor:
                places.append(mention)  # "in Sudan's North Darfur" is not in Sudan as such
        return places

    def _agents_of(self, cause: Token) -> list[Mention]:
        """Return who is behind a cause: the actor itself, or the agent of the act it names."""
        for item in [cause, *cause.conjuncts]:
            if self.found.at(item.i) is not None or item.i in self.found.groups:
                return self._actors(cause)
        agents: list[Mention] = []
        for item in [cause, *cause.conjuncts]:
            for child in item.children:
                if child.dep_ in ("poss", "amod", "compound"):
                    agents += self._actors(child)
                elif child.dep_ == "prep" and child.lower_ == "by":
                    agents += self._objects_of(child)
                elif child.dep_ == "prep" and child.lower_ == "of" and item.lemma_.lower() in _DOINGS:
                    agents += self._objects_of(child)  # "the efforts of the OAS"
        return agents

    def _between(self, noun: Token) -> list[Mention]:
        """Return the actors a noun is "between", also through a verb under it ("the deal
        reached between A and B")."""
        holders = [noun, *(c for c in noun.children if c.dep_ in ("acl", "relcl"))]
        if noun.dep_ in ("nsubj", "nsubjpass", *OBJECT_DEPS) and noun.head.pos_ in VERBAL:
            # The parser often hangs the noun's "between" on its verb: "the agreement
            # reached on Monday between A and B", "described the talks Friday between A and B".
            holders.append(noun.head)
        for holder in holders:
            for child in holder.children:
                if child.dep_ == "prep" and child.lower_ == "between" and child.i > noun.i:
                    sides = self._objects_of(child)
                    if len({m.name for m in sides}) < 2:
                        # The parser may hang the second side inside the first's phrase:
                        # "between Israeli troops inside the Gaza Strip and Hamas fighters".
                        sides += self._named_within(child)
                    return list({m.name: m for m in sides}.values())
        return []

    def _named_within(self, prep: Token) -> list[Mention]:
        """Return the actors a phrase names, through its nouns, but not the places in it."""
        found: list[Mention] = []
        for token in prep.subtree:
            if token.pos_ not in ("NOUN", "PROPN") or token.dep_ not in ("pobj", "conj"):
                continue
            path = []
            node = token
            while node.i != prep.i and node.head.i != node.i:
                path.append(node.dep_)
                node = node.head
            if any(dep in ("acl", "relcl", "agent") for dep in path):
                continue  # "residents backed by government forces": not a side
            found += [m for m in self._actors(token) if m.type != "Location"]
        return found

    def _parties(self, noun: Token) -> list[Mention]:
        """Return the parties to an agreement noun ("the accord between A and B"), else none."""
        event = self.lex.noun(noun)
        if event is None or not self.lex.has(event.predicate, "agreement"):
            return []
        return list({m.name: m for m in self._between(noun)}.values())

    def _urged_to_act(self, head: Token) -> list[Mention]:
        """Return the actors an urging asks to act: "demanded the withdrawal of X", "X's withdrawal"."""
        found: list[Mention] = []
        for obj in (c for c in head.children if c.dep_ in (*OBJECT_DEPS, "pobj")):
            for noun in [obj, *obj.conjuncts]:
                if noun.lemma_.lower() not in self.lex.urged_actions:
                    continue
                for child in noun.children:
                    if child.dep_ == "poss" or (child.dep_ == "amod" and self.found.at(child.i)):
                        found += self._actors(child)
                    elif (
                        child.dep_ == "prep"
                        and child.lower_ in ("of", "by", "from")
                        and not (child.lower_ == "from" and noun.lemma_.lower() in _LEAVING)
                    ):
                        # "restraint from both sides"; not "withdrawal from Goma", a place left.
                        found += self._objects_of(child)
                if not found and noun.lemma_.lower() in _CALMING:
                    found += self._sides_of_conflict(noun)
        return found

    def _sides_of_conflict(self, noun: Token) -> list[Mention]:
        """Return the sides of the conflict a sentence names, whom a call for restraint is for.

        "Iraq called for restraint to prevent the U.S.-Iran crisis from developing into a
        war": the United States and Iran. Two sides or none.
        """
        for word in noun.sent:
            if word.lemma_.lower() not in _CONFLICTS:
                continue
            sides = [
                m
                for c in word.children
                if c.dep_ in ("compound", "amod", "nmod", "poss")
                for m in self._actors(c)
            ]
            sides += [
                m
                for c in word.children
                if c.dep_ == "compound"
                for g in c.children
                if g.dep_ in ("compound", "nmod", "amod")
                for m in self._actors(g)
            ]
            sides += self._between(word)
            for c in word.children:  # one token for both: "the U.S.-Iran crisis"
                parts = [lexicon.gazetteer().lookup(p) for p in c.text.split("-")] if "-" in c.text else []
                entries = [e for e in parts if e is not None]
                if c.dep_ == "compound" and len(parts) == 2 and len(entries) == 2:
                    sides = [Mention(c.i, c.i + 1, e.name, e.type, c.text, "gazetteer") for e in entries]
            named = list({m.name: m for m in sides if m.type != "Location"}.values())
            if len(named) == 2:
                return named
        return []

    def _subjects(self, verb: Token) -> tuple[list[Mention], list[Mention]]:
        """Return (agents, targets of a passive) for a verb, climbing through xcomp and conj."""
        passive_targets: list[Mention] = []
        agents: list[Mention] = []
        for child in verb.children:
            dep = child.dep_
            if dep in SUBJECT_DEPS and self._city_country(child):
                continue  # "in Nairobi, Kenya to express support": a place, no subject
            if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl" and verb.head.i != verb.i:
                # "Khamenei, who was added to ...": the actor just before the pronoun, even
                # when the parser hangs the clause higher up.
                comma = child.i > 1 and self.doc[child.i - 1].text == ","
                before = self.found.at(child.i - 2) if comma else None
                if before is not None and before.type != "Location":
                    child = self.doc[before.end - 1]
                elif self.found.at(verb.head.i) or self.found.title_holder.get(verb.head.i):
                    child = verb.head
            if dep in SUBJECT_DEPS:
                agents += self._actors(child)
            elif dep == "nsubjpass":
                passive_targets += self._actors(child)
            elif child.dep_ == "agent" and passive(verb):
                agents += self._actors(pobj(child))
        if passive_targets and not agents:
            # "was hosted for a working lunch by X": the by-phrase hangs off the noun.
            for obj in (o for c in verb.children if c.dep_ == "prep" for o in [pobj(c)] if o is not None):
                for by in (c for c in obj.children if c.dep_ == "prep" and c.lower_ == "by"):
                    agents += self._actors(pobj(by))
        if not agents and not any(
            c.dep_ in SUBJECT_DEPS and not self._city_country(c) for c in verb.children
        ):
            head = verb.head
            controller = self._controller(verb)
            if controller:  # "accused Rwanda of supporting M23"
                return controller, passive_targets
            if verb.dep_ in ("xcomp", "conj", "advcl", "pcomp") and head.i != verb.i:
                ruling: Token | None = head
                if head.pos_ not in VERBAL and verb.dep_ == "xcomp":
                    ruling = verb_above(verb)  # "made sure to condemn"
                if ruling is not None and ruling.pos_ in VERBAL:
                    agents = self._subjects(ruling)[0]
                    if (
                        not agents
                        and verb.dep_ == "conj"
                        and ruling.dep_ in ("ccomp", "conj")
                        and ruling.head.pos_ in VERBAL
                    ):
                        # "X said the door remains open and invited ...": the parser put
                        # "invited" under the reported clause; its subject is the sayer's.
                        agents = self._subjects(ruling.head)[0]
                elif verb.dep_ == "pcomp":  # "After meeting with NATO allies, Blinken said"
                    agents = self._subjects(head.head)[0]
            elif (
                verb.dep_ == "acl"
                and (above := verb_above(head)) is not None
                and (
                    verb.tag_ == "VBG"
                    and self.lex.noun(head) is not None
                    or any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
                    and (self._where(head) or self.found.at(head.i) is not None)
                )
            ):
                # "condemned the M23 for its attacks on peacekeepers, condemning its abuses":
                # the participle the parser hung on the act is the clause's, not the act's;
                # "met X in Nairobi, Kenya to express support": the purpose is the meeting's.
                agents = self._subjects(above)[0]
            elif (
                verb.dep_ in ("acl", "relcl")
                and head.i != verb.i
                and not any(c.tag_ in ("WP", "WDT") for c in verb.children)
            ):
                by_phrases = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "by"]
                agents = self._actors(pobj(by_phrases[0])) if by_phrases else self._actors(head)
        return agents, passive_targets

    def _city_country(self, token: Token) -> bool:
        """Return whether a token is the country of a "City, Country" place ("Nairobi, Kenya")."""
        mention = self.found.at(token.i)
        if (
            mention is None
            or mention.type != "Country"
            or mention.start < 2
            or self.doc[mention.start - 1].text != ","
        ):
            return False
        city = self.found.at(mention.start - 2)
        return city is not None and city.type == "Location"

    def _where(self, token: Token) -> bool:
        """Return whether a token names where something happens ("in Nairobi, Kenya")."""
        node = token
        while node.dep_ in ("appos", "conj", "compound") and node.head.i != node.i:
            node = node.head
        mention = self.found.at(token.i)
        return mention is not None and (
            mention.type == "Location"
            or node.dep_ == "pobj"
            and node.head.lower_ in ("in", "at", "inside", "near")
        )

    def _controller(self, verb: Token) -> list[Mention]:
        """Return the matrix object that is the subject of an embedded verb (object control)."""
        matrix = verb.head
        if verb.dep_ == "pcomp" and matrix.dep_ == "prep":
            matrix = matrix.head
        elif verb.dep_ not in ("xcomp", "ccomp"):
            return []
        if matrix.i == verb.i or matrix.pos_ not in VERBAL or self.lex.irrealis_head(matrix):
            return []
        return [m for c in matrix.children if c.dep_ == "dobj" for m in self._actors(c)]

    def _direct_objects(self, verb: Token) -> list[Mention]:
        result: list[Mention] = []
        for child in verb.children:
            if child.dep_ in OBJECT_DEPS:
                result += self._actors(child)
        if not result and verb.dep_ == "conj":  # "rammed and fired on the ships"
            return []
        if any(c.dep_ in OBJECT_DEPS for c in verb.children):
            # The parser hangs the rest of a long object list on the verb: "congratulated
            # the two sides and Prime Ministers Alexis Tsipras, of Greece, and Zoran Zaev".
            # "killed a senior commander and 20 other militants of the FARC" likewise.
            for child in verb.children:
                if (
                    child.dep_ in ("conj", "npadvmod")
                    and child.i > verb.i
                    and (
                        child.pos_ == "PROPN"
                        and getattr(self.found.at(child.i), "type", None) == "Person"
                        or child.pos_ == "NOUN"
                        and child.dep_ == "conj"
                    )
                ):
                    result += self._actors(child)
        return list({m.start: m for m in result}.values())

    def _objects_of(self, prep: Token) -> list[Mention]:
        return self._actors(pobj(prep)) if pobj(prep) is not None else []

    def _prep_targets(self, head: Token, preps: tuple[str, ...]) -> list[Mention]:
        result: list[Mention] = []
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                result += self._objects_of(child)
        return result

    def _actors(self, token: Token | None, depth: int = 0) -> list[Mention]:
        """Return the actors a token stands for, over its conjuncts."""
        if token is None:
            return []
        if depth == 0:
            self._led = set()  # countries whose leaders were meant ("the leaders of X")
        result: list[Mention] = []
        items = [token, *token.conjuncts] if depth == 0 else [token]
        if depth == 0 and not token.conjuncts:
            items += self._listed_after(token)  # "from CARICOM, the United States and Brazil"
        for item in items:
            mention = self.found.title_holder.get(item.i) or self.found.at(item.i)
            if mention is not None:
                result.append(mention)
                if mention.type == "Location":  # "North and South Kivu": both places
                    result += [
                        m
                        for c in item.children
                        if c.dep_ in ("nmod", "conj")
                        and (m := self.found.at(c.i)) is not None
                        and m.type == "Location"
                    ]
            elif item.i in self.found.groups:
                members = self.found.groups[item.i]
                posts = _LEADER_POSTS.get(item.lemma_.lower())
                if posts:
                    # "the European leaders met Poroshenko": the heads the article names.
                    heads = [
                        next((self.heads[(m.name, p)] for p in posts if (m.name, p) in self.heads), None)
                        for m in members
                    ]
                    named = [h for h in heads if h is not None]
                    members = named if len(named) == len(heads) else []  # unnamed: not their countries
                result += members
            elif depth < 2 and item.pos_ in ("NOUN", "PROPN"):
                listed = self._listed(item, depth)
                if listed:  # "Saudi leaders: King Salman, ..."
                    result += listed
                    continue
                leaders = self._leaders_of(item, depth)
                if leaders:  # "the leaders of France and Russia"
                    result += leaders
                    continue
                if item.tag_ in ("NN", "NNP") and item.lemma_.lower() in self.title_heads:
                    # "the US Representative" is a person, not the United States; plural
                    # "Hamas negotiators" act for Hamas.
                    continue  # "Saudi leaders" are people of Saudi Arabia, not the country
                governed = self._governed_by(item, depth)
                if governed:  # "Kim's government" is North Korea
                    result += governed
                    continue
                for child in item.children:
                    if child.lower_ in self.lex.led and child.dep_ in ("amod", "compound"):
                        # "the IGAD-led talks": the actor before the hyphen stands behind them.
                        result += [
                            m
                            for c in child.children
                            if c.dep_ in ("npadvmod", "compound", "nmod")
                            for m in self._actors(c, depth + 1)
                        ]
                    elif child.dep_ in ("poss", "compound", "amod", "nmod"):
                        # "Greek and Turkish boats": both modifiers stand for the boats' owners.
                        for modifier in [child, *child.conjuncts] if child.dep_ == "amod" else [child]:
                            result += self._actors(modifier, depth + 1)
                    elif child.dep_ == "prep" and (
                        child.lower_ in ("by", "of", "between", "from")
                        or (child.lower_ == "in" and item.lemma_.lower() in _RULERS)
                    ):
                        # "the regime in Togo", "the authorities in Kabul" rule there.
                        obj = pobj(child)
                        result += self._actors(obj, depth + 1)
                        result += [
                            m
                            for c in (obj.conjuncts if obj is not None else ())
                            for m in self._actors(c, depth + 1)
                        ]
                    elif child.dep_ == "acl" and child.lemma_.lower() in ("know", "call", "name"):
                        # "the armed group known as the 23 March Movement": that group.
                        result += [
                            m
                            for p in child.children
                            if p.dep_ == "prep" and p.lower_ == "as"
                            for m in self._actors(pobj(p), depth + 1)
                        ]
                        result += [
                            m
                            for p in child.children
                            if p.dep_ in ("oprd", "attr")
                            for m in self._actors(p, depth + 1)
                        ]
        if depth == 0 and self._led:
            result = [m for m in result if not (m.type == "Country" and m.name in self._led)]
        return list({m.start: m for m in result}.values())

    def _governed_by(self, noun: Token, depth: int) -> list[Mention]:
        """Return the country "Kim's government" or "the Biden administration" stands for:
        the one the person heads in this article."""
        if noun.lemma_.lower() not in ("government", "administration"):
            return []
        countries = []
        for child in (c for c in noun.children if c.dep_ in ("poss", "compound")):
            envoy = self._sayers_country(child) if child.pos_ == "PRON" else None
            if envoy is not None:
                countries.append(envoy)  # "Colombia's ambassador said his government"
                continue
            for person in self._actors(child, depth + 1):
                country = next((c for (c, _), head in self.heads.items() if head.name == person.name), None)
                if country is None and child.pos_ == "PRON":
                    country = self.serves.get(person.name)  # "her government": the minister's
                mention = next((m for m in self.found.mentions if m.name == country), None)
                if person.type != "Person" or mention is None:
                    return []
                countries.append(mention)
        return countries

    def _sayers_country(self, pronoun: Token) -> Mention | None:
        """Return the country of an unnamed official who says "his government" / "her government".

        "Colombia's ambassador said his government was pleased": the official's own.
        """
        verb = verb_above(pronoun)
        while verb is not None and verb.dep_ in ("ccomp", "conj") and verb.head.i != verb.i:
            verb = verb.head
        if verb is None or verb.lemma_.lower() not in self.lex.speech_verbs:
            return None
        for subject in (c for c in verb.children if c.dep_ == "nsubj"):
            if subject.pos_ != "NOUN" or subject.lemma_.lower() not in self.title_heads:
                return None
            owners = [
                m
                for c in subject.children
                if c.dep_ in ("poss", "amod", "compound")
                for m in [self.found.at(c.i)]
                if m is not None and m.type == "Country"
            ]
            return owners[0] if len(owners) == 1 else None
        return None

    def _leaders_of(self, noun: Token, depth: int) -> list[Mention]:
        """Return the heads of state or government "the leaders of X" / "X's president" mean.

        Only those the article itself names in that post: with none, the words stand for
        nobody in particular.
        """
        posts = _LEADER_POSTS.get(noun.lemma_.lower())
        if posts is None:
            return []
        # "Iranian leaders" are the country's leadership at large; "the leaders of France and
        # Germany", "Russia's president" are the people in the post.
        modifiers = ("poss",) if noun.tag_ == "NNS" else ("poss", "amod", "compound")
        countries = [m for c in noun.children if c.dep_ in modifiers for m in self._actors(c, depth + 1)]
        for of in (c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"):
            countries += self._surface_list(of.i + 1)
        people: list[Mention] = []
        for country in countries:
            holders = [self.heads.get((country.name, post)) for post in posts]
            holder = next((h for h in holders if h), None)
            if holder is not None:
                people.append(holder)
        if not people or len(people) != len({c.name for c in countries}):
            return []
        self._led.update(c.name for c in countries)
        return people

    def _surface_list(self, i: int) -> list[Mention]:
        """Return the mentions written as one list from token i on ("France, Germany, and Russia")."""
        mentions: list[Mention] = []
        while i < len(self.doc):
            mention = self.found.at(i)
            if mention is not None and mention.start == i:
                mentions.append(mention)
                i = mention.end
            elif self.doc[i].lower_ in (",", "and", "the") and mentions or self.doc[i].lower_ == "the":
                i += 1
            else:
                break
        return mentions

    def _listed_after(self, token: Token) -> list[Token]:
        """Return the heads of the actors coordinated after a mention on the surface.

        The parser loses coordination after brackets ("CARICOM (CARICOM), the United States
        and Brazil"); a run of mentions joined by commas and ending in "and"/"or" is a list.
        """
        first = self.found.at(token.i)
        if first is None:
            return []
        heads: list[Token] = []
        i, joined = first.end, False
        while i < len(self.doc):
            word = self.doc[i].lower_
            mention = self.found.at(i)
            if mention is not None and mention.start == i:
                heads.append(self.doc[mention.end - 1])
                i = mention.end
                if joined:
                    break
            elif word in ("and", "or"):
                joined = True
                i += 1
            elif word in (",", "(", ")", "the"):
                i += 1
            else:
                break
        return heads if joined and heads else []

    def _listed(self, noun: Token, depth: int) -> list[Mention]:
        """Return the actors a noun introduces as a list: by apposition, or after a colon."""
        heads = [c for c in noun.children if c.dep_ == "appos"]
        j = noun.i + 1
        if not heads and j < len(self.doc) and self.doc[j].text == ":":
            j += 1
            while j < len(self.doc) and self.doc[j].is_space:
                j += 1
            # The list's first item may start with a title the mention leaves out ("King").
            while j < len(self.doc) and j - noun.i < 6 and self.found.at(j) is None and self.doc[j].is_title:
                j += 1
            mention = self.found.at(j) if j < len(self.doc) else None
            if mention is not None:
                heads = [self.doc[mention.end - 1]]
        result: list[Mention] = []
        for head in heads:
            for item in [head, *head.conjuncts]:
                result += self._actors(item, depth + 1)
        return result

    def _complement(self, verb: Token) -> bool:
        """Return True when a verb has a to-infinitive or that-clause ("asked X to restart")."""
        if any(
            c.dep_ == "advcl" and any(a.lower_ == "to" and a.dep_ == "aux" for a in c.children)
            for c in verb.children
        ):
            return True
        return any(c.dep_ in ("xcomp", "ccomp") for c in verb.children) or any(
            c.dep_ in ("acl", "relcl") for o in verb.children if o.dep_ in OBJECT_DEPS for c in o.children
        )

    def _directive(self, verb: Token) -> bool:
        """Return whether `verb` asks someone to act: a verb of inviting or urging with its
        addressee as object ("invited X to visit", "asked X to meet")."""
        predicate = self.lex.verbs.get(verb.lemma_.lower())
        return predicate in ("invited", "urged") and any(c.dep_ == "dobj" for c in verb.children)

    def _asserted(self, verb: Token) -> bool:
        """Return False for negated, modal, conditional, intended or questioned acts."""
        if doc_index(self.doc).in_question(verb.i):
            return False
        node = verb
        for _ in range(4):
            for child in node.children:
                if child.dep_ == "neg" or (child.dep_ == "advmod" and child.lower_ in self.lex.negations):
                    return False
                if child.dep_ == "aux" and child.lower_ in self.lex.modals:
                    return False
                if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
                    return False
            if node.dep_ in ("xcomp",) and self.lex.irrealis_head(node.head):
                return False
            if node.dep_ == "xcomp" and self._directive(node.head):
                return False  # "invited X to visit", "urged X to meet": asked for, not done
            if node.dep_ in ("ccomp", "xcomp") and node.head.lemma_.lower() in self.lex.reported:
                return False
            if (
                node.dep_ == "pcomp"
                and node.head.dep_ == "prep"
                and node.head.head.lemma_.lower() in self.lex.reported
            ):
                return False  # "accused Rwanda of supporting M23": a claim
            if node.dep_ not in ("xcomp", "conj") or node.head.i == node.i:
                break
            if node.dep_ == "conj" and node.tag_ in ("VBD", "VBZ", "VBP"):
                break  # "does not accept X and calls on Y": a finite conjunct has its own scope
            node = node.head
        return True
