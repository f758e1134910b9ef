"""The one place that touches Pyodide; CPython never imports `js` or `pyodide`."""

from __future__ import annotations

import ast
import inspect
import sys
from typing import Any

IN_PYODIDE = sys.platform == "emscripten"

if IN_PYODIDE:
    import js
    from pyodide.code import eval_code_async

# The browser runtime's worker installs this function on globalThis; it takes
# one display record as a JSON string (a string, so no proxy outlives the call).
DISPLAY_HOOK = "__livedemo_display"


def send_display(payload: str) -> bool:
    """Hand a JSON record to the page; False where no page is listening."""
    if not IN_PYODIDE:
        return False
    hook = getattr(js, DISPLAY_HOOK, None)
    if hook is None:
        return False
    hook(payload)
    return True


async def run_code(source: str, namespace: dict[str, Any], filename: str) -> None:
    """Run `source` as a script in `namespace`, allowing top-level await."""
    if IN_PYODIDE:
        # Pyodide's own runner keeps JSPI's stack switching available, so
        # `pyodide.ffi.run_sync` works inside the demo where the engine has it.
        await eval_code_async(source, namespace, filename=filename, return_mode="none")
        return
    code = compile(source, filename, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(code, namespace)
    if inspect.isawaitable(result):
        await result
