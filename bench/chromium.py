"""Chromium through Playwright as a bench.tab Browser, so that a bench written
for Firefox and WebKit measures Chromium the same way."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import Browser as PlaywrightBrowser
from playwright.sync_api import Page, sync_playwright

from bench.harness import CHROMIUM_FLAGS, chromium_path


class ChromiumTab:
    """The Tab protocol (bench.tab) over one Playwright page."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def js(self, body: str, *args: Any) -> Any:
        # W3C Execute Script's shape: body sees `arguments`; a Promise is awaited.
        return self.page.evaluate(
            f"(args) => (function () {{ {body} }}).apply(null, args)", list(args)
        )

    def click(self, css: str) -> None:
        self.page.locator(css).first.click()

    def replace_text(self, css: str, text: str) -> None:
        self.page.locator(css).first.click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)


class Chromium:
    """A running headless Chromium: the Browser protocol (bench.tab)."""

    name = "chromium"

    def __init__(self, browser: PlaywrightBrowser) -> None:
        self.browser = browser
        # One context for every tab, as one profile holds a reader's tabs.
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})

    @contextmanager
    def new_tab(self) -> Iterator[ChromiumTab]:
        page = self.context.new_page()
        try:
            yield ChromiumTab(page)
        finally:
            page.close()


@contextmanager
def launch_chromium() -> Iterator[Chromium]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        try:
            yield Chromium(browser)
        finally:
            browser.close()
