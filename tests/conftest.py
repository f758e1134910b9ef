"""Shared fixtures: the built site, served on 127.0.0.1, and headless Chromium.

The site is built once per session with `mkdocs build --strict` and served
under the path of its site_url, because Material's instant navigation keeps
only the path of the sitemap's URLs.
"""

from __future__ import annotations

import http.server
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from support import CHROMIUM_FLAGS, build_site, chromium_path

from bench.harness import bind, serve, url_of


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update",
        action="store_true",
        help="rewrite expected-output fixtures (review the diff before committing)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: fast unit failures show first, and Playwright's sync
    API keeps an event loop running in this thread from its first use on,
    which code under test that calls asyncio.run() cannot share."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture
def update_fixtures(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update"))


@pytest.fixture(scope="session")
def _bound_server() -> Iterator[http.server.ThreadingHTTPServer]:
    server = bind()
    # Closed here too: a run that builds the site but serves it to no test
    # (a -m or -k selection) would leave the socket to the garbage collector.
    with server:
        yield server


@pytest.fixture(scope="session")
def built_site(
    tmp_path_factory: pytest.TempPathFactory, _bound_server: http.server.ThreadingHTTPServer
) -> Path:
    site = tmp_path_factory.mktemp("site")
    build_site(site, site_url=url_of(_bound_server))
    return site


@pytest.fixture(scope="session")
def demo_page(built_site: Path) -> str:
    """The path (below the site root) of the first page that has a demo."""
    for file in sorted(built_site.rglob("index.html")):
        if '<div class="demo" data-demo ' in file.read_text(encoding="utf-8"):
            path = file.parent.relative_to(built_site).as_posix()
            return "" if path == "." else path + "/"
    pytest.fail("the built site has no demo", pytrace=False)


@dataclass
class SiteServer:
    """The running server: `url` ends with the site path."""

    url: str
    root: Path


@pytest.fixture(scope="session")
def site_server(
    built_site: Path, _bound_server: http.server.ThreadingHTTPServer
) -> Iterator[SiteServer]:
    with serve(built_site, _bound_server) as url:
        yield SiteServer(url, built_site)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class PageLog:
    """What a page did: every request URL, and console errors (CSP violations)."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser: Any, page_log: PageLog) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    new_page = context.new_page()
    new_page.on("request", lambda request: page_log.requests.append(request.url))
    new_page.on(
        "console",
        lambda message: (
            page_log.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    new_page.on("pageerror", lambda error: page_log.page_errors.append(str(error)))
    try:
        yield new_page
    finally:
        context.close()
