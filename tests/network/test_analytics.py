"""stats, path and export: the actor network analysed with networkx, library and CLI.

Real built graphs: each annotated set (`built_annotated`: the gold dev corpus and the
constructed set), and a small graph built from one hand-written extraction file whose
names and evidence are hostile text (quotes, commas, newlines, markup, control characters).
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

import networkx as nx
import pytest
from cli_checks import assert_error
from rich.cells import cell_len
from terminal import in_a_terminal, piped

from graphbuilder import build
from graphbuilder.cli import _util as cli_util
from graphbuilder.errors import NoPathError, OutputError, UsageError
from graphbuilder.model import PREDICATES
from graphbuilder.network.analytics import (
    find_actor,
    format_path,
    format_stats,
    graph_stats,
    relation_path,
)
from graphbuilder.network.export import export_network, export_path
from graphbuilder.network.graph import actor_network
from graphbuilder.network.view import graph_view
from graphbuilder.rdf.files import load_dataset
from graphbuilder.rdf.mapping import term_label
from graphbuilder.sparql.table import ELLIPSIS

ACME = 'Ac"me, Inc. <script>alert(1)</script>'
BRAVO = "Bravo\nLand"
CHARLIE = 'Charlie, "the" <b>envoy</b>'
DELTA = "Delta"
EVIDENCE = 'one,\n"two" <script>x</script>\tend'
TITLE = 'Title <b>tags</b>, "quotes" & commas'
SOURCE = 'https://example.org/a?b=1&c="2"'

# Hand-written for these tests: every relation of the path A -> C goes through Bravo;
# Acme and Bravo are linked twice, once each way; Delta is in no relation.
HOSTILE = {
    "id": "hostile",
    "source": SOURCE,
    "date": "2024-01-02",
    "title": TITLE,
    "text": "Not read: the annotations below are used as they are.",
    "actors": [
        {"name": ACME, "type": "Organization", "aliases": ["Acme", "Kim"]},
        {"name": BRAVO, "type": "Country", "aliases": ["Bravo"]},
        {"name": CHARLIE, "type": "Person", "aliases": ["Kim"]},
        {"name": DELTA, "type": "Location", "aliases": []},
    ],
    "roles": [{"holder": CHARLIE, "role": "ambassador", "of": BRAVO, "to": ACME}],
    "relations": [
        {
            "subject": ACME,
            "predicate": "condemned",
            "object": BRAVO,
            "date": "2024-01-01",
            "evidence": EVIDENCE + "\x0b\x1b[31m",
        },
        {"subject": BRAVO, "predicate": "met", "object": ACME, "evidence": "they met"},
        {"subject": CHARLIE, "predicate": "urged", "object": BRAVO},
    ],
}


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "hostile.json").write_text(json.dumps(HOSTILE), encoding="utf-8")
    return build([folder / "hostile.json"], out=folder / "out").out


@pytest.fixture(scope="module")
def hostile(hostile_out):
    return load_dataset(hostile_out)


@pytest.fixture(scope="module")
def annotated(built_annotated):
    return load_dataset(built_annotated.out)


@dataclass(frozen=True)
class PathFacts:
    """What an annotated set's graph says about one person, for finding actors and paths."""

    person: str
    iri: str
    alias: str  # another name of the person, written in odd case
    misspelt: str  # close to `person`, the name of no actor
    far: str  # two hops away, the first from the person's post
    first_hop: str
    within: tuple[str, tuple[str, ...]]  # an actor reached through these relations alone
    unknown: tuple[str, str]  # the name of no actor, and the closest name


ACTOR = "https://w3id.org/graphbuilder/id/actor/"
PATH_FACTS = {
    "gold": PathFacts(
        "Linda Thomas-Greenfield",
        ACTOR + "linda-thomas-greenfield_9ec353b80041",
        "ambassador thomas-greenfield",
        "Linda Tomas Greenfield",
        "Russia",
        "Linda Thomas-Greenfield --ambassador of--> United States",
        ("Russia", ("condemned", "urged")),
        ("Wendy Shermen", "Wendy Sherman"),
    ),
    "constructed": PathFacts(
        "Tor-Arne Vinding",
        ACTOR + "tor-arne-vinding_ec734238d197",
        "mr. VINDING",
        "Tor-Arne Vindng",
        "Halvard Lindqvist",
        "Tor-Arne Vinding --official of--> United Nations",
        ("Hamas", ("condemned", "urged")),
        ("Halvard Lindkvist", "Halvard Lindqvist"),
    ),
}


