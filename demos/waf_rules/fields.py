"""FieldToMatch: which part of the request a statement inspects.

https://docs.aws.amazon.com/waf/latest/APIReference/API_FieldToMatch.html and
https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-fields-list.html

An extractor returns ``(forced, values)``. `forced` is True or False where
oversize handling (or a JSON body that does not parse) decides the match
without inspection, and None otherwise; `values` are the strings to inspect,
any one of which may match. No values (the component is absent) is no match.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from . import check
from .errors import WafInputError
from .model import Request
from .rules import (
    HEADERS_MAX_BYTES,
    HEADERS_MAX_COUNT,
    INVALID_FALLBACKS,
    MATCH_SCOPES,
    OVERSIZE_HANDLINGS,
)

Inspected = tuple[bool | None, list[str]]
Extractor = Callable[[Request], Inspected]

_OVERSIZE = {"MATCH": True, "NO_MATCH": False, "CONTINUE": None}


def parse_args(args: str) -> list[tuple[str, str]]:
    """Query arguments as (name, value) pairs, raw (not URL-decoded)."""
    if not args:
        return []
    out = []
    for part in args.split("&"):
        if part:
            name, _, value = part.partition("=")
            out.append((name, value))
    return out


def parse_cookies(request: Request) -> list[tuple[str, str]]:
    """Cookies from every Cookie header, as (name, value) pairs."""
    out = []
    for header in request.header_values("cookie"):
        for part in header.split(";"):
            part = part.strip()
            if part:
                name, _, value = part.partition("=")
                out.append((name.strip(), value.strip()))
    return out


def has_cookie(request: Request, name: str) -> bool:
    return any(n == name for n, _ in parse_cookies(request))


def compile_field(spec: Any, path: str, body_limit: int) -> Extractor:
    d = check.obj(spec, path)
    if len(d) != 1:
        raise WafInputError(path, "expected exactly one request component")
    ((name, inner),) = d.items()
    where = f"{path}.{name}"
    inner = check.obj(inner, where)
    if name == "UriPath":
        return lambda r: (None, [r.uri])
    if name == "QueryString":
        return lambda r: (None, [r.args])
    if name == "Method":
        return lambda r: (None, [r.method])
    if name == "SingleHeader":
        header = check.string(inner, "Name", where).lower()
        return lambda r: (None, [v for k, v in r.headers if k.lower() == header])
    if name == "SingleQueryArgument":
        # "The name ... isn't case sensitive." (API_SingleQueryArgument)
        arg = check.string(inner, "Name", where).lower()
        return lambda r: (None, [v for k, v in parse_args(r.args) if k.lower() == arg])
    if name == "AllQueryArguments":
        return lambda r: (None, [v for _, v in parse_args(r.args)])
    if name == "Headers":
        return _pairs(
            inner, where, "IncludedHeaders", "ExcludedHeaders", lambda r: list(r.headers), True
        )
    if name == "Cookies":
        return _pairs(inner, where, "IncludedCookies", "ExcludedCookies", parse_cookies, False)
    if name == "Body":
        return _body(inner, where, body_limit)
    if name == "JsonBody":
        return _json_body(inner, where, body_limit)
    raise WafInputError(where, "this request component is not modelled by this engine")


def _pairs(
    inner: dict[str, Any],
    where: str,
    included: str,
    excluded: str,
    pairs: Callable[[Request], list[tuple[str, str]]],
    fold_case: bool,
) -> Extractor:
    pattern = check.obj(check.field(inner, "MatchPattern", where), f"{where}.MatchPattern")
    scope = check.enum(inner, "MatchScope", where, MATCH_SCOPES)
    oversize = _OVERSIZE[
        check.enum(inner, "OversizeHandling", where, OVERSIZE_HANDLINGS, "CONTINUE")
    ]
    ppath = f"{where}.MatchPattern"
    norm: Callable[[str], str] = str.lower if fold_case else str
    keep: Callable[[str], bool]
    if "All" in pattern:
        keep = lambda _n: True  # noqa: E731
    elif included in pattern:
        names = {norm(n) for n in _names(pattern[included], f"{ppath}.{included}")}
        keep = lambda n: norm(n) in names  # noqa: E731
    elif excluded in pattern:
        names = {norm(n) for n in _names(pattern[excluded], f"{ppath}.{excluded}")}
        keep = lambda n: norm(n) not in names  # noqa: E731
    else:
        raise WafInputError(ppath, f"expected All, {included} or {excluded}")

    def extract(r: Request) -> Inspected:
        items = pairs(r)
        over = (
            len(items) > HEADERS_MAX_COUNT
            or sum(len(k) + len(v) for k, v in items) > HEADERS_MAX_BYTES
        )
        if over and oversize is not None:
            return oversize, []
        values: list[str] = []
        for k, v in items[:HEADERS_MAX_COUNT]:
            if keep(k):
                if scope != "VALUE":
                    values.append(k)
                if scope != "KEY":
                    values.append(v)
        return None, values

    return extract


def _names(value: Any, path: str) -> list[str]:
    names = check.lst(value, path)
    for i, n in enumerate(names):
        if not isinstance(n, str):
            raise WafInputError(f"{path}[{i}]", "expected a string")
    return names


def _body(inner: dict[str, Any], where: str, limit: int) -> Extractor:
    oversize = _OVERSIZE[
        check.enum(inner, "OversizeHandling", where, OVERSIZE_HANDLINGS, "CONTINUE")
    ]

    def extract(r: Request) -> Inspected:
        body = r.body or ""
        data = body.encode("utf-8", "surrogateescape")
        if len(data) > limit:
            if oversize is not None:
                return oversize, []
            body = data[:limit].decode("utf-8", "surrogateescape")
        return None, [body]

    return extract


def _json_body(inner: dict[str, Any], where: str, limit: int) -> Extractor:
    pattern = check.obj(check.field(inner, "MatchPattern", where), f"{where}.MatchPattern")
    scope = check.enum(inner, "MatchScope", where, MATCH_SCOPES)
    oversize = _OVERSIZE[
        check.enum(inner, "OversizeHandling", where, OVERSIZE_HANDLINGS, "CONTINUE")
    ]
    invalid = inner.get("InvalidFallbackBehavior")
    if invalid is not None:
        invalid = check.enum(inner, "InvalidFallbackBehavior", where, INVALID_FALLBACKS)
    paths: set[str] | None = None
    if "IncludedPaths" in pattern:
        paths = set(_names(pattern["IncludedPaths"], f"{where}.MatchPattern.IncludedPaths"))
    elif "All" not in pattern:
        raise WafInputError(f"{where}.MatchPattern", "expected All or IncludedPaths")

    def extract(r: Request) -> Inspected:
        text = r.body or ""
        data = text.encode("utf-8", "surrogateescape")
        if len(data) > limit:
            if oversize is not None:
                return oversize, []
            text = data[:limit].decode("utf-8", "surrogateescape")
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError):
            if invalid == "MATCH":
                return True, []
            if invalid == "EVALUATE_AS_STRING":
                return None, [text]
            # NO_MATCH, or no setting: this engine inspects nothing (WAF
            # inspects what it parsed before the first error; see the page).
            return False, []
        values: list[str] = []
        _walk(doc, "", paths, scope, values)
        return None, values

    return extract


def _walk(node: Any, pointer: str, paths: set[str] | None, scope: str, out: list[str]) -> None:
    """Keys and leaf values, as JSON pointers select them (IncludedPaths)."""
    if paths is not None and pointer in paths:
        paths = None  # everything below an included path is included
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
            if scope != "VALUE" and (paths is None or child in paths):
                out.append(key)
            _walk(value, child, paths, scope, out)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _walk(value, f"{pointer}/{i}", paths, scope, out)
    elif scope != "KEY" and paths is None:
        out.append(_leaf(node))


def _leaf(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value)
