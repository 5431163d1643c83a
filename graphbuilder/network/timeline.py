"""An actor's events counted per period and relation: `graphbuilder timeline`, and the page's time axis.

An event is one act, however many articles report it: a happening (rdf/happenings.py),
which view.graph_view() reads as one edge. A report that no happening joins (a graph
written before happenings were) is its own event. An event is placed by its date: a day
in the period holding it; a month-only date (2021-10) in that month, and, counted by
week, in the week of the month's first day; an event with no date of its own by the day
it was first reported. A week is named by its Monday (ISO 8601 weeks). Events that none
of these place are counted apart, as undated.

`actor_timeline()` counts; `format_timeline()` writes the rows (table, json, csv, tsv);
`draw_timeline()` draws a stacked bar chart with matplotlib (png, svg), the same bytes
for the same timeline.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from ..errors import UsageError
from ..fileio import output_file
from ..model import PREDICATES
from ..options import Period, TimelineFormat
from ..rdf.mapping import term_label, term_name
from ..resources import read_data
from .analytics import ActorRef, _line, _unknown_relation, find_actor, table
from .graph import actor_network
from .view import GraphView, graph_view

#: The relation cell of the row that sums a period's events.
TOTAL = "total"
_WHEN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

# -- placing events ------------------------------------------------------------------------


def first_day(when: str | None) -> dt.date | None:
    """Return the day an event dated `when` is placed on: the day itself, a month's first
    day ("2021-10"), a year's first day ("2021"); None for no date or not a date."""
    match = _WHEN.match(when or "")
    if match is None:
        return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def period_of(when: str | None, by: Period | str = Period.month) -> str | None:
    """Return the period holding an event dated `when`: "2021-10-11" (a week, by its
    Monday), "2021-10" (a month) or "2021" (a year); None when it has no date."""
    day = first_day(when)
    return None if day is None else _name(day, Period.of(by, "period"))


def week_of(when: str | None) -> str | None:
    """Return the Monday (yyyy-mm-dd) of the week holding an event dated `when`."""
    return period_of(when, Period.week)


def _start(day: dt.date, by: Period) -> dt.date:
    if by is Period.week:
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1) if by is Period.month else day.replace(month=1, day=1)


def _name(day: dt.date, by: Period) -> str:
    start = _start(day, by)
    return start.isoformat() if by is Period.week else start.isoformat()[: 7 if by is Period.month else 4]


def _following(start: dt.date, by: Period) -> dt.date:
    if by is Period.week:
        return start + dt.timedelta(days=7)
    if by is Period.month:
        return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
    return start.replace(year=start.year + 1)


# -- counting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodCount:
    """One period of a timeline: its name, its first day, its events per relation."""

    period: str  # "2021-10-11" (a week, by its Monday), "2021-10", "2021"
    start: str  # its first day, yyyy-mm-dd
    counts: tuple[tuple[str, int], ...]  # (relation, events), in the order of model.PREDICATES

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)


@dataclass(frozen=True)
class Timeline:
    """An actor's events (as agent or target) per period and relation, oldest period first.

    `periods` runs from the first period with an event to the last, with the empty ones
    between, so gaps show; `undated` counts the events that no date places.
    """

    actor: ActorRef
    by: Period
    periods: tuple[PeriodCount, ...]
    undated: int = 0
    relations: tuple[str, ...] | None = None  # the relation types counted (None: all)

    @property
    def events(self) -> int:
        """Return how many events the timeline places."""
        return sum(p.total for p in self.periods)

    def relations_present(self) -> list[str]:
        """Return the relation types with an event, in the order of model.PREDICATES."""
        present = {relation for p in self.periods for relation, _ in p.counts}
        return sorted(present, key=_relation_order)

    def notes(self) -> list[str]:
        """Return what a reader of the rows should know: no events at all, events left off."""
        name, notes = _line(self.actor.label), []
        if not self.periods:
            of = f" of type {', '.join(self.relations)}" if self.relations else ""
            notes.append(f"{name} takes part in no dated event{of} in this graph")
        if self.undated:
            many = self.undated != 1
            notes.append(
                f"{self.undated} event{'s' if many else ''} of {name} {'have' if many else 'has'} "
                "no date and no report date: not on the timeline"
            )
        return notes

    def rows(self) -> list[tuple[str, str, int]]:
        """Return (period, relation label, events) rows: each period's relations, then its total."""
        rows = []
        for p in self.periods:
            rows += [(p.period, term_label(relation), count) for relation, count in p.counts]
            rows.append((p.period, TOTAL, p.total))
        return rows

    def to_json(self) -> dict:
        """Return the documented JSON form (see README, "timeline")."""
        return {
            "actor": {"id": self.actor.id, "label": self.actor.label, "type": self.actor.type},
            "by": self.by.value,
            "relations": list(self.relations) if self.relations else None,
            "events": self.events,
            "undated": self.undated,
            "periods": [
                {"period": p.period, "start": p.start, "counts": dict(p.counts), "total": p.total}
                for p in self.periods
            ],
        }


