"""waf_rules bench. CPython: reading and evaluating N WAF log records (JSON
lines) against a 20-rule web ACL, against ``json.loads`` of the same lines,
at N = 10k and 100k (and 1M with ``--big``). Target (issue 14): at most 5x
json.loads at 100k, near-linear growth. Then the detection and
false-positive rates of the SQLi and XSS approximation on the package's
corpus (data/injection-corpus.json).

The ACL's 20 rules: 6 byte matches (URI, query, header, method, body), 3
regex matches, 3 IP-set rules (one IPv6, one on X-Forwarded-For), 2
rate-based rules (per IP on /login; CONSTANT on /api), 3 label rules (Count
with labels, then label matches), 1 size constraint, 1 SQLi and 1 XSS.

    .venv/bin/python -m bench waf_bench
    .venv/bin/python -m bench.waf_bench --big     # also 1M records (minutes, GBs)
"""

from __future__ import annotations

import base64
import gc
import json
import random
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "demos"))

from waf_rules import evaluate_all, is_sqli, is_xss, load_resources, load_web_acl, read_requests

ACCOUNT = "123456789012"
Obj = dict[str, Any]
NONE = [{"Priority": 0, "Type": "NONE"}]
LOWER = [{"Priority": 0, "Type": "LOWERCASE"}]
URL = [{"Priority": 0, "Type": "URL_DECODE"}]


