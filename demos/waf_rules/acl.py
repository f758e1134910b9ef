"""A web ACL (``aws wafv2 get-web-acl`` output, or the bare WebACL object)
and the resources it references, compiled into rules the engine runs.

Shapes: https://docs.aws.amazon.com/waf/latest/APIReference/API_GetWebACL.html,
API_WebACL.html, API_Rule.html, API_Statement.html; the referenced resources
are ``get-ip-set``, ``get-regex-pattern-set`` and ``get-rule-group`` output
(API_IPSet.html, API_RegexPatternSet.html, API_RuleGroup.html), matched by ARN.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from . import check
from .errors import WafInputError
from .fields import compile_field, parse_args, parse_cookies
from .rules import (
    AGGREGATE_KEY_TYPES,
    BODY_LIMIT_DEFAULT,
    BODY_LIMIT_FIXED,
    COMPARISON_OPERATORS,
    DEFAULT_ACTIONS,
    DEFAULT_EVALUATION_WINDOW,
    EVALUATION_WINDOWS,
    FALLBACK_BEHAVIORS,
    FORWARDED_POSITIONS,
    LABEL_SCOPES,
    MIN_RATE_LIMIT,
    OVERRIDE_ACTIONS,
    POSITIONAL_CONSTRAINTS,
    RESOURCE_TYPE_ALIASES,
    RESOURCE_TYPES,
    RULE_ACTIONS,
    SENSITIVITY_LEVELS,
    SIZE_INSPECTION_LIMITS,
    Action,
    RuleType,
)
from .statements import (
    And,
    ByteMatch,
    ForwardedIP,
    GeoMatch,
    IPNetwork,
    IPSetMatch,
    KeyPart,
    LabelMatch,
    Not,
    Or,
    RateBased,
    RegexMatch,
    SizeConstraint,
    SqliMatch,
    State,
    Statement,
    XssMatch,
    parse_ip,
)
from .transforms import TRANSFORMS, Transform, chain, from_bytes

SearchStrings = Literal["base64", "text"]
_NO_ACCOUNT = "000000000000"


@dataclass(frozen=True)
class CustomResponse:
    """A Block action's custom response (API_CustomResponse.html)."""

    code: int
    headers: tuple[tuple[str, str], ...] = ()
    body_key: str | None = None
    content_type: str | None = None
    content: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"responseCode": self.code}
        if self.headers:
            out["headers"] = [{"name": n, "value": v} for n, v in self.headers]
        if self.body_key is not None:
            out["bodyKey"] = self.body_key
            out["contentType"] = self.content_type
            out["content"] = self.content
        return out


@dataclass(frozen=True)
class RuleAction:
    action: Action
    custom: CustomResponse | None = None
    # CustomRequestHandling.InsertHeaders, with the x-amzn-waf- prefix WAF adds.
    inserted: tuple[tuple[str, str], ...] = ()


@dataclass
class Group:
    """A rule group as one web ACL rule references it."""

    group_id: str
    name: str
    namespace: str
    rules: tuple[Rule, ...]
    excluded: frozenset[str] = frozenset()
    overrides: dict[str, RuleAction] = field(default_factory=dict)
    # A managed group's ScopeDownStatement: only requests it matches enter the group.
    scope_down: Statement | None = None


@dataclass
class Rule:
    name: str
    priority: int
    kind: RuleType
    statement: Statement | None = None
    action: RuleAction | None = None
    labels: tuple[str, ...] = ()
    group: Group | None = None
    override_count: bool = False
    managed: tuple[str, str] | None = None  # (Name, VendorName)


@dataclass
class WebACL:
    name: str
    namespace: str
    default: RuleAction
    rules: tuple[Rule, ...]
    body_limit: int


@dataclass(frozen=True)
class Options:
    search_strings: SearchStrings = "base64"
    resource_type: str = "ALB"
    body_limit: int | None = None


