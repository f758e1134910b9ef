"""Tracebacks trimmed to the demo's own lines."""

from __future__ import annotations

import asyncio
import json

import pytest
from livedemo import capture, format_demo_traceback, run_demo, run_demo_sync

SOURCE = "import json\n\ndef parse(text):\n    return json.loads(text)\n\nparse('{')\n"


def raised(source: str) -> BaseException:
    try:
        exec(compile(source, "<demo>", "exec"), {"__name__": "__main__"})
    except BaseException as exc:
        return exc
    raise AssertionError("the source did not raise")


def test_only_demo_frames_remain_with_their_lines():
    exc = raised(SOURCE)
    lines = format_demo_traceback(exc, SOURCE).splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert lines[1:5] == [
        '  File "<demo>", line 6, in <module>',
        "    parse('{')",
        '  File "<demo>", line 4, in parse',
        "    return json.loads(text)",
    ]
    # The json module's own frames are gone; the exception line stays.
    assert not any("json/" in line or "decoder.py" in line for line in lines)
    assert lines[-1].startswith("json.decoder.JSONDecodeError: ")
    # What CPython's json says for an unterminated object, independently.
    with pytest.raises(json.JSONDecodeError) as direct:
        json.loads("{")
    assert lines[-1].endswith(str(direct.value))


def test_syntax_error_points_at_the_line():
    source = "x = 1\ny = (\n"
    with pytest.raises(SyntaxError) as info:
        compile(source, "<demo>", "exec")
    text = format_demo_traceback(info.value, source)
    assert 'File "<demo>", line 2' in text
    assert text.splitlines()[-1].startswith("SyntaxError: ")


def test_run_demo_reports_each_ending():
    assert asyncio.run(run_demo("x = 1"))["status"] == "ok"
    assert asyncio.run(run_demo("raise SystemExit(0)"))["status"] == "ok"
    assert asyncio.run(run_demo("raise KeyboardInterrupt"))["status"] == "interrupted"
    failed = asyncio.run(run_demo("1 / 0"))
    assert failed["status"] == "error"
    assert failed["traceback"].splitlines()[-1] == "ZeroDivisionError: division by zero"


def test_run_demo_allows_top_level_await_and_prints():
    with capture() as events:
        outcome = asyncio.run(run_demo("import asyncio\nawait asyncio.sleep(0)\nprint(__name__)"))
    assert outcome["status"] == "ok"
    assert events == [{"stream": "stdout", "text": "__main__\n"}]


def test_run_demo_sync_works_inside_a_running_event_loop():
    async def caller():
        # As under Playwright's sync API: a loop is already running here.
        with capture() as events:
            outcome = run_demo_sync("import asyncio\nawait asyncio.sleep(0)\nprint(2 ** 10)")
        return outcome, events

    outcome, events = asyncio.run(caller())
    assert outcome == {"status": "ok", "traceback": ""}
    assert events == [{"stream": "stdout", "text": "1024\n"}]


def test_recursion_is_folded_as_cpython_folds_it():
    # CPython prints a repeated frame three times, then
    # "[Previous line repeated N more times]" (traceback._RECURSIVE_CUTOFF).
    source = "def f(n):\n    return f(n + 1)\n\nf(0)\n"
    exc = raised(source)
    lines = format_demo_traceback(exc, source).splitlines()
    assert lines[1:3] == ['  File "<demo>", line 4, in <module>', "    f(0)"]
    assert lines[3:9] == ['  File "<demo>", line 2, in f', "    return f(n + 1)"] * 3
    assert lines[9].startswith("  [Previous line repeated ")
    assert lines[9].endswith(" more times]")
    assert lines[10].startswith("RecursionError")
    assert len(lines) == 11


def test_a_frame_seen_twice_in_a_row_is_not_folded():
    source = "def f(n):\n    return f(n - 1) if n else 1 / 0\n\nf(1)\n"
    lines = format_demo_traceback(raised(source), source).splitlines()
    assert lines.count('  File "<demo>", line 2, in f') == 2
    assert not any("repeated" in line for line in lines)
