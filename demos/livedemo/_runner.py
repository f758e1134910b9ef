"""Run a demo's code the way the browser worker does, reporting how it ended."""

from __future__ import annotations

import json
import sys
from typing import Any, Literal, TypedDict

from ._compat import run_code
from ._traceback import DEMO_FILENAME, format_demo_traceback

Status = Literal["ok", "error", "interrupted"]


class Outcome(TypedDict):
    status: Status
    traceback: str


async def run_demo(source: str, filename: str = DEMO_FILENAME) -> Outcome:
    """Run `source` in a fresh `__main__` namespace and report the outcome."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    try:
        await run_code(source, namespace, filename)
    except KeyboardInterrupt:
        return {"status": "interrupted", "traceback": ""}
    except SystemExit as exc:
        if exc.code in (None, 0):
            return {"status": "ok", "traceback": ""}
        return {"status": "error", "traceback": format_demo_traceback(exc, source, filename)}
    except BaseException as exc:  # the reader's code may raise anything
        return {"status": "error", "traceback": format_demo_traceback(exc, source, filename)}
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    return {"status": "ok", "traceback": ""}


async def run_demo_json(source: str) -> str:
    """`run_demo` for the worker: the outcome as JSON, so no proxy crosses over."""
    return json.dumps(await run_demo(source))
