"""The graph as a network: the view of actors and events (view.py), its networkx
projection and centrality (graph.py), statistics and paths (analytics.py), and exports
for Gephi and other tools (export.py)."""
