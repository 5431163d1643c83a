"""graphbuilder: knowledge graphs of actors, roles and relations from news articles.

    import graphbuilder
    report = graphbuilder.build(["articles/"], out="out")
    kg = graphbuilder.load("out")
    rows = kg.query("SELECT ?who ?whom WHERE { ?who gb:condemned ?whom }")

Importing the package stays cheap: spaCy, rdflib and pyvis load only when a function
that needs them runs.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from .build import DEFAULT_BASE, BuildReport, build, load
from .errors import GraphbuilderError
from .ingest import read_inputs
from .model import Actor, Document, Evidence, Extraction, Relation, Role

try:
    __version__ = version("graphbuilder")
except PackageNotFoundError:          # running from a source tree that was never installed
    __version__ = "0+unknown"

# Names that live in modules with heavy imports, loaded on first use. (No name here may
# equal a submodule's: importing graphbuilder.validate would replace a `validate` function.)
_LAZY = {
    "KnowledgeGraph": "graphbuilder.query",
    "Extractor": "graphbuilder.extract",
    "extractions_to_dataset": "graphbuilder.rdf",
    "write_html": "graphbuilder.viz",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'graphbuilder' has no attribute {name!r}")


__all__ = ["__version__", "build", "load", "BuildReport", "DEFAULT_BASE", "read_inputs",
           "Document", "Extraction", "Actor", "Role", "Relation", "Evidence",
           "GraphbuilderError", *_LAZY]
