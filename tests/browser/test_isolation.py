"""Cross-origin isolation from the site's own service worker, in headless Chromium.

The test server sends no COOP/COEP headers, as GitHub Pages does not: any
isolation the page gets comes from coi-sw.js. The server's handler is swapped
per test (`served`) to record what reaches it and to stand in for a missing
or useless service worker; it marks every response as needing revalidation
(as GitHub Pages does once its 10 minutes are up), so that a file the browser
takes from its HTTP cache still shows up here, and only the service worker's
cache keeps a request from the server.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pytest
from widget_driver import COLD_MS, run, set_code, transcript, wait_state

from bench.harness import _SiteHandler

pytestmark = pytest.mark.browser

_DEMO = re.compile(r'<div class="demo" data-demo [^>]*data-demo-id="(?P<id>[0-9a-f]{12})"')
_SERVICE_WORKER = "coi-sw.js"

# Stand-ins for the real service worker, each what some engine or accident
# could leave a reader with.
_PASS_THROUGH = b"""
self.addEventListener("install", (e) => e.waitUntil(self.skipWaiting()));
self.addEventListener("activate", (e) => e.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (e) => e.respondWith(fetch(e.request)));
"""
_GONE_AFTER_CLAIM = b"""
self.addEventListener("install", (e) => e.waitUntil(self.skipWaiting()));
self.addEventListener("activate", (e) =>
  e.waitUntil(self.clients.claim().then(() => self.registration.unregister())));
