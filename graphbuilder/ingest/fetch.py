"""Polite HTTP: the one client through which graphbuilder reads the web.

`Fetcher.get(url)` gives a page's bytes, or raises FetchFailed with a reason a user can
read. On the way it:

- refuses anything but http and https, before the request and on every redirect;
- reads robots.txt once per site (RFC 9309: 4xx allows all, 5xx or no answer forbids
  all) and skips what it disallows for the `graphbuilder` user agent;
- waits `delay` seconds between two requests to one host (longer if robots.txt asks
  with Crawl-delay), counting only requests that reach the network;
- retries 429 and 5xx answers with backoff, honouring Retry-After (urllib3's Retry);
- stops a page at `timeout` seconds and at `max_bytes` bytes;
- keeps every answer in an on-disk HTTP cache (requests-cache, SQLite) and asks again
  with If-None-Match / If-Modified-Since, so a page that did not change costs a 304;
  `offline` answers from that cache alone and never touches the network.
"""

from __future__ import annotations

import time
import urllib.robotparser
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests import PreparedRequest, Response
from requests.adapters import HTTPAdapter
from requests_cache import CachedSession
from requests_cache.policy.expiration import EXPIRE_IMMEDIATELY
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError
from urllib3.util.retry import Retry

from ..resources import package_version

#: The token robots.txt rules name graphbuilder by.
ROBOTS_AGENT = "graphbuilder"
USER_AGENT = f"graphbuilder/{package_version()} (knowledge-graph builder for news; honours robots.txt)"
#: The largest page read, in bytes; a larger one is a failure, not a truncated article.
MAX_PAGE_BYTES = 5_000_000
#: Status codes retried (with backoff, and after Retry-After when the server gives it).
RETRY_STATUSES = (429, 500, 502, 503, 504)
#: How the failure of a page begins when its site's robots.txt could not be read.
ROBOTS_UNREAD = "robots.txt could not be read"
_SCHEMES = ("http", "https")
_FORBID_ALL = ["User-agent: *", "Disallow: /"]


class FetchFailed(Exception):
    """A page could not be had: `reason` says why in a few words."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


@dataclass(frozen=True)
class FetchFailure:
    """One page a build skipped, and why."""

    url: str
    reason: str


@dataclass
class Page:
    """A fetched answer: the address asked for, the one it came from after redirects, its bytes."""

    url: str
    final_url: str
    content: bytes
    content_type: str  # the media type, lower case, without parameters
    charset: str | None
    from_cache: bool


@dataclass
class FetchStats:
    """What the network saw: requests sent, 304 answers among them, pages answered from the cache."""

    requests: int = 0
    not_modified: int = 0
    from_cache: int = 0
    hosts: dict[str, list[float]] = field(default_factory=dict)  # host -> monotonic send times


def is_web_address(value: object) -> bool:
    """Return whether `value` is an http(s) URL given as a string (never a Path: it collapses '//')."""
    return isinstance(value, str) and urlsplit(value.strip()).scheme.lower() in _SCHEMES and "://" in value


class _PoliteAdapter(HTTPAdapter):
    """The transport under the cache: only requests that reach the network pass here."""

    def __init__(self, fetcher: Fetcher, retry: Retry) -> None:
        self.fetcher = fetcher
        super().__init__(max_retries=retry)

    def send(
        self,
        request: PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float | None, float | None] | None = None,
        verify: bool | str = True,
        cert: str | tuple[str, str] | None = None,
        proxies: dict[str, str] | None = None,
    ) -> Response:
        fetcher = self.fetcher
        url = request.url or ""
        fetcher._wait_turn(urlsplit(url).netloc.lower())
        response = super().send(request, True, timeout, verify, cert, proxies)
        fetcher.stats.requests += 1
        if response.status_code == 304:
            fetcher.stats.not_modified += 1
        response._content = _read_body(response, url, fetcher.max_bytes, fetcher.timeout)
        return response


def _read_body(response: Any, url: str, limit: int, timeout: float) -> bytes:
    """Return the body of a streamed response; FetchFailed past `limit` bytes or `timeout` seconds."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limit:
        response.close()
        raise FetchFailed(url, f"page too large ({int(length):,} bytes; at most {limit:,} are read)")
    deadline = time.monotonic() + timeout
    chunks, size = [], 0
    try:
        for chunk in response.raw.stream(65536, decode_content=True):
            size += len(chunk)
            if size > limit:
                raise FetchFailed(url, f"page too large (more than {limit:,} bytes)")
            if time.monotonic() > deadline:
                raise FetchFailed(url, f"timed out after {timeout:g} s")
            chunks.append(chunk)
    finally:
        response.close()
    return b"".join(chunks)


