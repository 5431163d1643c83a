"""Shared fixtures: where the annotated corpora are, and graphs built once per test session.

Two hand-annotated sets of extraction files feed the tests:

- the gold dev corpus (52 real articles), which lives outside the repository, beside it
  (`../shared/corpus/dev`, or wherever GRAPHBUILDER_GOLD_DIR points); a clone without it
  skips the tests that need it, and says so in the summary;
- the constructed set (`tests/data/constructed`, 10 articles written for the project),
  which every clone has.

`annotated_set` (and with it `annotated_dir` and `built_annotated`) is parametrized over
both (ids `gold` and `constructed`), so a test that takes it runs on the project's own
data even where the gold corpus is absent; tests/annotated_sets.py says what tests may
ask of each set.

Building the bundled example loads the spaCy pipeline (a few seconds), so the tests that
need its output share one build (`built_example`, marked `model` where used). The
annotated sets build without extraction (`built_gold`, `built_constructed`).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from annotated_sets import ANNOTATED_SETS

REPO = Path(__file__).resolve().parents[1]
#: The variable that points the tests at the gold corpus when it is not beside the repository.
GOLD_DIR_VARIABLE = "GRAPHBUILDER_GOLD_DIR"
# The hand-annotated corpus lives beside the repository (shared/corpus/dev).
GOLD_DEV_DIR = Path(os.environ.get(GOLD_DIR_VARIABLE) or REPO.parent / "shared" / "corpus" / "dev")
#: The independently annotated set inside the repository (see its README.md).
CONSTRUCTED_DIR = REPO / "tests" / "data" / "constructed"
#: Every skip for want of the gold corpus starts with this; the summary counts them.
GOLD_MISSING = "gold corpus not found"


@pytest.fixture(scope="session")
def gold_dev_dir() -> Path:
    """Return the folder of gold extraction files; skip when this checkout has none beside it."""
    if not any(GOLD_DEV_DIR.glob("*.json")):
        # CI always has shared/ beside the checkout: there a missing corpus is a failure.
        if os.environ.get("CI"):
            pytest.fail(f"{GOLD_MISSING} at {GOLD_DEV_DIR}")
        pytest.skip(
            f"{GOLD_MISSING} at {GOLD_DEV_DIR} (expected ../shared/corpus/dev next to the repository)"
        )
    return GOLD_DEV_DIR


@pytest.fixture(scope="session")
def constructed_dir(tmp_path_factory) -> Path:
    """Return a folder of the constructed set's extraction files, which every clone has.

    A copy without the set's README.md, which `build` would read as one more article.
    """
    folder = tmp_path_factory.mktemp("constructed-set")
    for path in sorted(CONSTRUCTED_DIR.glob("*.json")):
        shutil.copy(path, folder / path.name)
    return folder


@dataclass(frozen=True)
class AnnotatedSet:
    """A folder of hand-annotated extraction files, and the name tests key their facts by."""

    name: str  # "gold" or "constructed"
    folder: Path


@pytest.fixture(scope="session", params=ANNOTATED_SETS)
def annotated_set(request) -> AnnotatedSet:
    """Return each annotated set in turn: the gold corpus, then the constructed set."""
    fixture = {"gold": "gold_dev_dir", "constructed": "constructed_dir"}[request.param]
    return AnnotatedSet(request.param, request.getfixturevalue(fixture))


@pytest.fixture(scope="session")
def annotated_dir(annotated_set) -> Path:
    """Return the folder of each annotated set in turn (see `annotated_set`)."""
    return annotated_set.folder


@pytest.fixture(scope="session")
def built_gold(gold_dev_dir, tmp_path_factory):
    """Return the BuildReport of building the gold dev corpus (no extraction needed)."""
    from graphbuilder import build

    return build([gold_dev_dir], out=tmp_path_factory.mktemp("gold") / "out")


@pytest.fixture(scope="session")
def built_constructed(constructed_dir, tmp_path_factory):
    """Return the BuildReport of building the constructed set (no extraction needed)."""
    from graphbuilder import build

    return build([constructed_dir], out=tmp_path_factory.mktemp("constructed") / "out")


@pytest.fixture(scope="session")
def built_annotated(annotated_set, request):
    """Return the BuildReport of each annotated set in turn (`built_gold`, `built_constructed`)."""
    return request.getfixturevalue(f"built_{annotated_set.name}")


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


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say in one line how many tests skipped for want of the gold corpus, and how to get it."""
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple) and GOLD_MISSING in str(report.longrepr[2])
    ]
    if skipped:
        tests = "1 test" if len(skipped) == 1 else f"{len(skipped)} tests"
        terminalreporter.write_line(
            f"{tests} skipped: the gold corpus is not at {GOLD_DEV_DIR}. They check facts of the "
            f"project's hand-annotated dev corpus, kept beside the repository as shared/corpus/dev: "
            f"put it at ../shared/corpus/dev or set {GOLD_DIR_VARIABLE} to its folder. Every "
            f"command was tested on {CONSTRUCTED_DIR.relative_to(REPO)} all the same.",
            yellow=True,
            bold=True,
        )
