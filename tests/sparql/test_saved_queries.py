"""The saved query library: every query runs on each annotated set, says what it answers,
declares its parameters, binds them safely and finds the facts the articles state.

Exact answers are checked on a small graph these tests own (tests/data/queries, excerpts
of dev articles: see its README), so they hold however the dev corpus grows; on the dev
corpus and the constructed set the queries are checked against properties any corpus
keeps, and against facts each one's annotations state.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from annotated_sets import EMPTY_SAVED_QUERIES, saved_query_params

from graphbuilder import build
from graphbuilder.api import KnowledgeGraph
from graphbuilder.errors import QueryError, UsageError
from graphbuilder.sparql.query import list_saved_queries
from graphbuilder.sparql.saved import PAGE_PARAMS

SAVED = list_saved_queries()
HOSTILE_VALUE = 'x" } ?s ?p ?o {'
COLUMNS = {
    "actors": ["name", "type", "aliases", "wikidata", "articles"],
    "roles": ["person", "role", "of", "to", "title", "date", "article"],
    "relations": ["subject", "relation", "object", "date", "evidence", "article"],
    "condemnations": ["who", "whom", "date", "evidence", "article", "source", "url"],
    "timeline": ["date", "reported", "subject", "relation", "object", "evidence", "article"],
    "actor-relations": ["subject", "relation", "object", "date", "evidence", "article"],
    "hostility-between": ["date", "stance", "subject", "relation", "object", "evidence", "article"],
    "posts-of": [
        "role",
        "of",
        "to",
        "from",
        "until",
        "first_attested",
        "last_attested",
        "articles",
        "titles",
    ],
    "meetings": ["who", "whom", "date", "evidence", "article"],
    "actor-record": ["aspect", "value", "counterpart", "to", "date", "article"],
    "corroborated": [
        "subject",
        "relation",
        "object",
        "date",
        "reports",
        "sources",
        "first",
        "last",
        "plover",
        "cameo",
        "article_ids",
    ],
    "events": [
        "when",
        "subject",
        "relation",
        "object",
        "plover",
        "cameo",
        "reports",
        "sources",
        "confidence",
        "event",
    ],
    "ambassadors-to": ["ambassador", "of", "title", "date", "article"],
}


def declared_params(text: str) -> dict[str, str]:
    """Return parameter name -> default as the `# param:` header lines declare them."""
    params = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = re.match(r'^#\s*param:\s*(\w+)(?:\s+\[actor\])?\s+—\s+.+\(default "([^"]*)"\)\s*$', line)
        if match:
            params[match.group(1)] = match.group(2)
        else:
            assert not re.match(r"^#\s*param:", line), f"malformed param line: {line}"
    return params


QUERY_CORPUS = Path(__file__).resolve().parents[1] / "data" / "queries"


@pytest.fixture(scope="module")
def kg(built_annotated) -> KnowledgeGraph:
    """Return the graph of each annotated set in turn: the gold corpus, the constructed set."""
    return KnowledgeGraph.load(built_annotated.out)


@pytest.fixture(scope="module")
def gold_kg(built_gold) -> KnowledgeGraph:
    """Return the graph of the gold corpus, for tests of what its articles state."""
    return KnowledgeGraph.load(built_gold.out)


@pytest.fixture(scope="module")
def constructed_kg(built_constructed) -> KnowledgeGraph:
    """Return the graph of the constructed set, for tests of what its articles state."""
    return KnowledgeGraph.load(built_constructed.out)


# Where engines have been seen to differ, a test runs on both: rdflib over the graph
# files and Oxigraph over its store.
ENGINES = ["files", "oxigraph"]


def graph_of(out: Path, *article_ids: str, store: str = "files") -> KnowledgeGraph:
    """Return the graph built into `out` from the query corpus (only `article_ids` if given)."""
    files = [QUERY_CORPUS / f"{i}.json" for i in article_ids] or sorted(QUERY_CORPUS.glob("*.json"))
    return KnowledgeGraph.load(build(files, out=out, store=store).out)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> KnowledgeGraph:
    """Return the graph of the eight excerpts in tests/data/queries."""
    return graph_of(tmp_path_factory.mktemp("queries") / "out")


def rows_of(kg: KnowledgeGraph, name: str, **bindings) -> list[dict]:
    return kg.query(name, **bindings)


def test_the_library_holds_the_analyst_questions():
    assert set(COLUMNS) <= {q.name for q in SAVED}


@pytest.mark.parametrize("query", SAVED, ids=lambda q: q.name)
def test_saved_query_has_a_title_a_description_and_declares_each_values_default(query):
    assert query.title and query.title != query.name
    assert query.description and not query.description.startswith("#")
    params = declared_params(query.text)
    for name, default in params.items():
        if name in PAGE_PARAMS:  # the page's LIMIT / OFFSET clause holds the default
            clauses = re.findall(r"\b" + name + r"\s+(\d+)", query.text, re.IGNORECASE)
            assert clauses == [default], (query.name, name, clauses)
            continue
        lines = re.findall(r"VALUES\s+\?" + name + r"\s*\{([^{}]*)\}", query.text)
        assert lines == [f' "{default}" '], (query.name, name, lines)
    # Every VALUES line holding one literal default is a parameter the header names.
    single = set(re.findall(r'VALUES\s+\?(\w+)\s*\{\s*"[^"]*"\s*\}', query.text))
    assert single == set(params) - set(PAGE_PARAMS), query.name


@pytest.mark.parametrize("query", SAVED, ids=lambda q: q.name)
def test_saved_query_returns_rows_with_its_columns_on_each_annotated_set(kg, annotated_set, query):
    result = kg.run(query.name, **saved_query_params(annotated_set.name, query.name))
    assert result.kind == "SELECT", query.name
    assert bool(result.rows) != (query.name in EMPTY_SAVED_QUERIES[annotated_set.name]), query.name
    if query.name in COLUMNS:
        assert result.variables == COLUMNS[query.name]
    assert len(set(result.rows)) == len(result.rows), "duplicate rows"


@pytest.mark.parametrize("query", [q for q in SAVED if declared_params(q.text)], ids=lambda q: q.name)
def test_a_hostile_parameter_value_is_bound_as_a_literal_and_matches_nothing(kg, query):
    for name in declared_params(query.text):
        if name in PAGE_PARAMS:  # refused outright: only digits reach LIMIT / OFFSET
            with pytest.raises(QueryError, match="not a whole number"):
                kg.query(query.name, **{name: HOSTILE_VALUE})
            continue
        if name in {p.name for p in query.params if p.actor}:  # matched against the actors' names
            with pytest.raises(UsageError, match="no actor named"):
                kg.query(query.name, **{name: HOSTILE_VALUE})
            continue
        assert kg.query(query.name, **{name: HOSTILE_VALUE}) == [], (query.name, name)


def test_condemnations_give_who_whom_date_evidence_and_source_url(gold_kg):
    rows = rows_of(gold_kg, "condemnations")
    ltg = next(r for r in rows if r["who"] == "Linda Thomas-Greenfield")
    assert ltg["whom"] == "North Korea" and ltg["date"] == datetime.date(2021, 10, 20)
    assert "condemn North Korea" in ltg["evidence"]
    assert ltg["article"] == "seed-nk-dialogue" and ltg["source"] == "seed document"
    assert ltg["url"] is None  # the seed's source is not a URL
    us = next(
        r
        for r in rows
        if (r["who"], r["whom"], r["article"]) == ("United States", "Russia", "state-kerch-strait-2018")
    )
    assert us["date"] == datetime.date(2018, 11, 26)
    assert us["url"] == us["source"] and us["url"].startswith("http://government-world.com/")


def test_hostility_between_north_korea_and_the_united_states_counts_their_officials(gold_kg):
    rows = rows_of(gold_kg, "hostility-between")
    hostile = {(r["subject"], r["relation"], r["object"]) for r in rows if r["stance"] == "hostile"}
    assert ("Linda Thomas-Greenfield", "condemned", "North Korea") in hostile
    assert ("Kim Song", "condemned", "United States") in hostile  # both directions
    cooperative = {(r["subject"], r["relation"], r["object"]) for r in rows if r["stance"] == "cooperative"}
    assert cooperative == {("Linda Thomas-Greenfield", "invited", "North Korea")}
    assert all(r["relation"] != "urged" for r in rows)  # urging is neither
    dated = [r["date"] for r in rows if r["date"]]
    assert dated == sorted(dated)


def test_hostility_between_takes_any_two_countries(gold_kg):
    rows = rows_of(gold_kg, "hostility-between", country_a="Russia", country_b="Ukraine")
    assert {("Russia", "attacked", "Ukraine"), ("Vladimir Putin", "attacked", "Ukraine")} <= {
        (r["subject"], r["relation"], r["object"]) for r in rows
    }
    assert all(r["stance"] == "hostile" for r in rows)
    assert rows_of(gold_kg, "hostility-between", country_a="Japan", country_b="Rwanda") == []


def test_posts_of_lists_every_post_once_with_its_period(small):
    day = datetime.date.fromisoformat
    rows = rows_of(small, "posts-of")
    # Two articles (2021, 2023) name the post; the office-holder knowledge gives its term.
    assert rows == [
        {
            "role": "ambassador",
            "of": "United States",
            "to": "United Nations",
            "from": day("2021-02-25"),
            "until": day("2025-01-20"),
            "first_attested": day("2021-10-21"),
            "last_attested": day("2023-08-25"),
            "articles": 2,
            "titles": None,  # the excerpts give no title as written
        }
    ]
    guterres = rows_of(small, "posts-of", person="António Guterres")
    # Still held, says the knowledge: no end.
    assert [
        (
            r["role"],
            r["of"],
            r["to"],
            r["from"],
            r["until"],
            r["first_attested"],
            r["last_attested"],
            r["articles"],
        )
        for r in guterres
    ] == [
        ("official", "United Nations", None, day("2017-01-01"), None, day("2017-02-27"), day("2025-06-28"), 2)
    ]


def test_posts_of_one_person_spelled_two_ways_gathers_both_articles_under_one_name(small):
    day = datetime.date.fromisoformat
    faure = rows_of(small, "posts-of", person="Faure Gnassingbé")
    # No term the knowledge gives him as head of state covers 2005 and 2025 (he heads the
    # government since 2025-05): the period is the articles'.
    assert [(r["role"], r["of"], r["from"], r["until"], r["articles"]) for r in faure] == [
        ("head of state", "Togo", day("2005-02-19"), day("2025-06-28"), 2),
        ("official", "African Union", day("2025-06-28"), day("2025-06-28"), 1),
    ]
    # The unaccented spelling is an alias now: the parameter finds the actor by it.
    assert rows_of(small, "posts-of", person="Faure Gnassingbe") == faure


def test_posts_of_someone_who_held_no_post_is_empty(small):
    assert {r["name"] for r in rows_of(small, "actors")} >= {"Volodymyr Zelenskyy", "China"}
    assert rows_of(small, "posts-of", person="Volodymyr Zelenskyy") == []
    assert rows_of(small, "posts-of", person="China") == []


@pytest.mark.parametrize("person", ["Linda Thomas-Greenfield", "António Guterres", "Vladimir Putin"])
def test_posts_of_on_the_dev_corpus_are_that_persons_rows_of_the_roles_list_by_post(gold_kg, person):
    posts = rows_of(gold_kg, "posts-of", person=person)
    assert posts, f"{person} holds posts in several dev articles"
    by_post: dict[tuple, list[dict]] = defaultdict(list)
    for r in rows_of(gold_kg, "roles", limit=100000):
        if r["person"] == person:
            by_post[(r["role"], r["of"], r["to"])].append(r)
    expected = {}
    for post, rows in by_post.items():
        dates = sorted(r["date"] for r in rows if r["date"])
        titles = sorted({r["title"] for r in rows if r["title"]})
        expected[post] = (
            dates[0] if dates else None,
            dates[-1] if dates else None,
            len({r["article"] for r in rows}),
            "; ".join(titles) or None,
        )
    assert {
        (r["role"], r["of"], r["to"]): (r["first_attested"], r["last_attested"], r["articles"], r["titles"])
        for r in posts
    } == expected
    assert len(posts) == len(expected)  # one row per post
    for r in posts:  # the period holds every dated article that names the post
        assert r["from"] <= r["first_attested"] and (r["until"] is None or r["last_attested"] <= r["until"])
    starts = [r["from"] for r in posts]
    assert starts == sorted(starts)  # earliest first


def test_meetings_list_who_met_whom_with_date_and_evidence(gold_kg):
    rows = rows_of(gold_kg, "meetings")
    sherman = next(r for r in rows if r["who"] == "Wendy Sherman")
    assert sherman["whom"] == "Cho Hyundong" and sherman["date"] == datetime.date(2022, 6, 7)
    assert sherman["evidence"] and sherman["article"] == "state-sherman-cho-meeting-2022"
    assert ("Japan", "South Korea") in {(r["who"], r["whom"]) for r in rows}


def test_actor_record_has_type_aliases_wikidata_roles_and_both_sides_of_relations(gold_kg):
    person = rows_of(gold_kg, "actor-record")
    facts = {(r["aspect"], r["value"], r["counterpart"]) for r in person}
    assert {
        ("type", "Person", None),
        ("alias", "Ambassador Thomas-Greenfield", None),
        ("role", "ambassador", "United States"),
        ("agent", "condemned", "North Korea"),
        ("agent", "invited", "North Korea"),
    } <= facts
    country = rows_of(gold_kg, "actor-record", actor_name="North Korea")
    aspects = {r["aspect"] for r in country}
    assert {"type", "alias", "wikidata", "target"} <= aspects
    assert ("target", "condemned", "Linda Thomas-Greenfield") in {
        (r["aspect"], r["value"], r["counterpart"]) for r in country
    }
    assert any(
        str(r["value"]).startswith("http://www.wikidata.org/entity/Q")
        for r in country
        if r["aspect"] == "wikidata"
    )


def _report(doc_id: str, date: str, publisher: str, sentence: str, happened: str | None) -> dict:
    """Return an article (extraction format) in which Japan met South Korea."""
    relation = {"subject": "Japan", "predicate": "met", "object": "South Korea", "evidence": sentence}
    if happened:
        relation["date"] = happened
    return {
        "id": doc_id,
        "date": date,
        "publisher": publisher,
        "source": f"https://{publisher.lower().replace(' ', '')}.example/{doc_id}",
        "title": sentence,
        "text": sentence,
        "actors": [{"name": "Japan", "type": "Country"}, {"name": "South Korea", "type": "Country"}],
        "roles": [],
        "relations": [relation],
    }


def meetings_graph(out: Path, store: str = "files", event_window: str = "3") -> KnowledgeGraph:
    """Return a graph of three articles: two report one meeting (one dates it, the other was
    published the next day and does not), the third a meeting five weeks later."""
    folder = out.parent / f"{out.name}-articles"
    folder.mkdir()
    articles = [
        _report("a-summit", "2024-03-05", "Agence A", "Japan met South Korea on Tuesday.", "2024-03-05"),
        _report("b-summit", "2024-03-06", "Daily B", "South Korea held talks with Japan.", None),
        _report("c-later", "2024-04-10", "Agence A", "Japan met South Korea again on Tuesday.", "2024-04-09"),
    ]
    for article in articles:
        (folder / f"{article['id']}.json").write_text(json.dumps(article), encoding="utf-8")
    report = build(sorted(folder.glob("*.json")), out=out, store=store, event_window=event_window)
    return KnowledgeGraph.load(report.out)


@pytest.mark.parametrize("store", ENGINES)
def test_corroborated_lists_the_event_two_articles_report_once(tmp_path, store):
    rows = rows_of(meetings_graph(tmp_path / "out", store), "corroborated")
    assert [
        (r["subject"], r["relation"], r["object"], r["date"], r["reports"], r["sources"]) for r in rows
    ] == [("Japan", "met", "South Korea", datetime.date(2024, 3, 5), 2, 2)]
    (row,) = rows
    assert (row["first"], row["last"]) == (datetime.date(2024, 3, 5), datetime.date(2024, 3, 6))
    assert (row["plover"], row["cameo"]) == ("CONSULT", "040")
    assert row["article_ids"].split() == ["a-summit", "b-summit"]  # first published first


@pytest.mark.parametrize("store", ENGINES)
def test_corroborated_is_empty_when_every_report_is_its_own_event(tmp_path, store):
    kg = meetings_graph(tmp_path / "out", store, event_window="off")
    assert len(rows_of(kg, "events")) == 3
    assert rows_of(kg, "corroborated") == []


@pytest.mark.parametrize("store", ENGINES)
def test_events_counts_each_meeting_once_with_its_reports(tmp_path, store):
    rows = rows_of(meetings_graph(tmp_path / "out", store), "events")
    assert [(r["when"], r["subject"], r["relation"], r["object"], r["reports"]) for r in rows] == [
        ("2024-03-05", "Japan", "met", "South Korea", 2),
        ("2024-04-09", "Japan", "met", "South Korea", 1),
    ]


def test_events_on_the_dev_corpus_cover_every_relation_once(gold_kg):
    relations = rows_of(gold_kg, "relations", limit=100000)
    events = rows_of(gold_kg, "events", limit=100000)
    assert events, "the dev corpus has events"

    def key(subject, relation, obj):
        return tuple(sorted((subject, obj))) if relation in ("met", "agreed with") else (subject, obj)

    stated = {(r["relation"], *key(r["subject"], r["relation"], r["object"])) for r in relations}
    counted = {(r["relation"], *key(r["subject"], r["relation"], r["object"])) for r in events}
    assert counted == stated
    # Each article's report is in one event: no more reports are counted than there are.
    assert (
        len(events)
        <= sum(r["reports"] for r in events)
        <= len({(r["article"], r["subject"], r["relation"], r["object"]) for r in relations})
    )
    corroborated = rows_of(gold_kg, "corroborated")
    assert all(r["reports"] > 1 and len(set(r["article_ids"].split())) == r["reports"] for r in corroborated)
    assert len(corroborated) == sum(1 for r in events if r["reports"] > 1)


def test_ambassadors_to_the_united_nations(small):
    rows = rows_of(small, "ambassadors-to")
    assert [(r["ambassador"], r["of"], r["article"]) for r in rows] == [
        ("Kim Song", "North Korea", "seed-nk-dialogue"),
        ("Linda Thomas-Greenfield", "United States", "seed-nk-dialogue"),
        ("Linda Thomas-Greenfield", "United States", "usun-thomas-greenfield-reply-china-russia-2023"),
    ]
    yemen = rows_of(small, "ambassadors-to", organization="Yemen")
    assert [(r["ambassador"], r["of"]) for r in yemen] == [("Ismail Ould Cheikh Ahmed", "United Nations")]


def test_ambassadors_to_a_country_no_ambassador_is_posted_to_is_empty(small):
    assert "Ukraine" in {r["name"] for r in rows_of(small, "actors")}
    assert rows_of(small, "ambassadors-to", organization="Ukraine") == []


def test_ambassadors_to_the_un_on_the_dev_corpus_are_the_ambassador_rows_of_the_roles_list(kg):
    rows = rows_of(kg, "ambassadors-to")
    assert rows, "the dev corpus has ambassadors to the United Nations"
    assert all(r["ambassador"] and r["article"] for r in rows)
    posted = {
        (r["person"], r["of"], r["title"], r["date"], r["article"])
        for r in rows_of(kg, "roles", limit=100000)
        if r["role"] == "ambassador" and r["to"] == "United Nations"
    }
    assert {(r["ambassador"], r["of"], r["title"], r["date"], r["article"]) for r in rows} == posted


# The first attack each set states, by its attacker.
FIRST_ATTACK = {
    "gold": {
        "date": datetime.date(2018, 11, 25),
        "subject": "Russia",
        "relation": "attacked",
        "object": "Ukraine",
    },
    "constructed": {
        "date": datetime.date(2025, 2, 17),
        "subject": "Palestinian Islamic Jihad",
        "relation": "attacked",
        "object": "Israel",
    },
}


def test_timeline_is_in_time_order_by_event_date_else_report_date(kg, annotated_set):
    rows = rows_of(kg, "timeline")
    assert all(isinstance(r["reported"], datetime.date) for r in rows)
    keys = [str(r["date"] or r["reported"]) for r in rows]
    assert keys == sorted(keys)
    assert any(r["date"] is None for r in rows) and any(r["date"] is not None for r in rows)
    attack = FIRST_ATTACK[annotated_set.name]
    first = next(r for r in rows if r["subject"] == attack["subject"] and r["relation"] == "attacked")
    assert attack.items() <= first.items()


# One row each saved query must give on the constructed set (with the parameters of
# annotated_sets.py), as its annotations state it: the twins, on the project's own data,
# of the tests above of what the gold corpus states.
CONSTRUCTED_ROWS = {
    "actor-record": {"aspect": "role", "value": "official", "counterpart": "United Nations"},
    "actor-relations": {"subject": "Rami Khoury", "relation": "accused", "object": "Israel"},
    "actors": {"name": "Turkey", "type": "Country", "articles": 1},
    "ambassadors-to": {"ambassador": "Daniel Ben-Ami", "of": "Israel", "date": datetime.date(2025, 2, 20)},
    "events": {
        "subject": "Guyana",
        "relation": "condemned",
        "object": "Venezuela",
        "plover": "ACCUSE",
        "cameo": "111",
        "reports": 1,
    },
    "condemnations": {
        "who": "Kathleen Mercer",
        "whom": "China Coast Guard",
        "date": datetime.date(2025, 10, 14),
        "article": "philippines-china-scarborough-water-cannon-2025",
        "source": "constructed test article",
        "url": None,
    },
    "hostility-between": {"stance": "hostile", "subject": "Tariq Mahmood Rana", "relation": "threatened"},
    "meetings": {"who": "Matthias Gruber", "whom": "Nenad Petrović", "date": datetime.date(2025, 5, 27)},
    "posts-of": {"role": "ambassador", "of": "United Nations", "to": "Sudan"},
    "relations": {"subject": "Guyana", "relation": "condemned", "object": "Venezuela"},
    "roles": {"person": "Carlos Ramírez Oropeza", "role": "ambassador", "of": "Venezuela", "to": "Guyana"},
    "timeline": FIRST_ATTACK["constructed"],
}


@pytest.mark.parametrize(
    "query", [q for q in SAVED if q.name not in EMPTY_SAVED_QUERIES["constructed"]], ids=lambda q: q.name
)
def test_each_saved_query_finds_what_the_constructed_set_states(constructed_kg, query):
    rows = rows_of(constructed_kg, query.name, **saved_query_params("constructed", query.name))
    expected = CONSTRUCTED_ROWS[query.name]  # a new saved query needs a row here
    assert any(expected.items() <= row.items() for row in rows), (query.name, rows[:3])


def test_actor_relations_binding_replaces_the_default(gold_kg):
    japan = rows_of(gold_kg, "actor-relations", actor_name="Japan")
    assert japan and all("Japan" in (r["subject"], r["object"]) for r in japan)
    assert all("North Korea" in (r["subject"], r["object"]) for r in rows_of(gold_kg, "actor-relations"))


def test_actors_list_aliases_and_an_empty_string_when_there_are_none(small):
    rows = {r["name"]: r for r in rows_of(small, "actors")}
    assert rows["Democratic Republic of the Congo"]["aliases"] == "DRC"
    assert rows["United States"]["aliases"] == "U.S., US"  # sorted, comma-joined
    assert rows["China"]["aliases"] == ""
    assert rows["United States"]["articles"] == 6


def test_actors_list_one_row_for_a_person_spelled_two_ways(small):
    rows = {r["name"]: r for r in rows_of(small, "actors")}
    assert "Faure Gnassingbe" not in rows
    assert rows["Faure Gnassingbé"]["aliases"] == "Faure Gnassingbe, Gnassingbe"
    assert rows["Faure Gnassingbé"]["articles"] == 2


def test_actors_on_the_dev_corpus_have_a_type_an_alias_list_and_articles(kg):
    rows = rows_of(kg, "actors")
    assert rows
    for row in rows:
        assert row["type"] in {"Person", "Country", "Organization", "Group", "Location"}
        assert isinstance(row["aliases"], str) and row["name"] not in row["aliases"].split(", ")
        assert row["articles"] >= 1
    assert len({r["name"] for r in rows}) == len(rows)  # one label per actor


def test_declared_parameters_are_parsed_and_listed_by_the_queries_command():
    import re

    from typer.testing import CliRunner

    from graphbuilder.cli import app

    listing = CliRunner().invoke(app, ["queries"]).stdout
    for query in list_saved_queries():
        # A parameter is a one-variable VALUES line with a single default value.
        bound = set(re.findall(r"VALUES\s+\?(\w+)\s*\{\s*\"[^\"]*\"\s*\}", query.text))
        # ... or the LIMIT / OFFSET of a page.
        bound |= {
            name for name in PAGE_PARAMS if re.search(r"\b" + name + r"\s+\d+", query.text, re.IGNORECASE)
        }
        assert {p.name for p in query.params} == bound, query.name
        assert "param:" not in query.description
        for param in query.params:
            assert param.default is not None and param.meaning
            assert f"--param {param.name}=" in listing


PAGED = ["relations", "timeline", "roles"]


@pytest.mark.parametrize("name", PAGED)
def test_list_queries_come_in_pages_that_add_up_to_the_whole_list(kg, name):
    whole = kg.run(name, limit=100000).rows
    assert len(whole) > 6, name
    size = max(3, len(whole) // 8)  # eight pages or so: each query sorts the whole list
    pages = [kg.run(name, limit=size, offset=start).rows for start in range(0, len(whole), size)]
    assert all(0 < len(page) <= size for page in pages)
    # Each page is sorted on its own, so the pages together hold the same rows as the
    # whole list, each once.
    joined = [row for page in pages for row in page]
    assert sorted(joined, key=str) == sorted(whole, key=str)
    assert kg.run(name, limit=5, offset=len(whole)).rows == []


def test_relations_come_newest_first_with_undated_ones_last(kg):
    dates = [row["date"] for row in kg.query("relations", limit=100000)]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated, reverse=True)
    assert dates == dated + [None] * (len(dates) - len(dated))


def test_the_default_page_is_a_thousand_rows(kg):
    assert len(kg.run("relations", limit=1000).rows) == len(kg.run("relations").rows)
    assert len(kg.run("relations", limit=2).rows) == 2


@pytest.mark.parametrize("value", ["-1", "ten", "3; DROP", "1.5", ""])
def test_a_page_size_that_is_not_a_whole_number_is_refused(kg, value):
    with pytest.raises(QueryError, match="not a whole number"):
        kg.run("relations", limit=value)


def test_page_params_need_a_query_with_a_limit_clause(kg):
    with pytest.raises(QueryError, match="one LIMIT clause"):
        kg.run("SELECT ?s WHERE { ?s ?p ?o }", limit=3)


def test_a_misspelt_parameter_is_refused_naming_the_querys_parameters(kg):
    with pytest.raises(
        QueryError, match=r"the query has no \?actorname to bind \(its parameters are actor_name\)"
    ):
        kg.query("actor-relations", actorname="China")
    rows = kg.query("actor-relations", actor_name="Japan")  # the twin: the right name binds
    assert rows and all("Japan" in (str(r["subject"]), str(r["object"])) for r in rows)


def test_a_binding_no_variable_of_inline_sparql_takes_is_refused(kg):
    with pytest.raises(QueryError, match=r"no \?whom to bind \(its variables are \?l, \?who\)"):
        kg.query("SELECT ?l WHERE { ?who rdfs:label ?l }", whom="x")
    assert kg.query("SELECT ?l WHERE { ?who rdfs:label ?l }", l="Japan") == [{"l": "Japan"}]
