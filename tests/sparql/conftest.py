"""Graphs the SPARQL tests share: the constructed set built once with each store."""

from __future__ import annotations

from pathlib import Path

import pytest

import graphbuilder

CONSTRUCTED = Path(__file__).resolve().parents[1] / "data" / "constructed"
STORES = ["files", "oxigraph"]


@pytest.fixture(scope="session")
def constructed_outs(tmp_path_factory) -> dict[str, Path]:
    """Return the output folders of tests/data/constructed built with each store (no model needed)."""
    root = tmp_path_factory.mktemp("constructed")
    for store in STORES:
        graphbuilder.build(sorted(CONSTRUCTED.glob("*.json")), out=root / store, store=store)
    return {store: root / store for store in STORES}
