"""The package's plan, checked: subpackages by stage, each importing only downward.

Every import in graphbuilder (at the top of a module or inside a function) is an arrow
in the import graph. The graph must have no circle, and no arrow may run from a stage
to a later one (rdf never imports sparql, sparql never imports the pipeline, ...).
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "graphbuilder"

#: Stages, earliest first: a module may import its own stage or an earlier one.
STAGES = {
    "graphbuilder.model": 0,
    "graphbuilder.errors": 0,
    "graphbuilder.fileio": 0,
    "graphbuilder.resources": 0,
    "graphbuilder.options": 0,
    "graphbuilder.generation": 0,
    "graphbuilder.ingest": 1,
    "graphbuilder.extract": 1,
    "graphbuilder.rdf": 2,
    "graphbuilder.sparql": 3,
    "graphbuilder.network": 4,
    "graphbuilder.viz": 5,
    "graphbuilder.pipeline": 6,
    "graphbuilder.cli": 7,
    "graphbuilder": 8,  # the package itself: the public API, and __main__
}


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def import_graph() -> nx.DiGraph:
    """Return graphbuilder's modules and the imports between them (including lazy ones)."""
    modules = _modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")
                base = base[: len(base) - node.level + 1] if node.level else []
                source = ".".join(base + ([node.module] if node.module else []))
                for alias in node.names:
                    target = f"{source}.{alias.name}"
                    # "from . import lexicon" imports the submodule, not the package
                    graph.add_edge(name, target if target in modules else source)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    graph.add_edge(name, alias.name)
    return graph.subgraph(modules).copy()


def stage(module: str) -> int:
    while module not in STAGES:
        module = module.rpartition(".")[0]
    return STAGES[module]


def test_the_import_graph_is_real():
    graph = import_graph()
    assert graph.number_of_nodes() > 40
    assert graph.has_edge("graphbuilder.sparql.query", "graphbuilder.rdf.mapping")
    assert graph.has_edge("graphbuilder.pipeline.build", "graphbuilder.extract.extractor")  # lazy


def test_the_imports_have_no_circle():
    graph = import_graph()
    assert graph.number_of_edges() > 100  # the graph read is the real one
    cycles = list(nx.simple_cycles(graph))
    assert cycles == [], f"import circles: {cycles}"


def test_no_import_runs_back_up_the_stages():
    graph = import_graph()
    assert any(stage(b) < stage(a) for a, b in graph.edges)  # downward arrows are seen
    upward = [(a, b) for a, b in graph.edges if stage(b) > stage(a)]
    assert upward == [], f"imports from a stage to a later one: {upward}"


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("graphbuilder.rdf.mapping", "graphbuilder.sparql.query"),
        ("graphbuilder.extract.actors", "graphbuilder.pipeline.build"),
    ],
)
def test_a_backward_arrow_would_be_caught(importer, imported):
    graph = import_graph()
    graph.add_edge(importer, imported)
    assert [(a, b) for a, b in graph.edges if stage(b) > stage(a)] == [(importer, imported)]
    graph.add_edge(imported, importer)
    assert list(nx.simple_cycles(graph))


def _layout_section() -> str:
    design = (PACKAGE.parent / "docs" / "design.md").read_text(encoding="utf-8")
    start = design.index("## Layout")
    return design[start : design.index("\n## ", start + 1)]


def test_every_module_and_folder_the_design_notes_name_exists():
    import re

    layout = _layout_section()
    files = {p.name for p in PACKAGE.rglob("*.py")}
    named = set(re.findall(r"\b([a-z_]+\.py)\b", layout))
    assert len(named) > 25 and "mapping.py" in named
    assert named - files - {"test_package_layout.py"} == set()
    folders = set(re.findall(r"^  ([a-z_]+)/ ", layout, re.M))
    assert folders >= {"rdf", "sparql", "network", "viz", "pipeline", "cli", "extract"}
    assert all((PACKAGE / f).is_dir() for f in folders)


def test_every_module_is_named_in_the_design_notes():
    layout = _layout_section()
    assert len(list(PACKAGE.rglob("*.py"))) > 40 and "extractor.py" in layout
    missing = sorted(
        p.name
        for p in PACKAGE.rglob("*.py")
        if p.name not in ("__init__.py", "__main__.py") and p.name not in layout and p.parent.name != "cli"
    )
    assert missing == []


TESTS = Path(__file__).resolve().parent


def _test_folders_without_a_subpackage(tests: Path) -> list[str]:
    return sorted(
        d.name
        for d in tests.iterdir()
        if d.is_dir() and any(d.glob("test_*.py")) and not (PACKAGE / d.name).is_dir()
    )


def test_the_tests_mirror_the_package_layout():
    """tests/<stage>/ holds the tests of graphbuilder/<stage>/; tests/ itself the top modules'."""
    subpackages = {d.name for d in PACKAGE.iterdir() if (d / "__init__.py").is_file()}
    assert subpackages >= {"extract", "rdf", "sparql", "network", "viz", "pipeline", "cli"}
    assert sorted(s for s in subpackages if not any((TESTS / s).glob("test_*.py"))) == []
    assert _test_folders_without_a_subpackage(TESTS) == []


def _misplaced_top_tests(tests: Path) -> list[str]:
    """Return the tests in `tests` itself named after a module that lives in a subpackage."""
    nested = {p.stem: p.parent.name for p in PACKAGE.glob("*/*.py") if p.stem != "__init__"}
    return sorted(
        f"{t.name} -> tests/{nested[t.stem[5:]]}/"
        for t in tests.glob("test_*.py")
        if t.stem[5:] in nested and not (PACKAGE / f"{t.stem[5:]}.py").exists()
    )


def test_a_modules_tests_sit_in_its_stages_folder():
    assert (PACKAGE / "pipeline" / "resolve.py").exists() and (TESTS / "test_api.py").exists()
    assert _misplaced_top_tests(TESTS) == []


def test_a_stage_modules_tests_at_the_top_would_be_caught(tmp_path):
    for name in ("test_resolve.py", "test_api.py", "test_docs.py"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert _misplaced_top_tests(tmp_path) == ["test_resolve.py -> tests/pipeline/"]


def test_a_test_folder_with_no_subpackage_would_be_caught(tmp_path):
    (tmp_path / "rdf").mkdir()
    (tmp_path / "rdf" / "test_x.py").write_text("", encoding="utf-8")
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "test_y.py").write_text("", encoding="utf-8")
    assert _test_folders_without_a_subpackage(tmp_path) == ["storage"]
