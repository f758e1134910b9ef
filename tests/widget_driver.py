"""Driving a demo widget from Playwright, as a reader would: shared by the
browser tests."""

from __future__ import annotations

import contextlib
from typing import Any

from playwright.sync_api import TimeoutError as PlaywrightTimeout

ENDED = "el => ['done', 'error', 'stopped'].includes(el.dataset.demoState)"
# Cold start downloads and boots Pyodide; generous, as CI machines vary.
COLD_MS = 120_000
# A first visit reloads once when the service worker takes control.
ISOLATION_MS = 10_000


def settle(page: Any) -> None:
    """Wait out the one reload of a first visit that makes the page
    cross-origin isolated (runtime/src/isolation.ts), so that nothing the test
    does next is lost to it. A page that stays un-isolated is waited for up to
    the same limit, then used as it is."""
    # An engine that ignores the headers stays un-isolated: that is fine too.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function("() => self.crossOriginIsolated", timeout=ISOLATION_MS)
    page.wait_for_load_state("load")


def open_demo(page: Any, url: str, index: int = 0) -> Any:
    page.goto(url)
    settle(page)
    root = page.locator("[data-demo]").nth(index)
    # The editor loads when the reader first points at the widget.
    root.locator("[data-demo-run]").wait_for()
    root.hover()
    root.locator("[data-demo-editor]").wait_for()
    return root


def set_code(page: Any, root: Any, code: str) -> None:
    root.locator("[data-demo-editor]").click()
    page.keyboard.press("ControlOrMeta+A")
    # insert_text types no keys, so the editor's auto-indent and bracket
    # closing leave the code as written.
    page.keyboard.insert_text(code)


def editor_text(root: Any) -> str:
    # Every line of a short demo is rendered, so the DOM holds the whole text.
    lines = root.locator("[data-demo-editor] .cm-line").all_text_contents()
    return "\n".join(lines)


def run(page: Any, root: Any, timeout: float = COLD_MS) -> str:
    root.locator("[data-demo-run]").click()
    page.wait_for_function(ENDED, arg=root.element_handle(), timeout=timeout)
    return str(root.get_attribute("data-demo-state"))


def wait_state(page: Any, root: Any, state: str, timeout: float = COLD_MS) -> None:
    page.wait_for_function(
        "([el, state]) => el.dataset.demoState === state",
        arg=[root.element_handle(), state],
        timeout=timeout,
    )


def transcript(root: Any) -> list[dict[str, Any]]:
    return list(root.evaluate("el => el.demoTranscript"))
