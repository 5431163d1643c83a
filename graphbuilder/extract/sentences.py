"""The whole sentence around a piece of evidence, for statements that give only their words.

The extractor records each statement's sentence. Extraction files written by hand (a
gold corpus, another tool's output) often give only the words that state it, "condemned
North Korea", with or without offsets. Everything that shows evidence (saved queries,
the HTML view, `path`) shows the whole sentence, so the build finds it: the sentences
of spaCy's rule-based sentencizer (no statistical model, so it costs little), with a
new sentence after every line break as the extractor has.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from ..model import Evidence, Extraction, Relation, Role

if TYPE_CHECKING:
    from spacy.language import Language


def complete_sentences(extractions: Sequence[Extraction]) -> list[Extraction]:
    """Return `extractions` with the sentence filled in wherever evidence has offsets but none.

    Extractions that need nothing are returned as they are (the same objects); spaCy is
    loaded only when one does.
    """
    done = []
    for extraction in extractions:
        statements: list[Role | Relation] = [*extraction.roles, *extraction.relations]
        if not any(_lacks_sentence(s.evidence) for s in statements):
            done.append(extraction)
            continue
        starts, ends = sentence_bounds(extraction.document.text)
        text = extraction.document.text

        def filled(evidence: Evidence | None) -> Evidence | None:
            if evidence is None or not _lacks_sentence(evidence):
                return evidence
            assert evidence.start is not None and evidence.end is not None
            first = max(bisect.bisect_right(starts, evidence.start) - 1, 0)
            last = max(bisect.bisect_right(starts, max(evidence.end - 1, evidence.start)) - 1, first)
            return replace(evidence, sentence=text[starts[first] : ends[last]].strip())

        done.append(
            replace(
                extraction,
                roles=[replace(r, evidence=filled(r.evidence)) for r in extraction.roles],
                relations=[replace(r, evidence=filled(r.evidence)) for r in extraction.relations],
            )
        )
    return done


def sentence_bounds(text: str) -> tuple[list[int], list[int]]:
    """Return the start and end character offsets of the sentences of `text`, in order."""
    doc = _sentencizer()(text)
    sentences = [s for s in doc.sents if s.text.strip()] or list(doc.sents)
    starts, ends = [s.start_char for s in sentences], [s.end_char for s in sentences]
    # The sentencizer leaves a quotation mark that opens the next sentence at the end of
    # the one before ('... said in a statement. “We ...'): give it to the sentence it opens.
    for i in range(len(starts) - 1):
        kept = text[starts[i] : ends[i]].rstrip()
        cut = len(kept)
        while cut > 1 and kept[cut - 1] in _OPENING_QUOTES and kept[cut - 2].isspace():
            cut -= 1
        if cut < len(kept):
            ends[i] = starts[i + 1] = starts[i] + cut
    return starts, ends


_OPENING_QUOTES = "\u201c\u2018\u00ab\"'"


def _lacks_sentence(evidence: Evidence | None) -> bool:
    return (
        evidence is not None
        and not evidence.sentence
        and evidence.start is not None
        and evidence.end is not None
    )


@lru_cache(maxsize=1)
def _sentencizer() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe(paragraph_starts())
    nlp.add_pipe("sentencizer")  # leaves the starts set before it as they are
    return nlp


#: The name of the pipeline component that starts a sentence after every line break.
PARAGRAPH_STARTS = "graphbuilder_paragraphs"


def paragraph_starts() -> str:
    """Return the name of the component that starts a sentence after every line break,
    registering it with spaCy on first use (headings and paragraphs never run together)."""
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_STARTS):
        Language.component(PARAGRAPH_STARTS, func=_paragraph_starts)
    return PARAGRAPH_STARTS


def _paragraph_starts(doc):
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and "\n" in previous.text or previous.text_with_ws.endswith("\n"):
            token.is_sent_start = True
    return doc
