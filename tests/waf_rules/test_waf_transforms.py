"""Each text transformation type, from "Using text transformations in AWS WAF":
https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-transformation.html
(valid types: https://docs.aws.amazon.com/waf/latest/APIReference/API_TextTransformation.html)."""

from __future__ import annotations

import hashlib

import pytest
from waf_build import byte_match, one, record  # type: ignore[import-not-found]
from waf_rules import TRANSFORMS, apply
from waf_rules.transforms import to_bytes

# The 21 types of the API reference's valid values plus UPPERCASE, as the issue lists them.
DOCUMENTED = {
    "NONE", "LOWERCASE", "UPPERCASE", "URL_DECODE", "URL_DECODE_UNI", "HTML_ENTITY_DECODE",
    "COMPRESS_WHITE_SPACE", "CMD_LINE", "BASE64_DECODE", "BASE64_DECODE_EXT", "HEX_DECODE",
    "JS_DECODE", "CSS_DECODE", "ESCAPE_SEQ_DECODE", "SQL_HEX_DECODE", "MD5", "REMOVE_NULLS",
    "NORMALIZE_PATH", "NORMALIZE_PATH_WIN", "REPLACE_NULLS", "REPLACE_COMMENTS", "UTF8_TO_UNICODE",
}  # fmt: skip


def test_every_documented_type_is_implemented():
    assert set(TRANSFORMS) == DOCUMENTED


@pytest.mark.parametrize(
    ("types", "value", "expected"),
    [
        (["NONE"], "AbC", "AbC"),
        (["LOWERCASE"], "SeLeCT", "select"),
        (["UPPERCASE"], "select", "SELECT"),
        (["URL_DECODE"], "%3Cscript%3E", "<script>"),
        (["URL_DECODE_UNI"], "%u003cscript%u003e", "<script>"),
        (["URL_DECODE_UNI"], "%3C", "<"),
        # "If the code is in the full-width ASCII code range of FF01-FF5E, the higher byte
        # is used to detect and adjust the lower byte. Otherwise, only the lower byte is used"
        (["URL_DECODE_UNI"], "%uFF1Cscript", "<script"),
        (["URL_DECODE_UNI"], "%u0141", "A"),
        # "Replaces (ampersand)quot; with ", (ampersand)nbsp; with a non-breaking
        # space, (ampersand)lt; with <, (ampersand)gt; with >, &#xhhhh; and &#nnnn;"
        (["HTML_ENTITY_DECODE"], "&lt;b&gt; &quot;x&quot; &#x41;&#66;", '<b> "x" AB'),
        (["HTML_ENTITY_DECODE"], "a&nbsp;b", "a\xa0b"),
        (
            ["REPLACE_COMMENTS"],
            "a/**//**/b",
            "a  b",
        ),  # "Multiple consecutive occurrences are not compressed"
        (
            ["REPLACE_COMMENTS"],
            "a */ b",
            "a */ b",
        ),  # "a standalone termination ... is not acted upon"
        # \f \t \n \r \v and NBSP become spaces, runs of spaces become one
        (["COMPRESS_WHITE_SPACE"], "a\t\n  b\xa0\x0bc", "a b c"),
        # CMD_LINE: delete \ " ' ^, delete spaces before / and (, , and ; to a
        # space, collapse spaces, lowercase
        (["CMD_LINE"], 'C^at "/ETC/passwd"', "cat/etc/passwd"),
        (["CMD_LINE"], "ls ;id,whoami  (x)", "ls id whoami(x)"),
        (["BASE64_DECODE"], "PHNjcmlwdD4=", "<script>"),
        # the forgiving one ignores characters that aren't valid
        (["BASE64_DECODE_EXT"], "PHNj.cmlw*dD4=", "<script>"),
        (["HEX_DECODE"], "3c7363726970743e", "<script>"),
        (["JS_DECODE"], r"\u003cscript\x3e", "<script>"),
        # JS_DECODE: a full-width \uFF1C (U+FF01-FF5E) uses the higher byte to adjust the lower
        (["JS_DECODE"], r"\uff1cscript", "<script"),
        (["CSS_DECODE"], r"\3c script\3e", "<script>"),
        (["CSS_DECODE"], r"ja\vascript", "javascript"),
        (["ESCAPE_SEQ_DECODE"], r"a\tb\x41\101", "a\tbAA"),
        # "Example (0x414243) will be decoded to (ABC)."
        (["SQL_HEX_DECODE"], "SELECT 0x414243", "SELECT ABC"),
        (["REMOVE_NULLS"], "sel\x00ect", "select"),
        (["REPLACE_NULLS"], "a\x00b", "a b"),
        # "/* ... */" becomes one space, an unterminated comment at the end too
        (["REPLACE_COMMENTS"], "UNION/**/SELECT/*x", "UNION SELECT "),
        (["REPLACE_COMMENTS"], "a -- b # c", "a -- b # c"),
        # multiple slashes, self-references and back-references not at the beginning
        (["NORMALIZE_PATH"], "/a//b/./c/../d", "/a/b/d"),
        (["NORMALIZE_PATH"], "../a", "../a"),
        (["NORMALIZE_PATH_WIN"], "\\a\\.\\b\\..\\c", "/a/c"),
        (["UTF8_TO_UNICODE"], "é", "%u00e9"),
        # in the order given (Priority order)
        (["URL_DECODE", "LOWERCASE"], "%3CSCRIPT%3E", "<script>"),
        (["LOWERCASE", "URL_DECODE"], "%3C", "<"),
    ],
)
def test_transformation(types, value, expected):
    assert apply(value, types) == expected


def test_md5_is_the_raw_digest():
    assert to_bytes(apply("abc", ["MD5"])) == hashlib.md5(b"abc").digest()


def test_transformations_run_by_priority_not_list_order():
    # "AWS WAF processes all transformations, from lowest priority to highest"
    # (API_TextTransformation). Lowercase after decode, given in reverse order.
    transforms = [{"Priority": 5, "Type": "LOWERCASE"}, {"Priority": 1, "Type": "URL_DECODE"}]
    st = byte_match("<script>", {"QueryString": {}}, "CONTAINS", transforms)
    assert one(st, record(args="q=%3CSCRIPT%3E"))
    assert not one(byte_match("<script>", {"QueryString": {}}), record(args="q=%3CSCRIPT%3E"))
