"""The Typer app, the options several commands share, and the one place errors become exit codes."""

from __future__ import annotations

import os
import re
import shutil
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

from ..errors import GraphbuilderError, InputWarning
from ..resources import package_version

if TYPE_CHECKING:
    # The Context a group is handed is click's (which Typer vendors), not typer.Context.
    from typer._click import Context

OUT_DIR = Path("out")

GRAPH_HELP = (
    "The built graph: an output folder of `graphbuilder build` or a graph file (.trig, .ttl, .jsonld)."
)


# Exceptions through which click/typer itself reports usage errors, --help and exits.
# (Found via BadParameter because newer Typer vendors click under a private name.)
_CLICK_EXCEPTION = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException" and issubclass(c, Exception)
)
_USAGE_ERROR = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError" and issubclass(c, Exception)
)
_PASS_THROUGH = (typer.Exit, typer.Abort)


def _fail_usage(exc: Exception) -> NoReturn:
    """Print a usage error (a bad option value, an unknown command) as one line; exit 2."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    if message[:1].isupper() and message[1:2].islower():
        message = message[0].lower() + message[1:]  # "Invalid value ..." reads as our errors do
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        message = f"{message.rstrip('.')} (see `{ctx.command_path} --help`)"
    fail(message, getattr(exc, "exit_code", 2))


def _shows_help(exc: Exception) -> bool:
    # Running a group with no arguments is a usage error whose message is the help page.
    return type(exc).__name__ == "NoArgsIsHelpError"


# -- help that reads well ---------------------------------------------------------------------
# Typer renders help with rich. Rich reads "[word]" as markup and drops it, so every help text
# is escaped (no text uses markup). Typer prints a type beside each metavar (`PATH <list[Path]>`,
# `--quiet <bool>`, `{QUERY}`) and has no setting for that, so the group gives the parameter
# objects Typer makes the two subclasses below, which name a value by a word.

_MARKUP_TAG = re.compile(r"(?<!\\)(\[[a-z#/@][^[]*?])")  # what rich takes for a tag, unless escaped


def _escape_markup(text: str | None) -> str | None:
    """Return help text with each [...] that rich would take for markup shown as written."""
    return _MARKUP_TAG.sub(r"\\\1", text) if text else text


def _alternatives(values: list[str], width: int = 24) -> str:
    """Return choices as `a|b|c`, on lines of about `width` characters when there are many."""
    lines = [values[0]] if values else [""]
    for value in values[1:]:
        if len(lines[-1]) + 1 + len(value) > width:
            lines[-1] += "|"
            lines.append(value)
        else:
            lines[-1] += "|" + value
    return "\n".join(lines)


def _choice(param: Any, ctx: Context, value: Any) -> Any:
    """Return `value` as the choice of `param` it names in any case (`TSV` is tsv); raise
    BadParameter listing the choices when it names none.

    Typer compares choices in their case and reports a miss through pydantic, whose
    message reads "Value error, 'yaml' is not one of 'table', ...": this one reads as ours.
    """
    described = param.type_descriptor
    if not described.is_choice or value is None:
        return value
    names = [str(getattr(c, "value", c)) for c in described.choices or ()]

    def one(given: Any) -> Any:
        if not isinstance(given, str) or given in names:  # a default, or already a choice
            return given
        found = next((n for n in names if n.casefold() == given.casefold()), None)
        if found is None:
            raise typer.BadParameter(f"{given!r} is not one of {', '.join(names)}", ctx=ctx, param=param)
        return found

    return type(value)(one(v) for v in value) if isinstance(value, (list, tuple)) else one(value)


class _Argument(TyperArgument):
    """An argument shown by its metavar alone: `QUERY`, `[PATH]...` (not `{QUERY}`, `<str>`)."""

    def process_value(self, ctx: Context, value: Any) -> Any:
        return super().process_value(ctx, _choice(self, ctx, value))

    def display_type_rich(self, ctx: Context) -> str | None:
        return None  # the name column already shows the metavar

    def get_usage_pieces(self, ctx: Context) -> list[str]:
        name = self.metavar or (self.name or "").upper()
        if not self.required:
            name = f"[{name}]"
        if self.nargs != 1 and not name.endswith("..."):
            name += "..."
        return [name]


class _Option(TyperOption):
    """An option whose value is named by a word: its metavar, its choices (`a|b`), else its
    name; a flag takes no value and shows none (not `<bool>`). A default described in
    words (show_default="1 with --focus") is shown as `[default: 1 with --focus]`."""

    def process_value(self, ctx: Context, value: Any) -> Any:
        return super().process_value(ctx, _choice(self, ctx, value))

    def _get_default_string(self, *, ctx: Context, show_default_is_str: bool, default_value: Any) -> str:
        if show_default_is_str:  # Typer would write it in parentheses: [default: (1)]
            return str(self.show_default)
        return super()._get_default_string(
            ctx=ctx, show_default_is_str=show_default_is_str, default_value=default_value
        )

    def display_type_rich(self, ctx: Context) -> str | None:
        if self.is_flag or self.count:
            return None
        if self.metavar:
            return self.metavar
        described = self.type_descriptor
        if described.is_choice and described.choices:
            return _alternatives([str(getattr(c, "value", c)) for c in described.choices])
        return (self.name or "value").upper()


def _readable(params: list[Any]) -> list[Any]:
    """Give Typer's parameter objects the help display of _Argument and _Option; return them."""
    for param in params:
        if type(param) is TyperArgument:
            param.__class__ = _Argument
        elif type(param) is TyperOption:
            param.__class__ = _Option
    return params


