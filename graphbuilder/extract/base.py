"""What the pipeline asks of an extractor, so that another one can be plugged in.

`build(..., extractor=...)` and `evaluate(..., extractor=...)` take any object with
these two members; the spaCy rules (extractor.SpacyExtractor) are the one used when
none is given. Nothing here imports spaCy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, runtime_checkable

from ..errors import UsageError
from ..model import Document, Extraction


@runtime_checkable
class Extractor(Protocol):
    """Turns articles into extractions: their actors, the roles held, the relations stated."""

    @property
    def fingerprint(self) -> str:
        """Text that changes whenever what this extractor says about an article may change
        (its rules, data, model or version). A build reuses an article's cached extraction
        only while the fingerprint it was made with is the same."""
        ...

    def extract_stream(self, documents: Sequence[Document]) -> Iterable[Extraction]:
        """Return the extraction of each document, in the documents' order, one per
        document (`map(self.extract, documents)` is a fine implementation)."""
        ...


def check_extractor(extractor: object, model: str | None = None, jobs: int = 1) -> None:
    """Raise UsageError unless `extractor` is an Extractor that can run with these options."""
    if not isinstance(extractor, Extractor):
        raise UsageError(
            f"{type(extractor).__name__} is not an extractor: it needs a "
            "`fingerprint` and an `extract_stream(documents)` method"
        )
    if model is not None:
        raise UsageError("--model chooses the spaCy pipeline: give it or an extractor, not both")
    if jobs > 1:
        raise UsageError(f"--jobs {jobs}: a given extractor runs in this process; use jobs=1")
