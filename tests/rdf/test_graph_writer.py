"""Writing the graph article by article (graph_writer.py) gives what the in-memory path gives.

The build writes its files from an Oxigraph store filled one article at a time; the
Dataset path (rdf.extractions_to_dataset + store.write_graph_files, and
rdf.oxigraph.write_store) is the reference: same bytes, same store, same view.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from graphbuilder.errors import OutputError
from graphbuilder.model import extraction_from_json
from graphbuilder.network.view import graph_view
from graphbuilder.pipeline.resolve import resolve
from graphbuilder.rdf.dataset import extractions_to_dataset
from graphbuilder.rdf.files import GRAPH_FILES, write_graph_files
from graphbuilder.rdf.oxigraph import new_store, open_merged_view, write_store
from graphbuilder.rdf.writer import write_graph

BASE = "https://example.org/kg/"


@pytest.fixture(scope="module")
def gold(annotated_dir):
    return resolve(
        [
            extraction_from_json(json.loads(p.read_text(encoding="utf-8")), origin=p.name)
            for p in sorted(annotated_dir.glob("*.json"))
        ]
    )


@pytest.fixture(scope="module")
def written(gold, tmp_path_factory):
    out = tmp_path_factory.mktemp("streamed")
    # Given in reverse: the files follow the graph IRIs' order, not the input order.
    return write_graph(list(reversed(gold)), out, base=BASE, store_dir=out / "store", keep=True)


@pytest.fixture(scope="module")
def reference(gold, tmp_path_factory):
    out = tmp_path_factory.mktemp("in-memory")
    dataset = extractions_to_dataset(gold, base=BASE)
    write_graph_files(dataset, out)
    write_store(dataset, out / "store")
    return out


@pytest.mark.parametrize("name", GRAPH_FILES)
def test_streamed_graph_files_are_the_bytes_of_the_in_memory_writer(written, reference, name):
    assert written.files[name].read_bytes() == (reference / name).read_bytes()


def test_streamed_store_holds_the_article_graphs_and_the_merged_view(written, reference):
    def quads(directory: Path) -> set[str]:
        store = ox.Store.read_only(str(directory))
        return {str(q) for q in store.quads_for_pattern(None, None, None, None)}

    streamed, expected = quads(written.store), quads(reference / "store")
    assert streamed == expected
    assert any(" <https://example.org/kg/graph/" in q for q in streamed)
    merged = ox.Store.read_only(str(written.store))
    assert written.triples == len(list(merged.quads_for_pattern(None, None, None, ox.DefaultGraph())))


def test_store_not_kept_still_has_the_merged_view_the_html_view_reads(gold, written, tmp_path):
    out = tmp_path / "files-only"
    result = write_graph(gold, out, base=BASE, store_dir=out / "store")
    store = ox.Store.read_only(str(result.store))
    assert not list(store.named_graphs())
    assert result.triples == written.triples
    assert graph_view(open_merged_view(result.store, BASE)) == graph_view(
        extractions_to_dataset(gold, base=BASE)
    )


def test_a_store_folder_in_the_way_is_refused_and_left_alone(gold, tmp_path):
    (tmp_path / "store").mkdir()
    (tmp_path / "store" / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="in the way"):
        write_graph(gold, tmp_path, store_dir=tmp_path / "store")
    assert (tmp_path / "store" / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "graph.trig").exists()


def test_a_store_whose_writing_fails_is_removed_and_reported_in_one_line(tmp_path):
    with pytest.raises(OutputError, match=r"^.*cannot write the graph: No space left on device"):
        with new_store(tmp_path / "store", compact=False, failure="cannot write the graph") as store:
            store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c")))
            raise OSError(28, "No space left on device")
    assert not (tmp_path / "store").exists()


def test_a_store_whose_writing_succeeds_is_left_in_place_with_its_quads(tmp_path):
    with new_store(tmp_path / "store", compact=True) as store:
        store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.Literal("c")))
    del store
    assert len(ox.Store.read_only(str(tmp_path / "store"))) == 1
