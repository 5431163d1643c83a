"""Plain data that flows between the stages: documents, actors, roles, relations.

The JSON form is the extraction format of ``shared/corpus/SCHEMA.md``: one object per
article, readable whether or not it carries the optional fields this project adds
(character offsets, sentence, confidence, rule).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, overload

from .errors import ExtractionFormatError, UsageError

ACTOR_TYPES = ("Person", "Country", "Organization", "Group", "Location")
ROLE_TYPES = ("head_of_state", "head_of_government", "minister", "ambassador", "spokesperson", "official")
PREDICATES = (
    "condemned",
    "invited",
    "urged",
    "met",
    "supported",
    "threatened",
    "sanctioned",
    "accused",
    "agreed_with",
    "attacked",
)

#: An article id: a slug of letters, digits, ".", "_" and "-" that starts with a letter or
#: digit and does not end in "." (a Turtle local name cannot end in one).
_ID_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9_-])?")
#: A Wikidata entity id ("Q30"); ASCII digits only, as it becomes part of an IRI.
_WIKIDATA_RE = re.compile(r"Q[1-9][0-9]*")
ID_RULE = (
    'a slug of letters, digits, ".", "_" or "-" that starts with a letter or digit and does not end in "."'
)


def is_article_id(value: object) -> bool:
    """Return whether `value` may be an article id (see ID_RULE)."""
    return isinstance(value, str) and _ID_RE.fullmatch(value) is not None


def parse_iso_date(value: str, *, what: str = "date") -> str:
    """Return `value` if it is a real YYYY-MM-DD date, else raise ValueError."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"{what} {value!r} is not a YYYY-MM-DD date")
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a real calendar date") from None
    return value


def parse_event_date(value: str, *, what: str = "date") -> str:
    """Return `value` if it is a real YYYY-MM-DD date or a YYYY-MM month, else raise ValueError."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
        return value
    try:
        return parse_iso_date(value, what=what)
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a YYYY-MM-DD date or a YYYY-MM month") from None


def name_key(name: str) -> tuple[str, ...]:
    """Return a person name as comparable words, whatever its hyphens, case, dots and accents.

    "Kim Jong-un" and "Kim Jong Un" give one key; so do "Faure Gnassingbé" and "Faure Gnassingbe".
    """
    return tuple(re.sub(r"[-‐‑]", " ", fold_accents(name)).lower().replace(".", "").split())


class NameIndex:
    """Actors found by the names users type: a label or an alias, any case, accents optional.

    One rule for every command that takes an actor's name (`path`, `viz --focus`, the
    saved queries' actor parameters): the exact label wins; then a label written with
    other case, accents, hyphens or dots ("china", "Gnassingbe", "Kim Jong Un"); then an
    alias the same way. `find` raises UsageError for a name no actor has (suggesting the
    closest) or one several actors share (naming them).
    """

    def __init__(self, actors: Iterable[tuple[str, str, Iterable[str]]]) -> None:
        """`actors` gives (key, label, aliases) per actor; `find` returns the key."""
        self._exact: dict[str, set[str]] = {}
        self._folded: dict[str, set[str]] = {}
        self._aliases: dict[str, set[str]] = {}
        self._label_of: dict[str, str] = {}
        for key, label, aliases in actors:
            self._label_of[key] = label
            self._exact.setdefault(label, set()).add(key)
            self._folded.setdefault(_folded(label), set()).add(key)
            for alias in aliases:
                self._aliases.setdefault(_folded(alias), set()).add(key)

    def find(self, name: str, what: str = "actor") -> str:
        """Return the key of the one actor `name` stands for; UsageError otherwise."""
        wanted = _folded(name)
        for found in (self._exact.get(name.strip()), self._folded.get(wanted), self._aliases.get(wanted)):
            if found and len(found) == 1:
                return next(iter(found))
            if found:
                labels = ", ".join(sorted((self._label_of[k] for k in found), key=str.casefold))
                raise UsageError(
                    f"{what} {_shown(name)!r} names several actors ({labels}): give the full name"
                )
        names = {
            **{f: k for f, keys in self._aliases.items() for k in keys},
            **{f: k for f, keys in self._folded.items() for k in keys},
        }
        close = difflib.get_close_matches(wanted, sorted(names), n=10, cutoff=0.6)
        hints = list(dict.fromkeys(self._label_of[names[c]] for c in close))[:5]  # one per actor
        hint = (
            f"; did you mean {', '.join(repr(h) for h in hints)}?"
            if hints
            else "; `graphbuilder query actors` lists every actor"
        )
        raise UsageError(f"no {what} named {_shown(name)!r} in the graph{hint}")


def _folded(name: str) -> str:
    return " ".join(name_key(name))


def _shown(name: str) -> str:
    # Names come from the command line and from articles: one line, nothing that steers a terminal.
    return " ".join("".join(c if c.isprintable() else " " for c in name).split())


def clean_label(text: str) -> str:
    """Return an actor name or label without invisible control characters, in Unicode NFC.

    Zero-width and bidi controls and the other format (Cf) and control (Cc) characters
    except whitespace are dropped: they show nothing, yet would make two spellings of a
    name differ to every comparison (and a bidi override can make a label read backwards).
    NFC gives one text to the composed and decomposed forms of an accented letter.
    Every actor name, alias, holder, subject and object passes through here when made.
    """
    if text.isascii() and text.isprintable():  # nearly every name: nothing to drop
        return text
    kept = "".join(c for c in text if c.isspace() or unicodedata.category(c) not in ("Cf", "Cc"))
    return unicodedata.normalize("NFC", kept)


def fold_accents(text: str) -> str:
    """Return `text` without its accents: "António Gnassingbé" -> "Antonio Gnassingbe"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def accents(name: str) -> int:
    """Return how many accents `name` writes (combining marks once decomposed)."""
    return sum(1 for c in unicodedata.normalize("NFD", name) if unicodedata.combining(c))


