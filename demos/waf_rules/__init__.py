"""An AWS WAF web ACL evaluated offline against WAF log records.

from waf_rules import evaluate, diff
results = evaluate(get_web_acl_output, log_text)      # a list of Result
[r.to_dict() for r in results]                         # log-shaped JSON
diff(old_acl, new_acl, log_text).to_dict()             # what a change would do
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .acl import Options, Resources, SearchStrings, WebACL, load_resources, load_web_acl
from .diff import Change, Diff, diff_results
from .engine import Evaluator, evaluate_all, evaluate_iter
from .errors import WafInputError
from .injection import is_sqli, is_xss
from .jsonfile import read_json
from .logs import iter_requests, parse_record, read_requests
from .model import Request
from .render import diff_table, mermaid_path, table_rows, to_table
from .results import Result, Step, report, summary
from .samples import load_sample, sample_names
from .transforms import TRANSFORMS, apply

__all__ = [
    "TRANSFORMS",
    "Change",
    "Diff",
    "Evaluator",
    "Options",
    "Request",
    "Resources",
    "Result",
    "SearchStrings",
    "Step",
    "WafInputError",
    "WebACL",
    "apply",
    "diff",
    "diff_results",
    "diff_table",
    "evaluate",
    "evaluate_all",
    "evaluate_iter",
    "is_sqli",
    "is_xss",
    "iter_requests",
    "load_resources",
    "load_sample",
    "load_web_acl",
    "mermaid_path",
    "parse_record",
    "read_json",
    "read_requests",
    "report",
    "sample_names",
    "summary",
    "table_rows",
    "to_table",
]


def _requests(requests: Any) -> list[Request]:
    if isinstance(requests, str):
        return read_requests(requests.encode("utf-8"), "(requests)")
    if isinstance(requests, bytes):
        return read_requests(requests, "(requests)")
    out: list[Request] = []
    for i, r in enumerate(requests):
        out.append(r if isinstance(r, Request) else parse_record(r, f"(requests)[{i}]"))
    return out


def _resources(resources: Any) -> Resources:
    if resources is None:
        return Resources()
    if isinstance(resources, Resources):
        return resources
    return load_resources((doc, f"(resources)[{i}]") for i, doc in enumerate(resources))


def evaluate(
    web_acl: Any,
    requests: Any,
    resources: Iterable[Any] | Resources | None = None,
    *,
    search_strings: SearchStrings = "base64",
    resource_type: str = "ALB",
    body_limit: int | None = None,
) -> list[Result]:
    """Results for `requests` (log text, bytes, or a list of records or Request).

    `web_acl` is ``get-web-acl`` output or a WebACL dict (or a compiled
    WebACL); `resources` the get-ip-set / get-regex-pattern-set /
    get-rule-group outputs it references. Bad input raises WafInputError.
    """
    options = Options(search_strings, resource_type, body_limit)
    acl = (
        web_acl
        if isinstance(web_acl, WebACL)
        else load_web_acl(web_acl, _resources(resources), options)
    )
    return evaluate_all(acl, _requests(requests))


def diff(
    old: Any,
    new: Any,
    requests: Any,
    resources: Iterable[Any] | Resources | None = None,
    *,
    search_strings: SearchStrings = "base64",
    resource_type: str = "ALB",
    body_limit: int | None = None,
) -> Diff:
    """Every request whose action or terminating rule changes from `old` to `new`."""
    res = _resources(resources)
    reqs = _requests(requests)
    kw: dict[str, Any] = {
        "search_strings": search_strings,
        "resource_type": resource_type,
        "body_limit": body_limit,
    }
    return diff_results(evaluate(old, reqs, res, **kw), evaluate(new, reqs, res, **kw))