def _b(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


def _vis(n: str) -> Obj:
    return {"SampledRequestsEnabled": False, "CloudWatchMetricsEnabled": False, "MetricName": n}


def _byte(s: str, field: Obj, c: str = "CONTAINS", t: list[Obj] = NONE) -> Obj:
    return {
        "ByteMatchStatement": {
            "SearchString": _b(s),
            "FieldToMatch": field,
            "TextTransformations": t,
            "PositionalConstraint": c,
        }
    }


def _regex(r: str, field: Obj) -> Obj:
    return {
        "RegexMatchStatement": {
            "RegexString": r,
            "FieldToMatch": field,
            "TextTransformations": LOWER,
        }
    }


def _arn(name: str) -> str:
    return f"arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/ipset/{name}/{name}-id"


def _ipset(name: str, addrs: list[str]) -> Obj:
    return {
        "IPSet": {
            "Name": name,
            "Id": f"{name}-id",
            "ARN": _arn(name),
            "IPAddressVersion": "IPV4",
            "Addresses": addrs,
        }
    }


def web_acl() -> tuple[Obj, list[Obj]]:
    ua = {"SingleHeader": {"Name": "user-agent"}}
    stmts: list[tuple[str, Obj, str, list[str]]] = [
        ("ip-block", {"IPSetReferenceStatement": {"ARN": _arn("bad")}}, "Block", []),
        ("ip6-block", {"IPSetReferenceStatement": {"ARN": _arn("bad6")}}, "Block", []),
        (
            "xff-block",
            {
                "IPSetReferenceStatement": {
                    "ARN": _arn("bad"),
                    "IPSetForwardedIPConfig": {
                        "HeaderName": "X-Forwarded-For",
                        "FallbackBehavior": "NO_MATCH",
                        "Position": "FIRST",
                    },
                }
            },
            "Block",
            [],
        ),
        ("tag-admin", _byte("/admin", {"UriPath": {}}, "STARTS_WITH", LOWER), "Count", ["admin"]),
        ("tag-bot", _regex(r"(bot|crawler|spider)", ua), "Count", ["bot"]),
        ("tag-api", _byte("/api/", {"UriPath": {}}, "STARTS_WITH"), "Count", ["api"]),
        (
            "admin-office",
            {
                "AndStatement": {
                    "Statements": [
                        {"LabelMatchStatement": {"Scope": "LABEL", "Key": "admin"}},
                        {
                            "NotStatement": {
                                "Statement": {"IPSetReferenceStatement": {"ARN": _arn("office")}}
                            }
                        },
                    ]
                }
            },
            "Block",
            [],
        ),
        ("bot-captcha", {"LabelMatchStatement": {"Scope": "LABEL", "Key": "bot"}}, "Count", []),
        (
            "login-rate",
            {
                "RateBasedStatement": {
                    "Limit": 100,
                    "EvaluationWindowSec": 60,
                    "AggregateKeyType": "IP",
                    "ScopeDownStatement": _byte("/login", {"UriPath": {}}, "EXACTLY"),
                }
            },
            "Block",
            [],
        ),
        (
            "api-rate",
            {
                "RateBasedStatement": {
                    "Limit": 5000,
                    "EvaluationWindowSec": 300,
                    "AggregateKeyType": "CONSTANT",
                    "ScopeDownStatement": {"LabelMatchStatement": {"Scope": "LABEL", "Key": "api"}},
                }
            },
            "Count",
            [],
        ),
        ("no-trace", _byte("TRACE", {"Method": {}}, "EXACTLY"), "Block", []),
        ("no-dotdot", _byte("../", {"UriPath": {}}), "Block", []),
        ("no-passwd", _byte("etc/passwd", {"QueryString": {}}, "CONTAINS", URL), "Block", []),
        ("no-curl", _byte("curl/", ua, "STARTS_WITH"), "Count", []),
        ("php-files", _regex(r"\.(php|asp|jsp)$", {"UriPath": {}}), "Block", []),
        ("wp-probe", _regex(r"^/(wp-admin|wp-login|xmlrpc)", {"UriPath": {}}), "Block", []),
        (
            "body-secret",
            _byte("BEGIN RSA PRIVATE KEY", {"Body": {"OversizeHandling": "CONTINUE"}}),
            "Block",
            [],
        ),
        (
            "long-query",
            {
                "SizeConstraintStatement": {
                    "FieldToMatch": {"QueryString": {}},
                    "ComparisonOperator": "GT",
                    "Size": 2048,
                    "TextTransformations": NONE,
                }
            },
            "Block",
            [],
        ),
        (
            "sqli",
            {
                "SqliMatchStatement": {
                    "FieldToMatch": {"AllQueryArguments": {}},
                    "TextTransformations": URL,
                }
            },
            "Block",
            [],
        ),
        (
            "xss",
            {
                "XssMatchStatement": {
                    "FieldToMatch": {"AllQueryArguments": {}},
                    "TextTransformations": URL,
                }
            },
            "Block",
            [],
        ),
    ]
    rules = []
    for i, (name, st, action, labels) in enumerate(stmts):
        rule: Obj = {
            "Name": name,
            "Priority": i * 10,
            "Statement": st,
            "Action": {action: {}},
            "VisibilityConfig": _vis(name),
        }
        if labels:
            rule["RuleLabels"] = [{"Name": n} for n in labels]
        rules.append(rule)
    acl = {
        "WebACL": {
            "Name": "bench",
            "ARN": f"arn:aws:wafv2:us-east-1:{ACCOUNT}:regional/webacl/bench/id",
            "DefaultAction": {"Allow": {}},
            "Rules": rules,
            "VisibilityConfig": _vis("bench"),
        }
    }
    res = [_ipset("bad", ["198.51.100.0/24", "203.0.113.7/32"]), _ipset("office", ["192.0.2.0/28"])]
    res.append(
        {
            "IPSet": {
                "Name": "bad6",
                "Id": "bad6-id",
                "ARN": _arn("bad6"),
                "IPAddressVersion": "IPV6",
                "Addresses": ["2001:db8:bad::/48"],
            }
        }
    )
    return acl, res


URIS = [
    "/",
    "/products",
    "/products/42",
    "/login",
    "/api/v1/items",
    "/admin/users",
    "/search",
    "/index.php",
    "/static/app.js",
    "/cart",
]
QUERIES = [
    "",
    "page=2",
    "q=red+shoes",
    "q=%27+OR+1%3D1--",
    "id=42&sort=asc",
    "q=%3Cscript%3Ealert(1)%3C/script%3E",
    "file=../../etc/passwd",
]
AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
    "curl/8.4.0",
    "Googlebot/2.1",
    "python-requests/2.31",
]


