"""The closed choices of the library and the CLI: stores, output formats, shards.

Each is a `str` Enum, so a script may pass `Store.oxigraph` or plain "oxigraph" and the
two compare equal; the CLI offers exactly these values (Typer reads the Enum), and the
library functions that take one call `Choice.of` to turn a string into the member or
refuse it in one line. Nothing heavy is imported here: the CLI reads this module at
startup.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import NamedTuple, TypeVar

from .errors import GraphbuilderError, UsageError

_C = TypeVar("_C", bound="Choice")


class Choice(str, Enum):
    """A closed set of option values."""

    @classmethod
    def of(cls: type[_C], value: str, what: str, error: type[GraphbuilderError] = UsageError) -> _C:
        """Return the member whose value is `value`; raise `error` naming `what` otherwise."""
        try:
            return cls(value)
        except ValueError:
            raise error(f"unknown {what} {value!r} (expected one of {', '.join(cls.values())})") from None

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    def __str__(self) -> str:
        return self.value


class Store(Choice):
    """Where a build keeps its graph besides the graph files."""

    files = "files"  # graph files only, queried in memory with rdflib
    oxigraph = "oxigraph"  # also an embedded Oxigraph store in out/store/


class ResultFormat(Choice):
    """How `query` writes a result (--format); sparql/results.py says which fits which query.

    SELECT and ASK: a table, the W3C SPARQL results formats json, csv, tsv and xml, or
    jsonl (one JSON object per row). CONSTRUCT and DESCRIBE: those row formats list the
    triples, and the RDF formats of GraphFormat write the graph (xml: RDF/XML).
    """

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"
    xml = "xml"
    turtle = "turtle"
    ntriples = "ntriples"
    nquads = "nquads"
    trig = "trig"
    jsonld = "jsonld"
    ttl = "ttl"  # turtle, as earlier versions named it
    nt = "nt"  # ntriples, as earlier versions named it


class GraphFormat(Choice):
    """The RDF formats the graph of a CONSTRUCT or DESCRIBE query is written in (xml: RDF/XML)."""

    turtle = "turtle"
    ntriples = "ntriples"
    nquads = "nquads"
    trig = "trig"
    jsonld = "jsonld"
    xml = "xml"
    ttl = "ttl"  # turtle
    nt = "nt"  # ntriples


class StatsFormat(Choice):
    """How graph statistics are written."""

    table = "table"
    json = "json"


class PathFormat(Choice):
    """How a chain of relations between two actors is written."""

    text = "text"
    json = "json"


class ExportFormat(Choice):
    """What `export` writes: the actor network as GraphML or GEXF (Gephi, Cytoscape, yEd) or
    CSV, or the events counted once as PLOVER JSON Lines or an ICEWS-style TSV."""

    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"
    plover = "plover"
    events_tsv = "events-tsv"


class Period(Choice):
    """The periods a timeline counts events in (a week is named by its Monday)."""

    week = "week"
    month = "month"
    year = "year"


class TimelineFormat(Choice):
    """How a timeline is written: rows (table, json, csv, tsv) or a stacked bar chart (png, svg)."""

    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    png = "png"
    svg = "svg"


class ReportFormat(Choice):
    """How an evaluation report is written."""

    table = "table"
    json = "json"


class Shard(NamedTuple):
    """Part `index` of `count` (1 <= index <= count) of a build's inputs; written "I/N"."""

    # The fields hide tuple's index() and count() methods, which a shard has no use for.
    index: int  # type: ignore[assignment]
    count: int  # type: ignore[assignment]

    @classmethod
    def of(cls, shard: Shard | tuple[int, int] | str) -> Shard:
        """Return `shard` ("I/N" or a pair) as a Shard; raise UsageError when it is not one."""
        pair: tuple[int, ...] | None
        if isinstance(shard, str):
            match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", shard)
            pair = (int(match.group(1)), int(match.group(2))) if match else None
        else:
            pair = tuple(shard) if isinstance(shard, tuple) and len(shard) == 2 else None
        if pair is None or not all(isinstance(n, int) for n in pair) or not 1 <= pair[0] <= pair[1]:
            raise UsageError(f"--shard {_shown(shard)!r} is not I/N with 1 <= I <= N (for example 2/4)")
        return cls(*pair)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def _shown(shard: object) -> str:
    return "/".join(map(str, shard)) if isinstance(shard, tuple) else str(shard)


class Scheduler(NamedTuple):
    """Where a build extracts: a running Dask scheduler's `address`, or a local cluster of
    `workers` processes (None: one per core); written "tcp://HOST:PORT", "local" or "local:N"."""

    address: str | None = None
    workers: int | None = None

    @classmethod
    def of(cls, spec: Scheduler | str) -> Scheduler:
        """Return `spec` as a Scheduler; raise UsageError when it is none of the three forms."""
        if isinstance(spec, Scheduler):
            return spec
        text = str(spec).strip()
        local = re.fullmatch(r"local(?::(\d+))?", text)
        if local:
            count = int(local.group(1)) if local.group(1) is not None else None
            if count == 0:
                raise UsageError(f"--scheduler {text}: a local cluster needs 1 worker process or more")
            return cls(workers=count)
        if re.fullmatch(r"(tcp|tls|ws|wss)://[^\s/:]+(:\d+)?/?", text) or re.fullmatch(
            r"(tcp|tls|ws|wss)://\[[0-9a-fA-F:]+\](:\d+)?/?", text
        ):
            return cls(address=text.rstrip("/"))
        raise UsageError(
            f"--scheduler {text!r} is not a Dask scheduler's address (tcp://HOST:PORT, as "
            "`dask scheduler` prints it), nor local or local:N (N worker processes on this machine)"
        )

    def __str__(self) -> str:
        if self.address is not None:
            return self.address
        return "local" if self.workers is None else f"local:{self.workers}"


#: Days after an act within which an undated report of it joins it (rdf/happenings.py).
DEFAULT_EVENT_WINDOW = 3


def event_window(value: str | int | None) -> int | None:
    """Return an event window in days from "N" (0 or more) or "off" (None: no merging).

    Raises UsageError on anything else.
    """
    if value is None or (isinstance(value, str) and value.strip().lower() == "off"):
        return None
    text = str(value).strip()
    if not text.isdigit() or int(text) > 366:
        raise UsageError(
            f"--event-window {value}: give a number of days (0 to 366) or off, "
            "to count every report as its own event"
        )
    return int(text)
