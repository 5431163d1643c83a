"""`export --format plover` and `--format events-tsv`: the events counted once, for event-data tools.

Graphs built (real build, real rdflib and pyoxigraph) from small extraction files written
for these tests in the gold format: three articles from three publishers report one
meeting of the Japanese and South Korean foreign ministers (one with the day, one undated,
one with the day in other words); a Treasury-style article reports sanctions on Russia and
Russia's sanctions on one of its own lawmakers; a statement reports a condemnation dated
only by its month and an attack whose sentence holds a tab, a newline and a backslash; and
an undated leaflet reports an appeal no date can be given to.

The PLOVER records are checked against the field list of the PLOVER manual (version 0.8,
chapter "Data Fields": the tables "PLOVER JSON", "Information object for actors", "for
text" and "for citations"), written out below.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from cli_checks import assert_error
from rdflib import URIRef

from graphbuilder import build
from graphbuilder.errors import GraphNotFoundError
from graphbuilder.network.events import TSV_COLUMNS, export_events, happening_events
from graphbuilder.network.export import export_network
from graphbuilder.rdf.corpus import corpus_graph_iri
from graphbuilder.rdf.files import load_dataset

# -- the manual's field list -----------------------------------------------------------------

#: PLOVER manual 0.8, table "PLOVER JSON": each field and whether it is required.
PLOVER_FIELDS = {
    "id": True,
    "has_event": False,
    "date": True,
    "time": False,
    "enddate": False,
    "endtime": False,
    "source": True,
    "recipient": False,
    "event": True,
    "event_loc": False,
    "event_text": False,
    "quad_code": False,
    "event_scale": False,
    "mode": False,
    "context": False,
    "link": False,
    "text": False,
    "text_info": False,
    "cite_info": False,
    "coder": False,
    "coded_date": False,
    "coded_time": False,
    "comment": False,
}
#: "Information object for actors".
ACTOR_FIELDS = {
    "code",
    "sector",
    "actor_text",
    "identifier_id",
    "identifier_text",
    "actor_loc",
    "religion",
    "ethnicity",
    "office",
    "gender",
    "age",
}
#: "Information object for text" and "Information object for citations".
TEXT_INFO_FIELDS = {"sequence", "start", "end", "text_story"}
CITE_INFO_FIELDS = {
    "corpus",
    "citation",
    "url",
    "title",
    "language",
    "publication",
    "license",
    "copyright",
    "coder",
    "codebook",
    "version",
}
#: The manual's sixteen event types, and REQUEST: the name POLECAT (and graphbuilder) give DEMAND.
PLOVER_EVENTS = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "DEMAND",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
} | {"REQUEST"}
#: The fields the manual lets a provider add, as docs/event-codes.md lists graphbuilder's.
EXTENSIONS = {"relation", "cameo_code", "report_count", "source_count", "confidence", "reports"}


def plover_problems(record: dict) -> list[str]:
    """Return what in `record` breaks the PLOVER field list (nothing: a valid record)."""
    problems = [
        f"missing {name}" for name, required in PLOVER_FIELDS.items() if required and name not in record
    ]
    problems += [f"unknown field {name}" for name in set(record) - set(PLOVER_FIELDS) - EXTENSIONS]

    def strings(name: str, value: object) -> None:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            problems.append(f"{name} is not a list of texts")

    def actors(name: str) -> None:
        value = record.get(name)
        if not isinstance(value, list) or not value:
            problems.append(f"{name} is not a list of actor objects")
            return
        for actor in value:
            if not isinstance(actor, dict) or not actor or set(actor) - ACTOR_FIELDS:
                problems.append(f"{name} has an actor with unknown keys: {actor}")
                continue
            if "code" in actor and not re.fullmatch(r"[A-Z]{3}", actor["code"]):
                problems.append(f"{name} code {actor['code']!r} is not 3 letters")
            if "sector" in actor and not re.fullmatch(r"[A-Z]{3}([A-Z]{3})?", actor["sector"]):
                problems.append(f"{name} sector {actor['sector']!r} is not 3 or 6 letters")
            if not all(isinstance(v, str) for v in actor.values()):
                problems.append(f"{name} has a value that is not text: {actor}")

    if not isinstance(record.get("id"), str) or not record.get("id"):
        problems.append("id is not a text")
    date = record.get("date")
    try:
        assert isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date)
        dt.date.fromisoformat(date)
    except (AssertionError, ValueError):
        problems.append(f"date {date!r} is not YYYY-MM-DD")
    actors("source")
    if "recipient" in record:
        actors("recipient")
    event = record.get("event")
    strings("event", event)
    if isinstance(event, list) and set(event) - PLOVER_EVENTS:
        problems.append(f"event {event} is not among PLOVER's types")
    for name in ("mode", "context", "event_text"):
        if name in record:
            strings(name, record[name])
    quad = record.get("quad_code")
    if "quad_code" in record and (type(quad) is not int or not 1 <= quad <= 4):
        problems.append(f"quad_code {quad!r} is not 1, 2, 3 or 4")
    for name in ("text", "coder", "comment", "coded_date"):
        if name in record and not isinstance(record[name], str):
            problems.append(f"{name} is not a text")
    info = record.get("text_info", {})
    if not isinstance(info, dict) or set(info) - TEXT_INFO_FIELDS:
        problems.append(f"text_info has unknown keys: {info}")
    elif info and not (type(info.get("start")) is int and type(info.get("end")) is int):
        problems.append(f"text_info offsets are not integers: {info}")
    cite = record.get("cite_info", {})
    if not isinstance(cite, dict) or set(cite) - CITE_INFO_FIELDS:
        problems.append(f"cite_info has unknown keys: {cite}")
    return problems


def test_the_validator_finds_what_breaks_the_field_list():
    good = {"id": "x", "date": "2024-03-05", "source": [{"code": "USA"}], "event": ["CONSULT"]}
    assert plover_problems(good) == []
    broken = {
        "id": "x",
        "date": "2024-3-5",
        "source": [{"code": "USA", "name": "United States"}],
        "event": ["MEET"],
        "quad_code": 5,
        "text_info": {"start": "1", "end": 4},
        "cite_info": {"publisher": "AP"},
        "extra": 1,
    }
    found = " | ".join(plover_problems(broken))
    for fragment in ("date", "unknown keys", "PLOVER's types", "quad_code", "offsets", "cite_info", "extra"):
        assert fragment in found, found
    assert "missing event" in " | ".join(plover_problems({k: v for k, v in good.items() if k != "event"}))


# -- the articles ---------------------------------------------------------------------------

KAMIKAWA, CHO = "Yoko Kamikawa", "Cho Tae-yul"
PEOPLE = [
    {"name": KAMIKAWA, "type": "Person", "aliases": []},
    {"name": CHO, "type": "Person", "aliases": []},
    {"name": "Japan", "type": "Country", "aliases": ["Japanese"]},
    {"name": "South Korea", "type": "Country", "aliases": ["South Korean"]},
]
MINISTERS = [
    {"holder": KAMIKAWA, "role": "minister", "of": "Japan", "title": "Foreign Minister"},
    {"holder": CHO, "role": "minister", "of": "South Korea", "title": "Foreign Minister"},
]
HOSTILE_SENTENCE = 'Hamas attacked Israel,\t"the statement" said \\ in a\nsecond line.'


def article(id_: str, text: str, relations: list[dict], **fields) -> dict:
    """Return an extraction file whose relations' evidence is found in `text` by the reader."""
    for relation in relations:
        assert relation["evidence"] in text, relation["evidence"]
    return {"id": id_, "title": id_.replace("-", " ").title(), "text": text, "relations": relations, **fields}


