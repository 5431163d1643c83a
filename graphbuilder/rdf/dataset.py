"""Extractions -> an in-memory RDF Dataset: one named graph per article and the corpus graph.

For graphs small enough to keep in memory (tests, scripts, evaluation); a build writes
article by article instead (rdf/writer.py), and both give the same quads.
"""

from __future__ import annotations

from rdflib import Dataset

from ..model import Extraction
from ..options import DEFAULT_EVENT_WINDOW
from ..resources import DEFAULT_BASE
from .corpus import corpus_graph_iri, corpus_triples
from .mapping import article_triples, bind_prefixes, canonical_actors, graph_iri
from .terms import memoized, to_rdflib


def extractions_to_dataset(
    extractions: list[Extraction], base: str = DEFAULT_BASE, window: int | None = DEFAULT_EVENT_WINDOW
) -> Dataset:
    """Return a Dataset with one named graph `{base}graph/{id}` per extraction, and the corpus graph.

    Each named graph holds the triples `article_triples` gives for its article; the corpus
    graph (rdf/corpus.py) the happenings, with events `window` days apart merged. The
    build itself does not hold the Dataset: it writes article by article
    (rdf/writer.py); this is for graphs small enough to keep in memory.
    """
    dataset = Dataset(default_union=True)
    bind_prefixes(dataset, base)
    canonical = canonical_actors(extractions)
    term = memoized(to_rdflib)
    for extraction in extractions:
        graph = dataset.graph(graph_iri(extraction.document.id, base))
        graph.addN(
            (term(s), term(p), term(o), graph) for s, p, o in article_triples(extraction, canonical, base)
        )
    if extractions:
        graph = dataset.graph(corpus_graph_iri(base))
        graph.addN(
            (term(s), term(p), term(o), graph) for s, p, o in corpus_triples(extractions, base, window)
        )
    return dataset
