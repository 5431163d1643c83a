"""The named graphs of a graph on disk, one at a time, in bounded memory (for `push`).

A build of millions of triples does not fit in an rdflib Dataset (about 1 kB of memory
per quad). `NamedGraphs` reads graph.trig (or an N-Quads file) with Oxigraph's streaming
parser and hands out one named graph at a time, as Turtle: what stays in memory is the
list of graph IRIs and one graph. graphbuilder's own graph.trig holds each article's
graph in one block, in IRI order; a file whose graphs come in several pieces is first
loaded into a temporary Oxigraph store on disk, as is read from a build's own store.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from ..errors import GraphParseError
from .mapping import bind_prefixes

#: The files read as a stream, by extension; others are read whole (load_dataset).
STREAMED = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}


class NamedGraphs:
    """The non-empty named graphs of a file or an Oxigraph store: `iris` (in the order they
    are handed out) and `sizes` (triples in each)."""

    def __init__(self, file: Path | None = None, store: ox.Store | None = None) -> None:
        self.file, self.store = file, store
        self.iris: list[str] = []
        self.sizes: list[int] = []
        self._prefixes: dict[str, str] | None = None

    @property
    def triples(self) -> int:
        return sum(self.sizes)

    def turtle(self, start: int = 0) -> Iterator[tuple[str, bytes, int]]:
        """Yield (IRI, Turtle of its triples, triple count) of every graph from the `start`-th on."""
        for iri, quads in self._graphs(start):
            triples = [q.triple for q in quads]
            body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=self.prefixes())
            yield iri, body or b"", len(triples)

    def prefixes(self) -> dict[str, str]:
        """Return the project's prefixes (the Turtle sent is written with them)."""
        if self._prefixes is None:
            from rdflib import Graph

            graph = Graph()
            bind_prefixes(graph)
            self._prefixes = {p: str(n) for p, n in graph.namespaces() if p}
        return self._prefixes

    def _graphs(self, start: int) -> Iterator[tuple[str, list]]:
        wanted = self.iris[start:]
        if self.store is not None:
            for iri in wanted:
                yield iri, list(self.store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
            return
        assert self.file is not None
        skip = set(self.iris[:start])
        for iri, quads in _blocks(self.file):
            if iri not in skip:
                yield iri, quads


def streamed_source(path: Path) -> Path | None:
    """Return what a push of `path` streams: a store folder, a .trig or .nq file; None for
    a graph file without named graphs to stream (Turtle, JSON-LD), read whole instead.

    Checked as load_dataset checks it: the graph files and store of one build, or refused.
    """
    from ..generation import check_generation
    from .files import graph_file
    from .oxigraph import find_store

    path = Path(path)
    store = find_store(path)
    if store is not None:
        check_generation(store.parent)
        return store
    file = graph_file(path)
    check_generation(file.parent, reading=file)
    return file if file.suffix.lower() in STREAMED else None


@contextmanager
def named_graphs(source: Path) -> Iterator[NamedGraphs]:
    """Yield the NamedGraphs of `source`: an Oxigraph store folder, or a .trig or .nq file.

    Raises GraphParseError (with the line) on a malformed file. The store or temporary
    store is closed (and the temporary one removed) when the block ends.
    """
    if source.is_dir():
        from .oxigraph import open_dataset  # its one-line errors for a store it cannot open

        yield _from_store(open_dataset(source).store.oxigraph)  # type: ignore[attr-defined]
        return
    graphs = NamedGraphs(file=source)
    contiguous, seen = True, set()
    for iri, quads in _blocks(source):
        if iri in seen:
            contiguous = False
            break
        seen.add(iri)
        graphs.iris.append(iri)
        graphs.sizes.append(len(quads))
    if contiguous:
        yield graphs
        return
    # A graph in several pieces: sorted out by a store on disk, not in memory.
    folder = tempfile.mkdtemp(prefix="graphbuilder-push-")
    try:
        store = ox.Store(folder)
        try:
            store.bulk_load(path=str(source), format=STREAMED[source.suffix.lower()])
        except SyntaxError as exc:
            raise _parse_error(exc, source) from None
        yield _from_store(store)
        del store
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _from_store(store: ox.Store) -> NamedGraphs:
    graphs = NamedGraphs(store=store)
    for name in sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)):
        size = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(name)))
        if size:
            graphs.iris.append(name)
            graphs.sizes.append(size)
    return graphs


def _blocks(file: Path) -> Iterator[tuple[str, list]]:
    """Yield (graph IRI, quads) for each run of consecutive quads of one named graph in `file`."""
    current: str | None = None
    quads: list = []
    try:
        for quad in ox.parse(path=str(file), format=STREAMED[file.suffix.lower()]):
            name = quad.graph_name
            if not isinstance(name, ox.NamedNode):  # the default graph: not pushed
                continue
            if name.value != current:
                if current is not None:
                    yield current, quads
                current, quads = name.value, []
            quads.append(quad)
    except SyntaxError as exc:
        raise _parse_error(exc, file) from None
    if current is not None:
        yield current, quads


def _parse_error(exc: SyntaxError, file: Path) -> GraphParseError:
    message = str(exc.msg if hasattr(exc, "msg") else exc)
    return GraphParseError(f"cannot read the graph: {message}", path=file, line=exc.lineno)
