"""Reading the news where it is: web pages, feeds, sitemaps and WARC files, fetched politely.

Everything is real: an HTTP server on 127.0.0.1 (news_site.py), requests-cache's
SQLite cache, feedparser, warcio, trafilatura and the spaCy pipeline. Requests and 304s
are counted on the server's side. One build of the whole site, its second run and an
offline run are shared by the tests (module fixtures); each runs extraction once.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from news_site import ARTICLES, start_site
from typer.testing import CliRunner

from graphbuilder.cli import app
from graphbuilder.ingest.fetch import USER_AGENT, Fetcher, FetchFailed
from graphbuilder.ingest.sources import article_id, canonical_url

pytestmark = pytest.mark.model

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["build", *args, "--delay", "0", "--timeout", "1"])


def extractions(out: Path) -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text()) for p in sorted((out / "extractions").glob("*.json"))}


@pytest.fixture(scope="module")
def site():
    site = start_site()
    yield site
    site.stop()


@pytest.fixture(scope="module")
def runs(site, tmp_path_factory):
    """The whole site built, built again, then built offline; with the server's log of each."""
    out = tmp_path_factory.mktemp("web") / "out"
    b = site.base
    args = [
        f"{b}/big.html",
        f"{b}/data.json",
        f"{b}/slow.html",
        f"{b}/to-file",
        "--feed",
        f"{b}/rss.xml",
        "--feed",
        f"{b}/atom.xml",
        "--sitemap",
        f"{b}/sitemap-index.xml",
        "-o",
        str(out),
    ]
    result = {}
    for name, extra in (("first", []), ("second", []), ("offline", ["--offline"])):
        since = len(site.log)
        outcome = run(*args, *extra)
        result[name] = (outcome, site.hits(since), (out / "graph.trig").read_bytes(), extractions(out))
    return result


def test_articles_from_feeds_and_sitemaps_carry_their_final_url_and_date(runs, site):
    outcome, _, _, found = runs["first"]
    by_source = {e["source"]: e for e in found.values()}
    b = site.base
    assert set(by_source) == {
        f"{b}/news/un-condemns.html?utm_source=rss",
        f"{b}/news/ministers-meet.html",
        f"{b}/news/sanctions.html",
        f"{b}/news/moved.html",  # reached through /old-link: the final URL is the source
        f"{b}/busy.html",  # answered 429 with Retry-After, then the article
    }, outcome.output
    assert by_source[f"{b}/news/sanctions.html"]["date"] == "2022-03-02"  # the page's own date
    assert by_source[f"{b}/news/ministers-meet.html"]["date"] == "2021-10-19"  # the feed's, the page has none
    assert "Macron" in by_source[f"{b}/news/ministers-meet.html"]["text"]


def test_a_page_without_a_date_anywhere_has_none(tmp_path, site):
    # The twin: a page given directly, with no date on it and none from a feed or --date.
    outcome = run(f"{site.base}/news/ministers-meet.html", "-o", str(tmp_path / "out"))
    assert outcome.exit_code == 0, outcome.output
    (only,) = extractions(tmp_path / "out").values()
    assert "date" not in only


def test_a_story_in_a_feed_and_a_sitemap_is_one_article(runs, site):
    found = runs["first"][3]
    assert len([e for e in found.values() if "un-condemns" in e["source"]]) == 1
    assert article_id(f"{site.base}/news/un-condemns.html?utm_source=rss") == article_id(
        f"{site.base}/news/un-condemns.html#top"
    )


def test_two_stories_are_two_articles(runs, site):
    found = runs["first"][3]
    assert len(found) == 5
    assert article_id(f"{site.base}/news/sanctions.html") != article_id(f"{site.base}/news/moved.html")
    assert canonical_url("HTTP://Example.ORG:80/a?b=1&utm_medium=x") == "http://example.org/a?b=1"


def test_robots_forbidden_page_is_skipped_with_a_warning(runs):
    outcome, hits, _, _ = runs["first"]
    assert "/private/secret.html" not in [h.path for h in hits]
    warnings = [line for line in outcome.output.splitlines() if line.startswith("warning:")]
    assert any("/private/secret.html: skipped: robots.txt disallows it" in w for w in warnings), warnings


def test_allowed_pages_are_fetched_with_a_user_agent_naming_graphbuilder(runs, site):
    hits = runs["first"][1]
    assert {"/robots.txt", "/news/sanctions.html", "/rss.xml", "/news-sitemap.xml"} <= {h.path for h in hits}
    assert USER_AGENT.startswith("graphbuilder/")


def test_each_failed_page_is_one_warning_and_the_exit_status_is_3(runs, site):
    outcome = runs["first"][0]
    assert outcome.exit_code == 3, outcome.output
    warnings = [line for line in outcome.output.splitlines() if line.startswith("warning:")]
    reasons = {
        "/big.html": "page too large",
        "/data.json": "not an HTML page (application/json)",
        "/slow.html": "timed out after 1 s",
        "/to-file": "redirected to a non-http(s) address",
        "/private/secret.html": "robots.txt disallows it",
    }
    assert len(warnings) == len(reasons), warnings
    for path, reason in reasons.items():
        assert any(f"{site.base}{path}: skipped: {reason}" in w for w in warnings), (path, warnings)
    assert "5 failed" in outcome.output and "Traceback" not in outcome.output


def test_a_build_where_every_page_is_read_exits_0(tmp_path, site):
    outcome = run(f"{site.base}/news/sanctions.html", "-o", str(tmp_path / "out"))
    assert outcome.exit_code == 0, outcome.output
    assert "warning" not in outcome.output and "0 failed" in outcome.output


