"""Join the outputs of `build --shard I/N` into the graph one build of everything gives.

Each shard keeps, in its out/.cache/, what the extractor said about its articles before
anything else happened, the extraction files it was given, and its build options.
Merging reads those and runs what comes after extraction (confidence filter, identity
across articles, RDF, outputs) once over all of them, exactly as a single build does;
nothing is extracted again.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import ExtractionFormatError, InputError, UsageError
from ..generation import output_lock
from ..model import Extraction, extraction_from_json
from ..options import Store
from ..options import event_window as options_event_window
from ..rdf.happenings import DEFAULT_WINDOW
from .build import BuildReport, check_options, finish
from .incremental import CACHE_DIR, MANIFEST, cache_files


def merge(
    folders: list[Path] | list[str],
    out: Path | str = Path("out"),
    store: Store | str = Store.files,
    event_window: int | str | None = DEFAULT_WINDOW,
) -> BuildReport:
    """Return the report of writing, into `out`, the merged graph of the shard outputs `folders`.

    `event_window` is as for build: the events are found across all the shards' articles.
    """
    folders, out = [Path(f) for f in folders], Path(out)
    window = options_event_window(event_window)
    if not folders:
        raise UsageError("give the output folders of the shards to merge")
    records = [_record(folder) for folder in folders]
    options, fingerprint = _agreed(records)
    store = check_options(options["base"], out, options.get("min_confidence"), store)
    articles: list[Extraction] = []
    given: list[Extraction] = []
    seen: dict[str, Path] = {}
    for folder, manifest in records:
        for kind, ids in (("articles", sorted(manifest["articles"])), ("given", manifest["given"])):
            for article_id in ids:
                if article_id in seen:
                    raise InputError(
                        f"article {article_id!r} is in two shards ({seen[article_id]} "
                        f"and {folder}): build each part with a different --shard I "
                        "of the same N"
                    )
                seen[article_id] = folder
                (articles if kind == "articles" else given).append(_cached(folder, article_id))
    # Parts that are all empty (a few articles split many ways) merge into an empty graph,
    # as a build of an empty part makes one.
    extractions = sorted([*articles, *given], key=lambda e: e.document.id)
    cache = cache_files(articles, fingerprint, given, options)
    with output_lock(out):
        return finish(
            extractions,
            out,
            base=options["base"],
            min_confidence=options.get("min_confidence"),
            store=store,
            counts=(0, len(extractions)),
            cache=cache,
            event_window=window,
        )


def _record(folder: Path) -> tuple[Path, dict]:
    path = folder / CACHE_DIR / MANIFEST
    if not folder.is_dir():
        raise InputError("is not a build output folder", path=folder)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(manifest.get("articles"), dict) or "options" not in manifest:
            raise ValueError("not a build record")
        manifest.setdefault("given", [])
    except (OSError, ValueError, AttributeError):
        raise InputError(
            f"holds no record of a build ({CACHE_DIR}/{MANIFEST}): build the "
            "shard with `graphbuilder build --shard I/N --out` into it",
            path=folder,
        ) from None
    return folder, manifest


def _agreed(records: list[tuple[Path, dict]]) -> tuple[dict, str | None]:
    """Return the build options and extractor fingerprint that every shard must share."""
    first, manifest = records[0]
    options = manifest["options"]
    fingerprints = {m["fingerprint"] for _, m in records if m["fingerprint"]}
    for folder, other in records[1:]:
        if other["options"] != options:
            raise InputError(
                f"was built with other options ({_shown(other['options'])}) than "
                f"{first} ({_shown(options)}): build every shard the same way",
                path=folder,
            )
    if len(fingerprints) > 1:
        raise InputError(
            "the shards were extracted by different versions of graphbuilder or "
            "of its spaCy pipeline: build them all with the same one",
            path=records[0][0],
        )
    return options, next(iter(fingerprints), None)


def _shown(options: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(options.items()))


def _cached(folder: Path, article_id: str) -> Extraction:
    path = folder / CACHE_DIR / f"{article_id}.json"
    try:
        return extraction_from_json(json.loads(path.read_text(encoding="utf-8")), origin=str(path))
    except OSError as exc:
        raise InputError(f"cannot read a shard's extraction: {exc.strerror or exc}", path=path) from None
    except (ValueError, ExtractionFormatError) as exc:
        raise InputError(
            f"a shard's extraction is damaged ({exc}): build that shard again", path=path
        ) from None
