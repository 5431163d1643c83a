"""One output, one build: the lock, the generation record, leftovers, kill -9 and two builds at once.

Builds here read extraction files of the constructed set (no spaCy), so one `graphbuilder build` process
takes a second or two; the kill and concurrency loops are bounded in count and time.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graphbuilder import build, load
from graphbuilder.errors import GraphParseError, OutputError
from graphbuilder.generation import GENERATION_FILE, STORE_MARK, lock_path, output_lock
from graphbuilder.pipeline.incremental import CACHE_DIR, MANIFEST, ExtractionCache

GRAPHBUILDER = [sys.executable, "-m", "graphbuilder"]


def _inputs(constructed_dir: Path, tmp_path: Path, name: str, count: int, skip: int = 0) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for path in sorted(constructed_dir.glob("*.json"))[skip : skip + count]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
def two_inputs(constructed_dir, tmp_path) -> tuple[Path, Path]:
    """Return two input folders whose graphs differ (3 and 5 constructed articles)."""
    return _inputs(constructed_dir, tmp_path, "a", 3), _inputs(constructed_dir, tmp_path, "b", 5, skip=3)


def _articles(out: Path) -> int:
    rows = load(out).query("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a gb:Article }")
    return int(rows[0]["n"])


# -- the record -------------------------------------------------------------------------


def test_a_build_records_its_generation_and_the_store_carries_it(two_inputs, tmp_path):
    out = tmp_path / "out"
    build([two_inputs[0]], out=out, store="oxigraph")
    record = json.loads((out / GENERATION_FILE).read_text(encoding="utf-8"))
    assert sorted(record["files"]) == ["graph.html", "graph.jsonld", "graph.trig", "graph.ttl"]
    assert record["files"]["graph.trig"]["size"] == (out / "graph.trig").stat().st_size
    assert (out / "store" / STORE_MARK).read_text(encoding="utf-8").strip() == record["generation"]
    assert _articles(out) == 3
    # The same graph gives the same record, byte for byte.
    again = build([two_inputs[0]], out=tmp_path / "again", store="oxigraph")
    assert (again.out / GENERATION_FILE).read_bytes() == (out / GENERATION_FILE).read_bytes()


def test_graph_files_of_another_build_are_refused_by_readers(two_inputs, tmp_path):
    a, b = (
        build([two_inputs[0]], out=tmp_path / "out-a").out,
        build([two_inputs[1]], out=tmp_path / "out-b").out,
    )
    assert _articles(a) == 3  # the positive twin: an untouched output reads
    shutil.copy(b / "graph.trig", a / "graph.trig")
    with pytest.raises(GraphParseError, match=r"holds parts of two builds \(graph.trig is not the one"):
        load(a)


def test_a_store_of_another_build_is_refused_by_readers(two_inputs, tmp_path):
    a = build([two_inputs[0]], out=tmp_path / "out-a", store="oxigraph").out
    b = build([two_inputs[1]], out=tmp_path / "out-b", store="oxigraph").out
    assert _articles(a) == 3 and _articles(b) == 5
    shutil.rmtree(a / "store")
    shutil.copytree(b / "store", a / "store")
    with pytest.raises(GraphParseError, match=r"its Oxigraph store \(store/\) is not the one"):
        load(a)


def test_an_output_with_no_record_is_read_as_it_is(two_inputs, tmp_path):
    out = build([two_inputs[0]], out=tmp_path / "out").out
    (out / GENERATION_FILE).unlink()
    assert _articles(out) == 3


# -- the lock and leftovers ---------------------------------------------------------------


def test_a_second_build_into_a_locked_output_is_refused_naming_the_first(two_inputs, tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from graphbuilder.generation import output_lock\n"
         "with output_lock(sys.argv[1]):\n    print('locked', flush=True); time.sleep(30)", str(out)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(
            OutputError, match=rf"another graphbuilder build is writing this output \(pid {holder.pid}\)"
        ):
            build([two_inputs[0]], out=out)
        assert not out.exists()
    finally:
        holder.kill()
        holder.wait()
    # The holder is gone (killed, its lock with it): the next build goes through.
    assert build([two_inputs[0]], out=out).articles == 3


def test_the_lock_file_goes_when_the_build_ends(two_inputs, tmp_path):
    out = tmp_path / "out"
    with output_lock(out):
        assert lock_path(out).exists()
    assert not lock_path(out).exists()
    build([two_inputs[0]], out=out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "out"]


def test_staging_folders_of_killed_builds_are_removed_by_the_next_build(two_inputs, tmp_path):
    out = tmp_path / "out"
    left = tmp_path / ".out-building-k1ll3d"
    (left / "store").mkdir(parents=True)
    (left / "graph.trig").write_text("half", encoding="utf-8")
    other = tmp_path / ".other-building-x"  # another output's: not ours to remove
    other.mkdir()
    build([two_inputs[0]], out=out)
    assert not left.exists()
    assert other.exists()


def test_an_article_called_manifest_does_not_overwrite_the_cache_record(constructed_dir, tmp_path):
    source = json.loads(sorted(constructed_dir.glob("*.json"))[0].read_text(encoding="utf-8"))
    folder = tmp_path / "in"
    folder.mkdir()
    for article_id in ("manifest", "alpha"):
        (folder / f"{article_id}.json").write_text(json.dumps({**source, "id": article_id}), encoding="utf-8")
    out = tmp_path / "out"
    build([folder], out=out)
    record = json.loads((out / CACHE_DIR / MANIFEST).read_text(encoding="utf-8"))
    assert record["given"] == ["alpha", "manifest"]
    assert (out / CACHE_DIR / "manifest.json").is_file()  # the article's own cache entry
    assert ExtractionCache.load(out).folder == out / CACHE_DIR
    assert build([folder], out=out).articles == 2  # and the next build reads both back


# -- kill -9 and two builds at once -------------------------------------------------------


def _reference(inputs: Path, tmp_path: Path, name: str, store: str) -> bytes:
    return build([inputs], out=tmp_path / name, store=store).out.joinpath("graph.trig").read_bytes()


def _consistent(out: Path, references: dict[bytes, int]) -> str:
    """Return "old/new" when `out` reads as one whole build, "refused" when readers refuse it."""
    try:
        articles = _articles(out)
    except GraphParseError as exc:
        assert "holds parts of two builds" in str(exc)
        return "refused"
    trig = (out / "graph.trig").read_bytes()
    assert trig in references, "graph.trig is no whole build's"
    assert references[trig] == articles, f"graph.trig has {references[trig]} articles, the store {articles}"
    return "whole"


@pytest.mark.parametrize("store", ["files", "oxigraph"])
def test_kill_9_at_any_moment_leaves_an_output_readers_take_whole_or_refuse(two_inputs, tmp_path, store):
    references = {
        _reference(two_inputs[0], tmp_path, "ref-a", store): 3,
        _reference(two_inputs[1], tmp_path, "ref-b", store): 5,
    }
    out = tmp_path / "out"
    command = [*GRAPHBUILDER, "build", "--out", str(out), "--store", store, "--quiet"]
    began = time.monotonic()
    subprocess.run([*command, str(two_inputs[0])], check=True)
    whole_build = time.monotonic() - began  # the swap is at its very end: kill around there
    rng = random.Random(9)
    outcomes: dict[str, int] = {}
    deadline = time.monotonic() + 45
    for trial in range(7):
        if time.monotonic() > deadline:
            break
        before = _articles(out)
        source = two_inputs[(trial + 1) % 2]
        process = subprocess.Popen(
            [*command, str(source)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.5, 1.1) * whole_build)
        process.send_signal(signal.SIGKILL)
        process.wait()
        outcome = _consistent(out, references)
        if outcome == "whole":
            outcome = "old" if _articles(out) == before else "new"
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    assert sum(outcomes.values()) >= 5, outcomes
    print(f"kill -9 during builds ({store}): {outcomes}")
    # Whatever the kills left, the next build completes, and leaves nothing behind.
    build([two_inputs[1]], out=out, store=store)
    assert _consistent(out, references) == "whole" and _articles(out) == 5
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_two_builds_at_once_never_mix_their_outputs(two_inputs, tmp_path):
    references = {
        _reference(two_inputs[0], tmp_path, "ref-a", "oxigraph"): 3,
        _reference(two_inputs[1], tmp_path, "ref-b", "oxigraph"): 5,
    }
    out = tmp_path / "out"
    refused = 0
    for _ in range(4):
        processes = [
            subprocess.Popen(
                [*GRAPHBUILDER, "build", str(source), "--out", str(out), "--store", "oxigraph", "--quiet"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for source in two_inputs
        ]
        results = [(p.wait(), p.stderr.read() if p.stderr else "") for p in processes]
        for code, stderr in results:
            assert code == 0 or "another graphbuilder build is writing this output" in stderr, stderr
            assert "Traceback" not in stderr
            refused += code != 0
        assert any(code == 0 for code, _ in results)
        assert _consistent(out, references) == "whole"
    assert not list(tmp_path.glob(".out*"))
    print(f"two builds at once, 4 trials: {refused} builds refused by the lock")


def test_the_cli_says_in_one_line_that_another_build_holds_the_output(two_inputs, tmp_path):
    out = tmp_path / "out"
    with output_lock(out):
        result = subprocess.run(
            [*GRAPHBUILDER, "build", str(two_inputs[0]), "--out", str(out)], capture_output=True, text=True
        )
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert f"(pid {os.getpid()})" in result.stderr
