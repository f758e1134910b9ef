"""axe-core on every page of the built site, in light and dark: as the page
loads, after the editor loads (a widget hovered), and after a run of the
page's first demo. Any violation of impact "serious" or "critical" fails,
named by page, state, rule and target.

axe-core is the npm package pinned in package.json (devDependencies), read
from node_modules and injected with Playwright.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from reader_view import SCHEMES, goto, new_page
from support import ROOT
from widget_driver import COLD_MS, ENDED

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("serious", "critical")

RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => n.target.join(" >> ")),
  }));
}"""


# Violations that are reported but not failed on, each named with where its
# fix goes; the test fails when one no longer occurs, so that its entry is
# removed. None are left: keep it that way.
# (rule id, substring of the target selector) -> where to fix it
KNOWN: dict[tuple[str, str], str] = {}


def _known(line: str) -> tuple[str, str] | None:
    for rule, target in KNOWN:
        if f": {rule} (" in line and target in line.split(" at ", 1)[1]:
            return (rule, target)
    return None


def _pages(site: Path) -> list[str]:
    pages = []
    for file in sorted(site.rglob("index.html")):
        path = file.parent.relative_to(site).as_posix()
        pages.append("" if path == "." else path + "/")
    return pages


def _axe(page: Any, where: str) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = []
    for violation in page.evaluate(RUN_AXE):
        if violation["impact"] in FAILING:
            for target in violation["targets"]:
                found.append(
                    f"{where}: {violation['id']} ({violation['impact']}) at {target}"
                    f" - {violation['help']}"
                )
    return found


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_nothing_serious_on_any_page(
    browser: Any, site_server: Any, built_site: Path, scheme: str
) -> None:
    assert AXE.is_file(), "npm install first: axe-core is a devDependency"
    pages = _pages(built_site)
    assert len(pages) > 10
    # The site's CSP (script-src 'self' plus hashes) blocks an inline script,
    # which is how axe is injected: bypass_csp is for this test only, and
    # the other browser tests keep the CSP.
    page = new_page(browser, scheme, bypass_csp=True)
    problems: list[str] = []
    ran = 0
    try:
        for path in pages:
            where = f"/{path} [{scheme}]"
            goto(page, site_server.url + path, scheme)
            problems += _axe(page, f"{where} as loaded")
            root = page.locator("[data-demo]").first
            if root.count() == 0:
                continue
            root.hover()
            root.locator("[data-demo-editor]").wait_for()
            page.wait_for_timeout(400)
            problems += _axe(page, f"{where} editor loaded")
            root.locator("[data-demo-run]").click()
            page.wait_for_function(ENDED, arg=root.element_handle(), timeout=COLD_MS)
            # Diagrams are drawn after the run ends.
            page.wait_for_function(
                """root => [...root.querySelectorAll('.demo-show__diagram')]
                     .every(d => d.shadowRoot || d.querySelector('.demo-show__error'))""",
                arg=root.element_handle(),
            )
            page.mouse.move(0, 0)
            # Material's hover colours and tooltips fade over 0.25 s: let them
            # settle, so that axe samples what the reader sees.
            page.wait_for_timeout(400)
            problems += _axe(page, f"{where} after a run ({root.get_attribute('data-demo-state')})")
            ran += 1
    finally:
        page.context.close()
    assert ran > 3, "too few pages with a demo"
    known = [line for line in problems if _known(line)]
    new = [line for line in problems if not _known(line)]
    print("\nknown, to fix elsewhere:\n" + "\n".join(known))
    assert new == [], f"{len(new)} serious or critical axe violations:\n" + "\n".join(new)
    gone = set(KNOWN) - {_known(line) for line in known}
    assert not gone, f"fixed now, remove from KNOWN: {sorted(gone)}"
