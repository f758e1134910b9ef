"""Evaluating a compiled web ACL over requests, in stream order.

Rules run in ascending Priority; the first terminating action ends the
evaluation, otherwise the default action applies. Count adds the rule's
labels and goes on. CAPTCHA and Challenge terminate for a request without a
valid token and act like Count for one with a token (an ``aws-waf-token``
cookie, which this engine takes as valid).
https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-processing-order.html
https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-rule-actions.html
https://docs.aws.amazon.com/waf/latest/developerguide/waf-captcha-and-challenge-actions.html
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .acl import Rule, RuleAction, WebACL
from .fields import has_cookie
from .model import Request
from .results import Outcome, Result, Step
from .rules import TOKEN_COOKIE
from .statements import State


@dataclass
class _Run:
    """One request's evaluation: what the log record would hold."""

    state: State
    has_token: bool
    non_terminating: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    path: list[Step] = field(default_factory=list)


def _match(rule: Rule, request: Request, run: _Run, namespace: str) -> tuple[bool, bool]:
    """(matched, approximately) for a regular or rate-based rule."""
    state = run.state
    state.approximate = False
    if state.unknown:
        state.unknown = []
    state.namespace = namespace
    assert rule.statement is not None
    matched = rule.statement.evaluate(request, state)
    if matched is None:
        return _unknown(rule, run)
    return matched, matched and state.approximate


def _unknown(rule: Rule, run: _Run) -> tuple[bool, bool]:
    """A rule whose statement can't be decided offline: skipped, no match."""
    unknown = run.state.unknown
    run.skipped.append({"name": rule.name, "reason": "; ".join(dict.fromkeys(unknown))})
    run.path.append(Step(rule.name, "skipped", "", unknown[0] if unknown else ""))
    run.state.unknown = []
    return False, False


@lru_cache(maxsize=4096)
def _no_match(name: str) -> Step:
    return Step(name, "no match", "")


def _entry(rule_id: str, action: str, approximate: bool, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"ruleId": rule_id, "action": action, **extra}
    if approximate:
        out["approximate"] = True
    return out


