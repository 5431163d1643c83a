"""The events counted once, as files for event-data tools: PLOVER JSON Lines, an ICEWS-style TSV.

A graph holds one gb:Happening per act however many articles report it (rdf/corpus.py);
each is one PLOVER record and one TSV row here, with every report behind it. The record
follows the JSON fields of the PLOVER manual (version 0.8, "Data Fields"), which lets a
provider add named fields of its own: ours (`relation`, `cameo_code`, `report_count`,
`source_count`, `confidence`, `reports`) are listed in docs/event-codes.md with the rest.

Both files list the events by date, then id, and say nothing that changes between runs
(no time of coding), so the same graph always gives byte-identical files.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from ..errors import GraphNotFoundError, UsageError
from ..fileio import output_file
from ..options import ExportFormat
from ..rdf.mapping import GB, RELATION_SHORTCUTS, SCHEMA, merged_graph, term_label
from ..resources import package_version
from .view import _actor_type, _first, _Index, _iri_tail, _wikidata

#: The export formats this module writes (the others are the actor network's, export.py).
EVENT_FORMATS = (ExportFormat.plover, ExportFormat.events_tsv)

#: An organization's PLOVER actor code and sector, by its kind in the gazetteer. PLOVER's
#: non-state codes are IGO and NGO (and ISM, IMG, MNC, which no kind maps to); REB and JRN
#: are sectors, so an armed group or a news agency gets a sector and no code.
ORGANIZATION_CODES: dict[str, tuple[str | None, str | None]] = {
    "intergovernmental": ("IGO", None),
    "alliance": ("IGO", None),
    "forum": ("IGO", None),
    "agency": ("IGO", None),
    "mission": ("IGO", None),
    "court": ("IGO", "JUD"),
    "humanitarian": ("NGO", None),
    "armed_group": (None, "REB"),
    "news_agency": (None, "JRN"),
}

#: The columns of the events TSV, in order (docs/event-codes.md says what each holds).
TSV_COLUMNS = (
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Sector",
    "Source Country",
    "Event Text",
    "PLOVER Type",
    "PLOVER Mode",
    "CAMEO Code",
    "Quad Class",
    "Target Name",
    "Target Sector",
    "Target Country",
    "Reports",
    "Sources",
    "Confidence",
    "First Reported",
    "Story ID",
    "Sentence",
    "URL",
)

# One field per cell and one row per line: the characters that would break either are
# written as backslash escapes (and the backslash itself), as `query --format tsv` does.
_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


@dataclass(frozen=True)
class EventActor:
    """A happening's actor with its PLOVER codes: country or non-state code, and sector."""

    iri: str
    label: str
    type: str  # Person, Country, Organization, Group, Location
    code: str | None = None  # ISO 3166-1 alpha-3, or IGO / NGO
    sector: str | None = None  # GOV, MIL, JUD, REB, JRN
    wikidata: str | None = None  # Q-id


@dataclass(frozen=True)
class EventReport:
    """One article's report of a happening: where it is and what the article says."""

    iri: str
    article: str | None  # the article's id
    published: str | None  # the article's date
    date: str | None  # the date the report gives the act (a day or a month)
    url: str | None
    source: str | None  # the article's source as given (a URL, or words)
    title: str | None
    publisher: str | None
    license: str | None
    evidence: str | None  # the words that say it
    sentence: str | None
    start: int | None  # character offsets of `evidence` in the article's text
    end: int | None
    confidence: Decimal | None


