"""Short tracebacks that point at the reader's own lines."""

from __future__ import annotations

import traceback

DEMO_FILENAME = "<demo>"


def format_demo_traceback(exc: BaseException, source: str, filename: str = DEMO_FILENAME) -> str:
    """The traceback of `exc` with only the demo's frames, each with its source line.

    Frames of the runtime, of Pyodide and of the demo packages are dropped: the
    reader can change only their own code, so that is where the trace points.
    """
    lines = source.splitlines()
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    out: list[str] = []
    if frames:
        out.append("Traceback (most recent call last):")
        for frame in frames:
            out.append(f'  File "{filename}", line {frame.lineno}, in {frame.name}')
            number = frame.lineno or 0
            # The demo is not a file, so linecache has no text for it: take the
            # line from the source that ran.
            text = lines[number - 1].strip() if 0 < number <= len(lines) else ""
            if text:
                out.append(f"    {text}")
    out.extend(part.rstrip("\n") for part in traceback.format_exception_only(type(exc), exc))
    return "\n".join(out)
