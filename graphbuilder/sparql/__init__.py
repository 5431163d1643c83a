"""SPARQL over a built graph: results and their formats, queries run by rdflib or
Oxigraph, saved queries and their parameters, remote endpoints and a local server.

results.py < native.py (Oxigraph) < query.py (checks, rdflib, KnowledgeGraph) <
remote.py (endpoints, push) < server.py; saved.py (the packaged queries) stands apart.
"""
