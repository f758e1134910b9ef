"""Evaluation order, actions, labels and rule groups, from the developer guide:
https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-processing-order.html
https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-rule-actions.html
https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-action.html
https://docs.aws.amazon.com/waf/latest/developerguide/waf-captcha-and-challenge-actions.html
https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-label-overview.html
https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-label-match.html
"""

from __future__ import annotations

from waf_build import ACCOUNT, NS, byte_match, record, rule, web_acl  # type: ignore[import-not-found]
from waf_rules import evaluate, load_web_acl

ANY = byte_match("/")  # every URI contains "/"


def _one(acl, rec=None, resources=None):
    return evaluate(acl, [rec or record()], resources)[0].to_dict()


def test_rules_run_in_ascending_priority_not_list_order():
    # "AWS WAF evaluates rules ... from the lowest numeric priority setting up"
    acl = web_acl(rule("late", 20, ANY, "Block"), rule("early", 5, ANY, "Allow"))
    d = _one(acl)
    assert (d["action"], d["terminatingRuleId"]) == ("ALLOW", "early")


def test_first_terminating_rule_ends_evaluation():
    acl = web_acl(
        rule("block", 1, ANY, "Block", labels=["a"]), rule("later", 2, ANY, "Count", labels=["b"])
    )
    d = _one(acl)
    assert d["terminatingRuleId"] == "block"
    assert d["labels"] == [{"name": NS + "a"}]
    assert d["nonTerminatingMatchingRules"] == []


def test_default_action_when_nothing_terminates():
    # "If no rule with a terminating action matches, the web ACL default action applies"
    d = _one(web_acl(rule("miss", 0, byte_match("/nope", constraint="EXACTLY")), default="Block"))
    assert (d["action"], d["terminatingRuleId"], d["terminatingRuleType"]) == (
        "BLOCK",
        "Default_Action",
        "REGULAR",
    )


def test_count_is_not_terminating_and_adds_labels():
    acl = web_acl(
        rule("count", 0, ANY, "Count", labels=["seen", "ns:deep"]), rule("allow", 1, ANY, "Allow")
    )
    d = _one(acl)
    assert d["terminatingRuleId"] == "allow"
    assert d["nonTerminatingMatchingRules"] == [{"ruleId": "count", "action": "COUNT"}]
    # labels are "awswaf:<account ID>:webacl:<web ACL name>:<label>" (label overview page)
    assert d["labels"] == [
        {"name": f"awswaf:{ACCOUNT}:webacl:test-acl:seen"},
        {"name": f"awswaf:{ACCOUNT}:webacl:test-acl:ns:deep"},
    ]


def test_label_match_sees_only_labels_of_rules_evaluated_earlier():
    # "a label match statement ... can only see labels added by rules evaluated earlier"
    label_rule = rule("tag", 10, ANY, "Count", labels=["tagged"])
    match = rule("use-tag", 20, {"LabelMatchStatement": {"Scope": "LABEL", "Key": "tagged"}})
    assert _one(web_acl(label_rule, match))["action"] == "BLOCK"
    too_early = rule("use-tag", 5, {"LabelMatchStatement": {"Scope": "LABEL", "Key": "tagged"}})
    assert _one(web_acl(label_rule, too_early))["action"] == "ALLOW"


def test_label_match_scopes_and_fully_qualified_keys():
    # API_LabelMatchStatement: LABEL takes the name with any preceding namespaces
    # up to the fully qualified label; NAMESPACE takes namespace strings.
    tag = rule("tag", 0, ANY, "Count", labels=["bot:category:scraper"])
    for key, scope in (
        ("bot:category:scraper", "LABEL"),
        (f"awswaf:{ACCOUNT}:webacl:test-acl:bot:category:scraper", "LABEL"),
        ("bot:category:", "NAMESPACE"),
        ("bot:", "NAMESPACE"),
    ):
        acl = web_acl(tag, rule("m", 1, {"LabelMatchStatement": {"Scope": scope, "Key": key}}))
        assert _one(acl)["action"] == "BLOCK", (key, scope)
    for key, scope in (("scraper", "NAMESPACE"), ("bot:category", "LABEL")):
        acl = web_acl(tag, rule("m", 1, {"LabelMatchStatement": {"Scope": scope, "Key": key}}))
        assert _one(acl)["action"] == "ALLOW", (key, scope)