@pytest.fixture(scope="module")
def facts(annotated_set) -> PathFacts:
    return PATH_FACTS[annotated_set.name]


# -- stats --------------------------------------------------------------------------------


def test_stats_count_what_the_build_wrote(annotated, built_annotated):
    stats = graph_stats(annotated)
    assert (stats.articles, stats.actors, stats.relations, stats.roles) == (
        built_annotated.articles,
        built_annotated.actors,
        built_annotated.relations,
        built_annotated.roles,
    )
    assert sum(stats.actors_by_type.values()) == stats.actors
    assert sum(stats.relations_by_predicate.values()) == stats.relations
    assert sum(stats.roles_by_type.values()) == stats.roles
    view = graph_view(annotated)
    assert stats.relations_by_predicate == dict(Counter(e.relation for e in view.edges))


def test_stats_rank_actors_by_name_most_central_first(annotated):
    stats = graph_stats(annotated, top=3)
    view = graph_view(annotated)
    degree = Counter([e.source for e in view.edges] + [e.target for e in view.edges])
    label = {n.id: n.label for n in view.nodes}
    assert [a.score for a in stats.degree] == sorted(degree.values(), reverse=True)[:3]
    assert all(a.label == label[a.id] and not a.label.startswith("http") for a in stats.degree)
    for ranked in (stats.degree, stats.betweenness, stats.pagerank):
        assert len(ranked) == 3
        assert [a.score for a in ranked] == sorted((a.score for a in ranked), reverse=True)


def test_communities_partition_every_actor_in_a_relation_once(annotated):
    stats = graph_stats(annotated)
    members = [m.id for c in stats.communities for m in c.members]
    related = {e.source for e in graph_view(annotated).edges} | {
        e.target for e in graph_view(annotated).edges
    }
    assert len(members) == len(set(members)) and set(members) == related
    assert stats.isolated_actors == stats.actors - len(related)
    assert [c.size for c in stats.communities] == sorted((c.size for c in stats.communities), reverse=True)
    for community in stats.communities:  # most central (PageRank) member first
        assert [m.score for m in community.members] == sorted(
            (m.score for m in community.members), reverse=True
        )


def test_stats_json_has_the_documented_keys_and_is_the_same_each_run(annotated):
    text = format_stats(graph_stats(annotated, top=4), "json")
    assert text == format_stats(graph_stats(annotated, top=4), "json")
    document = json.loads(text)
    assert set(document) == {
        "articles",
        "actors",
        "relations",
        "reports",
        "roles",
        "actors_by_type",
        "relations_by_predicate",
        "roles_by_type",
        "top",
        "degree",
        "betweenness",
        "betweenness_sampled",
        "pagerank",
        "communities",
        "isolated_actors",
    }
    assert set(document["pagerank"][0]) == {"id", "label", "type", "score"}
    assert set(document["communities"][0]) == {"size", "members"}
    assert set(document["communities"][0]["members"][0]) == {"id", "label"}
    assert document["betweenness_sampled"] is False and len(document["degree"]) == 4


def test_stats_table_says_when_betweenness_was_sampled(annotated):
    stats = graph_stats(annotated)
    assert "estimated from a sample" not in format_stats(stats)
    assert "estimated from a sample" in format_stats(replace(stats, betweenness_sampled=True))


def test_stats_table_keeps_hostile_names_on_one_line(hostile):
    stats = graph_stats(hostile)
    assert stats.roles_by_type == {"ambassador": 1} and stats.isolated_actors == 1
    table = format_stats(stats)
    assert "Bravo Land" in table and BRAVO not in table and "\x1b" not in table


# -- path ---------------------------------------------------------------------------------


