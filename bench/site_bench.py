"""Site bench: build time and page weight, each against a plain Material build.

- Build time of the real site (hooks, demos, checks) against a plain Material
  build of the same docs without the hooks. Target: at most 1.5x.
- Bytes a demo page transfers before any Run, raw and gzip-compressed, against
  the same page from the plain build (no widgets). Target: +60 KB compressed.
"""

from __future__ import annotations

import gzip
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.harness import CHROMIUM_FLAGS, ROOT, SITE_PATH, build_site, chromium_path, serve

DEMO_PAGE = "encryption/envelope-encryption/"
ROUNDS = 3


def plain_config(directory: Path) -> Path:
    """mkdocs.yml without the hooks and the theme override: plain Material."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    # Hooks go; so do the watched folders, which are relative to mkdocs.yml.
    text = re.sub(r"(?m)^(?:hooks|watch):\n(?:  - .*\n)+", "", text)
    text = re.sub(r"(?m)^  custom_dir: .*\n", "", text)
    text = f"docs_dir: {ROOT / 'docs'}\n" + text
    path = directory / "plain-mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def median_build_seconds(dest: Path, config: Path | None) -> float:
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        build_site(dest, config=config, site_url=f"http://127.0.0.1{SITE_PATH}")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def page_weight(browser: Any, site: Path, page_path: str) -> tuple[int, int]:
    """(raw, gzip) bytes of every same-origin file the page loads before any click.

    Mermaid is left out: both builds load it on a page with a diagram, plain
    Material from a CDN (which a same-origin count would miss) and this site
    from itself, so counting it would compare apples with nothing.
    """
    with serve(site) as url:
        page = browser.new_page()
        seen: list[str] = []
        page.on("request", lambda request: seen.append(request.url))
        page.goto(url + page_path)
        page.wait_for_load_state("networkidle")
        page.close()
    raw = compressed = 0
    for address in dict.fromkeys(seen):
        path = urlsplit(address).path
        if not path.startswith(SITE_PATH) or "/mermaid" in path:
            continue
        file = site / path[len(SITE_PATH) :]
        if file.is_dir():
            file = file / "index.html"
        if file.is_file():
            body = file.read_bytes()
            raw += len(body)
            compressed += len(gzip.compress(body, compresslevel=6))
    return raw, compressed


def main() -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="site-bench-") as tmp:
        work = Path(tmp)
        plain = plain_config(work)
        full_site, plain_site = work / "full", work / "plain"
        build_site(full_site)  # warm the wheel and Mermaid caches
        full = median_build_seconds(full_site, None)
        bare = median_build_seconds(plain_site, plain)
        print(f"site build: {full:.2f} s with hooks vs {bare:.2f} s plain Material")
        print(f"  ratio {full / bare:.2f}x (target <= 1.5x)")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_FLAGS
            )
            demo_raw, demo_gz = page_weight(browser, full_site, DEMO_PAGE)
            bare_raw, bare_gz = page_weight(browser, plain_site, DEMO_PAGE)
            browser.close()
        print(f"bytes before any Run on {DEMO_PAGE} (Mermaid left out of both):")
        print(f"  with widgets {demo_raw / 1024:.1f} KiB raw, {demo_gz / 1024:.1f} KiB gzip")
        print(f"  without      {bare_raw / 1024:.1f} KiB raw, {bare_gz / 1024:.1f} KiB gzip")
        print(
            f"  extra {(demo_gz - bare_gz) / 1024:+.1f} KiB gzip, "
            f"ratio {demo_gz / bare_gz:.2f}x (target <= +60 KB compressed)"
        )


if __name__ == "__main__":
    main()
