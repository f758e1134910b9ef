"""Fuzz the page's side of the worker boundary: whatever arrives from the
worker (a message) or from demo code (a display record), the page's checks
never throw, keep only documented shapes, and render nothing but plain
elements. The TypeScript runs in Node + jsdom (boundary_harness.mjs); every
record Python's own `livedemo.to_record` makes must be accepted as it is.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from livedemo import badge, to_record

ROOT = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).with_name("boundary_harness.mjs")

# runtime/README.md, "Message union": the types the page may act on.
MESSAGE_TYPES = {
    "progress", "ready", "accepted", "started", "output", "full",
    "done", "error", "interrupted", "fatal",
}  # fmt: skip
RECORD_KINDS = ["text", "badge", "mermaid", "bytes", "panel", "table"]
CELL_TYPES = ["str", "number", "bool", "none", "bytes", "badge"]
# What renderRecord may create (runtime/src/render.ts builds only these).
ALLOWED_TAGS = {
    "div", "p", "span", "table", "caption", "thead", "tbody", "tr", "th", "td",
    "dl", "dt", "dd", "pre", "code",
}  # fmt: skip


class Harness:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            ["node", str(HARNESS), str(ROOT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )

    def ask(self, kind: str, value: Any) -> Any:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps({"kind": kind, "value": value}) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        assert answer["ok"], f"{kind} {value!r} threw: {answer['error']}"
        return answer["result"]

    def close(self) -> None:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    running = Harness()
    yield running
    running.close()


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
hostile_text = st.sampled_from(
    ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "</td><a href=x>", "&amp;"]
) | st.text(max_size=20)


def near(keys: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects that are almost right: the given fields, each maybe replaced or missing."""
    fields = {key: value | json_values for key, value in keys.items()}
    return st.fixed_dictionaries({}, optional=fields)


messages = json_values | st.builds(
    lambda base, extra: {**extra, **base},
    near(
        {
            "type": st.sampled_from(sorted(MESSAGE_TYPES)),
            "id": st.integers(0, 10),
            "taint": st.lists(st.text(max_size=5), max_size=2),
            "items": st.lists(
                st.fixed_dictionaries(
                    {"stream": st.sampled_from(["stdout", "stderr"]), "text": hostile_text}
                ),
                max_size=3,
            ),
            "traceback": st.text(max_size=20),
            "stage": st.sampled_from(["download", "start", "packages"]),
        }
    ),
    st.dictionaries(st.text(max_size=6), json_values, max_size=3),
)

cells = near(
    {
        "type": st.sampled_from(CELL_TYPES),
        "text": hostile_text,
        "tone": st.sampled_from(["neutral", "ok", "info", "warn", "danger", "evil"]),
        "hex": st.binary(max_size=4).map(bytes.hex),
        "length": st.integers(-2, 10),
    }
)
records = json_values | near(
    {
        "kind": st.sampled_from(RECORD_KINDS),
        "title": st.none() | hostile_text,
        "text": hostile_text,
        "tone": st.sampled_from(["ok", "danger", "nope"]),
        "source": hostile_text,
        "hex": st.binary(max_size=8).map(bytes.hex),
        "length": st.integers(-1, 100),
        "items": st.lists(st.fixed_dictionaries({"key": hostile_text, "value": cells}), max_size=3),
        "columns": st.lists(hostile_text, min_size=1, max_size=3),
        "rows": st.lists(st.lists(cells, min_size=1, max_size=3), max_size=3),
    }
)


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(message=messages)
def test_worker_messages_are_kept_only_in_their_documented_shape(
    harness: Harness, message: Any
) -> None:
    result = harness.ask("message", message)
    if result is None:
        return
    assert result["type"] in MESSAGE_TYPES
    assert isinstance(result["id"], int)
    # What was kept is a fixed point, and holds nothing that was not sent.
    assert harness.ask("message", result) == result
    for key, value in result.items():
        assert message[key] == value or key == "items"


@FUZZ
@given(record=records)
def test_records_render_as_plain_elements_or_are_refused(harness: Harness, record: Any) -> None:
    result = harness.ask("record", record)
    if "problem" in result:
        assert result["problem"].startswith("record")
        assert "\n" not in result["problem"]
        return
    parser = Tags()
    parser.feed(result["html"])
    assert parser.tags <= ALLOWED_TAGS
    assert not {name for name in parser.attributes if name.startswith("on")}
    assert "href" not in parser.attributes
    assert "src" not in parser.attributes


# A cell: str, int, float, bool, None, bytes or a badge (livedemo._records.cell).
python_values = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=10)
    | st.binary(max_size=20)
    | st.builds(badge, st.text(max_size=5))
)
# What show() accepts: str, bytes, a dict, a list of dicts, a badge.
showable = (
    st.text(max_size=20)
    | st.binary(max_size=100)
    | st.builds(
        badge, st.text(max_size=5), st.sampled_from(["neutral", "ok", "info", "warn", "danger"])
    )
    | st.dictionaries(st.text(min_size=1, max_size=6), python_values, min_size=1, max_size=4)
    | st.lists(
        st.fixed_dictionaries(
            {
                "name": st.text(max_size=6),
                "size": st.integers(),
                "state": st.builds(badge, st.text(max_size=5)),
            }
        ),
        min_size=1,
        max_size=4,
    )
)


@FUZZ
@given(value=showable, title=st.none() | st.text(max_size=10))
def test_every_record_python_makes_is_accepted(harness: Harness, value: Any, title: Any) -> None:
    record = json.loads(json.dumps(to_record(value, title)))
    result = harness.ask("record", record)
    assert "problem" not in result, result
    assert result["record"] == record