ARTICLES = [
    article(
        "meeting-jiji",
        "Japanese Foreign Minister Yoko Kamikawa met South Korean Foreign Minister Cho Tae-yul "
        "in Tokyo on Tuesday. The two ministers discussed North Korea.",
        [
            {
                "subject": KAMIKAWA,
                "predicate": "met",
                "object": CHO,
                "date": "2024-03-05",
                "evidence": "met South Korean Foreign Minister Cho Tae-yul",
                "sentence": "Japanese Foreign Minister Yoko Kamikawa met South Korean Foreign Minister "
                "Cho Tae-yul in Tokyo on Tuesday.",
            }
        ],
        source="https://jiji.example/2024/03/06/kamikawa-cho",
        publisher="Jiji Press",
        date="2024-03-06",
        actors=PEOPLE,
        roles=MINISTERS,
    ),
    article(
        "meeting-yonhap",
        "South Korean Foreign Minister Cho Tae-yul held talks with Japanese Foreign Minister "
        "Yoko Kamikawa in Tokyo.",
        [
            {
                "subject": CHO,
                "predicate": "met",
                "object": KAMIKAWA,
                "evidence": "held talks with Japanese Foreign Minister Yoko Kamikawa",
            }
        ],
        source="https://yonhap.example/AEN20240306",
        publisher="Yonhap News Agency",
        date="2024-03-06",
        actors=PEOPLE,
        roles=MINISTERS,
    ),
    article(
        "meeting-kyodo",
        "Yoko Kamikawa and Cho Tae-yul met on March 5, the foreign ministry said.",
        [
            {
                "subject": KAMIKAWA,
                "predicate": "met",
                "object": CHO,
                "date": "2024-03-05",
                "evidence": "Yoko Kamikawa and Cho Tae-yul met on March 5",
            }
        ],
        source="https://kyodo.example/news/2024/03/07",
        publisher="Kyodo News",
        date="2024-03-07",
        actors=PEOPLE,
    ),
    article(
        "sanctions-treasury",
        "The United States imposed sanctions on Russia over its war against Ukraine. Russia "
        "imposed sanctions on Russian lawmaker Oleg Ivanov for opposing the war.",
        [
            {
                "subject": "United States",
                "predicate": "sanctioned",
                "object": "Russia",
                "date": "2024-04-02",
                "evidence": "imposed sanctions on Russia",
            },
            {
                "subject": "Russia",
                "predicate": "sanctioned",
                "object": "Oleg Ivanov",
                "date": "2024-04-02",
                "evidence": "imposed sanctions on Russian lawmaker Oleg Ivanov",
            },
        ],
        source="https://treasury.example/news/press-releases/jy2222",
        publisher="U.S. Department of the Treasury",
        date="2024-04-02",
        actors=[
            {"name": "United States", "type": "Country", "aliases": []},
            {"name": "Russia", "type": "Country", "aliases": ["Russian"]},
            {"name": "Oleg Ivanov", "type": "Person", "aliases": []},
        ],
        roles=[{"holder": "Oleg Ivanov", "role": "official", "of": "Russia", "title": "lawmaker"}],
    ),
    article(
        "nato-statement",
        "In April, NATO condemned Russia for its missile strikes. Hamas attacked Israel, the statement said.",
        [
            {
                "subject": "NATO",
                "predicate": "condemned",
                "object": "Russia",
                "date": "2024-04",
                "evidence": "NATO condemned Russia",
            },
            {
                "subject": "Hamas",
                "predicate": "attacked",
                "object": "Israel",
                "date": "2024-05-08",
                "evidence": "Hamas attacked Israel",
                "sentence": HOSTILE_SENTENCE,
            },
        ],
        source="https://nato.example/cps/en/natohq/news_2024.htm",
        publisher="NATO",
        date="2024-05-10",
        actors=[
            {"name": "NATO", "type": "Organization", "aliases": []},
            {"name": "Russia", "type": "Country", "aliases": []},
            {"name": "Hamas", "type": "Organization", "aliases": []},
            {"name": "Israel", "type": "Country", "aliases": []},
        ],
    ),
    article(
        "undated-leaflet",
        "Japan urged North Korea to return to talks.",
        [
            {
                "subject": "Japan",
                "predicate": "urged",
                "object": "North Korea",
                "evidence": "Japan urged North Korea",
            }
        ],
        source="a leaflet",
        actors=[
            {"name": "Japan", "type": "Country", "aliases": []},
            {"name": "North Korea", "type": "Country", "aliases": []},
        ],
    ),
]
TEXTS = {a["id"]: a["text"] for a in ARTICLES}
NO_RELATIONS = [{**ARTICLES[0], "id": "quiet-day", "relations": []}]


