"""Renders a checked demo as its widget HTML, from the Jinja template."""

from __future__ import annotations

from pathlib import Path

import jinja2

from .fence import DemoSpec

_TEMPLATES = Path(__file__).with_name("templates")
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(_TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=False,
)


def render_widget(spec: DemoSpec) -> str:
    """The widget's HTML; every value from the page is escaped by the template."""
    return _ENV.get_template("demo.html").render(spec=spec)