class Evaluator:
    """Evaluates requests one by one; rate-based counters live here."""

    def __init__(self, web_acl: WebACL) -> None:
        self.acl = web_acl
        self.rates: dict[int, Any] = {}
        self.index = 0
        self.last_timestamp = 0

    def evaluate(self, request: Request) -> Result:
        index = self.index
        self.index += 1
        if request.timestamp is not None:
            self.last_timestamp = request.timestamp
        state = State(rates=self.rates, timestamp=self.last_timestamp)
        run = _Run(state, has_cookie(request, TOKEN_COOKIE))
        for rule in self.acl.rules:
            decided = self._rule(rule, request, run)
            if decided is not None:
                action, approximate, rule_type = decided
                return self._result(index, run, action, rule.name, rule_type, approximate)
        d = self.acl.default
        run.path.append(Step("Default_Action", "match", d.action))
        return self._result(index, run, d, "Default_Action", "REGULAR", False)

    def _result(
        self,
        index: int,
        run: _Run,
        action: RuleAction,
        rule_id: str,
        rule_type: Any,
        approximate: bool,
    ) -> Result:
        inserted: list[tuple[str, str]] = []
        for e in run.non_terminating:
            inserted.extend(e.pop("_inserted", ()))
        # Inserted headers reach the protected resource only if it is allowed.
        inserted = [*inserted, *action.inserted] if action.action == "ALLOW" else []
        return Result(
            index=index,
            action=action.action,
            terminating_rule_id=rule_id,
            terminating_rule_type=rule_type,
            labels=tuple(run.state.labels),
            non_terminating=tuple(run.non_terminating),
            rule_groups=tuple(run.groups),
            skipped=tuple(run.skipped),
            approximate=approximate,
            custom_response=action.custom.to_dict()
            if action.custom and action.action != "ALLOW"
            else None,
            inserted_headers=tuple(inserted),
            path=tuple(run.path),
        )

    def _rule(self, rule: Rule, request: Request, run: _Run) -> tuple[RuleAction, bool, Any] | None:
        """The terminating (action, approximate, rule type), or None to go on."""
        if rule.kind == "MANAGED_RULE_GROUP" and rule.group is None:
            assert rule.managed is not None
            name, vendor = rule.managed
            run.skipped.append({"name": name, "vendorName": vendor})
            run.path.append(
                Step(
                    rule.name,
                    "skipped",
                    "",
                    f"managed rule group {vendor}/{name}: its rules are not public",
                )
            )
            return None
        if rule.group is not None:
            return self._group(rule, request, run)
        # The common case, no match, inline (the bench's hot path); _match
        # handles the rest.
        state = run.state
        if not state.unknown and rule.statement is not None:
            state.approximate = False
            state.namespace = self.acl.namespace
            first = rule.statement.evaluate(request, state)
            if first is False:
                run.path.append(_no_match(rule.name))
                return None
            if first is True:
                matched, approximate = True, state.approximate
            else:
                matched, approximate = _unknown(rule, run)
        else:
            matched, approximate = _match(rule, request, run, self.acl.namespace)
        if not matched:
            if not run.path or run.path[-1].rule != rule.name:
                run.path.append(_no_match(rule.name))
            return None
        assert rule.action is not None
        for label in rule.labels:
            run.state.add_label(label, approximate)
        action = rule.action
        if action.action == "COUNT" or (
            action.action in ("CAPTCHA", "CHALLENGE") and run.has_token
        ):
            entry = _entry(rule.name, action.action, approximate)
            if action.inserted:
                entry["_inserted"] = action.inserted
            run.non_terminating.append(entry)
            outcome: Outcome = "count" if action.action == "COUNT" else "token accepted"
            run.path.append(Step(rule.name, outcome, action.action))
            return None
        run.path.append(Step(rule.name, "match", action.action))
        return action, approximate, rule.kind

    def _group(
        self, rule: Rule, request: Request, run: _Run
    ) -> tuple[RuleAction, bool, Any] | None:
        group = rule.group
        assert group is not None
        if group.scope_down is not None:
            run.state.namespace = self.acl.namespace
            if group.scope_down.evaluate(request, run.state) is not True:
                run.path.append(Step(rule.name, "no match", "", "outside the scope-down statement"))
                return None
        inner_nt: list[dict[str, Any]] = []
        excluded: list[dict[str, Any]] = []
        terminating: dict[str, Any] | None = None
        decided: tuple[RuleAction, bool] | None = None
        for inner in group.rules:
            matched, approximate = _match(inner, request, run, group.namespace)
            if not matched:
                continue
            assert inner.action is not None
            for label in inner.labels:
                run.state.add_label(label, approximate)
            action = inner.action
            if inner.name in group.excluded:
                excluded.append({"exclusionType": "EXCLUDED_AS_COUNT", "ruleId": inner.name})
                continue
            override = group.overrides.get(inner.name)
            extra: dict[str, Any] = {}
            if override is not None:
                extra["overriddenAction"] = action.action
                action = override
            if action.action == "COUNT" or (
                action.action in ("CAPTCHA", "CHALLENGE") and run.has_token
            ):
                inner_nt.append(_entry(inner.name, action.action, approximate, **extra))
                continue
            terminating = _entry(inner.name, action.action, approximate)
            decided = (action, approximate)
            break
        run.groups.append(
            {
                "ruleGroupId": group.group_id,
                "terminatingRule": terminating,
                "nonTerminatingMatchingRules": inner_nt,
                "excludedRules": excluded or None,
            }
        )
        if decided is None:
            run.path.append(
                Step(rule.name, "no match", "", f"no terminating rule in group {group.name}")
            )
            return None
        action, approximate = decided
        for label in rule.labels:
            run.state.add_label(label, approximate)
        why = f"{group.name} rule {terminating['ruleId'] if terminating else ''}"
        if rule.override_count:
            run.non_terminating.append(_entry(rule.name, "COUNT", approximate))
            run.path.append(
                Step(rule.name, "count", "COUNT", why + f" ({action.action}, overridden to Count)")
            )
            return None
        run.path.append(Step(rule.name, "match", action.action, why))
        return action, approximate, rule.kind


def evaluate_iter(web_acl: WebACL, requests: Iterable[Request]) -> Iterator[Result]:
    """Results one by one, in input order (rate-based rules count as they go)."""
    evaluator = Evaluator(web_acl)
    for request in requests:
        yield evaluator.evaluate(request)


def evaluate_all(web_acl: WebACL, requests: Iterable[Request]) -> list[Result]:
    """Every request's result, in input order."""
    paused = gc.isenabled()
    gc.disable()
    try:
        return list(evaluate_iter(web_acl, requests))
    finally:
        if paused:
            gc.enable()
