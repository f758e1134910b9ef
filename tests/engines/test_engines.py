"""The demos in Firefox (Marionette) and WebKitGTK (WebKitWebDriver), on the
built site served on 127.0.0.1: every demo shows what CPython shows, Stop
then Run, and instant navigation then Run.

Each test runs once per engine (the `engine` fixture in conftest.py), all
in one tab per engine, moving between pages by instant navigation: one cold
start of Python per engine.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from browser.test_every_demo import SiteDemo, cpython_transcript, merged, site_demos

from bench.demo_widget import (
    COLD_S,
    output_text,
    root_of,
    run,
    set_code,
    transcript,
    wait_state,
)
from bench.tab import Tab, wait_for

pytestmark = pytest.mark.engines

# Resources the page itself fetched from anywhere but the site (the worker's
# requests are not listed here, but its CSP forbids other origins).
# Links in the site's navigation; a script click is a click to Material.
_CLICK_LINK = "document.querySelector(`a.md-nav__link[href$='${arguments[0]}']`).click();"
# Material's bundle has run (it sets up instant navigation as it starts): a
# click before that is an ordinary link's, and loads a new document.
_MATERIAL_READY = (
    "return typeof window.document$ === 'object' && document.readyState === 'complete';"
)
# Where the tab is, without the fragment: Material's scroll tracking writes
# the heading in view into the URL's fragment as the page scrolls.
_HERE = "return location.origin + location.pathname;"
_OUTSIDE = """
return performance.getEntriesByType("resource").map((entry) => entry.name)
  .filter((name) => !name.startsWith(arguments[0]) && !/^(data|blob):/.test(name));
"""


@pytest.fixture(scope="module")
def demos(built_site: Path) -> dict[str, list[SiteDemo]]:
    """The site's demos, by page."""
    by_page: dict[str, list[SiteDemo]] = {}
    for demo in site_demos(built_site):
        by_page.setdefault(demo.page, []).append(demo)
    assert by_page, "the built site has no demo"
    return by_page


@pytest.fixture(scope="module")
def expected(
    demos: dict[str, list[SiteDemo]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[dict[str, Any]]]:
    """Each demo's transcript in CPython, by demo id: computed once for both engines."""
    workdir = tmp_path_factory.mktemp("cpython-demos")
    out = {}
    for page_demos in demos.values():
        for demo in page_demos:
            status, events = cpython_transcript(demo.code, workdir)
            assert status == "ok", f"{demo.page} demo {demo.demo_id} fails in CPython"
            out[demo.demo_id] = events
    return out


@pytest.fixture(scope="module")
def one_demo_page(demos: dict[str, list[SiteDemo]]) -> SiteDemo:
    """The first demo of the page with the fewest demos (a quick page to swap in)."""
    page = min(demos, key=lambda path: (len(demos[path]), path))
    return demos[page][0]


def navigate(tab: Tab, site_url: str, page: str, first_demo_id: str) -> None:
    """Go to page by clicking a link to it, as a reader would: Material swaps
    the page in place (instant navigation), so the worker is kept. A tab not
    on the site loads the home page first."""
    if not tab.js("return location.href.startsWith(arguments[0]);", site_url):
        tab.goto(site_url)
        tab.js("window.__sameDocument = true;")
    assert tab.js(_HERE) != site_url + page, f"already on {page}"
    wait_for(tab, _MATERIAL_READY, timeout=30, what="Material's instant navigation")
    tab.js(_CLICK_LINK, page)
    wait_state(tab, root_of(first_demo_id), ("idle",), timeout=30)
    assert tab.js("return window.__sameDocument === true;"), f"{page}: loaded as a new document"


def test_instant_navigation_then_run(tab: Tab, site_server: Any, one_demo_page: SiteDemo) -> None:
    # A new document: the widget chunk and Python load only after the swap.
    tab.goto(site_server.url)
    tab.js("window.__sameDocument = true;")
    navigate(tab, site_server.url, one_demo_page.page, one_demo_page.demo_id)
    root = root_of(one_demo_page.demo_id)
    set_code(tab, root, "print('after navigation')")
    assert run(tab, root) == "done", output_text(tab, root)
    assert transcript(tab, root) == [{"stream": "stdout", "text": "after navigation\n"}]


def test_every_demo_runs_and_matches_cpython(
    tab: Tab,
    site_server: Any,
    demos: dict[str, list[SiteDemo]],
    expected: dict[str, list[dict[str, Any]]],
) -> None:
    # The page the tab shows (a test before may have left it there) comes
    # last: a link to it from another page gives it fresh widgets.
    here = tab.js(_HERE)
    pages = sorted(demos, key=lambda page: site_server.url + page == here)
    for page in pages:
        page_demos = demos[page]
        navigate(tab, site_server.url, page, page_demos[0].demo_id)
        for demo in page_demos:
            root = root_of(demo.demo_id)
            # Pure-Python AES-GCM where there is no JSPI (WebKit): slow.
            state = run(tab, root, timeout=2 * COLD_S)
            seen = merged(transcript(tab, root))
            assert state == "done", f"{page} demo {demo.demo_id}: {seen}"
            assert seen == expected[demo.demo_id], f"{page} demo {demo.demo_id}"
        assert tab.js(_OUTSIDE, site_server.url) == [], page


def test_stop_ends_a_loop_and_the_next_run_prints(
    tab: Tab, site_server: Any, one_demo_page: SiteDemo
) -> None:
    # Last in the module: in WebKitGTK 2.50 a terminated worker's Wasm loop
    # burns a core until its tab closes (issue 8).
    if tab.js(_HERE) != site_server.url + one_demo_page.page:
        navigate(tab, site_server.url, one_demo_page.page, one_demo_page.demo_id)
    root = root_of(one_demo_page.demo_id)
    set_code(tab, root, "while True: pass")
    tab.click(f"{root} [data-demo-run]")
    wait_state(tab, root, ("running",))
    time.sleep(0.5)
    tab.click(f"{root} [data-demo-stop]")
    assert wait_state(tab, root, ("stopped", "done", "error"), timeout=5) == "stopped"
    assert "Stopped" in output_text(tab, root)
    set_code(tab, root, "print('again')")
    assert run(tab, root) == "done", output_text(tab, root)
    assert transcript(tab, root) == [{"stream": "stdout", "text": "again\n"}]
