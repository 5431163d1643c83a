"""Precision, recall and F1 of the built graph against gold extraction files.

Every gold article is built from its text alone (id, title, date, source, text): it is
extracted, resolved and turned into RDF, and what the RDF graph says is read back and
compared with the gold annotations. Names match through the gold aliases: a predicted
"Kim Jong-un" is the gold "Kim Jong Un" when that is one of its aliases. Actors are
scored by (name, type) for Person, Country and Organization; roles as (holder, role,
of, to); relations as (subject, predicate, object), with `met` and `agreed_with`
compared in either direction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..extract.base import Extractor, check_extractor
from ..model import Extraction, name_key

KINDS = ("actors", "roles", "relations")
SCORED_ACTOR_TYPES = ("Person", "Country", "Organization")
SYMMETRIC = ("met", "agreed_with")


@dataclass
class Finding:
    """One statement the system got wrong: a miss (in gold only) or a false hit (predicted only)."""

    article: str
    kind: str
    statement: tuple
    sentence: str | None = None

    def to_json(self) -> dict:
        return {
            "article": self.article,
            "kind": self.kind,
            "statement": [x for x in self.statement],
            "sentence": self.sentence,
        }


@dataclass
class Score:
    """True positives, false positives and false negatives, with what lies behind the errors."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    false_hits: list[Finding] = field(default_factory=list)
    misses: list[Finding] = field(default_factory=list)

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
        """Add another score's counts and findings to this one (micro-averaging)."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.false_hits += other.false_hits
        self.misses += other.misses

    def to_json(self) -> dict:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class EvaluationReport:
    """Scores overall, per relation predicate, per role value and per article."""

    overall: dict[str, Score]
    by_predicate: dict[str, Score]
    by_role: dict[str, Score]
    by_article: dict[str, dict[str, Score]]

    def findings(self) -> list[Finding]:
        """Return every miss and false hit, article by article."""
        result: list[Finding] = []
        for kind in KINDS:
            result += self.overall[kind].misses + self.overall[kind].false_hits
        return sorted(result, key=lambda f: (f.article, f.kind, str(f.statement)))

    def to_json(self) -> dict:
        return {
            "overall": {k: s.to_json() for k, s in self.overall.items()},
            "by_predicate": {k: s.to_json() for k, s in sorted(self.by_predicate.items())},
            "by_role": {k: s.to_json() for k, s in sorted(self.by_role.items())},
            "by_article": {
                a: {k: s.to_json() for k, s in scores.items()}
                for a, scores in sorted(self.by_article.items())
            },
            "misses": [f.to_json() for kind in KINDS for f in self.overall[kind].misses],
            "false_hits": [f.to_json() for kind in KINDS for f in self.overall[kind].false_hits],
        }


# -- scoring one article --------------------------------------------------------------


def name_table(gold: Extraction) -> dict[tuple[str, ...], str]:
    """Return every form of every actor of a gold article (name_key) -> the actor's name: what
    an extracted name is matched to."""
    table: dict[tuple[str, ...], str] = {}
    for actor in gold.actors:
        for form in [actor.name, *actor.aliases]:
            table.setdefault(name_key(form), actor.name)
            if form.lower().startswith("the "):
                table.setdefault(name_key(form[4:]), actor.name)
    return table


def _sentence_at(text: str, start: int | None, end: int | None) -> str | None:
    """Return the sentence of `text` around the span [start, end)."""
    if start is None or end is None or not text:
        return None
    ends = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() <= start]
    left = ends[-1] if ends else 0
    match = _SENTENCE_END.search(text, end)
    right = match.end() if match else len(text)
    return text[left:right].strip() or None


# A sentence ends at . ! ? before a capital or a quote (not after "U.S" or "Mr"), or a line break.
_SENTENCE_END = re.compile(r"(?<![A-Z])(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bMrs)[.!?][”\"']?(?=\s+[A-Z“\"])|\n")


def score_document(predicted: Extraction, gold: Extraction) -> dict[str, Score]:
    """Return the actor, role and relation scores of one article, with its findings."""
    table = name_table(gold)
    aliases = {a.name: a.aliases for a in predicted.actors}
    doc_id, text = gold.document.id, gold.document.text

    def name(n: str | None) -> str | None:
        if not n:
            return None
        for form in [n, *aliases.get(n, [])]:
            for key in (name_key(form), name_key(re.sub(r"(?i)^the ", "", form))):
                if key in table:
                    return table[key]
        return n

    def relation_key(s, p, o):
        if p in SYMMETRIC and s and o and o < s:
            s, o = o, s
        return (s, p, o)

    def first_sentence(actor_name: str) -> str | None:
        at = text.find(actor_name)
        return _sentence_at(text, at, at + len(actor_name)) if at >= 0 else None

    # Each kind's statements (a tuple of names and values), each with its sentence.
    gold_sets: dict[str, dict[tuple[str | None, ...], str | None]] = {
        "actors": {
            (a.name, a.type): first_sentence(a.name) for a in gold.actors if a.type in SCORED_ACTOR_TYPES
        },
        "roles": {(r.holder, r.role, r.of, r.to): _sentence_at(text, *_span(r)) for r in gold.roles},
        "relations": {
            relation_key(r.subject, r.predicate, r.object): _sentence_at(text, *_span(r))
            for r in gold.relations
        },
    }
    predicted_sets: dict[str, dict[tuple[str | None, ...], str | None]] = {
        "actors": {(name(a.name), a.type): None for a in predicted.actors if a.type in SCORED_ACTOR_TYPES},
        "roles": {(name(r.holder), r.role, name(r.of), name(r.to)): _sentence(r) for r in predicted.roles},
        "relations": {
            relation_key(name(r.subject), r.predicate, name(r.object)): _sentence(r)
            for r in predicted.relations
        },
    }
    scores = {}
    for kind in KINDS:
        found, wanted = predicted_sets[kind], gold_sets[kind]
        score = Score(
            tp=len(found.keys() & wanted.keys()),
            fp=len(found.keys() - wanted.keys()),
            fn=len(wanted.keys() - found.keys()),
        )
        score.false_hits = [
            Finding(doc_id, kind, k, found[k]) for k in sorted(found.keys() - wanted.keys(), key=str)
        ]
        score.misses = [
            Finding(doc_id, kind, k, wanted[k]) for k in sorted(wanted.keys() - found.keys(), key=str)
        ]
        scores[kind] = score
    return scores


def _span(statement) -> tuple[int | None, int | None]:
    evidence = statement.evidence
    return (evidence.start, evidence.end) if evidence else (None, None)


def _sentence(statement) -> str | None:
    evidence = statement.evidence
    return (evidence.sentence or evidence.text) if evidence else None


def _breakdown(scores: dict[str, Score], kind: str, position: int) -> dict[str, Score]:
    """Split one kind's findings and hits by a field of the statement (predicate, role)."""
    result: dict[str, Score] = {}
    score = scores[kind]
    for finding in score.false_hits:
        result.setdefault(finding.statement[position], Score()).add(Score(fp=1, false_hits=[finding]))
    for finding in score.misses:
        result.setdefault(finding.statement[position], Score()).add(Score(fn=1, misses=[finding]))
    return result


