"""Every demo on the site runs to `done` in Chromium, and shows what CPython shows.

The expected output is not written down anywhere: it is what the same code
prints and shows when CPython runs it here, through livedemo.capture().
"""

from __future__ import annotations

import asyncio
import html
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from livedemo import capture, run_demo
from widget_driver import settle

pytestmark = pytest.mark.browser

_WIDGET = re.compile(
    r'<div class="demo" data-demo [^>]*data-demo-id="(?P<id>[0-9a-f]+)".*?'
    r'<pre class="demo__source[^"]*" data-demo-source><code>(?P<code>.*?)</code></pre>',
    re.S,
)


@dataclass(frozen=True)
class SiteDemo:
    page: str  # URL path below the site root, e.g. encryption/kms/
    demo_id: str
    code: str


def site_demos(site: Path) -> list[SiteDemo]:
    demos = []
    for file in sorted(site.rglob("index.html")):
        text = file.read_text(encoding="utf-8")
        page = file.parent.relative_to(site).as_posix()
        page = "" if page == "." else page + "/"
        for match in _WIDGET.finditer(text):
            # The code is highlighted into spans; the reader's text is what is left.
            code = html.unescape(re.sub(r"<[^>]+>", "", match["code"]))
            demos.append(SiteDemo(page, match["id"], code))
    return demos


def merged(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive text of one stream as one entry, as both sides may split it."""
    out: list[dict[str, Any]] = []
    for event in events:
        if "stream" in event and out and out[-1].get("stream") == event["stream"]:
            out[-1] = {"stream": event["stream"], "text": out[-1]["text"] + event["text"]}
        else:
            out.append(dict(event))
    return [e for e in out if not ("stream" in e and e["text"] == "")]


def cpython_transcript(code: str, workdir: Path) -> tuple[str, list[dict[str, Any]]]:
    import os

    previous = Path.cwd()
    os.chdir(workdir)
    try:
        # Playwright's sync API owns this thread's event loop: run beside it.
        with capture() as events, ThreadPoolExecutor(1) as pool:
            outcome = pool.submit(asyncio.run, run_demo(code)).result()
    finally:
        os.chdir(previous)
    return outcome["status"], merged(events)


def test_the_site_has_demos_on_the_hands_on_pages(built_site: Path) -> None:
    pages = {demo.page for demo in site_demos(built_site)}
    assert "encryption/envelope-encryption/" in pages
    assert "detection/network-reachability/" in pages


def test_every_demo_runs_and_matches_cpython(
    page: Any, page_log: Any, site_server: Any, built_site: Path, tmp_path: Path
) -> None:
    demos = site_demos(built_site)
    assert demos
    by_page: dict[str, list[SiteDemo]] = {}
    for demo in demos:
        by_page.setdefault(demo.page, []).append(demo)
    for page_path, page_demos in by_page.items():
        page.goto(site_server.url + page_path)
        settle(page)  # a click during the first visit's isolation reload is lost
        for demo in page_demos:
            status, expected = cpython_transcript(demo.code, tmp_path)
            assert status == "ok", f"{page_path} demo {demo.demo_id} fails in CPython"
            root = page.locator(f"[data-demo][data-demo-id='{demo.demo_id}']").first
            root.locator("[data-demo-run]").click()
            page.wait_for_function(
                "el => ['done', 'error', 'stopped'].includes(el.dataset.demoState)",
                arg=root.element_handle(),
                timeout=180_000,
            )
            state = root.get_attribute("data-demo-state")
            transcript = merged(root.evaluate("el => el.demoTranscript"))
            assert state == "done", f"{page_path} demo {demo.demo_id}: {transcript}"
            assert transcript == expected, f"{page_path} demo {demo.demo_id}"
    outside = [
        url for url in page_log.requests if not url.startswith((site_server.url, "data:", "blob:"))
    ]
    assert outside == []