def _relation_order(relation: str) -> tuple[int, str]:
    return (PREDICATES.index(relation) if relation in PREDICATES else len(PREDICATES), relation)


def actor_timeline(
    graph: Graph | GraphView,
    actor: str,
    by: Period | str = Period.month,
    relations: list[str] | tuple[str, ...] | None = None,
) -> Timeline:
    """Return the events in which `actor` (a name or alias, any case, as `path` takes it)
    is agent or target, counted per period (`by`: week, month or year) and relation.

    `relations` (names or labels: "agreed with") limits the count to those types.
    Raises UsageError for an unknown actor, relation or period.
    """
    by = Period.of(by, "period")
    chosen = tuple(dict.fromkeys(term_name(r) for r in relations)) if relations else None
    unknown = [r for r in chosen or () if r not in PREDICATES]
    if unknown:
        raise _unknown_relation(unknown[0])
    view = graph if isinstance(graph, GraphView) else graph_view(graph)
    network = actor_network(view)
    found = find_actor(network, actor)
    ref = ActorRef(id=found, label=network.nodes[found]["label"], type=network.nodes[found]["type"])
    placed: Counter[tuple[dt.date, str]] = Counter()
    undated = 0
    for edge in view.edges:
        if found not in (edge.source, edge.target) or (chosen and edge.relation not in chosen):
            continue
        day = first_day(edge.when)
        if day is None:
            undated += 1
        else:
            placed[(_start(day, by), edge.relation)] += 1
    periods = []
    if placed:
        start, last = min(day for day, _ in placed), max(day for day, _ in placed)
        while start <= last:
            counts = sorted(
                ((r, n) for (d, r), n in placed.items() if d == start), key=lambda c: _relation_order(c[0])
            )
            periods.append(PeriodCount(_name(start, by), start.isoformat(), tuple(counts)))
            start = _following(start, by)
    return Timeline(actor=ref, by=by, periods=tuple(periods), undated=undated, relations=chosen)


# -- writing -------------------------------------------------------------------------------

_HEADER = ["period", "relation", "events"]


def format_timeline(
    timeline: Timeline, fmt: TimelineFormat | str = TimelineFormat.table, width: int | None = None
) -> str:
    """Return the timeline's rows as a table (cut to `width` when given), csv or tsv, or
    its JSON form. The rows: each period's events per relation, then a `total` row; a
    period with no event has its total row only, so gaps show."""
    fmt = TimelineFormat.of(fmt, "format")
    if fmt is TimelineFormat.json:
        return json.dumps(timeline.to_json(), indent=2, ensure_ascii=False) + "\n"
    rows = timeline.rows()
    if fmt is TimelineFormat.table:
        return table(_HEADER, rows, width)  # the query table writer, as `stats` uses it
    if fmt in (TimelineFormat.csv, TimelineFormat.tsv):
        # CSV as `query --format csv` writes it (RFC 4180, CRLF); TSV plain, one row a line:
        # the SPARQL TSV of `query` would quote every text, which spreadsheets then keep.
        out = io.StringIO()
        tsv = fmt is TimelineFormat.tsv
        writer = csv.writer(out, delimiter="\t" if tsv else ",", lineterminator="\n" if tsv else "\r\n")
        writer.writerows([_HEADER, *rows])
        return out.getvalue()
    raise UsageError(f"--format {fmt} draws an image: use draw_timeline() (or give --output FILE)")


