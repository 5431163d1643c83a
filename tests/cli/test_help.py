"""Help that reads well (rich panels, metavars as words, examples that parse, whole summaries)
and shell completion (the script, its installation, and what TAB offers)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from cli_checks import assert_error
from typer.testing import CliRunner

from graphbuilder.cli import app
from graphbuilder.cli._util import _CLICK_EXCEPTION, _Commands, examples

GROUP = typer.main.get_command(app)
COMMANDS = tuple(GROUP.commands)  # every registered command
# What Typer prints for a value when nothing names it by a word: <bool>, <str>,
# <list[Path]>, <int range>, <files|oxigraph>.
TYPE_LABEL = re.compile(r"<[A-Za-z][\w\[\]| ]*>")
SHELL_OPERATORS = {">", ">>", "<", "|", "&&", "||", ";"}


def example_lines(help_text: str) -> list[str]:
    """Return the command lines of the Examples section of a rendered help page."""
    lines = [line.strip() for line in help_text.splitlines()]
    assert "Examples" in lines, help_text
    after = lines[lines.index("Examples") + 1 :]
    return [line for line in after if line.startswith("graphbuilder ")]


def parse_example(line: str) -> dict[str, object]:
    """Parse an example's command line as graphbuilder would (without running it); return the
    values it gives the command's parameters. Shell redirections and pipes end the line."""
    words = shlex.split(line)
    for i, word in enumerate(words):
        if word in SHELL_OPERATORS:
            words = words[:i]
            break
    assert words[0] == "graphbuilder", line
    name, *args = words[1:]
    assert name in GROUP.commands, f"{line}: no command {name!r}"
    parent = GROUP.make_context("graphbuilder", [name, *args])
    return GROUP.commands[name].make_context(name, args, parent=parent).params


def run_graphbuilder(*args: str, shell: str | None = None, **env: str) -> subprocess.CompletedProcess:
    """Run `python -m graphbuilder ARGS` in a child process (from `shell` when given)."""
    command = [sys.executable, "-m", "graphbuilder", *args]
    if shell is not None:
        # `; exit` keeps the shell from exec-ing python in its place: the shell stays its parent.
        command = [shell, "-c", shlex.join(command) + "; exit $?"]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=60, env={**os.environ, **env}, check=False
    )


