"""The RDF mapping, the graph files and the ontology, on hand-made extractions.

Graphs here are built straight from the files of each annotated set (the gold corpus,
shared/corpus/dev, and the constructed set, tests/data/constructed) with
`extraction_from_json`, so no spaCy model is needed.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic

from graphbuilder import build
from graphbuilder.errors import GraphNotFoundError, GraphParseError
from graphbuilder.model import Actor, Document, Evidence, Extraction, Relation, Role, extraction_from_json
from graphbuilder.pipeline.resolve import resolve
from graphbuilder.rdf.corpus import corpus_graph_iri
from graphbuilder.rdf.dataset import extractions_to_dataset
from graphbuilder.rdf.files import load_dataset, write_graph_files
from graphbuilder.rdf.mapping import (
    DEFAULT_BASE,
    GB,
    actor_iri,
    dataset_to_extractions,
    graph_iri,
    merged_graph,
)
from graphbuilder.resources import example_path, ontology_path, saved_queries_dir, shapes_path

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
ID = DEFAULT_BASE


def read_gold(directory: Path) -> list[Extraction]:
    return [
        extraction_from_json(json.loads(p.read_text(encoding="utf-8")), origin=p.name)
        for p in sorted(directory.glob("*.json"))
    ]


@pytest.fixture(scope="module")
def extractions(annotated_dir) -> list[Extraction]:
    return read_gold(annotated_dir)


@pytest.fixture(scope="module")
def resolved(extractions) -> list[Extraction]:
    """The annotated extractions as the build maps them: one spelling per actor across articles.

    Gold files are annotated one by one ("Faure Gnassingbe" in one, "Faure Gnassingbé"
    in another); both spellings name one IRI with one label, so an article's own
    spelling comes back from RDF only once resolve has made it the same everywhere.
    """
    return resolve(extractions)


@dataclass(frozen=True)
class SampleFacts:
    """One article of an annotated set, and what its graph must say."""

    article: str  # its id; its graph is also in tests/golden/<id>.ttl
    condemnations: frozenset[tuple[str, str]]  # (who, whom) of each of its `condemned` relations
    dated: tuple[str, str, str]  # one of those, with its date
    ambassador: tuple[str, str, str]  # holder, of, to
    head_of_state: tuple[str, str]  # holder, of
    elsewhere: str  # an actor of another article of the set, absent from this one


SAMPLE_FACTS = {
    "gold": SampleFacts(
        "seed-nk-dialogue",
        frozenset({("Linda Thomas-Greenfield", "North Korea"), ("Kim Song", "United States")}),
        ("Linda Thomas-Greenfield", "North Korea", "2021-10-20"),
        ("Kim Song", "North Korea", "United Nations"),
        ("Joe Biden", "United States"),
        "Ukraine",
    ),
    "constructed": SampleFacts(
        "guyana-statement-venezuela-naval-incursion-2025",
        frozenset({("Guyana", "Venezuela")}),
        ("Guyana", "Venezuela", "2025-06-03"),
        ("Carlos Ramírez Oropeza", "Venezuela", "Guyana"),
        ("Devendra Persaud", "Guyana"),
        "Iran",
    ),
}


@pytest.fixture(scope="module")
def facts(annotated_set) -> SampleFacts:
    return SAMPLE_FACTS[annotated_set.name]


@pytest.fixture(scope="module")
def seed(annotated_dir, facts) -> Extraction:
    """Return the sample article of each annotated set (for the gold corpus, the seed article)."""
    path = annotated_dir / f"{facts.article}.json"
    return extraction_from_json(json.loads(path.read_text(encoding="utf-8")), origin=path.name)


@pytest.fixture(scope="module")
def annotated_dataset(extractions) -> Dataset:
    return extractions_to_dataset(extractions)


def assert_isomorphic(expected: Graph, actual: Graph) -> None:
    if to_isomorphic(expected) == to_isomorphic(actual):
        return
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    lines = ["graphs differ", "only in expected:"]
    lines += sorted(f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in only_expected)
    lines += ["only in actual:"]
    lines += sorted(f"  {s.n3()} {p.n3()} {o.n3()}" for s, p, o in only_actual)
    pytest.fail("\n".join(lines))


def comparable(extraction: Extraction) -> dict:
    """The parts of an extraction that RDF keeps, in an order-free form."""
    obj = extraction.to_json()
    return {
        "actors": sorted(
            json.dumps(dict(a, aliases=sorted(a["aliases"])), sort_keys=True) for a in obj["actors"]
        ),
        "roles": sorted(json.dumps(r, sort_keys=True) for r in obj["roles"]),
        "relations": sorted(json.dumps(r, sort_keys=True) for r in obj["relations"]),
        "document": {k: obj.get(k) for k in ("id", "title", "date", "source", "publisher", "license")},
    }


# -- extraction -> RDF -> extraction ------------------------------------------------------


def test_round_trip_preserves_actors_roles_relations_dates_and_evidence(resolved):
    back = dataset_to_extractions(extractions_to_dataset(resolved))
    assert [e.document.id for e in back] == sorted(e.document.id for e in resolved)
    for original, restored in zip(sorted(resolved, key=lambda e: e.document.id), back):
        assert comparable(restored) == comparable(original), original.document.id


def test_round_trip_through_the_trig_file_keeps_every_article(resolved, tmp_path):
    write_graph_files(extractions_to_dataset(resolved), tmp_path)
    back = dataset_to_extractions(load_dataset(tmp_path / "graph.trig"))
    assert [comparable(e) for e in back] == [
        comparable(e) for e in sorted(resolved, key=lambda e: e.document.id)
    ]


def _spelled(doc_id: str, name: str, actor_type: str = "Person", wikidata: str | None = None) -> Extraction:
    return Extraction(
        document=Document(id=doc_id, text="x"), actors=[Actor(name, actor_type, wikidata=wikidata)]
    )


def test_spellings_of_one_iri_get_the_same_label_and_type_in_any_article_order():
    # Names one up to letter case are one actor (rdf.mapping.actor_key), even unresolved.
    articles = [
        _spelled("a", "Faure Gnassingbe"),
        _spelled("b", "Faure Gnassingbe"),
        _spelled("c", "FAURE GNASSINGBE", "Organization", wikidata="Q57396"),
    ]
    iri = URIRef(ID + "actor/faure-gnassingbe")
    for order in (articles, articles[::-1], articles[1:] + articles[:1]):
        merged = merged_graph(extractions_to_dataset(order))
        # The spelling and the type two articles of three give, the one entity known.
        assert list(merged.objects(iri, RDFS.label)) == [Literal("Faure Gnassingbe")]
        assert set(merged.objects(iri, RDF.type)) == {GB.Actor, GB.Person}
        assert set(merged.objects(iri, GB.alias)) == {Literal("FAURE GNASSINGBE")}
        assert set(merged.objects(iri, OWL.sameAs)) == {URIRef("http://www.wikidata.org/entity/Q57396")}


def test_spellings_the_resolver_merges_become_one_iri_labelled_with_the_accents():
    articles = [_spelled("a", "Faure Gnassingbe"), _spelled("b", "Faure Gnassingbé")]
    for order in (articles, articles[::-1]):
        merged = merged_graph(extractions_to_dataset(resolve(order)))
        (iri,) = set(merged.subjects(RDF.type, GB.Actor))
        assert iri == actor_iri("Faure Gnassingbé")
        assert list(merged.objects(iri, RDFS.label)) == [Literal("Faure Gnassingbé")]
        assert set(merged.objects(iri, GB.alias)) == {Literal("Faure Gnassingbe")}


def test_names_with_different_slugs_stay_different_actors_with_their_own_labels():
    merged = merged_graph(
        extractions_to_dataset([_spelled("a", "Faure Gnassingbe"), _spelled("b", "Kpatcha Gnassingbé")])
    )
    labels = {str(o) for o in merged.objects(None, RDFS.label)}
    assert labels == {"Faure Gnassingbe", "Kpatcha Gnassingbé"}
    assert not set(merged.objects(None, GB.alias))


def test_round_trip_keeps_optional_fields_offsets_sentence_confidence_rule_title():
    doc = Document(id="d1", text="Japan met Korea. Kim is minister.", date="2024-01-02")
    extraction = Extraction(
        document=doc,
        actors=[
            Actor("Japan", "Country", ["Nippon"], wikidata="Q17"),
            Actor("Korea", "Country"),
            Actor("Kim", "Person"),
        ],
        roles=[
            Role(
                "Kim",
                "minister",
                of="Korea",
                title="Foreign Minister",
                evidence=Evidence("Kim is minister", 17, 32, "Kim is minister."),
                rule="title-before-name",
            )
        ],
        relations=[
            Relation(
                "Japan",
                "agreed_with",
                "Korea",
                date="2024-01-01",
                evidence=Evidence("Japan met Korea", 0, 15, "Japan met Korea."),
                confidence=0.85,
                rule="verb-object",
            )
        ],
    )
    ds = extractions_to_dataset([extraction])
    assert (URIRef(ID + "actor/japan"), GB.agreedWith, URIRef(ID + "actor/korea")) in ds
    assert (URIRef(ID + "actor/japan"), OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q17")) in ds
    [back] = dataset_to_extractions(ds)
    assert comparable(back) == comparable(extraction)
    assert back.relations[0].confidence == 0.85


def test_an_event_dated_by_month_round_trips_and_every_event_keeps_its_report_date():
    doc = Document(id="d2", text="Japan met Korea in November. Korea met China.", date="2024-01-02")
    extraction = Extraction(
        document=doc,
        actors=[Actor("Japan", "Country"), Actor("Korea", "Country"), Actor("China", "Country")],
        relations=[Relation("Japan", "met", "Korea", date="2023-11"), Relation("Korea", "met", "China")],
    )
    ds = extractions_to_dataset([extraction])
    dated = {str(d): d.datatype for d in ds.objects(None, GB.date)}
    assert dated == {"2023-11": XSD.gYearMonth}
    assert [str(d) for d in ds.objects(None, GB.reportedOn)] == ["2024-01-02", "2024-01-02"]
    [back] = dataset_to_extractions(ds)
    assert {(r.subject, r.date) for r in back.relations} == {("Japan", "2023-11"), ("Korea", None)}
    undated = Extraction(
        document=Document(id="d3", text="Japan met Korea."),
        actors=extraction.actors[:2],
        relations=[Relation("Japan", "met", "Korea")],
    )
    assert not list(extractions_to_dataset([undated]).objects(None, GB.reportedOn))


# -- the shape of the graph ---------------------------------------------------------------


def test_seed_condemnation_is_a_shortcut_triple_answered_by_simple_sparql(seed, facts):
    ds = extractions_to_dataset([seed])
    rows = ds.query("""
        PREFIX gb: <https://w3id.org/graphbuilder/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?who ?whom WHERE { ?w gb:condemned ?t . ?w rdfs:label ?who . ?t rdfs:label ?whom }
    """)
    pairs = {(str(who), str(whom)) for who, whom in rows}
    assert pairs == facts.condemnations


def test_every_shortcut_triple_is_backed_by_an_event_with_date_evidence_and_source(seed, facts):
    ds = extractions_to_dataset([seed])
    who, whom, date = facts.dated
    key = hashlib.sha1(f"{who}|condemned|{whom}".encode()).hexdigest()[:12]
    event = URIRef(f"{ID}event/{facts.article}/{key}")
    assert set(ds.objects(event, RDF.type)) == {GB.Event, GB.Condemnation}
    assert ds.value(event, GB.agent) == actor_iri(who)
    assert ds.value(event, GB.target) == actor_iri(whom)
    assert ds.value(event, GB.relationType) == GB.condemned
    assert ds.value(event, GB.date) == Literal(date, datatype=XSD.date)
    start, end = int(ds.value(event, GB.startOffset)), int(ds.value(event, GB.endOffset))
    assert seed.document.text[start:end] == str(ds.value(event, GB.evidenceText))
    assert (
        event,
        URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"),
        URIRef(f"{ID}article/{facts.article}"),
    ) in ds
    shortcuts = {
        (s, p, o) for s, p, o in ds.triples((None, None, None)) if p in set(ds.objects(None, GB.relationType))
    }
    backed = {
        (ds.value(e, GB.agent), ds.value(e, GB.relationType), ds.value(e, GB.target))
        for e in ds.subjects(RDF.type, GB.Event)
    }
    assert shortcuts == backed and len(backed) == len(seed.relations)


def test_role_nodes_use_the_hash_rule_and_give_role_shortcuts(seed, facts):
    ds = extractions_to_dataset([seed])
    holder, of, to = facts.ambassador
    key = hashlib.sha1(f"{holder}|ambassador|{of}|{to}".encode()).hexdigest()[:12]
    role = URIRef(f"{ID}role/{facts.article}/{key}")
    assert ds.value(role, GB.roleType) == GB.Ambassador
    assert ds.value(role, GB.holder) == actor_iri(holder)
    assert (actor_iri(holder), GB.ambassadorOf, actor_iri(of)) in ds
    assert (actor_iri(holder), GB.postedTo, actor_iri(to)) in ds
    key = hashlib.sha1("{}|head_of_state|{}|".format(*facts.head_of_state).encode()).hexdigest()[:12]
    assert (URIRef(f"{ID}role/{facts.article}/{key}"), GB.roleType, GB.HeadOfState) in ds


def test_graph_pattern_tells_which_article_said_it(extractions, annotated_dataset):
    rows = annotated_dataset.query("""
        PREFIX gb: <https://w3id.org/graphbuilder/ontology#>
        SELECT DISTINCT ?g WHERE { GRAPH ?g { ?who gb:condemned ?whom } }
    """)
    condemning = {e.document.id for e in extractions if any(r.predicate == "condemned" for r in e.relations)}
    assert condemning and {str(g) for (g,) in rows} == {str(graph_iri(a)) for a in condemning}


def test_one_named_graph_per_article_and_no_blank_nodes(extractions, annotated_dataset):
    named = {str(g.identifier) for g in annotated_dataset.graphs() if len(g)}
    # And one more: the corpus graph, of what the articles say together (happenings).
    assert named == {str(graph_iri(e.document.id)) for e in extractions} | {str(corpus_graph_iri())}
    assert not [
        q
        for q in annotated_dataset.quads((None, None, None, None))
        if any(isinstance(t, BNode) for t in q[:3])
    ]


def test_each_named_graph_describes_the_actors_its_article_mentions(annotated_dataset, seed, facts):
    graph = annotated_dataset.graph(graph_iri(facts.article))
    for actor in seed.actors:
        assert (actor_iri(actor.name), RDFS.label, Literal(actor.name)) in graph
    assert (actor_iri(facts.elsewhere), None, None) not in graph
    assert (actor_iri(facts.elsewhere), None, None) in annotated_dataset


def test_base_option_changes_every_instance_iri(seed):
    ds = extractions_to_dataset([seed], base="https://example.org/kg/")
    subjects = {str(s) for s in ds.subjects()}
    assert subjects and all(s.startswith("https://example.org/kg/") for s in subjects)


def test_person_names_one_by_name_key_become_one_actor_with_one_label():
    docs = [
        Extraction(document=Document(id=f"d{i}", text="x"), actors=[Actor(name, "Person")])
        for i, name in enumerate(["Kim Jong Un", "Kim Jong-un"])
    ]
    ds = extractions_to_dataset(resolve(docs))
    actor = URIRef(ID + "actor/kim-jong-un")  # a plain name keeps its plain slug
    assert set(ds.subjects(RDF.type, GB.Actor)) == {actor}
    assert set(ds.objects(actor, RDFS.label)) == {Literal("Kim Jong Un")}
    assert Literal("Kim Jong-un") in set(ds.objects(actor, GB.alias))


# -- actor identity: one IRI per actor the resolver names, never two actors on one IRI ------

#: Names that once slugged to one IRI, each a different actor for the resolver: types
#: differ, or they are not person names, or they differ by more than hyphens, case and accents.
DISTINCT_NAMES = [
    [("Foo Bar", "Person"), ("Foo-Bar", "Organization"), ("FOO_BAR", "Group"), ("Foo.Bar", "Country")],
    [("C++", "Organization"), ("C", "Organization")],
    [("AT&T", "Organization"), ("AT-T", "Organization")],
    [("Ünited", "Organization"), ("United", "Organization")],
]


def _build_read_back(tmp_path: Path, articles: list[list[tuple[str, str]]]) -> Graph:
    """Build extraction files, one article per list of (name, type), and read graph.ttl back."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i, actors in enumerate(articles):
        text = "; ".join(name for name, _ in actors) + "."
        obj = {
            "id": f"article-{i}",
            "text": text,
            "actors": [{"name": name, "type": actor_type, "aliases": []} for name, actor_type in actors],
            "relations": [
                {"subject": actors[0][0], "predicate": "met", "object": name} for name, _ in actors[1:]
            ],
        }
        (inputs / f"article-{i}.json").write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    build([inputs], out=tmp_path / "out")
    return Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")


