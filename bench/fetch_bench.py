"""Fetch throughput: web pages read per second from a local server, against the same pages read from files.

    python bench/fetch_bench.py [--pages 300] [--reps 3]

Serves --pages small HTML articles from the test site on 127.0.0.1 (tests/ingest/news_site.py),
then, with the rate limit off (--delay 0), times three ways of turning them into Documents:

- files:  the same pages saved as .html files, read by ingest.reader.read_file;
- cold:   fetched through ingest.fetch.Fetcher into an empty HTTP cache, read by
          ingest.sources.page_document (what `graphbuilder build URL...` does);
- warm:   fetched again through the same cache: each page a conditional request, a 304.

Reports pages per second and the ratio to reading files (the median of --reps runs). Not
a test: nothing is asserted, the numbers are for the README.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "ingest"))

from news_site import ARTICLES, page_html, start_site  # noqa: E402

from graphbuilder.ingest.fetch import Fetcher  # noqa: E402
from graphbuilder.ingest.reader import read_file  # noqa: E402
from graphbuilder.ingest.sources import page_document  # noqa: E402


def pages(count: int) -> dict[str, bytes]:
    texts = [a for path, a in sorted(ARTICLES.items()) if not path.startswith("/private/")]
    return {
        f"/bench/{n:05d}.html": page_html(
            f"{texts[n % len(texts)][0]} ({n})", *texts[n % len(texts)][1:]
        ).encode()
        for n in range(count)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    served = pages(args.pages)
    site = start_site({path: ("text/html; charset=utf-8", body) for path, body in served.items()})
    rates: dict[str, list[float]] = {"files": [], "cold": [], "warm": []}
    try:
        for _ in range(args.reps):
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp)
                for path, body in served.items():
                    (folder / Path(path).name).write_bytes(body)
                began = time.perf_counter()
                for name in sorted(served):
                    read_file(folder / Path(name).name)
                rates["files"].append(len(served) / (time.perf_counter() - began))
                for kind in ("cold", "warm"):
                    before = len(site.log)
                    began = time.perf_counter()
                    with Fetcher(folder / "cache", delay=0) as fetcher:
                        for name in sorted(served):
                            page_document(fetcher.get(site.base + name), None)
                    rates[kind].append(len(served) / (time.perf_counter() - began))
                    statuses = [hit.status for hit in site.hits(before)]
                    print(
                        f"{kind}: {len(statuses)} requests, {statuses.count(304)} answered 304",
                        file=sys.stderr,
                    )
    finally:
        site.stop()
    files = statistics.median(rates["files"])
    print(f"{args.pages} pages, median of {args.reps} runs, rate limit off (--delay 0)")
    print("| read from | pages/s | ratio to files |")
    print("|---|---|---|")
    for kind, label in (("files", "files"), ("cold", "HTTP, empty cache"), ("warm", "HTTP, cache (304s)")):
        rate = statistics.median(rates[kind])
        print(f"| {label} | {rate:,.0f} | {rate / files:.2f} |")


if __name__ == "__main__":
    main()
