"""Golden results for the sample shipped in the package (data/shop.*).

golden/shop.json was written by the engine (``pytest --update`` rewrites it;
review the diff) and checked by hand against the sample's rules, as the
test below spells out request by request.
"""

from __future__ import annotations

import json
from pathlib import Path

from waf_rules import evaluate, load_sample, report, sample_names

GOLDEN = Path(__file__).parent / "golden"


def test_shop_matches_its_golden_file(update_fixtures):
    acl, resources, log = load_sample("shop")
    got = report(evaluate(acl, log, resources))
    path = GOLDEN / "shop.json"
    if update_fixtures:
        path.write_text(json.dumps(got, indent=2) + "\n", encoding="utf-8")
    assert got == json.loads(path.read_text(encoding="utf-8"))


def test_shop_by_hand():
    acl, resources, log = load_sample("shop")
    results = evaluate(acl, log, resources)
    decided = [(r.action, r.terminating_rule_id) for r in results]
    allow = ("ALLOW", "Default_Action")
    assert decided == [
        allow,  # GET / from the office network
        ("BLOCK", "block-bad-ips"),  # 198.51.100.7 is in bad-ips (198.51.100.0/24)
        ("BLOCK", "admin-only-from-office"),  # /Admin lowercased, labelled, not from the office
        allow,  # /admin from 192.0.2.5, inside office (192.0.2.0/28)
        ("BLOCK", "sqli-query"),  # ' OR 1=1-- once URL-decoded
        ("BLOCK", "xss-body"),  # <script> in the form body, URL-decoded
        allow,  # o'reilly books: an apostrophe, no SQL
        *[allow] * 10,  # ten POST /login in 60 s from one IP: at the limit of 10
        ("BLOCK", "login-rate-limit"),  # the 11th and 12th go over it
        ("BLOCK", "login-rate-limit"),
    ]
    # every request that reaches the managed group reports it as skipped
    assert all(
        r.skipped == ({"name": "AWSManagedRulesCommonRuleSet", "vendorName": "AWS"},)
        for r in results
        if r.terminating_rule_id == "Default_Action"
    )
    assert results[17].to_dict()["responseCodeSent"] == 429


def test_every_sample_has_a_golden_file():
    assert {p.stem for p in GOLDEN.glob("*.json")} == set(sample_names())