def _actors_by_label(graph: Graph) -> dict[str, set[URIRef]]:
    actors: dict[str, set[URIRef]] = {}
    for actor in graph.subjects(RDF.type, GB.Actor):
        for label in graph.objects(actor, RDFS.label):
            actors.setdefault(str(label), set()).add(actor)
    return actors


@pytest.mark.parametrize("names", DISTINCT_NAMES, ids=lambda names: " / ".join(n for n, _ in names))
def test_names_the_resolver_keeps_apart_get_distinct_iris_in_the_built_graph(tmp_path, names):
    # In one article and across articles alike.
    for folder, articles in (("one", [names]), ("apart", [[name] for name in names])):
        (tmp_path / folder).mkdir()
        graph = _build_read_back(tmp_path / folder, articles)
        actors = _actors_by_label(graph)
        assert sorted(actors) == sorted(name for name, _ in names)
        assert all(len(iris) == 1 for iris in actors.values())
        iris = {name: next(iter(actors[name])) for name, _ in names}
        assert len(set(iris.values())) == len(names)
        for name, actor_type in names:
            assert iris[name] == actor_iri(name)
            assert set(graph.objects(iris[name], RDF.type)) == {GB.Actor, GB[actor_type]}
            assert not set(graph.objects(iris[name], GB.alias))
        met = {(s, o) for s, o in graph.subject_objects(GB.met)}
        if folder == "one":
            assert met == {(iris[names[0][0]], iris[name]) for name, _ in names[1:]}


