"""capture(): the CPython side of the page's transcript."""

from __future__ import annotations

import sys

from livedemo import capture, show


def test_order_of_prints_and_shows_is_kept():
    with capture() as events:
        print("one")
        print("two")
        show("three")
        print("four", end="")
    assert events == [
        {"stream": "stdout", "text": "one\ntwo\n"},
        {"display": {"title": None, "kind": "text", "text": "three"}},
        {"stream": "stdout", "text": "four"},
    ]


def test_stderr_is_its_own_stream():
    with capture() as events:
        print("out")
        print("err", file=sys.stderr)
    assert events == [{"stream": "stdout", "text": "out\n"}, {"stream": "stderr", "text": "err\n"}]


def test_nothing_is_printed_while_capturing(capsys):
    with capture():
        show("hidden")
        print("hidden too")
    assert capsys.readouterr().out == ""


def test_capture_ends_cleanly(capsys):
    with capture():
        pass
    show("shown")
    assert capsys.readouterr().out == "shown\n"
