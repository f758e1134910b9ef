"""The site in headless Chromium, served on 127.0.0.1 under the site_url path."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from widget_driver import settle

pytestmark = pytest.mark.browser

# Material renders Mermaid into a closed shadow root; tests open it to look inside.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attach.call(this, {...init, mode: "open"}); };
"""


def only_own_origin(requests: list[str], base: str) -> list[str]:
    origin = urlsplit(base)
    return [
        url
        for url in requests
        if not url.startswith(("data:", "blob:"))
        and (urlsplit(url).hostname, urlsplit(url).port) != (origin.hostname, origin.port)
    ]


def test_every_page_renders_without_errors(page: Any, page_log: Any, site_server: Any) -> None:
    page.goto(site_server.url)
    settle(page)  # the first visit's one reload for isolation
    links = page.eval_on_selector_all(
        "nav.md-nav--primary a.md-nav__link[href]",
        "els => [...new Set(els.map(e => e.href.split('#')[0]))]",
    )
    assert len(links) >= 15
    for link in links:
        response = page.goto(link)
        assert response is not None
        assert response.status == 200, link
        assert page.locator("article h1").count() == 1, link
    assert page_log.page_errors == []
    assert [e for e in page_log.console_errors if "Content Security Policy" in e] == []
    assert only_own_origin(page_log.requests, site_server.url) == []


def test_search_finds_generate_data_key(page: Any, site_server: Any) -> None:
    page.goto(site_server.url)
    page.locator("input.md-search__input").click()
    # Material searches on key events, which fill() does not send.
    page.keyboard.type("GenerateDataKey")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert "generatedatakey" in results.first.inner_text().lower().replace(" ", "")


def test_palette_toggle_switches_scheme(page: Any, site_server: Any) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(site_server.url)
    body = page.locator("body")
    seen = [body.get_attribute("data-md-color-scheme")]
    for _ in range(3):
        page.locator("form[data-md-component='palette'] label:visible").first.click()
        seen.append(body.get_attribute("data-md-color-scheme"))
    assert "slate" in seen
    assert "default" in seen
    # The choice survives a reload (Material keeps it in localStorage).
    scheme = seen[-1]
    page.reload()
    assert body.get_attribute("data-md-color-scheme") == scheme


def test_mermaid_renders_to_svg_from_the_site_itself(
    page: Any, page_log: Any, site_server: Any
) -> None:
    page.add_init_script(OPEN_SHADOW_ROOTS)
    page.goto(site_server.url + "encryption/kms/")
    page.wait_for_function(
        "() => [...document.querySelectorAll('div.mermaid')].some(d => d.shadowRoot?.querySelector('svg'))",
        timeout=20_000,
    )
    mermaid_requests = [url for url in page_log.requests if "mermaid" in url]
    assert mermaid_requests
    assert all(url.startswith(site_server.url) for url in mermaid_requests)


def test_pages_without_diagrams_do_not_load_mermaid(
    page: Any, page_log: Any, site_server: Any
) -> None:
    plain = next(
        html.parent.relative_to(site_server.root).as_posix()
        for html in sorted(site_server.root.glob("*/*/index.html"))
        if 'class="mermaid"' not in html.read_text(encoding="utf-8")
    )
    page.goto(site_server.url + plain + "/")
    page.wait_for_load_state("networkidle")
    assert page.locator("pre.mermaid, div.mermaid").count() == 0
    assert [url for url in page_log.requests if "mermaid.min.js" in url] == []


def test_instant_navigation_swaps_the_page_without_a_full_load(page: Any, site_server: Any) -> None:
    page.goto(site_server.url)
    settle(page)  # the first visit's one reload for isolation
    page.evaluate("window.__stillHere = true")
    first_title = page.locator("article h1").inner_text()
    page.locator("nav.md-nav--primary a.md-nav__link[href*='encryption/kms/']").first.click()
    page.wait_for_url(re.compile(r"encryption/kms/$"))
    page.wait_for_function(
        "() => document.querySelector('article h1')?.textContent.includes('KMS')"
    )
    assert page.locator("article h1").inner_text() != first_title
    assert page.evaluate("window.__stillHere === true")
