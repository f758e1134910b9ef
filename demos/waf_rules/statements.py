"""Compiled rule statements. Each one answers ``evaluate(request, state)``
with True (match), False (no match) or None (can't be evaluated offline;
reported in ``skipped``, never taken as a match). And, Or and Not combine
them in three-valued logic, so that an unknown never turns into a match.
"""

from __future__ import annotations

import ipaddress
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from . import injection
from .fields import Extractor
from .model import Request
from .rules import FORWARDED_ANY_MAX, WORD_CHARS
from .transforms import Transform, to_bytes

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass
class State:
    """What one request's evaluation has gathered so far."""

    labels: list[str] = field(default_factory=list)
    label_set: set[str] = field(default_factory=set)
    # Set by a SQLi or XSS statement whenever one is evaluated for the rule.
    approximate: bool = False
    # Why statements were skipped, for the current rule.
    unknown: list[str] = field(default_factory=list)
    namespace: str = ""
    # Rate-based counters of this run: node id -> key -> timestamps.
    rates: dict[int, dict[tuple[str, ...], deque[int]]] = field(default_factory=dict)
    timestamp: int = 0

    # Labels added by a match that was approximate (SQLi or XSS): a label
    # match that finds one makes its own rule's match approximate too.
    approximate_labels: set[str] = field(default_factory=set)

    def add_label(self, label: str, approximate: bool = False) -> None:
        if label not in self.label_set:
            self.label_set.add(label)
            self.labels.append(label)
        if approximate:
            self.approximate_labels.add(label)


class Statement:
    """A node of a rule's statement tree."""

    def evaluate(self, request: Request, state: State) -> bool | None:
        raise NotImplementedError


class _Inspecting(Statement):
    """A statement over a FieldToMatch, after TextTransformations."""

    def __init__(self, extract: Extractor, transform: Transform) -> None:
        self.extract = extract
        self.transform = transform

    def evaluate(self, request: Request, state: State) -> bool | None:
        forced, values = self.extract(request)
        if forced is not None:
            return forced
        transform, test = self.transform, self.test
        for v in values:  # noqa: SIM110 (a loop: cheaper than any() over a generator)
            if test(transform(v), state):
                return True
        return False

    def test(self, value: str, state: State) -> bool:
        raise NotImplementedError


class ByteMatch(_Inspecting):
    """https://docs.aws.amazon.com/waf/latest/APIReference/API_ByteMatchStatement.html"""

    def __init__(
        self, extract: Extractor, transform: Transform, search: str, constraint: str
    ) -> None:
        super().__init__(extract, transform)
        self.search = search
        self.constraint = constraint

    def test(self, value: str, state: State) -> bool:
        s, c = self.search, self.constraint
        if c == "CONTAINS":
            return s in value
        if c == "EXACTLY":
            return value == s
        if c == "STARTS_WITH":
            return value.startswith(s)
        if c == "ENDS_WITH":
            return value.endswith(s)
        return contains_word(value, s)


def contains_word(value: str, word: str) -> bool:
    """`word` in `value` with no alphanumeric or underscore character on either side."""
    start = value.find(word)
    while start != -1:
        end = start + len(word)
        before = start == 0 or value[start - 1] not in WORD_CHARS
        after = end == len(value) or value[end] not in WORD_CHARS
        if before and after:
            return True
        start = value.find(word, start + 1)
    return False


class RegexMatch(_Inspecting):
    """RegexMatchStatement and RegexPatternSetReferenceStatement: any pattern found."""

    def __init__(
        self, extract: Extractor, transform: Transform, patterns: Sequence[Callable[[str], object]]
    ) -> None:
        super().__init__(extract, transform)
        self.patterns = tuple(patterns)

    def test(self, value: str, state: State) -> bool:
        return any(p(value) is not None for p in self.patterns)


