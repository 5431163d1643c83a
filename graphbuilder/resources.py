"""Where the data files shipped with graphbuilder are (ontology, shapes, saved queries,
example), and the names every stage shares: the IRI base and the store folder.

A wheel carries `ontologies/` and `examples/` inside the package (pyproject's
force-include); an editable install or a source checkout has them at the repository
root, beside the package folder. Look inside the package first, then at the root.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from .errors import GraphbuilderError

PACKAGE_DIR = Path(__file__).resolve().parent
EXAMPLE_NAME = "seed-nk-dialogue.json"

#: The base of the IRIs graphbuilder mints for actors, articles, events and roles.
DEFAULT_BASE = "https://w3id.org/graphbuilder/id/"
#: The folder of an output that holds its Oxigraph store (`build --store oxigraph`).
STORE_DIR = "store"


def _locate(folder: str, name: str) -> Path:
    """Return the first existing `folder/name` in the package, then at the repository root."""
    candidates = [PACKAGE_DIR / folder / name, PACKAGE_DIR.parent / folder / name]
    for candidate in candidates:
        if candidate.exists():
            return candidate
    raise GraphbuilderError(
        f"graphbuilder is missing its data file {folder}/{name} "
        f"(looked in {', '.join(str(c.parent) for c in candidates)}): "
        "reinstall the package"
    )


def read_data(name: str) -> str:
    """Return the text of a file shipped in graphbuilder/data (lexicons, gazetteer, office
    holders, the HTML view's style, script and stylesheet)."""
    return resources.files("graphbuilder").joinpath("data", name).read_text(encoding="utf-8")


def package_files(folder: str) -> Iterator[Traversable]:
    """Yield the files of a folder of the package (such as "extract" or "data"), by name."""
    yield from sorted(resources.files("graphbuilder").joinpath(folder).iterdir(), key=lambda p: p.name)


def ontology_path() -> Path:
    """Return the path of the OWL ontology (graphbuilder.ttl)."""
    return _locate("ontologies", "graphbuilder.ttl")


def shapes_path() -> Path:
    """Return the path of the SHACL shapes a built graph must satisfy (shapes.ttl)."""
    return _locate("ontologies", "shapes.ttl")


def saved_queries_dir() -> Path:
    """Return the folder of the saved SPARQL queries (*.rq) shipped with the package."""
    return PACKAGE_DIR / "queries"


def example_path() -> Path:
    """Return the path of the bundled example article (examples/seed-nk-dialogue.json)."""
    return _locate("examples", EXAMPLE_NAME)


def package_version() -> str:
    """Return the installed version of graphbuilder ("0+unknown" in a never-installed tree)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("graphbuilder")
    except PackageNotFoundError:
        return "0+unknown"
