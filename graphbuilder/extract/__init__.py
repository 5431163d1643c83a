"""spaCy-based extraction: Document -> Extraction (actors, roles, relations with evidence).

base.py says what an extractor is (the Extractor protocol); extractor.py holds the
spaCy implementation (SpacyExtractor, extract_documents); the other modules are its
parts. Importing this package loads nothing heavy: the data-only modules (lexicon,
knowledge, dates) import without spaCy, and the names below are loaded from
extractor.py on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .base import Extractor

_LAZY = frozenset(
    {
        "SpacyExtractor",
        "extract_documents",
        "default_model",
        "load_pipeline",
        "spacy_fingerprint",
        "BATCH_SIZE",
        "EXTRACTOR_VERSION",
    }
)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(".extractor", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Extractor", *sorted(_LAZY)]
