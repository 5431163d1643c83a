"""Benchmark the saved queries on rdflib and on Oxigraph over a synthetic news graph.

    python bench/sparql_bench.py                   # about 1,000,000 triples
    python bench/sparql_bench.py --triples 200000  # a quicker check

The graph is made by graphbuilder's own RDF writer (graphbuilder.rdf.mapping), from synthetic
extractions: countries and organizations from the gazetteer, synthetic people holding
posts, one named graph per article with its actors, role nodes, event nodes (date,
evidence, offsets, confidence, rule) and shortcut triples, so it follows the vocabulary
exactly. It is written once as N-Quads, then loaded into an rdflib Dataset
(default_union=True, as graphbuilder.load does) and into an on-disk pyoxigraph Store
whose default graph holds the union of the articles' graphs. Each saved query runs a few
times on both, with its parameters bound to values the synthetic data holds; rdflib
runs each query in a forked child so that one slow query is stopped at --cap seconds.

This is a measurement, not a test: it prints a table and exits 0.
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from graphbuilder.model import PREDICATES, Actor, Document, Evidence, Extraction, Relation, Role
from graphbuilder.rdf.dataset import extractions_to_dataset
from graphbuilder.resources import saved_queries_dir
from graphbuilder.sparql.query import list_saved_queries, run_query
from graphbuilder.sparql.saved import bind_page

ROLES = ["head_of_state", "head_of_government", "minister", "ambassador", "spokesperson", "official"]
TITLES = {
    "head_of_state": "President",
    "head_of_government": "Prime Minister",
    "minister": "Foreign Minister",
    "ambassador": "Ambassador",
    "spokesperson": "spokesperson",
    "official": "Deputy Secretary",
}
# People the saved queries' default parameters name, so that every query has answers.
KNOWN_PEOPLE = [
    ("Linda Thomas-Greenfield", "ambassador", "United States", "United Nations"),
    ("Kim Song", "ambassador", "North Korea", "United Nations"),
    ("Antony Blinken", "minister", "United States", None),
    ("Kim Jong Un", "head_of_state", "North Korea", None),
]
QUADS_PER_ARTICLE = 135  # measured average of the generator below


# -- the synthetic graph ------------------------------------------------------------------


def gazetteer() -> dict:
    path = Path(saved_queries_dir()).parent / "data" / "gazetteer.json"
    return json.loads(path.read_text(encoding="utf-8"))


def synthetic_extractions(articles: int, seed: int = 7) -> list[Extraction]:
    """Return `articles` synthetic extractions; a few actors recur often, most rarely."""
    rng = random.Random(seed)
    gaz = gazetteer()
    countries = [
        Actor(c["name"], "Country", list(c.get("aliases", []))[:1], c.get("wikidata"))
        for c in gaz["countries"]
    ]
    orgs = [
        Actor(o["name"], "Organization", list(o.get("aliases", []))[:1], o.get("wikidata"))
        for o in gaz["organizations"]
    ]
    by_name = {a.name: a for a in countries + orgs}
    # Zipf-like weights: the first countries of a shuffled list recur in many articles.
    rng.shuffle(countries)
    for name in ("Russia", "Ukraine", "North Korea", "United States"):
        countries.insert(0, countries.pop(next(i for i, c in enumerate(countries) if c.name == name)))
    country_weights = [1 / (i + 1) for i in range(len(countries))]
    people = []  # (Actor, role, of, to)
    for name, role, of, to in KNOWN_PEOPLE:
        people.append((Actor(name, "Person"), role, of, to))
    for i in range(max(200, articles // 4)):
        country = rng.choices(countries, country_weights)[0]
        role = rng.choice(ROLES)
        to = None
        if role == "ambassador":
            to = "United Nations" if rng.random() < 0.3 else rng.choice(countries).name
        people.append(
            (Actor(f"Person {i:05d} of {country.name}", "Person", [f"P. {i:05d}"]), role, country.name, to)
        )
    people_weights = [1 / (i + 1) ** 0.7 for i in range(len(people))]
    start = datetime.date(2015, 1, 1)
    out = []
    for n in range(articles):
        day = start + datetime.timedelta(days=rng.randrange(3650))
        doc_id = f"synthetic-{n:07d}"
        names: dict[str, Actor] = {}
        for actor in rng.choices(countries, country_weights, k=rng.randint(2, 4)):
            names[actor.name] = actor
        names.setdefault("United Nations", by_name["United Nations"]) if rng.random() < 0.2 else None
        for org in rng.sample(orgs, k=rng.randint(0, 1)):
            names[org.name] = org
        roles = []
        for person, role, of, to in {
            p[0].name: p for p in rng.choices(people, people_weights, k=rng.randint(1, 3))
        }.values():
            names[person.name] = person
            names.setdefault(of, by_name[of])
            if to:
                names.setdefault(to, by_name[to])
            roles.append((person, role, of, to))
        actors = list(names.values())
        text_parts, relations, role_objs = [], [], []
        for person, role, of, to in roles:
            title = f"{TITLES[role]} {person.name}"
            sentence = f"{title} of {of} spoke on {day.isoformat()}."
            offset = sum(len(p) + 1 for p in text_parts)
            text_parts.append(sentence)
            role_objs.append(
                Role(
                    person.name,
                    role,
                    of,
                    to,
                    title,
                    Evidence(title, offset, offset + len(title), sentence),
                    "apposition",
                )
            )
        for _ in range(rng.randint(3, 7)):
            subject, obj = rng.sample(actors, 2)
            predicate = rng.choice(PREDICATES)
            verb = predicate.replace("_", " ")
            sentence = f"{subject.name} {verb} {obj.name} on {day.isoformat()}."
            offset = sum(len(p) + 1 for p in text_parts)
            text_parts.append(sentence)
            date = (
                (day - datetime.timedelta(days=rng.randrange(3))).isoformat() if rng.random() < 0.8 else None
            )
            relations.append(
                Relation(
                    subject.name,
                    predicate,
                    obj.name,
                    date,
                    Evidence(sentence[:-1], offset, offset + len(sentence) - 1, sentence),
                    round(rng.uniform(0.5, 1.0), 2),
                    "verb",
                )
            )
        doc = Document(
            doc_id,
            " ".join(text_parts),
            f"Synthetic report {n}",
            day.isoformat(),
            f"https://news.example.org/{day.year}/{doc_id}",
            "Example News",
            "CC BY 4.0",
        )
        out.append(Extraction(doc, actors, role_objs, relations))
    return out


def write_nquads(triples: int, path: Path, seed: int) -> tuple[int, int]:
    """Write a synthetic graph of about `triples` quads to `path`; return (articles, quads)."""
    articles = max(10, round(triples / QUADS_PER_ARTICLE))
    dataset = extractions_to_dataset(synthetic_extractions(articles, seed))
    quads = sum(1 for _ in dataset.quads((None, None, None, None)))
    dataset.serialize(destination=str(path), format="nquads")
    return articles, quads


# -- the engines --------------------------------------------------------------------------


def defaults(text: str) -> dict[str, str]:
    """Return each parameter of a saved query with the default of its VALUES line."""
    return dict(re.findall(r'VALUES\s+\?(\w+)\s*\{\s*"([^"]*)"\s*\}', text))


def load_rdflib(path: Path):
    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    dataset.parse(str(path), format="nquads")
    return dataset


def load_oxigraph(path: Path, folder: Path):
    import pyoxigraph as ox

    store = ox.Store(str(folder))
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    # The default graph holds the union, each triple once. Querying with
    # use_default_graph_as_union instead gives a triple once per article that holds
    # it in pyoxigraph 0.5 (actor labels are in every article naming the actor), which
    # multiplies rows and time.
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    store.optimize()
    return store


def run_oxigraph(store, text: str, params: dict[str, str]) -> int:
    import pyoxigraph as ox

    text, params = bind_page(text, params)  # limit / offset: the page's LIMIT clause
    # pyoxigraph's `substitutions` only takes projected variables, so a parameter goes
    # into its VALUES line as an escaped N-Triples term: data, never query text.
    for name, value in params.items():
        text = re.sub(
            r"VALUES\s+\?" + re.escape(name) + r"\s*\{[^{}]*\}",
            lambda _: f"VALUES ?{name} {{ {ox.Literal(value)} }}",
            text,
            flags=re.IGNORECASE,
        )
    rows = 0
    for solution in store.query(text):
        rows += 1
        for _ in solution:  # read every value, as a caller would
            pass
    return rows


def run_rdflib(dataset, text: str, params: dict[str, str], name: str) -> int:
    return len(run_query(dataset, text, params, source=name).rows)


def _rdflib_child(dataset, text, params, name, reps, cap, conn) -> None:
    times, rows, spent = [], 0, 0.0
    for _ in range(reps):
        began = time.perf_counter()
        rows = run_rdflib(dataset, text, params, name)
        times.append(time.perf_counter() - began)
        spent += times[-1]
        conn.send((times, rows))
        if spent * (len(times) + 1) / len(times) > cap:  # the next run would pass the cap
            break
    conn.close()


def time_rdflib(dataset, text, params, name, reps, cap) -> tuple[list[float], int | None]:
    """Return the run times (and row count) of a query on rdflib, stopping it at `cap` s."""
    context = multiprocessing.get_context("fork")  # the child shares the loaded graph
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_rdflib_child, args=(dataset, text, params, name, reps, cap, child))
    process.start()
    child.close()
    times, rows, deadline = [], None, time.monotonic() + cap
    while time.monotonic() < deadline:
        if parent.poll(max(0.0, deadline - time.monotonic())):
            try:
                times, rows = parent.recv()
            except EOFError:
                break
        elif not process.is_alive():
            break
    process.kill()
    process.join()
    return times, rows


def time_oxigraph(store, text, params, reps) -> tuple[list[float], int]:
    times, rows = [], 0
    for _ in range(reps):
        began = time.perf_counter()
        rows = run_oxigraph(store, text, params)
        times.append(time.perf_counter() - began)
    return times, rows


# -- the report ---------------------------------------------------------------------------


def fmt(seconds: float | None, cap: float | None = None) -> str:
    if seconds is None:
        return f"> {cap:g} s"
    return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--triples", type=int, default=1_000_000, help="about how many quads to generate (default 1,000,000)"
    )
    parser.add_argument("--reps", type=int, default=5, help="runs per query on Oxigraph")
    parser.add_argument("--rdflib-reps", type=int, default=3, help="runs per query on rdflib")
    parser.add_argument(
        "--cap", type=float, default=40.0, help="seconds after which an rdflib query is stopped (default 40)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", action="append", help="run only this saved query")
    args = parser.parse_args(argv)

    queries = [q for q in list_saved_queries() if not args.only or q.name in args.only]
    with tempfile.TemporaryDirectory(prefix="gb-bench-") as tmp:
        nquads = Path(tmp) / "graph.nq"
        began = time.perf_counter()
        articles, quads = write_nquads(args.triples, nquads, args.seed)
        print(
            f"generated {quads:,} quads in {articles:,} articles ({time.perf_counter() - began:.0f} s)",
            file=sys.stderr,
        )

        began = time.perf_counter()
        dataset = load_rdflib(nquads)
        rdflib_load = time.perf_counter() - began
        print(f"rdflib loaded in {rdflib_load:.1f} s", file=sys.stderr)
        began = time.perf_counter()
        store = load_oxigraph(nquads, Path(tmp) / "store")
        oxigraph_load = time.perf_counter() - began
        print(f"oxigraph loaded in {oxigraph_load:.1f} s", file=sys.stderr)

        rows_out = []
        runs = [(query.name, query, defaults(query.text)) for query in queries]
        # The list queries answer a page of rows; also time one whole list, to show
        # what paging saves.
        runs += [
            (f"{q.name} (whole list)", q, {"limit": "100000000"}) for q in queries if q.name == "relations"
        ]
        # Oxigraph's runs go in rounds, each query once per round, so that a query's runs
        # are spread over a minute or more: on a shared machine the speed of a core can
        # halve for ten seconds, and runs back to back would all fall in the same stretch.
        ox_times: dict[str, list[float]] = {label: [] for label, _, _ in runs}
        ox_rows: dict[str, int] = {}
        for _ in range(args.reps):
            for label, query, params in runs:
                times, ox_rows[label] = time_oxigraph(store, query.text, params, 1)
                ox_times[label] += times
        for label, query, params in runs:
            rdf_times, rdf_rows = time_rdflib(
                dataset, query.text, params, query.name, args.rdflib_reps, args.cap
            )
            ox_median = statistics.median(ox_times[label])
            rdf_median = statistics.median(rdf_times) if rdf_times else None
            if rdf_median is None:
                ratio = f"> {args.cap / ox_median:,.0f}x"
            else:
                ratio = f"{rdf_median / ox_median:,.0f}x"
            note = "" if rdf_rows in (None, ox_rows[label]) else f" (rdflib: {rdf_rows} rows)"
            rows_out.append(
                (
                    label,
                    str(ox_rows[label]) + note,
                    fmt(rdf_median, args.cap),
                    fmt(ox_median),
                    fmt(min(ox_times[label])),
                    ratio,
                )
            )
            print(
                f"  {label}: rdflib {fmt(rdf_median, args.cap)}, oxigraph {fmt(ox_median)}", file=sys.stderr
            )

    print(
        f"\n{quads:,} quads, {articles:,} articles; {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{datetime.date.today().isoformat()}\n"
    )
    header = (
        "query",
        "rows",
        "rdflib (median)",
        "Oxigraph (median)",
        "Oxigraph (fastest)",
        "rdflib / Oxigraph",
    )
    table = [header, *rows_out]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print(
        f"| {'load (N-Quads)'.ljust(widths[0])} | {''.ljust(widths[1])} | "
        f"{fmt(rdflib_load).ljust(widths[2])} | {fmt(oxigraph_load).ljust(widths[3])} | "
        f"{''.ljust(widths[4])} | {f'{rdflib_load / oxigraph_load:,.0f}x'.ljust(widths[5])} |"
    )
    for row in rows_out:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
