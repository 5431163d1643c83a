"""The embedded Oxigraph store (`build --store oxigraph`, out/store/): writing, opening, querying.

The store holds the quads of graph.trig (one named graph per article, same IRIs) and,
in its default graph, the merged view of graph.ttl. The merged copy is there because
Oxigraph's own union of named graphs (`use_default_graph_as_union`) is a multiset in
pyoxigraph 0.5: a triple that two articles share (an actor's label) is matched once per
article, so joins and counts come out multiplied. Querying the stored merged view gives
the set semantics rdflib's `Dataset(default_union=True)` gives, so both engines answer
alike, and `GRAPH ?g` still sees only the articles' graphs.

Opened, the store is wrapped as a read-only rdflib Dataset (`open_dataset`): SPARQL goes
to Oxigraph natively (`run_native`, called by query.run_query), while validate and viz,
which copy the graph into memory through rdf.mapping.merged_graph, read it through pattern
lookups. That copy is fine at their scale (SHACL and a drawn graph are for graphs a
person can look at); queries never make it.
"""

from __future__ import annotations

import shutil
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.memory import Memory

from ..errors import (
    GraphbuilderError,
    GraphNotFoundError,
    GraphParseError,
    OutputError,
)
from ..resources import DEFAULT_BASE, STORE_DIR
from .mapping import bind_prefixes, instance_base, merged_graph
from .terms import memoized, to_oxigraph, to_rdflib

if TYPE_CHECKING:
    import pyoxigraph


# -- writing ------------------------------------------------------------------------------


@contextmanager
def new_store(
    directory: Path,
    *,
    compact: bool,
    failure: str = "cannot write the Oxigraph store",
    path: Path | None = None,
) -> Iterator[pyoxigraph.Store]:
    """Create an Oxigraph store in `directory` (which must not exist) for the block to fill.

    The one place a store is made, for both writers (write_store below and
    rdf.writer.write_graph). On leaving the block the store is flushed, and with
    `compact` optimized (a store kept as a build's output); the caller drops its
    reference before moving the folder. An OSError inside the block removes the
    half-written folder and becomes OutputError("{failure}: reason") on `path`
    (default: the store folder).
    """
    import pyoxigraph as ox

    directory = Path(directory)
    if directory.exists():
        raise OutputError("is in the way of the Oxigraph store", path=directory)
    try:
        store = ox.Store(str(directory))
        yield store
        store.flush()
        if compact:
            store.optimize()
    except OSError as exc:
        shutil.rmtree(directory, ignore_errors=True)
        raise OutputError(f"{failure}: {exc.strerror or exc}", path=path or directory) from None


def write_store(ds: Dataset, directory: Path) -> Path:
    """Write `ds` as a new Oxigraph store in `directory` (which must not exist); return it.

    Named graphs go in as they are (the blocks of graph.trig, the default graph left
    out as graph.trig leaves it out); the default graph gets the merged view: the
    layout rdf.writer.write_graph gives a kept store.
    """
    import pyoxigraph as ox

    default_id = ds.default_graph.identifier
    named = (
        (s, p, o, c) for s, p, o, c in ds.quads((None, None, None, None)) if c is not None and c != default_id
    )
    with new_store(directory, compact=True) as store:
        term = memoized(to_oxigraph)  # actors and vocabulary recur in every graph
        store.bulk_extend(ox.Quad(term(s), term(p), term(o), term(c)) for s, p, o, c in named)
        store.bulk_extend(ox.Quad(term(s), term(p), term(o)) for s, p, o in merged_graph(ds))
    del store  # closes the database before the folder moves
    return Path(directory)


# -- finding and opening ----------------------------------------------------------------


def is_store(directory: Path) -> bool:
    """Return whether `directory` looks like an Oxigraph (RocksDB) store folder."""
    return Path(directory).is_dir() and (Path(directory) / "CURRENT").is_file()


def was_store(directory: Path) -> bool:
    """Return whether `directory` is a store, or what is left of one (RocksDB's own files
    without the CURRENT that names the live ones): a build may replace either."""
    directory = Path(directory)
    if is_store(directory):
        return True
    if not directory.is_dir():
        return False
    return any(
        p.name.startswith(("MANIFEST-", "OPTIONS-"))
        or p.suffix == ".sst"
        or p.name == "graphbuilder-generation"
        for p in directory.iterdir()
    )


def rebuild_hint(directory: Path) -> str:
    """Return the command that replaces the store in `directory` (an output's store/)."""
    out = Path(directory).parent if Path(directory).name == STORE_DIR else Path(directory)
    return f"rebuild it: graphbuilder build ARTICLES --out {out} --store oxigraph"


def find_store(path: Path) -> Path | None:
    """Return the store folder `path` names (an output folder with store/, or the store itself)."""
    path = Path(path)
    if not path.is_dir():
        return None
    if (path / STORE_DIR).is_dir():
        return path / STORE_DIR
    return path if is_store(path) else None


