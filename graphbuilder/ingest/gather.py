"""Everything a build reads, gathered: files, folders, WARC files, web pages, feeds and sitemaps.

`read_sources` is what a build reads: files and folders go to reader.read_inputs, WARC
files to sources.warc_documents; http(s) addresses, the entries of `--feed` feeds and
the pages of `--sitemap` sitemaps are fetched through fetch.Fetcher and read by
sources.page_document. Entries that earlier builds read from the same feeds and
sitemaps and that are not fetched this time are read from the HTTP cache alone
(following.py). A page that cannot be had or read is a FetchFailure (url, reason),
reported and skipped; the rest of the build goes on.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import InputError, InputWarning
from ..model import Document, Extraction
from .fetch import ROBOTS_UNREAD, Fetcher, FetchFailed, FetchFailure, FetchStats, is_web_address
from .following import Followed
from .reader import Article, read_inputs
from .sources import (
    MAX_SITEMAP_DEPTH,
    MAX_SITEMAPS,
    Link,
    canonical_url,
    feed_links,
    is_warc,
    page_document,
    sitemap_entries,
    warc_documents,
)

Progress = Callable[[int, int], None]


@dataclass
class SourcesReport:
    """What reading the web gave besides the articles: failures and the network's counts."""

    failures: list[FetchFailure]
    stats: FetchStats
    pages: int = 0  # article pages fetched and read
    kept: int = 0  # articles read by earlier builds from followed sources, re-read from the HTTP cache
    followed: Followed = field(default_factory=Followed)  # the record for the next build


def read_sources(
    paths: Sequence[Path | str],
    feeds: Sequence[str] = (),
    sitemaps: Sequence[str] = (),
    *,
    default_date: str | None = None,
    skip: Sequence[Path] = (),
    fetcher: Callable[[], Fetcher] | None = None,
    progress: Progress | None = None,
    followed: Followed | None = None,
    max_pages: int | None = None,
) -> tuple[list[Article], SourcesReport]:
    """Return the articles of files, folders, WARC files, web addresses, feeds and sitemaps.

    Files and folders come first (reader.read_inputs), then WARC files, then fetched
    pages: the addresses in `paths`, then each feed's entries, then each sitemap's pages,
    each article once (by id, the first reach wins). `fetcher` makes the HTTP client
    when anything is to be fetched; `progress(done, total)` follows the fetching.
    A page that fails is recorded in the report (and warned of), not raised.

    `followed` is the record of earlier builds (following.py): the entries it holds for
    the feeds and sitemaps given here are read again, from the HTTP cache alone when
    they are not fetched this time; the report's `followed` is the record to keep.
    `max_pages` fetches at most that many article pages (new ones first), with one
    warning.
    """
    urls = [str(p).strip() for p in paths if is_web_address(p)]
    warcs = [Path(p) for p in paths if not is_web_address(p) and is_warc(p)]
    files = [Path(p) for p in paths if not is_web_address(p) and not is_warc(p)]
    for address in [*feeds, *sitemaps]:
        if not is_web_address(address):
            raise InputError("not an http(s) address: give a feed or sitemap by its URL", path=address)
    articles: list[Article] = read_inputs(files, default_date=default_date, skip=skip)  # checks the date
    first_seen = {_id(a): a for a in articles}
    for warc in warcs:
        for document in warc_documents(warc, default_date):
            if document.id in first_seen:
                raise InputError(
                    f"duplicate article id {document.id!r} (from {document.source}, also read elsewhere)",
                    path=warc,
                )
            first_seen[document.id] = document
            articles.append(document)
    report = SourcesReport([], FetchStats(), followed=(followed or Followed()).copy())
    if not (urls or feeds or sitemaps):
        return articles, report
    if fetcher is None:
        raise InputError("web addresses need an HTTP client: give build() an output folder", path=urls[0])
    with fetcher() as client:
        report.stats = client.stats
        listed = _listed(client, feeds, sitemaps, report.failures)
        links = _unique([Link(u) for u in urls] + [link for found in listed.values() for link in found])
        remembered = [
            Link(url, date) for source in listed for url, date in report.followed.entries(source).items()
        ]
        chosen = _within(links, max_pages, {canonical_url(link.url) for link in remembered})
        read = _fetch_articles(client, chosen, default_date, report, progress)
        # Entries read before and not this time (no longer listed, left out by --max-pages,
        # or failed): the copy in the HTTP cache, with no request.
        kept = _unique([link for link in remembered if canonical_url(link.url) not in read])
        if kept:
            read.update(_read_cached(client, kept, default_date, report))
        for _, document in read.values():
            if document.id not in first_seen:  # the same story reached twice is one article
                first_seen[document.id] = document
                articles.append(document)
        _record(report.followed, listed, read)
    _warn_failures(report.failures)
    return articles, report


def _sitemap_links(fetcher: Fetcher, url: str, failures: list[FetchFailure], seen: set[str]) -> list[Link]:
    links: list[Link] = []
    pending = [(url, 0)]
    while pending:
        current, depth = pending.pop(0)
        if current in seen or len(seen) >= MAX_SITEMAPS:
            continue
        seen.add(current)
        try:
            children, found = sitemap_entries(fetcher.get(current).content, current)
        except FetchFailed as failed:
            failures.append(FetchFailure(current, failed.reason))
            continue
        except InputError as exc:
            failures.append(FetchFailure(current, exc.message))
            continue
        links.extend(found)
        if depth < MAX_SITEMAP_DEPTH:
            pending.extend((child, depth + 1) for child in children)
    return links