@dataclass
class Resources:
    """``get-ip-set``, ``get-regex-pattern-set`` and ``get-rule-group`` outputs by ARN."""

    ip_sets: dict[str, tuple[list[IPNetwork], str]] = field(default_factory=dict)
    regex_sets: dict[str, tuple[list[Any], str]] = field(default_factory=dict)
    rule_groups: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)
    # (VendorName, Name) -> this project's stand-in for a managed group's rules.
    managed_groups: dict[tuple[str, str], tuple[dict[str, Any], str]] = field(default_factory=dict)

    def add(self, doc: Any, source: str) -> None:
        """One file's JSON: an output object, or a list of them."""
        if isinstance(doc, list):
            for i, item in enumerate(doc):
                self._add_one(item, f"{source}: [{i}]", ".")
        else:
            self._add_one(doc, source, ": ")

    def _add_one(self, item: Any, where: str, sep: str) -> None:
        item = check.obj(item, where)
        for key in ("IPSet", "RegexPatternSet", "RuleGroup", "ManagedRuleGroup"):
            if key in item:
                break
        else:
            raise WafInputError(
                where,
                "expected get-ip-set, get-regex-pattern-set or get-rule-group output "
                "(IPSet, RegexPatternSet or RuleGroup)",
            )
        path = f"{where}{sep}{key}"
        body = check.obj(item[key], path)
        if key == "ManagedRuleGroup":
            # This project's own format, a stand-in for a managed group's rules
            # (which are not public) in teaching examples: VendorName, Name,
            # LabelNamespace and Rules, the rules as in a RuleGroup.
            vendor, name = check.string(body, "VendorName", path), check.string(body, "Name", path)
            self.managed_groups[(vendor, name)] = (body, path)
            return
        arn = check.string(body, "ARN", path)
        if key == "IPSet":
            nets = []
            addresses = check.lst(check.field(body, "Addresses", path), f"{path}.Addresses")
            for i, a in enumerate(addresses):
                if not isinstance(a, str):
                    raise WafInputError(
                        f"{path}.Addresses[{i}]", f"expected a CIDR string, not {check.kind(a)}"
                    )
                try:
                    nets.append(ipaddress.ip_network(a, strict=False))
                except (ValueError, TypeError):
                    raise WafInputError(f"{path}.Addresses[{i}]", f"{a!r} is not a CIDR") from None
            self.ip_sets[arn] = (nets, path)
        elif key == "RegexPatternSet":
            items = check.lst(
                check.field(body, "RegularExpressionList", path), f"{path}.RegularExpressionList"
            )
            patterns = []
            for i, r in enumerate(items):
                rp = f"{path}.RegularExpressionList[{i}]"
                patterns.append(
                    _regex(check.string(check.obj(r, rp), "RegexString", rp), f"{rp}.RegexString")
                )
            self.regex_sets[arn] = (patterns, path)
        else:
            self.rule_groups[arn] = (body, path)


def _regex(pattern: str, path: str) -> Any:
    try:
        return re.compile(pattern).search
    except (re.error, RecursionError, OverflowError) as exc:
        raise WafInputError(
            path, f"not a regular expression this engine can read ({exc})"
        ) from None


def _account(arn: Any) -> str | None:
    if isinstance(arn, str):
        parts = arn.split(":")
        if len(parts) > 4 and parts[4]:
            return parts[4]
    return None


def body_limit(resource_type: str, web_acl: dict[str, Any], path: str = "AssociationConfig") -> int:
    """The body inspection limit for `resource_type` under this web ACL's AssociationConfig."""
    rtype = RESOURCE_TYPE_ALIASES.get(resource_type, resource_type)
    if rtype in BODY_LIMIT_FIXED:
        return BODY_LIMIT_FIXED[rtype]
    if rtype not in BODY_LIMIT_DEFAULT:
        raise WafInputError(
            "--resource-type", f"{resource_type!r} is not one of {', '.join(RESOURCE_TYPES)}"
        )
    limit = BODY_LIMIT_DEFAULT[rtype]
    config = web_acl.get("AssociationConfig")
    if isinstance(config, dict) and isinstance(config.get("RequestBody"), dict):
        # Amplify uses the CloudFront setting.
        entry = config["RequestBody"].get("CLOUDFRONT" if rtype == "AMPLIFY" else rtype)
        if isinstance(entry, dict) and "DefaultSizeInspectionLimit" in entry:
            p = f"{path}.RequestBody.{rtype}"
            limit = SIZE_INSPECTION_LIMITS[
                check.enum(entry, "DefaultSizeInspectionLimit", p, SIZE_INSPECTION_LIMITS)
            ]
    return limit


