"""RDF terms between the two engines, and as people read them.

rdflib and pyoxigraph each have their own term classes; the graph is written through
pyoxigraph and queried through either, so terms cross over in both directions
(`to_oxigraph`, `to_rdflib`, each made once per distinct term by `memoized`). `shorten`
writes an IRI as prefix:local for reports and tables.
"""

from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_oxigraph(node):
    """Return the pyoxigraph term for an rdflib term (plain literals are xsd:string)."""
    import pyoxigraph as ox

    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def memoized(convert):
    """Return `convert` (to_oxigraph or to_rdflib) made once per distinct term.

    Names and vocabulary recur on every row and in every article; rdflib's term
    constructors in particular cost more than the lookups that find the terms.
    """
    terms: dict = {}

    def term(value):
        if value is None:
            return None
        found = terms.get(value)
        if found is None:
            found = terms[value] = convert(value)
        return found

    return term


def to_rdflib(term):
    """Return the rdflib term for a pyoxigraph term, as rdflib reads it (None stays None).

    xsd:string literals become plain literals, as rdflib reads "text" from a file, so
    results print and compare the same on both engines.
    """
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


def shorten(term: Node, namespaces: dict[str, str]) -> str:
    """Return an IRI as prefix:local with the longest matching namespace, else the IRI."""
    text = str(term)
    best = max(
        (ns for ns in namespaces.values() if text.startswith(ns) and text != ns), key=len, default=None
    )
    if best is None:
        return text
    prefix = min(p for p, ns in namespaces.items() if ns == best)
    return f"{prefix}:{text[len(best) :]}"
