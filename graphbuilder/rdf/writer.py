"""A build's graph written article by article, through an on-disk Oxigraph store.

A year of news does not fit in an rdflib Dataset (about 1 kB of memory per quad), so
the build never makes one. Two passes, neither holding the graph:

1. Article by article, in the order of their graph IRIs: the article's named graph is
   made (rdf.article_triples), sorted, written to graph.trig, and put into an Oxigraph
   store on disk, whose default graph gathers each distinct triple once (the merged
   view); then it is dropped.
2. Subject by subject, in sorted order: the subject's triples in the merged view are
   read back, sorted, and written to graph.ttl and graph.jsonld.

The bytes are those store.write_graph_files writes for the same dataset: same sort
order, same prefixes (the project's, only those the data uses; graph.trig's list is
put right once the data has been seen). The store is laid out as
rdf.oxigraph.write_store lays one out when it is kept (`build --store oxigraph`):
named graphs per article and the merged view as the default graph; the HTML view reads
its merged view. What stays in memory is the sorted list of subjects.
"""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph

from ..fileio import atomic_file
from ..model import Extraction
from ..options import DEFAULT_EVENT_WINDOW as DEFAULT_WINDOW
from ..resources import DEFAULT_BASE
from .corpus import corpus_graph_iri, corpus_triples
from .files import GRAPH_FILES, JsonLdWriter
from .happenings import Happening
from .mapping import article_triples, bind_prefixes, canonical_actors, graph_iri
from .oxigraph import new_store

# Quads given to the store in one go: large enough that the store's per-call cost
# vanishes, small enough to stay a few megabytes.
BATCH = 20_000


@dataclass
class WrittenGraph:
    """What write_graph wrote: the graph files, the store folder, the merged view's size."""

    files: dict[str, Path]
    store: Path
    triples: int


