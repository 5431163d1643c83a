"""Where the graph lives on disk: writing graph.ttl / graph.trig / graph.jsonld, reading them back.

Output is byte-identical for the same dataset in any Python process. rdflib's Turtle
writer sorts what it writes, but its TriG and JSON-LD writers follow the store's set
order, which changes with PYTHONHASHSEED; so TriG is put together here from one sorted
Turtle block per named graph, and JSON-LD is reordered after rdflib writes it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef

from .errors import GraphNotFoundError, GraphParseError
from .fileio import write_text_atomically
from .rdf import DEFAULT_BASE, bind_prefixes

GRAPH_FILES = ("graph.ttl", "graph.trig", "graph.jsonld")

# Not ".json": that is the extraction format, not RDF.
_FORMATS = {".trig": "trig", ".ttl": "turtle", ".nt": "nt", ".nq": "nquads",
            ".jsonld": "json-ld"}


# -- writing ------------------------------------------------------------------------------


def write_graph_files(ds: Dataset, directory: Path) -> dict[str, Path]:
    """Write graph.ttl, graph.trig and graph.jsonld into `directory`; return name -> path.

    graph.trig holds the named graphs only (one per article); graph.ttl and graph.jsonld
    the merged view. The JSON-LD's @context is an inline object, so reading the file
    never fetches anything.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    merged = merged_graph(ds)
    contents = {
        "graph.ttl": merged.serialize(format="turtle"),
        "graph.trig": serialize_trig(ds),
        "graph.jsonld": serialize_jsonld(merged),
    }
    paths: dict[str, Path] = {}
    for name, text in contents.items():
        paths[name] = directory / name
        write_text_atomically(paths[name], text)
    return paths


def merged_graph(ds: Dataset | Graph) -> Graph:
    """Return a new Graph of every distinct triple in `ds`, with `ds`'s prefixes bound.

    The one place the union of a Dataset's graphs is taken: it reads the quads of every
    graph, since Dataset.triples() sees only the default graph unless the Dataset was
    opened with default_union=True.
    """
    merged = Graph()
    _copy_prefixes(ds, merged)
    triples = ds.quads((None, None, None, None)) if ds.context_aware else ds
    for triple in sorted({(s, p, o) for s, p, o, *_ in triples}):
        merged.add(triple)
    return merged


def _copy_prefixes(source: Graph, target: Graph) -> None:
    bind_prefixes(target, _instance_base(source))
    ours = {prefix for prefix, _ in target.namespaces()}
    others = sorted((prefix, str(namespace)) for prefix, namespace in source.namespaces()
                    if prefix and prefix not in ours)
    used = _used_namespaces(source, [namespace for _, namespace in others])
    for prefix, namespace in others:
        if namespace in used:
            target.bind(prefix, URIRef(namespace), override=False)


def _instance_base(graph: Graph) -> str:
    for prefix, namespace in graph.namespaces():
        if prefix == "inst":
            return str(namespace)
    return DEFAULT_BASE


def _used_namespaces(graph: Graph, namespaces: list[str]) -> set[str]:
    """Return those of `namespaces` that some IRI in `graph` starts with.

    rdflib binds dozens of well-known prefixes on every graph: only those in use should
    reach a file's header or @context.
    """
    iris = {str(term) for triple in graph.triples((None, None, None)) for term in triple
            if isinstance(term, URIRef)}
    iris |= {str(o.datatype) for o in graph.objects() if isinstance(o, Literal) and o.datatype}
    return {ns for ns in namespaces if any(iri.startswith(ns) for iri in iris)}


