"""Small readings of the dependency parse that the relation rules share."""

from __future__ import annotations

from spacy.tokens import Token

from .dates import resolve_date

VERBAL = {"VERB", "AUX"}


def passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in ("acl", "relcl", "advcl"))


def tense(token: Token) -> str | None:
    """Return the tag of the finite verb governing a trigger ("made sure to condemn": VBD)."""
    for _ in range(4):
        if token.tag_ in ("VBD", "VBZ", "VBP", "MD"):
            return token.tag_
        if token.head.i == token.i:     # the root (spaCy makes a new Token per access)
            return None
        token = token.head
    return None


def pobj(prep: Token) -> Token | None:
    for child in prep.children:
        if child.dep_ in ("pobj", "pcomp"):
            return child
    return None


def verb_above(token: Token) -> Token | None:
    node = token.head
    while node is not None:
        if node.pos_ in VERBAL:
            return node
        if node.head.i == node.i:       # the root: compare positions, Tokens are not kept
            return None
        node = node.head
    return None


def clause_date(trigger: Token, published: str | None) -> str | None:
    """Return the date of the clause around a trigger, or the publication date for the present tense."""
    clause = trigger if trigger.pos_ in VERBAL else verb_above(trigger)
    for ent in trigger.sent.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        owner = verb_above(ent.root)
        if clause is not None and owner is not None and owner.i != clause.i \
                and not (trigger.pos_ not in VERBAL and trigger in ent.root.ancestors):
            if not (owner.dep_ in ("xcomp", "conj") and owner.head.i == clause.i) \
                    and not (clause.dep_ in ("xcomp", "conj", "pcomp") and clause.head.i == owner.i):
                continue
        resolved = resolve_date(ent.text, published)
        if resolved:
            return resolved
    if clause is not None and published and clause.tag_ in ("VBZ", "VBP"):
        return published
    return None
