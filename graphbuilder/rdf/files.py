"""Where the graph lives on disk: writing graph.ttl / graph.trig / graph.jsonld, reading them back.

Output is byte-identical for the same dataset in any Python process: the quads are
sorted here and written by Oxigraph's serializers (rdflib's took longer than parsing
the articles), JSON-LD compacted to the project's prefixes with its @context inline.
Reading is rdflib's (or the Oxigraph store's, when a build wrote one).
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterable, Set
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from rdflib import Dataset, Graph

from ..errors import GraphNotFoundError, GraphParseError
from ..fileio import atomic_file
from ..generation import check_generation
from .mapping import copy_prefixes
from .oxigraph import find_store, open_dataset
from .terms import memoized, to_oxigraph

GRAPH_FILES = ("graph.ttl", "graph.trig", "graph.jsonld")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# Not ".json": that is the extraction format, not RDF.
_FORMATS = {".trig": "trig", ".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld"}


# -- writing ------------------------------------------------------------------------------


def write_graph_files(ds: Dataset, directory: Path) -> dict[str, Path]:
    """Write graph.ttl, graph.trig and graph.jsonld into `directory`; return name -> path.

    graph.trig holds the named graphs only (one per article); graph.ttl and graph.jsonld
    the merged view. The JSON-LD's @context is an inline object, so reading the file
    never fetches anything. Oxigraph's serializers write them (rdflib's took longer than
    parsing the articles did), from quads sorted here, so the files are the same bytes
    for the same dataset in any process.
    """
    import pyoxigraph as ox

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    quads = _sorted_quads(ds)
    triples = _distinct_triples(quads)
    prefixes = _used_prefixes(ds, triples, {q[3].value for q in quads})
    paths = {name: directory / name for name in GRAPH_FILES}
    # Written as they are made, never whole in memory (a year of news is a big graph).
    with atomic_file(paths["graph.ttl"]) as handle:
        ox.serialize((ox.Triple(*t) for t in triples), handle, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    with atomic_file(paths["graph.trig"]) as handle:
        ox.serialize((ox.Quad(*q) for q in quads), handle, format=ox.RdfFormat.TRIG, prefixes=prefixes)
    with atomic_file(paths["graph.jsonld"]) as handle:
        write_jsonld(triples, prefixes, handle)
    return paths


def _sorted_quads(ds: Dataset) -> list[tuple]:
    """Return the named graphs' quads as pyoxigraph terms, sorted by graph, s, p, o."""

    default_id = ds.default_graph.identifier
    term = memoized(to_oxigraph)
    quads = [
        (term(s), term(p), term(o), term(name))
        for s, p, o, g in ds.quads((None, None, None, None))
        if (name := getattr(g, "identifier", g)) is not None and name != default_id
    ]
    # Sorted by the terms' N-Triples text, which Oxigraph makes fast.
    text: dict = {}
    for quad in quads:
        for value in quad:
            if value not in text:
                text[value] = str(value)
    return sorted(quads, key=lambda q: (text[q[3]], text[q[0]], text[q[1]], text[q[2]]))


def _distinct_triples(quads: list[tuple]) -> list[tuple]:
    """Return the distinct (s, p, o) of sorted quads, sorted."""
    return sorted({q[:3] for q in quads}, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))


def _used_prefixes(ds: Dataset, triples: list[tuple], names: Set[str] = frozenset()) -> dict[str, str]:
    """Return the project's prefixes (and any others bound on `ds`) that the data uses."""
    import pyoxigraph as ox

    bound = Graph()
    copy_prefixes(ds, bound)
    iris = {term.value for triple in triples for term in triple if isinstance(term, ox.NamedNode)}
    iris |= {term.datatype.value for _, _, term in triples if isinstance(term, ox.Literal)}
    iris |= names
    used = {}
    for prefix, namespace in sorted((p, str(n)) for p, n in bound.namespaces() if p):
        if any(iri.startswith(namespace) for iri in iris):
            used[prefix] = namespace
    return used


