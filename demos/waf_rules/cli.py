"""``python -m waf_rules evaluate WEBACL.json REQUESTS [--resources FILE]...
[--format table|json]`` and ``python -m waf_rules diff OLD.json NEW.json
REQUESTS [--resources FILE]... [--format table|json]``.

Options for both: ``--search-strings base64|text`` (how to read SearchString:
base64 as ``get-web-acl`` prints it, the default, or plain text),
``--resource-type`` (sets the body inspection limit; ALB by default) and
``--body-limit BYTES`` (overrides it).

Exit 0 with the results, 2 with one line on stderr for bad input (the JSON
path of the bad value, or file:line of a bad log record). Never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from .acl import Options, Resources, WebACL, load_web_acl
from .diff import diff_results
from .engine import evaluate_all
from .errors import WafInputError
from .jsonfile import read_json
from .logs import read_requests
from .render import diff_table, to_table
from .results import report
from .rules import RESOURCE_TYPE_ALIASES, RESOURCE_TYPES


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2, like bad input
        raise _Usage(f"{self.prog}: {message}")


def _read(path: str, what: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise _Usage(f"{path}: no such {what} file") from None
    except IsADirectoryError:
        raise _Usage(f"{path}: is a directory, not a {what} file") from None
    except OSError as exc:
        raise _Usage(f"{path}: cannot read the {what} file ({exc.strerror})") from None


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--resources",
        metavar="FILE",
        action="append",
        default=[],
        help="get-ip-set, get-regex-pattern-set or get-rule-group output (repeatable)",
    )
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument(
        "--search-strings",
        choices=("base64", "text"),
        default="base64",
        help="SearchString as get-web-acl prints it (base64, the default) or plain text",
    )
    p.add_argument(
        "--resource-type",
        choices=(*RESOURCE_TYPES, *RESOURCE_TYPE_ALIASES),
        default="ALB",
        help="the protected resource's type, which sets the body inspection limit "
        "(default ALB: 8 KB)",
    )
    p.add_argument(
        "--body-limit", metavar="BYTES", type=int, help="override the body inspection limit"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m waf_rules",
        description="Evaluate an AWS WAF web ACL (aws wafv2 get-web-acl output) "
        "against WAF log records.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("evaluate", help="the action WAF takes on each request")
    run.add_argument("web_acl", metavar="WEBACL.json")
    run.add_argument(
        "requests", metavar="REQUESTS", help="WAF log records: JSON lines or a JSON array"
    )
    _common(run)
    cmp = sub.add_parser("diff", help="what changes between two web ACLs on the same requests")
    cmp.add_argument("old", metavar="OLD.json")
    cmp.add_argument("new", metavar="NEW.json")
    cmp.add_argument(
        "requests", metavar="REQUESTS", help="WAF log records: JSON lines or a JSON array"
    )
    _common(cmp)
    return parser


def _resources(paths: Sequence[str]) -> Resources:
    resources = Resources()
    for path in paths:
        resources.add(read_json(_read(path, "resources"), path), path)
    return resources


def _acl(path: str, resources: Resources, options: Options) -> WebACL:
    return load_web_acl(read_json(_read(path, "web ACL"), path), resources, options, source=path)


def _dump(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2)
    sys.stdout.write("\n")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.body_limit is not None and args.body_limit < 0:
            raise _Usage("--body-limit: must be 0 or more bytes")
        options = Options(args.search_strings, args.resource_type, args.body_limit)
        resources = _resources(args.resources)
        if args.command == "diff":
            old = _acl(args.old, resources, options)
            new = _acl(args.new, resources, options)
            requests = read_requests(_read(args.requests, "requests"), args.requests)
            d = diff_results(evaluate_all(old, requests), evaluate_all(new, requests))
            if args.format == "json":
                _dump(d.to_dict())
            else:
                print(diff_table(d))
            return 0
        acl = _acl(args.web_acl, resources, options)
        requests = read_requests(_read(args.requests, "requests"), args.requests)
        results = evaluate_all(acl, requests)
    except (_Usage, WafInputError) as exc:
        print(str(exc).replace("\n", " "), file=sys.stderr)
        return 2
    except RecursionError:
        print("input nested too deeply", file=sys.stderr)
        return 2
    if args.format == "json":
        _dump(report(results))
    else:
        print(to_table(results, requests))
    return 0
