"""What the engine says about one request, in the names of WAF's log fields
(https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

from .rules import Action, RuleType

Outcome = Literal["match", "no match", "skipped", "count", "token accepted"]


class Step(NamedTuple):
    """One rule on a request's evaluation path, for the diagram."""

    rule: str
    outcome: Outcome
    action: str
    why: str = ""


@dataclass(frozen=True)
class Result:
    index: int
    action: Action
    terminating_rule_id: str
    terminating_rule_type: RuleType
    labels: tuple[str, ...] = ()
    non_terminating: tuple[dict[str, Any], ...] = ()
    rule_groups: tuple[dict[str, Any], ...] = ()
    skipped: tuple[dict[str, Any], ...] = ()
    approximate: bool = False
    custom_response: dict[str, Any] | None = None
    inserted_headers: tuple[tuple[str, str], ...] = ()
    path: tuple[Step, ...] = field(default=(), compare=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "index": self.index,
            "action": self.action,
            "terminatingRuleId": self.terminating_rule_id,
            "terminatingRuleType": self.terminating_rule_type,
            "labels": [{"name": n} for n in self.labels],
            "nonTerminatingMatchingRules": [dict(r) for r in self.non_terminating],
            "ruleGroupList": [dict(g) for g in self.rule_groups],
            "skipped": [dict(s) for s in self.skipped],
            "approximate": self.approximate,
        }
        if self.custom_response is not None:
            out["responseCodeSent"] = self.custom_response["responseCode"]
            out["customResponse"] = dict(self.custom_response)
        if self.inserted_headers:
            out["requestHeadersInserted"] = [
                {"name": n, "value": v} for n, v in self.inserted_headers
            ]
        return out


ACTIONS: tuple[Action, ...] = ("ALLOW", "BLOCK", "CAPTCHA", "CHALLENGE")


def summary(results: Sequence[Result]) -> dict[str, Any]:
    """``{"requests", "actions": {"ALLOW": n, ...}, "terminatingRules": {id: n}}``."""
    actions = Counter(r.action for r in results)
    rules = Counter(r.terminating_rule_id for r in results)
    return {
        "requests": len(results),
        "actions": {a: actions.get(a, 0) for a in ACTIONS},
        "terminatingRules": dict(rules.most_common()),
    }


def report(results: Sequence[Result]) -> dict[str, Any]:
    """The JSON the ``evaluate`` command prints."""
    return {"results": [r.to_dict() for r in results], "summary": summary(results)}
