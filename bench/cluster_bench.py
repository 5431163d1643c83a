"""Benchmark `graphbuilder build --scheduler` (Dask) against `--jobs` on the same machine.

    python bench/cluster_bench.py                          # 500 and 2,000 articles, 2 workers
    python bench/cluster_bench.py --articles 200 --reps 1  # a quick check

It makes a news-like corpus (bench/make_corpus.py; the first N articles of the larger
corpus are the corpus of N), then builds each size into an empty output folder, in fresh
child processes, three ways:

- `--jobs W`: W local worker processes (concurrent.futures), the reference;
- `--scheduler local:W`: a Dask LocalCluster of W worker processes that the build starts
  and stops, so its start-up (scheduler, nannies, W spaCy loads) is inside the time;
- `--scheduler tcp://...`: a cluster started once beforehand (`dask scheduler`, then
  `dask worker --nworkers W --nthreads 1`, with graphbuilder/data/dask-workers.yaml in
  their DASK_CONFIG folder, as the README asks) whose workers keep the pipeline loaded from
  one build to the next, as a long-lived cluster does (its first build, which loads it,
  is run once before timing).

Time is the child's wall time; the ratio is the `--jobs` time over the cluster time
(throughput relative to --jobs; goal >= 0.90). Memory is the peak resident set of the
build process itself (the client: it reads the articles, keeps the extractions and
writes the graph; VmHWM, bench/peak.py), not its workers'; the goal is that it stays
flat from the smallest size to the largest (<= 1.3x). Each configuration runs --reps
times, alternating, and the fastest run of each is kept. Prints a Markdown table; always
exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from peak import run_graphbuilder  # noqa: E402


def make_corpus(articles: int, folder: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "make_corpus.py"),
            "--articles",
            str(articles),
            "--out",
            str(folder),
        ],
        check=True,
        capture_output=True,
    )


def subset(corpus: Path, count: int, folder: Path) -> Path:
    """Return a folder of links to the first `count` articles of `corpus`."""
    folder.mkdir()
    for path in sorted(corpus.glob("*.json"))[:count]:
        (folder / path.name).symlink_to(path)
    return folder


def words(corpus: Path) -> int:
    return sum(len(json.loads(p.read_text(encoding="utf-8"))["text"].split()) for p in corpus.glob("*.json"))


class ExternalCluster:
    """`dask scheduler` and `dask worker --nworkers W --nthreads 1` on 127.0.0.1."""

    def __init__(self, workers: int, folder: Path) -> None:
        dask = str(Path(sys.executable).with_name("dask"))
        file = folder / "scheduler.json"
        # The settings the README asks a cluster's workers to use (as local clusters do).
        (folder / "dask-config").mkdir()
        shutil.copy(REPO / "graphbuilder" / "data" / "dask-workers.yaml", folder / "dask-config")
        env = {**os.environ, "DASK_CONFIG": str(folder / "dask-config")}
        self.log = open(folder / "dask.log", "wb")
        self.processes = [
            subprocess.Popen(
                [dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"]
                + ["--scheduler-file", str(file)],
                stdout=self.log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        ]
        deadline = time.monotonic() + 60
        while not (file.exists() and file.stat().st_size):
            if time.monotonic() > deadline:
                raise SystemExit("the Dask scheduler did not start")
            time.sleep(0.1)
        self.address = json.loads(file.read_text())["address"]
        self.processes.append(
            subprocess.Popen(
                [
                    dask,
                    "worker",
                    self.address,
                    "--nworkers",
                    str(workers),
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                ],
                stdout=self.log,
                stderr=subprocess.STDOUT,
                env=env,
            )
        )
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=120)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.log.close()


def build_once(corpus: Path, options: list[str], tmp: Path) -> tuple[float, int, str]:
    out = tmp / "out"
    shutil.rmtree(out, ignore_errors=True)
    seconds, peak, status, err = run_graphbuilder(["build", str(corpus), "--out", str(out), *options])
    if status != 0:
        raise SystemExit(f"build {' '.join(options)} failed ({status}): {err.strip()[-500:]}")
    summary = (err.strip().splitlines() or [""])[0]
    return seconds, peak, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", default="500,2000", help="corpus sizes, comma-separated")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (and --jobs)")
    parser.add_argument("--reps", type=int, default=2)
    parser.add_argument("--no-external", action="store_true", help="leave out the long-lived cluster")
    args = parser.parse_args(argv)
    sizes = sorted(int(n) for n in args.articles.split(","))
    w = args.workers
    configs = [(f"--jobs {w}", ["--jobs", str(w)]), (f"--scheduler local:{w}", ["--scheduler", f"local:{w}"])]
    results: dict[tuple[int, str], tuple[float, int]] = {}
    with tempfile.TemporaryDirectory(prefix="cluster-bench-") as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "corpus"
        make_corpus(max(sizes), corpus)
        external = None
        if not args.no_external:
            external = ExternalCluster(w, tmp)
            configs.append((f"--scheduler tcp:// ({w} workers running)", ["--scheduler", external.address]))
            build_once(subset(corpus, min(sizes), tmp / "warm"), configs[-1][1], tmp)  # loads the pipelines
        try:
            for size in sizes:
                articles = subset(corpus, size, tmp / f"c{size}")
                print(f"{size} articles, {words(articles):,} words", file=sys.stderr)
                for rep in range(args.reps):
                    order = configs if rep % 2 == 0 else configs[::-1]
                    for name, options in order:
                        seconds, peak, summary = build_once(articles, options, tmp)
                        print(
                            f"  {name}: {seconds:.1f} s, {peak / 2**20:.0f} MiB  [{summary}]", file=sys.stderr
                        )
                        best = results.get((size, name))
                        results[(size, name)] = (
                            min(seconds, best[0]) if best else seconds,
                            max(peak, best[1]) if best else peak,
                        )
        finally:
            if external is not None:
                external.stop()
    reference = configs[0][0]
    print(f"| articles | how | time | throughput vs {reference} | client peak memory |")
    print("|---:|---|---:|---:|---:|")
    for size in sizes:
        for name, _ in configs:
            seconds, peak = results[(size, name)]
            ratio = results[(size, reference)][0] / seconds
            print(f"| {size:,} | `{name}` | {seconds:.1f} s | {ratio:.2f} | {peak / 2**20:.0f} MiB |")
    print()
    for name, _ in configs:
        small, large = results[(sizes[0], name)], results[(sizes[-1], name)]
        print(
            f"{name}: client peak at {sizes[-1]:,} / at {sizes[0]:,} articles = {large[1] / small[1]:.2f} "
            "(goal <= 1.3)"
        )
    for name, _ in configs[1:]:
        ratios = [results[(s, reference)][0] / results[(s, name)][0] for s in sizes]
        print(f"{name}: throughput vs {reference} = {', '.join(f'{r:.2f}' for r in ratios)} (goal >= 0.90)")
    print(f"\nmachine: {os.cpu_count()} cores; reps {args.reps} (fastest kept)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