def serialize_trig(ds: Dataset) -> str:
    """Return TriG text of `ds`'s named graphs, in IRI order, each block sorted."""
    blocks: list[str] = []
    prefix_lines: set[str] = set()
    default_id = ds.default_graph.identifier
    for graph in sorted(ds.graphs(), key=lambda g: str(g.identifier)):
        if graph.identifier == default_id or len(graph) == 0:
            continue
        single = Graph()
        bind_prefixes(single, _instance_base(ds))
        for triple in sorted(graph):
            single.add(triple)
        # split("\n"), not splitlines(): that also breaks at \r, \x0c, \u2028 ..., which
        # may stand unescaped inside a literal. Only the leading lines are the prefixes: a
        # line of a long literal may start with "@prefix" too.
        body = single.serialize(format="turtle").split("\n")
        while body and (body[0].startswith("@prefix") or not body[0].strip()):
            if body[0].startswith("@prefix"):
                prefix_lines.add(body[0])
            body.pop(0)
        while body and not body[-1].strip():
            body.pop()
        # Not indented: a line break inside a """long literal""" is part of its text, so
        # indenting every line would change the literal in graph.trig but not in graph.ttl.
        text = "\n".join(body)
        blocks.append(f"{graph.identifier.n3()} {{\n{text}\n}}\n")
    header = "\n".join(sorted(prefix_lines))
    return f"{header}\n\n" + "\n".join(blocks) if blocks else f"{header}\n"


def jsonld_context(graph: Graph) -> dict[str, str]:
    """Return the inline JSON-LD @context: the graph's bound prefixes that it uses."""
    bound = sorted((prefix, str(namespace)) for prefix, namespace in graph.namespaces() if prefix)
    used = _used_namespaces(graph, [namespace for _, namespace in bound])
    return {prefix: namespace for prefix, namespace in bound if namespace in used}


def serialize_jsonld(graph: Graph) -> str:
    """Return compact JSON-LD of `graph` with a local @context, nodes and values sorted."""
    text = graph.serialize(format="json-ld", context=jsonld_context(graph), auto_compact=True)
    document = json.loads(text)
    return json.dumps(_sorted_jsonld(document), indent=2, sort_keys=True,
                      ensure_ascii=False) + "\n"


def _sorted_jsonld(value: object) -> object:
    # The data has no @list, so the order of arrays carries no meaning: sort them.
    if isinstance(value, dict):
        return {key: (item if key == "@context" else _sorted_jsonld(item))
                for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted_jsonld(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True,
                                                         ensure_ascii=False))
    return value


# -- reading ------------------------------------------------------------------------------


def load_dataset(path: Path | str) -> Dataset:
    """Return the Dataset (default_union=True) stored at `path`.

    `path` is an output folder (its Oxigraph store when it has one, else graph.trig,
    else graph.ttl), an Oxigraph store folder, or one .trig, .ttl, .nt, .nq or .jsonld
    file. A store is not read into memory: the Dataset looks its triples up in the store
    and SPARQL on it runs on Oxigraph (see oxigraph_store.py). Raises GraphNotFoundError when there is nothing to read
    and GraphParseError (with the line, when the parser gives one) on a malformed file.
    """
    path = Path(path)
    from .oxigraph_store import find_store, open_dataset
    store_dir = find_store(path)
    if store_dir is not None:
        return open_dataset(store_dir)
    file = _graph_file(path)
    fmt = _FORMATS.get(file.suffix.lower())
    if fmt is None:
        raise GraphParseError(f"cannot tell the RDF format from the file extension "
                              f"(expected one of {', '.join(sorted(_FORMATS))})", path=file)
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
                    "contexts; put the context in the file as a JSON object", path=file)
            stack.append(item)


def _graph_file(path: Path) -> Path:
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
    if hasattr(exc, "_why") and hasattr(exc, "_i"):            # notation3.BadSyntax
        # Its `lines` counter drifts inside TriG graph blocks; the offset does not.
        text, offset = getattr(exc, "_str", b""), int(exc._i)
        newline = b"\n" if isinstance(text, bytes) else "\n"
        line = text[:offset].count(newline) + 1 if text else int(exc.lines) + 1
        column = offset - (text.rfind(newline, 0, offset) + 1) + 1 if text else None
        reason = str(exc._why)
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