def test_actor_is_found_by_label_or_alias_in_any_case(annotated, facts):
    network = actor_network(graph_view(annotated))
    assert find_actor(network, facts.person) == facts.iri
    assert find_actor(network, "  " + facts.person.upper().replace(" ", "   ") + " ") == facts.iri
    assert find_actor(network, facts.alias) == facts.iri
    assert find_actor(network, facts.iri) == facts.iri


def test_unknown_actor_error_names_the_closest_actors(annotated, facts):
    with pytest.raises(UsageError, match=f"did you mean '{facts.person}'"):
        relation_path(annotated, facts.misspelt, facts.far)


def test_alias_of_several_actors_is_refused_with_their_names(hostile):
    with pytest.raises(UsageError, match="names several actors"):
        relation_path(hostile, "kim", "Delta")


def test_path_gives_every_event_of_each_hop_in_its_real_direction(hostile):
    path = relation_path(hostile, "acme", 'charlie, "the" <b>envoy</b>', ["condemned", "met", "urged"])
    assert [(h.source.label, h.target.label) for h in path.hops] == [(ACME, BRAVO), (BRAVO, CHARLIE)]
    first, second = path.hops
    assert [(e.relation, e.forward) for e in first.events] == [("condemned", True), ("met", False)]
    assert first.events[0].date == "2024-01-01"
    assert first.events[0].article_title == TITLE and first.events[0].article_source == SOURCE
    assert [(e.relation, e.forward, e.evidence) for e in second.events] == [("urged", False, None)]


def test_path_goes_through_posts_who_serves_whom(hostile):
    # Charlie is Bravo's ambassador posted to Acme: one hop, by the post, not two by relations.
    path = relation_path(hostile, "acme", 'charlie, "the" <b>envoy</b>')
    (hop,) = path.hops
    assert (hop.source.label, hop.target.label) == (ACME, CHARLIE)
    assert [(e.relation, e.forward) for e in hop.events] == [("posted_to", False)]
    (hop,) = relation_path(hostile, "Bravo", 'charlie, "the" <b>envoy</b>').hops
    assert sorted((e.relation, e.forward) for e in hop.events) == [("ambassador_of", False), ("urged", False)]


def test_posts_are_not_relations_when_the_path_is_limited_to_relation_types(hostile):
    path = relation_path(hostile, "acme", 'charlie, "the" <b>envoy</b>', ["met", "urged"])
    assert not {e.relation for hop in path.hops for e in hop.events} & {"posted_to", "ambassador_of"}
    assert [e.relation for hop in path.hops for e in hop.events] == ["met", "urged"]


def test_path_text_prints_arrows_evidence_and_articles_on_clean_lines(hostile):
    text = format_path(relation_path(hostile, "Acme", "Bravo"))
    assert "Bravo Land" in text and "\x1b" not in text and "\x0b" not in text
    assert f"{ACME} --condemned--> Bravo Land" in text
    assert f"{ACME} <--met-- Bravo Land" in text
    assert 'evidence: one, "two" <script>x</script> end [31m' in text
    assert "date: 2024-01-01" in text and "date: unknown" in text
    assert f"article: {TITLE} ({SOURCE})" in text


def test_path_lists_all_events_between_each_pair(annotated, facts):
    path = relation_path(annotated, facts.person, facts.far)
    view = graph_view(annotated)
    assert path.hops[0].source.label == facts.person
    assert path.hops[-1].target.label == facts.far
    for hop in path.hops:
        pair = {hop.source.id, hop.target.id}
        between = {e.id for e in view.edges if {e.source, e.target} == pair} | {
            r.id for r in view.roles if {r.holder, r.target} == pair
        }
        assert {e.id for e in hop.events} == between and between


def test_relation_filter_limits_the_path_to_those_relations(hostile):
    assert relation_path(hostile, "Acme", "Bravo", ["met"]).hops[0].events[0].relation == "met"
    with pytest.raises(NoPathError, match="through urged relations"):
        relation_path(hostile, "Acme", "Bravo", ["urged"])
    with pytest.raises(UsageError, match="unknown relation 'praised'"):
        relation_path(hostile, "Acme", "Bravo", ["praised"])


