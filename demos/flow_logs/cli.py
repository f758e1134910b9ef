"""The command line.

    python -m flow_logs summarize FILE... [--log-format F] [--format table|json]
    python -m flow_logs query FILE... --where EXPR [--log-format F] [--format jsonl|table]
    python -m flow_logs observe FINDINGS.json FILE... [--log-format F] [--format table|json]
    python -m flow_logs athena --log-format F [--table NAME --location s3://...]

Exit 0 on success; 2 on bad input, with one line on stderr naming
``file:line``, the field and the value (or the JSON path). Never a traceback.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from . import rules
from .athena import DEFAULT_LOCATION, DEFAULT_TABLE, athena_sql
from .errors import FlowLogError
from .fields import DEFAULT_FORMAT
from .findings import read_findings
from .observe import observe
from .query import HELP as QUERY_HELP
from .query import compile_where
from .reader import parse_log_format, read_file
from .records import Record
from .render import observed_text, summary_text, table
from .summary import summarize


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 2, like bad input
        raise _Usage(f"{self.prog}: {message}")


def _positive(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m flow_logs",
        description="Read VPC Flow Logs (S3 text files, gzip or not, or CloudWatch Logs "
        "filter-log-events output) and summarize, query or observe them.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    fmt_help = (
        "the record format, in ${field} syntax, for files or lines without a header "
        f"(default: {DEFAULT_FORMAT})"
    )

    s = sub.add_parser("summarize", help="counts, top talkers, rejected ports, scans")
    s.add_argument("files", nargs="+", metavar="FILE")
    s.add_argument("--log-format", metavar="F", help=fmt_help)
    s.add_argument("--format", choices=("table", "json"), default="table")
    s.add_argument(
        "--scan-ports",
        type=_positive,
        default=rules.SCAN_PORTS,
        metavar="N",
        help=f"a scan reaches at least N distinct ports in the window (default {rules.SCAN_PORTS})",
    )
    s.add_argument(
        "--scan-hosts",
        type=_positive,
        default=rules.SCAN_HOSTS,
        metavar="N",
        help=f"... or at least N distinct hosts (default {rules.SCAN_HOSTS})",
    )
    s.add_argument(
        "--scan-window",
        type=_positive,
        default=rules.SCAN_WINDOW,
        metavar="SECONDS",
        help=f"the window, in seconds (default {rules.SCAN_WINDOW}: the default aggregation "
        "interval)",
    )

    q = sub.add_parser(
        "query",
        help="print the records that match an expression",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=QUERY_HELP,
    )
    q.add_argument("files", nargs="+", metavar="FILE")
    q.add_argument("--where", required=True, metavar="EXPR", help="see above")
    q.add_argument("--log-format", metavar="F", help=fmt_help)
    q.add_argument("--format", choices=("jsonl", "table"), default="jsonl")

    o = sub.add_parser("observe", help="set the logs beside reachability findings")
    o.add_argument(
        "findings",
        metavar="FINDINGS.json",
        help="inspector_reachability analyze --format json (or inspector2) output, "
        "or an aws inspector2 list-findings export",
    )
    o.add_argument("files", nargs="+", metavar="FILE")
    o.add_argument("--log-format", metavar="F", help=fmt_help)
    o.add_argument("--format", choices=("table", "json"), default="table")

    a = sub.add_parser("athena", help="print the Athena table and the summarize SQL")
    a.add_argument("--log-format", required=True, metavar="F", help="the format, ${field} syntax")
    a.add_argument("--table", default=DEFAULT_TABLE, metavar="NAME")
    a.add_argument("--location", default=DEFAULT_LOCATION, metavar="s3://...")
    return parser


def _records(files: Sequence[str], log_format: str | None) -> Iterator[Record]:
    if log_format:
        parse_log_format(log_format)  # fail before reading anything
    return itertools.chain.from_iterable(read_file(f, log_format) for f in files)


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise FlowLogError(path, "no such file") from None
    except IsADirectoryError:
        raise FlowLogError(path, "is a directory, not a findings file") from None
    except OSError as exc:
        raise FlowLogError(path, f"cannot read the file ({exc.strerror})") from None


def _run(args: argparse.Namespace) -> int:
    out = sys.stdout
    if args.command == "summarize":
        result = summarize(
            _records(args.files, args.log_format),
            scan_ports=args.scan_ports,
            scan_hosts=args.scan_hosts,
            scan_window=args.scan_window,
        )
        if args.format == "json":
            json.dump(result.to_dict(), out, indent=2)
            out.write("\n")
        else:
            print(summary_text(result))
    elif args.command == "query":
        pred = compile_where(args.where)
        matches = (r for r in _records(args.files, args.log_format) if pred(r))
        if args.format == "jsonl":
            for record in matches:
                out.write(json.dumps(record) + "\n")
        else:
            print(table(list(matches), limit=1000))
    elif args.command == "observe":
        findings = read_findings(_read_bytes(args.findings), args.findings)
        observed = observe(findings, _records(args.files, args.log_format))
        if args.format == "json":
            json.dump(observed.to_dict(), out, indent=2)
            out.write("\n")
        else:
            print(observed_text(observed))
    else:
        fields = parse_log_format(args.log_format)
        out.write(athena_sql(fields, args.table, args.location).text())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return _run(args)
    except (_Usage, FlowLogError) as exc:
        print(str(exc).replace("\n", " "), file=sys.stderr)
        return 2
    except RecursionError:
        print("input nested too deeply", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