def preferred_spelling(names: Iterable[str]) -> str:
    """Return the one of `names` (spellings of one name) to show, whatever order they come in.

    The spelling that writes the most accents wins: "Faure Gnassingbe" is "Faure
    Gnassingbé" typed without them, not another name. Among equals, the first in
    code-point order, so that the choice depends on the set of names alone.
    """
    return min(names, key=lambda name: (-accents(name), name))


@functools.lru_cache(maxsize=1 << 16)  # names recur in every article: IRIs are made often
def slugify(text: str) -> str:
    """Return a lowercase ASCII slug of `text` (letters, digits, single hyphens).

    Accents fold away ("António" -> "antonio"). Letters with no ASCII form (Москва,
    北京) would vanish and make different names collide, so when any letter or digit
    is lost the slug ends with a short hash of the exact name.
    """
    import hashlib

    folded = fold_accents(text)
    ascii_text = folded.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    lost = sum(c.isalnum() for c in folded) - sum(c.isalnum() for c in ascii_text)
    if lost or not slug:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        slug = f"{slug}-{digest}" if slug else digest
    return slug


@dataclass
class Document:
    """One article: its identity, metadata and plain-text body."""

    id: str
    text: str
    title: str = ""
    date: str | None = None  # publication date, YYYY-MM-DD
    source: str | None = None  # URL or description of where it came from
    publisher: str | None = None
    license: str | None = None
    path: str | None = None  # the file it was read from (not serialised)


@dataclass
class Actor:
    """A named participant: canonical name, one of ACTOR_TYPES, other surface forms."""

    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None  # a Wikidata entity ID such as "Q30", when known

    def __post_init__(self) -> None:
        self.name = clean_label(self.name)
        self.aliases = [alias for alias in map(clean_label, self.aliases) if alias]


@dataclass
class Evidence:
    """Where in the document a statement comes from: the text and its character span."""

    text: str
    start: int | None = None
    end: int | None = None
    sentence: str | None = None  # the whole sentence around `text`, when known


@dataclass
class Role:
    """A post held by a person: holder, one of ROLE_TYPES, whom they serve (`of`), where posted (`to`)."""

    holder: str
    role: str
    of: str | None = None
    to: str | None = None
    title: str | None = None  # the title as written: "US Representative to the United Nations"
    evidence: Evidence | None = None
    rule: str | None = None
    confidence: float | None = None  # set when world knowledge, not the text alone, gives the post

    def __post_init__(self) -> None:
        self.holder = clean_label(self.holder)
        self.of = clean_label(self.of) if self.of is not None else None
        self.to = clean_label(self.to) if self.to is not None else None