class _Session(CachedSession):
    """A cached session that refuses redirects to other schemes and to pages robots.txt forbids."""

    fetcher: Fetcher

    def get_redirect_target(self, resp: Any) -> str | None:
        target = super().get_redirect_target(resp)
        if target is not None:
            absolute = urljoin(resp.url, target)
            if urlsplit(absolute).scheme.lower() not in _SCHEMES:
                raise FetchFailed(resp.url, f"redirected to a non-http(s) address ({absolute[:80]})")
            if not self.fetcher.allowed(absolute):
                raise FetchFailed(resp.url, f"redirected to {absolute}, which robots.txt disallows")
        return target


class Fetcher:
    """The polite, cached HTTP client of one build (see the module's docstring)."""

    def __init__(
        self,
        cache: Path,
        *,
        delay: float = 1.0,
        timeout: float = 30.0,
        max_bytes: int = MAX_PAGE_BYTES,
        retries: int = 3,
        offline: bool = False,
    ) -> None:
        self.cache = Path(cache)
        self.delay = max(0.0, delay)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.offline = offline
        self.stats = FetchStats()
        self._last: dict[str, float] = {}
        self._host_delay: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._robots_unread: dict[str, str] = {}  # origin -> why its robots.txt could not be read
        Path(cache).mkdir(parents=True, exist_ok=True)
        self.session = _Session(
            str(Path(cache) / "http"),
            backend="sqlite",
            wal=True,  # one write-ahead log append per page, not a rewrite of the journal
            # Every cached answer is stale at once: each use asks the server again,
            # conditionally (ETag / Last-Modified), and a 304 costs no body.
            expire_after=EXPIRE_IMMEDIATELY,
            allowable_codes=(200,),
            allowable_methods=("GET",),
            only_if_cached=offline,
            stale_if_error=offline,
        )
        self.session.fetcher = self
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.max_redirects = 10
        retry = Retry(
            total=retries,
            connect=retries,
            read=0,  # a page slower than the timeout stays slow
            status=retries,
            other=0,
            redirect=False,  # requests follows redirects, checking each (see _Session)
            backoff_factor=0.5,
            backoff_max=30,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET"}),
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        adapter = _PoliteAdapter(self, retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self) -> None:
        self.session.close()

    def cache_reader(self) -> Fetcher:
        """Return a client of the same HTTP cache that never touches the network (as `offline`)."""
        return Fetcher(self.cache, timeout=self.timeout, max_bytes=self.max_bytes, offline=True)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the rules a polite client keeps ------------------------------------------------------

    def _wait_turn(self, host: str) -> None:
        if self.offline:
            raise FetchFailed(host, "not in the HTTP cache (--offline)")
        delay = max(self.delay, self._host_delay.get(host, 0.0))
        last = self._last.get(host)
        if last is not None and delay > 0:
            wait = last + delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self._last[host] = time.monotonic()
        self.stats.hosts.setdefault(host, []).append(self._last[host])

    def allowed(self, url: str) -> bool:
        """Return whether robots.txt of `url`'s site lets graphbuilder read it."""
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        rules = self._robots[origin]
        return rules is None or rules.can_fetch(ROBOTS_AGENT, url)

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """Return the rules of a site's robots.txt; None when it has none (everything allowed)."""
        rules = urllib.robotparser.RobotFileParser(f"{origin}/robots.txt")
        try:
            response = self._request(f"{origin}/robots.txt")
        except FetchFailed as failed:
            if self.offline:
                return None  # what is in the cache was fetched under the rules of its day
            rules.parse(_FORBID_ALL)  # RFC 9309: an unreachable robots.txt forbids all
            self._robots_unread[origin] = failed.reason
            return rules
        if self.offline and response.status_code == 504:  # not in the cache
            return None
        if response.status_code >= 500:
            rules.parse(_FORBID_ALL)
            self._robots_unread[origin] = f"HTTP {response.status_code}"
        elif response.status_code >= 400:
            return None
        else:
            rules.parse(response.content.decode("utf-8", "replace").splitlines())
            delay = rules.crawl_delay(ROBOTS_AGENT)
            if delay:
                self._host_delay[urlsplit(origin).netloc] = min(float(delay), 60.0)
        return rules

    # -- fetching -----------------------------------------------------------------------------

    def _request(self, url: str) -> Any:
        try:
            return self.session.get(url, timeout=(self.timeout, self.timeout))
        except FetchFailed as failed:
            raise FetchFailed(url, failed.reason) from None
        except requests.exceptions.InvalidSchema:
            raise FetchFailed(url, "redirected to a non-http(s) address") from None
        except requests.exceptions.TooManyRedirects:
            raise FetchFailed(url, "too many redirects") from None
        except requests.exceptions.Timeout:
            raise FetchFailed(url, f"timed out after {self.timeout:g} s") from None
        except requests.exceptions.RetryError as exc:
            raise FetchFailed(url, f"gave up after retries ({exc})") from None
        except requests.exceptions.ConnectionError as exc:
            cause = getattr(exc.args[0], "reason", None) if exc.args else None
            # urllib3's, unwrapped; a refused connection is a ConnectTimeoutError subclass too.
            if isinstance(cause, (ReadTimeoutError, ConnectTimeoutError)) and not isinstance(
                cause, NewConnectionError
            ):
                raise FetchFailed(url, f"timed out after {self.timeout:g} s") from None
            reason = str(cause or (exc.args[0] if exc.args else exc))
            raise FetchFailed(url, f"cannot connect ({_short(reason)})") from None
        except requests.exceptions.RequestException as exc:
            raise FetchFailed(url, _short(str(exc))) from None

    def get(self, url: str) -> Page:
        """Return the page at `url` (redirects followed); FetchFailed if it cannot be had."""
        if not is_web_address(url):
            raise FetchFailed(url, "not an http(s) address")
        if not self.allowed(url):
            parts = urlsplit(url)
            unread = self._robots_unread.get(f"{parts.scheme.lower()}://{parts.netloc.lower()}")
            if unread:
                raise FetchFailed(url, f"{ROBOTS_UNREAD} ({unread}), which forbids the site")
            raise FetchFailed(url, "robots.txt disallows it")
        response = self._request(url)
        if response.status_code == 504 and self.offline:  # requests-cache's answer to a miss
            raise FetchFailed(url, "not in the HTTP cache (--offline)")
        if response.status_code >= 400:
            raise FetchFailed(url, f"HTTP {response.status_code} {response.reason or ''}".rstrip())
        if getattr(response, "from_cache", False) and not getattr(response, "revalidated", False):
            self.stats.from_cache += 1
        media, _, params = (response.headers.get("Content-Type") or "").partition(";")
        charset = None
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                charset = value.strip().strip("\"'")
        return Page(
            url=url,
            final_url=response.url or url,
            content=response.content or b"",
            content_type=media.strip().lower(),
            charset=charset,
            from_cache=bool(getattr(response, "from_cache", False)),
        )


def _short(reason: str, limit: int = 160) -> str:
    reason = " ".join(reason.split())
    return reason if len(reason) <= limit else reason[: limit - 3] + "..."
