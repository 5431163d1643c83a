"""The build benchmark's corpus generator (bench/make_corpus.py): deterministic, the size
asked for, names really substituted, and articles that graphbuilder builds."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def make_corpus():
    """Return the bench/make_corpus.py module (bench/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("make_corpus", BENCH / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while defined
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


@pytest.fixture(scope="module")
def sources(make_corpus, annotated_dir):
    return make_corpus.load_sources(annotated_dir)


def test_same_seed_writes_the_same_files(make_corpus, annotated_dir, tmp_path):
    first = make_corpus.make_corpus(tmp_path / "a", 30, source=annotated_dir, seed=4)
    second = make_corpus.make_corpus(tmp_path / "b", 30, source=annotated_dir, seed=4)
    other = make_corpus.make_corpus(tmp_path / "c", 30, source=annotated_dir, seed=5)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert [p.read_bytes() for p in first] != [p.read_bytes() for p in other]


def test_a_smaller_corpus_is_the_start_of_a_larger_one(make_corpus, sources):
    assert make_corpus.generate_articles(sources, 10) == make_corpus.generate_articles(sources, 25)[:10]


def test_writes_the_number_of_articles_asked_for_as_dated_article_files(make_corpus, annotated_dir, tmp_path):
    paths = make_corpus.make_corpus(tmp_path / "corpus", 120, source=annotated_dir)
    assert len(paths) == 120 == len(list((tmp_path / "corpus").glob("*.json")))
    articles = [json.loads(p.read_text(encoding="utf-8")) for p in paths]
    assert len({a["id"] for a in articles}) == 120
    dates = {a["date"] for a in articles}
    assert all(re.fullmatch(r"2024-\d\d-\d\d", d) for d in dates)
    assert len(dates) > 60  # spread over the year
    for article in articles:
        assert not {"actors", "roles", "relations"} & article.keys()  # articles, not extractions
        assert 60 <= len(article["text"].split()) <= 2000


def test_articles_name_gazetteer_actors_their_source_sentences_do_not(make_corpus, sources):
    gazetteer = make_corpus.load_gazetteer()
    names = [e["name"] for e in gazetteer["countries"] + gazetteer["organizations"]]
    source_text = "\n".join(s for source in sources for s in source.sentences)
    unseen = [n for n in names if not re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", source_text)]
    articles = make_corpus.generate_articles(sources, 40)
    new_names = set()
    for article in articles:
        found = [n for n in unseen if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", article["text"])]
        assert found, f"{article['id']} names no actor absent from the source texts"
        new_names.update(found)
    assert len(new_names) > 40  # the actor set grows with the corpus


def test_gold_people_are_replaced_by_generated_people(make_corpus, sources):
    people = {a["name"] for s in sources for a in s.actors if a["type"] == "Person"}
    text = "\n".join(a["text"] for a in make_corpus.generate_articles(sources, 60))
    assert people and not [p for p in people if p in text]
    generated = {f"{g} {f}" for g in make_corpus.GIVEN_NAMES for f in make_corpus.FAMILY_NAMES}
    assert len({m for m in re.findall(r"[A-Z][a-z]+ [A-Z][a-z]+", text) if m in generated}) > 50


def test_split_sentences_keeps_abbreviations_and_drops_headings(make_corpus):
    text = (
        "U.S. Ambassador Linda Thomas-Greenfield met Mr. Kim Song on Tuesday. He left.\n\n"
        "A Heading Without A Stop\n\n"
        "Japan condemned the test. “It is reckless,” the minister said."
    )
    assert make_corpus.split_sentences(text) == [
        "U.S. Ambassador Linda Thomas-Greenfield met Mr. Kim Song on Tuesday.",
        "Japan condemned the test.",
        "“It is reckless,” the minister said.",
    ]


@pytest.mark.model
def test_generated_articles_build_into_a_graph_of_their_actors(make_corpus, constructed_dir, tmp_path):
    from graphbuilder import build

    # One source set is enough here: what is built is the generator's text, not the source's.
    paths = make_corpus.make_corpus(tmp_path / "corpus", 5, source=constructed_dir)
    report = build([tmp_path / "corpus"], out=tmp_path / "out")
    assert (report.articles, report.extracted) == (5, 5)
    assert report.actors > 20 and report.relations > 0 and report.triples > 200
    extracted = {
        a["name"]
        for p in (tmp_path / "out" / "extractions").glob("*.json")
        for a in json.loads(p.read_text(encoding="utf-8"))["actors"]
    }
    generated = {f"{g} {f}" for g in make_corpus.GIVEN_NAMES for f in make_corpus.FAMILY_NAMES}
    assert extracted & generated, "no generated person was extracted"
    assert len(paths) == 5