@dataclass
class Relation:
    """An asserted act of one actor towards another, with its date and evidence."""

    subject: str
    predicate: str
    object: str
    date: str | None = None  # when it happened: YYYY-MM-DD, or YYYY-MM for a month
    evidence: Evidence | None = None
    confidence: float | None = None
    rule: str | None = None

    def __post_init__(self) -> None:
        self.subject = clean_label(self.subject)
        self.object = clean_label(self.object)


@dataclass
class Link:
    """Words read as an actor without being its name ("Pyongyang", "she", "the Secretary-General")."""

    mention: str
    start: int
    end: int
    actor: str
    rule: str

    def __post_init__(self) -> None:
        self.actor = clean_label(self.actor)


@dataclass
class Extraction:
    """Everything extracted from one document."""

    document: Document
    actors: list[Actor] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    coreference: list[Link] = field(default_factory=list)

    def actor(self, name: str) -> Actor | None:
        """Return the actor with canonical name `name`, if any."""
        for actor in self.actors:
            if actor.name == name:
                return actor
        return None

    # -- JSON -------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """Return the extraction-format object for this extraction."""
        doc = self.document
        obj: dict[str, Any] = {"id": doc.id}
        for key in ("source", "publisher", "license", "date", "title"):
            value = getattr(doc, key)
            if value:
                obj[key] = value
        obj["text"] = doc.text
        obj["actors"] = [
            _drop_empty(
                {"name": a.name, "type": a.type, "aliases": list(a.aliases), "wikidata": a.wikidata},
                keep=("aliases",),
            )
            for a in self.actors
        ]
        obj["roles"] = [
            _drop_empty(
                {
                    "holder": r.holder,
                    "role": r.role,
                    "of": r.of,
                    "to": r.to,
                    "title": r.title,
                    **_evidence_json(r.evidence),
                    "confidence": r.confidence,
                    "rule": r.rule,
                }
            )
            for r in self.roles
        ]
        obj["relations"] = [
            _drop_empty(
                {
                    "subject": r.subject,
                    "predicate": r.predicate,
                    "object": r.object,
                    "date": r.date,
                    **_evidence_json(r.evidence),
                    "confidence": r.confidence,
                    "rule": r.rule,
                }
            )
            for r in self.relations
        ]
        if self.coreference:
            obj["coreference"] = [
                {"mention": c.mention, "start": c.start, "end": c.end, "actor": c.actor, "rule": c.rule}
                for c in self.coreference
            ]
        return obj


def _drop_empty(obj: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k in keep or v not in (None, "", [])}


def _evidence_json(evidence: Evidence | None) -> dict[str, Any]:
    if evidence is None:
        return {}
    return {
        "evidence": evidence.text,
        "start": evidence.start,
        "end": evidence.end,
        "sentence": evidence.sentence,
    }


def has_annotations(obj: dict[str, Any]) -> bool:
    """Return True when a JSON object is an extraction file rather than a bare article."""
    return any(key in obj for key in ("actors", "roles", "relations"))


