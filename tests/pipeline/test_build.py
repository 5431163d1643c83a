"""The build pipeline: outputs, counts, determinism, and never a half-written out/."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from graphbuilder import Extractor, build, load
from graphbuilder.errors import ExtractionFormatError, OutputError, UsageError
from graphbuilder.model import Actor, Evidence, Extraction, Relation, extraction_from_json

OUTPUT_FILES = ("graph.ttl", "graph.trig", "graph.jsonld", "graph.html")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Return every file under `folder` by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def subset(annotated: Path, tmp_path: Path, count: int) -> Path:
    """Return a folder holding copies of the first `count` files of an annotated set."""
    folder = tmp_path / f"subset-{count}"
    folder.mkdir()
    for path in sorted(annotated.glob("*.json"))[:count]:
        shutil.copy(path, folder / path.name)
    return folder


def assert_isomorphic(expected: Graph, actual: Graph) -> None:
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        pytest.fail(
            "graphs differ\nonly in expected:\n"
            + only_expected.serialize(format="nt")
            + "only in actual:\n"
            + only_actual.serialize(format="nt")
        )


def test_annotated_sets_build_every_output_without_extraction(built_annotated, annotated_dir):
    annotated = sorted(annotated_dir.glob("*.json"))
    out = built_annotated.out
    assert built_annotated.articles == len(annotated)
    assert built_annotated.extracted == 0
    assert built_annotated.relations == sum(
        len(json.loads(p.read_text("utf-8"))["relations"]) for p in annotated
    )
    assert built_annotated.triples > 0
    for name in OUTPUT_FILES:
        assert (out / name).stat().st_size > 0, name
    assert sorted(p.name for p in (out / "extractions").iterdir()) == [p.name for p in annotated]


def test_extraction_files_are_valid_extraction_format(built_annotated):
    for path in (built_annotated.out / "extractions").glob("*.json"):
        obj = json.loads(path.read_text("utf-8"))
        assert list(obj)[:2] == ["id", "source"]  # the field order of docs/extraction-format.md
        assert extraction_from_json(obj, origin=str(path)).document.id == path.stem


def test_turtle_holds_the_union_of_the_trig_named_graphs(built_annotated):
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(built_annotated.out / "graph.trig", format="trig")
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    assert_isomorphic(Graph().parse(built_annotated.out / "graph.ttl", format="turtle"), union)
    assert_isomorphic(union, Graph().parse(built_annotated.out / "graph.jsonld", format="json-ld"))
    assert len(union) == built_annotated.triples


def test_two_builds_of_the_same_input_are_byte_identical(built_annotated, annotated_dir, tmp_path):
    again = build([annotated_dir], out=tmp_path / "again")
    first, second = snapshot(built_annotated.out), snapshot(again.out)
    for name in ("graph.ttl", "graph.trig", "graph.jsonld"):
        assert first[name] == second[name], name
    extractions = sorted(n for n in first if n.startswith("extractions"))
    assert extractions == sorted(n for n in second if n.startswith("extractions"))
    assert all(first[n] == second[n] for n in extractions)


def test_failed_build_leaves_previous_output_byte_for_byte(constructed_dir, tmp_path):
    out = tmp_path / "out"
    build([subset(constructed_dir, tmp_path, 2)], out=out)
    before = snapshot(out)
    bad = tmp_path / "bad" / "bad.json"
    bad.parent.mkdir()
    bad.write_text('{"id": "bad", "text": "x", "relations": [{"predicate": "praised"}]}')
    with pytest.raises(ExtractionFormatError):
        build([constructed_dir, bad.parent], out=out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "out", "subset-2"]  # no leftovers


def test_failed_first_build_creates_no_output_folder(tmp_path):
    with pytest.raises(Exception):
        build([tmp_path / "missing.txt"], out=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_build_that_cannot_move_a_file_into_place_changes_nothing(constructed_dir, tmp_path):
    out = tmp_path / "out"
    build([subset(constructed_dir, tmp_path, 2)], out=out)
    (out / "graph.html").unlink()
    (out / "graph.html").mkdir()  # a folder where a file must go
    before = snapshot(out)
    with pytest.raises(OutputError, match="graph.html"):
        build([subset(constructed_dir, tmp_path, 3)], out=out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "subset-2", "subset-3"]


def test_output_under_a_file_is_an_output_error(constructed_dir, tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    with pytest.raises(OutputError):
        build([subset(constructed_dir, tmp_path, 1)], out=blocker / "sub")


def test_output_folder_inside_the_input_folder_is_not_read_back(constructed_dir, tmp_path):
    articles = subset(constructed_dir, tmp_path, 2)
    first = build([articles], out=articles / "out")
    second = build([articles], out=articles / "out")
    assert first.articles == second.articles == 2


def test_names_without_ascii_letters_stay_distinct_actors(tmp_path):
    article = {
        "id": "cyr",
        "text": "Москва attacked Киев.",
        "actors": [{"name": "Москва", "type": "Country"}, {"name": "Киев", "type": "Country"}],
        "relations": [{"subject": "Москва", "predicate": "attacked", "object": "Киев"}],
    }
    path = tmp_path / "cyr.json"
    path.write_text(json.dumps(article, ensure_ascii=False), encoding="utf-8")
    build([path], out=tmp_path / "out")
    rows = load(tmp_path / "out").query(
        "PREFIX gb: <https://w3id.org/graphbuilder/ontology#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?a ?b WHERE { ?x gb:attacked ?y . ?x rdfs:label ?a . ?y rdfs:label ?b }"
    )
    assert [(r["a"], r["b"]) for r in rows] == [("Москва", "Киев")]


def test_rebuild_replaces_extractions_of_articles_no_longer_built(constructed_dir, tmp_path):
    out = tmp_path / "out"
    build([subset(constructed_dir, tmp_path, 3)], out=out)
    report = build([subset(constructed_dir, tmp_path, 1)], out=out)
    only = sorted(constructed_dir.glob("*.json"))[0].name
    assert [p.name for p in (out / "extractions").iterdir()] == [only]
    assert report.articles == 1


def test_base_option_names_every_instance_under_the_new_base(constructed_dir, tmp_path):
    out = tmp_path / "out"
    build([subset(constructed_dir, tmp_path, 1)], out=out, base="https://example.org/kg/")
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    subjects = {str(s) for s in graph.subjects()}
    assert subjects and all(s.startswith("https://example.org/kg/") for s in subjects)


def test_default_base_is_the_rdf_modules():
    from graphbuilder import DEFAULT_BASE
    from graphbuilder.rdf.mapping import DEFAULT_BASE as RDF_DEFAULT_BASE

    assert DEFAULT_BASE == RDF_DEFAULT_BASE


@pytest.mark.parametrize(
    "options, message",
    [
        ({"date": "2021-02-30"}, "not a real calendar date"),
        ({"date": "yesterday"}, "not a YYYY-MM-DD date"),
        ({"base": "example.org/id/"}, "not an absolute IRI"),
    ],
)
def test_bad_options_are_usage_errors(tmp_path, options, message):
    with pytest.raises(UsageError, match=message):
        build([tmp_path], out=tmp_path / "out", **options)


def test_load_returns_a_queryable_graph(built_annotated):
    kg = load(built_annotated.out)
    rows = kg.query(
        "PREFIX gb: <https://w3id.org/graphbuilder/ontology#> "
        "SELECT (COUNT(*) AS ?n) WHERE { ?event a gb:Event }"
    )
    assert int(rows[0]["n"]) == built_annotated.relations


@pytest.mark.model
def test_bundled_example_is_extracted_and_built(built_example):
    assert (built_example.articles, built_example.extracted) == (1, 1)
    assert built_example.actors > 0 and built_example.relations > 0
    for name in OUTPUT_FILES:
        assert (built_example.out / name).stat().st_size > 0, name
    assert [p.name for p in (built_example.out / "extractions").iterdir()] == ["seed-nk-dialogue.json"]


@pytest.mark.model
def test_extraction_is_deterministic_across_builds(built_example, tmp_path):
    again = snapshot(build(out=tmp_path / "out").out)
    first = snapshot(built_example.out)
    assert again.keys() == first.keys()
    for name in first:
        if name != "graph.html":  # the HTML view is checked by its own tests
            assert again[name] == first[name], name


def test_extraction_files_need_no_spacy_model(constructed_dir, tmp_path):
    # The extractor (and its model) is created only when some input needs extraction.
    report = build([subset(constructed_dir, tmp_path, 1)], out=tmp_path / "out", model="no_such_spacy_model")
    assert report.extracted == 0


@pytest.mark.model  # imports spaCy to try the pipeline
def test_unknown_model_is_reported_when_extraction_is_needed(tmp_path):
    from graphbuilder.errors import ModelError

    article = tmp_path / "a.txt"
    article.write_text("Envoy invites talks\n\nThe US invited North Korea to talks.", "utf-8")
    with pytest.raises(ModelError, match="no_such_spacy_model"):
        build([article], out=tmp_path / "out", model="no_such_spacy_model")
    assert not (tmp_path / "out").exists()


@pytest.mark.model
def test_text_articles_are_extracted_with_the_given_date(tmp_path):
    article = tmp_path / "Envoy invites talks.md"
    article.write_text(
        "# Envoy invites talks\n\nOn Wednesday, US Ambassador to the United "
        "Nations Linda Thomas-Greenfield invited North Korea to talks.\n",
        "utf-8",
    )
    report = build([article], out=tmp_path / "out", date="2021-10-21")
    extraction = json.loads(
        (tmp_path / "out" / "extractions" / "envoy-invites-talks.json").read_text("utf-8")
    )
    assert (report.extracted, extraction["date"], extraction["title"]) == (
        1,
        "2021-10-21",
        "Envoy invites talks",
    )
    assert {a["name"] for a in extraction["actors"]} >= {"North Korea"}


def test_importing_the_package_loads_neither_spacy_nor_rdflib():
    import subprocess
    import sys

    code = (
        "import sys, graphbuilder; "
        "print(sorted(m for m in ('spacy', 'rdflib', 'pyvis', 'trafilatura') "
        "if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"


@pytest.mark.parametrize(
    "name",
    [
        "build",
        "load",
        "read_inputs",
        "KnowledgeGraph",
        "Extractor",
        pytest.param("SpacyExtractor", marks=pytest.mark.model),  # spaCy
        "extractions_to_dataset",
        "write_html",
    ],
)
def test_public_api_names_resolve(name):
    import graphbuilder

    assert callable(getattr(graphbuilder, name))


@pytest.mark.model
def test_min_confidence_leaves_out_less_certain_relations(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(
        "Talks\n\nJapan condemned North Korea. During the May 2 summit, "
        "Japan and China asked Russia to stop.\n",
        encoding="utf-8",
    )
    everything = build([article], out=tmp_path / "all", date="2021-05-03")
    surest = build([article], out=tmp_path / "sure", date="2021-05-03", min_confidence=0.85)
    kept = json.loads((tmp_path / "sure" / "extractions" / "a.json").read_text(encoding="utf-8"))
    assert surest.relations < everything.relations
    assert kept["relations"] and all(r["confidence"] >= 0.85 for r in kept["relations"])


def test_min_confidence_outside_zero_to_one_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="min-confidence"):
        build(out=tmp_path / "out", min_confidence=1.5)


class SentenceVerbExtractor:
    """Another extractor, plugged in through the Extractor protocol: it reads sentences of
    the form "<Country> condemned <Country>." and nothing else (no spaCy)."""

    PATTERN = re.compile(r"([A-Z][a-z]+(?: [A-Z][a-z]+)*) condemned ([A-Z][a-z]+(?: [A-Z][a-z]+)*)\.")
    fingerprint = "condemned-sentences-1"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def extract_stream(self, documents):
        for document in documents:
            self.seen.append(document.id)
            found = [(m.group(1), m.group(2), m) for m in self.PATTERN.finditer(document.text)]
            names = sorted({n for who, whom, _ in found for n in (who, whom)})
            yield Extraction(
                document=document,
                actors=[Actor(name=n, type="Country") for n in names],
                relations=[
                    Relation(who, "condemned", whom, evidence=Evidence(m.group(0), m.start(), m.end()))
                    for who, whom, m in found
                ],
            )


def test_a_plugged_in_extractor_builds_the_graph_and_its_cache(tmp_path):
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "a.txt").write_text("Talks\n\nJapan condemned North Korea.\n", encoding="utf-8")
    (articles / "b.txt").write_text("Calm\n\nNothing happened today.\n", encoding="utf-8")
    extractor = SentenceVerbExtractor()
    assert isinstance(extractor, Extractor)
    report = build([articles], out=tmp_path / "out", date="2024-03-06", extractor=extractor)
    assert (report.extracted, report.relations, report.actors) == (2, 1, 2)
    rows = load(tmp_path / "out").query(
        "SELECT ?a ?b WHERE { ?e a gb:Event ; gb:agent [rdfs:label ?a] ; gb:target [rdfs:label ?b] }"
    )
    assert [(str(r["a"]), str(r["b"])) for r in rows] == [("Japan", "North Korea")]
    # Its fingerprint keys the cache: a second build reuses, a new fingerprint re-extracts.
    again = build([articles], out=tmp_path / "out", date="2024-03-06", extractor=extractor)
    assert (again.extracted, again.reused) == (0, 2)
    extractor.fingerprint = "condemned-sentences-2"
    assert build([articles], out=tmp_path / "out", date="2024-03-06", extractor=extractor).extracted == 2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"extractor": object()}, "object is not an extractor"),
        ({"extractor": SentenceVerbExtractor(), "model": "en_core_web_sm"}, "not both"),
        ({"extractor": SentenceVerbExtractor(), "jobs": 2}, "runs in this process"),
    ],
)
def test_an_extractor_that_cannot_run_is_a_usage_error(kwargs, message, tmp_path):
    (tmp_path / "a.txt").write_text("Talks\n\nJapan condemned China.\n", encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        build([tmp_path / "a.txt"], out=tmp_path / "out", **kwargs)
    assert not (tmp_path / "out").exists()


def test_an_extractor_that_skips_an_article_is_refused_before_anything_is_written(tmp_path):
    class Skipping(SentenceVerbExtractor):
        def extract_stream(self, documents):
            return list(super().extract_stream(documents))[1:]

    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text("T\n\nJapan condemned China.\n", encoding="utf-8")
    with pytest.raises(UsageError, match="one Extraction per document"):
        build([tmp_path], out=tmp_path / "out", extractor=Skipping())
    assert not (tmp_path / "out").exists()


def test_the_report_counts_actors_as_the_graph_has_them(tmp_path):
    article = {
        "id": "near-names", "title": "T", "date": "2024-01-02", "text": "Foo Bar met Foo-Bar. NATO met Nato.",
        "actors": [{"name": "Foo Bar", "type": "Person"}, {"name": "Foo-Bar", "type": "Organization"},
                   {"name": "NATO", "type": "Organization"}, {"name": "Nato", "type": "Organization"}],
        "relations": [{"subject": "Foo Bar", "predicate": "met", "object": "Foo-Bar"}],
    }  # fmt: skip
    (tmp_path / "a.json").write_text(json.dumps(article), encoding="utf-8")
    report = build([tmp_path / "a.json"], out=tmp_path / "out")
    rows = load(report.out).query("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a gb:Actor }")
    # Foo Bar and Foo-Bar are two actors; NATO and Nato differ only in case: one.
    assert report.actors == int(rows[0]["n"]) == 3