# -- drawing -------------------------------------------------------------------------------

#: Hatches that tell apart relations of one family, which share the family's colour.
_HATCHES = ("", "///", "...", "xxx", "\\\\\\", "ooo")
_MOST_TICKS = 16
_SALT = "graphbuilder-timeline"  # ids in an SVG come from this, not from a random salt


def relation_colors() -> dict[str, tuple[str, str]]:
    """Return each relation's colour and hatch: the colour of its family in the page's
    style (graphbuilder/data/viz_style.json), a hatch for each relation after a family's first."""
    style = json.loads(read_data("viz_style.json"))
    families, default = style["families"], style["default_relation"]["family"]
    seen: Counter[str] = Counter()
    looks = {}
    for relation in PREDICATES:
        family = (style["relations"].get(relation) or {}).get("family", default)
        looks[relation] = (families[family]["color"], _HATCHES[seen[family] % len(_HATCHES)])
        seen[family] += 1
    return looks


def draw_timeline(timeline: Timeline, path: Path, fmt: TimelineFormat | str = TimelineFormat.png) -> Path:
    """Draw the timeline as bars of events per period, stacked by relation, into `path`
    (png or svg, written atomically; "-": standard output); return `path`. The same
    timeline gives the same bytes."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fmt = TimelineFormat.of(fmt, "format")
    if fmt not in (TimelineFormat.png, TimelineFormat.svg):
        raise UsageError(f"--format {fmt} writes rows, not an image: use png or svg")
    periods = timeline.periods
    figure = Figure(figsize=(min(4.5 + 0.28 * len(periods), 18), 4.2), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    looks = relation_colors()
    positions = list(range(len(periods)))
    bottom = [0] * len(periods)
    for relation in timeline.relations_present():
        heights = [dict(p.counts).get(relation, 0) for p in periods]
        color, hatch = looks.get(relation, ("#7f8c8d", ""))
        axes.bar(
            positions,
            heights,
            bottom=bottom,
            width=0.8,
            color=color,
            hatch=hatch,
            edgecolor="white",
            linewidth=0.6,
            label=term_label(relation),
        )
        bottom = [b + h for b, h in zip(bottom, heights)]
    step = max(1, -(-len(periods) // _MOST_TICKS))
    axes.set_xticks(positions[::step], [p.period for p in periods][::step], rotation=45, ha="right")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("events")
    axes.spines[["top", "right"]].set_visible(False)
    # An actor's name is article text: drawn as written, never read as mathtext ($...$).
    axes.set_title(f"{_line(timeline.actor.label)}: events per {timeline.by.value}", parse_math=False)
    if periods:  # beside the bars, top of the stack first, as the bars read
        handles, labels = axes.get_legend_handles_labels()
        axes.legend(handles[::-1], labels[::-1], loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    else:
        axes.set_yticks([])
        axes.text(0.5, 0.5, "No dated events", transform=axes.transAxes, ha="center", va="center")
    metadata = {"Date": None} if fmt is TimelineFormat.svg else {"Software": None}
    with warnings.catch_warnings(), matplotlib.rc_context({"svg.hashsalt": _SALT}):
        warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
        with output_file(Path(path)) as handle:
            figure.savefig(handle, format=fmt.value, metadata=metadata)
    return Path(path)


def write_timeline(timeline: Timeline, path: Path, fmt: TimelineFormat | str) -> Path:
    """Write the timeline to `path` in `fmt`, an image (png, svg) or rows, atomically ("-":
    standard output); return `path`."""
    fmt = TimelineFormat.of(fmt, "format")
    if fmt in (TimelineFormat.png, TimelineFormat.svg):
        return draw_timeline(timeline, path, fmt)
    with output_file(Path(path)) as handle:
        handle.write(format_timeline(timeline, fmt).encode("utf-8"))
    return Path(path)
