"""What the polite client does that the whole-site builds of test_fetch.py do not show.

Crawl-delay, a robots.txt that answers 5xx, and a gzip-compressed sitemap, each with its
twin. Real HTTP against news_site.py (reset before each test: its robots.txt changes);
times and requests are taken on the server's side. No spaCy: these read sources, not build.
"""

from __future__ import annotations

import gzip
import warnings

import pytest
from news_site import ROBOTS, news_sitemap, start_site

from graphbuilder.errors import InputWarning
from graphbuilder.ingest.fetch import Fetcher
from graphbuilder.ingest.gather import read_sources

A, B = "/news/un-condemns.html", "/news/sanctions.html"
ROBOTS_DEFAULT = (200, ROBOTS)


@pytest.fixture(scope="module")
def running_site():
    site = start_site()
    yield site
    site.stop()


@pytest.fixture
def site(running_site):
    """The site as started, with an empty log."""
    running_site.robots, running_site.extra = ROBOTS_DEFAULT, {}
    running_site.log.clear()
    return running_site


def gather(tmp_path, paths=(), sitemaps=()):
    """Return the articles, the report and the warnings of reading `paths` and `sitemaps`."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        articles, report = read_sources(
            list(paths),
            sitemaps=list(sitemaps),
            fetcher=lambda: Fetcher(tmp_path / "cache", delay=0, timeout=2, retries=0),
        )
    return articles, report, [str(w.message) for w in caught if issubclass(w.category, InputWarning)]


def test_crawl_delay_in_robots_txt_spaces_requests_beyond_the_delay(tmp_path, site):
    site.robots = (200, "User-agent: *\nCrawl-delay: 1\nDisallow: /private/\n")
    with Fetcher(tmp_path / "cache", delay=0) as fetcher:
        fetcher.get(site.base + A)
    robots, page = site.hits()
    assert (robots.path, page.path) == ("/robots.txt", A)
    assert page.at - robots.at >= 0.9, page.at - robots.at  # Crawl-delay: 1, measured by the server


def test_without_crawl_delay_a_zero_delay_sends_at_once(tmp_path, site):
    with Fetcher(tmp_path / "cache", delay=0) as fetcher:
        fetcher.get(site.base + A)
    robots, page = site.hits()
    assert page.at - robots.at < 0.5, page.at - robots.at


def test_a_robots_txt_answering_5xx_forbids_the_site_in_one_warning(tmp_path, site):
    site.robots = (503, "down for maintenance")
    articles, report, said = gather(tmp_path, [site.base + A, site.base + B])
    assert articles == []
    assert [h.path for h in site.hits()] == ["/robots.txt"]  # no page of the site was asked for
    assert len(report.failures) == 2
    assert said == [
        f"{site.base}: 2 pages skipped: robots.txt could not be read (HTTP 503), which forbids the site"
    ]


def test_a_robots_txt_answering_404_allows_the_site(tmp_path, site):
    site.robots = (404, "not found")
    articles, report, said = gather(tmp_path, [site.base + A, site.base + B])
    assert [a.source for a in articles] == [site.base + A, site.base + B]
    assert [h.path for h in site.hits()] == ["/robots.txt", A, B]
    assert report.failures == [] and said == []


def test_a_gzip_compressed_sitemap_is_read(tmp_path, site):
    body = gzip.compress(news_sitemap(site.base).encode())
    site.extra["/sitemap.xml.gz"] = ("application/gzip", body)
    articles, report, said = gather(tmp_path, sitemaps=[site.base + "/sitemap.xml.gz"])
    assert sorted(a.source for a in articles) == [site.base + B, site.base + A]
    assert {a.source: a.date for a in articles}[site.base + A] == "2021-10-21"
    assert report.failures == [] and said == []


def test_a_damaged_gzip_sitemap_is_one_failure_and_nothing_is_fetched(tmp_path, site):
    body = gzip.compress(news_sitemap(site.base).encode())[:40]  # cut short
    site.extra["/sitemap.xml.gz"] = ("application/gzip", body)
    articles, report, said = gather(tmp_path, sitemaps=[site.base + "/sitemap.xml.gz"])
    assert articles == []
    assert [h.path for h in site.hits()] == ["/robots.txt", "/sitemap.xml.gz"]
    (message,) = said
    assert message.startswith(f"{site.base}/sitemap.xml.gz: skipped: not a gzip-compressed sitemap")
