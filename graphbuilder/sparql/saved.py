"""Saved queries: the .rq files shipped in graphbuilder/queries, and naming a query.

A query is given as inline SPARQL, a path to a .rq file, or the name of a saved query;
a saved query's comment header gives its title, description and parameters.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from ..errors import ParamError, QueryError, UsageError
from ..model import NameIndex
from ..resources import saved_queries_dir
from .results import QueryResult

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
# Bindings that set the row window of a query's own LIMIT / OFFSET clause (SPARQL has
# no variables there). The long lists (relations, timeline, roles) come a page at a time.
PAGE_PARAMS = ("limit", "offset")


@dataclass
class SavedQuery:
    """A query shipped in graphbuilder/queries: its name, title, description and SPARQL."""

    name: str
    title: str
    description: str
    text: str
    params: list[QueryParam] = field(default_factory=list)


@dataclass
class QueryParam:
    """A variable a saved query lets the caller bind (`--param NAME=VALUE`), with its default."""

    name: str
    meaning: str
    default: str | None = None
    actor: bool = False  # an actor's name, matched as model.NameIndex matches (`[actor]` in the header)


def bind_page(
    sparql: str, bindings: dict[str, object], source: str = "query"
) -> tuple[str, dict[str, object]]:
    """Return `sparql` with `limit`/`offset` bindings put into its LIMIT/OFFSET clause.

    The value must be a whole number of rows (0 or more); only its digits reach the
    query text, so it cannot change what the query does. The query must have exactly
    one such clause (the page's, in the saved list queries). A query that declares
    `VALUES ?limit` keeps the binding as an ordinary one. Returns the other bindings.
    """
    rest = dict(bindings)
    for name in PAGE_PARAMS:
        if name not in rest or re.search(r"VALUES\s+\?" + name + r"\b", sparql, re.IGNORECASE):
            continue
        value = rest.pop(name)
        text = str(value).strip()
        if not text.isdigit():
            raise ParamError(f"--param {name}={value} is not a whole number of rows (0 or more)", path=source)
        clause = re.compile(r"\b" + name + r"\s+\d+\b", re.IGNORECASE)
        if len(clause.findall(sparql)) != 1:
            raise ParamError(
                f"--param {name} needs a query with one {name.upper()} clause to "
                "set (the saved list queries have one)",
                path=source,
            )
        sparql = clause.sub(f"{name.upper()} {int(text)}", sparql)
    _check_names(sparql, rest, source)
    return sparql, rest


_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def _check_names(sparql: str, bindings: dict[str, object], source: str) -> None:
    """Raise QueryError for a binding whose variable the query never uses: a misspelt
    name would otherwise leave the query's own default in place, and answer for it."""
    used = set(_VARIABLE.findall(sparql))
    unknown = sorted(name for name in bindings if name not in used)
    if not unknown:
        return
    saved = next((q for q in list_saved_queries() if q.name == source), None)
    if saved is not None:
        known = [p.name for p in saved.params]
        if re.search(r"\bLIMIT\s+\d+", sparql, re.IGNORECASE):
            known += [p for p in PAGE_PARAMS if p not in known]
        what = f"its parameters are {', '.join(known)}" if known else "it takes no parameters"
    else:
        what = (
            f"its variables are {', '.join('?' + v for v in sorted(used))}" if used else "it has no variables"
        )
    close = difflib.get_close_matches(unknown[0], sorted(used | set(PAGE_PARAMS)), n=1)
    hint = f"; did you mean {close[0]}?" if close else ""
    raise ParamError(f"the query has no ?{unknown[0]} to bind ({what}){hint}", path=source)


#: Every actor's label and aliases, to match the names given to a saved query's actor parameters.
ACTOR_NAMES = """PREFIX gb:   <https://w3id.org/graphbuilder/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?actor ?label ?alias WHERE {
  ?actor a gb:Actor ; rdfs:label ?label .
  OPTIONAL { ?actor gb:alias ?alias }
}"""


def resolve_actor_names(
    bindings: dict[str, object], source: str, ask: Callable[[str], QueryResult]
) -> dict[str, object]:
    """Return `bindings` with each actor parameter of the saved query `source` set to the
    label of the actor its value names (any case, accents optional, or an alias).

    `ask(sparql)` runs a query where the saved query will run (the local graph or an
    endpoint). Raises UsageError for a name no actor has, with the closest ones, or that
    several actors share. An IRI value is left as it is; queries that are not saved have
    no actor parameters.
    """
    saved = next((q for q in list_saved_queries() if q.name == source), None)
    actors = {p.name for p in saved.params if p.actor} if saved else set()
    wanted = {
        k: v for k, v in bindings.items() if k in actors and isinstance(v, str) and not isinstance(v, URIRef)
    }
    if not wanted:
        return bindings
    names: dict[str, tuple[str, set[str]]] = {}
    for actor, label, alias in ask(ACTOR_NAMES).rows:
        entry = names.setdefault(str(actor), (str(label), set()))
        if alias is not None:
            entry[1].add(str(alias))
    index = NameIndex((actor, label, aliases) for actor, (label, aliases) in sorted(names.items()))
    resolved = dict(bindings)
    for name, value in wanted.items():
        try:
            resolved[name] = names[index.find(str(value))][0]
        except UsageError as exc:
            raise ParamError(f"--param {name}: {exc.message}", path=source) from None
    return resolved


def _saved_query(path: Path) -> SavedQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params: list[QueryParam] = []
    key = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comment = line[1:].strip()
        match = re.match(r"^(title|description):\s*(.*)$", comment)
        param = re.match(
            r'^param:\s*(\w+)\s*(\[actor\])?\s+[—-]+\s+(.*?)\s*(?:\(default "(.*)"\))?\s*$', comment
        )
        if match:
            key = match.group(1)
            meta[key] = match.group(2)
        elif param:
            params.append(QueryParam(param.group(1), param.group(3), param.group(4), bool(param.group(2))))
            key = None
        elif key and comment:  # an indented continuation of the last field
            meta[key] += " " + comment
    return SavedQuery(
        name=path.stem,
        title=meta.get("title", path.stem),
        description=meta.get("description", ""),
        text=text,
        params=params,
    )


def list_saved_queries() -> list[SavedQuery]:
    """Return the saved queries shipped with graphbuilder, sorted by name."""
    return [_saved_query(p) for p in sorted(saved_queries_dir().glob("*.rq"))]


def resolve_query(arg: str) -> str:
    """Return the SPARQL text that `arg` stands for: inline SPARQL, a .rq file, or a saved name."""
    return read_query(arg)[0]


def read_query(arg: str) -> tuple[str, str]:
    """Return (SPARQL text, source name) for `arg`: inline SPARQL, a .rq file or a saved name.

    The source name is what error messages put before the line and column: the file as
    given, the saved query's name, or "query" for inline text.
    """
    if _NAME.match(arg) and not arg.endswith(".rq"):
        for saved in list_saved_queries():
            if saved.name == arg:
                return saved.text, saved.name
        if not _is_file(Path(arg)):
            names = ", ".join(q.name for q in list_saved_queries())
            raise QueryError(
                f"no saved query named {arg!r}: the saved queries are {names} "
                "(or give SPARQL text or a .rq file)"
            )
    path = Path(arg)
    if "\n" not in arg and (arg.endswith(".rq") or arg.endswith(".sparql") or _is_file(path)):
        if not path.is_file():
            raise QueryError("no such query file", path=arg)
        try:
            return path.read_text(encoding="utf-8"), arg
        except UnicodeDecodeError as exc:
            raise QueryError(
                f"the query file is not UTF-8 text (byte {exc.start}); save it as UTF-8", path=arg
            ) from None
        except OSError as exc:
            raise QueryError(f"cannot read the query file: {exc.strerror or exc}", path=arg) from None
    return arg, "query"


def _is_file(path: Path) -> bool:
    """Return whether `path` names a file; False for text no path can be (a long query)."""
    try:
        return path.is_file()
    except (OSError, ValueError):  # a name too long for the file system, a NUL byte
        return False
