"""Run a demo's code the way the browser worker does, reporting how it ended."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from typing import Any, Literal, TypedDict

from . import _sandbox
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
    """`run_demo` for the worker, then the interpreter rewound for the next run
    (see `_sandbox`): the outcome as JSON, so no proxy crosses over. `taint`
    lists what could not be rewound; the worker is then replaced."""
    outcome = await run_demo(source)
    # Rewind before serialising: the run may have replaced json.dumps itself.
    taint = _sandbox.restore()
    return json.dumps({**outcome, "taint": taint})


def run_demo_sync(source: str, filename: str = DEMO_FILENAME) -> Outcome:
    """`run_demo` for callers that are not async, on CPython (tests, tools).

    It runs on its own thread with its own event loop, so it works even where
    the caller's thread already runs one (Playwright's sync API does).
    Output still reaches `capture()`, which redirects the process-wide streams.
    """
    outcomes: list[Outcome] = []
    thread = threading.Thread(
        target=lambda: outcomes.append(asyncio.run(run_demo(source, filename))),
        name="livedemo-run",
    )
    thread.start()
    thread.join()
    return outcomes[0]