def test_no_path_between_unrelated_actors_is_an_error(hostile):
    with pytest.raises(NoPathError, match="links .* and Delta"):
        relation_path(hostile, "Acme", "Delta")


def test_path_json_has_every_hop_and_event(hostile):
    document = json.loads(
        format_path(
            relation_path(hostile, "Acme", 'Charlie, "the" <b>envoy</b>', ["condemned", "met", "urged"]),
            "json",
        )
    )
    assert document["length"] == 2 and document["relations"] == ["condemned", "met", "urged"]
    assert document["source"]["label"] == ACME and document["target"]["label"] == CHARLIE
    event = document["hops"][0]["events"][0]
    assert set(event) == {
        "id",
        "relation",
        "forward",
        "date",
        "evidence",
        "article_title",
        "article_source",
        "reports",
    }
    assert event["evidence"] == EVIDENCE + "\x0b\x1b[31m"  # JSON keeps the text exactly


# -- export -------------------------------------------------------------------------------


def read_back(path: Path, fmt: str) -> nx.MultiDiGraph:
    if fmt == "graphml":
        return nx.read_graphml(path, force_multigraph=True)
    return nx.MultiDiGraph(nx.read_gexf(path))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_export_reads_back_with_the_same_nodes_edges_and_attributes(annotated, tmp_path, fmt):
    (written,) = export_network(annotated, tmp_path / f"g.{fmt}", fmt)
    network = actor_network(graph_view(annotated))
    back = read_back(written, fmt)
    assert back.number_of_nodes() == network.number_of_nodes()
    assert back.number_of_edges() == network.number_of_edges()
    for node, data in network.nodes(data=True):
        assert back.nodes[node]["label"] == data["label"]
        assert back.nodes[node]["type"] == data["type"]
        assert back.nodes[node].get("aliases", "") == "; ".join(data["aliases"])
        assert back.nodes[node].get("wikidata") == data["wikidata"]
        assert {"degree", "betweenness", "pagerank"} <= set(back.nodes[node])
    for source, target, key, data in network.edges(keys=True, data=True):
        edge = back.edges[source, target, key]
        for field in ("relation", "date", "evidence", "article_title", "article_source"):
            assert edge.get(field) == data[field], field


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_export_keeps_hostile_text_and_drops_only_what_xml_cannot_hold(hostile, tmp_path, fmt):
    (written,) = export_network(hostile, tmp_path / f"h.{fmt}", fmt)
    back = read_back(written, fmt)
    labels = {data["label"] for _, data in back.nodes(data=True)}
    assert labels == {ACME, BRAVO, CHARLIE, DELTA}
    evidence = {d.get("evidence") for *_, d in back.edges(data=True)}
    assert EVIDENCE + "[31m" in evidence  # \x0b and ESC are not XML characters
    titles = {d["article_title"] for *_, d in back.edges(data=True)}
    assert titles == {TITLE}
    charlie = next(d for _, d in back.nodes(data=True) if d["label"] == CHARLIE)
    assert "ambassador" in charlie["roles"]


def test_csv_export_writes_nodes_and_edges_that_parse_back_exactly(hostile, tmp_path):
    written = export_network(hostile, tmp_path / "tables", "csv")
    assert [p.name for p in written] == ["nodes.csv", "edges.csv"]
    with open(written[0], newline="", encoding="utf-8") as handle:
        nodes = list(csv.DictReader(handle))
    with open(written[1], newline="", encoding="utf-8") as handle:
        edges = list(csv.DictReader(handle))
    assert sorted(n["label"] for n in nodes) == sorted([ACME, BRAVO, CHARLIE, DELTA])
    assert {n["label"]: n["aliases"] for n in nodes}[ACME] == "Acme; Kim"
    assert len(edges) == 3
    condemned = next(e for e in edges if e["relation"] == "condemned")
    assert condemned["evidence"] == EVIDENCE + "\x0b\x1b[31m"  # CSV keeps it all
    assert (condemned["source_label"], condemned["target_label"]) == (ACME, BRAVO)
    assert condemned["article_title"] == TITLE and condemned["date"] == "2024-01-01"
    assert next(e for e in edges if e["relation"] == "urged")["date"] == ""
    assert {n["label"]: n["community"] for n in nodes}[DELTA] == ""  # in no relation


