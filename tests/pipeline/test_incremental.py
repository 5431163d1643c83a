"""Incremental builds: only new or changed articles are extracted, and the graph is the
one a clean build gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset

from graphbuilder import build

pytestmark = pytest.mark.model

ARTICLES = {
    "alpha.txt": "Talks\n\nJapan condemned North Korea on Monday. Foreign Minister Yoko "
    "Kamikawa met South Korea's foreign minister, Park Jin.\n",
    "beta.txt": "Sanctions\n\nThe United States sanctioned Iran on Tuesday.\n",
    "gamma.txt": "Visit\n\nFrench President Emmanuel Macron met Chinese President Xi Jinping.\n",
}


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _graph_files(out: Path) -> dict[str, bytes]:
    names = ["graph.ttl", "graph.trig", "graph.jsonld", "graph.html"]
    names += [f"extractions/{p.name}" for p in sorted((out / "extractions").iterdir())]
    return {name: (out / name).read_bytes() for name in names}


def _dataset(out: Path) -> Dataset:
    dataset = Dataset()
    dataset.parse(out / "graph.trig", format="trig")
    return dataset


def test_rebuilding_unchanged_articles_extracts_nothing_and_changes_nothing(tmp_path):
    articles = _write(tmp_path / "in", ARTICLES)
    out = tmp_path / "out"
    first = build([articles], out=out, date="2024-03-06")
    before = _graph_files(out)
    second = build([articles], out=out, date="2024-03-06")
    assert (first.extracted, first.reused) == (3, 0)
    assert (second.extracted, second.reused) == (0, 3)
    assert _graph_files(out) == before


def test_changed_added_and_removed_articles_give_the_clean_build_graph(tmp_path):
    out = tmp_path / "out"
    build([_write(tmp_path / "v1", ARTICLES)], out=out, date="2024-03-06")
    changed = dict(ARTICLES)
    del changed["gamma.txt"]
    changed["beta.txt"] = "Sanctions\n\nThe United States sanctioned Russia on Tuesday.\n"
    changed["delta.txt"] = "Warning\n\nChina warned Taiwan on Wednesday.\n"
    second_input = _write(tmp_path / "v2", changed)
    report = build([second_input], out=out, date="2024-03-06")
    clean = build([second_input], out=tmp_path / "clean", date="2024-03-06")
    assert (report.extracted, report.reused) == (2, 1)
    # No blank nodes anywhere: the same quads is the same graph.
    assert set(_dataset(out).quads()) == set(_dataset(tmp_path / "clean").quads())
    assert _graph_files(out) == _graph_files(tmp_path / "clean")
    assert clean.reused == 0
    cached = sorted(p.name for p in (out / ".cache").iterdir())
    assert cached == ["_manifest.json", "alpha.json", "beta.json", "delta.json"]


def test_a_new_extractor_fingerprint_extracts_everything_again(tmp_path):
    articles = _write(tmp_path / "in", ARTICLES)
    out = tmp_path / "out"
    build([articles], out=out, date="2024-03-06")
    manifest = out / ".cache" / "_manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["fingerprint"] = "an older extractor"
    manifest.write_text(json.dumps(data), encoding="utf-8")
    assert build([articles], out=out, date="2024-03-06").extracted == 3


def test_a_damaged_cache_entry_is_extracted_again(tmp_path):
    articles = _write(tmp_path / "in", ARTICLES)
    out = tmp_path / "out"
    build([articles], out=out, date="2024-03-06")
    before = _graph_files(out)
    (out / ".cache" / "beta.json").write_text("{not json", encoding="utf-8")
    report = build([articles], out=out, date="2024-03-06")
    assert (report.extracted, report.reused) == (1, 2)
    assert _graph_files(out) == before


def test_the_cache_keeps_what_the_extractor_said_before_the_confidence_filter(tmp_path):
    # A later build with a lower --min-confidence reuses the cache, so it must hold the
    # relations this build's filter dropped.
    articles = _write(tmp_path / "in", ARTICLES)
    out = tmp_path / "out"
    report = build([articles], out=out, date="2024-03-06", min_confidence=1.0)
    cached = json.loads((out / ".cache" / "alpha.json").read_text(encoding="utf-8"))
    written = json.loads((out / "extractions" / "alpha.json").read_text(encoding="utf-8"))
    assert report.relations == 0 and written["relations"] == []
    assert {(r["subject"], r["predicate"], r["object"]) for r in cached["relations"]} >= {
        ("Japan", "condemned", "North Korea")
    }