# -- the whole evaluation --------------------------------------------------------------


def evaluate(
    gold: list[Path] | Path, model: str | None = None, extractor: Extractor | None = None
) -> EvaluationReport:
    """Return the scores of building every gold article from its text alone, with the
    spaCy extractor (pipeline `model`) or the `extractor` given."""
    from ..ingest.reader import read_inputs
    from ..rdf.dataset import extractions_to_dataset
    from ..rdf.mapping import dataset_to_extractions
    from .resolve import resolve

    paths = [Path(gold)] if isinstance(gold, (str, Path)) else [Path(p) for p in gold]
    # Gold folders hold extraction files; a README or notes beside them are not articles.
    files = [f for p in paths for f in (sorted(p.rglob("*.json")) if p.is_dir() else [p])]
    if not files:
        raise UsageError(f"no gold extraction files (*.json) in {', '.join(map(str, paths))}")
    inputs = read_inputs(files)
    bare = [i.id for i in inputs if not isinstance(i, Extraction)]
    if bare:
        raise UsageError(
            f"{bare[0]} has no gold annotations (actors, roles, relations): eval needs extraction files"
        )
    golds = [i for i in inputs if isinstance(i, Extraction)]
    documents = [g.document for g in golds]
    if extractor is None:
        from ..extract.extractor import SpacyExtractor

        extractor = SpacyExtractor(model=model)
    else:
        check_extractor(extractor, model)
    extracted = list(extractor.extract_stream(documents))
    built = {e.document.id: e for e in dataset_to_extractions(extractions_to_dataset(resolve(extracted)))}
    overall = {kind: Score() for kind in KINDS}
    by_predicate: dict[str, Score] = {}
    by_role: dict[str, Score] = {}
    by_article: dict[str, dict[str, Score]] = {}
    for gold_extraction in golds:
        doc_id = gold_extraction.document.id
        predicted = built.get(doc_id, Extraction(document=gold_extraction.document))
        scores = score_document(predicted, gold_extraction)
        by_article[doc_id] = scores
        for kind in KINDS:
            overall[kind].add(scores[kind])
        _count_hits(
            by_predicate,
            predicted.relations,
            gold_extraction.relations,
            scores,
            "relations",
            lambda r: r.predicate,
            1,
        )
        _count_hits(by_role, predicted.roles, gold_extraction.roles, scores, "roles", lambda r: r.role, 1)
    return EvaluationReport(
        overall=overall, by_predicate=by_predicate, by_role=by_role, by_article=by_article
    )


def _count_hits(
    table: dict[str, Score], predicted, gold, scores: dict[str, Score], kind: str, field_of, position: int
) -> None:
    """Add one article's true positives, misses and false hits to a per-value breakdown."""
    for value, part in _breakdown(scores, kind, position).items():
        table.setdefault(value, Score()).add(part)
    gold_counts: dict[str, int] = {}
    for statement in gold:
        gold_counts[field_of(statement)] = gold_counts.get(field_of(statement), 0) + 1
    missed: dict[str, int] = {}
    for finding in scores[kind].misses:
        missed[finding.statement[position]] = missed.get(finding.statement[position], 0) + 1
    for value, count in gold_counts.items():
        table.setdefault(value, Score()).tp += count - missed.get(value, 0)


def parse_thresholds(items: list[str]) -> dict[str, float]:
    """Return {kind: minimum F1} from KIND=F1 strings; raise UsageError when malformed."""
    thresholds: dict[str, float] = {}
    for item in items:
        kind, sep, value = item.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not sep or kind not in KINDS or not 0.0 <= number <= 1.0:
            raise UsageError(
                f"--fail-under {item!r} is not KIND=F1 with KIND one of "
                f"{', '.join(KINDS)} and F1 from 0 to 1 (e.g. relations=0.5)"
            )
        thresholds[kind] = number
    return thresholds


def below(report: EvaluationReport, thresholds: dict[str, float]) -> list[str]:
    """Return a description of every kind whose F1 is under its threshold."""
    return [
        f"{kind} F1 {report.overall[kind].f1:.3f} < {minimum:.3f}"
        for kind, minimum in thresholds.items()
        if report.overall[kind].f1 < minimum
    ]