@dataclass(frozen=True)
class HappeningEvent:
    """One act counted once, with its codes and every report of it (first published first)."""

    id: str  # the last segment of its IRI
    iri: str
    relation: str  # the extraction format's predicate, e.g. "agreed_with"
    plover: str
    mode: str | None
    cameo: str
    quad: int
    date: str | None  # as the graph has it: a day, a month, or unknown
    first_reported: str | None
    agent: EventActor
    target: EventActor
    symmetric: bool  # met, agreed_with: neither actor is the one acted upon
    report_count: int
    source_count: int
    confidence: Decimal | None
    reports: tuple[EventReport, ...]

    @property
    def day(self) -> str | None:
        """Return the day the record is dated: its own, else the day it was first reported."""
        return self.date if self.date and len(self.date) == 10 else self.first_reported

    @property
    def date_note(self) -> str | None:
        """Return why `day` is not the day the act happened, when it is not."""
        if self.day is None or (self.date and len(self.date) == 10):
            return None
        given = f"only the month ({self.date})" if self.date else "no date"
        return f"the reports give {given}: the date is the day it was first reported"

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.day or "9999-99-99", self.id)


@dataclass(frozen=True)
class EventExport:
    """What `export_events` wrote: the file, its events, and those left out for want of a date."""

    path: Path
    events: int
    undated: int = 0  # PLOVER requires a date: happenings without any are not in its file


def happening_events(graph: Graph) -> list[HappeningEvent]:
    """Return the graph's happenings with their codes, actors and reports, by date then id.

    A graph with reports of events (gb:Event) that no gb:Happening gathers was built
    before happenings were: GraphNotFoundError says to rebuild it. A graph with no
    events at all has none to give.
    """
    from ..extract.lexicon import predicates

    merged = not graph.context_aware or getattr(graph, "default_union", False)
    g = _Index(graph if merged else merged_graph(graph))
    happenings = sorted(h for h in set(g.subjects(RDF.type, GB.Happening)) if isinstance(h, URIRef))
    gathered = {r for h in happenings for r in g.objects(h, PROV.wasDerivedFrom)}
    every_report = set(g.subjects(RDF.type, GB.Event))
    alone = every_report - gathered
    if alone:
        found = (
            f"reports of events in the graph belong to no happening (gb:Happening; {len(alone)} of "
            f"{len(every_report)}): part of it was"
            if happenings
            else "the graph has reports of events but no happenings (gb:Happening, each act counted "
            "once): it was"
        )
        raise GraphNotFoundError(
            f"{found} built by an older graphbuilder; rebuild it with this version "
            "(graphbuilder build ...) to export its events"
        )
    relation_of = {iri: name for name, iri in RELATION_SHORTCUTS.items()}
    symmetric = predicates().symmetric
    actors: dict[URIRef, EventActor] = {}
    events = []
    for node in happenings:
        relation = relation_of.get(g.value(node, GB.relationType))
        agent, target = g.value(node, GB.agent), g.value(node, GB.target)
        plover, quad = _first(g, node, GB.ploverType), _integer(_first(g, node, GB.quadClass))
        if relation is None or not isinstance(agent, URIRef) or not isinstance(target, URIRef):
            continue
        for actor in (agent, target):
            if actor not in actors:
                actors[actor] = _event_actor(g, actor)
        reports = sorted(
            (_report(g, r) for r in g.objects(node, PROV.wasDerivedFrom) if isinstance(r, URIRef)),
            key=lambda r: (r.published or "9999-99-99", r.article or "", r.iri),
        )
        events.append(
            HappeningEvent(
                id=_iri_tail(node),
                iri=str(node),
                relation=relation,
                plover=plover or "",
                mode=_first(g, node, GB.ploverMode),
                cameo=_first(g, node, GB.cameoCode) or "",
                quad=quad or 0,
                date=_first(g, node, GB.date),
                first_reported=_first(g, node, GB.firstReported)
                or (reports[0].published if reports else None),
                agent=actors[agent],
                target=actors[target],
                symmetric=relation in symmetric,
                report_count=_integer(_first(g, node, GB.reportCount)) or len(reports),
                source_count=_integer(_first(g, node, GB.sourceCount)) or 1,
                confidence=_decimal(_first(g, node, GB.confidence)),
                reports=tuple(reports),
            )
        )
    events.sort(key=lambda e: e.sort_key)
    return events


