"""Following feeds and sitemaps over time: the entries that builds into one folder have read.

A feed lists only its latest entries and a sitemap may drop old pages, so a folder built
again and again (by cron, say) from the same `--feed` would lose every story that
scrolled off. A build therefore records, for each feed and sitemap it was given, the
entries whose articles it read: `FOLLOWED_FILE` in out/.cache/, written with the other
outputs, all or nothing. The next build given that feed or sitemap reads the entries it
no longer lists from the HTTP cache alone, with no request (gather.read_sources), so
the graph accumulates.

The record keeps the sources a build was not given (their articles are not in that
build's graph, and come back when a build is given them again). A build with
`forget` (`--forget-dropped`) starts the record afresh from what its sources list now;
so does a build into a new folder. Addresses given as arguments are not followed: a
build holds the pages it is given.
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputWarning

#: Its name cannot be an article's cache file (`<id>.json`): ids start with a letter or a digit.
FOLLOWED_FILE = "_followed.json"


@dataclass
class Followed:
    """The entries read from each followed feed or sitemap: source -> entry address -> its date.

    Sources are keyed by their canonical address (sources.canonical_url); an entry by
    the address it was fetched at, which is what the HTTP cache knows it by.
    """

    sources: dict[str, dict[str, str | None]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Followed:
        """Return the record at `path`: empty if there is none; empty, with a warning, if it is damaged."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls()
        except OSError as exc:
            return cls._unreadable(path, exc.strerror or str(exc))
        try:
            sources = {
                str(source): {
                    str(url): date if isinstance(date, str) else None for url, date in entries.items()
                }
                for source, entries in json.loads(text)["sources"].items()
            }
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return cls._unreadable(path, f"not a record of followed entries: {exc}")
        return cls(sources)

    @classmethod
    def _unreadable(cls, path: Path, reason: str) -> Followed:
        warnings.warn(
            InputWarning(
                f"{path}: cannot be read ({reason}): this build holds only what its feeds and "
                "sitemaps list now, and starts the record afresh"
            ),
            stacklevel=3,
        )
        return cls()

    def entries(self, source: str) -> dict[str, str | None]:
        """Return the entries read from `source` (canonical address) by earlier builds, with their dates."""
        return self.sources.get(source, {})

    def copy(self) -> Followed:
        """Return a copy that can be changed without changing this record."""
        return Followed({source: dict(entries) for source, entries in self.sources.items()})

    def text(self) -> str:
        """Return the text of the record's file: sorted JSON, so an unchanged record is the same bytes."""
        return json.dumps({"sources": self.sources}, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
