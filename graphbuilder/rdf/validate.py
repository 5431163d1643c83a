"""Check a built graph against the SHACL shapes (ontologies/shapes.ttl) with pySHACL, and
warn of what may be wrong though articles can say it (two heads of state of one country at once)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Dataset, Graph, Namespace, URIRef

from ..resources import ontology_path, shapes_path
from .files import load_dataset
from .mapping import merged_graph
from .tenures import head_of_state_overlaps
from .terms import shorten

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Violation:
    """One failed constraint: the node, the property path, what is wrong, how bad it is."""

    focus: str  # the focus node's IRI
    path: str | None  # the property path, as an IRI, when the shape has one
    message: str
    severity: str = "Violation"  # Violation, Warning or Info


@dataclass
class ValidationReport:
    """Whether the graph conforms, each violation, and a readable one-line-per-problem text.

    `warnings` are one line each about what the shapes allow but may be wrong (rdf/tenures.py:
    two people attested as head of state of one country at once); they leave `conforms` as it is.
    """

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    text: str = ""
    warnings: list[str] = field(default_factory=list)


def validate(ds_or_path: Dataset | Graph | Path | str, shapes: Path | str | None = None) -> ValidationReport:
    """Return the report of validating a graph (or the graph stored at a path) against the shapes.

    The merged view is validated, so an actor described in several articles must agree
    with itself across them. The ontology is passed as the extra graph so that sh:class
    sees gb:Person as a gb:Actor; no inference runs, since RDFS inference would type
    every gb:holder a gb:Person and hide the very errors the shapes look for.
    """
    from pyshacl import validate as shacl_validate

    source = ds_or_path if isinstance(ds_or_path, Graph) else load_dataset(Path(ds_or_path))
    data = merged_graph(source)
    shapes_graph = Graph().parse(shapes or shapes_path(), format="turtle")
    ontology = Graph().parse(ontology_path(), format="turtle")
    conforms, results, _ = shacl_validate(
        data,
        shacl_graph=shapes_graph,
        ont_graph=ontology,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=True,
    )
    namespaces = {prefix: str(ns) for prefix, ns in data.namespaces() if prefix}
    # Two constraints on one value can fail with the same message: report it once.
    violations = sorted(
        set(_violations(results, namespaces)), key=lambda v: (v.focus, v.path or "", v.message, v.severity)
    )
    return ValidationReport(
        conforms=bool(conforms),
        violations=violations,
        text=_report_text(bool(conforms), violations, namespaces),
        warnings=[overlap.message for overlap in head_of_state_overlaps(data)],
    )


def _violations(results: Graph, namespaces: dict[str, str]) -> list[Violation]:
    found: list[Violation] = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        severity = results.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        found.append(
            Violation(
                focus=str(focus),
                path=str(path) if isinstance(path, URIRef) else None,
                message=_shorten_iris(messages[0], namespaces) if messages else "does not conform",
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
            )
        )
    return found


def _short(iri: str | None, namespaces: dict[str, str]) -> str:
    return "-" if iri is None else shorten(URIRef(iri), namespaces)


def _shorten_iris(message: str, namespaces: dict[str, str]) -> str:
    """Return `message` with each <IRI> in it written prefix:local where a prefix is bound.

    The shapes' SPARQL-based messages name the value they found as <{?value}>, which
    pySHACL fills in with the whole IRI.
    """

    def short(match: re.Match) -> str:
        iri = match.group(1)
        shortened = shorten(URIRef(iri), namespaces)
        return match.group(0) if shortened == iri else shortened

    return re.sub(r"<([^<>\s\"]+)>", short, message)


def _report_text(conforms: bool, violations: list[Violation], namespaces: dict[str, str]) -> str:
    if conforms and not violations:
        return "the graph conforms to the shapes\n"
    counts = sum(v.severity == "Violation" for v in violations)
    head = (
        "the graph conforms to the shapes"
        if conforms
        else f"the graph does not conform to the shapes: {counts} violation(s)"
    )
    lines = [head]
    for v in violations:
        severity = "" if v.severity == "Violation" else f"[{v.severity}] "
        lines.append(f"{severity}{_short(v.focus, namespaces)}  {_short(v.path, namespaces)}  {v.message}")
    return "\n".join(lines) + "\n"