def complete(*words: str) -> list[str]:
    """Return what bash completion offers for the last of `words` (the env-var protocol the
    script of --show-completion uses)."""
    result = run_graphbuilder(
        _GRAPHBUILDER_COMPLETE="complete_bash",
        COMP_WORDS=" ".join(shlex.quote(w) if w else "" for w in words),
        COMP_CWORD=str(len(words) - 1),
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout.split()


# -- help pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_help_exits_0_and_ends_with_examples(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = example_lines(result.stdout)
    assert lines, f"{command} --help has no example"
    # Every example in the source reached the page whole (none eaten, none wrapped).
    assert lines == re.findall(r"^  (graphbuilder .*)$", GROUP.commands[command].epilog or "", re.M)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_example_in_the_help_parses(run, command):
    lines = example_lines(run(command, "--help").stdout)
    assert any(line.split()[1] == command for line in lines), f"no example runs {command}"
    for line in lines:
        parse_example(line)  # raises click's usage error for an unknown option or a bad value


def test_an_example_that_does_not_parse_is_caught():
    with pytest.raises(Exception, match="nope"):
        parse_example("graphbuilder build --store nope")
    with pytest.raises(Exception, match="--no-such-option"):
        parse_example("graphbuilder stats --no-such-option")
    assert parse_example("graphbuilder stats out/ --top 20 > stats.txt")["top"] == 20


@pytest.mark.parametrize("args", [("--help",), *((c, "--help") for c in COMMANDS)], ids=" ".join)
def test_help_names_values_by_words_not_types(run, args):
    output = run(*args).stdout
    for raw in ("<list[", "<int range>", "PATH <", "<bool>", "<str>", "<path>"):
        assert raw not in output, f"{raw!r} in `graphbuilder {' '.join(args)}`:\n{output}"
    assert not TYPE_LABEL.search(output), TYPE_LABEL.search(output)
    usage = next(line for line in output.splitlines() if "Usage:" in line)
    assert "{" not in usage and "}" not in usage, usage


def test_help_shows_choices_ranges_and_repeatable_arguments_as_words(run):
    build = run("build", "--help").stdout
    assert "Usage: graphbuilder build [OPTIONS] [PATH]..." in build
    assert re.search(r"--store +files\|oxigraph ", build)
    assert re.search(r"--jobs +-j +N ", build)
    assert "Usage: graphbuilder merge [OPTIONS] SHARD..." in run("merge", "--help").stdout
    assert "Usage: graphbuilder query [OPTIONS] QUERY " in run("query", "--help").stdout
    serve = run("serve", "--help").stdout
    assert re.search(r"--port +PORT \[1<=x<=65535\]", serve)
    assert re.search(r"--allow-service +Let queries", serve)  # a flag shows no value


def test_build_help_groups_its_options_in_panels(run):
    output = run("build", "--help").stdout
    panels = re.findall(r"╭─ (\w+) ─", output)
    assert panels == ["Arguments", "Options", "Web", "Extraction", "Graph", "Performance"]
    performance = output[output.index("╭─ Performance") :]
    assert "--jobs" in performance and "--shard" in performance
    web = output[output.index("╭─ Web") : output.index("╭─ Extraction")]
    web_options = (
        "--feed",
        "--sitemap",
        "--offline",
        "--delay",
        "--timeout",
        "--max-pages",
        "--forget-dropped",
    )
    assert all(option in web for option in web_options)


def test_top_level_help_gives_each_command_its_whole_summary(run):
    output = run("--help").stdout
    panel = output[output.index("╭─ Commands") :].splitlines()[1:]
    summaries: dict[str, str] = {}
    name = ""
    for line in panel:
        if not line.startswith("│"):
            break
        row = line.strip("│ ")
        first, _, rest = row.partition(" ")
        if first in COMMANDS and line.startswith(f"│ {first} "):
            name, row = first, rest
        summaries[name] = f"{summaries.get(name, '')} {row.strip()}".strip()
    assert set(summaries) == set(COMMANDS)
    for command, summary in summaries.items():
        assert "..." not in summary, summary
        first_paragraph = (GROUP.commands[command].help or "").split("\n\n")[0]
        assert summary == " ".join(first_paragraph.split()), command


@pytest.mark.parametrize("command", COMMANDS)
def test_help_keeps_every_text_default_and_choice(command):
    # A terminal wide enough that no cell wraps: every text must then appear on one line.
    result = run_graphbuilder(command, "--help", TERMINAL_WIDTH="2000", COLUMNS="2000")
    assert result.returncode == 0, result.stderr
    shown = result.stdout
    click_command = GROUP.commands[command]
    for param in click_command.params:
        assert " ".join(param.help.split()) in shown, f"{command} {param.name}: {param.help}"
        if (
            param.param_type_name == "option"
            and param.show_default
            and param.default not in (None, [], False)
        ):
            assert f"[default: {getattr(param.default, 'value', param.default)}]" in shown, param.name
        if param.type_descriptor.is_choice:  # every choice in the metavar (a|b|c, over lines when long)
            metavar = param.display_type_rich(None)
            assert set(re.split(r"[|\n]", metavar)) - {""} == {c.value for c in param.type_descriptor.choices}
            for line in metavar.splitlines():
                assert f" {line} " in shown, (param.name, line)


def test_help_texts_are_shown_as_written_not_read_as_rich_markup():
    demo = typer.Typer(cls=_Commands, rich_markup_mode="rich")

    @demo.command("one", epilog=examples(("Try [bold]this[/bold]", "graphbuilder one --level [x]")))
    def one(level: str = typer.Option("a", help="A [bold]level[/bold], [red] or [link=x]y[/link].")) -> None:
        """Do [italic]one[/italic] thing."""

    @demo.command("two")
    def two() -> None:
        """Do another."""

    output = CliRunner().invoke(demo, ["one", "--help"], env={"TERMINAL_WIDTH": "200"}).stdout
    assert "A [bold]level[/bold], [red] or [link=x]y[/link]." in output
    assert "Do [italic]one[/italic] thing." in output
    assert "# Try [bold]this[/bold]" in output and "graphbuilder one --level [x]" in output


# -- shell completion ---------------------------------------------------------------------------


def test_completion_of_a_saved_query_name_offers_the_queries_it_starts():
    assert complete("graphbuilder", "query", "ti") == ["timeline"]
    assert complete("graphbuilder", "query", "actor") == ["actor-record", "actor-relations", "actors"]
    from graphbuilder.sparql.saved import list_saved_queries

    assert complete("graphbuilder", "query", "") == [q.name for q in list_saved_queries()]


def test_completion_of_a_saved_query_name_offers_nothing_when_none_matches():
    assert complete("graphbuilder", "query", "zz") == []  # bash then completes file names


def test_completion_offers_commands_and_choices():
    assert complete("graphbuilder", "qu") == ["query", "queries"]
    assert complete("graphbuilder", "build", "--store", "") == ["files", "oxigraph"]
    assert complete("graphbuilder", "stats", "--format", "j") == ["json"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_show_completion_prints_the_bash_script():
    result = run_graphbuilder("--show-completion", shell="bash")
    assert result.returncode == 0, result.stderr
    assert "_GRAPHBUILDER_COMPLETE=complete_bash" in result.stdout
    assert "complete -o default -F _graphbuilder_completion graphbuilder" in result.stdout
    # The same script for a named shell, where none can be detected (a Dockerfile's RUN).
    named = run_graphbuilder(_GRAPHBUILDER_COMPLETE="source_bash")
    assert named.returncode == 0 and named.stdout.strip() == result.stdout.strip()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_install_completion_writes_the_script_and_sources_it_from_bashrc(tmp_path):
    result = run_graphbuilder("--install-completion", shell="bash", HOME=str(tmp_path))
    assert result.returncode == 0, result.stderr
    script = tmp_path / ".bash_completions" / "graphbuilder.sh"
    assert "_GRAPHBUILDER_COMPLETE=complete_bash" in script.read_text()
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_installed_script_completes_in_bash(tmp_path):
    # The whole round trip: bash sources the script and calls its completion function.
    script = run_graphbuilder(_GRAPHBUILDER_COMPLETE="source_bash").stdout
    launcher = tmp_path / "graphbuilder"
    launcher.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m graphbuilder "$@"\n')
    launcher.chmod(0o755)
    session = (
        f"{script}\nCOMP_WORDS=(graphbuilder query ti); COMP_CWORD=2\n"
        '_graphbuilder_completion graphbuilder; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "--norc", "-c", session], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.stdout.split() == ["timeline"], result.stderr


def test_commands_and_completion_do_not_load_rich_only_help_does():
    # Typer imports rich to render help; nothing else may, so that startup stays fast.
    code = (
        "import sys\nfrom graphbuilder.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('rich' in sys.modules, file=sys.stderr)"
    )

    def loads_rich(*args: str, **env: str) -> str:
        child = subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, **env},
            check=False,
        )
        return child.stderr.strip().splitlines()[-1]

    assert loads_rich("--version") == "False"
    assert (
        loads_rich(_GRAPHBUILDER_COMPLETE="complete_bash", COMP_WORDS="graphbuilder query ti", COMP_CWORD="2")
        == "False"
    )
    assert loads_rich("--help") == "True"  # the test can tell


def test_readme_tells_how_to_install_completion():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "graphbuilder --install-completion" in readme and "--show-completion" in readme


def test_click_errors_stay_one_line_under_rich_help():
    demo = typer.Typer(cls=_Commands, rich_markup_mode="rich")

    @demo.command("one")
    def one() -> None:
        raise _CLICK_EXCEPTION("cannot open x.txt")  # as click's FileError does

    @demo.command("two")
    def two() -> None:
        pass

    assert_error(CliRunner().invoke(demo, ["one"]), 1, "error: cannot open x.txt")


def test_a_default_described_in_words_shows_as_the_others_do(run):
    output = run("viz", "--help").stdout
    hops = output[output.index("--hops") : output.index("--max-nodes")]
    assert "[default: 1]" in hops and "Default: 1" not in hops and "(1)" not in hops


def test_a_default_from_the_value_still_shows_as_typer_writes_it(run):
    output = run("stats", "--help").stdout
    assert "[default: 10]" in output and "[default: table]" in output


def test_query_help_names_every_kind_of_query_it_runs(run):
    assert "SELECT/ASK/CONSTRUCT/DESCRIBE" in " ".join(run("query", "--help").stdout.split())


def test_eval_help_says_what_it_scores_once(run):
    output = " ".join(run("eval", "--help").stdout.replace("│", " ").split())
    assert output.count("precision, recall and F1") == 1 and "per predicate" in output