def test_csv_of_an_annotated_set_has_one_row_per_actor_and_relation(annotated, tmp_path):
    nodes_csv, edges_csv = export_network(annotated, tmp_path, "csv")
    view = graph_view(annotated)
    nodes = list(csv.reader(io.StringIO(nodes_csv.read_text(encoding="utf-8"))))
    edges = list(csv.reader(io.StringIO(edges_csv.read_text(encoding="utf-8"))))
    assert nodes[0][:3] == ["id", "label", "type"] and len(nodes) == len(view.nodes) + 1
    assert edges[0][:3] == ["id", "source", "target"] and len(edges) == len(view.edges) + 1


def test_export_defaults_to_the_graph_folder(tmp_path):
    assert export_path(tmp_path, "graphml") == tmp_path / "graph.graphml"
    assert export_path(tmp_path / "graph.trig", "gexf") == tmp_path / "graph.gexf"
    assert export_path(tmp_path, "csv") == tmp_path


def test_export_to_an_unwritable_place_fails_and_leaves_no_file(hostile, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError):
        export_network(hostile, blocker / "graph.graphml", "graphml")
    with pytest.raises(OutputError, match="give a folder"):
        export_network(hostile, blocker, "csv")
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]
    assert blocker.read_text() == "not a folder"


def test_export_replaces_a_previous_file_and_leaves_no_temporary_files(hostile, tmp_path):
    target = tmp_path / "graph.gexf"
    target.write_text("old")
    export_network(hostile, target, "gexf")
    assert "<gexf" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["graph.gexf"]


# -- the command line ---------------------------------------------------------------------


def test_stats_command_prints_tables_and_json(run, built_annotated):
    table = run("stats", built_annotated.out, "--top", "3")
    assert table.exit_code == 0, table.stderr
    assert "Top 3 actors by PageRank" in table.stdout and "Communities:" in table.stdout
    document = json.loads(run("stats", built_annotated.out, "--format", "json").stdout)
    assert document["actors"] == built_annotated.actors and document["top"] == 10


def test_path_command_prints_the_chain_with_evidence(run, built_annotated, facts):
    result = run("path", facts.person.lower(), facts.far.upper(), "--graph", built_annotated.out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"{facts.person} to {facts.far}: 2 hops\n")
    assert facts.first_hop in result.stdout
    assert "evidence: " in result.stdout
    target, relations = facts.within
    as_json = run(
        "path",
        facts.person,
        target,
        "-g",
        built_annotated.out,
        "--format",
        "json",
        *(option for relation in relations for option in ("--relation", relation)),
    )
    assert as_json.exit_code == 0, as_json.stderr
    assert json.loads(as_json.stdout)["relations"] == list(relations)


def test_path_command_unknown_actor_is_one_line_exit_2(run, built_annotated, facts):
    unknown, closest = facts.unknown
    result = run("path", unknown, facts.far, "--graph", built_annotated.out)
    assert_error(result, 2, f"no actor named '{unknown}'", f"'{closest}'")


def test_path_command_without_a_path_is_one_line_exit_1(run, hostile_out):
    assert_error(run("path", "Acme", "Delta", "--graph", hostile_out), 1, "no chain of relations")