def test_a_429_is_retried_after_its_retry_after(runs):
    hits = [h for h in runs["first"][1] if h.path == "/busy.html"]
    assert [h.status for h in hits] == [429, 200]
    assert hits[1].at - hits[0].at >= 0.9  # Retry-After: 1, measured by the server


def test_a_second_run_asks_conditionally_and_extracts_nothing(runs):
    first, second = runs["first"], runs["second"]
    statuses = [h.status for h in second[1]]
    # Every page the cache holds is asked again conditionally and answered 304: no body twice.
    # (Pages that failed are not in the cache: they are asked for in full again.)
    failed = ("/big.html", "/slow.html")
    assert not [h for h in second[1] if h.status == 200 and h.path not in failed], second[1]
    assert statuses.count(304) >= 9, statuses
    assert "(0 extracted, 5 unchanged" in second[0].output, second[0].output
    assert second[2] == first[2]  # the same graph, byte for byte
    assert second[0].exit_code == 3


def test_the_first_run_fetched_whole_pages(runs):
    # The twin: nothing in the cache yet, so no conditional answers and every article extracted.
    first = runs["first"]
    assert [h.status for h in first[1]].count(304) == 0
    assert "(5 extracted" in first[0].output


def test_offline_builds_from_the_cache_with_no_request(runs):
    offline, first = runs["offline"], runs["first"]
    assert offline[1] == []  # the server saw nothing
    assert offline[2] == first[2], offline[0].output
    assert "(0 extracted, 5 unchanged" in offline[0].output


def test_offline_with_an_empty_cache_fails_without_a_request(tmp_path, site):
    since = len(site.log)
    outcome = run("--offline", "--feed", f"{site.base}/rss.xml", "-o", str(tmp_path / "out"))
    assert site.hits(since) == []
    assert outcome.exit_code == 1
    assert "not in the HTTP cache (--offline)" in outcome.output
    assert outcome.output.splitlines()[-1].startswith("error: nothing to build")
    assert not (tmp_path / "out" / "graph.trig").exists()


def test_the_rate_limit_spaces_requests_to_one_host(tmp_path, site):
    since = len(site.log)
    with Fetcher(tmp_path / "cache", delay=0.4) as fetcher:
        for path in ("/news/sanctions.html", "/news/moved.html", "/news/un-condemns.html"):
            fetcher.get(site.base + path)
    times = [h.at for h in site.hits(since)]  # robots.txt, then the three pages
    assert len(times) == 4
    assert all(b - a >= 0.35 for a, b in zip(times, times[1:])), times


def test_without_a_rate_limit_requests_follow_at_once(tmp_path, site):
    since = len(site.log)
    with Fetcher(tmp_path / "cache", delay=0) as fetcher:
        for path in ("/news/sanctions.html", "/news/moved.html", "/news/un-condemns.html"):
            fetcher.get(site.base + path)
    times = [h.at for h in site.hits(since)]
    assert len(times) == 4 and times[-1] - times[0] < 0.35 * 3, times


def test_only_http_addresses_are_fetched(tmp_path):
    with Fetcher(tmp_path / "cache", delay=0) as fetcher, pytest.raises(FetchFailed, match="not an http"):
        fetcher.get("file:///etc/passwd")


def test_a_feed_that_is_not_an_address_is_a_clear_error(tmp_path):
    outcome = run("--feed", "news.xml", "-o", str(tmp_path / "out"))
    assert outcome.exit_code == 1
    assert (
        outcome.output.strip() == "error: news.xml: not an http(s) address: give a feed or sitemap by its URL"
    )


def _write_warc(path: Path, html: str) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=path.suffix == ".gz")
        for url, kind, body in (
            ("https://news.example.org/2021/10/un-condemns", "text/html; charset=utf-8", html.encode()),
            ("https://news.example.org/logo.png", "image/png", b"\x89PNG not really"),
        ):
            headers = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers)
            )
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example.org")], is_http_request=True)
        writer.write_record(
            writer.create_warc_record(
                "https://news.example.org/", "request", payload=BytesIO(b""), http_headers=request
            )
        )


def test_a_warc_file_gives_its_archived_articles(tmp_path):
    from news_site import page_html

    warc = tmp_path / "crawl.warc.gz"
    _write_warc(warc, page_html(*ARTICLES["/news/un-condemns.html"]))
    outcome = run(str(warc), "-o", str(tmp_path / "out"))
    assert outcome.exit_code == 0, outcome.output
    (only,) = extractions(tmp_path / "out").values()
    assert only["source"] == "https://news.example.org/2021/10/un-condemns"
    assert only["id"] == article_id(only["source"]) and only["date"] == "2021-10-21"
    assert any(a["name"] == "North Korea" for a in only["actors"])


def test_a_file_that_is_not_a_warc_is_a_clear_error(tmp_path):
    fake = tmp_path / "crawl.warc"
    fake.write_text("this is not an archive\n")
    outcome = run(str(fake), "-o", str(tmp_path / "out"))
    assert outcome.exit_code == 1
    (line,) = outcome.output.splitlines()
    assert line.startswith(f"error: {fake}: not a WARC file")


def test_a_web_address_is_not_read_as_a_path(tmp_path, site):
    outcome = run(f"{site.base}/nowhere.html", "-o", str(tmp_path / "out"))
    assert f"warning: {site.base}/nowhere.html: skipped: HTTP 404 Not Found" in outcome.output
    assert "no such file" not in outcome.output and outcome.exit_code == 1


def test_a_refused_connection_is_said_to_be_refused_not_timed_out(tmp_path):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with Fetcher(tmp_path / "cache", delay=0, retries=0) as fetcher, pytest.raises(FetchFailed) as caught:
        fetcher.get(f"http://127.0.0.1:{port}/page.html")
    assert "refused" in caught.value.reason and "timed out" not in caught.value.reason
