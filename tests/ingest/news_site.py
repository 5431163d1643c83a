"""A small news site on 127.0.0.1 for the fetching tests and bench/fetch_bench.py.

Real HTTP (http.server in a thread), nothing reaches outside the machine. The articles
are short texts written for these tests. Every answer is logged server-side (path,
status, time), so tests count requests and 304s where they happen, not in the client.

Pages: three articles under /news/, a fourth reached only through a redirect
(/old-link -> /news/moved.html), robots.txt forbidding /private/, an RSS 2.0 feed, an
Atom feed, a sitemap index pointing at a news sitemap, /busy.html (429 with
Retry-After: 1, then the article), /big.html (too large), /data.json (not HTML),
/slow.html (answers after 3 s), /to-file (redirects to a file: address).

Tests change a running site through its fields: `robots` (robots.txt's status and
text), `extra` (further paths, such as a feed whose entries change between two builds:
`rss_of`).
"""

from __future__ import annotations

import hashlib
import http.server
import threading
import time
from dataclasses import dataclass, field

ARTICLES = {
    "/news/un-condemns.html": (
        "UN condemns missile launch",
        "2021-10-21",
        "The United Nations condemned North Korea on Wednesday for its latest missile launch. "
        "Antonio Guterres urged Pyongyang to return to talks with South Korea and Japan. "
        "Diplomats in New York said the Security Council would meet again on Friday.",
    ),
    "/news/ministers-meet.html": (
        "Ministers meet in Paris",
        None,  # no date on the page: the RSS entry's pubDate dates it
        "Foreign ministers of France and Germany met in Paris on Tuesday to discuss aid to Ukraine. "
        "Emmanuel Macron invited Olaf Scholz to a summit in December. "
        "Officials said the two countries agreed on a common position before the meeting.",
    ),
    "/news/sanctions.html": (
        "New sanctions on Russia",
        "2022-03-02",
        "The European Union sanctioned Russia on Wednesday over the invasion of Ukraine. "
        "Ursula von der Leyen said the measures would hit the banks that finance the war. "
        "The United States supported the decision and announced measures of its own.",
    ),
    "/news/moved.html": (
        "Talks resume in Geneva",
        "2021-11-05",
        "Iran and the United States resumed talks in Geneva on Friday. "
        "The envoys met for three hours and agreed to meet again next week. "
        "China urged both sides to show restraint during the negotiations.",
    ),
    "/busy.html": (
        "Summit postponed",
        "2021-12-01",
        "The African Union postponed its summit in Addis Ababa on Wednesday. "
        "Ethiopia accused rebels of threatening the capital during the meeting. "
        "Kenya supported the decision and offered to host the talks instead.",
    ),
    "/private/secret.html": (
        "Not for robots",
        "2021-10-01",
        "This page is one that robots.txt forbids, so it must never be fetched by graphbuilder. "
        "Germany condemned France in a statement nobody should read here.",
    ),
}

ROBOTS = "User-agent: *\nDisallow: /private/\n"


def page_html(title: str, date: str | None, text: str) -> str:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    paragraphs = "".join(f"<p>{sentence.strip()}.</p>" for sentence in text.split(". ") if sentence.strip())
    return (
        f"<!doctype html><html><head><title>{title}</title>{meta}</head>"
        f"<body><nav>Home | World</nav><article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Test News, 127.0.0.1</footer></body></html>"
    ).replace("..</p>", ".</p>")


def rss(base: str) -> str:
    return rss_of(
        [
            (f"{base}/news/un-condemns.html?utm_source=rss", "Thu, 21 Oct 2021 08:00:00 GMT"),
            (f"{base}/news/ministers-meet.html", "Tue, 19 Oct 2021 10:00:00 GMT"),
            (f"{base}/private/secret.html", "Fri, 01 Oct 2021 10:00:00 GMT"),
            (f"{base}/old-link", "Fri, 05 Nov 2021 10:00:00 GMT"),
        ],
        base,
    )


def rss_of(items: list[tuple[str, str]], base: str) -> str:
    """Return an RSS 2.0 feed of (link, pubDate) entries."""
    entries = "".join(
        f"<item><title>story</title><link>{link}</link><pubDate>{date}</pubDate></item>"
        for link, date in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Test News</title>'
        f"<link>{base}/</link><description>tests</description>{entries}</channel></rss>"
    )