def _event_actor(g: _Index, actor: URIRef) -> EventActor:
    label = _first(g, actor, RDFS.label) or _iri_tail(actor)
    kind = _actor_type(g, actor)
    code, sector = _first(g, actor, GB.countryCode), _first(g, actor, GB.sector)
    if code is None and kind == "Organization":
        code, by_kind = _organization_codes(label)
        sector = sector or by_kind
    elif code is None and kind == "Person":
        # Someone who serves no country takes the codes of the organization they serve
        # (the one most of their posts name): the UN Secretary-General is IGO.
        served = Counter(
            o
            for role in g.subjects(GB.holder, actor)
            for o in g.objects(role, GB.roleOf)
            if isinstance(o, URIRef)
        )
        for organization, _ in sorted(served.items(), key=lambda item: (-item[1], str(item[0]))):
            if _actor_type(g, organization) == "Organization":
                code, by_kind = _organization_codes(_first(g, organization, RDFS.label) or "")
                sector = by_kind or sector
                break
    return EventActor(str(actor), label, kind, code, sector, _wikidata(g, actor))


def _organization_codes(label: str) -> tuple[str | None, str | None]:
    """Return the PLOVER code and sector of the organization `label` names, by its gazetteer kind."""
    from ..extract.lexicon import gazetteer

    known = gazetteer()
    entry = known.entries.get(label) or known.lookup(label)
    if entry is None or entry.type != "Organization":
        return None, None
    return ORGANIZATION_CODES.get(entry.kind or "", (None, None))


def _report(g: _Index, node: URIRef) -> EventReport:
    article = g.value(node, PROV.wasDerivedFrom)
    about = (lambda p: _first(g, article, p)) if article is not None else (lambda p: None)
    return EventReport(
        iri=str(node),
        article=about(DCTERMS.identifier),
        published=_first(g, node, GB.reportedOn) or about(DCTERMS.date),
        date=_first(g, node, GB.date),
        url=about(SCHEMA.url),
        source=about(GB.source),
        title=about(DCTERMS.title),
        publisher=about(DCTERMS.publisher),
        license=about(DCTERMS.license),
        evidence=_first(g, node, GB.evidenceText),
        sentence=_first(g, node, GB.sentence),
        start=_integer(_first(g, node, GB.startOffset)),
        end=_integer(_first(g, node, GB.endOffset)),
        confidence=_decimal(_first(g, node, GB.confidence)),
    )


