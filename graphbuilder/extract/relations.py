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
            if token.pos_ in VERBAL:
                candidates.extend(self._from_verb(token))
            elif token.pos_ in ("NOUN", "PROPN") and token.lower_ in self.lex.nouns:
                candidates.extend(self._from_noun(token))
        return self._relations(candidates, published)

    # -- triggers ---------------------------------------------------------------------

    def _from_verb(self, verb: Token) -> list[Candidate]:
        lemma = verb.lemma_.lower()
        if lemma not in self.triggers or not self._asserted(verb):
            return []
        results: list[Candidate] = []
        subjects, passive_targets = self._subjects(verb)
        for child in verb.children:                       # phrasal verbs: "called out", "called on"
            if child.dep_ in ("prt", "prep") and (lemma, child.lower_) in self.lex.phrasal:
                predicate = self.lex.phrasal[(lemma, child.lower_)]
                if f"{lemma} {child.lower_}" in self.lex.requires_complement and not self._complement(verb):
                    continue
                # "called on X": the target follows the preposition; "called out X": it is the object.
                targets = self._objects_of(child) if child.dep_ == "prep" else self._direct_objects(verb)
                results += self._pairs(subjects, predicate, targets, verb, "phrasal-verb", 0.85)
        if results:
            return results
        if lemma in self.lex.receiving:
            results += self._received(verb, subjects)
        if lemma in self.lex.verbs and not results:
            predicate = self.lex.verbs[lemma]
            if lemma in self.lex.requires_complement and not self._complement(verb):
                return []
            targets = self._direct_objects(verb) or passive_targets
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
                    event = self.lex.nouns.get(noun.lower_) or self.lex.nouns.get(noun.lemma_.lower())
                    if event is None:
                        continue
                    targets = self._prep_targets(noun, event.preps) or self._prep_targets(verb, event.preps)
                    results += self._pairs(subjects, event.predicate, targets, verb, "light-verb", 0.8)
        return results

    def _received(self, verb: Token, receivers: list[Mention]) -> list[Candidate]:
        """Return "Guyana received statements of support from Brazil" as Brazil supported Guyana."""
        results = []
        for obj in (c for c in verb.children if c.dep_ in _OBJECTS):
            nouns = [obj] + [pobj(c) for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"]
            for noun in (n for n in nouns if n is not None):
                event = self.lex.nouns.get(noun.lower_) or self.lex.nouns.get(noun.lemma_.lower())
                if event is None:
                    continue
                givers = self._prep_targets(verb, ("from",)) or self._prep_targets(noun, ("from",)) \
                    or self._prep_targets(obj, ("from",))
                results += self._pairs(givers, event.predicate, receivers, verb, "received", 0.75)
        return results

    def _from_noun(self, noun: Token) -> list[Candidate]:
        event = self.lex.nouns[noun.lower_]
        if event.light_only or (noun.dep_ in _OBJECTS and noun.head.lemma_.lower() in self.lex.light_verbs):
            return []
        if noun.head.pos_ in VERBAL and not self._asserted(noun.head):
            return []
        between = [c for c in noun.children if c.dep_ == "prep" and c.lower_ == "between"]
        parties: list[Mention] = []
        rule = "noun-between"
        if between and event.symmetric:
            parties = self._objects_of(between[0])
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
            if child.dep_ in ("poss", "compound", "amod") or (child.dep_ == "prep" and child.lower_ == "by"):
                agents += self._actors(child if child.dep_ != "prep" else pobj(child))
        preps = tuple(p for p in event.preps if p != "of" or event.predicate == "attacked")
        targets = self._prep_targets(noun, preps)
        if event.predicate == "attacked" and not targets:
            targets = self._prep_targets(noun, ("of",))
        if noun.dep_ in _OBJECTS and noun.head.pos_ in VERBAL and not passive(noun.head):
            # The parser often hangs the noun's own phrases on the verb above it.
            agents = agents or self._prep_targets(noun.head, ("by",))
            targets = targets or self._prep_targets(noun.head, preps)
        return self._pairs(agents, event.predicate, targets, noun, "event-noun", 0.7)

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
        if matrix.i == verb.i or matrix.pos_ not in VERBAL or matrix.lemma_.lower() in self.lex.irrealis:
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
                    if child.dep_ in ("poss", "compound", "amod", "nmod"):
                        result += self._actors(child, depth + 1)
                    elif child.dep_ == "prep" and child.lower_ in ("by", "of", "between"):
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
            if node.dep_ in ("xcomp",) and node.head.lemma_.lower() in self.lex.irrealis:
                return False
            if node.dep_ in ("ccomp", "xcomp") and node.head.lemma_.lower() in self.lex.reported:
                return False
            if node.dep_ == "pcomp" and node.head.dep_ == "prep" \
                    and node.head.head.lemma_.lower() in self.lex.reported:
                return False            # "accused Rwanda of supporting M23": a claim
            if node.dep_ not in ("xcomp", "conj") or node.head.i == node.i:
                break
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
