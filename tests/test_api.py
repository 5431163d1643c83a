"""The library API mirrors the command line: what `graphbuilder stats`, `path`, `export`
and `viz` give is what a KnowledgeGraph's methods give, on a real built graph."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass

import pytest

import graphbuilder
from graphbuilder.errors import UsageError
from graphbuilder.network.analytics import format_path, format_stats


@dataclass(frozen=True)
class Sample:
    """One annotated article of a set, and what its annotations say."""

    article: str
    path: tuple[str, str]  # two actors a relation joins
    focus: str  # an actor to draw a page around
    drawn: str  # an actor the whole page shows
    condemners: frozenset[str]


SAMPLES = {
    "gold": Sample(
        "seed-nk-dialogue.json",
        ("Japan", "North Korea"),
        "Kim Song",
        "Linda Thomas-Greenfield",
        frozenset({"Linda Thomas-Greenfield", "Kim Song"}),
    ),
    "constructed": Sample(
        "guyana-statement-venezuela-naval-incursion-2025.json",
        ("Guyana", "Venezuela"),
        "Natasha Bacchus",
        "Caribbean Community",
        frozenset({"Guyana"}),
    ),
}


@pytest.fixture(scope="module")
def sample(annotated_set) -> Sample:
    return SAMPLES[annotated_set.name]


@pytest.fixture(scope="module")
def built(annotated_set, sample, tmp_path_factory):
    out = tmp_path_factory.mktemp("api") / "out"
    graphbuilder.build([annotated_set.folder / sample.article], out=out)
    return out


@pytest.fixture(scope="module")
def kg(built):
    return graphbuilder.load(built)


def _cli(*args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "graphbuilder", *args], check=True, capture_output=True, text=True
    ).stdout


def test_stats_and_path_are_what_the_commands_print(kg, built, sample):
    stats = kg.stats(top=5)
    assert stats.actors > 5 and stats.articles == 1
    assert format_stats(stats) == _cli("stats", str(built), "--top", "5")
    path = kg.path(*sample.path)
    assert path.hops and path.hops[0].events
    assert format_path(path) == _cli("path", *sample.path, "--graph", str(built))


def test_export_writes_the_network_in_the_format_of_its_suffix(kg, tmp_path, sample):
    [graphml] = kg.export(tmp_path / "graph.graphml")
    assert sample.path[1] in graphml.read_text(encoding="utf-8")
    written = kg.export(tmp_path / "csv")
    assert {p.name for p in written} == {"nodes.csv", "edges.csv"}
    with pytest.raises(UsageError, match="unknown export format 'pdf'"):
        kg.export(tmp_path / "graph.pdf")


def test_write_html_draws_the_page_and_its_focus(kg, tmp_path, sample):
    page = kg.write_html(tmp_path / "graph.html", focus=sample.focus, hops=1).read_text(encoding="utf-8")
    assert sample.focus in page and "<html" in page.lower()
    whole = kg.write_html(tmp_path / "whole.html").read_text(encoding="utf-8")
    assert sample.drawn in whole


def test_query_and_validate_still_answer(kg, sample):
    assert kg.validate().conforms
    assert sample.condemners <= {
        r["who"] for r in kg.query("SELECT ?who WHERE { ?w gb:condemned ?t . ?w rdfs:label ?who }")
    }
