"""Where display records go: a capture, the browser page, or plain text on stdout."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from typing import Any

from . import _compat
from ._text import render_text

Record = dict[str, Any]
Event = dict[str, Any]

_captures: list[Callable[[Record], None]] = []


def emit(record: Record) -> None:
    """Deliver one display record, keeping its order with printed text."""
    if _captures:
        _captures[-1](record)
        return
    # Text printed before the record must reach the page before it.
    sys.stdout.flush()
    sys.stderr.flush()
    if _compat.send_display(json.dumps(record)):
        return
    print(render_text(record))


class _Recorder(io.TextIOBase):
    def __init__(self, events: list[Event], stream: str) -> None:
        self._events = events
        self._stream = stream

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            _append_text(self._events, self._stream, text)
        return len(text)


def _append_text(events: list[Event], stream: str, text: str) -> None:
    last = events[-1] if events else None
    if last is not None and last.get("stream") == stream:
        last["text"] += text
    else:
        events.append({"stream": stream, "text": text})


@contextmanager
def capture() -> Iterator[list[Event]]:
    """Record what a block prints and shows, as the page's transcript does.

    Yields the list that fills in order with `{"stream": "stdout"|"stderr",
    "text": ...}` (consecutive text of one stream merged) and
    `{"display": record}`.
    """
    events: list[Event] = []
    _captures.append(lambda record: events.append({"display": record}))
    try:
        with (
            redirect_stdout(_Recorder(events, "stdout")),
            redirect_stderr(_Recorder(events, "stderr")),
        ):
            yield events
    finally:
        _captures.pop()