def test_names_the_resolver_merges_get_one_iri_and_plain_names_keep_theirs(tmp_path):
    graph = _build_read_back(
        tmp_path,
        [
            # Person names one by model.name_key; "Nato" and "NATO" one up to case;
            # "U.S." the gazetteer's alias of the United States.
            [("Foo Bar", "Person"), ("NATO", "Organization"), ("U.S.", "Country")],
            [("Foo-Bar", "Person"), ("Nato", "Organization"), ("United States", "Country")],
            [("Ünited Foo", "Person"), ("FOO BAR", "Person")],
            [("United Foo", "Person")],
        ],
    )
    actors = _actors_by_label(graph)
    assert sorted(actors) == ["Foo Bar", "NATO", "United States", "Ünited Foo"]
    assert all(len(iris) == 1 for iris in actors.values())
    assert actors["Foo Bar"] == {URIRef(ID + "actor/foo-bar")}
    assert actors["NATO"] == {URIRef(ID + "actor/nato")}
    assert actors["United States"] == {URIRef(ID + "actor/united-states")}
    assert actors["Ünited Foo"] == {actor_iri("Ünited Foo")} != {actor_iri("United Foo")}
    foo_bar = URIRef(ID + "actor/foo-bar")
    assert {str(a) for a in graph.objects(foo_bar, GB.alias)} == {"Foo-Bar", "FOO BAR"}