def examples(*cases: tuple[str, str]) -> str:
    """Return the Examples section that ends a command's help: what each example does, then
    its command line (tests/cli/test_help.py parses every one)."""
    # The leading empty line keeps the indentation: Typer dedents all lines after the first.
    lines = ["", "Examples"]
    for what, command_line in cases:
        lines += ["", f"  # {what}", f"  {command_line}"]
    return "\n".join(lines)


class _Commands(TyperGroup):
    """Runs a command and turns any error into one line on stderr and an exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for command in (self, *self.commands.values()):
            command.help = _escape_markup(command.help)
            command.epilog = _escape_markup(command.epilog)
            for param in _readable(command.params):
                if isinstance(param, (TyperArgument, TyperOption)):
                    param.help = _escape_markup(param.help)

    def get_params(self, ctx: Context) -> list[Any]:
        return _readable(super().get_params(ctx))  # with --help and the completion options

    def get_command(self, ctx: Context, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            _readable(command.get_params(ctx))  # the --help option click makes on demand
        return command

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except _USAGE_ERROR as exc:  # an unknown option of graphbuilder itself
            if _shows_help(exc):
                raise
            _fail_usage(exc)

    def invoke(self, ctx: Context) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always", InputWarning)  # one per file, not one per place
                warnings.showwarning = _show_warning
                return super().invoke(ctx)
        except _USAGE_ERROR as exc:  # a command's options, arguments, or an unknown command
            if _shows_help(exc):
                raise
            _fail_usage(exc)
        except _PASS_THROUGH:
            raise  # click picks the exit code
        except _CLICK_EXCEPTION as exc:  # click's other errors: one line too, not Typer's rich panel
            fail(str(exc), getattr(exc, "exit_code", 1))
        except BrokenPipeError:  # stdout's reader left (`| head`): stop quietly, as Unix tools do
            _silence_stdout()
            raise typer.Exit(141) from None  # 128 + SIGPIPE, the status `yes | head -1` gives yes
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM where a command turns it into this
            fail(str(exc) or "interrupted", 130)
        except GraphbuilderError as exc:
            fail(str(exc), exc.exit_code)
        except OSError as exc:  # the system refused a path (too long a name, ...): not a bug
            where = f"{exc.filename}: " if exc.filename else ""
            fail(f"{where}{exc.strerror or exc}", 1)
        except Exception as exc:  # a bug: still one line, never a traceback
            fail(
                f"unexpected {type(exc).__name__}: {exc}. This is a bug in graphbuilder; "
                "please report it with the command you ran.",
                1,
            )

    def list_commands(self, ctx: Context) -> list[str]:
        return list(self.commands)  # help lists commands in pipeline order


app = typer.Typer(
    cls=_Commands,
    name="graphbuilder",
    help="Build knowledge graphs of actors, roles and relations from news articles, "
    "then query them with SPARQL and explore them in a browser.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion, --show-completion
    rich_markup_mode="rich",  # panels; rich is imported only when help is shown
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit does not fail once more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
        pass


def fail(message: str, exit_code: int = 1) -> NoReturn:
    """Print `error: message` as one line on stderr and exit with `exit_code`."""
    one_line = " ".join(part.strip() for part in str(message).splitlines() if part.strip())
    typer.echo(f"error: {one_line}", err=True)
    raise typer.Exit(exit_code)


def _show_warning(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
    """Print a warning graphbuilder issues as one `warning: ...` line; leave others to Python."""
    if issubclass(category, InputWarning):
        say(f"warning: {message}")
    else:
        _PYTHON_SHOWWARNING(message, category, *args, **kwargs)


_PYTHON_SHOWWARNING = warnings.showwarning


def _is_terminal() -> bool:
    """Return whether stdout is a terminal (tests make it one by replacing this)."""
    return sys.stdout.isatty()


def terminal_width() -> int | None:
    """Return the width tables are cut to: the terminal's when stdout is one, else None
    (a file or a pipe gets every line whole)."""
    return shutil.get_terminal_size().columns if _is_terminal() else None


def say(message: str = "") -> None:
    """Print a message for the user on stderr (stdout carries only data)."""
    typer.echo(message, err=True)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"graphbuilder {package_version()}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=_version_callback,
            help="Print the version of graphbuilder and exit.",
        ),
    ] = False,
) -> None:
    """Build knowledge graphs of actors, roles and relations from news articles."""


def main() -> None:
    """Run the command line (the `graphbuilder` console script)."""
    app(prog_name="graphbuilder")
    sys.exit(0)
