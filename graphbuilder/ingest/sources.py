"""Articles where the news is: web pages, RSS/Atom feeds, sitemaps and WARC files -> Documents.

The formats, read from bytes: the links of a feed (feedparser: RSS 0.9x/1.0/2.0, Atom),
the pages of a sitemap (sitemap indexes and news sitemaps, plain or gzip-compressed,
parsed with defusedxml), the HTML pages a WARC file archived (warcio), and the article
in a fetched page (reader.html_document: trafilatura). gather.py fetches them and
reads them into what a build holds.

A fetched article is named by its canonical address (the page's own rel=canonical when
it is on the same host, else the address it was fetched from after redirects, without
fragment, default port or tracking parameters): its id is a slug of that address plus a
short hash of it, so the same story reached by a feed and a sitemap is one article,
with the same id every run. Its source is the address it was fetched from.

"""

from __future__ import annotations

import gzip
import hashlib
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from ..errors import InputError, InputWarning
from ..model import Document, parse_iso_date, slugify
from .fetch import Page, is_web_address
from .reader import html_document

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")
#: How deep sitemap indexes are followed, and how many sitemaps one build reads at most.
MAX_SITEMAP_DEPTH = 3
MAX_SITEMAPS = 200
#: Query parameters that only track where a reader came from: not part of an article's address.
TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")

Progress = Callable[[int, int], None]


@dataclass
class Link:
    """An article address found in a feed or sitemap (or given), with the date it gave."""

    url: str
    date: str | None = None


def is_warc(path: object) -> bool:
    """Return whether `path` names a WARC file by its extension."""
    return str(path).lower().endswith(WARC_SUFFIXES)


def canonical_url(url: str) -> str:
    """Return `url` without fragment, default port or tracking parameters; scheme and host in lower case."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and (scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(TRACKING_PARAMETERS)
    ]
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def article_id(url: str) -> str:
    """Return the article id of a web address: a slug of its host and path, and 8 hex of its hash."""
    canonical = canonical_url(url)
    parts = urlsplit(canonical)
    host = parts.netloc.split(":")[0].removeprefix("www.")
    slug = slugify(f"{host} {parts.path}")[:72].strip("-")
    digest = hashlib.sha1(canonical.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}" if slug else digest


def page_document(page: Page, date: str | None) -> Document:
    """Return the article in a fetched HTML page, named by its canonical address; InputError if none."""
    if page.content_type not in HTML_TYPES:
        raise InputError(f"not an HTML page ({page.content_type or 'no content type'})", path=page.url)
    document = html_document(_decoded_html(page.content, page.charset), page.final_url, date)
    canonical = page.final_url
    claimed = document.source  # the page's rel=canonical or og:url, as trafilatura read it
    if claimed and is_web_address(claimed):
        claimed = urljoin(page.final_url, claimed)
        if urlsplit(claimed).hostname == urlsplit(page.final_url).hostname:
            canonical = claimed
    return replace(document, id=article_id(canonical), source=page.final_url, path=page.final_url)


def _decoded_html(content: bytes, charset: str | None) -> str:
    if charset:
        try:
            return content.decode(charset, "replace")
        except LookupError:
            pass  # an unknown charset name: guess, as for a page that names none
    from trafilatura.utils import decode_file

    text = decode_file(content)
    return text if isinstance(text, str) else text.decode("utf-8", "replace")


# -- feeds and sitemaps -------------------------------------------------------------------------


def feed_links(content: bytes, feed_url: str) -> list[Link]:
    """Return the article links of an RSS or Atom feed, with each entry's date; InputError if not a feed."""
    import feedparser  # given bytes, feedparser never fetches

    parsed = feedparser.parse(content, response_headers={"content-location": feed_url})
    if not parsed.get("version") and not parsed.entries:
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: "")() or "no entries"
        raise InputError(f"not an RSS or Atom feed ({reason})", path=feed_url)
    links = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        url = urljoin(feed_url, link)
        if is_web_address(url):
            stamp = entry.get("published_parsed") or entry.get("updated_parsed")
            links.append(Link(url, time.strftime("%Y-%m-%d", stamp) if stamp else None))
    return links


def sitemap_entries(content: bytes, sitemap_url: str) -> tuple[list[str], list[Link]]:
    """Return a sitemap's sub-sitemaps (an index) and its pages with their dates; InputError if not one.

    A news sitemap's <news:publication_date> dates a page, else <lastmod>.
    """
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    if content[:2] == b"\x1f\x8b":  # a .xml.gz sitemap
        try:
            content = gzip.decompress(content)
        except (OSError, EOFError) as exc:
            raise InputError(f"not a gzip-compressed sitemap ({exc})", path=sitemap_url) from None
    try:
        root = ElementTree.fromstring(content)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise InputError(f"not a sitemap (XML: {exc})", path=sitemap_url) from None
    kind = root.tag.rpartition("}")[2]
    if kind not in ("sitemapindex", "urlset"):
        raise InputError(f"not a sitemap (its root element is <{kind}>)", path=sitemap_url)
    children, links = [], []
    for item in root:
        fields = {child.tag.rpartition("}")[2]: child for child in item.iter()}
        loc = (fields["loc"].text or "").strip() if "loc" in fields else ""
        url = urljoin(sitemap_url, loc) if loc else ""
        if not is_web_address(url):
            continue
        if kind == "sitemapindex":
            children.append(url)
            continue
        date = None
        for name in ("publication_date", "lastmod"):
            if name in fields and fields[name].text:
                try:
                    date = parse_iso_date(fields[name].text.strip()[:10])
                    break
                except ValueError:
                    pass
        links.append(Link(url, date))
    return children, links


# -- WARC -------------------------------------------------------------------------------------


def warc_documents(path: Path, default_date: str | None = None) -> list[Document]:
    """Return the articles in the HTML responses a WARC file archived, in file order.

    Records that are not successful HTML responses (requests, metadata, images,
    robots.txt) are passed over; HTML pages with no article text are counted in one
    warning. InputError if the file cannot be read as WARC.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    documents: list[Document] = []
    seen: set[str] = set()
    empty = 0
    try:
        with open(path, "rb") as stream:
            head = stream.read(2)
            stream.seek(0)
            start = gzip.open(stream).read(5) if head == b"\x1f\x8b" else stream.read(5)
            if start != b"WARC/":
                raise InputError("not a WARC file (it does not start with a WARC record)", path=path)
            stream.seek(0)
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                if record.http_headers.get_statuscode() != "200":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                media, _, params = (record.http_headers.get_header("Content-Type") or "").partition(";")
                content = record.content_stream().read()
                if not is_web_address(url) or media.strip().lower() not in HTML_TYPES:
                    continue
                charset = params.partition("charset=")[2].strip().strip("\"'") or None
                page = Page(url, url, content, media.strip().lower(), charset, from_cache=False)
                try:
                    document = page_document(page, default_date)
                except InputError:
                    empty += 1
                    continue
                if document.id not in seen:
                    seen.add(document.id)
                    documents.append(document)
    except (OSError, EOFError) as exc:  # gzip's BadGzipFile is an OSError
        reason = getattr(exc, "strerror", None) or exc
        raise InputError(f"cannot read the WARC file: {reason}", path=path) from None
    except ArchiveLoadFailed as exc:
        raise InputError(f"not a WARC file ({exc.msg if hasattr(exc, 'msg') else exc})", path=path) from None
    if empty:
        warnings.warn(
            InputWarning(f"{path}: {empty} archived HTML page(s) held no article text and were skipped"),
            stacklevel=2,
        )
    if not documents:
        raise InputError("no HTML article pages in this WARC file", path=path)
    return documents