def write_graph(
    extractions: list[Extraction],
    directory: Path,
    *,
    base: str = DEFAULT_BASE,
    store_dir: Path,
    keep: bool = False,
    window: int | None = DEFAULT_WINDOW,
    happenings: list[Happening] | None = None,
) -> WrittenGraph:
    """Write graph.trig, graph.ttl and graph.jsonld of `extractions` into `directory`.

    `store_dir` (which must not exist) receives the Oxigraph store the files are written
    from, with the merged view as its default graph. With `keep` it also gets the
    article graphs and is compacted, to be kept as the build's store; without, it is
    left for the caller to read the merged view from and remove. The store closes when
    this returns (nothing here keeps a reference to it).
    """
    import pyoxigraph as ox

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    files = {name: directory / name for name in GRAPH_FILES}
    body = directory / ".graph.trig.body"  # the TriG before its prefix lines are known
    try:
        with new_store(store_dir, compact=keep, failure="cannot write the graph", path=directory) as store:
            loader = _ArticleLoader(store, extractions, base, keep, window, happenings)
            with open(body, "wb") as handle:
                ox.serialize(loader.quads(), handle, format=ox.RdfFormat.TRIG, prefixes=loader.prefixes.all)
            prefixes = loader.prefixes.used()
            with atomic_file(files["graph.trig"]) as handle:
                _write_trig(body, prefixes, handle)
            merged = _MergedView(store, loader.subjects, loader.terms)
            with atomic_file(files["graph.ttl"]) as ttl, atomic_file(files["graph.jsonld"]) as jsonld:
                merged.jsonld = JsonLdWriter(jsonld, prefixes)
                ox.serialize(merged.triples(), ttl, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
                merged.jsonld.close()
    finally:
        body.unlink(missing_ok=True)
    return WrittenGraph(files=files, store=store_dir, triples=merged.count)


def _write_trig(body: Path, used: dict[str, str], handle) -> None:
    """Copy the TriG in `body` to `handle`, leaving out the prefix lines not `used`."""
    with open(body, "rb") as source:
        for line in source:
            if not line.startswith(b"@prefix "):
                handle.write(line)
                break
            if line[len(b"@prefix ") :].split(b":", 1)[0].decode("utf-8") in used:
                handle.write(line)
        shutil.copyfileobj(source, handle, 1 << 20)


class _ArticleLoader:
    """Pass 1: every article's named graph, sorted, for the TriG writer and into the store."""

    def __init__(
        self,
        store,
        extractions: list[Extraction],
        base: str,
        keep: bool,
        window: int | None,
        happenings: list[Happening] | None = None,
    ) -> None:
        self.store, self.base, self.keep = store, base, keep
        # Labels and types from all the articles at once, as the in-memory writer has them.
        self.canonical = canonical_actors(extractions)
        # Each graph's IRI and what makes its triples: the articles', then the corpus graph
        # (what they say together), all in IRI order.
        self.named: list[tuple[str, Callable[[], list[tuple]]]] = sorted(
            [
                *(
                    (str(graph_iri(e.document.id, base)), functools.partial(self._article, e))
                    for e in extractions
                ),
                *(
                    [
                        (
                            str(corpus_graph_iri(base)),
                            functools.partial(corpus_triples, extractions, base, window, happenings),
                        )
                    ]
                    if extractions
                    else []
                ),
            ],
            key=lambda item: f"<{item[0]}>",  # N-Triples order, as graph.trig is written
        )
        self.prefixes = _PrefixUse(base)
        self.terms = _Terms(self.prefixes)
        self.subjects: list = []

    def quads(self) -> Iterator:
        """Yield the quads of every article graph in graph.trig's order, loading the store."""
        import pyoxigraph as ox

        terms = self.terms
        subjects, batch = {}, []  # subject's text -> subject (str hashes are cached)
        for iri, make in self.named:
            name = ox.NamedNode(iri)
            terms.text(name)
            # Sorted by the terms' N-Triples text; no two rows are equal (distinct triples).
            rows = sorted(terms.row(triple) for triple in make())
            for s_text, _, _, s, p, o in rows:
                subjects[s_text] = s
                batch.append(ox.Quad(s, p, o))
                if self.keep:
                    batch.append(ox.Quad(s, p, o, name))
                yield ox.Quad(s, p, o, name)
            if len(batch) >= BATCH:
                self.store.bulk_extend(batch)
                batch = []
        self.store.bulk_extend(batch)
        self.subjects = [subjects[text] for text in sorted(subjects)]

    def _article(self, extraction: Extraction) -> list[tuple]:
        return article_triples(extraction, self.canonical, self.base)


class _Terms:
    """The N-Triples text of terms (what files are sorted by), made once each.

    Names, vocabulary and offsets recur in every article; the memory is bounded by
    keeping the LIMIT most recently used. Each new term is noted for the prefix list.
    """

    LIMIT = 50_000

    def __init__(self, prefixes: _PrefixUse) -> None:
        self.prefixes = prefixes
        self.text = lru_cache(maxsize=self.LIMIT)(self._new_text)

    def _new_text(self, term) -> str:
        self.prefixes.note(term)
        return str(term)

    def row(self, triple: tuple) -> tuple:
        """Return (s text, p text, o text, s, p, o)."""
        s, p, o = triple
        return self.text(s), self.text(p), self.text(o), s, p, o


class _MergedView:
    """Pass 2: the merged view subject by subject, also written as JSON-LD on the way."""

    def __init__(self, store, subjects: list, terms: _Terms) -> None:
        self.store, self.subjects, self.terms, self.count = store, subjects, terms, 0
        self.jsonld: JsonLdWriter | None = None

    def triples(self) -> Iterator:
        """Yield the merged view's triples (as default-graph quads) in the files' order."""
        import pyoxigraph as ox

        text = self.terms.text
        for subject in self.subjects:
            triples = sorted(
                self.store.quads_for_pattern(subject, None, None, ox.DefaultGraph()),
                key=lambda q: (text(q.predicate), text(q.object)),
            )
            self.count += len(triples)
            if self.jsonld is not None:
                self.jsonld.node(subject, triples)
            yield from triples


class _PrefixUse:
    """Which of the project's prefixes the written terms use (files declare only those)."""

    def __init__(self, base: str) -> None:
        bound = Graph(bind_namespaces="none")
        bind_prefixes(bound, base)
        self.all = dict(sorted((p, str(n)) for p, n in bound.namespaces() if p))
        self.seen: set[str] = set()
        self.stems: set[str] = set()

    def note(self, term) -> None:
        import pyoxigraph as ox

        if isinstance(term, ox.Literal):
            term = term.datatype
        if not isinstance(term, ox.NamedNode):
            return
        iri = term.value
        # Every namespace ends in / or #, so one IRI's stem (up to its last / or #)
        # matches the same namespaces as every other IRI with that stem.
        stem = iri[: max(iri.rfind("/"), iri.rfind("#")) + 1]
        if stem in self.stems:
            return
        self.stems.add(stem)
        self.seen.update(p for p, n in self.all.items() if iri.startswith(n))

    def used(self) -> dict[str, str]:
        return {p: n for p, n in self.all.items() if p in self.seen}
