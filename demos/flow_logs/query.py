"""``query --where EXPR``: a small filter language over records.

    EXPR  := TERM ("or" TERM)*
    TERM  := FACTOR ("and" FACTOR)*
    FACTOR:= "not" FACTOR | "(" EXPR ")" | TEST
    TEST  := FIELD OP VALUE | FIELD "in" CIDR | FIELD "in" LOW-HIGH
    OP    := "=" | "!=" | "<" | ">" | "<=" | ">="

FIELD is a flow log field by its AWS name (``dstport``, ``log-status``).
``<`` and ``>`` compare numbers only. ``protocol`` takes a number or IANA's
keyword (``tcp``, ``udp``, ``icmp``). ``-`` is "no value". A field that is
``-`` or not in the format fails every test except ``!=``.
Unless EXPR names ``log-status``, only OK records match (NODATA and
SKIPDATA records are not traffic).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Iterator

from . import addresses
from .errors import FlowLogError
from .fields import FIELDS
from .protocols import NUMBERS
from .records import Record, Value, status

HELP = __doc__ or ""
Predicate = Callable[[Record], bool]
_TOKEN = re.compile(r"\s*(\(|\)|!=|<=|>=|=|<|>|[^\s()=!<>]+)")
_KEYWORDS = ("and", "or", "not", "in")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[int, str]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            match = _TOKEN.match(text, pos)
            if match is None:
                self.fail(pos, f"unexpected {text[pos]!r}")
            assert match is not None
            self.tokens.append((match.start(1), match.group(1)))
            pos = match.end()
        self.i = 0
        self.fields: set[str] = set()

    def fail(self, pos: int, message: str) -> None:
        raise FlowLogError("--where", f"at column {pos + 1}: {message}")

    def peek(self) -> str | None:
        return self.tokens[self.i][1] if self.i < len(self.tokens) else None

    def take(self, what: str) -> tuple[int, str]:
        if self.i >= len(self.tokens):
            self.fail(len(self.text), f"expected {what}, found the end")
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Predicate:
        if not self.tokens:
            self.fail(0, "empty expression")
        pred = self.expr()
        if self.i < len(self.tokens):
            pos, tok = self.tokens[self.i]
            self.fail(pos, f"unexpected {tok!r}")
        return pred

    def expr(self) -> Predicate:
        parts = [self.term()]
        while self.peek() == "or":
            self.i += 1
            parts.append(self.term())
        if len(parts) == 1:
            return parts[0]
        return lambda r: any(p(r) for p in parts)

    def term(self) -> Predicate:
        parts = [self.factor()]
        while self.peek() == "and":
            self.i += 1
            parts.append(self.factor())
        if len(parts) == 1:
            return parts[0]
        return lambda r: all(p(r) for p in parts)

    def factor(self) -> Predicate:
        tok = self.peek()
        if tok == "not":
            self.i += 1
            inner = self.factor()
            return lambda r: not inner(r)
        if tok == "(":
            self.i += 1
            inner = self.expr()
            pos, close = self.take("')'")
            if close != ")":
                self.fail(pos, f"expected ')', found {close!r}")
            return inner
        return self.test()

    def test(self) -> Predicate:
        pos, name = self.take("a field name")
        if name not in FIELDS:
            self.fail(pos, f"{name!r} is not a flow log field")
        self.fields.add(name)
        op_pos, op = self.take("an operator")
        if op not in ("=", "!=", "<", ">", "<=", ">=", "in"):
            self.fail(op_pos, f"expected an operator after {name!r}, found {op!r}")
        val_pos, raw = self.take("a value")
        if raw in ("(", ")", "=", "!=", "<", ">", "<=", ">=") or raw in _KEYWORDS:
            self.fail(val_pos, f"expected a value, found {raw!r}")
        kind = FIELDS[name].kind
        if op == "in":
            return self._in(name, kind, raw, val_pos)
        if op in ("<", ">", "<=", ">="):
            if kind != "int":
                self.fail(op_pos, f"{op} compares numbers, and {name!r} is not one")
            bound = self._number(name, raw, val_pos)
            if bound is None:
                self.fail(val_pos, f"{op} needs a number, not '-'")
            return _compare(name, op, bound)  # type: ignore[arg-type]
        value: Value
        if kind == "int":
            value = self._number(name, raw, val_pos)
        elif kind == "addr" and raw != "-":
            addr = addresses.parse(raw)
            if addr is None:
                self.fail(val_pos, f"{raw!r} is not an address")
            value = str(addr)
        else:
            value = None if raw == "-" else raw
        if kind == "addr" and value is not None:
            target = value

            def equal(r: Record) -> bool:
                got = r.get(name)
                return isinstance(got, str) and (
                    got == target or str(addresses.parse(got)) == target
                )

        else:

            def equal(r: Record) -> bool:
                return r.get(name) == value

        if op == "=":
            return equal
        return lambda r: not equal(r)

    def _number(self, name: str, raw: str, pos: int) -> int | None:
        if raw == "-":
            return None
        if name == "protocol" and raw.lower() in NUMBERS:
            return NUMBERS[raw.lower()]
        if not (raw.isascii() and raw.isdigit()):
            self.fail(pos, f"{name!r} is a number, not {raw!r}")
        return int(raw)

    def _in(self, name: str, kind: str, raw: str, pos: int) -> Predicate:
        if kind == "addr":
            try:
                net = ipaddress.ip_network(raw, strict=False)
            except ValueError:
                self.fail(pos, f"{raw!r} is not a CIDR block")
                raise  # pragma: no cover

            def inside(r: Record) -> bool:
                got = r.get(name)
                if not isinstance(got, str):
                    return False
                addr = addresses.parse(got)
                return addr is not None and addr.version == net.version and addr in net

            return inside
        if kind == "int":
            lo_text, sep, hi_text = raw.partition("-")
            lo = self._number(name, lo_text, pos) if lo_text else None
            hi = self._number(name, hi_text, pos) if sep else lo
            if lo is None or hi is None or lo > hi:
                self.fail(pos, f"{raw!r} is not a range LOW-HIGH")
            assert lo is not None
            assert hi is not None

            def within(r: Record) -> bool:
                got = r.get(name)
                return isinstance(got, int) and lo <= got <= hi

            return within
        self.fail(pos, f"'in' takes an address or number field, and {name!r} is neither")
        raise AssertionError  # pragma: no cover


def _compare(name: str, op: str, bound: int) -> Predicate:
    def test(r: Record) -> bool:
        got = r.get(name)
        if not isinstance(got, int):
            return False
        if op == "<":
            return got < bound
        if op == ">":
            return got > bound
        if op == "<=":
            return got <= bound
        return got >= bound

    return test


def compile_where(text: str) -> Predicate:
    """A predicate over records; ``FlowLogError("--where", ...)`` if malformed."""
    parser = _Parser(text)
    pred = parser.parse()
    if "log-status" in parser.fields:
        return pred
    return lambda r: status(r) == "OK" and pred(r)


def query(records: Iterable[Record], where: str) -> Iterator[Record]:
    """The records that match ``where``."""
    pred = compile_where(where)
    return (r for r in records if pred(r))
