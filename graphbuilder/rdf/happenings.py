"""One event per happening: the reports of many articles about one act, counted once.

Every article's relation is a *report* (an event node in the article's graph). Reports
with the same predicate and the same resolved actors (either way round for the symmetric
predicates, `met` and `agreed_with`) are one *happening* when their dates are compatible:

- two reports that name the day it happened: the same day;
- a report that names only the month: a day in that month (the nearest to the article's
  date when the month holds several), else the other month-only reports of that month;
- an undated report: by the article's date. It joins the happening whose day came at
  most `window` days before the article (or one day after: a report can be dated the
  evening before in another time zone), or whose month holds the article's date or ended
  at most `window` days before it, the nearest one; else the other
  undated reports published within `window` days of the first of them;
- a report of an undated article with no date of its own stays alone.

A window of None turns merging off (each report is its own happening). The happening's
date is the best-supported one: the day most reports name (the earliest among equals),
else the month, else none (a timeline then places it by its first report). Its
confidence grows with independent sources, as a noisy-OR: each source (the publisher,
else the host of the article's URL, else the article) counts once, by its most confident
report, and the happening is missed only if every source is wrong: 1 - prod(1 - c).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..model import Extraction, Relation
from ..options import DEFAULT_EVENT_WINDOW

#: The number of days after a happening that an undated report of it may be published.
DEFAULT_WINDOW = DEFAULT_EVENT_WINDOW


@dataclass(frozen=True)
class Report:
    """One article's report of a relation: the relation as extracted and where it came from."""

    article: str  # the article id
    relation: Relation
    published: str | None  # the article's date, YYYY-MM-DD
    source: str  # who published it: reports from one source are not independent

    @property
    def sort_key(self) -> tuple[bool, str, str]:
        """First published first, undated articles last, then by article id."""
        return (self.published is None, self.published or "", self.article)


@dataclass
class Happening:
    """One act, counted once, with every report of it (first published first)."""

    predicate: str
    agent: str
    target: str
    reports: list[Report] = field(default_factory=list)

    @property
    def date(self) -> str | None:
        """Return the best-supported date: the day most reports name, else the month."""
        for width in (10, 7):
            named = Counter(
                r.relation.date for r in self.reports if r.relation.date and len(r.relation.date) == width
            )
            if named:
                return min(named, key=lambda d: (-named[d], d))
        return None

    @property
    def first_reported(self) -> str | None:
        return min((r.published for r in self.reports if r.published), default=None)

    @property
    def last_reported(self) -> str | None:
        return max((r.published for r in self.reports if r.published), default=None)

    @property
    def articles(self) -> int:
        """Return how many articles report it."""
        return len({r.article for r in self.reports})

    @property
    def sources(self) -> int:
        return len({r.source for r in self.reports})

    @property
    def confidence(self) -> float | None:
        """Return the noisy-OR of each source's most confident report (None when no report has one)."""
        best: dict[str, float] = {}
        for report in self.reports:
            if report.relation.confidence is not None:
                best[report.source] = max(best.get(report.source, 0.0), report.relation.confidence)
        if not best:
            return None
        missed = 1.0
        for confidence in best.values():
            missed *= 1.0 - confidence
        return round(1.0 - missed, 3)

    @property
    def when(self) -> str | None:
        """Return where a timeline places it: its date, else the day it was first reported."""
        return self.date or self.first_reported


def source_of(extraction: Extraction) -> str:
    """Return who published an article: its publisher, else its URL's host, else the article itself."""
    doc = extraction.document
    if doc.publisher:
        return doc.publisher.strip().casefold()
    if doc.source and "://" in doc.source:
        host = urlsplit(doc.source).hostname or ""
        host = host.removeprefix("www.")
        if host:
            return host
    return f"article:{doc.id}"


def reports_of(extractions: Iterable[Extraction]) -> list[Report]:
    """Return every article's relations as reports, one per distinct (subject, predicate, object)
    in an article (as the article's graph has one event node for them)."""
    reports = []
    for extraction in extractions:
        source = source_of(extraction)
        seen: set[tuple[str, str, str]] = set()
        for relation in extraction.relations:
            key = (relation.subject, relation.predicate, relation.object)
            if key not in seen:
                seen.add(key)
                reports.append(Report(extraction.document.id, relation, extraction.document.date, source))
    return reports


