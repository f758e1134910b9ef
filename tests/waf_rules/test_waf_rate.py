"""Rate-based rules, from
https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html and
https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
"""

from __future__ import annotations

import pytest
from waf_build import byte_match, record, rule, web_acl  # type: ignore[import-not-found]
from waf_rules import WafInputError, evaluate

T0 = 1_700_000_000_000


def _rate(limit=10, window=60, key="IP", **extra):
    return {
        "RateBasedStatement": {
            "Limit": limit,
            "EvaluationWindowSec": window,
            "AggregateKeyType": key,
            **extra,
        }
    }


def _actions(statement, records):
    return [r.action for r in evaluate(web_acl(rule("rate", 0, statement)), records)]


def test_the_eleventh_request_in_the_window_is_limited():
    # Limit 10: the rule acts on a key once it goes over the limit within the window.
    actions = _actions(_rate(), [record(ts=T0 + i * 1000) for i in range(13)])
    assert actions == ["ALLOW"] * 10 + ["BLOCK"] * 3


def test_the_rule_type_is_rate_based():
    r = evaluate(web_acl(rule("rate", 0, _rate())), [record(ts=T0 + i) for i in range(11)])[-1]
    assert (r.terminating_rule_id, r.terminating_rule_type) == ("rate", "RATE_BASED")


def test_requests_are_counted_per_ip():
    recs = [record(ip="192.0.2.1" if i % 2 else "192.0.2.2", ts=T0 + i) for i in range(20)]
    assert set(_actions(_rate(), recs)) == {"ALLOW"}


def test_the_window_slides():
    # EvaluationWindowSec: "The amount of time, in seconds, that AWS WAF should include
    # in its request counts, looking back from the current time."
    recs = [record(ts=T0 + i * 1000) for i in range(10)] + [
        record(ts=T0 + 61_000 + i) for i in range(2)
    ]
    actions = _actions(_rate(window=60), recs)
    assert actions[-2:] == ["ALLOW", "ALLOW"]


def test_scope_down_limits_what_is_counted():
    st = _rate(ScopeDownStatement=byte_match("/login", constraint="EXACTLY"))
    recs = [record(uri="/", ts=T0 + i) for i in range(20)] + [
        record(uri="/login", ts=T0 + 100 + i) for i in range(11)
    ]
    actions = _actions(st, recs)
    assert actions[:20] == ["ALLOW"] * 20
    assert actions[20:] == ["ALLOW"] * 10 + ["BLOCK"]


def test_constant_counts_every_request_in_the_scope():
    st = _rate(key="CONSTANT", ScopeDownStatement=byte_match("/"))
    recs = [record(ip=f"192.0.2.{i}", ts=T0 + i) for i in range(11)]
    assert _actions(st, recs)[-1] == "BLOCK"


def test_forwarded_ip_key_and_a_missing_header_is_not_counted():
    # FORWARDED_IP aggregates on the first address in the header; "If the specified
    # header isn't present in the request, AWS WAF doesn't apply the rule".
    fwd = {"HeaderName": "X-Forwarded-For", "FallbackBehavior": "NO_MATCH"}
    st = _rate(key="FORWARDED_IP", ForwardedIPConfig=fwd)
    recs = [
        record(headers=[("X-Forwarded-For", f"203.0.113.5, 10.0.0.{i}")], ts=T0 + i)
        for i in range(11)
    ]
    assert _actions(st, recs)[-1] == "BLOCK"
    assert set(_actions(st, [record(ts=T0 + i) for i in range(15)])) == {"ALLOW"}


def test_custom_keys_and_missing_components():
    # "Web requests that are missing any of the components specified in the
    # aggregation keys are omitted from the rate-based rule evaluation"
    keys = [
        {"Header": {"Name": "x-api-key", "TextTransformations": [{"Priority": 0, "Type": "NONE"}]}},
        {"HTTPMethod": {}},
    ]
    st = _rate(key="CUSTOM_KEYS", CustomKeys=keys)
    with_key = [
        record(ip=f"192.0.2.{i}", headers=[("X-Api-Key", "k1")], ts=T0 + i) for i in range(11)
    ]
    assert _actions(st, with_key)[-1] == "BLOCK"
    assert set(_actions(st, [record(ts=T0 + i) for i in range(15)])) == {"ALLOW"}


def test_limit_below_the_minimum_is_bad_input():
    # the lowest allowed Limit is 10 (API_RateBasedStatement)
    with pytest.raises(WafInputError, match="Limit"):
        evaluate(web_acl(rule("rate", 0, _rate(limit=5))), [])
