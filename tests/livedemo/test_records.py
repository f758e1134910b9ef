"""Display records: the JSON contract between Python and the page."""

from __future__ import annotations

import binascii
import json

import pytest
from livedemo import badge, mermaid, to_record


def test_table_columns_follow_the_first_rows_keys_in_order():
    record = to_record([{"b": 1, "a": "x"}, {"a": "y", "b": 2, "extra": 3}], title="T")
    assert record["kind"] == "table"
    assert record["title"] == "T"
    assert record["columns"] == ["b", "a"]
    assert [[cell["text"] for cell in row] for row in record["rows"]] == [["1", "x"], ["2", "y"]]


def test_a_missing_cell_is_none():
    record = to_record([{"a": 1, "b": 2}, {"a": 3}])
    assert record["rows"][1][1]["type"] == "none"


def test_cell_types_are_tagged():
    row = to_record(
        [
            {
                "s": "t",
                "i": 7,
                "f": 2.5,
                "b": True,
                "n": None,
                "x": b"\x00\xff",
                "g": badge("on", "ok"),
            }
        ]
    )["rows"][0]
    assert [cell["type"] for cell in row] == [
        "str",
        "number",
        "number",
        "bool",
        "none",
        "bytes",
        "badge",
    ]
    assert row[5]["length"] == 2
    assert row[5]["hex"] == "00ff"
    assert row[6] == {"type": "badge", "text": "on", "tone": "ok"}


def test_panel_keeps_key_order():
    record = to_record({"KeyId": "k-1", "Enabled": False})
    assert record["kind"] == "panel"
    assert [item["key"] for item in record["items"]] == ["KeyId", "Enabled"]
    assert record["items"][1]["value"]["text"] == "False"


def test_bytes_view_shows_a_prefix_and_the_full_length():
    data = bytes(range(256)) * 2
    record = to_record(data)
    assert record["kind"] == "bytes"
    assert record["length"] == 512
    # 64 bytes shown: four rows of sixteen.
    assert record["hex"] == binascii.hexlify(data[:64]).decode()


def test_text_badge_and_mermaid():
    assert to_record("hi") == {"title": None, "kind": "text", "text": "hi"}
    assert to_record(badge("public", "danger"))["tone"] == "danger"
    assert to_record(mermaid("graph LR\n a-->b"))["source"] == "graph LR\n a-->b"


def test_records_survive_a_json_round_trip():
    record = to_record([{"k": b"\x01", "v": badge("x")}], title="t")
    assert json.loads(json.dumps(record)) == record


def test_a_row_that_is_not_a_dict_is_named():
    with pytest.raises(TypeError, match="table row 2 is a str"):
        to_record([{"a": 1}, "oops"])


def test_a_bad_cell_is_named_by_row_and_column():
    with pytest.raises(TypeError, match=r"row 1, column 'a' is a object"):
        to_record([{"a": object()}])


def test_a_bad_value_is_refused_in_one_line():
    with pytest.raises(TypeError, match="cannot show a set") as info:
        to_record({1, 2})
    assert "\n" not in str(info.value)


def test_badge_tone_is_checked():
    with pytest.raises(ValueError, match="tone 'red'"):
        badge("x", "red")  # type: ignore[arg-type]


def test_title_must_be_text():
    with pytest.raises(TypeError, match="title must be a str"):
        to_record("x", title=3)  # type: ignore[arg-type]