class _Compiler:
    def __init__(self, resources: Resources, options: Options, body_limit: int) -> None:
        self.resources = resources
        self.options = options
        self.body_limit = body_limit
        self.bodies: dict[str, Any] = {}
        self.bodies_path = ""

    # ---- rules -------------------------------------------------------
    def rules(self, rules: Any, path: str, namespace: str, top: bool) -> tuple[Rule, ...]:
        out = []
        priorities: dict[int, str] = {}
        for i, raw in enumerate(check.lst(rules, path)):
            rp = f"{path}[{i}]"
            rule = self.rule(check.obj(raw, rp), rp, namespace, top)
            if rule.priority in priorities:
                raise WafInputError(
                    f"{rp}.Priority",
                    f"{rule.priority} is also the priority of {priorities[rule.priority]!r}; "
                    "each rule needs its own",
                )
            priorities[rule.priority] = rule.name
            out.append(rule)
        return tuple(sorted(out, key=lambda r: r.priority))

    def rule(self, raw: dict[str, Any], path: str, namespace: str, top: bool) -> Rule:
        name = check.string(raw, "Name", path)
        priority = check.integer(raw, "Priority", path)
        spec = check.obj(check.field(raw, "Statement", path), f"{path}.Statement")
        labels = []
        for i, label in enumerate(check.lst(raw.get("RuleLabels", []), f"{path}.RuleLabels")):
            lp = f"{path}.RuleLabels[{i}]"
            labels.append(namespace + check.string(check.obj(label, lp), "Name", lp))
        sp = f"{path}.Statement"
        kind_key = next(iter(spec), "") if len(spec) == 1 else ""
        if kind_key in ("RuleGroupReferenceStatement", "ManagedRuleGroupStatement"):
            if not top:
                raise WafInputError(
                    f"{sp}.{kind_key}", "a rule group can't reference another rule group"
                )
            override = check.single_key(
                check.field(raw, "OverrideAction", path), f"{path}.OverrideAction", OVERRIDE_ACTIONS
            )[0]
            inner = check.obj(spec[kind_key], f"{sp}.{kind_key}")
            if kind_key == "ManagedRuleGroupStatement":
                ip = f"{sp}.{kind_key}"
                managed = (check.string(inner, "Name", ip), check.string(inner, "VendorName", ip))
                stand_in = self.resources.managed_groups.get((managed[1], managed[0]))
                if stand_in is not None:
                    body, gpath = stand_in
                    namespace_default = f"awswaf:managed:{managed[1].lower()}:{managed[0]}:"
                    group = self._group_body(
                        f"{managed[1]}#{managed[0]}", body, gpath, inner, ip, namespace_default
                    )
                    if "ScopeDownStatement" in inner:
                        group.scope_down = self.statement(
                            inner["ScopeDownStatement"], f"{ip}.ScopeDownStatement", namespace
                        )
                    return Rule(
                        name,
                        priority,
                        "MANAGED_RULE_GROUP",
                        labels=tuple(labels),
                        group=group,
                        override_count=override == "Count",
                        managed=managed,
                    )
                return Rule(
                    name,
                    priority,
                    "MANAGED_RULE_GROUP",
                    labels=tuple(labels),
                    override_count=override == "Count",
                    managed=managed,
                )
            group = self.group(inner, f"{sp}.{kind_key}")
            return Rule(
                name,
                priority,
                "GROUP",
                labels=tuple(labels),
                group=group,
                override_count=override == "Count",
            )
        action = self.action(check.field(raw, "Action", path), f"{path}.Action")
        if kind_key == "RateBasedStatement":
            statement = self.rate_based(
                check.obj(spec[kind_key], f"{sp}.{kind_key}"), f"{sp}.{kind_key}", namespace
            )
            return Rule(name, priority, "RATE_BASED", statement, action, tuple(labels))
        return Rule(
            name, priority, "REGULAR", self.statement(spec, sp, namespace), action, tuple(labels)
        )

    def action(self, raw: Any, path: str) -> RuleAction:
        key, inner = check.single_key(raw, path, RULE_ACTIONS)
        return self._action(RULE_ACTIONS[key], check.obj(inner, f"{path}.{key}"), f"{path}.{key}")

    def default_action(self, raw: Any, path: str) -> RuleAction:
        key, inner = check.single_key(raw, path, DEFAULT_ACTIONS)
        return self._action(
            DEFAULT_ACTIONS[key], check.obj(inner, f"{path}.{key}"), f"{path}.{key}"
        )

    def _action(self, action: Action, inner: dict[str, Any], path: str) -> RuleAction:
        custom = None
        if "CustomResponse" in inner:
            cp = f"{path}.CustomResponse"
            cr = check.obj(inner["CustomResponse"], cp)
            code = check.integer(cr, "ResponseCode", cp)
            headers = tuple(self._headers(cr.get("ResponseHeaders", []), f"{cp}.ResponseHeaders"))
            key = cr.get("CustomResponseBodyKey")
            if key is None:
                custom = CustomResponse(code, headers)
            else:
                key = check.string(cr, "CustomResponseBodyKey", cp)
                body = self.bodies.get(key)
                if not isinstance(body, dict):
                    raise WafInputError(
                        f"{cp}.CustomResponseBodyKey",
                        f"{key!r} is not in {self.bodies_path or 'CustomResponseBodies'}",
                    )
                custom = CustomResponse(
                    code, headers, key, body.get("ContentType"), body.get("Content")
                )
        inserted: tuple[tuple[str, str], ...] = ()
        if "CustomRequestHandling" in inner:
            hp = f"{path}.CustomRequestHandling"
            handling = check.obj(inner["CustomRequestHandling"], hp)
            inserted = tuple(
                ("x-amzn-waf-" + n, v)
                for n, v in self._headers(
                    check.field(handling, "InsertHeaders", hp), f"{hp}.InsertHeaders"
                )
            )
        return RuleAction(action, custom, inserted)

    def _headers(self, raw: Any, path: str) -> list[tuple[str, str]]:
        out = []
        for i, h in enumerate(check.lst(raw, path)):
            hp = f"{path}[{i}]"
            h = check.obj(h, hp)
            out.append((check.string(h, "Name", hp), check.string(h, "Value", hp)))
        return out

    def group(self, ref: dict[str, Any], path: str) -> Group:
        arn = check.string(ref, "ARN", path)
        found = self.resources.rule_groups.get(arn)
        if found is None:
            raise WafInputError(
                f"{path}.ARN",
                f"no --resources file holds the rule group {arn} "
                "(give its `aws wafv2 get-rule-group` output)",
            )
        body, gpath = found
        name = check.string(body, "Name", gpath)
        default = f"awswaf:{_account(arn) or _NO_ACCOUNT}:rulegroup:{name}:"
        return self._group_body(arn, body, gpath, ref, path, default)

    def _group_body(
        self,
        group_id: str,
        body: dict[str, Any],
        gpath: str,
        ref: dict[str, Any],
        path: str,
        default_namespace: str,
    ) -> Group:
        name = check.string(body, "Name", gpath)
        namespace = body.get("LabelNamespace")
        if not isinstance(namespace, str) or not namespace:
            namespace = default_namespace
        saved = self.bodies, self.bodies_path
        self.bodies = check.obj(
            body.get("CustomResponseBodies", {}), f"{gpath}.CustomResponseBodies"
        )
        self.bodies_path = f"{gpath}.CustomResponseBodies"
        try:
            rules = self.rules(
                check.field(body, "Rules", gpath), f"{gpath}.Rules", namespace, top=False
            )
        finally:
            self.bodies, self.bodies_path = saved
        excluded = set()
        for i, e in enumerate(check.lst(ref.get("ExcludedRules", []), f"{path}.ExcludedRules")):
            ep = f"{path}.ExcludedRules[{i}]"
            excluded.add(check.string(check.obj(e, ep), "Name", ep))
        overrides = {}
        for i, o in enumerate(
            check.lst(ref.get("RuleActionOverrides", []), f"{path}.RuleActionOverrides")
        ):
            op = f"{path}.RuleActionOverrides[{i}]"
            o = check.obj(o, op)
            overrides[check.string(o, "Name", op)] = self.action(
                check.field(o, "ActionToUse", op), f"{op}.ActionToUse"
            )
        return Group(group_id, name, namespace, rules, frozenset(excluded), overrides)

    # ---- statements --------------------------------------------------
    def statement(self, raw: Any, path: str, namespace: str) -> Statement:
        spec = check.obj(raw, path)
        if len(spec) != 1:
            raise WafInputError(path, "expected exactly one statement")
        ((kind, inner),) = spec.items()
        sp = f"{path}.{kind}"
        inner = check.obj(inner, sp)
        if kind in ("AndStatement", "OrStatement"):
            parts = check.lst(check.field(inner, "Statements", sp), f"{sp}.Statements")
            if len(parts) < 2:
                raise WafInputError(f"{sp}.Statements", "needs at least two statements")
            compiled = [
                self.statement(p, f"{sp}.Statements[{i}]", namespace) for i, p in enumerate(parts)
            ]
            return And(compiled) if kind == "AndStatement" else Or(compiled)
        if kind == "NotStatement":
            return Not(
                self.statement(check.field(inner, "Statement", sp), f"{sp}.Statement", namespace)
            )
        if kind == "ByteMatchStatement":
            constraint = check.enum(inner, "PositionalConstraint", sp, POSITIONAL_CONSTRAINTS)
            search = self.search_string(inner, sp)
            if constraint == "CONTAINS_WORD" and not all(
                c.isascii() and (c.isalnum() or c == "_") for c in search
            ):
                raise WafInputError(
                    f"{sp}.SearchString", "with CONTAINS_WORD it may hold only A-Z, a-z, 0-9 and _"
                )
            return ByteMatch(*self.inspect(inner, sp), search, constraint)
        if kind == "RegexMatchStatement":
            pattern = _regex(check.string(inner, "RegexString", sp), f"{sp}.RegexString")
            return RegexMatch(*self.inspect(inner, sp), [pattern])
        if kind == "RegexPatternSetReferenceStatement":
            arn = check.string(inner, "ARN", sp)
            found = self.resources.regex_sets.get(arn)
            if found is None:
                raise WafInputError(
                    f"{sp}.ARN",
                    f"no --resources file holds the regex pattern set {arn} "
                    "(give its `aws wafv2 get-regex-pattern-set` output)",
                )
            return RegexMatch(*self.inspect(inner, sp), found[0])
        if kind == "SizeConstraintStatement":
            op = check.enum(inner, "ComparisonOperator", sp, COMPARISON_OPERATORS)
            size = check.integer(inner, "Size", sp)
            return SizeConstraint(*self.inspect(inner, sp), op, size)
        if kind == "SqliMatchStatement":
            level = check.enum(inner, "SensitivityLevel", sp, SENSITIVITY_LEVELS, "LOW")
            return SqliMatch(*self.inspect(inner, sp), level)
        if kind == "XssMatchStatement":
            return XssMatch(*self.inspect(inner, sp))
        if kind == "IPSetReferenceStatement":
            arn = check.string(inner, "ARN", sp)
            ip_set = self.resources.ip_sets.get(arn)
            if ip_set is None:
                raise WafInputError(
                    f"{sp}.ARN",
                    f"no --resources file holds the IP set {arn} "
                    "(give its `aws wafv2 get-ip-set` output)",
                )
            forwarded = None
            if "IPSetForwardedIPConfig" in inner:
                fp = f"{sp}.IPSetForwardedIPConfig"
                cfg = check.obj(inner["IPSetForwardedIPConfig"], fp)
                forwarded = ForwardedIP(
                    check.string(cfg, "HeaderName", fp),
                    check.enum(cfg, "FallbackBehavior", fp, FALLBACK_BEHAVIORS) == "MATCH",
                    check.enum(cfg, "Position", fp, FORWARDED_POSITIONS),
                )
            return IPSetMatch(ip_set[0], forwarded)
        if kind == "GeoMatchStatement":
            codes = check.lst(check.field(inner, "CountryCodes", sp), f"{sp}.CountryCodes")
            for i, c in enumerate(codes):
                if not isinstance(c, str):
                    raise WafInputError(f"{sp}.CountryCodes[{i}]", "expected a country code string")
            if "ForwardedIPConfig" in inner:
                self._forwarded(inner["ForwardedIPConfig"], f"{sp}.ForwardedIPConfig")
            return GeoMatch(frozenset(codes), "ForwardedIPConfig" in inner)
        if kind == "LabelMatchStatement":
            scope = check.enum(inner, "Scope", sp, LABEL_SCOPES)
            return LabelMatch(check.string(inner, "Key", sp), scope == "NAMESPACE", namespace)
        if kind in (
            "RateBasedStatement",
            "RuleGroupReferenceStatement",
            "ManagedRuleGroupStatement",
        ):
            raise WafInputError(sp, "can only be a rule's top-level statement")
        raise WafInputError(sp, "this statement type is not modelled by this engine")

    def search_string(self, inner: dict[str, Any], path: str) -> str:
        raw = check.string(inner, "SearchString", path)
        if self.options.search_strings == "text":
            return raw
        try:
            return from_bytes(base64.b64decode(raw, validate=True))
        except (binascii.Error, ValueError):
            raise WafInputError(
                f"{path}.SearchString",
                f"{raw!r} is not base64; `aws wafv2 get-web-acl` prints SearchString "
                "base64-encoded (use --search-strings text for an ACL written with plain text)",
            ) from None

    def inspect(self, inner: dict[str, Any], path: str) -> tuple[Any, Transform]:
        extract = compile_field(
            check.field(inner, "FieldToMatch", path), f"{path}.FieldToMatch", self.body_limit
        )
        return extract, self.transforms(
            check.field(inner, "TextTransformations", path), f"{path}.TextTransformations"
        )

    def transforms(self, raw: Any, path: str) -> Transform:
        steps = []
        seen: set[int] = set()
        for i, t in enumerate(check.lst(raw, path)):
            tp = f"{path}[{i}]"
            t = check.obj(t, tp)
            priority = check.integer(t, "Priority", tp)
            if priority in seen:
                raise WafInputError(
                    f"{tp}.Priority", f"{priority} is used twice; priorities must all be different"
                )
            seen.add(priority)
            steps.append((priority, TRANSFORMS[check.enum(t, "Type", tp, TRANSFORMS)]))
        return chain([f for _, f in sorted(steps, key=lambda s: s[0])])

    def _forwarded(self, raw: Any, path: str) -> ForwardedIP:
        cfg = check.obj(raw, path)
        return ForwardedIP(
            check.string(cfg, "HeaderName", path),
            check.enum(cfg, "FallbackBehavior", path, FALLBACK_BEHAVIORS) == "MATCH",
        )

    def rate_based(self, inner: dict[str, Any], path: str, namespace: str) -> RateBased:
        limit = check.integer(inner, "Limit", path)
        if limit < MIN_RATE_LIMIT:
            raise WafInputError(
                f"{path}.Limit", f"{limit} is below AWS's minimum of {MIN_RATE_LIMIT}"
            )
        window = check.integer(inner, "EvaluationWindowSec", path, DEFAULT_EVALUATION_WINDOW)
        if window not in EVALUATION_WINDOWS:
            raise WafInputError(
                f"{path}.EvaluationWindowSec", f"{window} is not one of 60, 120, 300, 600"
            )
        key_type = check.enum(inner, "AggregateKeyType", path, AGGREGATE_KEY_TYPES, "IP")
        scope = None
        if "ScopeDownStatement" in inner:
            scope = self.statement(
                inner["ScopeDownStatement"], f"{path}.ScopeDownStatement", namespace
            )
        elif key_type == "CONSTANT":
            raise WafInputError(
                f"{path}.ScopeDownStatement", "missing (AggregateKeyType CONSTANT needs one)"
            )
        forwarded = (
            self._forwarded(inner["ForwardedIPConfig"], f"{path}.ForwardedIPConfig")
            if "ForwardedIPConfig" in inner
            else None
        )
        keys: list[KeyPart] = []
        if key_type == "IP":
            keys.append(lambda r, s: r.client_ip)
        elif key_type == "FORWARDED_IP":
            if forwarded is None:
                raise WafInputError(
                    f"{path}.ForwardedIPConfig", "missing (AggregateKeyType FORWARDED_IP needs one)"
                )
            keys.append(_forwarded_key(forwarded))
        elif key_type == "CUSTOM_KEYS":
            custom = check.lst(check.field(inner, "CustomKeys", path), f"{path}.CustomKeys")
            for i, k in enumerate(custom):
                keys.append(self.custom_key(k, f"{path}.CustomKeys[{i}]", forwarded))
        return RateBased(limit, window, keys, scope)

    def custom_key(self, raw: Any, path: str, forwarded: ForwardedIP | None) -> KeyPart:
        spec = check.obj(raw, path)
        if len(spec) != 1:
            raise WafInputError(path, "expected exactly one aggregate key")
        ((kind, inner),) = spec.items()
        kp = f"{path}.{kind}"
        inner = check.obj(inner, kp)
        if kind == "IP":
            return lambda r, s: r.client_ip
        if kind == "ForwardedIP":
            if forwarded is None:
                raise WafInputError(kp, "needs the rate-based statement's ForwardedIPConfig")
            return _forwarded_key(forwarded)
        if kind == "HTTPMethod":
            return lambda r, s: r.method
        if kind == "LabelNamespace":
            ns = check.string(inner, "Namespace", kp)
            return lambda r, s: (
                "|".join(sorted(label for label in s.labels if label.startswith(ns))) or None
            )
        t = self.transforms(
            check.field(inner, "TextTransformations", kp), f"{kp}.TextTransformations"
        )
        if kind == "QueryString":
            return lambda r, s: t(r.args) if r.args else None
        if kind == "UriPath":
            return lambda r, s: t(r.uri)
        name = check.string(inner, "Name", kp)
        if kind == "Header":
            return lambda r, s: _first(t, r.header_values(name))
        if kind == "Cookie":
            return lambda r, s: _first(t, [v for n, v in parse_cookies(r) if n == name])
        if kind == "QueryArgument":
            lower = name.lower()
            return lambda r, s: _first(t, [v for n, v in parse_args(r.args) if n.lower() == lower])
        raise WafInputError(kp, "this aggregate key is not modelled by this engine")


