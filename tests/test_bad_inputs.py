"""Hostile input to `graphbuilder build`: each is refused in one line naming the file (and the
field), or read correctly; never a crash, a hang, a graph that cannot be read back, or
worker processes left running.

Each refusal sits beside a twin that differs only in being valid and must build.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cli_checks import assert_error
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph

from graphbuilder import build
from graphbuilder.errors import GraphbuilderError, GraphParseError
from graphbuilder.ingest.reader import MAX_FILE_BYTES, read_inputs
from graphbuilder.model import ACTOR_TYPES, PREDICATES, ROLE_TYPES
from graphbuilder.rdf.files import load_dataset

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs, devices and file modes are POSIX")

CONSTRUCTED = Path(__file__).parent / "data" / "constructed"
TEXT = "The United States condemned North Korea on Wednesday."
ARTICLE = {
    "id": "condemnation",
    "date": "2021-10-21",
    "text": TEXT,
    "actors": [
        {"name": "United States", "type": "Country", "wikidata": "Q30"},
        {"name": "North Korea", "type": "Country"},
        {"name": "Linda Thomas-Greenfield", "type": "Person"},
    ],
    "roles": [{"holder": "Linda Thomas-Greenfield", "role": "ambassador", "of": "United States"}],
    "relations": [
        {
            "subject": "United States",
            "predicate": "condemned",
            "object": "North Korea",
            "evidence": "condemned North Korea",
            "start": 18,
            "end": 39,
            "confidence": 0.9,
        }
    ],
}


def article(**changes: object) -> dict:
    """Return a deep copy of ARTICLE with top-level keys replaced."""
    return {**json.loads(json.dumps(ARTICLE)), **changes}


def with_relation(**changes: object) -> dict:
    return article(relations=[{**ARTICLE["relations"][0], **changes}])


def with_role(**changes: object) -> dict:
    return article(roles=[{**ARTICLE["roles"][0], **changes}])


def with_actor(index: int, **changes: object) -> dict:
    actors = [dict(a) for a in ARTICLE["actors"]]
    actors[index].update(changes)
    return article(actors=actors)


def write_json(path: Path, content: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def assert_built_and_readable(result, out: Path) -> None:
    """The build succeeded and rdflib reads its graph files back."""
    assert result.exit_code == 0, result.stderr
    Graph().parse(out / "graph.ttl", format="turtle")
    Dataset().parse(out / "graph.trig", format="trig")


# -- extraction files: JSON, ids, Wikidata ids, numbers, names ------------------------------


def nested(depth: int) -> str:
    """Return ARTICLE as JSON text with an extra field nested `depth` lists deep."""
    return json.dumps(ARTICLE)[:-1] + ', "notes": ' + "[" * depth + "]" * depth + "}"


BAD_EXTRACTIONS = {
    # name: (file content, what the one-line error must say)
    "deep-json": (nested(100_000), "malformed JSON: nested too deeply"),
    "lone-surrogate": (
        json.dumps(article(title="broken \ud800 title")),
        '"title" holds a lone UTF-16 surrogate',
    ),
    "id-newline": (article(id="condemnation\n"), "\"id\" 'condemnation\\n' must be a slug"),
    "id-dot": (article(id="condemnation."), 'does not end in "."'),
    "wikidata-bracket": (with_actor(0, wikidata="Q30> <x"), "actors[0]: \"wikidata\" 'Q30> <x'"),
    "wikidata-space": (with_actor(0, wikidata="Q 30"), "actors[0]: \"wikidata\" 'Q 30' is not a Wikidata"),
    "wikidata-script": (with_actor(0, wikidata="javascript:alert(1)"), "is not a Wikidata entity id"),
    "wikidata-arabic-digits": (with_actor(0, wikidata="Q\u0663\u0660"), "is not a Wikidata entity id"),
    "confidence-true": (with_relation(confidence=True), 'relations[0]: "confidence" must be a number'),
    "offset-true": (with_relation(start=True, end=True), 'relations[0]: "start"/"end" are not offsets'),
    "actor-name-blank": (with_actor(2, name="  \t"), 'actors[2]: "name" is blank'),
    "holder-blank": (with_role(holder=" "), 'roles[0]: "holder" is blank'),
    "subject-blank": (with_relation(subject="\n"), 'relations[0]: "subject" is blank'),
    "object-blank": (with_relation(object="   "), 'relations[0]: "object" is blank'),
}

GOOD_TWINS = {
    "deep-json": nested(50),
    "lone-surrogate": json.dumps(article(title="a globe \U0001f30d in the title")),  # a surrogate pair
    "id-newline": article(id="condemnation"),
    "id-dot": article(id="condemnation.2021-10-21"),
    "wikidata-bracket": with_actor(0, wikidata="Q30"),
    "wikidata-space": with_actor(0, wikidata="Q423"),
    "wikidata-script": with_actor(0, wikidata="Q1065"),
    "wikidata-arabic-digits": with_actor(0, wikidata="Q30"),
    "confidence-true": with_relation(confidence=1),
    "offset-true": with_relation(start=0, end=27, evidence="The United States condemned"),
    "actor-name-blank": with_actor(2, aliases=["Thomas-Greenfield"]),
    "holder-blank": with_role(holder="Linda Thomas-Greenfield"),
    "subject-blank": with_relation(subject="North Korea", object="United States"),
    "object-blank": with_relation(object="Linda Thomas-Greenfield"),
}


@pytest.mark.parametrize("case", sorted(BAD_EXTRACTIONS))
def test_malformed_extraction_file_is_refused_in_one_line_naming_the_file_and_field(run, tmp_path, case):
    content, fragment = BAD_EXTRACTIONS[case]
    path = write_json(tmp_path / f"{case}.json", content)
    assert_error(run("build", path, "--out", tmp_path / "out"), 1, f"{path}: ", fragment)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", sorted(GOOD_TWINS))
def test_valid_twin_of_each_malformed_extraction_builds_a_readable_graph(run, tmp_path, case):
    path = write_json(tmp_path / f"{case}.json", GOOD_TWINS[case])
    out = tmp_path / "out"
    assert_built_and_readable(run("build", path, "--out", out, "--quiet"), out)


def test_id_with_inner_dot_names_the_article_in_both_graph_files(run, tmp_path):
    path = write_json(tmp_path / "a.json", article(id="un.press-release.2021"))
    out = tmp_path / "out"
    assert_built_and_readable(run("build", path, "--out", out, "--quiet"), out)
    graphs = {str(g.identifier) for g in Dataset().parse(out / "graph.trig", format="trig").graphs()}
    assert any(name.endswith("un.press-release.2021") for name in graphs), graphs


def test_front_matter_id_ending_in_a_dot_is_refused_with_its_line(run, tmp_path):
    path = tmp_path / "note.md"
    path.write_text("---\nid: note.\n---\n# Title\n\nThe US condemned North Korea.\n", encoding="utf-8")
    assert_error(run("build", path, "--out", tmp_path / "out"), 1, f"{path}:2: id 'note.'")


# -- files that are not regular files, or too large ----------------------------------------


def build_in_subprocess(*paths: Path, out: Path) -> subprocess.CompletedProcess:
    """Run `graphbuilder build` in its own process, bounded in time and memory, so that an
    input that hangs or swallows memory fails the test instead of the machine."""

    def limit_memory() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    return subprocess.run(
        [sys.executable, "-m", "graphbuilder", "build", *map(str, paths), "--out", str(out), "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit_memory,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def special_file(kind: str, path: Path) -> Path:
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    return path


@pytest.mark.parametrize("kind, described", [("fifo", "a named pipe"), ("zero", "a character device")])
def test_special_file_given_as_input_is_refused_naming_it(tmp_path, kind, described):
    path = special_file(kind, tmp_path / "article.txt")
    result = build_in_subprocess(path, out=tmp_path / "out")
    assert_one_line_error(result, f"{path}: not a regular file (it is {described})")


@pytest.mark.parametrize("kind, described", [("fifo", "a named pipe"), ("zero", "a character device")])
def test_special_file_inside_an_input_folder_is_refused_naming_it(tmp_path, kind, described):
    write_json(tmp_path / "articles" / "a.json", ARTICLE)
    path = special_file(kind, tmp_path / "articles" / "b.json")
    result = build_in_subprocess(tmp_path / "articles", out=tmp_path / "out")
    assert_one_line_error(result, f"{path}: not a regular file (it is {described})")


def test_regular_file_and_a_link_to_one_are_read(run, tmp_path):
    write_json(tmp_path / "articles" / "a.json", ARTICLE)
    (tmp_path / "articles" / "b.json").symlink_to(
        write_json(tmp_path / "elsewhere" / "b.json", article(id="second"))
    )
    out = tmp_path / "out"
    assert_built_and_readable(run("build", tmp_path / "articles", "--out", out, "--quiet"), out)
    assert sorted(p.name for p in (out / "extractions").iterdir()) == ["condemnation.json", "second.json"]


def test_file_over_50_mb_is_refused_without_reading_it_all(run, tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: no disk space used
        handle.truncate(MAX_FILE_BYTES + 1)
    assert_error(run("build", path, "--out", tmp_path / "out"), 1, f"{path}: the file is larger than 50 MB")


def test_file_of_exactly_50_mb_is_read(tmp_path):
    path = tmp_path / "article.txt"
    start = f"A title\n\n{TEXT}\n".encode()
    path.write_bytes(start + b" " * (MAX_FILE_BYTES - len(start)))
    (document,) = read_inputs([path])
    assert document.text == TEXT


# -- folders and files this user cannot read --------------------------------------------------

NOBODY = 65534


@contextmanager
def as_unprivileged_user() -> Iterator[None]:
    """Run the block as a user that file modes bind (root reads every file whatever its mode).

    The saved ids stay root's, so the block's end takes them back.
    """
    if os.geteuid() != 0:
        yield
        return
    os.setresgid(NOBODY, NOBODY, 0)
    os.setresuid(NOBODY, NOBODY, 0)
    try:
        yield
    finally:
        os.setresuid(0, 0, 0)
        os.setresgid(0, 0, 0)


@pytest.fixture
def open_tmp(tmp_path) -> Iterator[Path]:
    """Return a temporary folder that the unprivileged user may pass through and write in."""
    if os.geteuid() != 0:
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="graphbuilder-test-"))
    folder.chmod(0o777)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            if not path.is_symlink():
                path.chmod(0o755)
        shutil.rmtree(folder)


def articles_in_two_folders(root: Path) -> Path:
    """Return a folder of two articles, the second in a subfolder; every file readable."""
    write_json(root / "articles" / "a.json", ARTICLE)
    write_json(root / "articles" / "sub" / "b.json", article(id="second"))
    for path in [root / "articles", *(root / "articles").rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return root / "articles"


@pytest.mark.parametrize("mode, unreadable", [(0o000, "sub"), (0o644, "sub/b.json")])
def test_unreadable_subfolder_stops_the_build_and_keeps_the_old_extractions(run, open_tmp, mode, unreadable):
    # 0o000: the folder cannot be listed; 0o644: it can, but nothing in it can be opened.
    folder = articles_in_two_folders(open_tmp)
    out = open_tmp / "out"
    assert run("build", folder, "--out", out, "--quiet").exit_code == 0
    (folder / "sub").chmod(mode)
    with as_unprivileged_user():
        result = run("build", folder, "--out", out, "--quiet")
    assert_error(result, 1, f"{folder / unreadable}: cannot read the", "Permission denied")
    assert (out / "extractions" / "second.json").is_file()


def test_readable_subfolder_is_read(run, open_tmp):
    folder = articles_in_two_folders(open_tmp)
    out = open_tmp / "out"
    with as_unprivileged_user():
        ids = [a.document.id for a in read_inputs([folder])]
    assert ids == ["condemnation", "second"]
    assert_built_and_readable(run("build", folder, "--out", out, "--quiet"), out)


def test_unreadable_file_given_as_argument_is_a_one_line_error_naming_it(run, open_tmp):
    path = articles_in_two_folders(open_tmp) / "a.json"
    path.chmod(0o000)
    with as_unprivileged_user():
        result = run("build", path, "--out", open_tmp / "out")
    # PATH arguments are text (a URL's // must survive), so the reader, not click, says so.
    assert_error(result, 1, f"{path}: cannot read the file: Permission denied")
    assert not (open_tmp / "out").exists()


def test_readable_file_given_as_argument_builds(run, open_tmp):
    path = articles_in_two_folders(open_tmp) / "a.json"
    with as_unprivileged_user():
        result = run("build", path, "--out", open_tmp / "out", "--quiet")
    assert_built_and_readable(result, open_tmp / "out")


# -- stopping a build with workers -------------------------------------------------------------


def child_processes(parent: int) -> dict[int, str]:
    """Return pid -> command line of the live children of `parent` (psutil, else /proc)."""
    try:
        import psutil
    except ImportError:
        children = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rpartition(")")[2].split()
                cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if int(fields[1]) == parent and fields[0] != "Z":
                children[int(stat.parent.name)] = cmdline
        return children
    try:
        found = psutil.Process(parent).children()
    except psutil.NoSuchProcess:
        return {}
    children = {}
    for child in found:
        try:
            if child.status() != psutil.STATUS_ZOMBIE:
                children[child.pid] = " ".join(child.cmdline())
        except psutil.NoSuchProcess:
            pass
    return children


def is_running(pid: int) -> bool:
    """Return whether `pid` is a live process (a zombie is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state not in ("Z", "X")


@pytest.mark.parametrize(
    "stop, wait, message",
    [
        (signal.SIGTERM, 0.0, "error: stopped by SIGTERM\n"),  # while the workers load spaCy
        (signal.SIGTERM, 2.5, "error: stopped by SIGTERM\n"),  # while they send results back
        (signal.SIGINT, 0.0, "error: interrupted\n"),
        (signal.SIGKILL, 0.0, None),  # no chance to clean up: the workers notice and end
    ],
    ids=["sigterm-loading", "sigterm-extracting", "sigint", "sigkill"],
)
def test_stopping_a_parallel_build_ends_its_worker_processes(tmp_path, stop, wait, message):
    # Far more articles than one batch of 16: --jobs 2 starts two worker processes, and
    # they are still at work when the signal comes.
    texts = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted(CONSTRUCTED.glob("*.json"))]
    for number in range(320):
        write_json(
            tmp_path / "articles" / f"a{number:03d}.json",
            {"id": f"a{number:03d}", "text": texts[number % len(texts)]},
        )
    # stderr goes to a file: workers that outlive the build would hold a pipe open.
    stderr = tmp_path / "stderr.txt"
    with stderr.open("w") as handle:
        build = subprocess.Popen(
            [sys.executable, "-m", "graphbuilder", "build", str(tmp_path / "articles"), "--jobs", "2"]
            + ["--quiet", "--out", str(tmp_path / "out")],
            stderr=handle,
            # SIGINT as a terminal's Ctrl-C sends it, even where the tests run with SIGINT
            # ignored (a background job), which the child would otherwise inherit.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and build.poll() is None:
            workers = [pid for pid, cmd in child_processes(build.pid).items() if "spawn_main" in cmd]
            time.sleep(0.05)
        assert len(workers) == 2, "the build did not start two worker processes"
        time.sleep(wait)
        assert build.poll() is None, "the build ended before it could be stopped"
        build.send_signal(stop)
        assert build.wait(timeout=30) != 0
        deadline = time.monotonic() + 10
        while any(map(is_running, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if is_running(pid)], "worker processes outlived the build"
        if message is not None:
            assert stderr.read_text() == message
    finally:
        for pid in [build.pid, *workers]:
            if is_running(pid):
                os.kill(pid, signal.SIGKILL)
        build.wait()
    assert not (tmp_path / "out" / "graph.ttl").exists()


# -- parse errors of graph files -----------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, line, column",
    [
        # Input that ends inside a graph block or a statement: the parser gives no offset.
        ("open.trig", "@prefix ex: <http://example.org/> .\nex:g {", 2, 7),
        ("open.ttl", "@prefix ex: <http://example.org/> .\n\nex:a ex:b", 3, 10),
        # Characters, not UTF-8 bytes: "é" is one column and the lines before count whole.
        (
            "accents.ttl",
            '# é é é é é é é é\n@prefix ex: <http://example.org/> .\nex:a ex:b "é" ex:c .\n',
            3,
            15,
        ),
    ],
)
def test_parse_error_at_the_end_or_after_accents_has_its_real_line_and_column(
    tmp_path, name, content, line, column
):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GraphParseError) as caught:
        load_dataset(path)
    assert (caught.value.line, caught.value.column) == (line, column), str(caught.value)


