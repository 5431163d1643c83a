"""Make a large, news-like corpus for the build benchmark from a few real articles.

    python bench/make_corpus.py --articles 2000 --out /tmp/corpus
    python bench/make_corpus.py --articles 500 --source ../shared/corpus/dev --seed 3 --out DIR

The real articles (the gold dev corpus by default) are split into sentences, and each
new article strings together short runs of consecutive sentences taken from different
real articles (8 to 25 sentences, in paragraphs of 1 to 4), dated somewhere in one year.
Actor names are substituted so that the graph keeps growing with the corpus as a real
news stream's does: every country and organization of the gazetteer (and of the gold
files' actors) named in a sentence becomes another gazetteer entry of the same type
(countries keep their form: name, demonym, plural demonym or capital), and every person
of the gold files becomes a generated person, new about half the time and otherwise one
met in an earlier article. Within one article a substitution is consistent.

The same seed gives the same articles, byte for byte, and the first N articles of a
larger corpus are the corpus of N articles. The articles are written as .json files with
id, title, date, publisher, source and text (no annotations), which `graphbuilder build`
reads as articles to extract.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "corpus" / "dev"
GAZETTEER = REPO / "graphbuilder" / "data" / "gazetteer.json"
FIRST_DAY = datetime.date(2024, 1, 1)  # articles are dated within the year from here

# Given and family names from many regions, for the people the substitution invents.
# 96 x 120 combinations are enough for tens of thousands of articles.
GIVEN_NAMES = """
Amara Anders Aiko Bilal Bogdan Camila Chidi Dalia Dmitri Elif Emeka Esther Farid Fatima
Gustavo Hana Hiroshi Ibrahim Ines Ivana Jamal Javier Jia Kamala Karim Katarzyna Kofi
Laila Lars Leila Lucia Malik Mariam Mateo Mehmet Mei Miguel Milan Mira Nadia Naledi
Nikolai Noor Olga Omar Oskar Pablo Priya Rafael Rania Ravi Rosa Ruslan Sakura Samir
Sandra Sergio Shira Sione Sofia Sunil Tamar Tariq Teodor Thabo Tomas Valentina Vikram
Viktor Wanjiru Xavier Yara Yusuf Zainab Zoran Adriana Bongani Chen Daniel Elena Faisal
Giorgi Helga Irina Jonas Keiko Lindiwe Marco Nasrin Olumide Petra
""".split()
FAMILY_NAMES = """
Abebe Adeyemi Alvarez Andersen Antonescu Baptiste Barzani Bauer Bekele Bianchi Borisov
Castillo Chaudhry Costa Dabrowski Delacroix Demir Diallo Dimitrov Dlamini Eriksen Essien
Farouk Fernandes Fischer Gallagher Garcia Georgiou Gonzaga Haddad Halvorsen Hamid Hashemi
Herrera Horvat Ibekwe Ivanova Jankowski Jensen Kaplan Karimi Kato Keller Khalil Kiptoo
Kovac Kowalczyk Kumar Lambert Larsen Lindqvist Lopes Maalouf Mahlangu Marchetti Mbeki
Medina Mensah Mirza Moreau Mukherjee Nakamura Navarro Ndiaye Nguyen Novak Nowak Obi
Ogunleye Okafor Olsen Ortega Osei Ozturk Papadopoulos Pereira Petrov Quispe Rahman
Ramos Rashid Reyes Rossi Sabry Salazar Santos Sato Schmidt Sekibo Shevchenko Silva
Sokolov Suleiman Takahashi Tanaka Toure Trapani Tshabalala Uddin Valdez Varga Vasquez
Weber Wojcik Yamamoto Yilmaz Zapata Zhou Zielinski Achterberg Bergstrom Cardoso Dragomir
Ekwueme Falk Grigoryan Hoxha Ismailov Jovanovic
""".split()
# Words that may stand before a person's name inside one gold alias ("Ambassador
# Thomas-Greenfield", "King Salman ..."): kept as they are, only the name changes.
_NAME_PREFIXES = {
    "Ambassador",
    "Ayatollah",
    "King",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "President",
    "Prince",
    "General",
    "Minister",
    "Secretary",
    "Sheikh",
    "Queen",
}
# Countries whose English name takes "the".
_THE_COUNTRY = re.compile(
    r"^(United|Republic|Democratic|Federated|Central African|Czech|"
    r"Dominican)\b|(Islands|lands|Philippines|Bahamas|Gambia|Maldives|"
    r"Comoros|Emirates|Vatican City)$"
)
# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Sen|Rep|St|Lt|Col|Gov|Prof|No|Jan|Feb|"
    r"Mar|Apr|Aug|Sept?|Oct|Nov|Dec)|\b[A-Z](?:\.[A-Z])*)\.$"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])([\"”’)]?)\s+(?=[\"“‘(]?[A-Z0-9])")


@dataclass
class SourceArticle:
    """A real article cut into sentences, with the actors its gold file names (if any)."""

    id: str
    title: str
    publisher: str | None
    sentences: list[str]
    actors: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class _Mention:
    """What a surface form in a source sentence stands for: an actor and the form used."""

    kind: str  # "country", "organization" or "person"
    key: str  # the actor's canonical name in the gazetteer or the gold files
    form: str  # country: name, demonym, demonyms, capital; person: full, family
    prefix: str = ""  # words kept before a person's name ("Ambassador ")


def split_sentences(text: str) -> list[str]:
    """Return the sentences of an article's text; headings (lines without an end stop) are left out."""
    sentences: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = " ".join(paragraph.split())
        if not paragraph or paragraph[-1] not in '.!?"”’)':
            continue  # a heading or a caption, not running text
        pieces = []
        for piece in _pieces(paragraph):
            if pieces and _ABBREVIATIONS.search(pieces[-1]):
                pieces[-1] = f"{pieces[-1]} {piece}"  # "U.S. Ambassador": no break
            else:
                pieces.append(piece)
        sentences.extend(p for p in pieces if len(p.split()) >= 4)
    return sentences


