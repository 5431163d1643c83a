"""Small readings of the dependency parse that the relation rules share."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from .dates import resolve_date

VERBAL = {"VERB", "AUX"}
_INDEX_KEY = "graphbuilder.index"


class DocIndex:
    """Lookups the rules make for most tokens of a document, computed once per document.

    spaCy builds `doc.ents`, `token.sent` and their texts anew on every access; asked
    per verb and per token, that was most of the rules' own time.
    """

    def __init__(self, doc: Doc) -> None:
        self.text = doc.text
        self.entities: tuple[Span, ...] = tuple(doc.ents)
        self._entity_at = {i: ent for ent in self.entities for i in range(ent.start, ent.end)}
        self._question = [False] * len(doc)
        for sent in doc.sents:
            if sent.text.rstrip().endswith("?"):
                self._question[sent.start : sent.end] = [True] * len(sent)
        self._sentence_entities: dict[int, list[Span]] = {}
        # Inside quotation marks: the words are the quoted speaker's, not the text's author's.
        # Quotes do not run past a paragraph; straight quotes open and close in turn.
        self._quoted = [False] * len(doc)
        inside = False
        for token in doc:
            if "\n" in token.text_with_ws and token.is_space:
                inside = False
            text = token.text
            if text in ("“", "«") or (text == '"' and not inside):
                inside = True
            elif text in ("”", "»") or text == '"':
                inside = False
            else:
                self._quoted[token.i] = inside

    def in_quote(self, i: int) -> bool:
        """Return whether token i stands inside quotation marks."""
        return self._quoted[i]

    def entity_at(self, i: int) -> Span | None:
        """Return the named entity that token i is part of."""
        return self._entity_at.get(i)

    def in_question(self, i: int) -> bool:
        """Return whether token i is in a sentence that ends with a question mark."""
        return self._question[i]

    def sentence_entities(self, sent: Span) -> list[Span]:
        """Return `sent.ents`: the entities wholly inside the sentence, in order."""
        if sent.start not in self._sentence_entities:
            self._sentence_entities[sent.start] = [
                e for e in self.entities if sent.start <= e.start and e.end <= sent.end
            ]
        return self._sentence_entities[sent.start]


def doc_index(doc: Doc) -> DocIndex:
    """Return the document's DocIndex, made on first use and kept with the Doc."""
    index = doc.user_data.get(_INDEX_KEY)
    if index is None:
        index = doc.user_data[_INDEX_KEY] = DocIndex(doc)
    return index


def release_index(doc: Doc) -> None:
    """Drop the document's DocIndex once its rules have run.

    The index holds Spans of the Doc, which hold the Doc: left in place, the cycle keeps
    every parsed Doc (and its tensors) alive until the garbage collector runs, and the
    memory of a build grows with its corpus.
    """
    doc.user_data.pop(_INDEX_KEY, None)


def passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
        verb.tag_ == "VBN" and verb.dep_ in ("acl", "relcl", "advcl")
    )


def tense(token: Token) -> str | None:
    """Return the tag of the finite verb governing a trigger ("made sure to condemn": VBD)."""
    for _ in range(4):
        if token.tag_ in ("VBD", "VBZ", "VBP", "MD"):
            return token.tag_
        if token.head.i == token.i:  # the root (spaCy makes a new Token per access)
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
        if node.head.i == node.i:  # the root: compare positions, Tokens are not kept
            return None
        node = node.head
    return None


def clause_date(trigger: Token, published: str | None) -> str | None:
    """Return the date of the clause around a trigger, or the publication date for the present tense."""
    clause = trigger if trigger.pos_ in VERBAL else verb_above(trigger)
    for ent in doc_index(trigger.doc).sentence_entities(trigger.sent):
        if ent.label_ not in ("DATE", "TIME"):
            continue
        owner = verb_above(ent.root)
        if (
            clause is not None
            and owner is not None
            and owner.i != clause.i
            and not (trigger.pos_ not in VERBAL and trigger in ent.root.ancestors)
        ):
            if not (owner.dep_ in ("xcomp", "conj") and owner.head.i == clause.i) and not (
                clause.dep_ in ("xcomp", "conj", "pcomp") and clause.head.i == owner.i
            ):
                continue
        resolved = resolve_date(ent.text, published)
        if resolved:
            return resolved
    if clause is not None and published and clause.tag_ in ("VBZ", "VBP"):
        return published
    return None