class SizeConstraint(_Inspecting):
    """https://docs.aws.amazon.com/waf/latest/APIReference/API_SizeConstraintStatement.html
    (the size in bytes, after the transformations)."""

    def __init__(self, extract: Extractor, transform: Transform, operator: str, size: int) -> None:
        super().__init__(extract, transform)
        self.operator = operator
        self.size = size

    def test(self, value: str, state: State) -> bool:
        n, size, op = (
            len(to_bytes(value)) if not value.isascii() else len(value),
            self.size,
            self.operator,
        )
        return {
            "EQ": n == size,
            "NE": n != size,
            "LE": n <= size,
            "LT": n < size,
            "GE": n >= size,
            "GT": n > size,
        }[op]


class SqliMatch(_Inspecting):
    """https://docs.aws.amazon.com/waf/latest/APIReference/API_SqliMatchStatement.html
    AWS does not publish its detection: this is injection.py's approximation."""

    def __init__(self, extract: Extractor, transform: Transform, sensitivity: str) -> None:
        super().__init__(extract, transform)
        self.high = sensitivity == "HIGH"

    def evaluate(self, request: Request, state: State) -> bool | None:
        state.approximate = True
        return super().evaluate(request, state)

    def test(self, value: str, state: State) -> bool:
        return injection.is_sqli(value, high=self.high)


class XssMatch(_Inspecting):
    """https://docs.aws.amazon.com/waf/latest/APIReference/API_XssMatchStatement.html
    AWS does not publish its detection: this is injection.py's approximation."""

    def evaluate(self, request: Request, state: State) -> bool | None:
        state.approximate = True
        return super().evaluate(request, state)

    def test(self, value: str, state: State) -> bool:
        return injection.is_xss(value)