def test_export_command_writes_into_the_output_folder_by_default(run, hostile_out):
    result = run("export", hostile_out, "--format", "graphml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and "graph.graphml" in result.stderr
    assert nx.read_graphml(hostile_out / "graph.graphml").number_of_nodes() == 4


def test_export_command_csv_writes_two_files_into_the_given_folder(run, hostile_out, tmp_path):
    result = run("export", hostile_out, "-f", "csv", "--output", tmp_path / "tables")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == ["edges.csv", "nodes.csv"]


def test_export_command_unwritable_output_is_one_line_exit_1(run, hostile_out, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = run("export", hostile_out, "-f", "gexf", "-o", blocker / "graph.gexf")
    assert_error(result, 1, "cannot write here")


def test_analytics_commands_without_a_graph_are_one_line_errors(run, tmp_path):
    for args in (["stats", tmp_path], ["path", "A", "B", "-g", tmp_path], ["export", tmp_path, "-f", "csv"]):
        result = run(*args)
        assert_error(result, 1)


# -- one label per term; tables that fit the terminal (issue 17, items 5 and 12) ---------


def test_stats_counts_say_article_and_role_in_the_singular_for_one(hostile, annotated):
    one = format_stats(graph_stats(hostile)).splitlines()[0]
    assert one == "1 article, 4 actors, 3 events (3 reports), 1 role"
    several = format_stats(graph_stats(annotated)).splitlines()[0]
    assert several.split(", ")[0].endswith(" articles") and several.endswith(" roles")


def test_export_edges_are_labelled_as_the_ontology_labels_their_relation(annotated, tmp_path):
    (written,) = export_network(annotated, tmp_path / "g.graphml", "graphml")
    edges = [data for *_, data in read_back(written, "graphml").edges(data=True)]
    agreements = [e for e in edges if e["relation"] == "agreed_with"]
    assert agreements and {e["label"] for e in agreements} == {"agreed with"}  # what Gephi shows
    assert all(e["label"] == term_label(e["relation"]) for e in edges)


def test_export_edges_keep_the_relations_name_beside_its_label(annotated, tmp_path):
    (written,) = export_network(annotated, tmp_path / "g.gexf", "gexf")
    relations = {data["relation"] for *_, data in read_back(written, "gexf").edges(data=True)}
    assert "agreed_with" in relations and not any(" " in r for r in relations)


def test_csv_edges_have_the_label_column_the_readme_lists(annotated, tmp_path):
    _, edges_csv = export_network(annotated, tmp_path, "csv")
    with open(edges_csv, newline="", encoding="utf-8") as handle:
        edges = list(csv.DictReader(handle))
    assert {(e["label"], e["relation"]) for e in edges if "agreed" in e["relation"]} == {
        ("agreed with", "agreed_with")
    }
    assert all(e["label"] == term_label(e["relation"]) for e in edges)


def test_a_misspelt_relation_is_refused_with_the_closest_and_every_relation(hostile):
    with pytest.raises(UsageError) as refused:
        relation_path(hostile, "Acme", "Bravo", ["agreedwith"])
    message = str(refused.value)
    assert "unknown relation 'agreedwith'; did you mean 'agreed_with'?" in message
    assert all(name in message for name in PREDICATES)


def test_a_relation_close_to_none_is_refused_without_a_guess(hostile):
    with pytest.raises(UsageError) as refused:
        relation_path(hostile, "Acme", "Bravo", ["zzzz"])
    assert "did you mean" not in str(refused.value) and "condemned" in str(refused.value)


def test_a_relation_named_by_its_label_needs_no_guess(hostile):
    assert relation_path(hostile, "Acme", "Bravo", ["Met"]).relations == ("met",)


@pytest.fixture
def terminal(monkeypatch):
    """Make stdout count as a terminal 80 cells wide."""
    monkeypatch.setattr(cli_util, "_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")


def test_stats_tables_fit_a_terminal(run, built_annotated, terminal):
    result = run("stats", built_annotated.out)
    assert result.exit_code == 0, result.stderr
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= 80
    assert ELLIPSIS in result.stdout  # the communities' members were cut


def test_stats_tables_are_whole_when_stdout_is_not_a_terminal(run, built_annotated, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = run("stats", built_annotated.out)
    assert ELLIPSIS not in result.stdout
    assert max(cell_len(line) for line in result.stdout.splitlines()) > 80


def test_stats_on_a_real_terminal_fits_it_and_a_pipe_gets_it_whole(built_constructed):
    args = ["stats", str(built_constructed.out)]
    assert max(cell_len(line) for line in in_a_terminal(args).splitlines()) <= 80
    assert max(cell_len(line) for line in piped(args).splitlines()) > 80
