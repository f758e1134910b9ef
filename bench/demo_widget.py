"""A demo widget driven as a reader would, through any Tab (bench.tab):
shared by the engine tests and the Stop bench. Widgets are named by a CSS
selector for their `[data-demo]` root."""

from __future__ import annotations

import time
from typing import Any

from bench.tab import Tab, TimedOut, wait_for

ENDED = ("done", "error", "stopped")
# A cold start downloads and boots Pyodide: seconds, more on a loaded machine.
COLD_S = 120.0
# The editor chunk (~380 KB) loads on the first pointer or focus in a widget.
EDITOR_S = 60.0

_STATE = "const root = document.querySelector(arguments[0]); return root && root.dataset.demoState;"
_STATE_IN = """
const root = document.querySelector(arguments[0]);
const now = root && root.dataset.demoState;
return arguments[1].includes(now) ? now : null;
"""
_EDITOR_TEXT = """
const lines = document.querySelectorAll(arguments[0] + " [data-demo-editor] .cm-line");
return lines.length ? Array.from(lines, (line) => line.textContent).join("\\n") : null;
"""


_EDITOR_HOLDS = (
    f"{_EDITOR_TEXT.replace('return', 'const text =', 1)}; return text === arguments[1];"
)


def root_of(demo_id: str | None = None) -> str:
    """The selector of the widget with that id, or of the page's first."""
    return f"[data-demo][data-demo-id='{demo_id}']" if demo_id else "[data-demo]"


def state(tab: Tab, root: str) -> str | None:
    value = tab.js(_STATE, root)
    return None if value is None else str(value)


def wait_state(tab: Tab, root: str, states: tuple[str, ...], timeout: float = COLD_S) -> str:
    """Until the widget's data-demo-state is one of states; returns it."""
    return str(
        wait_for(
            tab,
            _STATE_IN,
            root,
            list(states),
            timeout=timeout,
            what=f"{root} in state {'/'.join(states)}",
        )
    )


def open_demo(tab: Tab, url: str, root: str = "[data-demo]") -> None:
    """Load url and wait until the widget is mounted (its state is idle)."""
    tab.goto(url)
    wait_state(tab, root, ("idle",), timeout=20)


def editor_text(tab: Tab, root: str) -> str | None:
    """The editor's text, or None before the editor has loaded."""
    value = tab.js(_EDITOR_TEXT, root)
    return None if value is None else str(value)


def set_code(tab: Tab, root: str, code: str) -> None:
    """Click into the code (which loads the editor), select all, type code.

    Typed one key at a time, so keep code to one line: the editor indents
    after a newline and closes brackets as the reader types (a typed closing
    bracket steps over the one it added)."""
    if editor_text(tab, root) is None:
        # Until the editor loads, the server-rendered code stands in its place.
        tab.click(f"{root} [data-demo-source]")
        wait_for(tab, _EDITOR_TEXT, root, timeout=EDITOR_S, what=f"{root}: the editor")
    tab.replace_text(f"{root} [data-demo-editor]", code)
    try:
        wait_for(tab, _EDITOR_HOLDS, root, code, timeout=5, what=f"{root}: the typed code")
    except TimedOut as error:
        raise AssertionError(f"{error}; the editor holds {editor_text(tab, root)!r}") from None


def run(tab: Tab, root: str, timeout: float = COLD_S) -> str:
    """Click Run and wait for a final state; returns it."""
    tab.click(f"{root} [data-demo-run]")
    try:
        return wait_state(tab, root, ENDED, timeout)
    except TimedOut as error:
        raise TimedOut(f"{error}; the widget shows {looks(tab, root)}") from None


_LOOKS = """
const root = document.querySelector(arguments[0]);
if (!root) return null;
const text = (css) => root.querySelector(css)?.textContent?.trim().slice(-300) ?? null;
return {state: root.dataset.demoState, progress: text("[data-demo-progress]"),
        output: text("[data-demo-output]"), visibility: document.visibilityState};
"""


def looks(tab: Tab, root: str) -> object:
    """What a reader would see of the widget now: for a failure's message."""
    try:
        return tab.js(_LOOKS, root)
    except Exception as error:  # the page is gone or wedged: say so instead
        return f"(unreadable: {type(error).__name__})"


def transcript(tab: Tab, root: str) -> list[dict[str, Any]]:
    """root.demoTranscript: what the reader saw, as runtime/README.md defines it."""
    return list(tab.js("return document.querySelector(arguments[0]).demoTranscript;", root))


def output_text(tab: Tab, root: str) -> str:
    return str(
        tab.js(
            "return document.querySelector(arguments[0] + ' [data-demo-output]').textContent;", root
        )
    )


# "settled" where the site has given up its service worker in this engine
# (runtime/src/isolation.ts remembers the engine's user agent in localStorage):
# the page that found that out may have reloaded under the script that would
# have seen it controlled, and no later page will ever be.
_WORKER_STATE = """
const container = navigator.serviceWorker;
if (!container || !window.isSecureContext) return "unsupported";
if (localStorage.getItem("livedemo:isolation-unusable") === navigator.userAgent) return "settled";
return container.getRegistration().then(
  (registration) => (container.controller ? "controlled" : registration ? "registered" : "none"));
"""


def first_visit(tab: Tab, url: str, timeout: float = 60) -> None:
    """Visit the site until its service worker has settled in this browser.

    A site with a service worker (coi-sw.js at its root) reloads a page once
    on a reader's first visit, when the worker takes control; in an engine
    where isolation is of no use (WebKitGTK 2.50) the site then unregisters
    it. Doing that first, once per browser, means that the tests' pages load
    as a returning reader's do, and are not reloaded under a test."""
    deadline = time.monotonic() + timeout
    state = "not loaded"
    while time.monotonic() < deadline:
        try:
            tab.goto(url)
            state = tab.js(_WORKER_STATE)
        except Exception:  # the page reloaded itself mid-script: look again
            continue
        if state in ("controlled", "settled", "unsupported"):
            return
        time.sleep(0.5)
    raise TimedOut(f"{url}: the service worker has not settled in {timeout:.0f} s (last: {state})")