def _pieces(paragraph: str):
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        end = match.start() + len(match.group(1))
        yield paragraph[start:end]
        start = match.end()
    yield paragraph[start:]


def load_sources(folder: Path | str) -> list[SourceArticle]:
    """Return the articles of a folder of .json articles or gold files, sorted by file name."""
    sources = []
    for path in sorted(Path(folder).glob("*.json")):
        article = json.loads(path.read_text(encoding="utf-8"))
        sentences = split_sentences(article.get("text", ""))
        if sentences:
            sources.append(
                SourceArticle(
                    id=article.get("id", path.stem),
                    title=article.get("title", ""),
                    publisher=article.get("publisher"),
                    sentences=sentences,
                    actors=list(article.get("actors", [])),
                )
            )
    if not sources:
        raise ValueError(f"no articles with text in {folder}")
    return sources


def load_gazetteer(path: Path | str = GAZETTEER) -> dict:
    """Return the gazetteer (countries and organizations) graphbuilder ships."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


class CorpusMaker:
    """Makes articles one after another from source sentences, substituting actor names."""

    def __init__(self, sources: list[SourceArticle], gazetteer: dict, seed: int = 1) -> None:
        self.sources = sources
        self.rng = random.Random(seed)
        self.countries = {c["name"]: c for c in gazetteer["countries"]}
        self.organizations = {o["name"]: o for o in gazetteer["organizations"]}
        # Replacements: countries with a demonym (so every form has a counterpart), and
        # organizations of the same kind where the gazetteer has several of that kind.
        self.country_pool = sorted(
            n for n, c in self.countries.items() if _singular_demonyms(c) and c.get("capital")
        )
        self.organization_pools: dict[str, list[str]] = {}
        for name, organization in sorted(self.organizations.items()):
            self.organization_pools.setdefault(organization.get("kind", ""), []).append(name)
        self.all_organizations = sorted(self.organizations)
        # A few countries and organizations come up far more often than the rest, as in news.
        self.country_weights = _zipf_weights(len(self.country_pool), self.rng)
        self.mentions = self._mentions()
        surfaces = sorted(self.mentions, key=lambda s: (-len(s), s))
        # An article before a country's name goes or stays with the name ("the United
        # States" -> "Chile", "Japan" -> "the Philippines"), so it is matched with it.
        self.pattern = re.compile(
            r"(?<![\w-])((?:[Tt]he )?)(" + "|".join(map(re.escape, surfaces)) + r")(?![\w-])"
        )
        self.people: list[str] = []  # generated people so far, in order of invention
        self.used_names: set[str] = set()
        self.count = 0

    # -- the surface forms to substitute ---------------------------------------------------

    def _mentions(self) -> dict[str, _Mention]:
        mentions: dict[str, _Mention] = {}

        def add(surface: str, mention: _Mention) -> None:
            surface = re.sub(r"^the ", "", surface.strip())
            if len(surface) >= 2 and surface not in mentions:  # first (most specific) wins
                mentions[surface] = mention

        for name, country in self.countries.items():
            add(name, _Mention("country", name, "name"))
            for alias in country.get("aliases", []):
                add(alias, _Mention("country", name, "name"))
        for name, organization in self.organizations.items():
            add(name, _Mention("organization", name, "name"))
            for alias in organization.get("aliases", []):
                add(alias, _Mention("organization", name, "name"))
        for name, country in self.countries.items():
            plural = set(_plural_demonyms(country))
            for demonym in country.get("demonyms", []):
                add(demonym, _Mention("country", name, "demonyms" if demonym in plural else "demonym"))
            for capital in [country.get("capital")] + country.get("capital_aliases", []):
                if capital:
                    add(capital, _Mention("country", name, "capital"))
        for source in self.sources:
            for actor in source.actors:
                kind = {"Country": "country", "Organization": "organization", "Person": "person"}.get(
                    actor.get("type")
                )
                name = actor.get("name", "")
                if kind == "person":
                    self._add_person(name, actor.get("aliases", []), add)
                elif kind and name not in self.countries and name not in self.organizations:
                    add(name, _Mention(kind, name, "name"))
                    for alias in actor.get("aliases", []):
                        # A lone capitalised word ("Council") is too common to replace.
                        if " " in alias or alias.isupper():
                            add(alias, _Mention(kind, name, "name"))
        return mentions

    @staticmethod
    def _add_person(name: str, aliases: list[str], add) -> None:
        tokens = name.split()
        forms = [name] + list(aliases)
        if len(tokens) > 1 and len(tokens[-1]) > 3 and tokens[-1][0].isupper():
            forms.append(tokens[-1])  # "Putin" for Vladimir Putin
        for surface in forms:
            words = surface.split()
            prefix = ""
            while len(words) > 1 and words[0] in _NAME_PREFIXES:
                prefix += words.pop(0) + " "
            form = "family" if len(words) == 1 else "full"
            add(surface, _Mention("person", name, form, prefix))

    # -- articles ---------------------------------------------------------------------------

    def next_article(self) -> dict:
        """Return the next article: id, title, date, publisher, source and substituted text."""
        rng = self.rng
        self.count += 1
        article_id = f"bench-{self.count:05d}"
        wanted = rng.randint(8, 25)
        sentences: list[str] = []
        first: SourceArticle | None = None
        used: set[tuple[str, int]] = set()
        while len(sentences) < wanted:
            source = rng.choices(self.sources, weights=[len(s.sentences) for s in self.sources])[0]
            first = first or source
            run = min(rng.randint(1, 3), wanted - len(sentences))
            start = rng.randrange(len(source.sentences))
            for index in range(start, min(start + run, len(source.sentences))):
                if (source.id, index) not in used:  # no sentence twice in one article
                    used.add((source.id, index))
                    sentences.append(source.sentences[index])
        replacements: dict[tuple[str, str], object] = {}
        text_sentences = [self._substitute(s, replacements) for s in sentences]
        paragraphs, i = [], 0
        while i < len(text_sentences):
            size = rng.randint(1, 4)
            paragraphs.append(" ".join(text_sentences[i : i + size]))
            i += size
        date = FIRST_DAY + datetime.timedelta(days=rng.randrange(366))
        return {
            "id": article_id,
            "title": self._substitute(first.title, replacements) or article_id,
            "date": date.isoformat(),
            "publisher": first.publisher or "unknown",
            "source": f"https://bench.example.org/articles/{article_id}",
            "text": "\n\n".join(paragraphs),
        }

    def _substitute(self, sentence: str, replacements: dict) -> str:
        def replace(match: re.Match) -> str:
            article, surface = match.group(1), match.group(2)
            mention = self.mentions[surface]
            key = (mention.kind, mention.key)
            if key not in replacements:
                replacements[key] = self._replacement(mention, replacements)
            new = replacements[key]
            if mention.kind == "person":
                given, family = new
                name = family if mention.form == "family" else f"{given} {family}"
                return article + mention.prefix + name
            if mention.kind == "organization":
                return article + new
            country = self.countries[new]
            if mention.form == "demonym":
                return article + _singular_demonyms(country)[0]
            if mention.form == "demonyms":
                return article + (_plural_demonyms(country) or _singular_demonyms(country))[0]
            if mention.form == "capital":
                return article + country["capital"]
            if surface == mention.key and _THE_COUNTRY.search(surface) and article:
                # "the United States" itself: the article belongs to the name.
                return (article if _THE_COUNTRY.search(new) else "") + new
            return article + new

        return self.pattern.sub(replace, sentence)

    def _replacement(self, mention: _Mention, replacements: dict):
        """Return who stands in for an actor in this article: never one already standing in."""
        taken = set(replacements.values())
        rng = self.rng
        if mention.kind == "country":
            for _ in range(50):
                name = rng.choices(self.country_pool, weights=self.country_weights)[0]
                if name not in taken:
                    return name
            return name
        if mention.kind == "organization":
            kind = self.organizations.get(mention.key, {}).get("kind", "")
            pool = self.organization_pools.get(kind, [])
            pool = pool if len(pool) > 2 else self.all_organizations
            free = [n for n in pool if n not in taken] or pool
            return rng.choice(free)
        # A person: about half the time someone new, otherwise someone seen before.
        families = {p[1] for p in taken if isinstance(p, tuple)}
        if self.people and rng.random() < 0.5:
            for _ in range(10):
                person = rng.choice(self.people)
                if person[1] not in families:  # two people of one name would merge
                    return person
        return self._new_person(families)

    def _new_person(self, families: set[str] = frozenset()) -> tuple[str, str]:
        rng = self.rng
        for _ in range(100):
            given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
            if f"{given} {family}" not in self.used_names and family not in families:
                break
        else:  # all tried names taken: a middle initial makes a new person
            given = f"{given} {chr(65 + rng.randrange(26))}."
        self.used_names.add(f"{given} {family}")
        self.people.append((given, family))
        return given, family


def _zipf_weights(count: int, rng: random.Random) -> list[float]:
    ranks = list(range(count))
    rng.shuffle(ranks)
    return [1.0 / (rank + 1) ** 0.8 for rank in ranks]


def _plural_demonyms(country: dict) -> list[str]:
    demonyms = country.get("demonyms", [])
    return [d for d in demonyms if d.endswith("s") and d[:-1] in demonyms]


def _singular_demonyms(country: dict) -> list[str]:
    plural = set(_plural_demonyms(country))
    return [d for d in country.get("demonyms", []) if d not in plural]


def generate_articles(
    sources: list[SourceArticle], count: int, seed: int = 1, gazetteer: dict | None = None
) -> list[dict]:
    """Return `count` articles made from `sources`; the same seed gives the same articles."""
    maker = CorpusMaker(sources, gazetteer if gazetteer is not None else load_gazetteer(), seed)
    return [maker.next_article() for _ in range(count)]


def write_corpus(articles: list[dict], folder: Path | str) -> list[Path]:
    """Write each article as folder/ID.json and return the paths, in article order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for article in articles:
        path = folder / f"{article['id']}.json"
        path.write_text(json.dumps(article, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def make_corpus(
    out: Path | str, count: int, source: Path | str = DEFAULT_SOURCE, seed: int = 1
) -> list[Path]:
    """Return the paths of `count` articles made from the articles in `source`, written to `out`."""
    return write_corpus(generate_articles(load_sources(source), count, seed), out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="how many articles (2000)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write them into")
    parser.add_argument(
        "--source",
        type=Path,
        default=DEFAULT_SOURCE,
        help="folder of real .json articles (default: ../shared/corpus/dev)",
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    paths = make_corpus(args.out, args.articles, args.source, args.seed)
    words = sum(len(json.loads(p.read_text(encoding="utf-8"))["text"].split()) for p in paths)
    print(f"wrote {len(paths)} articles ({words:,} words) to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