"""


@dataclass
class Served:
    """What reached the server, and how coi-sw.js is answered."""

    url: str
    root: Path
    paths: list[str] = field(default_factory=list)
    # None: the built file; b"": 404; other bytes: that script instead.
    service_worker: bytes | None = None
    # Files (by the end of their path) held back until their event is set.
    holds: dict[str, threading.Event] = field(default_factory=dict)

    def hold(self, suffix: str) -> threading.Event:
        self.holds[suffix] = threading.Event()
        return self.holds[suffix]

    def count(self, suffix: str) -> int:
        return len([path for path in self.paths if path.split("?")[0].endswith(suffix)])


class _RecordingHandler(_SiteHandler):
    served: ClassVar[Served]

    def do_GET(self) -> None:
        served = self.served
        served.paths.append(self.path)
        for suffix, release in list(served.holds.items()):
            if self.path.split("?")[0].endswith(suffix):
                release.wait(30)
        if self.path.split("?")[0].endswith("/" + _SERVICE_WORKER):
            if served.service_worker == b"":
                self.send_error(404)
                return
            if served.service_worker is not None:
                self.send_response(200)
                self.send_header("Content-Type", "text/javascript")
                self.send_header("Content-Length", str(len(served.service_worker)))
                self.end_headers()
                self.wfile.write(served.service_worker)
                return
        super().do_GET()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


@pytest.fixture
def served(site_server: Any, _bound_server: http.server.ThreadingHTTPServer) -> Iterator[Served]:
    """The session's server (its port is the one the site was built for, which
    instant navigation needs), with a recording handler for one test."""
    state = Served(site_server.url, site_server.root)
    handler = type("Handler", (_RecordingHandler,), {"served": state})
    before = _bound_server.RequestHandlerClass
    _bound_server.RequestHandlerClass = functools.partial(handler, directory=str(state.root))
    try:
        yield state
    finally:
        for release in state.holds.values():
            release.set()  # no request left waiting past its test
        _bound_server.RequestHandlerClass = before


@pytest.fixture(scope="module")
def demo_page(built_site: Path) -> str:
    """The path (below the site root) of the first page that has a demo."""
    for file in sorted(built_site.rglob("index.html")):
        if _DEMO.search(file.read_text(encoding="utf-8")):
            return file.parent.relative_to(built_site).as_posix() + "/"
    pytest.fail("the built site has no demo", pytrace=False)


@pytest.fixture(scope="module")
def diagram_page(built_site: Path) -> str:
    """The path of the first page with a Mermaid diagram and a demo."""
    for file in sorted(built_site.rglob("index.html")):
        html = file.read_text(encoding="utf-8")
        if 'class="mermaid"' in html and _DEMO.search(html):
            return file.parent.relative_to(built_site).as_posix() + "/"
    pytest.fail("no page has both a diagram and a demo", pytrace=False)


@dataclass
class Tab:
    """One page and what it did: its loads, and every request of its context
    (the service worker's own fetches included)."""

    page: Any
    loads: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    workers: list[Any] = field(default_factory=list)


@pytest.fixture
def tab(browser: Any) -> Iterator[Callable[[], Tab]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def new_tab() -> Tab:
        page = context.new_page()
        state = Tab(page)
        page.on("load", lambda: state.loads.append(page.url))
        page.on("requestfailed", lambda request: state.failed.append(request.url))
        page.on(
            "console",
            lambda message: (
                state.console_errors.append(message.text) if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: state.console_errors.append(str(error)))
        page.on("worker", lambda worker: state.workers.append(worker))
        context.on("request", lambda request: state.requests.append(request.url))
        return state

    try:
        yield new_tab
    finally:
        context.close()


def _evaluate(page: Any, script: str) -> Any:
    """page.evaluate that waits out a navigation in progress."""
    for _ in range(100):
        try:
            return page.evaluate(script)
        except Exception as error:
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise
            page.wait_for_load_state("load")
    raise AssertionError("the page kept navigating")


def wait_isolated(tab: Tab, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _evaluate(tab.page, "() => crossOriginIsolated"):
            tab.page.wait_for_load_state("load")
            return
        time.sleep(0.1)
    raise AssertionError(f"not cross-origin isolated after {timeout} s; loads: {tab.loads}")


def settle(tab: Tab, seconds: float = 3.0) -> None:
    """Wait, so that a reload loop, if there were one, would show in tab.loads."""
    tab.page.wait_for_timeout(seconds * 1000)
    tab.page.wait_for_load_state("load")


# The block of the article at the top of the viewport, and where it begins.
_TOP_BLOCK = """() => {
  const blocks = [...document.querySelector("article.md-content__inner").children];
  const i = blocks.findIndex((b) => b.getBoundingClientRect().bottom > 0);
  return [i, Math.round(blocks[i].getBoundingClientRect().top), blocks[i].textContent.slice(0, 60)];
}"""


def test_first_visit_reloads_once_keeping_the_url_and_scroll(
    tab: Callable[[], Tab], served: Served, diagram_page: str
) -> None:
    # The worker arrives while the page is still loading (Mermaid, which the
    # load event waits for, is slow), and the reader has scrolled meanwhile.
    worker = served.hold("/" + _SERVICE_WORKER)
    mermaid = served.hold("/mermaid.min.js")
    reader = tab()
    html = (served.root / diagram_page / "index.html").read_text(encoding="utf-8")
    anchor = re.findall(r'<h2 id="([^"]+)"', html)[1]
    first = served.url + diagram_page + "#" + anchor
    reader.page.goto(first, wait_until="domcontentloaded")
    reader.page.wait_for_function("() => document.querySelector('script[src*=\"mermaid.min\"]')")
    assert reader.page.evaluate("() => [crossOriginIsolated, document.readyState]") == [
        False,
        "interactive",
    ]
    anchor_y = reader.page.evaluate("() => scrollY")
    reader.page.evaluate("() => window.scrollTo(0, 1400)")
    assert reader.page.evaluate("() => scrollY") == 1400 != anchor_y
    # What the reader sees there. The diagrams above are not drawn yet; after
    # the reload they are, and the reader must still see the same text.
    in_view = reader.page.evaluate(_TOP_BLOCK)
    # Material's navigation.tracking moves the fragment to the heading in view.
    reader.page.wait_for_timeout(500)
    url = reader.page.url
    assert "#" in url
    pages = served.count(diagram_page)
    worker.set()
    deadline = time.monotonic() + 20
    while served.count(diagram_page) == pages and time.monotonic() < deadline:
        time.sleep(0.05)
    mermaid.set()
    wait_isolated(reader)
    settle(reader)
    assert reader.loads == [url]  # the first document never finished loading
    assert served.count(diagram_page) == pages + 1
    assert reader.page.url == url
    assert reader.page.evaluate("() => crossOriginIsolated") is True
    block, top, text = reader.page.evaluate(_TOP_BLOCK)
    assert (block, text) == (in_view[0], in_view[2])
    assert abs(top - in_view[1]) <= 1
    assert reader.console_errors == []


def test_no_service_worker_no_reload(
    tab: Callable[[], Tab], served: Served, demo_page: str
) -> None:
    served.service_worker = b""
    reader = tab()
    reader.page.goto(served.url + demo_page)
    settle(reader)
    # The page asked for the worker, got a 404, and carried on as it was.
    assert served.count("/" + _SERVICE_WORKER) == 1
    assert len(reader.loads) == 1
    assert reader.page.evaluate("() => crossOriginIsolated") is False
    # Chromium reports the failed registration; nothing else went wrong.
    assert [error for error in reader.console_errors if "404" not in error] == []


@pytest.mark.parametrize(
    "script",
    [
        pytest.param(_PASS_THROUGH, id="headers-ignored"),
        pytest.param(_GONE_AFTER_CLAIM, id="worker-gone-after-reload"),
    ],
)
def test_isolation_that_fails_costs_one_reload_at_most(
    tab: Callable[[], Tab], served: Served, demo_page: str, script: bytes
) -> None:
    served.service_worker = script
    reader = tab()
    url = served.url + demo_page
    reader.page.goto(url)
    settle(reader, 5)
    # The page, then its one reload: from the server's side, since on a page
    # whose load event waits for Mermaid the reload can come before the first
    # load event.
    assert served.count(demo_page) == 2
    assert set(reader.loads) == {url}
    assert reader.page.evaluate("() => crossOriginIsolated") is False
    assert reader.console_errors == []


def test_no_reload_once_the_reader_has_typed(
    tab: Callable[[], Tab], served: Served, diagram_page: str
) -> None:
    # The page is still loading (Mermaid held back) when the worker takes
    # over, but the reader has started typing.
    worker = served.hold("/" + _SERVICE_WORKER)
    mermaid = served.hold("/mermaid.min.js")
    reader = tab()
    url = served.url + diagram_page
    reader.page.goto(url, wait_until="domcontentloaded")
    reader.page.locator(".md-search__input").first.click()
    reader.page.keyboard.type("kms")
    worker.set()
    reader.page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    assert reader.page.evaluate("() => document.readyState") == "interactive"
    mermaid.set()
    settle(reader)
    # The worker took over, but the page was not reloaded under the reader.
    assert served.count("/" + _SERVICE_WORKER) == 1
    assert reader.loads == [url]
    assert reader.page.locator(".md-search__input").first.input_value() == "kms"
    assert reader.page.evaluate("() => crossOriginIsolated") is False


def test_a_busy_reader_gets_isolation_at_the_next_page(
    tab: Callable[[], Tab], served: Served, demo_page: str
) -> None:
    worker = served.hold("/" + _SERVICE_WORKER)
    reader = tab()
    reader.page.goto(served.url)
    reader.page.locator(".md-search__input").first.click()
    reader.page.keyboard.type("kms")
    reader.page.keyboard.press("Escape")
    worker.set()
    reader.page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    settle(reader)
    assert reader.loads == [served.url]
    # The next page is where nothing is lost: it is loaded, not swapped in.
    reader.page.locator(f"a[href$='{demo_page}']").first.evaluate("a => a.click()")
    wait_isolated(reader)
    settle(reader)
    assert reader.loads == [served.url, served.url + demo_page]
    assert reader.page.url == served.url + demo_page


def test_instant_navigation_keeps_the_page_isolated(
    tab: Callable[[], Tab], served: Served, demo_page: str
) -> None:
    reader = tab()
    reader.page.goto(served.url)
    wait_isolated(reader)
    loads = len(reader.loads)
    reader.page.evaluate("() => { window.__sameDocument = true }")
    reader.page.locator(f"a[href$='{demo_page}']").first.evaluate("a => a.click()")
    reader.page.locator("[data-demo]").first.locator("[data-demo-run]").wait_for(timeout=20_000)
    assert reader.page.url == served.url + demo_page
    # Material swapped the page in place: same window, no load, still isolated.
    assert reader.page.evaluate("() => window.__sameDocument === true")
    assert len(reader.loads) == loads
    assert reader.page.evaluate("() => crossOriginIsolated") is True


def test_search_works_under_isolation(tab: Callable[[], Tab], served: Served) -> None:
    reader = tab()
    reader.page.goto(served.url)
    wait_isolated(reader)
    # The reload cancels what the first load still had in flight.
    reader.failed.clear()
    reader.page.locator(".md-search__input").first.click()
    reader.page.keyboard.type("envelope")
    results = reader.page.locator(".md-search-result__item")
    results.first.wait_for(timeout=20_000)
    assert results.count() > 0
    assert "envelope" in results.first.inner_text().lower()
    assert reader.failed == []
    assert reader.console_errors == []


def test_stop_interrupts_python_and_keeps_the_worker(
    tab: Callable[[], Tab], served: Served, demo_page: str
) -> None:
    reader = tab()
    reader.page.goto(served.url + demo_page)
    wait_isolated(reader)
    page = reader.page
    root = page.locator("[data-demo]").first
    root.hover()
    root.locator("[data-demo-editor]").wait_for()
    set_code(page, root, "while True:\n    pass")
    root.locator("[data-demo-run]").click()
    wait_state(page, root, "running")
    python = [worker for worker in reader.workers if worker.url.startswith("blob:")]
    assert len(python) == 1
    time.sleep(0.3)
    root.locator("[data-demo-stop]").click()
    wait_state(page, root, "stopped", timeout=5_000)
    set_code(page, root, "print('again')")
    assert run(page, root, timeout=10_000) == "done"
    assert transcript(root) == [{"stream": "stdout", "text": "again\n"}]
    # The same worker, alive: the interrupt stopped Python, nothing was
    # terminated (the runtime terminates when an interrupt fails in 1 s).
    assert [worker for worker in reader.workers if worker.url.startswith("blob:")] == python
    assert python[0].evaluate("() => 1") == 1


def test_nothing_leaves_localhost_and_the_csp_holds(
    tab: Callable[[], Tab], served: Served, diagram_page: str
) -> None:
    reader = tab()
    page = reader.page
    page.add_init_script(
        "addEventListener('securitypolicyviolation', (e) => console.error("
        "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )
    # Material draws diagrams in closed shadow roots; open them to look inside.
    page.add_init_script(
        "const attach = Element.prototype.attachShadow;"
        "Element.prototype.attachShadow = function (init) {"
        " return attach.call(this, { ...init, mode: 'open' }) }"
    )
    page.goto(served.url + diagram_page)
    wait_isolated(reader)
    # The reload cancels what the first load still had in flight.
    reader.failed.clear()
    # Mermaid (self-hosted) drew the page's figure.
    page.wait_for_function(
        "() => [...document.querySelectorAll('div.mermaid')]"
        ".some((d) => d.shadowRoot?.querySelector('svg'))",
        timeout=30_000,
    )
    root = page.locator("[data-demo]").first
    root.hover()
    root.locator("[data-demo-editor]").wait_for()
    set_code(page, root, "print(6 * 7)")
    assert run(page, root, timeout=COLD_MS) == "done"
    assert transcript(root) == [{"stream": "stdout", "text": "42\n"}]
    outside = [url for url in reader.requests if not url.startswith((served.url, "blob:", "data:"))]
    assert outside == []
    assert reader.failed == []
    assert reader.console_errors == []


def test_second_visit_takes_pyodide_from_the_cache_and_pages_from_the_server(
    tab: Callable[[], Tab], served: Served, demo_page: str
) -> None:
    first = tab()
    first.page.goto(served.url + demo_page)
    wait_isolated(first)
    root = first.page.locator("[data-demo]").first
    root.hover()
    root.locator("[data-demo-editor]").wait_for()
    set_code(first.page, root, "print('first')")
    assert run(first.page, root, timeout=COLD_MS) == "done"
    assert served.count("/pyodide.asm.wasm") == 1
    pages = served.count(demo_page)
    first.page.close()

    second = tab()
    second.page.goto(served.url + demo_page)
    assert second.page.evaluate("() => crossOriginIsolated") is True
    root = second.page.locator("[data-demo]").first
    root.hover()
    root.locator("[data-demo-editor]").wait_for()
    set_code(second.page, root, "print('second')")
    assert run(second.page, root, timeout=COLD_MS) == "done"
    assert transcript(root) == [{"stream": "stdout", "text": "second\n"}]
    # Versioned files came from the worker's cache; the page itself did not.
    assert served.count("/pyodide.asm.wasm") == 1
    assert served.count(demo_page) == pages + 1


def test_an_engine_without_shared_memory_goes_back_to_no_worker(
    tab: Callable[[], Tab], served: Served, demo_page: str
) -> None:
    # WebKitGTK 2.50 is cross-origin isolated under COOP/COEP, yet has no
    # SharedArrayBuffer: isolation buys no soft Stop there. Chromium without it:
    first = tab()
    first.page.add_init_script("delete globalThis.SharedArrayBuffer")
    url = served.url + demo_page
    first.page.goto(url)
    wait_isolated(first)
    settle(first, 1)
    assert served.count(demo_page) == 2
    assert set(first.loads) == {url}
    first.page.close()
    # The next tab is neither reloaded nor isolated, and nothing controls it.
    second = tab()
    second.page.add_init_script("delete globalThis.SharedArrayBuffer")
    second.page.goto(url)
    settle(second)
    assert second.loads == [url]
    assert second.page.evaluate("() => crossOriginIsolated") is False
    assert second.page.evaluate("() => navigator.serviceWorker.controller") is None
    assert second.console_errors == []