def document_from_json(obj: Any, *, origin: str, default_date: str | None = None) -> Document:
    """Return the Document described by an article object; raise ExtractionFormatError if malformed."""
    if not isinstance(obj, dict):
        raise ExtractionFormatError("expected a JSON object for an article", path=origin)
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ExtractionFormatError('the article has no "text" (a non-empty string)', path=origin)
    doc_id = obj.get("id")
    if doc_id is None:
        raise ExtractionFormatError('the article has no "id"', path=origin)
    if not is_article_id(doc_id):
        raise ExtractionFormatError(f'"id" {doc_id!r} must be {ID_RULE}', path=origin)
    for key in ("title", "source", "publisher", "license", "date"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise ExtractionFormatError(f'"{key}" must be a string', path=origin)
    date = obj.get("date") or default_date
    if date:
        try:
            parse_iso_date(date, what='"date"')
        except ValueError as exc:
            raise ExtractionFormatError(str(exc), path=origin) from None
    return Document(
        id=doc_id,
        text=text,
        title=obj.get("title") or "",
        date=date or None,
        source=obj.get("source"),
        publisher=obj.get("publisher"),
        license=obj.get("license"),
        path=origin,
    )


def extraction_from_json(obj: Any, *, origin: str, default_date: str | None = None) -> Extraction:
    """Return the Extraction stored in an extraction-format object, checking its vocabularies."""
    document = document_from_json(obj, origin=origin, default_date=default_date)
    obj = _with_clean_names(obj)
    actors = [_actor(a, origin, i) for i, a in enumerate(_list(obj, "actors", origin))]
    names = {a.name for a in actors}
    roles = [_role(r, origin, i, names, document.text) for i, r in enumerate(_list(obj, "roles", origin))]
    relations = [
        _relation(r, origin, i, names, document.text) for i, r in enumerate(_list(obj, "relations", origin))
    ]
    links = [
        _link(c, origin, i, names, document.text) for i, c in enumerate(_list(obj, "coreference", origin))
    ]
    return Extraction(document=document, actors=actors, roles=roles, relations=relations, coreference=links)


def _with_clean_names(obj: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of an extraction-format object with `clean_label` applied to every
    actor name it holds, so that a relation names its actor exactly as the actor list does."""
    fields = {
        "actors": ("name", "aliases"),
        "roles": ("holder", "of", "to"),
        "relations": ("subject", "object"),
        "coreference": ("actor",),
    }

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return clean_label(value)
        return [clean(v) for v in value] if isinstance(value, list) else value

    cleaned = dict(obj)
    for key, names in fields.items():
        if isinstance(obj.get(key), list):
            cleaned[key] = [
                {k: clean(v) if k in names else v for k, v in item.items()}
                if isinstance(item, dict)
                else item
                for item in obj[key]
            ]
    return cleaned


def _link(item: Any, origin: str, index: int, names: set[str], text: str) -> Link:
    where = f"coreference[{index}]"
    mention = _str_field(item, "mention", where, origin)
    actor = _known(_name_field(item, "actor", where, origin), names, where, "actor", origin)
    start, end = _span(item.get("start"), item.get("end"), where, origin, text)
    return Link(
        mention=mention, start=start, end=end, actor=actor, rule=_str_field(item, "rule", where, origin)
    )


def _list(obj: dict[str, Any], key: str, origin: str) -> list[Any]:
    value = obj.get(key, [])
    if not isinstance(value, list):
        raise ExtractionFormatError(f'"{key}" must be a list', path=origin)
    return value


@overload
def _str_field(item: Any, key: str, where: str, origin: str, *, required: Literal[True] = ...) -> str: ...
@overload
def _str_field(item: Any, key: str, where: str, origin: str, *, required: bool) -> str | None: ...
def _str_field(item: Any, key: str, where: str, origin: str, *, required: bool = True) -> str | None:
    if not isinstance(item, dict):
        raise ExtractionFormatError(f"{where} must be a JSON object", path=origin)
    value = item.get(key)
    if value is None or value == "":
        if required:
            raise ExtractionFormatError(f'{where} has no "{key}"', path=origin)
        return None
    if not isinstance(value, str):
        raise ExtractionFormatError(f'{where}: "{key}" must be a string', path=origin)
    return value


def _actor(item: Any, origin: str, index: int) -> Actor:
    where = f"actors[{index}]"
    name = _name_field(item, "name", where, origin)
    actor_type = _str_field(item, "type", where, origin)
    if actor_type not in ACTOR_TYPES:
        raise ExtractionFormatError(
            f"{where}: unknown actor type {actor_type!r} (expected one of {', '.join(ACTOR_TYPES)})",
            path=origin,
        )
    aliases = item.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ExtractionFormatError(f'{where}: "aliases" must be a list of strings', path=origin)
    wikidata = _str_field(item, "wikidata", where, origin, required=False)
    if wikidata is not None and not _WIKIDATA_RE.fullmatch(wikidata):
        raise ExtractionFormatError(
            f'{where}: "wikidata" {wikidata!r} is not a Wikidata entity id (Q and digits, as in "Q30")',
            path=origin,
        )
    return Actor(name=name, type=actor_type, aliases=[a for a in aliases if a != name], wikidata=wikidata)


def _evidence(item: dict[str, Any], where: str, origin: str, text: str) -> Evidence | None:
    snippet = _str_field(item, "evidence", where, origin, required=False)
    if snippet is None:
        return None
    start, end = item.get("start"), item.get("end")
    if start is None or end is None:
        found = text.find(snippet)
        start, end = (found, found + len(snippet)) if found >= 0 else (None, None)
    else:
        start, end = _span(start, end, where, origin, text)
    sentence = _str_field(item, "sentence", where, origin, required=False)
    return Evidence(text=snippet, start=start, end=end, sentence=sentence)


def _span(start: object, end: object, where: str, origin: str, text: str) -> tuple[int, int]:
    """Return (start, end) if they are character offsets into `text`, else raise ExtractionFormatError."""
    # bool is an int in Python, but `true` is no offset.
    if (
        isinstance(start, int)
        and isinstance(end, int)
        and not isinstance(start, bool)
        and not isinstance(end, bool)
        and 0 <= start <= end <= len(text)
    ):
        return start, end
    raise ExtractionFormatError(f'{where}: "start"/"end" are not offsets into the text', path=origin)


def _name_field(item: Any, key: str, where: str, origin: str) -> str:
    """Return the actor name in `item[key]`; a name of blanks only is refused."""
    name = _str_field(item, key, where, origin)
    if not name.strip():
        raise ExtractionFormatError(f'{where}: "{key}" is blank (an actor name needs letters)', path=origin)
    return name


def _known(name: str, names: set[str], where: str, key: str, origin: str) -> str:
    if name not in names:
        raise ExtractionFormatError(
            f'{where}: "{key}" {name!r} is not the name of a listed actor', path=origin
        )
    return name


def _role(item: Any, origin: str, index: int, names: set[str], text: str) -> Role:
    where = f"roles[{index}]"
    role = _str_field(item, "role", where, origin)
    if role not in ROLE_TYPES:
        raise ExtractionFormatError(
            f"{where}: unknown role {role!r} (expected one of {', '.join(ROLE_TYPES)})", path=origin
        )
    holder = _known(_name_field(item, "holder", where, origin), names, where, "holder", origin)
    of = _str_field(item, "of", where, origin, required=False)
    to = _str_field(item, "to", where, origin, required=False)
    return Role(
        holder=holder,
        role=role,
        of=_known(of, names, where, "of", origin) if of else None,
        to=_known(to, names, where, "to", origin) if to else None,
        title=_str_field(item, "title", where, origin, required=False),
        evidence=_evidence(item, where, origin, text),
        rule=_str_field(item, "rule", where, origin, required=False),
        confidence=_confidence(item, where, origin),
    )


def _confidence(item: Any, where: str, origin: str) -> float | None:
    confidence = item.get("confidence")
    if confidence is not None and not (
        isinstance(confidence, (int, float)) and not isinstance(confidence, bool) and 0.0 <= confidence <= 1.0
    ):
        raise ExtractionFormatError(f'{where}: "confidence" must be a number from 0 to 1', path=origin)
    return float(confidence) if confidence is not None else None


def _relation(item: Any, origin: str, index: int, names: set[str], text: str) -> Relation:
    where = f"relations[{index}]"
    predicate = _str_field(item, "predicate", where, origin)
    if predicate not in PREDICATES:
        raise ExtractionFormatError(
            f"{where}: unknown predicate {predicate!r} (expected one of {', '.join(PREDICATES)})", path=origin
        )
    subject = _known(_name_field(item, "subject", where, origin), names, where, "subject", origin)
    obj = _known(_name_field(item, "object", where, origin), names, where, "object", origin)
    date = _str_field(item, "date", where, origin, required=False)
    if date:
        try:
            parse_event_date(date, what=f'{where}: "date"')
        except ValueError as exc:
            raise ExtractionFormatError(str(exc), path=origin) from None
    return Relation(
        subject=subject,
        predicate=predicate,
        object=obj,
        date=date,
        evidence=_evidence(item, where, origin, text),
        confidence=_confidence(item, where, origin),
        rule=_str_field(item, "rule", where, origin, required=False),
    )
