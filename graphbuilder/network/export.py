"""The actor network as files for Gephi and spreadsheets: GraphML, GEXF, CSV.

`graphbuilder export` writes network.actor_network() with each actor's centrality and
Louvain community (the same numbers as `graphbuilder stats`). GraphML and GEXF hold
scalar attributes only, and XML 1.0 cannot hold some control characters at all, so
values are flattened and cleaned for them; CSV keeps every text exactly.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import networkx as nx
from rdflib import Graph

from ..errors import OutputError, UsageError
from ..fileio import STDOUT, output_file, write_text_atomically
from ..options import ExportFormat
from ..rdf.mapping import term_label
from .analytics import communities
from .graph import actor_network, centrality
from .view import graph_view

LIST_SEPARATOR = "; "  # roles and aliases in one GraphML/GEXF/CSV cell

# XML 1.0 cannot hold these characters at all, escaped or not (and a bare CR reads back
# as LF), so GraphML and GEXF get text without them; CSV keeps text exactly.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


#: The file `export` writes each format of events to, in the graph's folder.
EVENT_FILES = {"plover": "graph-events.plover.jsonl", "events-tsv": "graph-events.tsv"}


def export_path(graph_location: Path, fmt: ExportFormat | str) -> Path:
    """Return where `export` writes by default: graph.graphml / graph.gexf, the folder itself
    for csv, graph-events.plover.jsonl / graph-events.tsv for the events."""
    folder = Path(graph_location) if Path(graph_location).is_dir() else Path(graph_location).parent
    if str(fmt) in EVENT_FILES:
        return folder / EVENT_FILES[str(fmt)]
    return folder if fmt == "csv" else folder / f"graph.{fmt}"


def export_network(graph: Graph, output: Path, fmt: ExportFormat | str) -> list[Path]:
    """Write the actor network as GraphML, GEXF, or CSV; return the files written.

    Nodes carry label, type, roles and aliases (joined with "; "), wikidata, degree,
    betweenness, pagerank and community (when in one); edges (keyed by event IRI) carry
    label (the ontology's label of the relation, "agreed with"), relation (its name in
    extraction files, "agreed_with"), date, evidence, article_title and article_source.
    Missing values are left out (GraphML/GEXF) or empty (CSV). For csv, `output` is a
    folder that receives nodes.csv and edges.csv. Every file is written atomically;
    `output` "-" writes GraphML or GEXF to standard output. The events formats (plover,
    events-tsv) are written by events.export_events.
    """
    fmt = ExportFormat.of(fmt, "export format")
    if fmt in (ExportFormat.plover, ExportFormat.events_tsv):  # the events, not the network
        from .events import export_events

        return [export_events(graph, output, fmt).path]
    network = scalar_network(actor_network(graph_view(graph)))
    output = Path(output)
    if fmt == "csv":
        if output == STDOUT:
            raise UsageError(
                "--format csv writes two files (nodes.csv and edges.csv): give a folder, not - "
                "(standard output takes graphml or gexf)"
            )
        if output.exists() and not output.is_dir():
            raise OutputError(
                "is a file: for --format csv give a folder, it receives nodes.csv and edges.csv", path=output
            )
        return [
            write_text_atomically(output / "nodes.csv", _nodes_csv(network)),
            write_text_atomically(output / "edges.csv", _edges_csv(network)),
        ]
    xml = _xml_safe(network, edge_ids=fmt == "gexf")
    lines = nx.generate_graphml(xml) if fmt == "graphml" else nx.generate_gexf(xml)
    with output_file(output) as handle:  # "-": standard output
        for line in lines:
            handle.write(line.encode("utf-8") + b"\n")
    return [output]


def scalar_network(network: nx.MultiDiGraph[str]) -> nx.MultiDiGraph[str]:
    """Return a copy whose attributes are all str, int or float, with centrality and community.

    GraphML and GEXF accept only scalars: tuples become "; "-joined text, None is left out.
    """
    scores = centrality(network)
    groups, _ = communities(network, scores)
    community_of = {m.id: i for i, c in enumerate(groups, 1) for m in c.members}
    flat: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node, data in network.nodes(data=True):
        attrs = {k: (LIST_SEPARATOR.join(v) or None) if isinstance(v, tuple) else v for k, v in data.items()}
        attrs.update(
            degree=int(scores.degree[node]),
            betweenness=float(scores.betweenness[node]),
            pagerank=float(scores.pagerank[node]),
            community=community_of.get(node),
        )
        flat.add_node(node, **{k: v for k, v in attrs.items() if v is not None})
    for source, target, key, data in network.edges(keys=True, data=True):
        # Gephi shows `label`: the relation as every table names it ("agreed with").
        attrs = {"label": term_label(data["relation"]), **data}
        flat.add_edge(source, target, key=key, **{k: v for k, v in attrs.items() if v is not None})
    return flat


NODE_COLUMNS = (
    "id",
    "label",
    "type",
    "roles",
    "aliases",
    "wikidata",
    "degree",
    "betweenness",
    "pagerank",
    "community",
)
EDGE_COLUMNS = (
    "id",
    "source",
    "target",
    "source_label",
    "target_label",
    "label",
    "relation",
    "date",
    "evidence",
    "article_title",
    "article_source",
)


def _csv_text(header: tuple[str, ...], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as `query --format csv`
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue()


def _nodes_csv(network: nx.MultiDiGraph[str]) -> str:
    return _csv_text(
        NODE_COLUMNS,
        ([node] + [data.get(c) for c in NODE_COLUMNS[1:]] for node, data in network.nodes(data=True)),
    )


def _edges_csv(network: nx.MultiDiGraph[str]) -> str:
    # types-networkx says nodes(data="label") yields attribute dicts; it yields the labels.
    label: dict[str, str] = dict(network.nodes(data="label"))  # type: ignore[arg-type]
    return _csv_text(
        EDGE_COLUMNS,
        (
            [key, s, t, label[s], label[t]] + [data.get(c) for c in EDGE_COLUMNS[5:]]
            for s, t, key, data in network.edges(keys=True, data=True)
        ),
    )


def _xml_safe(network: nx.MultiDiGraph[str], *, edge_ids: bool) -> nx.MultiDiGraph[str]:
    # GEXF numbers edges unless they carry an "id": the event IRI is the better one.
    def clean(value):
        if not isinstance(value, str):
            return value
        return _XML_ILLEGAL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))

    safe: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    safe.add_nodes_from((n, {k: clean(v) for k, v in d.items()}) for n, d in network.nodes(data=True))
    # (source, target, key, data) edges, which types-networkx leaves out of add_edges_from.
    safe.add_edges_from(
        (
            s,
            t,
            k,
            {
                **({"id": k} if edge_ids else {}),  # type: ignore[misc]
                **{a: clean(v) for a, v in d.items()},
            },
        )
        for s, t, k, d in network.edges(keys=True, data=True)
    )
    return safe
