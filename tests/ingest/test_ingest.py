"""Reading articles and extraction files from disk: formats, metadata and every input error."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from graphbuilder.errors import ExtractionFormatError, InputError, InputWarning, UsageError
from graphbuilder.ingest.reader import read_inputs
from graphbuilder.model import Document, Extraction

BODY = "The United States condemned North Korea on Wednesday.\n\nJapan urged restraint."

ANNOTATED = {
    "id": "annotated",
    "date": "2021-10-21",
    "title": "Annotated",
    "text": BODY,
    "actors": [
        {"name": "United States", "type": "Country", "aliases": []},
        {"name": "North Korea", "type": "Country", "aliases": []},
    ],
    "roles": [],
    "relations": [
        {
            "subject": "United States",
            "predicate": "condemned",
            "object": "North Korea",
            "evidence": "condemned North Korea",
        }
    ],
}


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def read_one(path: Path, **kwargs) -> Document | Extraction:
    (article,) = read_inputs([path], **kwargs)
    return article


# -- formats --------------------------------------------------------------------------------


def test_text_file_first_line_is_title_and_rest_is_body(tmp_path):
    doc = read_one(
        write(tmp_path / "US Condemns DPRK.txt", f"US condemns DPRK\n\n{BODY}\n"), default_date="2021-10-21"
    )
    assert isinstance(doc, Document)
    assert (doc.id, doc.title, doc.text, doc.date) == (
        "us-condemns-dprk",
        "US condemns DPRK",
        BODY,
        "2021-10-21",
    )


def test_markdown_heading_and_date_line_give_title_and_date(tmp_path):
    doc = read_one(
        write(
            tmp_path / "a.md", f"# The headline\nDate: 2020-01-02\nSource: https://example.org/a\n\n{BODY}"
        ),
        default_date="1999-09-09",
    )
    assert (doc.title, doc.date, doc.source, doc.text) == (
        "The headline",
        "2020-01-02",
        "https://example.org/a",
        BODY,
    )


@pytest.mark.parametrize(
    "head",
    [
        "# The headline\n\nDate: 2020-01-02\nSource: https://example.org/a\n\n",  # blank before
        "# The headline\n\nDate: 2020-01-02\n\nSource: https://example.org/a\n\n\n",  # and between
        "The headline\n  \nDate: 2020-01-02\nSource: https://example.org/a\n",
    ],
)
def test_metadata_lines_may_follow_the_title_after_blank_lines(tmp_path, head):
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)  # read as metadata: nothing to warn of
        doc = read_one(write(tmp_path / "a.md", head + BODY), default_date="1999-09-09")
    assert (doc.title, doc.date, doc.source, doc.text) == (
        "The headline",
        "2020-01-02",
        "https://example.org/a",
        BODY,
    )


def test_a_body_without_metadata_lines_keeps_its_first_paragraph(tmp_path):
    doc = read_one(write(tmp_path / "a.md", "# The headline\n\n" + BODY), default_date="1999-09-09")
    assert (doc.title, doc.date, doc.source, doc.text) == ("The headline", "1999-09-09", None, BODY)


def test_a_metadata_like_line_left_in_the_body_is_warned_of(tmp_path):
    path = write(tmp_path / "a.md", f"# The headline\n\n{BODY}\n\nPublished: 2020-01-02\n")
    with pytest.warns(InputWarning, match=r"a\.md:7: 'Published:' \(line 7\) looks like metadata") as caught:
        doc = read_one(path, default_date="1999-09-09")
    assert len(caught) == 1
    assert doc.date == "1999-09-09" and doc.text.endswith("Published: 2020-01-02")


def test_every_metadata_like_line_at_the_top_is_named_in_one_warning(tmp_path):
    path = write(
        tmp_path / "a.md", f"# The headline\n\nAuthor: A. Writer\nTags: Iran\nUpdated: today\n\n{BODY}\n"
    )
    with pytest.warns(InputWarning) as caught:
        read_one(path)
    assert len(caught) == 1
    assert "'Author:', 'Updated:' (lines 3, 5) look like metadata but are read" in str(caught[0].message)


def test_metadata_and_a_title_line_may_come_before_the_text(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        doc = read_one(write(tmp_path / "a.txt", f"Title: Japan condemns\nDate: 2020-01-02\n\n{BODY}\n"))
        dated = read_one(write(tmp_path / "b.txt", f"Date: 2020-01-03\n\nThe headline\n\n{BODY}\n"))
    assert (doc.title, doc.date, doc.text) == ("Japan condemns", "2020-01-02", BODY)
    assert (dated.title, dated.date, dated.text) == ("The headline", "2020-01-03", BODY)
    plain = read_one(write(tmp_path / "c.txt", f"Title words without a colon\n\n{BODY}\n"))
    assert plain.title == "Title words without a colon"


def test_metadata_like_words_deep_in_the_body_are_not_warned_of(tmp_path):
    paragraphs = "\n\n".join(f"Paragraph {n} of the story." for n in range(6))
    path = write(tmp_path / "a.md", f"# The headline\n\n{paragraphs}\n\nSource: the wire\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error", InputWarning)
        doc = read_one(path)
    assert doc.text.endswith("Source: the wire")


def test_front_matter_sets_id_title_date_and_source(tmp_path):
    doc = read_one(
        write(
            tmp_path / "x.md",
            '---\nid: my-article\ntitle: "Front title"\ndate: 2019-08-01\nsource: a wire\n---\n' + BODY,
        )
    )
    assert (doc.id, doc.title, doc.date, doc.source, doc.text) == (
        "my-article",
        "Front title",
        "2019-08-01",
        "a wire",
        BODY,
    )


def test_single_line_text_file_is_body_without_title(tmp_path):
    doc = read_one(write(tmp_path / "one.txt", "Japan urged restraint.\n"))
    assert (doc.title, doc.text, doc.date) == ("", "Japan urged restraint.", None)


def test_json_article_becomes_a_document_with_its_own_date(tmp_path):
    obj = {"id": "art-1", "title": "T", "date": "2021-01-01", "source": "s", "text": BODY}
    doc = read_one(write(tmp_path / "a.json", json.dumps(obj)), default_date="2000-01-01")
    assert isinstance(doc, Document)
    assert (doc.id, doc.date, doc.source, doc.text) == ("art-1", "2021-01-01", "s", BODY)


def test_json_with_annotations_is_used_as_an_extraction(tmp_path):
    extraction = read_one(write(tmp_path / "gold.json", json.dumps(ANNOTATED)))
    assert isinstance(extraction, Extraction)
    assert [(r.subject, r.predicate, r.object) for r in extraction.relations] == [
        ("United States", "condemned", "North Korea")
    ]


def test_jsonl_gives_one_article_per_line_skipping_blank_lines(tmp_path):
    lines = [json.dumps({"id": f"a{i}", "text": BODY}) for i in (1, 2)]
    articles = read_inputs([write(tmp_path / "many.jsonl", lines[0] + "\n\n" + lines[1] + "\n")])
    assert [a.id for a in articles] == ["a1", "a2"]


def test_html_gives_body_title_date_and_canonical_url(tmp_path):
    html = (
        "<html><head><title>Envoy invites talks</title>"
        '<meta property="article:published_time" content="2021-10-20">'
        '<link rel="canonical" href="https://news.example.org/envoy"></head><body>'
        "<nav>Home | World</nav><article><h1>Envoy invites talks</h1>"
        "<p>The US envoy invited North Korea to talks without preconditions on Wednesday, "
        "officials in New York said.</p><p>Japan and South Korea urged Pyongyang to accept "
        "the offer before the end of the month.</p></article></body></html>"
    )
    doc = read_one(write(tmp_path / "Envoy.html", html))
    assert doc.id == "envoy"
    assert doc.title == "Envoy invites talks"
    assert doc.date == "2021-10-20"
    assert doc.source == "https://news.example.org/envoy"
    assert doc.text.startswith("The US envoy invited North Korea")
    assert "\n\nJapan and South Korea urged" in doc.text
    assert "Home | World" not in doc.text


def test_folder_is_read_recursively_sorted_skipping_hidden_and_other_files(tmp_path):
    write(tmp_path / "b.txt", "B\n\nbody b")
    write(tmp_path / "sub" / "a.md", "A\n\nbody a")
    write(tmp_path / ".hidden.txt", "H\n\nbody")
    write(tmp_path / ".git" / "c.txt", "C\n\nbody")
    write(tmp_path / "notes.docx", b"PK\x03\x04")
    assert [a.id for a in read_inputs([tmp_path])] == ["b", "a"]


def test_folder_order_is_by_path_parts_across_subfolders(tmp_path):
    write(tmp_path / "a-b.txt", "AB\n\nbody")
    write(tmp_path / "a" / "z.txt", "Z\n\nbody")
    write(tmp_path / "b" / "c" / "y.txt", "Y\n\nbody")
    write(tmp_path / "b.txt", "B\n\nbody")
    assert [a.id for a in read_inputs([tmp_path])] == ["z", "a-b", "y", "b"]


def test_link_to_a_folder_inside_an_input_folder_is_not_followed(tmp_path):
    write(tmp_path / "articles" / "a.txt", "A\n\nbody")
    (tmp_path / "articles" / "loop").symlink_to(tmp_path / "articles", target_is_directory=True)
    assert [a.id for a in read_inputs([tmp_path / "articles"])] == ["a"]


@pytest.mark.parametrize("target", ["missing.txt", "b.txt"])
def test_dangling_or_looping_link_inside_a_folder_is_named(tmp_path, target):
    write(tmp_path / "a.txt", "A\n\nbody")
    (tmp_path / "b.txt").symlink_to(tmp_path / target)  # "b.txt" -> itself: a loop
    with pytest.raises(InputError, match=r"b\.txt: cannot "):
        read_inputs([tmp_path])


def test_a_file_named_twice_is_read_once(tmp_path):
    path = write(tmp_path / "a.txt", "A\n\nbody")
    assert [a.id for a in read_inputs([tmp_path, path])] == ["a"]


def test_annotated_extraction_files_read_as_extractions(annotated_dir):
    articles = read_inputs([annotated_dir])
    assert articles and all(isinstance(a, Extraction) for a in articles)
    assert all(a.relations for a in articles)


# -- errors ---------------------------------------------------------------------------------


def error_of(paths, **kwargs) -> str:
    with pytest.raises(InputError) as caught:
        read_inputs(paths, **kwargs)
    return str(caught.value)


def test_missing_path_is_named(tmp_path):
    assert error_of([tmp_path / "nope.txt"]) == f"{tmp_path / 'nope.txt'}: no such file or folder"


def test_empty_file_is_refused(tmp_path):
    assert "the file is empty" in error_of([write(tmp_path / "e.txt", "  \n")])


def test_binary_file_is_refused(tmp_path):
    assert "binary file" in error_of([write(tmp_path / "b.txt", b"ab\x00\x01cd")])


def test_non_utf8_file_names_line_and_byte_offset(tmp_path):
    path = write(tmp_path / "latin1.txt", "Title\n\nCaf\xe9 talks".encode("latin-1"))
    message = error_of([path])
    assert message.startswith(f"{path}:3: not UTF-8")
    assert "0xe9 at byte offset 10" in message


def test_malformed_json_names_line_and_column(tmp_path):
    path = write(tmp_path / "bad.json", '{\n  "id": "x",\n  "text": "t"\n  "title": 1\n}')
    with pytest.raises(ExtractionFormatError) as caught:
        read_inputs([path])
    assert str(caught.value).startswith(f"{path}:4:3: malformed JSON")


def test_malformed_jsonl_line_is_named(tmp_path):
    path = write(tmp_path / "bad.jsonl", json.dumps({"id": "a", "text": "t"}) + "\n{oops\n")
    assert error_of([path]).startswith(f"{path}:2:2: malformed JSON")


@pytest.mark.parametrize(
    "second_line, expected",
    [
        ('{"id": "b", "text": "x \\ud800"}', ':2: "text" holds a lone UTF-16 surrogate'),
        (
            '{"id": "b", "text": "t", "actors": [{"name": "\\udc00", "type": "Country"}]}',
            ':2: actors[0]: "name"',
        ),
        (
            '{"id": "b", "text": "t", "notes": ' + "[" * 100_000 + "]" * 100_000 + "}",
            ":2: malformed JSON: nested",
        ),
    ],
)
def test_unreadable_json_in_jsonl_names_its_line_and_field(tmp_path, second_line, expected):
    path = write(tmp_path / "bad.jsonl", json.dumps({"id": "a", "text": "t"}) + "\n" + second_line + "\n")
    assert error_of([path]).startswith(f"{path}{expected}")


def test_surrogate_pair_in_jsonl_is_one_character(tmp_path):
    path = write(tmp_path / "ok.jsonl", '{"id": "a", "text": "globe \\ud83c\\udf0d"}\n')
    assert read_one(path).text == "globe \U0001f30d"


def test_invalid_article_in_jsonl_names_its_line(tmp_path):
    path = write(
        tmp_path / "bad.jsonl", json.dumps({"id": "a", "text": "t"}) + "\n" + json.dumps({"id": "b"}) + "\n"
    )
    assert error_of([path]) == f'{path}:2: the article has no "text" (a non-empty string)'


def test_unknown_extension_given_explicitly_is_refused(tmp_path):
    message = error_of([write(tmp_path / "a.pdf", "x")])
    assert "unknown kind of file '.pdf'" in message and ".txt" in message


def test_folder_without_articles_is_refused(tmp_path):
    write(tmp_path / "readme.rst", "nothing")
    assert "no articles in this folder" in error_of([tmp_path])


def test_duplicate_ids_across_inputs_are_refused(tmp_path):
    first = write(tmp_path / "one" / "same.txt", "A\n\nbody")
    second = write(tmp_path / "two" / "same.md", "B\n\nbody")
    message = error_of([tmp_path])
    assert message == (
        f"{second}: duplicate article id 'same' (also in {first}): give each article its own id"
    )


@pytest.mark.parametrize(
    "field, value, expected",
    [
        (
            "relations",
            [{"subject": "United States", "predicate": "praised", "object": "North Korea"}],
            "unknown predicate 'praised'",
        ),
        ("roles", [{"holder": "United States", "role": "king"}], "unknown role 'king'"),
        ("actors", [{"name": "Mars", "type": "Planet"}], "unknown actor type 'Planet'"),
    ],
)
def test_unknown_vocabulary_is_refused(tmp_path, field, value, expected):
    path = write(tmp_path / "x.json", json.dumps({**ANNOTATED, field: value}))
    assert expected in error_of([path])


def test_bad_front_matter_date_names_its_line(tmp_path):
    path = write(tmp_path / "x.md", "---\ntitle: T\ndate: 2021-13-01\n---\nbody")
    assert error_of([path]).startswith(f"{path}:3: date '2021-13-01' is not a real calendar date")


def test_bad_default_date_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="not a YYYY-MM-DD date"):
        read_inputs([write(tmp_path / "a.txt", "A\n\nbody")], default_date="21 Oct 2021")


def test_build_prints_each_metadata_warning_as_one_line_and_still_builds(run, tmp_path):
    folder = tmp_path / "in"
    write(folder / "a.md", f"# First\n\nPublished: 2020-01-02\n\n{BODY}\n")
    write(folder / "b.md", f"# Second\n\nAuthor: A. Writer\n\n{BODY}\n")
    write(folder / "c.md", f"# Third\n\nDate: 2020-01-03\n\n{BODY}\n")
    result = run("build", folder, "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 0, result.output
    warned = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert [line.split(":")[1].strip().rsplit("/", 1)[-1] for line in warned] == ["a.md", "b.md"], warned
    assert "'Published:' (line 3) looks like metadata" in warned[0] and "Traceback" not in result.stderr
    dates = {json.loads(p.read_text()).get("date") for p in (tmp_path / "out" / "extractions").glob("*.json")}
    assert dates == {"2020-01-03", None}


# -- standard input: `graphbuilder build -` ---------------------------------------------------


def stdin_of(content: str | bytes):
    import io

    return io.BytesIO(content.encode("utf-8") if isinstance(content, str) else content)


def test_text_on_standard_input_is_one_article_named_after_its_title():
    from graphbuilder.ingest.reader import read_stdin

    [doc] = read_stdin(stream=stdin_of(f"# Talks in Geneva\nDate: 2020-01-02\n\n{BODY}\n"))
    assert (doc.id, doc.title, doc.date, doc.text, doc.path) == (
        "talks-in-geneva",
        "Talks in Geneva",
        "2020-01-02",
        BODY,
        "<stdin>",
    )
    [front] = read_stdin(stream=stdin_of(f"---\nid: given-id\n---\n# Talks\n\n{BODY}\n"))
    assert front.id == "given-id"


def test_json_lines_and_one_json_object_on_standard_input():
    from graphbuilder.ingest.reader import read_stdin

    lines = "\n".join(json.dumps({**ANNOTATED, "id": f"a{i}"}) for i in range(3))
    assert [a.document.id for a in read_stdin(stream=stdin_of(lines))] == ["a0", "a1", "a2"]
    [one] = read_stdin(stream=stdin_of(json.dumps(ANNOTATED, indent=2)))
    assert isinstance(one, Extraction) and one.document.id == "annotated" and len(one.relations) == 1


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"", "<stdin>: the file is empty"),
        (b"\xff\xfe bad", "<stdin>:1: not UTF-8"),
        (b'{"id": ', "<stdin>:1"),
    ],
)
def test_bad_standard_input_is_an_input_error_naming_it(content, fragment):
    from graphbuilder.ingest.reader import read_stdin

    with pytest.raises(InputError) as caught:
        read_stdin(stream=stdin_of(content))
    assert str(caught.value).startswith(fragment), str(caught.value)


def test_standard_input_named_twice_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="given twice"):
        read_inputs([Path("-"), Path("-")])


def test_build_reads_standard_input_and_files_together(tmp_path):
    import subprocess
    import sys

    folder = write(tmp_path / "in" / "b.json", json.dumps({**ANNOTATED, "id": "from-a-file"})).parent
    piped = json.dumps({**ANNOTATED, "id": "from-the-pipe"})
    result = subprocess.run(
        [sys.executable, "-m", "graphbuilder", "build", "-", folder, "--out", tmp_path / "out", "--quiet"],
        input=piped.encode(),
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert sorted(p.stem for p in (tmp_path / "out" / "extractions").glob("*.json")) == [
        "from-a-file",
        "from-the-pipe",
    ]
    empty = subprocess.run(
        [sys.executable, "-m", "graphbuilder", "build", "-", "--out", tmp_path / "out2"],
        input=b"",
        capture_output=True,
        timeout=120,
    )
    assert empty.returncode == 1 and empty.stderr.decode() == "error: <stdin>: the file is empty\n"
    assert not (tmp_path / "out2").exists()
