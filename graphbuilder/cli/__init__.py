"""The `graphbuilder` command line: one module per command, the app in _util."""

# Each module registers its commands; the import order is the order --help lists them.
from . import build, evaluate, query, validate, viz, analytics, timeline, serve, push  # noqa: F401, I001
from ._util import app, main

__all__ = ["app", "main"]