def test_valid_graph_file_beside_the_bad_ones_parses(tmp_path):
    path = tmp_path / "fine.trig"
    path.write_text('@prefix ex: <http://example.org/> .\nex:g { ex:a ex:b "é" . }\n', encoding="utf-8")
    assert len(load_dataset(path)) == 1


# -- generated extraction files ------------------------------------------------------------------

# Names and texts of any characters but lone surrogates: quotes, angle brackets, backslashes,
# newlines, control and bidi characters, any script.
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
names = st.one_of(
    st.sampled_from(["United States", "North Korea", "Linda Thomas-Greenfield", "Côte d'Ivoire", "北京"]),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20).filter(str.strip),
)
#: One value made hostile per file (or none): what each spot may hold instead of a valid value.
HOSTILE = {
    "id": st.one_of(st.sampled_from(["a.", "a\n", "-a", "a b", "a/b", "a#b", "", "é", "a>"]), any_text),
    "wikidata": st.one_of(st.sampled_from(["Q30>", "Q 1", "x:y", "Q", "Q\u0661"]), any_text),
    "name": st.sampled_from([" ", "\t", "\n", "\u200b", "\u00a0", ""]),
    "number": st.one_of(
        st.booleans(), st.integers(-3, 1000), st.floats(), st.just("0.5"), st.just(10**30), st.none()
    ),
    "text": st.sampled_from(["x \ud800 y", "\udfff", "a\ud83d"]),
    "nesting": st.integers(1, 5000),
}


