"""Every error graphbuilder raises on purpose.

Each message says what went wrong and, where it can, how to fix it. The CLI maps
these to one line on stderr and an exit code; nothing else should escape as a
traceback.
"""

from __future__ import annotations


class GraphbuilderError(Exception):
    """Base class: a problem the user can fix. `exit_code` is what the CLI returns."""

    exit_code = 1

    def __init__(
        self, message: str, *, path: object | None = None, line: int | None = None, column: int | None = None
    ) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        return f"{where}{self.message}"


class InputWarning(UserWarning):
    """An input was read, but maybe not as its author meant (metadata left in the body, ...).

    Issued with `warnings.warn`; the CLI prints each as one `warning: ...` line on stderr.
    """


class UsageError(GraphbuilderError):
    """The command was called with arguments that cannot work (exit 2)."""

    exit_code = 2


class InputError(GraphbuilderError):
    """An input file is missing, empty, binary, not UTF-8, or of an unknown kind."""


class ExtractionFormatError(InputError):
    """A JSON article or extraction file does not follow the extraction format."""


class OutputError(GraphbuilderError):
    """An output cannot be written where it was asked for (not a folder, no permission, ...)."""


class ModelError(GraphbuilderError):
    """The spaCy pipeline cannot be loaded."""


class ClusterError(GraphbuilderError):
    """The Dask cluster of `build --scheduler` failed the build: its scheduler was lost, or a
    batch stopped every worker that ran it."""


class DataError(GraphbuilderError):
    """A data file the extractor reads (the gazetteer, a lexicon) contradicts itself."""


class GraphNotFoundError(GraphbuilderError):
    """No built graph where one was expected."""


class GraphParseError(GraphbuilderError):
    """An RDF file could not be parsed."""


class QueryError(GraphbuilderError):
    """A SPARQL query is malformed, not read-only, or names an unknown saved query."""


class ParamError(UsageError, QueryError):
    """A query parameter (`--param NAME=VALUE`) the query cannot take: an unknown name, a
    page size that is not a number, an actor no one is called (exit 2, a command-line
    mistake; still a QueryError for scripts that catch those)."""


class EndpointError(GraphbuilderError):
    """A SPARQL endpoint or graph store cannot be reached, refuses, or answers with an error."""


class QueryTimeoutError(EndpointError):
    """A query ran longer than the server's time limit and was stopped."""


class NoPathError(GraphbuilderError):
    """No chain of relations links two actors of the graph (`graphbuilder path`)."""
