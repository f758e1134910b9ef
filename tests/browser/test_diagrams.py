"""Diagrams as a reader sees them, in headless Chromium on the built site:
Mermaid from demo code creates no HTML and fetches nothing; page and demo
diagrams follow the light and dark palettes with enough contrast; on a phone
their labels stay legible, a wide one scrolls in its box and opens full screen.

Screenshots of each go to reader_view.OUTPUT (test-output/), to look at.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from reader_view import (
    SCHEMES,
    contrast,
    goto,
    new_page,
    open_in_scheme,
    over,
    parse_color,
    screenshot,
)
from widget_driver import run, set_code

pytestmark = pytest.mark.browser

PAGE_DIAGRAM = "encryption/kms/"  # a ```mermaid fence, drawn by Material
REACHABILITY = "detection/network-reachability/"  # its first demo draws a path

# Records every <img> that enters the document or any shadow root, and opens
# every shadow root (Material attaches its diagrams' roots closed) so that the
# test can read what is inside. Test-only: the page's own code is unchanged.
WATCH = """
(() => {
  const seen = [];
  window.__imgSeen = seen;
  const note = (node) => {
    if (!(node instanceof Element)) return;
    if (node.localName === "img") seen.push(node.outerHTML);
    for (const img of node.querySelectorAll("img")) seen.push(img.outerHTML);
  };
  const watch = (root) => new MutationObserver((records) => {
    for (const record of records) record.addedNodes.forEach(note);
  }).observe(root, { childList: true, subtree: true });
  watch(document);
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const shadow = attach.call(this, { ...init, mode: "open" });
    watch(shadow);
    return shadow;
  };
})();
"""

COUNT_IMGS = """() => {
  let count = 0;
  const walk = (root) => {
    for (const el of root.querySelectorAll("*")) {
      if (el.localName === "img") count++;
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return count;
}"""

# The colours a reader sees in one drawn flowchart (its shadow root).
COLOURS = """(host) => {
  const root = host.shadowRoot;
  const css = (el, prop) => getComputedStyle(el).getPropertyValue(prop);
  const textOf = (el) => {
    // The innermost element holding text: SVG <text>/<tspan> (fill) or an
    // HTML label in a foreignObject (color).
    const leaves = [...el.querySelectorAll("tspan, text, span, p, div")].filter(
      (n) => n.textContent.trim() && ![...n.children].some((c) => c.textContent.trim()));
    return leaves.map((n) => n instanceof SVGElement ? css(n, "fill") : css(n, "color"));
  };
  const nodes = [...root.querySelectorAll(".node")].map((node) => {
    const shape = node.querySelector("rect, polygon, circle, ellipse, path");
    return { label: node.textContent.trim(), fill: css(shape, "fill"),
             stroke: css(shape, "stroke"), text: textOf(node) };
  });
  const edges = [...root.querySelectorAll(".flowchart-link")].map((p) => css(p, "stroke"));
  const arrows = [...root.querySelectorAll("marker path")].map((p) => css(p, "fill"));
  const labels = [...root.querySelectorAll(".edgeLabel")]
    .filter((l) => l.textContent.trim()).flatMap(textOf);
  return { nodes, edges, arrows, labels, page: getComputedStyle(document.body).backgroundColor };
}"""

DRAWN = """(el) => !!(el.shadowRoot && el.shadowRoot.querySelector("svg .node"))
  || !!el.querySelector(".demo-show__error")"""

FLOWCHART = (
    "from livedemo import mermaid, show\n"
    "show(mermaid('flowchart LR\\n  key[Data key] -->|wraps| data[Your data]\\n"
    "  data -.- port[tcp 443]'))\n"
)


def _drawn(page: Any, figure: Any) -> None:
    page.wait_for_function(DRAWN, arg=figure.element_handle(), timeout=60_000)
    assert figure.locator(".demo-show__error").count() == 0, figure.inner_text()


def test_demo_mermaid_creates_no_html_and_fetches_nothing(
    browser: Any, site_server: Any, demo_page: str
) -> None:
    page = new_page(browser, "default")
    page.add_init_script(WATCH)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        root = open_in_scheme(page, site_server.url + demo_page)
        before = page.evaluate(COUNT_IMGS)
        page.evaluate("window.__imgSeen.length = 0")
        set_code(
            page,
            root,
            "import livedemo\n"
            "livedemo.show(livedemo.mermaid("
            "'flowchart LR\\n a[\"<img src=x onerror=alert(1)>\"] --> b'))\n",
        )
        assert run(page, root) == "done"
        figure = root.locator(".demo-show__diagram")
        page.wait_for_function(DRAWN, arg=figure.element_handle(), timeout=60_000)
        page.wait_for_timeout(500)  # a late load or insertion would show now

        assert page.evaluate("window.__imgSeen") == []
        assert page.evaluate(COUNT_IMGS) == before
        assert [url for url in requests if urlsplit(url).path.endswith("/x")] == []
        _drawn(page, figure)
        # The label is still there, as text.
        labels = figure.evaluate(
            "el => [...el.shadowRoot.querySelectorAll('.node')].map(n => n.textContent.trim())"
        )
        assert len(labels) == 2
        assert "img src=" in labels[0]
        assert labels[1] == "b"
        assert figure.evaluate("el => el.shadowRoot.querySelector('foreignObject')") is None
    finally:
        page.context.close()


def _check_palette(colours: dict[str, Any], where: str) -> list[str]:
    """Every failure of 4.5:1 for text, 3:1 for lines, in one diagram."""
    page = parse_color(colours["page"])
    problems = []
    assert colours["nodes"], f"{where}: no nodes drawn"
    assert colours["edges"], f"{where}: no edges drawn"
    for node in colours["nodes"]:
        fill = over(parse_color(node["fill"]), page)
        border = contrast(over(parse_color(node["stroke"]), page), page)
        if border < 3:
            problems.append(f"{where}: border of {node['label']!r} {border:.2f}:1")
        assert node["text"], f"{where}: {node['label']!r} has no text"
        for text in node["text"]:
            ratio = contrast(over(parse_color(text), fill), fill)
            if ratio < 4.5:
                problems.append(f"{where}: text of {node['label']!r} {ratio:.2f}:1")
    for kind in ("edges", "arrows"):
        for line in colours[kind]:
            ratio = contrast(over(parse_color(line), page), page)
            if ratio < 3:
                problems.append(f"{where}: {kind} {ratio:.2f}:1")
    for text in colours["labels"]:
        ratio = contrast(over(parse_color(text), page), page)
        if ratio < 4.5:
            problems.append(f"{where}: edge label {ratio:.2f}:1")
    return problems


@pytest.mark.parametrize("scheme", SCHEMES)
def test_diagrams_follow_the_palette(
    browser: Any, site_server: Any, demo_page: str, scheme: str
) -> None:
    page = new_page(browser, scheme)
    page.add_init_script(WATCH)
    try:
        goto(page, site_server.url + PAGE_DIAGRAM, scheme)
        host = page.locator("div.mermaid").first
        page.wait_for_function(DRAWN, arg=host.element_handle(), timeout=60_000)
        problems = _check_palette(host.evaluate(COLOURS), f"page diagram ({scheme})")
        host.scroll_into_view_if_needed()
        screenshot(host.locator("xpath=.."), f"page-diagram-1280-{scheme}")

        root = open_in_scheme(page, site_server.url + demo_page, scheme)
        set_code(page, root, FLOWCHART)
        assert run(page, root) == "done"
        figure = root.locator(".demo-show__diagram")
        _drawn(page, figure)
        problems += _check_palette(figure.evaluate(COLOURS), f"demo diagram ({scheme})")
        figure.scroll_into_view_if_needed()
        screenshot(figure.locator("xpath=.."), f"demo-diagram-1280-{scheme}")

        # A palette toggle restyles a diagram already drawn.
        other = "default" if scheme == "slate" else "slate"
        page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{other}')")
        problems += _check_palette(figure.evaluate(COLOURS), f"demo diagram ({other}, toggled)")
        assert problems == []
    finally:
        page.context.close()


LABEL_SIZES = """(host) => {
  const svg = host.shadowRoot.querySelector("svg");
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const labels = [...host.shadowRoot.querySelectorAll(".nodeLabel, .edgeLabel, text")]
    .filter((el) => el.textContent.trim());
  return labels.map((el) => parseFloat(getComputedStyle(el).fontSize) * scale);
}"""


def _legible_and_zooms(page: Any, host: Any, where: str) -> None:
    sizes = host.evaluate(LABEL_SIZES)
    assert sizes, f"{where}: no labels"
    assert min(sizes) >= 11, f"{where}: labels {min(sizes):.1f} px on screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, where
    box = host.bounding_box()
    assert box["x"] >= 0, where
    assert box["x"] + box["width"] <= 375, where

    wrapper = host.locator("xpath=..")
    toggle = wrapper.locator(":scope > button")
    assert toggle.get_attribute("aria-label"), where
    toggle.click()
    assert wrapper.get_attribute("data-diagram-fullscreen") is not None, where
    full = wrapper.bounding_box()
    assert (full["x"], full["y"], full["width"]) == (0, 0, 375), where
    assert full["height"] == page.viewport_size["height"], where
    page.keyboard.press("Escape")
    assert wrapper.get_attribute("data-diagram-fullscreen") is None, where
    # A tap on the diagram itself opens it too.
    host.click()
    assert wrapper.get_attribute("data-diagram-fullscreen") is not None, where
    toggle.click()
    assert wrapper.get_attribute("data-diagram-fullscreen") is None, where


@pytest.mark.parametrize("scheme", SCHEMES)
def test_diagrams_on_a_phone_are_legible_scroll_and_open_full_screen(
    browser: Any, site_server: Any, scheme: str
) -> None:
    page = new_page(browser, scheme, width=375, height=812)
    page.add_init_script(WATCH)
    try:
        goto(page, site_server.url + PAGE_DIAGRAM, scheme)
        host = page.locator("div.mermaid").first
        page.wait_for_function(DRAWN, arg=host.element_handle(), timeout=60_000)
        host.scroll_into_view_if_needed()
        screenshot(host.locator("xpath=.."), f"page-diagram-375-{scheme}")
        _legible_and_zooms(page, host, "page diagram")

        # The reachability page's own demo: its path reads left to right.
        goto(page, site_server.url + REACHABILITY, scheme)
        root = page.locator("[data-demo]").first
        assert run(page, root) == "done"
        figure = root.locator(".demo-show__diagram")
        _drawn(page, figure)
        width, height = figure.evaluate(
            "el => { const b = el.shadowRoot.querySelector('svg').viewBox.baseVal;"
            " return [b.width, b.height]; }"
        )
        assert width > 2 * height, f"the path is drawn {width:.0f} x {height:.0f}"
        figure.scroll_into_view_if_needed()
        screenshot(figure.locator("xpath=.."), f"demo-diagram-375-{scheme}")
        _legible_and_zooms(page, figure, "demo diagram")
    finally:
        page.context.close()


# Notes, the moment the widget says it has ended, whether its diagram is
# drawn and how tall its output is.
_AT_END = """(root) => {
  window.__atEnd = null;
  new MutationObserver(() => {
    if (window.__atEnd || root.dataset.demoState !== "done") return;
    const figure = root.querySelector(".demo-show__diagram");
    window.__atEnd = {
      drawn: Boolean(figure && figure.shadowRoot && figure.shadowRoot.querySelector("svg")),
      height: root.querySelector("[data-demo-output]").getBoundingClientRect().height,
    };
  }).observe(root, {attributeFilter: ["data-demo-state"]});
}"""


def test_a_run_ends_with_its_diagram_drawn_so_nothing_moves_after(
    browser: Any, site_server: Any, demo_page: str
) -> None:
    # A diagram that arrived after "done" pushed the next demo's Run button
    # down between a pointer's press and release, and the click was lost.
    page = new_page(browser, "default")
    try:
        root = open_in_scheme(page, site_server.url + demo_page)
        set_code(
            page,
            root,
            "import livedemo\n"
            "livedemo.show(livedemo.mermaid('flowchart TB\\n a --> b\\n b --> c\\n c --> d'))\n",
        )
        root.evaluate(_AT_END)
        assert run(page, root) == "done"
        at_end = page.evaluate("window.__atEnd")
        assert at_end is not None
        assert at_end["drawn"], "the widget said done before its diagram was drawn"
        page.wait_for_timeout(1000)
        height = root.locator("[data-demo-output]").bounding_box()["height"]
        assert abs(height - at_end["height"]) <= 1
    finally:
        page.context.close()
