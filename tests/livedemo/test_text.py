"""The plain-text rendering CPython prints for show()."""

from __future__ import annotations

from livedemo import badge, mermaid, show, to_record
from livedemo import render_text as text


def test_table_columns_line_up():
    lines = text(to_record([{"name": "a", "n": 1}, {"name": "longer", "n": 22}])).splitlines()
    assert lines[0].split() == ["name", "n"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    # Every row starts its second column at the same offset as the header.
    starts = {line.index(value) for line, value in zip(lines[2:], ["1", "22"], strict=True)}
    assert starts == {lines[0].index(" n") + 1}


def test_panel_is_key_colon_value():
    assert text(to_record({"KeyId": "k-1", "Rotation": None})) == "KeyId: k-1\nRotation: —"


def test_bytes_as_hex_rows_with_length():
    rendered = text(to_record(bytes(range(20))))
    assert rendered.splitlines() == [
        "20 bytes",
        "  00000000  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f",
        "  00000010  10 11 12 13",
    ]


def test_long_bytes_say_how_many_more():
    assert text(to_record(b"\x00" * 100)).splitlines()[-1] == "  … 36 more bytes"


def test_title_is_underlined():
    assert text(to_record("body", title="Head")) == "Head\n----\nbody"


def test_badges_say_their_tone():
    assert text(to_record(badge("public", "danger"))) == "[danger: public]"
    assert text(to_record(badge("plain"))) == "[plain]"


def test_mermaid_source_is_indented():
    assert (
        text(to_record(mermaid("graph LR\nA-->B"))) == "mermaid diagram:\n    graph LR\n    A-->B"
    )


def test_show_prints_on_cpython(capsys):
    show({"a": 1})
    assert capsys.readouterr().out == "a: 1\n"