def write_jsonld(triples: Iterable[tuple], prefixes: dict[str, str], handle: BinaryIO) -> None:
    """Write compact JSON-LD of sorted `triples` to `handle`, `prefixes` as its @context."""
    writer = JsonLdWriter(handle, prefixes)
    for subject, group in itertools.groupby(triples, key=lambda t: t[0]):
        writer.node(subject, group)
    writer.close()


class JsonLdWriter:
    """Compact JSON-LD written node by node: one node object per subject, one per line.

    Given the subjects in sorted order (each with its sorted triples), the same triples
    give the same bytes. IRIs under a prefix are written prefix:name, rdf:type as @type,
    xsd:string literals as plain values. `close` ends the document.
    """

    def __init__(self, handle: BinaryIO, prefixes: dict[str, str]) -> None:
        self.handle, self.first = handle, True
        # Bounded: the IRIs of events and roles are many, each seen a few times.
        self._compact = lru_cache(maxsize=50_000)(self._shorten)
        self.by_length = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        context = json.dumps(dict(sorted(prefixes.items())), indent=2, ensure_ascii=False)
        handle.write(
            ('{\n  "@context": ' + context.replace("\n", "\n  ") + ',\n  "@graph": [').encode("utf-8")
        )

    def node(self, subject, triples: Iterable) -> None:
        """Write the node object of `subject` from its triples (or quads) with that subject."""
        import pyoxigraph as ox

        node: dict = {
            "@id": f"_:{subject.value}" if isinstance(subject, ox.BlankNode) else self._compact(subject.value)
        }
        for triple in triples:
            predicate, obj = triple[1], triple[2]
            if predicate.value == _RDF_TYPE and isinstance(obj, ox.NamedNode):
                node.setdefault("@type", []).append(self._compact(obj.value))
            else:
                node.setdefault(self._compact(predicate.value), []).append(self._value(obj))
        line = json.dumps(node, sort_keys=True, ensure_ascii=False)
        self.handle.write((("\n    " if self.first else ",\n    ") + line).encode("utf-8"))
        self.first = False

    def close(self) -> None:
        self.handle.write(("\n  ]\n}\n" if not self.first else "]\n}\n").encode("utf-8"))

    def _shorten(self, iri: str) -> str:
        for prefix, namespace in self.by_length:
            if (
                iri.startswith(namespace)
                and len(iri) > len(namespace)
                and not iri[len(namespace) :].startswith("//")
            ):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    def _value(self, term) -> dict:
        import pyoxigraph as ox

        if isinstance(term, ox.NamedNode):
            return {"@id": self._compact(term.value)}
        if isinstance(term, ox.BlankNode):
            return {"@id": f"_:{term.value}"}
        if term.language:
            return {"@language": term.language, "@value": term.value}
        if term.datatype.value == _XSD_STRING:
            return {"@value": term.value}
        return {"@type": self._compact(term.datatype.value), "@value": term.value}


# -- reading ------------------------------------------------------------------------------


def load_dataset(path: Path | str) -> Dataset:
    """Return the Dataset (default_union=True) stored at `path`.

    `path` is an output folder (its Oxigraph store when it has one, else graph.trig,
    else graph.ttl), an Oxigraph store folder, or one .trig, .ttl, .nt, .nq or .jsonld
    file. A store is not read into memory: the Dataset looks its triples up in the store
    and SPARQL on it runs on Oxigraph (see rdf/oxigraph.py). Raises GraphNotFoundError when
    there is nothing to read and GraphParseError (with the line, when the parser gives one)
    on a malformed file.
    """
    path = Path(path)
    store_dir = find_store(path)
    if store_dir is not None:
        check_generation(store_dir.parent)  # graph files and store of one build, or refused
        return open_dataset(store_dir)
    file = graph_file(path)
    check_generation(file.parent, reading=file)
    fmt = _FORMATS.get(file.suffix.lower())
    if fmt is None:
        raise GraphParseError(
            f"cannot tell the RDF format from the file extension "
            f"(expected one of {', '.join(sorted(_FORMATS))})",
            path=file,
        )
    ds = Dataset(default_union=True)
    try:
        if fmt == "json-ld":
            data = file.read_bytes()
            _refuse_remote_contexts(json.loads(data), file)
            ds.parse(data=data, format=fmt, publicID=file.resolve().as_uri())
        else:
            ds.parse(file, format=fmt)
    except GraphParseError:
        raise
    except Exception as exc:  # rdflib's parsers raise many unrelated exception types
        raise _parse_error(exc, file, fmt) from None
    return ds


