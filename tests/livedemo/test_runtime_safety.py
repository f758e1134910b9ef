"""The browser runtime never turns text into markup or code.

Python output reaches the page as data (see runtime/README.md); these checks
keep the sources free of the DOM and JS sinks that would parse it, so a
regression fails here, before any browser runs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SOURCES = sorted((Path(__file__).parents[2] / "runtime" / "src").glob("*.ts"))

# HTML sinks, and the ways JS code is made from strings (also refused by the
# site's CSP, which has no 'unsafe-eval').
SINKS = [
    r"\.innerHTML\b",
    r"\.outerHTML\b",
    r"\binsertAdjacentHTML\b",
    r"\bdocument\.write\b",
    r"\bcreateContextualFragment\b",
    r"\beval\(",
    r"\bnew Function\(",
    r"\bsetTimeout\(\s*[\"'`]",
]


def test_there_are_runtime_sources():
    assert {path.name for path in SOURCES} >= {"loader.ts", "widget.ts", "worker.ts", "render.ts"}


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: path.name)
def test_no_html_or_code_sinks(path: Path):
    text = path.read_text(encoding="utf-8")
    found = [sink for sink in SINKS if re.search(sink, text)]
    assert found == [], f"{path.name} uses {found}"


def test_svg_from_mermaid_is_parsed_as_xml():
    src = Path(__file__).parents[2] / "runtime" / "src"
    # svg-sanitize.ts parses Mermaid's SVG as XML (never as HTML) and cuts it
    # to plain SVG; mermaid.ts adopts the result into a shadow root.
    sanitize = (src / "svg-sanitize.ts").read_text("utf-8")
    assert re.search(r'parseFromString\(\w+, "image/svg\+xml"\)', sanitize)
    assert "text/html" not in sanitize
    mermaid = (src / "mermaid.ts").read_text("utf-8")
    assert "sanitizeSVG" in mermaid
    assert "attachShadow" in mermaid