def test_block_custom_response_is_carried_through():
    # https://docs.aws.amazon.com/waf/latest/APIReference/API_CustomResponse.html
    bodies = {"nope": {"ContentType": "TEXT_PLAIN", "Content": "go away"}}
    r = rule(
        "b",
        0,
        ANY,
        "Block",
        action_body={
            "CustomResponse": {
                "ResponseCode": 429,
                "CustomResponseBodyKey": "nope",
                "ResponseHeaders": [{"Name": "Retry-After", "Value": "60"}],
            }
        },
    )
    d = _one(web_acl(r, bodies=bodies))
    assert d["responseCodeSent"] == 429
    assert d["customResponse"]["content"] == "go away"
    assert d["customResponse"]["headers"] == [{"name": "Retry-After", "value": "60"}]


def test_allow_inserts_custom_request_headers_with_the_waf_prefix():
    # API_CustomRequestHandling: WAF prefixes inserted header names with x-amzn-waf-
    r = rule(
        "a",
        0,
        ANY,
        "Allow",
        action_body={
            "CustomRequestHandling": {"InsertHeaders": [{"Name": "checked", "Value": "yes"}]}
        },
    )
    assert _one(web_acl(r))["requestHeadersInserted"] == [
        {"name": "x-amzn-waf-checked", "value": "yes"}
    ]


def test_captcha_and_challenge_terminate_without_a_token():
    for action in ("Captcha", "Challenge"):
        d = _one(web_acl(rule("c", 0, ANY, action, labels=["l"]), default="Allow"))
        assert (d["action"], d["terminatingRuleId"]) == (action.upper(), "c")


def test_captcha_and_challenge_act_like_count_with_a_token():
    # "If the request has a valid, unexpired token, it acts like Count" (CAPTCHA and
    # Challenge action behavior). This engine takes an aws-waf-token cookie as valid.
    token = record(headers=[("Cookie", "session=1; aws-waf-token=abc:def")])
    for action in ("Captcha", "Challenge"):
        d = _one(web_acl(rule("c", 0, ANY, action, labels=["l"]), default="Block"), token)
        assert (d["action"], d["terminatingRuleId"]) == ("BLOCK", "Default_Action")
        assert d["nonTerminatingMatchingRules"] == [{"ruleId": "c", "action": action.upper()}]
        assert d["labels"] == [{"name": NS + "l"}]


def _group(rules):
    arn = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/rulegroup/grp/grp-id"
    body = {
        "Name": "grp",
        "Id": "grp-id",
        "ARN": arn,
        "Capacity": 50,
        "Rules": rules,
        "VisibilityConfig": {
            "SampledRequestsEnabled": True,
            "CloudWatchMetricsEnabled": True,
            "MetricName": "grp",
        },
    }
    return arn, {"RuleGroup": body, "LockToken": "t"}


def _group_rule(arn, override="None", **ref):
    return {
        "Name": "use-grp",
        "Priority": 0,
        "Statement": {"RuleGroupReferenceStatement": {"ARN": arn, **ref}},
        "OverrideAction": {override: {}},
        "VisibilityConfig": {
            "SampledRequestsEnabled": True,
            "CloudWatchMetricsEnabled": True,
            "MetricName": "use",
        },
    }


def test_rule_group_terminates_the_web_acl_and_logs_the_group():
    # https://docs.aws.amazon.com/waf/latest/APIReference/API_RuleGroupReferenceStatement.html
    arn, res = _group(
        [rule("inner-count", 0, ANY, "Count", labels=["g"]), rule("inner-block", 1, ANY, "Block")]
    )
    d = _one(web_acl(_group_rule(arn)), resources=[res])
    assert (d["action"], d["terminatingRuleId"], d["terminatingRuleType"]) == (
        "BLOCK",
        "use-grp",
        "GROUP",
    )
    # group labels: awswaf:<account>:rulegroup:<rule group name>:<label>
    assert d["labels"] == [{"name": f"awswaf:{ACCOUNT}:rulegroup:grp:g"}]
    assert d["ruleGroupList"] == [
        {
            "ruleGroupId": arn,
            "terminatingRule": {"ruleId": "inner-block", "action": "BLOCK"},
            "nonTerminatingMatchingRules": [{"ruleId": "inner-count", "action": "COUNT"}],
            "excludedRules": None,
        }
    ]


def test_rule_group_override_count():
    # OverrideAction Count: the group's result becomes Count (API_OverrideAction)
    arn, res = _group([rule("inner-block", 1, ANY, "Block")])
    d = _one(web_acl(_group_rule(arn, "Count"), default="Allow"), resources=[res])
    assert (d["action"], d["terminatingRuleId"]) == ("ALLOW", "Default_Action")
    assert d["nonTerminatingMatchingRules"] == [{"ruleId": "use-grp", "action": "COUNT"}]


