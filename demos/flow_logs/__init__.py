"""VPC Flow Logs, read as AWS delivers them: summaries, queries, and what did
reach the ports that Inspector says could be reached.

from flow_logs import read_bytes, summarize, query, observe, load_findings
summary = summarize(read_bytes(data, "flows.log.gz"))   # a Summary
summary.to_dict()                                        # the JSON figures
list(query(read_bytes(data), "dstport=22 and action=REJECT"))
observe(load_findings(findings_dict), records).to_dict()
"""

from __future__ import annotations

from .athena import AthenaSql, athena_sql, create_table, queries
from .errors import FlowLogError
from .fields import DEFAULT_FIELDS, DEFAULT_FORMAT, FIELDS, Field
from .findings import OpenPort, load_findings, read_findings
from .observe import Observation, Observed, observe
from .protocols import protocol_name
from .query import compile_where, query
from .reader import parse_log_format, read_bytes, read_file, read_lines, read_stream
from .records import Record
from .render import headline, observation_rows, summary_rows, summary_text, table
from .samples import sample_bytes, sample_findings, sample_names
from .summary import Handshakes, InterfaceStats, RejectedPort, Scan, Summary, Talker, summarize

__all__ = [
    "DEFAULT_FIELDS",
    "DEFAULT_FORMAT",
    "FIELDS",
    "AthenaSql",
    "Field",
    "FlowLogError",
    "Handshakes",
    "InterfaceStats",
    "Observation",
    "Observed",
    "OpenPort",
    "Record",
    "RejectedPort",
    "Scan",
    "Summary",
    "Talker",
    "athena_sql",
    "compile_where",
    "create_table",
    "headline",
    "load_findings",
    "observation_rows",
    "observe",
    "parse_log_format",
    "protocol_name",
    "queries",
    "query",
    "read_bytes",
    "read_file",
    "read_findings",
    "read_lines",
    "read_stream",
    "sample_bytes",
    "sample_findings",
    "sample_names",
    "summarize",
    "summary_rows",
    "summary_text",
    "table",
]