def _first(t: Transform, values: Sequence[str]) -> str | None:
    return t(values[0]) if values else None


def _forwarded_key(cfg: ForwardedIP) -> KeyPart:
    """The first address in the header. A request without the header is not
    counted; one whose address is not valid gets the FallbackBehavior
    (API_ForwardedIPConfig.html): True (match) or None (not counted)."""

    def key(r: Any, s: State) -> Any:
        values = r.header_values(cfg.header)
        if not values:
            return None
        ip = parse_ip(values[0].split(",")[0])
        if ip is None:
            return True if cfg.fallback_match else None
        return str(ip)

    return key


def unwrap(doc: Any, source: str) -> tuple[dict[str, Any], str]:
    """The WebACL object of `get-web-acl` output or of a bare WebACL, and its path."""
    if isinstance(doc, dict) and "WebACL" in doc:
        return check.obj(doc["WebACL"], f"{source}: WebACL"), f"{source}: WebACL"
    if isinstance(doc, dict) and "Rules" in doc and "DefaultAction" in doc:
        return doc, f"{source}:"
    raise WafInputError(
        source, 'expected `aws wafv2 get-web-acl` output ({"WebACL": {...}}) or a WebACL object'
    )


def load_web_acl(
    doc: Any,
    resources: Resources | None = None,
    options: Options | None = None,
    *,
    source: str = "(web ACL)",
) -> WebACL:
    """Compile a web ACL; bad input raises WafInputError with the JSON path."""
    options = options or Options()
    web_acl, root = unwrap(doc, source)

    def p(key: str) -> str:
        return f"{root} {key}" if root.endswith(":") else f"{root}.{key}"

    name = web_acl.get("Name")
    if not isinstance(name, str):
        raise WafInputError(p("Name"), "missing or not a string")
    namespace = web_acl.get("LabelNamespace")
    if not isinstance(namespace, str) or not namespace:
        namespace = f"awswaf:{_account(web_acl.get('ARN')) or _NO_ACCOUNT}:webacl:{name}:"
    limit = (
        options.body_limit
        if options.body_limit is not None
        else body_limit(options.resource_type, web_acl, p("AssociationConfig"))
    )
    compiler = _Compiler(resources or Resources(), options, limit)
    compiler.bodies = check.obj(web_acl.get("CustomResponseBodies", {}), p("CustomResponseBodies"))
    compiler.bodies_path = p("CustomResponseBodies")
    default = compiler.default_action(web_acl.get("DefaultAction"), p("DefaultAction"))
    rules = compiler.rules(web_acl.get("Rules", []), p("Rules"), namespace, top=True)
    return WebACL(name, namespace, default, rules, limit)


def load_resources(docs: Iterable[tuple[Any, str]]) -> Resources:
    """Resources from (JSON value, file name) pairs."""
    resources = Resources()
    for doc, source in docs:
        resources.add(doc, source)
    return resources
