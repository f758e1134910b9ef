"""Reading a web ACL, its resources and WAF log records; bad input is one
WafInputError naming the JSON path or file:line.
Web ACL shape: https://docs.aws.amazon.com/waf/latest/APIReference/API_GetWebACL.html
SearchString is a blob (base64 in the CLI): https://docs.aws.amazon.com/waf/latest/APIReference/API_ByteMatchStatement.html
Log records: https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html
"""

from __future__ import annotations

import gzip
import json

import pytest
from waf_build import byte_match, ip_set, record, rule, web_acl  # type: ignore[import-not-found]
from waf_rules import WafInputError, evaluate, read_requests


def test_get_web_acl_output_and_the_bare_web_acl_are_both_read():
    acl = web_acl(rule("b", 0, byte_match("/x", constraint="EXACTLY")))
    bare = web_acl(rule("b", 0, byte_match("/x", constraint="EXACTLY")), wrap=False)
    for doc in (acl, bare):
        assert [r.action for r in evaluate(doc, [record(uri="/x"), record(uri="/y")])] == [
            "BLOCK",
            "ALLOW",
        ]


def test_search_string_is_base64_decoded_by_default():
    st = {
        "ByteMatchStatement": {
            "SearchString": "dGVzdA==",
            "FieldToMatch": {"UriPath": {}},
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
            "PositionalConstraint": "CONTAINS",
        }
    }
    assert evaluate(web_acl(rule("b", 0, st)), [record(uri="/test")])[0].action == "BLOCK"


def test_a_short_word_is_valid_base64_so_text_mode_is_explicit():
    # "test" decodes as base64 (to b'\xb5\xeb-'); only --search-strings text reads it as text.
    st = {
        "ByteMatchStatement": {
            "SearchString": "test",
            "FieldToMatch": {"UriPath": {}},
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
            "PositionalConstraint": "CONTAINS",
        }
    }
    acl = web_acl(rule("b", 0, st))
    assert evaluate(acl, [record(uri="/test")])[0].action == "ALLOW"
    assert evaluate(acl, [record(uri="/test")], search_strings="text")[0].action == "BLOCK"


def test_a_search_string_that_is_not_base64_names_its_path():
    st = {
        "ByteMatchStatement": {
            "SearchString": "/admin",
            "FieldToMatch": {"UriPath": {}},
            "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
            "PositionalConstraint": "CONTAINS",
        }
    }
    with pytest.raises(WafInputError) as exc:
        evaluate(web_acl(rule("b", 0, st)), [])
    assert exc.value.where.endswith("WebACL.Rules[0].Statement.ByteMatchStatement.SearchString")
    assert "--search-strings text" in str(exc.value)


def test_resources_are_matched_by_arn_and_a_missing_one_is_bad_input():
    s = ip_set("blocked", ["192.0.2.0/24"])
    acl = web_acl(rule("ip", 0, {"IPSetReferenceStatement": {"ARN": s["IPSet"]["ARN"]}}))
    assert evaluate(acl, [record(ip="192.0.2.9")], [s])[0].action == "BLOCK"
    with pytest.raises(WafInputError) as exc:
        evaluate(acl, [record()])
    assert exc.value.where.endswith("WebACL.Rules[0].Statement.IPSetReferenceStatement.ARN")


def test_a_bad_cidr_in_an_ip_set_names_its_path():
    s = ip_set("bad", ["192.0.2.0/33"])
    with pytest.raises(WafInputError, match=r"IPSet\.Addresses\[0\]"):
        evaluate(web_acl(), [], [s])


def test_unknown_enum_names_the_path():
    bad = byte_match("/x", constraint="SOMEWHERE")
    with pytest.raises(
        WafInputError, match=r"Rules\[0\]\.Statement\.ByteMatchStatement\.PositionalConstraint"
    ):
        evaluate(web_acl(rule("b", 0, bad)), [])


RECS = [record(uri="/a"), record(uri="/b", body="x=1")]


def _uris(raw):
    return [r.uri for r in read_requests(raw, "log")]


def test_log_as_json_lines_array_and_gzip():
    lines = "".join(json.dumps(r) + "\n" for r in RECS).encode()
    assert _uris(lines) == ["/a", "/b"]
    assert _uris(json.dumps(RECS).encode()) == ["/a", "/b"]
    assert _uris(gzip.compress(lines)) == ["/a", "/b"]
    # records back to back on one line (as a Firehose delivery may concatenate them)
    assert _uris("".join(json.dumps(r) for r in RECS).encode()) == ["/a", "/b"]


def test_a_bare_http_request_and_filter_log_events_output():
    bare = dict(RECS[0]["httpRequest"], timestamp=5)
    got = read_requests(json.dumps(bare, indent=2).encode(), "log")
    assert [(r.uri, r.timestamp) for r in got] == [("/a", 5)]
    events = {"events": [{"message": json.dumps(r)} for r in RECS]}
    assert _uris(json.dumps(events).encode()) == ["/a", "/b"]


def test_the_body_extension_is_read():
    got = read_requests(json.dumps(RECS).encode(), "log")
    assert (got[0].body, got[1].body) == (None, "x=1")


def test_a_bad_record_names_file_and_line():
    text = json.dumps(RECS[0]) + "\n" + '{"httpRequest": {"clientIp": 5}}\n'
    with pytest.raises(WafInputError) as exc:
        read_requests(text.encode(), "waf.log")
    assert str(exc.value).startswith("waf.log:2: httpRequest.clientIp")
    with pytest.raises(WafInputError, match=r"^waf\.log:2: invalid JSON"):
        read_requests((json.dumps(RECS[0]) + "\n{nope\n").encode(), "waf.log")
