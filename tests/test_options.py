"""The typed options: each closed choice is one Enum the library and the CLI share."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from graphbuilder.cli import app
from graphbuilder.cli._util import _alternatives
from graphbuilder.errors import QueryError, UsageError
from graphbuilder.options import ExportFormat, ResultFormat, Store


def test_a_choice_is_its_member_whether_given_as_member_or_string():
    assert Store.of("oxigraph", "--store") is Store.oxigraph
    assert Store.of(Store.files, "--store") is Store.files
    assert Store.oxigraph == "oxigraph" and f"{Store.oxigraph}" == "oxigraph"


@pytest.mark.parametrize(
    "choice, value, error",
    [(Store, "sqlite", UsageError), (ExportFormat, "pdf", UsageError), (ResultFormat, "yaml", QueryError)],
)
def test_a_value_outside_the_choice_is_refused_naming_the_allowed_ones(choice, value, error):
    with pytest.raises(
        error,
        match=rf"unknown fmt '{value}' \(expected one of "
        rf"{', '.join(choice.values())}\)",
    ):
        choice.of(value, "fmt", error)


def test_the_cli_offers_exactly_the_library_choices():
    result = CliRunner().invoke(app, ["build", "--help"], env={"COLUMNS": "200"})
    assert " files|oxigraph " in result.output
    result = CliRunner().invoke(app, ["export", "--help"], env={"COLUMNS": "200"})
    # Many choices are shown on lines of about 24 characters: graphml|gexf|csv|plover| events-tsv.
    lines = _alternatives(list(ExportFormat.values())).splitlines()
    assert "".join(lines) == "|".join(ExportFormat.values()) and len(lines) > 1
    assert all(f" {line} " in result.output for line in lines)
