"""Short tracebacks that point at the reader's own lines."""

from __future__ import annotations

import traceback

DEMO_FILENAME = "<demo>"
# As CPython's own tracebacks do: a frame repeated more than this many times
# in a row (recursion) is shown this often, then counted.
REPEAT_CUTOFF = 3


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
        # Runs of the same frame (recursion) as (frame, how many in a row).
        runs: list[tuple[traceback.FrameSummary, int]] = []
        for frame in frames:
            last = runs[-1][0] if runs else None
            if last is not None and (last.lineno, last.name) == (frame.lineno, frame.name):
                runs[-1] = (last, runs[-1][1] + 1)
            else:
                runs.append((frame, 1))
        for frame, count in runs:
            number = frame.lineno or 0
            # The demo is not a file, so linecache has no text for it: take the
            # line from the source that ran.
            text = lines[number - 1].strip() if 0 < number <= len(lines) else ""
            for _ in range(min(count, REPEAT_CUTOFF)):
                out.append(f'  File "{filename}", line {frame.lineno}, in {frame.name}')
                if text:
                    out.append(f"    {text}")
            if count > REPEAT_CUTOFF:
                extra = count - REPEAT_CUTOFF
                plural = "s" if extra > 1 else ""
                out.append(f"  [Previous line repeated {extra} more time{plural}]")
    out.extend(part.rstrip("\n") for part in traceback.format_exception_only(type(exc), exc))
    return "\n".join(out)