def atom(base: str) -> str:
    entries = "".join(
        f'<entry><title>story</title><id>{link}</id><link href="{link}"/><updated>{date}</updated></entry>'
        for link, date in [
            (f"{base}/news/sanctions.html", "2022-03-02T09:00:00Z"),
            (f"{base}/busy.html", "2021-12-01T09:00:00Z"),
        ]
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Test News</title><id>{base}/atom.xml</id><updated>2022-03-02T09:00:00Z</updated>"
        f"{entries}</feed>"
    )


def sitemap_index(base: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/news-sitemap.xml</loc></sitemap></sitemapindex>"
    )


def news_sitemap(base: str, pages: list[tuple[str, str]] | None = None) -> str:
    """Return a news sitemap of (path, date) pages: by default two of the articles."""
    pages = pages or [("/news/un-condemns.html", "2021-10-21"), ("/news/sanctions.html", "2022-03-02")]
    urls = "".join(
        f"<url><loc>{base}{path}</loc><news:news><news:publication_date>{date}</news:publication_date>"
        "<news:title>story</news:title></news:news></url>"
        for path, date in pages
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{urls}</urlset>"
    )


@dataclass
class Hit:
    path: str
    status: int
    at: float  # time.monotonic() when the server answered
    host: str


@dataclass
class NewsSite:
    """The running site: its base address and the log of every answer it gave."""

    base: str
    server: http.server.ThreadingHTTPServer
    log: list[Hit] = field(default_factory=list)
    busy_answered: int = 0
    extra: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # path -> (content type, body)
    robots: tuple[int, str] = (200, ROBOTS)  # robots.txt's status and text

    def count(self, path: str, since: int = 0) -> int:
        """Return how many requests for `path` (query aside) the site answered since log entry `since`."""
        return sum(1 for hit in self.log[since:] if hit.path.split("?")[0] == path)

    def hits(self, since: int = 0) -> list[Hit]:
        return self.log[since:]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_site(extra: dict[str, tuple[str, bytes]] | None = None) -> NewsSite:
    """Start the site on a free port of 127.0.0.1; stop it with .stop()."""
    site: NewsSite

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def answer(
            self,
            status: int,
            body: bytes = b"",
            content_type: str = "text/html; charset=utf-8",
            headers: dict[str, str] | None = None,
            log: bool = True,
        ) -> None:
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            if status == 200 and self.headers.get("If-None-Match") == etag:
                status, body = 304, b""
            self.send_response(status)
            if status in (200, 304):
                self.send_header("ETag", etag)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if log:
                site.log.append(Hit(self.path, status, time.monotonic(), self.headers.get("Host", "")))
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            path = self.path.split("?")[0]
            base = site.base
            if path in site.extra:
                kind, body = site.extra[path]
                self.answer(200, body, kind)
            elif path == "/busy.html" and site.busy_answered % 2 == 0:
                site.busy_answered += 1
                self.answer(429, b"slow down", "text/plain", {"Retry-After": "1"})
            elif path in ARTICLES:
                if path == "/busy.html":
                    site.busy_answered += 1
                self.answer(200, page_html(*ARTICLES[path]).encode())
            elif path == "/robots.txt":
                status, text = site.robots
                self.answer(status, text.encode(), "text/plain")
            elif path == "/rss.xml":
                self.answer(200, rss(base).encode(), "application/rss+xml")
            elif path == "/atom.xml":
                self.answer(200, atom(base).encode(), "application/atom+xml")
            elif path == "/sitemap-index.xml":
                self.answer(200, sitemap_index(base).encode(), "application/xml")
            elif path == "/news-sitemap.xml":
                self.answer(200, news_sitemap(base).encode(), "application/xml")
            elif path == "/old-link":
                self.answer(301, b"", headers={"Location": "/news/moved.html"})
            elif path == "/to-file":
                self.answer(302, b"", headers={"Location": "file:///etc/passwd"})
            elif path == "/big.html":
                self.answer(200, b"<html><body><p>" + b"word " * 1_300_000 + b"</p></body></html>")
            elif path == "/data.json":
                self.answer(200, b'{"not": "html"}', "application/json")
            elif path == "/slow.html":
                # Logged when asked (its answer comes after the client gave up and went on).
                site.log.append(Hit(self.path, 200, time.monotonic(), self.headers.get("Host", "")))
                time.sleep(3)
                self.answer(
                    200, page_html("Slow", None, ARTICLES["/news/sanctions.html"][2]).encode(), log=False
                )
            else:
                self.answer(404, b"not found", "text/plain")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    site = NewsSite(f"http://127.0.0.1:{server.server_port}", server, extra=dict(extra or {}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return site
