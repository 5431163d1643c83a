"""Incremental builds: re-extract only the articles that are new or changed.

A build keeps, in `out/.cache/`, what the extractor said about each article before
resolution, with a key made of the article's content and the extractor's fingerprint
(for the spaCy extractor: its code, its data files, the spaCy pipeline and version).
The next build into the same folder reuses an article's cached extraction when both
keys match, and runs everything after extraction (resolution, RDF, outputs) on the
whole set as a clean build would, so the graph is the same as a clean build's.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExtractionFormatError
from ..model import Document, Extraction, extraction_from_json

CACHE_DIR = ".cache"
#: Its name cannot be an article's (`<id>.json`): ids start with a letter or a digit.
MANIFEST = "_manifest.json"


def document_key(document: Document) -> str:
    """Return a hash of everything about an article that extraction reads."""
    fields = {
        "id": document.id,
        "title": document.title,
        "date": document.date,
        "source": document.source,
        "publisher": document.publisher,
        "license": document.license,
        "text": document.text,
    }
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass
class ExtractionCache:
    """The cached extractions of an output folder, by article id."""

    fingerprint: str | None = None
    entries: dict[str, dict] = field(default_factory=dict)  # id -> {"key", "file"}
    folder: Path | None = None

    @classmethod
    def load(cls, out: Path) -> "ExtractionCache":
        """Return the cache of `out`; an absent or unreadable cache is simply empty."""
        folder = Path(out) / CACHE_DIR
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            return cls(fingerprint=manifest["fingerprint"], entries=dict(manifest["articles"]), folder=folder)
        except (OSError, ValueError, KeyError, TypeError):
            return cls(folder=folder)

    def lookup(self, document: Document, fingerprint: str) -> Extraction | None:
        """Return the cached extraction of an unchanged article, or None."""
        entry = self.entries.get(document.id)
        if (
            self.folder is None
            or entry is None
            or self.fingerprint != fingerprint
            or entry.get("key") != document_key(document)
        ):
            return None
        path = self.folder / f"{document.id}.json"
        try:
            cached = extraction_from_json(json.loads(path.read_text(encoding="utf-8")), origin=str(path))
        except (OSError, ValueError, ExtractionFormatError):
            return None  # a damaged cache entry is extracted again
        cached.document = document
        return cached


def cache_files(
    extracted: list[Extraction],
    fingerprint: str | None,
    given: Sequence[Extraction] = (),
    options: dict | None = None,
) -> CacheFiles:
    """Return the cache's files (relative name -> text) for the extractions of this build.

    `extracted` are the extractor's results for articles (reused by the next build when
    the article and the extractor are unchanged); `given` are extraction files read as
    they are. Both, with the build `options`, are what merge.py needs to redo a build
    from its shards. The extractions must not change afterwards: each file's text is
    made when it is read (see CacheFiles).
    """
    files = {f"{CACHE_DIR}/{e.document.id}.json": e for e in [*extracted, *given]}
    manifest = {
        "fingerprint": fingerprint,
        "articles": {
            e.document.id: {"key": document_key(e.document)}
            for e in sorted(extracted, key=lambda e: e.document.id)
        },
        "given": sorted(e.document.id for e in given),
        "options": options or {},
    }
    return CacheFiles(files, json.dumps(manifest, indent=1, sort_keys=True) + "\n")


class CacheFiles(Mapping):
    """The cache's files by relative name; each text is made when it is read.

    Made all at once, the texts of 2,000 articles took 40 MiB for the whole of the
    build's writing, its peak; the extractions they come from are kept anyway.
    """

    def __init__(
        self, extractions: dict[str, Extraction], manifest: str, others: Mapping[str, str] | None = None
    ) -> None:
        self.extractions, self.manifest = extractions, manifest
        self.others = dict(others or {})  # further files of the cache, by name, as text

    def including(self, others: Mapping[str, str]) -> CacheFiles:
        """Return these files and `others` (relative name -> text) besides."""
        return CacheFiles(self.extractions, self.manifest, {**self.others, **others})

    def __getitem__(self, name: str) -> str:
        if name == f"{CACHE_DIR}/{MANIFEST}":
            return self.manifest
        if name in self.others:
            return self.others[name]
        # Not indented: json.dumps with an indent runs in pure Python, seconds for
        # thousands of articles, and only graphbuilder reads these files.
        return json.dumps(self.extractions[name].to_json(), ensure_ascii=False) + "\n"

    def __iter__(self) -> Iterator[str]:
        yield from self.extractions
        yield f"{CACHE_DIR}/{MANIFEST}"
        yield from self.others

    def __len__(self) -> int:
        return len(self.extractions) + 1 + len(self.others)
