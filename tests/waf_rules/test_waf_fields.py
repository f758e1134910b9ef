"""Each FieldToMatch, from https://docs.aws.amazon.com/waf/latest/APIReference/API_FieldToMatch.html
and https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-fields-list.html."""

from __future__ import annotations

import json

from waf_build import byte_match, one, record  # type: ignore[import-not-found]


def test_uri_path_and_query_string():
    assert one(byte_match("/a/b", {"UriPath": {}}, "EXACTLY"), record(uri="/a/b", args="x=1"))
    # QueryString: "the part of a URL that appears after a ? character"
    assert one(byte_match("x=1&y=2", {"QueryString": {}}, "EXACTLY"), record(args="x=1&y=2"))


def test_single_query_argument_name_is_not_case_sensitive():
    # API_SingleQueryArgument: "The name ... isn't case sensitive."
    st = byte_match("admin", {"SingleQueryArgument": {"Name": "UserName"}}, "EXACTLY")
    assert one(st, record(args="a=1&username=admin"))
    assert not one(st, record(args="user=admin"))


def test_all_query_arguments_inspects_every_value():
    st = byte_match("evil", {"AllQueryArguments": {}}, "EXACTLY")
    assert one(st, record(args="a=1&b=evil"))
    assert not one(st, record(args="evil=1"))  # names are not values


def test_single_header_name_is_not_case_sensitive():
    # API_SingleHeader: "The name of the query header to inspect." (header names are case-insensitive)
    st = byte_match("bot", {"SingleHeader": {"Name": "USER-AGENT"}})
    assert one(st, record(headers=[("user-agent", "badbot/1")]))
    assert not one(st, record(headers=[("Referer", "bot")]))


def test_headers_match_pattern_and_scope():
    # API_Headers: MatchPattern All, IncludedHeaders or ExcludedHeaders; MatchScope
    # KEY, VALUE or ALL ("a match to be found in the keys or the values or both").
    hdrs = [("X-Secret", "s3cr3t"), ("Accept", "*/*")]

    def st(pattern, scope, s):
        return byte_match(
            s,
            {
                "Headers": {
                    "MatchPattern": pattern,
                    "MatchScope": scope,
                    "OversizeHandling": "CONTINUE",
                }
            },
            "EXACTLY",
        )

    assert one(st({"All": {}}, "VALUE", "s3cr3t"), record(headers=hdrs))
    assert not one(st({"All": {}}, "KEY", "s3cr3t"), record(headers=hdrs))
    assert one(st({"All": {}}, "KEY", "X-Secret"), record(headers=hdrs))
    assert one(st({"All": {}}, "ALL", "X-Secret"), record(headers=hdrs))
    assert one(st({"All": {}}, "ALL", "s3cr3t"), record(headers=hdrs))
    assert not one(st({"ExcludedHeaders": ["x-secret"]}, "VALUE", "s3cr3t"), record(headers=hdrs))
    assert one(st({"IncludedHeaders": ["x-secret"]}, "VALUE", "s3cr3t"), record(headers=hdrs))


def test_cookies_match_pattern():
    # API_Cookies: MatchPattern All, IncludedCookies or ExcludedCookies
    hdrs = [("Cookie", "session=abc; role=admin")]

    def st(pattern, scope, s):
        return byte_match(
            s,
            {
                "Cookies": {
                    "MatchPattern": pattern,
                    "MatchScope": scope,
                    "OversizeHandling": "CONTINUE",
                }
            },
            "EXACTLY",
        )

    assert one(st({"IncludedCookies": ["role"]}, "VALUE", "admin"), record(headers=hdrs))
    assert not one(st({"ExcludedCookies": ["role"]}, "VALUE", "admin"), record(headers=hdrs))
    assert one(st({"All": {}}, "KEY", "session"), record(headers=hdrs))


def test_method():
    assert one(byte_match("DELETE", {"Method": {}}, "EXACTLY"), record(method="DELETE"))
    assert not one(byte_match("DELETE", {"Method": {}}, "EXACTLY"), record(method="GET"))


def test_body_and_its_oversize_handling():
    # API_Body: for an ALB the limit is fixed at 8 KB (8,192 bytes); CONTINUE inspects
    # what is within the limit, MATCH and NO_MATCH decide without inspecting.
    big = "a" * 8192 + "EVIL"

    def st(handling):
        return byte_match("EVIL", {"Body": {"OversizeHandling": handling}})

    assert one(st("CONTINUE"), record(body="xx EVIL"))
    assert not one(st("CONTINUE"), record(body=big))
    assert one(st("MATCH"), record(body="a" * 9000))
    assert not one(st("NO_MATCH"), record(body="EVIL" + "a" * 9000))
    # CloudFront's default limit is 16 KB (16,384 bytes)
    assert one(st("CONTINUE"), record(body=big), resource_type="CLOUDFRONT")


def test_cloudfront_limit_follows_the_association_config():
    # web-acl-setting-body-inspection-limit.html: 16, 32, 48 or 64 KB
    from waf_build import rule, web_acl
    from waf_rules import evaluate

    acl = web_acl(rule("b", 0, byte_match("EVIL", {"Body": {"OversizeHandling": "CONTINUE"}})))
    acl["WebACL"]["AssociationConfig"] = {
        "RequestBody": {"CLOUDFRONT": {"DefaultSizeInspectionLimit": "KB_32"}}
    }
    body = "a" * 20000 + "EVIL"
    assert evaluate(acl, [record(body=body)], resource_type="CLOUDFRONT")[0].action == "BLOCK"
    assert evaluate(acl, [record(body=body)], resource_type="ALB")[0].action == "ALLOW"


def test_json_body_keys_values_and_included_paths():
    # API_JsonBody: MatchPattern All or IncludedPaths (JSON pointers); MatchScope KEY, VALUE, ALL
    body = json.dumps({"user": {"name": "alice", "role": "admin"}, "tags": ["x"]})

    def st(pattern, scope, s, **kw):
        return byte_match(
            s,
            {
                "JsonBody": {
                    "MatchPattern": pattern,
                    "MatchScope": scope,
                    "OversizeHandling": "CONTINUE",
                    **kw,
                }
            },
            "EXACTLY",
        )

    assert one(st({"All": {}}, "VALUE", "admin"), record(body=body))
    assert not one(st({"All": {}}, "KEY", "admin"), record(body=body))
    assert one(st({"All": {}}, "KEY", "role"), record(body=body))
    assert one(st({"IncludedPaths": ["/user/role"]}, "VALUE", "admin"), record(body=body))
    assert not one(st({"IncludedPaths": ["/user/name"]}, "VALUE", "admin"), record(body=body))


def test_json_body_invalid_fallback():
    # InvalidFallbackBehavior: MATCH, NO_MATCH or EVALUATE_AS_STRING
    def st(fallback):
        return byte_match(
            "oops",
            {
                "JsonBody": {
                    "MatchPattern": {"All": {}},
                    "MatchScope": "VALUE",
                    "OversizeHandling": "CONTINUE",
                    "InvalidFallbackBehavior": fallback,
                }
            },
        )

    assert one(st("MATCH"), record(body="{not json"))
    assert not one(st("NO_MATCH"), record(body="{oops"))
    assert one(st("EVALUATE_AS_STRING"), record(body="{oops"))