def write_articles(folder: Path, articles: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for item in articles:
        (folder / f"{item['id']}.json").write_text(json.dumps(item), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = write_articles(tmp_path_factory.mktemp("events") / "articles", ARTICLES)
    return build([folder], out=folder.parent / "out").out


@pytest.fixture(scope="module")
def quiet(tmp_path_factory) -> Path:
    folder = write_articles(tmp_path_factory.mktemp("quiet") / "articles", NO_RELATIONS)
    return build([folder], out=folder.parent / "out").out


@pytest.fixture(scope="module")
def records(built, tmp_path_factory) -> list[dict]:
    path = tmp_path_factory.mktemp("plover") / "events.jsonl"
    export_events(load_dataset(built), path, "plover")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def by_relation(records: list[dict], relation: str) -> list[dict]:
    return [r for r in records if r["relation"] == relation]


# -- PLOVER ---------------------------------------------------------------------------------


def test_every_plover_record_follows_the_manuals_field_list(records):
    assert len(records) == 5  # six happenings, one with no date at all
    for record in records:
        assert plover_problems(record) == [], record


def test_plover_offsets_slice_the_article_text_to_the_evidence_words(records):
    sliced = 0
    for record in records:
        first = record["reports"][0]
        info = record["text_info"]
        assert TEXTS[first["article"]][info["start"] : info["end"]] == record["event_text"][0]
        for report in record["reports"]:
            assert TEXTS[report["article"]][report["start"] : report["end"]] == report["evidence"]
            sliced += 1
    assert sliced == 7  # three reports of the meeting, one of each other dated act


def test_three_reports_of_one_meeting_are_one_record_with_three_reports(records):
    (meeting,) = by_relation(records, "met")
    assert meeting["event"] == ["CONSULT"] and meeting["quad_code"] == 1 and meeting["cameo_code"] == "040"
    assert meeting["date"] == "2024-03-05" and "comment" not in meeting
    assert meeting["report_count"] == 3 and meeting["source_count"] == 3
    assert [r["article"] for r in meeting["reports"]] == ["meeting-jiji", "meeting-yonhap", "meeting-kyodo"]
    # Reciprocal: both ministers are the source, no recipient (the manual's CONSULT rule).
    assert "recipient" not in meeting
    assert meeting["source"] == [
        {"code": "JPN", "sector": "GOV", "actor_text": KAMIKAWA},
        {"code": "KOR", "sector": "GOV", "actor_text": CHO},
    ]
    assert meeting["cite_info"]["url"] == "https://jiji.example/2024/03/06/kamikawa-cho"
    assert meeting["cite_info"]["publication"] == "Jiji Press"
    assert meeting["text"].startswith("Japanese Foreign Minister Yoko Kamikawa met")


def test_sanctions_between_two_countries_are_sanction_and_on_the_countrys_own_official_coerce(records):
    sanctions = {r["recipient"][0]["actor_text"]: r for r in by_relation(records, "sanctioned")}
    assert sorted(sanctions) == ["Oleg Ivanov", "Russia"]
    abroad, at_home = sanctions["Russia"], sanctions["Oleg Ivanov"]
    assert abroad["event"] == ["SANCTION"] and abroad["cameo_code"] == "163" and "mode" not in abroad
    assert abroad["source"][0]["code"] == "USA" and abroad["recipient"][0]["code"] == "RUS"
    assert abroad["source"][0]["identifier_id"] == "Q30"  # owl:sameAs from the gazetteer
    assert at_home["event"] == ["COERCE"] and at_home["mode"] == ["restrict"] and at_home["quad_code"] == 4
    assert at_home["cameo_code"] == "172"
    assert at_home["recipient"] == [{"code": "RUS", "sector": "GOV", "actor_text": "Oleg Ivanov"}]


def test_organizations_get_plovers_non_state_codes_and_sectors(records):
    (condemned,) = by_relation(records, "condemned")
    assert condemned["source"][0]["code"] == "IGO" and condemned["recipient"][0]["code"] == "RUS"
    (attack,) = by_relation(records, "attacked")
    hamas = attack["source"][0]
    assert hamas["sector"] == "REB" and "code" not in hamas  # REB is a sector, not an actor code
    assert attack["event"] == ["ASSAULT"] and attack["recipient"][0]["code"] == "ISR"


def test_a_month_only_happening_is_dated_by_its_first_report_and_says_so(records):
    (condemned,) = by_relation(records, "condemned")
    assert condemned["date"] == "2024-05-10"
    assert "only the month (2024-04)" in condemned["comment"]
    assert condemned["reports"][0]["date"] == "2024-04"


def test_records_are_sorted_by_date_then_id_and_carry_no_time_of_coding(records):
    keys = [(r["date"], r["id"]) for r in records]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert not any("coded_date" in r or "coded_time" in r for r in records)
    assert all(re.fullmatch(r"graphbuilder \S+", r["coder"]) for r in records)


def test_a_happening_without_any_date_is_left_out_of_plover_and_kept_in_the_tsv(built, tmp_path):
    events = happening_events(load_dataset(built))
    undated = [e for e in events if e.day is None]
    assert [(e.relation, e.agent.label, e.target.label) for e in undated] == [
        ("urged", "Japan", "North Korea")
    ]
    written = export_events(load_dataset(built), tmp_path / "e.jsonl", "plover")
    assert (written.events, written.undated) == (5, 1)
    tsv = export_events(load_dataset(built), tmp_path / "e.tsv", "events-tsv")
    assert (tsv.events, tsv.undated) == (6, 0)
    last = (tmp_path / "e.tsv").read_text(encoding="utf-8").splitlines()[-1].split("\t")
    row = dict(zip(TSV_COLUMNS, last))
    assert row["Event Date"] == "" and row["PLOVER Type"] == "REQUEST" and row["URL"] == "a leaflet"


def test_the_same_graph_gives_byte_identical_files(built, tmp_path):
    # Read once from the graph files, once from another build of the same articles into a store.
    again = build([built.parent / "articles"], out=tmp_path / "again", store="oxigraph").out
    for fmt in ("plover", "events-tsv"):
        first, second = tmp_path / f"1.{fmt}", tmp_path / f"2.{fmt}"
        export_events(load_dataset(built / "graph.trig"), first, fmt)
        export_events(load_dataset(again), second, fmt)
        assert first.read_bytes() == second.read_bytes() and first.stat().st_size > 0


# -- the TSV --------------------------------------------------------------------------------


def test_every_tsv_row_has_the_headers_number_of_fields(built, tmp_path):
    path = export_events(load_dataset(built), tmp_path / "events.tsv", "events-tsv").path
    lines = path.read_bytes().decode("utf-8").split("\n")
    assert lines[-1] == "" and lines[0].split("\t") == list(TSV_COLUMNS)
    rows = [line.split("\t") for line in lines[1:-1]]
    assert len(rows) == 6 and {len(row) for row in rows} == {len(TSV_COLUMNS)}
    attack = next(
        dict(zip(TSV_COLUMNS, row)) for row in rows if row[TSV_COLUMNS.index("PLOVER Type")] == "ASSAULT"
    )
    # The sentence's tab, newline and backslash are escaped, and read back exactly.
    assert attack["Sentence"] == HOSTILE_SENTENCE.replace("\\", "\\\\").replace("\t", "\\t").replace(
        "\n", "\\n"
    )
    unescaped = re.sub(
        r"\\(.)", lambda m: {"t": "\t", "n": "\n", "r": "\r"}.get(m[1], m[1]), attack["Sentence"]
    )
    assert unescaped == HOSTILE_SENTENCE
    meeting = next(
        dict(zip(TSV_COLUMNS, row)) for row in rows if row[TSV_COLUMNS.index("Event Text")] == "met"
    )
    assert (meeting["Reports"], meeting["Sources"], meeting["Story ID"]) == ("3", "3", "meeting-jiji")
    assert (meeting["Source Country"], meeting["Source Sector"], meeting["CAMEO Code"]) == (
        "JPN",
        "GOV",
        "040",
    )


# -- nothing here ---------------------------------------------------------------------------


def test_a_graph_with_articles_but_no_relations_gives_no_records_and_a_header_only_table(quiet, tmp_path):
    assert happening_events(load_dataset(quiet)) == []
    plover = export_events(load_dataset(quiet), tmp_path / "none.jsonl", "plover")
    assert plover.events == 0 and plover.path.read_bytes() == b""
    tsv = export_events(load_dataset(quiet), tmp_path / "none.tsv", "events-tsv")
    assert tsv.path.read_text(encoding="utf-8") == "\t".join(TSV_COLUMNS) + "\n"


@pytest.fixture(scope="module")
def old_graph(built, tmp_path_factory) -> Path:
    """A graph file as an older graphbuilder wrote it: the articles' events, no happenings."""
    dataset = load_dataset(built / "graph.trig")
    dataset.remove_graph(dataset.graph(corpus_graph_iri()))
    path = tmp_path_factory.mktemp("old") / "graph.trig"
    dataset.serialize(path, format="trig")
    return path


def test_a_graph_without_happenings_is_refused_saying_to_rebuild(old_graph, tmp_path):
    with pytest.raises(GraphNotFoundError, match="rebuild it with this version"):
        export_events(load_dataset(old_graph), tmp_path / "x.jsonl", "plover")
    assert not (tmp_path / "x.jsonl").exists()


def test_a_graph_with_reports_outside_any_happening_is_refused_saying_how_many(built, tmp_path):
    dataset = load_dataset(built / "graph.trig")
    corpus = dataset.graph(corpus_graph_iri())
    (meeting,) = [e.iri for e in happening_events(dataset) if e.relation == "met"]
    corpus.remove((URIRef(meeting), None, None))
    with pytest.raises(GraphNotFoundError, match=r"belong to no happening \(gb:Happening; 3 of 8\)"):
        happening_events(dataset)


# -- the command ----------------------------------------------------------------------------


def test_export_command_writes_the_events_beside_the_graph(run, built):
    for fmt, name, count in (
        ("plover", "graph-events.plover.jsonl", 5),
        ("events-tsv", "graph-events.tsv", 6),
    ):
        result = run("export", built, "--format", fmt)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == "" and f"wrote {built / name} ({count} events)" in result.stderr
        assert (built / name).stat().st_size > 0
    assert "warning: 1 event has no date at all" in run("export", built, "-f", "plover").stderr


def test_export_command_writes_the_events_to_standard_output(run, built):
    result = run("export", built, "-f", "events-tsv", "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Event ID\tEvent Date\t") and result.stdout.count("\n") == 7
    assert "wrote" not in result.stderr
    plover = run("export", built / "graph.ttl", "-f", "plover", "-o", "-")
    assert [json.loads(line)["id"] for line in plover.stdout.splitlines()] == [
        r.id for r in happening_events(load_dataset(built)) if r.day
    ]


def test_export_command_on_a_graph_without_happenings_is_one_line_exit_1(run, old_graph, tmp_path):
    for fmt in ("plover", "events-tsv"):
        result = run("export", old_graph, "-f", fmt, "-o", tmp_path / f"out.{fmt}")
        assert_error(result, 1, "has reports of events but no happenings", "rebuild it with this version")
    assert list(tmp_path.iterdir()) == []


def test_export_command_on_a_graph_with_no_relations_writes_zero_events(run, quiet):
    result = run("export", quiet, "-f", "events-tsv")
    assert result.exit_code == 0, result.stderr
    assert "(0 events)" in result.stderr
    assert (quiet / "graph-events.tsv").read_text(encoding="utf-8") == "\t".join(TSV_COLUMNS) + "\n"


def test_export_network_hands_the_event_formats_to_the_events_export(built, tmp_path):
    (written,) = export_network(load_dataset(built), tmp_path / "events.jsonl", "plover")
    assert len(written.read_text(encoding="utf-8").splitlines()) == 5
