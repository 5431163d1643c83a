"""Building many articles: worker processes, the progress bar, shards and merging them.

The corpus is the constructed set's own texts written as bare articles, with shortened
copies (more of them than one batch, so that --jobs 2 really hands batches to two worker
processes).
"""

from __future__ import annotations

import json
import os
import platform
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset
from typer.testing import CliRunner

from graphbuilder import build
from graphbuilder.cli import app
from graphbuilder.errors import InputError, UsageError
from graphbuilder.extract import BATCH_SIZE
from graphbuilder.options import Shard
from graphbuilder.pipeline.build import in_shard
from graphbuilder.pipeline.merge import merge

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def corpus(constructed_dir, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for path in sorted(constructed_dir.glob("*.json")):
        annotated = json.loads(path.read_text(encoding="utf-8"))
        article = {
            key: annotated[key]
            for key in ("id", "title", "date", "source", "publisher", "text")
            if annotated.get(key)
        }
        (folder / f"{annotated['id']}.json").write_text(json.dumps(article), encoding="utf-8")
    # Shortened copies under other ids, so the corpus holds more than one batch.
    originals = sorted(folder.glob("*.json"))
    for n in range(BATCH_SIZE + 1 - len(originals)):
        article = json.loads(originals[n % len(originals)].read_text(encoding="utf-8"))
        article["id"] += f"-copy{n}"
        article["text"] = article["text"][:1200].rsplit(".", 1)[0] + "."
        (folder / f"{article['id']}.json").write_text(json.dumps(article), encoding="utf-8")
    assert len(list(folder.glob("*.json"))) > BATCH_SIZE
    return folder


@pytest.fixture(scope="module")
def single(corpus, tmp_path_factory):
    return build([corpus], out=tmp_path_factory.mktemp("single") / "out")


def dataset(out: Path) -> Dataset:
    ds = Dataset()
    ds.parse(out / "graph.trig", format="trig")
    return ds


def same_graph(a: Path, b: Path) -> bool:
    # No blank nodes anywhere: the same quads is the same graph.
    quads_a, quads_b = set(dataset(a).quads()), set(dataset(b).quads())
    return bool(quads_a) and quads_a == quads_b


def test_two_processes_build_byte_for_byte_what_one_builds(corpus, single, tmp_path):
    report = build([corpus], out=tmp_path / "out", jobs=2)
    assert report.extracted == single.extracted == len(list(corpus.glob("*.json")))
    for name in ("graph.trig", "graph.ttl", "graph.jsonld"):
        assert (tmp_path / "out" / name).read_bytes() == (single.out / name).read_bytes(), name


def test_progress_is_reported_up_to_every_article_extracted(corpus, tmp_path):
    seen = []
    build([corpus], out=tmp_path / "out", progress=lambda done, total: seen.append((done, total)))
    total = len(list(corpus.glob("*.json")))
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_shards_split_the_articles_once_each_whatever_the_order():
    ids = [f"article-{i}" for i in range(300)]
    owners = [[i for i in (1, 2, 3) if in_shard(article, i, 3)] for article in ids]
    assert all(len(o) == 1 for o in owners)
    sizes = [sum(o == [i] for o in owners) for i in (1, 2, 3)]
    assert min(sizes) > 60  # roughly even, not all in one part
    assert [in_shard(a, 2, 3) for a in reversed(ids)] == [in_shard(a, 2, 3) for a in ids][::-1]


def test_merging_the_shards_gives_the_single_builds_graph(corpus, single, tmp_path):
    parts = []
    for index in (1, 2, 3):
        report = build([corpus], out=tmp_path / f"part{index}", shard=f"{index}/3")
        parts.append(report)
    assert sum(p.articles for p in parts) == single.articles
    assert all(0 < p.articles < single.articles for p in parts)
    merged = merge([p.out for p in parts], out=tmp_path / "merged")
    assert (merged.actors, merged.roles, merged.relations, merged.triples) == (
        single.actors,
        single.roles,
        single.relations,
        single.triples,
    )
    assert same_graph(merged.out, single.out)
    assert (merged.out / "graph.trig").read_bytes() == (single.out / "graph.trig").read_bytes()
    assert sorted(p.name for p in (merged.out / "extractions").iterdir()) == sorted(
        p.name for p in (single.out / "extractions").iterdir()
    )


def test_a_merged_output_rebuilds_incrementally_without_extracting(corpus, tmp_path, single):
    parts = [build([corpus], out=tmp_path / f"part{i}", shard=f"{i}/2").out for i in (1, 2)]
    merge(parts, out=tmp_path / "merged")
    again = build([corpus], out=tmp_path / "merged")
    assert again.extracted == 0 and again.reused == single.articles
    assert same_graph(again.out, single.out)


def test_merging_a_shard_twice_is_refused(corpus, tmp_path):
    part = build([corpus], out=tmp_path / "part", shard="1/2").out
    with pytest.raises(InputError, match="is in two shards"):
        merge([part, part], out=tmp_path / "merged")
    assert not (tmp_path / "merged").exists()


def test_merging_shards_built_with_other_options_is_refused(constructed_dir, tmp_path):
    a = build([constructed_dir], out=tmp_path / "a", shard="1/2").out
    b = build([constructed_dir], out=tmp_path / "b", shard=Shard(2, 2), base="https://example.org/id/").out
    with pytest.raises(InputError, match="other options"):
        merge([a, b], out=tmp_path / "merged")


def test_merging_into_a_file_or_with_an_unknown_store_is_a_usage_error(constructed_dir, tmp_path):
    part = build([constructed_dir], out=tmp_path / "part", shard="1/2").out
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(UsageError, match="not a folder"):
        merge([part], out=tmp_path / "a-file")
    with pytest.raises(UsageError, match="--store"):
        merge([part], out=tmp_path / "merged", store="sqlite")
    assert not (tmp_path / "merged").exists()


def test_merging_a_folder_that_is_no_build_output_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no record of a build"):
        merge([tmp_path / "empty"], out=tmp_path / "merged")


def test_extraction_files_given_to_shards_merge_too(annotated_dir, built_annotated, tmp_path):
    parts = [build([annotated_dir], out=tmp_path / f"p{i}", shard=f"{i}/2").out for i in (1, 2)]
    merged = merge(parts, out=tmp_path / "merged")
    assert same_graph(merged.out, built_annotated.out)


@pytest.mark.parametrize("shard", ["0/3", "4/3", "3", "a/b", "1/0", (0, 3), (1, 2, 3), 3])
def test_a_shard_that_is_not_i_of_n_is_a_usage_error(shard):
    with pytest.raises(UsageError, match="--shard"):
        Shard.of(shard)


@pytest.mark.parametrize("shard", ["2/3", " 2 / 3 ", (2, 3), Shard(2, 3)])
def test_a_shard_is_written_i_of_n_or_given_as_a_pair(shard):
    assert Shard.of(shard) == Shard(index=2, count=3)
    assert str(Shard.of(shard)) == "2/3"


def test_cli_errors_for_jobs_shards_and_merge_are_one_line(corpus, tmp_path):
    runner = CliRunner()
    for args, code, text in (
        (["build", str(corpus), "--out", str(tmp_path / "o"), "--jobs", "0"], 2, "--jobs"),
        (["build", str(corpus), "--out", str(tmp_path / "o"), "--shard", "5/4"], 2, "--shard"),
        (["merge", str(tmp_path), "--out", str(tmp_path / "m")], 1, "no record of a build"),
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == code, result.output
        assert result.stderr.count("\n") == 1 and text in result.stderr
        assert "Traceback" not in result.output


def test_an_article_too_long_for_the_parser_fails_cleanly_in_a_worker(corpus, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for path in corpus.glob("*.json"):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "huge.txt").write_text("The talks went on. " * 60_000, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["build", str(folder), "--out", str(tmp_path / "out"), "--jobs", "2", "--date", "2024-01-01"]
    )
    assert result.exit_code == 1, result.output
    assert "characters long" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()


def run_in_terminal(args: list[str], cwd: Path) -> str:
    """Run graphbuilder with a pseudo-terminal as stdin/stdout/stderr; return what it drew."""
    main, child = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "graphbuilder", *args],
        cwd=cwd,
        stdin=child,
        stdout=child,
        stderr=child,
        close_fds=True,
        env={**os.environ, "COLUMNS": "120", "TERM": "xterm"},
    )
    os.close(child)
    drawn = b""
    while True:
        ready, _, _ = select.select([main], [], [], 300)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed: the process has ended
            break
        if not chunk:
            break
        drawn += chunk
    process.wait(timeout=60)
    os.close(main)
    assert process.returncode == 0, drawn.decode(errors="replace")
    return drawn.decode("utf-8", errors="replace")


