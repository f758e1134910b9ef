"""``python -m inspector_reachability analyze SNAPSHOT [--agents AGENTS]
[--format table|json|inspector2] [--why-not]`` and
``python -m inspector_reachability compare SNAPSHOT FINDINGS [--agents AGENTS]
[--format table|json]``

``--format inspector2`` prints ``{"findings": [...]}`` as ``aws inspector2
list-findings`` would (see inspector2.py); ``compare`` sets such an export
against the engine (see compare.py).

Exit 0 with the findings, 2 with one line on stderr for bad input (the JSON
path of the bad value, or file:line:col of bad JSON). Never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from . import analyze, read_json
from .compare import compare
from .compare import to_table as comparison_table
from .errors import SnapshotError
from .inspector2 import to_inspector2
from .render import to_table


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2, like bad input
        raise _Usage(f"{self.prog}: {message}")


def _read_json(path: str, what: str) -> Any:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise _Usage(f"{path}: no such {what} file") from None
    except IsADirectoryError:
        raise _Usage(f"{path}: is a directory, not a {what} file") from None
    except OSError as exc:
        raise _Usage(f"{path}: cannot read the {what} file ({exc.strerror})") from None
    return read_json(data, path)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m inspector_reachability",
        description="Inspector-style network reachability findings from an "
        "`aws ec2 describe-*` snapshot (see scripts/snapshot.sh).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("analyze", help="analyse a snapshot file")
    run.add_argument("snapshot", metavar="SNAPSHOT", help="snapshot JSON (jq -s add of describe-*)")
    run.add_argument("--agents", metavar="AGENTS", help="agents JSON: listeners per instance")
    run.add_argument(
        "--format",
        choices=("table", "json", "inspector2"),
        default="table",
        help="inspector2: findings shaped like `aws inspector2 list-findings`",
    )
    run.add_argument(
        "--why-not",
        action="store_true",
        help="also explain each path a security group opens but something else blocks",
    )
    cmp = sub.add_parser(
        "compare", help="compare an `aws inspector2 list-findings` export with the engine"
    )
    cmp.add_argument("snapshot", metavar="SNAPSHOT", help="snapshot JSON (jq -s add of describe-*)")
    cmp.add_argument(
        "findings",
        metavar="FINDINGS",
        help='list-findings JSON: {"findings": [...]} or an array of such pages',
    )
    cmp.add_argument("--agents", metavar="AGENTS", help="agents JSON: listeners per instance")
    cmp.add_argument("--format", choices=("table", "json"), default="table")
    return parser


def _compare(args: argparse.Namespace) -> int:
    snapshot = _read_json(args.snapshot, "snapshot")
    export = _read_json(args.findings, "findings")
    agents = _read_json(args.agents, "agents") if args.agents else None
    result = analyze(snapshot, agents, why_not=True, source=args.snapshot)
    comparison = compare(result, export, source=args.findings)
    if args.format == "json":
        json.dump(comparison.to_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(comparison_table(comparison))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "compare":
            return _compare(args)
        snapshot = _read_json(args.snapshot, "snapshot")
        agents = _read_json(args.agents, "agents") if args.agents else None
        result = analyze(snapshot, agents, why_not=args.why_not, source=args.snapshot)
    except (_Usage, SnapshotError) as exc:
        print(str(exc).replace("\n", " "), file=sys.stderr)
        return 2
    except RecursionError:
        print("input nested too deeply", file=sys.stderr)
        return 2
    if args.format == "json":
        json.dump(result.to_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif args.format == "inspector2":
        json.dump(to_inspector2(result, snapshot), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(to_table(result))
        for w in result.why_not:
            print(f"why not: {w.message}")
    return 0
