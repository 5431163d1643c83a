"""Following a feed over time, and --max-pages.

A feed lists articles A and B on the first build and B and C on the second: the second
build into the same folder holds A, B and C, and asks the server nothing about A (it is
read from the HTTP cache). Its twins: --forget-dropped, and web addresses given as
arguments, hold only what the build is given. Real HTTP against news_site.py on
127.0.0.1, requests counted on the server's side.
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pytest
from news_site import news_sitemap, rss_of, start_site
from typer.testing import CliRunner

from graphbuilder.cli import app
from graphbuilder.errors import InputWarning
from graphbuilder.ingest.fetch import Fetcher
from graphbuilder.ingest.following import FOLLOWED_FILE, Followed
from graphbuilder.ingest.gather import read_sources

A, B, C = "/news/un-condemns.html", "/news/sanctions.html", "/news/ministers-meet.html"
FEED = "/follow.xml"

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["build", *args, "--delay", "0", "--timeout", "2"])


def sources(out: Path) -> set[str]:
    return {json.loads(p.read_text())["source"] for p in (out / "extractions").glob("*.json")}


def list_in_feed(site, *paths: str) -> None:
    items = [(site.base + path, "Tue, 19 Oct 2021 10:00:00 GMT") for path in paths]
    site.extra[FEED] = ("application/rss+xml", rss_of(items, site.base).encode())


@pytest.fixture(scope="module")
def site():
    site = start_site()
    yield site
    site.stop()


@pytest.fixture(scope="module")
def followed(site, tmp_path_factory):
    """A feed built twice into one folder (A, B then B, C), and into a copy with --forget-dropped."""
    folder = tmp_path_factory.mktemp("following")
    out, forgetting = folder / "out", folder / "forgetting"
    feed = ["--feed", site.base + FEED]
    list_in_feed(site, A, B)
    first = run(*feed, "-o", str(out))
    assert first.exit_code == 0, first.output
    shutil.copytree(out, forgetting)
    list_in_feed(site, B, C)
    since = len(site.log)
    second = run(*feed, "-o", str(out))
    hits = site.hits(since)
    since = len(site.log)
    forgot = run(*feed, "--forget-dropped", "-o", str(forgetting))
    return {
        "out": out,
        "second": (second, hits),
        "forgetting": forgetting,
        "forgot": (forgot, site.hits(since)),
    }


@pytest.mark.model
def test_an_article_that_dropped_off_the_feed_stays_without_a_request(followed, site):
    outcome, hits = followed["second"]
    assert outcome.exit_code == 0, outcome.output
    assert sources(followed["out"]) == {site.base + A, site.base + B, site.base + C}
    assert A not in [h.path for h in hits]  # read from the HTTP cache
    # robots.txt, the feed (changed), B (unchanged: 304) and C (new): four requests.
    assert [(h.path, h.status) for h in hits] == [("/robots.txt", 304), (FEED, 200), (B, 304), (C, 200)]
    assert "1 kept from earlier builds" in outcome.output
    assert "(1 extracted, 2 unchanged" in outcome.output  # A's extraction is reused too
    record = json.loads((followed["out"] / ".cache" / FOLLOWED_FILE).read_text())
    assert set(record["sources"][site.base + FEED]) == {site.base + A, site.base + B, site.base + C}


@pytest.mark.model
def test_forget_dropped_holds_only_what_the_feed_lists_now(followed, site):
    outcome, hits = followed["forgot"]
    assert outcome.exit_code == 0, outcome.output
    assert sources(followed["forgetting"]) == {site.base + B, site.base + C}
    assert A not in [h.path for h in hits] and "kept from earlier builds" not in outcome.output
    record = json.loads((followed["forgetting"] / ".cache" / FOLLOWED_FILE).read_text())
    assert set(record["sources"][site.base + FEED]) == {site.base + B, site.base + C}


@pytest.mark.model
def test_an_address_given_once_is_not_followed(tmp_path, site):
    out = tmp_path / "out"
    assert run(site.base + A, site.base + B, "-o", str(out)).exit_code == 0
    second = run(site.base + B, site.base + C, "-o", str(out))
    assert second.exit_code == 0, second.output
    assert sources(out) == {site.base + B, site.base + C}
    assert not (out / ".cache" / FOLLOWED_FILE).exists()


def _gather(tmp_path: Path, site, **options):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        articles, report = read_sources(
            [],
            feeds=[site.base + FEED],
            fetcher=lambda: Fetcher(tmp_path / "cache", delay=0, timeout=2),
            **options,
        )
    return articles, report, [str(w.message) for w in caught if issubclass(w.category, InputWarning)]


def test_max_pages_fetches_new_entries_first_and_keeps_the_rest_from_the_cache(tmp_path, site):
    list_in_feed(site, A, B)
    _, first, _ = _gather(tmp_path, site)
    list_in_feed(site, A, B, C)
    since = len(site.log)
    articles, report, said = _gather(tmp_path, site, followed=first.followed, max_pages=1)
    assert [h.path for h in site.hits(since) if h.path.startswith("/news/")] == [C]  # the new one
    assert {a.source for a in articles} == {site.base + A, site.base + B, site.base + C}
    assert (report.pages, report.kept) == (1, 2)
    assert said == [
        "--max-pages 1: 2 of 3 listed pages were not fetched (a later build fetches new ones first)"
    ]


@pytest.mark.model
def test_max_pages_stops_a_large_sitemap_with_one_warning(tmp_path, site):
    pages = [(A, "2021-10-21"), (B, "2022-03-02"), (C, "2021-10-19")]
    site.extra["/big-sitemap.xml"] = ("application/xml", news_sitemap(site.base, pages).encode())
    since = len(site.log)
    outcome = run(
        "--sitemap", site.base + "/big-sitemap.xml", "--max-pages", "2", "-o", str(tmp_path / "out")
    )
    assert outcome.exit_code == 0, outcome.output
    assert len([h for h in site.hits(since) if h.path.startswith("/news/")]) == 2
    warned = [line for line in outcome.output.splitlines() if line.startswith("warning:")]
    assert warned == [
        "warning: --max-pages 2: 1 of 3 listed pages were not fetched (a later build fetches new ones first)"
    ]
    assert len(sources(tmp_path / "out")) == 2


def test_without_max_pages_every_listed_page_is_fetched(tmp_path, site):
    list_in_feed(site, A, B, C)
    since = len(site.log)
    articles, report, said = _gather(tmp_path, site)
    assert sorted(h.path for h in site.hits(since) if h.path.startswith("/news/")) == sorted([A, B, C])
    assert len(articles) == 3 and report.pages == 3 and said == []


def test_max_pages_below_one_is_a_usage_error(tmp_path):
    outcome = run("--feed", "https://example.org/rss", "--max-pages", "0", "-o", str(tmp_path / "out"))
    assert outcome.exit_code == 2
    assert "--max-pages 0 is not a number of pages (1 or more)" in outcome.output


def test_a_damaged_record_is_a_warning_and_an_empty_record(tmp_path):
    (tmp_path / FOLLOWED_FILE).write_text("{not json")
    with pytest.warns(InputWarning, match="cannot be read"):
        assert Followed.load(tmp_path / FOLLOWED_FILE).sources == {}
    assert Followed.load(tmp_path / "absent.json").sources == {}