@lru_cache(maxsize=65536)
def parse_ip(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class ForwardedIP:
    """IPSetForwardedIPConfig or ForwardedIPConfig: the header, what to do
    when it is missing or invalid, and (IP sets only) which address to use.
    https://docs.aws.amazon.com/waf/latest/APIReference/API_IPSetForwardedIPConfig.html
    """

    header: str
    fallback_match: bool
    position: str = "FIRST"

    def addresses(self, request: Request) -> list[IPAddress] | None:
        """The addresses to check, or None where the fallback applies."""
        values = request.header_values(self.header)
        if not values:
            return None
        items = [p for p in values[0].split(",")]
        if self.position == "FIRST":
            items = items[:1]
        elif self.position == "LAST":
            items = items[-1:]
        else:
            items = items[-FORWARDED_ANY_MAX:]
        # The fallback applies when there is no valid address "in the specified
        # position"; with ANY, the valid ones among the last 10 are checked.
        out = [ip for ip in map(parse_ip, items) if ip is not None]
        return out or None


class IPSetMatch(Statement):
    """https://docs.aws.amazon.com/waf/latest/APIReference/API_IPSetReferenceStatement.html"""

    def __init__(self, networks: Sequence[IPNetwork], forwarded: ForwardedIP | None) -> None:
        self.v4 = tuple(n for n in networks if n.version == 4)
        self.v6 = tuple(n for n in networks if n.version == 6)
        self.forwarded = forwarded

    def _contains(self, ip: IPAddress) -> bool:
        nets: tuple[IPNetwork, ...] = self.v4 if ip.version == 4 else self.v6
        return any(ip in n for n in nets)

    def evaluate(self, request: Request, state: State) -> bool | None:
        if self.forwarded is None:
            ip = parse_ip(request.client_ip)
            return ip is not None and self._contains(ip)
        ips = self.forwarded.addresses(request)
        if ips is None:
            return self.forwarded.fallback_match
        return any(self._contains(ip) for ip in ips)


class GeoMatch(Statement):
    """https://docs.aws.amazon.com/waf/latest/APIReference/API_GeoMatchStatement.html
    A log's ``country`` is that of ``clientIp``: with a ForwardedIPConfig the
    country of the forwarded address is unknown offline, so the statement is skipped."""

    def __init__(self, countries: frozenset[str], forwarded: bool) -> None:
        self.countries = countries
        self.forwarded = forwarded

    def evaluate(self, request: Request, state: State) -> bool | None:
        if self.forwarded:
            state.unknown.append(
                "GeoMatchStatement with ForwardedIPConfig: a log gives the country of clientIp only"
            )
            return None
        if request.country is None:
            return False
        # "A geo match rule labels every request that it inspects regardless of
        # whether it finds a match." The region label needs the region, which
        # a log does not hold, so only the country label is added.
        state.add_label(f"awswaf:clientip:geo:country:{request.country}")
        return request.country in self.countries


class LabelMatch(Statement):
    """https://docs.aws.amazon.com/waf/latest/APIReference/API_LabelMatchStatement.html

    A key that is not fully qualified (does not start with ``awswaf:``) is
    looked for among labels added in the statement's own context (the web
    ACL's or the rule group's namespace)."""

    def __init__(self, key: str, namespace_scope: bool, context: str) -> None:
        full = key if key.startswith("awswaf:") else context + key
        if namespace_scope and not full.endswith(":"):
            full += ":"
        self.full = full
        self.namespace_scope = namespace_scope

    def evaluate(self, request: Request, state: State) -> bool | None:
        if not self.namespace_scope:
            found = [self.full] if self.full in state.label_set else []
        else:
            found = [label for label in state.labels if label.startswith(self.full)]
        if any(label in state.approximate_labels for label in found):
            state.approximate = True
        return bool(found)


class And(Statement):
    def __init__(self, parts: Sequence[Statement]) -> None:
        self.parts = tuple(parts)

    def evaluate(self, request: Request, state: State) -> bool | None:
        result: bool | None = True
        for p in self.parts:
            r = p.evaluate(request, state)
            if r is False:
                return False
            if r is None:
                result = None
        return result


class Or(Statement):
    def __init__(self, parts: Sequence[Statement]) -> None:
        self.parts = tuple(parts)

    def evaluate(self, request: Request, state: State) -> bool | None:
        result: bool | None = False
        for p in self.parts:
            r = p.evaluate(request, state)
            if r is True:
                return True
            if r is None:
                result = None
        return result


class Not(Statement):
    def __init__(self, part: Statement) -> None:
        self.part = part

    def evaluate(self, request: Request, state: State) -> bool | None:
        r = self.part.evaluate(request, state)
        return None if r is None else not r


KeyPart = Callable[[Request, State], str | None]


class RateBased(Statement):
    """https://docs.aws.amazon.com/waf/latest/APIReference/API_RateBasedStatement.html

    Counts, per aggregation key, the requests that reach the rule (and match
    its scope-down statement) over the last `window_ms`, by ``timestamp``.
    A request matches once its key's count, itself included, exceeds `limit`.
    A request missing a component of the key is neither counted nor limited.
    """

    _next_id = 0

    def __init__(
        self, limit: int, window_s: int, keys: Sequence[KeyPart], scope_down: Statement | None
    ) -> None:
        self.limit = limit
        self.window_ms = window_s * 1000
        self.keys = tuple(keys)
        self.scope_down = scope_down
        RateBased._next_id += 1
        self.id = RateBased._next_id

    def evaluate(self, request: Request, state: State) -> bool | None:
        if self.scope_down is not None:
            scoped = self.scope_down.evaluate(request, state)
            if scoped is not True:
                return scoped
        key: list[str] = []
        for part in self.keys:
            value = part(request, state)
            if value is None:
                return False
            key.append(value)
        counters = state.rates.setdefault(self.id, {})
        seen = counters.setdefault(tuple(key), deque())
        now = state.timestamp
        seen.append(now)
        horizon = now - self.window_ms
        while seen and seen[0] <= horizon:
            seen.popleft()
        return len(seen) > self.limit
