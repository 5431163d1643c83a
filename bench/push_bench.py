"""Benchmark `graphbuilder push` of large graphs to a local Oxigraph server: time and peak memory.

    python bench/push_bench.py                          # 100,000 and 1,000,000 quads
    python bench/push_bench.py --quads 50000,200000     # a quicker check
    python bench/push_bench.py --before /tmp/old-src    # also the push of another checkout

For each size it makes a news graph with graphbuilder's own writer (the synthetic
articles of bench/sparql_bench.py, about 135 quads each, one named graph per article)
into graph.trig, starts an empty Oxigraph server (`oxigraph serve`, the program the
`oxigraph` package installs) on 127.0.0.1, and runs `graphbuilder push graph.trig
--graph-store URL` in a child process twice: into the empty server (every graph new),
then again (every graph replaced, so what the server held is read back before each PUT
and kept for putting back). Time is the child's wall time; peak memory is its maximum
resident set size (VmHWM, bench/peak.py). The quads on the server
are counted after each push.

The goal is memory that does not grow with the graph: the peak at the largest size over
the peak at the smallest should stay near 1. `--before DIR` runs the same pushes with the
graphbuilder package found in DIR (a checkout of another version, e.g. `git worktree add
/tmp/old-src REV`), for comparison. It prints a Markdown table and always exits 0: it is a
measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

QUADS_PER_ARTICLE = 135  # about what sparql_bench's synthetic articles give


def write_graph_file(quads: int, folder: Path, seed: int = 7) -> tuple[Path, int]:
    """Write graph.trig of about `quads` quads into `folder`; return it and its named graphs."""
    from sparql_bench import synthetic_extractions

    from graphbuilder.rdf.writer import write_graph

    extractions = synthetic_extractions(max(1, quads // QUADS_PER_ARTICLE), seed=seed)
    write_graph(extractions, folder, store_dir=folder / "store")
    shutil.rmtree(folder / "store", ignore_errors=True)
    for name in ("graph.ttl", "graph.jsonld"):
        (folder / name).unlink(missing_ok=True)
    return folder / "graph.trig", len(extractions)


def count_quads(endpoint: str) -> int:
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    request = urllib.request.Request(
        endpoint,
        data=query.encode(),
        method="POST",
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=600) as response:
        return int(json.loads(response.read())["results"]["bindings"][0]["n"]["value"])


def start_server(location: Path) -> tuple[subprocess.Popen, str]:
    import socket

    from graphbuilder.sparql.server import oxigraph_binary

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 30
    while True:
        try:
            opener.open(url, timeout=1).close()
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit("the Oxigraph server did not start")
            time.sleep(0.1)
    return process, url


def timed_push(graph: Path, store_url: str, source: Path | None) -> tuple[float, int, str]:
    """Return (seconds, peak resident bytes, last stderr line) of one `graphbuilder push` child."""
    from peak import run_graphbuilder

    env = {"PYTHONPATH": str(source)} if source is not None else None
    seconds, peak, status, err = run_graphbuilder(
        ["push", str(graph), "--graph-store", store_url], env=env, cwd=graph.parent
    )
    if status != 0:
        raise SystemExit(f"push failed ({status}): {err.strip()}")
    return seconds, peak, (err.strip().splitlines() or [""])[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quads", default="100000,1000000", help="sizes, comma-separated")
    parser.add_argument("--before", type=Path, help="a checkout of another version to push with too")
    parser.add_argument("--runs", default="new,replace", help="new (into an empty server), replace (again)")
    parser.add_argument("--write", nargs=2, metavar=("QUADS", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.write:
        print(write_graph_file(int(args.write[0]), Path(args.write[1]))[1])
        return 0
    sizes = [int(n) for n in args.quads.split(",")]
    versions: list[tuple[str, Path | None]] = [("this", None)]
    if args.before is not None:
        versions.append((f"before ({args.before})", args.before.resolve()))
    rows = []
    with tempfile.TemporaryDirectory(prefix="push-bench-") as tmp:
        for size in sizes:
            folder = Path(tmp) / f"graph-{size}"
            began = time.perf_counter()
            # In a child: the graph's making must not swell this process (nor so its children).
            made = subprocess.run(
                [sys.executable, __file__, "--write", str(size), str(folder)], check=True, capture_output=True
            )
            graph, graphs = folder / "graph.trig", int(made.stdout)
            print(f"wrote {graph} ({graphs} graphs) in {time.perf_counter() - began:.0f} s", file=sys.stderr)
            for version, source in versions:
                location = Path(tmp) / f"server-{size}-{len(rows)}"
                server, url = start_server(location)
                try:
                    for run in args.runs.split(","):
                        seconds, peak, said = timed_push(graph, url + "store", source)
                        quads = count_quads(url + "query")
                        rows.append((version, size, graphs, quads, run, seconds, peak))
                        print(
                            f"{version} {size} {run}: {seconds:.1f} s, {peak / 2**20:.0f} MiB; {said}",
                            file=sys.stderr,
                        )
                finally:
                    server.terminate()
                    server.wait(timeout=30)
                shutil.rmtree(location, ignore_errors=True)
            (folder / ".push-journal.json").unlink(missing_ok=True)
    print("| version | quads on server | graphs | push | time | quads/s | peak memory |")
    print("|---|---:|---:|---|---:|---:|---:|")
    for version, _, graphs, quads, run, seconds, peak in rows:
        print(
            f"| {version} | {quads:,} | {graphs:,} | {run} | {seconds:.1f} s | {quads / seconds:,.0f} "
            f"| {peak / 2**20:.0f} MiB |"
        )
    for version, _ in versions:
        mine = [r for r in rows if r[0] == version and r[4] == args.runs.split(",")[-1]]
        if len(mine) >= 2:
            ratio = mine[-1][6] / mine[0][6]
            print(
                f"\n{version}: peak memory at {mine[-1][3]:,} quads / at {mine[0][3]:,} quads = {ratio:.2f}"
                f" (goal: bounded, near 1.0)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
