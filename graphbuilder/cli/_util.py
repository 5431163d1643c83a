"""The Typer app, the options several commands share, and the one place errors become exit codes."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

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
_PASS_THROUGH = (typer.Exit, typer.Abort, _CLICK_EXCEPTION)


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


class _Commands(TyperGroup):
    """Runs a command and turns any error into one line on stderr and an exit code."""

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
            raise  # click prints these and picks the exit code
        except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM where a command turns it into this
            fail(str(exc) or "interrupted", 130)
        except GraphbuilderError as exc:
            fail(str(exc), exc.exit_code)
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
    add_completion=False,
    rich_markup_mode=None,  # plain help: rich would eat [...] in texts
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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
