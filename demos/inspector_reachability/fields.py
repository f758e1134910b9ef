"""Typed reads of snapshot JSON: each names the JSON path of a bad value in
the ``SnapshotError`` it raises."""

from __future__ import annotations

import ipaddress
from typing import Any, cast

from .errors import SnapshotError
from .model import Family

Obj = dict[str, Any]

_JSON_TYPE = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}


def kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return _JSON_TYPE.get(type(value), type(value).__name__)


def obj(value: object, path: str) -> Obj:
    if not isinstance(value, dict):
        raise SnapshotError(path, f"expected an object, got {kind(value)}")
    return cast(Obj, value)


def items(obj: Obj, key: str, path: str) -> list[tuple[str, Obj]]:
    """The objects of an optional array, each with its path."""
    value = obj.get(key)
    if value is None:
        return []
    where = f"{path}.{key}" if path else key
    if not isinstance(value, list):
        raise SnapshotError(where, f"expected an array, got {kind(value)}")
    out = []
    for i, item in enumerate(value):
        p = f"{where}[{i}]"
        if not isinstance(item, dict):
            raise SnapshotError(p, f"expected an object, got {kind(item)}")
        out.append((p, item))
    return out


def strs(obj: Obj, key: str, path: str) -> list[str]:
    value = obj.get(key)
    if value is None:
        return []
    where = f"{path}.{key}"
    if not isinstance(value, list):
        raise SnapshotError(where, f"expected an array, got {kind(value)}")
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise SnapshotError(f"{where}[{i}]", f"expected a string, got {kind(item)}")
    return value


def string(obj: Obj, key: str, path: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str):
        if value is None:
            raise SnapshotError(f"{path}.{key}", "missing")
        raise SnapshotError(f"{path}.{key}", f"expected a string, got {kind(value)}")
    return value


def opt_str(obj: Obj, key: str, path: str) -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
    raise SnapshotError(f"{path}.{key}", f"expected a string, got {kind(value)}")


def opt_bool(obj: Obj, key: str, path: str) -> bool:
    value = obj.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise SnapshotError(f"{path}.{key}", f"expected a boolean, got {kind(value)}")
    return value


def opt_int(obj: Obj, key: str, path: str, lo: int, hi: int) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise SnapshotError(f"{path}.{key}", f"expected an integer, got {kind(value)}")
    if not lo <= value <= hi:
        raise SnapshotError(f"{path}.{key}", f"{value} is out of range {lo}-{hi}")
    return value


_CIDR_CACHE: dict[str, tuple[Family, int, int, int]] = {}


def parse_cidr(text: str, path: str, family: Family | None = None) -> tuple[Family, int, int, int]:
    """``(family, first, last, prefix length)`` of a CIDR block."""
    hit = _CIDR_CACHE.get(text)
    if hit is None:
        try:
            net = ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise SnapshotError(path, f"{text!r} is not a CIDR") from None
        if "/" not in text:
            raise SnapshotError(path, f"{text!r} is not a CIDR")
        fam: Family = 4 if net.version == 4 else 6
        hit = (fam, int(net.network_address), int(net.broadcast_address), net.prefixlen)
        if len(_CIDR_CACHE) < 100_000:
            _CIDR_CACHE[text] = hit
    if family is not None and hit[0] != family:
        raise SnapshotError(path, f"{text!r} is not an IPv{family} CIDR")
    return hit


def cidr_value(obj: Obj, key: str, path: str, family: Family) -> tuple[int, int, int] | None:
    text = opt_str(obj, key, path)
    if text is None:
        return None
    _, lo, hi, prefix = parse_cidr(text, f"{path}.{key}", family)
    return lo, hi, prefix


def ip_value(text: str, path: str, family: Family) -> int:
    if family == 4:
        parts = text.split(".")
        if len(parts) == 4 and all(map(str.isdecimal, parts)):
            a, b, c, d = map(int, parts)
            if a < 256 and b < 256 and c < 256 and d < 256:
                return (a << 24) | (b << 16) | (c << 8) | d
        raise SnapshotError(path, f"{text!r} is not an IPv4 address")
    try:
        return int(ipaddress.IPv6Address(text))
    except ValueError:
        raise SnapshotError(path, f"{text!r} is not an IPv6 address") from None
