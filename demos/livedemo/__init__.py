"""livedemo: the display API of the site's live demos, for CPython and Pyodide.

`show()` prints plain text on CPython and sends a data record to the page in
the browser. `capture()` records both kinds of output in order, for tests.
"""

from ._records import to_record
from ._runner import Outcome, run_demo, run_demo_sync
from ._show import show
from ._sink import capture
from ._text import render_text
from ._traceback import DEMO_FILENAME, format_demo_traceback
from ._values import TONES, Badge, Mermaid, Tone, badge, mermaid

__all__ = [
    "DEMO_FILENAME",
    "TONES",
    "Badge",
    "Mermaid",
    "Outcome",
    "Tone",
    "badge",
    "capture",
    "format_demo_traceback",
    "mermaid",
    "render_text",
    "run_demo",
    "run_demo_sync",
    "show",
    "to_record",
]