def _listed(
    client: Fetcher, feeds: Sequence[str], sitemaps: Sequence[str], failures: list[FetchFailure]
) -> dict[str, list[Link]]:
    """Return the links each feed and sitemap lists, by the source's canonical address (none if it failed)."""
    listed: dict[str, list[Link]] = {}
    for feed in feeds:
        found = listed.setdefault(canonical_url(feed), [])
        try:
            found.extend(feed_links(client.get(feed).content, feed))
        except FetchFailed as failed:
            failures.append(FetchFailure(feed, failed.reason))
        except InputError as exc:
            failures.append(FetchFailure(feed, exc.message))
    seen_sitemaps: set[str] = set()
    for sitemap in sitemaps:
        listed.setdefault(canonical_url(sitemap), []).extend(
            _sitemap_links(client, sitemap, failures, seen_sitemaps)
        )
    return listed


def _within(links: list[Link], limit: int | None, remembered: set[str]) -> list[Link]:
    """Return the links to fetch: all, or `limit` of them (new ones first) with one warning."""
    if limit is None or len(links) <= limit:
        return links
    first = [link for link in links if canonical_url(link.url) not in remembered]
    first += [link for link in links if canonical_url(link.url) in remembered]
    chosen = {id(link) for link in first[:limit]}
    warnings.warn(
        InputWarning(
            f"--max-pages {limit}: {len(links) - limit} of {len(links)} listed pages were not fetched "
            "(a later build fetches new ones first)"
        ),
        stacklevel=3,
    )
    return [link for link in links if id(link) in chosen]


def _read_cached(
    client: Fetcher, links: list[Link], default_date: str | None, report: SourcesReport
) -> dict[str, tuple[Link, Document]]:
    """Return the articles of `links` read from the HTTP cache alone; those it lacks are failures."""
    read: dict[str, tuple[Link, Document]] = {}
    failed = {failure.url for failure in report.failures}  # asked for this time: already reported
    archive = client if client.offline else client.cache_reader()
    try:
        for link in links:
            try:
                read[canonical_url(link.url)] = (
                    link,
                    page_document(archive.get(link.url), link.date or default_date),
                )
                report.kept += 1
            except (FetchFailed, InputError):
                if link.url in failed:
                    continue
                report.failures.append(
                    FetchFailure(
                        link.url,
                        "read by an earlier build but no longer in the HTTP cache: left out of the graph",
                    )
                )
    finally:
        if archive is not client:
            report.stats.from_cache += archive.stats.from_cache
            archive.close()
    return read


def _record(
    followed: Followed, listed: dict[str, list[Link]], read: dict[str, tuple[Link, Document]]
) -> None:
    """Set, for each source of this build, the entries whose articles it holds, by their fetched address."""
    for source, found in listed.items():
        entries = {}
        for link in [*(Link(u, d) for u, d in followed.entries(source).items()), *found]:
            got = read.get(canonical_url(link.url))
            if got is not None:
                entries[got[0].url] = link.date or got[0].date
        followed.sources[source] = entries


def _warn_failures(failures: list[FetchFailure]) -> None:
    """Warn of each failure in one line; the pages of a site whose robots.txt could not be read, in one."""
    unread: dict[str, list[FetchFailure]] = {}
    for failure in failures:
        if failure.reason.startswith(ROBOTS_UNREAD):
            parts = urlsplit(failure.url)
            unread.setdefault(f"{parts.scheme}://{parts.netloc}", []).append(failure)
            continue
        warnings.warn(InputWarning(f"{failure.url}: skipped: {failure.reason}"), stacklevel=3)
    for origin, skipped in unread.items():
        pages = f"{len(skipped)} page{'s' if len(skipped) != 1 else ''}"
        warnings.warn(InputWarning(f"{origin}: {pages} skipped: {skipped[0].reason}"), stacklevel=3)


def _unique(links: list[Link]) -> list[Link]:
    """Return each canonical address once, in first-seen order, with the first date any reach gave."""
    kept: dict[str, Link] = {}
    for link in links:
        key = canonical_url(link.url)
        if key not in kept:
            kept[key] = Link(link.url, link.date)
        elif kept[key].date is None:
            kept[key].date = link.date
    return list(kept.values())


def _fetch_articles(
    client: Fetcher,
    links: list[Link],
    default_date: str | None,
    report: SourcesReport,
    progress: Progress | None,
) -> dict[str, tuple[Link, Document]]:
    """Return the article of each link that could be read, by the link's canonical address."""
    read: dict[str, tuple[Link, Document]] = {}
    if progress:
        progress(0, len(links))
    for done, link in enumerate(links, 1):
        try:
            page = client.get(link.url)
            read[canonical_url(link.url)] = (link, page_document(page, link.date or default_date))
            report.pages += 1
        except FetchFailed as failed:
            report.failures.append(FetchFailure(link.url, failed.reason))
        except InputError as exc:
            report.failures.append(FetchFailure(link.url, exc.message))
        if progress:
            progress(done, len(links))
    return read


def _id(article: Article) -> str:
    return article.document.id if isinstance(article, Extraction) else article.id
