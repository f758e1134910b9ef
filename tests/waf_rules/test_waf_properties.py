"""Properties that follow from the documented evaluation order
(https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-processing-order.html
and https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-rule-actions.html):
- Count is not terminating, so a Count rule without RuleLabels never changes
  an action (nothing later can see it);
- the first matching terminating rule decides, so a rule with a higher
  Priority number never decides a request an earlier terminating rule matched.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from waf_build import byte_match, record, rule, web_acl  # type: ignore[import-not-found]
from waf_rules import evaluate

WORDS = ["a", "b", "ab", "/x", "admin", "q=1"]
ACTIONS = ["Allow", "Block", "Count", "Captcha", "Challenge"]
CONSTRAINTS = ["EXACTLY", "STARTS_WITH", "ENDS_WITH", "CONTAINS", "CONTAINS_WORD"]
FIELDS: list[dict[str, dict[str, str]]] = [{"UriPath": {}}, {"QueryString": {}}, {"Method": {}}]

statements = st.builds(
    lambda w, f, c: byte_match(
        w.replace("/", "").replace("=", "") if c == "CONTAINS_WORD" else w, f, c
    ),
    st.sampled_from(["a", "b", "ab", "admin", "x"]),
    st.sampled_from(FIELDS),
    st.sampled_from(CONSTRAINTS),
)
label_match = st.builds(
    lambda k: {"LabelMatchStatement": {"Scope": "LABEL", "Key": k}}, st.sampled_from(["l1", "l2"])
)


@st.composite
def acls(draw):
    n = draw(st.integers(1, 6))
    priorities = draw(st.lists(st.integers(0, 100), min_size=n, max_size=n, unique=True))
    rules = []
    for i, p in enumerate(priorities):
        statement = draw(st.one_of(statements, label_match))
        labels = draw(st.lists(st.sampled_from(["l1", "l2"]), max_size=2, unique=True))
        rules.append(rule(f"r{i}", p, statement, draw(st.sampled_from(ACTIONS)), labels))
    return rules


requests = st.lists(
    st.builds(
        lambda u, a, m, tok: record(
            uri=u, args=a, method=m, headers=[("Cookie", "aws-waf-token=x")] if tok else None
        ),
        st.sampled_from(["/", "/a", "/ab", "/admin", "/x/a b"]),
        st.sampled_from(["", "q=1", "a=b"]),
        st.sampled_from(["GET", "POST"]),
        st.booleans(),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=150, deadline=None)
@given(acls(), requests, statements, st.integers(0, 200), st.sampled_from(["Allow", "Block"]))
def test_a_count_rule_without_labels_never_changes_an_action(rules, recs, extra, priority, default):
    if priority in {r["Priority"] for r in rules}:
        priority = max(r["Priority"] for r in rules) + 1
    before = evaluate(web_acl(*rules, default=default), recs)
    after = evaluate(
        web_acl(*rules, rule("counter", priority, extra, "Count"), default=default), recs
    )
    assert [(r.action, r.terminating_rule_id) for r in before] == [
        (r.action, r.terminating_rule_id) for r in after
    ]


@settings(max_examples=150, deadline=None)
@given(acls(), requests, statements, st.sampled_from(["Allow", "Block", "Captcha"]))
def test_a_later_rule_never_decides_what_an_earlier_terminating_rule_matched(
    rules, recs, extra, action
):
    top = max(r["Priority"] for r in rules) + 1
    before = evaluate(web_acl(*rules), recs)
    after = evaluate(web_acl(*rules, rule("later", top, extra, action)), recs)
    for b, a in zip(before, after, strict=True):
        if b.terminating_rule_id != "Default_Action":
            assert (a.action, a.terminating_rule_id) == (b.action, b.terminating_rule_id)