def test_a_terminal_shows_the_progress_bar_and_the_summary(corpus, tmp_path):
    drawn = run_in_terminal(["build", str(corpus), "--out", str(tmp_path / "out")], tmp_path)
    total = len(list(corpus.glob("*.json")))
    assert "extracting" in drawn and f"{total}/{total}" in drawn
    assert f"built {total} articles" in drawn


def test_quiet_and_a_pipe_show_no_progress_bar(corpus, tmp_path):
    piped = CliRunner().invoke(app, ["build", str(corpus), "--out", str(tmp_path / "a")])
    assert piped.exit_code == 0 and "extracting" not in piped.stderr
    assert piped.stderr.startswith("built ") and " s\n" in piped.stderr.splitlines(True)[0]
    quiet = CliRunner().invoke(app, ["build", str(corpus), "--out", str(tmp_path / "b"), "--quiet"])
    assert quiet.exit_code == 0 and quiet.stderr == "" and quiet.stdout == ""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="returning freed heap is glibc's")
def test_memory_freed_after_parsing_goes_back_to_the_system():
    # glibc keeps heap memory freed below a live block (a spaCy pipeline's, freed under
    # the extractions made after it); the graph writing would add its own on top.
    script = """
import os
from graphbuilder.pipeline.build import release_freed_memory
def resident(): return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
blocks = [bytearray(4000) for _ in range(25_000)]
kept = bytearray(4000)
del blocks
before = resident()
release_freed_memory()
print((before - resident()) // 2**20)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert int(done.stdout) >= 80  # of the ~95 MiB freed


@pytest.mark.parametrize("store", ["files", "oxigraph"])
def test_a_shard_that_holds_none_of_a_few_articles_is_an_empty_part_merge_joins(
    constructed_dir, tmp_path, store
):
    articles = tmp_path / "two"
    articles.mkdir()
    for name in (
        "armenia-azerbaijan-border-commission-2025.json",
        "eu-statement-zubin-potok-attack-2025.json",
    ):
        (articles / name).write_bytes((constructed_dir / name).read_bytes())
    parts = [build([articles], out=tmp_path / f"p{i}", shard=f"{i}/3", store=store) for i in (1, 2, 3)]
    assert sorted(p.articles for p in parts) == [0, 1, 1]  # these ids hash into two of the three
    empty = next(p for p in parts if p.articles == 0)
    assert empty.triples == 0 and (empty.out / "graph.trig").is_file()
    merged = merge([p.out for p in parts], out=tmp_path / "merged", store=store)
    whole = build([articles], out=tmp_path / "whole", store=store)
    assert merged.articles == 2 and same_graph(merged.out, whole.out)


def test_empty_parts_alone_merge_into_an_empty_graph(constructed_dir, tmp_path):
    articles = tmp_path / "one"
    articles.mkdir()
    name = "armenia-azerbaijan-border-commission-2025.json"
    (articles / name).write_bytes((constructed_dir / name).read_bytes())
    parts = [build([articles], out=tmp_path / f"p{i}", shard=f"{i}/3") for i in (1, 2, 3)]
    empty = [p.out for p in parts if p.articles == 0]
    full = [p.out for p in parts if p.articles == 1]
    assert len(empty) == 2 and len(full) == 1
    merged = merge(empty, out=tmp_path / "merged")
    assert (merged.articles, merged.triples) == (0, 0) and (merged.out / "graph.trig").is_file()
    assert merge([*empty, *full], out=tmp_path / "all").articles == 1  # the part with the article counts
