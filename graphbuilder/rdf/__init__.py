"""The RDF layer: extractions as RDF and back, graph files, the Oxigraph store, SHACL.

terms.py (rdflib and pyoxigraph terms) < mapping.py (the vocabulary, an article's
triples, the merged view) < oxigraph.py (the embedded store) < files.py (graph files,
loading) < writer.py (a build's graph, article by article) and validate.py (SHACL).
Nothing here imports from the SPARQL, network, viz or pipeline layers above.
"""
