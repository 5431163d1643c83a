"""Precision, recall and F1 of extractions against gold extraction files.

Names are matched through the gold aliases: a predicted actor named "Kim Jong-un"
matches the gold actor "Kim Jong Un" when that is one of its aliases. Actors are
scored by name for the Person, Country and Organization types; roles as
(holder, role, of, to); relations as (subject, predicate, object), with `met` and
`agreed_with` compared in either direction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .extract.actors import name_key
from .model import Extraction

SCORED_ACTOR_TYPES = ("Person", "Country", "Organization")
SYMMETRIC = ("met", "agreed_with")


@dataclass
class Score:
    """Counts of true positives, false positives and false negatives, with the items behind them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_hits: list[tuple] = field(default_factory=list)
    misses: list[tuple] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.false_hits += other.false_hits
        self.misses += other.misses


def _canon(gold: Extraction):
    """Return a function mapping any surface name to the gold canonical name (or itself)."""
    table: dict[tuple[str, ...], str] = {}
    for actor in gold.actors:
        for form in [actor.name, *actor.aliases]:
            table.setdefault(name_key(form), actor.name)
            if form.lower().startswith("the "):
                table.setdefault(name_key(form[4:]), actor.name)

    def canon(name: str | None, aliases: list[str] = ()) -> str | None:
        if name is None:
            return None
        for form in [name, *aliases]:
            key = name_key(form)
            if key in table:
                return table[key]
            if form.lower().startswith("the ") and name_key(form[4:]) in table:
                return table[name_key(form[4:])]
        return name
    return canon


def _compare(predicted: set[tuple], gold: set[tuple], doc_id: str) -> Score:
    score = Score(tp=len(predicted & gold), fp=len(predicted - gold), fn=len(gold - predicted))
    score.false_hits = [(doc_id, *item) for item in sorted(predicted - gold, key=str)]
    score.misses = [(doc_id, *item) for item in sorted(gold - predicted, key=str)]
    return score


def score_document(predicted: Extraction, gold: Extraction) -> dict[str, Score]:
    """Return the actor, role and relation scores of one document."""
    canon = _canon(gold)
    aliases = {a.name: a.aliases for a in predicted.actors}

    def name(n: str | None) -> str | None:
        return canon(n, aliases.get(n, [])) if n else None

    doc_id = gold.document.id
    gold_actors = {(a.name, a.type) for a in gold.actors if a.type in SCORED_ACTOR_TYPES}
    pred_actors = {(name(a.name), a.type) for a in predicted.actors if a.type in SCORED_ACTOR_TYPES}
    gold_roles = {(r.holder, r.role, r.of, r.to) for r in gold.roles}
    pred_roles = {(name(r.holder), r.role, name(r.of), name(r.to)) for r in predicted.roles}

    def relation_key(s, p, o):
        if p in SYMMETRIC and s is not None and o is not None and o < s:
            s, o = o, s
        return (s, p, o)

    gold_rel = {relation_key(r.subject, r.predicate, r.object) for r in gold.relations}
    pred_rel = {relation_key(name(r.subject), r.predicate, name(r.object)) for r in predicted.relations}
    return {"actors": _compare(pred_actors, gold_actors, doc_id),
            "roles": _compare(pred_roles, gold_roles, doc_id),
            "relations": _compare(pred_rel, gold_rel, doc_id)}


def evaluate_folder(gold_dir, model: str | None = None) -> tuple[dict[str, Score], dict[str, dict[str, Score]]]:
    """Return (overall scores, scores per article) of extracting every gold article from its text."""
    import json
    from pathlib import Path

    from .extract import Extractor
    from .model import extraction_from_json

    paths = sorted(Path(gold_dir).glob("*.json"))
    golds = [extraction_from_json(json.loads(p.read_text(encoding="utf-8")), origin=str(p))
             for p in paths]
    extractor = Extractor(model=model)
    overall = {kind: Score() for kind in ("actors", "roles", "relations")}
    per_article: dict[str, dict[str, Score]] = {}
    for gold, predicted in zip(golds, extractor.extract_all([g.document for g in golds])):
        scores = score_document(predicted, gold)
        per_article[gold.document.id] = scores
        for kind, score in scores.items():
            overall[kind].add(score)
    return overall, per_article


def main(argv: list[str] | None = None) -> int:
    """Print precision, recall and F1 of the extractor on a folder of gold files (`-v`: every error)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m graphbuilder.evaluate",
                                     description=main.__doc__)
    parser.add_argument("gold", help="folder of gold extraction files (*.json)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss and false hit")
    parser.add_argument("--model", default=None, help="spaCy pipeline to use")
    args = parser.parse_args(argv)
    overall, per_article = evaluate_folder(args.gold, model=args.model)
    if args.verbose:
        for doc_id, scores in per_article.items():
            print(f"== {doc_id}")
            for kind, score in scores.items():
                for item in score.misses:
                    print(f"  missed {kind[:-1]}: {item[1:]}")
                for item in score.false_hits:
                    print(f"  false  {kind[:-1]}: {item[1:]}")
    print(f"{'':10} {'P':>5} {'R':>5} {'F1':>5} {'tp':>4} {'fp':>4} {'fn':>4}")
    for kind, score in overall.items():
        print(f"{kind:10} {score.precision:5.2f} {score.recall:5.2f} {score.f1:5.2f} "
              f"{score.tp:4d} {score.fp:4d} {score.fn:4d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
