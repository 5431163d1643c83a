"""The library API mirrors the command line: what `graphbuilder stats`, `path`, `export`
and `viz` give is what a KnowledgeGraph's methods give, on a real built graph."""

from __future__ import annotations

import subprocess
import sys

import pytest

import graphbuilder
from graphbuilder.errors import UsageError
from graphbuilder.network.analytics import format_path, format_stats


@pytest.fixture(scope="module")
def built(gold_dev_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("api") / "out"
    graphbuilder.build([gold_dev_dir / "seed-nk-dialogue.json"], out=out)
    return out


@pytest.fixture(scope="module")
def kg(built):
    return graphbuilder.load(built)


def _cli(*args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "graphbuilder", *args], check=True, capture_output=True, text=True
    ).stdout


def test_stats_and_path_are_what_the_commands_print(kg, built):
    stats = kg.stats(top=5)
    assert stats.actors > 5 and stats.articles == 1
    assert format_stats(stats) == _cli("stats", str(built), "--top", "5")
    path = kg.path("Japan", "North Korea")
    assert path.hops and path.hops[0].events
    assert format_path(path) == _cli("path", "Japan", "North Korea", "--graph", str(built))


def test_export_writes_the_network_in_the_format_of_its_suffix(kg, tmp_path):
    [graphml] = kg.export(tmp_path / "graph.graphml")
    assert "North Korea" in graphml.read_text(encoding="utf-8")
    written = kg.export(tmp_path / "csv")
    assert {p.name for p in written} == {"nodes.csv", "edges.csv"}
    with pytest.raises(UsageError, match="unknown export format 'pdf'"):
        kg.export(tmp_path / "graph.pdf")


def test_write_html_draws_the_page_and_its_focus(kg, tmp_path):
    page = kg.write_html(tmp_path / "graph.html", focus="Kim Song", hops=1).read_text(encoding="utf-8")
    assert "Kim Song" in page and "<html" in page.lower()
    whole = kg.write_html(tmp_path / "whole.html").read_text(encoding="utf-8")
    assert "Linda Thomas-Greenfield" in whole


def test_query_and_validate_still_answer(kg):
    assert kg.validate().conforms
    assert {"Linda Thomas-Greenfield", "Kim Song"} <= {
        r["who"] for r in kg.query("SELECT ?who WHERE { ?w gb:condemned ?t . ?w rdfs:label ?who }")
    }
