"""World knowledge of who held which office when: the bundled office-holder table.

data/office-holders.jsonl (where it comes from: data/office-holders.md) lists dated
holdings of heads of state and government, foreign ministers, principal officials of
international organizations and US ambassadors to the UN. It was compiled from several
sources and is checked as it loads; every fix is kept in `OfficeHolders.problems`.

A news article names people the way readers know them: "President Lula", "Secretary
Kerry", "Kiir", "its leader Kim Jong Un". `OfficeHolders` answers, for a name (or a
surname) and a day, which offices that person held then.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

from ..model import ROLE_TYPES, accents, name_key
from ..resources import read_data
from . import lexicon

DATA_FILE = "office-holders.jsonl"
KNOWLEDGE_ROLES = frozenset({"head_of_state", "head_of_government", "minister", "ambassador", "official"})
assert KNOWLEDGE_ROLES <= set(ROLE_TYPES)
# Words of a name that never identify a person alone ("al" in "Bashar al-Assad").
PARTICLES = frozenset(
    {
        "al",
        "el",
        "bin",
        "ibn",
        "bint",
        "abu",
        "da",
        "de",
        "del",
        "della",
        "di",
        "do",
        "dos",
        "das",
        "du",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
        "ould",
        "mac",
        "jr",
        "sr",
        "ii",
        "iii",
        "iv",
    }
)
_QID = re.compile(r"Q[1-9][0-9]*")
_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_NICKNAME = re.compile(r'\s*"[^"]*"\s*')
# Holdings the sources assert wrongly, found by hand: (name, role, of) -> why withdrawn.
_WITHDRAWN: dict[tuple[str, str | None, str | None], str] = {
    (
        "Andy Burnham",
        "head_of_government",
        "United Kingdom",
    ): "from a vandalised 2026 snapshot: Keir Starmer is the prime minister",
    ("Jetsun Pema", "head_of_state", "Bhutan"): "the queen consort, not the head of state",
}
# Holdings that ended before 1990 were left out of the table, so an open one that began
# before this day is a lost end date, not a tenure of over 75 years.
_OPEN_SINCE = _dt.date(1950, 1, 1)


@dataclass(frozen=True)
class Holding:
    """One person's tenure of one office, with the widest days its dates allow."""

    name: str
    aliases: tuple[str, ...]
    wikidata: str | None
    role: str  # one of KNOWLEDGE_ROLES
    office: str  # "Secretary of State", "President of Brazil"
    of: str  # whom the office serves, by the gazetteer's name where it has one
    to: str | None  # where an ambassador is posted
    start: _dt.date | None  # the earliest day the tenure may have begun (None: unknown)
    end: _dt.date | None  # the latest day it may have lasted to (None: still held)
    source: str

    def held_on(self, day: _dt.date) -> bool:
        """Return whether the holding may have been current on `day`."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def _day(value: str | None, *, last: bool) -> _dt.date | None:
    """Return the first (or, with `last`, the last) day a YYYY[-MM[-DD]] date can mean."""
    if value is None:
        return None
    match = _PARTIAL_DATE.fullmatch(value)
    if match is None:
        raise ValueError(f"{value!r} is not a YYYY, YYYY-MM or YYYY-MM-DD date")
    year, month, day = match.groups()
    if day:
        return _dt.date.fromisoformat(value)
    if month:
        first = _dt.date(int(year), int(month), 1)
        if not last:
            return first
        following = _dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return following - _dt.timedelta(days=1)
    return _dt.date(int(year), 12, 31) if last else _dt.date(int(year), 1, 1)


class OfficeHolders:
    """The checked holdings, looked up by a person's name or surname on a day."""

    def __init__(self, records: list[dict], origin: str = DATA_FILE) -> None:
        self.problems: list[str] = []
        holdings = self._check(records, origin)
        self.holdings = holdings
        self._by_name: dict[tuple[str, ...], list[Holding]] = defaultdict(list)
        self._by_word: dict[str, list[tuple[Holding, bool]]] = defaultdict(list)
        self._by_office: dict[tuple[str, str], list[Holding]] = defaultdict(list)
        for holding in holdings:
            keys = {name_key(n) for n in holding.names}
            for key in keys:
                self._by_name[key].append(holding)
            words = {
                (w, i == 0) for key in keys for i, w in enumerate(key) if len(w) > 2 and w not in PARTICLES
            }
            for word, first in sorted(words):
                self._by_word[word].append((holding, first))
            self._by_office[(holding.role, holding.of)].append(holding)

    # -- lookups ------------------------------------------------------------------------

    def held_by(self, name: str, day: _dt.date | None = None) -> list[Holding]:
        """Return the holdings of the person called `name` (any spelling), current on `day`
        when it is given."""
        return [h for h in self._by_name.get(name_key(name), ()) if day is None or h.held_on(day)]

    def held_by_surname(self, word: str, day: _dt.date, *, first: bool = False) -> list[Holding]:
        """Return the holdings current on `day` of people one of whose later names is `word`.

        With `first`, a name's first word counts too ("President Yoon" is Yoon Suk Yeol):
        only a title beside it makes a given name unlikely.
        """
        key = name_key(word)
        if len(key) != 1:
            return []
        return list(
            dict.fromkeys(
                h
                for h, is_first in self._by_word.get(key[0], ())
                if (first or not is_first) and h.held_on(day)
            )
        )

    def held_by_longer_name(self, name: str, day: _dt.date) -> list[Holding]:
        """Return the holdings current on `day` of people whose name begins and ends as `name`
        does, with fewer words between: "Adel bin Ahmed al-Jubeir" is Adel al-Jubeir."""
        key = name_key(name)
        if len(key) < 3:
            return []
        return list(
            dict.fromkeys(
                h
                for h, _ in self._by_word.get(key[-1], ())
                if h.held_on(day)
                and any(
                    len(k) < len(key) and k[0] == key[0] and k[-1] == key[-1] for k in map(name_key, h.names)
                )
            )
        )

    def holders(self, role: str, of: str, day: _dt.date) -> list[Holding]:
        """Return who held the office `role` of `of` on `day`."""
        return [h for h in self._by_office.get((role, of), ()) if h.held_on(day)]

    # -- the check --------------------------------------------------------------------

    def _check(self, records: list[dict], origin: str) -> list[Holding]:
        """Return the records as holdings, fixing or dropping what is wrong (each noted)."""
        gazetteer = lexicon.gazetteer()
        holdings: list[Holding] = []
        unknown_of: Counter = Counter()
        for line, record in enumerate(records, 1):
            where = f"{origin}:{line} ({record.get('name')!r}, {record.get('office')!r})"
            name = str(record.get("name") or "").strip()
            if not name or _QID.fullmatch(name):
                self.problems.append(f"{where}: dropped, the name is a Wikidata ID, not a name")
                continue
            role = record.get("role")
            why = _WITHDRAWN.get((name, role, record.get("of")))
            if why:
                self.problems.append(f"{where}: dropped, {why}")
                continue
            if role not in KNOWLEDGE_ROLES:
                self.problems.append(f"{where}: dropped, unknown role {role!r}")
                continue
            try:
                start = _day(record.get("start") or record.get("as_of"), last=False)
                end = _day(record.get("end"), last=True)
            except ValueError as exc:
                self.problems.append(f"{where}: dropped, {exc}")
                continue
            if end is None and start is not None and start < _OPEN_SINCE:
                self.problems.append(
                    f"{where}: dropped, held since {record.get('start')} and "
                    f"never ended: no one holds an office that long"
                )
                continue
            if start and end and end < start:
                self.problems.append(
                    f"{where}: dropped, it ends ({record['end']}) before it starts ({record['start']})"
                )
                continue
            to = record.get("to")
            if to and role not in lexicon.titles().posted:
                self.problems.append(f"{where}: 'to' ({to!r}) is a note, not a post: removed")
                to = None
            aliases = [a for a in record.get("aliases") or () if a and a != name]
            if _NICKNAME.search(name):
                plain = _NICKNAME.sub(" ", name).strip()
                self.problems.append(f"{where}: nickname in the name: {plain!r} added as a name")
                aliases.append(name)
                name = plain
            of = str(record.get("of") or "")
            entry = gazetteer.lookup(of)
            if entry is not None:
                of = entry.name
            else:
                unknown_of[of] += 1
            holdings.append(
                Holding(
                    name=name,
                    aliases=tuple(aliases),
                    wikidata=record.get("wikidata") or None,
                    role=role,
                    office=str(record.get("office") or ""),
                    of=of,
                    to=(known.name if to and (known := gazetteer.lookup(to)) else to),
                    start=start,
                    end=end,
                    source=str(record.get("source") or ""),
                )
            )
        for of, count in sorted(unknown_of.items()):
            self.problems.append(
                f"{origin}: {count} holdings are of {of!r}, which the gazetteer "
                f"does not know: kept under that name"
            )
        return self._one_identity(holdings, origin)

    def _one_identity(self, holdings: list[Holding], origin: str) -> list[Holding]:
        """Give each name its entity where it has one, and each Wikidata entity one name."""
        entities_of: dict[str, set[str]] = defaultdict(set)
        for h in holdings:
            if h.wikidata:
                entities_of[h.name].add(h.wikidata)
        filled = [
            replace(h, wikidata=next(iter(entities_of[h.name])))
            if h.wikidata is None and len(entities_of.get(h.name, ())) == 1
            else h
            for h in holdings
        ]
        count = sum(1 for a, b in zip(holdings, filled) if a is not b)
        if count:
            self.problems.append(
                f"{origin}: {count} holdings had no Wikidata ID that another "
                f"holding of the same name gives: filled in"
            )
        holdings = filled
        names_of: dict[str, Counter] = defaultdict(Counter)
        for h in holdings:
            if h.wikidata:
                names_of[h.wikidata][h.name] += 1
        canonical: dict[str, tuple[str, tuple[str, ...]]] = {}
        for qid, names in sorted(names_of.items()):
            if len(names) > 1:
                chosen = min(names, key=lambda n: (-names[n], -accents(n), n))
                others = tuple(sorted(n for n in names if n != chosen))
                canonical[qid] = (chosen, others)
                self.problems.append(
                    f"{origin}: {qid} is written {' / '.join(sorted(names))}: one person, named {chosen!r}"
                )
        result = []
        for h in holdings:
            if h.wikidata in canonical:
                chosen, others = canonical[h.wikidata]
                aliases = tuple(dict.fromkeys(a for a in (*others, h.name, *h.aliases) if a != chosen))
                h = replace(h, name=chosen, aliases=aliases)
            result.append(h)
        return result


@lru_cache(maxsize=1)
def office_holders() -> OfficeHolders:
    """Return the bundled office-holder table, checked (read once per process)."""
    text = read_data(DATA_FILE)
    return OfficeHolders([json.loads(line) for line in text.splitlines() if line.strip()])
