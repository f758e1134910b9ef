"""Renders a checked demo as its widget HTML, from the Jinja template."""

from __future__ import annotations

from pathlib import Path

import jinja2
from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from .fence import DemoSpec

_TEMPLATES = Path(__file__).with_name("templates")
_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(_TEMPLATES),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=False,
)
# Spans only: the template's <pre class="highlight"> takes Material's colours,
# so the code reads highlighted before (or without) the editor.
_FORMATTER = HtmlFormatter(nowrap=True)


def highlighted(code: str) -> Markup:
    """The code as Pygments spans; Pygments escapes every character of it."""
    return Markup(highlight(code, PythonLexer(), _FORMATTER).rstrip("\n"))


def render_widget(spec: DemoSpec) -> str:
    """The widget's HTML; every value from the page is escaped."""
    return _ENV.get_template("demo.html").render(spec=spec, code=highlighted(spec.code))
