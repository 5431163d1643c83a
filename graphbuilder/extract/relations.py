"""Relations between actors from the dependency parse.

Triggers: a verb from the lexicon ("condemned", "called out", "asked X to"), a light
verb with an event noun ("extended an invitation to"), an event noun with its own agent
("Russia's invasion of Ukraine", "the summit between A and B"), a verb of fighting whose
sides act on each other ("A and B clashed"), a word of feeling ("appalled by the attacks
by X", "grateful to X"), a hyphened backer ("Iran-backed Hezbollah") and a threat of a
hostile act ("threatened to retaliate against X"). Their arguments come from
`arguments.ArgumentFinder`. Negated, modal, conditional, intended and questioned acts
give nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ..model import Evidence, Relation, Role
from . import lexicon
from .actors import NOT_A_NAME, DocumentActors, Mention
from .arguments import OBJECT_DEPS, ArgumentFinder
from .syntax import VERBAL, clause_date, doc_index, passive, pobj, tense, verb_above


def _ends_sentence(word: Token) -> bool:
    """Return whether only punctuation and quotation marks follow `word` in its sentence."""
    return all(t.is_punct or t.is_quote or t.is_space for t in word.doc[word.i + 1 : word.sent.end])


#: Where a word of censure stands when it labels something ("is unacceptable", "called it childish").
_LABEL_DEPS = frozenset({"acomp", "attr", "oprd", "xcomp", "ccomp", "dobj", "amod", "appos"})
_WORDS = lexicon.predicates().words  # word sets documented in data/predicates.json
_NOT_YET = _WORDS["not_yet"]
_MAKING = _WORDS["making"]
_BLAME_WORDS = _WORDS["blame_words"]
_PROPOSING = _WORDS["proposing"]
_HOSTING = _WORDS["hosting"]
_CREDITING = _WORDS["credit_for_acts"]


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


class RelationFinder(ArgumentFinder):
    """Finds relations in one parsed document."""

    def __init__(self) -> None:
        super().__init__()
        self.triggers = self.lex.verb_triggers

    def find(
        self,
        doc: Doc,
        found: DocumentActors,
        published: str | None,
        issuer: str | None = None,
        roles: Sequence[Role] = (),
        author: Mention | None = None,
    ) -> list[Relation]:
        """Return the document's relations, one per (subject, predicate, object).

        `issuer` is the country or body whose statement the document is, if it is one,
        and `author` the person who signs it: what the text asserts in its own voice is
        theirs (the author's first). `roles` are the posts the document gives its people
        ("the leaders of France and Germany" are its heads).
        """
        self.doc, self.found, self.issuer, self.author = doc, found, issuer, author
        self._index_heads(roles)
        candidates: list[Candidate] = []
        for token in doc:
            if token.lower_ in _BLAME_WORDS or token.lower_ in self.lex.blame_nouns:
                candidates.extend(self._from_blame(token))
            elif token.lower_ in self.lex.censure and token.dep_ in _LABEL_DEPS:
                candidates.extend(self._from_censure(token))
            elif (
                token.lower_ in self.lex.experiencer
                and token.pos_ in ("VERB", "ADJ")
                and self._from_experiencer(token)
            ):
                candidates.extend(self._from_experiencer(token))
            elif token.lower_ in self.lex.backed and token.dep_ == "amod":
                candidates.extend(self._from_backed(token))
            elif (
                token.lower_ in self.lex.listing_nouns
                and token.dep_ == "nsubj"
                and token.head.lemma_.lower() in self.lex.listing_verbs
            ):
                candidates.extend(self._from_listing(token))
            elif token.pos_ in VERBAL and token.lemma_.lower() in ("add", "put", "place"):
                candidates.extend(self._from_blacklisting(token))
            elif (
                token.pos_ in VERBAL
                and any(c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall") for c in token.children)
                and self._vowed(token)
            ):
                candidates.extend(self._vowed(token))
            elif token.pos_ in VERBAL and token.lemma_.lower() in self.lex.rejecting:
                candidates.extend(self._from_rejection(token))
            elif (
                token.pos_ in VERBAL
                and token.lemma_.lower() in self.lex.wrongdoing
                and self._from_wrongdoing(token)
            ):
                # "said that Eritrea supplies weapons to X": a claim against Eritrea.
                candidates.extend(self._from_wrongdoing(token))
            elif (
                token.pos_ in VERBAL and token.lemma_.lower() in self.lex.giving and self._from_giving(token)
            ):
                candidates.extend(self._from_giving(token))
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
        reduced = self._reduced_passive(verb)
        if reduced is not None:
            subjects, passive_targets = reduced
        if lemma in self.lex.mutual_verbs:
            results += self._mutual(verb, lemma, subjects)
        if lemma in self.lex.threat_heads:
            results += self._threatened_act(verb, subjects)
        if results:
            return results
        for child in verb.children:  # phrasal verbs: "called out", "called on"
            if child.dep_ in ("prt", "prep") and (lemma, child.lower_) in self.lex.phrasal:
                predicate = self.lex.phrasal[(lemma, child.lower_)]
                if f"{lemma} {child.lower_}" in self.lex.requires_complement and not self._complement(verb):
                    if self.lex.has(predicate, "directive"):  # "called for the withdrawal of X"
                        results += self._pairs(
                            subjects, predicate, self._urged_to_act(child), verb, "urged-action", 0.75
                        )
                    continue
                # "called on X": the target follows the preposition; "called out X": it is the object.
                targets = self._objects_of(child) if child.dep_ == "prep" else self._direct_objects(verb)
                if not targets and self.lex.has(predicate, "directive") and child.dep_ == "prep":
                    targets = self._urged_to_act(child)  # "called for restraint to prevent ..."
                results += self._pairs(subjects, predicate, targets, verb, "phrasal-verb", 0.85)
        if not results:
            results += self._marked_targets(verb, lemma, subjects)
        if results:
            return results
        if lemma in self.lex.receiving:
            results += self._received(verb, subjects)
        if lemma in _CREDITING and any(
            c.dep_ == "prep" and c.lower_ == "for" and any(p.dep_ == "pcomp" for p in c.children)
            for c in verb.children
        ):
            return results  # "thanked X for supporting Ukraine": what counts is X's act
        if lemma in self.lex.verbs and not results:
            predicate = self.lex.verbs[lemma]
            if lemma in self.lex.requires_complement and not self._complement(verb):
                return (
                    self._pairs(subjects, predicate, self._urged_to_act(verb), verb, "urged-action", 0.75)
                    if self.lex.has(predicate, "directive")
                    else []
                )
            targets = self._direct_objects(verb) or passive_targets
            if lemma in self.lex.receiving:
                # "received President X" is a meeting; "received a letter from X" is not.
                targets = [
                    t
                    for t in targets
                    if any(
                        c.dep_ in OBJECT_DEPS | {"nsubjpass"} and t.start <= c.i < t.end
                        for c in verb.children
                    )
                ]
            if self.lex.has(predicate, "endorsing"):
                # "welcomed the agreement reached between A and B": each party is supported.
                nouns = [c for c in verb.children if c.dep_ in OBJECT_DEPS] + [
                    s
                    for c in verb.children
                    if c.dep_ == "ccomp"
                    for s in c.children
                    if s.dep_ in ("nsubj", "nsubjpass")
                ]
                targets = [m for noun in nouns for m in self._parties(noun)] or targets
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
            if self.lex.has(predicate, "directive") and not targets:
                # "demanded that Pyongyang give up ...": the clause's subject is urged.
                targets = [
                    m
                    for c in verb.children
                    if c.dep_ == "ccomp" and any(m.lower_ == "that" for m in c.children if m.dep_ == "mark")
                    for n in c.children
                    if n.dep_ == "nsubj"
                    for m in self._actors(n)
                ]
            if self.lex.has(predicate, "material") and not targets:
                weapon = self._attack_subject(verb)
                if weapon is not None and lemma in self.lex.harm_verbs:
                    # "Russian airstrikes killed two people in Kherson": the strikes' agent
                    # attacked whom they hit, or where.
                    subjects = subjects or self._agents_of(weapon)
                if narrower is None or weapon is not None:
                    targets = self._sites(verb)
            rule = "verb-passive" if passive_targets and not self._direct_objects(verb) else "verb"
            results += self._pairs(subjects, predicate, targets, verb, rule, 0.9)
        if (
            not results
            and lemma in self.lex.verbs
            and self.lex.verbs[lemma] in self.lex.symmetric
            and len({m.name for m in subjects}) > 1
            and not any(
                c.dep_ == "prep"
                and c.lower_ == "with"
                or c.dep_ in OBJECT_DEPS
                and not any(t.text == "," for t in verb.doc[verb.i : c.i])
                for c in verb.children
            )
        ):
            # "Armenia and Azerbaijan agreed on ...", "X and Y met on Monday"; not "X and
            # Y met voters", whom they met being others (an object after a comma is the
            # parser's misreading of an apposition: "..., the latest step in ...").
            distinct = list({m.name: m for m in subjects}.values())
            results += [
                Candidate(a, self.lex.verbs[lemma], b, verb, "verb-mutual", 0.8)
                for k, a in enumerate(distinct)
                for b in distinct[k + 1 :]
            ]
        if lemma in self.lex.light_verbs:
            for obj in (c for c in verb.children if c.dep_ in OBJECT_DEPS):
                for noun in [obj, *obj.conjuncts]:
                    event = self.lex.noun(noun)
                    if (
                        event is None
                        or event.mutual
                        or event.needs_of
                        or any(c.dep_ in ("det", "neg") and c.lower_ in ("no", "not") for c in noun.children)
                    ):
                        continue  # "had no confidence in X", "held no talks"

                    targets = self._prep_targets(noun, event.preps) or self._prep_targets(verb, event.preps)
                    distinct = list({m.name: m for m in subjects}.values())
                    if not targets and event.symmetric and len(distinct) > 1:
                        # "Putin and his Turkish counterpart, Erdogan, reached an agreement"
                        results += [
                            Candidate(a, event.predicate, b, verb, "light-verb-mutual", 0.8)
                            for k, a in enumerate(distinct)
                            for b in distinct[k + 1 :]
                        ]
                        continue
                    predicate = event.predicate
                    if predicate in self.lex.offered_as and lemma in _PROPOSING:
                        predicate = self.lex.offered_as[predicate]  # "offered talks with X"
                    results += self._pairs(subjects, predicate, targets, verb, "light-verb", 0.8)
        return results

    def _reduced_passive(self, verb: Token) -> tuple[list[Mention], list[Mention]] | None:
        """Return (agents, targets) of a participle after a noun with its own by-phrase.

        "the M23 supported by Rwanda", "a militia armed by Iran", "the offensive of the
        M23 backed by the RDF": the by-phrase did the act to the noun, or to whoever
        the noun's act belongs to. None when the verb is no such participle.
        """
        if (
            verb.dep_ != "acl"
            or verb.tag_ != "VBN"
            or verb.head.i == verb.i
            or self.lex.verbs.get(verb.lemma_.lower()) in self.lex.symmetric
        ):
            return None  # "the deal signed by A and B": A and B are its parties
        agents = [m for c in verb.children if c.dep_ == "agent" for m in self._actors(pobj(c))]
        if not agents:
            return None
        noun = verb.head
        targets = self._agents_of(noun)
        if not targets and self.lex.noun(noun) is not None:
            targets = self._prep_targets(noun, ("of",))  # "the offensive of the M23"
        return agents, targets

    def _marked_targets(self, verb: Token, lemma: str, subjects: list[Mention]) -> list[Candidate]:
        """Return "calls on X to act" where the parser took "on" as the mark of X's clause."""
        results: list[Candidate] = []
        for clause in (c for c in verb.children if c.dep_ in ("advcl", "ccomp", "xcomp")):
            marks = [c for c in clause.children if c.dep_ == "mark" and c.i < clause.i]
            for mark in marks:
                predicate = self.lex.phrasal.get((lemma, mark.lower_))
                if predicate is None or any(t.dep_ != "advmod" for t in verb.doc[verb.i + 1 : mark.i]):
                    continue  # the particle must follow the verb (adverbs aside)
                targets = [
                    m for c in clause.children if c.dep_ == "nsubj" and c.i > mark.i for m in self._actors(c)
                ]
                results += self._pairs(subjects, predicate, targets, verb, "phrasal-verb", 0.8)
        return results

    def _received(self, verb: Token, receivers: list[Mention]) -> list[Candidate]:
        """Return "Guyana received statements of support from Brazil" as Brazil supported Guyana."""
        results = []
        for obj in (c for c in verb.children if c.dep_ in OBJECT_DEPS):
            nouns = [obj] + [pobj(c) for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"]
            for noun in (n for n in nouns if n is not None):
                event = self.lex.noun(noun)
                if event is None:
                    continue
                givers = (
                    self._prep_targets(verb, ("from",))
                    or self._prep_targets(noun, ("from",))
                    or self._prep_targets(obj, ("from",))
                )
                results += self._pairs(givers, event.predicate, receivers, verb, "received", 0.75)
        return results

    def _from_noun(self, noun: Token) -> list[Candidate]:
        event = self.lex.noun(noun)
        if event is None:  # find() calls this only for nouns the lexicon has
            return []
        if event.needs_of and not any(
            c.dep_ == "prep"
            and c.lower_ == "of"
            and (o := pobj(c)) is not None
            and o.lower_ in event.needs_of
            for c in noun.children
        ):
            return []  # "an exchange of views" is no attack
        if event.mutual or event.mutual_between:
            if noun.head.pos_ in VERBAL and not self._asserted(noun.head):
                return []
            mutual = self._mutual_noun(noun, event)
            if mutual or event.mutual:
                return mutual
        if noun.head.pos_ in VERBAL and not self._asserted(noun.head):
            return []
        if any(c.dep_ in ("amod", "compound") and c.lower_ in _NOT_YET for c in noun.children):
            return []  # "scheduled talks with Lavrov", "a planned visit": not yet held
        # "brokered a deal between A and B": the parties agreed, whoever brokered it;
        # "the agreements they announced": those who announced them.
        parties = self._between(noun) if event.symmetric and not event.light_only else []
        if not parties and event.symmetric and not event.light_only:
            parties = [
                m
                for c in noun.children
                if c.dep_ == "relcl" and c.lemma_.lower() in _MAKING and self._asserted(c)
                for m in self._subjects(c)[0]
            ]
            parties = parties if len({m.name for m in parties}) > 1 else []
        rule = "noun-between"
        if not parties and (
            event.light_only
            or (noun.dep_ in OBJECT_DEPS and noun.head.lemma_.lower() in self.lex.light_verbs)
        ):
            return []
        if parties:
            pass
        elif (
            event.symmetric
            and noun.dep_ == "pobj"
            and noun.head.lower_ in ("during", "at")
            and noun.head.head.pos_ in VERBAL
        ):
            # "During the September 14 meeting, Japan, South Korea and America asked ...":
            # those who acted at the meeting met there.
            parties = self._subjects(noun.head.head)[0]
            rule = "noun-during"
        if parties:
            parties = list({m.name: m for m in parties}.values())
            return [
                Candidate(a, event.predicate, b, noun, rule, 0.7, [noun.i])
                for k, a in enumerate(parties)
                for b in parties[k + 1 :]
            ]
        agents: list[Mention] = []
        for child in noun.children:
            if child.dep_ in ("poss", "compound", "amod") or (
                child.dep_ == "prep" and child.lower_ in event.agent_preps
            ):
                agents += self._actors(child if child.dep_ != "prep" else pobj(child))
        preps = tuple(p for p in event.preps if p != "of" or self.lex.has(event.predicate, "material"))
        targets = self._prep_targets(noun, preps)
        # A participle that is itself a trigger ("the offensive backed by X") makes its own relation.
        participles = [
            c
            for c in noun.children
            if c.dep_ == "acl" and c.tag_ in ("VBN", "VBD") and c.lemma_.lower() not in self.lex.verbs
        ]
        if (
            noun.dep_ == "nsubj"
            and noun.head.tag_ in ("VBN", "VBD")
            and any(c.lower_ == "by" for c in noun.head.children if c.i > noun.head.i)
        ):
            participles.append(noun.head)  # the parser made the participle the main verb
        for participle in participles:
            # "the charges leveled against X by Y", "sanctions imposed on X by Y"
            agents = agents or [
                m
                for c in participle.children
                if c.dep_ in ("agent", "prep") and c.lower_ == "by"
                for m in self._actors(pobj(c))
            ]
            targets = targets or self._prep_targets(participle, preps)
        if event.target_types:
            targets = [t for t in targets if t.type in event.target_types]
        if self.lex.has(event.predicate, "charging") and not targets:
            # "the claims by Russia and China that the U.S. is acting ...": whom the claim is about.
            targets = [
                m
                for c in noun.children
                if c.dep_ in ("acl", "ccomp")
                and any(k.lower_ == "that" for k in c.children if k.dep_ == "mark")
                for n in c.children
                if n.dep_ in ("nsubj", "nsubjpass")
                for m in self._actors(n)
            ]
        if self.lex.has(event.predicate, "material") and not targets:
            targets = self._prep_targets(noun, ("of",)) or self._sites(noun)
        if noun.dep_ in OBJECT_DEPS and noun.head.pos_ in VERBAL and not passive(noun.head):
            # The parser often hangs the noun's own phrases on the verb above it.
            agents = agents or self._prep_targets(noun.head, ("by",))
            targets = targets or self._prep_targets(noun.head, preps)
        clause = self._clause_of(noun)
        if (
            self.lex.has(event.predicate, "endorsing")
            and not targets
            and clause is not None
            and noun.head.lower_ in ("with", "thanks")
        ):
            # "Haiti restored order with the support of Chile": Chile supported Haiti.
            agents = agents or [
                m for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for m in self._objects_of(c)
            ]
            targets = self._subjects(clause)[0]
        elif not agents and not event.symmetric and clause is not None and noun.head.lower_ in ("with", "in"):
            # "Israel responded with airstrikes on Gaza": the clause's subject acted.
            agents = self._subjects(clause)[0]
            targets = targets or self._prep_targets(clause, preps)
        visit: list[Candidate] = []
        if (
            event.symmetric
            and targets
            and not agents
            and noun.head.lower_ == "for"
            and noun.head.head.lemma_.lower() in _HOSTING
        ):
            # "welcome President Sandu to the United Kingdom for meetings with the Prime
            # Minister": the guest meets them, and visits the country welcoming her.
            host = noun.head.head
            if not self._asserted(host):
                return []
            agents = [
                m
                for c in host.children
                if c.dep_ in OBJECT_DEPS
                for m in self._actors(c)
                if m.type in ("Person", "Country", "Organization")
            ]
            visited = [
                m
                for c in host.children
                if c.dep_ in ("dative", "prep") and c.lower_ == "to"
                for m in self._objects_of(c)
                if m.type == "Country"
            ]
            visit = self._pairs(
                agents, self.lex.rule_relations["welcomed-guest"], visited, noun, "event-noun", 0.7
            )
        if event.symmetric and targets and not agents:
            agents = self._present_party(noun, clause)
        return self._pairs(agents, event.predicate, targets, noun, "event-noun", 0.7) + visit

    def _from_experiencer(self, word: Token) -> list[Candidate]:
        """Return "X is appalled by the attacks by Y" / "X remains concerned by Y's aggression"
        as X condemned Y."""
        clause = word if word.pos_ in VERBAL else word.head
        if word.pos_ not in VERBAL and (word.dep_ not in ("acomp", "xcomp") or clause.pos_ not in VERBAL):
            return []
        if any(c.dep_ in OBJECT_DEPS for c in word.children):
            return []  # "committed troops to Mali" is an act, not a state of mind
        if not self._asserted(clause) or (clause is not word and not self._asserted(word)):
            return []
        experiencers = self._subjects(word)[1] if word.pos_ in VERBAL else self._subjects(clause)[0]
        if word.pos_ in VERBAL and not experiencers:
            experiencers = self._subjects(word)[0] if not passive(word) else []
        causes = [
            pobj(c)
            for c in word.children
            if c.dep_ in ("prep", "agent") and c.lower_ in ("by", "at", "about", "over", "with", "to")
        ]
        targets = [m for cause in causes if cause is not None for m in self._agents_of(cause)]
        # "remains committed to working closely with the new government of Afghanistan"
        targets += [
            m
            for c in word.children
            if c.dep_ == "prep" and c.lower_ == "to"
            for act in c.children
            if act.dep_ == "pcomp"
            for m in self._prep_targets(act, ("with",)) + self._direct_objects(act)
        ]
        return self._pairs(
            experiencers, self.lex.experiencer[word.lower_], targets, word, "experiencer", 0.75
        )

    def _from_blame(self, word: Token) -> list[Candidate]:
        """Return blame laid without "accuse": the speaker accused who is responsible for a harm.

        "X is responsible for the attack" / "X was behind the killings": X, the clause's
        subject; "evidence of X's involvement in the poisoning": X, the noun's owner.
        The accuser is who said so (`speaker`).
        """
        if word.lower_ in self.lex.blame_nouns:
            if word.pos_ != "NOUN":
                return []
            blamed = [
                m for c in word.children if c.dep_ in ("poss", "amod", "compound") for m in self._actors(c)
            ]
            blamed += [
                m for c in word.children if c.dep_ == "prep" and c.lower_ == "of" for m in self._objects_of(c)
            ]
            clause = self._clause_of(word) or (word.head if word.head.pos_ in VERBAL else None)
        elif word.pos_ in VERBAL and word.tag_ == "VBN":
            # "Russia was involved in the poisoning": the participle is the clause.
            clause = word
            blamed = [m for c in word.children if c.dep_ in ("nsubj", "nsubjpass") for m in self._actors(c)]
        else:
            clause = word.head
            if clause.pos_ not in VERBAL or clause.lemma_ != "be" or word.dep_ not in ("acomp", "prep"):
                return []
            blamed = [m for c in clause.children if c.dep_ == "nsubj" for m in self._actors(c)]
        if clause is not None and not self._asserted(clause):
            return []
        harm = [
            t
            for c in word.children
            if c.dep_ in ("prep", "pobj")
            for t in c.subtree
            if t.lower_ in self.lex.harms
        ]
        if not blamed or not harm:
            return []
        return self._pairs(self._speaker(word), self.lex.rule_relations["blame"], blamed, word, "blame", 0.7)

    def _from_censure(self, word: Token) -> list[Candidate]:
        """Return censure of an actor or of its act as condemnation (or accusation, for labels;
        support, for labels of praise such as "a milestone").

        "The government's use of force is unacceptable": the speaker condemned the
        government; "Rouhani called the move by the United States childish": Rouhani
        condemned the United States; "Turkey calls the Kurds terrorists": an accusation.
        """
        predicate = self.lex.censure[word.lower_]
        clause = word.head
        if (
            word.dep_ == "appos"
            and clause.i == word.head.i
            and clause.pos_ not in VERBAL
            and not (
                _ends_sentence(word)
                and any(a.lemma_.lower() in self.lex.naming_verbs for a in word.ancestors)
            )
        ):
            return []  # only a label that ends what a naming verb says
        if word.dep_ == "amod":
            # "Russia said its moves answered Britain's provocative actions": the one who
            # calls an act provocative (the speaker, else the subject of the clause it is
            # in) condemns whoever did it. Labels as modifiers ("the terrorist group") name,
            # they do not accuse.
            owner = verb_above(word)
            if (
                not self.lex.has(predicate, "censuring")
                or word.pos_ != "ADJ"
                or owner is None
                or not self._asserted(owner)
            ):
                return []
            agents = [
                m
                for c in clause.children
                if c.dep_ == "poss" or c.dep_ == "prep" and c.lower_ == "by"
                for m in (self._actors(c) if c.dep_ == "poss" else self._objects_of(c))
            ]
            censors = self._speaker(word, clause_subject=True)
            return self._pairs(censors, predicate, agents, word, "censure", 0.65)
        namer = next(
            (a for a in word.ancestors if a.pos_ in VERBAL and a.lemma_.lower() in self.lex.naming_verbs),
            None,
        )
        if namer is not None and namer.i != clause.i and _ends_sentence(word):
            # "called the move by the United States to sanction X 'childish.'": the
            # parser hung the label on the inner verb; the sentence ends on it.
            clause = namer
        if clause.pos_ not in VERBAL or not self._asserted(clause):
            return []
        naming = clause.lemma_.lower() in self.lex.naming_verbs
        if naming:
            objects = [c for c in clause.children if c.dep_ == "dobj" and c.i < word.i]
            if word.dep_ == "dobj" and word.head.i == clause.i:  # "calls the Kurds terrorists", one phrase
                objects = [c for c in word.children if c.dep_ in ("compound", "amod") and self.found.at(c.i)]
            censors = self._subjects(clause)[0]
        elif clause.lemma_ == "be" and word.dep_ in ("acomp", "attr"):
            objects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
            censors = self._speaker(word)
        else:
            return []
        censured = [m for obj in objects for m in self._agents_of(obj)]
        # "called the agreement a milestone": praise of its parties, by the same grammar.
        rule = "praise" if self.lex.has(predicate, "endorsing") else "censure"
        return self._pairs(censors, predicate, censured, word, rule, 0.7)

    def _from_wrongdoing(self, verb: Token) -> list[Candidate]:
        """Return "A said that X supplies weapons to rebels" as A accused X (only when said)."""
        if verb.dep_ not in ("ccomp", "conj") or not self._asserted(verb):
            return []
        objects = self.lex.wrongdoing[verb.lemma_.lower()]
        if objects and not any(
            t.lower_ in objects for c in verb.children if c.dep_ in OBJECT_DEPS for t in c.subtree
        ):
            return []  # "supplies aid" is no wrongdoing
        sayer = verb.head if verb.dep_ == "ccomp" else verb.head.head
        if (
            sayer.pos_ not in VERBAL
            or sayer.lemma_.lower() not in self.lex.speech_verbs
            or not self._asserted(sayer)
        ):
            return []
        wrongdoers = self._subjects(verb)[0]
        return self._pairs(
            self._subjects(sayer)[0],
            self.lex.rule_relations["wrongdoing"],
            wrongdoers,
            verb,
            "wrongdoing",
            0.65,
        )

    def _speaker(self, token: Token, clause_subject: bool = False) -> list[Mention]:
        """Return who states the clause a token is in: the subject of "said", else the issuer.

        With `clause_subject`, an actor subject of the clause the token is in comes before
        the issuer ("X expressed concern over Pyongyang's provocative behavior": X).
        """
        if clause_subject:
            said = self._speaker(token)
            if said and said[0].rule not in ("issuer", "author"):
                return said
            verb = verb_above(token)
            subjects = self._subjects(verb)[0] if verb is not None else []
            return subjects or said
        node = token
        for _ in range(8):
            head = node.head
            if head.i == node.i:
                break
            if (
                head.pos_ in VERBAL
                and head.lemma_.lower() in self.lex.speech_verbs
                and node.dep_ in ("ccomp", "parataxis", "dobj")
            ):
                return self._subjects(head)[0]
            node = head
        for child in node.children:  # '"...," said X': the quote hangs from the root
            if child.dep_ in ("parataxis", "ccomp") and child.lemma_.lower() in self.lex.speech_verbs:
                return self._subjects(child)[0]
        if node.pos_ in VERBAL and node.lemma_.lower() in self.lex.speech_verbs and node.i != token.i:
            return self._subjects(node)[0]
        if doc_index(self.doc).in_quote(token.i):
            return []
        if self.author is not None:
            return [Mention(token.i, token.i + 1, self.author.name, "Person", token.text, "author")]
        if self.issuer:
            return [
                Mention(
                    token.i,
                    token.i + 1,
                    self.issuer,
                    self.found.types.get(self.issuer, "Country"),
                    token.text,
                    "issuer",
                )
            ]
        return []

    def _vowed(self, verb: Token) -> list[Candidate]:
        """Return a hostile act announced for the future as a threat: "Iran will retaliate
        against the United States", "we will take action to deter North Korea".

        Only "will": "would" and "could" are conditions, not announcements; a negated or
        questioned act threatens no one.
        """
        acts = [verb] if verb.lemma_.lower() in self.lex.hostile_acts else []
        if verb.lemma_.lower() == "take" and any(
            c.dep_ in OBJECT_DEPS and c.lemma_.lower() in ("action", "measure", "step") for c in verb.children
        ):
            acts = [
                c
                for c in verb.children
                if c.dep_ in ("xcomp", "advcl", "acl") and c.lemma_.lower() in self.lex.hostile_acts
            ]
            acts += [
                a
                for o in verb.children
                if o.dep_ in OBJECT_DEPS
                for a in o.children
                if a.dep_ in ("acl", "relcl") and a.lemma_.lower() in self.lex.hostile_acts
            ]
        if not acts or any(c.dep_ == "neg" for c in verb.children) or doc_index(self.doc).in_question(verb.i):
            return []
        targets = [
            m
            for act in acts
            for m in self._direct_objects(act) + self._prep_targets(act, ("against", "on", "at"))
        ]
        return self._pairs(
            self._subjects(verb)[0], self.lex.rule_relations["vowed"], targets, verb, "vowed", 0.7
        )

    def _from_blacklisting(self, verb: Token) -> list[Candidate]:
        """Return "added Huawei to its Entity List" as the list's keeper sanctioning Huawei.

        The keeper is the verb's subject or by-phrase, else the list's owner ("the
        Treasury Department's ... List").
        """
        # "to the Treasury's Specially Designated Nationals and Blocked Persons List"
        phrases = [
            [p, *p.conjuncts]
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ in ("to", "on")
            for p in [pobj(c)]
            if p is not None
        ]
        phrases = [heads for heads in phrases if any(h.lower_ in ("list", "blacklist") for h in heads)]
        if (
            not phrases
            or not self._asserted(verb)
            or not any(t.lower_ in self.lex.blacklist for t in phrases[0][0].subtree)
        ):
            return []
        keepers, listed = self._subjects(verb)
        listed = listed or self._direct_objects(verb)
        if not keepers:
            keepers = [
                m
                for h in phrases[0]
                for c in h.children
                if c.dep_ == "poss"
                for m in self._actors(c)
                if m.type != "Location"
            ]
        return self._pairs(keepers, self.lex.rule_relations["blacklist"], listed, verb, "blacklist", 0.8)

    def _from_giving(self, verb: Token) -> list[Candidate]:
        """Return "the U.S. committed a defense package to Ukraine" as the U.S. supported Ukraine.

        The gift must be aid or arms ("sent weapons to", "supplied X with ammunition");
        sending envoys or letters supports no one.
        """
        objects = [n for c in verb.children if c.dep_ in OBJECT_DEPS for n in [c, *c.conjuncts]]
        # "$5 billion in aid", "a package of weapons": the gift is named inside the object.
        gifts = objects + [
            p
            for o in objects
            for c in o.children
            if c.dep_ == "prep" and c.lower_ in ("in", "of")
            for p in [pobj(c)]
            if p is not None
        ]
        gifts += [
            p
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ == "with"
            for p in [pobj(c)]
            if p is not None
        ]
        if not any(g.lemma_.lower() in self.lex.given for g in gifts) or not self._asserted(verb):
            return []
        receivers = [
            m
            for c in verb.children
            if c.dep_ in ("dative", "prep") and c.lower_ == "to"
            for m in self._objects_of(c)
        ]
        receivers += [
            m
            for g in gifts
            if g.dep_ != "pobj" or g.head.head in objects
            for c in g.children
            if c.dep_ == "prep" and c.lower_ in ("to", "for")
            for m in self._objects_of(c)
        ]
        if any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children):
            receivers += self._direct_objects(verb)  # "supplied the rebels with weapons"
        receivers = [m for m in receivers if m.type != "Location"]
        return self._pairs(
            self._subjects(verb)[0], self.lex.rule_relations["giving"], receivers, verb, "giving", 0.75
        )

    def _from_rejection(self, verb: Token) -> list[Candidate]:
        """Return "We reject the claims by Russia and China that ..." as condemning them.

        Whose claims they are: the noun's by-phrase or possessor ("Britain's baseless
        accusations"); a claim nobody is named for condemns no one.
        """
        if not self._asserted(verb):
            return []
        subjects = self._subjects(verb)[0]
        targets: list[Mention] = []
        for obj in (c for c in verb.children if c.dep_ in OBJECT_DEPS):
            for noun in [obj, *obj.conjuncts]:
                if noun.lemma_.lower() not in self.lex.rejected:
                    continue
                targets += [
                    m
                    for c in noun.children
                    if c.dep_ in ("poss", "compound", "amod")
                    for m in self._actors(c)
                    if m.type != "Location"
                ]
                targets += self._prep_targets(noun, ("by", "from"))
        return self._pairs(subjects, self.lex.rule_relations["rejection"], targets, verb, "rejection", 0.75)

    def _from_listing(self, noun: Token) -> list[Candidate]:
        """Return "The listings include X, Y and Z" as the lister sanctioned each of them.

        The lister is the noun's own agent ("the EU's designations", "listings by the
        Council"), else whose statement the sentence is.
        """
        verb = noun.head
        if not self._asserted(verb):
            return []
        agents = [
            m
            for c in noun.children
            if c.dep_ in ("poss", "compound", "amod")
            for m in self._actors(c)
            if m.type != "Location"
        ]
        agents += self._prep_targets(noun, ("by",))
        agents = agents or self._speaker(noun)
        # Each person named in the list, however the parser split its titles ("RDF major
        # general and commander of the 3rd division Eugene Nkubito"); else what it lists.
        objects = [t for c in verb.children if c.dep_ in OBJECT_DEPS for t in c.subtree]
        people = list(
            {
                m.name: m
                for t in objects
                for m in [self.found.at(t.i)]
                if m is not None and m.type == "Person"
            }.values()
        )
        targets = people or self._direct_objects(verb)
        return self._pairs(agents, self.lex.listing_nouns[noun.lower_], targets, noun, "listing", 0.75)

    def _from_backed(self, participle: Token) -> list[Candidate]:
        """Return "a Qatari-backed militia" as Qatar supported the militia (when it is an actor)."""
        doc = participle.doc
        if participle.i < 2 or doc[participle.i - 1].text not in ("-", "‐", "‑"):
            return []
        backer = self.found.at(participle.i - 2)
        backed = self.found.at(participle.head.i) or self.found.title_holder.get(participle.head.i)
        if backer is None or backed is None:
            return []
        return self._pairs([backer], self.lex.backed[participle.lower_], [backed], participle, "backed", 0.75)

    def _mutual(self, verb: Token, lemma: str, subjects: list[Mention]) -> list[Candidate]:
        """Return both directions of a fight: "A and B clashed", "A clashed with B", "A fought B"."""
        predicate, objects = self.lex.mutual_verbs[lemma]
        if not self._asserted(verb):
            return []
        if objects and not any(c.dep_ in OBJECT_DEPS and c.lemma_.lower() in objects for c in verb.children):
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
            pairs = [(a, b) for k, a in enumerate(sides) for b in sides[k + 1 :]]
        return [
            c
            for a, b in pairs
            for c in self._pairs([a], predicate, [b], verb, "mutual", 0.8)
            + self._pairs([b], predicate, [a], verb, "mutual", 0.8)
        ]

    def _mutual_noun(self, noun: Token, event) -> list[Candidate]:
        """Return both directions of "clashes between A and B" or "A's clashes with B"."""
        sides = list({m.name: m for m in self._between(noun)}.values())
        pairs = [(a, b) for k, a in enumerate(sides) for b in sides[k + 1 :]]
        if not pairs and event.mutual:
            agents = [
                m for c in noun.children if c.dep_ in ("poss", "compound", "amod") for m in self._actors(c)
            ]
            pairs = [(a, b) for a in agents for b in self._prep_targets(noun, ("with",))]
            if not agents and len({m.name for m in self._actors(noun)}) > 1:
                # "Kyrgyz and Uzbek clashes": the modifiers are the sides.
                named = list({m.name: m for m in self._actors(noun)}.values())
                pairs = [(a, b) for k, a in enumerate(named) for b in named[k + 1 :]]
        return [
            c
            for a, b in pairs
            for c in self._pairs([a], event.predicate, [b], noun, "mutual-noun", 0.7)
            + self._pairs([b], event.predicate, [a], noun, "mutual-noun", 0.7)
        ]

    def _threatened_act(self, verb: Token, subjects: list[Mention]) -> list[Candidate]:
        """Return "X threatened to retaliate against Y" / "vowed to strike Y" as X threatened Y."""
        if not self._asserted(verb):
            return []
        targets: list[Mention] = []
        for act in (c for c in verb.children if c.dep_ in ("xcomp", "ccomp", "advcl")):
            if act.lemma_.lower() not in self.lex.hostile_acts:
                continue
            found = self._direct_objects(act) + self._prep_targets(act, ("against", "on", "at"))
            if not found and verb.lemma_.lower() == "warn":
                # "warned Venezuela would respond if Colombia tried a similar raid": whoever
                # the condition is about is threatened.
                found = [
                    m
                    for c in act.children
                    if c.dep_ == "advcl"
                    and any(k.lower_ in ("if", "unless") for k in c.children if k.dep_ == "mark")
                    for s in c.children
                    if s.dep_ == "nsubj"
                    for m in self._actors(s)
                ]
            targets += found
        return self._pairs(
            subjects, self.lex.rule_relations["threatened-act"], targets, verb, "threatened-act", 0.75
        )

    def _pairs(
        self,
        subjects: list[Mention],
        predicate: str,
        targets: list[Mention],
        trigger: Token,
        rule: str,
        confidence: float,
    ) -> list[Candidate]:
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
        last_dated: dict[str, tuple[int, str]] = {}  # subject -> (paragraph, date)
        for cand in candidates:
            subject, target = cand.subject, cand.object
            if cand.predicate in self.lex.symmetric and target.start < subject.start:
                subject, target = target, subject
            key = (subject.name, cand.predicate, target.name)
            if key in chosen or (
                cand.predicate in self.lex.symmetric and (target.name, cand.predicate, subject.name) in chosen
            ):
                continue
            date = clause_date(cand.trigger, published)
            paragraph = doc_index(self.doc).text[: cand.trigger.idx].count("\n\n")
            if (
                date is None
                and tense(cand.trigger) == "VBD"
                and subject.name in last_dated
                and paragraph - last_dated[subject.name][0] <= 1
            ):
                # The same actor's next act in the narrative, with no date of its own.
                date = last_dated[subject.name][1]
            if date is not None:
                last_dated[subject.name] = (paragraph, date)
            chosen[key] = Relation(
                subject=subject.name,
                predicate=cand.predicate,
                object=target.name,
                date=date,
                evidence=self._evidence(cand, subject, target),
                confidence=cand.confidence,
                rule=cand.rule,
            )
        return list(chosen.values())

    def _evidence(self, cand: Candidate, subject: Mention, target: Mention) -> Evidence:
        sent = cand.trigger.sent
        points = [cand.trigger.i, subject.start, subject.end - 1, target.start, target.end - 1]
        # A target reached through "the parties" lies outside the sentence: show those words.
        outside = not all(sent.start <= p < sent.end for p in points)
        for child in cand.trigger.children if outside else ():
            if child.dep_ in OBJECT_DEPS or child.dep_ in ("prt", "agent", "nsubj", "nsubjpass"):
                points.append(child.i)
            elif child.dep_ == "prep" and (o := pobj(child)) is not None and child.i > cand.trigger.i:
                points.append(o.i)
        inside = [p for p in points if sent.start <= p < sent.end]
        span = self.doc[min(inside) : max(inside) + 1]
        return Evidence(text=span.text, start=span.start_char, end=span.end_char, sentence=sent.text.strip())
