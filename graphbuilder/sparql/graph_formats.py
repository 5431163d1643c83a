"""A CONSTRUCT or DESCRIBE graph in an RDF format: turtle, ntriples, nquads, trig, jsonld, xml.

The triples are written sorted, so the same graph gives the same text from either engine
or a remote endpoint, with the prefixes of the graph's namespaces that its IRIs use.
Oxigraph's serializers write Turtle, N-Triples, N-Quads and TriG (the graph's triples in
the default graph), graph.jsonld's writer (rdf/files.py) JSON-LD, and rdflib RDF/XML:
Oxigraph's drops carriage returns and writes broken XML for a predicate it cannot split
into namespace and name, where rdflib keeps the one and refuses the other.
"""

from __future__ import annotations

import io
import re

from rdflib import Graph, Literal, URIRef

from ..errors import OutputError

#: The RDF formats of a CONSTRUCT or DESCRIBE graph (xml: RDF/XML).
GRAPH_FORMATS = ("turtle", "ntriples", "nquads", "trig", "jsonld", "xml")
#: What XML 1.0 cannot hold at all, even escaped (most control characters, U+FFFE, U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def check_xml_text(text: str) -> None:
    """Raise OutputError if `text` holds a character no XML document can carry."""
    bad = _NOT_XML.search(text)
    if bad:
        shown = text if len(text) <= 60 else text[:57] + "..."
        raise OutputError(
            f"the result holds U+{ord(bad.group(0)):04X}, a character XML 1.0 cannot hold, in "
            f"{shown!r}: no XML format can carry it; use --format json, tsv or (for a graph) turtle"
        )


def write_graph(triples: list[tuple], namespaces: dict[str, str], name: str) -> str:
    """Return `triples` (rdflib terms) in the RDF format `name`, prefixes from `namespaces`."""
    import pyoxigraph as ox

    from ..rdf.files import write_jsonld
    from ..rdf.terms import to_oxigraph

    prefixes = _used_prefixes(triples, namespaces)
    if name == "xml":
        return _rdf_xml(triples, prefixes)
    ox_triples = sorted(
        ((to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in triples),
        key=lambda t: (str(t[0]), str(t[1]), str(t[2])),
    )
    if name == "jsonld":
        out = io.BytesIO()
        write_jsonld(ox_triples, prefixes, out)
        return out.getvalue().decode("utf-8")
    syntax = {
        "turtle": ox.RdfFormat.TURTLE,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "nquads": ox.RdfFormat.N_QUADS,
        "trig": ox.RdfFormat.TRIG,
    }[name]
    shortened = prefixes if name in ("turtle", "trig") else None
    if name in ("nquads", "trig"):
        written = ox.serialize((ox.Quad(*t) for t in ox_triples), format=syntax, prefixes=shortened)
    else:
        written = ox.serialize((ox.Triple(*t) for t in ox_triples), format=syntax, prefixes=shortened)
    return (written or b"").decode("utf-8")


def _used_prefixes(triples: list[tuple], namespaces: dict[str, str]) -> dict[str, str]:
    """Return the prefixes of `namespaces` that some IRI of `triples` (or a datatype) starts with."""
    iris = {str(t) for triple in triples for t in triple if isinstance(t, URIRef)}
    iris |= {str(o.datatype) for _, _, o in triples if isinstance(o, Literal) and o.datatype is not None}
    return {
        prefix: ns for prefix, ns in sorted(namespaces.items()) if any(iri.startswith(ns) for iri in iris)
    }


def _rdf_xml(triples: list[tuple], prefixes: dict[str, str]) -> str:
    # rdflib's writer keeps a carriage return (&#13;), which Oxigraph's drops; neither can
    # write what XML 1.0 cannot hold (they drop it silently), so that is refused here.
    for triple in triples:
        for term in triple:
            check_xml_text(str(term))
            check_xml_text(str(getattr(term, "datatype", None) or ""))
    graph = Graph(bind_namespaces="none")
    for prefix, ns in prefixes.items():
        graph.bind(prefix, ns)
    for triple in sorted(triples):
        graph.add(triple)
    try:
        return graph.serialize(format="xml")
    except ValueError as exc:  # a predicate RDF/XML cannot write as an element name
        raise OutputError(
            f"the graph cannot be written as RDF/XML: {exc}; use --format turtle or ntriples"
        ) from None