def happenings(
    extractions: Iterable[Extraction], window: int | None = DEFAULT_WINDOW, symmetric: Iterable[str] = ()
) -> list[Happening]:
    """Return the happenings the articles' reports describe, in a stable order.

    `extractions` must be resolved (pipeline/resolve.py): names are compared as they are,
    up to letter case (the graph's actor identity). `symmetric` names the predicates
    whose two actors may come either way round; None as `window` merges nothing.
    """
    from .mapping import actor_key

    symmetric = frozenset(symmetric)
    groups: dict[tuple[str, str, str], list[Report]] = defaultdict(list)
    for report in reports_of(extractions):
        r = report.relation
        ends = (actor_key(r.subject), actor_key(r.object))
        if r.predicate in symmetric:
            ends = tuple(sorted(ends))  # type: ignore[assignment]
        groups[(r.predicate, *ends)].append(report)
    found: list[Happening] = []
    for key in sorted(groups):
        reports = sorted(groups[key], key=lambda r: (*r.sort_key, r.relation.date or ""))
        clusters = [[r] for r in reports] if window is None else _cluster(reports, window)
        for cluster in clusters:
            cluster.sort(key=lambda r: r.sort_key)
            first = cluster[0].relation
            found.append(Happening(first.predicate, first.subject, first.object, cluster))
    found.sort(
        key=lambda h: (
            h.when or "",
            h.predicate,
            actor_key(h.agent),
            actor_key(h.target),
            h.reports[0].article,
        )
    )
    return found


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text and len(text) == 10 else None
    except ValueError:
        return None


def _month_end(month: str) -> dt.date:
    year, number = int(month[:4]), int(month[5:7])
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _cluster(reports: list[Report], window: int) -> list[list[Report]]:
    """Return the reports of one (predicate, actors) grouped into happenings (see the module)."""
    by_day: dict[str, list[Report]] = defaultdict(list)
    by_month: dict[str, list[Report]] = defaultdict(list)
    undated: list[Report] = []
    alone: list[list[Report]] = []
    for report in reports:
        date = report.relation.date
        if date and len(date) == 10 and _day(date):
            by_day[date].append(report)
        elif date and len(date) == 7:
            by_month[date].append(report)
        elif _day(report.published):
            undated.append(report)
        else:
            alone.append([report])
    # Month-only reports join a day of their month, the nearest to the article's date.
    for month in list(by_month):
        days = [d for d in by_day if d.startswith(month)]
        if not days:
            continue
        for report in by_month.pop(month):
            published = _day(report.published)
            nearest = min(days, key=lambda d: (abs((_day(d) - published).days) if published else 0, d))  # type: ignore[operator]
            by_day[nearest].append(report)
    # An undated report joins the nearest happening it could report; dated ones first.
    anchors: list[tuple[dt.date, dt.date, list[Report]]] = [
        (day, day, members) for day, members in ((_day(d), m) for d, m in by_day.items()) if day
    ]
    anchors += [(dt.date.fromisoformat(f"{m}-01"), _month_end(m), members) for m, members in by_month.items()]
    leftover: list[Report] = []
    for report in undated:
        published = _day(report.published)
        assert published is not None
        fitting = [
            (max((published - end).days, (start - published).days, 0), start, members)
            for start, end, members in anchors
            if (published - end).days <= window and (start - published).days <= 1
        ]
        if fitting:
            min(fitting, key=lambda item: (item[0], item[1]))[2].append(report)
        else:
            leftover.append(report)
    clusters = [members for _, _, members in sorted(anchors, key=lambda a: a[0])]
    current: list[Report] = []
    for report in sorted(leftover, key=lambda r: r.sort_key):
        if current and (_day(report.published) - _day(current[0].published)).days > window:  # type: ignore[operator]
            clusters.append(current)
            current = []
        current.append(report)
    if current:
        clusters.append(current)
    return clusters + alone
