"""The command line through CliRunner: help, success, and each error's exit code and message."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import typer
from annotated_sets import saved_query_params
from cli_checks import assert_error
from typer.testing import CliRunner

import graphbuilder
from graphbuilder.cli import app
from graphbuilder.cli._util import _Commands

COMMANDS = tuple(typer.main.get_command(app).commands)  # every registered command
ACTORS_QUERY = (
    "PREFIX gb: <https://w3id.org/graphbuilder/ontology#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?name WHERE { ?actor a gb:Actor ; rdfs:label ?name } ORDER BY ?name"
)


# -- help and version ---------------------------------------------------------------------


def test_version_prints_the_package_version(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"graphbuilder {graphbuilder.__version__}\n"


def test_top_level_help_lists_every_command_with_a_summary(run):
    result = run("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert f"\n│ {command} " in result.stdout  # a row of the Commands panel


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_and_option_has_help_text(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    click_command = typer.main.get_command(app).commands[command]
    assert click_command.help
    for param in click_command.params:
        assert param.help, f"{command} {param.name} has no help text"
        for name in param.opts if param.param_type_name == "option" else ():
            assert name in result.stdout


# -- build ----------------------------------------------------------------------------------


def test_build_of_an_annotated_set_prints_summary_and_outputs_on_stderr(run, annotated_dir, tmp_path):
    out = tmp_path / "out"
    result = run("build", annotated_dir, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    count = len(list(annotated_dir.glob("*.json")))
    assert result.stderr.startswith(f"built {count} articles (0 extracted): ")
    for name in ("graph.ttl", "graph.trig", "graph.jsonld", "graph.html"):
        assert str(out / name) in result.stderr
        assert (out / name).is_file()


@pytest.mark.model
def test_build_without_paths_builds_the_bundled_example(run, tmp_path):
    result = run("build", "--out", tmp_path / "out", "--date", "2021-10-21")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("built 1 article (1 extracted): ")
    assert (tmp_path / "out" / "extractions" / "seed-nk-dialogue.json").is_file()


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


GOLDISH = {
    "id": "x",
    "text": "The US condemned North Korea.",
    "actors": [{"name": "United States", "type": "Country"}, {"name": "North Korea", "type": "Country"}],
}


@pytest.mark.parametrize(
    "name, content, fragments",
    [
        ("empty.txt", "", ["empty.txt: the file is empty"]),
        ("binary.txt", b"\x00\x01\x02", ["binary.txt: this is a binary file"]),
        ("latin1.txt", "Caf\xe9".encode("latin-1"), ["latin1.txt:1: not UTF-8", "byte offset 3"]),
        ("broken.json", '{"id": "x",\n "text": }', ["broken.json:2:10: malformed JSON"]),
        (
            "predicate.json",
            json.dumps(
                {
                    **GOLDISH,
                    "relations": [
                        {"subject": "United States", "predicate": "praised", "object": "North Korea"}
                    ],
                }
            ),
            ["predicate.json: relations[0]: unknown predicate 'praised'"],
        ),
        (
            "role.json",
            json.dumps({**GOLDISH, "roles": [{"holder": "United States", "role": "czar"}]}),
            ["role.json: roles[0]: unknown role 'czar'"],
        ),
        ("notes.pdf", "x", ["unknown kind of file '.pdf'"]),
    ],
)
def test_build_input_errors_exit_1_with_one_line(run, tmp_path, name, content, fragments):
    path = write(tmp_path / name, content)
    result = run("build", path, "--out", tmp_path / "out")
    assert_error(result, 1, *fragments)
    assert not (tmp_path / "out").exists()


def test_build_of_missing_file_names_it(run, tmp_path):
    assert_error(
        run("build", tmp_path / "gone.txt", "--out", tmp_path / "out"),
        1,
        f"{tmp_path / 'gone.txt'}: no such file or folder",
    )


@pytest.mark.parametrize("date", ["2021-13-01", "21/10/2021"])
def test_build_with_bad_date_is_a_usage_error(run, tmp_path, date):
    assert_error(run("build", tmp_path, "--date", date), 2, "--date", "YYYY-MM-DD")


@pytest.mark.parametrize(
    "args, fragments",
    [
        (
            ("build", "--store", "nope"),
            ["invalid value for '--store'", "'nope'", "graphbuilder build --help"],
        ),
        (("serve", "--port", "0"), ["invalid value for '--port'", "graphbuilder serve --help"]),
        (("serve", "--port", "http"), ["invalid value for '--port'", "integer"]),
        (("build", "--no-such-option"), ["no such option: --no-such-option"]),
        (("--no-such-option",), ["no such option: --no-such-option", "graphbuilder --help"]),
        (("no-such-command",), ["no such command 'no-such-command'"]),
        (("merge",), ["missing argument 'SHARD...'"]),
    ],
)
def test_usage_errors_of_click_itself_are_one_line_exit_2(run, args, fragments):
    assert_error(run(*args), 2, *fragments)


def test_valid_store_and_port_get_past_option_parsing(run, tmp_path):
    extraction = write(tmp_path / "x.json", json.dumps(GOLDISH))
    result = run("build", extraction, "--store", "oxigraph", "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "store").is_dir()
    # A valid port: the command runs and fails only for want of a graph.
    assert_error(run("serve", tmp_path / "none", "--port", "65535"), 1, "no graph at")


def test_failed_build_keeps_previous_output(run, built_constructed, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built_constructed.out, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = write(tmp_path / "bad.json", "{")
    assert run("build", bad, "--out", out).exit_code == 1
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


# -- query and queries ----------------------------------------------------------------------


def test_query_prints_table_by_default(run, built_constructed):
    result = run("query", ACTORS_QUERY, "--graph", built_constructed.out)
    assert result.exit_code == 0, result.stderr
    assert "name" in result.stdout.splitlines()[0]
    assert "Guyana" in result.stdout


def test_query_csv_and_tsv_have_a_header_and_one_row_per_actor(run, built_constructed):
    rows = list(
        csv.reader(
            io.StringIO(run("query", ACTORS_QUERY, "-g", built_constructed.out, "--format", "csv").stdout)
        )
    )
    assert rows[0] == ["name"] and ["Guyana"] in rows
    tsv = run("query", ACTORS_QUERY, "-g", built_constructed.out, "--format", "tsv").stdout.splitlines()
    assert len(tsv) == len(rows)
    assert tsv[0].lstrip("?") == "name"


def test_query_json_is_parseable(run, built_constructed):
    result = run("query", ACTORS_QUERY, "--graph", built_constructed.out, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "Guyana" in json.dumps(json.loads(result.stdout))


def test_query_from_rq_file(run, built_constructed, tmp_path):
    rq = write(tmp_path / "actors.rq", ACTORS_QUERY)
    assert "Guyana" in run("query", rq, "-g", built_constructed.out, "-f", "csv").stdout


def test_query_param_binds_a_saved_query_variable(run, built_constructed):
    rows = list(
        csv.reader(
            io.StringIO(
                run(
                    "query",
                    "actor-relations",
                    "-g",
                    built_constructed.out,
                    "--param",
                    "actor_name=Japan",
                    "-f",
                    "csv",
                ).stdout
            )
        )
    )
    assert rows[0][:3] == ["subject", "relation", "object"]
    assert len(rows) > 1
    assert all("Japan" in (row[0], row[2]) for row in rows[1:])


def test_query_param_is_bound_not_pasted_into_the_query(run, built_constructed):
    hostile = 'x" } ?s ?p ?o { "'
    inline = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?a WHERE { ?a rdfs:label ?name }"
    result = run("query", inline, "-g", built_constructed.out, "--param", f"name={hostile}")
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == 2  # header and rule: no rows
    # A saved query's actor parameter looks the value up among the actors' names first.
    assert_error(
        run("query", "actor-relations", "-g", built_constructed.out, "--param", f"actor_name={hostile}"),
        2,
        "no actor named",
    )


def test_query_param_without_equals_is_a_usage_error(run, built_constructed):
    assert_error(
        run("query", "actors", "-g", built_constructed.out, "--param", "actor_name"),
        2,
        "--param",
        "NAME=VALUE",
    )


def test_query_with_unknown_format_is_a_usage_error(run, built_constructed):
    result = run("query", ACTORS_QUERY, "-g", built_constructed.out, "--format", "yaml")
    assert_error(result, 2, "'--format'", "yaml", "graphbuilder query --help")


def test_queries_lists_saved_queries_that_run(run, built_constructed):
    result = run("queries")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert names
    for name in names:  # asking about actors of the constructed set (tests/annotated_sets.py)
        params = [f"--param={k}={v}" for k, v in saved_query_params("constructed", name).items()]
        assert run("query", name, "-g", built_constructed.out, *params).exit_code == 0, name


@pytest.mark.parametrize(
    "query, fragments",
    [
        ("SELECT ?x WHERE { ?x ?y }", []),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", []),
        ("no-such-saved-query", ["no-such-saved-query"]),
    ],
)
def test_bad_queries_exit_1_with_one_line(run, built_constructed, query, fragments):
    assert_error(run("query", query, "--graph", built_constructed.out), 1, *fragments)


def test_query_failing_while_rows_are_read_exits_1_without_calling_it_a_bug(run, built_constructed):
    result = run("query", 'SELECT * WHERE { ?s ?p ?o FILTER(regex(?o, "(")) }', "-g", built_constructed.out)
    assert_error(result, 1, "query: the query failed: bad regular expression")
    assert "bug" not in result.stderr


def test_query_file_errors_name_the_file(run, built_constructed, tmp_path):
    broken = write(tmp_path / "broken.rq", "SELECT ?x\nWHERE { ?x ?y }\n")
    assert_error(run("query", broken, "-g", built_constructed.out), 1, f"{broken}:2:9: SPARQL syntax")
    latin1 = tmp_path / "latin1.rq"
    latin1.write_bytes(b'SELECT * WHERE { ?s ?p "Gen\xe8ve" }')
    assert_error(run("query", latin1, "-g", built_constructed.out), 1, f"{latin1}: ", "not UTF-8")
    empty = write(tmp_path / "empty.rq", "# nothing yet\n")
    assert_error(run("query", empty, "-g", built_constructed.out), 1, f"{empty}: the query is empty")


def test_query_of_jsonld_with_a_remote_context_exits_1_naming_the_file(run, tmp_path):
    graph = write(
        tmp_path / "remote.jsonld", '{"@context": "http://schema.org/", "@id": "http://x/a", "name": "x"}'
    )
    assert_error(
        run("query", "SELECT * { ?s ?p ?o }", "--graph", graph),
        1,
        f"{graph}: the JSON-LD @context refers to 'http://schema.org/'",
    )


def test_query_of_missing_graph_says_to_build(run, tmp_path):
    assert_error(run("query", ACTORS_QUERY, "--graph", tmp_path / "nothing"), 1, str(tmp_path / "nothing"))


# -- validate and viz -----------------------------------------------------------------------


def test_validate_built_graph_conforms(run, built_constructed):
    result = run("validate", built_constructed.out)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "conforms" in result.stderr


def test_validate_broken_graph_exits_1_with_violations(run, tmp_path):
    broken = write(
        tmp_path / "broken.ttl",
        "@prefix gb: <https://w3id.org/graphbuilder/ontology#> .\n"
        "<https://w3id.org/graphbuilder/id/actor/nobody> a gb:Actor, gb:Person .\n",
    )
    result = run("validate", broken)
    assert result.exit_code == 1
    assert "nobody" in result.stdout  # the readable report names the node
    assert result.stderr.startswith("error: ") and "does not conform" in result.stderr


def test_viz_writes_html_next_to_the_graph(run, built_constructed, tmp_path):
    graph = tmp_path / "g" / "graph.trig"
    graph.parent.mkdir()
    shutil.copy(built_constructed.out / "graph.trig", graph)
    result = run("viz", graph)
    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "g" / "graph.html").read_text("utf-8")
    assert page.lstrip().lower().startswith("<!doctype")
    assert str(tmp_path / "g" / "graph.html") in result.stderr


def test_viz_output_option_chooses_the_file(run, built_constructed, tmp_path):
    target = tmp_path / "view.html"
    assert run("viz", built_constructed.out, "-o", target).exit_code == 0
    assert target.stat().st_size > 0


# -- errors nobody planned for --------------------------------------------------------------


def test_unexpected_exception_is_one_line_asking_for_a_report():
    demo = typer.Typer(cls=_Commands)

    @demo.command()
    def explode() -> None:
        raise ZeroDivisionError("division by zero")

    @demo.command()
    def other() -> None:
        pass

    result = CliRunner().invoke(demo, ["explode"])
    assert result.exit_code == 1
    assert result.stderr == (
        "error: unexpected ZeroDivisionError: division by zero. This is a "
        "bug in graphbuilder; please report it with the command you ran.\n"
    )


@pytest.mark.model  # imports spaCy to try the pipeline
def test_build_with_unknown_model_exits_1_naming_it(run, tmp_path):
    article = write(tmp_path / "a.txt", "Envoy invites talks\n\nThe US invited North Korea.")
    assert_error(
        run("build", article, "--out", tmp_path / "out", "--model", "no_such_model"), 1, "no_such_model"
    )


# -- choices, the queries list, the build summary (issue 17) -------------------------------


def test_an_unknown_choice_lists_the_choices_without_pydantics_words(run, built_constructed):
    result = run("query", ACTORS_QUERY, "-g", built_constructed.out, "-f", "yaml")
    assert_error(result, 2)
    assert result.stderr == (
        "error: invalid value for '--format' / '-f': 'yaml' is not one of table, json, jsonl, "
        "csv, tsv, xml, turtle, ntriples, nquads, trig, jsonld, ttl, nt "
        "(see `graphbuilder query --help`)\n"
    )


def test_a_choice_is_accepted_in_any_case(run, built_constructed):
    lower = run("query", ACTORS_QUERY, "-g", built_constructed.out, "-f", "tsv")
    upper = run("query", ACTORS_QUERY, "-g", built_constructed.out, "-f", "TSV")
    assert upper.exit_code == 0, upper.stderr
    assert upper.stdout == lower.stdout and upper.stdout.startswith("?name\n")
    assert json.loads(run("stats", built_constructed.out, "--format", "Json").stdout)["articles"]


def choice_params():
    """Return (command, parameter) for every parameter of every command that takes a choice."""
    group = typer.main.get_command(app)
    return [
        (name, param)
        for name, command in group.commands.items()
        for param in command.params
        if getattr(param, "type_descriptor", None) is not None and param.type_descriptor.is_choice
    ]


@pytest.mark.parametrize("command, param", choice_params(), ids=lambda x: getattr(x, "name", x))
def test_every_choice_option_takes_its_values_in_any_case(command, param):
    ctx = typer.main.get_command(app).commands[command].make_context(command, [], resilient_parsing=True)
    for choice in param.type_descriptor.choices:
        value = str(getattr(choice, "value", choice))
        assert param.process_value(ctx, value.upper()) == choice
        assert param.process_value(ctx, value.title()) == choice


@pytest.mark.parametrize("command, param", choice_params(), ids=lambda x: getattr(x, "name", x))
def test_every_choice_option_refuses_a_value_that_is_none_in_any_case(command, param):
    ctx = typer.main.get_command(app).commands[command].make_context(command, [], resilient_parsing=True)
    with pytest.raises(typer.BadParameter) as refused:
        param.process_value(ctx, "no-such-choice")
    assert "Value error" not in refused.value.format_message()
    assert "'no-such-choice' is not one of " in refused.value.format_message()


def test_choice_params_finds_the_formats_and_the_store():
    assert {(c, p.name) for c, p in choice_params()} >= {
        ("query", "fmt"),
        ("build", "store"),
        ("export", "fmt"),
    }


@pytest.fixture
def terminal(monkeypatch):
    """Make stdout count as a terminal 80 cells wide."""
    import graphbuilder.cli._util as cli_util

    monkeypatch.setattr(cli_util, "_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")


def test_queries_wraps_its_text_to_a_terminal_under_each_parameter(run, terminal):
    from graphbuilder.sparql.query import list_saved_queries

    result = run("queries")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(line.strip() == "--param actor_name=..." for line in lines)  # the meaning goes below
    words = result.stdout.split()
    for query in list_saved_queries():
        for param in query.params:
            meaning = param.meaning.split()
            assert any(words[i : i + len(meaning)] == meaning for i in range(len(words))), param.name


def test_queries_writes_one_line_per_query_and_parameter_into_a_pipe(run, monkeypatch):
    from graphbuilder.sparql.query import list_saved_queries

    monkeypatch.setenv("COLUMNS", "80")
    lines = run("queries").stdout.splitlines()
    saved = list_saved_queries()
    assert len(lines) == len(saved) + sum(len(q.params) for q in saved)
    assert max(len(line) for line in lines) > 80


def test_queries_on_a_real_terminal_fit_it_and_a_pipe_gets_long_lines():
    from terminal import in_a_terminal, piped

    assert max(len(line) for line in in_a_terminal(["queries"]).splitlines()) <= 80
    assert max(len(line) for line in piped(["queries"]).splitlines()) > 80


def test_build_summary_counts_one_of_each_in_the_singular(tmp_path):
    from graphbuilder.cli.build import summary
    from graphbuilder.pipeline.build import BuildReport

    one = BuildReport(
        out=tmp_path, articles=1, extracted=1, actors=1, roles=1, relations=1, events=1, triples=1
    )
    assert summary(one)[0] == "built 1 article (1 extracted): 1 actor, 1 role, 1 relation, 1 event, 1 triple"


def test_build_summary_counts_several_in_the_plural(tmp_path):
    from graphbuilder.cli.build import summary
    from graphbuilder.pipeline.build import BuildReport

    two = BuildReport(
        out=tmp_path, articles=2, extracted=2, actors=2, roles=0, relations=3, events=2, triples=2
    )
    assert (
        summary(two)[0]
        == "built 2 articles (2 extracted): 2 actors, 0 roles, 3 relations, 2 events, 2 triples"
    )