def _integer(text: str | None) -> int | None:
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def _decimal(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text is not None else None
    except InvalidOperation:
        return None


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _without_none(fields: dict) -> dict:
    return {k: v for k, v in fields.items() if v is not None}


# -- PLOVER --------------------------------------------------------------------------------


def plover_actor(actor: EventActor) -> dict:
    """Return the PLOVER actor object of `actor` (code, sector, actor_text, identifier_id/_text)."""
    return _without_none(
        {
            "code": actor.code,
            "sector": actor.sector,
            "actor_text": actor.label,
            "identifier_id": actor.wikidata,
            "identifier_text": actor.label if actor.wikidata else None,
        }
    )


def plover_record(event: HappeningEvent, coder: str | None = None) -> dict:
    """Return the PLOVER record of one happening (fields in docs/event-codes.md).

    Its text fields (`event_text`, `text`, `text_info`, `cite_info`) come from the first
    report; every report is in `reports`. A symmetric act (met, agreed_with) has both
    actors as `source` and no `recipient`, as PLOVER codes reciprocal events. Raises
    ValueError for a happening with no date at all, which a PLOVER record cannot hold.
    """
    if event.day is None:
        raise ValueError(f"happening {event.id} has no date, which a PLOVER record requires")
    first = event.reports[0] if event.reports else None
    record: dict = {
        "id": event.id,
        "date": event.day,
        "source": [plover_actor(event.agent)] + ([plover_actor(event.target)] if event.symmetric else []),
    }
    if not event.symmetric:
        record["recipient"] = [plover_actor(event.target)]
    record["event"] = [event.plover]
    if event.mode:
        record["mode"] = [event.mode]
    if event.quad:
        record["quad_code"] = event.quad
    if first is not None:
        if first.evidence:
            record["event_text"] = [first.evidence]
        if first.sentence:
            record["text"] = first.sentence
        if first.start is not None and first.end is not None:
            record["text_info"] = {"start": first.start, "end": first.end}
        cite = _without_none(
            {
                "url": first.url,
                "title": first.title,
                "publication": first.publisher,
                "license": first.license,
                "citation": first.article,
            }
        )
        if cite:
            record["cite_info"] = cite
    record["coder"] = coder or f"graphbuilder {package_version()}"
    if event.date_note:
        record["comment"] = event.date_note
    record.update(
        _without_none(
            {
                "relation": event.relation,
                "cameo_code": event.cameo or None,
                "report_count": event.report_count,
                "source_count": event.source_count,
                "confidence": _number(event.confidence),
            }
        )
    )
    record["reports"] = [
        _without_none(
            {
                "article": r.article,
                "url": r.url,
                "source": r.source if r.url is None else None,
                "published": r.published,
                "date": r.date,
                "evidence": r.evidence,
                "sentence": r.sentence,
                "start": r.start,
                "end": r.end,
                "confidence": _number(r.confidence),
            }
        )
        for r in event.reports
    ]
    return record


def plover_lines(events: Iterable[HappeningEvent]) -> Iterator[str]:
    """Yield one JSON line (with its newline) per dated happening: the PLOVER JSONL file."""
    coder = f"graphbuilder {package_version()}"
    for event in events:
        if event.day is not None:
            yield json.dumps(plover_record(event, coder), ensure_ascii=False) + "\n"


# -- the TSV -------------------------------------------------------------------------------


def tsv_row(event: HappeningEvent) -> list[str]:
    """Return the TSV cells of one happening (unescaped), in the order of TSV_COLUMNS."""
    first = event.reports[0] if event.reports else None
    cells = (
        event.id,
        event.day,
        event.agent.label,
        event.agent.sector,
        event.agent.code,
        term_label(event.relation),
        event.plover,
        event.mode,
        event.cameo,
        event.quad or None,
        event.target.label,
        event.target.sector,
        event.target.code,
        event.report_count,
        event.source_count,
        event.confidence,
        event.first_reported,
        first.article if first else None,
        (first.sentence or first.evidence) if first else None,
        (first.url or first.source) if first else None,
    )
    return ["" if cell is None else str(cell) for cell in cells]


def events_tsv_lines(events: Iterable[HappeningEvent]) -> Iterator[str]:
    """Yield the TSV's lines (with their newlines): the header, then one row per happening.

    Tabs, newlines, carriage returns and backslashes in a value are written as \\t, \\n,
    \\r and \\\\, so every row is one line of len(TSV_COLUMNS) fields.
    """
    yield "\t".join(TSV_COLUMNS) + "\n"
    for event in events:
        yield "\t".join(cell.translate(_TSV_ESCAPES) for cell in tsv_row(event)) + "\n"


# -- files ---------------------------------------------------------------------------------


def export_events(graph: Graph, output: Path | str, fmt: ExportFormat | str) -> EventExport:
    """Write the graph's happenings as PLOVER JSON Lines or the events TSV; say what was written.

    `output` "-" writes to standard output; a file is written atomically. A PLOVER record
    needs a date: happenings with no date and no dated report are counted in `undated`
    and left out of it (the TSV keeps them, with an empty date).
    """
    fmt = ExportFormat.of(fmt, "event export format")
    if fmt not in EVENT_FORMATS:
        raise UsageError(f"{fmt} is not an event format (expected one of {', '.join(EVENT_FORMATS)})")
    events = happening_events(graph)
    lines = plover_lines(events) if fmt == ExportFormat.plover else events_tsv_lines(events)
    output = Path(output)
    with output_file(output) as handle:
        for line in lines:
            handle.write(line.encode("utf-8"))
    undated = sum(1 for e in events if e.day is None) if fmt == ExportFormat.plover else 0
    return EventExport(output, len(events) - undated, undated)
