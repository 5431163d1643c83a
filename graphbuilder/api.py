"""The library's front door: a built graph as one object, mirroring the command line.

    import graphbuilder
    kg = graphbuilder.load("out")          # graphbuilder query / validate / stats / path /
    kg.query("timeline")                   # export / viz, as methods
    kg.stats().actors
    kg.path("Japan", "North Korea")
    kg.export("out/graph.graphml")
    kg.write_html("out/graph.html", focus="Japan")

It sits above every stage (sparql, network, viz), so each method is the same code the
command runs, without the caller reaching into the subpackages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import Dataset

from .network.analytics import GraphStats, RelationPath, graph_stats, relation_path
from .network.export import export_network
from .options import ExportFormat
from .rdf.files import load_dataset
from .rdf.validate import ValidationReport, validate
from .sparql.query import DEFAULT_TIMEOUT, QueryResult, plain_rows, read_query, run_query
from .viz.page import write_html


def load(path: Path | str = "out") -> KnowledgeGraph:
    """Return the KnowledgeGraph built into `path` (an output folder or a graph file)."""
    return KnowledgeGraph.load(path)


class KnowledgeGraph:
    """A built graph to ask questions of: wraps an rdflib Dataset (default graph = union).

    Loaded from an output folder with an Oxigraph store (out/store/), the Dataset reads
    that store and queries run on Oxigraph; otherwise graph.trig is read into memory.
    """

    def __init__(self, dataset: Dataset) -> None:
        self._dataset = dataset

    @classmethod
    def load(cls, path: Path | str = "out") -> KnowledgeGraph:
        """Return the KnowledgeGraph stored at `path` (an output folder, a store folder or a graph file)."""
        return cls(load_dataset(Path(path)))

    @property
    def dataset(self) -> Dataset:
        """The underlying rdflib Dataset (one named graph per article)."""
        return self._dataset

    def run(self, sparql: str, *, timeout: float | None = DEFAULT_TIMEOUT, **bindings: object) -> QueryResult:
        """Return the raw QueryResult of a query (SPARQL text, .rq path or saved query name).

        A query running longer than `timeout` seconds (None: no limit) is stopped with a
        QueryError. ``.serialize(fmt)`` writes it as `graphbuilder query --format` does:
        ``kg.run("relations").serialize("csv")``, ``kg.run(construct).serialize("turtle")``.
        """
        text, source = read_query(sparql)
        return run_query(self._dataset, text, bindings, source=source, timeout=timeout)

    def query(
        self, sparql: str, *, timeout: float | None = DEFAULT_TIMEOUT, **bindings: object
    ) -> list[dict[str, object]]:
        """Return the rows of a query as dicts of plain Python values (see `python_value`;
        `graphbuilder query --nl` prints them, one JSON object per line).

        `sparql` is SPARQL text, a .rq path or a saved query name; keyword arguments bind
        variables, e.g. ``kg.query("actor-relations", actor_name="Japan")``. ASK gives
        ``[{"boolean": True}]``; CONSTRUCT gives subject/predicate/object rows. `timeout`
        is as in `run`.
        """
        return plain_rows(self.run(sparql, timeout=timeout, **bindings))

    def validate(self) -> ValidationReport:
        """Return the SHACL ValidationReport of this graph."""
        return validate(self._dataset)

    def stats(self, top: int = 10) -> GraphStats:
        """Return what `graphbuilder stats` prints: counts, the most central actors, communities."""
        return graph_stats(self._dataset, top=top)

    def path(
        self, source: str, target: str, relations: list[str] | tuple[str, ...] | None = None
    ) -> RelationPath:
        """Return what `graphbuilder path` prints: a shortest chain of relations between two
        actors (names or aliases, any case), each hop with its events."""
        return relation_path(self._dataset, source, target, relations)

    def export(self, output: Path | str, fmt: ExportFormat | str | None = None) -> list[Path]:
        """Write the actor network as `graphbuilder export` does; return the files written.

        `fmt` is graphml, gexf or csv; by default it is the file's suffix (a folder: csv).
        """
        output = Path(output)
        return export_network(self._dataset, output, fmt or (output.suffix.lstrip(".") or "csv"))

    def write_html(self, path: Path | str, **options: Any) -> Path:
        """Write the interactive page as `graphbuilder viz` does (options: title, focus, hops,
        max_nodes); return its path."""
        return write_html(self._dataset, Path(path), **options)
