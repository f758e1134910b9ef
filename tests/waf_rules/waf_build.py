"""Small builders for web ACLs and WAF log records, shaped as AWS documents
them (API_WebACL, API_Rule, and the log fields at
https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html)."""

from __future__ import annotations

import base64
from typing import Any

from waf_rules import evaluate

ACCOUNT = "111122223333"
ACL_ARN = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/webacl/test-acl/11111111-2222-3333-4444-555555555555"
NS = f"awswaf:{ACCOUNT}:webacl:test-acl:"
NONE = [{"Priority": 0, "Type": "NONE"}]


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def vis(name: str) -> dict[str, Any]:
    return {"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True, "MetricName": name}


def rule(
    name: str,
    priority: int,
    statement: dict[str, Any],
    action: str = "Block",
    labels: list[str] | None = None,
    action_body: dict[str, Any] | None = None,
) -> dict[str, Any]:
    r: dict[str, Any] = {
        "Name": name,
        "Priority": priority,
        "Statement": statement,
        "Action": {action: action_body or {}},
        "VisibilityConfig": vis(name),
    }
    if labels:
        r["RuleLabels"] = [{"Name": n} for n in labels]
    return r


def web_acl(
    *rules: dict[str, Any],
    default: str = "Allow",
    wrap: bool = True,
    bodies: dict[str, Any] | None = None,
) -> dict[str, Any]:
    acl: dict[str, Any] = {
        "Name": "test-acl",
        "Id": "11111111-2222-3333-4444-555555555555",
        "ARN": ACL_ARN,
        "DefaultAction": {default: {}},
        "Rules": list(rules),
        "VisibilityConfig": vis("test-acl"),
        "Capacity": 10,
    }
    if bodies:
        acl["CustomResponseBodies"] = bodies
    return {"WebACL": acl, "LockToken": "token"} if wrap else acl


def byte_match(
    search: str,
    field: dict[str, Any] | None = None,
    constraint: str = "CONTAINS",
    transforms: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "ByteMatchStatement": {
            "SearchString": b64(search),
            "FieldToMatch": field or {"UriPath": {}},
            "TextTransformations": transforms or NONE,
            "PositionalConstraint": constraint,
        }
    }


def record(
    uri: str = "/",
    args: str = "",
    ip: str = "192.0.2.10",
    method: str = "GET",
    headers: list[tuple[str, str]] | None = None,
    country: str = "US",
    ts: int = 1_700_000_000_000,
    body: str | None = None,
) -> dict[str, Any]:
    r: dict[str, Any] = {
        "timestamp": ts,
        "formatVersion": 1,
        "httpRequest": {
            "clientIp": ip,
            "country": country,
            "headers": [{"name": k, "value": v} for k, v in (headers or [("Host", "example.com")])],
            "uri": uri,
            "args": args,
            "httpVersion": "HTTP/1.1",
            "httpMethod": method,
            "requestId": "r",
        },
    }
    if body is not None:
        r["body"] = body
    return r


def ip_set(name: str, addresses: list[str], version: str = "IPV4") -> dict[str, Any]:
    arn = f"arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/ipset/{name}/{name}-id"
    return {
        "IPSet": {
            "Name": name,
            "Id": f"{name}-id",
            "ARN": arn,
            "Description": "",
            "IPAddressVersion": version,
            "Addresses": addresses,
        },
        "LockToken": "t",
    }


def one(
    statement: dict[str, Any], rec: dict[str, Any], resources: list[Any] | None = None, **kw: Any
) -> bool:
    """Whether `statement` matches `rec` (a Block rule over a default Allow)."""
    result = evaluate(web_acl(rule("r", 0, statement)), [rec], resources, **kw)[0]
    return result.action == "BLOCK"