def test_plain_names_keep_the_slug_iri_they_had_and_others_get_a_hash_of_the_name_alone(extractions):
    from graphbuilder.model import slugify

    names = {a.name for e in extractions for a in e.actors}
    plain = {n for n in names if all(word.isascii() and word.isalnum() for word in n.split(" "))}
    assert plain and names - plain
    for name in plain:
        assert actor_iri(name) == URIRef(f"{ID}actor/{slugify(name)}")
    for name in names - plain:
        slug = str(actor_iri(name)).rsplit("/", 1)[1]
        prefix, digest = slug.rsplit("_", 1)
        # slugify's own words; it adds a digest of its own when a letter has no ASCII form ("Aydın")
        assert len(digest) == 12 and slugify(name).startswith(prefix)
    # Whichever other actors a graph has, a name keeps its IRI: built alone or among all.
    articles = [_spelled(f"d{i}", name) for i, name in enumerate(sorted(names))]
    alone = [merged_graph(extractions_to_dataset([article])) for article in articles[:20]]
    together = merged_graph(extractions_to_dataset(articles))
    for graph in alone:
        ((iri, label),) = graph.subject_objects(RDFS.label)
        assert (iri, RDFS.label, label) in together and iri == actor_iri(str(label))


def test_invisible_control_characters_are_stripped_from_names_labels_and_aliases(tmp_path):
    hidden = "\u202eNorth\u200b Korea\u2069"  # bidi override, zero-width space, isolate end
    inputs = tmp_path / "in"
    inputs.mkdir()
    obj = {
        "id": "hidden",
        "text": "Japan urged North Korea.",
        "actors": [
            {"name": "Japan\ufeff", "type": "Country", "aliases": ["Nip\u00adpon\x07"]},
            {"name": hidden, "type": "Country", "aliases": []},
        ],
        "relations": [{"subject": "Japan", "predicate": "urged", "object": hidden}],
    }
    (inputs / "hidden.json").write_text(json.dumps(obj), encoding="utf-8")
    extraction = extraction_from_json(obj, origin="hidden.json")
    assert [a.name for a in extraction.actors] == ["Japan", "North Korea"]
    assert extraction.actors[0].aliases == ["Nippon"]
    assert (extraction.relations[0].subject, extraction.relations[0].object) == ("Japan", "North Korea")
    assert Actor("Tab\tand\nnewline\u200d", "Person").name == "Tab\tand\nnewline"

    build([inputs], out=tmp_path / "out")
    graph = Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    north_korea, japan = URIRef(ID + "actor/north-korea"), URIRef(ID + "actor/japan")
    assert (japan, GB.urged, north_korea) in graph
    assert set(graph.objects(north_korea, RDFS.label)) == {Literal("North Korea")}
    assert set(graph.objects(japan, GB.alias)) == {Literal("Nippon")}
    texts = [str(o) for o in graph.objects(None, RDFS.label)] + [
        str(o) for o in graph.objects(None, GB.alias)
    ]
    assert not [t for t in texts if any(not c.isspace() and not c.isprintable() for c in t)]


