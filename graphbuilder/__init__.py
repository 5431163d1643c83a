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
from typing import Any

from .errors import GraphbuilderError
from .extract.base import Extractor
from .ingest.reader import read_inputs
from .model import Actor, Document, Evidence, Extraction, Relation, Role
from .pipeline.build import BuildReport, build
from .resources import DEFAULT_BASE, package_version

__version__ = package_version()

# Names that live in modules with heavy imports, loaded on first use. (No name here may
# equal a subpackage's: importing graphbuilder.viz would replace a `viz` function.)
_LAZY = {
    "KnowledgeGraph": "graphbuilder.api",
    "load": "graphbuilder.api",
    "SpacyExtractor": "graphbuilder.extract.extractor",
    "extractions_to_dataset": "graphbuilder.rdf.dataset",
    "write_html": "graphbuilder.viz.page",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'graphbuilder' has no attribute {name!r}")


__all__ = [
    "__version__",
    "build",
    "BuildReport",
    "DEFAULT_BASE",
    "read_inputs",
    "Document",
    "Extraction",
    "Actor",
    "Role",
    "Relation",
    "Evidence",
    "GraphbuilderError",
    "Extractor",
    *_LAZY,
]
