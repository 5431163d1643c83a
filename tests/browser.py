"""A real headless Chromium for tests, cut off from the network.

`chromium()` launches the system Chromium through Playwright (skipping the test when it
is not installed); `open_offline(browser, path)` opens a local HTML file in a page that
aborts, and records, every request other than the file itself, and collects console
errors and uncaught exceptions. `offline_page(path)` does both for a single test.

    with offline_page(tmp_path / "graph.html") as view:
        assert view.page.evaluate("network.body.data.nodes.length") == 3
        assert view.outside_requests == []
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

# Debian's package; CI installs it. GRAPHBUILDER_CHROMIUM points elsewhere if needed.
CHROMIUM = Path(os.environ.get("GRAPHBUILDER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class OfflinePage:
    """An open page and what it tried to do: requests it was refused, errors it logged."""

    page: object  # playwright.sync_api.Page
    url: str
    outside_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@contextmanager
def chromium() -> Iterator[object]:
    """Yield a launched headless Chromium Browser; skip the test if Chromium is absent."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"Chromium not installed at {CHROMIUM} (apt install chromium, or set GRAPHBUILDER_CHROMIUM)"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
    )
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_offline(
    browser,
    path: Path,
    *,
    wait_for: str | None = None,
    timeout_ms: int = 30_000,
    viewport: dict[str, int] | None = None,
    init_script: str | None = None,
) -> OfflinePage:
    """Open `path` in a new page of `browser` with every other request aborted and counted.

    `wait_for` is a JavaScript expression to wait on after load (e.g. a layout flag);
    `viewport` the window size ({"width": 1400, "height": 900}; Playwright's default is
    1280x720); `init_script` JavaScript that runs before the page's own (Playwright
    injects it, so the page's Content-Security-Policy does not apply to it).
    """
    page = browser.new_page(viewport=viewport) if viewport else browser.new_page()
    if init_script:
        page.add_init_script(init_script)
    url = Path(path).resolve().as_uri()
    opened = OfflinePage(page=page, url=url)

    def guard(route) -> None:
        if route.request.url == url:
            route.continue_()
        else:
            opened.outside_requests.append(route.request.url)
            route.abort()

    page.route("**/*", guard)

    def on_console(message) -> None:
        if message.type == "error":
            opened.console_errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: opened.page_errors.append(str(exc)))
    page.goto(url, wait_until="load", timeout=timeout_ms)
    if wait_for:
        wait_until(page, wait_for, timeout_ms=timeout_ms)
    return opened


def wait_until(page, expression: str, *, timeout_ms: int = 30_000, poll_ms: int = 50) -> None:
    """Wait until the JavaScript `expression` is truthy in `page`; raise TimeoutError if not.

    Polls from Python: Playwright's wait_for_function compiles its predicate with eval()
    inside the page, which a Content-Security-Policy without 'unsafe-eval' refuses.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout_ms} ms: {expression}")
        page.wait_for_timeout(poll_ms)


@contextmanager
def offline_page(path: Path, *, wait_for: str | None = None) -> Iterator[OfflinePage]:
    """Yield `path` opened offline in a fresh headless Chromium (see `open_offline`)."""
    with chromium() as browser:
        opened = open_offline(browser, path, wait_for=wait_for)
        try:
            yield opened
        finally:
            opened.page.close()
