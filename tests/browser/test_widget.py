"""The demo widget in real headless Chromium, on the built site served on 127.0.0.1.

Each test edits the first demo on the site to code whose output is known
without running it (`print(6 * 7)` prints "42"), so the tests do not depend
on what the content pages' demos happen to print.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from widget_driver import (
    COLD_MS,
    ENDED,
    editor_text,
    open_demo,
    run,
    set_code,
    transcript,
    wait_state,
)

from bench.harness import LocalServer, QuietHandler

pytestmark = pytest.mark.browser


def test_run_streams_output_and_ends_done(page: Any, site_server: Any, demo_page: str) -> None:
    root = open_demo(page, site_server.url + demo_page)
    assert root.get_attribute("data-demo-state") == "idle"
    assert root.locator("[data-demo-stop]").is_disabled()
    set_code(page, root, "print(6 * 7)\nprint('a', 'b', sep='-')")
    assert run(page, root) == "done"
    assert transcript(root) == [{"stream": "stdout", "text": "42\na-b\n"}]
    assert root.locator("[data-demo-output]").inner_text().split() == ["42", "a-b"]
    assert root.locator("[data-demo-output]").get_attribute("aria-live") == "polite"
    assert root.locator("[data-demo-run]").is_enabled()
    assert root.locator("[data-demo-stop]").is_disabled()


def test_loading_shows_download_progress(page: Any, site_server: Any, demo_page: str) -> None:
    root = open_demo(page, site_server.url + demo_page)
    set_code(page, root, "print(1)")
    seen: list[str] = []
    page.expose_function("noteProgress", lambda text: seen.append(text))
    root.evaluate(
        """el => new MutationObserver(() => window.noteProgress(
               el.querySelector('[data-demo-progress]').textContent))
             .observe(el.querySelector('[data-demo-progress]'),
                      {childList: true, subtree: true, characterData: true})"""
    )
    assert run(page, root) == "done"
    assert any(re.fullmatch(r"Downloading Python runtime: \d+\.\d of \d+\.\d MB", s) for s in seen)
    assert "Starting Python" in seen
    assert any(s.startswith("Loading packages") for s in seen)


def test_display_records_render_as_dom_not_html(
    page: Any, site_server: Any, demo_page: str
) -> None:
    root = open_demo(page, site_server.url + demo_page)
    set_code(
        page,
        root,
        "from livedemo import show, badge\n"
        "show([{'name': '<img src=x>', 'state': badge('on', 'ok')}], title='T')\n"
        "show({'k': b'\\x00\\x01'})\n",
    )
    assert run(page, root) == "done"
    output = root.locator("[data-demo-output]")
    assert output.locator("img").count() == 0
    assert output.locator("table th[scope=col]").all_inner_texts() == ["name", "state"]
    assert output.locator("table caption").inner_text() == "T"
    assert output.locator("td").first.inner_text() == "<img src=x>"
    assert output.locator(".demo-badge--ok").inner_text() == "on"
    assert output.locator("dl dt").inner_text() == "k"
    kinds = [entry["display"]["kind"] for entry in transcript(root)]
    assert kinds == ["table", "panel"]


def test_error_shows_a_short_traceback_at_the_users_line(
    page: Any, site_server: Any, demo_page: str
) -> None:
    root = open_demo(page, site_server.url + demo_page)
    set_code(page, root, "x = 1\ndef f():\n    return x / 0\nf()")
    assert run(page, root) == "error"
    text = root.locator("[data-demo-output]").inner_text()
    assert 'File "<demo>", line 4' in text
    assert 'File "<demo>", line 3, in f' in text
    assert text.rstrip().endswith("ZeroDivisionError: division by zero")
    assert "pyodide" not in text.lower()
    assert "_runner" not in text


def test_stop_ends_a_loop_and_the_widget_runs_again(
    page: Any, site_server: Any, demo_page: str
) -> None:
    root = open_demo(page, site_server.url + demo_page)
    set_code(page, root, "while True:\n    pass")
    root.locator("[data-demo-run]").click()
    wait_state(page, root, "running")
    assert root.locator("[data-demo-run]").is_disabled()
    time.sleep(0.5)
    root.locator("[data-demo-stop]").click()
    wait_state(page, root, "stopped", timeout=5_000)
    assert "Stopped" in root.locator("[data-demo-output]").inner_text()
    set_code(page, root, "print('again')")
    assert run(page, root) == "done"
    assert transcript(root) == [{"stream": "stdout", "text": "again\n"}]


def test_time_limit_stops_runaway_code(page: Any, site_server: Any, demo_page: str) -> None:
    root = open_demo(page, site_server.url + demo_page)
    # The limit is read at each Run, so the test can shorten it.
    root.evaluate("el => { el.dataset.demoTimeout = '2' }")
    set_code(page, root, "while True:\n    pass")
    root.locator("[data-demo-run]").click()
    wait_state(page, root, "running")
    started = time.monotonic()
    wait_state(page, root, "stopped", timeout=10_000)
    assert 1.5 < time.monotonic() - started < 8
    assert "2 s time limit" in root.locator("[data-demo-output]").inner_text()


def test_edits_persist_across_reload_and_reset_restores(
    page: Any, site_server: Any, demo_page: str
) -> None:
    root = open_demo(page, site_server.url + demo_page)
    original = editor_text(root)
    set_code(page, root, "print('edited')")
    page.wait_for_timeout(600)  # edits are saved after a short pause
    root = open_demo(page, site_server.url + demo_page)
    assert editor_text(root) == "print('edited')"
    root.locator("[data-demo-reset]").click()
    assert editor_text(root) == original
    root = open_demo(page, site_server.url + demo_page)
    assert editor_text(root) == original


def test_share_link_carries_the_code(
    browser: Any, page: Any, site_server: Any, demo_page: str
) -> None:
    root = open_demo(page, site_server.url + demo_page)
    set_code(page, root, "print('shared ✓')")
    # Material's navigation.tracking writes the heading in view into the
    # fragment a moment after the page scrolls (open_demo scrolled to the
    # widget): let that land first, as it has by the time a reader clicks.
    page.wait_for_function(
        """() => new Promise((done) => {
          const hash = location.hash;
          setTimeout(() => done(location.hash === hash), 500);
        })""",
        polling=100,
    )
    root.locator("[data-demo-share]").click()
    page.wait_for_function("() => location.hash.startsWith('#demo-')")
    link = page.url
    assert f"#demo-{root.get_attribute('data-demo-id')}=" in link
    # A fresh context has no localStorage: the code comes from the link alone.
    context = browser.new_context()
    try:
        other = context.new_page()
        other_root = open_demo(other, link)
        other.wait_for_function(
            "el => el.querySelector('.cm-content').textContent.includes('shared')",
            arg=other_root.element_handle(),
        )
        assert editor_text(other_root) == "print('shared ✓')"
    finally:
        context.close()


def test_keyboard_only_run_and_escape(page: Any, site_server: Any, demo_page: str) -> None:
    root = open_demo(page, site_server.url + demo_page)
    set_code(page, root, "print('keys')")
    page.evaluate("() => document.activeElement.blur()")
    root.locator("[data-demo-run]").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.hasAttribute('data-demo-editor')"):
            break
    else:
        pytest.fail("Tab never reached the editor")
    page.keyboard.press("End")
    page.keyboard.press("Tab")  # Tab indents inside the editor, focus stays
    assert page.evaluate("() => document.activeElement.hasAttribute('data-demo-editor')")
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")  # Esc, then Tab moves focus on
    assert not page.evaluate("() => document.activeElement.hasAttribute('data-demo-editor')")
    root.locator("[data-demo-editor]").focus()
    page.keyboard.press("ControlOrMeta+Enter")
    page.wait_for_function(ENDED, arg=root.element_handle(), timeout=COLD_MS)
    assert root.get_attribute("data-demo-state") == "done"
    assert transcript(root) == [{"stream": "stdout", "text": "keys\n"}]


def test_375px_viewport_has_no_horizontal_overflow(
    browser: Any, site_server: Any, demo_page: str
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        root = open_demo(page, site_server.url + demo_page)
        set_code(
            page,
            root,
            "from livedemo import show\nprint('x' * 300)\n"
            "show([{'a' * 40: 'b' * 80, 'c': bytes(32)}])\nshow(bytes(200))",
        )
        assert run(page, root) == "done"
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375
        box = root.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 375
    finally:
        context.close()


def test_dark_scheme_restyles_the_editor(page: Any, site_server: Any, demo_page: str) -> None:
    root = open_demo(page, site_server.url + demo_page)
    background = "el => getComputedStyle(el.querySelector('.cm-editor')).backgroundColor"
    page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'default')")
    light = root.evaluate(background)
    page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.wait_for_timeout(100)
    assert root.evaluate(background) != light


def test_no_pyodide_before_run_and_nothing_leaves_localhost(
    page: Any, page_log: Any, site_server: Any, demo_page: str
) -> None:
    page.goto(site_server.url + demo_page)
    page.wait_for_load_state("networkidle")
    root = page.locator("[data-demo]").first
    assert root.get_attribute("data-demo-state") == "idle"
    # Neither the editor nor Python comes with the page.
    assert [url for url in page_log.requests if "/editor-" in url] == []
    root.hover()
    root.locator("[data-demo-editor]").wait_for()
    page.wait_for_load_state("networkidle")
    assert [url for url in page_log.requests if "pyodide" in url] == []
    set_code(page, root, "print(1)")
    assert run(page, root) == "done"
    assert any("pyodide.asm.wasm" in url for url in page_log.requests)
    outside = [
        url for url in page_log.requests if not url.startswith((site_server.url, "data:", "blob:"))
    ]
    assert outside == []
    assert page_log.page_errors == []


def test_instant_navigation_then_run(page: Any, site_server: Any, demo_page: str) -> None:
    page.goto(site_server.url)
    page.wait_for_load_state("networkidle")
    page.evaluate("() => { window.__sameDocument = true }")
    link = page.locator(f"a[href$='{demo_page}']").first
    link.evaluate("a => a.click()")
    root = page.locator("[data-demo]").first
    root.locator("[data-demo-run]").wait_for(timeout=20_000)
    # The old window survived: Material swapped the page in place.
    assert page.evaluate("() => window.__sameDocument === true")
    root.hover()
    set_code(page, root, "print('after navigation')")
    assert run(page, root) == "done"
    assert transcript(root) == [{"stream": "stdout", "text": "after navigation\n"}]
    # Away and back again: the worker is kept, so this run needs no download.
    page.locator(f"a[href$='{site_server.url}'], a.md-header__button.md-logo").first.evaluate(
        "a => a.click()"
    )
    page.wait_for_function("() => !document.querySelector('[data-demo]')")
    page.locator(f"a[href$='{demo_page}']").first.evaluate("a => a.click()")
    root = page.locator("[data-demo]").first
    root.locator("[data-demo-run]").wait_for(timeout=20_000)
    assert page.evaluate("() => window.__sameDocument === true")
    root.hover()
    set_code(page, root, "print('warm')")
    started = time.monotonic()
    assert run(page, root, timeout=10_000) == "done"
    assert time.monotonic() - started < 3


class _IsolatedHandler(QuietHandler):
    """Adds the two headers that make a page cross-origin isolated."""

    def end_headers(self) -> None:
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()


@pytest.fixture(scope="module")
def isolated_site(built_site: Path) -> Iterator[str]:
    """The built site again, served cross-origin isolated (GitHub Pages is not)."""
    handler = functools.partial(_IsolatedHandler, directory=str(built_site))
    server = LocalServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_isolated_page_stops_softly_and_keeps_python(
    page: Any, page_log: Any, isolated_site: str, demo_page: str
) -> None:
    root = open_demo(page, isolated_site + demo_page)
    assert page.evaluate("() => crossOriginIsolated")
    set_code(page, root, "try:\n    while True:\n        pass\nfinally:\n    print('cleanup ran')")
    root.locator("[data-demo-run]").click()
    wait_state(page, root, "running")
    time.sleep(0.3)
    root.locator("[data-demo-stop]").click()
    wait_state(page, root, "stopped", timeout=5_000)
    # KeyboardInterrupt unwound the code, so its finally block ran.
    assert transcript(root) == [{"stream": "stdout", "text": "cleanup ran\n"}]
    set_code(page, root, "print('same interpreter')")
    assert run(page, root, timeout=10_000) == "done"
    # The interpreter survived: Pyodide was downloaded once, not again.
    assert len([url for url in page_log.requests if url.endswith("pyodide.asm.wasm")]) == 1


def test_isolated_stop_still_wins_over_code_that_swallows_the_interrupt(
    page: Any, page_log: Any, isolated_site: str, demo_page: str
) -> None:
    root = open_demo(page, isolated_site + demo_page)
    set_code(
        page,
        root,
        "while True:\n    try:\n        while True:\n            pass\n"
        "    except KeyboardInterrupt:\n        print('ignored', flush=True)",
    )
    root.locator("[data-demo-run]").click()
    wait_state(page, root, "running")
    time.sleep(0.3)
    root.locator("[data-demo-stop]").click()
    # The soft interrupt is caught and ignored; the worker is then replaced.
    wait_state(page, root, "stopped", timeout=10_000)
    set_code(page, root, "print(6 * 7)")
    assert run(page, root) == "done"
    assert transcript(root) == [{"stream": "stdout", "text": "42\n"}]
    # A fresh worker means a fresh interpreter: Pyodide was started twice.
    assert len([url for url in page_log.requests if url.endswith("pyodide.asm.wasm")]) == 2


def test_stop_while_loading_keeps_the_download(
    page: Any, page_log: Any, site_server: Any, demo_page: str
) -> None:
    root = open_demo(page, site_server.url + demo_page)
    set_code(page, root, "print('later')")
    root.locator("[data-demo-run]").click()
    wait_state(page, root, "loading")
    root.locator("[data-demo-stop]").click()
    wait_state(page, root, "stopped", timeout=5_000)
    assert transcript(root) == []
    assert run(page, root) == "done"
    assert transcript(root) == [{"stream": "stdout", "text": "later\n"}]
    # Python kept loading through the Stop: one download, not two.
    assert len([url for url in page_log.requests if url.endswith("pyodide.asm.wasm")]) == 1


def test_user_code_cannot_reach_other_origins_or_the_page(
    page: Any, page_log: Any, site_server: Any, demo_page: str
) -> None:
    root = open_demo(page, site_server.url + demo_page)
    set_code(
        page,
        root,
        "import js\n"
        "from pyodide.ffi import run_sync\n"
        "for url in ['https://example.com/', js.location.origin + '/aws-security-notes/sitemap.xml']:\n"
        "    try:\n"
        "        print('reached', url.startswith('https'), run_sync(js.fetch(url)).status)\n"
        "    except Exception as error:\n"
        "        print('refused', url.startswith('https'))\n"
        "print('document' in dir(js))\n",
    )
    assert run(page, root) == "done"
    text = "".join(entry.get("text", "") for entry in transcript(root))
    # The worker inherits the page's CSP: its own origin answers, no other does.
    assert "refused True" in text
    assert "reached False 200" in text
    # The code runs in a worker: there is no page to touch.
    assert text.rstrip().endswith("False")
    assert not [url for url in page_log.requests if "example.com" in url]
