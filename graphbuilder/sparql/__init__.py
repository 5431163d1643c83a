"""SPARQL over a built graph: results and their formats, queries run by rdflib or
Oxigraph, saved queries and their parameters, remote endpoints and a local server.

results.py < native.py (Oxigraph, in a child process under a time limit) < query.py
(checks, rdflib, time limits) < transport.py (HTTP: credentials, redirects, secrets
hidden) < journal.py (the push journal) < remote.py (endpoints, push) < backend.py (the
Oxigraph server process) < gateway.py (the listener in front of it) < server.py (serve);
saved.py (the packaged queries) stands apart.
"""
