"""One browser tab, whatever drives it: the few things the engine tests and the
Stop bench do to a page, so that Marionette (Firefox), WebKitWebDriver
(WebKitGTK) and Playwright (Chromium) can stand in for one another."""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from typing import Any, Protocol

POLL_S = 0.05


class Tab(Protocol):
    """A tab showing one page at a time. Elements are named by CSS selector."""

    def goto(self, url: str) -> None:
        """Load url and wait for its load event."""

    def js(self, body: str, *args: Any) -> Any:
        """Run body as a function's body with `arguments` = args in the page
        (not in a sandbox); a returned Promise is awaited (W3C Execute Script)."""

    def click(self, css: str) -> None:
        """Click the first element matching css as a pointer would."""

    def replace_text(self, css: str, text: str) -> None:
        """Click the first element matching css, press Ctrl+A, type text:
        W3C key actions, one key at a time, as a reader types."""


class Browser(Protocol):
    """One running browser: a new tab per use, closed after it."""

    name: str

    def new_tab(self) -> AbstractContextManager[Tab]: ...


# Before a WebDriver click: the element in the middle of the viewport, at once.
# Left to WebDriver, WebKitWebDriver scrolls an element above the viewport to
# its top edge, under Material's sticky header, which then takes the click.
CENTER = "arguments[0].scrollIntoView({block: 'center', inline: 'nearest', behavior: 'instant'});"

# WebDriver's codepoint for the Control key (W3C WebDriver, "Keyboard actions").
CONTROL = "\ue009"


class TimedOut(AssertionError):
    """A page never reached what a test or bench waited for."""


def wait_for(tab: Tab, body: str, *args: Any, timeout: float, what: str) -> Any:
    """Poll body (a script returning a value) until it is truthy; returns it."""
    deadline = time.monotonic() + timeout
    while True:
        value = tab.js(body, *args)
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimedOut(f"{what}: not within {timeout:g} s")
        time.sleep(POLL_S)
