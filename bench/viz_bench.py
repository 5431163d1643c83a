"""Benchmark the HTML view: generation time, file size, time until the page is usable.

    python bench/viz_bench.py                    # 100, 1,000 and 5,000 actors
    python bench/viz_bench.py --sizes 100 20000  # other sizes

For each size it makes a synthetic news graph with graphbuilder's own RDF writer
(graphbuilder.rdf.extractions_to_dataset), writes graph.html with graphbuilder.viz.write_html
(reading the view from RDF, centrality, layout, page), and opens the page in headless
Chromium with every request other than the file refused. "Interactive" is the time from
navigation start until vis-network has drawn the graph for the first time (the page sets
window.graphReadyMs then): from that moment it pans, zooms, hovers and filters. The
`click` column is how long one click on the most central actor takes to light up its
neighbours and dim the rest, measured inside the page.

This is a measurement, not a test: it prints a table and exits 0.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

from graphbuilder.model import PREDICATES, Actor, Document, Evidence, Extraction, Relation, Role
from graphbuilder.network.view import graph_view
from graphbuilder.rdf.dataset import extractions_to_dataset
from graphbuilder.viz.page import links_of, write_html

TYPES = ["Country"] * 2 + ["Organization"] * 2 + ["Person"] * 5 + ["Group", "Location"]
RELATIONS_PER_ACTOR = 2.4
RELATIONS_PER_ARTICLE = 6


def synthetic_extractions(actors: int, seed: int = 7) -> list[Extraction]:
    """Return extractions naming exactly `actors` actors; a few recur often, most rarely."""
    rng = random.Random(seed)
    cast = [
        Actor(f"Actor {i:05d}", TYPES[i % len(TYPES)] if i >= 20 else "Country", [f"A{i}"])
        for i in range(actors)
    ]
    weights = [1 / (i + 1) ** 0.9 for i in range(actors)]
    relations = []
    # Every actor takes part at least once, so the graph has exactly `actors` actors.
    for i, actor in enumerate(cast):
        other = rng.choices(cast, weights)[0]
        if other is actor:
            other = cast[(i + 1) % actors]
        relations.append((actor, other))
    while len(relations) < int(actors * RELATIONS_PER_ACTOR):
        subject, target = rng.choices(cast, weights, k=2)
        if subject is not target:
            relations.append((subject, target))
    rng.shuffle(relations)
    start = datetime.date(2021, 1, 1)
    extractions = []
    for a in range(0, len(relations), RELATIONS_PER_ARTICLE):
        doc_id = f"article-{a // RELATIONS_PER_ARTICLE:06d}"
        date = (start + datetime.timedelta(days=rng.randrange(1000))).isoformat()
        pairs = relations[a : a + RELATIONS_PER_ARTICLE]
        named = {actor.name: actor for pair in pairs for actor in pair}
        found = []
        for subject, target in pairs:
            predicate = rng.choice(PREDICATES)
            sentence = (
                f"{subject.name} {predicate.replace('_', ' ')} {target.name} on "
                f"{date}, officials said in a statement reported by the agency."
            )
            found.append(
                Relation(subject.name, predicate, target.name, date, Evidence(sentence, sentence=sentence))
            )
        roles = [
            Role(p.name, "minister", of=next(iter(named)))
            for p in named.values()
            if p.type == "Person" and next(iter(named)) != p.name
        ][:1]
        text = " ".join(r.evidence.text for r in found)
        extractions.append(
            Extraction(
                Document(
                    doc_id, text, title=f"Report {doc_id}", date=date, source=f"https://news.example/{doc_id}"
                ),
                actors=list(named.values()),
                roles=roles,
                relations=found,
            )
        )
    return extractions


def time_page(path: Path, executable: str) -> tuple[float, float]:
    """Return (ms until first drawn, ms for one neighbour highlight) in headless Chromium."""
    from playwright.sync_api import sync_playwright

    url = path.resolve().as_uri()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--headless=new", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        refused = []
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url == url
                else (refused.append(route.request.url), route.abort())
            ),
        )
        page.goto(url, wait_until="load", timeout=300_000)
        deadline = time.monotonic() + 300
        while not page.evaluate("window.graphReadyMs"):
            if time.monotonic() > deadline:
                raise TimeoutError("the page was never drawn")
            page.wait_for_timeout(20)
        ready = page.evaluate("window.graphReadyMs")
        click = page.evaluate("""() => {
            const id = nodes.get().reduce((a, b) => (b.size > a.size ? b : a)).id;
            const t = performance.now();
            network.body.emitter.emit("click", {nodes: [id], edges: []});
            network.redraw();
            return performance.now() - t; }""")
        browser.close()
        if refused:
            raise RuntimeError(f"the page asked for {refused[:3]}")
    return ready, click


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    print(
        f"# {datetime.date.today()} {platform.machine()} Python {platform.python_version()}, "
        f"{platform.system()}",
        file=sys.stderr,
    )
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            dataset = extractions_to_dataset(synthetic_extractions(size))
            path = Path(folder) / f"graph-{size}.html"
            began = time.perf_counter()
            write_html(dataset, path, title=f"{size} actors")
            generated = time.perf_counter() - began
            view = graph_view(dataset)
            ready, click = time_page(path, args.chromium)
            rows.append(
                (
                    len(view.nodes),
                    len(view.edges),
                    len(links_of(view)),
                    generated,
                    path.stat().st_size,
                    ready,
                    click,
                )
            )
            print(f"  {size} actors done", file=sys.stderr)
    print(
        "| actors (nodes) | relations | lines (edges) | generate HTML | file size "
        "| interactive in Chromium | click highlight |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for actors, relations, lines, generated, nbytes, ready, click in rows:
        print(
            f"| {actors:,} | {relations:,} | {lines:,} | {generated:.1f} s "
            f"| {nbytes / 1e6:.1f} MB | {ready / 1000:.1f} s | {click / 1000:.2f} s |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