def open_dataset(directory: Path) -> Dataset:
    """Return the store in `directory` as a read-only rdflib Dataset (default graph = union).

    Raises GraphNotFoundError when the folder holds no store and GraphParseError when
    Oxigraph cannot open it (corrupted, unreadable).
    """
    import pyoxigraph as ox

    directory = Path(directory)
    if not is_store(directory):
        raise GraphNotFoundError(
            f"is not an Oxigraph store (no CURRENT file); {rebuild_hint(directory)}", path=directory
        )
    try:
        ds = Dataset(store=ReadOnlyOxigraph(ox.Store.read_only(str(directory))), default_union=True)
        bind_prefixes(ds, instance_base(ds))
    except (OSError, ValueError, RuntimeError, GraphParseError) as exc:
        reason = (
            exc.message.removeprefix("cannot read the Oxigraph store: ")
            if isinstance(exc, GraphParseError)
            else " ".join(str(exc).split())
        )
        raise GraphParseError(
            f"cannot open the Oxigraph store: {reason or type(exc).__name__}; {rebuild_hint(directory)}",
            path=directory,
        ) from None
    return ds


class ReadOnlyOxigraph(Memory):
    """An rdflib store that reads an Oxigraph store: pattern lookups, no writes.

    Only the triple and context lookups rdflib's Dataset needs are answered from
    Oxigraph; prefixes live in memory as in rdflib's own Memory store. The default graph
    looks empty, as in a Dataset read from graph.trig; the union (context None) is the
    stored merged view, each triple with the article graphs that hold it.
    """

    def __init__(self, native: pyoxigraph.Store) -> None:
        super().__init__()
        self.oxigraph = native  # query.run_query sends SPARQL here

    def triples(self, triple_pattern, context=None):
        import pyoxigraph as ox

        s, p, o = (None if t is None else to_oxigraph(t) for t in triple_pattern)
        identifier = getattr(context, "identifier", context)
        if identifier == DATASET_DEFAULT_GRAPH_ID:
            return
        if identifier is not None:
            for quad in self._lookup(s, p, o, to_oxigraph(identifier)):
                yield _triple(quad), iter([context])
            return
        graphs: dict[tuple, list[Graph]] = {}
        for quad in self._lookup(s, p, o, None):
            contexts = graphs.setdefault(_triple(quad), [])
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                contexts.append(self._graph(quad.graph_name))
        for triple, contexts in graphs.items():
            yield triple, iter(contexts)

    def contexts(self, triple=None) -> Generator[Graph, None, None]:
        if triple is None:
            names = self._read(lambda: list(self.oxigraph.named_graphs()))
        else:
            s, p, o = (to_oxigraph(t) for t in triple)
            names = [q.graph_name for q in self._lookup(s, p, o, None)]
        for name in sorted({n for n in names if hasattr(n, "value")}, key=lambda n: n.value):
            yield self._graph(name)

    def __len__(self, context=None) -> int:
        import pyoxigraph as ox

        identifier = getattr(context, "identifier", context)
        if identifier == DATASET_DEFAULT_GRAPH_ID:
            return 0
        graph = ox.DefaultGraph() if identifier is None else to_oxigraph(identifier)
        return sum(1 for _ in self._lookup(None, None, None, graph))

    def _graph(self, name) -> Graph:
        return Graph(store=self, identifier=to_rdflib(name))

    def _lookup(self, s, p, o, graph) -> list[pyoxigraph.Quad]:
        return self._read(lambda: list(self.oxigraph.quads_for_pattern(s, p, o, graph)))

    def _read(self, read):
        try:
            return read()
        except OSError as exc:
            raise GraphParseError(f"cannot read the Oxigraph store: {exc}") from None

    def add(self, *args, **kwargs):
        raise GraphbuilderError(
            "the Oxigraph store is opened read-only: rebuild it with `graphbuilder build --store oxigraph`"
        )

    addN = remove = remove_graph = add

    def add_graph(self, graph) -> None:
        """Do nothing: rdflib registers an empty graph when one is named (Dataset.graph)."""


class MergedViewOxigraph(ReadOnlyOxigraph):
    """An rdflib store that reads only an Oxigraph store's merged view (its default graph).

    Each triple comes once, from one index lookup, where the union of the article graphs
    would give it once per article that says it: what a Graph of the merged view needs
    (the HTML view of a build reads it so). It knows no article graphs.
    """

    def triples(self, triple_pattern, context=None):
        import pyoxigraph as ox

        s, p, o = (None if t is None else to_oxigraph(t) for t in triple_pattern)
        for quad in self._lookup(s, p, o, ox.DefaultGraph()):
            yield _triple(quad), iter(())

    def contexts(self, triple=None) -> Generator[Graph, None, None]:
        yield from ()

    def __len__(self, context=None) -> int:
        import pyoxigraph as ox

        return len(self._lookup(None, None, None, ox.DefaultGraph()))


def open_merged_view(directory: Path, base: str = DEFAULT_BASE) -> Graph:
    """Return a read-only Graph of the merged view of the Oxigraph store in `directory`.

    The store stays open while the Graph lives; drop the Graph before moving the folder.
    """
    import pyoxigraph as ox

    graph = Graph(store=MergedViewOxigraph(ox.Store.read_only(str(directory))))
    bind_prefixes(graph, base)
    return graph


def _triple(quad) -> tuple:
    return to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)
