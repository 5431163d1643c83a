"""Relations between actors from the dependency parse.

Three triggers: a verb from the lexicon ("condemned", "called out", "asked X to"),
a light verb with an event noun ("extended an invitation to"), and an event noun
with its own agent ("Russia's invasion of Ukraine", "the summit between A and B").
Subjects and objects expand over conjunctions; a non-actor noun stands for the
actor that owns it ("North Korea's test", "launches by the DPRK", "Russian vessels");
he/she/we resolve to the nearest fitting actor. Negated, modal, conditional,
intended and questioned acts give nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..model import Evidence, Relation
from . import lexicon
from .actors import NOT_A_NAME, DocumentActors, Mention
from .syntax import VERBAL, clause_date, doc_index, passive, pobj, tense, verb_above

_SUBJECTS = {"nsubj", "csubj"}
_OBJECTS = {"dobj", "obj", "attr", "dative"}


@dataclass
class Candidate:
    """A relation before deduplication, with the tokens it came from."""

    subject: Mention
    predicate: str
    object: Mention
    trigger: Token
    rule: str
    confidence: float
    tokens: list[int] = field(default_factory=list)


class RelationFinder:
    """Finds relations in one parsed document."""

    def __init__(self) -> None:
        self.lex = lexicon.predicates()
        self.triggers = self.lex.verb_triggers
        self.title_heads = lexicon.titles().heads

    def find(self, doc: Doc, found: DocumentActors, published: str | None) -> list[Relation]:
        """Return the document's relations, one per (subject, predicate, object)."""
        self.doc, self.found = doc, found
        candidates: list[Candidate] = []
        for token in doc:
            if token.lower_ in self.lex.experiencer and token.pos_ in ("VERB", "ADJ"):
                candidates.extend(self._from_experiencer(token))
            elif token.lower_ in self.lex.backed and token.dep_ == "amod":
                candidates.extend(self._from_backed(token))
            elif token.pos_ in VERBAL:
                candidates.extend(self._from_verb(token))
            elif token.pos_ in ("NOUN", "PROPN") and self.lex.noun(token) is not None:
                candidates.extend(self._from_noun(token))
        return self._relations(candidates, published)

    # -- triggers ---------------------------------------------------------------------

    def _from_verb(self, verb: Token) -> list[Candidate]:
        lemma = verb.lemma_.lower()
        if lemma not in self.triggers or not self._asserted(verb):
            return []
        results: list[Candidate] = []
        subjects, passive_targets = self._subjects(verb)
        if lemma in self.lex.mutual_verbs:
            results += self._mutual(verb, lemma, subjects)
        if lemma in self.lex.threat_heads:
            results += self._threatened_act(verb, subjects)
        if results:
            return results
        for child in verb.children:                       # phrasal verbs: "called out", "called on"
            if child.dep_ in ("prt", "prep") and (lemma, child.lower_) in self.lex.phrasal:
                predicate = self.lex.phrasal[(lemma, child.lower_)]
                if f"{lemma} {child.lower_}" in self.lex.requires_complement and not self._complement(verb):
                    if predicate == "urged":       # "called for the withdrawal of X"
                        results += self._pairs(subjects, predicate, self._urged_to_act(child), verb,
                                               "urged-action", 0.75)
                    continue
                # "called on X": the target follows the preposition; "called out X": it is the object.
                targets = self._objects_of(child) if child.dep_ == "prep" else self._direct_objects(verb)
                results += self._pairs(subjects, predicate, targets, verb, "phrasal-verb", 0.85)
        if not results:
            results += self._marked_targets(verb, lemma, subjects)
        if results:
            return results
        if lemma in self.lex.receiving:
            results += self._received(verb, subjects)
        if lemma in self.lex.verbs and not results:
            predicate = self.lex.verbs[lemma]
            if lemma in self.lex.requires_complement and not self._complement(verb):
                return self._pairs(subjects, predicate, self._urged_to_act(verb), verb,
                                   "urged-action", 0.75) if predicate == "urged" else []
            targets = self._direct_objects(verb) or passive_targets
            if not targets and predicate == "supported":
                # "welcomed the agreement reached between A and B": each party is supported.
                nouns = [c for c in verb.children if c.dep_ in _OBJECTS] + [
                    s for c in verb.children if c.dep_ == "ccomp"
                    for s in c.children if s.dep_ in ("nsubj", "nsubjpass")]
                targets = [m for noun in nouns for m in self._parties(noun)]
            if not targets and not passive(verb):
                # "condemned the rocket fire into Israel by Hamas", the by-phrase hung on
                # the verb: the act condemned is Hamas's.
                targets = self._prep_targets(verb, ("by",))
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ in self.lex.verb_preps.get(lemma, ()):
                    targets += self._objects_of(child)
            narrower = self.lex.verb_object_types.get(lemma)
            if narrower:
                targets = [t for t in targets if t.type in narrower]
            if predicate == "urged" and not targets:
                # "demanded that Pyongyang give up ...": the clause's subject is urged.
                targets = [m for c in verb.children if c.dep_ == "ccomp"
                           and any(m.lower_ == "that" for m in c.children if m.dep_ == "mark")
                           for n in c.children if n.dep_ == "nsubj" for m in self._actors(n)]
            if predicate == "attacked" and not targets:
                weapon = self._attack_subject(verb)
                if weapon is not None and lemma in self.lex.harm_verbs:
                    # "Russian airstrikes killed two people in Kherson": the strikes' agent
                    # attacked whom they hit, or where.
                    subjects = subjects or self._agents_of(weapon)
                if narrower is None or weapon is not None:
                    targets = self._sites(verb)
            rule = "verb-passive" if passive_targets and not self._direct_objects(verb) else "verb"
            results += self._pairs(subjects, predicate, targets, verb, rule, 0.9)
        if not results and lemma in self.lex.verbs and self.lex.verbs[lemma] in self.lex.symmetric \
                and len({m.name for m in subjects}) > 1 and not self._direct_objects(verb) \
                and not any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children):
            # "Armenia and Azerbaijan agreed on ...", "X and Y met on Monday"
            distinct = list({m.name: m for m in subjects}.values())
            results += [Candidate(a, self.lex.verbs[lemma], b, verb, "verb-mutual", 0.8)
                        for k, a in enumerate(distinct) for b in distinct[k + 1:]]
        if lemma in self.lex.light_verbs:
            for obj in (c for c in verb.children if c.dep_ in _OBJECTS):
                for noun in [obj, *obj.conjuncts]:
                    event = self.lex.noun(noun)
                    if event is None or event.mutual or event.needs_of:
                        continue
                    targets = self._prep_targets(noun, event.preps) or self._prep_targets(verb, event.preps)
                    distinct = list({m.name: m for m in subjects}.values())
                    if not targets and event.symmetric and len(distinct) > 1:
                        # "Putin and his Turkish counterpart, Erdogan, reached an agreement"
                        results += [Candidate(a, event.predicate, b, verb, "light-verb-mutual", 0.8)
                                    for k, a in enumerate(distinct) for b in distinct[k + 1:]]
                        continue
                    results += self._pairs(subjects, event.predicate, targets, verb, "light-verb", 0.8)
        return results

    def _marked_targets(self, verb: Token, lemma: str, subjects: list[Mention]) -> list[Candidate]:
        """Return "calls on X to act" where the parser took "on" as the mark of X's clause."""
        results: list[Candidate] = []
        for clause in (c for c in verb.children if c.dep_ in ("advcl", "ccomp", "xcomp")):
            marks = [c for c in clause.children if c.dep_ == "mark" and c.i < clause.i]
            for mark in marks:
                predicate = self.lex.phrasal.get((lemma, mark.lower_))
                if predicate is None or mark.i != verb.i + 1 + sum(
                        1 for t in verb.doc[verb.i + 1:mark.i] if t.dep_ == "advmod"):
                    continue
                targets = [m for c in clause.children if c.dep_ == "nsubj" and c.i > mark.i
                           for m in self._actors(c)]
                results += self._pairs(subjects, predicate, targets, verb, "phrasal-verb", 0.8)
        return results

    def _received(self, verb: Token, receivers: list[Mention]) -> list[Candidate]:
        """Return "Guyana received statements of support from Brazil" as Brazil supported Guyana."""
        results = []
        for obj in (c for c in verb.children if c.dep_ in _OBJECTS):
            nouns = [obj] + [pobj(c) for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"]
            for noun in (n for n in nouns if n is not None):
                event = self.lex.noun(noun)
                if event is None:
                    continue
                givers = self._prep_targets(verb, ("from",)) or self._prep_targets(noun, ("from",)) \
                    or self._prep_targets(obj, ("from",))
                results += self._pairs(givers, event.predicate, receivers, verb, "received", 0.75)
        return results

    def _from_noun(self, noun: Token) -> list[Candidate]:
        event = self.lex.noun(noun)
        if event.needs_of and not any(
                c.dep_ == "prep" and c.lower_ == "of" and pobj(c) is not None
                and pobj(c).lower_ in event.needs_of for c in noun.children):
            return []                                    # "an exchange of views" is no attack
        if event.mutual or event.mutual_between:
            if noun.head.pos_ in VERBAL and not self._asserted(noun.head):
                return []
            mutual = self._mutual_noun(noun, event)
            if mutual or event.mutual:
                return mutual
        if noun.head.pos_ in VERBAL and not self._asserted(noun.head):
            return []
        # "brokered a deal between A and B": the parties agreed, whoever brokered it.
        parties = self._between(noun) if event.symmetric and not event.light_only else []
        rule = "noun-between"
        if not parties and (event.light_only or (
                noun.dep_ in _OBJECTS and noun.head.lemma_.lower() in self.lex.light_verbs)):
            return []
        if parties:
            pass
        elif event.symmetric and noun.dep_ == "pobj" and noun.head.lower_ in ("during", "at") \
                and noun.head.head.pos_ in VERBAL:
            # "During the September 14 meeting, Japan, South Korea and America asked ...":
            # those who acted at the meeting met there.
            parties = self._subjects(noun.head.head)[0]
            rule = "noun-during"
        if parties:
            parties = list({m.name: m for m in parties}.values())
            return [Candidate(a, event.predicate, b, noun, rule, 0.7, [noun.i])
                    for k, a in enumerate(parties) for b in parties[k + 1:]]
        agents: list[Mention] = []
        for child in noun.children:
            if child.dep_ in ("poss", "compound", "amod") or (child.dep_ == "prep"
                                                              and child.lower_ in event.agent_preps):
                agents += self._actors(child if child.dep_ != "prep" else pobj(child))
        preps = tuple(p for p in event.preps if p != "of" or event.predicate == "attacked")
        targets = self._prep_targets(noun, preps)
        for participle in (c for c in noun.children if c.dep_ == "acl" and c.tag_ in ("VBN", "VBD")):
            # "the charges leveled against X by Y", "sanctions imposed on X by Y"
            agents = agents or [m for c in participle.children if c.dep_ == "agent"
                                for m in self._actors(pobj(c))]
            targets = targets or self._prep_targets(participle, preps)
        if event.target_types:
            targets = [t for t in targets if t.type in event.target_types]
        if event.predicate == "accused" and not targets:
            # "the claims by Russia and China that the U.S. is acting ...": whom the claim is about.
            targets = [m for c in noun.children if c.dep_ in ("acl", "ccomp")
                       and any(k.lower_ == "that" for k in c.children if k.dep_ == "mark")
                       for n in c.children if n.dep_ in ("nsubj", "nsubjpass") for m in self._actors(n)]
        if event.predicate == "attacked" and not targets:
            targets = self._prep_targets(noun, ("of",)) or self._sites(noun)
        if noun.dep_ in _OBJECTS and noun.head.pos_ in VERBAL and not passive(noun.head):
            # The parser often hangs the noun's own phrases on the verb above it.
            agents = agents or self._prep_targets(noun.head, ("by",))
            targets = targets or self._prep_targets(noun.head, preps)
        clause = self._clause_of(noun)
        if event.predicate == "supported" and not targets and clause is not None \
                and noun.head.lower_ in ("with", "thanks"):
            # "Haiti restored order with the support of Chile": Chile supported Haiti.
            agents = agents or [m for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                                for m in self._objects_of(c)]
            targets = self._subjects(clause)[0]
        elif not agents and not event.symmetric and clause is not None and noun.head.lower_ in ("with", "in"):
            # "Israel responded with airstrikes on Gaza": the clause's subject acted.
            agents = self._subjects(clause)[0]
            targets = targets or self._prep_targets(clause, preps)
        if event.symmetric and targets and not agents:
            agents = self._present_party(noun, clause)
        return self._pairs(agents, event.predicate, targets, noun, "event-noun", 0.7)

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
        if clause is not None and noun.head.lower_ in ("after", "following", "before", "during", "at",
                                                       "in", "for"):
            return self._subjects(clause)[0]
        if noun.dep_ not in ("nsubj", "nsubjpass"):
            return []
        people = {m.name: m for t in noun.sent if t.dep_ in _SUBJECTS and t.i != noun.i
                  for m in [self.found.at(t.i)] if m is not None and m.type == "Person"}
        return list(people.values()) if len(people) == 1 else []

    def _from_experiencer(self, word: Token) -> list[Candidate]:
        """Return "X is appalled by the attacks by Y" / "X remains concerned by Y's aggression" as X condemned Y."""
        clause = word if word.pos_ in VERBAL else word.head
        if word.pos_ not in VERBAL and (word.dep_ not in ("acomp", "xcomp") or clause.pos_ not in VERBAL):
            return []
        if not self._asserted(clause) or (clause is not word and not self._asserted(word)):
            return []
        experiencers = self._subjects(word)[1] if word.pos_ in VERBAL else self._subjects(clause)[0]
        if word.pos_ in VERBAL and not experiencers:
            experiencers = self._subjects(word)[0] if not passive(word) else []
        causes = [pobj(c) for c in word.children
                  if c.dep_ in ("prep", "agent") and c.lower_ in ("by", "at", "about", "over", "with", "to")]
        targets = [m for cause in causes if cause is not None for m in self._agents_of(cause)]
        return self._pairs(experiencers, self.lex.experiencer[word.lower_], targets, word,
                           "experiencer", 0.75)

    def _from_backed(self, participle: Token) -> list[Candidate]:
        """Return "a Qatari-backed militia" as Qatar supported the militia (when it is an actor)."""
        doc = participle.doc
        if participle.i < 2 or doc[participle.i - 1].text not in ("-", "‐", "‑"):
            return []
        backer = self.found.at(participle.i - 2)
        backed = self.found.at(participle.head.i) or self.found.title_holder.get(participle.head.i)
        if backer is None or backed is None:
            return []
        return self._pairs([backer], self.lex.backed[participle.lower_], [backed], participle,
                           "backed", 0.75)

    def _attack_subject(self, verb: Token) -> Token | None:
        """Return the verb's subject when it names an attack ("the strikes killed ...")."""
        for child in verb.children:
            if child.dep_ == "nsubj":
                event = self.lex.noun(child)
                if event is not None and event.predicate == "attacked":
                    return child
        return None

    def _sites(self, head: Token) -> list[Mention]:
        """Return the places an attack's physical target lies in ("struck homes in Beryslav").

        Looked for under the verb's object and `on`/`against` phrases, and in the verb's
        own `in` phrase; only places and countries count, so "killed a man in Paris" is
        no attack on a person.
        """
        holders = [c for c in head.children if c.dep_ in _OBJECTS]
        holders += [pobj(c) for c in head.children
                    if c.dep_ == "prep" and c.lower_ in ("on", "against", "at") and pobj(c) is not None]
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
            if mention is None and item.pos_ == "NOUN":      # "the city of X", "the town of X"
                of = [pobj(c) for c in item.children if c.dep_ == "prep" and c.lower_ == "of"]
                mention = self.found.at(of[0].i) if of and of[0] is not None else None
            possessor = any(c.dep_ == "case" for c in self.doc[mention.end - 1].children) if mention else False
            if mention is not None and mention.type in ("Location", "Country") and not possessor:
                places.append(mention)      # "in Sudan's North Darfur" is not in Sudan as such
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
        return agents

    def _mutual(self, verb: Token, lemma: str, subjects: list[Mention]) -> list[Candidate]:
        """Return both directions of a fight: "A and B clashed", "A clashed with B", "A fought B"."""
        predicate, objects = self.lex.mutual_verbs[lemma]
        if not self._asserted(verb):
            return []
        if objects and not any(c.dep_ in _OBJECTS and c.lemma_.lower() in objects
                               for c in verb.children):
            return []
        sides = list({m.name: m for m in subjects + self._prep_targets(verb, ("alongside",))}.values())
        opponents = self._prep_targets(verb, ("against",))
        if opponents:
            # "fought alongside U.S. forces against Islamic State": an attack, one way.
            return self._pairs(sides, predicate, opponents, verb, "mutual", 0.8)
        partners = self._prep_targets(verb, ("with",))
        if not objects:
            partners += self._direct_objects(verb)
        if partners:
            pairs = [(a, b) for a in sides for b in partners]
        else:
            pairs = [(a, b) for k, a in enumerate(sides) for b in sides[k + 1:]]
        return [c for a, b in pairs
                for c in self._pairs([a], predicate, [b], verb, "mutual", 0.8)
                + self._pairs([b], predicate, [a], verb, "mutual", 0.8)]

    def _mutual_noun(self, noun: Token, event) -> list[Candidate]:
        """Return both directions of "clashes between A and B" or "A's clashes with B"."""
        sides = list({m.name: m for m in self._between(noun)}.values())
        pairs = [(a, b) for k, a in enumerate(sides) for b in sides[k + 1:]]
        if not pairs and event.mutual:
            agents = [m for c in noun.children if c.dep_ in ("poss", "compound", "amod")
                      for m in self._actors(c)]
            pairs = [(a, b) for a in agents for b in self._prep_targets(noun, ("with",))]
            if not agents and len({m.name for m in self._actors(noun)}) > 1:
                # "Kyrgyz and Uzbek clashes": the modifiers are the sides.
                named = list({m.name: m for m in self._actors(noun)}.values())
                pairs = [(a, b) for k, a in enumerate(named) for b in named[k + 1:]]
        return [c for a, b in pairs
                for c in self._pairs([a], event.predicate, [b], noun, "mutual-noun", 0.7)
                + self._pairs([b], event.predicate, [a], noun, "mutual-noun", 0.7)]

    def _between(self, noun: Token) -> list[Mention]:
        """Return the actors a noun is "between", also through a verb under it ("the deal reached between A and B")."""
        holders = [noun, *(c for c in noun.children if c.dep_ in ("acl", "relcl"))]
        if noun.dep_ in ("nsubj", "nsubjpass", *_OBJECTS) and noun.head.pos_ in VERBAL:
            # The parser often hangs the noun's "between" on its verb: "the agreement
            # reached on Monday between A and B", "described the talks Friday between A and B".
            holders.append(noun.head)
        for holder in holders:
            for child in holder.children:
                if child.dep_ == "prep" and child.lower_ == "between" and child.i > noun.i:
                    return self._objects_of(child)
        return []

    def _parties(self, noun: Token) -> list[Mention]:
        """Return the parties to an agreement noun ("the accord between A and B"), else none."""
        event = self.lex.noun(noun)
        if event is None or event.predicate != "agreed_with":
            return []
        return list({m.name: m for m in self._between(noun)}.values())

    def _threatened_act(self, verb: Token, subjects: list[Mention]) -> list[Candidate]:
        """Return "X threatened to retaliate against Y" / "vowed to strike Y" as X threatened Y."""
        if not self._asserted(verb):
            return []
        targets: list[Mention] = []
        for act in (c for c in verb.children if c.dep_ in ("xcomp", "ccomp", "advcl")):
            if act.lemma_.lower() not in self.lex.hostile_acts:
                continue
            targets += self._direct_objects(act) + self._prep_targets(act, ("against", "on", "at"))
        return self._pairs(subjects, "threatened", targets, verb, "threatened-act", 0.75)

    def _urged_to_act(self, head: Token) -> list[Mention]:
        """Return the actors an urging asks to act: "demanded the withdrawal of X", "X's withdrawal"."""
        found: list[Mention] = []
        for obj in (c for c in head.children if c.dep_ in (*_OBJECTS, "pobj")):
            for noun in [obj, *obj.conjuncts]:
                if noun.lemma_.lower() not in self.lex.urged_actions:
                    continue
                for child in noun.children:
                    if child.dep_ == "poss" or (child.dep_ == "amod" and self.found.at(child.i)):
                        found += self._actors(child)
                    elif child.dep_ == "prep" and child.lower_ in ("of", "by", "from"):
                        found += self._objects_of(child)
        return found

    # -- arguments --------------------------------------------------------------------

    def _subjects(self, verb: Token) -> tuple[list[Mention], list[Mention]]:
        """Return (agents, targets of a passive) for a verb, climbing through xcomp and conj."""
        passive_targets: list[Mention] = []
        agents: list[Mention] = []
        for child in verb.children:
            if child.dep_ in _SUBJECTS:
                agents += self._actors(child)
            elif child.dep_ == "nsubjpass":
                passive_targets += self._actors(child)
            elif child.dep_ == "agent" and passive(verb):
                agents += self._actors(pobj(child))
        if passive_targets and not agents:
            # "was hosted for a working lunch by X": the by-phrase hangs off the noun.
            for prep in (c for c in verb.children if c.dep_ == "prep" and pobj(c) is not None):
                for by in (c for c in pobj(prep).children if c.dep_ == "prep" and c.lower_ == "by"):
                    agents += self._actors(pobj(by))
        if not agents and not any(c.dep_ in _SUBJECTS for c in verb.children):
            head = verb.head
            controller = self._controller(verb)
            if controller:                               # "accused Rwanda of supporting M23"
                return controller, passive_targets
            if verb.dep_ in ("xcomp", "conj", "advcl", "pcomp") and head.i != verb.i:
                if head.pos_ not in VERBAL and verb.dep_ == "xcomp":
                    head = verb_above(verb)             # "made sure to condemn"
                if head is not None and head.pos_ in VERBAL:
                    agents = self._subjects(head)[0]
                    if not agents and verb.dep_ == "conj" and head.dep_ in ("ccomp", "conj") \
                            and head.head.pos_ in VERBAL:
                        # "X said the door remains open and invited ...": the parser put
                        # "invited" under the reported clause; its subject is the sayer's.
                        agents = self._subjects(head.head)[0]
                elif verb.dep_ == "pcomp":               # "After meeting with NATO allies, Blinken said"
                    agents = self._subjects(head.head)[0]
            elif verb.dep_ in ("acl", "relcl") and head.i != verb.i:
                by = [c for c in head.children if c.dep_ == "prep" and c.lower_ == "by"]
                agents = self._actors(pobj(by[0])) if by else self._actors(head)
        return agents, passive_targets

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
            if child.dep_ in _OBJECTS:
                result += self._actors(child)
        if not result and verb.dep_ == "conj":           # "rammed and fired on the ships"
            return []
        return result

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
        result: list[Mention] = []
        items = [token, *token.conjuncts] if depth == 0 else [token]
        if depth == 0 and not token.conjuncts:
            items += self._listed_after(token)   # "from CARICOM, the United States and Brazil"
        for item in items:
            mention = self.found.title_holder.get(item.i) or self.found.at(item.i)
            if mention is not None:
                result.append(mention)
            elif item.i in self.found.groups:
                result += self.found.groups[item.i]
            elif depth < 2 and item.pos_ in ("NOUN", "PROPN"):
                listed = self._listed(item, depth)
                if listed:                                # "Saudi leaders: King Salman, ..."
                    result += listed
                    continue
                if item.tag_ in ("NN", "NNP") and item.lemma_.lower() in self.title_heads:
                    # "the US Representative" is a person, not the United States; plural
                    # "Hamas negotiators" act for Hamas.
                    continue        # "Saudi leaders" are people of Saudi Arabia, not the country
                for child in item.children:
                    if child.lower_ in self.lex.led and child.dep_ in ("amod", "compound"):
                        # "the IGAD-led talks": the actor before the hyphen stands behind them.
                        result += [m for c in child.children if c.dep_ in ("npadvmod", "compound", "nmod")
                                   for m in self._actors(c, depth + 1)]
                    elif child.dep_ in ("poss", "compound", "amod", "nmod"):
                        # "Greek and Turkish boats": both modifiers stand for the boats' owners.
                        for modifier in [child, *child.conjuncts] if child.dep_ == "amod" else [child]:
                            result += self._actors(modifier, depth + 1)
                    elif child.dep_ == "prep" and child.lower_ in ("by", "of", "between", "from"):
                        result += self._actors(pobj(child), depth + 1)
                        result += [m for c in (pobj(child).conjuncts if pobj(child) is not None else ())
                                   for m in self._actors(c, depth + 1)]
        return list({m.start: m for m in result}.values())

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
            while j < len(self.doc) and j - noun.i < 6 and self.found.at(j) is None \
                    and self.doc[j].is_title:
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
        if any(c.dep_ == "advcl" and any(a.lower_ == "to" and a.dep_ == "aux" for a in c.children)
               for c in verb.children):
            return True
        return any(c.dep_ in ("xcomp", "ccomp") for c in verb.children) or any(
            c.dep_ in ("acl", "relcl") for o in verb.children if o.dep_ in _OBJECTS for c in o.children)

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
            if node.dep_ in ("ccomp", "xcomp") and node.head.lemma_.lower() in self.lex.reported:
                return False
            if node.dep_ == "pcomp" and node.head.dep_ == "prep" \
                    and node.head.head.lemma_.lower() in self.lex.reported:
                return False            # "accused Rwanda of supporting M23": a claim
            if node.dep_ not in ("xcomp", "conj") or node.head.i == node.i:
                break
            if node.dep_ == "conj" and node.tag_ in ("VBD", "VBZ", "VBP"):
                break        # "does not accept X and calls on Y": a finite conjunct has its own scope
            node = node.head
        return True

    def _pairs(self, subjects: list[Mention], predicate: str, targets: list[Mention], trigger: Token,
               rule: str, confidence: float) -> list[Candidate]:
        allowed = self.lex.object_types.get(predicate)
        result = []
        for subject in subjects:
            if subject.type == "Location":
                continue
            for target in targets:
                if allowed and target.type not in allowed or target.name == subject.name:
                    continue
                score = confidence
                if subject.rule in NOT_A_NAME or target.rule in NOT_A_NAME:
                    score -= 0.1
                result.append(Candidate(subject, predicate, target, trigger, rule, round(score, 2)))
        return result

    # -- relations --------------------------------------------------------------------

    def _relations(self, candidates: list[Candidate], published: str | None) -> list[Relation]:
        chosen: dict[tuple[str, str, str], Relation] = {}
        last_dated: dict[str, tuple[int, str]] = {}     # subject -> (paragraph, date)
        for cand in candidates:
            subject, target = cand.subject, cand.object
            if cand.predicate in self.lex.symmetric and target.start < subject.start:
                subject, target = target, subject
            key = (subject.name, cand.predicate, target.name)
            if key in chosen or (cand.predicate in self.lex.symmetric
                                 and (target.name, cand.predicate, subject.name) in chosen):
                continue
            date = clause_date(cand.trigger, published)
            paragraph = doc_index(self.doc).text[:cand.trigger.idx].count("\n\n")
            if date is None and tense(cand.trigger) == "VBD" and subject.name in last_dated \
                    and paragraph - last_dated[subject.name][0] <= 1:
                # The same actor's next act in the narrative, with no date of its own.
                date = last_dated[subject.name][1]
            if date is not None:
                last_dated[subject.name] = (paragraph, date)
            chosen[key] = Relation(subject=subject.name, predicate=cand.predicate, object=target.name,
                                   date=date,
                                   evidence=self._evidence(cand, subject, target),
                                   confidence=cand.confidence, rule=cand.rule)
        return list(chosen.values())

    def _evidence(self, cand: Candidate, subject: Mention, target: Mention) -> Evidence:
        sent = cand.trigger.sent
        points = [cand.trigger.i, subject.start, subject.end - 1, target.start, target.end - 1]
        # A target reached through "the parties" lies outside the sentence: show those words.
        outside = not all(sent.start <= p < sent.end for p in points)
        for child in cand.trigger.children if outside else ():
            if child.dep_ in _OBJECTS or child.dep_ in ("prt", "agent", "nsubj", "nsubjpass"):
                points.append(child.i)
            elif child.dep_ == "prep" and pobj(child) is not None and child.i > cand.trigger.i:
                points.append(pobj(child).i)
        inside = [p for p in points if sent.start <= p < sent.end]
        span = self.doc[min(inside):max(inside) + 1]
        return Evidence(text=span.text, start=span.start_char, end=span.end_char,
                        sentence=sent.text.strip())