def test_excluded_rules_and_rule_action_overrides():
    # ExcludedRules: "rules whose actions are set to COUNT"; RuleActionOverrides
    # change a rule's action (API_RuleGroupReferenceStatement, API_RuleActionOverride).
    arn, res = _group([rule("x", 0, ANY, "Block"), rule("y", 1, ANY, "Block")])
    d = _one(
        web_acl(_group_rule(arn, ExcludedRules=[{"Name": "x"}]), default="Allow"), resources=[res]
    )
    assert d["terminatingRuleId"] == "use-grp"
    assert d["ruleGroupList"][0]["terminatingRule"] == {"ruleId": "y", "action": "BLOCK"}
    assert d["ruleGroupList"][0]["excludedRules"] == [
        {"exclusionType": "EXCLUDED_AS_COUNT", "ruleId": "x"}
    ]
    overrides = [
        {"Name": "x", "ActionToUse": {"Count": {}}},
        {"Name": "y", "ActionToUse": {"Allow": {}}},
    ]
    d = _one(
        web_acl(_group_rule(arn, RuleActionOverrides=overrides), default="Block"), resources=[res]
    )
    assert (d["action"], d["terminatingRuleId"]) == ("ALLOW", "use-grp")


def test_managed_rule_groups_are_skipped_never_matched():
    # Their rules are not public (waf-rule-statement-type-managed-rule-group.html).
    m = {
        "Name": "AWS-Common",
        "Priority": 0,
        "Statement": {
            "ManagedRuleGroupStatement": {
                "VendorName": "AWS",
                "Name": "AWSManagedRulesCommonRuleSet",
            }
        },
        "OverrideAction": {"None": {}},
        "VisibilityConfig": {
            "SampledRequestsEnabled": True,
            "CloudWatchMetricsEnabled": True,
            "MetricName": "m",
        },
    }
    d = _one(web_acl(m, default="Allow"), record(uri="/<script>"))
    assert d["action"] == "ALLOW"
    assert d["skipped"] == [{"name": "AWSManagedRulesCommonRuleSet", "vendorName": "AWS"}]


def test_the_label_namespace_comes_from_the_web_acl():
    acl = load_web_acl(web_acl())
    assert acl.namespace == NS


def test_a_stand_in_for_a_managed_group_is_evaluated_as_that_group():
    # The optional stand-in (this project's own "ManagedRuleGroup" format):
    # logged as a managed group, "ruleGroupId": "<vendor>#<name>" as in WAF logs
    # (logging-fields.html), labels in the awswaf:managed: namespace.
    stand_in = {
        "ManagedRuleGroup": {
            "VendorName": "AWS",
            "Name": "AWSManagedRulesCommonRuleSet",
            "LabelNamespace": "awswaf:managed:aws:core-rule-set:",
            "Rules": [
                rule(
                    "NoUserAgent_HEADER",
                    0,
                    {
                        "NotStatement": {
                            "Statement": {
                                "SizeConstraintStatement": {
                                    "FieldToMatch": {"SingleHeader": {"Name": "user-agent"}},
                                    "ComparisonOperator": "GE",
                                    "Size": 1,
                                    "TextTransformations": [{"Priority": 0, "Type": "NONE"}],
                                }
                            }
                        }
                    },
                    "Block",
                    labels=["NoUserAgent_Header"],
                )
            ],
        }
    }
    statement: dict = {"VendorName": "AWS", "Name": "AWSManagedRulesCommonRuleSet"}
    m = {
        "Name": "AWS-Common",
        "Priority": 0,
        "Statement": {"ManagedRuleGroupStatement": statement},
        "OverrideAction": {"None": {}},
        "VisibilityConfig": {
            "SampledRequestsEnabled": True,
            "CloudWatchMetricsEnabled": True,
            "MetricName": "m",
        },
    }
    d = _one(web_acl(m), record(headers=[("Host", "x")]), [stand_in])
    assert (d["action"], d["terminatingRuleId"], d["terminatingRuleType"]) == (
        "BLOCK",
        "AWS-Common",
        "MANAGED_RULE_GROUP",
    )
    assert d["ruleGroupList"][0]["ruleGroupId"] == "AWS#AWSManagedRulesCommonRuleSet"
    assert d["labels"] == [{"name": "awswaf:managed:aws:core-rule-set:NoUserAgent_Header"}]
    assert d["skipped"] == []
    assert (
        _one(web_acl(m), record(headers=[("User-Agent", "curl/8")]), [stand_in])["action"]
        == "ALLOW"
    )
    # a scope-down statement keeps other requests out of the group
    statement["ScopeDownStatement"] = byte_match("/api", constraint="STARTS_WITH")
    assert (
        _one(web_acl(m), record(uri="/", headers=[("Host", "x")]), [stand_in])["action"] == "ALLOW"
    )
    assert (
        _one(web_acl(m), record(uri="/api/x", headers=[("Host", "x")]), [stand_in])["action"]
        == "BLOCK"
    )
