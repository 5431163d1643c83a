"""docs/extraction-format.md is part of the contract: its fields and closed vocabularies are
the ones the code reads, writes and accepts, and its example reads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from graphbuilder.model import (
    ACTOR_TYPES,
    PREDICATES,
    ROLE_TYPES,
    Actor,
    Document,
    Evidence,
    Extraction,
    Link,
    Relation,
    Role,
    extraction_from_json,
)
from graphbuilder.rdf.mapping import term_label
from graphbuilder.resources import read_data

REPO = Path(__file__).resolve().parents[1]
DOC = (REPO / "docs" / "extraction-format.md").read_text(encoding="utf-8")


def table(heading: str) -> list[list[str]]:
    """Return the rows of the first table under `heading`, as cells without backticks."""
    section = DOC.split(f"\n{heading}\n", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")][1:]  # no header
    return [[cell.strip().strip("`") for cell in row.strip("|").split(" | ")] for row in rows]


def first_column(heading: str) -> list[str]:
    """Return the first cells of the table under `heading`; "`start`, `end`" gives two names."""
    return [name.strip().strip("`") for row in table(heading) for name in row[0].split(",")]


def test_the_vocabulary_tables_list_exactly_what_the_reader_accepts_in_its_order():
    assert first_column("### Actor types") == list(ACTOR_TYPES)
    assert first_column("### Role kinds") == list(ROLE_TYPES)
    assert first_column("### Relation predicates") == list(PREDICATES)


@pytest.mark.parametrize("heading", ["### Role kinds", "### Relation predicates"])
def test_each_term_is_shown_as_the_label_the_ontology_gives_it(heading):
    assert [(row[0], row[1]) for row in table(heading)] == [
        (row[0], term_label(row[0])) for row in table(heading)
    ]


def every_field() -> Extraction:
    """Return an extraction with every optional field set, so that the writer writes them all."""
    text = "Japan urged Korea. She met them."
    evidence = Evidence("Japan urged Korea", 0, 17, "Japan urged Korea.")
    return Extraction(
        document=Document("d", text, "T", "2024-01-02", "https://example.org/d", "P", "CC0", path="d"),
        actors=[
            Actor("Japan", "Country", ["Nippon"], "Q17"),
            Actor("Korea", "Country"),
            Actor("Kim", "Person"),
        ],
        roles=[Role("Kim", "ambassador", "Korea", "Japan", "envoy", evidence, "knowledge", 0.9)],
        relations=[Relation("Japan", "urged", "Korea", "2024-01", evidence, 0.8, "verb")],
        coreference=[Link("She", 19, 22, "Kim", "pronoun")],
    )


def test_the_field_tables_list_exactly_the_fields_the_writer_writes():
    written = every_field().to_json()
    assert first_column("### The article") == list(written)
    for part in ("actors", "roles", "relations", "coreference"):
        assert sorted(first_column(f"### {part}")) == sorted(written[part][0]), part


def test_the_fields_written_read_back_as_they_were():
    extraction = every_field()
    assert extraction_from_json(json.loads(json.dumps(extraction.to_json())), origin="d") == extraction


def test_the_example_reads_and_its_evidence_is_copied_from_its_text():
    (example,) = re.findall(r"^```json\n(.*?)^```", DOC, flags=re.S | re.M)
    extraction = extraction_from_json(json.loads(example), origin="docs/extraction-format.md")
    assert extraction.relations and extraction.roles
    for relation in extraction.relations:
        assert relation.evidence and relation.evidence.start is not None, relation


def test_the_example_is_cut_from_the_constructed_file_it_names():
    (example,) = re.findall(r"^```json\n(.*?)^```", DOC, flags=re.S | re.M)
    cut = json.loads(example)
    whole = json.loads((REPO / "tests" / "data" / "constructed" / f"{cut['id']}.json").read_text("utf-8"))
    assert all(cut[key] == whole[key] for key in ("id", "source", "date", "title"))
    # Paragraphs kept whole or cut short at the end of a sentence.
    assert all(paragraph.rstrip(".") in whole["text"] for paragraph in cut["text"].split("\n\n"))
    actors = {a["name"]: (a["type"], set(a["aliases"])) for a in whole["actors"]}
    for actor in cut["actors"]:  # some aliases left out
        kind, aliases = actors[actor["name"]]
        assert actor["type"] == kind and set(actor["aliases"]) <= aliases, actor
    for part in ("roles", "relations"):
        assert all(item in whole[part] for item in cut[part]), part


# The keys of predicates.json whose values (or keys) are predicate names, and those whose
# values are actor types; titles.json gives role kinds in "titles" and "role_kinds".
def lexicon_predicates(lexicon: dict) -> set[str]:
    named = set(lexicon["verbs"].values()) | set(lexicon["phrasal"].values())
    named |= {noun["predicate"] for noun in lexicon["nouns"].values()}
    named |= {verb["predicate"] for verb in lexicon["mutual_verbs"].values()}
    named |= set(lexicon["object_types"]) | set(lexicon["symmetric"])
    named |= set(lexicon["experiencer"].values()) | set(lexicon["backed_participles"].values())
    named |= set(lexicon["listings"]["nouns"].values()) | set(lexicon["rule_relations"].values())
    named |= {p for predicates in lexicon["traits"].values() for p in predicates}
    named |= set(lexicon["offered_as"]) | set(lexicon["offered_as"].values())
    return named


def test_the_relation_lexicon_uses_only_the_documented_predicates_and_actor_types():
    lexicon = json.loads(read_data("predicates.json"))
    assert lexicon_predicates(lexicon) <= set(first_column("### Relation predicates"))
    types = {
        t for table in ("object_types", "verb_object_types") for ts in lexicon[table].values() for t in ts
    }
    assert types <= set(first_column("### Actor types"))


def test_the_title_lexicon_gives_only_the_documented_role_kinds():
    titles = json.loads(read_data("titles.json"))
    kinds = titles["role_kinds"]
    relative = kinds["relative"]  # "his counterpart": the post of the last titled person, not a kind
    documented = set(first_column("### Role kinds"))
    assert {t["role"] for t in titles["titles"]} - {relative} <= documented
    assert {t["country_role"] for t in titles["titles"] if t.get("country_role")} <= documented
    named = {*kinds["leaders"], *kinds["posted"], *kinds["speaks_for_issuer"], kinds["lower_post"]}
    named |= {role for roles in kinds["leader_words"].values() for role in roles}
    assert named <= documented