def test_http_source_also_gives_schema_url(extractions, annotated_dataset):
    for extraction in extractions:
        source = extraction.document.source or ""
        url = annotated_dataset.value(
            URIRef(f"{ID}article/{extraction.document.id}"), URIRef("https://schema.org/url")
        )
        assert url == (URIRef(source) if source.startswith(("http://", "https://")) else None), source


def test_seed_graph_matches_the_golden_file(seed, facts):
    expected = Graph().parse(GOLDEN / f"{facts.article}.ttl", format="turtle")
    assert_isomorphic(expected, merged_graph(extractions_to_dataset([seed])))


# -- files --------------------------------------------------------------------------------

WRITE_SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from graphbuilder.model import extraction_from_json
    from graphbuilder.rdf.dataset import extractions_to_dataset
    from graphbuilder.rdf.files import write_graph_files
    gold = [extraction_from_json(json.loads(p.read_text(encoding="utf-8")), origin=p.name)
            for p in sorted(Path(sys.argv[1]).glob("*.json"))]
    write_graph_files(extractions_to_dataset(gold), Path(sys.argv[2]))
""")


def test_graph_files_are_byte_identical_across_processes_with_different_hash_seeds(annotated_dir, tmp_path):
    outputs = []
    for seed_value in ("1", "4242"):
        out = tmp_path / f"seed{seed_value}"
        env = dict(os.environ, PYTHONHASHSEED=seed_value)
        subprocess.run(
            [sys.executable, "-c", WRITE_SCRIPT, str(annotated_dir), str(out)], check=True, env=env
        )
        outputs.append(out)
    for name in ("graph.ttl", "graph.trig", "graph.jsonld"):
        first, second = (o / name for o in outputs)
        assert first.read_bytes() == second.read_bytes(), name


def test_trig_holds_only_named_graphs_and_ttl_the_merged_view(extractions, annotated_dataset, tmp_path):
    paths = write_graph_files(annotated_dataset, tmp_path)
    trig = Dataset().parse(paths["graph.trig"], format="trig")
    assert len(trig.default_graph) == 0
    assert {str(g.identifier) for g in trig.graphs() if len(g)} == {
        str(graph_iri(e.document.id)) for e in extractions
    } | {str(corpus_graph_iri())}
    assert_isomorphic(merged_graph(annotated_dataset), Graph().parse(paths["graph.ttl"]))


def trig_union(path: Path) -> Graph:
    """Return the union of the named graphs in a TriG file."""
    dataset = Dataset().parse(path, format="trig")
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def test_trig_keeps_the_text_of_multi_line_literals(tmp_path):
    # Article text is hostile: line breaks, indentation, a line that looks like a
    # directive, a carriage return and a Unicode line separator must all come back as is.
    sentence = "Heading\n\n  Indented line.\n@prefix x: <http://x/> .\nCR\r\nthen a line\u2028separator\n}\n"
    doc = Document(id="d1", text=sentence, title="Line\nbreak")
    extraction = Extraction(
        document=doc,
        actors=[Actor("Japan", "Country"), Actor("Korea", "Country")],
        relations=[Relation("Japan", "met", "Korea", evidence=Evidence("Japan met Korea", 0, 15, sentence))],
    )
    ds = extractions_to_dataset([extraction])
    paths = write_graph_files(ds, tmp_path)
    union = trig_union(paths["graph.trig"])
    assert sentence in {str(o) for o in union.objects(None, GB.sentence)}
    assert_isomorphic(merged_graph(ds), union)
    assert_isomorphic(Graph().parse(paths["graph.ttl"]), union)


@pytest.mark.model
def test_example_build_trig_is_the_ttl_view_split_by_article(built_example):
    union = trig_union(built_example.out / "graph.trig")
    assert_isomorphic(Graph().parse(built_example.out / "graph.ttl"), union)


def test_jsonld_parses_back_to_the_merged_graph_with_a_local_context(annotated_dataset, tmp_path):
    paths = write_graph_files(annotated_dataset, tmp_path)
    document = json.loads(paths["graph.jsonld"].read_text(encoding="utf-8"))
    assert isinstance(document["@context"], dict)
    assert document["@context"]["gb"] == str(GB)
    # Only prefix -> namespace strings: no @import, no nested remote context to fetch.
    assert all(isinstance(v, str) and not k.startswith("@") for k, v in document["@context"].items())
    parsed = Graph().parse(paths["graph.jsonld"], format="json-ld")
    assert_isomorphic(merged_graph(annotated_dataset), parsed)


def test_load_dataset_reads_a_folder_or_any_graph_file_as_a_union(annotated_dataset, facts, tmp_path):
    write_graph_files(annotated_dataset, tmp_path)
    who, whom, _ = facts.dated
    triple = (actor_iri(who), GB.condemned, actor_iri(whom))
    for path in (tmp_path, tmp_path / "graph.trig", tmp_path / "graph.ttl", tmp_path / "graph.jsonld"):
        ds = load_dataset(path)
        assert ds.default_union and triple in ds, path


def test_load_dataset_without_a_graph_says_to_build_first(tmp_path):
    for path in (tmp_path, tmp_path / "missing.trig"):
        with pytest.raises(GraphNotFoundError, match="run `graphbuilder build` first"):
            load_dataset(path)


@pytest.mark.parametrize(
    "name, text, line",
    [
        ("graph.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n", 3),
        ("graph.trig", "<http://g> {\n <http://a> <http://b> <http://c> .\n <http://a> <http://b>\n}\n", 3),
        ("graph.nt", "<http://a> <http://b> <http://c> .\n\n<http://a> <http://b> .\n", 3),
        ("graph.jsonld", '{"@context": {},\n "@graph": [ }', 2),
    ],
)
def test_load_dataset_reports_file_and_line_of_a_syntax_error(tmp_path, name, text, line):
    bad = tmp_path / name
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(GraphParseError) as caught:
        load_dataset(bad)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{bad}:{line}:")
    assert "not valid" in str(caught.value)


@pytest.fixture
def context_server():
    """Serve a JSON-LD context over local HTTP; return (its URL, the list of paths requested)."""
    import http.server
    import threading

    requested: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # the name http.server calls
            requested.append(self.path)
            body = b'{"@context": {"name": "http://schema.org/name"}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/context.jsonld", requested
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "document",
    [
        {"@context": "{url}", "@id": "http://x/a", "name": "x"},
        {"@context": [{"ex": "http://x/"}, "{url}"], "@id": "http://x/a", "name": "x"},
        {"@context": {"@version": 1.1, "@import": "{url}"}, "@id": "http://x/a", "name": "x"},
        {
            "@context": {"ex": "http://x/", "knows": {"@id": "ex:knows", "@context": "{url}"}},
            "@graph": [{"@id": "http://x/a", "knows": {"@id": "http://x/b", "name": "b"}}],
        },
        {"@graph": [{"@id": "http://x/a", "http://x/p": {"@context": "{url}", "name": "b"}}]},
    ],
)
def test_jsonld_with_a_context_elsewhere_is_refused_without_fetching_it(tmp_path, context_server, document):
    url, requested = context_server
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps(document).replace("{url}", url), encoding="utf-8")
    with pytest.raises(GraphParseError) as caught:
        load_dataset(path)
    assert str(caught.value).startswith(f"{path}: the JSON-LD @")
    assert f"refers to '{url}'" in str(caught.value) and "never fetches" in str(caught.value)
    assert requested == []


# -- ontology and packaged data -----------------------------------------------------------


def test_packaged_data_files_are_found():
    for path in (ontology_path(), shapes_path(), example_path()):
        assert path.is_file(), path
    assert sorted(saved_queries_dir().glob("*.rq"))


def test_ontology_declares_every_gb_term_the_graph_uses_with_label_and_comment(annotated_dataset):
    ontology = Graph().parse(ontology_path(), format="turtle")
    [header] = ontology.subjects(RDF.type, OWL.Ontology)
    assert ontology.value(header, OWL.versionInfo) is not None
    used = {
        t
        for q in annotated_dataset.quads((None, None, None, None))
        for t in q[:3]
        if isinstance(t, URIRef) and t.startswith(str(GB))
    }
    assert GB.condemned in used and GB.RoleAssignment in used
    declared_kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, GB.RoleType}
    for term in sorted(used):
        assert set(ontology.objects(term, RDF.type)) & declared_kinds, f"{term} not declared"
        assert ontology.value(term, RDFS.label) is not None, f"{term} has no label"
        assert ontology.value(term, RDFS.comment) is not None, f"{term} has no comment"


def test_ontology_aligns_with_org_prov_sem_and_schema_org():
    ontology = Graph().parse(ontology_path(), format="turtle")
    assert (GB.met, RDF.type, OWL.SymmetricProperty) in ontology
    assert (GB.RoleAssignment, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Membership")) in ontology
    assert (GB.Article, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) in ontology
    assert (GB.Event, RDFS.subClassOf, URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/Event")) in ontology
    assert (GB.alias, RDFS.subPropertyOf, URIRef("https://schema.org/alternateName")) in ontology
    for cls in (GB.Person, GB.Country, GB.Organization, GB.Group, GB.Location):
        assert (cls, RDFS.subClassOf, GB.Actor) in ontology
