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

from rdflib import RDF, Graph, Literal, URIRef

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

    if name == "xml":
        return _rdf_xml(triples, _used_prefixes(triples, namespaces))
    # Turtle and TriG write rdf:type as `a`, JSON-LD as @type: no prefix for it.
    shown = [t if t[1] != RDF.type else (t[0], t[2]) for t in triples]
    prefixes = _used_prefixes(shown, namespaces)
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
    """Return the prefixes of `namespaces` that the IRIs of `triples` (tuples of terms) and
    their literals' datatypes are written with.

    An IRI is written with the longest namespace it starts with, as Oxigraph's writers do:
    actor:japan, not inst:actor/japan, so inst: (a namespace every actor IRI starts with)
    is declared only when some IRI has no longer one.
    """
    iris = {str(t) for triple in triples for t in triple if isinstance(t, URIRef)}
    iris |= {str(t.datatype) for triple in triples for t in triple if isinstance(t, Literal) and t.datatype}
    used = set()
    for iri in iris:
        matching = [ns for ns in namespaces.values() if ns and iri.startswith(ns)]
        if matching:
            used.add(max(matching, key=len))
    return {prefix: ns for prefix, ns in sorted(namespaces.items()) if ns in used}


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
