"""Shared fixtures: where the gold corpus is, and graphs built once per test session.

Building the bundled example loads the spaCy pipeline (a few seconds), so the tests that
need its output share one build (`built_example`, marked `model` where used). The gold
dev corpus builds without extraction (`built_gold`).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# The hand-annotated corpus lives beside the repository (shared/corpus/dev).
GOLD_DEV_DIR = REPO.parent / "shared" / "corpus" / "dev"


@pytest.fixture(scope="session")
def gold_dev_dir() -> Path:
    """Return the folder of gold extraction files; skip when this checkout has none beside it."""
    if not any(GOLD_DEV_DIR.glob("*.json")):
        # CI always has shared/ beside the checkout: there a missing corpus is a failure.
        if os.environ.get("CI"):
            pytest.fail(f"gold corpus not found at {GOLD_DEV_DIR}")
        pytest.skip(
            f"gold corpus not found at {GOLD_DEV_DIR} (expected ../shared/corpus/dev next to the repository)"
        )
    return GOLD_DEV_DIR


@pytest.fixture(scope="session")
def built_gold(gold_dev_dir, tmp_path_factory):
    """Return the BuildReport of building the gold dev corpus (no extraction needed)."""
    from graphbuilder import build

    return build([gold_dev_dir], out=tmp_path_factory.mktemp("gold") / "out")


@pytest.fixture(scope="session")
def built_example(tmp_path_factory):
    """Return the BuildReport of building the bundled example article (loads spaCy)."""
    from graphbuilder import build

    return build(out=tmp_path_factory.mktemp("example") / "out")


@pytest.fixture
def run(monkeypatch):
    """Return a function that runs the CLI (CliRunner) with a fixed terminal width."""
    from typer.testing import CliRunner

    from graphbuilder.cli import app

    monkeypatch.setenv("TERMINAL_WIDTH", "100")
    monkeypatch.setenv("COLUMNS", "100")

    def invoke(*args: object):
        return CliRunner().invoke(app, [str(a) for a in args])

    return invoke
