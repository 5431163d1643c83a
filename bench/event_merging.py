"""Measure how well reports of one happening are merged into one event (graphbuilder/rdf/happenings.py).

    python bench/event_merging.py                      # the dev corpus and the constructed set
    python bench/event_merging.py CORPUS GOLD ...      # other corpora, each with its gold identity file
    python bench/event_merging.py --no-extractor       # relations as annotated only (no spaCy model)

A corpus is a folder of gold extraction files (shared/corpus/SCHEMA.md). Its gold identity
file says which reports (an article's relation: [article id, subject, predicate, object],
names as the article annotates them) are of one happening, in either of two forms:

- "happenings": every happening with all its reports (tests/data/same-happenings/happenings.json);
  every report of the corpus must be listed once;
- "pairs": verdicts on pairs of reports, {"reports": [A, B], "same": true|false, "reason": ...}
  (tests/data/dev-happenings.json); pairs not listed are of different happenings.

Merging is scored by pairs of reports: a pair is *merged* when both reports are in one
happening. Precision = rightly merged pairs / merged pairs; recall = rightly merged pairs /
gold same-happening pairs. Each window (off, 0, 1, 3, 7, 14 days) is scored twice:

(a) on the relations as annotated (the gold extractions, resolved as a build resolves them);
(b) on the extractor's own output: every article's text is extracted as `graphbuilder eval`
    does and resolved; an extracted report is a gold report when the article, the
    predicate and the two actors agree (names matched through the gold actors' aliases,
    either order for the symmetric predicates). Merged pairs with a report that matches
    no gold report cannot be judged and are counted apart ("unjudged"); "recall (found)"
    counts only the gold pairs whose two reports were both extracted.

"events" is the number of happenings: at "off" every report is its own event, so it is the
number of events before merging. Prints Markdown; a measurement, not a test (exits 0
unless an input is malformed).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from graphbuilder.extract.lexicon import predicates  # noqa: E402
from graphbuilder.ingest.reader import read_inputs  # noqa: E402
from graphbuilder.model import Extraction, name_key  # noqa: E402
from graphbuilder.pipeline.evaluate import name_table  # noqa: E402
from graphbuilder.pipeline.resolve import resolve  # noqa: E402
from graphbuilder.rdf.happenings import DEFAULT_WINDOW, Happening, happenings  # noqa: E402
from graphbuilder.rdf.mapping import actor_key  # noqa: E402

WINDOWS: tuple[int | None, ...] = (None, 0, 1, 3, 7, 14)
DEFAULT_SETS = (
    (
        "dev corpus",
        REPO.parent / "shared" / "corpus" / "dev",
        REPO / "tests" / "data" / "dev-happenings.json",
    ),
    (
        "constructed set",
        REPO / "tests" / "data" / "same-happenings" / "articles",
        REPO / "tests" / "data" / "same-happenings" / "happenings.json",
    ),
)

#: A report's identity: (article id, predicate, the two actor keys; sorted for symmetric predicates).
ReportId = tuple[str, str, tuple[str, str]]


class GoldError(Exception):
    """A gold identity file that does not fit its corpus."""


def report_id(article: str, subject: str, predicate: str, obj: str, symmetric: frozenset[str]) -> ReportId:
    ends = (actor_key(subject), actor_key(obj))
    if predicate in symmetric:
        ends = (min(ends), max(ends))
    return (article, predicate, ends)


def load_corpus(folder: Path) -> list[Extraction]:
    """Return the gold extractions of a folder, resolved across articles as a build resolves them."""
    files = sorted(folder.glob("*.json"))
    if not files:
        raise GoldError(f"no extraction files (*.json) in {folder}")
    articles = read_inputs(files)
    bare = [a.id for a in articles if not isinstance(a, Extraction)]
    if bare:
        raise GoldError(f"{bare[0]} in {folder} has no annotations: the corpus must be gold extraction files")
    return resolve([a for a in articles if isinstance(a, Extraction)])


@dataclass
class Gold:
    """The gold identity of one corpus: its reports and which pairs of them are one happening."""

    reports: set[ReportId]
    same: set[frozenset[ReportId]]  # the gold same-happening pairs (transitively closed)
    happenings: int  # how many happenings the reports are


def load_gold(path: Path, extractions: list[Extraction], symmetric: frozenset[str]) -> Gold:
    """Return the gold identity in `path`, its reports named as the resolved extractions name them."""
    by_article = {e.document.id: e for e in extractions}
    tables = {doc_id: name_table(e) for doc_id, e in by_article.items()}
    reports = {
        report_id(e.document.id, r.subject, r.predicate, r.object, symmetric)
        for e in extractions
        for r in e.relations
    }
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GoldError(f"{path}: {exc}") from None

    def identify(item: object) -> ReportId:
        if not (isinstance(item, list) and len(item) == 4 and all(isinstance(x, str) for x in item)):
            raise GoldError(f"{path}: a report must be [article, subject, predicate, object], not {item!r}")
        article, subject, predicate, obj = (str(x) for x in item)
        if article not in tables:
            raise GoldError(f"{path}: no article {article!r} in the corpus")
        names = tables[article]
        found = report_id(
            article,
            names.get(name_key(subject), subject),
            predicate,
            names.get(name_key(obj), obj),
            symmetric,
        )
        if found not in reports:
            raise GoldError(f"{path}: {article} has no relation {subject} {predicate} {obj}")
        return found

    parent = {r: r for r in reports}  # union-find: the gold happenings

    def root(r: ReportId) -> ReportId:
        while parent[r] != r:
            parent[r] = parent[parent[r]]
            r = parent[r]
        return r

    different: list[tuple[ReportId, ReportId]] = []
    if not isinstance(data, dict) or not ("happenings" in data or "pairs" in data):
        raise GoldError(f'{path}: expected an object with "happenings" or "pairs"')
    try:
        if "happenings" in data:
            listed: dict[ReportId, int] = {}
            for index, happening in enumerate(data["happenings"]):
                members = [identify(item) for item in happening["reports"]]
                for member in members:
                    if member in listed:
                        raise GoldError(
                            f"{path}: {member} is listed in happenings {listed[member]} and {index}"
                        )
                    listed[member] = index
                    parent[root(member)] = root(members[0])
            missing = sorted(reports - listed.keys())
            if missing:
                raise GoldError(
                    f"{path}: {len(missing)} reports of the corpus are in no happening, e.g. {missing[0]}"
                )
        for pair in data.get("pairs", []):
            first, second = (identify(item) for item in pair["reports"])
            if pair["same"]:
                parent[root(first)] = root(second)
            else:
                different.append((first, second))
    except (KeyError, TypeError, ValueError) as exc:
        raise GoldError(f"{path}: a happening or pair is malformed ({exc!r})") from None
    groups: dict[ReportId, list[ReportId]] = {}
    for r in reports:
        groups.setdefault(root(r), []).append(r)
    for first, second in different:
        if root(first) == root(second):
            raise GoldError(
                f"{path}: {first} and {second} are marked different but joined through other pairs"
            )
    same = {frozenset(p) for members in groups.values() for p in itertools.combinations(members, 2)}
    return Gold(reports=reports, same=same, happenings=len(groups))


@dataclass
class Score:
    events: int
    merged: int  # merged pairs whose two reports are gold reports
    right: int
    unjudged: int  # merged pairs with a report that matches no gold report
    found: int  # gold same pairs whose two reports are both present
    gold_pairs: int
    wrong_pairs: list[frozenset[ReportId]]
    missed_pairs: list[frozenset[ReportId]]

    @property
    def precision(self) -> float | None:
        return self.right / self.merged if self.merged else None

    @property
    def recall(self) -> float | None:
        return self.right / self.gold_pairs if self.gold_pairs else None

    @property
    def recall_found(self) -> float | None:
        return self.right / self.found if self.found else None


def score(found: list[Happening], identify, gold: Gold) -> Score:
    """Return the pairwise score of happenings whose reports `identify` maps to gold ids (None: no match)."""
    merged: set[frozenset[ReportId]] = set()
    unjudged = 0
    present: set[ReportId] = set()
    for happening in found:
        ids = [identify(r) for r in happening.reports]
        present.update(i for i in ids if i is not None)
        known = sorted({i for i in ids if i is not None})
        unknown = sum(1 for i in ids if i is None)
        merged.update(frozenset(p) for p in itertools.combinations(known, 2))
        unjudged += unknown * len(known) + unknown * (unknown - 1) // 2
    right = merged & gold.same
    reachable = {p for p in gold.same if p <= present}
    return Score(
        events=len(found),
        merged=len(merged),
        right=len(right),
        unjudged=unjudged,
        found=len(reachable),
        gold_pairs=len(gold.same),
        wrong_pairs=sorted(merged - gold.same, key=sorted),
        missed_pairs=sorted(gold.same - merged, key=sorted),
    )


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _window(window: int | None) -> str:
    return "off" if window is None else str(window)


def _pair(pair: frozenset[ReportId]) -> str:
    return "  +  ".join(f"{a} {p} {' / '.join(ends)}" for a, p, ends in sorted(pair))


def measure_gold(extractions: list[Extraction], gold: Gold, symmetric: frozenset[str]) -> dict:
    scores = {}
    for window in WINDOWS:
        found = happenings(extractions, window, symmetric)

        def identify(r):
            return report_id(
                r.article, r.relation.subject, r.relation.predicate, r.relation.object, symmetric
            )

        scores[window] = score(found, identify, gold)
    return scores


def extract(extractions: list[Extraction], model: str | None) -> list[Extraction]:
    """Return the extractor's resolved output for the articles' texts (as `graphbuilder eval` extracts)."""
    from graphbuilder.extract.extractor import SpacyExtractor

    extractor = SpacyExtractor(model=model)
    return resolve(list(extractor.extract_stream([e.document for e in extractions])))


def measure_extracted(
    extracted: list[Extraction], golds: list[Extraction], gold: Gold, symmetric: frozenset[str]
) -> tuple[dict, int, int]:
    tables = {e.document.id: name_table(e) for e in golds}
    aliases = {(e.document.id, a.name): a.aliases for e in extracted for a in e.actors}

    def gold_name(article: str, name: str) -> str:
        table = tables.get(article, {})
        for form in [name, *aliases.get((article, name), [])]:
            bare = form[4:] if form.lower().startswith("the ") else form
            for key in (name_key(form), name_key(bare)):
                if key in table:
                    return table[key]
        return name

    def identify(r) -> ReportId | None:
        found = report_id(
            r.article,
            gold_name(r.article, r.relation.subject),
            r.relation.predicate,
            gold_name(r.article, r.relation.object),
            symmetric,
        )
        return found if found in gold.reports else None

    scores = {}
    for window in WINDOWS:
        scores[window] = score(happenings(extracted, window, symmetric), identify, gold)
    reports = happenings(extracted, None, symmetric)
    matched = {identify(h.reports[0]) for h in reports} - {None}
    return scores, len(reports), len(matched)


def print_table(scores: dict, extracted: bool) -> None:
    if extracted:
        print("| window | events | merged pairs | right | wrong | unjudged | precision | recall", end="")
        print(" | recall (found) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    else:
        print("| window | events | merged pairs | right | wrong | precision | recall |")
        print("|---|---:|---:|---:|---:|---:|---:|")
    for window, s in scores.items():
        cells = [_window(window), s.events, s.merged, s.right, s.merged - s.right]
        if extracted:
            cells.append(s.unjudged)
        cells += [_ratio(s.precision), _ratio(s.recall)]
        if extracted:
            cells.append(_ratio(s.recall_found))
        print("| " + " | ".join(str(c) for c in cells) + " |")


def run_set(
    name: str, corpus: Path, gold_file: Path, use_extractor: bool, model: str | None, details: bool
) -> None:
    symmetric = frozenset(predicates().symmetric)
    extractions = load_corpus(corpus)
    gold = load_gold(gold_file, extractions, symmetric)
    print(f"## {name}: {corpus}\n")
    print(
        f"{len(extractions)} articles; gold: {len(gold.reports)} reports (events before merging), "
        f"{gold.happenings} happenings, {len(gold.same)} same-happening pairs ({gold_file.name}).\n"
    )
    scores = measure_gold(extractions, gold, symmetric)
    print("(a) relations as annotated\n")
    print_table(scores, extracted=False)
    default = scores[DEFAULT_WINDOW]
    print(
        f"\nAt the default window ({DEFAULT_WINDOW} days): {default.events} events after merging "
        f"(gold {gold.happenings}) from {scores[None].events} reports."
    )
    for window in WINDOWS if details else (DEFAULT_WINDOW,):
        s = scores[window]
        if s.wrong_pairs or s.missed_pairs:
            print(f"\nwindow {_window(window)}:")
        for pair in s.wrong_pairs:
            print(f"- merged wrongly: {_pair(pair)}")
        for pair in s.missed_pairs:
            print(f"- not merged: {_pair(pair)}")
    if use_extractor:
        started = time.perf_counter()
        extracted = extract(extractions, model)
        took = time.perf_counter() - started
        ext_scores, reports, matched = measure_extracted(extracted, extractions, gold, symmetric)
        print(
            f"\n(b) extractor output ({took:.0f} s): {reports} reports, {matched} of them gold reports "
            f"(of {len(gold.reports)}); gold pairs with both reports extracted: "
            f"{ext_scores[DEFAULT_WINDOW].found} of {len(gold.same)}\n"
        )
        print_table(ext_scores, extracted=True)
        s = ext_scores[DEFAULT_WINDOW]
        for pair in s.wrong_pairs:
            print(f"- window {DEFAULT_WINDOW}, merged wrongly: {_pair(pair)}")
    print()


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "sets", nargs="*", metavar="CORPUS GOLD", help="a corpus folder and its gold identity file"
    )
    parser.add_argument("--no-extractor", action="store_true", help="score the annotated relations only")
    parser.add_argument("--model", help="the spaCy pipeline of the extractor (default: graphbuilder's)")
    parser.add_argument("--details", action="store_true", help="list wrong and missed pairs at every window")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if len(args.sets) % 2:
        parser.error("give each corpus folder with its gold identity file")
    sets = [
        (Path(corpus).name, Path(corpus), Path(gold))
        for corpus, gold in zip(args.sets[::2], args.sets[1::2], strict=True)
    ] or [s for s in DEFAULT_SETS if s[1].is_dir()]
    print("# Event merging: pairwise precision and recall\n")
    try:
        for name, corpus, gold_file in sets:
            run_set(name, corpus, gold_file, not args.no_extractor, args.model, args.details)
    except GoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
