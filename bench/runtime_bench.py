"""Demo runtime bench, all figures from one Chromium run.

(a) cold click-to-first-result of a demo, against bare loadPyodide() +
    runPython("1+1") in a module worker from the same files. Target <= 1.15x.
(b) the first Run on a second page reached by instant navigation. Target
    <= 150 ms; printed against (a) too.
(c) bytes before the first Run on a demo page, against the same page without
    widgets (see site_bench). Target <= +60 KB compressed.
(d) bytes of Pyodide (and the demo wheels) fetched for the first run, raw and
    gzip-compressed.
"""

from __future__ import annotations

import gzip
import json
import statistics
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.harness import (
    CHROMIUM_FLAGS,
    SITE_PATH,
    bind,
    build_site,
    chromium_path,
    serve,
    url_of,
)
from bench.workspace import add_pages, make_workspace

ROUNDS = 3

PAGE_A = """# Bench A

```demo title="First result"
print(1 + 1)
```

[Go to B](bench-b.md)
"""

PAGE_B = """# Bench B

```demo title="Second page"
print(2 + 2)
```
"""

BARE_WORKER = """
const started = performance.now();
const { loadPyodide } = await import(new URL("assets/vendor/pyodide/%(version)s/pyodide.mjs", self.location.href));
const pyodide = await loadPyodide({ indexURL: new URL("assets/vendor/pyodide/%(version)s/", self.location.href).href });
const result = pyodide.runPython("1+1");
postMessage({ result: String(result), ms: performance.now() - started });
"""

BARE_PAGE = """<!doctype html><meta charset="utf-8"><title>bare</title>
<script type="module" src="bench-bare.js"></script>"""

BARE_SCRIPT = """
window.benchBare = () => new Promise((resolve) => {
  const t0 = performance.now();
  const worker = new Worker("bench-bare-worker.mjs", { type: "module" });
  worker.onmessage = (event) => resolve({ ...event.data, total: performance.now() - t0 });
});
"""

# Click Run on the first widget and resolve when its output first has text.
CLICK_TO_FIRST_RESULT = """
(root) => new Promise((resolve) => {
  const output = root.querySelector("[data-demo-output]");
  const t0 = performance.now();
  const observer = new MutationObserver(() => {
    if (output.textContent.trim()) { observer.disconnect(); resolve(performance.now() - t0); }
  });
  observer.observe(output, { childList: true, subtree: true, characterData: true });
  root.querySelector("[data-demo-run]").click();
})
"""


def build_bench_site(work: Path, site_url: str) -> Path:
    workspace = make_workspace(work / "workspace")
    add_pages(workspace, {"bench-a.md": PAGE_A, "bench-b.md": PAGE_B})
    site = work / "site"
    build_site(site, site_url=site_url, cwd=workspace)
    config = json.loads((site / "assets/demos/runtime-config.json").read_text(encoding="utf-8"))
    version = config["pyodide"]["version"]
    (site / "bench-bare-worker.mjs").write_text(BARE_WORKER % {"version": version})
    (site / "bench-bare.html").write_text(BARE_PAGE)
    (site / "bench-bare.js").write_text(BARE_SCRIPT)
    return site


def sizes(site: Path, urls: list[str]) -> tuple[int, int]:
    raw = compressed = 0
    for url in dict.fromkeys(urls):
        path = urlsplit(url).path
        file = site / path[len(SITE_PATH) :]
        if path.startswith(SITE_PATH) and file.is_file():
            body = file.read_bytes()
            raw += len(body)
            compressed += len(gzip.compress(body, compresslevel=6))
    return raw, compressed


def measure(browser: Any, base: str, site: Path) -> dict[str, Any]:
    cold_bare, cold_demo, second_page = [], [], []
    first_run_bytes = (0, 0)
    for _ in range(ROUNDS):
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "bench-bare.html")
        page.wait_for_function("() => window.benchBare !== undefined")
        bare = page.evaluate("window.benchBare()")
        assert bare["result"] == "2", bare
        cold_bare.append(bare["total"])
        context.close()

        context = browser.new_context()
        page = context.new_page()
        seen: list[str] = []
        page.goto(base + "bench-a/")
        page.wait_for_load_state("networkidle")
        page.on("request", lambda request, seen=seen: seen.append(request.url))
        root = page.locator("[data-demo]").first
        root.wait_for()
        cold_demo.append(page.evaluate(CLICK_TO_FIRST_RESULT, root.element_handle()))
        page.wait_for_function(
            "() => document.querySelector('[data-demo]').dataset.demoState === 'done'"
        )
        first_run_bytes = sizes(site, [u for u in seen if "/assets/" in u])
        page.evaluate("window.__benchStillHere = true")
        page.locator("article a[href*='bench-b']").first.click()
        page.wait_for_function(
            "document.querySelector('article h1')?.textContent.includes('Bench B')"
        )
        assert page.evaluate("window.__benchStillHere === true"), (
            "instant navigation did a full load"
        )
        root = page.locator("[data-demo]").first
        root.wait_for()
        second_page.append(page.evaluate(CLICK_TO_FIRST_RESULT, root.element_handle()))
        context.close()
    return {
        "bare": statistics.median(cold_bare),
        "demo": statistics.median(cold_demo),
        "second": statistics.median(second_page),
        "first_run_bytes": first_run_bytes,
    }


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="runtime-bench-") as tmp:
        httpd = bind()
        site = build_bench_site(Path(tmp), url_of(httpd))
        with serve(site, httpd) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_FLAGS
            )
            result = measure(browser, base, site)
            browser.close()
    bare, demo, second = result["bare"], result["demo"], result["second"]
    raw, compressed = result["first_run_bytes"]
    print(
        f"(a) cold click-to-first-result: {demo:.0f} ms vs bare loadPyodide+runPython {bare:.0f} ms"
    )
    print(f"    ratio {demo / bare:.2f}x (target <= 1.15x), median of {ROUNDS}")
    print(f"(b) first Run after instant navigation: {second:.0f} ms (target <= 150 ms)")
    print(f"    ratio {second / bare:.3f}x of a bare cold start")
    print(f"(d) fetched for the first run: {raw / 1e6:.2f} MB raw, {compressed / 1e6:.2f} MB gzip")
    print("(c) bytes before the first Run: see the site bench (python -m bench.site_bench)")


if __name__ == "__main__":
    main()
