"""What a reader sees, for the browser tests: Material's colour scheme set as
the reader's toggle stores it, WCAG contrast ratios of computed colours, and
the folder where screenshots go as artefacts."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from support import ROOT, SITE_PATH

SCHEMES = ("default", "slate")
# Material keeps the reader's palette choice in localStorage under the site's
# path: "<path>.__palette" = {index, color: {media, scheme, primary, accent}}.
# The index is the toggle's position in mkdocs.yml (0: follow the system).
_PALETTE_INDEX = {"default": 1, "slate": 2}

# Screenshots for people to look at (not golden images); ignored by git.
OUTPUT = Path(os.environ.get("TEST_OUTPUT", ROOT / "test-output"))


def new_page(
    browser: Any, scheme: str, width: int = 1280, height: int = 900, **options: Any
) -> Any:
    """A page in a fresh context whose stored palette is `scheme`."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    palette = {
        "index": _PALETTE_INDEX[scheme],
        "color": {"media": "", "scheme": scheme, "primary": "indigo", "accent": "deep-orange"},
    }
    key = f"{SITE_PATH}.__palette"
    context.add_init_script(
        f"localStorage.setItem({json.dumps(key)}, {json.dumps(json.dumps(palette))})"
    )
    return context.new_page()


def goto(page: Any, url: str, scheme: str | None = None) -> None:
    """Open `url` and wait until the page is settled in `scheme`."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if scheme is not None:
        page.wait_for_function(
            "scheme => document.body.dataset.mdColorScheme === scheme", arg=scheme
        )


def open_in_scheme(page: Any, url: str, scheme: str | None = None) -> Any:
    """The first demo of `url` in `scheme`, with its editor loaded."""
    goto(page, url, scheme)
    root = page.locator("[data-demo]").first
    root.hover()
    root.locator("[data-demo-editor]").wait_for()
    return root


def screenshot(target: Any, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.png"
    target.screenshot(path=str(path))
    return path


_RGB = re.compile(r"rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)")

RGBA = tuple[float, float, float, float]


def parse_color(text: str) -> RGBA:
    """A CSS computed colour (rgb()/rgba(), or `color(srgb r g b / a)`) as 0..1 floats."""
    match = _RGB.fullmatch(text.strip())
    if match:
        r, g, b = (float(match[i]) / 255 for i in (1, 2, 3))
        alpha = match[4]
    else:
        srgb = re.fullmatch(
            r"color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)(?: / ([\d.]+%?))?\)", text.strip()
        )
        if srgb is None:
            raise ValueError(f"not a colour: {text!r}")
        r, g, b = (float(srgb[i]) for i in (1, 2, 3))
        alpha = srgb[4]
    if alpha is None:
        a = 1.0
    elif alpha.endswith("%"):
        a = float(alpha[:-1]) / 100
    else:
        a = float(alpha)
    return (r, g, b, a)


def over(top: RGBA, bottom: RGBA) -> RGBA:
    """`top` composited over an opaque `bottom`."""
    a = top[3]
    return (
        top[0] * a + bottom[0] * (1 - a),
        top[1] * a + bottom[1] * (1 - a),
        top[2] * a + bottom[2] * (1 - a),
        1.0,
    )


def _luminance(color: RGBA) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in color[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGBA, b: RGBA) -> float:
    """The WCAG 2 contrast ratio of two opaque colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
