"""Driving a demo widget from Playwright, as a reader would: shared by the
browser tests."""

from __future__ import annotations

from typing import Any

ENDED = "el => ['done', 'error', 'stopped'].includes(el.dataset.demoState)"
# Cold start downloads and boots Pyodide; generous, as CI machines vary.
COLD_MS = 120_000


def open_demo(page: Any, url: str) -> Any:
    page.goto(url)
    root = page.locator("[data-demo]").first
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
