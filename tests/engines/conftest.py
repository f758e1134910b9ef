"""Firefox and WebKitGTK, each started once.

Tests here take `tab`; pytest runs every test in one engine, then every test
in the other, so only one browser runs at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest

from bench.demo_widget import first_visit
from bench.firefox import launch_firefox
from bench.tab import Browser, Tab
from bench.webkit import launch_webkit

# The site's service worker (runtime/src/coi-sw.ts), at the top of its scope.
SERVICE_WORKER = "coi-sw.js"

_FORGET_EDITS = """
for (const key of Object.keys(localStorage)) {
  if (key.startsWith("livedemo:edits:")) localStorage.removeItem(key);
}
"""

LAUNCHERS: dict[str, Callable[[], AbstractContextManager[Browser]]] = {
    "firefox": launch_firefox,
    "webkit": launch_webkit,
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Engine tests after the others (fast failures first), as tests/conftest.py
    does for Chromium's."""
    items.sort(key=lambda item: item.get_closest_marker("engines") is not None)


# Module scope (there is one module): each browser is gone before the
# Chromium tests start, instead of idling to the end of the session.
@pytest.fixture(scope="module", params=sorted(LAUNCHERS))
def engine(request: pytest.FixtureRequest, site_server: Any) -> Iterator[Browser]:
    with LAUNCHERS[request.param]() as browser:
        if (site_server.root / SERVICE_WORKER).is_file():
            with browser.new_tab() as tab:
                first_visit(tab, site_server.url)
        yield browser


@pytest.fixture(scope="module")
def engine_tab(engine: Browser) -> Iterator[Tab]:
    """One tab per engine for the module: its Python worker outlives each test
    (as a reader's does across pages), so the module pays one cold start per
    engine (8 to 9 s in WebKitGTK) instead of one per test."""
    with engine.new_tab() as new_tab:
        # As a reader's tab is: a hidden one has its timers throttled, and
        # WebKitGTK lost clicks there (the demo stayed idle).
        assert new_tab.js("return document.visibilityState;") == "visible"
        yield new_tab


@pytest.fixture
def tab(engine_tab: Tab) -> Iterator[Tab]:
    yield engine_tab
    # Edits persist per demo in localStorage (runtime/README.md), which every
    # page of the site shares: leave none for the next test.
    engine_tab.js(_FORGET_EDITS)
