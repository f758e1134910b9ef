"""The widget as a reader sees it, in headless Chromium on the built site:
result tables fit (they scroll in their own box, with a cue, and keep their
headings whole), the toolbar has WCAG AA contrast in both palettes (disabled
buttons at least 3:1) and stays on one line on a phone, and each widget has
one copy button, with no code block's icon over its text.

Screenshots of result tables go to reader_view.OUTPUT (test-output/).
"""

from __future__ import annotations

import re
from typing import Any

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

KMS = "encryption/kms/"  # CLI examples in code blocks with a copy button

ARN = (
    "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/shop-web/50dc6c495c0c9188"
)
TABLES = (
    "from livedemo import show\n"
    "rows = [{'severity': 'Medium', 'finding type': 'RecognizedPortWithListener',\n"
    "         'reachability': 'Internet', 'port': 'tcp 22 (SSH)',\n"
    "         'instance': 'i-0a11000000000001 / eni-0a11000000000001',\n"
    f"         'via': '{ARN}', 'security group': 'sg-0a11000000000001'}}] * 3\n"
    "show(rows, title='Findings')\n"
    "show([], title='No findings on any instance')\n"
)


TABLE_GEOMETRY = """(scroll) => {
  const table = scroll.querySelector("table");
  const cells = [...table.querySelectorAll("td")].map((td) => td.getBoundingClientRect().width);
  const caption = table.querySelector("caption");
  const line = parseFloat(getComputedStyle(caption).lineHeight);
  return {
    scrollWidth: scroll.scrollWidth, clientWidth: scroll.clientWidth,
    overflowX: getComputedStyle(scroll).overflowX,
    background: getComputedStyle(scroll).backgroundImage,
    focusable: scroll.tabIndex >= 0,
    right: scroll.getBoundingClientRect().right,
    headHeights: [...table.querySelectorAll("th")].map((th) => th.getBoundingClientRect().height),
    line, widest: Math.max(...cells, 0), captionHeight: caption.getBoundingClientRect().height,
    em: parseFloat(getComputedStyle(table).fontSize),
  };
}"""


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_result_tables_scroll_in_their_box_with_a_cue_and_keep_headings_whole(
    browser: Any, site_server: Any, demo_page: str, width: int, scheme: str
) -> None:
    page = new_page(browser, scheme, width=width)
    try:
        root = open_in_scheme(page, site_server.url + demo_page, scheme)
        set_code(page, root, TABLES)
        assert run(page, root) == "done"
        scrolls = root.locator(".demo-show__scroll")
        assert scrolls.count() == 2
        screenshot(scrolls.first, f"result-table-{width}-{scheme}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width

        wide = scrolls.first.evaluate(TABLE_GEOMETRY)
        # Wider than its box: it scrolls there (reachable by keyboard), and a
        # cue shows that there is more to the side.
        assert wide["scrollWidth"] > wide["clientWidth"]
        assert wide["overflowX"] in ("auto", "scroll")
        assert wide["focusable"]
        assert "gradient" in wide["background"]
        assert wide["right"] <= width
        # Every heading on one line; a long id wraps within a column of at most
        # about 30 characters instead of stretching it.
        assert max(wide["headHeights"]) < 1.6 * wide["line"], wide["headHeights"]
        assert wide["widest"] < 26 * wide["em"], wide["widest"]
        # All columns can be reached: scrolled to the end, the last heading shows.
        scrolls.first.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
        last = scrolls.first.locator("th").last.bounding_box()
        box = scrolls.first.bounding_box()
        assert last["x"] + last["width"] <= box["x"] + box["width"] + 1

        # An empty table keeps its title on one line, not one word per line.
        empty = scrolls.nth(1).evaluate(TABLE_GEOMETRY)
        assert empty["captionHeight"] < 1.6 * empty["line"], empty["captionHeight"]
    finally:
        page.context.close()


BUTTONS = """(root) => {
  // The backgrounds behind an element, innermost first, up to the first opaque one.
  const behind = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor;
      layers.push(bg);
      if (bg.startsWith("rgb(")) return layers;
    }
    layers.push("rgb(255, 255, 255)");  // the canvas
    return layers;
  };
  return [...root.querySelectorAll(".demo__toolbar button")].map((b) => ({
    name: b.textContent.trim(), disabled: b.disabled,
    color: getComputedStyle(b).color, border: getComputedStyle(b).borderTopColor,
    opacity: parseFloat(getComputedStyle(b).opacity),
    layers: behind(b), top: Math.round(b.getBoundingClientRect().top),
    right: b.getBoundingClientRect().right,
  }));
}"""


def _seen(layers: list[str]) -> tuple[float, float, float, float]:
    """Composite the background layers (innermost first) over the last, opaque one."""
    colours = [parse_color(layer) for layer in layers]
    result = colours[-1]
    assert result[3] == 1, f"no opaque background behind: {layers}"
    for colour in reversed(colours[:-1]):
        result = over(colour, result)
    return result


@pytest.mark.parametrize("scheme", SCHEMES)
def test_toolbar_has_contrast_fits_a_phone_and_one_copy_button(
    browser: Any, site_server: Any, demo_page: str, scheme: str
) -> None:
    problems = []
    for width in (1280, 375):
        page = new_page(browser, scheme, width=width)
        try:
            goto(page, site_server.url + demo_page, scheme)
            root = page.locator("[data-demo]").first
            page.mouse.move(0, 0)
            buttons = root.evaluate(BUTTONS)
            assert [b["name"] for b in buttons][:5] == ["Run", "Stop", "Reset", "Copy", "Share"]
            assert any(b["disabled"] for b in buttons), "Stop starts disabled"
            for button in buttons:
                # What shows behind the button, and the button faded by its opacity.
                own, *rest = button["layers"]
                background = _seen(rest) if rest else parse_color(own)
                faded = button["opacity"]
                fill = parse_color(own)
                face = over((*fill[:3], fill[3] * faded), background)
                ink = parse_color(button["color"])
                text = contrast(over((*ink[:3], ink[3] * faded), face), face)
                need = 3.0 if button["disabled"] else 4.5
                if text < need:
                    problems.append(f"{width}px {button['name']}: text {text:.2f}:1 < {need}")
                if not button["disabled"] and button["name"] != "Run":
                    line = parse_color(button["border"])
                    edge = contrast(over((*line[:3], line[3] * faded), background), background)
                    if edge < 3:
                        problems.append(f"{width}px {button['name']}: outline {edge:.2f}:1")
            if width == 375:
                assert len({b["top"] for b in buttons}) == 1, f"toolbar wraps: {buttons}"
                assert max(b["right"] for b in buttons) <= 375
            # One copy button per widget: the widget's own, no Material icon.
            for widget in page.locator("[data-demo]").all():
                assert widget.locator("[data-demo-copy]").count() == 1
                assert widget.locator(".md-code__button, .md-clipboard").count() == 0
        finally:
            page.context.close()
    assert problems == []


OVERLAPS = """() => {
  const hits = [];
  for (const nav of document.querySelectorAll(".md-typeset .md-code__nav")) {
    const code = nav.parentElement.querySelector("code");
    if (!code) continue;
    const icon = nav.getBoundingClientRect();
    const box = code.getBoundingClientRect();
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        // Only text the reader can see: inside the code's own scroll box.
        const left = Math.max(r.left, box.left), right = Math.min(r.right, box.right);
        if (right <= left) continue;
        if (left < icon.right && right > icon.left && r.top < icon.bottom && r.bottom > icon.top) {
          hits.push(code.textContent.slice(0, 40));
        }
      }
    }
  }
  return hits;
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_code_block_copy_icon_is_never_over_the_text(
    browser: Any, site_server: Any, width: int
) -> None:
    page = new_page(browser, "default", width=width)
    try:
        goto(page, site_server.url + KMS)
        navs = page.locator(".md-typeset .md-code__nav")
        assert navs.count() > 0, "no code block with a copy button on the KMS page"
        assert page.evaluate(OVERLAPS) == []
    finally:
        page.context.close()


ENVELOPE = "encryption/envelope-encryption/"  # demos long enough to scroll in their box
_SCROLLBARS = """(root) => {
  const boxes = [root.querySelector("[data-demo-source]"), root.querySelector("[data-demo-output]")];
  return {
    page: getComputedStyle(document.body).backgroundColor,
    colors: boxes.map((box) => getComputedStyle(box).scrollbarColor),
    scrolls: root.querySelector("[data-demo-source]").scrollHeight
      > root.querySelector("[data-demo-source]").clientHeight,
  };
}"""


def test_widget_scrollbars_paint_no_light_track_on_the_dark_palette(
    browser: Any, site_server: Any
) -> None:
    # Left to the engine, Firefox draws a light track and corner beside a
    # capped code box on the dark page (seen in its screenshots).
    page = new_page(browser, "slate")
    try:
        goto(page, site_server.url + ENVELOPE, "slate")
        roots = page.locator("[data-demo]")
        seen = [roots.nth(i).evaluate(_SCROLLBARS) for i in range(roots.count())]
        assert any(box["scrolls"] for box in seen), "no demo's code scrolls in its box"
        background = parse_color(seen[0]["page"])
        for box in seen:
            for value in box["colors"]:
                assert value != "auto", "the engine's own scrollbar colours"
                thumb, track = re.findall(r"rgba?\([^)]*\)|color\([^)]*\)", value)
                assert parse_color(track)[3] == 0, f"a painted track: {value}"
                # The thumb is still seen on the dark page.
                assert contrast(over(parse_color(thumb), background), background) >= 1.5, value
    finally:
        page.context.close()