def log_lines(n: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    t = 1_767_225_600_000
    lines = []
    for i in range(n):
        t += rng.randint(0, 40)
        ip = f"{rng.choice([192, 198, 203, 10])}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        headers = [
            {"name": "Host", "value": "shop.example.com"},
            {"name": "User-Agent", "value": rng.choice(AGENTS)},
            {"name": "Accept", "value": "*/*"},
        ]
        if i % 5 == 0:
            headers.append({"name": "X-Forwarded-For", "value": f"198.51.100.{i % 250}, {ip}"})
        rec = {
            "timestamp": t, "formatVersion": 1, "webaclId": "arn", "terminatingRuleId": "Default_Action",
            "terminatingRuleType": "REGULAR", "action": "ALLOW", "terminatingRuleMatchDetails": [],
            "httpSourceName": "ALB", "httpSourceId": "alb", "ruleGroupList": [], "rateBasedRuleList": [],
            "nonTerminatingMatchingRules": [], "requestHeadersInserted": None, "responseCodeSent": None,
            "httpRequest": {"clientIp": ip, "country": "US", "headers": headers, "uri": rng.choice(URIS), "args": rng.choice(QUERIES), "httpVersion": "HTTP/1.1", "httpMethod": rng.choice(["GET", "GET", "GET", "POST"]), "requestId": f"1-{i:x}"},
        }  # fmt: skip
        lines.append(json.dumps(rec, separators=(",", ":")))
    return ("\n".join(lines) + "\n").encode()


def _time(fn: Any) -> float:
    # Both sides run with the cyclic collector paused, as evaluate_all runs:
    # otherwise json.loads of 100k records spends much of its time in it.
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start
    finally:
        gc.enable()


def corpus_rates() -> None:
    pkg = resources.files("waf_rules")
    entries = json.loads(pkg.joinpath("data/injection-corpus.json").read_text("utf-8"))["entries"]
    for held_out in (False, True):
        part = [e for e in entries if bool(e.get("heldOut")) is held_out]
        what = "held out (not used to write the rules)" if held_out else "used to write the rules"
        print(f"corpus entries {what}:")
        benign = [e["text"] for e in part if e["kind"] == "benign"]
        for kind, detect in (("sqli", is_sqli), ("xss", is_xss)):
            attacks = [e["text"] for e in part if e["kind"] == kind]
            hit = sum(detect(t) for t in attacks)
            fp = sum(detect(t) for t in benign)
            print(
                f"  {kind}: detected {hit}/{len(attacks)} ({hit / len(attacks):.0%}), false positives {fp}/{len(benign)} ({fp / len(benign):.0%})"
            )


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    sizes = [10_000, 100_000] + ([1_000_000] if "--big" in args else [])
    acl_doc, res = web_acl()
    acl = load_web_acl(acl_doc, load_resources((r, "res") for r in res))
    base = None
    for n in sizes:
        raw = log_lines(n)
        text = raw.decode()
        t_json = _time(lambda text=text: [json.loads(line) for line in text.splitlines()])
        t_eng = _time(lambda raw=raw: evaluate_all(acl, read_requests(raw, "log")))
        per = t_eng / n * 1e6
        base = base or per
        print(
            f"N={n:>9,}: json.loads {t_json:6.2f} s, read+evaluate {t_eng:6.2f} s, ratio {t_eng / t_json:4.1f}x, {per:5.1f} us/record ({per / base:.2f}x the 10k rate)"
        )
    corpus_rates()


if __name__ == "__main__":
    main()
