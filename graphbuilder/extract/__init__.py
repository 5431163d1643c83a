"""spaCy-based extraction: Document -> Extraction (actors, roles, relations with evidence).

extractor.py holds the pipeline (Extractor, extract_documents); the other modules are
its parts. Importing this package loads nothing heavy: the data-only modules
(lexicon, knowledge, dates) import without spaCy, and the names below are loaded from
extractor.py on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_LAZY = frozenset({"Extractor", "extract_documents", "default_model", "load_pipeline",
                   "BATCH_SIZE", "EXTRACTOR_VERSION"})


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(".extractor", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
