"""The word lists the extractor reads: titles, relation verbs and nouns, the gazetteer.

They are data files under graphbuilder/data so that a user can extend them without
touching code; this module only loads and indexes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..errors import DataError
from ..resources import read_data


@lru_cache(maxsize=None)
def load_data(name: str) -> dict[str, Any]:
    """Return a data file of graphbuilder/data, parsed (read once per process)."""
    return json.loads(read_data(name))


@lru_cache(maxsize=1)
def entity_words() -> dict[str, Any]:
    """Return the word sets of data/entities.json ("word_sets"): frozensets, and the one
    mapping (honorific_gender) as a dict."""
    raw = load_data("entities.json")["word_sets"]
    return {k: v if isinstance(v, dict) else frozenset(v) for k, v in raw.items() if not k.startswith("_")}


@dataclass(frozen=True)
class Title:
    """A post title as a tuple of lowercase words, the role it denotes and its defaults."""

    words: tuple[str, ...]
    role: str
    default_of: str | None = None
    needs_to: bool = False
    needs_of: bool = False
    country_role: str | None = None  # the role when the post serves a country ("High Commissioner")


@dataclass
class Titles:
    """Titles indexed by their last word, plus the word classes around them."""

    by_last_word: dict[str, list[Title]] = field(default_factory=dict)
    modifiers: frozenset[str] = frozenset()
    lower_rank: frozenset[str] = frozenset()
    not_current: frozenset[str] = frozenset()
    honorifics: frozenset[str] = frozenset()
    patronymic: frozenset[str] = frozenset()
    all_words: frozenset[str] = frozenset()
    heads: frozenset[str] = frozenset()  # the noun a title is about: "minister", "head" (of state)
    department_words: frozenset[str] = frozenset()
    departments: dict[str, str] = field(default_factory=dict)
    # What the rules need to know of the role values (titles.json "role_kinds").
    leaders: tuple[str, ...] = ()  # head_of_state, head_of_government
    posted: frozenset[str] = frozenset()  # roles with a `to`: ambassador
    speaks_for_issuer: frozenset[str] = frozenset()
    lower_post: str = ""  # official
    relative: str = ""  # counterpart
    leader_words: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _title_words(text: str) -> tuple[str, ...]:
    # spaCy splits "secretary-general" into three tokens; keep the same split here.
    return tuple(text.lower().replace("-", " - ").split())


@lru_cache(maxsize=1)
def titles() -> Titles:
    """Return the title lexicon (data/titles.json)."""
    raw = load_data("titles.json")
    kinds = raw["role_kinds"]
    index: dict[str, list[Title]] = {}
    words: set[str] = set()
    for entry in raw["titles"]:
        title = Title(
            words=_title_words(entry["title"]),
            role=entry["role"],
            default_of=entry.get("of"),
            needs_to=entry.get("needs_to", False),
            needs_of=entry.get("needs_of", False),
            country_role=entry.get("country_role"),
        )
        index.setdefault(title.words[-1], []).append(title)
        words.update(title.words)
    for entries in index.values():
        entries.sort(key=lambda t: -len(t.words))  # longest match first
    return Titles(
        by_last_word=index,
        modifiers=frozenset(raw["modifiers"]),
        lower_rank=frozenset(raw["lower_rank"]),
        not_current=frozenset(raw["not_current"]),
        honorifics=frozenset(raw["honorifics"]),
        patronymic=frozenset(raw["patronymic_particles"]),
        all_words=frozenset(words),
        heads=frozenset(
            t.words[t.words.index("of") - 1] if "of" in t.words else t.words[-1]
            for ts in index.values()
            for t in ts
        ),
        department_words=frozenset(raw["department_words"]),
        departments=dict(raw["departments"]),
        leaders=tuple(kinds["leaders"]),
        posted=frozenset(kinds["posted"]),
        speaks_for_issuer=frozenset(kinds["speaks_for_issuer"]),
        lower_post=kinds["lower_post"],
        relative=kinds["relative"],
        leader_words={k: tuple(v) for k, v in kinds["leader_words"].items()},
    )


@dataclass(frozen=True)
class EventNoun:
    """A noun that names an act (\"invitation\"), its predicate and the prepositions of its target."""

    predicate: str
    preps: tuple[str, ...]
    symmetric: bool = False
    light_only: bool = False
    mutual: bool = False  # "clashes between A and B": each side acted on the other
    mutual_between: bool = False  # only `between A and B` is mutual ("war between")
    needs_of: tuple[str, ...] = ()  # "exchange" is an act only as "exchange of fire"
    target_types: frozenset[str] = frozenset()
    agent_preps: tuple[str, ...] = ("by",)  # "the visit of the president": `of` names the visitor


@dataclass
class Predicates:
    """The relation lexicon (data/predicates.json), indexed for lookup by lemma."""

    verbs: dict[str, str]
    verb_preps: dict[str, tuple[str, ...]]
    phrasal: dict[tuple[str, str], str]
    requires_complement: frozenset[str]
    object_types: dict[str, frozenset[str]]
    nouns: dict[str, EventNoun]
    light_verbs: frozenset[str]
    symmetric: frozenset[str]
    irrealis: frozenset[str]  # "wants to meet": intended, not done
    reported: frozenset[str]  # "accused X of ...": a claim, not asserted
    receiving: frozenset[str]  # "received support from X": X is the agent
    verb_object_types: dict[str, frozenset[str]]
    modals: frozenset[str]
    negations: frozenset[str]
    mutual_verbs: dict[str, tuple[str, frozenset[str]]]  # "clash" -> (attacked, objects it needs)
    experiencer: dict[str, str]  # "appalled (by X)" -> condemned
    threat_heads: frozenset[str]  # "threatened (to retaliate against X)"
    hostile_acts: frozenset[str]
    urged_actions: frozenset[str]  # "demanded the withdrawal of X": X is urged
    backed: dict[str, str]  # "Qatari-backed" -> supported
    harm_verbs: frozenset[str]  # "airstrikes killed ... in X": the attack's target
    led: frozenset[str]  # "the IGAD-led talks": IGAD stands behind them
    speech_verbs: frozenset[str]  # whose clause a statement is: "X said (that) ..."
    blame_nouns: frozenset[str]  # "Russia's involvement in ...": Russia is blamed
    harms: frozenset[str]  # what one is blamed for ("responsible for the attack")
    censure: dict[str, str]  # "unacceptable" -> condemned, "terrorists" -> accused
    naming_verbs: frozenset[str]  # "called X childish"
    wrongdoing: dict[str, frozenset[str]]  # "said that X supplies weapons": X is accused
    listing_nouns: dict[str, str]  # "listings" (include X, Y) -> sanctioned
    listing_verbs: frozenset[str]  # "include", "target"
    rejecting: frozenset[str]  # "rejected (the claims by X)": X is condemned
    rejected: frozenset[str]  # "claim", "allegation"
    giving: frozenset[str]  # "sent (weapons to X)": X is supported
    blacklist: frozenset[str]  # words that make a list a sanctions list
    words: dict[str, frozenset[str]]  # the named word sets of predicates.json ("not_yet", ...)
    given: frozenset[str]  # "aid", "weapons"
    traits: dict[str, frozenset[str]]  # "directive" -> the relations that are one ("urged")
    offered_as: dict[str, str]  # "met" offered ("offered talks with X") -> invited
    rule_relations: dict[str, str]  # a fixed-purpose rule -> the relation it states

    def has(self, predicate: str, trait: str) -> bool:
        """Return whether relation `predicate` has `trait` (see predicates.json "traits")."""
        return predicate in self.traits[trait]

    def irrealis_head(self, token) -> bool:
        """Return whether a verb makes what it governs intended, not done ("hopes to meet").

        Checked on the word as well as the lemma: the tagger sometimes lemmatizes a rare
        use wrongly ("hopes" -> "hop").
        """
        return token.lemma_.lower() in self.irrealis or token.lower_ in _inflections(self.irrealis)

    def noun(self, token) -> EventNoun | None:
        """Return the event a noun token names, by its form or else its lemma."""
        return self.nouns.get(token.lower_) or self.nouns.get(token.lemma_.lower())

    @property
    def verb_triggers(self) -> frozenset[str]:
        """Every verb lemma a rule starts from; other verbs make no relation themselves."""
        return frozenset(
            {
                *self.verbs,
                *(verb for verb, _ in self.phrasal),
                *self.receiving,
                *self.light_verbs,
                *self.mutual_verbs,
                *self.threat_heads,
            }
        )


@lru_cache(maxsize=8)
def _inflections(lemmas: frozenset[str]) -> frozenset[str]:
    """Return the regular inflected forms of verb lemmas ("hope" -> "hopes", "hoped", "hoping")."""
    forms = set()
    for lemma in lemmas:
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        forms.update({lemma, lemma + "s", lemma + "es", stem + "ed", stem + "ing"})
    return frozenset(forms)


@lru_cache(maxsize=1)
def predicates() -> Predicates:
    """Return the relation lexicon (data/predicates.json)."""
    raw = load_data("predicates.json")
    phrasal = {}
    for phrase, predicate in raw["phrasal"].items():
        verb, _, rest = phrase.partition(" ")
        phrasal[(verb, rest)] = predicate
    return Predicates(
        verbs=dict(raw["verbs"]),
        verb_preps={k: tuple(v) for k, v in raw["verb_preps"].items()},
        phrasal=phrasal,
        requires_complement=frozenset(raw["requires_complement"]),
        object_types={k: frozenset(v) for k, v in raw["object_types"].items()},
        nouns={
            k: EventNoun(
                predicate=v["predicate"],
                preps=tuple(v["preps"]),
                symmetric=v.get("symmetric", False),
                light_only=v.get("light_only", False),
                mutual=v.get("mutual", False),
                mutual_between=v.get("mutual_between", False),
                needs_of=tuple(v.get("needs_of", ())),
                target_types=frozenset(v.get("target_types", ())),
                agent_preps=tuple(v.get("agent_preps", ("by",))),
            )
            for k, v in raw["nouns"].items()
        },
        light_verbs=frozenset(raw["light_verbs"]),
        symmetric=frozenset(raw["symmetric"]),
        irrealis=frozenset(raw["irrealis_heads"]),
        reported=frozenset(raw["reported_heads"]),
        receiving=frozenset(raw["receiving_verbs"]),
        verb_object_types={k: frozenset(v) for k, v in raw["verb_object_types"].items()},
        modals=frozenset(raw["modal_auxiliaries"]),
        negations=frozenset(raw["negations"]),
        mutual_verbs={
            k: (v["predicate"], frozenset(v.get("objects", ()))) for k, v in raw["mutual_verbs"].items()
        },
        experiencer=dict(raw["experiencer"]),
        threat_heads=frozenset(raw["hostile_intent"]["heads"]),
        hostile_acts=frozenset(raw["hostile_intent"]["acts"]),
        urged_actions=frozenset(raw["urged_actions"]),
        backed=dict(raw["backed_participles"]),
        harm_verbs=frozenset(raw["harm_verbs"]),
        led=frozenset(raw["led_participles"]),
        speech_verbs=frozenset(raw["speech_verbs"]),
        blame_nouns=frozenset(raw["blame_nouns"]),
        harms=frozenset(raw["harms"]),
        censure={**{w: "condemned" for w in raw["censure"]["words"]}, **raw["censure"]["labels"]},
        naming_verbs=frozenset(raw["censure"]["naming_verbs"]),
        wrongdoing={k: frozenset(v) for k, v in raw["wrongdoing_verbs"].items()},
        listing_nouns=dict(raw["listings"]["nouns"]),
        listing_verbs=frozenset(raw["listings"]["verbs"]),
        rejecting=frozenset(raw["rejection"]["verbs"]),
        rejected=frozenset(raw["rejection"]["nouns"]),
        giving=frozenset(raw["giving"]["verbs"]),
        blacklist=frozenset(raw["blacklist_words"]),
        words={k: frozenset(v) for k, v in raw["word_sets"].items() if not k.startswith("_")},
        given=frozenset(raw["giving"]["nouns"]),
        traits={k: frozenset(v) for k, v in raw["traits"].items()},
        offered_as=dict(raw["offered_as"]),
        rule_relations=dict(raw["rule_relations"]),
    )


@dataclass(frozen=True)
class GazetteerEntry:
    """A country or organization the gazetteer knows, with its canonical name and identity."""

    name: str
    type: str  # "Country" or "Organization"
    wikidata: str | None = None
    capital: str | None = None
    iso3: str | None = None  # a country's ISO 3166-1 alpha-3 code
    kind: str | None = None  # an organization's kind: "intergovernmental", "armed_group", ...


@dataclass
class Gazetteer:
    """Surface forms (aliases, demonyms) -> entries, case-sensitive as written in news."""

    entries: dict[str, GazetteerEntry]
    aliases: dict[str, str]  # surface form -> canonical name
    demonyms: dict[str, str]  # "North Korean" -> "North Korea"
    capitals: dict[str, str]  # "Pyongyang" -> "North Korea"
    adjective: dict[str, str] = field(default_factory=dict)  # "Peru" -> "Peruvian"

    def lookup(self, surface: str) -> GazetteerEntry | None:
        """Return the entry a surface form names (alias, name or demonym), if any."""
        name = self.aliases.get(surface) or self.demonyms.get(surface)
        if name is None and surface.lower().startswith("the "):
            return self.lookup(surface[4:])
        return self.entries.get(name) if name else None


def _typographic(forms: list[str]) -> list[str]:
    """Return the forms and their spellings with typographic apostrophes ("People’s")."""
    return [*forms, *(f.replace("'", "’") for f in forms if "'" in f)]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Return the bundled gazetteer (data/gazetteer.json)."""
    return build_gazetteer(load_data("gazetteer.json"))


def gazetteer_conflicts(raw: dict[str, Any]) -> dict[str, list[str]]:
    """Return each surface form (name, alias or demonym, casefolded) that more than one
    entry of a gazetteer claims, with the claimants ("countries:Niger")."""
    claimants: dict[str, list[str]] = {}
    for kind in ("countries", "organizations"):
        for item in raw.get(kind, []):
            for form in {
                f.casefold() for f in [item["name"], *item.get("aliases", []), *item.get("demonyms", [])]
            }:
                claimants.setdefault(form, []).append(f"{kind}:{item['name']}")
    return {form: names for form, names in sorted(claimants.items()) if len(names) > 1}


def build_gazetteer(raw: dict[str, Any], source: str = "gazetteer.json") -> Gazetteer:
    """Return the Gazetteer of a parsed gazetteer file; raise DataError when two entries
    claim one surface form (resolution would merge or split real actors by file order)."""
    conflicts = gazetteer_conflicts(raw)
    if conflicts:
        form, names = next(iter(conflicts.items()))
        more = f" (and {len(conflicts) - 1} more)" if len(conflicts) > 1 else ""
        raise DataError(f"{form!r} is claimed by {' and '.join(names)}{more}", path=source)
    entries: dict[str, GazetteerEntry] = {}
    aliases: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    capitals: dict[str, str] = {}
    adjective: dict[str, str] = {}
    for kind, actor_type in (("countries", "Country"), ("organizations", "Organization")):
        for item in raw.get(kind, []):
            name = item["name"]
            entries[name] = GazetteerEntry(
                name=name,
                type=actor_type,
                wikidata=item.get("wikidata"),
                capital=item.get("capital"),
                iso3=item.get("iso3"),
                kind=item.get("kind"),
            )
            for surface in _typographic([name, *item.get("aliases", [])]):
                aliases.setdefault(surface, name)
            for surface in _typographic(item.get("demonyms", [])):
                demonyms.setdefault(surface, name)
            adjectives = [d for d in item.get("demonyms", []) if not d.endswith("s")]
            if adjectives:
                adjective.setdefault(name, adjectives[0])
            for surface in [item.get("capital"), *item.get("capital_aliases", [])]:
                if surface:
                    capitals.setdefault(surface, name)
    return Gazetteer(
        entries=entries, aliases=aliases, demonyms=demonyms, capitals=capitals, adjective=adjective
    )
