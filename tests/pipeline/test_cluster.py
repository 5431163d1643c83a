"""Building on a Dask cluster: real `dask scheduler` and `dask worker` processes on 127.0.0.1.

Nothing is mocked: the scheduler and the workers are the programs Dask installs, the
workers load the real spaCy pipeline through graphbuilder's worker plugin, and the graph
a cluster build writes is compared byte for byte with a one-process build's.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from distributed import Client

from graphbuilder import build
from graphbuilder.errors import ClusterError, InputError, ModelError, UsageError
from graphbuilder.extract import BATCH_SIZE
from graphbuilder.options import Scheduler
from graphbuilder.pipeline.cluster import IN_FLIGHT

pytestmark = pytest.mark.model

DASK = str(Path(sys.executable).with_name("dask"))
#: Batches in the corpus: more than two workers are sent at once (cluster.IN_FLIGHT per worker).
BATCHES = 8


class Cluster:
    """A `dask scheduler` process and `dask worker` processes (no nanny: a killed worker stays dead)."""

    def __init__(self, folder: Path, workers: int, env: dict[str, str] | None = None) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        file = folder / "scheduler.json"
        self.log = open(folder / "dask.log", "wb")
        self.scheduler = subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"]
            + ["--scheduler-file", str(file)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
        self.workers: list[subprocess.Popen] = []
        deadline = time.monotonic() + 60
        while not (file.exists() and file.stat().st_size):
            assert time.monotonic() < deadline and self.scheduler.poll() is None, self.logged()
            time.sleep(0.1)
        self.address = json.loads(file.read_text())["address"]
        for n in range(workers):
            self.workers.append(
                subprocess.Popen(
                    [DASK, "worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard"]
                    + ["--name", f"w{n}"],
                    stdout=self.log,
                    stderr=subprocess.STDOUT,
                )
            )
        self.client = Client(self.address, timeout=30)
        self.client.wait_for_workers(workers, timeout=60)

    def logged(self) -> str:
        return (self.folder / "dask.log").read_text(errors="replace")[-3000:]

    def tasks(self) -> int:
        """Return how many tasks the scheduler holds now (0: no work left on the cluster)."""
        return self.client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))

    def stop(self) -> None:
        self.client.close()
        for process in [*self.workers, self.scheduler]:  # nothing of theirs is worth a clean exit
            process.kill()
            process.wait()
        self.log.close()


@pytest.fixture(scope="module")
def corpus(constructed_dir, tmp_path_factory) -> Path:
    """The constructed set's texts as bare articles, with short copies: BATCHES batches."""
    assert BATCHES > 2 * IN_FLIGHT  # so that batches are sent as others come back
    folder = tmp_path_factory.mktemp("cluster-corpus")
    originals = []
    for path in sorted(constructed_dir.glob("*.json")):
        annotated = json.loads(path.read_text(encoding="utf-8"))
        originals.append({k: annotated[k] for k in ("id", "title", "date", "text") if annotated.get(k)})
    for n in range(BATCHES * BATCH_SIZE):
        article = dict(originals[n % len(originals)])
        if n >= len(originals):
            article["id"] += f"-copy{n}"
            article["text"] = article["text"][:700].rsplit(".", 1)[0] + "."
        (folder / f"{article['id']}.json").write_text(json.dumps(article), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def single(corpus, tmp_path_factory):
    """The one-process build every cluster build must equal."""
    return build([corpus], out=tmp_path_factory.mktemp("single") / "out")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    running = Cluster(tmp_path_factory.mktemp("dask"), workers=2)
    yield running
    running.stop()


def files(out: Path) -> dict[str, bytes]:
    """Every file of an output folder (graph files, page, extractions, cache), by relative name."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".graphbuilder" not in p.name
    }


def test_a_build_on_a_dask_cluster_writes_byte_for_byte_what_one_process_writes(
    cluster, corpus, single, tmp_path
):
    seen: list[tuple[int, int]] = []
    report = build(
        [corpus], out=tmp_path / "out", scheduler=cluster.address, progress=lambda d, t: seen.append((d, t))
    )
    assert report.extracted == single.extracted == BATCHES * BATCH_SIZE
    assert seen[0] == (0, report.extracted) and seen[-1] == (report.extracted, report.extracted)
    assert files(report.out) == files(single.out)
    assert len(files(report.out)) > 2 * report.extracted  # extractions and cache entries compared too


def test_each_worker_loads_the_pipeline_once_for_every_build(cluster, corpus, tmp_path):
    def pipelines(dask_worker) -> list[int]:
        return [id(p.extractor.nlp) for p in dask_worker.plugins.values() if hasattr(p, "extractor")]

    one = tmp_path / "one-article"
    one.mkdir()
    shutil.copy(sorted(corpus.glob("*.json"))[0], one)
    build([one], out=tmp_path / "a", scheduler=cluster.address)
    first = cluster.client.run(pipelines)
    build([one], out=tmp_path / "b", scheduler=cluster.address)
    assert cluster.client.run(pipelines) == first
    assert sorted(len(ids) for ids in first.values()) == [1, 1]  # one pipeline on each of the 2 workers


def test_unchanged_articles_are_not_sent_to_the_cluster(cluster, corpus, single, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(single.out, out)
    changed = sorted(corpus.glob("*.json"))[0]
    edited = tmp_path / "corpus"
    shutil.copytree(corpus, edited)
    article = json.loads(changed.read_text(encoding="utf-8"))
    article["text"] += " Kenya condemned the attack by Somalia on Tuesday."
    (edited / changed.name).write_text(json.dumps(article), encoding="utf-8")
    totals: list[int] = []
    report = build([edited], out=out, scheduler=cluster.address, progress=lambda d, t: totals.append(t))
    assert (report.extracted, report.reused) == (1, BATCHES * BATCH_SIZE - 1)
    assert set(totals) == {1}
    assert ("Kenya", "condemned", "Somalia") in {
        (r["subject"], r["predicate"], r["object"])
        for r in json.loads((out / "extractions" / changed.name).read_text())["relations"]
    }


def test_an_unchanged_rebuild_needs_no_cluster_at_all(single, corpus, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(single.out, out)
    # Nothing listens there: any attempt to extract would fail.
    report = build([corpus], out=out, scheduler="tcp://127.0.0.1:9")
    assert (report.extracted, report.reused) == (0, BATCHES * BATCH_SIZE)
    (out / "extractions" / f"{json.loads(sorted(corpus.glob('*.json'))[0].read_text())['id']}.json").unlink()
    (out / ".cache" / "_manifest.json").unlink()
    with pytest.raises(
        UsageError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9 .connection refused"
    ):
        build([corpus], out=out, scheduler="tcp://127.0.0.1:9")


def test_a_killed_worker_loses_and_repeats_no_article_and_a_lost_scheduler_writes_nothing(
    corpus, single, tmp_path
):
    own = Cluster(tmp_path / "dask", workers=2)
    victim = own.workers[0]
    at_kill: list[int] = []

    def kill_a_worker_after_the_first_batch(done: int, total: int) -> None:
        if done and not at_kill:
            at_kill.append(done)
            victim.send_signal(signal.SIGKILL)

    def kill_the_scheduler_after_the_first_batch(done: int, total: int) -> None:
        if done and own.scheduler.poll() is None:
            own.scheduler.send_signal(signal.SIGKILL)

    try:
        report = build(
            [corpus],
            out=tmp_path / "out",
            scheduler=own.address,
            progress=kill_a_worker_after_the_first_batch,
        )
        assert victim.wait(timeout=10) == -signal.SIGKILL
        assert at_kill and at_kill[0] < report.extracted  # killed while batches were still out
        assert len(own.client.scheduler_info()["workers"]) == 1
        assert report.extracted == BATCHES * BATCH_SIZE
        assert files(report.out) == files(single.out)  # every article once, as one process has them

        before = files(report.out)
        (corpus_copy := tmp_path / "corpus").mkdir()
        for path in corpus.glob("*.json"):  # changed, so that the cluster has work again
            article = json.loads(path.read_text(encoding="utf-8"))
            article["text"] += " Kenya met Somalia."
            (corpus_copy / path.name).write_text(json.dumps(article), encoding="utf-8")
        with pytest.raises(
            ClusterError, match="lost the Dask scheduler at tcp://127.0.0.1:.*nothing was written"
        ):
            build(
                [corpus_copy],
                out=report.out,
                scheduler=own.address,
                progress=kill_the_scheduler_after_the_first_batch,
            )
        assert files(report.out) == before
    finally:
        own.stop()


def test_a_batch_that_stops_every_worker_it_runs_on_is_one_error_naming_its_articles(
    corpus, single, tmp_path
):
    # A scheduler that gives up on a batch at its first dead worker (Dask's default is 3).
    own = Cluster(tmp_path / "dask", workers=1, env={"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"})
    worker = own.workers[0]

    def kill_the_worker_once_it_works() -> None:
        deadline = time.monotonic() + 60
        while not any(own.client.processing().values()):
            if time.monotonic() > deadline:
                return
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)

    out = tmp_path / "out"
    shutil.copytree(single.out, out)
    before = files(out)
    (edited := tmp_path / "corpus").mkdir()
    for path in corpus.glob("*.json"):
        article = json.loads(path.read_text(encoding="utf-8"))
        article["text"] += " Kenya met Somalia."
        (edited / path.name).write_text(json.dumps(article), encoding="utf-8")
    killer = threading.Thread(target=kill_the_worker_once_it_works)
    killer.start()
    try:
        with pytest.raises(
            ClusterError, match=r"the batch of articles \S+ \.\.\. \S+ stopped every Dask worker"
        ):
            build([edited], out=out, scheduler=own.address)
        killer.join()
        assert worker.poll() == -signal.SIGKILL
        assert files(out) == before
    finally:
        own.stop()


def test_an_article_that_fails_is_reported_as_in_one_process_and_nothing_is_written(
    cluster, single, tmp_path
):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "fine.txt").write_text("Kenya condemned the attack by Somalia on Tuesday.\n", encoding="utf-8")
    (folder / "huge.txt").write_text("Kenya met Somalia. " * 60_000, encoding="utf-8")
    with pytest.raises(InputError) as local:
        build([folder], out=tmp_path / "local")
    out = tmp_path / "out"
    shutil.copytree(single.out, out)
    before = files(out)
    with pytest.raises(InputError) as remote:
        build([folder], out=out, scheduler=cluster.address)
    assert str(remote.value) == str(local.value)
    assert "huge.txt" in str(remote.value) and "split it into articles" in str(remote.value)
    assert files(out) == before
    assert cluster.tasks() == 0  # what the build had sent was cancelled


def test_a_pipeline_the_workers_cannot_load_is_the_error_a_local_build_gives(cluster, corpus, tmp_path):
    with pytest.raises(ModelError) as local:
        build([corpus], out=tmp_path / "local", model="en_core_web_xx")
    with pytest.raises(ModelError) as remote:
        build([corpus], out=tmp_path / "remote", model="en_core_web_xx", scheduler=cluster.address)
    assert str(remote.value) == str(local.value)
    assert not (tmp_path / "remote" / "graph.trig").exists()


def test_ctrl_c_cancels_the_clusters_work_and_leaves_the_previous_output(cluster, corpus, single, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(single.out, out)
    before = files(out)
    edited = tmp_path / "corpus"
    shutil.copytree(corpus, edited)
    for path in edited.glob("*.json"):  # every article changed: all of them go to the cluster
        article = json.loads(path.read_text(encoding="utf-8"))
        article["text"] += " Kenya met Somalia."
        path.write_text(json.dumps(article), encoding="utf-8")
    command = [sys.executable, "-m", "graphbuilder", "build", str(edited), "-o", str(out)]
    process = subprocess.Popen(
        [*command, "--scheduler", cluster.address],
        stderr=subprocess.PIPE,
        env={**os.environ, "COLUMNS": "200"},
        # SIGINT as a terminal's Ctrl-C sends it, even where this test runs with SIGINT
        # ignored (a background job), which the child would otherwise inherit.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while cluster.tasks() == 0:
        assert time.monotonic() < deadline and process.poll() is None, "the build sent nothing to the cluster"
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err.decode()
    assert err.decode().strip().splitlines()[-1].startswith("error: interrupted")
    assert files(out) == before
    deadline = time.monotonic() + 10
    while cluster.tasks():
        assert time.monotonic() < deadline, "the cluster kept the interrupted build's work"
        time.sleep(0.1)


def test_a_local_cluster_from_the_command_line_builds_the_same_graph(corpus, single, tmp_path):
    out = tmp_path / "out"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "graphbuilder",
            "build",
            str(corpus),
            "-o",
            str(out),
            "--scheduler",
            "local:2",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(
        f"built {BATCHES * BATCH_SIZE} articles ({BATCHES * BATCH_SIZE} extracted)"
    )
    assert files(out) == files(single.out)


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("tcp://10.0.0.5:8786", Scheduler(address="tcp://10.0.0.5:8786")),
        ("tls://scheduler.example.org:8786/", Scheduler(address="tls://scheduler.example.org:8786")),
        ("local", Scheduler()),
        ("local:3", Scheduler(workers=3)),
    ],
)
def test_a_scheduler_is_an_address_or_a_local_cluster(spec, expected):
    assert Scheduler.of(spec) == expected
    assert Scheduler.of(str(Scheduler.of(spec))) == expected


@pytest.mark.parametrize("spec", ["10.0.0.5:8786", "tcp:/host:1", "local:0", "local:x", "http://h:8786", ""])
def test_anything_else_is_a_usage_error(spec):
    with pytest.raises(UsageError, match="--scheduler"):
        Scheduler.of(spec)


def test_cluster_options_that_cannot_work_together_are_one_line_errors(corpus, tmp_path):
    for options in (["--scheduler", "local:2", "--jobs", "2"], ["--scheduler", "host:8786"]):
        result = subprocess.run(
            [sys.executable, "-m", "graphbuilder", "build", str(corpus), "-o", str(tmp_path / "o"), *options],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "--scheduler" in result.stderr, result.stderr
    assert not (tmp_path / "o").exists()


def test_the_worker_settings_name_settings_dask_has():
    import dask

    from graphbuilder.pipeline.cluster import worker_settings

    settings = worker_settings()
    assert "distributed.worker.profile.enabled" in settings
    for key in settings:  # a misspelt key would be a new, unused setting
        dask.config.get(key)
    with pytest.raises(KeyError):
        dask.config.get("distributed.worker.profile.enabeld")
    with dask.config.set(settings):
        spawned = dict(dask.config.get("distributed.nanny.pre-spawn-environ"))  # the live dict is restored
    assert spawned["MALLOC_TRIM_THRESHOLD_"] is None and spawned["OMP_NUM_THREADS"] == 1  # one key replaced