def _refuse_remote_contexts(document: object, file: Path) -> None:
    """Raise GraphParseError if the JSON-LD `document` refers to a context elsewhere.

    rdflib fetches a @context or @import given as a URL (or a path) while it parses, so
    reading a graph file could reach the network. Every @context and @import is checked,
    at any depth (scoped contexts in term definitions too), before rdflib sees the file.
    """
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(value)
            continue
        if not isinstance(value, dict):
            continue
        for key, item in value.items():
            contexts = item if key == "@context" and isinstance(item, list) else [item]
            remote = next((c for c in contexts if isinstance(c, str)), None)
            if key in ("@context", "@import") and remote is not None:
                raise GraphParseError(
                    f"the JSON-LD {key} refers to {remote!r}: graphbuilder never fetches "
                    "contexts; put the context in the file as a JSON object",
                    path=file,
                )
            stack.append(item)


def graph_file(path: Path) -> Path:
    """Return the graph file `path` names (an output folder's graph.trig, else graph.ttl, or
    the file itself); raise GraphNotFoundError when there is none."""
    if path.is_dir():
        for name in ("graph.trig", "graph.ttl"):
            if (path / name).is_file():
                return path / name
        raise GraphNotFoundError(f"no graph at {path}: run `graphbuilder build` first")
    if not path.is_file():
        raise GraphNotFoundError(f"no graph at {path}: run `graphbuilder build` first")
    return path


def _parse_error(exc: Exception, file: Path, fmt: str) -> GraphParseError:
    line: int | None = None
    column: int | None = None
    reason = str(exc).strip()
    from rdflib.plugins.parsers.notation3 import BadSyntax

    if isinstance(exc, BadSyntax):  # Turtle and TriG
        # Its `lines` counter drifts inside TriG graph blocks; the offset does not. The
        # offset counts characters of the input, which BadSyntax keeps encoded as UTF-8;
        # it is -1 when the input ended too soon.
        text, offset = exc._str.decode("utf-8", errors="replace"), exc._i
        if not 0 <= offset <= len(text):
            offset = len(text)
        line = text.count("\n", 0, offset) + 1 if text else exc.lines + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1 if text else None
        reason = str(exc._why)
    elif isinstance(exc, IndexError) and fmt in ("turtle", "trig"):
        # rdflib's Turtle parser reads past the end of an input cut off mid-statement.
        text = file.read_text(encoding="utf-8", errors="replace").rstrip()
        line = text.count("\n") + 1
        column = len(text) - (text.rfind("\n") + 1) + 1
        reason = "the file ends inside a statement"
    elif isinstance(exc, json.JSONDecodeError):
        line, column, reason = exc.lineno, exc.colno, exc.msg
    elif isinstance(exc, UnicodeDecodeError):
        reason = f"the file is not UTF-8 text (byte {exc.start})"
    elif isinstance(exc, RecursionError):
        reason = "the JSON is nested too deeply"
    elif fmt in ("nt", "nquads"):
        line = _first_bad_line(file, fmt)
    else:
        match = re.search(r"\bline[: ]+(\d+)", reason)
        line = int(match.group(1)) if match else getattr(exc, "lineno", None)
    reason = reason.splitlines()[0].rstrip(" :") if reason else type(exc).__name__
    return GraphParseError(f"not valid {fmt}: {reason}", path=file, line=line, column=column)


def _first_bad_line(file: Path, fmt: str) -> int | None:
    """Return the number of the first line that does not parse alone (line-based formats)."""
    with open(file, encoding="utf-8", errors="replace") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            try:
                Dataset().parse(data=text, format=fmt)
            except Exception:
                return number
    return None
