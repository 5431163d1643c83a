"""Dated role holdings (gb:Tenure): one node per post however many articles attest it, its
attested period, the office-holder knowledge's term where it covers them, and the warning
`graphbuilder validate` gives for two heads of state of one country at once.

The articles are constructed here, in the extraction file format: "Utopia", "Anna Alpha"
and "Bruno Beta" are invented, so that no office-holder knowledge applies to them; Joe
Biden and Kim Jong-un are in the bundled knowledge (data/office-holders.jsonl).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV, SDO, XSD

from graphbuilder.model import extraction_from_json
from graphbuilder.pipeline.resolve import resolve
from graphbuilder.rdf.corpus import corpus_graph_iri
from graphbuilder.rdf.dataset import extractions_to_dataset
from graphbuilder.rdf.mapping import DEFAULT_BASE, GB, actor_iri
from graphbuilder.rdf.validate import validate

PEOPLE = {"Anna Alpha", "Bruno Beta", "Joe Biden", "Kim Jong-un"}


def article(
    doc_id: str, date: str | None, *roles: tuple[str, str, str | None, str | None], title: str | None = None
) -> dict:
    """Return an extraction (the gold file format) of an article that attests `roles`
    (holder, role, of, to), each with the title `title` when given."""
    names = {name for role in roles for name in (role[0], role[2], role[3]) if name}
    return {
        "id": doc_id,
        "date": date,
        "title": f"Article {doc_id}",
        "text": "A constructed article.",
        "actors": [
            {"name": name, "type": "Person" if name in PEOPLE else "Country", "aliases": []}
            for name in sorted(names)
        ],
        "roles": [
            {
                "holder": holder,
                "role": role,
                **({"of": of} if of else {}),
                **({"to": to} if to else {}),
                **({"title": title} if title else {}),
            }
            for holder, role, of, to in roles
        ],
        "relations": [],
    }


def corpus_of(*articles: dict) -> Graph:
    """Return the corpus graph of the articles, built in memory."""
    extractions = resolve([extraction_from_json(a, origin=f"{a['id']}.json") for a in articles])
    return extractions_to_dataset(extractions).graph(corpus_graph_iri(DEFAULT_BASE))


def tenures_of(graph: Graph, holder: str) -> list[URIRef]:
    return sorted(
        t for t in graph.subjects(GB.holder, actor_iri(holder)) if (t, RDF.type, GB.Tenure) in graph
    )


def dates(graph: Graph, tenure: URIRef) -> dict[str, datetime.date | None]:
    def value(prop):
        found = graph.value(tenure, prop)
        return found.toPython() if found is not None else None

    return {
        "first": value(GB.firstAttested),
        "last": value(GB.lastAttested),
        "start": value(SDO.startDate),
        "end": value(SDO.endDate),
    }


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


ANNA = ("Anna Alpha", "official", "Utopia", None)


def test_a_role_with_two_dated_attestations_gets_a_period_from_the_first_to_the_last():
    graph = corpus_of(article("a-2020", "2020-03-01", ANNA), article("a-2021", "2021-06-30", ANNA))
    [tenure] = tenures_of(graph, "Anna Alpha")
    assert str(tenure).startswith(f"{DEFAULT_BASE}tenure/")
    assert dates(graph, tenure) == {
        "first": day("2020-03-01"),
        "last": day("2021-06-30"),
        "start": day("2020-03-01"),
        "end": day("2021-06-30"),
    }
    assert graph.value(tenure, GB.attestationCount) == Literal(2, datatype=XSD.integer)
    assert graph.value(tenure, GB.roleType) == GB.Official
    assert graph.value(tenure, GB.roleOf) == actor_iri("Utopia")
    reports = set(graph.objects(tenure, PROV.wasDerivedFrom))
    assert {str(r).rsplit("/", 2)[1] for r in reports} == {"a-2020", "a-2021"}


def test_a_role_attested_once_is_first_and_last_attested_on_that_day():
    graph = corpus_of(article("a-2020", "2020-03-01", ANNA))
    [tenure] = tenures_of(graph, "Anna Alpha")
    assert set(dates(graph, tenure).values()) == {day("2020-03-01")}
    assert graph.value(tenure, GB.attestationCount) == Literal(1, datatype=XSD.integer)


def test_another_post_of_the_same_person_is_another_tenure():
    graph = corpus_of(
        article("a-2020", "2020-03-01", ANNA),
        article("a-2022", "2022-01-10", ("Anna Alpha", "ambassador", "Utopia", "Freedonia")),
    )
    tenures = tenures_of(graph, "Anna Alpha")
    assert len(tenures) == 2
    assert {graph.value(t, GB.firstAttested).toPython() for t in tenures} == {
        day("2020-03-01"),
        day("2022-01-10"),
    }
    assert {graph.value(t, GB.roleTo) for t in tenures} == {None, actor_iri("Freedonia")}


def test_an_undated_attestation_gives_no_dates_but_counts():
    graph = corpus_of(article("undated", None, ANNA))
    [tenure] = tenures_of(graph, "Anna Alpha")
    assert set(dates(graph, tenure).values()) == {None}
    assert graph.value(tenure, GB.attestationCount) == Literal(1, datatype=XSD.integer)
    assert len(set(graph.objects(tenure, PROV.wasDerivedFrom))) == 1


def test_an_undated_attestation_beside_dated_ones_moves_no_date():
    graph = corpus_of(article("undated", None, ANNA), article("a-2020", "2020-03-01", ANNA))
    [tenure] = tenures_of(graph, "Anna Alpha")
    assert set(dates(graph, tenure).values()) == {day("2020-03-01")}
    assert graph.value(tenure, GB.attestationCount) == Literal(2, datatype=XSD.integer)


BIDEN = ("Joe Biden", "head_of_state", "United States", None)


def test_a_head_of_state_the_knowledge_knows_gets_the_knowledges_term():
    graph = corpus_of(article("biden-2022", "2022-12-23", BIDEN))
    [tenure] = tenures_of(graph, "Joe Biden")
    assert dates(graph, tenure) == {
        "first": day("2022-12-23"),
        "last": day("2022-12-23"),
        "start": day("2021-01-20"),  # the knowledge's term as president
        "end": day("2025-01-20"),
    }


def test_a_term_the_knowledge_says_is_still_held_has_no_end():
    graph = corpus_of(
        article("kim-2021", "2021-10-21", ("Kim Jong-un", "head_of_state", "North Korea", None))
    )
    [tenure] = tenures_of(graph, "Kim Jong-un")
    assert dates(graph, tenure)["start"] == day("2011-12-17")
    assert dates(graph, tenure)["end"] is None


def test_attestations_outside_every_known_term_keep_their_own_dates():
    # Biden was vice-president, not head of state, in 2015: the knowledge has no term of
    # his as head of state that covers it, so the articles' dates stand.
    graph = corpus_of(article("biden-2015", "2015-05-01", BIDEN), article("biden-2022", "2022-12-23", BIDEN))
    [tenure] = tenures_of(graph, "Joe Biden")
    assert dates(graph, tenure) == {
        "first": day("2015-05-01"),
        "last": day("2022-12-23"),
        "start": day("2015-05-01"),
        "end": day("2022-12-23"),
    }


def test_tenures_conform_to_the_shapes_and_a_reversed_period_does_not():
    articles = [article("a-2020", "2020-03-01", ANNA), article("a-2021", "2021-06-30", ANNA)]
    extractions = resolve([extraction_from_json(a, origin=f"{a['id']}.json") for a in articles])
    dataset = extractions_to_dataset(extractions)
    report = validate(dataset)
    assert report.conforms, report.text
    assert report.warnings == []
    corpus = dataset.graph(corpus_graph_iri(DEFAULT_BASE))
    [tenure] = tenures_of(corpus, "Anna Alpha")
    corpus.set((tenure, GB.firstAttested, Literal("2022-01-01", datatype=XSD.date)))
    report = validate(dataset)
    assert not report.conforms
    assert "gb:firstAttested must not be after its gb:lastAttested" in report.text


# -- One head of state per country at a time: `graphbuilder validate` warns -----------------


def write_articles(folder: Path, *articles: dict) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for item in articles:
        path = folder / f"{item['id']}.json"
        path.write_text(json.dumps(item), encoding="utf-8")
        paths.append(path)
    return paths


def head_of_utopia(holder: str) -> tuple[str, str, str | None, str | None]:
    return (holder, "head_of_state", "Utopia", None)


@pytest.fixture
def validate_built(run, tmp_path):
    """Return a function that builds the articles with the CLI and validates the graph."""

    def built(*articles: dict):
        out = tmp_path / "out"
        build = run("build", *write_articles(tmp_path / "articles", *articles), "-o", out)
        assert build.exit_code == 0, build.output
        return run("validate", out)

    return built


def test_two_heads_of_state_of_one_country_at_once_give_a_warning(validate_built):
    result = validate_built(
        article("alpha-jan", "2020-01-10", head_of_utopia("Anna Alpha")),
        article("alpha-jun", "2020-06-20", head_of_utopia("Anna Alpha")),
        article("beta-mar", "2020-03-05", head_of_utopia("Bruno Beta")),
        article("beta-sep", "2020-09-01", head_of_utopia("Bruno Beta")),
    )
    assert result.exit_code == 0, result.output  # the graph conforms: a warning only
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        "warning: two heads of state of Utopia at once: Anna Alpha and Bruno Beta are both attested "
        "from 2020-03-05 to 2020-06-20 "
        "(Anna Alpha: alpha-jun (2020-06-20); Bruno Beta: beta-mar (2020-03-05))"
    ]
    assert "conforms to the shapes" in result.stderr


def test_two_articles_of_one_day_naming_two_heads_of_state_give_a_warning(validate_built):
    result = validate_built(
        article("says-alpha", "2021-04-01", head_of_utopia("Anna Alpha")),
        article("says-beta", "2021-04-01", head_of_utopia("Bruno Beta")),
    )
    assert result.exit_code == 0, result.output
    assert (
        "warning: two heads of state of Utopia at once: Anna Alpha and Bruno Beta are both attested "
        "on 2021-04-01 (Anna Alpha: says-alpha (2021-04-01); Bruno Beta: says-beta (2021-04-01))"
    ) in result.stderr.splitlines()


def test_successive_heads_of_state_give_no_warning(validate_built):
    result = validate_built(
        article("alpha-jan", "2020-01-10", head_of_utopia("Anna Alpha")),
        article("alpha-jun", "2020-06-20", head_of_utopia("Anna Alpha")),
        article("beta-jul", "2020-07-01", head_of_utopia("Bruno Beta")),
        article("beta-sep", "2020-09-01", head_of_utopia("Bruno Beta")),
        # Another post of the same country at the same time is no second head of state.
        article("beta-gov", "2020-03-01", ("Bruno Beta", "head_of_government", "Utopia", None)),
        # Nor is an undated article, which attests no time.
        article("beta-undated", None, head_of_utopia("Bruno Beta")),
    )
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.stderr
    assert "conforms to the shapes" in result.stderr


# -- `graphbuilder query posts-of`: one row per tenure, on both engines ---------------------


@pytest.mark.parametrize("store", ["files", "oxigraph"])
def test_posts_of_gives_one_row_per_post_with_its_period_and_titles(tmp_path, store):
    import graphbuilder

    files = write_articles(
        tmp_path / "articles",
        article("a-2021", "2021-06-30", ANNA, title="Chief Negotiator"),
        article("a-2020", "2020-03-01", ANNA, title="Chief negotiator of Utopia"),
        article("a-undated", None, ANNA, title="Chief Negotiator"),
        article("a-2022", "2022-01-10", ("Anna Alpha", "ambassador", "Utopia", "Freedonia")),
    )
    kg = graphbuilder.load(graphbuilder.build(files, out=tmp_path / "out", store=store).out)
    assert kg.query("posts-of", person="anna alpha") == [
        {
            "role": "official",
            "of": "Utopia",
            "to": None,
            "from": day("2020-03-01"),
            "until": day("2021-06-30"),
            "first_attested": day("2020-03-01"),
            "last_attested": day("2021-06-30"),
            "articles": 3,
            "titles": "Chief Negotiator; Chief negotiator of Utopia",
        },
        {
            "role": "ambassador",
            "of": "Utopia",
            "to": "Freedonia",
            "from": day("2022-01-10"),
            "until": day("2022-01-10"),
            "first_attested": day("2022-01-10"),
            "last_attested": day("2022-01-10"),
            "articles": 1,
            "titles": None,
        },
    ]
    assert kg.query("posts-of", person="Utopia") == []  # a country holds no post
