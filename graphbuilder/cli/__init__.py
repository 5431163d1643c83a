"""The `graphbuilder` command line: one module per command, the app in _util."""

from . import build, evaluate, query, validate, viz  # noqa: F401  (each registers its commands)
from ._util import app, main

__all__ = ["app", "main"]