@st.composite
def extraction_files(draw) -> str:
    """Return the text of an extraction file: valid but for at most one hostile value."""
    spot = draw(st.sampled_from([None] * 6 + list(HOSTILE)))
    hostile = draw(HOSTILE[spot]) if spot else None
    text = draw(st.one_of(st.just(TEXT), any_text.filter(str.strip)))
    actors = [
        {
            "name": draw(names),
            "type": draw(st.sampled_from(ACTOR_TYPES)),
            "aliases": draw(st.lists(names, max_size=2)),
            **({"wikidata": f"Q{draw(st.integers(1, 10**7))}"} if draw(st.booleans()) else {}),
        }
        for _ in range(draw(st.integers(1, 3)))
    ]
    known = st.sampled_from([a["name"] for a in actors])
    relations = []
    for _ in range(draw(st.integers(0, 2))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        relation = {
            "subject": draw(known),
            "predicate": draw(st.sampled_from(PREDICATES)),
            "object": draw(known),
            "confidence": draw(st.one_of(st.none(), st.floats(0, 1), st.sampled_from([0, 1]))),
            "date": draw(st.one_of(st.none(), st.sampled_from(["2021-10", "2021-10-20"]))),
        }
        if end > start and draw(st.booleans()):
            relation.update(evidence=text[start:end], start=start, end=end)
        relations.append(relation)
    roles = [
        {
            "holder": draw(known),
            "role": draw(st.sampled_from(ROLE_TYPES)),
            "of": draw(known),
            "title": draw(names),
        }
        for _ in range(draw(st.integers(0, 1)))
    ]
    document = {"id": draw(st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,12}[A-Za-z0-9_-])?", fullmatch=True))}
    document.update({"title": draw(any_text), "text": text, "date": "2021-10-21"})
    document.update({"actors": actors, "relations": relations, "roles": roles})
    if spot == "id":
        document["id"] = hostile
    elif spot == "wikidata":
        actors[0]["wikidata"] = hostile
    elif spot == "name":
        (relations[0] if relations else actors[0])["subject" if relations else "name"] = hostile
    elif spot == "number":
        target = relations[0] if relations else actors[0]
        target[draw(st.sampled_from(["start", "end", "confidence"]))] = hostile
    elif spot == "text":
        document[draw(st.sampled_from(["text", "title"]))] = hostile
    content = json.dumps(document)
    if spot == "nesting":
        content = content[:-1] + ', "notes": ' + "[" * hostile + "]" * hostile + "}"
    return content


@settings(
    max_examples=50,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(extraction_files())
def test_generated_extraction_builds_a_graph_both_parsers_read_or_fails_in_one_line(content):
    import pyoxigraph as ox

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.json"
        path.write_text(content, encoding="utf-8")
        try:
            build([path], out=Path(folder) / "out")
        except GraphbuilderError as exc:
            assert "\n" not in str(exc) and str(exc).startswith(str(path)), str(exc)
            event(f"refused: {type(exc).__name__}")
            return
        event("built")
        out = Path(folder) / "out"
        Graph().parse(out / "graph.ttl", format="turtle")
        Dataset().parse(out / "graph.trig", format="trig")
        list(ox.parse(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE))
        list(ox.parse(path=str(out / "graph.trig"), format=ox.RdfFormat.TRIG))
